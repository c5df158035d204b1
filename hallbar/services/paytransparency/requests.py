"""Article 7 requests for information: register → draft → answer, reprint, and the yearly notice.

Only HR may see a request or its letter: the letter holds the worker's own pay,
and the list shows who asked. Every draft, answer and print is audit-logged.
The answer is stored as a JSON snapshot when drafted, so a reprint shows what
was sent, whatever has been imported since.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from hallbar.core.access import Principal, Resource
from hallbar.core.dataset import HRData
from hallbar.core.errors import NotFound
from hallbar.paytransparency import answer_request, clock, information_due
from hallbar.paytransparency.deadlines import Clock
from hallbar.paytransparency.errors import InvalidInput
from hallbar.privacy.pseudonym import InvalidPersonnummer, normalise_personnummer, pseudonymise
from hallbar.services import scope
from hallbar.services.access import require_org
from hallbar.services.paytransparency.common import (
    Actions,
    checked,
    now,
    org_name,
    parse_date,
    pay_basis,
    record,
    required,
    today,
)
from hallbar.store import paytransparency

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

REQUEST_NOT_FOUND = "Begäran finns inte eller så saknar du behörighet. Välj en begäran i listan."
STATUS_SV = {"registrerad": "Registrerad", "utkast": "Utkast klart", "besvarad": "Besvarad"}


@dataclass(frozen=True)
class RequestView:
    id: int
    org_id: str
    person_id: str
    job: str
    requested_by: str
    received_on: date
    due_on: date
    status: str
    clock: Clock
    answered_on: date | None
    answered_by: str | None
    answer: dict[str, Any] | None  # the drafted or sent answer (HR only)

    @property
    def status_sv(self) -> str:
        return STATUS_SV.get(self.status, self.status)


def _view(row: paytransparency.RequestRow, on: date) -> RequestView:
    return RequestView(
        row.id,
        row.org_id,
        row.person_id,
        row.job,
        row.requested_by,
        row.received_on,
        row.due_on,
        row.status,
        clock(row.due_on, on, row.answered_on),
        row.answered_on,
        row.answered_by,
        json.loads(row.answer_json) if row.answer_json else None,
    )


def _row(hb: Hallbar, org_id: str, request_id: int) -> paytransparency.RequestRow:
    row = paytransparency.get_request(hb.store.engine, org_id, request_id)
    if row is None:
        raise NotFound(REQUEST_NOT_FOUND)
    return row


def person_key(hb: Hallbar, text: str) -> str:
    """The stored person id: a personnummer is pseudonymised with the installation's key;
    anything else is taken as the pseudonymous id shown in Hållbar's staff lists."""
    value = required(text, "arbetstagarens personnummer eller id", "19800101-1234")
    if any(c.isalpha() for c in value):
        return value
    try:
        return pseudonymise(normalise_personnummer(value), hb.pseudonym_key())
    except InvalidPersonnummer as err:
        raise InvalidInput(
            f"'{value}' är inget giltigt personnummer ({err}). Skriv personnumret som "
            "ÅÅÅÅMMDD-NNNN eller ange id:t från personallistan."
        ) from err


def answer_date(data: HRData, received_on: date) -> date:
    """The pay date of an answer: the day the request came in, or the latest import when the
    request came in after it (the answer then states the date its figures are from)."""
    return min(received_on, data.as_of)


def list_requests(
    hb: Hallbar, principal: Principal, org_id: str, on: date | None = None
) -> list[RequestView]:
    require_org(principal, org_id, Resource.PT_WORKFLOWS)
    day = on or today()
    return [_view(r, day) for r in paytransparency.list_requests(hb.store.engine, org_id)]


def get_request(hb: Hallbar, principal: Principal, org_id: str, request_id: int) -> RequestView:
    require_org(principal, org_id, Resource.PT_WORKFLOWS)
    view = _view(_row(hb, org_id, request_id), today())
    record(hb, principal, Actions.VIEW, org_id, f"begäran/{request_id}", "ärendet visat")
    return view


def register(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    *,
    person: str,
    received_on: str,
    requested_by: str,
    job: str = "",
) -> RequestView:
    """Register a request; the category defaults to the worker's job on the day it came in."""
    data = scope.load(hb, principal, org_id, Resource.PT_WORKFLOWS)
    person_id = person_key(hb, person)
    day = parse_date(received_on, "Datum då begäran kom in")
    if day > today():
        raise InvalidInput("Datum då begäran kom in ligger i framtiden. Ange det verkliga datumet.")
    who = required(requested_by, "vem som begär informationen", "arbetstagaren själv")
    category = job.strip()
    if not category:
        basis = pay_basis(hb, data, org_id, answer_date(data, day))
        own = basis.raw.filter(pl.col("person_id") == person_id)
        if own.height == 0 or own["job"][0] is None:
            raise InvalidInput(
                f"Arbetstagaren finns inte bland de månadsavlönade den {day.isoformat()}. Kontrollera "
                "personnumret och datumet, eller ange vilken befattning begäran gäller."
            )
        category = str(own["job"][0])
    row = paytransparency.add_request(
        hb.store.engine,
        org_id=org_id,
        person_id=person_id,
        job=category,
        requested_by=who,
        received_on=day,
        due_on=information_due(day),
        created_by=principal.username,
        at=now(),
    )
    record(hb, principal, Actions.CHANGE, org_id, f"begäran/{row.id}", "begäran registrerad")
    return _view(row, today())


