"""Goal and activity follow-up (målstyrning och uppföljning) for the web, the JSON API and the demo.

The only place that combines the pure plan logic (``hallbar.followup``), its
repository (``hallbar.store.followup``) and the live key figures
(``hallbar.services.figures``). Every use case opens the organisation with
``hallbar.services.scope.open_scope`` (through ``plans.open_plan``). Modules:
``plans`` (access, the plan and its tree, budget), ``indicators`` (live and
manual values), ``periods`` (follow-ups, the next period), ``reports`` (the
report as a view, Word and HTML), ``transfer`` (Excel in and out), ``views``
(what the pages show) and ``examples`` (the demo's example plans).
"""
