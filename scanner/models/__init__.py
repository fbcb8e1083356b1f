"""Typed, frozen models shared by providers, checks, the engine and the outputs."""
