"""A group robot stand-in for tests: a real HTTP server on a free loopback port that records each POSTed message
and answers as DingTalk and WeCom do (`{"errcode": 0}`), or with a chosen failure."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Receiver:
    """Records (query, message) per POST; `failures` answers that many requests with errcode 310000 first."""

    def __init__(self) -> None:
        self.received: list[tuple[dict, dict]] = []
        self.failures = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                message = json.loads(self.rfile.read(length))
                with receiver._lock:
                    fail = receiver.failures > 0
                    if fail:
                        receiver.failures -= 1
                    else:
                        receiver.received.append((parse_qs(urlparse(self.path).query), message))
                answer = {"errcode": 310000, "errmsg": "keywords not in content"} if fail else {"errcode": 0}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/robot/send?access_token=test"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)

    def texts(self) -> list[str]:
        with self._lock:
            return [message["text"]["content"] for _query, message in self.received]
