"""elb checks."""
