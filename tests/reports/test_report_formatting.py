from datetime import date, datetime

from hallbar.reports.formatting import (
    format_count,
    format_date,
    format_kr,
    format_number,
    format_percent,
    format_share,
    format_value,
    plural_sv,
)


def test_format_number_swedish_style():
    assert format_number(1234.5, 1) == "1 234,5"
    assert format_number(1234567) == "1 234 567"
    assert format_number(0.5) == "1"  # half away from zero: 0.5 -> 1
    assert format_number(2.675, 2) == "2,68"  # as written, not as the binary float rounds
    assert format_number(-1234.55, 1) == "\u22121 234,6"  # the minus sign, not a hyphen
    assert format_number(-0.04, 1) == "0,0"  # never "−0,0"
    assert format_number(None) == "–"
    assert format_number(float("nan"), 1) == "–"


def test_percent_share_and_kronor():
    assert format_percent(7.25) == "7,3 %"
    assert format_percent(100, 0) == "100 %"
    assert format_share(0.073) == "7,3 %"  # 0.073 * 100 = 7.3
    assert format_share(0.0725) == "7,3 %"  # 7.25 rounds half up
    assert format_kr(34500) == "34 500 kr"
    assert format_kr(36250.5) == "36 251 kr"


def test_dates_are_iso():
    assert format_date(date(2025, 11, 1)) == "2025-11-01"
    assert format_date(datetime(2025, 11, 1, 13, 5)) == "2025-11-01"
    assert format_date(None) == "–"


def test_format_value_passes_text_through():
    assert format_value("Kvinnor", "text", 0) == "Kvinnor"
    assert format_value(7.25, "percent", 1) == "7,3 %"
    assert format_value(12, "int", 0) == "12"


def test_counts_take_the_swedish_singular_for_one():
    assert format_count(1, "person", "personer") == "1 person"
    assert format_count(0, "person", "personer") == "0 personer"
    assert format_count(1234, "befattning", "befattningar") == "1 234 befattningar"
    assert plural_sv(1, "befattning", "befattningar") == "befattning"


def test_a_column_says_its_unit_once():
    from hallbar.reports.columns import with_unit

    assert with_unit("Skillnad (kr)", "kr") == "Skillnad (kr)"
    assert with_unit("Rekryteringsbehov i årsarbetare", "årsarbetare") == (
        "Rekryteringsbehov i årsarbetare"
    )
    assert with_unit("Antal medarbetare per chef", "medarbetare per chef") == (
        "Antal medarbetare per chef"
    )
    assert with_unit("Sjukfrånvaro", "%") == "Sjukfrånvaro (%)"
    assert with_unit("Kronor totalt", "kr") == "Kronor totalt (kr)"  # "kr" is not a word of it


def test_whole_numbers_in_a_float_column_have_no_decimals():
    """An age of 38 and a monthly pay of 26 970 kr arrive as floats; they read "38" and
    "26 970", not "38,0"; a column with a fraction keeps one decimal."""
    import polars as pl

    from hallbar.core.describe import FigureTable
    from hallbar.reports.columns import columns, rows

    frame = pl.DataFrame(
        {"Namn": ["a", "b"], "Ålder": [38.0, 54.0], "Lön": [26970.0, None], "Kvot": [1.5, 2.0]}
    )
    table = FigureTable("t", "T", frame)
    cols = columns(table)
    assert [[c.text for c in r] for r in rows(table, cols)] == [
        ["a", "38", "26 970", "1,5"],
        ["b", "54", "–", "2,0"],
    ]


def test_a_column_named_in_kronor_is_money():
    import polars as pl

    from hallbar.core.describe import FigureTable
    from hallbar.reports.columns import columns, rows

    frame = pl.DataFrame({"Skillnad (kr)": [520.4, -1234.5], "Medellön (kr/mån)": [31732.0, 0.0]})
    table = FigureTable("t", "T", frame)
    cols = columns(table)
    assert [[c.text for c in r] for r in rows(table, cols)] == [
        ["520 kr", "31 732 kr"],
        ["\u22121 235 kr", "0 kr"],
    ]
