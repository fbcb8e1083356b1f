"""TLS probe checks: certificate."""
