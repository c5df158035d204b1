"""The composition root: lazy migrated store, dataset cache keyed by the latest import."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from hallbar.core.dataset import HRData
from hallbar.services.context import Hallbar
from hallbar.settings import Settings
from hallbar.store import Store


def _save(store: Store, data: HRData) -> int:
    return store.save_import(data, created_by="test", profile="generic", files={}, row_counts={})


def test_store_is_created_in_the_data_dir_and_migrated(tmp_path: Path) -> None:
    hb = Hallbar(Settings(data_dir=tmp_path / "data"))
    assert hb.store.list_imports() == []  # querying works: the schema exists
    assert (tmp_path / "data" / "hallbar.db").is_file()
    hb.close()


def test_dataset_is_cached_until_a_new_import(
    store: Store, make_hrdata: Callable[..., HRData], tmp_path: Path
) -> None:
    hb = Hallbar(Settings(data_dir=tmp_path), store=store)
    _save(store, make_hrdata(as_of=date(2024, 12, 31)))
    first = hb.dataset("1280")
    assert hb.dataset("1280") is first  # same object: not reloaded
    _save(store, make_hrdata(as_of=date(2025, 12, 31)))
    second = hb.dataset("1280")
    assert second is not first
    assert second.as_of == date(2025, 12, 31)
    hb.close()


def test_pseudonym_key_is_created_outside_the_database_once(tmp_path: Path) -> None:
    hb = Hallbar(Settings(data_dir=tmp_path))
    key = hb.pseudonym_key()
    assert len(key) == 32
    assert (tmp_path / "pseudonymnyckel.key").is_file()
    assert Hallbar(Settings(data_dir=tmp_path)).pseudonym_key() == key
