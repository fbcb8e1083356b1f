"""GitHub branch checks."""
