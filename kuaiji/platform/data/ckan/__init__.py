"""The open data catalogue's standard interfaces: the CKAN Action API (read) and DCAT-AP."""
