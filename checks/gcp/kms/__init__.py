"""GCP kms checks."""
