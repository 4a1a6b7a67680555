"""A loopback HTTP/1.1 server that takes streamed uploads and checks them.

Each request's body is read as it arrives, in bounded memory, and checked:

- its `Authorization` signature is recomputed by botocore's SigV4 signer
  from the request's method, path, query and signed headers, with the
  payload hash the request carries in `x-amz-content-sha256`;
- an `aws-chunked` body is decoded: every chunk header, its data and CRLF;
  with a signed payload hash, each `chunk-signature` must equal the
  HMAC-SHA256, under the request's signing key, of

      AWS4-HMAC-SHA256-PAYLOAD / amz date / scope / prior signature /
      hex SHA-256 of "" / hex SHA-256 of the chunk

  chained from the request's signature, and the trailer's
  `x-amz-trailer-signature` the HMAC of

      AWS4-HMAC-SHA256-TRAILER / amz date / scope / prior signature /
      hex SHA-256 of the trailing header lines ("name:value\\n")

- the decoded length must equal `x-amz-decoded-content-length` (or
  `Content-Length` for a plain body), and a trailing or header
  `x-amz-checksum-crc32` the decoded bytes' CRC-32.

The first FAIL_FIRST requests are answered 500 (after reading their body),
the others 200 with an ETag. After each request one JSON line describing
it goes to stdout. Usage: upload_server.py SECRET_KEY [FAIL_FIRST]
[MAX_REQUESTS]. It prints `PORT <n>` first; it stops after MAX_REQUESTS
requests (default 8) or 600 s.
"""

import base64
import hashlib
import hmac
import json
import re
import socket
import sys
import time
import zlib

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

EMPTY = hashlib.sha256(b"").hexdigest()
READ = 64 * 1024


def hmac_sha256(key, text):
    return hmac.new(key, text.encode() if isinstance(text, str) else text, hashlib.sha256)


def signing_key(secret, day, region, service):
    key = ("AWS4" + secret).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac_sha256(key, part).digest()
    return key


class Reader:
    """The request body, at most `length` bytes, read in bounded pieces."""

    def __init__(self, sock_file, length):
        self.f = sock_file
        self.left = length

    def read(self, n):
        n = min(n, self.left)
        out = b""
        while len(out) < n:
            piece = self.f.read(n - len(out))
            if not piece:
                raise ValueError("the body ended early")
            out += piece
        self.left -= len(out)
        return out

    def line(self):
        out = b""
        while not out.endswith(b"\r\n"):
            if len(out) > 4096:
                raise ValueError("a chunk line over 4 KiB")
            out += self.read(1)
        return out[:-2].decode()


