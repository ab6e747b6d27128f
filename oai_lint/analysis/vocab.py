"""The one vocabulary of OpenAI code: hosts and environment names, the SDKs and wrappers, the regexes that
tell whether a text could be OpenAI code, the source kinds that hold code, and what a minified bundle
looks like. Cheap to import (no regex is compiled until used): ``oai_lint.sources`` reads it on the
pre-commit path."""

from __future__ import annotations

import re

from oai_lint.lazyre import lazy_compile

# -- hosts and environment variables -------------------------------------------------------------------
OPENAI_HOST = "api.openai.com"
BASE_ENV = "OPENAI_BASE_URL"

# -- source kinds --------------------------------------------------------------------------------------
PY_KINDS = frozenset({"python", "notebook"})
JS_KINDS = frozenset({"javascript", "typescript", "tsx"})
CODE_KINDS = PY_KINDS | JS_KINDS
# kinds whose text may hold a curl command to the API
CURL_KINDS = frozenset({"shell", "makefile", "dockerfile", "yaml", "markdown"})

# -- SDKs and wrappers ---------------------------------------------------------------------------------
WRAPPERS = ("langchain", "llama_index", "litellm")  # Python packages that wrap the OpenAI SDK
# a Python import of the SDK or a wrapper (the cheap test before a Python file is parsed for clients)
PY_CLIENT_IMPORT = lazy_compile(
    r"(?:^|[\s;\"'])(?:from|import)\s+(?:openai|langchain\w*|llama_index|litellm)\b", re.M)
# JS module names (as quoted in an import or require) of the SDK and the wrappers
JS_CLIENT_MODULES = ("'openai'", '"openai"', "@ai-sdk/openai", "langchain")

# -- openai-python ----------------------------------------------------------------------------------
# openai-python < 1.0 module-level resources (``lib/_old_api.py`` in v1 raises APIRemovedInV1 for these).
V0_SYMBOLS = {
    "ChatCompletion",
    "Completion",
    "Embedding",
    "Edit",
    "File",
    "Image",
    "Audio",
    "Model",
    "Engine",
    "FineTune",
    "Moderation",
    "Deployment",
    "Customer",
    "ErrorObject",
    "FineTuningJob",
}
# v1 resources reachable from a client (or from the module-level client ``openai.<resource>``).
V1_RESOURCES = {
    "chat",
    "completions",
    "embeddings",
    "responses",
    "images",
    "audio",
    "moderations",
    "files",
    "models",
    "batches",
    "beta",
    "fine_tuning",
    "uploads",
    "vector_stores",
    "realtime",
    "conversations",
    "evals",
    "containers",
    "webhooks",
}
PY_RESOURCE_METHODS = (
    "chat.completions.create",
    "chat.completions.parse",
    "chat.completions.stream",
    "completions.create",
    "embeddings.create",
    "responses.create",
    "responses.parse",
    "responses.stream",
    "images.generate",
    "images.edit",
    "images.create_variation",
    "audio.transcriptions.create",
    "audio.translations.create",
    "audio.speech.create",
    "moderations.create",
)
# Attributes of a client that read its settings or close it: using them sends no request.
CLIENT_SETTINGS = {
    "api_key",
    "organization",
    "project",
    "base_url",
    "max_retries",
    "timeout",
    "default_headers",
    "default_query",
    "webhook_secret",
    "websocket_base_url",
    "close",
    "aclose",
    "is_closed",
    # openai-node
    "apiKey",
    "baseURL",
    "maxRetries",
}
CLIENT_CLASSES_OPENAI = {
    "openai.OpenAI",
    "openai.AsyncOpenAI",
    "openai.AzureOpenAI",
    "openai.AsyncAzureOpenAI",
}
LANGCHAIN_CLASSES = {
    "ChatOpenAI",
    "OpenAI",
    "AzureChatOpenAI",
    "AzureOpenAI",
    "OpenAIEmbeddings",
    "AzureOpenAIEmbeddings",
}
LLAMA_CLASSES = {"OpenAI", "OpenAIEmbedding", "AzureOpenAI", "OpenAIResponses", "AzureOpenAIEmbedding"}
LITELLM_CALLS = {
    "litellm.completion",
    "litellm.acompletion",
    "litellm.embedding",
    "litellm.aembedding",
    "litellm.responses",
    "litellm.aresponses",
}

# Exceptions a retry handler may catch for a 429.
OPENAI_EXCEPTIONS = {
    "RateLimitError",
    "APIError",
    "APIStatusError",
    "OpenAIError",
    "APIConnectionError",
    "APITimeoutError",
    "InternalServerError",
    "ServiceUnavailableError",
    "Timeout",
    "TryAgain",
}
GENERIC_EXCEPTIONS = {
    "Exception",
    "BaseException",
    "HTTPError",
    "HTTPStatusError",
    "RequestException",
    "ClientResponseError",
    "ClientError",
    "ConnectionError",
    "TimeoutError",
}
QUOTA_CODES = (
    "insufficient_quota",
    "credit_balance_exhausted",
    "organization_spend_limit_exceeded",
    "project_spend_limit_exceeded",
    "organization_usage_limit_exceeded",
)

TASK_RETRY_OPTIONS = {"autoretry_for", "retry_backoff", "retry_policy"}
# Python HTTP client libraries (their module, or an object one of them builds, sends raw requests)
HTTP_MODULES = frozenset({"requests", "httpx", "aiohttp", "urllib", "urllib2", "urllib3", "http", "niquests",
                          "grequests", "treq", "httplib2", "tornado", "pycurl"})
HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options"}

