"""The shape of the tree at scale 1.0 (file counts, byte budgets), its vocabulary, and small helpers."""

from __future__ import annotations

import base64
import math
import random
import string
import struct
import zlib

GENERATOR_VERSION = 1
MB = 1_000_000
# The 8-character marker inside every sk- OpenAI key is base64("OpenAI").
MARKER = base64.b64encode(b"OpenAI").decode("ascii")
ALNUM = string.ascii_letters + string.digits
KEY_ALPHABET = ALNUM + "_-"


# ---------------------------------------------------------------------------
# Shape of the tree at scale 1.0: file counts and byte budgets per category.
# ---------------------------------------------------------------------------
TOTAL_BYTES = 400 * MB
COUNTS: dict[str, int] = {
    "doc": 22_260,  # regular Markdown/MDX pages
    "bigdoc": 40,  # changelogs, generated API references (about 1-3 MB each)
    "py": 1_300,
    "js": 1_400,  # .js/.ts/.tsx source
    "bundle": 6,  # minified JS bundles (several MB each)
    "json": 700,
    "yaml": 750,
    "toml": 120,
    "env": 60,
    "docker": 110,
    "sh": 220,
    "txt": 100,
    "ipynb": 12,
    "png": 60,
}
BUDGETS: dict[str, int] = {  # bytes at scale 1.0; "doc" takes what is left
    "py": 9 * MB,
    "js": 8 * MB,
    "json": 7 * MB,
    "yaml": 3 * MB,
    "toml": 250_000,
    "env": 60_000,
    "docker": 120_000,
    "sh": 600_000,
    "txt": 60_000,
    "png": 12 * MB,
}
BIGDOC_MB = [1.1, 2.4, 0.9, 3.2, 1.6, 2.0, 1.3, 2.8]
BUNDLE_MB = [2.5, 3.8, 5.2, 2.9, 4.4, 6.0]
NOTEBOOK_KB = [120, 480, 90, 260, 600, 150, 340, 200, 75, 410, 180, 300]
OPENAI_SHARE = 0.01  # share of Python/JS files that use the SDK
OPENAI_DOC_SHARE = 0.025

# ---------------------------------------------------------------------------
# Vocabulary.
# ---------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


COMMON = _words(
    "the of and to a in is it you that he was for on are with as his they be at one have this from or had by "
    "not word but what some we can out other were all there when up use your how said an each she which do "
    "their time if will way about many then them write would like so these her long make thing see him two "
    "has look more day could go come did number sound no most people my over know water than call first who "
    "may down side been now find any new work part take get place made live where after back little only "
    "round man year came show every good me give our under name very through just form sentence great think "
    "say help low line differ turn cause much mean before move right boy old too same tell does set three "
    "want air well also play small end put home read hand port large spell add even land here must big high "
    "such follow act why ask men change went light kind off need house picture try us again animal point "
    "page letter mother answer found study still learn should world should usually often quickly together "
    "instead however because between during without within against across along around behind beyond"
)
TECH = _words(
    "request response client server token model prompt completion embedding cache queue worker deployment "
    "cluster namespace container image registry pipeline workflow build release version config setting "
    "environment variable secret credential endpoint latency throughput timeout retry backoff rate limit "
    "quota billing organization project service account dashboard metric trace log handler middleware "
    "schema migration database index query transaction replica shard partition stream batch job scheduler "
    "webhook callback payload header cookie session router controller component hook state reducer store "
    "bundle module package dependency lockfile runtime interpreter compiler plugin extension adapter "
    "serializer parser validator fixture mock snapshot coverage benchmark profiler allocator buffer socket"
)
HYPHENATED = _words(
    "task-based risk-free disk-usage task-brief risk-check desk-based risk-averse task-specific "
    "mask-based flask-login kiosk-mode disk-backed risk-adjusted task-runner task-queue ask-first "
    "brisk-paced desk-side risk-based task-level disk-bound risk-aware whisk-style task-oriented "
    "well-known up-to-date read-only end-to-end long-running open-source built-in opt-in "
    "rate-limited real-time server-side client-side zero-downtime high-availability multi-tenant "
    "sk-this-is-a-long-hyphenated-phrase"
)
VERBS = _words(
    "get set load save build parse render fetch update create delete list find resolve validate normalize "
    "compute apply merge split format encode decode sync flush emit handle process collect register "
    "dispatch schedule retry refresh compare convert extract transform"
)
NOUNS = _words(
    "user account item order record payload config settings token session message event batch result "
    "request response client cache entry index report invoice customer document chunk prompt answer "
    "embedding vector score metric job task queue worker node path file name value key limit offset"
)
PY_TYPES = ("str", "int", "float", "bool", "dict[str, Any]", "list[str]", "bytes", "Path", "None")
TS_TYPES = ("string", "number", "boolean", "Record<string, unknown>", "string[]", "Date", "void")
LANGS = ["en"] * 10 + ["ja", "de", "fr", "es", "pt-br", "zh", "ko"]
I18N: dict[str, list[str]] = {
    "ja": ["設定の概要", "手順", "注意してください", "例えば、", "このガイドでは", "トークンの管理"],
    "zh": ["概述", "配置步骤", "请注意", "例如，", "本指南介绍", "密钥管理"],
    "ko": ["개요", "설정 방법", "주의하세요", "예를 들어", "이 가이드에서는"],
    "de": ["Übersicht:", "Schlüsselverwaltung.", "Größe und Leistung.", "Für Entwickler:", "Hinweis:"],
    "fr": ["Aperçu :", "Paramètres avancés.", "Sécurité des clés.", "Étape suivante :", "Remarque :"],
    "es": ["Descripción general:", "Configuración rápida.", "Atención:", "Año fiscal.", "Próximos pasos:"],
    "pt-br": ["Visão geral:", "Configuração avançada.", "Atenção:", "Próximos passos:", "Segurança."],
}
DOC_SECTIONS = _words(
    "getting-started guides tutorials concepts how-to api-reference cookbook operations runbooks "
    "architecture adr security platform data ml-platform frontend backend billing onboarding "
    "troubleshooting release-notes internal integrations sdk cli observability"
)
MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-3.5-turbo", "o3-mini", "gpt-4-turbo")
PLACEHOLDERS = (
    "sk-...",
    "sk-your-key-here",
    "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "sk-<your-api-key>",
    "sk-123456789xxxxxxxxxxxxxxxxxxxxx",
    "sk-REPLACE_ME",
    "sk-proj-...",
    "sk-ant-api03-xxxxxxxxxxxxxxxx",
    "sk-or-v1-0000000000000000",
    "sk_test_XXXXXXXXXXXXXXXXXXXXXXXX",
)

# ---------------------------------------------------------------------------
# Helpers.
# ---------------------------------------------------------------------------


def scaled(base: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(base * scale))


def lognormal_sizes(rng: random.Random, n: int, median: float, sigma: float, lo: int, hi: int) -> list[float]:
    mu = math.log(median)
    return [min(hi, max(lo, rng.lognormvariate(mu, sigma))) for _ in range(n)]


def normalized(sizes: list[float], budget: float) -> list[int]:
    total = sum(sizes) or 1.0
    return [max(64, int(s * budget / total)) for s in sizes]


def rand_str(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choices(alphabet, k=n))


def png_bytes(rng: random.Random, size: int) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    w, h = rng.choice([(64, 64), (640, 480), (1280, 720), (800, 600), (1920, 1080)])
    head = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
    body = rng.randbytes(max(16, size - len(head) - 24))
    return head + chunk(b"IDAT", body) + chunk(b"IEND", b"")
