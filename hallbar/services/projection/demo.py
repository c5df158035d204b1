"""The demo's projection content: a saved scenario and activities in the competence-supply
plan, made through the same service functions as the web pages (``scenarios.save_scenario``,
``plan.add_activity``), so a newcomer finds the scenario list and the plan filled in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hallbar.services.projection import plan, scenarios
from hallbar.services.projection.inputs import occupation_labels
from hallbar.services.projection.params import parse_form

if TYPE_CHECKING:
    from hallbar.services.imports.demo import DemoRun

SCENARIO_NAME = "Åtgärdspaket: senare pension och heltid"
SCENARIO_DESCRIPTION = (
    "Exempel: ett år senare pension, en tiondel lägre personalomsättning, hälften av "
    "deltidarna går upp till heltid och 0,5 % produktivitet per år."
)
# The page's own fields, as a user would set them (see services.projection.params).
SCENARIO_FIELDS = {
    "pension_senare": "1",
    "omsattning_minskning": "10",
    "deltid_mal": "100",
    "deltid_andel": "50",
    "produktivitet": "0,5",
    "heltid_nya": "1",
}
# (SSYK code or None for all occupations, activity, responsible, timeframe)
ACTIVITIES: tuple[tuple[str | None, str, str, str], ...] = (
    (
        None,
        "Heltid som norm: erbjud alla deltidsanställda att gå upp i tid vid varje schemaperiod.",
        "HR-chef",
        "2026–2027",
    ),
    (
        "5321",
        "Utbilda 20 vårdbiträden till undersköterskor med lön under studietiden.",
        "Förvaltningschef vård och omsorg",
        "2026–2028",
    ),
    (
        "2341",
        "Samarbete med lärarutbildningen om verksamhetsförlagd utbildning och "
        "kombinationstjänster.",
        "Skolchef",
        "Från hösten 2026",
    ),
    (
        "2661",
        "Introduktionsprogram och mentor för nya socialsekreterare för att minska "
        "personalomsättningen första året.",
        "Socialchef",
        "2026",
    ),
)


def projection_demo_step(run: DemoRun) -> None:
    """A ``DemoStep``: one saved scenario and a few plan activities for Exempelkommun."""
    request = parse_form({k: [v] for k, v in SCENARIO_FIELDS.items()}, run.hb.settings)
    scenarios.save_scenario(
        run.hb, run.principal, run.org_id, SCENARIO_NAME, SCENARIO_DESCRIPTION, request
    )
    labels = occupation_labels(run.hb.dataset(run.org_id), request.occupation_key)
    added = 0
    for code, text, responsible, timeframe in ACTIVITIES:
        if code is not None and code not in labels:
            continue  # a small demo organisation may lack the occupation
        plan.add_activity(
            run.hb,
            run.principal,
            run.org_id,
            occupation=plan.GENERAL if code is None else labels[code],
            text=text,
            responsible=responsible,
            timeframe=timeframe,
        )
        added += 1
    run.notes.append(
        f"Personalframskrivning: scenariot ”{SCENARIO_NAME}” sparades och {added} aktiviteter "
        "lades in i kompetensförsörjningsplanen."
    )
