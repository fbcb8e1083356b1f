"""cloudwatch checks."""
