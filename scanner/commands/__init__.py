"""The `posture` subcommands other than `scan`, one module each, and the scan's delivery."""
