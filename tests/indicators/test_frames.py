"""Row-order helpers (hallbar.indicators.frames) and the pack's independence of row order.

The building blocks take fast paths when a table is already in key order and group
persons by a hash of their key; a shuffled table or colliding hashes must give the
same figures (up to the order of floating-point sums)."""

from datetime import date

import polars as pl
import pytest
from indicator_factory import data, employment, frame, person, sick, unit
from indicators_synth import generate  # benchmarks/ is on pytest's pythonpath

from hallbar.core import schema
from hallbar.indicators import Params, compute_pack, frames, mobility, registry
from hallbar.indicators.views import employment_terms

KEYS = ["org_id", "person_id"]


def test_in_key_order_compares_each_row_with_the_one_before():
    f = pl.DataFrame({"a": ["1", "1", "2", "2"], "b": [1, 2, 1, 1]})
    assert frames.in_key_order(f, ["a", "b"])
    assert not frames.in_key_order(f, ["a", "b"], strict=True)  # the last two rows tie
    assert frames.in_key_order(f.head(3), ["a", "b"], strict=True)
    assert not frames.in_key_order(f.reverse(), ["a", "b"])
    # "10" sorts before "9" as a string
    assert not frames.in_key_order(pl.DataFrame({"a": ["9", "10"]}), ["a"])
    assert frames.in_key_order(f.head(1), ["a"], strict=True)


def test_sorted_by_sorts_only_what_is_out_of_order():
    f = pl.DataFrame({"a": ["b", "a", "b", "a"], "b": [2, 2, 1, 1], "i": [0, 1, 2, 3]})
    assert frames.sorted_by(f, ["a", "b"])["i"].to_list() == [3, 1, 2, 0]
    ordered = f.sort(["a", "b"])
    assert frames.sorted_by(ordered, ["a", "b"]) is ordered


def _grouped(frame: pl.DataFrame) -> list[tuple[str, list[int]]]:
    """(person, their rows' values in order) per run of the same person."""
    runs: list[tuple[str, list[int]]] = []
    for person_id, value in frame.select("person_id", "v").iter_rows():
        if not runs or runs[-1][0] != person_id:
            runs.append((person_id, []))
        runs[-1][1].append(value)
    return runs


@pytest.mark.parametrize("collide", [False, True])
def test_grouped_by_hash_keeps_each_key_together_in_order(monkeypatch, collide):
    if collide:  # every key the same hash: the keys themselves must order the rows
        monkeypatch.setattr(frames, "key_hash", lambda keys: pl.lit(7, pl.UInt64))
    f = pl.DataFrame(
        {
            "org_id": ["1", "1", "2", "1", "1", "2"],
            "person_id": ["p", "q", "p", "p", "q", "p"],
            "d": [3, 1, 5, 1, 1, 2],
            "v": [10, 20, 30, 40, 50, 60],
        }
    )
    out = frames.grouped_by_hash(f, KEYS, ["d"], [True])
    runs = _grouped(out.filter(pl.col("org_id") == "1")) + _grouped(
        out.filter(pl.col("org_id") == "2")
    )
    # d descending within each key; q's two rows tie on d and keep their order
    assert sorted(runs) == [("p", [10, 40]), ("p", [30, 60]), ("q", [20, 50])]
    assert out.height == 6 and out.columns == f.columns


def _in_key_order(data):
    """Employments and working time in key order, as exports usually are: the fast paths."""
    employments = data.employments.sort(["org_id", "employment_id", "start_date"])
    working_time = data.working_time.sort(["org_id", "employment_id", "month"])
    assert frames.in_key_order(working_time, ["org_id", "employment_id", "month"], strict=True)
    return data.with_frames(employments=employments, working_time=working_time)


def _shuffled(data):
    return data.with_frames(
        **{
            name: frame.sample(fraction=1.0, shuffle=True, seed=11)
            for name, frame in data.frames().items()
            if name != "organisations"
        }
    )


def _assert_same_pack(a, b):
    assert a.results.keys() == b.results.keys()
    assert a.missing == b.missing
    for fid, result in a.results.items():
        x, y = result.frame, b.results[fid].frame
        assert x.columns == y.columns and x.height == y.height, fid
        for col in x.columns:
            if x[col].dtype.is_float():
                assert x[col].is_null().equals(y[col].is_null()), (fid, col)
                assert x[col].fill_null(0.0).to_list() == pytest.approx(
                    y[col].fill_null(0.0).to_list(), rel=1e-12
                ), (fid, col)
            else:
                assert x[col].equals(y[col]), (fid, col)
    for note_a, note_b in zip(a.notes, b.notes, strict=True):
        for ra, rb in zip(note_a.rows, note_b.rows, strict=True):
            assert (ra.key, ra.n, ra.suppressed) == (rb.key, rb.n, rb.suppressed)
            assert ra.numerator == pytest.approx(rb.numerator, rel=1e-12)
            assert ra.denominator == pytest.approx(rb.denominator, rel=1e-12)
    assert len(a.dominance) == len(b.dominance)
    assert [area.key for area in a.areas] == [area.key for area in b.areas]
    for area_a, area_b in zip(a.areas, b.areas, strict=True):
        assert area_a.standouts.select("kind", "id").equals(area_b.standouts.select("kind", "id"))


