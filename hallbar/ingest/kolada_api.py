"""Kolada: the API client (v3) and the import of files saved from kolada.se.

Kolada (RKA) publishes key figures per municipality, region and year. API v3
(https://api.kolada.se/v3, documented at /v3/docs; v2 was retired in 2025) answers
data queries as path segments::

    /data/kpi/{kpi,…}/municipality/{id,…}/year/{year,…}

with ``{"count": n, "values": [{"kpi", "municipality", "period", "values":
[{"gender": "T"|"K"|"M", "count", "status", "value", "isdeleted"}]}],
"next_page": url|null}``; long answers continue at ``next_page`` (older answers
call it ``next_url``; both are followed). Municipality groups come from
``/municipality_groups?title=…`` as ``{"id", "title", "members": [{"member_id",
"member_title"}]}``; a group's data (its members' unweighted mean) is asked for
with the group id in place of a municipality id.

All I/O goes through one narrow interface, ``Transport`` (a URL in, status and body
out), so tests run on recorded answers and nothing is ever sent anywhere except the
GET requests a user asks for. Values are returned in the long frame of
``hallbar.regional.kolada_compare.KOLADA_FRAME``.
"""

from __future__ import annotations

import io
import json
import re
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl

from hallbar.core.errors import HallbarError, InputError
from hallbar.regional.kolada_compare import KOLADA_FRAME

BASE_URL = "https://api.kolada.se/v3"
MAX_IDS_PER_REQUEST = 25  # the API refuses longer id lists in one path segment
MAX_PAGES = 200  # a guard against a server that never stops paging
GENDERS = ("T", "K", "M")
COUNTRY_ID = "0000"  # Kolada's id for the whole country (riket)

Transport = Callable[[str], tuple[int, bytes]]


class KoladaError(HallbarError):
    """Kolada could not be reached, or answered something else than documented."""


class KoladaFileError(KoladaError, InputError):
    """A Kolada file the user imported cannot be used (another KPI or year, a bad row)."""


