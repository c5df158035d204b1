"""The regional level's services: who sees which network, consent, figures across members,
Kolada side by side, regional competence supply and the regional demo.

Every grant, revocation and regional view is written to the audit log
(``hallbar.services.audit``), so the log holds for pages, JSON and the CLI alike.
"""
