"""The statistics screen of grid events."""
