"""Staged uploads (issue 10): one home for the column mapping's and the confirm step's files.

Both flows keep their files through ``hallbar.services.imports.staging``; these tests
check what both rely on (owner-only files, the owner and organisation, hostile tokens,
a sweep per purpose) and each flow's round trip through it.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import UploadFile

from hallbar.core.access import SYSTEM, Principal, Role
from hallbar.core.errors import AccessDenied, NotFound
from hallbar.services.context import Hallbar
from hallbar.services.imports import mapping, staging, uploads
from hallbar.services.imports.importing import import_export
from hallbar.settings import Settings
from hallbar.store import Store
from hallbar.web.uploads import save_uploads

HR = Principal(11, "hr1280", Role.HR, frozenset({"1280"}))
OTHER_HR = Principal(12, "hr1280b", Role.HR, frozenset({"1280", "1281"}))
ANALYST = Principal(14, "analytiker", Role.ANALYST, frozenset({"1280"}))


@pytest.fixture
def hb(store: Store, tmp_path: Path, export_folder: Path) -> Hallbar:
    root = Hallbar(Settings(data_dir=tmp_path / "data"), store=store)
    import_export(
        root, folder=export_folder, org_id="1280", org_name="Malmö stad", principal=SYSTEM
    )
    return root


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A process umask that restricts nothing: owner-only must not depend on it."""
    before = os.umask(0)
    yield
    os.umask(before)


def _upload(source: Path, folder: Path) -> tuple[Path, ...]:
    """A copy of the export, readable by everyone, as a browser upload lands on disk."""
    folder.mkdir(parents=True)
    out = []
    for path in sorted(source.glob("*.csv")):
        shutil.copyfile(path, folder / path.name)
        os.chmod(folder / path.name, 0o644)
        out.append(folder / path.name)
    return tuple(out)


