"""Goal and activity follow-up (målstyrning och uppföljning) for the web, the JSON API and the demo.

The only place that combines the pure plan logic (``hallbar.followup``), its
repository (``hallbar.store.followup``) and the live key figures
(``hallbar.services.figures``). Modules: ``plans`` (access, the plan and its
tree, budget), ``indicators`` (live and manual values), ``periods`` (follow-ups,
reminders, the next period), ``reports`` (the report as a view, Word, HTML and
Excel, the Excel import) and ``examples`` (the demo's example plans).
"""
