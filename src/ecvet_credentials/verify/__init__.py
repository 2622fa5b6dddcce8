"""Verification: checks in DESIGN order, returning a report (never raising for a bad credential)."""
