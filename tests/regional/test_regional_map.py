"""The choropleth: WKB reading, classes, and the boundaries package against SCB's codes."""

from __future__ import annotations

import struct

import pytest

from hallbar.ingest.boundaries import municipality_areas
from hallbar.regional.geo import (
    CLASS_COLOURS,
    HIDDEN_FILL,
    NO_MEMBER_FILL,
    Area,
    choropleth,
    class_of,
    classes,
    read_wkb,
)
from hallbar.regional.networks import skane_municipalities


def _square_wkb(x0: float, y0: float, side: float, *, big_endian: bool = False) -> bytes:
    order = ">" if big_endian else "<"
    ring = [(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side), (x0, y0)]
    head = bytes([0 if big_endian else 1]) + struct.pack(order + "I", 3)
    body = struct.pack(order + "II", 1, len(ring)) + b"".join(
        struct.pack(order + "dd", *p) for p in ring
    )
    return head + body


def test_read_polygon_and_multipolygon() -> None:
    square = read_wkb(_square_wkb(13.0, 55.5, 0.5))
    assert square == [[[(13.0, 55.5), (13.5, 55.5), (13.5, 56.0), (13.0, 56.0), (13.0, 55.5)]]]
    multi = (
        b"\x01"
        + struct.pack("<II", 6, 2)
        + _square_wkb(13, 55, 1)
        + _square_wkb(14, 55, 1, big_endian=True)
    )
    assert len(read_wkb(multi)) == 2
    with pytest.raises(ValueError, match="not a polygon"):
        read_wkb(b"\x01" + struct.pack("<I", 1) + struct.pack("<dd", 1, 2))


def test_equal_width_classes() -> None:
    # values 6 … 8 in four classes: width (8 − 6) / 4 = 0.5
    assert classes([6.0, 7.0, 8.0]) == [6.5, 7.0, 7.5, 8.0]
    assert [class_of(v, [6.5, 7.0, 7.5, 8.0]) for v in (6.0, 6.5, 6.6, 8.0)] == [0, 0, 1, 3]
    assert classes([5.0, 5.0]) == [5.0]


def test_choropleth_fills_hidden_and_own() -> None:
    areas = [
        Area("1280", "Malmö", read_wkb(_square_wkb(13.0, 55.5, 0.1))),
        Area("1281", "Lund", read_wkb(_square_wkb(13.1, 55.6, 0.1))),
        Area("1282", "Landskrona", read_wkb(_square_wkb(12.8, 55.8, 0.1))),
        Area("1283", "Helsingborg", read_wkb(_square_wkb(12.7, 56.0, 0.1))),
    ]
    svg = choropleth(
        areas,
        {"1280": 6.0, "1281": 8.0},
        members=frozenset({"1280", "1281", "1282"}),
        own_code="1281",
        title="Karta",
        unit="%",
        links={"1280": "#medlem-1280"},
    )
    assert f'fill="{CLASS_COLOURS[0]}" stroke="#ffffff" stroke-width="0.8" data-code="1280"' in svg
    assert f'fill="{CLASS_COLOURS[-1]}" stroke="#c05a00"' in svg  # Lund, the own organisation
    assert f'fill="{HIDDEN_FILL}"' in svg and "Landskrona: visas inte" in svg
    assert f'fill="{NO_MEMBER_FILL}"' in svg and "Helsingborg: ingår inte i nätverket" in svg
    assert '<a href="#medlem-1280">' in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched


def test_boundaries_package_agrees_with_scb_codes() -> None:
    areas = municipality_areas("12")
    ours = {o.code: o.name for o in skane_municipalities()}
    assert {a.code: a.name for a in areas} == ours  # two sources, the same 33 codes and names
    assert all(a.polygons for a in areas)
    assert len(municipality_areas("")) == 290  # Sweden has 290 municipalities (SCB)
