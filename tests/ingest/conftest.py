"""Fixtures of the ingest tests: the committed sample inputs in tests/data/ingest/."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "ingest"


@pytest.fixture(scope="session")
def ingest_data() -> Path:
    """Return the folder of ingest sample inputs."""
    return DATA


@pytest.fixture(scope="session")
def seed_page() -> str:
    """Return the saved news page: one article amid menus, breadcrumbs, share and related links."""
    return (DATA / "seed_page.html").read_text(encoding="utf-8")
