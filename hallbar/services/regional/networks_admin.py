"""Administrators define networks (own groups such as Familjen Helsingborg, the county
board's programme) and open them to regional analysts. Both are audit-logged."""

from __future__ import annotations

import re
import unicodedata

from hallbar.core.access import Principal, Resource, Role
from hallbar.regional.errors import RegionalInputError
from hallbar.regional.networks import (
    Network,
    county_board_programme,
    lookup,
    skanes_kommuner,
    user_network,
)
from hallbar.services import audit
from hallbar.services.access import require
from hallbar.services.admin import auth
from hallbar.services.audit import Action
from hallbar.services.context import Hallbar
from hallbar.store import regional


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "natverk"


def parse_codes(text: str) -> tuple[str, ...]:
    """Organisation codes separated by commas, spaces or new lines; each must be known."""
    codes = tuple(dict.fromkeys(c for c in re.split(r"[\s,;]+", text) if c))
    for code in codes:
        lookup(code)  # a Swedish error naming the unknown code
    return codes


def networks(hb: Hallbar, principal: Principal) -> list[Network]:
    require(principal, Resource.SHARING)
    return regional.networks(hb.store)


def ensure_standard_networks(hb: Hallbar, principal: Principal) -> None:
    """Skånes Kommuner with its 33 members, and the county board's programme (empty)."""
    require(principal, Resource.SHARING)
    known = {n.id for n in regional.networks(hb.store)}
    for network in (skanes_kommuner(), county_board_programme()):
        if network.id not in known:
            regional.save_network(hb.store, network, created_by=principal.username)
            audit.record(
                hb, principal.username, Action.NETWORK_CHANGED, target=network.id, detail="skapat"
            )


def create_network(
    hb: Hallbar, principal: Principal, *, name: str, members: str, client: str = ""
) -> Network:
    require(principal, Resource.SHARING)
    network = user_network(_slug(name), name, parse_codes(members))
    if regional.network(hb.store, network.id) is not None:
        raise RegionalInputError(
            f"Det finns redan ett nätverk som heter {name.strip()}. Välj ett annat namn."
        )
    for code in network.members:
        regional.save_organisation(hb.store, lookup(code))
    regional.save_network(hb.store, network, created_by=principal.username)
    audit.record(
        hb, principal.username, Action.NETWORK_CHANGED, target=network.id,
        detail=f"skapat: {', '.join(network.members)}", client=client,
    )  # fmt: skip
    return network


def open_to_viewer(
    hb: Hallbar,
    principal: Principal,
    *,
    username: str,
    network_id: str,
    own_code: str | None = None,
    client: str = "",
) -> None:
    """Let a regional analyst see a network (optionally as one of its members)."""
    require(principal, Resource.SHARING)
    user = next((u for u in auth.list_users(hb, principal) if u.username == username), None)
    if user is None or user.role is not Role.REGIONAL:
        raise RegionalInputError(
            f"Användaren {username} finns inte eller är inte regional analytiker. "
            "Välj en användare med rollen Regional analytiker."
        )
    network = regional.network(hb.store, network_id)
    if network is None:
        raise RegionalInputError("Nätverket finns inte. Välj ett nätverk i listan.")
    if own_code and own_code not in network.members:
        raise RegionalInputError(
            f"{own_code} är inte medlem i {network.name}. Välj en medlem eller ingen."
        )
    regional.add_viewer(hb.store, user.id, network_id, own_code or None)
    audit.record(
        hb, principal.username, Action.NETWORK_CHANGED, target=network_id,
        detail=f"öppnat för {username}", client=client,
    )  # fmt: skip
