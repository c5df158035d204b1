"""Deterministic generator of a realistic example organisation (Exempelkommun)."""
