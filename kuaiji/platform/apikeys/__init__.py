"""API keys for machine clients: shown once, stored hashed, limited to permission codes and a
rate, revocable, every use logged."""
