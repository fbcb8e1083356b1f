"""elbv2 checks."""
