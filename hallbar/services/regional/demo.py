"""The regional demo: several example municipalities of different sizes in Skånes Kommuner,
each with its consent to share key figures and projection results.

Each member is Exempelkommun generated with its own seed, size and municipality
code (deterministic), imported through the real import. The demo's regional user
is made a viewer of the network. One call does it all::

    create_regional_demo(hb)

and ``regional_demo_step`` plugs the same into ``services.imports.demo.demo_steps()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from hallbar import exampleorg
from hallbar.core.access import SYSTEM
from hallbar.regional.consent import DatasetKind
from hallbar.regional.networks import lookup, skanes_kommuner
from hallbar.services.admin import auth
from hallbar.services.context import Hallbar
from hallbar.services.imports.importing import import_export
from hallbar.services.regional.consents import grant_consent
from hallbar.store import regional

if TYPE_CHECKING:
    from hallbar.services.imports.demo import DemoRun

DEMO_AS_OF = date(2025, 12, 31)
# (municipality code, employees, seed): a small, two middle-sized and a larger member.
DEMO_MEMBERS: tuple[tuple[str, int, int], ...] = (
    ("1262", 150, 31),  # Lomma
    ("1286", 300, 32),  # Ystad
    ("1282", 450, 33),  # Landskrona
    ("1281", 700, 34),  # Lund
)
DEMO_VIEWER = "regional"


@dataclass
class RegionalDemo:
    network_id: str
    members: tuple[str, ...]
    notes: list[str] = field(default_factory=list)


def create_regional_demo(
    hb: Hallbar,
    *,
    members: tuple[tuple[str, int, int], ...] = DEMO_MEMBERS,
    as_of: date = DEMO_AS_OF,
    viewer: str = DEMO_VIEWER,
) -> RegionalDemo:
    """Import the example members, create Skånes Kommuner, give consents, open it to ``viewer``."""
    network = skanes_kommuner()
    regional.save_network(hb.store, network, created_by="demo")
    base = hb.settings.data_dir / "regional-demo"
    for code, size, seed in members:
        org = lookup(code)
        regional.save_organisation(hb.store, org)
        export = exampleorg.generate(
            size=size, seed=seed, as_of=as_of, org_id=code, org_name=f"{org.name} kommun"
        )
        folder = base / code
        exampleorg.write_csv_folder(export, folder)
        import_export(
            hb,
            folder=folder,
            org_id=code,
            org_name=export.org_name,
            as_of=as_of,
            principal=SYSTEM,
            # Generated demo data replaces an earlier demo's: no one to ask.
            confirm=True,
        )
        for dataset in (DatasetKind.KEY_FIGURES, DatasetKind.PAY_SURVEY, DatasetKind.PROJECTION):
            grant_consent(
                hb,
                SYSTEM,
                org_code=code,
                network_id=network.id,
                dataset=dataset,
                valid_from=date(as_of.year, 1, 1),
            )
    demo = RegionalDemo(network.id, tuple(code for code, _, _ in members))
    user = next((u for u in auth.list_users(hb, SYSTEM) if u.username == viewer), None)
    if user is not None:
        regional.add_viewer(hb.store, user.id, network.id)
        demo.notes.append(f"Användaren {viewer} ser nätverket {network.name} på /regional.")
    names = ", ".join(lookup(code).name for code in demo.members)
    demo.notes.insert(
        0, f"{network.name}: {len(demo.members)} exempelkommuner delar nyckeltal ({names})."
    )
    return demo


def regional_demo_step(run: DemoRun) -> None:
    """A ``DemoStep`` function: the regional network beside Exempelkommun."""
    demo = create_regional_demo(run.hb, as_of=run.as_of)
    run.notes.extend(demo.notes)
