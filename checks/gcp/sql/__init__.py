"""GCP sql checks."""
