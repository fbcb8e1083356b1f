"""Okta logging checks."""
