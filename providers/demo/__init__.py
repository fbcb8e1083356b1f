"""The demo's home: what `posture scan --demo` and the tests need, never a real scan.

Installed by the `demo` extra's dependencies (moto, werkzeug); each provider's demo environment
stays beside its adapter in `providers/<provider>/demo.py`.
"""
