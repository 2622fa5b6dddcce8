"""Offline, strict JSON-LD: bundled pinned contexts, bounded canonicalization (RDFC-1.0)."""
