"""A small OpenAI-compatible chat server for tests: the only fake in the LLM tests, at the protocol
boundary. POST /v1/chat/completions answers from a queue of scripted replies, in JSON or, when the
request says `"stream": true`, as server-sent `chat.completion.chunk` events ending with `[DONE]`.

    with FakeOpenAI() as server:
        server.script(Reply("粮食产量超过840亿斤 [主要预期目标]"))
        ChatOpenAI(base_url=server.url + "/v1", ...)  # server.requests holds the JSON bodies received
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    text: str = ""
    hang: float = 0.0  # seconds to wait before answering at all
    stall_after: int | None = None  # stream this many chunks, then go silent for `hang` seconds
    status: int = 200  # an HTTP error status answers with an OpenAI-style error body
    garbage: bool = False  # a body (or SSE data lines) that is not JSON
    chunk_chars: int = 3  # characters per streamed chunk
    chunk_delay: float = 0.0  # seconds before each streamed chunk of text (a slow, steady endpoint)


def _chunk(delta: dict, finish: str | None = None) -> dict:
    return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": "fake", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def _completion(text: str) -> dict:
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": "fake",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


class FakeOpenAI:
    def __init__(self):
        self.replies: deque[Reply] = deque()
        self.requests: list[dict] = []
        self.received: list[float] = []  # time.monotonic() at which each request arrived
        self._released = threading.Event()  # set on stop: hanging handlers return at once
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def script(self, *replies: Reply | str) -> None:
        self.replies.extend(Reply(r) if isinstance(r, str) else r for r in replies)

    def start(self) -> FakeOpenAI:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    request = json.loads(body)
                except ValueError:
                    request = {"unparsed": body.decode("utf-8", "replace")}
                fake.requests.append({"path": self.path, **request})
                fake.received.append(time.monotonic())
                reply = fake.replies.popleft() if fake.replies else Reply("no scripted reply", status=500)
                try:
                    self._answer(reply, bool(request.get("stream")))
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): fine
                    pass

            def _answer(self, reply: Reply, stream: bool):
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._send(404, "application/json", b'{"error": {"message": "not found"}}')
                if reply.hang and reply.stall_after is None and fake._released.wait(reply.hang):
                    return
                if reply.status != 200:
                    error = {"error": {"message": reply.text or "server error", "type": "server_error"}}
                    return self._send(reply.status, "application/json", json.dumps(error).encode())
                if not stream:
                    payload = b"<html>oops{" if reply.garbage else json.dumps(_completion(reply.text)).encode()
                    return self._send(200, "application/json", payload)
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                if reply.garbage:
                    self._event('{"id": "chatcmpl-fake", "choices": [{"delta": {"content": "粮')
                    self._event("[DONE]")
                    return
                self._event(json.dumps(_chunk({"role": "assistant", "content": ""})))
                n = reply.chunk_chars
                for i, start in enumerate(range(0, len(reply.text), n)):
                    if reply.stall_after is not None and i == reply.stall_after and fake._released.wait(reply.hang):
                        return
                    if reply.chunk_delay and fake._released.wait(reply.chunk_delay):
                        return
                    self._event(json.dumps(_chunk({"content": reply.text[start:start + n]}), ensure_ascii=False))
                self._event(json.dumps(_chunk({}, "stop")))
                self._event("[DONE]")

            def _event(self, data: str):
                self.wfile.write(f"data: {data}\n\n".encode())
                self.wfile.flush()

            def _send(self, status: int, content_type: str, payload: bytes):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler
