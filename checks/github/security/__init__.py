"""GitHub security checks."""
