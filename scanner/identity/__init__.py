"""Cross-provider identity: project cloud principals, match them to people, build the run."""
