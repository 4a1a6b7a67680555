"""Signs requests with botocore's SigV4Auth at a fixed time: the oracle for
the crate's signer. Reads a JSON list of requests on stdin, writes a JSON
list of {"authorization", "canonical_request", "x_amz_date"} on stdout."""

import datetime
import json
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def sign(case):
    fixed = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc).replace(tzinfo=None)
    botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed
    creds = Credentials(case["access_key_id"], case["secret_access_key"], case.get("session_token"))
    auth = botocore.auth.SigV4Auth(creds, case["service"], case["region"])
    url = case["scheme"] + "://" + case["host"] + case["uri"]
    request = AWSRequest(
        method=case["method"],
        url=url,
        data=bytes(case["body"]),
        headers=dict(case["headers"]),
    )
    auth.add_auth(request)
    # The canonical request of what was signed (recomputed: add_auth only logs it).
    canonical = auth.canonical_request(request)
    return {
        "authorization": request.headers["Authorization"],
        "canonical_request": canonical,
        "x_amz_date": request.headers["X-Amz-Date"],
    }


def main():
    cases = json.load(sys.stdin)
    json.dump([sign(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