def _with_moves(data, n=5):
    """``n`` permanent employees move to another unit on 1 April 2025: their period
    ends on 31 March and a new one (a new employment) starts the next day."""
    emps = data.employments
    movers = emps.filter(
        (pl.col("employment_form") == "tillsvidare")
        & (pl.col("start_date") < date(2024, 1, 1))
        & pl.col("end_date").is_null()
    ).head(n)
    first_unit, second_unit = emps["unit_id"].unique().sort().head(2).to_list()
    ended = movers.with_columns(end_date=pl.lit(date(2025, 3, 31)))
    moved = movers.with_columns(
        employment_id=pl.col("employment_id") + "b",
        unit_id=pl.when(pl.col("unit_id") == first_unit)
        .then(pl.lit(second_unit))
        .otherwise(pl.lit(first_unit)),
        start_date=pl.lit(date(2025, 4, 1)),
    )
    kept = emps.join(movers.select("employment_id"), on="employment_id", how="anti")
    return data.with_frames(employments=pl.concat([kept, ended, moved]).sort("employment_id"))


LISTS = ("repeated_short_absence", "rehab_day30")  # not in the pack: their own page


def _assert_same_lists(data, params, reference):
    for fid in LISTS:
        assert registry.compute(fid, data, params).frame.equals(reference[fid]), fid


def test_pack_does_not_depend_on_row_order_or_hash_collisions(monkeypatch):
    data = _in_key_order(_with_moves(generate(400, years=2, seed=3, as_of=date(2025, 12, 31))))
    params = Params(year=2025)
    reference = compute_pack(data, params)
    lists = {fid: registry.compute(fid, data, params).frame for fid in LISTS}
    assert reference.results["headcount"].frame["n"][0] > 250
    assert reference.results["internal_moves"].frame["moved"][0] == 5
    assert lists["repeated_short_absence"].height > 0 and lists["rehab_day30"].height > 0
    # Tables out of key order: no fast path applies.
    _assert_same_pack(reference, compute_pack(_shuffled(data), params))
    _assert_same_lists(_shuffled(data), params, lists)
    # Every person the same hash: the collision fallbacks.
    for module in (frames, mobility):
        monkeypatch.setattr(module, "key_hash", lambda keys: pl.lit(7, pl.UInt64))
    _assert_same_pack(reference, compute_pack(data, params))
    _assert_same_lists(data, params, lists)


@pytest.mark.parametrize("shuffle", [False, True])
def test_employment_terms_in_or_out_of_key_order(shuffle):
    rows = [
        # e1: three periods; on 2025-06-01 the second is in force
        employment("e1", "p1", unit="A", start=date(2020, 1, 1), end=date(2024, 12, 31)),
        employment("e1", "p1", unit="B", start=date(2025, 1, 1), end=date(2025, 8, 31)),
        employment("e1", "p1", unit="C", start=date(2025, 9, 1)),
        # e2: ended before the date: its latest started period
        employment("e2", "p2", unit="D", start=date(2019, 1, 1), end=date(2020, 12, 31)),
        employment("e2", "p2", unit="E", start=date(2021, 1, 1), end=date(2022, 12, 31)),
        # e3: every period starts after the date: the first of them
        employment("e3", "p3", unit="F", start=date(2025, 7, 1), end=date(2025, 7, 31)),
        employment("e3", "p3", unit="G", start=date(2025, 8, 1)),
        # e4: one period
        employment("e4", "p4", unit="H", start=date(2010, 1, 1)),
    ]
    emps = frame(schema.EMPLOYMENTS, rows)
    if shuffle:
        emps = emps.sample(fraction=1.0, shuffle=True, seed=3)
    terms = employment_terms(emps, date(2025, 6, 1))
    assert terms.select("employment_id", "unit_id").rows() == [
        ("e1", "B"),
        ("e2", "E"),
        ("e3", "F"),
        ("e4", "H"),
    ]


def test_a_listed_persons_unit_is_that_of_their_highest_rate():
    # P works 40 % in A and 60 % in B; Q 50 % in C and 50 % in D (a tie: the first
    # employment, by id). Both have six short spells in the last 12 months.
    spells = [date(2025, m, 3) for m in range(1, 7)]
    d = data(
        persons=[person("P", 1980), person("Q", 1985)],
        employments=[
            employment("e1", "P", unit="A", rate=40.0),
            employment("e2", "P", unit="B", rate=60.0),
            employment("e3", "Q", unit="C", rate=50.0),
            employment("e4", "Q", unit="D", rate=50.0),
        ],
        absences=[sick(p, s, s, eid=e) for p, e in (("P", "e1"), ("Q", "e4")) for s in spells],
        units=[unit(u) for u in "ABCD"],
    )
    listed = registry.compute("repeated_short_absence", d, Params(year=2025)).frame
    assert listed.select("person_id", "unit_id", "spells").rows() == [("P", "B", 6), ("Q", "C", 6)]
