"""A local stand-in for today's OpenAI API, for the end-to-end tests of ``--fix``.

``http.server`` on 127.0.0.1 (port 0). Like the real API it answers 401 without a bearer key, 404
``model_not_found`` for shut-down models (the table the fixes use: ``oai_lint.fix.replacements``), 404 for
the endpoints the v0 SDK used that no longer exist (``/v1/engines/{engine}/completions``), and chat
completions, completions, embeddings (floats or base64, as the SDKs ask), moderations, image generations and
the model list with the real JSON shapes; ``stream: true`` answers as server-sent events. Every reply text
holds ``REPLY_MARK`` so a test can see that a program printed the server's reply.

The server stops itself after ``max_requests`` requests or ``lifetime`` seconds, whichever comes first.
Run as a script it prints its base URL and serves until then.
"""

from __future__ import annotations

import base64
import json
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from oai_lint.fix.replacements import is_shut_down

REPLY_MARK = "fake-openai-reply"
_CATEGORIES = ("harassment", "hate", "self-harm", "sexual", "violence")


def _error(message: str, type_: str = "invalid_request_error", code: str | None = None,
           param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


class FakeOpenAI:
    """The server and what it saw (``requests``: method, path and JSON body of each request)."""

    def __init__(self, max_requests: int = 200, lifetime: float = 120.0) -> None:
        self.requests: list[tuple[str, str, Any]] = []
        self.max_requests = max_requests
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True
        self._stopped = False

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> FakeOpenAI:
        self._thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._timer.cancel()
        threading.Thread(target=self._server.shutdown, daemon=True).start()

    def close(self) -> None:
        self.stop()
        self._thread.join(timeout=10)
        self._server.server_close()

    def _count(self, method: str, path: str, body: Any) -> bool:
        """Record a request; False once the budget is spent (the server then stops)."""
        with self._lock:
            self.requests.append((method, path, body))
            n = len(self.requests)
        if n >= self.max_requests:
            self.stop()
        return n <= self.max_requests

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                ctype = self.headers.get("Content-Type", "")
                body: Any = None
                if raw and ctype.startswith("application/json"):
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        return self._json(400, _error("We could not parse the JSON body of your request."))
                path = self.path.split("?", 1)[0]
                if not fake._count(method, path, body):
                    return self._json(503, _error("The fake server is shutting down.", "server_error"))
                auth = self.headers.get("Authorization", "")
                if not auth.startswith("Bearer ") or not auth[7:].strip():
                    return self._json(401, _error(
                        "You didn't provide an API key. You need to provide your API key in an Authorization "
                        "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."))
                route = _ROUTES.get((method, path))
                if route is None:
                    return self._json(404, _error(f"Invalid URL ({method} {path})"))
                if method == "POST" and not isinstance(body, dict):
                    return self._json(400, _error("The request body must be a JSON object."))
                model = body.get("model") if isinstance(body, dict) else None
                if isinstance(model, str) and is_shut_down(model):
                    return self._json(404, _error(
                        f"The model `{model}` has been deprecated, learn more here: "
                        "https://platform.openai.com/docs/deprecations", code="model_not_found"))
                status, reply = route(body or {})
                if status == 200 and isinstance(body, dict) and body.get("stream"):
                    return self._stream(reply)
                return self._json(status, reply)

            def _json(self, status: int, data: Any) -> None:
                out = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.send_header("x-request-id", f"req_{len(fake.requests)}")
                self.end_headers()
                self.wfile.write(out)

            def _stream(self, reply: dict[str, Any]) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                for chunk in _chunks(reply):
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        return Handler


def _prompt_text(body: dict[str, Any]) -> str:
    messages = body.get("messages")
    if isinstance(messages, list) and messages:
        last = messages[-1]
        content = last.get("content") if isinstance(last, dict) else None
        return content if isinstance(content, str) else ""
    prompt = body.get("prompt")
    return prompt if isinstance(prompt, str) else json.dumps(prompt)


def _usage(text: str, reply: str) -> dict[str, int]:
    p, c = max(1, len(text.split())), len(reply.split())
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}


