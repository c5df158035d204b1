"""Goals, strategies, activities and budget followed up per period (målstyrning och uppföljning).

Pure computation on plain dataclasses: the plan tree and its status roll-up
(``tree``), follow-up periods, entries and the due/overdue lists (``periods``),
indicators and their traffic light (``indicators``) and budget sums (``budget``).
The database lives in ``hallbar.store.followup``; live key-figure values are
computed by ``hallbar.services.followup``.
"""
