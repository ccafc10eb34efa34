"""The audit log in the work front: search, one entry, and a check of the hash chain."""
