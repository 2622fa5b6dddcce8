"""ecvet-credentials: issue and verify signed ECVET learning-mobility credentials."""

__version__ = "0.1.0"
