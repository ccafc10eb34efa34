"""The statistics screen of one-stop services and their ratings."""
