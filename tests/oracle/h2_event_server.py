"""A loopback HTTP/2 server (h2, prior knowledge) for one input event stream.

It takes one request, answers its headers at once with an event-stream
response, and reads the request body as signed event messages. Each message
is checked the way AWS documents event-stream signing: framing and both
CRC-32s, a `:date` header, and a `:chunk-signature` equal to the HMAC-SHA256,
under the request's SigV4 signing key, of

    AWS4-HMAC-SHA256-PAYLOAD / amz date / scope / prior signature (hex) /
    hex SHA-256 of the encoded :date header / hex SHA-256 of the payload

chained from the signature of the request's Authorization header. For every
signed message with a payload, the server answers one event (`reply_event`
below) echoing the payload's length; the empty message ends the stream, and
the server ends the response. It prints one JSON report on stdout and exits.

Usage: h2_event_server.py SECRET_KEY. It prints `PORT <n>` first. Stops
after one connection or 30 s.
"""

import hashlib
import hmac
import json
import socket
import struct
import sys
import time
import zlib

import h2.config
import h2.connection
import h2.events


def frame(headers, payload):
    """One event-stream message with string headers."""
    h = b""
    for name, value in headers:
        n = name.encode()
        v = value.encode()
        h += bytes([len(n)]) + n + b"\x07" + struct.pack(">H", len(v)) + v
    total = 16 + len(h) + len(payload)
    prelude = struct.pack(">II", total, len(h))
    out = prelude + struct.pack(">I", zlib.crc32(prelude)) + h + payload
    return out + struct.pack(">I", zlib.crc32(out))


def parse(buf):
    """(message, rest) or (None, buf) when buf holds no whole message."""
    if len(buf) < 12:
        return None, buf
    total, hlen, pcrc = struct.unpack(">III", buf[:12])
    if zlib.crc32(buf[:8]) != pcrc:
        raise ValueError("prelude CRC")
    if len(buf) < total:
        return None, buf
    msg, rest = buf[:total], buf[total:]
    if zlib.crc32(msg[:-4]) != struct.unpack(">I", msg[-4:])[0]:
        raise ValueError("message CRC")
    raw = msg[12:12 + hlen]
    headers, i = {}, 0
    while i < len(raw):
        n = raw[i]
        name = raw[i + 1:i + 1 + n].decode()
        i += 1 + n
        kind = raw[i]
        i += 1
        if kind == 8:
            headers[name] = ("timestamp", struct.unpack(">q", raw[i:i + 8])[0], raw[i - 2 - n:i + 8])
            i += 8
        elif kind in (6, 7):
            (ln,) = struct.unpack(">H", raw[i:i + 2])
            headers[name] = ("bytes", raw[i + 2:i + 2 + ln], None)
            i += 2 + ln
        else:
            raise ValueError(f"unexpected header type {kind}")
    return (headers, msg[12 + hlen:-4]), rest


def hmac_sha256(key, text):
    return hmac.new(key, text.encode() if isinstance(text, str) else text, hashlib.sha256).digest()


def main():
    secret = sys.argv[1]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    sock.settimeout(30)
    print("PORT", sock.getsockname()[1], flush=True)
    report = {"messages": 0, "verified": 0, "errors": [], "payloads": [], "ended": False}
    deadline = time.time() + 30
    conn_sock, _ = sock.accept()
    conn_sock.settimeout(30)
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=False))
    conn.initiate_connection()
    conn_sock.sendall(conn.data_to_send())
    buf = b""
    prior = key = scope = None
    stream_id = None
    while time.time() < deadline and not report["ended"]:
        data = conn_sock.recv(65536)
        if not data:
            break
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.RequestReceived):
                stream_id = event.stream_id
                headers = {k.decode() if isinstance(k, bytes) else k: v.decode() if isinstance(v, bytes) else v
                           for k, v in event.headers}
                report["content_sha256"] = headers.get("x-amz-content-sha256")
                report["content_type"] = headers.get("content-type")
                auth = headers.get("authorization", "")
                cred = auth.split("Credential=")[1].split(",")[0]
                _, date, region, service, _ = cred.split("/")
                prior = auth.split("Signature=")[1].strip()
                scope = f"{date}/{region}/{service}/aws4_request"
                key = hmac_sha256(("AWS4" + secret).encode(), date)
                for part in (region, service, "aws4_request"):
                    key = hmac_sha256(key, part)
                conn.send_headers(stream_id, [(":status", "200"),
                                              ("content-type", "application/vnd.amazon.eventstream")])
            elif isinstance(event, h2.events.DataReceived):
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                buf += event.data
                while True:
                    msg, buf = parse(buf)
                    if msg is None:
                        break
                    headers, payload = msg
                    report["messages"] += 1
                    _, millis, date_bytes = headers[":date"]
                    sig = headers[":chunk-signature"][1]
                    amz = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(millis // 1000))
                    to_sign = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz, scope, prior,
                                         hashlib.sha256(date_bytes).hexdigest(),
                                         hashlib.sha256(payload).hexdigest()])
                    want = hmac_sha256(key, to_sign)
                    if want == sig:
                        report["verified"] += 1
                    else:
                        report["errors"].append(f"message {report['messages']}: bad signature")
                    prior = sig.hex()
                    if payload:
                        report["payloads"].append(payload.hex())
                        body = json.dumps({"Transcript": {"Results": [
                            {"ResultId": str(len(report["payloads"])), "IsPartial": False,
                             "Alternatives": [{"Transcript": f"{len(payload)} bytes"}]}]}}).encode()
                        conn.send_data(stream_id, frame([(":message-type", "event"),
                                                         (":event-type", "TranscriptEvent"),
                                                         (":content-type", "application/json")], body))
                    else:
                        report["ended"] = True
                        conn.send_data(stream_id, b"", end_stream=True)
            elif isinstance(event, h2.events.StreamEnded) and not report["ended"]:
                report["errors"].append("the request ended without the empty signed message")
                report["ended"] = True
                conn.send_data(stream_id, b"", end_stream=True)
        conn_sock.sendall(conn.data_to_send())
    time.sleep(0.2)
    conn_sock.close()
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
