#!/usr/bin/env python3
"""Fixed contract checks of a live `vibe serve` against docs/openapi.yaml (the parts schemathesis does not fuzz).

  contract.py routes SPEC URL PENDING_OPS...   which documented operations the server serves; prints
                                                "serve OPID" / "pending OPID" / "FAIL ..." lines
  contract.py exec SPEC URL SESSION            exec (JSON and ndjson) with fixed, harmless commands
  contract.py edge SPEC URL                    answers of the server's edge (no route runs) and request ids
  contract.py files SPEC URL SESSION [tools]    files (and the file tools) on fixed paths
  contract.py metrics SPEC URL                 GET /metrics: the Prometheus text format
  contract.py auth SPEC URL TOKEN OTHER [metrics]  a server with auth on: 401 without a token, 403 for another
                                                subject (and /metrics, when the server has it)

Every answer is validated against the schema the document gives for its operation, status and content type
(and its headers: X-Request-ID, Retry-After where required). Prints "ok   NAME" / "FAIL NAME: why" lines; the
exit status is the number of failures (at most 100).
"""
import json
import re
import socket
import sys
import uuid
from urllib.parse import urlsplit

import jsonschema
import referencing
import requests
import yaml

SPEC_URI = "urn:vibe:openapi"
failures = 0


def report(ok, name, why=""):
    global failures
    if ok:
        print(f"ok   {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL {name}: {why}", flush=True)


