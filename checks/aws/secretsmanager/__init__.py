"""AWS secretsmanager checks."""
