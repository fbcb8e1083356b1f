"""The Okta provider: users, factors, admin roles, policies, tokens and log streaming."""
