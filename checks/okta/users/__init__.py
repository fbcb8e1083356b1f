"""Okta users checks."""
