"""Settings come from CINEDOC_* variables, with embedded defaults and no public secret outside the demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from cinedoc.kernel.settings import DEMO_SECRET_KEY, InsecureSettingsError, Settings


def test_defaults_run_embedded_from_the_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CINEDOC_DATA_DIR", "CINEDOC_DATABASE_URL", "CINEDOC_HOST", "CINEDOC_PORT", "CINEDOC_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.data_dir == Path("./data")
    assert settings.effective_database_url.startswith("sqlite:///") and settings.effective_database_url.endswith(
        "data/cinedoc.sqlite3")
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_environment_variables_override_the_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CINEDOC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CINEDOC_DATABASE_URL", "postgresql+psycopg://cinedoc@db/cinedoc")
    monkeypatch.setenv("CINEDOC_PORT", "9100")
    monkeypatch.setenv("CINEDOC_HOST", "0.0.0.0")
    settings = Settings()
    assert settings.data_dir == tmp_path
    assert settings.effective_database_url == "postgresql+psycopg://cinedoc@db/cinedoc"
    assert settings.media_dir == tmp_path / "media"
    assert (settings.host, settings.port) == ("0.0.0.0", 9100)


def test_the_public_demo_secret_is_refused_outside_demo_mode() -> None:
    with pytest.raises(InsecureSettingsError, match="CINEDOC_SECRET_KEY"):
        Settings(secret_key=DEMO_SECRET_KEY).require_safe_secret()
    Settings(secret_key=DEMO_SECRET_KEY, demo=True).require_safe_secret()
    Settings(secret_key="a-long-and-private-secret-value").require_safe_secret()


def test_a_short_secret_or_a_bad_port_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="16 characters"):
        Settings(secret_key="short")
    monkeypatch.setenv("CINEDOC_PORT", "99999")
    with pytest.raises(ValueError):
        Settings()
