"""The demo catalogue's words live in data files that ship with the package, and the generator reading them makes
exactly the films it made when the words were Python tables."""

from __future__ import annotations

import dataclasses
import hashlib
import tomllib
from pathlib import Path

import pytest

from catalogue.films.demo import generate_films

PROJECT_DIR = Path(__file__).resolve().parents[4]
DATA_DIR = PROJECT_DIR / "catalogue" / "films" / "demo_data"

# sha256 over repr(astuple(film)) of each film, measured with the word tables still in catalogue/films/demo.py
# (before they moved to demo_data/). A deliberate change to the words or the rules changes these: update them then.
DIGESTS = {
    (480, 2024): "041144d8e1efd9e6df1f09377f1ec451e8a0a20f6551162e17b5c24846683b07",
    (1000, 5): "3132aa5f671d1ab00807a70e1d73c1c5a8a9a839d11c56f6578374ea0cbbfc8d",
}


def catalogue_digest(count: int, seed: int) -> str:
    digest = hashlib.sha256()
    for film in generate_films(count, seed):
        digest.update(repr(dataclasses.astuple(film)).encode())
    return digest.hexdigest()


@pytest.mark.parametrize(("count", "seed"), sorted(DIGESTS))
def test_the_generator_makes_the_same_films_as_before_the_words_became_data_files(count: int, seed: int) -> None:
    assert catalogue_digest(count, seed) == DIGESTS[(count, seed)]


def test_every_data_file_is_package_data_for_a_non_editable_install() -> None:
    config = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["catalogue"]
    shipped = {path for pattern in patterns for path in (PROJECT_DIR / "catalogue").glob(pattern)}
    files = set(DATA_DIR.glob("*"))
    assert len(files) >= 8
    assert files <= shipped
