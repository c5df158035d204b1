"""WCAG 2.1 contrast of the stylesheet's colour pairs (AA: 4.5:1 text, 3:1 graphics)."""

from __future__ import annotations

import re

import pytest

from hallbar.web.rendering import STATIC_DIR


def _variables() -> dict[str, str]:
    css = (STATIC_DIR / "hallbar.css").read_text()
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))


def _luminance(hex_colour: str) -> float:
    # WCAG 2.1 relative luminance of an sRGB colour
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_reference_values() -> None:
    # black on white is 21:1 by definition; #767676 on white is the well-known 4.54:1
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


TEXT_PAIRS = [
    ("ink", "paper"),
    ("ink", "wash"),
    ("muted", "paper"),
    ("muted", "wash"),
    ("link", "paper"),
    ("link", "wash"),
    ("brand", "paper"),
    ("ok-ink", "ok-bg"),
    ("err-ink", "err-bg"),
    ("info-ink", "info-bg"),
]
GRAPHIC_PAIRS = [("women", "paper"), ("men", "paper"), ("focus", "brand")]


@pytest.mark.parametrize(("fg", "bg"), TEXT_PAIRS)
def test_text_contrast_meets_aa(fg: str, bg: str) -> None:
    v = _variables()
    assert contrast(v[fg], v[bg]) >= 4.5


def test_header_text_on_brand() -> None:
    assert contrast("#ffffff", _variables()["brand"]) >= 4.5


@pytest.mark.parametrize(("fg", "bg"), GRAPHIC_PAIRS)
def test_graphics_contrast_meets_aa(fg: str, bg: str) -> None:
    v = _variables()
    assert contrast(v[fg], v[bg]) >= 3.0
