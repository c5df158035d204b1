# ruff: noqa
"""Names the dead-code check (``make deadcode``) must not report, each with its reason."""

# html.parser.HTMLParser calls these on the test's parser (tests/reports/test_report_html.py).
handle_starttag
handle_endtag

# Dead code in packages another helper owns (issue 9): to be deleted there, then here.
sick_leave_base  # hallbar/indicators/sickness.py
overlapping  # hallbar/indicators/views.py
group_keys  # hallbar/indicators/views.py
without_levers  # hallbar/projection/scenario.py
section_titles  # hallbar/reports/paysurvey_document.py
