"""A local Telegram Bot API for the tests: the methods Shpalta calls, in the Bot API's JSON.

It keeps the channel's messages and every request, and can be told what to answer next for a
method: an error (429 with retry_after, 500, 403, …) or nothing at all (a hang).
"""

import json
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "123456:test-secret-token"


class BotServer:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages: dict[int, dict] = {}
        self.deleted: list[int] = []
        self.requests: list[tuple[str, dict]] = []
        self.scripts: dict[str, list] = {}
        self.release = threading.Event()
        self.next_id = 100
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer_next(self, method: str, *answers):
        """Answers for the next calls of a method: ("error", code, retry_after), ("hang",) or
        ("delay", seconds)."""
        with self.lock:
            self.scripts.setdefault(method, []).extend(answers)

    def calls(self, method: str) -> list[dict]:
        return [params for name, params in self.requests if name == method]

    def posts(self) -> list[dict]:
        """Messages now in the channel."""
        return [m for i, m in sorted(self.messages.items()) if i not in self.deleted]

    # -- the Bot API -------------------------------------------------------------------------

    def handle(self, method: str, params: dict):
        with self.lock:
            self.requests.append((method, params))
            script = self.scripts.get(method) or []
            scripted = script.pop(0) if script else None
        if scripted and scripted[0] == "hang":
            self.release.wait(60)
            return None
        if scripted and scripted[0] == "delay":  # a slow but successful answer
            time.sleep(scripted[1])
            return getattr(self, f"_{method}")(params)
        if scripted and scripted[0] == "error":
            return self._error(*scripted[1:])
        return getattr(self, f"_{method}")(params)

    def _error(self, code, retry_after=None):
        answer = {"ok": False, "error_code": code, "description": _DESCRIPTIONS[code]}
        if retry_after is not None:
            answer["parameters"] = {"retry_after": retry_after}
        return code, answer

    def _ok(self, result):
        return 200, {"ok": True, "result": result}

    def _send(self, params, kind):
        with self.lock:
            self.next_id += 1
            message_id = self.next_id
            self.messages[message_id] = {"kind": kind, **params, "message_id": message_id}
        return self._ok({"message_id": message_id, "chat": {"id": params.get("chat_id")}})

    def _sendPhoto(self, params):
        return self._send(params, "photo")

    def _sendMessage(self, params):
        return self._send(params, "text")

    def _edit(self, params, field):
        message = self.messages.get(int(params["message_id"]))
        if message is None or int(params["message_id"]) in self.deleted:
            return self._error(400)
        if message.get(field) == params[field]:
            return 400, {"ok": False, "error_code": 400, "description": _NOT_MODIFIED}
        message[field] = params[field]
        return self._ok({"message_id": message["message_id"]})

    def _editMessageCaption(self, params):
        return self._edit(params, "caption")

    def _editMessageText(self, params):
        return self._edit(params, "text")

    def _deleteMessage(self, params):
        self.deleted.append(int(params["message_id"]))
        return self._ok(True)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                prefix, _, method = self.path.lstrip("/").partition("/")
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if prefix != f"bot{TOKEN}":
                    return self._reply(
                        404, {"ok": False, "error_code": 404, "description": "Not Found"}
                    )
                answer = server.handle(method, _params(self.headers, body))
                if answer is not None:
                    self._reply(*answer)

            def _reply(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler


_NOT_MODIFIED = "Bad Request: message is not modified"
_DESCRIPTIONS = {
    400: "Bad Request: message to edit not found",
    403: "Forbidden: bot is not a member of the channel chat",
    429: "Too Many Requests: retry after 1",
    500: "Internal Server Error",
}


def _params(headers, body: bytes) -> dict:
    kind = headers.get("Content-Type", "")
    if kind.startswith("application/json"):
        return json.loads(body)
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {kind}\r\n\r\n".encode() + body)
    params = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        if part.get_filename():
            params[name] = {"filename": part.get_filename(), "size": len(data)}
        else:
            params[name] = data.decode()
    return params
