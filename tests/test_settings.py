"""Where settings come from: keyword arguments, then ``ARSIP_*`` variables, then
``arsip.toml`` in the working directory; pydantic validates and converts them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from flows.settings import Settings, configured, load_settings


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.lower().startswith("arsip_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def test_defaults_without_file_or_variables(clean: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.home == Path("data") and settings.role == "petugas"
    assert settings.ocr_dpi == 300 and settings.office_name == "Arsip PPID — KPU"


def test_environment_wins_over_the_file_and_arguments_over_both(
    clean: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "arsip.toml").write_text(
        'home = "/srv/arsip"\nocr_dpi = 200\nrole = "ppid"\nweb_demo = true\n'
    )
    clean.setenv("ARSIP_OCR_DPI", "400")
    clean.setenv("arsip_role", "admin")  # any case
    settings = load_settings(role="atasan")
    assert settings.home == Path("/srv/arsip")  # from the file
    assert settings.ocr_dpi == 400  # the variable over the file, converted
    assert settings.role == "atasan"  # the argument over both
    assert settings.web_demo is True


def test_values_are_converted_and_checked(clean: pytest.MonkeyPatch) -> None:
    clean.setenv("ARSIP_WEB_DEMO", "yes")
    clean.setenv("ARSIP_MAX_FILE_MB", "12.5")
    clean.setenv("ARSIP_WEB_SESSION_SECRET", "rahasia")
    settings = load_settings()
    assert settings.web_demo is True and settings.max_file_mb == 12.5
    assert settings.web.session_secret is not None
    assert settings.web.session_secret.get_secret_value() == "rahasia"
    clean.setenv("ARSIP_OCR_DPI", "9000")
    with pytest.raises(ValidationError, match="ocr_dpi"):
        load_settings()


def test_unknown_variables_are_ignored_and_settings_are_frozen(
    clean: pytest.MonkeyPatch,
) -> None:
    clean.setenv("ARSIP_TEST_POSTGRES_URL", "postgresql://x")
    clean.setenv("ARSIPX_HOME", "/elsewhere")  # not the prefix
    settings = load_settings()
    assert settings.home == Path("data")
    with pytest.raises(ValidationError):
        settings.home = Path("/tmp")  # type: ignore[misc]


def test_the_office_name_is_read_under_its_older_web_name(clean: pytest.MonkeyPatch) -> None:
    clean.setenv("ARSIP_WEB_OFFICE_NAME", "KPU Kota Bengkulu")
    assert load_settings().office_name == "KPU Kota Bengkulu"
    assert load_settings().web.office_name == "KPU Kota Bengkulu"
    clean.setenv("ARSIP_OFFICE_NAME", "KPU Provinsi Bengkulu")  # the current name wins
    assert load_settings().office_name == "KPU Provinsi Bengkulu"


def test_configured_reads_the_given_environment_and_file(tmp_path: Path) -> None:
    path = tmp_path / "arsip.toml"
    path.write_text("ocr_workers = 3\n")
    found = configured({"ARSIP_OCR_WORKERS": "2", "HOME": "/root"}, path)
    assert found == {"ocr_workers": "2"}
    assert configured({}, path) == {"ocr_workers": 3}
    assert configured({}, tmp_path / "missing.toml") == {}
    assert Settings(ocr_workers=1).ocr_workers == 1
