"""Okta security checks."""