def load(spec_path):
    with open(spec_path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def pointer_escape(key):
    return key.replace("~", "~0").replace("/", "~1")


def resolve(spec, node):
    """Follows a local `$ref` (responses, headers, parameters) to its object."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        target = spec
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


class Contract:
    def __init__(self, spec_path):
        self.spec = load(spec_path)
        resource = referencing.Resource.from_contents(self.spec, default_specification=referencing.jsonschema.DRAFT202012)
        self.registry = referencing.Registry().with_resource(SPEC_URI, resource)

    def operation(self, path, method):
        return self.spec["paths"][path][method.lower()]

    def operation_ids(self):
        for path, item in self.spec["paths"].items():
            for method, op in item.items():
                if method in ("get", "put", "post", "delete", "patch"):
                    yield op["operationId"], path, method.upper()

    def check(self, name, path, method, response, ndjson=False):
        """Validates `response` against the operation's documented answer; reports one line."""
        problems = self.problems(path, method, response, ndjson)
        report(not problems, name, "; ".join(problems))
        return not problems

    def problems(self, path, method, response, ndjson=False):
        op = self.operation(path, method)
        status = str(response.status_code)
        if status not in op["responses"]:
            return [f"status {status} is not documented for {method} {path}: {response.text[:200]!r}"]
        answer = resolve(self.spec, op["responses"][status])
        out = []
        for hname, header in (answer.get("headers") or {}).items():
            header = resolve(self.spec, header)
            value = response.headers.get(hname)
            if value is None:
                if header.get("required"):
                    out.append(f"no {hname} header")
                continue
            out += [f"header {hname}: {e}" for e in self.errors(header["schema"], value)]
        ctype = response.headers.get("Content-Type", "").split(";")[0].strip()
        documented = {k.split(";")[0].strip(): k for k in answer.get("content", {})}
        if ctype not in documented:
            return out + [f"content type {ctype!r} is not documented for {status} (documented: {sorted(documented)})"]
        key = documented[ctype]
        base = f"#/paths/{pointer_escape(path)}/{method.lower()}/responses/{status}"
        if "$ref" in op["responses"][status]:
            base = op["responses"][status]["$ref"]
        schema = {"$ref": f"{SPEC_URI}{base}/content/{pointer_escape(key)}/schema"}
        if ctype != "application/json" and not ctype.endswith("+json") and ctype != "application/x-ndjson":
            return out + self.errors(schema, response.text)  # text (GET /metrics): the schema of a string
        if ndjson:
            lines = response.text.split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            if not lines:
                return out + ["no ndjson line"]
            for i, line in enumerate(lines):
                try:
                    value = json.loads(line)
                except ValueError:
                    out.append(f"line {i + 1} is not JSON: {line[:100]!r}")
                    continue
                out += [f"line {i + 1}: {e}" for e in self.errors(schema, value)]
            return out
        try:
            value = response.json()
        except ValueError:
            return out + [f"body is not JSON: {response.text[:200]!r}"]
        return out + self.errors(schema, value)

    def errors(self, schema, value):
        validator = jsonschema.Draft202012Validator(schema, registry=self.registry)
        return [f"{'/'.join(map(str, e.absolute_path)) or 'body'}: {e.message[:300]}" for e in validator.iter_errors(value)]


def fill(path, session):
    return path.replace("{id}", session)


def cmd_routes(contract, url, pending):
    """Each documented operation is served (pending ones may still answer "no route")."""
    session = "s1"
    # Harmless requests that reach each route: bad or empty bodies, an unknown session for delete.
    bodies = {"POST": b"{}", "PUT": b"[]"}
    for op_id, path, method in contract.operation_ids():
        target = fill(path, "no-such-session" if op_id == "deleteSession" else session)
        r = requests.request(method, url + target, data=bodies.get(method), timeout=30,
                             headers={"Content-Type": "application/json"})
        absent = r.status_code == 405 or (
            r.status_code == 404 and r.headers.get("Content-Type", "").startswith("application/json")
            and r.json().get("error") == "NOT_FOUND" and r.json().get("message", "").startswith("no route"))
        if not absent:
            print(f"serve {op_id}")
        elif op_id in pending:
            print(f"pending {op_id}")
        else:
            print(f"FAIL {op_id}: {method} {path} is documented but not served ({r.status_code} {r.text[:120]})")


def cmd_exec(contract, url, session):
    path = "/api/vibecoding/sessions/{id}/exec"
    target = url + fill(path, session)
    ndjson = {"Accept": "application/x-ndjson"}

    def post(body, headers=None, raw=None):
        return requests.post(target, data=raw if raw is not None else json.dumps(body), timeout=60,
                             headers={"Content-Type": "application/json", **(headers or {})})

    r = post({"command": "echo out; echo err >&2; exit 3"})
    if contract.check("exec: a command's answer (200 JSON)", path, "POST", r):
        report(r.json()["exitCode"] == 3 and r.json()["stdout"] == "out\n" and r.json()["stderr"] == "err\n",
               "exec: exit code and both streams", r.text[:200])
    r = post({"command": "echo out; echo err >&2; exit 3"}, ndjson)
    report(r.headers.get("Content-Type", "").startswith("application/x-ndjson"), "exec: streaming answers application/x-ndjson",
           r.headers.get("Content-Type"))
    if contract.check("exec: streaming, every line an ExecStreamLine", path, "POST", r, ndjson=True):
        lines = [json.loads(x) for x in r.text.splitlines()]
        report(lines[-1] == {"type": "exit", "exitCode": 3, "durationMs": lines[-1].get("durationMs")}
               and [x["type"] for x in lines].count("exit") == 1, "exec: streaming ends with one exit line", r.text[:300])
    r = post({"command": "echo started; sleep 5", "timeoutMs": 300})
    contract.check("exec: past timeoutMs (504 EXEC_TIMEOUT with what it printed)", path, "POST", r)
    report(r.status_code == 504, "exec: timeout status is 504", str(r.status_code))
    r = post({"command": "echo started; sleep 5", "timeoutMs": 300}, ndjson)
    if contract.check("exec: streaming past timeoutMs", path, "POST", r, ndjson=True):
        last = json.loads(r.text.splitlines()[-1])
        report(last.get("type") == "error" and last.get("error") == "EXEC_TIMEOUT", "exec: streaming timeout ends with an error line",
               r.text[-200:])
    r = post({"command": "head -c 1100000 /dev/zero | tr '\\0' y"})
    contract.check("exec: over the output cap (422 OUTPUT_LIMIT_EXCEEDED)", path, "POST", r)
    report(r.status_code == 422, "exec: output cap status is 422", str(r.status_code))
    r = post({"command": "head -c 1100000 /dev/zero | tr '\\0' y"}, ndjson)
    contract.check("exec: streaming over the output cap", path, "POST", r, ndjson=True)
    r = post({"command": "kill -9 $$"})
    if contract.check("exec: killed by a signal", path, "POST", r):
        report(r.json()["exitCode"] == 137, "exec: signal 9 is exit code 137", r.text[:200])
    r = post({"command": "printf '\\377ok'"})
    if contract.check("exec: output that is not UTF-8", path, "POST", r):
        report(r.json()["stdout"] == "\ufffdok", "exec: invalid UTF-8 becomes U+FFFD", repr(r.json()["stdout"]))
    for name, body, raw in [
        ("no command", {}, None),
        ("command not a string", {"command": 5}, None),
        ("timeoutMs 0", {"command": "true", "timeoutMs": 0}, None),
        ("timeoutMs over 600000", {"command": "true", "timeoutMs": 600001}, None),
        ("not JSON", None, b"{nope"),
        ("an empty body", None, b""),
    ]:
        r = post(body, raw=raw)
        ok = contract.check(f"exec: {name} is 400 INVALID_REQUEST", path, "POST", r)
        if ok and r.status_code != 400:
            report(False, f"exec: {name} status", str(r.status_code))
        r = post(body, ndjson, raw=raw)
        if r.status_code != 400 or not r.headers.get("Content-Type", "").startswith("application/json"):
            report(False, f"exec: streaming, {name} is a JSON 400 too", f"{r.status_code} {r.headers.get('Content-Type')}")
    r = requests.post(url + fill(path, "no-such-session"), json={"command": "true"}, timeout=30)
    contract.check("exec: unknown session (404 SESSION_NOT_FOUND)", path, "POST", r)
    report(r.status_code == 404 and r.json().get("error") == "SESSION_NOT_FOUND", "exec: unknown session status", r.text[:200])
    r = requests.post(url + fill(path, ".bad"), json={"command": "true"}, timeout=30)
    contract.check("exec: bad session id (400)", path, "POST", r)
    report(r.status_code == 400, "exec: bad session id status", r.text[:200])
    suspend = "/api/vibecoding/sessions/{id}/suspend"
    r = requests.post(url + fill(suspend, session), timeout=60)
    if contract.check("suspend: a ready session (200, suspended)", suspend, "POST", r):
        report(r.json()["state"] == "suspended", "suspend: the answer says suspended", r.text[:200])
    contract.check("suspend: again (stays suspended)", suspend, "POST", requests.post(url + fill(suspend, session), timeout=60))
    r = post({"command": "echo back"})
    if contract.check("exec: resumes a suspended session", path, "POST", r):
        report(r.json()["stdout"] == "back\n", "exec: runs after the resume", r.text[:200])
    contract.check("suspend: unknown session (404)", suspend, "POST", requests.post(url + fill(suspend, "no-such-session"), timeout=30))
    r = requests.get(target, timeout=30)
    report(r.status_code == 405 and r.json().get("error") == "METHOD_NOT_ALLOWED" and "X-Request-ID" in r.headers,
           "exec: GET is a JSON 405 METHOD_NOT_ALLOWED", f"{r.status_code} {r.text[:200]}")


def raw_exchange(url, data):
    """Sends raw bytes, returns (status, headers, body) of the answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=15) as s:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip()] = v.strip()
    return status, headers, body


class RawResponse:
    """Enough of requests.Response for Contract.problems()."""

    def __init__(self, status, headers, body):
        self.status_code = status
        self.headers = requests.structures.CaseInsensitiveDict(headers)
        self.text = body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.text)


def cmd_edge(contract, url):
    hz = "/healthz"
    cases = [
        ("edge: a head over 80 KiB is 431", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n", 431),
        ("edge: a Content-Length over the limit is 413",
         b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\n", 413),
        ("edge: a bad Content-Length is 400", b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400),
    ]
    for name, data, status in cases:
        r = RawResponse(*raw_exchange(url, data))
        if contract.check(name, hz, "GET", r):
            report(r.status_code == status, f"{name} (status)", str(r.status_code))
    rid = "trace-" + uuid.uuid4().hex
    r = requests.get(url + hz, headers={"X-Request-ID": rid}, timeout=30)
    report(r.headers.get("X-Request-ID") == rid, "a valid X-Request-ID comes back", r.headers.get("X-Request-ID"))
    r = requests.get(url + "/api/vibecoding/sessions/no-such-session", headers={"X-Request-ID": rid}, timeout=30)
    contract.check("an unknown session is a typed 404", "/api/vibecoding/sessions/{id}", "GET", r)
    report(r.json().get("requestId") == rid, "an error body repeats the caller's request id", r.text[:200])
    r = requests.get(url + hz, headers={"X-Request-ID": "x" * 129}, timeout=30)
    report(r.headers.get("X-Request-ID", "x" * 129) != "x" * 129 and len(r.headers.get("X-Request-ID", "")) == 36,
           "an X-Request-ID over 128 characters is replaced by a new UUID", r.headers.get("X-Request-ID"))
    r = requests.get(url + "/api/vibecoding/no/such/route", timeout=30)
    report(r.status_code == 404 and r.json().get("error") == "NOT_FOUND" and "X-Request-ID" in r.headers,
           "an unknown route is a JSON 404 NOT_FOUND", f"{r.status_code} {r.text[:200]}")
    errors = contract.errors({"$ref": SPEC_URI + "#/components/schemas/ErrorBody"}, r.json())
    report(not errors, "an unknown route's body is an ErrorBody", "; ".join(errors))
    r = requests.delete(url + "/api/vibecoding/sessions", timeout=30)
    report(r.status_code == 405 and r.json().get("error") == "METHOD_NOT_ALLOWED", "a wrong method is a JSON 405",
           f"{r.status_code} {r.text[:200]}")
    errors = contract.errors({"$ref": SPEC_URI + "#/components/schemas/ErrorBody"}, r.json())
    report(not errors, "a 405's body is an ErrorBody", "; ".join(errors))


def cmd_auth(contract, url, token, other, metrics=False):
    r = requests.get(url + "/healthz", timeout=30)
    contract.check("auth on: /healthz needs no token", "/healthz", "GET", r)
    report(r.status_code == 200, "auth on: /healthz is 200 without a token", str(r.status_code))
    r = requests.get(url + "/api/vibecoding/healthz", timeout=30)
    report(r.status_code == 200, "auth on: /api/vibecoding/healthz is 200 without a token", str(r.status_code))
    sessions = "/api/vibecoding/sessions"
    r = requests.get(url + sessions, timeout=30)
    contract.check("auth on: no token (401 UNAUTHORIZED)", sessions, "GET", r)
    report(r.status_code == 401, "auth on: no token status", str(r.status_code))
    r = requests.get(url + sessions, headers={"Authorization": "Bearer not.a.token"}, timeout=30)
    contract.check("auth on: a bad token (401)", sessions, "GET", r)
    r = requests.get(url + sessions, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    contract.check("auth on: the owner's bearer token (200)", sessions, "GET", r)
    report(r.status_code == 200, "auth on: the owner's token status", str(r.status_code))
    r = requests.get(url + sessions, params={"token": token}, timeout=30)
    report(r.status_code == 200, "auth on: ?token= works as well", str(r.status_code))
    r = requests.get(url + sessions, headers={"Authorization": f"Bearer {other}"}, timeout=30)
    contract.check("auth on: another subject (403 FORBIDDEN)", sessions, "GET", r)
    report(r.status_code == 403, "auth on: another subject status", str(r.status_code))
    admin = "/api/vibecoding/admin/new-sessions"
    r = requests.get(url + admin, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    contract.check("auth on: admin route without --admin-subject (403)", admin, "GET", r)
    report(r.status_code == 403, "auth on: admin route status", str(r.status_code))
    exec_path = "/api/vibecoding/sessions/{id}/exec"
    r = requests.post(url + fill(exec_path, "a1"), json={"command": "true"}, timeout=30)
    contract.check("auth on: exec without a token (401)", exec_path, "POST", r)
    report(r.status_code == 401, "auth on: exec without a token status", str(r.status_code))
    if metrics:
        r = requests.get(url + "/metrics", timeout=30)
        contract.check("auth on: /metrics without a token (401)", "/metrics", "GET", r)
        report(r.status_code == 401, "auth on: /metrics without a token status", str(r.status_code))
        r = requests.get(url + "/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        contract.check("auth on: /metrics with a token (200)", "/metrics", "GET", r)


def cmd_files(contract, url, session, tools):
    """Files and (when served) the file tools on fixed paths: each answer checked against the document, and the
    cases that once answered 500 INTERNAL (a write or move onto or under an existing file or folder)."""
    base = url + fill("/api/vibecoding/sessions/{id}", session)
    P = "/api/vibecoding/sessions/{id}/fs/"

    def put(path, content, encoding=None):
        body = {"content": content} if encoding is None else {"content": content, "encoding": encoding}
        return requests.put(base + "/fs/file", params={"path": path}, json=body, timeout=30)

    src = "int main() {\n  // TODO: free\n  return 1;\n}\n"
    for path in ["src/a.c", "src/lib/b.c", "docs/notes.md", "old.txt"]:
        contract.check(f"files: write {path}", P + "file", "PUT", put(path, src))
    contract.check("files: write base64", P + "file", "PUT", put("bin/blob", "/wAB", "base64"))
    r = requests.get(base + "/fs/file", params={"path": "bin/blob"}, timeout=30)
    if contract.check("files: read a file that is not UTF-8", P + "file", "GET", r):
        report(r.json()["encoding"] == "base64" and r.json()["content"] == "/wAB", "files: it comes as base64", r.text[:200])
    r = requests.get(base + "/fs/file", params={"path": "src/a.c"}, timeout=30)
    if contract.check("files: read a file", P + "file", "GET", r):
        report(r.json()["content"] == src and r.json()["encoding"] == "utf8", "files: read what was written", r.text[:200])
    contract.check("files: a missing file (404 NOT_FOUND)", P + "file", "GET",
                   requests.get(base + "/fs/file", params={"path": "nope.txt"}, timeout=30))
    contract.check("files: a path with .. (403 PATH_OUTSIDE_WORKSPACE)", P + "file", "GET",
                   requests.get(base + "/fs/file", params={"path": "../x"}, timeout=30))
    contract.check("files: bad base64 (400)", P + "file", "PUT", put("x.bin", "%%%", "base64"))
    contract.check("files: the tree", P + "tree", "GET", requests.get(base + "/fs/tree", timeout=30))
    # Writes onto or under what exists: a typed 4xx, never 500 INTERNAL.
    r = put("src", "x")
    if contract.check("files: writing onto an existing folder is a documented answer", P + "file", "PUT", r):
        report(r.status_code < 500, "files: writing onto an existing folder is not a 5xx", f"{r.status_code} {r.text[:200]}")
    r = put("old.txt/inner.txt", "x")
    if contract.check("files: writing under an existing file is a documented answer", P + "file", "PUT", r):
        report(r.status_code < 500, "files: writing under an existing file is not a 5xx", f"{r.status_code} {r.text[:200]}")
    if not tools:
        return
    r = requests.get(base + "/fs/list", params={"path": "src"}, timeout=30)
    if contract.check("list: a folder", P + "list", "GET", r):
        report([(e["name"], e["type"]) for e in r.json()["entries"]] == [("a.c", "file"), ("lib", "dir")],
               "list: entries sorted by name with their types", r.text[:300])
    contract.check("list: the workspace", P + "list", "GET", requests.get(base + "/fs/list", timeout=30))
    contract.check("list: a file (400)", P + "list", "GET", requests.get(base + "/fs/list", params={"path": "old.txt"}, timeout=30))
    contract.check("list: missing (404)", P + "list", "GET", requests.get(base + "/fs/list", params={"path": "nope"}, timeout=30))
    contract.check("list: absolute (403)", P + "list", "GET", requests.get(base + "/fs/list", params={"path": "/etc"}, timeout=30))

    def post(tool, body):
        return requests.post(base + "/fs/" + tool, json=body, timeout=30)

    r = post("edit", {"path": "src/a.c", "old": "return 1;", "new": "return 0;"})
    if contract.check("edit: one replacement with a diff", P + "edit", "POST", r):
        report(r.json()["replacements"] == 1 and r.json()["diff"].startswith("--- a/src/a.c\n+++ b/src/a.c\n"),
               "edit: the diff names a/P and b/P", r.text[:200])
    contract.check("edit: no match (422 EDIT_NO_MATCH)", P + "edit", "POST", post("edit", {"path": "src/a.c", "old": "zzz", "new": "y"}))
    r = post("edit", {"path": "src/a.c", "old": "n", "new": "N"})
    contract.check("edit: ambiguous (422 EDIT_AMBIGUOUS)", P + "edit", "POST", r)
    report(r.status_code == 422 and r.json().get("error") == "EDIT_AMBIGUOUS", "edit: ambiguous status and code", r.text[:200])
    contract.check("edit: replaceAll", P + "edit", "POST", post("edit", {"path": "src/a.c", "old": "n", "new": "N", "replaceAll": True}))
    contract.check("edit: empty old (400)", P + "edit", "POST", post("edit", {"path": "src/a.c", "old": "", "new": "y"}))
    contract.check("edit: missing file (404)", P + "edit", "POST", post("edit", {"path": "nope.c", "old": "a", "new": "b"}))
    r = requests.get(base + "/fs/glob", params={"pattern": "*.c"}, timeout=30)
    if contract.check("glob: *.c at any depth", P + "glob", "GET", r):
        report(r.json()["paths"] == ["src/a.c", "src/lib/b.c"], "glob: sorted paths relative to the workspace", r.text[:200])
    contract.check("glob: limit 0 (400)", P + "glob", "GET", requests.get(base + "/fs/glob", params={"pattern": "*", "limit": "0"}, timeout=30))
    contract.check("glob: no pattern (400)", P + "glob", "GET", requests.get(base + "/fs/glob", timeout=30))
    r = requests.get(base + "/fs/grep", params={"pattern": "TODO", "context": "1", "glob": "**/*.c"}, timeout=30)
    if contract.check("grep: matches with context", P + "grep", "GET", r):
        m = r.json()["matches"]
        report(len(m) == 2 and m[0]["path"] == "src/a.c" and m[0]["line"] == 2 and m[0]["before"] == ["iNt maiN() {"],
               "grep: path, line and context lines", r.text[:300])
    contract.check("grep: a bad regular expression (400)", P + "grep", "GET",
                   requests.get(base + "/fs/grep", params={"pattern": "("}, timeout=30))
    contract.check("grep: ignoreCase=maybe (400)", P + "grep", "GET",
                   requests.get(base + "/fs/grep", params={"pattern": "x", "ignoreCase": "maybe"}, timeout=30))
    r = post("move", {"from": "old.txt", "to": "moved/new.txt"})
    contract.check("move: a file into new folders", P + "move", "POST", r)
    contract.check("move: onto an existing file (409 ALREADY_EXISTS)", P + "move", "POST", post("move", {"from": "docs/notes.md", "to": "src/a.c"}))
    contract.check("move: a folder into itself (400)", P + "move", "POST", post("move", {"from": "src", "to": "src/x"}))
    contract.check("move: missing (404)", P + "move", "POST", post("move", {"from": "nope", "to": "x"}))
    r = post("move", {"from": "docs/notes.md", "to": "moved/new.txt/inner.md"})
    if contract.check("move: under an existing file is a documented answer", P + "move", "POST", r):
        report(r.status_code < 500, "move: under an existing file is not a 5xx", f"{r.status_code} {r.text[:200]}")
    contract.check("delete: a folder with entries (409 FOLDER_NOT_EMPTY)", P + "delete", "POST", post("delete", {"path": "src"}))
    r = post("delete", {"path": "src", "recursive": True})
    if contract.check("delete: recursive", P + "delete", "POST", r):
        report(r.json()["deleted"] == 4, "delete: counts every entry, the path included", r.text[:200])
    contract.check("delete: missing (404)", P + "delete", "POST", post("delete", {"path": "src"}))
    contract.check("delete: .. (403)", P + "delete", "POST", post("delete", {"path": "../x"}))


PROM_LINE = re.compile(
    r'^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]*( .*)?'
    r'|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? '
    r'([-+]?[0-9.eE+-]+|[-+]?Inf|NaN)( -?[0-9]+)?)$')


def cmd_metrics(contract, url):
    """GET /metrics: 200, the Prometheus text format 0.0.4, every line a comment or a sample."""
    r = requests.get(url + "/metrics", timeout=30)
    contract.check("metrics: a documented answer (200 text)", "/metrics", "GET", r)
    ctype = [p.strip() for p in r.headers.get("Content-Type", "").split(";")]
    report(r.status_code == 200 and ctype[0] == "text/plain" and "version=0.0.4" in ctype,
           "metrics: content type text/plain; version=0.0.4", r.headers.get("Content-Type"))
    bad = [line for line in r.text.splitlines() if line and not PROM_LINE.match(line)]
    report(r.text.strip() != "" and not bad, "metrics: every line is a comment or a sample", repr(bad[:3]))
    r = requests.post(url + "/metrics", timeout=30)
    report(r.status_code == 405 and r.json().get("error") == "METHOD_NOT_ALLOWED", "metrics: POST is a JSON 405",
           f"{r.status_code} {r.text[:200]}")


def main():
    mode, spec_path, url = sys.argv[1], sys.argv[2], sys.argv[3].rstrip("/")
    contract = Contract(spec_path)
    if mode == "routes":
        cmd_routes(contract, url, set(sys.argv[4:]))
    elif mode == "exec":
        cmd_exec(contract, url, sys.argv[4])
    elif mode == "edge":
        cmd_edge(contract, url)
    elif mode == "files":
        cmd_files(contract, url, sys.argv[4], tools="tools" in sys.argv[5:])
    elif mode == "metrics":
        cmd_metrics(contract, url)
    elif mode == "auth":
        cmd_auth(contract, url, sys.argv[4], sys.argv[5], metrics="metrics" in sys.argv[6:])
    else:
        raise SystemExit(f"unknown mode {mode}")
    sys.exit(min(failures, 100))


if __name__ == "__main__":
    main()
