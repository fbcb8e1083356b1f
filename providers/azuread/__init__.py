"""Azure AD (Entra ID) adapter. msgraph-sdk is imported by the modules below, never here."""
