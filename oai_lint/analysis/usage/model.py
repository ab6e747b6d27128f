"""What the usage analysis finds: values, headers, client uses (one client construction or raw request)
and the usage of one file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from oai_lint.analysis.vocab import (
    OPENAI_HOST,
)

_ADMIN_PATH = OPENAI_HOST + "/v1/organization/"


def admin_url(fragments: list[str] | tuple[str, ...]) -> bool:
    """The URL is an Admin API endpoint (usage, costs, projects, users, audit logs, admin keys)."""
    return any(_ADMIN_PATH in f for f in fragments) or _ADMIN_PATH in "".join(fragments)


# Records are NamedTuples: a frozen dataclass takes about 0.3 ms to create, on every run that imports it.
class Val(NamedTuple):
    """A value given to an option or header, as far as it can be known without running the code."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str | None = None  # the literal (exact) or the literal start of an f-string/concatenation
    exact: bool = False
    env: str | None = None  # read from this environment variable
    name: str | None = None  # a variable/attribute expression: its dotted name
    none: bool = False  # None / null / undefined: not set


class Header(NamedTuple):
    """An HTTP header set in code or a curl command, with its role for the OpenAI API."""
    name: str
    role: str  # see ids.header_role
    value: Val | None
    line: int
    column: int
    end_column: int


@dataclass
class Use:
    """One client construction or raw request."""

    # openai | langchain | langchain-js | llama_index | litellm | vercel | openai-v3 | module | raw
    client: str
    label: str  # how messages name it: "OpenAI()", "fetch()", "curl"
    line: int
    column: int
    end_line: int
    end_column: int
    known: bool = True  # every option (or header) is visible: no **kwargs, spreads or opaque objects
    org: Val | None = None
    project: Val | None = None
    api_key: Val | None = None
    base_url: Val | None = None  # given explicitly (base_url=, baseURL, api_base, openai_api_base)
    # environment variables it takes its base URL from when none is given (OPENAI_BASE_URL for the SDKs,
    # OPENAI_API_BASE first for LangChain, only OPENAI_API_BASE for LlamaIndex)
    base_env: tuple[str, ...] = ()
    headers: list[Header] = field(default_factory=list)
    org_env: tuple[str, ...] = ()  # env names it falls back to for the organization
    project_env: tuple[str, ...] = ()
    raw: bool = False
    auth_option: bool = False  # raw: something other than a header may set Authorization (auth=, -u)
    presence_known: bool = False  # raw: a missing header really is missing (module-level call, known dict)
    docs: bool = False  # a curl example in Markdown
    admin: bool = False  # raw: a request to the Admin API (/v1/organization/…), which an admin key scopes

    @property
    def elsewhere(self) -> bool:
        """Sent to a server that may not be api.openai.com (a proxy, gateway or compatible server)."""
        if self.base_url is None or self.base_url.none:
            return False
        return not (self.base_url.text and OPENAI_HOST in self.base_url.text)

    def header(self, role: str) -> Header | None:
        return next((h for h in self.headers if h.role == role), None)

    @property
    def sets_org(self) -> bool:
        return (self.org is not None and not self.org.none) or self.header("organization") is not None

    @property
    def sets_project(self) -> bool:
        return (self.project is not None and not self.project.none) or self.header("project") is not None


@dataclass
class FileUsage:
    """The OpenAI clients, raw requests and header literals of one file."""
    uses: list[Use] = field(default_factory=list)
    headers: list[Header] = field(default_factory=list)  # every OpenAI header literal in the file


def iter_org_project_values(usage: FileUsage) -> Iterator[tuple[str, Val, str]]:
    """(slot, value, where) for every organization/project/key value given in code or headers."""
    for use in usage.uses:
        for slot, val in (("organization", use.org), ("project", use.project), ("api-key", use.api_key)):
            if val is not None:
                yield slot, val, f"{slot if slot != 'api-key' else 'the API key'} in {use.label}"
        auth = use.header("authorization") if use.raw else None
        if auth is not None and auth.value is not None:
            yield "api-key", auth.value, "the Authorization header"
    for h in usage.headers:
        if h.value is not None and h.role in {"organization", "project"}:
            yield h.role, h.value, f"the {h.name} header"
