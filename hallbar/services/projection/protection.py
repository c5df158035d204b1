"""The projection's observed start-year counts, decided by the disclosure models.

The start of a projection is the key figures' population (monthly-paid persons on
the snapshot date, one row each, in the main employment's unit and occupation:
``inputs.stock_at``), so its counts are answers a user can also obtain from the key
figures. They are decided as answers of models built once for the whole
organisation, never per table (docs/privacy.md, "The projection"):

* the staff in scope and the age × gender pyramid at the start: the key figures'
  model (``services.disclosure.key_figure_model``), cell for cell, in its age bands;
* the staff per occupation: one breakdown model over the unit tree × occupation
  (``services.disclosure.unit_breakdown_model``), linked to the key figures' model
  through the units' totals (``linked_breakdown_counts``).

Projected values are model outputs, but a projected value of a group is a function
of that group's persons: it is shown only where the group's start count is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hallbar.core.errors import InsufficientData
from hallbar.privacy.model import DisclosureModel
from hallbar.services import disclosure
from hallbar.services.figures.request import default_year
from hallbar.services.projection.inputs import OrgInputs
from hallbar.services.scope import Scope

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

OCCUPATION = "occupation"
HIDDEN_SCOPE_SV = (
    "Antalet månadsavlönade i urvalet visas inte (skydd av små grupper, som i nyckeltalen), "
    "så ingen framskrivning visas. Välj en större enhet."
)


@dataclass(frozen=True)
class StartCells:
    """The start-year counts of one projection scope as the models release them."""

    key_model: DisclosureModel
    occupations: DisclosureModel
    unit_id: str | None  # the answer's unit (None: the organisation)
    age_year: int  # the year the key figures' ages are attained in (their default year)

    @property
    def staff(self) -> int | None:
        return self.key_model.count(self.unit_id)

    def occupation_counts(self) -> dict[str, int | None]:
        """Staff per occupation code: the count, or None where it is hidden."""
        return disclosure.linked_breakdown_counts(
            self.occupations, self.key_model, self.unit_id, OCCUPATION
        )

    def age_gender(self, band: str | None, gender: str | None) -> int | None:
        """The key figures' answer for the unit's age band × gender (None: all)."""
        return self.key_model.count(self.unit_id, {"gender": gender, "age_band": band})


def start_cells(hb: Hallbar, scope: Scope, inputs: OrgInputs, occupation_key: str) -> StartCells:
    """The models for ``scope`` (built once per snapshot for the whole organisation);
    raises ``InsufficientData`` when the scope is no shown answer of the key figures."""
    full = scope.full
    parents = disclosure.unit_parents(full)
    year = default_year(full.as_of)
    key_model = disclosure.key_figure_model(
        hb, scope.org_id, scope.import_id, full, full.as_of, year
    )
    occupations = disclosure.unit_breakdown_model(
        hb,
        ("projection", scope.org_id, scope.import_id, full.as_of, occupation_key),
        inputs.stock,
        parents,
        OCCUPATION,
        hb.settings.min_group_size,
    )
    in_cube, unit = disclosure.answer_unit(scope.unit_id, scope.visible, parents, scope.whole)
    if not in_cube:
        raise InsufficientData(disclosure.SEVERAL_ROOTS_SV)
    cells = StartCells(key_model, occupations, unit, year)
    if cells.staff is None:
        raise InsufficientData(HIDDEN_SCOPE_SV)
    return cells
