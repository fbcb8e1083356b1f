"""Evidence checks: access."""
