# ruff: noqa
"""Names the dead-code check (``make deadcode``) must not report, each with its reason."""

# html.parser.HTMLParser calls these on the test's parser (tests/reports/test_report_html.py).
handle_starttag
handle_endtag

# pydantic calls field validators of Settings (hallbar/settings.py).
_proxy_addresses
