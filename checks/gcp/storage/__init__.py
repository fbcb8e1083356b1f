"""GCP storage checks."""
