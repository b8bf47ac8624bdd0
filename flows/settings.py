"""The one place configuration is read: environment (``ARSIP_*``) and optional ``arsip.toml``.

Read once per process (``load_settings`` at each entry point: the CLI, a flow run, the web
app); everything downstream receives a :class:`Settings` or the small records derived
from it (:class:`WebSettings`, ``limits``, ``ocr``, ``layout``) explicitly. No module reads
the environment on its own.

The sources are read here rather than by pydantic-settings, whose import loads asyncio,
ssl and pydantic's dataclasses: ~35 ms of CPU of each command that does not load Prefect
(``arsip search`` at the shell: ~0.4 s in all). The rules are those it applied: keyword
arguments win over the environment, the environment over the file; a variable's name is
``ARSIP_`` and the field's name in any case; values are validated and converted by
pydantic; other variables are ignored.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from archive.store import ArchiveLayout
from archive.vocabulary import Role
from tasks.options import Limits, OcrOptions  # not tasks.ocr/detect: no PIL, magic


class WebSettings(BaseModel):
    """The web app's part of the settings (``ARSIP_WEB_*``), as one record."""

    model_config = ConfigDict(frozen=True)

    host: str = "127.0.0.1"
    port: int = 8000
    demo: bool = False
    secure_cookies: bool = False
    session_secret: SecretStr | None = None
    session_idle_minutes: float = 30
    session_lifetime_hours: float = 12
    login_max_failures: int = 5
    login_window_minutes: float = 15
    max_upload_files: int = 20
    office_name: str = "Arsip PPID — KPU"
    timezone: str = "Asia/Jakarta"
    trusted_proxies: str = ""  # nobody: X-Forwarded-For is ignored unless configured


def _default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))


ENV_PREFIX = "arsip_"
SETTINGS_FILE = Path("arsip.toml")  # in the working directory
# Older names still read: the office name was first a web setting.
_RENAMED = {"web_office_name": "office_name"}


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    found = {
        name.lower().removeprefix(ENV_PREFIX): value
        for name, value in environ.items()
        if name.lower().startswith(ENV_PREFIX)
    }
    for old, new in _RENAMED.items():
        if old in found:
            found.setdefault(new, found.pop(old))
    return found


def _from_file(path: Path) -> dict[str, Any]:
    import tomllib  # only when there is a file: ~5 ms

    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        return {}


def configured(environ: Mapping[str, str], path: Path) -> dict[str, Any]:
    """The settings given by the file at ``path`` and the environment (which wins)."""
    return _from_file(path) | _from_environment(environ)


class Settings(BaseModel):
    """Every setting, from the keyword arguments, the environment and ``arsip.toml``."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    def __init__(self, **values: Any) -> None:
        super().__init__(**(configured(os.environ, SETTINGS_FILE) | values))

    home: Path = Field(default=Path("data"), description="Data root: inbox, archive, index, ...")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default sqlite:///<home>/catalog.db"
    )
    role: Role = "petugas"

    ocr_languages: str = "ind+eng"
    ocr_dpi: int = Field(default=300, ge=70, le=600)
    ocr_workers: int = Field(default_factory=_default_workers, ge=1)
    min_page_text_chars: int = Field(default=20, ge=0, description="below: page is OCRed")
    dask_address: str | None = Field(
        default=None,
        description="Dask scheduler (tcp://host:8786) to OCR pages on; default local processes",
    )

    min_ocr_confidence: float = Field(default=60.0, ge=0, le=100)
    min_type_confidence: float = Field(default=0.5, ge=0, le=1)

    max_file_mb: float = Field(default=200.0, gt=0)
    max_pages: int = Field(default=1000, ge=1)
    max_image_megapixels: float = Field(default=120.0, gt=0)

    settle_seconds: float = Field(
        default=5.0, ge=0, description="skip inbox files changed more recently (still copying)"
    )
    release_mode: Literal["delete", "move"] = Field(
        default="delete", description="after archiving: delete the inbox file or move it"
    )

    # The service (`arsip start`): its Prefect server and the ingest schedule.
    prefect_host: str = Field(default="127.0.0.1", description="Prefect server/UI address")
    prefect_port: int = Field(default=4200, ge=1, le=65535)
    ingest_every_seconds: int = Field(
        default=300, ge=1, description="interval of the scheduled ingest run"
    )

    # Shown on every page and in the published DIK.
    office_name: str = "Arsip PPID — KPU"
    timezone: str = Field(default="Asia/Jakarta", description="for dates shown to people")

    # The web app (`arsip serve`, `arsip start`).
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=1, le=65535)
    web_demo: bool = Field(
        default=False, description="create a demo account (random password) when none exists"
    )
    web_secure_cookies: bool = Field(
        default=False, description="mark cookies Secure and send HSTS (behind HTTPS)"
    )
    web_session_secret: SecretStr | None = Field(
        default=None, description="signs the sign-in form token; random per start when unset"
    )
    web_session_idle_minutes: float = Field(default=30, gt=0)
    web_session_lifetime_hours: float = Field(default=12, gt=0)
    web_login_max_failures: int = Field(default=5, ge=1)
    web_login_window_minutes: float = Field(default=15, gt=0)
    web_max_upload_files: int = Field(default=20, ge=1)
    web_trusted_proxies: str = Field(
        default="",
        description="proxy addresses/networks whose X-Forwarded-For is believed; empty: none",
    )
    # An idle connection is closed after this long. A client or reverse proxy that keeps
    # one longer sends its next request into the close: with uvicorn's 5 s, one request in
    # 7,531 failed at 50 clients (bench_web_load). nginx keeps upstream connections 60 s.
    web_keep_alive_seconds: int = Field(default=75, ge=1)
    # How many processes serve the web app (`arsip serve`): one core each.
    web_workers: int = Field(default_factory=lambda: min(2, _default_workers()), ge=1)

    @property
    def catalog_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home.resolve() / 'catalog.db'}"

    @property
    def layout(self) -> ArchiveLayout:
        return ArchiveLayout(self.home.resolve())

    @property
    def limits(self) -> Limits:
        return Limits(
            max_bytes=int(self.max_file_mb * 1024 * 1024),
            max_pages=self.max_pages,
            max_pixels=int(self.max_image_megapixels * 1_000_000),
        )

    @property
    def ocr(self) -> OcrOptions:
        return OcrOptions(languages=self.ocr_languages, dpi=self.ocr_dpi)

    def office_today(self) -> date:
        return today_in(self.timezone)

    @property
    def web(self) -> WebSettings:
        values = {name: getattr(self, f"web_{name}") for name in WebSettings.model_fields
                  if hasattr(self, f"web_{name}")}  # fmt: skip
        return WebSettings(**values, office_name=self.office_name, timezone=self.timezone)


def today_in(timezone: str) -> date:
    """Today where the office is (the server may keep UTC): what decrees, reviews, expiry
    and request deadlines are dated by."""
    return datetime.now(ZoneInfo(timezone)).date()


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)
