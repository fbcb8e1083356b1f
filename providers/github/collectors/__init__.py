"""What each GitHub collection reads, and how it parses GitHub's answers."""
