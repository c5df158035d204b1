"""Tables of the regional level: the organisation registry, networks and their members,
who views which network, the consent ledger and Kolada values kept with their
download date. Grants are never deleted: a revocation is a date on the grant.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hallbar.store.base import Base


class RegionalOrganisation(Base):
    __tablename__ = "regional_organisations"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    org_number: Mapped[str] = mapped_column(String(20), nullable=False, default="")


class RegionalNetwork(Base):
    __tablename__ = "regional_networks"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class RegionalNetworkMember(Base):
    __tablename__ = "regional_network_members"

    network_id: Mapped[str] = mapped_column(
        ForeignKey("regional_networks.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(50), primary_key=True)


class RegionalViewer(Base):
    """A user who may open a network's regional pages; ``own_code`` is highlighted."""

    __tablename__ = "regional_viewers"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[str] = mapped_column(
        ForeignKey("regional_networks.id", ondelete="CASCADE"), primary_key=True
    )
    own_code: Mapped[str | None] = mapped_column(String(50))


class RegionalConsent(Base):
    __tablename__ = "regional_consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_code: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    recipient_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    recipient: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    dataset: Mapped[str] = mapped_column(String(30), nullable=False)
    valid_from: Mapped[date] = mapped_column(Date, nullable=False)
    valid_to: Mapped[date | None] = mapped_column(Date)
    granted_by: Mapped[str] = mapped_column(String(100), nullable=False)
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_by: Mapped[str] = mapped_column(String(100), nullable=False, default="")


class KoladaDownloadRow(Base):
    """Kolada values as downloaded (API or file), never sent anywhere."""

    __tablename__ = "kolada_downloads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kpi: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    period: Mapped[int] = mapped_column(Integer, nullable=False)
    source: Mapped[str] = mapped_column(String(300), nullable=False)  # file name or "API"
    downloaded_on: Mapped[date] = mapped_column(Date, nullable=False)
    stored_by: Mapped[str] = mapped_column(String(100), nullable=False)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    values_json: Mapped[str] = mapped_column(Text, nullable=False)
    # Municipality groups in the download: [[id, title, [member ids]], …]
    groups_json: Mapped[str] = mapped_column(Text, nullable=False, default="[]")


class RegionalMemberCache(Base):
    """A member's regional results per snapshot (an import never changes, so neither do
    they): its figures, counts and occupations as JSON, computed once per import and
    read by every later regional view, in any process."""

    __tablename__ = "regional_member_cache"

    org_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    import_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
