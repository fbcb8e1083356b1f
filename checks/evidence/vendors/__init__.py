"""Evidence checks: vendors."""
