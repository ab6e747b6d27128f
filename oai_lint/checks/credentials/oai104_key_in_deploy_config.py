"""OAI104: the OpenAI key set as a plain value in CI or deploy configuration."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.keys import is_key_literal
from oai_lint.analysis.names import is_key_var, is_placeholder_value, is_reference
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.sources import Source

_DEPLOY_CONTEXTS = {
    "workflow-env": "a GitHub Actions workflow `env:`",
    "compose": "a compose file `environment:`",
    "k8s-env": "a Kubernetes `env[].value`",
    "k8s-configmap": "a Kubernetes ConfigMap",
    "k8s-configmap-string": "a Kubernetes ConfigMap",
    "gitlab-ci": "GitLab CI `variables:`",
}


@check("OAI104", kinds={"yaml"}, triggers=(b"OPENAI", b"openai"))
def key_in_deploy_config(source: Source, ctx: Context) -> Iterator[Hit]:
    """The key given as a plain value in CI or deploy config (a recognised key literal is OAI101)."""
    for s in source.settings:
        if s.context not in _DEPLOY_CONTEXTS or not is_key_var(s.name):
            continue
        configmap = s.context.startswith("k8s-configmap")
        value = s.value.strip().strip("\"'")
        if s.context == "compose" and value and not is_reference(value) and is_placeholder_value(value) \
                and not is_key_literal(value):
            # `OPENAI_API_KEY: your-key-here` in a compose file invites the real key in that place
            yield Hit("OAI104", s.line, s.column, s.line, s.column + len(s.value),
                      params={"name": s.name, "where": _DEPLOY_CONTEXTS[s.context],
                              "what": "a placeholder, where the real key tends to be pasted,"},
                      key=f"{s.name}:placeholder", severity="low")
            continue
        if not configmap and (is_placeholder_value(s.value) or is_key_literal(s.value)):
            continue
        if configmap and (not s.value.strip() or is_key_literal(s.value)):
            continue
        yield Hit("OAI104", s.line, s.column, s.line, s.column + len(s.value),
                  params={"name": s.name, "where": _DEPLOY_CONTEXTS[s.context], "what": "a plain value"},
                  key=s.name)
