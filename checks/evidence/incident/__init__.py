"""Evidence checks: incident."""
