"""Presigns with botocore at a fixed time: the oracle for the crate's
presigned requests. Reads a JSON list of cases on stdin, writes a JSON list
of {"method", "url", "headers"} on stdout.

A case is {"kind", "region", "time", "access_key_id", "secret_access_key",
"session_token"?} and, by kind:
- "presign": "service", "operation" (botocore's snake-case name), "params",
  "expires", "http_method"?, "extra_query"? (parameters the Smithy model's
  URI adds, such as S3's `x-id`) -- `client.generate_presigned_url`;
- "rds": "hostname", "port", "user" -- `rds.generate_db_auth_token`;
- "eks": "cluster" -- the token `aws eks get-token` prints: a presigned
  `GetCallerIdentity` (GET, 60 s) with the `x-k8s-aws-id` header signed,
  base64url without padding after `k8s-aws-v1.`.
The headers botocore signed besides Host (what a caller must send) are
read from the signing step."""

import base64
import datetime
import json
import sys
import urllib.parse

import botocore.auth
import botocore.session
from botocore.config import Config


def client(case, service):
    session = botocore.session.get_session()
    session.set_config_variable("sts_regional_endpoints", "regional")
    options = {"s3": {"us_east_1_regional_endpoint": "regional", "addressing_style": "virtual"}}
    if service == "s3":
        options["signature_version"] = "s3v4"
    return session.create_client(
        service,
        region_name=case["region"],
        aws_access_key_id=case["access_key_id"],
        aws_secret_access_key=case["secret_access_key"],
        aws_session_token=case.get("session_token"),
        config=Config(**options),
    )


def capture_headers(c, event):
    """Records the headers of the request being signed."""
    seen = {}

    def grab(request, **kwargs):
        seen.clear()
        seen.update({k.lower(): v for k, v in request.headers.items()})

    c.meta.events.register_last(event, grab)
    return seen


def presign(case):
    fixed = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc).replace(tzinfo=None)
    botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed
    kind = case["kind"]
    if kind == "presign":
        c = client(case, case["service"])
        extra = case.get("extra_query")
        if extra:
            # Query parameters the Smithy model's URI has and botocore's
            # model lacks (S3's `x-id`): added before signing, as sent.
            def add_query(request, **kwargs):
                sep = "&" if "?" in request.url else "?"
                request.url += sep + urllib.parse.urlencode(extra)

            c.meta.events.register("before-sign", add_query)
        seen = capture_headers(c, "before-sign")
        kwargs = {"Params": case["params"], "ExpiresIn": case["expires"]}
        if case.get("http_method"):
            kwargs["HttpMethod"] = case["http_method"]
        url = c.generate_presigned_url(case["operation"], **kwargs)
        method = case.get("http_method") or c.meta.service_model.operation_model(
            c.meta.method_to_api_mapping[case["operation"]]
        ).http["method"]
        # The headers the signature covers, besides Host: what the caller sends.
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        signed = query.get("X-Amz-SignedHeaders", "").split(";")
        headers = {k: v for k, v in seen.items() if k in signed and k != "host"}
        return {"method": method, "url": url, "headers": headers}
    if kind == "rds":
        c = client(case, "rds")
        token = c.generate_db_auth_token(case["hostname"], case["port"], case["user"], case["region"])
        return {"method": "GET", "url": token, "headers": {}}
    if kind == "eks":
        c = client(case, "sts")
        cluster = case["cluster"]

        def add_cluster(request, **kwargs):
            request.headers["x-k8s-aws-id"] = cluster

        c.meta.events.register("before-sign.sts.GetCallerIdentity", add_cluster)
        url = c.generate_presigned_url(
            "get_caller_identity", Params={}, ExpiresIn=60, HttpMethod="GET"
        )
        token = "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")
        return {"method": "GET", "url": token, "headers": {}}
    raise ValueError(f"unknown kind {kind}")


def main():
    cases = json.load(sys.stdin)
    json.dump([presign(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
