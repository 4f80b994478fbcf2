"""A stand-in for GatewayAPI's REST API on a local port: takes POST
/rest/mtsms as the real one does, and can be made to fail (503) or hang
(answer nothing until released, so the client's timeout always comes
first). It records what it accepted, by `userref`."""

import base64
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "test-token"


class FakeGatewayApi:
    def __init__(self) -> None:
        self.mode = "up"  # "up", "unavailable" (503) or "hanging"
        self.accepted: list[dict[str, object]] = []
        self.refused = 0
        self.lock = threading.Lock()
        self.next_id = 1000
        # Called with (provider id, userref) when a message is accepted, as
        # GatewayAPI's status report would be.
        self.on_accept: Callable[[int, str], None] | None = None
        self.delay_seconds = 0.0  # time to accept a message when up
        # Once this many are accepted, every request is held unanswered and
        # not taken until `released` is set: a moment, known to the test,
        # at which a worker is in the middle of a batch. (A hanging
        # provider's requests are held until then too.)
        self.hold_after: int | None = None
        self.holding = threading.Event()
        self.released = threading.Event()

    def accepted_refs(self) -> Counter[str]:
        with self.lock:
            return Counter(str(message["userref"]) for message in self.accepted)

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length", 0))
        payload = json.loads(handler.rfile.read(length))
        expected = "Basic " + base64.b64encode(f"{TOKEN}:".encode()).decode()
        if handler.headers.get("Authorization") != expected:
            self._answer(handler, 401, {"message": "Unauthorized"})
            return
        if self.mode == "unavailable":
            with self.lock:
                self.refused += 1
            self._answer(handler, 503, {"message": "Service Unavailable"})
            return
        if self.mode == "hanging":
            with self.lock:
                self.refused += 1
            self.released.wait()
            self._answer(handler, 503, {"message": "too late"})
            return
        with self.lock:
            hold = self.hold_after is not None and len(self.accepted) >= self.hold_after
        if hold:
            self.holding.set()
            self.released.wait()
            self._answer(handler, 503, {"message": "held"})
            return
        time.sleep(self.delay_seconds)
        with self.lock:
            self.next_id += 1
            provider_id = self.next_id
            self.accepted.append(payload)
        if self.on_accept is not None:
            self.on_accept(provider_id, str(payload["userref"]))
        self._answer(handler, 200, {"ids": [provider_id], "usage": {"countries": {"DK": 1}}})

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, status: int, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting


@contextmanager
def running_fake_gatewayapi() -> Iterator[tuple[FakeGatewayApi, str]]:
    fake = FakeGatewayApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            fake.handle(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}/rest/mtsms"
    finally:
        fake.released.set()  # whatever is held answers, to a client long gone
        server.shutdown()
        server.server_close()
