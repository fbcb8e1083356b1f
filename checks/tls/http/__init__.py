"""TLS probe checks: http."""
