"""Keys and DIDs."""
