"""The import service's wiring to ingest: settings as limits, the organisation code checked
first, the export date from the files, and a report folder that cannot be written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hallbar.core.access import SYSTEM
from hallbar.core.errors import ConfigurationError
from hallbar.ingest import InvalidOrgCode, PayBand
from hallbar.services.context import Hallbar
from hallbar.services.imports.importing import import_export, plausibility_limits, xlsx_limits
from hallbar.settings import Settings
from hallbar.store import Store

MIB = 1024 * 1024


def _hb(tmp_path: Path, store: Store, **settings: object) -> Hallbar:
    return Hallbar(Settings(data_dir=tmp_path / "data", **settings), store=store)  # type: ignore[arg-type]


def test_settings_defaults_are_the_documented_limits() -> None:
    # Issue 10 and docs/data-format.md: age 100 (warning) / 120 (error), total rate
    # 100 % / 150 %, pay 10 000–250 000 kr, XLSX 512 MiB unpacked, 2 000 000 shared
    # strings, 256 MiB of shared strings.
    settings = Settings()
    limits = plausibility_limits(settings)
    assert (limits.max_age, limits.max_age_error) == (100, 120)
    assert (limits.total_rate_warning, limits.total_rate_error) == (100.0, 150.0)
    assert limits.default_pay_band == PayBand(10_000.0, 250_000.0)
    xlsx = xlsx_limits(settings)
    assert xlsx.max_unpacked_bytes == 512 * MIB
    assert xlsx.max_shared_strings == 2_000_000
    assert xlsx.max_shared_strings_bytes == 256 * MIB


def test_every_setting_reaches_the_limits() -> None:
    settings = Settings(
        plausibility_max_age=90,
        plausibility_max_age_error=110,
        total_rate_warning=105.0,
        total_rate_error=140.0,
        pay_band_low=15_000.0,
        pay_band_high=90_000.0,
        xlsx_max_unpacked_bytes=MIB,
        xlsx_max_shared_strings=10,
        xlsx_max_shared_strings_bytes=2 * MIB,
    )
    limits = plausibility_limits(settings)
    assert (limits.max_age, limits.max_age_error) == (90, 110)
    assert (limits.total_rate_warning, limits.total_rate_error) == (105.0, 140.0)
    assert limits.default_pay_band == PayBand(15_000.0, 90_000.0)
    xlsx = xlsx_limits(settings)
    assert (xlsx.max_unpacked_bytes, xlsx.max_shared_strings, xlsx.max_shared_strings_bytes) == (
        MIB,
        10,
        2 * MIB,
    )


def test_the_pay_band_setting_is_used_by_the_import(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    # anstallningar.csv has monthly pay 78 500 (A1, data row 2), 52 000, 31 200 and 29 800:
    # with the band 10 000–250 000 none is outside, with 10 000–60 000 only A1.
    default = import_export(
        _hb(tmp_path / "a", store),
        folder=export_folder,
        org_id="1280",
        org_name="Malmö stad",
        principal=SYSTEM,
    )
    assert not [w for w in default.warnings if "Månadslönen" in w.message]
    narrow = import_export(
        _hb(tmp_path / "b", store, pay_band_high=60_000.0),
        folder=export_folder,
        org_id="1280",
        org_name="Malmö stad",
        principal=SYSTEM,
    )
    [warning] = [w for w in narrow.warnings if "Månadslönen" in w.message]
    assert warning.file == "anstallningar.csv"
    assert warning.row == 2
    assert "78 500" in warning.message.replace("\u00a0", " ")
    assert "60 000" in warning.message.replace("\u00a0", " ")


def test_without_a_date_the_latest_date_in_the_files_names_the_snapshot(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    # The export's latest start is the absence from 2025-03-10 (franvaro.csv); employments
    # start at the latest 2025-01-01 and there is no working time or pay table.
    hb = _hb(tmp_path, store)
    outcome = import_export(
        hb, folder=export_folder, org_id="1280", org_name="Malmö stad", principal=SYSTEM
    )
    assert outcome.as_of == date(2025, 3, 10)
    assert hb.dataset("1280").as_of == date(2025, 3, 10)
    [record] = store.list_imports()
    assert record.as_of == date(2025, 3, 10)
    assert outcome.report_path.name.startswith("validering-1280-2025-03-10-")


def test_an_org_code_with_a_path_is_refused_before_anything_is_written(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    hb = _hb(tmp_path, store)
    with pytest.raises(InvalidOrgCode, match="snedstreck"):
        import_export(hb, folder=export_folder, org_id="../../x", org_name="X", principal=SYSTEM)
    assert not (tmp_path / "data" / "rapporter").exists()
    assert not list(tmp_path.rglob("validering-*"))
    assert store.list_imports() == []


def test_a_report_that_cannot_be_written_is_one_sentence_and_nothing_is_stored(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    # A file where the report folder should be: creating the folder fails as on a full disk
    # or a folder without write permission (an OSError), also when the tests run as root.
    (tmp_path / "data").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "rapporter").write_text("inte en katalog", encoding="utf-8")
    hb = _hb(tmp_path, store)
    with pytest.raises(ConfigurationError) as caught:
        import_export(
            hb, folder=export_folder, org_id="1280", org_name="Malmö stad", principal=SYSTEM
        )
    message = str(caught.value)
    assert message.startswith("Valideringsrapporten kunde inte skrivas till ")
    assert "\n" not in message
    assert "Inget importerades." in message
    assert store.list_imports() == []


def test_the_demo_prints_one_user_and_password_per_line(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    from hallbar.core.access import Role
    from hallbar.services.admin.auth import DEMO_USERNAMES
    from hallbar.services.imports.demo import DemoRun, _demo_users

    hb = _hb(tmp_path, store)
    import_export(hb, folder=export_folder, org_id="1280", org_name="Malmö stad", principal=SYSTEM)
    run = DemoRun(hb=hb, size=0, seed=0, as_of=date(2025, 12, 31), org_id="1280")
    _demo_users(run)
    header, *lines = run.notes
    assert header == "Demoanvändare för webben (lösenorden visas bara nu):"
    # One line per role (DEMO_USERNAMES), each naming its user, role and password.
    assert len(lines) == len(DEMO_USERNAMES)
    for line, (role, username) in zip(lines, DEMO_USERNAMES.items(), strict=True):
        assert line.startswith(f"Användare {username} ({Role(role).value}), lösenord: ")
        assert "\n" not in line and ";" not in line
        assert len(line.rsplit(" ", 1)[1]) >= 16  # secrets.token_urlsafe(12): 16 characters


def test_an_upload_without_a_date_takes_the_latest_date_in_the_files(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    from hallbar.core.access import Principal, Role
    from hallbar.services.imports import uploads

    hb = _hb(tmp_path, store)
    import_export(
        hb, folder=export_folder, org_id="1280", org_name="Malmö stad",
        as_of=date(2025, 1, 31), principal=SYSTEM,
    )  # fmt: skip
    hr = Principal(1, "hr", Role.HR, frozenset({"1280"}))
    files = tuple(sorted(export_folder.iterdir()))
    outcome = uploads.import_uploaded(hb, hr, org_id="1280", folder=export_folder, files=files)
    # The latest start in the files: the absence from 2025-03-10 (franvaro.csv).
    assert outcome.as_of == date(2025, 3, 10)
    assert [r.as_of for r in uploads.import_history(hb, hr, "1280")] == [
        date(2025, 3, 10),
        date(2025, 1, 31),
    ]
