"""AWS dynamodb checks."""
