"""logs checks."""
