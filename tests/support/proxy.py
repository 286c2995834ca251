"""A TCP proxy on loopback that can be paused: while paused it accepts connections and keeps
them open but forwards nothing, in either direction (a black-holed server: the kernel still
ACKs, so only the client's own deadlines can notice)."""

import selectors
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress


class PausableProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._forwarding = threading.Event()
        self._forwarding.set()
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def pause(self) -> None:
        self._forwarding.clear()

    def resume(self) -> None:
        self._forwarding.set()

    def close(self) -> None:
        self._stop.set()
        self._forwarding.set()
        self._listener.close()
        for sock in self._sockets:
            sock.close()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._listener, selectors.EVENT_READ)
        peers: dict[socket.socket, socket.socket] = {}
        while not self._stop.is_set():
            if not self._forwarding.is_set():
                # Nothing is read while paused: data waits in the kernel's buffers.
                self._forwarding.wait(0.05)
                continue
            try:
                events = selector.select(timeout=0.05)
            except (OSError, ValueError):
                return
            for key, _ in events:
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if sock is self._listener:
                    self._accept(selector, peers)
                    continue
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
                peer = peers.get(sock)
                if not data or peer is None:
                    self._drop(selector, peers, sock)
                    continue
                try:
                    peer.sendall(data)
                except OSError:
                    self._drop(selector, peers, sock)

    def _accept(self, selector: selectors.BaseSelector, peers: dict) -> None:
        try:
            client, _ = self._listener.accept()
            server = socket.create_connection(self.target, timeout=5)
        except OSError:
            return
        server.settimeout(None)
        peers[client], peers[server] = server, client
        self._sockets += [client, server]
        selector.register(client, selectors.EVENT_READ)
        selector.register(server, selectors.EVENT_READ)

    def _drop(self, selector: selectors.BaseSelector, peers: dict, sock: socket.socket) -> None:
        for one in (sock, peers.pop(sock, None)):
            if one is None:
                continue
            peers.pop(one, None)
            with suppress(KeyError, ValueError):
                selector.unregister(one)
            one.close()


@contextmanager
def pausable_proxy(target_host: str, target_port: int) -> Iterator[PausableProxy]:
    proxy = PausableProxy(target_host, target_port)
    try:
        yield proxy
    finally:
        proxy.close()
