"""Reports and exports: Excel, CSV, JSON, HTML, Kolada long format."""
