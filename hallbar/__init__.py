"""Hållbar: strategic competence supply and people analytics for Swedish public employers."""

__version__ = "0.1.0"
