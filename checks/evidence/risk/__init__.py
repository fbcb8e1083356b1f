"""Evidence checks: risk."""
