"""A TCP proxy on 127.0.0.1 that passes every packet on late: a slow server for tests.

``DelayProxy(host, port, reply_delay=0.5)`` listens on a free port of 127.0.0.1 and connects
each client to ``host:port``; what the server sends reaches the client ``reply_delay``
seconds after it arrived (what the client sends, ``request_delay`` seconds after), each
chunk on its own clock, so that several replies in flight are each late by the delay, not
by the sum. Threads only; ``close()`` (or ``with``) ends every connection.

``freeze()`` makes it a server that stopped (as under SIGSTOP): connections are still
accepted and what is sent is taken, but nothing is passed on either way until ``thaw()``.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time
from types import TracebackType


class DelayProxy:
    def __init__(self, host: str, port: int, *, reply_delay: float = 0.5, request_delay: float = 0.0) -> None:
        self.target = (host, port)
        self.reply_delay, self.request_delay = reply_delay, request_delay
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False
        self.connections = 0
        self._flowing = threading.Event()
        self._flowing.set()
        threading.Thread(target=self._accept, name="delay-proxy", daemon=True).start()

    def __enter__(self) -> DelayProxy:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def freeze(self) -> None:
        """Pass nothing on, either way, until ``thaw``."""
        self._flowing.clear()

    def thaw(self) -> None:
        self._flowing.set()

    def close(self) -> None:
        """End every connection and the listener; the proxy's threads then end (soon: a
        writer still sleeps out the delay of a chunk it holds)."""
        with self._lock:
            self._closed = True
            sockets, self._sockets = self._sockets, []
        # On Linux, close() does not wake a thread blocked in accept() or recv() on the same
        # socket (the thread keeps the file open): shut it down first, which does.
        for sock in (self._listener, *sockets):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
        self._flowing.set()  # writers held by a freeze find their sockets closed and end

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return  # closed
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                if self._closed:
                    client.close()
                    server.close()
                    return
                self._sockets += [client, server]
                self.connections += 1
            self._pipe(client, server, self.request_delay)
            self._pipe(server, client, self.reply_delay)

    def _pipe(self, source: socket.socket, sink: socket.socket, delay: float) -> None:
        """Pass what ``source`` sends to ``sink``, each chunk ``delay`` seconds late."""
        chunks: queue.SimpleQueue[tuple[float, bytes]] = queue.SimpleQueue()

        def read() -> None:
            while True:
                try:
                    data = source.recv(65536)
                except OSError:
                    data = b""
                chunks.put((time.monotonic() + delay, data))
                if not data:
                    return

        def write() -> None:
            while True:
                due, data = chunks.get()
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                self._flowing.wait()
                try:
                    if not data:
                        sink.shutdown(socket.SHUT_WR)
                        return
                    sink.sendall(data)
                except OSError:
                    return

        threading.Thread(target=read, name="delay-proxy-read", daemon=True).start()
        threading.Thread(target=write, name="delay-proxy-write", daemon=True).start()


__all__ = ["DelayProxy"]
