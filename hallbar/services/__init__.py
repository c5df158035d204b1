"""Services: the only place that combines ingest, store, computation and reports, with access rules."""
