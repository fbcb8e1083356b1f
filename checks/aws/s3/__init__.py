"""AWS s3 checks."""
