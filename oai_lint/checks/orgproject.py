"""OAI2xx: organization and project settings that make requests fail with 401/403 or bill the wrong org.

Three checks share the rule ids: one reads env-style settings (``.env``, compose, workflows, Kubernetes,
Dockerfiles, shell exports), one reads code (Python, notebooks, JS/TS), one reads ``curl`` commands.
Questions about the whole repository (which env names the code reads, which wrappers it uses, where
it pins an organization or project) go to ``oai_lint.repofacts``, never to the files on the command line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oai_lint.checks import Context, check, deferred
from oai_lint.checks.common import is_minified, is_reference
from oai_lint.checks.ids import (
    ORG_ENV,
    ORG_HEADER,
    PROJECT_ENV,
    PROJECT_HEADER,
    Problem,
    ignored_name,
    is_project_key,
    key_problem,
    keyish_name,
    organization_problem,
    project_problem,
    setting_role,
    shown,
)
from oai_lint.checks.usage import (
    CODE_KINDS,
    CURL_KINDS,
    OPENAI_HOST,
    FileUsage,
    Use,
    Val,
    analyse,
    iter_org_project_values,
)
from oai_lint.findings import Hit
from oai_lint.lazyre import lazy_compile
from oai_lint.sources import Source, is_env_template

if TYPE_CHECKING:
    from oai_lint.analysis.repofacts import facts as repofacts

# The repository facts (oai_lint.repofacts) are imported only by a check that needs them: a per-file run
# (the pre-commit hook, --scope file) never does.
_PRIME = deferred("oai_lint.analysis.repofacts.facts", "prime")

_EFFECT = {
    "organization": "requests go out without an organization header, so usage is billed to the key's "
                    "default organization",
    "project": "requests go out without a project header",
    "base-url": "requests go to api.openai.com instead of this URL",
    "api-key": "the SDK does not find the key and the client fails at start-up",
    "key-file": "the v1+ SDKs do not read key files",
}
_SLOT_RULE = {"organization": "OAI202", "project": "OAI203", "api-key": "OAI204"}
_OPENAI_HEADER_TEXT = lazy_compile(r"open[-_ ]?ai-")  # searched in the lower-cased text (faster than (?i))
_PREFIX_CODES = {"key", "hyphen", "project-id", "org-id", "prefix"}


def _problem(slot: str, value: str, exact: bool) -> Problem | None:
    if slot == "organization":
        p = organization_problem(value)
    elif slot == "project":
        p = project_problem(value)
    else:
        p = key_problem(value)
    if p is not None and not exact and p.code not in _PREFIX_CODES:
        return None  # only the start of the value is known: judge the prefix, nothing else
    return p


def _docs_severity(source: Source) -> str | None:
    return "info" if source.kind == "markdown" else None


# == env-style settings ======================================================================
def _name_position(source: Source, name: str, line: int) -> tuple[int, int]:
    for n in range(line, max(0, line - 4), -1):
        col = source.line_text(n).find(name)
        if col >= 0:
            return n, col + 1
    return line, 1


def _third_party_lines(source: Source) -> set[int]:
    """Lines of compose ``environment:`` blocks of services that run a prebuilt image (``image:`` and no
    ``build:``): the code reading those variables is not in this repository."""

    lines: set[int] = set()
    for svc in source.compose_services:
        if svc.context is None:
            lines.update(range(svc.first_line, svc.last_line + 1))
    return lines


@check("OAI201", "OAI202", "OAI203", "OAI204", kinds={"env", "shell", "dockerfile", "yaml"},
       triggers=(b"OPENAI",), prime=_PRIME)
def env_settings(source: Source, ctx: Context) -> Iterator[Hit]:
    settings = source.settings
    if not settings:
        return
    facts: repofacts.RepoFacts | None = None
    third_party: set[int] | None = None
    for s in settings:
        # OAI202-OAI204: a value in the wrong format for its slot
        role = setting_role(s.name)
        value_ok = s.value.strip() and not is_reference(s.value) and s.context != "k8s-secret"
        if role is not None and value_ok:
            p = _problem(role, s.value, True)
            if p is not None:
                yield Hit(_SLOT_RULE[role], s.line, s.column, s.line, s.column + len(s.value),
                          params={"where": s.name, "value": shown(s.value), "problem": p.detail},
                          key=f"{s.name}:{p.code}", severity=p.severity)
        # OAI201: a name the SDKs never read
        ign = ignored_name(s.name)
        if ign is None or not ctx.enabled("OAI201"):
            continue
        from oai_lint.analysis.repofacts import facts as repofacts

        if s.context not in repofacts.DEPLOY_CONTEXTS:
            continue
        if source.kind == "yaml":
            if third_party is None:
                third_party = _third_party_lines(source)
            if s.line in third_party:
                continue
        if facts is None:
            facts = repofacts.for_source(ctx, source)
        if facts.reader_of(s.name) is not None:
            continue
        line, col = _name_position(source, s.name, s.line)
        yield Hit("OAI201", line, col, line, col + len(s.name),
                  params={"name": s.name, "replacement": ign.replacement, "effect": _EFFECT[ign.role],
                          "template": " (a template others copy)" if is_env_template(source.name) else ""},
                  key=s.name)


# == code and curl ============================================================================
@check("OAI202", "OAI203", "OAI204", "OAI205", "OAI206", "OAI207", "OAI208", "OAI209", kinds=CODE_KINDS,
       triggers=(b"openai", b"OpenAI", b"OPENAI", b"Openai"), prime=_PRIME)
def code_usage(source: Source, ctx: Context) -> Iterator[Hit]:
    if not source.openai_code or is_minified(source.name, source.text):
        return  # no OpenAI code, or build output (its source is checked where it is written)
    usage = analyse(source)
    if usage.uses or usage.headers:
        yield from _file_hits(source, ctx, usage)


_CURL_TRIGGERS = (b"openai", b"OpenAI", b"OPENAI", b"Openai")


# curl in documentation never needs the repository facts (OAI205/OAI206 do not apply to docs), so the
# Markdown variant has no prime hook. Docs are most of a large repository's bytes, and "curl" and "openai"
# occur on many pages (install instructions, prose): only pages that name the API host are looked at.
@check("OAI202", "OAI203", "OAI204", "OAI208", "OAI209", kinds={"markdown"}, requires=b"api.openai.com",
       triggers=(b"curl",))
def curl_docs(source: Source, ctx: Context) -> Iterator[Hit]:
    yield from curl_usage(source, ctx)


@check("OAI202", "OAI203", "OAI204", "OAI205", "OAI206", "OAI208", "OAI209", kinds=CURL_KINDS - {"markdown"},
       requires=b"curl", triggers=_CURL_TRIGGERS, prime=_PRIME)
def curl_usage(source: Source, ctx: Context) -> Iterator[Hit]:
    text = source.text
    if "curl" not in text or (OPENAI_HOST not in text and not _header_mention(source)):
        return
    usage = analyse(source)
    if usage.uses or usage.headers:
        yield from _file_hits(source, ctx, usage)


def _header_mention(source: Source) -> bool:
    """Whether the text names an OpenAI-… header in any case (lower-casing a large page only when it
    holds "ai-" in some case at all)."""
    text = source.text
    return any(s in text for s in ("ai-", "AI-", "Ai-", "aI-")) \
        and _OPENAI_HEADER_TEXT.search(source.lower_text) is not None


def _file_hits(source: Source, ctx: Context, usage: FileUsage) -> Iterator[Hit]:
    severity = _docs_severity(source)
    yield from _value_hits(usage, severity)
    for h in usage.headers:
        if h.role.startswith("misspelled-"):
            canonical = ORG_HEADER if h.role == "misspelled-organization" else PROJECT_HEADER
            yield Hit("OAI209", h.line, h.column, h.line, h.end_column,
                      params={"name": h.name, "canonical": canonical}, key=h.name, severity=severity)
    for use in usage.uses:
        if use.raw:
            yield from _auth_hits(use, severity)
    yield from _consistency_hits(source, ctx, usage)


def _value_hits(usage: FileUsage, severity: str | None) -> Iterator[Hit]:
    seen: set[tuple[int, int, str]] = set()
    for slot, val, where in iter_org_project_values(usage):
        if val.text is None or val.none or (val.line, val.column, slot) in seen:
            continue
        seen.add((val.line, val.column, slot))
        p = _problem(slot, val.text, val.exact)
        if p is None:
            continue
        yield Hit(_SLOT_RULE[slot], val.line, val.column, val.end_line, val.end_column,
                  params={"where": where, "value": shown(val.text if val.exact else val.text + "…"),
                          "problem": p.detail},
                  key=f"{where}:{p.code}", severity=severity or p.severity)


def _lacks_bearer(val: Val) -> bool:
    if val.none:
        return False
    if val.text:
        return not val.text.lstrip().lower().startswith("bearer ")
    if val.exact:
        return False
    return keyish_name(val.env) or keyish_name(val.name)


def _auth_hits(use: Use, severity: str | None) -> Iterator[Hit]:
    auth = use.header("authorization")
    if auth is None:
        if not use.presence_known or use.auth_option:
            return
        azure = next((h.name for h in use.headers if h.name.lower() == "api-key"), None)
        problem = "sends no Authorization header"
        if azure:
            problem += f" (`{azure}` is Azure OpenAI's header; api.openai.com reads only `Authorization`)"
        yield Hit("OAI208", use.line, use.column, use.end_line, use.end_column,
                  params={"label": use.label, "problem": problem}, key=f"{use.label}:missing",
                  severity=severity)
        return
    if auth.value is not None and _lacks_bearer(auth.value):
        yield Hit("OAI208", auth.line, auth.column, auth.line, auth.end_column,
                  params={"label": use.label, "problem": "sends the key in the Authorization header "
                                                         "without the `Bearer ` scheme"},
                  key=f"{use.label}:bearer", severity=severity)


def _uses_project_key(use: Use, facts: repofacts.RepoFacts) -> bool:
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


def _consistency_hits(source: Source, ctx: Context, usage: FileUsage) -> Iterator[Hit]:
    """OAI205 (inconsistent), OAI206 (require-project), OAI207 (Vercel AI SDK ignores the env)."""
    if source.kind == "markdown" or not ctx.enabled("OAI205", "OAI206", "OAI207"):
        return  # (the repository facts cost a pass over the repository: not for rules that are off)
    candidates = [u for u in usage.uses
                  if u.client in {"openai", "langchain", "langchain-js", "llama_index", "vercel", "raw"}
                  and not u.docs and u.known and (u.presence_known or not u.raw)]
    if not candidates:
        return
    from oai_lint.analysis.repofacts import facts as repofacts

    facts = repofacts.for_source(ctx, source)
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


def _elsewhere(use: Use, facts: repofacts.RepoFacts, source: Source) -> bool:
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


__all__ = ["code_usage", "curl_usage", "env_settings"]
