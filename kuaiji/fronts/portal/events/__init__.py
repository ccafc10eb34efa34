"""Grid events on the service front: a citizen reports a problem ("随手拍"), follows it on its
tracking page and rates the result."""
