"""Pluggable checks, grouped by provider and by what they guard. Pure: no SDK, no IO."""
