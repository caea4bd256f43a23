#!/usr/bin/env python3
"""A TCP proxy that resets every connection through it at random moments: real connection cuts for tests.

Usage: chaos_proxy.py TARGET_PORT STATUS_FILE [--cuts N] [--min-ms A] [--max-ms B] [--seed S]
Listens on 127.0.0.1 (random port), prints "PORT n", forwards to 127.0.0.1:TARGET_PORT. After a start signal
(a line "go" on stdin) it makes N cuts, A..B ms apart: each resets (RST) both sides of every live connection.
STATUS_FILE (JSON, rewritten on every change): cuts made, cuts that found a live connection, and per socket
path (the request line's path plus its client= id) the most connections that were ever live at once.
One thread, non-blocking sockets: a cut is immediate, whatever the peers are doing.
"""
import json, os, random, selectors, socket, struct, sys, time

target = int(sys.argv[1])
status_path = sys.argv[2]
args = dict(zip(sys.argv[3::2], sys.argv[4::2]))
cuts_wanted = int(args.get("--cuts", 50))
min_ms, max_ms = int(args.get("--min-ms", 100)), int(args.get("--max-ms", 400))
rng = random.Random(int(args.get("--seed", time.time())))
status = {"cuts": 0, "cutsThatHit": 0, "maxLive": {}, "accepted": 0, "done": False}
sel = selectors.DefaultSelector()
links = set()
live_per_key = {}


def write_status():
    with open(status_path + ".tmp", "w") as f:
        json.dump(status, f)
    os.replace(status_path + ".tmp", status_path)


def key_of(first):
    parts = first.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
    if len(parts) < 2:
        return "?"
    path, _, query = parts[1].partition("?")
    client = [p for p in query.split("&") if p.startswith("client=")]
    return path + (("?" + client[0]) if client else "")


class Link:
    def __init__(self, client):
        self.client, self.server, self.key = client, None, None
        self.pending = {client: b"", None: b""}  # bytes waiting to be written to each socket

    def peer(self, s):
        return self.server if s is self.client else self.client

    def register(self, s):
        sel.register(s, selectors.EVENT_READ, self)

    def watch(self, s):
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if self.pending.get(s) else 0)
        sel.modify(s, events, self)

    def on_event(self, s, mask):
        if mask & selectors.EVENT_WRITE:
            self.flush(s)
        if mask & selectors.EVENT_READ:
            try:
                data = s.recv(65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                data = b""
            if not data:
                return self.close(abort=False)
            if self.server is None:
                self.connect(data)
            else:
                dst = self.peer(s)
                self.pending[dst] = self.pending.get(dst, b"") + data
                self.flush(dst)

    def connect(self, first):
        try:
            self.server = socket.create_connection(("127.0.0.1", target))
        except OSError:
            return self.close(abort=True)
        self.server.setblocking(False)
        self.pending = {self.client: b"", self.server: first}
        self.key = key_of(first)
        live_per_key[self.key] = live_per_key.get(self.key, 0) + 1
        status["accepted"] += 1
        status["maxLive"][self.key] = max(status["maxLive"].get(self.key, 0), live_per_key[self.key])
        write_status()
        self.register(self.server)
        self.flush(self.server)

    def flush(self, s):
        data = self.pending.get(s, b"")
        if data:
            try:
                n = s.send(data)
                self.pending[s] = data[n:]
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                return self.close(abort=False)
        if self in links:
            self.watch(s)

    def close(self, abort):
        if self not in links:
            return
        links.discard(self)
        if self.key is not None:
            live_per_key[self.key] -= 1
        for s in (self.client, self.server):
            if s is None:
                continue
            try:
                sel.unregister(s)
            except (KeyError, ValueError):
                pass
            try:
                if abort:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.close()
            except OSError:
                pass


def main():
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(256)
    listener.setblocking(False)
    sel.register(listener, selectors.EVENT_READ, None)
    sel.register(sys.stdin, selectors.EVENT_READ, "stdin")
    write_status()
    print(f"PORT {listener.getsockname()[1]}", flush=True)
    next_cut = None
    while True:
        timeout = None if next_cut is None else max(0, next_cut - time.monotonic())
        for key, mask in sel.select(timeout):
            if key.data is None:
                try:
                    conn, _ = listener.accept()
                except OSError:
                    continue
                conn.setblocking(False)
                link = Link(conn)
                links.add(link)
                link.register(conn)
            elif key.data == "stdin":
                sel.unregister(sys.stdin)
                if cuts_wanted > 0:
                    next_cut = time.monotonic() + rng.uniform(min_ms, max_ms) / 1000
            else:
                key.data.on_event(key.fileobj, mask)
        if next_cut is not None and time.monotonic() >= next_cut:
            victims = [l for l in links if l.server is not None]
            for link in victims:
                link.close(abort=True)
            status["cuts"] += 1
            status["cutsThatHit"] += 1 if victims else 0
            if status["cuts"] >= cuts_wanted:
                status["done"] = True
                next_cut = None
            else:
                next_cut = time.monotonic() + rng.uniform(min_ms, max_ms) / 1000
            write_status()


main()
