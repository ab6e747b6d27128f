"""Where a deployment configures the environment (compose services, Kubernetes containers, Dockerfiles,
.env files) and which code each setting reaches; where code pins an organization or project."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from oai_lint.analysis.ids import PROJECT_KEY_PREFIXES, SDK_ENV, ignored_name, setting_role
from oai_lint.analysis.keys import find_keys
from oai_lint.analysis.names import is_reference
from oai_lint.analysis.repofacts.model import Place, RepoFacts
from oai_lint.analysis.usage import analyse
from oai_lint.analysis.vocab import CODE_KINDS, CURL_KINDS
from oai_lint.sources import Source, is_env_template
from oai_lint.sources.settings import DEPLOY_CONTEXTS

if TYPE_CHECKING:
    from oai_lint.sources.deploy import ComposeService, K8sContainer



def settings(facts: RepoFacts, source: Source) -> None:
    template = is_env_template(source.name)
    services = source.compose_services
    containers = source.k8s_containers
    for s in source.settings:
        if s.context not in DEPLOY_CONTEXTS or (
            not s.name.startswith("OPENAI_") and setting_role(s.name) is None
        ):
            continue
        scope = _scope(source, s.context, s.line, services, containers, facts.root)
        if scope is None:
            continue  # a prebuilt image's environment: not for this repository's code
        value = s.value.strip()
        if not (value or template or is_reference(value)):
            continue
        role = setting_role(s.name)
        if s.name.startswith("OPENAI_") and (s.name in SDK_ENV or ignored_name(s.name) or role):
            facts.set_env(s.name, Place(source.path, s.line, s.name, scope, "api.openai.com" in value))
        if role == "api-key" and value and not is_reference(value) and s.context not in {"k8s-secret"}:
            if value.startswith(PROJECT_KEY_PREFIXES):
                facts.key_scopes.add("project")
            elif any(k.kind in {"legacy", "user (no project)"} for k in find_keys(value)):
                facts.key_scopes.add("other")


_SHARED_DOCKER_DIRS = {"docker", ".docker", "deploy", "deployment", "deployments", "build", "ci",
                       "containers", "dockerfiles", "infra", "ops"}
_DOCKERFILES = ("Dockerfile", "Containerfile", "dockerfile")


def _image_directory(top: str, image: str) -> str:
    """The directory an image is built from, when its name says so: ``registry/acme/api:1.2`` is built
    from ``api/`` (or ``apps/api/``, ``services/api/``, …) if that directory holds a Dockerfile."""
    name = image.rsplit("/", 1)[-1].split("@", 1)[0].split(":", 1)[0]
    if not name or not re.fullmatch(r"[\w.-]+", name):
        return ""
    found = []
    for parent in ("", *_MONOREPO_DIRS):
        candidate = os.path.join(top, parent, name)
        if any(os.path.isfile(os.path.join(candidate, d)) for d in _DOCKERFILES):
            found.append(candidate)
    return found[0] if len(found) == 1 else ""


_MONOREPO_DIRS = ("apps", "services", "packages", "src", "cmd", "components", "projects", "svc")


def _scope(source: Source, context: str, line: int, services: list[ComposeService],
           containers: list[K8sContainer], top: str) -> str | None:
    """The directory whose code a setting reaches ("" for the whole repository; None for none of it)."""
    directory = os.path.dirname(os.path.abspath(source.abspath))
    if context == "k8s-env":
        for c in containers:
            if c.first_line <= line <= c.last_line:
                return _image_directory(top, c.image)
    if context == "env-file":
        return directory
    if context == "dockerfile-env":
        return "" if os.path.basename(directory).lower() in _SHARED_DOCKER_DIRS else directory
    if context == "compose":
        for svc in services:
            if svc.first_line <= line <= svc.last_line:
                return svc.context
    return ""


def pins(facts: RepoFacts, source: Source) -> None:
    if source.kind not in CODE_KINDS and source.kind not in CURL_KINDS:
        return
    if source.kind in CODE_KINDS and not source.openai_code:
        return  # no OpenAI client or header here ("organization" in prose or other code pins nothing)
    usage = analyse(source)
    for use in usage.uses:
        if use.docs or use.client in {"openai-v3"}:
            continue
        for what, val in (("organization", use.org), ("project", use.project)):
            if val is not None and not val.none:
                facts.code_pins.setdefault(what, Place(source.path, val.line, f"{use.label}: {what}"))
                if val.env:
                    facts.pin_envs.add(val.env)
    for h in usage.headers:
        if h.role in {"organization", "project"} and h.value is not None and not h.value.none:
            if source.kind == "markdown":
                continue
            facts.code_pins.setdefault(h.role, Place(source.path, h.line, f"{h.name} header"))
            if h.value.env:
                facts.pin_envs.add(h.value.env)



