"""Settings of the web app (env prefix ``ARSIP_WEB_``), read once by ``arsip serve``.

The archive's own settings stay in :mod:`flows.settings`; both are passed to
:func:`web.app.create_app` explicitly.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ARSIP_WEB_", frozen=True, extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    demo: bool = Field(
        default=False, description="create a demo account (random password) when none exists"
    )
    secure_cookies: bool = Field(
        default=False, description="mark cookies Secure and send HSTS (behind HTTPS)"
    )
    session_secret: SecretStr | None = Field(
        default=None, description="signs the sign-in form token; random per start when unset"
    )
    session_idle_minutes: float = Field(default=30, gt=0)
    session_lifetime_hours: float = Field(default=12, gt=0)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_minutes: float = Field(default=15, gt=0)
    max_upload_files: int = Field(default=20, ge=1)
    office_name: str = "Arsip PPID — KPU"
    timezone: str = "Asia/Jakarta"
    trusted_proxies: str = Field(
        default="127.0.0.1", description="addresses whose X-Forwarded-For is believed"
    )


def load_web_settings(**overrides: object) -> WebSettings:
    return WebSettings(**overrides)  # type: ignore[arg-type]
