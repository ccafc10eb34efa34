"""Ingestion of a resource's rows: reading CSV and XLSX files (`reading`), checking them
against the schema (`validation`), applying them as one load (`loading`), pulling them from a
department's address on a schedule (`pulling`), and the reads of loads and sources (`reads`)."""
