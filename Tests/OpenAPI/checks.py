"""Schemathesis checks for the vibe API beyond schema conformance (loaded with SCHEMATHESIS_HOOKS=this file).

- json_answer: every answer is a JSON object with a boolean `ok` (docs/protocol.md: "Nothing else is ever sent"),
  except the 200 text of GET /metrics.
- typed_5xx: a 5xx is allowed only with a JSON error body whose code is one of the protocol's typed 5xx codes
  that are not bugs (SERVICE_DISABLED, OVERLOADED, IMAGE_UNAVAILABLE, CREATE_FAILED, EXEC_TIMEOUT). INTERNAL
  and untyped 5xx fail.
- request_id: every answer carries X-Request-ID; it is the caller's own when that was 1-128 printable ASCII
  characters, and an error body's `requestId` repeats it.
"""
import json
import re

import schemathesis

TYPED_5XX = {"SERVICE_DISABLED", "OVERLOADED", "IMAGE_UNAVAILABLE", "CREATE_FAILED", "EXEC_TIMEOUT"}
VALID_REQUEST_ID = re.compile(r"^[\x21-\x7e]{1,128}$")


def _header(response, name):
    values = response.headers.get(name.lower()) or []
    return values[0] if values else None


def _body(response):
    try:
        return json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _curl(case):
    try:
        return case.as_curl_command()
    except Exception:  # noqa: BLE001 - only a hint for the report
        return f"{case.method} {case.formatted_path}"


@schemathesis.check
def json_answer(ctx, response, case):
    """Every answer is a JSON object with a boolean `ok`, except /metrics' 200 text."""
    if case.operation.path == "/metrics" and response.status_code == 200:
        return None
    ctype = (_header(response, "content-type") or "").split(";")[0].strip().lower()
    body = _body(response)
    if ctype != "application/json" or not isinstance(body, dict) or not isinstance(body.get("ok"), bool):
        raise AssertionError(
            f"not a JSON answer: status {response.status_code}, content type {ctype!r}, "
            f"body {response.content[:200]!r}"
        )
    return None


@schemathesis.check
def typed_5xx(ctx, response, case):
    """A 5xx must be a typed JSON error of the protocol that is not a bug (INTERNAL is one)."""
    if response.status_code < 500:
        return None
    body = _body(response)
    code = body.get("error") if isinstance(body, dict) else None
    if code not in TYPED_5XX:
        raise AssertionError(
            f"server error {response.status_code} with code {code!r}: {response.content[:300]!r}"
        )
    return None


@schemathesis.check
def request_id(ctx, response, case):
    """X-Request-ID on every answer: the caller's valid one echoed, and repeated as an error body's requestId."""
    rid = _header(response, "x-request-id")
    if not rid:
        raise AssertionError("no X-Request-ID header")
    sent = response.request.headers.get("X-Request-ID")
    if sent is not None:
        if isinstance(sent, bytes):
            sent = sent.decode("latin-1")
        if VALID_REQUEST_ID.match(sent) and rid != sent:
            raise AssertionError(f"sent X-Request-ID {sent!r}, got {rid!r}")
    if response.status_code >= 400:
        body = _body(response)
        if isinstance(body, dict) and body.get("requestId") != rid:
            raise AssertionError(f"requestId {body.get('requestId')!r} differs from X-Request-ID {rid!r}")
    return None
