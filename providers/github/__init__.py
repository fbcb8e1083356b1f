"""The GitHub provider: organisations, repositories and their change process over REST v3."""
