"""guardduty checks."""
