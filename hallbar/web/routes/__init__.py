"""Route modules, one per area; each exposes ``pages`` (HTML) and ``api`` (JSON twin) routers."""
