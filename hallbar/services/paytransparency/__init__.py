"""Pay transparency (Directive (EU) 2023/970) as workflows, one module per obligation.

* ``requests``: Art. 7 requests for information — register, draft, answer, reprint.
* ``ranges``: Art. 5 starting-pay ranges and the recruitments they were given for.
* ``criteria``: Art. 6 pay-setting and progression criteria, versioned per job family.
* ``report``: the Art. 9 report — draft, management confirmation, export, the method.
* ``joint``: Art. 10 joint pay assessments and pay development after parental leave.
* ``overview``: the clocks on one page and the next due date for the start page.

Every function checks the role matrix (``Resource.PT_*``) and the organisation
scope before it touches data (``services.scope.load`` opens the data, the
whole organisation: the obligations are the employer's), and records answers
and views in the audit log. Form and data errors are ``core.errors.InputError``
(``hallbar.paytransparency.errors``).
The computations are in ``hallbar.paytransparency``; all SQL in
``hallbar.store.paytransparency``.
"""
