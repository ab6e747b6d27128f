"""OpenAI organization/project ids, env var names and header names: what is right and what is a mistake.

Facts (see the reference): the official SDKs read ``OPENAI_API_KEY``, ``OPENAI_ORG_ID``,
``OPENAI_PROJECT_ID`` and ``OPENAI_BASE_URL`` and send ``Authorization: Bearer <key>``,
``OpenAI-Organization: org-…`` and ``OpenAI-Project: proj_…``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oai_lint.analysis.names import is_key_var, is_placeholder_value, is_reference
from oai_lint.lazyre import lazy_compile
from oai_lint.redaction import redact as redact_text

# Every name the current SDKs read (reference: openai-python and openai-node sources): the client settings,
# the admin key, the webhook secret, extra headers, logging, and the Azure client's names.
SDK_ENV = frozenset({
    "OPENAI_API_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_BASE_URL",
    "OPENAI_ADMIN_KEY", "OPENAI_WEBHOOK_SECRET", "OPENAI_CUSTOM_HEADERS", "OPENAI_LOG",
    "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN", "AZURE_OPENAI_ENDPOINT", "OPENAI_API_VERSION",
})
ORG_ENV = "OPENAI_ORG_ID"
PROJECT_ENV = "OPENAI_PROJECT_ID"
PROJECT_KEY_PREFIXES = ("sk-proj-", "sk-svcacct-", "sk-service-")

# Names people set that the official SDKs (openai-python >= 1, openai-node >= 4) never read.
_ORG_NAME = lazy_compile(r"OPENAI_(?:API_)?(?:ORG|ORGID|ORGANI[SZ]ATION)(?:_?ID)?")
_PROJECT_NAME = lazy_compile(r"OPENAI_(?:API_)?(?:PROJ|PROJECT|PROJECTID)(?:_?ID)?")
_BASE_NAME = lazy_compile(r"OPENAI_(?:API_BASE|API_BASE_URL|BASE|BASEURL|API_URL|URL|API_HOST|HOST|API_ENDPOINT"
                        r"|ENDPOINT)")
_KEY_NAME = lazy_compile(r"OPENAI_(?:KEY|APIKEY|API_TOKEN|TOKEN|SECRET|SECRET_KEY|API_SECRET|API_SECRET_KEY"
                       r"|PROJECT_KEY|PROJECT_API_KEY)")


@dataclass(frozen=True)
class IgnoredName:
    """An env var name the SDKs ignore, with the name they read instead."""
    name: str
    replacement: str  # the name the SDKs read
    role: str  # organization | project | base-url | api-key | key-file


def ignored_name(name: str) -> IgnoredName | None:
    """The SDK name a wrongly named OpenAI env var stands for, or None when the name is fine/unrelated."""
    if name in SDK_ENV:
        return None
    if name == "OPENAI_API_KEY_PATH":
        return IgnoredName(name, "OPENAI_API_KEY", "key-file")
    if _ORG_NAME.fullmatch(name):
        return IgnoredName(name, ORG_ENV, "organization")
    if _PROJECT_NAME.fullmatch(name):
        return IgnoredName(name, PROJECT_ENV, "project")
    if _BASE_NAME.fullmatch(name):
        return IgnoredName(name, "OPENAI_BASE_URL", "base-url")
    if _KEY_NAME.fullmatch(name):
        return IgnoredName(name, "OPENAI_API_KEY", "api-key")
    return None


# The wrappers (and the legacy SDK) that still read some of those names themselves.
WRAPPER_READS: dict[str, frozenset[str]] = {
    "OPENAI_ORGANIZATION": frozenset({"langchain", "langchain-js", "litellm", "openai-v0"}),
    "OPENAI_API_BASE": frozenset({"langchain", "langchain-js", "llama_index", "litellm", "openai-v0"}),
    "OPENAI_API_KEY_PATH": frozenset({"openai-v0"}),
}
_ROLE_NAME_ORG = lazy_compile(r"(?:^|_)OPENAI_(?:API_)?(?:ORG|ORGID|ORGANI[SZ]ATION)(?:_?ID)?$")
_ROLE_NAME_PROJECT = lazy_compile(r"(?:^|_)OPENAI_(?:API_)?(?:PROJ|PROJECT|PROJECTID)(?:_?ID)?$")


def setting_role(name: str) -> str | None:
    """organization | project | api-key for env names that hold such a value (Azure names excluded)."""
    if "AZURE" in name:
        return None
    if _ROLE_NAME_ORG.search(name):
        return "organization"
    if _ROLE_NAME_PROJECT.search(name):
        return "project"
    if is_key_var(name) and not name.endswith("_PATH"):
        return "api-key"
    return None


# -- header names ----------------------------------------------------------------------------------
ORG_HEADER = "OpenAI-Organization"
PROJECT_HEADER = "OpenAI-Project"
_HEADER_FAMILY = lazy_compile(r"(?:x[-_])?open[-_ ]?ai[-_ ]?(.*)", re.I)


def _distance(a: str, b: str, limit: int = 2) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def header_role(name: str) -> str | None:
    """organization | project | authorization for correct header names (any case);
    misspelled-organization | misspelled-project for near misses; None for anything else."""
    lower = name.strip().lower()
    if lower == "openai-organization":
        return "organization"
    if lower == "openai-project":
        return "project"
    if lower == "authorization":
        return "authorization"
    if "-" not in lower:
        return None  # headers are written with hyphens; "openai_organization" is a config key, not a header
    m = _HEADER_FAMILY.fullmatch(lower)
    if m:
        rest = m.group(1)
        if rest.startswith("org"):
            return "misspelled-organization"
        if rest.startswith("proj"):
            return "misspelled-project"
    if _distance(lower, "openai-organization") <= 2:
        return "misspelled-organization"
    if _distance(lower, "openai-project") <= 2:
        return "misspelled-project"
    return None


# -- values -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """What is wrong with an organization/project/key value, and how severe it is."""
    code: str
    detail: str
    severity: str | None = None  # overrides the rule default


def _templated(value: str) -> bool:
    return any(t in value for t in ("${", "{{", "$(", "%(", "<", "{")) or is_reference(value)


def shown(value: str) -> str:
    """How a value may appear in a message: keys only by prefix, everything else quoted and short (and
    redacted before it is shortened: half a key is no longer recognisable as one)."""
    v = redact_text(value.strip())
    if v.startswith("sk-"):
        for prefix in ("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-"):
            if v.startswith(prefix):
                return f"`{prefix}…`"
        return "`sk-…`"
    if len(v) > 24 and " " not in v and not v.startswith(("org-", "proj_", "proj-")):
        return f"`{v[:6]}…`"  # a long opaque token: perhaps another secret, never shown in full
    if len(v) > 40:
        v = v[:37] + "…"
    return f"`{v}`"


def organization_problem(value: str) -> Problem | None:
    v = value.strip().strip("\"'")
    if not v or v.startswith("org-"):
        return None
    if v.startswith("sk-"):
        return Problem("key", "is an API key, not an organization id; the key would be sent in the "
                              "OpenAI-Organization header", "high")
    if v.startswith(("proj_", "proj-")):
        return Problem("project-id", "is a project id; pass it as the project (OpenAI-Project) and give "
                                     "the organization id (org-…) as the organization")
    if _templated(v):
        return None
    if re.match(r"(?i)org[_ ]|ORG-|Org-", v):
        return Problem("prefix", "is not an organization id: organization ids start with `org-` (lower "
                                 "case, hyphen)")
    if is_placeholder_value(v):
        return None
    return Problem("name", "is not an organization id (org-…); use the id from the organization "
                           "settings page, not the organization's name")


def project_problem(value: str) -> Problem | None:
    v = value.strip().strip("\"'")
    if not v or v.startswith("proj_"):
        return None
    if v.startswith("sk-"):
        return Problem("key", "is an API key, not a project id; the key would be sent in the "
                              "OpenAI-Project header", "high")
    if re.match(r"(?i)proj-", v):
        return Problem("hyphen", "is not a project id: project ids start with `proj_` (underscore), "
                                 "not `proj-`")
    if v.startswith("org-"):
        return Problem("org-id", "is an organization id; pass it as the organization and give the "
                                 "project id (proj_…) as the project")
    if _templated(v):
        return None
    if re.match(r"(?i)proj(?:ect)?[_ ]", v) and not v.startswith("proj_"):
        return Problem("prefix", "is not a project id: project ids start with `proj_` (lower case)")
    if is_placeholder_value(v):
        return None
    return Problem("name", "is not a project id (proj_…); use the id from the project's settings page, "
                           "not the project's name")


def key_problem(value: str) -> Problem | None:
    v = value.strip().strip("\"'")
    if v.lower().startswith("bearer "):
        v = v[7:].strip()
    if v.startswith("org-"):
        return Problem("org-id", "is an organization id, not an API key")
    if v.startswith("proj_"):
        return Problem("project-id", "is a project id, not an API key")
    return None


def is_project_key(value: str | None) -> bool:
    if not value:
        return False
    v = value.strip().strip("\"'")
    if v.lower().startswith("bearer "):
        v = v[7:].strip()
    return v.startswith(PROJECT_KEY_PREFIXES)


_KEYISH = lazy_compile(r"(?i)(?:^|[._])(?:[a-z0-9]*_)?(?:api_?key|apikey|key|token|secret)$")
_AUTHISH = lazy_compile(r"(?i)bearer|auth|header")


def keyish_name(name: str | None) -> bool:
    """A variable/env name that holds a bare key (so ``Authorization: <it>`` lacks ``Bearer``)."""
    return bool(name) and bool(_KEYISH.search(name or "")) and not _AUTHISH.search(name or "")
