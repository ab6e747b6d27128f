"""rules/model-deprecations.yaml and oai_lint.analysis.deprecations: complete against the reference table, sourced,
replacement chains that end on a live model, the dates of the announcements, lazy loading."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest

from oai_lint.analysis import deprecations
from oai_lint.analysis.deprecations import ANNOUNCED, NOT_LISTED, SHUT_DOWN, lookup
from oai_lint.ruleset import rule_ids
from oai_lint.ruleset.load import load_yaml_file, rules_dir
from tests.conftest import REPO
from tests.support.scripts import load_script

DATA = rules_dir() / deprecations.DATA_FILE
SCHEMA = json.loads((rules_dir() / deprecations.SCHEMA_FILE).read_text())
TSV = rules_dir() / "sources" / "model-deprecations.tsv"
LIVE = ("gpt-4o", "gpt-4o-mini", "gpt-4.1-mini", "text-embedding-3-small")
D = datetime.date


def _tsv_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = _generator().read_tsv(TSV)  # (with the script's check of the columns)
    return rows


def _generator() -> ModuleType:
    return load_script("gen_model_table")


def _dates() -> list[datetime.date]:
    """Every date on which some status changes, the day before it, and a day after the last one."""
    days: set[datetime.date] = set()
    for e in deprecations.table().entries:
        for d in (e.announced, e.shutdown):
            days |= {d, d - datetime.timedelta(days=1)}
    days.add(max(days) + datetime.timedelta(days=365))
    return sorted(days)


def test_data_file_matches_its_schema() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    jsonschema.Draft7Validator(SCHEMA).validate(load_yaml_file(DATA))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("shutdown", "January 4, 2024"),
        ("announced", "2024-13-01"),
        ("source", "a blog"),
        ("match", "prefix-ish"),
        ("id", "GPT 4"),
        ("verified", "probably"),
    ],
)
def test_schema_rejects_bad_entries(field: str, value: object) -> None:
    data = load_yaml_file(DATA)
    data["models"][0][field] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate(data)


def test_schema_requires_a_source_and_a_reason() -> None:
    for section, field in (("models", "source"), ("models", "shutdown"), ("endpoints", "source"),
                           ("left_out", "reason")):
        data = load_yaml_file(DATA)
        del data[section][0][field]
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.Draft7Validator(SCHEMA).validate(data)


def test_the_data_file_is_current() -> None:
    proc = subprocess.run([sys.executable, "scripts/gen_model_table.py", "--check"], cwd=REPO,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_check_reports_a_newer_table(tmp_path: Path) -> None:
    newer = tmp_path / "model-deprecations.tsv"
    rows = TSV.read_text(encoding="utf-8").splitlines()
    rows.insert(1, "gpt-9-preview\t2026-12-01\t2027-06-01\tgpt-9\t"
                   "https://github.com/example/copy/deprecations.md\tofficial-copy")
    newer.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert _generator().main(["--check", "--tsv", str(newer)]) == 1


def test_a_row_the_generator_cannot_place_stops_it(tmp_path: Path) -> None:
    odd = tmp_path / "t.tsv"
    odd.write_text(TSV.read_text(encoding="utf-8") + "Some Dashboard Product\t2026-12-01\t2027-06-01\t---\t"
                   "https://github.com/example/copy/deprecations.md\tofficial-copy\n", encoding="utf-8")
    assert _generator().main(["--check", "--tsv", str(odd)]) == 2


def test_every_row_of_the_table_is_in_the_data_file_or_left_out_with_a_reason() -> None:
    data = load_yaml_file(DATA)
    have = set()
    for e in [*data["models"], *data["endpoints"]]:
        cell = f"{e['id']} ({e['name']})" if e.get("name") else e["id"]
        have.add((cell, e["announced"]))
    left = {(x["row"], x["announced"]): x["reason"] for x in data["left_out"]}
    rows = _tsv_rows()
    assert len(rows) == 178
    for row in rows:
        key = (row["model_or_endpoint"], row["announced"])
        assert key in have or len(left.get(key, "")) >= 20, f"{key} is neither in the data file nor left out"
        assert not (key in have and key in left), f"{key} is both in the data file and left out"
    assert len(have) + len(left) == len(rows)


def test_values_are_the_tables() -> None:
    by_key = {(e.id if not e.name else f"{e.id} ({e.name})", e.announced.isoformat()): e
              for e in deprecations.table().entries}
    for row in _tsv_rows():
        e = by_key.get((row["model_or_endpoint"], row["announced"]))
        if e is None:
            continue
        assert e.shutdown.isoformat() == row["shutdown"].removeprefix("earliest ")
        assert e.shutdown_is_earliest == row["shutdown"].startswith("earliest ")
        assert e.replacement == row["replacement"]
        assert e.third_party == (row["verified"] == "third-party")
        if row["source_url"].startswith("https://"):
            assert e.source == row["source_url"]
        else:  # "S4 (verbatim copy …)": the key, with its description from the data file's `sources`
            key, desc = e.source.split(": ", 1)
            assert row["source_url"] == f"{key} ({desc})"


def test_every_entry_names_its_source() -> None:
    for e in deprecations.table().entries:
        assert e.source.startswith("https://") or e.source[:2] in {"S4", "Z1"}, e
        if not e.source.startswith("https://"):
            assert len(e.source) > 20, f"{e.id}: the source key has no description"


def test_replacement_chains_never_end_on_a_shut_down_model() -> None:
    for day in _dates():
        for e in deprecations.table().entries:
            repl = deprecations.replacement(e, day)
            if repl.id is None:
                # the page names no id to switch to (`---`, "Responses API …"): the message gives its text
                last = deprecations.entries_for(repl.via[-1]) if repl.via else (e,)
                assert any(not x.replacement_ids or all(lookup(r, day).status == SHUT_DOWN
                                                        for r in x.replacement_ids) for x in last)
                assert repl.text
                continue
            assert lookup(repl.id, day).status != SHUT_DOWN, (e.id, day, repl)


def test_chains_are_followed_to_the_first_live_model() -> None:
    day = D(2026, 12, 5)
    # text-davinci-003 -> gpt-3.5-turbo-instruct (shut down 2026-09-28) -> gpt-5.6-terra
    r = lookup("text-davinci-003", day).replacement
    assert r is not None and (r.id, r.via) == ("gpt-5.6-terra", ("gpt-3.5-turbo-instruct",))
    # before gpt-3.5-turbo-instruct's shutdown, it was the replacement
    r = lookup("text-davinci-003", D(2026, 9, 27)).replacement
    assert r is not None and (r.id, r.via) == ("gpt-3.5-turbo-instruct", ())
    # the first option of "gpt-image-2, gpt-image-1, or gpt-image-1-mini" is live
    assert lookup("dall-e-3", day).replacement == deprecations.Replacement(
        "gpt-image-2", (), "gpt-image-2, gpt-image-1, or gpt-image-1-mini")
    # assistants=v1 -> assistants=v2 (the Assistants API, shut down 2026-08-26) -> no id, the page's text
    r = lookup("OpenAI-Beta: assistants=v1", day).replacement
    assert r is not None and r.id is None and r.text == "Responses API and Conversations API"
    r = lookup("OpenAI-Beta: assistants=v1", D(2025, 1, 1)).replacement
    assert r is not None and r.id == "/v1/assistants"


@pytest.mark.parametrize("model", LIVE)
def test_live_models_are_never_reported(model: str) -> None:
    assert deprecations.entries_for(model) == ()
    for day in _dates():
        assert lookup(model, day).status == NOT_LISTED


@pytest.mark.parametrize(
    ("model", "shutdown", "replacement"),
    [
        ("gpt-4-32k", "2025-06-06", "gpt-4o"),
        ("gpt-4-vision-preview", "2024-12-06", "gpt-4o"),
        ("gpt-4-turbo-preview", "2026-03-26", "gpt-5"),
        ("dall-e-2", "2026-05-12", "gpt-image-2"),
        ("dall-e-3", "2026-05-12", "gpt-image-2"),
        ("gpt-3.5-turbo-instruct", "2026-09-28", "gpt-5.6-terra"),
        ("gpt-3.5-turbo", "2026-10-23", "gpt-5.6-terra"),
        ("gpt-4", "2026-10-23", "gpt-5.6-sol"),
        ("gpt-4-turbo", "2026-10-23", "gpt-5.6-sol"),
        ("o1-preview", "2025-07-28", "o3"),
        ("gpt-4.5-preview", "2025-07-14", "gpt-4.1"),
        ("text-davinci-003", "2024-01-04", "gpt-5.6-terra"),
    ],
)
def test_the_issues_examples(model: str, shutdown: str, replacement: str) -> None:
    day = D.fromisoformat(shutdown)
    before = lookup(model, day - datetime.timedelta(days=1))
    assert before.status == ANNOUNCED and before.days_left() == 1
    on = lookup(model, day)
    assert on.status == SHUT_DOWN and on.shutdown == day
    now = lookup(model, D(2026, 12, 5))
    assert now.status == SHUT_DOWN and now.shutdown == day
    assert now.replacement is not None and now.replacement.id == replacement


def test_not_listed_before_the_announcement() -> None:
    assert lookup("gpt-3.5-turbo", D(2026, 4, 21)).status == NOT_LISTED
    ahead = lookup("gpt-3.5-turbo", D(2026, 4, 22))
    assert ahead.status == ANNOUNCED and ahead.days_left() == (D(2026, 10, 23) - D(2026, 4, 22)).days


def test_the_earliest_past_date_wins_and_at_earliest_is_not_a_shutdown() -> None:
    # gpt-4-1106-preview is in two announcements: 2026-03-26 and 2026-10-23
    assert lookup("gpt-4-1106-preview", D(2026, 12, 5)).shutdown == D(2026, 3, 26)
    # gpt-4-0314: "at earliest 2024-06-13" (2023), then a real date, 2026-03-26 (2025-09-26)
    mid = lookup("gpt-4-0314", D(2025, 1, 1))
    assert mid.status == ANNOUNCED and mid.entry is not None and mid.entry.shutdown_is_earliest
    assert mid.entry.when() == "at earliest 2024-06-13"
    assert lookup("gpt-4-0314", D(2026, 3, 26)).status == SHUT_DOWN
    # code-davinci-002: Codex models (2023-03-23) and base GPT models (2024-01-04)
    assert lookup("code-davinci-002", D(2023, 6, 1)).shutdown == D(2023, 3, 23)


def test_families_match_their_dated_snapshots_only() -> None:
    day = D(2026, 12, 5)
    for model in ("gpt-realtime", "gpt-realtime-2025-08-28", "gpt-audio-mini-2025-12-15", "gpt-4o-realtime"):
        found = lookup(model, day)
        assert found.status == ANNOUNCED and found.shutdown == D(2027, 1, 20), model
    for model in ("gpt-realtime-1.5", "gpt-realtime-2.1", "gpt-realtime-2.1-mini", "gpt-audio-1.5",
                  "gpt-realtime-2025", "gpt-realtimex"):
        assert lookup(model, day).status == NOT_LISTED, model
    # a snapshot with its own, earlier row keeps it
    assert lookup("gpt-realtime-mini-2025-10-06", day).shutdown == D(2026, 7, 23)
    assert lookup("gpt-realtime-mini-2025-10-06", D(2027, 2, 1)).shutdown == D(2026, 7, 23)


def test_fine_tuned_models_follow_their_base() -> None:
    day = D(2026, 12, 5)
    assert lookup("ft:gpt-3.5-turbo-0125:acme::8abc", day).shutdown == D(2026, 10, 23)
    assert lookup("ft:gpt-4-0613:acme:tone:9xyz", day).shutdown == D(2026, 10, 23)
    assert lookup("ft:gpt-4.1-nano-2025-04-14:acme::1", day).status == SHUT_DOWN
    assert lookup("ft:gpt-4o-mini-2024-07-18:acme::1", day).status == NOT_LISTED
    assert lookup("ft:gpt-4.1-2025-04-14:acme::1", day).status == NOT_LISTED
    assert lookup("curie:ft-acme-2022-11-02-10-00-00", day).shutdown == D(2024, 1, 4)
    assert lookup("curie-like:ft-x", day).status == NOT_LISTED


def test_endpoints_and_headers() -> None:
    day = D(2026, 12, 5)
    for ident, shutdown in (("/v1/engines", "2022-12-03"), ("/v1/edits", "2024-01-04"),
                            ("/v1/fine-tunes", "2024-01-04"), ("/v1/assistants", "2026-08-26"),
                            ("OpenAI-Beta: realtime=v1", "2026-05-12")):
        found = lookup(ident, day)
        assert found.status == SHUT_DOWN and found.shutdown == D.fromisoformat(shutdown), ident
        assert found.entry is not None and found.entry.kind != "model"
    assert lookup("/v1/engines", day).replacement == deprecations.Replacement("/v1/models", (), "/v1/models")
    assert lookup("/v1/fine_tuning/jobs", day).status == ANNOUNCED


def test_third_party_rows_say_so() -> None:
    tts = lookup("tts-1", D(2026, 12, 5))
    assert tts.status == ANNOUNCED and tts.third_party and tts.source is not None
    assert "translation" in tts.source
    assert not lookup("whisper-1", D(2026, 12, 5)).third_party


def test_ordinary_words_are_marked_ambiguous() -> None:
    words = {e.id for e in deprecations.table().entries if e.ambiguous}
    assert {"ada", "babbage", "curie", "davinci", "o1"} == words


def _needles(e: deprecations.Entry) -> list[str]:
    if e.match == "fine-tuned":
        return [f"ft:{e.base}:org::x"]
    if e.match == "legacy-fine-tuned":
        return [f"{e.base}:ft-org-2022-01-01"]
    return [e.id]


def test_every_model_id_contains_a_trigger() -> None:
    for e in deprecations.table().entries:
        if e.kind != "model":
            assert any(t in e.id.encode() for t in deprecations.ENDPOINT_TRIGGERS), e.id
            continue
        for needle in _needles(e):
            quoted = [f'"{needle}"'.encode(), f"model: {needle}".encode(), f"MODEL={needle}".encode()]
            assert all(any(t in q for t in deprecations.TRIGGERS) for q in quoted), f"{needle}: add a trigger"
            assert any(t in quoted[0] for t in deprecations.CODE_TRIGGERS), f"{needle}: add a code trigger"


def test_the_data_files_are_not_rules() -> None:
    assert all(rid.startswith("OAI") for rid in rule_ids())
    assert not (rules_dir() / "retired-models.yaml").exists()


def test_a_scan_without_candidates_does_not_load_the_table(tmp_path: Path) -> None:
    probe = (
        "import sys\nsys.argv = ['oai-lint', '--format', 'json', '.']\n"
        "from oai_lint.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "mod = sys.modules.get('oai_lint.analysis.deprecations')\n"
        "print('DEPRECATIONS', bool(mod and mod.table.cache_info().currsize), file=sys.stderr)\n"
    )
    (tmp_path / "app.py").write_text("from openai import OpenAI\nclient = OpenAI()\n")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert "DEPRECATIONS False" in proc.stderr, proc.stderr
    (tmp_path / "old.py").write_text("MODEL = 'text-davinci-003'\n")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert '"rule_id": "OAI405"' in proc.stdout
    assert "DEPRECATIONS True" in proc.stderr


def test_the_names_module_agrees_with_the_table() -> None:
    """maybe_listed (from the small generated names module) is True exactly where entries_for finds entries:
    a file that names live models only never loads the table, and no listed id is missed."""
    probes = {"gpt-4o", "gpt-4o-mini", "gpt-4.1-mini", "text-embedding-3-small", "gpt-5.6-sol", "o1x", ""}
    for e in deprecations.table().entries:
        probes |= {e.id, e.base, f"{e.base}-2025-01-01", f"ft:{e.base}:acme::x1", f"ft:{e.base}-2024:acme::x1",
                   f"{e.base}:ft-acme-2023-01-01", f"{e.id}-extra"}
    for ident in sorted(probes):
        assert deprecations.maybe_listed(ident) == bool(deprecations.entries_for(ident)), ident
