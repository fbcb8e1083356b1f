"""GCP iam checks."""
