#!/usr/bin/env python3
"""A terminal client that stops reading while its shell prints a flood, then reads again once the server has
logged it as too slow: everything it is sent must end with the 1013 close frame and its JSON reason
(CLIENT_TOO_SLOW), and then the connection ends. Usage: slow_reader.py PORT SESSION SERVER_LOG. Exit 1 on a
failure."""
import json, os, socket, struct, sys, time

port, session, log = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def frame(opcode, payload):
    """A masked client frame."""
    mask = os.urandom(4)
    head = bytes([0x80 | opcode])
    n = len(payload)
    head += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def fail(message):
    print("FAIL " + message)
    sys.exit(1)


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
s.sendall((f"GET /api/vibecoding/container/{session}/terminal?term=main&cols=80&rows=24 HTTP/1.1\r\n"
           "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
head = b""
while b"\r\n\r\n" not in head:
    chunk = s.recv(1)
    if not chunk:
        fail("no upgrade answer")
    head += chunk
if b" 101 " not in head.split(b"\r\n")[0]:
    fail(f"upgrade refused: {head[:100]!r}")
s.sendall(frame(1, b'{"type":"hello"}'))
s.sendall(frame(2, b"head -c 80000000 /dev/zero | tr '\\0' x\r"))
# Read nothing until the server gives up on this client (at most a minute).
deadline = time.time() + 60
while '"socket.slow_client"' not in open(log, errors="replace").read():
    if time.time() > deadline:
        fail("the server never logged socket.slow_client")
    time.sleep(0.1)
s.settimeout(30)
data = bytearray()
try:
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        data += chunk
except socket.timeout:
    fail(f"the connection stayed open after {len(data)} bytes")
except ConnectionResetError:
    fail(f"the connection was reset after {len(data)} bytes")
# Walk the server's (unmasked) frames; the last must be the close.
i, last, received = 0, None, 0
while i + 2 <= len(data):
    opcode, n = data[i] & 0x0F, data[i + 1] & 0x7F
    i += 2
    if n == 126:
        n, i = struct.unpack(">H", data[i:i + 2])[0], i + 2
    elif n == 127:
        n, i = struct.unpack(">Q", data[i:i + 8])[0], i + 8
    if i + n > len(data):
        fail(f"a frame is cut short at byte {i} of {len(data)}")
    last = (opcode, bytes(data[i:i + n]))
    received += n if opcode == 2 else 0
    i += n
if last is None or last[0] != 8:
    fail(f"no close frame at the end of {len(data)} bytes ({received} of output)")
code = struct.unpack(">H", last[1][:2])[0]
reason = json.loads(last[1][2:])
if code != 1013 or reason.get("error") != "CLIENT_TOO_SLOW":
    fail(f"closed with {code} {reason}")
print(f"ok   closed with 1013 CLIENT_TOO_SLOW after {received} bytes of output: {reason.get('message')}")
