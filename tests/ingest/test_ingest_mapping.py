"""The column-mapping step's pure part: previews, proposals, checks and the saved profile.

Headers are hand-made; expected matches follow from the rules (exact, then case
and accents aside, then a synonym a built-in profile lists) and the profiles'
TOML files, read by eye.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from hallbar.core.errors import ConfigurationError
from hallbar.ingest import ImportRequest, read_export
from hallbar.ingest.mapping import (
    BY_FILE_NAME,
    BY_HEADERS,
    EXACT,
    FOLDED,
    NAME_HIDDEN,
    SYNONYM,
    FileMapping,
    FilePreview,
    InvalidProfileName,
    MappingRejected,
    check_profile_name,
    mask_personnummer,
    preview_file,
    profile_toml,
    propose,
    propose_columns,
    propose_values,
    validate_mapping,
    write_profile,
)
from hallbar.ingest.profiles import fold, load_profile, saved_profiles
from hallbar.ingest.xlsx_guard import XlsxLimits

# An export from a report generator: file names and headers nobody planned for.
UNITS_FILE = "Orgstruktur_2025-11.csv"
UNITS_CSV = "Kst;Överliggande kst;Kostnadsställe, namn;Ansvarig\n100;;Kommunen;19630820-8906\n110;100;Omsorg;19651122-3452\n111;110;Hemtjänst;\n"
EMPLOYMENTS_FILE = "Personalrapport_2025-11.csv"
EMPLOYMENTS_CSV = (
    "Löpnr;Pers.nr;Kst;Form;Omfattning;Mlön;Startdag;Slutdag;Ledare;Förnamn\n"
    "A1;19630820-8906;100;tillsvidare;100;50000;2015-03-01;;ja;Anna\n"
    "A2;19651122-3452;110;tillsvidare;100;45000;2018-08-15;;ja;Bo\n"
    "A3;19800101-0027;111;visstid;75;30000;2024-06-01;2025-05-31;nej;Cecilia\n"
)
UNITS_MAP = {"unit_id": "Kst", "parent_id": "Överliggande kst", "name": "Kostnadsställe, namn"}
EMPLOYMENTS_MAP = {
    "employment_id": "Löpnr",
    "person_id": "Pers.nr",
    "unit_id": "Kst",
    "employment_form": "Form",
    "rate": "Omfattning",
    "monthly_pay": "Mlön",
    "start_date": "Startdag",
    "end_date": "Slutdag",
    "is_manager": "Ledare",
}


KEY = bytes(range(32))


def _request(folder: Path, **kwargs: object) -> ImportRequest:
    return ImportRequest(
        folder=folder,
        org_id="1280",
        org_name="Exempelkommun",
        as_of=date(2025, 11, 1),
        key=KEY,
        **kwargs,  # type: ignore[arg-type]
    )


def _write_odd_export(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / UNITS_FILE).write_text(UNITS_CSV, encoding="utf-8")
    (folder / EMPLOYMENTS_FILE).write_text(EMPLOYMENTS_CSV, encoding="utf-8")
    return folder


def _headers(folder: Path) -> dict[str, tuple[str, ...]]:
    return {p.name: preview_file(p, 10**7).headers for p in sorted(folder.iterdir())}


MAPPINGS = [
    FileMapping(UNITS_FILE, "units", UNITS_MAP),
    FileMapping(EMPLOYMENTS_FILE, "employments", EMPLOYMENTS_MAP),
]


# ---------------------------------------------------------------- preview


def test_preview_shows_first_rows_with_personnummer_masked_and_names_hidden(
    tmp_path: Path,
) -> None:
    folder = _write_odd_export(tmp_path / "x")
    preview = preview_file(folder / EMPLOYMENTS_FILE, 10**7, rows=2)
    assert preview.headers[:3] == ("Löpnr", "Pers.nr", "Kst")
    assert len(preview.rows) == 2
    assert preview.rows[0][:3] == ("A1", "19630820-****", "100")
    assert preview.rows[1][-1] == NAME_HIDDEN  # "Förnamn" holds names
    assert preview.rows[0][7] == ""  # an empty end date


def test_mask_personnummer_shapes() -> None:
    assert mask_personnummer("19630820-8906") == "19630820-****"
    assert mask_personnummer("121212-1212") == "121212-****"
    assert mask_personnummer("196308208906-01") == "19630820****-01"
    assert mask_personnummer("12345") == "12345"  # too short: not a personnummer shape
    assert mask_personnummer("1234567890123") == "1234567890123"  # inside a longer number


def test_preview_uses_the_import_encoding_guard(tmp_path: Path) -> None:
    path = tmp_path / "personal.csv"
    path.write_bytes("Kst;Namn\n1;Å\n".encode("utf-16"))
    preview = preview_file(path, 10**7)
    assert not preview.readable
    assert any("UTF-16" in p.message for p in preview.problems)


def test_preview_refuses_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "personal.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    preview = preview_file(path, 4)
    assert not preview.readable
    assert "för stor" in preview.problems[0].message


# ---------------------------------------------------------------- proposals


def test_proposal_prefers_exact_then_case_then_synonym() -> None:
    headers = ["Pnr", "PERSONNUMMER", "anstallnings_id", "Enhet", "Sysgrad"]
    choices = {c.column: c for c in propose_columns("employments", headers)}
    assert (choices["employment_id"].header, choices["employment_id"].how) == (
        "anstallnings_id",
        EXACT,
    )
    # PERSONNUMMER equals the generic header apart from case; it wins over the synonym Pnr
    assert (choices["person_id"].header, choices["person_id"].how) == ("PERSONNUMMER", FOLDED)
    # generic.toml: unit_id = ["enhet", ...]; forkortad.toml: rate = [..., "Sysgrad"]
    assert (choices["unit_id"].header, choices["unit_id"].how) == ("Enhet", SYNONYM)
    assert (choices["rate"].header, choices["rate"].how) == ("Sysgrad", SYNONYM)
    assert choices["start_date"].header is None and choices["start_date"].how == ""
    assert choices["employment_id"].required and not choices["title"].required


def test_a_header_is_proposed_for_one_column_only() -> None:
    # generic.toml lists "chef" for is_manager (employments); one header, one column
    choices = propose_columns("employments", ["Chef"])
    assert [c.column for c in choices if c.header == "Chef"] == ["is_manager"]


def test_name_and_organisation_headers_are_never_proposed() -> None:
    choices = {c.column: c.header for c in propose_columns("units", ["Name", "Organisation"])}
    assert choices["name"] is None  # "Name" holds personal names: never read
    assert all(h is None for h in choices.values())


def test_table_proposed_by_file_name_then_by_headers() -> None:
    by_name = propose(FilePreview("personal_2025.csv", ("x",), (), ()))
    assert (by_name.table, by_name.how_table) == ("employments", BY_FILE_NAME)  # generic personal*
    by_headers = propose(
        FilePreview("rapport.csv", ("enhet_id", "overordnad_enhet_id", "enhetsnamn"), (), ())
    )
    # units: unit_id and name required (2 + 2) + parent_id (1) = 5; employments only unit_id = 2
    assert (by_headers.table, by_headers.how_table) == ("units", BY_HEADERS)
    unknown = propose(FilePreview("rapport.csv", ("Kst", "Belopp2"), (), ()))
    assert unknown.table is None and unknown.columns == ()


def test_a_tie_between_tables_proposes_none() -> None:
    # enhet_id alone: units, employments and agency staff each match one required column
    assert propose(FilePreview("rapport.csv", ("enhet_id",), (), ())).table is None


# ---------------------------------------------------------------- validation


def test_a_complete_mapping_has_no_problems(tmp_path: Path) -> None:
    folder = _write_odd_export(tmp_path / "x")
    assert validate_mapping(MAPPINGS, _headers(folder)) == []


def test_missing_required_column_names_file_and_column(tmp_path: Path) -> None:
    headers = _headers(_write_odd_export(tmp_path / "x"))
    units = dict(UNITS_MAP)
    del units["name"]
    problems = validate_mapping([FileMapping(UNITS_FILE, "units", units), MAPPINGS[1]], headers)
    assert [(p.file, p.column, p.severity) for p in problems] == [(UNITS_FILE, "enhetsnamn", "fel")]
    assert "Enhetens namn" in problems[0].message


def test_header_mapped_twice_is_refused(tmp_path: Path) -> None:
    headers = _headers(_write_odd_export(tmp_path / "x"))
    units = {**UNITS_MAP, "manager_person_id": "Kst"}
    problems = validate_mapping([FileMapping(UNITS_FILE, "units", units), MAPPINGS[1]], headers)
    assert [(p.file, p.column) for p in problems] == [(UNITS_FILE, "Kst")]
    assert "både till 'Enhetens id i HR-systemet'" in problems[0].message


def test_header_not_in_the_file_and_name_header_are_refused(tmp_path: Path) -> None:
    headers = _headers(_write_odd_export(tmp_path / "x"))
    employments = {**EMPLOYMENTS_MAP, "title": "Finns inte", "end_reason": "Förnamn"}
    problems = validate_mapping(
        [MAPPINGS[0], FileMapping(EMPLOYMENTS_FILE, "employments", employments)], headers
    )
    assert [(p.file, p.column) for p in problems] == [
        (EMPLOYMENTS_FILE, "befattning"),
        (EMPLOYMENTS_FILE, "Förnamn"),
    ]
    assert "finns inte i filen" in problems[0].message
    assert "personnamn" in problems[1].message


def test_two_files_for_one_table_and_a_missing_required_table(tmp_path: Path) -> None:
    headers = _headers(_write_odd_export(tmp_path / "x"))
    problems = validate_mapping(
        [
            FileMapping(UNITS_FILE, "units", UNITS_MAP),
            FileMapping(EMPLOYMENTS_FILE, "units", {}),
        ],
        headers,
    )
    assert [p.file for p in problems] == [EMPLOYMENTS_FILE, "koppling"]
    assert UNITS_FILE in problems[0].message and "enheter" in problems[0].message
    assert "anställningar" in problems[1].message


def test_a_file_not_read_is_left_out(tmp_path: Path) -> None:
    headers = _headers(_write_odd_export(tmp_path / "x"))
    mappings = [*MAPPINGS, FileMapping("extra.csv", None, {})]
    assert validate_mapping(mappings, headers) == []


# ---------------------------------------------------------------- the profile


def test_profile_toml_is_the_profile_format(tmp_path: Path) -> None:
    folder = _write_odd_export(tmp_path / "x")
    text = profile_toml("lonesystem", "test", MAPPINGS, _headers(folder))
    raw = tomllib.loads(text)
    assert raw["extends"] == "generic"
    assert raw["enheter"]["files"] == ["orgstruktur*"]  # the month dropped from the name
    assert raw["enheter"]["columns"]["unit_id"] == ["Kst"]
    assert raw["enheter"]["ignore"] == ["Ansvarig"]
    assert raw["anstallningar"]["files"] == ["personalrapport*"]
    assert raw["anstallningar"]["ignore"] == ["Förnamn"]
    path = tmp_path / "lonesystem.toml"
    path.write_text(text, encoding="utf-8")
    profile = load_profile(path)
    assert profile.table("employments").headers[fold("Mlön")] == "monthly_pay"
    assert fold("Ansvarig") in profile.table("units").ignore


def test_odd_headers_survive_the_toml_writer(tmp_path: Path) -> None:
    odd = 'Lön "fast" \\ kr\tmån'
    headers = {"a.csv": (odd, "Kst"), "anstallningar.csv": ()}
    text = profile_toml(
        "x", 'beskrivning med "citat"', [FileMapping("a.csv", "units", {"name": odd})], headers
    )
    raw = tomllib.loads(text)
    assert raw["enheter"]["columns"]["name"] == [odd]
    assert raw["description"] == 'beskrivning med "citat"'


def test_write_profile_saves_a_profile_found_by_name(tmp_path: Path) -> None:
    export = _write_odd_export(tmp_path / "export")
    folder = tmp_path / "data" / "profiler"
    path = write_profile(
        folder, "Lonesystem-1", MAPPINGS, _headers(export), saved_by="hr", on=date(2026, 1, 2)
    )
    assert path == folder / "lonesystem-1.toml"
    assert saved_profiles(folder) == ["lonesystem-1"]
    assert sorted(p.name for p in folder.iterdir()) == ["lonesystem-1.toml"]  # no staging left
    profile = load_profile("lonesystem-1", folder)
    assert profile.description == "Kopplad i webbläsaren av hr 2026-01-02"
    with pytest.raises(InvalidProfileName, match="finns redan"):
        write_profile(
            folder, "lonesystem-1", MAPPINGS, _headers(export), saved_by="x", on=date.today()
        )


def test_saved_profile_imports_the_odd_export(tmp_path: Path) -> None:
    """Round trip: the files that matched nothing import with the saved profile."""
    export = _write_odd_export(tmp_path / "export")
    folder = tmp_path / "profiler"
    with_generic = read_export(_request(export))
    assert not with_generic.ok
    write_profile(folder, "udda", MAPPINGS, _headers(export), saved_by="hr", on=date.today())
    result = read_export(_request(export, profile="udda", profile_dir=folder))
    assert result.ok, [str(p) for p in result.errors]
    assert result.row_counts == {"units": 3, "employments": 3}
    assert result.files == {"units": UNITS_FILE, "employments": EMPLOYMENTS_FILE}
    data = result.data
    assert data is not None
    assert sorted(data.units["unit_id"].to_list()) == ["100", "110", "111"]
    assert data.employments.filter(data.employments["employment_id"] == "A2")[
        "monthly_pay"
    ].to_list() == [45000.0]
    # next month's export, named with its own month, finds the same tables
    (export / UNITS_FILE).rename(export / "Orgstruktur_2025-12.csv")
    (export / EMPLOYMENTS_FILE).rename(export / "Personalrapport_2025-12.csv")
    assert read_export(_request(export, profile="udda", profile_dir=folder)).ok


def test_a_mapping_with_problems_writes_nothing(tmp_path: Path) -> None:
    export = _write_odd_export(tmp_path / "export")
    folder = tmp_path / "profiler"
    with pytest.raises(MappingRejected) as caught:
        write_profile(folder, "x", MAPPINGS[:1], _headers(export), saved_by="hr", on=date.today())
    assert "anställningar" in caught.value.problems[0].message
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_file_name_another_table_claims_is_refused(tmp_path: Path) -> None:
    # "personal*" belongs to employments in generic.toml: such a file cannot hold units
    export = _write_odd_export(tmp_path / "export")
    (export / "personal_enheter.csv").write_text(UNITS_CSV, encoding="utf-8")
    (export / UNITS_FILE).unlink()
    mappings = [FileMapping("personal_enheter.csv", "units", UNITS_MAP), MAPPINGS[1]]
    with pytest.raises(MappingRejected) as caught:
        write_profile(
            tmp_path / "p", "x", mappings, _headers(export), saved_by="hr", on=date.today()
        )
    assert caught.value.problems[0].file == "personal_enheter.csv"
    assert "Byt namn på filen" in caught.value.problems[0].message
    assert list((tmp_path / "p").iterdir()) == []


# ---------------------------------------------------------------- hostile names


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "a/b",
        "..",
        ".dold",
        "a\\b",
        "",
        "  ",
        "x" * 41,
        "räkning",
        "a b",
        "a.toml",
        "a\x00b",
        "generic",
        "Engelska",
        "-börjar",
    ],
)
def test_hostile_profile_names_are_refused(name: str, tmp_path: Path) -> None:
    export = _write_odd_export(tmp_path / "export")
    folder = tmp_path / "data" / "profiler"
    with pytest.raises(InvalidProfileName):
        check_profile_name(name)
    with pytest.raises(InvalidProfileName):
        write_profile(folder, name, MAPPINGS, _headers(export), saved_by="hr", on=date.today())
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in (".toml", ".ny")]
    assert written == []


def test_lookup_by_name_never_leaves_the_profile_folder(tmp_path: Path) -> None:
    folder = tmp_path / "profiler"
    folder.mkdir()
    (tmp_path / "hemlig.toml").write_text('name = "hemlig"\n', encoding="utf-8")
    (folder / "Stor.toml").write_text('name = "stor"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match="Okänd profil"):
        load_profile("hemlig", folder)
    with pytest.raises(ConfigurationError, match="Okänd profil"):
        load_profile("Stor", folder)  # not a saved name: upper case is never written
    assert saved_profiles(folder) == []


def test_profiles_extending_each_other_in_a_circle_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('extends = "b"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match="cirkel"):
        load_profile("a", tmp_path)


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_preview_reads_xlsx_like_the_import(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "Lönelista.xlsx",
        [["Löpnr", "Pers.nr", "Mlön"], ["A1", "19630820-8906", 50000], ["A2", None, 45000.5]],
    )
    preview = preview_file(path, 10**7)
    assert preview.headers == ("Löpnr", "Pers.nr", "Mlön")
    assert preview.rows == (("A1", "19630820-****", "50000"), ("A2", "", "45000.5"))


def test_preview_applies_the_xlsx_limits(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "lista.xlsx", [["a", "b"], ["x" * 2000, "y"]])
    preview = preview_file(path, 10**7, XlsxLimits(max_unpacked_bytes=1000))
    assert not preview.readable
    assert preview.problems[0].file == "lista.xlsx"


# ---------------------------------------------------------------- code values


def test_distinct_values_are_offered_for_code_columns(tmp_path: Path) -> None:
    folder = _write_odd_export(tmp_path / "x")
    preview = preview_file(folder / EMPLOYMENTS_FILE, 10**7)
    assert preview.distinct["Form"] == ("tillsvidare", "visstid")
    assert "Förnamn" not in preview.distinct  # names are never listed
    assert preview.distinct["Pers.nr"][0].endswith("-****")


def test_values_proposed_as_codes_then_as_known_translations() -> None:
    # forkortad.toml: "TV" = "tillsvidare"; engelska.toml: "Hourly" = "timavlönad"
    choices = propose_values(
        "employments", "employment_form", ["visstid", "TV", "Hourly", "Konsult"]
    )
    assert [(c.raw, c.code, c.how) for c in choices] == [
        ("visstid", "visstid", EXACT),
        ("TV", "tillsvidare", SYNONYM),
        ("Hourly", "timavlönad", SYNONYM),
        ("Konsult", None, ""),
    ]


def test_untranslated_and_unknown_codes_are_refused(tmp_path: Path) -> None:
    headers = _headers(_write_odd_export(tmp_path / "x"))
    values = {"employment_form": {"tillsvidare": "tillsvidare", "visstid": ""}}
    employments = FileMapping(EMPLOYMENTS_FILE, "employments", EMPLOYMENTS_MAP, values)
    problems = validate_mapping([MAPPINGS[0], employments], headers)
    assert [(p.file, p.column) for p in problems] == [(EMPLOYMENTS_FILE, "Form")]
    assert "'visstid' behöver översättas" in problems[0].message
    wrong = {"employment_form": {"tillsvidare": "fast", "visstid": "visstid"}}
    employments = FileMapping(EMPLOYMENTS_FILE, "employments", EMPLOYMENTS_MAP, wrong)
    problems = validate_mapping([MAPPINGS[0], employments], headers)
    assert "'fast' finns inte i kodlistan" in problems[0].message


def test_translated_codes_round_trip(tmp_path: Path) -> None:
    export = _write_odd_export(tmp_path / "export")
    text = EMPLOYMENTS_CSV.replace(";tillsvidare;", ";Tills.;").replace(";visstid;", ";Vik;")
    (export / EMPLOYMENTS_FILE).write_text(text, encoding="utf-8")
    headers = _headers(export)
    values = {"employment_form": {"Tills.": "tillsvidare", "Vik": "visstid"}}
    mappings = [MAPPINGS[0], FileMapping(EMPLOYMENTS_FILE, "employments", EMPLOYMENTS_MAP, values)]
    folder = tmp_path / "profiler"
    path = write_profile(folder, "koder", mappings, headers, saved_by="hr", on=date.today())
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert raw["anstallningar"]["values"]["employment_form"] == values["employment_form"]
    result = read_export(_request(export, profile="koder", profile_dir=folder))
    assert result.ok, [str(p) for p in result.errors]
    assert result.data is not None
    forms = dict(
        zip(
            result.data.employments["employment_id"].to_list(),
            result.data.employments["employment_form"].to_list(),
            strict=True,
        )
    )
    assert forms == {"A1": "tillsvidare", "A2": "tillsvidare", "A3": "visstid"}
