#!/usr/bin/env python3
"""Wire-format oracle: what botocore sends and what it parses.

Reads one JSON document on stdin:

    {"cases": [CASE, ...]}

where each CASE is either a request

    {"kind": "request", "service": "dms", "operation": "StopReplication",
     "params": {...}, "fill_idempotency_tokens": true}

or a response

    {"kind": "response", "service": "dms", "operation": "StopReplication",
     "status": 400, "headers": {"x-amzn-RequestId": "r"}, "body": "..."}

and prints one JSON document on stdout:

    {"botocore_version": "1.x", "results": [RESULT, ...]}

A request RESULT is {"ok": true, "method", "url_path", "headers", "body"}
(`body` parsed as JSON, `null` when empty) or {"ok": false, "error": "..."}
when botocore's parameter validation refuses the params.

A response RESULT is {"ok": true, "parsed": {...}} or {"ok": false,
"error": "..."} when botocore cannot parse it. It mirrors what a botocore
client does (botocore/endpoint.py): parse against the output shape, then,
for a status >= 300, merge in the fields of the modeled error shape named
by the error code. `ResponseMetadata` keeps only `RequestId`. Timestamps
(datetime objects) are printed as {"$epoch_micros": [seconds, micros]}
(whole seconds since the epoch, floor, and microseconds past them).
"""

import datetime
import json
import sys

try:
    import botocore
    import botocore.handlers
    import botocore.parsers
    import botocore.serialize
    import botocore.session
except ImportError as e:  # pragma: no cover - reported to the Rust test
    print(json.dumps({"missing_botocore": str(e)}))
    sys.exit(3)

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def _encode_timestamps(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        delta = value - EPOCH
        total_micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
        secs, micros = divmod(total_micros, 1_000_000)
        return {"$epoch_micros": [secs, micros]}
    if isinstance(value, dict):
        return {k: _encode_timestamps(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode_timestamps(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    return value


_SESSION = None
_MODELS = {}


def _operation_model(service, operation):
    global _SESSION
    if _SESSION is None:
        _SESSION = botocore.session.get_session()
    if service not in _MODELS:
        _MODELS[service] = _SESSION.get_service_model(service)
    service_model = _MODELS[service]
    return service_model, service_model.operation_model(operation)


def _protocol(service_model):
    return getattr(service_model, "resolved_protocol", None) or service_model.metadata["protocol"]


def run_request(case):
    service_model, op = _operation_model(case["service"], case["operation"])
    params = dict(case.get("params") or {})
    if case.get("fill_idempotency_tokens", False):
        # What the client's `before-parameter-build` handler does.
        botocore.handlers.generate_idempotent_uuid(params, op)
    serializer = botocore.serialize.create_serializer(_protocol(service_model), include_validation=True)
    try:
        request = serializer.serialize_to_request(params, op)
    except botocore.exceptions.ParamValidationError as e:
        return {"ok": False, "error": str(e)}
    body = request["body"]
    if isinstance(body, (bytes, bytearray)):
        body = body.decode("utf-8")
    return {
        "ok": True,
        "method": request["method"],
        "url_path": request["url_path"],
        "headers": dict(request["headers"]),
        "body": json.loads(body) if body else None,
    }


def run_response(case):
    service_model, op = _operation_model(case["service"], case["operation"])
    headers = {k.lower(): v for k, v in (case.get("headers") or {}).items()}
    response = {
        "status_code": case["status"],
        "headers": headers,
        "body": case.get("body", "").encode("utf-8"),
        "context": {"operation_name": op.name},
    }
    parser = botocore.parsers.create_parser(_protocol(service_model))
    try:
        parsed = parser.parse(response, op.output_shape)
        if case["status"] >= 300:
            code = parsed.get("Error", {}).get("Code")
            error_shape = service_model.shape_for_error_code(code) if code else None
            if error_shape is not None:
                parsed.update(parser.parse(response, error_shape))
    except Exception as e:  # botocore raises several types here
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}
    metadata = parsed.pop("ResponseMetadata", {}) or {}
    if "RequestId" in metadata:
        parsed["ResponseMetadata"] = {"RequestId": metadata["RequestId"]}
    return {"ok": True, "parsed": _encode_timestamps(parsed)}


def main():
    doc = json.load(sys.stdin)
    results = []
    for case in doc["cases"]:
        if case["kind"] == "request":
            results.append(run_request(case))
        elif case["kind"] == "response":
            results.append(run_response(case))
        else:
            raise SystemExit(f"unknown case kind {case['kind']!r}")
    json.dump({"botocore_version": botocore.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
