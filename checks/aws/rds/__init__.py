"""AWS rds checks."""
