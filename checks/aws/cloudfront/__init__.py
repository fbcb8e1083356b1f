"""cloudfront checks."""
