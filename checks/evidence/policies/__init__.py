"""Evidence checks: policies."""
