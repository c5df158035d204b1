"""The regional level: organisations in networks, consent to share, figures across members.

Pure computation (polars/stdlib); imports only ``hallbar.core``, ``hallbar.privacy``
and, read-only, ``hallbar.indicators``. Storage is in ``hallbar.store.regional``,
access and auditing in ``hallbar.services.regional``. See docs/regional.md.
"""
