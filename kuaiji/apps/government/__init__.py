"""Digital government one-stop services (服务"一网通办"): the service item catalog, "one thing"
bundles, applications handled in parallel by departments, e-certificates and ratings."""
