"""Typed settings read once from ``CINEDOC_*`` environment variables, with embedded-mode defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The demo secret is public (it is in this file): it is only accepted when demo mode says so.
DEMO_SECRET_KEY = "cinedoc-demo-secret-not-for-production"


class InsecureSettingsError(RuntimeError):
    """Raised when the settings would run a real deployment with a public secret."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CINEDOC_", extra="ignore")

    data_dir: Path = Field(default=Path("./data"), description="Holds the SQLite file and the local media.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite in data_dir when unset.")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: str = DEMO_SECRET_KEY
    demo: bool = Field(default=False, description="Demo mode accepts the public demo secret.")
    secure_cookies: bool = Field(default=False, description="Send cookies over HTTPS only (set behind TLS).")
    default_locale: str = "fr"
    packaging_worker: bool = Field(default=True, description="Run packaging jobs in the app process (embedded).")

    @model_validator(mode="after")
    def _check_secret(self) -> Settings:
        if len(self.secret_key) < 16:
            raise ValueError("CINEDOC_SECRET_KEY must be at least 16 characters long.")
        return self

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'cinedoc.sqlite3').resolve()}"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    def require_safe_secret(self) -> None:
        """Refuse to serve with the public demo secret unless in demo mode."""
        if self.secret_key == DEMO_SECRET_KEY and not self.demo:
            raise InsecureSettingsError(
                "CINEDOC_SECRET_KEY is still the public demo default. Set a long random value, for example "
                "`export CINEDOC_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')`, "
                "or run `cinedoc demo` for a throwaway demo."
            )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
