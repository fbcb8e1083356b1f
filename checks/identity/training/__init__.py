"""Security awareness training against the identity provider's active users."""
