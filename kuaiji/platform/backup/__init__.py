"""Backups of a whole deployment and their restore (`kuaiji backup`, `kuaiji restore`).

One zip archive holds:

- ``manifest.json``: format version, Kuaiji version and git commit, database vendor, the
  applied migrations, creation time, per table its columns, row count and checksum, per
  uploaded file its size and SHA-256, and check values of the keys the data needs;
- ``manifest.seal``: HMAC-SM3 of the manifest under a key derived from the audit key, so an
  archive whose manifest was edited (or one made with another key file) is refused;
- ``database/<table>.jsonl``: every row of every table as one line of canonical JSON, the
  personal-data columns as the ciphertext they are stored as (`rows`);
- ``media/<path>``: the uploaded files under MEDIA_ROOT, apart from directory imports waiting
  for confirmation.

The key file is never in the archive: it is backed up apart, through the operator's key
custody (docs/security.md). See docs/reliability.md for the procedure.
"""
