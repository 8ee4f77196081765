"""The reference signers of docs/integration.md (Python and shell with openssl) produce assertions the platform
accepts, exactly as printed in the guide."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from sqlmodel import Session

from streaming.access.assertions import verify_assertion
from tests.playback_helpers import make_institution

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "integration.md"


def code_block(language: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1, f"expected one {language} block in the guide"
    return blocks[0]


def accept(db: Session, token: str) -> tuple[int, str]:
    assertion = verify_assertion(db, token, now=time.time(), skew=120, max_lifetime=600)
    return assertion.institution_id, assertion.patron


def test_the_python_reference_signer_is_accepted(db: Session) -> None:
    key = make_institution(db)
    namespace: dict[str, object] = {}
    exec(compile(code_block("python"), str(GUIDE), "exec"), namespace)  # noqa: S102 - our own documentation
    token = namespace["sign_assertion"](key.kid, key.secret, key.institution_id, "lecteur-ü-42")  # type: ignore[operator]
    assert accept(db, token) == (key.institution_id, "lecteur-ü-42")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_the_openssl_reference_signer_is_accepted(db: Session, tmp_path: Path) -> None:
    key = make_institution(db)
    script = tmp_path / "sign-assertion.sh"
    script.write_text(code_block("sh"), encoding="utf-8")
    result = subprocess.run(["sh", str(script), key.kid, key.secret, str(key.institution_id), "lecteur-42"],
                            capture_output=True, text=True, check=True)
    token = result.stdout.strip()
    assert accept(db, token) == (key.institution_id, "lecteur-42")
    # Two runs never share a nonce.
    second = subprocess.run(["sh", str(script), key.kid, key.secret, str(key.institution_id), "lecteur-42"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert accept(db, second)[1] == "lecteur-42"
