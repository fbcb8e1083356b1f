"""GCP logging checks."""