# -- openai-node and JS wrappers ------------------------------------------------------------------
JS_CLIENT_CLASSES = {
    "OpenAI",
    "AzureOpenAI",
    "ChatOpenAI",
    "AzureChatOpenAI",
    "OpenAIEmbeddings",
    "AzureOpenAIEmbeddings",
}
# the same methods in openai-node, which names them in camelCase (images.createVariation)
JS_RESOURCE_METHODS = tuple(
    re.sub(r"_([a-z])", lambda m: m.group(1).upper(), method) for method in PY_RESOURCE_METHODS
)
AI_SDK_CALLS = {"generateText", "streamText", "generateObject", "streamObject", "embed", "embedMany"}
# openai-node v3 (OpenAIApi) methods and their v4+ replacements.
V3_METHODS = {
    "createChatCompletion": "openai.chat.completions.create",
    "createCompletion": "openai.completions.create",
    "createEdit": "openai.chat.completions.create (the Edits endpoint is gone)",
    "createEmbedding": "openai.embeddings.create",
    "createImage": "openai.images.generate",
    "createImageEdit": "openai.images.edit",
    "createImageVariation": "openai.images.createVariation",
    "createTranscription": "openai.audio.transcriptions.create",
    "createTranslation": "openai.audio.translations.create",
    "createModeration": "openai.moderations.create",
    "listModels": "openai.models.list",
    "retrieveModel": "openai.models.retrieve",
    "deleteModel": "openai.models.delete",
    "createFile": "openai.files.create",
    "listFiles": "openai.files.list",
    "retrieveFile": "openai.files.retrieve",
    "deleteFile": "openai.files.delete",
    "downloadFile": "openai.files.content",
    "createFineTune": "openai.fineTuning.jobs.create",
    "listFineTunes": "openai.fineTuning.jobs.list",
    "retrieveFineTune": "openai.fineTuning.jobs.retrieve",
    "cancelFineTune": "openai.fineTuning.jobs.cancel",
    "listFineTuneEvents": "openai.fineTuning.jobs.listEvents",
    "listEngines": "openai.models.list",
    "retrieveEngine": "openai.models.retrieve",
}
# openai-node v3 request/response types that v4 no longer exports (v4 names them ...Params / ChatCompletion).
V3_TYPES = {
    "ChatCompletionRequestMessage", "ChatCompletionRequestMessageRoleEnum", "ChatCompletionResponseMessage",
    "ChatCompletionResponseMessageRoleEnum", "CreateChatCompletionRequest", "CreateChatCompletionResponse",
    "CreateCompletionRequest", "CreateCompletionResponse", "CreateEmbeddingRequest", "CreateImageRequest",
    "CreateModerationRequest", "ConfigurationParameters",
}

# JS retry libraries (package: the function it exports)
JS_RETRY_LIBS = {"p-retry": "pRetry", "async-retry": "retry", "exponential-backoff": "backOff"}

# -- is this OpenAI code? ------------------------------------------------------------------------------
# searched around each mention of "openai": an import or require of the SDK or a wrapper, the API host,
# an OpenAI client built, an OpenAI header, ``openai.<attribute>``
OPENAI_CODE = lazy_compile(
    r"""\b(?:from|import)\s+["']?(?:openai|langchain|llama_index|litellm|@ai-sdk/openai|@langchain/openai)
      | \brequire\s*\(\s*["'](?:openai|@ai-sdk/openai|@langchain/openai)
      | api\.openai\.com
      | \b(?:Async)?(?:Azure)?OpenAI\s*\( | \bnew\s+OpenAI | createOpenAI | ChatOpenAI | OpenAIEmbeddings
      | \bopenai-(?:org|proj)
      | (?<![\w./-])openai\.(?!com\b)
      | \bimport\s*\(\s*["']openai
      | \bOpenAIApi\b
    """,
    re.I | re.X,
)
# an import of a wrapper (a file that never names "openai" yet builds an OpenAI client through one)
WRAPPER_IMPORT = lazy_compile(r"\b(?:from|import)\s+(?:langchain|llama_index|litellm)", re.I)


def is_openai_code(text: str, lower: str | None = None) -> bool:
    """Whether the text could be code that talks to OpenAI: it imports or requires an OpenAI SDK or
    wrapper, names api.openai.com, builds an OpenAI client or sets an OpenAI header."""
    low = text.lower() if lower is None else lower
    pos = low.find("openai")
    while pos != -1:  # look only around each mention: one regex over a large file is slow
        if OPENAI_CODE.search(text, max(0, pos - 48), pos + 40):
            return True
        pos = low.find("openai", pos + 6)
    return any(w in low for w in WRAPPERS) and WRAPPER_IMPORT.search(text) is not None


# -- minified bundles ----------------------------------------------------------------------------------
# by name
MINIFIED_NAME = lazy_compile(r"[.-]min\.(?:js|mjs|cjs)$|\.bundle\.js$|\.chunk\.js$")
# by shape: a large file with very long lines (never parsed)
MINIFIED_MIN_SIZE = 50_000
MINIFIED_AVG_LINE = 500
MINIFIED_NOTE = "looks minified or bundled (very long lines); only text-level rules such as OAI101 were applied"


def looks_minified(text: str) -> bool:
    """A bundle or minified file: large, with very long lines. Generated code, not the code under review."""
    return len(text) > MINIFIED_MIN_SIZE and len(text) / (text.count("\n") + 1) > MINIFIED_AVG_LINE


def is_minified(name: str, text: str) -> bool:
    """A minified JS bundle (by name, or by its first 8 KB holding almost no line breaks)."""
    if not name.lower().endswith((".js", ".mjs", ".cjs")):
        return False
    return bool(MINIFIED_NAME.search(name.lower())) or (len(text) >= 8192 and text.count("\n", 0, 8192) < 4)
