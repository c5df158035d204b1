"""The web application (thin): FastAPI + Jinja2 + HTMX over the services."""
