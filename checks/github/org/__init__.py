"""GitHub org checks."""
