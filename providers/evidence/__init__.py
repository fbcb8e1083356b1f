"""The evidence provider: organisational controls read from a directory kept in git."""
