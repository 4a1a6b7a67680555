"""The streamed-upload benchmark's peer (`cargo xtask bench-upload`):
botocore uploads the same file with S3 PutObject to the same loopback
server, the body a file object, and prints its peak resident memory and
time as one JSON line.

Usage: upload_botocore.py ENDPOINT FILE SECRET
"""

import json
import resource
import sys
import time

import botocore.session


def main():
    endpoint, path, secret = sys.argv[1:4]
    client = botocore.session.get_session().create_client(
        "s3",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="AKIDBENCH",
        aws_secret_access_key=secret,
    )
    started = time.time()
    with open(path, "rb") as body:
        client.put_object(Bucket="bench", Key="object", Body=body)
    print(json.dumps({
        "seconds": round(time.time() - started, 3),
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))


if __name__ == "__main__":
    main()
