"""botocore's aws-chunked encoding of fixed bodies, for comparison.

Reads {"cases": [{"data": hex, "chunk_size": n}]} on stdin. For each
case it writes:

- "chunked": botocore's `AwsChunkedWrapper` over the data (CRC-32 trailer,
  chunks of chunk_size), in hex;
- "request": the headers and body of the S3 `PutObject` request botocore
  itself would send for a streamed body of that data over https (captured
  before sending; nothing leaves the machine).

Prints {"cases": [...]} on stdout.
"""

import io
import json
import sys

import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.httpchecksum import AwsChunkedWrapper, Crc32Checksum


class Unseekable(io.RawIOBase):
    """A file-like body botocore must stream (it cannot know its length
    from a buffer)."""

    def __init__(self, data):
        self.inner = io.BytesIO(data)

    def readable(self):
        return True

    def read(self, n=-1):
        return self.inner.read(n)

    def seek(self, offset, whence=0):
        return self.inner.seek(offset, whence)

    def tell(self):
        return self.inner.tell()


class Empty:
    """An empty raw response body."""

    def stream(self, **_):
        return iter(())


def botocore_request(data):
    session = botocore.session.get_session()
    client = session.create_client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    )
    captured = {}

    def capture(request, **_):
        body = request.body
        raw = body.read() if hasattr(body, "read") else (body or b"")
        captured["headers"] = {k.lower(): (v.decode() if isinstance(v, bytes) else v)
                               for k, v in request.headers.items()}
        captured["body"] = raw.hex()
        return AWSResponse(request.url, 200, {"ETag": '"x"'}, Empty())

    client.meta.events.register("before-send.s3.PutObject", capture)
    client.put_object(Bucket="bucket", Key="key", Body=Unseekable(data))
    return captured


def main():
    cases = json.load(sys.stdin)["cases"]
    out = []
    for case in cases:
        data = bytes.fromhex(case["data"])
        wrapper = AwsChunkedWrapper(io.BytesIO(data), checksum_cls=Crc32Checksum,
                                    checksum_name="x-amz-checksum-crc32",
                                    chunk_size=case["chunk_size"])
        out.append({
            "chunked": wrapper.read().hex(),
            "request": botocore_request(data),
        })
    json.dump({"cases": out}, sys.stdout)


if __name__ == "__main__":
    main()
