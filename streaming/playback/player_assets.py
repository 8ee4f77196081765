"""The browser assets the player serves from the app itself (hls.js), and the start-up check that they are there."""

from __future__ import annotations

from pathlib import Path

from cinedoc.kernel.templating import PROJECT_DIR

# Installed from package-lock.json by `scripts/install.sh` (`npm ci --omit=dev`), next to the templates: the app runs
# from its checkout, so the checkout's node_modules is where the asset is.
HLS_JS = PROJECT_DIR / "node_modules" / "hls.js" / "dist" / "hls.min.js"


class PlayerAssetMissing(RuntimeError):
    """A script the player needs is not installed: without it no film plays, so the app refuses to start."""


def check_player_assets(path: Path | None = None) -> None:
    path = path or HLS_JS
    if not path.is_file():
        raise PlayerAssetMissing(
            f"The player's hls.js is not installed ({path} is missing), so no film could play. Install it with "
            "`bash scripts/install.sh` (it runs `npm ci --omit=dev`, which puts the version pinned in "
            "package-lock.json into node_modules), then start again."
        )
