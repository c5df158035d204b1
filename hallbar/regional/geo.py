"""Boundaries as SVG: read WKB polygons and draw a choropleth (pure, standard library).

The geometry comes from open boundary data installed as a package
(``hallbar.ingest.boundaries``): WGS 84 longitude/latitude in WKB. The map uses an
equirectangular projection scaled by the cosine of the map's middle latitude, which
keeps a county's shape true enough for a choropleth without a projection library.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

Ring = list[tuple[float, float]]
Polygon = list[Ring]
Projector = Callable[[float, float], tuple[float, float]]

# Sequential classes, light to dark (readable text on the lightest; ColorBrewer "Blues").
CLASS_COLOURS = ("#deebf7", "#9ecae1", "#4292c6", "#08519c")
HIDDEN_FILL = "url(#rg-hidden)"
NO_MEMBER_FILL = "#f2f2f2"


def read_wkb(data: bytes) -> list[Polygon]:
    """The polygons of a WKB Polygon or MultiPolygon (2D), as rings of (lon, lat)."""
    polygons, _ = _geometry(memoryview(data), 0)
    return polygons


def _geometry(buf: memoryview, at: int) -> tuple[list[Polygon], int]:
    order = "<" if buf[at] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", buf, at + 1)
    at += 5
    kind &= 0xFF  # ISO/EWKB flags do not change 2D polygons
    if kind == 3:
        polygon, at = _polygon(buf, at, order)
        return [polygon], at
    if kind == 6:
        (count,) = struct.unpack_from(order + "I", buf, at)
        at += 4
        out: list[Polygon] = []
        for _ in range(count):
            part, at = _geometry(buf, at)
            out.extend(part)
        return out, at
    raise ValueError(f"WKB geometry type {kind} is not a polygon")


def _polygon(buf: memoryview, at: int, order: str) -> tuple[Polygon, int]:
    (rings,) = struct.unpack_from(order + "I", buf, at)
    at += 4
    polygon: Polygon = []
    for _ in range(rings):
        (points,) = struct.unpack_from(order + "I", buf, at)
        at += 4
        coords = struct.unpack_from(order + f"{2 * points}d", buf, at)
        at += 16 * points
        polygon.append(list(zip(coords[0::2], coords[1::2], strict=True)))
    return polygon, at


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    polygons: list[Polygon]


def _projector(areas: Sequence[Area], width: float) -> tuple[float, Projector]:
    lons = [p[0] for a in areas for poly in a.polygons for ring in poly for p in ring]
    lats = [p[1] for a in areas for poly in a.polygons for ring in poly for p in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((north + south) / 2))
    scale = width / ((east - west) * k)
    height = (north - south) * scale

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * k * scale, (north - lat) * scale

    return height, project


def svg_paths(area: Area, project: Projector) -> str:
    parts = []
    for polygon in area.polygons:
        for ring in polygon:
            points: list[str] = []
            for lon, lat in ring:
                x, y = project(lon, lat)
                point = f"{x:.1f},{y:.1f}"
                if not points or points[-1] != point:
                    points.append(point)
            if len(points) >= 3:
                parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def classes(values: Sequence[float], count: int = len(CLASS_COLOURS)) -> list[float]:
    """Upper bounds of ``count`` equal-width classes over the values (the last is the max)."""
    lo, hi = min(values), max(values)
    if hi == lo:
        return [hi]
    step = (hi - lo) / count
    return [lo + step * (i + 1) for i in range(count)]


def class_of(value: float, bounds: Sequence[float]) -> int:
    return next((i for i, b in enumerate(bounds) if value <= b + 1e-12), len(bounds) - 1)


def choropleth(
    areas: Sequence[Area],
    values: Mapping[str, float],
    *,
    members: frozenset[str],
    own_code: str | None,
    title: str,
    unit: str,
    links: Mapping[str, str] | None = None,
    width: float = 420,
    fmt: Callable[[float], str] | None = None,
) -> str:
    """An SVG map: members with a value in classes, members without one hatched ("hidden"),
    non-members light grey. ``links`` maps a code to the page a click opens."""

    def show(v: float) -> str:
        return fmt(v) if fmt is not None else f"{v:.1f}".replace(".", ",")

    height, project = _projector(areas, width)
    shown = [values[c] for c in values if c in members]
    bounds = classes(shown) if shown else []
    legend_h = 24 * (len(bounds) + 2) + 10
    total_h = height + legend_h
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width:.0f} {total_h:.0f}" '
        f'width="100%" aria-labelledby="rg-map-t" class="hb-chart rg-map" '
        'font-family="system-ui, sans-serif">',
        f'<title id="rg-map-t">{escape(title)}</title>',
        '<defs><pattern id="rg-hidden" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#7a7a7a" stroke-width="2"/></pattern></defs>',
    ]
    # The own organisation last, so its outline is drawn above its neighbours'.
    for area in sorted(areas, key=lambda a: a.code == own_code):
        code = area.code
        if code in values and code in members:
            fill = CLASS_COLOURS[class_of(values[code], bounds)]
            label = f"{area.name}: {show(values[code])} {unit}"
        elif code in members:
            fill, label = HIDDEN_FILL, f"{area.name}: visas inte"
        else:
            fill, label = NO_MEMBER_FILL, f"{area.name}: ingår inte i nätverket"
        stroke = (
            ' stroke="#c05a00" stroke-width="2.5"'
            if code == own_code
            else ' stroke="#ffffff" stroke-width="0.8"'
        )
        path = (
            f'<path d="{svg_paths(area, project)}" fill="{fill}"{stroke} data-code="{escape(code)}">'
            f"<title>{escape(label)}</title></path>"
        )
        href = (links or {}).get(code)
        out.append(f'<a href="{escape(href)}">{path}</a>' if href else path)
    y = height + 16
    items: list[tuple[str, str]] = []
    lower = min(shown) if shown else 0.0
    for i, b in enumerate(bounds):
        items.append(
            (CLASS_COLOURS[i if len(bounds) > 1 else -1], f"{show(lower)}–{show(b)} {unit}")
        )
        lower = b
    items += [
        (HIDDEN_FILL, "Medlem som inte visas (inget samtycke eller för liten grupp)"),
        (NO_MEMBER_FILL, "Ingår inte i nätverket"),
    ]
    for colour, text in items:
        out.append(
            f'<rect x="4" y="{y - 12:.0f}" width="16" height="16" fill="{colour}" stroke="#4f5863" stroke-width="0.5"/>'
            f'<text x="26" y="{y + 1:.0f}" font-size="13" fill="#1b1f24">{escape(text)}</text>'
        )
        y += 24
    out.append("</svg>")
    return "\n".join(out)