@pytest.mark.parametrize("purpose", [staging.MAPPING, staging.CONFIRMATION])
@pytest.mark.parametrize("move", [False, True])
def test_staged_files_are_owner_only_and_come_back_with_their_details(
    hb: Hallbar,
    tmp_path: Path,
    export_folder: Path,
    open_umask: None,
    purpose: staging.Purpose,
    move: bool,
) -> None:
    files = _upload(export_folder, tmp_path / "upload")
    contents = {p.name: p.read_bytes() for p in files}
    token = staging.stage(hb, HR, "1280", purpose, files, {"profile": "engelska"}, move=move)
    kept = staging.staged(hb, HR, "1280", purpose, token)
    assert kept.folder == tmp_path / "data" / purpose.folder / token
    assert {p.name: p.read_bytes() for p in kept.files} == contents
    assert kept.details == {"profile": "engelska"}
    assert stat.S_IMODE(kept.folder.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(kept.folder.stat().st_mode) == 0o700
    for path in kept.folder.iterdir():  # the files and the record of who staged them
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert all(p.exists() for p in files) is not move
    staging.discard(kept)
    assert not kept.folder.exists()
    with pytest.raises(NotFound):
        staging.staged(hb, HR, "1280", purpose, token)


def test_only_the_user_and_organisation_that_staged_get_the_files(
    hb: Hallbar, tmp_path: Path, export_folder: Path
) -> None:
    token = staging.stage(
        hb, HR, "1280", staging.CONFIRMATION, _upload(export_folder, tmp_path / "u")
    )
    with pytest.raises(NotFound):
        staging.staged(hb, OTHER_HR, "1280", staging.CONFIRMATION, token)
    with pytest.raises(NotFound):  # the same user would need the same organisation
        staging.staged(hb, OTHER_HR, "1281", staging.CONFIRMATION, token)
    with pytest.raises(AccessDenied):
        staging.staged(hb, ANALYST, "1280", staging.CONFIRMATION, token)
    with pytest.raises(AccessDenied):
        staging.stage(hb, ANALYST, "1280", staging.MAPPING, ())
    # a token of one purpose is not one of the other
    with pytest.raises(NotFound):
        staging.staged(hb, HR, "1280", staging.MAPPING, token)


def test_hostile_tokens_are_refused_before_any_path_is_built(
    hb: Hallbar, tmp_path: Path, export_folder: Path
) -> None:
    token = staging.stage(hb, HR, "1280", staging.MAPPING, _upload(export_folder, tmp_path / "u"))
    # A folder outside the staging that looks like a staged upload of this user.
    shutil.copytree(
        tmp_path / "data" / staging.MAPPING.folder / token, tmp_path / "data" / "a" / "x"
    )
    for bad in (
        "",
        "x",
        "..",
        "../a/x",
        f"../{staging.MAPPING.folder}/{token}",
        f"{token}/..",
        f"{token}/../{token}",
        token + "a",
        token[:-1] + "/",
        token[:-1] + ".",
        token[:-1] + "\x00",
        "%2e%2e%2f" + token[9:],
        "/" + token[1:],
        token.upper() if token.upper() != token else token.lower(),
    ):
        with pytest.raises(NotFound):
            staging.staged(hb, HR, "1280", staging.MAPPING, bad)


def test_each_purpose_is_swept_by_its_own_age_limit(
    hb: Hallbar, tmp_path: Path, export_folder: Path
) -> None:
    def aged(purpose: staging.Purpose, hours: float) -> Path:
        files = _upload(export_folder, tmp_path / f"{purpose.folder}-{hours}")
        token = staging.stage(hb, HR, "1280", purpose, files)
        folder = tmp_path / "data" / purpose.folder / token
        then = folder.stat().st_mtime - hours * 3600
        os.utime(folder, (then, then))
        return folder

    mapping_3h, mapping_1h = aged(staging.MAPPING, 3), aged(staging.MAPPING, 1)
    confirm_3h, confirm_25h = aged(staging.CONFIRMATION, 3), aged(staging.CONFIRMATION, 25)
    staging.sweep(hb, staging.MAPPING)
    assert (mapping_3h.exists(), mapping_1h.exists()) == (False, True)
    assert (confirm_3h.exists(), confirm_25h.exists()) == (True, True)
    staging.sweep(hb, staging.CONFIRMATION)
    assert (confirm_3h.exists(), confirm_25h.exists()) == (True, False)


def test_the_confirm_flow_keeps_reads_back_and_discards_through_the_staging(
    hb: Hallbar, tmp_path: Path, export_folder: Path
) -> None:
    files = _upload(export_folder, tmp_path / "u")
    token = uploads.keep_pending(hb, HR, "1280", files, None, "generic")
    kept = uploads.pending(hb, HR, "1280", token)
    assert kept.staged.folder.parent == tmp_path / "data" / staging.CONFIRMATION.folder
    assert sorted(p.name for p in kept.staged.files) == [p.name for p in files]
    assert (kept.as_of, kept.profile, kept.comparison) == (None, "generic", None)
    # the confirm step imports the kept files and drops them
    active = hb.store.active_import_id("1280")
    outcome = uploads.confirm_pending(hb, HR, "1280", token, active)
    assert outcome.row_counts["employments"] == hb.dataset("1280").employments.height
    assert not kept.staged.folder.exists()
    # a cancel drops them too, and a second cancel finds nothing
    again = uploads.keep_pending(hb, HR, "1280", _upload(export_folder, tmp_path / "v"), None)
    uploads.discard_pending(hb, HR, "1280", again)
    with pytest.raises(NotFound):
        uploads.discard_pending(hb, HR, "1280", again)


def test_the_mapping_flow_stages_through_the_staging(
    hb: Hallbar, tmp_path: Path, export_folder: Path
) -> None:
    files = _upload(export_folder, tmp_path / "u")
    token = mapping.stage_upload(hb, HR, "1280", files, "engelska")
    kept = mapping.staged_upload(hb, HR, "1280", token)
    assert kept.folder.parent == tmp_path / "data" / staging.MAPPING.folder
    assert kept.details == {"profile": "engelska"}
    assert all(p.exists() for p in files)  # copied: the upload form's files stay the caller's
    with pytest.raises(NotFound):  # the confirm step does not read the mapping's files
        uploads.pending(hb, HR, "1280", token)


def test_a_request_receives_its_uploads_owner_only_beside_the_staging(
    hb: Hallbar, tmp_path: Path, open_umask: None
) -> None:
    upload = UploadFile(io.BytesIO(b"personnummer;namn\n"), filename="../../anstallningar.csv")
    with staging.receiving(hb) as folder:
        assert folder.parent == tmp_path / "data" / staging.RECEIVED.folder
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        (saved,) = asyncio.run(save_uploads([upload], folder, max_bytes=1000, max_files=1))
        assert saved == folder / "anstallningar.csv"
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        # keeping it for the confirm step moves it (the same disk), still owner-only
        token = uploads.keep_pending(hb, HR, "1280", (saved,), None)
        assert not saved.exists()
    assert not folder.exists()
    kept = uploads.pending(hb, HR, "1280", token).staged.files
    assert [p.read_bytes() for p in kept] == [b"personnummer;namn\n"]
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
