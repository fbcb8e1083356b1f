"""AWS kms checks."""
