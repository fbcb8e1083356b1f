"""The TLS probe: what endpoints serve to clients, seen on the wire through sslyze."""
