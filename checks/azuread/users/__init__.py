"""Azure AD users checks."""
