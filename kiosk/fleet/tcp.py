"""TCP options for the fleet link's MQTT sockets, on both the kiosk and the console side.

Why: Mosquitto leaves Nagle's algorithm on by default, so it holds a small packet (a PUBACK, an ack, the tail of
a batch) until the peer has acknowledged what it sent before; a peer that has nothing to send back delays that
acknowledgement by up to 40 ms, and a drain stalls once per window. A client that acknowledges at once and sends
its own small packets at once never leaves the broker waiting.
"""

from __future__ import annotations

import contextlib
import socket


def send_small_packets_now(sock: socket.socket | None) -> None:
    """Turn Nagle's algorithm off on our side (once, when the socket opens)."""
    _set(sock, socket.TCP_NODELAY)


def acknowledge_now(sock: socket.socket | None) -> None:
    """Ask Linux to acknowledge received data at once; it falls back to delayed acks, so call after each read."""
    quickack = getattr(socket, "TCP_QUICKACK", None)  # Linux only
    if quickack is not None:
        _set(sock, quickack)


def _set(sock: socket.socket | None, option: int) -> None:
    if sock is None:
        return
    with contextlib.suppress(OSError):  # the socket closed under us; the network loop reports that itself
        sock.setsockopt(socket.IPPROTO_TCP, option, 1)
