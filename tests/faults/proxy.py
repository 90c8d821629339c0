"""A TCP forwarder the fault tests put between a component and Redis or PostgreSQL.

``stop()`` makes the service unreachable: the listening socket is closed (new connections are refused) and
every open connection is cut, both of its sockets closed. ``start()`` listens again on the same port.
``cut()`` closes every open connection but keeps listening, as a network blip or a server-side kill would.

One thread accepts; each connection has two pumping threads. Nothing here raises out of a thread: a socket
closed under a pump ends it quietly.
"""
from __future__ import annotations

import socket
import threading
from contextlib import suppress


def _close(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv() on it; close() alone would not
    with suppress(OSError):
        sock.close()


class TcpProxy:
    def __init__(self, target_host: str, target_port: int, *, host: str = "127.0.0.1", port: int = 0):
        self.target = (target_host, target_port)
        self.host = host
        self.port = port
        self._listener: socket.socket | None = None
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.accepted = 0  # connections forwarded so far
        self.cuts = 0  # connections closed by cut() or stop()
        self.url = ""  # the URL a client uses to reach the target through the proxy; set by whoever builds it

    # --- control --------------------------------------------------------------------------------

    def start(self) -> TcpProxy:
        """Listen (again, on the same port once one was chosen) and forward."""
        if self._listener is not None:
            return self
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(128)
        listener.settimeout(0.1)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._spawn(self._accept_loop, listener)
        return self

    def stop(self) -> int:
        """Refuse new connections and cut the open ones; returns how many were cut."""
        listener, self._listener = self._listener, None
        if listener is not None:
            _close(listener)
        return self.cut()

    def cut(self) -> int:
        """Close both sockets of every open connection; returns how many."""
        with self._lock:
            pairs, self._pairs = self._pairs, set()
        for client, upstream in pairs:
            _close(client)
            _close(upstream)
        self.cuts += len(pairs)
        return len(pairs)

    def close(self) -> None:
        self.stop()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=2)

    @property
    def running(self) -> bool:
        return self._listener is not None

    def open_connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- threads --------------------------------------------------------------------------------

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name=f"proxy-{self.port}")
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _accept_loop(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by stop()
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            for sock in (client, upstream):
                sock.settimeout(None)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            pair = (client, upstream)
            with self._lock:
                stopped = self._listener is not listener
                if not stopped:
                    self._pairs.add(pair)
                    self.accepted += 1
            if stopped:  # stop() came while connecting upstream: this connection must not live on
                _close(client)
                _close(upstream)
                return
            self._spawn(self._pump, client, upstream, pair)
            self._spawn(self._pump, upstream, client, pair)

    def _pump(self, source: socket.socket, sink: socket.socket, pair: tuple[socket.socket, socket.socket]) -> None:
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    break
                sink.sendall(chunk)
        except OSError:
            pass
        with self._lock:
            self._pairs.discard(pair)
        _close(source)
        _close(sink)
