"""The SOC 2 readiness report: a findings document (and its history) in, HTML or Markdown out."""
