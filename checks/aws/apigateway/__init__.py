"""apigateway checks."""
