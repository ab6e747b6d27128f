#!/usr/bin/env python3
"""Regenerate rules/model-deprecations.yaml from the deprecation table (a TSV, one row per id and announcement).

    python scripts/gen_model_table.py                 # regenerate from rules/sources/model-deprecations.tsv
    python scripts/gen_model_table.py --tsv PATH      # copy a newer table into rules/sources/, then regenerate
    python scripts/gen_model_table.py --check         # exit 1 when the data file is not what the table gives

The TSV is the project's reference table (``shared/reference/model-deprecations.tsv``, explained in
``model-deprecations.md`` beside it); a copy is kept in ``rules/sources/`` so that the tests can check the
data file against it. What the table cannot say on its own (which rows name a model family, which rows are
left out and why, which ids are ordinary words) is written down below, each with its reason.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TSV = ROOT / "rules" / "sources" / "model-deprecations.tsv"
OUT = ROOT / "rules" / "model-deprecations.yaml"
COLUMNS = ["model_or_endpoint", "announced", "shutdown", "replacement", "source_url", "verified"]
PAGE = "https://platform.openai.com/docs/deprecations"

# Rows deliberately not in the data file: (id, announced) -> reason.
LEFT_OUT = {
    ("New fine-tuning training on babbage-002", "2024-08-29"):
        "Ended new fine-tuning *training* on babbage-002 only; the model id stayed usable (its own shutdown, "
        "2026-09-28, is the 2025-09-26 row). Matching the id here would report live use as shut down.",
    ("New fine-tuning training on davinci-002", "2024-08-29"):
        "Ended new fine-tuning *training* on davinci-002 only; the model id stayed usable (its own shutdown, "
        "2026-09-28, is the 2025-09-26 row). Matching the id here would report live use as shut down.",
    ("Agent Builder", "2026-06-03"):
        "A dashboard product: no model id, API path or header that code names.",
    ("gpt-4o-mini-tts-2025-03-20", "2026-04-22"):
        "Only one copy of the page (2026-07-06) lists this 2026-07-23 shutdown; it is gone from the next copy and "
        "the 2026-10-01 notice lists the snapshot again for 2027-01-06 (model-deprecations.md, Conflicts). "
        "The later row is kept.",
}

# The 2026-07-20 table lists model families ("Model family / snapshot") without their dated snapshots: the
# family id and its dated snapshots (`gpt-realtime-2025-08-28`) match, nothing else (`gpt-realtime-1.5`,
# `gpt-realtime-2.1` and `gpt-realtime-mini` are other models). model-deprecations.md, Table conventions.
FAMILIES = {
    ("gpt-4o-audio", "2026-07-20"), ("gpt-4o-mini-audio", "2026-07-20"), ("gpt-4o-mini-realtime", "2026-07-20"),
    ("gpt-4o-realtime", "2026-07-20"), ("gpt-audio", "2026-07-20"), ("gpt-audio-mini", "2026-07-20"),
    ("gpt-realtime", "2026-07-20"), ("gpt-realtime-mini", "2026-07-20"),
}

# Ids that are also ordinary words: reported only where the value is clearly a model.
AMBIGUOUS = {"ada", "babbage", "curie", "davinci", "o1"}

# Replacement texts whose ids are not written as the API spells them (model-deprecations.md).
REPLACEMENT_IDS = {
    # "the real id is `omni-moderation-latest`" (Replacement chains)
    "omni-moderation": ["omni-moderation-latest"],
    # "`OpenAI-Beta: assistants=v1` → assistants=v2 → Assistants API (shut down 2026-08-26)" (Replacement chains)
    "OpenAI-Beta: assistants=v2": ["/v1/assistants"],
}

_ID = re.compile(r"^(?:[a-z0-9][a-z0-9.-]*[a-z0-9]|/v1/[a-z0-9_/-]+)$")
_DATE = re.compile(r"^20\d\d-\d\d-\d\d$")
_SOURCE_KEY = re.compile(r"^([A-Z][A-Z0-9]*) \((.+)\)$")


class TableError(Exception):
    pass


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        if reader.fieldnames != COLUMNS:
            raise TableError(f"{path}: columns {reader.fieldnames}, expected {COLUMNS}")
        return [dict(row) for row in reader]


def replacement_ids(text: str) -> list[str]:
    """The ids a replacement text names, in the page's order (empty when it names none)."""
    if text in REPLACEMENT_IDS:
        return list(REPLACEMENT_IDS[text])
    if text.startswith("---"):
        return []
    text = re.sub(r"\s*\(reasoning\.mode: pro\)$", "", text)
    parts = [p.strip().rstrip("*") for p in re.split(r",\s*or\s+|,\s*|\s+or\s+", text)]
    if all(_ID.match(p) for p in parts):
        return parts
    return []


def _split_name(cell: str) -> tuple[str, str, str]:
    """(kind, id, name) of an endpoint or header cell such as ``/v1/videos (Videos API)``."""
    m = re.match(r"^(OpenAI-Beta: [a-z]+=v\d+|/v1/[a-z0-9_/-]+)(?: \((.+)\))?$", cell)
    if m is None:
        raise TableError(f"unrecognised row {cell!r}")
    kind = "header" if m.group(1).startswith("OpenAI-Beta") else "endpoint"
    return kind, m.group(1), m.group(2) or ""


