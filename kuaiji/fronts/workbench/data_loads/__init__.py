"""The work front's screens for loading a resource's rows: its loads and an upload form, and
one load's problems and quarantined rows."""
