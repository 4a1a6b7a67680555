#!/usr/bin/env python3
"""botocore as the client of a mock server: makes real calls over HTTP.

Reads one JSON document on stdin:

    {"endpoint": "http://127.0.0.1:PORT",
     "calls": [{"service": "dms", "operation": "stop_replication",
                "params": {...}, "validate": true}, ...]}

makes each call with a botocore client for `service` (region us-east-1,
dummy credentials, no retries, `parameter_validation` as `validate` says),
and prints one JSON document on stdout:

    {"botocore_version": "1.x", "results": [RESULT, ...]}

A RESULT is {"ok": true, "response": {...}} with the parsed response
(datetimes as {"$epoch_millis": N}, `ResponseMetadata` reduced to
`RequestId` and `HTTPStatusCode`), or {"ok": false, "code", "message",
"status", "class", "modeled"} for a `ClientError`, where `class` is the
exception's class name and `modeled` tells whether it is the client's
modeled exception for that code (`client.exceptions.<code>`). Any other
exception is reported as {"ok": false, "code": null, "class", "exception"}.
"""

import datetime
import json
import sys

import botocore
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError


def plain(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        delta = value - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        return {"$epoch_millis": delta // datetime.timedelta(milliseconds=1)}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def call(session, endpoint, spec):
    client = session.create_client(
        spec["service"],
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=Config(
            retries={"total_max_attempts": 1},
            parameter_validation=spec.get("validate", True),
            connect_timeout=10,
            read_timeout=10,
        ),
    )
    try:
        response = getattr(client, spec["operation"])(**spec.get("params", {}))
    except ClientError as e:
        error = e.response.get("Error", {})
        code = error.get("Code")
        modeled_class = getattr(client.exceptions, code, None) if code else None
        return {
            "ok": False,
            "code": code,
            "message": error.get("Message"),
            "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
            "class": type(e).__name__,
            "modeled": modeled_class is not None
            and modeled_class is not ClientError
            and isinstance(e, modeled_class),
        }
    except Exception as e:  # anything else botocore raised, reported, not fatal
        return {"ok": False, "code": None, "class": type(e).__name__, "exception": str(e)}
    meta = response.pop("ResponseMetadata", {})
    response["ResponseMetadata"] = {
        "RequestId": meta.get("RequestId"),
        "HTTPStatusCode": meta.get("HTTPStatusCode"),
    }
    return {"ok": True, "response": plain(response)}


def main():
    doc = json.load(sys.stdin)
    session = botocore.session.get_session()
    results = [call(session, doc["endpoint"], spec) for spec in doc["calls"]]
    json.dump({"botocore_version": botocore.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
