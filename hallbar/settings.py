"""All settings, declared once.

Read from environment variables prefixed ``HALLBAR_`` (e.g. ``HALLBAR_DATABASE_URL``)
or passed explicitly to ``Settings(...)``. Nothing reads the environment at
import time: the composition roots (``create_app(settings)``, the CLI) build a
``Settings`` and hand it down.
"""

from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hallbar.indicators.params import SKR_NOTE_MIN_GROUP


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HALLBAR_", extra="forbid")

    # --- storage -------------------------------------------------------------
    data_dir: Path = Field(Path("data"), description="Katalog för databas, nyckel och utdata")
    database_url: str | None = Field(
        None, description="SQLAlchemy-URL; tom = SQLite-fil i data_dir (ingen server behövs)"
    )
    pseudonym_key_file: Path | None = Field(
        None,
        description="Fil med den hemliga nyckeln för pseudonymer (HMAC). Förvaras utanför databasen; "
        "tom = data_dir/pseudonymnyckel.key, skapas vid första import.",
    )
    snapshot_dir: Path | None = Field(
        None,
        description="Katalog för ögonblicksbilder (Parquet); tom = snapshots bredvid "
        "SQLite-databasen, annars data_dir/snapshots",
    )

    # --- import --------------------------------------------------------------
    max_file_bytes: int = Field(200 * 1024 * 1024, description="Största tillåtna importfil i byte")
    # The import reads in batches, so its files may be far larger than other uploads: a
    # national working-time file (1,3 million employees, three years) is about 2 GB.
    import_max_file_bytes: int = Field(
        4 * 1024**3, description="Största tillåtna fil i en import från HR-/lönesystemet, i byte"
    )
    import_batch_rows: int = Field(
        1_000_000,
        description="Rader som läses, kontrolleras och skrivs åt gången vid import; "
        "styr importens minnesbehov",
    )
    # Plausibility rules of the import (hallbar.ingest.PlausibilityLimits; docs/data-format.md).
    plausibility_max_age: int = Field(
        100, description="Ålder på uttagsdagen över denna ger en varning vid import"
    )
    plausibility_max_age_error: int = Field(
        120, description="Ålder på uttagsdagen över denna ger ett fel vid import"
    )
    total_rate_warning: float = Field(
        100.0, description="En persons sammanlagda sysselsättningsgrad (%) över denna: varning"
    )
    total_rate_error: float = Field(
        150.0, description="En persons sammanlagda sysselsättningsgrad (%) över denna: fel"
    )
    pay_band_low: float = Field(
        10_000.0, description="Månadslön (heltid, kr) under denna ger en varning vid import"
    )
    pay_band_high: float = Field(
        250_000.0, description="Månadslön (heltid, kr) över denna ger en varning vid import"
    )
    # When an import must be confirmed before it replaces the active one (docs/data-format.md).
    import_confirm_drop_pct: float = Field(
        20.0,
        description="Import som minskar personer, enheter eller anställningar med mer än så "
        "många procent jämfört med den aktiva importen måste bekräftas",
    )
    import_confirm_units_kept_pct: float = Field(
        50.0,
        description="Import där färre än så många procent av den aktiva importens enhets-id "
        "finns kvar måste bekräftas",
    )
    # Limits checked before an Excel file is parsed (hallbar.ingest.XlsxLimits).
    xlsx_max_unpacked_bytes: int = Field(
        512 * 1024**2, description="Excel-filens delar tillsammans, uppackade, högst (byte)"
    )
    xlsx_max_shared_strings: int = Field(
        2_000_000, description="Högsta antal olika texter i en Excel-fil"
    )
    xlsx_max_shared_strings_bytes: int = Field(
        256 * 1024**2, description="Excel-filens textdel (sharedStrings.xml) uppackad, högst (byte)"
    )

    # --- privacy -------------------------------------------------------------
    min_group_size: int = Field(5, description="Minsta gruppstorlek för att visa ett aggregat")
    sick_leave_min_group: int = Field(
        SKR_NOTE_MIN_GROUP,
        description="Sjukfrånvaro i årsredovisningen visas bara för grupper med fler än tio",
    )

    # --- key figures (local rules, domain-rules.md §3) ------------------------
    repeated_short_absence_spells: int = Field(
        6, description="Upprepad korttidsfrånvaro: antal tillfällen"
    )
    repeated_short_absence_months: int = Field(12, description="… inom så många månader")
    frisknarvaro_max_days: int = Field(
        5, description="Frisknärvaro: högst så många sjukdagar per år"
    )
    unit_sick_leave_flag: float = Field(
        10.0, description="Enheter över denna sjukfrånvaro (%) markeras"
    )
    gender_dominance_threshold: float = Field(
        0.60, description="Kvinno-/mansdominerat yrke: minst denna andel av ett kön"
    )

    # --- pay survey ----------------------------------------------------------
    pay_min_gender_group: int = Field(
        5, description="Färre kvinnor eller män än så ger ingen statistisk prövning"
    )
    pay_gap_threshold: float = Field(
        0.05, description="EU-direktivet art. 10: gemensam lönebedömning"
    )

    # --- projection and cost -------------------------------------------------
    payroll_overhead: float = Field(
        0.4015,
        description="Personalomkostnadspålägg (andel av lön); sätt enligt SKR:s cirkulär för året",
    )
    target_pension_age: int = Field(67, description="Riktålder för pension")
    las_age: int = Field(69, description="LAS-ålder: anställningen kan upphöra vid denna ålder")

    # --- web -----------------------------------------------------------------
    secret_key: str | None = Field(
        None, description="Hemlighet för sessionskakor; tom = slumpas och sparas i data_dir"
    )
    secure_cookies: bool = Field(
        False, description="Sätt Secure på kakor och skicka HSTS (kräver HTTPS)"
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Adresser (eller nät, t.ex. 10.0.0.0/8) till egna proxyservrar vars "
        "X-Forwarded-For litas på; tom = rubriken används aldrig",
    )
    session_max_age_s: int = Field(8 * 3600, description="Sessionens livslängd i sekunder")
    login_max_failures: int = Field(5, description="Misslyckade inloggningar innan spärr")
    login_lockout_s: int = Field(
        300, description="Spärrtid efter för många misslyckade inloggningar"
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            try:
                ip_network(address.strip(), strict=False)
            except ValueError as err:
                raise ValueError(
                    f"{address!r} är ingen IP-adress eller inget nät (t.ex. 10.0.0.5 eller 10.0.0.0/8)"
                ) from err
        return value

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'hallbar.db').resolve()}"

    def resolved_key_file(self) -> Path:
        return self.pseudonym_key_file or self.data_dir / "pseudonymnyckel.key"
