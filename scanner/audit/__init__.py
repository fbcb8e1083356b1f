"""The SOC 2 Type II audit window: coverage per day, exceptions, populations, waivers, and
the evidence pack that carries them with a manifest of hashes (docs/audit.md)."""
