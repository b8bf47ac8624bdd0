"""The one place configuration is read: environment (``ARSIP_*``) and optional ``arsip.toml``.

Everything downstream receives a :class:`Settings` (or the small records derived from it)
explicitly; no module reads the environment on its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from archive.store import ArchiveLayout
from archive.vocabulary import Role
from tasks.detect import Limits
from tasks.ocr import OcrOptions


def _default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ARSIP_", frozen=True, toml_file="arsip.toml", extra="ignore"
    )

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

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment wins over the file, so ops can override one value without editing it.
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

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


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
