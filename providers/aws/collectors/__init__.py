"""AWS collectors, one module per service. Each declares its `Collection`s."""