def check_request(secret, method, target, headers, body):
    """A report of one request (`body` is its Reader)."""
    h = {k.lower(): v for k, v in headers}
    report = {"method": method, "target": target, "problems": []}
    problems = report["problems"]
    auth = h.get("authorization", "")
    m = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                 r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$", auth)
    if not m:
        problems.append("no SigV4 Authorization header")
        return report
    akid, day, region, service, signed, seed = m.groups()
    amz_date = h.get("x-amz-date", "")
    payload_hash = h.get("x-amz-content-sha256", "")
    report["payload_hash"] = payload_hash
    # The request's signature, by botocore.
    path, _, query = target.partition("?")
    request = AWSRequest(method=method, url=f"http://{h.get('host', '')}{target}")
    for name in signed.split(";"):
        request.headers[name] = h.get(name, "")
    request.context["timestamp"] = amz_date
    signer = S3SigV4Auth(Credentials(akid, secret), service, region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    report["seed_ok"] = expected == seed
    if expected != seed:
        problems.append("the request signature is not botocore's")
    key = signing_key(secret, day, region, service)
    scope = f"{day}/{region}/{service}/aws4_request"
    sha = hashlib.sha256()
    crc = 0
    decoded = 0
    chunks = 0
    trailer = {}
    if "aws-chunked" in h.get("content-encoding", ""):
        signed_chunks = payload_hash.startswith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
        prior = seed
        while True:
            size_text, _, ext = body.line().partition(";")
            size = int(size_text, 16)
            chunks += 1
            data = body.read(size) if size else b""
            if size:
                if body.read(2) != b"\r\n":
                    raise ValueError("a chunk without its CRLF")
                sha.update(data)
                crc = zlib.crc32(data, crc)
                decoded += size
            if signed_chunks:
                got = ext.removeprefix("chunk-signature=")
                to_sign = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, prior, EMPTY,
                                     hashlib.sha256(data).hexdigest()])
                want = hmac_sha256(key, to_sign).hexdigest()
                if got != want:
                    problems.append(f"chunk {chunks}: bad signature")
                prior = got
            elif ext:
                problems.append(f"chunk {chunks}: an extension on an unsigned chunk")
            if size == 0:
                break
        lines = []
        while True:
            line = body.line()
            if not line:
                break
            name, _, value = line.partition(":")
            trailer[name.lower()] = value
            if name.lower() != "x-amz-trailer-signature":
                lines.append(f"{name.lower()}:{value}\n")
        if payload_hash.endswith("-TRAILER") and signed_chunks:
            to_sign = "\n".join(["AWS4-HMAC-SHA256-TRAILER", amz_date, scope, prior,
                                 hashlib.sha256("".join(lines).encode()).hexdigest()])
            if trailer.get("x-amz-trailer-signature") != hmac_sha256(key, to_sign).hexdigest():
                problems.append("bad trailer signature")
        want_len = h.get("x-amz-decoded-content-length")
    else:
        while body.left:
            data = body.read(READ)
            sha.update(data)
            crc = zlib.crc32(data, crc)
            decoded += len(data)
        want_len = h.get("content-length")
        if payload_hash not in ("UNSIGNED-PAYLOAD", sha.hexdigest()):
            problems.append("x-amz-content-sha256 is not the body's SHA-256")
    if body.left:
        problems.append(f"{body.left} bytes after the end of the chunks")
    if str(decoded) != want_len:
        problems.append(f"decoded {decoded} bytes, announced {want_len}")
    crc_b64 = base64.b64encode(crc.to_bytes(4, "big")).decode()
    checksum = trailer.get("x-amz-checksum-crc32") or h.get("x-amz-checksum-crc32")
    if checksum is not None and checksum != crc_b64:
        problems.append(f"CRC-32 {checksum} is not the body's {crc_b64}")
    report.update({
        "decoded_length": decoded,
        "sha256": sha.hexdigest(),
        "chunks": chunks,
        "checksum": checksum,
        "trailer": sorted(trailer),
        "content_encoding": h.get("content-encoding"),
    })
    return report


def serve(conn, secret, fail):
    f = conn.makefile("rb", buffering=READ)
    request_line = f.readline(8192).decode().rstrip("\r\n")
    if not request_line:
        return None
    method, target, _ = request_line.split(" ", 2)
    headers = []
    for _ in range(200):
        line = f.readline(8192).decode().rstrip("\r\n")
        if not line:
            break
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    length = int(dict((k.lower(), v) for k, v in headers).get("content-length", "0"))
    try:
        report = check_request(secret, method, target, headers, Reader(f, length))
    except ValueError as e:
        report = {"method": method, "target": target, "problems": [str(e)]}
    status = "500 Internal Server Error" if fail else "200 OK"
    body = b"<Error><Code>InternalError</Code><Message>scripted</Message></Error>" if fail else b""
    conn.sendall(f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nETag: \"etag\"\r\n"
                 f"Connection: close\r\n\r\n".encode() + body)
    report["status"] = int(status[:3])
    return report


def main():
    secret = sys.argv[1]
    fail_first = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    max_requests = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(1.0)
    print(f"PORT {listener.getsockname()[1]}", flush=True)
    deadline = time.time() + 600
    served = 0
    while served < max_requests and time.time() < deadline:
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            continue
        conn.settimeout(60)
        with conn:
            try:
                report = serve(conn, secret, served < fail_first)
            except (OSError, ValueError) as e:
                report = {"problems": [f"connection: {e}"]}
        if report is not None:
            served += 1
            print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
