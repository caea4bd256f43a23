#!/usr/bin/env python3
"""Tiny stand-in backends for the client's compatibility tests.

Usage: standin.py MODE  — listens on 127.0.0.1 (random port), prints "PORT n" on stdout, serves until killed.

Status modes answer `GET …/session/status` and `GET …/sessions/{id}` (and the web app modes every path):
  minimal            {"ok":true,"ready":false,"error":null} twice, then "ready":true (no id, no state)
  minimal-error      {"ok":true,"ready":false,"error":"IMAGE_UNAVAILABLE"}
  unknown-error      {"ok":true,"ready":false,"error":"QUOTA_EXHAUSTED_XYZ","extra":{"a":1}}
  html-404 | html-401 | html-403 | html-405
                     a web app's HTML error page with that status
  html-502-then-ready
                     HTML 502 pages from a proxy for the first three calls, then a ready session
Socket mode:
  bundled-ws         a terminal socket whose 101 answer, `attached` frame and first output frame leave
                     in ONE write, so they reach the client in one TCP segment
"""
import base64, hashlib, json, socket, sys, threading

MODE = sys.argv[1]
calls = 0
lock = threading.Lock()


def http(status, reason, body, ctype):
    data = body.encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n")
    return head.encode() + data


def page(status, reason):
    return http(status, reason, f"<!DOCTYPE html><html><body><h1>{status} {reason}</h1></body></html>",
                "text/html; charset=utf-8")


def status_answer(path):
    global calls
    with lock:
        calls += 1
        n = calls
    if MODE == "minimal":
        return http(200, "OK", json.dumps({"ok": True, "ready": n > 2, "error": None}), "application/json")
    if MODE == "minimal-error":
        return http(200, "OK", '{"ok":true,"ready":false,"error":"IMAGE_UNAVAILABLE"}', "application/json")
    if MODE == "unknown-error":
        return http(200, "OK", '{"ok":true,"ready":false,"error":"QUOTA_EXHAUSTED_XYZ","extra":{"a":1}}',
                    "application/json")
    if MODE.startswith("html-") and MODE[5:8].isdigit() and len(MODE) == 8:
        code = int(MODE[5:8])
        return page(code, {401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed"}[code])
    if MODE == "html-502-then-ready":
        if n <= 3:
            return page(502, "Bad Gateway")
        return http(200, "OK", '{"ok":true,"id":"s1","state":"ready","ready":true,"error":null}', "application/json")
    return page(500, "Internal Server Error")


def frame(opcode, payload):
    n = len(payload)
    if n < 126:
        head = bytes([0x80 | opcode, n])
    elif n < 65536:
        head = bytes([0x80 | opcode, 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([0x80 | opcode, 127]) + n.to_bytes(8, "big")
    return head + payload


def upgrade(conn, headers, path):
    key = headers.get("sec-websocket-key", "")
    accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
    answer = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
    attached = {"type": "attached", "payload": {"term": "main", "offset": 0, "created": True, "cols": 80,
                                                 "rows": 24}, "timestamp": 0}
    answer += frame(0x1, json.dumps(attached).encode()) + frame(0x2, b"hello")
    conn.sendall(answer)
    # Stay open until the client goes; answer its close frame with a close frame.
    buf = b""
    while True:
        data = conn.recv(65536)
        if not data:
            return
        buf += data
        while len(buf) >= 2:
            opcode, n, at = buf[0] & 0x0F, buf[1] & 0x7F, 2
            if n == 126:
                n, at = int.from_bytes(buf[2:4], "big"), 4
            elif n == 127:
                n, at = int.from_bytes(buf[2:10], "big"), 10
            at += 4 if buf[1] & 0x80 else 0
            if len(buf) < at + n:
                break
            buf = buf[at + n:]
            if opcode == 0x8:
                conn.sendall(frame(0x8, b"\x03\xe8"))
                return


def serve(conn):
    try:
        buf = b""
        while b"\r\n\r\n" not in buf:
            data = conn.recv(65536)
            if not data:
                return
            buf += data
        head = buf.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        path = head[0].split(" ")[1]
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if MODE == "bundled-ws" and headers.get("upgrade", "").lower() == "websocket":
            upgrade(conn, headers, path)
        elif MODE == "bundled-ws":
            conn.sendall(http(200, "OK", '{"ok":true,"id":"s1","state":"ready","ready":true,"error":null}',
                              "application/json"))
        else:
            conn.sendall(status_answer(path))
    except OSError:
        pass
    finally:
        conn.close()


def main():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    print(f"PORT {server.getsockname()[1]}", flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


main()
