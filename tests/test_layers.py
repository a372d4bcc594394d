"""The import-linter contract in pyproject.toml covers every app of ours.

import-linter reads only the root packages it is given, so an app left out of the list would escape the layers
without a word. make test runs lint-imports itself; this checks the list it reads.
"""

import tomllib
from pathlib import Path

from django.apps import apps

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def importlinter_config() -> dict:
    with open(PROJECT_ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]


def our_apps() -> set[str]:
    return {config.name for config in apps.get_app_configs() if Path(config.path).parent == PROJECT_ROOT}


def test_every_app_of_ours_is_read_by_import_linter():
    assert our_apps() <= set(importlinter_config()["root_packages"])


def test_every_app_of_ours_has_a_place_in_the_layers():
    (contract,) = importlinter_config()["contracts"]
    layers = {layer.strip("()") for layer in contract["layers"]}
    assert our_apps() <= layers


def test_portal_is_the_top_layer_and_common_the_bottom():
    (contract,) = importlinter_config()["contracts"]
    assert contract["type"] == "layers"
    assert contract["layers"][0] == "portal"
    assert contract["layers"][-1] == "common"
