"""Open data on the service front: the open resources, each with its public schema, a preview
and downloads, under /data/ ("portal:opendata:<name>")."""
