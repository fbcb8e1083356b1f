"""Azure AD conditional access checks."""
