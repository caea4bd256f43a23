#!/usr/bin/env python3
"""Sends requests the application never sees to a vibe server and checks each gets the protocol's JSON error
(status, code, request id) and that the connection then ends. Usage: edge_probe.py PORT. Exit 1 on a failure."""
import json, socket, sys

port = int(sys.argv[1])
upgrade = b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
cases = [
    ("garbage request line", b"HELLO THERE\r\n\r\n", 400, "INVALID_REQUEST"),
    ("unknown method", b"FOO / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "INVALID_REQUEST"),
    ("Content-Length abc", b"POST /api/vibecoding/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400, "INVALID_REQUEST"),
    ("Content-Length -5", b"POST /api/vibecoding/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", 400, "INVALID_REQUEST"),
    ("100 KB header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n", 431, "HEADERS_TOO_LARGE"),
    ("100 KB URL", b"GET /healthz?" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 431, "HEADERS_TOO_LARGE"),
    ("TLS ClientHello", bytes.fromhex("160301012c0100012803031234") + b"\x00" * 40, 400, "INVALID_REQUEST"),
    ("HTTP/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400, "INVALID_REQUEST"),
    ("Content-Length 10^15", b"POST /api/vibecoding/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000000\r\n\r\n", 413, "PAYLOAD_TOO_LARGE"),
    ("upgrade, unknown path", b"GET /nope HTTP/1.1\r\nHost: x\r\n" + upgrade + b"Sec-WebSocket-Version: 13\r\n\r\n", 404, "NOT_FOUND"),
    ("upgrade on /healthz", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + upgrade + b"Sec-WebSocket-Version: 13\r\n\r\n", 400, "INVALID_REQUEST"),
    ("upgrade, version 99", b"GET /api/vibecoding/container/abc/terminal HTTP/1.1\r\nHost: x\r\n" + upgrade + b"Sec-WebSocket-Version: 99\r\n\r\n", 400, "INVALID_REQUEST"),
    ("upgrade, no key", b"GET /api/vibecoding/container/abc/terminal HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n", 400, "INVALID_REQUEST"),
    ("upgrade to h2c", b"GET /healthz HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n", 400, "INVALID_REQUEST"),
]
failures = 0
for name, data, status, code in cases:
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(10)
    out = b""
    problem = None
    try:
        s.sendall(data)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        problem = "connection still open after 10 s"
    except ConnectionResetError:
        problem = "connection reset"
    finally:
        s.close()
    if problem is None:
        head, _, body = out.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        got = int(lines[0].split()[1]) if lines[0].startswith("HTTP/1.1 ") else None
        headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = {}
        if got != status or parsed.get("error") != code:
            problem = f"got {got} {parsed.get('error')}, want {status} {code}: {out[:200]!r}"
        elif not parsed.get("requestId") or parsed.get("requestId") != headers.get("x-request-id"):
            problem = "no request id in body and X-Request-ID"
    print(("ok   " if problem is None else "FAIL ") + name + ("" if problem is None else ": " + problem))
    failures += problem is not None
sys.exit(1 if failures else 0)
