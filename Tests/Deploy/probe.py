#!/usr/bin/env python3
"""Checks through the TLS proxy that need more than curl: WebSockets (wss://) and the streaming exec.

    probe.py terminal-binary BASE CAFILE TOKEN SESSION   keys as a binary frame, their echo as binary frames
    probe.py terminal-json   BASE CAFILE TOKEN SESSION   keys as a terminal_input envelope
    probe.py fs-events       BASE CAFILE TOKEN SESSION   a file PUT over https shows up as an fs_event
    probe.py stream          BASE CAFILE TOKEN SESSION   ndjson exec lines arrive as printed, not at the end

BASE is https://HOST:PORT. Exit 0 when the check holds, 1 (with the reason on stderr) when it does not.
Every wait is bounded (DEADLINE seconds), so a proxy that swallows frames fails instead of hanging.
"""
import asyncio
import json
import ssl
import sys
import time
import urllib.request

import websockets

DEADLINE = 15.0


def fail(msg):
    print(f"probe: {msg}", file=sys.stderr)
    sys.exit(1)


def envelope(kind, payload=None):
    return json.dumps({"type": kind, "payload": payload, "timestamp": int(time.time() * 1000)})


async def frames(ws, until):
    """Reads frames until `until(frame)` is true or the deadline passes; returns what was read."""
    seen = []
    end = time.monotonic() + DEADLINE
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return False, seen
        try:
            frame = await asyncio.wait_for(ws.recv(), left)
        except asyncio.TimeoutError:
            return False, seen
        except websockets.ConnectionClosed as e:
            seen.append(f"<closed {e.code} {e.reason}>")
            return False, seen
        seen.append(frame)
        if until(frame):
            return True, seen


async def terminal(base, ctx, token, session, as_json):
    url = (base.replace("https://", "wss://") + f"/api/vibecoding/container/{session}/terminal"
           f"?term=deploy&cols=80&rows=24&token={token}")
    async with websockets.connect(url, ssl=ctx, max_size=1 << 22, open_timeout=DEADLINE) as ws:
        await ws.send(envelope("hello"))
        ok, seen = await frames(ws, lambda f: isinstance(f, str) and json.loads(f).get("type") == "attached")
        if not ok:
            fail(f"no attached envelope: {seen[:5]}")
        # The shell computes the marker, so the typed line itself (its echo) never matches.
        if as_json:
            marker = b"56-json"
            await ws.send(envelope("terminal_input", {"data": "echo $((7*8))-json\r"}))
        else:
            marker = b"42-binary"
            await ws.send(b"echo $((6*7))-binary\r")
        output = bytearray()

        def got(f):
            if isinstance(f, bytes):
                output.extend(f)
            return marker in output

        ok, seen = await frames(ws, got)
        if not ok:
            fail(f"no {marker!r} in the output: {bytes(output)[-300:]!r} {[s for s in seen if isinstance(s, str)][:3]}")


async def fs_events(base, ctx, token, session):
    url = base.replace("https://", "wss://") + f"/api/vibecoding/container/{session}/fs-events?token={token}"
    async with websockets.connect(url, ssl=ctx, max_size=1 << 24, open_timeout=DEADLINE) as ws:
        await ws.send(envelope("hello"))
        ok, seen = await frames(ws, lambda f: isinstance(f, str) and json.loads(f).get("type") == "fs_snapshot")
        if not ok:
            fail(f"no fs_snapshot: {[str(s)[:200] for s in seen[:3]]}")
        name = f"through-proxy-{int(time.time() * 1000)}.txt"
        body = json.dumps({"content": "hello through nginx\n"}).encode()
        req = urllib.request.Request(
            f"{base}/api/vibecoding/sessions/{session}/fs/file?path={name}", data=body, method="PUT",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, context=ctx, timeout=DEADLINE) as r:
            if r.status != 200:
                fail(f"PUT answered {r.status}")

        def is_event(f):
            if not isinstance(f, str):
                return False
            d = json.loads(f)
            return d.get("type") == "fs_event" and d.get("payload", {}).get("path") == name

        ok, seen = await frames(ws, is_event)
        if not ok:
            fail(f"no fs_event for {name}: {[str(s)[:200] for s in seen[:5]]}")


def stream(base, ctx, token, session):
    body = json.dumps({"command": "echo first; sleep 2; echo second", "timeoutMs": 20000}).encode()
    req = urllib.request.Request(
        f"{base}/api/vibecoding/sessions/{session}/exec", data=body, method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "Accept": "application/x-ndjson"})
    start = time.monotonic()
    with urllib.request.urlopen(req, context=ctx, timeout=DEADLINE) as r:
        ctype = r.headers.get("Content-Type", "")
        if not ctype.startswith("application/x-ndjson"):
            fail(f"content type {ctype!r}")
        lines = []
        for raw in r:
            lines.append((time.monotonic() - start, json.loads(raw)))
    if not lines:
        fail("no lines")
    first_at, first = lines[0]
    last = lines[-1][1]
    total = lines[-1][0]
    if first != {"type": "stdout", "data": "first\n"}:
        fail(f"first line {first}")
    if last.get("type") != "exit" or last.get("exitCode") != 0:
        fail(f"last line {last}")
    # The command sleeps 2 s between its lines: unbuffered, "first" arrives long before the end.
    if not (first_at < 1.5 and total >= 1.9):
        fail(f"first line after {first_at:.2f} s, the end after {total:.2f} s: the proxy buffered the stream")


def main():
    if len(sys.argv) != 6:
        fail(__doc__)
    mode, base, cafile, token, session = sys.argv[1:]
    ctx = ssl.create_default_context(cafile=cafile)
    if mode == "terminal-binary":
        asyncio.run(terminal(base, ctx, token, session, as_json=False))
    elif mode == "terminal-json":
        asyncio.run(terminal(base, ctx, token, session, as_json=True))
    elif mode == "fs-events":
        asyncio.run(fs_events(base, ctx, token, session))
    elif mode == "stream":
        stream(base, ctx, token, session)
    else:
        fail(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