def entry_for(row: dict[str, str], sources: dict[str, str]) -> dict[str, object]:
    cell, announced, shutdown = row["model_or_endpoint"], row["announced"], row["shutdown"]
    if not _DATE.match(announced):
        raise TableError(f"{cell}: announced {announced!r}")
    entry: dict[str, object] = {}
    if cell.startswith(("/", "OpenAI-Beta")):
        kind, ident, name = _split_name(cell)
        entry.update(id=ident, kind=kind)
        if name:
            entry["name"] = name
    else:
        entry.update(id=cell, kind="model")
        ft = re.match(r"^([a-z]+) \(fine-tuning\)$", cell)
        if ft:
            # "Fine-tuning GPT models": models fine-tuned on the legacy bases, ids `curie:ft-acme-2022-…`
            entry.update(match="legacy-fine-tuned", base=ft.group(1))
        elif cell.startswith("ft-"):
            # "ft-…" rows: fine-tuned models on these bases, ids `ft:gpt-3.5-turbo-0125:org::id`
            entry.update(match="fine-tuned", base=cell[3:])
        elif (cell, announced) in FAMILIES:
            entry["match"] = "family"
        else:
            entry["match"] = "exact"
        if not _ID.match(str(entry.get("base", cell))):
            raise TableError(f"unrecognised model id {cell!r}")
        if cell in AMBIGUOUS:
            entry["ambiguous"] = True
    entry["announced"] = announced
    if shutdown.startswith("earliest "):
        entry["shutdown"] = shutdown.removeprefix("earliest ")
        entry["shutdown_is_earliest"] = True
    else:
        entry["shutdown"] = shutdown
    if not _DATE.match(str(entry["shutdown"])):
        raise TableError(f"{cell}: shutdown {shutdown!r}")
    text = row["replacement"]
    ids = replacement_ids(text)
    entry["replacement"] = text
    entry["replacement_ids"] = ids
    if not ids:
        entry["no_replacement_id"] = True
    source = row["source_url"]
    key = _SOURCE_KEY.match(source)
    if key:
        sources[key.group(1)] = key.group(2)
        entry["source"] = key.group(1)
    elif source.startswith("https://"):
        entry["source"] = source
    else:
        raise TableError(f"{cell}: source {source!r}")
    if row["verified"] not in {"official-copy", "cookbook-copy", "third-party"}:
        raise TableError(f"{cell}: verified {row['verified']!r}")
    entry["verified"] = row["verified"]
    if row["verified"] == "third-party":
        entry["third_party"] = True
    return entry


def _flow(entry: dict[str, object]) -> str:
    return "{" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in entry.items()) + "}"


def render(rows: list[dict[str, str]], tsv_name: str) -> str:
    sources: dict[str, str] = {}
    models: list[str] = []
    endpoints: list[str] = []
    left_out: list[str] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = (row["model_or_endpoint"], row["announced"])
        if key in seen:
            raise TableError(f"duplicate row {key}")
        seen.add(key)
        if key in LEFT_OUT:
            left_out.append(_flow({"row": key[0], "announced": key[1], "reason": LEFT_OUT[key]}))
            continue
        entry = entry_for(row, sources)
        (models if entry["kind"] == "model" else endpoints).append(_flow(entry))
    missing = set(LEFT_OUT) - seen
    if missing:
        raise TableError(f"left-out rows not in the table: {sorted(missing)}")
    lines = [
        f"# GENERATED by scripts/gen_model_table.py from rules/sources/{tsv_name}: do not edit by hand.",
        "# Regenerate with `python scripts/gen_model_table.py`; `--check` tells whether this file is current.",
        "# Read by oai_lint/analysis/deprecations.py. Schema: model-deprecations.schema.json. Not a rule file.",
        "#",
        "# One entry per id and announcement, as on OpenAI's deprecations page. `source` is the stored copy of the",
        "# page the values were read from (a URL, or a key of `sources`). `verified: third-party` means no English",
        "# copy of the official text was found (only translations): say so where it is reported.",
        "# `match`: exact (the id), family (the id and its dated snapshots, `gpt-realtime-2025-08-28`), fine-tuned",
        "# (`ft:<base>:…` and `ft:<base>-<snapshot>:…`), legacy-fine-tuned (`<base>:ft-…`).",
        "# `shutdown_is_earliest`: the page gives the date as \"at earliest\". `replacement` is the page's text,",
        "# `replacement_ids` the ids it names, in order; `no_replacement_id`: the page names no id to switch to.",
        f"page: {PAGE}",
        "sources:",
        *(f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(sources.items())),
        "models:",
        *(f"  - {m}" for m in models),
        "endpoints:",
        *(f"  - {e}" for e in endpoints),
        "# Rows of the table deliberately not above, with the reason.",
        "left_out:",
        *(f"  - {x}" for x in left_out),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tsv", type=Path, help="a newer table to copy into rules/sources/ first")
    parser.add_argument("--check", action="store_true", help="exit 1 when the data file is stale")
    args = parser.parse_args(argv)
    source = args.tsv or TSV
    try:
        text = render(read_tsv(source), TSV.name)
    except (TableError, OSError) as exc:
        print(f"gen_model_table: {exc}", file=sys.stderr)
        return 2
    current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    if args.check:
        stale = text != current or (args.tsv is not None and args.tsv.read_bytes() != TSV.read_bytes())
        if stale:
            print(f"{OUT.relative_to(ROOT)} is stale: run python scripts/gen_model_table.py", file=sys.stderr)
            return 1
        return 0
    if args.tsv is not None and args.tsv.resolve() != TSV.resolve():
        shutil.copyfile(args.tsv, TSV)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
