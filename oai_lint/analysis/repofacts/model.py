"""The facts of a repository: what it as a whole says about OpenAI settings, and where."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from oai_lint.analysis.ids import SDK_ENV, WRAPPER_READS, setting_role


@dataclass(frozen=True)
class Place:
    """Where in the repository something is set (a file and line), and which code it reaches."""
    path: str
    line: int
    what: str
    scope: str = ""  # the directory (absolute) whose code the setting reaches; "" for everything
    value_is_openai: bool = False  # for OPENAI_BASE_URL: the value names api.openai.com

    def __str__(self) -> str:
        return f"{self.path}:{self.line} ({self.what})"

    def reaches(self, abspath: str | None) -> bool:
        return not self.scope or abspath is None or abspath.startswith(self.scope.rstrip(os.sep) + os.sep)


@dataclass
class RepoFacts:
    """What the repository as a whole says about OpenAI settings."""
    root: str
    reads: set[str] = field(default_factory=set)  # OPENAI_* names some code, script or config reads
    # langchain, langchain-js, litellm, llama_index, openai-v0
    wrappers: set[str] = field(default_factory=set)
    # OPENAI_* names the deployment's environment sets, with where (and for which code) it does so
    env_sets: dict[str, list[Place]] = field(default_factory=dict)
    _env_known: dict[str, set[Place]] = field(default_factory=dict, repr=False, compare=False)
    code_pins: dict[str, Place] = field(default_factory=dict)  # organization/project literals in code/headers
    # organization/project read in code from an environment variable: what -> env name -> where
    env_pins: dict[str, dict[str, Place]] = field(default_factory=dict)
    pin_envs: set[str] = field(default_factory=set)  # env names those code pins read
    # clients built with max_retries=0 that other modules reach: the attribute (``self.client``) or module
    # variable name they are bound to -> where (OAI307)
    retries_off: dict[str, Place] = field(default_factory=dict)
    # "project" / "other": the kinds of the keys the deploy environment configures (a key literal in code
    # speaks only for its own client)
    key_scopes: set[str] = field(default_factory=set)
    # where a dependency file pins openai-python below 1.0 (its module settings work there: OAI402)
    v0_pin: Place | None = None
    # the Python files that import openai (OAI210: empty env values break openai-python, not openai-node)
    python_openai: set[str] = field(default_factory=set)

    def merge(self, other: RepoFacts) -> None:
        """Add the facts of ``other`` (gathered from files that come after this one's, in path order:
        the first place wins, as when one pass reads the files in that order)."""
        self.reads |= other.reads
        self.wrappers |= other.wrappers
        for name, places in other.env_sets.items():
            for place in places:
                self.set_env(name, place)
        for what, place in other.code_pins.items():
            self.code_pins.setdefault(what, place)
        for what, by_env in other.env_pins.items():
            mine = self.env_pins.setdefault(what, {})
            for env, place in by_env.items():
                mine.setdefault(env, place)
        self.pin_envs |= other.pin_envs
        self.key_scopes |= other.key_scopes
        for name, place in other.retries_off.items():
            self.retries_off.setdefault(name, place)
        self.v0_pin = self.v0_pin or other.v0_pin
        self.python_openai |= other.python_openai

    def empty(self) -> bool:
        return not (self.reads or self.wrappers or self.env_sets or self.code_pins or self.env_pins
                    or self.pin_envs or self.retries_off or self.key_scopes or self.v0_pin
                    or self.python_openai)

    def python_client(self, scope: str | None = None) -> bool:
        """Whether Python code (below ``scope``, a directory, when given) builds an openai-python client: the
        SDK itself, or a Python wrapper of it (known for the whole repository only)."""
        if self.wrappers & {"langchain", "litellm", "llama_index"}:
            return True
        if scope is None:
            return bool(self.python_openai)
        prefix = scope.rstrip(os.sep) + os.sep
        return any(p.startswith(prefix) for p in self.python_openai)

    def reader_of(self, name: str) -> str | None:
        """Why ``name`` is fine although the SDKs ignore it: "code" or a wrapper's label, else None."""
        if name in self.reads:
            return "code"
        for wrapper in sorted(WRAPPER_READS.get(name, frozenset()) & self.wrappers):
            return wrapper
        return None

    def effective(self, name: str) -> bool:
        return name in SDK_ENV or self.reader_of(name) is not None

    def set_env(self, name: str, place: Place) -> None:
        known = self._env_known.setdefault(name, set())  # (a list scan per place was quadratic)
        if place not in known:
            known.add(place)
            self.env_sets.setdefault(name, []).append(place)

    def env_place(self, name: str, abspath: str | None = None) -> Place | None:
        """Where the environment of the code at ``abspath`` gets ``name`` (anywhere, without a path)."""
        return next((p for p in self.env_sets.get(name, ()) if p.reaches(abspath)), None)

    def env_default(self, names: Iterable[str], abspath: str | None = None) -> Place | None:
        """Where the repository gives one of ``names`` a value for the code at ``abspath``: in the
        environment it configures, or by reading it explicitly elsewhere for the same purpose."""
        names = tuple(names)
        for name in names:
            place = self.env_place(name, abspath)
            if place is not None:
                return place
        for name in names:
            if name in self.pin_envs:
                return Place("", 0, name)
        return None

    def pin(self, what: str) -> Place | None:
        """Where the repository sets the organization (or project) to a value that takes effect:
        the deployment's environment first, then literal ids in clients and headers, then clients and
        headers that read an environment variable the deployment sets or the SDKs' own variable (which a
        bare SDK client reads too, see ``env_default``, but a raw request or curl command does not)."""
        for name in sorted(self.env_sets, key=lambda n: (n not in SDK_ENV, n)):
            role = setting_role(name)
            if role == what and self.effective(name):
                return self.env_sets[name][0]
        if what in self.code_pins:
            return self.code_pins[what]
        for env, place in sorted(self.env_pins.get(what, {}).items()):
            if env in self.env_sets or env in SDK_ENV:
                return place
        return None

    @property
    def project_keys(self) -> bool:
        """Every key the repository configures is project-scoped (sk-proj-/sk-svcacct-): no headers needed."""
        return self.key_scopes == {"project"}
