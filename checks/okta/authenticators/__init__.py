"""Okta authenticators checks."""
