"""The address the platform's server last started on, kept in its data folder, so that commands run beside it (embed
URLs and snippets) default to the address that really answers rather than to the default port."""

from __future__ import annotations

from pathlib import Path

ADDRESS_FILE = "server-address"


def server_url(host: str, port: int) -> str:
    """The http address of a server listening on host:port, as a browser on this machine reaches it."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def record_server_address(data_dir: Path, url: str) -> None:
    # A read-only data folder must not keep the server from starting: the commands then fall back to HOST:PORT.
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / ADDRESS_FILE).write_text(url.rstrip("/") + "\n", encoding="utf-8")
    except OSError:
        pass


def recorded_server_address(data_dir: Path) -> str | None:
    try:
        text = (data_dir / ADDRESS_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text if text.startswith(("http://", "https://")) else None
