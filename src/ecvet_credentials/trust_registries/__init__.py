"""Trust registries beyond one file: building them (editing), following published ones
(subscriptions), and choosing which registry a verifying command uses (defaults)."""
