"""Reading our own printable documents back: `extract` finds the signed credential inside a printable
HTML page or PDF."""
