"""securityhub checks."""
