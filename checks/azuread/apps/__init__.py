"""Azure AD apps checks."""
