"""oai_lint.retired_models, the view of the deprecation table that OAI405 uses: today's shut-down models that
the registered byte triggers reach, with replacements followed to a live model, loaded lazily."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from oai_lint import deprecations
from oai_lint.analysis import models as retired_models
from tests.conftest import run_scan, write_tree


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> object:
    def pin(day: datetime.date) -> None:
        monkeypatch.setattr(deprecations, "today", lambda: day)
        retired_models.table.cache_clear()
        retired_models.pattern.cache_clear()

    yield pin
    retired_models.table.cache_clear()
    retired_models.pattern.cache_clear()


def test_every_model_is_reachable_through_a_trigger() -> None:
    words = {t.strip(b"\"': =`").decode() for t in retired_models.TRIGGERS}
    for model in retired_models.table():
        assert any(w in model for w in words), f"{model} contains no OAI405 trigger; add one"


def test_the_view_agrees_with_the_table(on_day) -> None:  # type: ignore[no-untyped-def]
    on_day(datetime.date(2026, 12, 5))
    table = retired_models.table()
    for model, entry in table.items():
        found = deprecations.lookup(model, datetime.date(2026, 12, 5))
        assert found.status == deprecations.SHUT_DOWN and found.shutdown is not None
        assert entry.shutdown == found.shutdown.isoformat()
        assert found.replacement is not None and retired_models.replacement(entry) == found.replacement.id
        assert entry.source
    # dates and replacements the old hand-written table had wrong
    assert table["gpt-3.5-turbo-0613"].shutdown == "2024-09-13"
    assert table["gpt-4-vision-preview"].when() == " on 2024-12-06"
    assert retired_models.replacement(table["curie"]) == "gpt-5.6-terra"
    assert retired_models.replacement(table["text-similarity-ada-001"]) == "text-embedding-3-small"
    # babbage-002 and davinci-002, the 2023 replacements, are shut down since 2026-09-28
    assert "davinci-002" in table


def test_the_view_follows_the_scan_date(on_day) -> None:  # type: ignore[no-untyped-def]
    on_day(datetime.date(2026, 9, 27))
    assert "davinci-002" not in retired_models.table()
    assert retired_models.replacement(retired_models.table()["davinci"]) == "davinci-002"
    on_day(datetime.date(2026, 9, 28))
    assert "davinci-002" in retired_models.table()


def test_table_is_loaded_only_when_a_file_names_a_candidate(repo: Path) -> None:
    retired_models.table.cache_clear()
    retired_models.pattern.cache_clear()
    write_tree(
        repo, {"app.py": "from openai import OpenAI\nclient = OpenAI()\n", "conf.yaml": "model: gpt-4o\n"}
    )
    assert run_scan(repo).findings == []
    assert retired_models.table.cache_info().currsize == 0
    write_tree(repo, {"old.py": "MODEL = 'text-davinci-003'\n"})
    assert [f.rule_id for f in run_scan(repo).findings] == ["OAI405"]
    assert retired_models.table.cache_info().currsize == 1
