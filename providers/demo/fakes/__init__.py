"""Local fake provider APIs on 127.0.0.1 that speak the real wire format.

Used by `posture scan --demo` and by the tests; never by a real scan.
"""
