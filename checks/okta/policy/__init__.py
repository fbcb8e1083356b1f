"""Okta policy checks."""
