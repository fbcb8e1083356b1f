"""AWS awslambda checks."""
