"""Who may see what: roles and the principal a request runs as.

Pure rules; the service layer calls them on every data function, so a rule
holds for pages, JSON and exports alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # users, settings, organisations
    HR = "hr"  # everything in its own organisation(s)
    MANAGER = "chef"  # own units and their sub-units; individual lists for own staff
    ANALYST = "analytiker"  # aggregates only
    REGIONAL = "regional"  # aggregates across organisations that agreed to share
    COMMITTEE = "förtroendevald"  # committee member: follow-up reports and aggregates, read-only
    # Employee representative (Directive (EU) 2023/970): the pay-transparency method,
    # report and joint assessment of its organisation; no individual pay.
    UNION = "facklig"


ROLE_LABELS_SV = {
    Role.ADMIN: "Administratör",
    Role.HR: "HR",
    Role.MANAGER: "Chef",
    Role.ANALYST: "Analytiker",
    Role.REGIONAL: "Regional analytiker",
    Role.COMMITTEE: "Förtroendevald",
    Role.UNION: "Facklig företrädare",
}


@dataclass(frozen=True)
class Principal:
    """The user a request or command runs as."""

    user_id: int
    username: str
    role: Role
    org_ids: frozenset[str] = field(default_factory=frozenset)
    # For managers: the units they manage; sub-units are included by the service layer.
    unit_ids: frozenset[str] = field(default_factory=frozenset)
    # The local operator: the CLI run by someone who already holds the database and
    # the pseudonym key, so role rules would protect nothing. Never set for web users.
    local_operator: bool = False


SYSTEM = Principal(0, "system", Role.ADMIN, local_operator=True)


class Resource(StrEnum):
    """What a request asks for. Every data function in the service layer names one."""

    ORGANISATIONS = "organisations"  # list of organisations the user may open
    UNIT_TREE = "unit_tree"  # the unit tree with aggregate headcounts
    UNIT_OVERVIEW = "unit_overview"  # aggregates per unit: headcount, FTE, gender, age
    STAFF_LIST = "staff_list"  # individual-level list of a unit's employees
    IMPORT = "import"  # upload files through the import pipeline
    IMPORT_HISTORY = "import_history"  # who imported what, when, row counts
    USERS = "users"  # create users, assign roles, organisations and units
    AUDIT_LOG = "audit_log"  # read the audit log
    SHARING = "sharing"  # organisations' agreements to share aggregates regionally
    SETTINGS = "settings"  # the installation's settings (read-only in the web)
    OWN_ACCOUNT = "own_account"  # change one's own password
    # Pay survey (lönekartläggning)
    PAY_SURVEYS = "paysurvey_surveys"  # list and open a survey (metadata)
    PAY_EDIT = "paysurvey_edit"  # create/change a survey, evaluation, actions
    PAY_EVALUATION = "paysurvey_evaluation"  # the model, the grid and job values
    PAY_COMPARISONS = "paysurvey_comparisons"  # aggregate comparison tables
    PAY_INDIVIDUALS = "paysurvey_individuals"  # person-level comparisons (small groups)
    PAY_STATISTICS = "paysurvey_statistics"  # regression and decomposition
    PAY_STRUCTURE = "paysurvey_structure"  # pay-structure pictures
    PAY_ACTIONS = "paysurvey_actions"  # flagged differences, explanations, adjustments
    PAY_TRANSPARENCY = "paysurvey_transparency"  # EU Article 9 report
    PAY_DOCUMENT = "paysurvey_document"  # the written documentation (HTML, Excel)
    # Workforce projection and the competence-supply plan
    PROJ_RESULTS = "projection_results"  # run a projection and see aggregates
    PROJ_SCENARIOS = "projection_scenarios"  # list, open and compare saved scenarios
    PROJ_EDIT = "projection_edit"  # save/delete scenarios, upload forecasts, plan activities
    PROJ_PLAN = "projection_plan"  # the competence-supply plan (page, HTML, Excel)
    # Key figures (nyckeltal)
    FIG_FIGURES = "figures_figures"  # key figures, sick-leave note, trend, dashboard (aggregates)
    FIG_EXPORT = "figures_export"  # exports of those tables (Excel, CSV, JSON, Kolada, HTML)
    FIG_INDIVIDUALS = "figures_individuals"  # rehab triggers, repeated short absence (persons)
    # Goal and activity follow-up (målstyrning och uppföljning)
    FOLLOWUP_PLANS = "followup_plans"  # plans, their tree, statuses, indicators, reports
    FOLLOWUP_EDIT = "followup_edit"  # create/change plans, nodes, indicators, budget, periods
    FOLLOWUP_UPDATE = "followup_update"  # enter a follow-up (managers: nodes their units own)
    # Pay transparency (Directive (EU) 2023/970)
    PT_WORKFLOWS = "paytransparency_workflows"  # requests, answer letters, ranges, criteria, edits
    PT_METHOD = "paytransparency_method"  # the method: criteria, pay definitions, categories
    PT_REPORT = "paytransparency_report"  # the Article 9 report and its export
    PT_ASSESSMENT = "paytransparency_assessment"  # joint pay assessments (read)
    # Regional level (hallbar.services.regional)
    REGIONAL_VIEW = "regional_view"  # figures across the members of a network (aggregates)
    REGIONAL_CONSENT = "regional_consent"  # grant and revoke an organisation's consent to share


_DATA_ROLES = frozenset({Role.HR, Role.MANAGER, Role.ANALYST, Role.REGIONAL})
_AGGREGATE_ROLES = frozenset({Role.HR, Role.ANALYST, Role.REGIONAL})
_HR_ONLY = frozenset({Role.HR})

# The role × resource matrix. Scope (which organisation, which units) is checked
# separately by the service layer; this table only says whether a role may ask at all.
PERMISSIONS: dict[Resource, frozenset[Role]] = {
    Resource.ORGANISATIONS: frozenset(Role),
    Resource.UNIT_TREE: frozenset({Role.HR, Role.MANAGER, Role.ANALYST, Role.REGIONAL}),
    Resource.UNIT_OVERVIEW: frozenset({Role.HR, Role.MANAGER, Role.ANALYST, Role.REGIONAL}),
    Resource.STAFF_LIST: frozenset({Role.HR, Role.MANAGER}),
    Resource.IMPORT: frozenset({Role.ADMIN, Role.HR}),
    Resource.IMPORT_HISTORY: frozenset({Role.ADMIN, Role.HR}),
    Resource.USERS: frozenset({Role.ADMIN}),
    Resource.AUDIT_LOG: frozenset({Role.ADMIN}),
    Resource.SHARING: frozenset({Role.ADMIN}),
    Resource.SETTINGS: frozenset({Role.ADMIN}),
    Resource.OWN_ACCOUNT: frozenset(Role),
    # Pay: individual pay only for HR (and, as points, a manager's own staff: see
    # services.paysurvey.access.point_units); administrators see no HR data.
    Resource.PAY_SURVEYS: _DATA_ROLES,
    Resource.PAY_EDIT: _HR_ONLY,
    Resource.PAY_EVALUATION: _AGGREGATE_ROLES,
    Resource.PAY_COMPARISONS: _AGGREGATE_ROLES,
    Resource.PAY_INDIVIDUALS: _HR_ONLY,
    Resource.PAY_STATISTICS: _AGGREGATE_ROLES,
    Resource.PAY_STRUCTURE: _DATA_ROLES,
    Resource.PAY_ACTIONS: _HR_ONLY,
    Resource.PAY_TRANSPARENCY: _AGGREGATE_ROLES,
    Resource.PAY_DOCUMENT: _HR_ONLY,
    # Projection: results are aggregates (a manager's cut to own subtree).
    Resource.PROJ_RESULTS: _DATA_ROLES,
    Resource.PROJ_SCENARIOS: _DATA_ROLES,
    Resource.PROJ_EDIT: _HR_ONLY,
    Resource.PROJ_PLAN: _DATA_ROLES,
    # Key figures: aggregates for every data role (a manager's cut to own subtree);
    # person-level lists for HR and, for own staff only, the manager (services.figures).
    Resource.FIG_FIGURES: _DATA_ROLES,
    Resource.FIG_EXPORT: _DATA_ROLES,
    Resource.FIG_INDIVIDUALS: frozenset({Role.HR, Role.MANAGER}),
    # Follow-up: everyone with data sees plans and reports (aggregates only, so also the
    # committee's read-only role); HR edits; managers follow up their own units' nodes.
    Resource.FOLLOWUP_PLANS: _DATA_ROLES | {Role.COMMITTEE},
    Resource.FOLLOWUP_EDIT: _HR_ONLY,
    Resource.FOLLOWUP_UPDATE: frozenset({Role.HR, Role.MANAGER}),
    # Pay transparency: HR runs the workflows (and alone sees a worker's answer letter);
    # representatives see the method, the report and the joint assessment (Art. 9(6), 10).
    Resource.PT_WORKFLOWS: _HR_ONLY,
    Resource.PT_METHOD: frozenset({Role.HR, Role.UNION}),
    Resource.PT_REPORT: frozenset({Role.HR, Role.UNION}),
    Resource.PT_ASSESSMENT: frozenset({Role.HR, Role.UNION}),
    Resource.REGIONAL_VIEW: frozenset({Role.HR, Role.ANALYST, Role.REGIONAL}),
    Resource.REGIONAL_CONSENT: frozenset({Role.ADMIN, Role.HR}),
}


def may(principal: Principal, resource: Resource) -> bool:
    """Whether the principal's role may use ``resource`` at all (scope is checked elsewhere)."""
    return principal.local_operator or principal.role in PERMISSIONS[resource]
