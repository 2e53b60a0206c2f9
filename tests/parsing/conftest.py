"""Fixtures of the parser tests: one shared resolver (building it costs ~0.4 s)."""

from __future__ import annotations

import pytest

from fitness_core.parsing import default_resolver


@pytest.fixture(scope="session")
def resolver():
    return default_resolver()
