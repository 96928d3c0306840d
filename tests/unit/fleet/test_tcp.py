"""The fleet link's socket options take effect on a real TCP socket and never fail the network loop."""

import socket

from kiosk.fleet import tcp


def _connected_pair() -> tuple[socket.socket, socket.socket, socket.socket]:
    server = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(server.getsockname(), timeout=5)
    accepted, _addr = server.accept()
    return server, client, accepted


def test_small_packets_go_out_at_once_and_acks_are_asked_for_at_once():
    server, client, accepted = _connected_pair()
    try:
        assert client.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        tcp.send_small_packets_now(client)
        assert client.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        tcp.acknowledge_now(client)
        assert client.getsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK) == 1
    finally:
        for s in (client, accepted, server):
            s.close()


def test_no_socket_or_a_closed_one_is_left_alone():
    server, client, accepted = _connected_pair()
    for s in (client, accepted, server):
        s.close()
    tcp.send_small_packets_now(None)
    tcp.acknowledge_now(None)
    tcp.send_small_packets_now(client)
    tcp.acknowledge_now(client)