def urllib_transport(url: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """The default transport: one GET with the standard library (no extra dependency)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), response.read()
    except OSError as err:
        raise KoladaError(
            f"Kolada kunde inte nås ({err}). Försök igen senare, eller spara data från "
            "kolada.se som JSON eller Excel och importera filen."
        ) from err


@dataclass(frozen=True)
class MunicipalityGroup:
    id: str
    title: str
    members: tuple[str, ...]


def _segment(ids: Iterable[str | int]) -> str:
    return ",".join(urllib.parse.quote(str(i), safe="") for i in ids)


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class KoladaClient:
    def __init__(self, transport: Transport = urllib_transport, base_url: str = BASE_URL) -> None:
        self._transport = transport
        self._base = base_url.rstrip("/")

    def _get(self, url: str) -> dict[str, Any]:
        status, body = self._transport(url)
        if status != 200:
            raise KoladaError(
                f"Kolada svarade med status {status} på {url}. Kontrollera nyckeltal, "
                "kommunkoder och år, eller försök igen senare."
            )
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise KoladaError(f"Koladas svar på {url} är inte JSON ({err}).") from err
        if not isinstance(parsed, dict) or not isinstance(parsed.get("values"), list):
            raise KoladaError(f"Koladas svar på {url} saknar listan 'values'.")
        return parsed

    def _pages(self, url: str) -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        next_url: str | None = url
        while next_url:
            if next_url in seen or len(seen) >= MAX_PAGES:
                raise KoladaError(f"Koladas sidor tar inte slut efter {len(seen)} sidor.")
            seen.add(next_url)
            page = self._get(next_url)
            yield page
            next_url = page.get("next_page") or page.get("next_url") or None

    def data(
        self, kpis: Sequence[str], municipalities: Sequence[str], years: Sequence[int]
    ) -> pl.DataFrame:
        """Values per KPI, municipality (or group) and year, every gender cut Kolada has."""
        frames = []
        for kpi_chunk in _chunks(list(kpis), MAX_IDS_PER_REQUEST):
            for muni_chunk in _chunks(list(municipalities), MAX_IDS_PER_REQUEST):
                url = (
                    f"{self._base}/data/kpi/{_segment(kpi_chunk)}/municipality/"
                    f"{_segment(muni_chunk)}/year/{_segment(years)}"
                )
                for page in self._pages(url):
                    frames.append(data_frame(page, source=url))
        return pl.concat(frames) if frames else pl.DataFrame(schema=KOLADA_FRAME)

    def municipality_groups(self, title: str | None = None) -> list[MunicipalityGroup]:
        url = f"{self._base}/municipality_groups"
        if title:
            url += "?" + urllib.parse.urlencode({"title": title})
        return [group for page in self._pages(url) for group in groups_of(page)]


def groups_of(page: dict[str, Any]) -> list[MunicipalityGroup]:
    out = []
    for entry in page["values"]:
        members = tuple(
            str(m.get("member_id", m.get("id", ""))) for m in entry.get("members") or ()
        )
        out.append(MunicipalityGroup(str(entry["id"]), str(entry["title"]), members))
    return out


def data_frame(page: dict[str, Any], *, source: str) -> pl.DataFrame:
    """One answer (or a saved JSON file) of the data endpoint as the long frame."""
    rows = []
    for entry in page["values"]:
        try:
            kpi, muni, period = str(entry["kpi"]), str(entry["municipality"]), int(entry["period"])
            cuts = entry["values"]
        except (KeyError, TypeError, ValueError) as err:
            raise KoladaError(
                f"{source}: en post saknar kpi, municipality, period eller values ({err})."
            ) from err
        for cut in cuts:
            if cut.get("isdeleted"):
                continue  # Kolada marks withdrawn values; they are not published values
            value = cut.get("value")
            rows.append(
                (
                    kpi,
                    muni,
                    period,
                    str(cut.get("gender", "T")),
                    None if value is None else float(value),
                    str(cut.get("status") or ""),
                )
            )
    return pl.DataFrame(rows, schema=KOLADA_FRAME, orient="row")


# --- files saved from kolada.se -------------------------------------------------------


@dataclass(frozen=True)
class KoladaDownload:
    """Kolada values from a file, with the day they were downloaded (kept with the data)."""

    frame: pl.DataFrame
    filename: str
    downloaded_on: date


# Column names accepted in an Excel sheet (Kolada's API names and Swedish headers).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "kpi": ("kpi", "nyckeltal", "nyckeltals-id", "nyckeltalsid", "id"),
    "municipality": ("municipality", "kommun-id", "kommunid", "kommunkod", "kod"),
    "period": ("period", "år", "ar", "year"),
    "gender": ("gender", "kön", "kon"),
    "value": ("value", "värde", "varde"),
}


def read_kolada_file(
    content: bytes,
    filename: str,
    *,
    kpi: str,
    period: int,
    known_codes: Iterable[str],
    downloaded_on: date,
) -> KoladaDownload:
    """Read a JSON (the API's answer saved as a file) or an Excel file from kolada.se.

    The file must hold ``kpi`` for ``period``; every municipality id must be a known
    code (a municipality, a region written with leading zeros, the country "0000" or a
    group id "G…").
    Errors name the file, the row and the column.
    """
    suffix = Path(filename).suffix.lower()
    if suffix == ".json":
        try:
            page = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise KoladaFileError(f"Filen {filename} är inte JSON: {err}.") from err
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            raise KoladaFileError(
                f"Filen {filename} saknar listan 'values'. Spara svaret från Koladas API "
                "eller nedladdningen från kolada.se som JSON utan ändringar."
            )
        frame = data_frame(page, source=filename)
        located = [(f"post {i + 1}", row) for i, row in enumerate(frame.iter_rows(named=True))]
    elif suffix in (".xlsx", ".xlsm"):
        frame, located = _read_excel(content, filename)
    else:
        raise KoladaFileError(
            f"Filen {filename} är varken JSON eller Excel (.xlsx). Spara data från kolada.se "
            "i ett av de formaten."
        )
    _check(filename, located, kpi=kpi, period=period, known=set(known_codes))
    return KoladaDownload(frame, filename, downloaded_on)


def _read_excel(
    content: bytes, filename: str
) -> tuple[pl.DataFrame, list[tuple[str, dict[str, Any]]]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise KoladaFileError(f"Filen {filename} kunde inte läsas som Excel: {err}.") from err
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    header_at = next((i for i, r in enumerate(rows) if _header_map(r) is not None), None)
    if header_at is None:
        raise KoladaFileError(
            f"Filen {filename} har ingen rubrikrad med kolumnerna nyckeltal, kommun-id, år, "
            "kön och värde. Ladda ned data från kolada.se i långt format."
        )
    mapping = _header_map(rows[header_at]) or {}
    located = []
    out = []
    for offset, raw in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if raw is None or all(v is None or str(v).strip() == "" for v in raw):
            continue
        record = {name: raw[col] if col < len(raw) else None for name, col in mapping.items()}
        try:
            row = {
                "kpi": str(record["kpi"]).strip(),
                "municipality": _code_text(record["municipality"]),
                "period": int(str(record["period"]).strip()),
                "gender": str(record.get("gender") or "T").strip().upper(),
                "value": None if record["value"] in (None, "") else float(record["value"]),
                "status": "",
            }
        except (TypeError, ValueError) as err:
            raise KoladaFileError(
                f"{filename}, rad {offset}: år eller värde är inte ett tal ({err}). "
                "Rätta cellen eller ladda ned filen på nytt."
            ) from err
        located.append((f"rad {offset}", row))
        out.append(row)
    return pl.DataFrame(out, schema=KOLADA_FRAME), located


def _code_text(value: object) -> str:
    # Excel turns "0012" into the number 12: a region's id gets its zeros back.
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.0)?", text):
        return text.split(".")[0].zfill(4)
    return text


def _header_map(row: Sequence[object] | None) -> dict[str, int] | None:
    if not row:
        return None
    names = [str(v).strip().lower() if v is not None else "" for v in row]
    found: dict[str, int] = {}
    for key, accepted in _COLUMNS.items():
        for i, name in enumerate(names):
            if name in accepted and key not in found:
                found[key] = i
    needed = {"kpi", "municipality", "period", "value"}
    return found if needed <= set(found) else None


def _check(
    filename: str,
    located: list[tuple[str, dict[str, Any]]],
    *,
    kpi: str,
    period: int,
    known: set[str],
) -> None:
    if not located:
        raise KoladaFileError(f"Filen {filename} innehåller inga värden.")
    for where, row in located:
        if row["kpi"] != kpi:
            raise KoladaFileError(
                f"{filename}, {where}, kolumnen nyckeltal: filen gäller {row['kpi']}, men "
                f"jämförelsen gäller {kpi}. Ladda ned {kpi} från kolada.se."
            )
        if row["period"] != period:
            raise KoladaFileError(
                f"{filename}, {where}, kolumnen år: filen gäller {row['period']}, men "
                f"jämförelsen gäller {period}. Ladda ned året {period}."
            )
        muni = row["municipality"]
        if muni not in known and muni != COUNTRY_ID and not muni.startswith("G"):
            raise KoladaFileError(
                f"{filename}, {where}, kolumnen kommun-id: koden {muni} är ingen känd kommun "
                "eller region. Kontrollera att filen kommer från Kolada."
            )
        if row["gender"] not in GENDERS:
            raise KoladaFileError(
                f"{filename}, {where}, kolumnen kön: '{row['gender']}' ska vara T, K eller M."
            )
