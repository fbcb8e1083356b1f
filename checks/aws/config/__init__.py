"""config checks."""
