"""Okta admins checks."""
