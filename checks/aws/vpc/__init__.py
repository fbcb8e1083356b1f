"""vpc checks."""
