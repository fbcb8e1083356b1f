"""Okta collectors: each reads one kind of data, every page, and returns inventory fields."""
