"""The contexts' packages import nothing, so their models load without the web framework (migrations and scripts
read them outside the app), and the route handlers come only from `<context>.routes`."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
CONTEXTS = ("rights", "catalogue", "streaming", "audience")
# Rule modules still load Litestar through the kernel's cinedoc.kernel.errors (domain errors and their HTTP mapping
# share a module), so only the models are held to it here.
WITHOUT_WEB = ("rights.models", "catalogue.films.models", "catalogue.acquisitions.models", "streaming.media.models",
               "streaming.access.models", "audience.viewing.models", "audience.prize.models")


def test_no_package_init_of_these_contexts_imports_anything() -> None:
    inits = sorted(path for context in CONTEXTS for path in (PROJECT_DIR / context).rglob("__init__.py"))
    assert len(inits) >= 6  # the contexts and their rooms
    importing = [
        str(path.relative_to(PROJECT_DIR)) for path in inits
        if any(isinstance(node, ast.Import | ast.ImportFrom) for node in ast.walk(ast.parse(path.read_text())))
    ]
    assert importing == []


@pytest.mark.parametrize("module", WITHOUT_WEB)
def test_a_models_module_loads_without_litestar(module: str) -> None:
    code = f"import sys, {module}\nprint(sorted(m for m in sys.modules if m.split('.')[0] == 'litestar'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_DIR)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("context", CONTEXTS)
def test_each_context_lists_its_route_handlers_in_routes(context: str) -> None:
    routes = __import__(f"{context}.routes", fromlist=["route_handlers"])
    assert len(routes.route_handlers) >= 5
