"""Azure AD authorization checks."""
