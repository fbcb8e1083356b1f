"""AWS ebs checks."""