def _chat(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    if not isinstance(body.get("messages"), list) or not body.get("model"):
        return 400, _error("Missing required parameter: 'messages' or 'model'.")
    prompt = _prompt_text(body)
    reply = f"{REPLY_MARK}: {prompt[:60]}"
    return 200, {
        "id": "chatcmpl-fake1", "object": "chat.completion", "created": int(time.time()), "model": body["model"],
        "choices": [{"index": 0, "message": {"role": "assistant", "content": reply, "refusal": None,
                                             "annotations": []},
                     "logprobs": None, "finish_reason": "stop"}],
        "usage": _usage(prompt, reply), "service_tier": "default", "system_fingerprint": "fp_fake",
    }


def _completion(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    if not body.get("model") or "prompt" not in body:
        return 400, _error("Missing required parameter: 'model' or 'prompt'.")
    prompt = _prompt_text(body)
    reply = f" {REPLY_MARK}: {prompt[:60]}"
    return 200, {
        "id": "cmpl-fake1", "object": "text_completion", "created": int(time.time()), "model": body["model"],
        "choices": [{"text": reply, "index": 0, "logprobs": None, "finish_reason": "stop"}],
        "usage": _usage(prompt, reply),
    }


def _chunks(reply: dict[str, Any]) -> list[dict[str, Any]]:
    """The streamed form of a chat or text completion: a few chunks that add up to the reply."""
    choice = reply["choices"][0]
    chat = reply["object"] == "chat.completion"
    text = choice["message"]["content"] if chat else choice["text"]
    words = text.split(" ")
    parts = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
    base = {"id": reply["id"], "created": reply["created"], "model": reply["model"],
            "object": "chat.completion.chunk" if chat else "text_completion"}
    out = []
    for i, part in enumerate(parts):
        if chat:
            delta: dict[str, Any] = {"content": part}
            if i == 0:
                delta["role"] = "assistant"
            out.append({**base, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": None}]})
        else:
            out.append({**base, "choices": [{"text": part, "index": 0, "logprobs": None, "finish_reason": None}]})
    end_choice = {"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"} if chat else \
        {"text": "", "index": 0, "logprobs": None, "finish_reason": "stop"}
    out.append({**base, "choices": [end_choice]})
    return out


def _embeddings(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    inputs = body.get("input")
    if not body.get("model") or inputs is None:
        return 400, _error("Missing required parameter: 'model' or 'input'.")
    items = inputs if isinstance(inputs, list) else [inputs]
    data = []
    for i, item in enumerate(items):
        vector = [round(((hash(str(item)) >> k) % 1000) / 1000.0, 3) for k in range(8)]
        value: Any = vector
        if body.get("encoding_format") == "base64":
            value = base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
        data.append({"object": "embedding", "index": i, "embedding": value})
    tokens = sum(len(str(x).split()) for x in items)
    return 200, {"object": "list", "data": data, "model": body["model"],
                 "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}


def _moderations(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    if "input" not in body:
        return 400, _error("Missing required parameter: 'input'.")
    items = body["input"] if isinstance(body["input"], list) else [body["input"]]
    results = [{"flagged": False, "categories": dict.fromkeys(_CATEGORIES, False),
                "category_scores": dict.fromkeys(_CATEGORIES, 0.001),
                "category_applied_input_types": {c: ["text"] for c in _CATEGORIES}} for _ in items]
    return 200, {"id": "modr-fake1", "model": body.get("model", "omni-moderation-latest"), "results": results}


def _images(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    if not body.get("prompt"):
        return 400, _error("Missing required parameter: 'prompt'.")
    n = int(body.get("n") or 1)
    item = ({"b64_json": base64.b64encode(REPLY_MARK.encode()).decode()}
            if body.get("response_format") == "b64_json" else {"url": f"https://images.invalid/{REPLY_MARK}.png"})
    return 200, {"created": int(time.time()), "data": [dict(item, revised_prompt=body["prompt"]) for _ in range(n)]}


def _models(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    ids = ["gpt-4o-mini", "gpt-5.6-terra", "text-embedding-3-small", "omni-moderation-latest"]
    return 200, {"object": "list", "data": [{"id": i, "object": "model", "created": 0, "owned_by": "system"}
                                            for i in ids]}


_ROUTES = {
    ("POST", "/v1/chat/completions"): _chat,
    ("POST", "/v1/completions"): _completion,
    ("POST", "/v1/embeddings"): _embeddings,
    ("POST", "/v1/moderations"): _moderations,
    ("POST", "/v1/images/generations"): _images,
    ("GET", "/v1/models"): _models,
}


if __name__ == "__main__":
    server = FakeOpenAI().start()
    print(server.base_url, flush=True)
    server._thread.join()
