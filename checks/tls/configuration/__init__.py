"""TLS probe checks: configuration."""
