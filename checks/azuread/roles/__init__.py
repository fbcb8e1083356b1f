"""Azure AD roles checks."""
