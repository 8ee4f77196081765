"""Rights sits at the bottom of the contexts: it never imports catalogue, streaming or audience."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

RIGHTS_DIR = Path(__file__).resolve().parents[3] / "rights"
UPPER = ("catalogue", "streaming", "audience")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_rights_module_names_an_upper_context() -> None:
    offenders = {
        f"{path.name}: {name}"
        for path in RIGHTS_DIR.glob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in UPPER
    }
    assert len(list(RIGHTS_DIR.glob("*.py"))) >= 5  # the scan sees the package
    assert not offenders


def test_importing_all_of_rights_loads_no_upper_context() -> None:
    code = (
        "import sys, importlib, pkgutil, rights\n"
        "for info in pkgutil.iter_modules(rights.__path__): importlib.import_module('rights.' + info.name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {UPPER!r}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=RIGHTS_DIR.parent)
    assert result.stdout.strip() == "[]"
