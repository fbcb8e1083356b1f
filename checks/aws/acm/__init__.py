"""acm checks."""
