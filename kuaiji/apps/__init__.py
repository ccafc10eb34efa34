"""The applications built on the platform: the six comprehensive applications and grassroots
governance."""
