"""Access held in clouds by people the identity provider does not vouch for."""
