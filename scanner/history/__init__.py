"""The scan history: an embedded SQLite store, safe for overlapping cron runs."""

from scanner.history.store import HistoryStore, Recorded, ScanRecord, default_state_path

__all__ = ["HistoryStore", "Recorded", "ScanRecord", "default_state_path"]
