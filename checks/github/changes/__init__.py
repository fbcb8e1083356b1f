"""GitHub changes checks."""
