"""AWS adapter. boto3 is imported by the modules below, never by this package's import."""
