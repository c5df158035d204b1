"""The web application (thin): FastAPI + Jinja2 + HTMX over the services.

Adding a page (e.g. a key-figure dashboard):

1. Write the data function in ``hallbar.services`` taking ``(hb, principal, …)``.
   It checks access first (``hallbar.services.access.require_org`` with a
   ``hallbar.core.access.Resource``; add the resource and its roles to
   ``PERMISSIONS``), suppresses small groups with ``hallbar.privacy.suppression``
   and returns dataclasses / ``FigureTable``s.
2. Add ``hallbar/web/routes/<area>.py`` with two routers: ``pages`` (HTML, user
   from ``PageUser``) and ``api`` (JSON, user from ``ApiUser``, the service's
   dataclass as ``response_model``, or a model from ``hallbar.web.schemas`` where
   the JSON differs from it), the API path being the page path behind ``/api``.
   List the module in ``app.ROUTE_MODULES``.
3. Template in ``templates/<area>/`` extending ``base.html``; every text via
   ``t("key")`` from ``hallbar.web.i18n.sv``; numbers via the ``num``/``pct``/
   ``date`` filters; figure tables with ``macros.html`` (``cell``,
   ``definitions``, ``bar_chart``). Forms carry ``csrf_token`` and POST routes
   declare ``dependencies=[Csrf]``.
4. Add the new URLs to ``tests/web/test_role_matrix.py`` (a test fails until
   every route is in the matrix).
"""
