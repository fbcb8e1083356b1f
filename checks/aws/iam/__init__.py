"""IAM identity and access checks."""
