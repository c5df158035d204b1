"""The command line interface (thin: parses arguments, calls services, prints)."""
