"""Google Cloud and Google Workspace: collection for posture."""
