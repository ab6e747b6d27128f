"""OAI205, OAI206, OAI207: a client that sends no organization or project while the repository pins one
(OAI205), none while the configuration requires a project (OAI206), or the Vercel AI SDK provider that
ignores OPENAI_ORG_ID / OPENAI_PROJECT_ID (OAI207). One pass over the clients: a client gets at most one
of the three, OAI207 first, then OAI206, then OAI205."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oai_lint.analysis.ids import (
    ORG_ENV,
    PROJECT_ENV,
    is_project_key,
)
from oai_lint.analysis.repofacts.provider import PROVIDER
from oai_lint.analysis.usage import (
    FileUsage,
    Use,
)
from oai_lint.checks import Context
from oai_lint.findings import Hit
from oai_lint.repository import facts_for
from oai_lint.sources import Source

if TYPE_CHECKING:
    from oai_lint.analysis.repofacts.model import RepoFacts




def _uses_project_key(use: Use, facts: RepoFacts) -> bool:
    """Project-scoped keys (sk-proj-, sk-svcacct-) carry their project: no headers needed."""
    key: str | None = None
    if use.api_key is not None and use.api_key.text:
        key = use.api_key.text
    auth = use.header("authorization")
    if key is None and auth is not None and auth.value is not None and auth.value.text:
        text = auth.value.text.strip()
        key = text[7:] if text.lower().startswith("bearer ") else text
    if key and key.strip().startswith("sk-"):
        return is_project_key(key)
    return facts.project_keys


def usage_hits(source: Source, ctx: Context, usage: FileUsage) -> Iterator[Hit]:
    """OAI205 (inconsistent), OAI206 (require-project), OAI207 (Vercel AI SDK ignores the env)."""
    if source.kind == "markdown" or not ctx.enabled("OAI205", "OAI206", "OAI207"):
        return  # (the repository facts cost a pass over the repository: not for rules that are off)
    candidates = [u for u in usage.uses
                  if u.client in {"openai", "langchain", "langchain-js", "llama_index", "vercel", "raw"}
                  and not u.docs and u.known and (u.presence_known or not u.raw)]
    if not candidates:
        return
    facts: RepoFacts = facts_for(ctx, PROVIDER, source.abspath)  # computed or gathered on demand
    require_project = bool(ctx.options.get("require-project"))
    for use in candidates:
        if use.admin or _uses_project_key(use, facts) or _elsewhere(use, facts, source):
            continue  # the Admin API works on the admin key's organization: no org/project headers
        if any(h.role.startswith("misspelled-") for h in use.headers):
            continue  # OAI209 reports the header that was meant to carry the organization/project
        pos = (use.line, use.column, use.end_line, use.end_column)
        if use.client == "vercel":
            missing = []
            wanted = (("organization", ORG_ENV, use.sets_org), ("project", PROJECT_ENV, use.sets_project))
            for what, env, sets in wanted:
                place = facts.env_place(env, source.abspath)
                if place is not None and not sets:
                    missing.append(f"`{what}` ({env} is set at {place.path}:{place.line})")
            if missing:
                todo = " and ".join(missing)
                if use.label.startswith("the default"):
                    todo = f"{todo} through your own provider, `createOpenAI({{...}})`"
                yield Hit("OAI207", *pos, params={"label": use.label, "missing": todo},
                          key=f"{use.label}:{'+'.join(m.split('`')[1] for m in missing)}")
                continue
        project_default = facts.env_default(use.project_env, source.abspath)
        if require_project and not use.sets_project and project_default is None:
            yield Hit("OAI206", *pos, params={"label": use.label, "how": _project_how(use)},
                      key=f"{use.label}:no-project")
            continue
        if use.sets_org or use.sets_project or project_default or \
                facts.env_default(use.org_env, source.abspath):
            continue
        pin = facts.pin("organization") or facts.pin("project")
        if pin is None:
            continue
        yield Hit("OAI205", *pos, params={"label": use.label, "where": str(pin), "how": _how(use)},
                  key=f"{use.label}:unpinned")


def _elsewhere(use: Use, facts: RepoFacts, source: Source) -> bool:
    """The client talks to a proxy, gateway or OpenAI-compatible server (Ollama, vLLM, Azure's v1
    endpoint…), given explicitly or through a base-URL variable the environment sets for this code
    (``OPENAI_BASE_URL``; ``OPENAI_API_BASE`` for LangChain and LlamaIndex, and wherever code reads it into
    ``base_url=``/``api_base=``): organization/project headers are that server's business."""
    env_names = use.base_env if use.base_url is None else ((use.base_url.env,) if use.base_url.env else ())
    for name in env_names:
        place = facts.env_place(name, source.abspath)
        if place is not None:
            return not place.value_is_openai
    return use.elsewhere


def _how(use: Use) -> str:
    if use.raw:
        return "add the `OpenAI-Organization` (and/or `OpenAI-Project`) header"
    if use.client == "vercel":
        return "pass `organization`/`project` to createOpenAI()"
    if use.client in {"langchain", "llama_index", "langchain-js"}:
        return f"set {ORG_ENV}/{PROJECT_ENV} in the environment this code runs with"
    return f"pass `organization=`/`project=` or set {ORG_ENV}/{PROJECT_ENV} in the environment it runs with"


def _project_how(use: Use) -> str:
    if use.raw:
        return "send the `OpenAI-Project` header"
    if use.client == "vercel":
        return "pass `project` to createOpenAI() (it does not read OPENAI_PROJECT_ID)"
    if use.client in {"langchain", "llama_index", "langchain-js"}:
        return f"set {PROJECT_ENV} in the environment this code runs with"
    return f"pass `project=` or set {PROJECT_ENV} in the environment it runs with"
