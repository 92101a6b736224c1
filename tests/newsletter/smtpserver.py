"""A real SMTP server for the tests (aiosmtpd), keeping what it receives; it can be told to
hold its answer to one message, as a server does while a sender dies."""

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    def __init__(self):
        self.received = []  # (recipients, message)
        self.lock = threading.Lock()
        self.hold_at: int | None = None  # the number of the message whose answer is held
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message))
            number = len(self.received)
        if number == self.hold_at:
            self.holding.set()
            await server.loop.run_in_executor(None, self.release.wait, 30)
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for rcpts, m in self.received if address in rcpts]

    def recipients(self) -> list[str]:
        return [r for rcpts, _ in self.received for r in rcpts]


class SMTPServer:
    def __init__(self):
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.mailbox.release.set()
        self.controller.stop()