def draft(hb: Hallbar, principal: Principal, org_id: str, request_id: int) -> RequestView:
    """Compute the answer on the day the request came in and store it as the draft.

    Raises the pure package's Swedish errors (no pay on the date, a category too
    small even when widened, a job without job evaluation) and stores nothing then.
    """
    data = scope.load(hb, principal, org_id, Resource.PT_WORKFLOWS)
    row = _row(hb, org_id, request_id)
    if row.status == "besvarad":
        raise InvalidInput(
            "Begäran är redan besvarad; svaret kan skrivas ut igen men inte ändras. Registrera en "
            "ny begäran om arbetstagaren vill ha nya uppgifter."
        )
    basis = pay_basis(hb, data, org_id, answer_date(data, row.received_on))
    frame = checked(basis, include_supplements=True)
    answer = answer_request(
        frame,
        row.person_id,
        basis.at,
        job=row.job,
        job_values=basis.job_values,
        min_per_sex=hb.settings.pay_min_gender_group,
    )
    snapshot = {
        "org_name": basis.org_name,
        "requested_by": row.requested_by,
        "received_on": row.received_on.isoformat(),
        "due_on": row.due_on.isoformat(),
        **{k: v for k, v in asdict(answer).items() if k != "at"},
        "at": answer.at.isoformat(),
    }
    try:
        saved = paytransparency.save_draft(
            hb.store.engine, org_id, request_id, json.dumps(snapshot, ensure_ascii=False), now()
        )
    except paytransparency.Conflict as err:
        raise InvalidInput(err.message) from err
    record(hb, principal, Actions.ANSWER, org_id, f"begäran/{request_id}", "svarsutkast skapat")
    return _view(saved, today())


def answer(
    hb: Hallbar, principal: Principal, org_id: str, request_id: int, answered_on: str
) -> RequestView:
    """Mark the drafted answer as sent to the worker on ``answered_on``."""
    require_org(principal, org_id, Resource.PT_WORKFLOWS)
    day = parse_date(answered_on, "Svarsdatum")
    row = _row(hb, org_id, request_id)
    if day < row.received_on:
        raise InvalidInput("Svarsdatum kan inte vara före den dag begäran kom in. Rätta datumet.")
    try:
        saved = paytransparency.mark_answered(
            hb.store.engine, org_id, request_id, day, principal.username, now()
        )
    except paytransparency.Conflict as err:
        raise InvalidInput(err.message) from err
    record(hb, principal, Actions.ANSWER, org_id, f"begäran/{request_id}", "svar skickat")
    return _view(saved, today())


def letter(hb: Hallbar, principal: Principal, org_id: str, request_id: int) -> dict[str, Any]:
    """The stored answer for printing (HR only; every print is logged)."""
    require_org(principal, org_id, Resource.PT_WORKFLOWS)
    row = _row(hb, org_id, request_id)
    if row.answer_json is None:
        raise InvalidInput("Det finns inget svar att skriva ut. Skapa utkastet först.")
    record(hb, principal, Actions.ANSWER, org_id, f"begäran/{request_id}", "svarsbrev utskrivet")
    out: dict[str, Any] = json.loads(row.answer_json)
    out["answered_on"] = row.answered_on.isoformat() if row.answered_on else None
    out["request_id"] = row.id
    return out


def yearly_notice(hb: Hallbar, principal: Principal, org_id: str, year: int) -> str:
    """The yearly notice to all workers about the right to information (Art. 7(3))."""
    data = scope.load(hb, principal, org_id, Resource.PT_WORKFLOWS)
    return notice_text(org_name(data, org_id), year)


def notice_text(employer: str, year: int) -> str:
    return (
        f"Information till alla anställda i {employer} om rätten till löneinformation {year}\n\n"
        "Du har rätt att skriftligen begära information om din egen lön och om den "
        "genomsnittliga lönen, uppdelad på kvinnor och män, för de anställda som utför samma "
        "arbete som du eller ett arbete av lika värde. Du kan också be din fackliga företrädare "
        "att begära informationen åt dig.\n\n"
        "Lämna din begäran till HR. Vi svarar skriftligen så snart som möjligt och senast inom två "
        "månader från den dag begäran kom in. Svaret visar vad som ingår i lönen och hur "
        "jämförelsegruppen har bestämts. Om gruppen är så liten att enskildas löner skulle kunna "
        "röjas redovisar vi en bredare grupp med arbete av lika värde enligt vår arbetsvärdering.\n\n"
        "Du får alltid berätta om din egen lön för andra. Kriterierna för lönesättning och "
        "löneutveckling finns hos HR och på intranätet.\n\n"
        "Källa: Europaparlamentets och rådets direktiv (EU) 2023/970, artikel 7, och "
        "diskrimineringslagen i den lydelse som genomför direktivet."
    )
