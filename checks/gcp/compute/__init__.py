"""GCP compute checks."""
