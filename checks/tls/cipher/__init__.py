"""TLS probe checks: cipher."""
