"""GCP workspace checks."""
