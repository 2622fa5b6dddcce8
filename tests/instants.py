"""The fixed instants the tests' clock reads (no test depends on the day it runs)."""
from __future__ import annotations

from datetime import datetime, timezone

# Where the `clock` fixture starts.
CLOCK_START = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
# The demo fixture's instant: after its documents were signed (PT 2026-11-20), the `clock` fixture's start,
# so a test using both sees one time. A subprocess gets it as `--now DEMO_NOW_ISO`.
DEMO_NOW = CLOCK_START
DEMO_NOW_ISO = DEMO_NOW.strftime("%Y-%m-%dT%H:%M:%SZ")  # 2026-11-25T12:00:00Z
