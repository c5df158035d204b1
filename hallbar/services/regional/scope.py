"""Which networks a user sees, and as which organisation.

A regional analyst sees the networks an administrator has opened to them
(``regional_viewers``). HR and analysts of a member organisation see the networks
their organisation belongs to, with their own organisation highlighted. A network
outside the scope looks like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from hallbar.core.access import SYSTEM, Principal, Resource, Role
from hallbar.core.dataset import HRData
from hallbar.core.errors import NotFound
from hallbar.regional.networks import Network, known_organisations
from hallbar.regional.organisations import Organisation, OrgKind
from hallbar.services.access import require
from hallbar.services.context import Hallbar
from hallbar.services.scope import load
from hallbar.store import regional

NETWORK_NOT_FOUND = (
    "Nätverket finns inte eller så saknar du behörighet. Välj ett nätverk på sidan Regionalt."
)


@dataclass(frozen=True)
class NetworkScope:
    network: Network
    own_code: str | None
    members: tuple[Organisation, ...]

    @property
    def member_pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((m.code, m.name) for m in self.members)


def organisation_names(hb: Hallbar) -> dict[str, Organisation]:
    """Known organisations: Skåne's built-in list, overridden by the registry's own rows."""
    return known_organisations() | regional.organisations(hb.store)


def visible_networks(hb: Hallbar, principal: Principal) -> list[NetworkScope]:
    require(principal, Resource.REGIONAL_VIEW)
    names = organisation_names(hb)
    viewer = regional.viewer_networks(hb.store, principal.user_id)
    out = []
    for net in regional.networks(hb.store):
        own: str | None
        if principal.role is Role.REGIONAL or principal.local_operator:
            if net.id not in viewer and not principal.local_operator:
                continue
            own = viewer.get(net.id)
        else:
            mine = sorted(set(net.members) & principal.org_ids)
            if not mine:
                continue
            own = mine[0]
        # A member missing from the registry is shown by its code.
        members = tuple(
            names.get(code, Organisation(code, code, OrgKind.MUNICIPALITY)) for code in net.members
        )
        out.append(NetworkScope(net, own, members))
    return out


def open_network(hb: Hallbar, principal: Principal, network_id: str) -> NetworkScope:
    for scope in visible_networks(hb, principal):
        if scope.network.id == network_id:
            return scope
    raise NotFound(NETWORK_NOT_FOUND)


def member_data(hb: Hallbar, code: str) -> HRData:
    """A member's data for a network aggregate, through the one opener (``scope.load``).

    The viewer has no role in the member's organisation: the member's consent
    (checked by the caller) admits it, so the system principal opens it. The
    member's own disclosure model protects each cell before it is pooled.
    """
    return load(hb, SYSTEM, code, Resource.REGIONAL_VIEW)
