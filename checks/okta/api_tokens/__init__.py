"""Okta api_tokens checks."""
