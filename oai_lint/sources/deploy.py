"""What YAML deployment files say about the code they run: the ``environment:`` blocks of compose services
and the ``env:`` blocks of Kubernetes containers, with the code or image each one configures."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml as pyyaml

from oai_lint.sources.yamlsrc import mapping_get, mapping_items, sequence_items, walk

if TYPE_CHECKING:
    from oai_lint.sources import Source


@dataclass(frozen=True)
class ComposeService:
    """A compose service's environment block and the code it configures."""
    first_line: int  # of the service's environment block
    last_line: int
    context: str | None  # absolute build context; None: a prebuilt image (someone else's code)


def compose_services(source: Source) -> list[ComposeService]:
    """The ``environment:`` blocks of compose services, and which code each one reaches."""
    out: list[ComposeService] = []
    for doc in source.yaml_docs:
        for _, service in mapping_items(mapping_get(doc.root, "services")):
            env = mapping_get(service, "environment")
            if not isinstance(env, pyyaml.Node):
                continue
            build = mapping_get(service, "build")
            if isinstance(build, pyyaml.MappingNode):
                build = mapping_get(build, "context")
            context: str | None = None
            if isinstance(build, pyyaml.ScalarNode):
                base = os.path.dirname(os.path.abspath(source.abspath))
                context = os.path.normpath(os.path.join(base, str(build.value or ".")))
            elif mapping_get(service, "image") is None:
                context = ""  # neither build nor image (an extends/override file): assume this repository
            out.append(ComposeService(env.start_mark.line + 1, env.end_mark.line + 1, context))
    return out




@dataclass(frozen=True)
class K8sContainer:
    """A Kubernetes container's env block and the image it runs."""
    first_line: int  # of the container's env block
    last_line: int
    image: str


def k8s_containers(source: Source) -> list[K8sContainer]:
    """The ``env:`` blocks of Kubernetes containers, with the image each one runs."""
    out: list[K8sContainer] = []
    for doc in source.yaml_docs:
        for node in walk(doc.root):
            for key, value in mapping_items(node):
                if key.value not in {"containers", "initContainers"}:
                    continue
                for container in sequence_items(value):
                    env = mapping_get(container, "env")
                    image = mapping_get(container, "image")
                    if isinstance(env, pyyaml.Node) and isinstance(image, pyyaml.ScalarNode):
                        out.append(K8sContainer(env.start_mark.line + 1, env.end_mark.line + 1,
                                                str(image.value)))
    return out
