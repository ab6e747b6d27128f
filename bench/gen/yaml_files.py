"""YAML files: workflows, compose files, Kubernetes manifests, configuration, pre-commit."""

from __future__ import annotations

import base64

from gen.base import GeneratorBase
from gen.shape import ALNUM, MODELS, NOUNS, PLACEHOLDERS, VERBS, rand_str


class YamlFiles(GeneratorBase):
    def gen_yaml(self) -> None:
        r, t = self.rng, self.text
        n = self.n("yaml")
        n_workflows = max(1, round(n * 0.06))
        n_compose = max(1, self.keys.wants("compose"), round(n * 0.08))
        n_secrets = max(1, self.keys.wants("k8s_b64"), round(n * 0.008))
        n_k8s = max(n_secrets, round(n * 0.6))
        rest = max(0, n - n_workflows - n_compose - n_k8s)
        for _ in range(n_workflows):
            self.tree.write("yaml", f".github/workflows/{t.slug()}.yml", self.workflow())
        for i in range(n_compose):
            home = self.services[i] if i < len(self.services) else r.choice(self.services)
            key = self.keys.take("compose", long_form=False)
            name = (
                "docker-compose.yml"
                if i < len(self.services)
                else f"docker-compose.{r.choice(['override', 'dev', 'ci', 'test'])}.yml"
            )
            text = self.compose(key)
            rel = self.tree.write("yaml", f"{home}/{name}", text)
            if key:
                self.keys.record(rel, text, key, "compose", "plain")
        for i in range(n_k8s):
            svc = r.choice(self.services).rsplit("/", 1)[-1]
            env = r.choice([*self.envs, "base"])
            if i < n_secrets:
                key = self.keys.take("k8s_b64", long_form=True)
                text, needle = self.k8s_secret(svc, key)
                rel = self.tree.write(
                    "yaml", f"infra/k8s/{'overlays/' + env if env != 'base' else 'base'}/{svc}/secret.yaml", text
                )
                if key:
                    self.keys.record(rel, text, needle, "k8s_b64", "base64")
            else:
                kind = r.choice(["deployment", "service", "configmap", "ingress", "hpa", "cronjob"])
                d = f"infra/k8s/{'overlays/' + env if env != 'base' else 'base'}/{svc}"
                self.tree.write("yaml", f"{d}/{kind}.yaml", self.k8s(kind, svc, env))
        for _ in range(rest):
            x = r.random()
            if x < 0.5:
                chart = t.slug()
                self.tree.write(
                    "yaml",
                    f"infra/helm/charts/{chart}/{r.choice(['values', 'values-prod', 'values-staging', 'Chart'])}.yaml",
                    "\n".join(r.choice(t.snippets["yaml"]) for _ in range(r.randint(2, 12))),
                )
            elif x < 0.7:
                home = r.choice(self.services + self.packages)
                self.tree.write(
                    "yaml", f"{home}/{r.choice(['config', 'settings', 'logging', 'openapi'])}.yaml", self.yaml_config()
                )
            elif x < 0.8:
                self.tree.write(
                    "yaml",
                    f"docs/{r.choice(['mkdocs', 'sidebars', 'nav'])}-{t.slug()}.yml",
                    "nav:\n" + "".join(f"  - {t.title()}: {t.slug()}.md\n" for _ in range(r.randint(5, 60))),
                )
            else:
                home = r.choice(self.services + self.pylibs + [""])
                self.tree.write("yaml", f"{home}/.pre-commit-config.yaml".lstrip("/"), self.precommit())

    def workflow(self) -> str:
        r, t = self.rng, self.text
        env = ""
        if r.random() < 0.3:
            env = "    env:\n      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n"
            if r.random() < 0.3:
                env += f"      OPENAI_ORG_ID: {self.org_id()}\n"
        steps = "".join(
            f"      - name: {t.title()}\n        run: {r.choice(t.snippets['bash']).splitlines()[0]}\n"
            for _ in range(r.randint(2, 8))
        )
        return (
            f"name: {t.title()}\n\non:\n  push:\n    branches: [main]\n  pull_request:\n    paths:\n"
            f"      - '{r.choice(self.services)}/**'\n\npermissions:\n  contents: read\n\njobs:\n"
            f"  {r.choice(['test', 'build', 'lint', 'deploy', 'e2e'])}:\n"
            f"    runs-on: ubuntu-latest\n    timeout-minutes: {r.randint(5, 60)}\n"
            f"{env}    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n"
            f"        with:\n          python-version: '3.{r.randint(9, 12)}'\n{steps}"
        )

    def compose(self, key: str | None) -> str:
        r, t = self.rng, self.text
        services = []
        for j in range(r.randint(1, 4)):
            envs = [f"      {r.choice(NOUNS).upper()}_URL: http://{t.slug()}:{r.randint(3000, 9000)}"]
            if j == 0 or r.random() < 0.3:
                if key and j == 0:
                    envs.append(f"      OPENAI_API_KEY: {key}")
                else:
                    envs.append("      OPENAI_API_KEY: ${OPENAI_API_KEY}")
                envs.append(
                    r.choice(
                        [
                            "      OPENAI_ORG_ID: ${OPENAI_ORG_ID}",
                            f"      OPENAI_ORGANIZATION: {self.org_id()}",
                            "      OPENAI_BASE_URL: http://mock-openai:8080/v1",
                        ]
                    )
                )
            services.append(
                f"  {t.slug()}:\n    build: .\n    image: registry.example.com/{t.slug()}:latest\n"
                f'    ports:\n      - "{r.randint(3000, 9000)}:{r.randint(3000, 9000)}"\n'
                f"    environment:\n" + "\n".join(envs) + "\n    depends_on:\n      - db\n"
            )
        return (
            "services:\n"
            + "".join(services)
            + "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n"
            "    volumes:\n      - db-data:/var/lib/postgresql/data\n\nvolumes:\n  db-data: {}\n"
        )

    def k8s_secret(self, svc: str, key: str | None) -> tuple[str, str]:
        r = self.rng

        def b64(s: str) -> str:
            return base64.b64encode(s.encode()).decode()

        data = {
            "DATABASE_PASSWORD": b64(rand_str(r, ALNUM, 24)),
            "REDIS_URL": b64(f"redis://:{rand_str(r, ALNUM, 16)}@redis:6379/0"),
        }
        if key:
            data["OPENAI_API_KEY"] = b64(key)
        else:
            data["OPENAI_API_KEY"] = b64(r.choice(PLACEHOLDERS))
        body = "".join(f"  {k}: {v}\n" for k, v in data.items())
        text = (
            f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {svc}-secrets\n  labels:\n    app: {svc}\n"
            f"type: Opaque\ndata:\n{body}"
        )
        return text, data["OPENAI_API_KEY"]

    def k8s(self, kind: str, svc: str, env: str) -> str:
        r = self.rng
        meta = f"metadata:\n  name: {svc}\n  namespace: {env}\n  labels:\n    app: {svc}\n    env: {env}\n"
        if kind == "deployment":
            envs = "".join(
                f"            - name: {r.choice(NOUNS).upper()}_{r.choice(['URL', 'TIMEOUT', 'LIMIT', 'MODE'])}\n"
                f'              value: "{r.randint(1, 999)}"\n'
                for _ in range(r.randint(1, 8))
            )
            if r.random() < 0.2:
                envs += (
                    "            - name: OPENAI_API_KEY\n              valueFrom:\n                secretKeyRef:\n"
                    f"                  name: {svc}-secrets\n                  key: OPENAI_API_KEY\n"
                    "            - name: OPENAI_ORG_ID\n" + f"              value: {self.org_id()}\n"
                )
            return (
                f"apiVersion: apps/v1\nkind: Deployment\n{meta}spec:\n  replicas: {r.randint(1, 12)}\n"
                f"  selector:\n    matchLabels:\n      app: {svc}\n  template:\n"
                f"    metadata:\n      labels:\n        app: {svc}\n"
                f"    spec:\n      containers:\n        - name: {svc}\n"
                f"          image: registry.example.com/{svc}:{r.randint(1, 300)}\n"
                "          resources:\n            limits:\n"
                f"              memory: {r.choice(['256Mi', '512Mi', '1Gi'])}\n"
                f"              cpu: {r.choice(['250m', '500m', '1'])}\n          env:\n{envs}"
            )
        if kind == "service":
            return (
                f"apiVersion: v1\nkind: Service\n{meta}spec:\n  selector:\n    app: {svc}\n  ports:\n"
                f"    - port: 80\n      targetPort: {r.randint(3000, 9000)}\n"
            )
        if kind == "configmap":
            data = "".join(
                f'  {r.choice(NOUNS)}.{r.choice(NOUNS)}: "{r.randint(0, 999)}"\n' for _ in range(r.randint(2, 20))
            )
            return f"apiVersion: v1\nkind: ConfigMap\n{meta}data:\n{data}"
        if kind == "ingress":
            return (
                "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
                f"{meta}spec:\n  rules:\n    - host: {svc}.{env}.example.com\n"
                "      http:\n        paths:\n          - path: /\n"
                "            pathType: Prefix\n            backend:\n"
                f"              service:\n                name: {svc}\n"
                "                port:\n                  number: 80\n"
            )
        if kind == "hpa":
            return (
                f"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n{meta}spec:\n  scaleTargetRef:\n"
                f"    apiVersion: apps/v1\n    kind: Deployment\n    name: {svc}\n"
                f"  minReplicas: 2\n  maxReplicas: {r.randint(3, 30)}\n"
            )
        return (
            f"apiVersion: batch/v1\nkind: CronJob\n{meta}spec:\n"
            f'  schedule: "{r.randint(0, 59)} {r.randint(0, 23)} * * *"\n'
            f"  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n"
            f"          containers:\n            - name: {svc}-job\n"
            f"              image: registry.example.com/{svc}:latest\n"
            f'              args: ["python", "-m", "{svc.replace("-", "_")}.jobs.{r.choice(VERBS)}"]\n'
        )

    def yaml_config(self) -> str:
        r, t = self.rng, self.text
        out = [r.choice(t.snippets["yaml"]) for _ in range(r.randint(2, 20))]
        if r.random() < 0.15:
            out.append(
                "openai:\n  api_key: ${OPENAI_API_KEY}\n"
                f"  organization: {self.org_id()}\n  max_retries: {r.randint(0, 6)}\n  model: {r.choice(MODELS)}\n"
            )
        return "\n".join(out)

    def precommit(self) -> str:
        r = self.rng
        return (
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
            "    rev: v0.6.9\n    hooks:\n      - id: ruff\n"
            "  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0\n    hooks:\n"
            "      - id: end-of-file-fixer\n      - id: check-yaml\n"
            + (
                "  - repo: https://github.com/Yelp/detect-secrets\n"
                "    rev: v1.5.0\n    hooks:\n      - id: detect-secrets\n"
                if r.random() < 0.4
                else ""
            )
        )
