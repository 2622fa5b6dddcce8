"""Trust registries: who vouches for which institution, signed by an anchor."""
