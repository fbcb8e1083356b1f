"""Typed, frozen inventory models: what providers collect and checks read.

Shared concepts live in `common`; each provider has its own module. No SDK imports here.
"""
