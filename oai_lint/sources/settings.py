"""Environment-style settings found in config: .env, shell exports, Dockerfile ENV/ARG, compose,
GitHub Actions workflows, GitLab CI, Kubernetes env/ConfigMap/Secret, and UPPER_CASE keys elsewhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from oai_lint.lazyre import lazy_compile

if TYPE_CHECKING:
    import yaml

    from oai_lint.sources import Source

ENV_NAME = lazy_compile(r"^[A-Z][A-Z0-9_]*$")
# Settings that configure the environment a deployment runs with.
DEPLOY_CONTEXTS = frozenset({
    "env-file", "shell", "dockerfile-env", "workflow-env", "compose", "k8s-env", "k8s-configmap",
    "k8s-configmap-string", "k8s-secret", "k8s-secret-string", "gitlab-ci",
})


class Setting(NamedTuple):
    """An environment-style setting (name, value, place) from a config or env file."""
    name: str
    value: str
    line: int  # of the value (where a finding about the value points)
    column: int
    context: str  # env-file | shell | dockerfile-env | dockerfile-arg | workflow-env | compose |
    # k8s-env | k8s-configmap | k8s-secret | gitlab-ci | yaml


def extract(source: Source) -> list[Setting]:
    if source.kind in {"env", "shell"}:
        ctx = "env-file" if source.kind == "env" else "shell"
        return [Setting(e.name, e.value, e.line, e.value_column, ctx) for e in source.env_entries]
    if source.kind == "dockerfile":
        out = []
        for ins in source.docker_instructions:
            for name, value, line in ins.pairs:
                ctx = "dockerfile-env" if ins.keyword == "ENV" else "dockerfile-arg"
                col = source.line_text(line).find(name) + 1
                out.append(Setting(name, value, line, max(col, 1), ctx))
        return out
    if source.kind == "yaml":
        out = []
        for doc in source.yaml_docs:
            out.extend(_from_yaml(source.path, doc.root))
        return out
    return []


def _scalar_setting(name: str, node: yaml.Node, ctx: str) -> Setting | None:
    import yaml  # only YAML sources get here: .env files and Dockerfiles need no PyYAML

    if isinstance(node, yaml.ScalarNode):
        value = str(node.value)
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if node.style in {'"', "'"}:
            col += 1
        return Setting(name, value, line, col, ctx)
    return None


def _env_block(node: yaml.Node | None, ctx: str) -> list[Setting]:
    """An ``env``/``environment`` block: a mapping, or a list of ``K=V`` strings or ``{name, value}``."""
    import yaml  # only YAML sources get here: .env files and Dockerfiles need no PyYAML

    from oai_lint.sources.yamlsrc import mapping_get, mapping_items, sequence_items

    out: list[Setting] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in mapping_items(node):
            s = _scalar_setting(str(key.value), value, ctx)
            if s:
                out.append(s)
    for item in sequence_items(node):
        if isinstance(item, yaml.ScalarNode) and "=" in str(item.value):
            name, _, text = str(item.value).partition("=")
            line, col = item.start_mark.line + 1, item.start_mark.column + 1
            if item.style in {'"', "'"}:
                col += 1
            out.append(Setting(name.strip(), text, line, col + len(name) + 1, ctx))
        elif isinstance(item, yaml.MappingNode):
            name_node = mapping_get(item, "name")
            value_node = mapping_get(item, "value")
            if isinstance(name_node, yaml.ScalarNode) and value_node is not None:
                s = _scalar_setting(str(name_node.value), value_node, ctx)
                if s:
                    out.append(s)
    return out


def _from_yaml(path: str, root: yaml.Node) -> list[Setting]:
    import yaml  # only YAML sources get here: .env files and Dockerfiles need no PyYAML

    from oai_lint.sources.yamlsrc import mapping_get, mapping_items, walk

    out: list[Setting] = []
    kind_node = mapping_get(root, "kind")
    kind = kind_node.value if isinstance(kind_node, yaml.ScalarNode) else None
    if kind in {"ConfigMap", "Secret"} and mapping_get(root, "apiVersion") is not None:
        ctx = "k8s-configmap" if kind == "ConfigMap" else "k8s-secret"
        for block in ("data", "stringData"):
            for key, value in mapping_items(mapping_get(root, block)):
                s = _scalar_setting(str(key.value), value, ctx if block == "data" else ctx + "-string")
                if s:
                    out.append(s)
        return out
    is_workflow = "/.github/workflows/" in f"/{path}" or (
        mapping_get(root, "jobs") is not None and mapping_get(root, "on") is not None
    )
    is_compose = mapping_get(root, "services") is not None and not is_workflow
    is_k8s = kind is not None and mapping_get(root, "apiVersion") is not None
    handled: set[int] = set()
    for node in walk(root):
        if not isinstance(node, yaml.MappingNode):
            continue
        for key, value in mapping_items(node):
            k = key.value
            if is_workflow and k == "env":
                ctx = "workflow-env"
            elif is_compose and k == "environment":
                ctx = "compose"
            elif is_k8s and k == "env":
                ctx = "k8s-env"
            elif k == "variables" and not is_workflow:
                ctx = "gitlab-ci"
            else:
                continue
            handled.add(id(value))
            out.extend(_env_block(value, ctx))
    if not (is_workflow or is_compose or is_k8s):
        seen = {(s.name, s.line) for s in out}
        for node in walk(root):
            if isinstance(node, yaml.MappingNode) and id(node) not in handled:
                for key, value in mapping_items(node):
                    if ENV_NAME.match(str(key.value)):
                        s = _scalar_setting(str(key.value), value, "yaml")
                        if s and (s.name, s.line) not in seen:
                            out.append(s)
    return out
