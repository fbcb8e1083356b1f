"""TLS probe checks: protocol."""
