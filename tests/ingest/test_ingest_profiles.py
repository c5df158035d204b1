"""Profiles: a user's own TOML file, header folding and Swedish profile errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from hallbar.core.errors import ConfigurationError
from hallbar.ingest import load_profile
from hallbar.ingest.profiles import fold


def test_fold_is_case_space_and_a_ring_tolerant() -> None:
    assert fold(" Anställningsform ") == fold("anstallningsform") == "anstallningsform"
    assert fold("Anst.nr") == fold("ANST NR") == "anstnr"
    assert fold("Fr.o.m") == "from"


def test_generic_accepts_swedish_and_english_headers() -> None:
    emp = load_profile("generic").table("employments")
    assert emp.headers[fold("sysselsättningsgrad")] == "rate"
    assert emp.headers[fold("rate")] == "rate"
    assert emp.headers[fold("employment_form")] == "employment_form"
    assert emp.values["employment_form"][fold("Tillsvidareanställning")] == "tillsvidare"


def test_user_profile_extends_generic(tmp_path: Path) -> None:
    path = tmp_path / "min_profil.toml"
    path.write_text(
        """
name = "min"
date_formats = ["%d.%m.%Y"]

[anstallningar]
files = ["personal_*.csv"]
ignore = ["Kommentar"]

[anstallningar.kolumner]
rate = ["Tjg-grad"]

[anstallningar."värden".anstallningsform]
"Fast" = "tillsvidare"
""",
        encoding="utf-8",
    )
    profile = load_profile(path)
    emp = profile.table("employments")
    assert profile.name == "min"
    assert emp.headers["tjggrad"] == "rate"
    assert emp.headers["sysselsattningsgrad"] == "rate"  # generic still accepted
    assert emp.values["employment_form"]["fast"] == "tillsvidare"
    assert emp.values["employment_form"]["vikariat"] == "visstid"  # from generic
    assert emp.files[-1] == "personal*"  # folded like a header: "_" and ".csv" dropped
    assert "kommentar" in emp.ignore
    assert "%d.%m.%Y" in profile.table("absences").date_formats


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[anstallningar\n", "är inte giltig TOML"),
        ("[loner]\nfiles = ['x']\n", "okänd tabell 'loner'"),
        (
            "[anstallningar.columns]\nlon = ['Lön']\n",
            "tabellen anstallningar har ingen kolumn 'lon'",
        ),
        (
            "[anstallningar.values.employment_form]\nTV = 'fast'\n",
            "'TV' översätts till 'fast', men anstallningsform får bara vara: tillsvidare",
        ),
        (
            "[anstallningar.values.rate]\nx = 'y'\n",
            "värdeöversättning för 'rate' går inte",
        ),
        ("[anstallningar]\nfiler = 3\n", "files ska vara en text eller en lista"),
        ("[anstallningar]\nkolumn = {}\n", "okända nycklar under [anstallningar]: kolumn"),
        ("extends = 'saknas'\n", "Okänd profil 'saknas'"),
    ],
)
def test_profile_errors_are_swedish(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "fel.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_profile(path)


def test_unknown_builtin_and_missing_file() -> None:
    with pytest.raises(ConfigurationError, match=r"Okänd profil 'visma'.*generic"):
        load_profile("visma")
    with pytest.raises(ConfigurationError, match=r"Profilfilen .* finns inte"):
        load_profile(Path("/nonexistent/profil.toml"))
