"""A real SMTP server on loopback for the outbox's drills: it speaks enough SMTP for Django's
backend, keeps each message it has acknowledged, and can hold its answer to a message's end
(what a slow server does) so that a worker can be killed in the middle of a delivery.

A message is only kept once the server has said 250 to it, as a real server commits to a
delivery: one whose client vanished before that answer was never accepted.
"""

import socket
import threading
from email import message_from_bytes


class SmtpSink:
    def __init__(self):
        self.messages = []  # email.message.Message, acknowledged only
        self.hold = threading.Event()  # set: the next message's end waits for release
        self.holding = threading.Event()  # set while a message's end is held
        self.release = threading.Event()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.release.set()
        self._server.close()

    def _accept(self):
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        stream = client.makefile("rb")

        def say(line: str):
            client.sendall(line.encode() + b"\r\n")

        try:
            say("220 sink ESMTP")
            while line := stream.readline():
                verb = line.strip().split(b" ", 1)[0].upper()
                if verb in (b"EHLO", b"HELO"):
                    say("250 sink")
                elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                    say("250 OK")
                elif verb == b"DATA":
                    say("354 end with .")
                    data = b""
                    while (chunk := stream.readline()) not in (b".\r\n", b""):
                        data += chunk[1:] if chunk.startswith(b"..") else chunk
                    if chunk == b"":
                        return  # the client went away in the middle: nothing accepted
                    if self.hold.is_set():
                        self.hold.clear()
                        self.holding.set()
                        while not self.release.wait(0.05):
                            if _gone(client):
                                return  # killed before the answer: nothing accepted
                        self.holding.clear()
                    say("250 queued")
                    self.messages.append(message_from_bytes(data))
                elif verb == b"QUIT":
                    say("221 bye")
                    return
                else:
                    say("502 not implemented")
        except OSError:
            return
        finally:
            client.close()


def _gone(client) -> bool:
    """Whether the other end has closed the connection (a read would return nothing)."""
    client.setblocking(False)
    try:
        return client.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        client.setblocking(True)
