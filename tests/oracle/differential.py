#!/usr/bin/env python3
"""Differential tests: every operation of a service, botocore against the
generated crate, on seeded inputs generated from the model.

    differential.py --model SMITHY.json --seeds SEEDS.json --harness BIN [--report OUT.json]

The Smithy model is converted to a botocore service description
(`smithy_botocore.py`), so botocore's serializer, parser and parameter
validation run on the very model the crate was generated from. `BIN` is the
harness built by `cargo xtask whole-services` (`codegen::harness`): it reads
cases on stdin and prints results (protocol in `codegen/src/harness/support.rs`).

Cases, per operation (counts and seed from SEEDS.json, keyed by model file name):

* requests: parameters generated from the input shape (every member type;
  lengths, ranges and enum values as modeled): one case with every member
  set, one with only the required members, then random subsets. botocore
  validates and serializes them; the harness reads botocore's body into the
  input type and serializes it again with `build_request`. Compared: method,
  path, host prefix, every header botocore sets (`X-Amz-Target`,
  `Content-Type`) and the body as a JSON value.
* responses: bodies generated from the output shape (all members, required
  only, random subsets, and "noise": unknown members, `null` for optional
  members, list items and map values, enum values the model does not know),
  compact, pretty-printed, ASCII-escaped or raw UTF-8. botocore parses them;
  the harness parses them with `parse_response` and writes the output back
  as JSON.
* errors: for every modeled error of the operation a body with `__type`
  (plain, `namespace#Code`, or with a `:http://...` suffix, picked by the
  seed), a message (`message` or `Message`, also when the error shape has
  no such member, as services send them) and the error's members; plus one error only other operations
  declare, and one code the model does not know. Compared: the code
  (botocore's `Error.Code`, ours `code()`), whether it is a modeled error of
  the operation and which, the message, and the error's members.

awsQuery services (STS, SNS) run the same cases through botocore's query
serializer and parser: request bodies are compared as form parameters
(equal as text, as numbers, as instants or as two generated UUIDs; map
entries matched by content, since the crate writes them sorted by key and
botocore in insertion order); response and error bodies are XML written here
from the generated values by the model's XML names (`XmlWriter`), without
the `empty` mode (an empty body is no XML document; botocore refuses it) and
with characters XML 1.0 cannot carry replaced; for errors botocore's query
parser gives the members as text only, so code, message and shape are
compared, not the members.

restJson1 services (Lambda, Bedrock Runtime) and restXml ones (S3) run the
same cases through botocore's rest-json or rest-xml serializer and parser. Requests: the harness reads the
input from its JSON form and builds the request; compared are the method,
the path exactly as encoded, the query parameters as a multiset (values
equal as text, numbers or instants), every header botocore sets (by value,
numbers and instants by what they denote) and no header beyond those and
`Content-Length`, and the body (JSON by value; a blob or string payload
byte for byte). Responses and errors are HTTP responses written here from
the generated values: header-bound members as headers (their strings kept
to printable ASCII without commas or quotes, which botocore's naive list
splitting and HTTP would not carry), the status code member as the status,
the payload member as the body, the rest as a JSON body under their JSON
names; an error's code goes in `X-Amzn-Errortype` or `__type`, by seed.
restXml bodies are XML written from the model (`XmlWriter`: attributes and
namespaces too); request bodies are read back by botocore's own XML parser
against the model on both sides and compared as values; errors are
`<Error>` documents, wrapped in `<ErrorResponse>` unless `noErrorWrapping`,
compared by code, message and shape (as for awsQuery). S3 `GetBucketLocation`
(`s3UnwrappedXmlOutput`, read by a botocore client handler, not its parser)
is not compared.

Normalisation (both sides, guided by the model): timestamps become epoch
seconds (a number, millisecond precision), blobs base64 of the bytes, floats
and doubles numbers (a Smithy float as the nearest 32-bit value, the
precision both sides hold; NaN and the infinities stay the strings they are
on the wire), enums their string (intEnums their number); idempotency tokens
that both sides generated (left unset by the caller) compare equal when both
are UUIDs. A member botocore leaves out but the crate writes is accepted,
and counted, only when the model gives it a non-null `@default` (or it is a
required output member: client error correction) and the crate's value is
exactly that default (or the zero value). A `null` item of a dense list or
value of a dense map, which botocore keeps as `None` and the crate drops, is
accepted and counted too, as is an error that only other operations declare:
botocore maps error codes to exception classes service-wide, the crate's
per-operation error enum returns it as `Unhandled` with the same code and
message. Everything else is a disagreement.
"""

import argparse
import base64
import datetime
import email.utils
import json
import math
import os
import random
import struct
import subprocess
import sys
import urllib.parse
import uuid
from xml.sax.saxutils import escape as xml_escape

try:
    import botocore
    import botocore.exceptions
    import botocore.handlers
    import botocore.model
    import botocore.parsers
    import botocore.serialize
    import botocore.session
except ImportError as e:  # pragma: no cover
    print(f"botocore is not importable: {e}", file=sys.stderr)
    sys.exit(3)

# No `__pycache__` beside the script in the repository.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from smithy_botocore import SmithyModel, compare_with_bundled, local_name  # noqa: E402

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
# Timestamps are drawn from 2000-01-01 to 2035-01-01, in milliseconds.
TS_LOW_MS = 946_684_800_000
TS_HIGH_MS = 2_051_222_400_000
# Some timestamps are before 1970 (from 1900-01-01).
TS_OLD_MS = -2_208_988_800_000
# Characters mixed into some strings: JSON escapes, multi-byte UTF-8, a
# surrogate pair, a control character and the JavaScript line separator;
# random code points from the whole Unicode range join them.
SPECIAL = ['"', "\\", "\n", "\t", "/", "\u00e9", "\u20ac", "\U0001F600", "\u0001", "\u2028", " "]
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
FLOAT_EXTREMES = {
    "float": [3.4028234663852886e38, -1.401298464324817e-45, 1.1754943508222875e-38, 16777217.0, 0.1, -0.0],
    "double": [1.7976931348623157e308, 5e-324, -2.2250738585072014e-308, 0.30000000000000004, 1e300, 1e-7, -0.0],
}
INT_BOUNDS = {
    "byte": (-(2**7), 2**7 - 1),
    "short": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
}
# Beyond this depth structures get only their required members, lists one item.
FULL_DEPTH = 8
# Past this many generated values in one case, the same (keeps SageMaker's
# deepest inputs in the tens of kilobytes).
BUDGET = 2500


# --------------------------------------------------------------------- values


class Generator:
    """Seeded values for one case. `mode` is `full`, `required`, `random` or
    `noise`; `wire` makes timestamps and blobs wire text instead of the
    Python values botocore takes as parameters."""

    # Values generated, by Smithy type and direction (for the summary).
    seen = {}

    def __init__(self, model, rng, mode, wire, direction=None):
        self.m = model
        self.rng = rng
        self.mode = mode
        self.wire = wire
        # For the summary; the query protocols generate responses as
        # Python values (wire=False) and write the XML themselves.
        self.direction = direction or ("responses" if wire else "requests")
        self.count = 0

    def lean(self, depth):
        return self.mode == "required" or depth >= FULL_DEPTH or self.count > BUDGET

    def structure(self, sid, depth):
        self.count += 1
        out = {}
        members = self.m.members(sid)
        if self.m.kind(sid) == "union":
            names = list(members)
            name = self.rng.choice(names)
            out[name] = self.member(members[name], depth + 1)
            return out
        for name, member in members.items():
            required = "smithy.api#required" in member.get("traits", {})
            if not required:
                if self.lean(depth):
                    continue
                if self.mode == "random" and self.rng.random() < (0.5 if depth < 2 else 0.7):
                    continue
                if self.mode == "noise" and self.rng.random() < 0.25:
                    out[name] = None
                    continue
            out[name] = self.member(member, depth + 1)
        if self.mode == "noise" and self.rng.random() < 0.5:
            out["UnmodeledMember" + str(self.rng.randint(0, 99))] = {"x": [1, "y", None]}
        return out

    def member(self, member, depth):
        target = member["target"]
        kind = self.m.kind(target)
        key = (self.direction, kind)
        Generator.seen[key] = Generator.seen.get(key, 0) + 1
        length = self.m.member_trait(member, "smithy.api#length") or {}
        rng_trait = self.m.member_trait(member, "smithy.api#range") or {}
        if "smithy.api#idempotencyToken" in member.get("traits", {}):
            return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        if kind in ("structure", "union"):
            return self.structure(target, depth)
        if kind in ("list", "set"):
            lo = length.get("min", 0)
            hi = length.get("max", lo + 3)
            if self.lean(depth):
                n = max(lo, 1)
            elif self.mode == "random":
                n = self.rng.randint(lo, lo + 2)
            else:
                n = max(lo, 2)
            n = min(n, hi)
            item = self.m.shape(target)["member"]
            out = [self.member(item, depth + 1) for _ in range(n)]
            if self.mode == "noise" and self.nullable(item) and self.rng.random() < 0.2:
                out.insert(self.rng.randint(0, len(out)), None)
            return out
        if kind == "map":
            shape = self.m.shape(target)
            lo = length.get("min", 0)
            hi = length.get("max", lo + 3)
            n = min(max(lo, 1 if self.lean(depth) else 2), hi)
            out = {}
            for _ in range(n * 3):
                if len(out) >= n:
                    break
                key = self.member(shape["key"], depth + 1)
                out[key] = self.member(shape["value"], depth + 1)
            if self.mode == "noise" and self.nullable(shape["value"]) and self.rng.random() < 0.2:
                out[self.string(1, 8)] = None
            return out
        self.count += 1
        if kind == "string" and "smithy.api#hostLabel" in member.get("traits", {}):
            # A host label: letters and digits only.
            return "".join(self.rng.choice(ALNUM) for _ in range(max(1, length.get("min", 1))))
        if kind == "string":
            text = self.string(length.get("min", 0), length.get("max"))
            if self.m.protocol == "rest-xml":
                # What XML 1.0 cannot carry is no value a restXml service takes.
                text = text.translate(XML_FORBIDDEN)
            return text
        if kind == "enum":
            if self.mode == "noise" and self.rng.random() < 0.1:
                return "SlimFutureValue"
            return self.rng.choice(self.m.enum_values(target))
        if kind == "intEnum":
            if self.mode == "noise" and self.rng.random() < 0.1:
                return 987654
            return self.rng.choice(self.m.enum_values(target))
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind in INT_BOUNDS:
            return self.integer(kind, rng_trait)
        if kind in ("float", "double"):
            return self.floating(kind, rng_trait)
        if kind == "timestamp":
            return self.timestamp(self.m.timestamp_format(member))
        if kind == "blob":
            lo = length.get("min", 0)
            hi = min(length.get("max", lo + 24), lo + 24)
            data = bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(lo, hi)))
            return base64.b64encode(data).decode() if self.wire else data
        if kind == "document":
            v = self.document(0)
            if v is None and "smithy.api#required" in member.get("traits", {}):
                # A required document set to null is no value at all (botocore
                # drops it before validating); keep the member set.
                return {}
            return v
        raise ValueError(f"cannot generate a {kind} ({target})")

    def nullable(self, member):
        """Whether botocore parses a `null` of this target (it fails on
        `null` timestamps and blobs, which services do not send)."""
        kinds = ("timestamp", "blob", "document")
        if self.m.protocol == "rest-json":
            # botocore's rest-json parser calls float() on a null as well.
            kinds += ("float", "double")
        return self.m.kind(member["target"]) not in kinds

    def string(self, lo, hi):
        if hi is None:
            hi = lo + 24
        top = min(hi, lo + 16)
        roll = self.rng.random()
        if roll < 0.1:
            n = lo
        elif roll < 0.2:
            n = min(hi, lo + 64)
        else:
            n = self.rng.randint(lo, top)
        chars = [self.rng.choice(ALNUM) for _ in range(n)]
        if n and self.rng.random() < 0.25:
            for _ in range(self.rng.randint(1, 3)):
                if self.rng.random() < 0.5:
                    c = self.rng.choice(SPECIAL)
                else:
                    lo_cp, hi_cp = self.rng.choice([(0x80, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x10FFFF)])
                    c = chr(self.rng.randint(lo_cp, hi_cp))
                chars[self.rng.randrange(n)] = c
        return "".join(chars)

    def integer(self, kind, trait):
        lo, hi = INT_BOUNDS[kind]
        lo = max(lo, int(trait.get("min", lo)))
        hi = min(hi, int(trait.get("max", hi)))
        roll = self.rng.random()
        if roll < 0.15:
            return lo
        if roll < 0.3:
            return hi
        if roll < 0.65:
            return self.rng.randint(max(lo, 0), min(hi, max(lo, 0) + 1000))
        return self.rng.randint(lo, hi)

    def floating(self, kind, trait):
        if not trait and self.rng.random() < 0.1:
            # Where no @range applies: the extremes of the type, values whose
            # shortest text is long, and the non-numbers (JSON strings on the wire).
            v = self.rng.choice(FLOAT_EXTREMES[kind] + [math.nan, math.inf, -math.inf])
            if self.wire and not math.isfinite(v):
                return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
            return v
        lo = float(trait.get("min", -1e6 if kind == "double" else -1e4))
        hi = float(trait.get("max", 1e6 if kind == "double" else 1e4))
        roll = self.rng.random()
        if roll < 0.1:
            v = lo
        elif roll < 0.2:
            v = hi
        elif roll < 0.35:
            v = float(round(self.rng.uniform(lo, hi)))
        else:
            v = round(self.rng.uniform(lo, hi), 2)
        return min(max(v, lo), hi)

    def timestamp(self, fmt):
        low = TS_OLD_MS if self.rng.random() < 0.05 else TS_LOW_MS
        if self.m.protocol == "smithy-rpc-v2-cbor" and self.direction == "requests":
            # botocore's CBOR serializer cannot write a timestamp before
            # 1970 (it raises OverflowError); responses still carry them.
            low = TS_LOW_MS
        ms = self.rng.randint(low, TS_HIGH_MS)
        if self.rng.random() < 0.4:
            ms -= ms % 1000
        if fmt == "http-date":
            ms -= ms % 1000
        if not self.wire:
            return EPOCH + datetime.timedelta(milliseconds=ms)
        value = encode_timestamp(ms, fmt)
        if isinstance(value, int) and self.rng.random() < 0.2:
            value = float(value)  # `1700000000.0`
        return value

    def document(self, depth):
        self.count += 1
        roll = self.rng.random()
        if depth >= 2 or roll < 0.5:
            return self.rng.choice(
                [
                    None,
                    True,
                    False,
                    self.rng.randint(-(2**63), 2**64 - 1),
                    self.rng.randint(0, 100),
                    round(self.rng.uniform(-1000, 1000), 3),
                    self.string(0, 12),
                ]
            )
        if roll < 0.75:
            return [self.document(depth + 1) for _ in range(self.rng.randint(0, 3))]
        return {self.string(1, 8): self.document(depth + 1) for _ in range(self.rng.randint(0, 3))}


def encode_timestamp(ms, fmt):
    """A timestamp (milliseconds since the epoch) as the wire text of `fmt`."""
    if fmt == "epoch-seconds":
        return ms // 1000 if ms % 1000 == 0 else ms / 1000
    when = EPOCH + datetime.timedelta(milliseconds=ms)
    if fmt == "date-time":
        text = when.strftime("%Y-%m-%dT%H:%M:%S")
        return text + (f".{ms % 1000:03d}Z" if ms % 1000 else "Z")
    return email.utils.format_datetime(when, usegmt=True)


# -------------------------------------------------------------- normalisation


def timestamp_ms(value):
    """Milliseconds since the epoch of a datetime, an epoch number, or an
    RFC 3339 or IMF-fixdate string."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        delta = value - EPOCH
        micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
        return round(micros / 1000)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(value * 1000)
    if isinstance(value, str):
        try:
            return timestamp_ms(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return timestamp_ms(email.utils.parsedate_to_datetime(value))
    raise ValueError(f"not a timestamp: {value!r}")


class Normaliser:
    """Brings a value of a shape into the common JSON form (see the module docs)."""

    def __init__(self, model):
        self.m = model

    def member(self, member, value):
        return self.shape(member["target"], value)

    def shape(self, sid, value):
        if value is None:
            return None
        kind = self.m.kind(sid)
        if kind in ("structure", "union"):
            members = self.m.members(sid)
            if not isinstance(value, dict):
                return {"$not_an_object": value}
            return {k: self.member(members[k], v) if k in members else {"$unmodeled": v} for k, v in value.items()}
        if kind in ("list", "set"):
            item = self.m.shape(sid)["member"]
            return [self.member(item, v) for v in value]
        if kind == "map":
            val = self.m.shape(sid)["value"]
            return {k: self.member(val, v) for k, v in value.items()}
        if kind == "timestamp":
            return timestamp_ms(value) / 1000
        if kind == "blob":
            if isinstance(value, str):
                value = base64.b64decode(value)
            return base64.b64encode(bytes(value)).decode()
        if kind in ("float", "double") and isinstance(value, (int, float)) and not isinstance(value, bool):
            if math.isnan(value) or math.isinf(value):
                # As JSON writes them (the crate's JSON form, botocore's
                # parsed floats).
                return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
            # A Smithy float is 32 bits: compared as the f32 both sides hold.
            return f32(value) if kind == "float" else float(value)
        return value

    def zero(self, member):
        """The value the crate gives a member the body left out: its
        `@default`, else (required output members) the zero value; `MISSING`
        when the crate leaves it unset."""
        has, default = self.m.default(member)
        if has:
            return self.member(member, default)
        kind = self.m.kind(member["target"])
        zeros = {
            "string": "",
            "enum": "",
            "boolean": False,
            "blob": "",
            "timestamp": 0.0,
            "list": [],
            "set": [],
            "map": {},
            "float": 0.0,
            "double": 0.0,
            "document": None,
        }
        if kind in zeros:
            return zeros[kind]
        if kind in INT_BOUNDS or kind == "intEnum":
            return 0
        if kind == "structure":
            out = {}
            for name, m in self.m.members(member["target"]).items():
                z = self.zero(m) if self.non_optional(member["target"], m) else MISSING
                if z is not MISSING:
                    out[name] = z
            return out
        return MISSING

    def non_optional(self, owner, member):
        """Whether the crate holds the member as a plain value (not `Option`)."""
        t = member.get("traits", {})
        if self.m.is_input(owner) or "smithy.api#clientOptional" in t:
            return False
        has, _ = self.m.default(member)
        return has or "smithy.api#required" in t


MISSING = object()

# The accepted differences, by class (see the module docs).
DEFAULTS = "absent members written with their @default"
NULLS = "null items of dense lists or maps dropped"
BOTH_REFUSED = "bodies both sides refuse to parse"
FOREIGN = "errors of other operations left Unhandled (botocore: its service-wide exception)"
EMPTY_PAYLOAD = "empty bodies read as an absent payload (botocore: an empty one)"
SHARED_CODE = "error codes two shapes share, read as the operation's own shape (botocore: one shape per code, service-wide)"
COARSE_SECONDS = "timestamps botocore's REST and CBOR serializers truncate to whole seconds"
EMPTY_LABEL = "empty labels refused before sending (botocore sends an empty path segment)"
PLACED_LABEL = "labels the endpoint rule set places (S3's bucket) left out of the path (botocore moves them in a handler)"
EMPTY_LIST_HEADER = "empty list headers sent empty, as the Smithy cases ask (botocore leaves them out)"
SHA_CHECKSUM = "SHA-1/SHA-256 request checksums refused before sending (no cryptographic hash in the default build)"
CRC_WITHOUT_CRT = "CRC32C/CRC64NVME checksums botocore computes only with awscrt, checked against the harness's own tables"
DOT_LABEL = "labels `.` or `..` refused before sending (botocore sends them; a server or proxy resolves them to another path)"
BAD_HEADER_NAME = "prefix-header names that are not HTTP header names refused before sending (botocore sends them)"
WRONG_LENGTH = "a `Content-Length` member that is not the body's length refused before sending (botocore sends it; the server then reads a cut or a stalled body)"

HEADER_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~")


def map_keys(value):
    """Every key of every map (JSON object) in a parameter tree."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from map_keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from map_keys(v)


class Differ:
    """Compares botocore's normalised value with ours, shape by shape."""

    def __init__(self, model, norm):
        self.m = model
        self.norm = norm
        # Accepted differences of the current case: (class, where).
        self.accepted = []
        # Whether botocore's side truncated epoch seconds (rest-json requests).
        self.coarse_seconds = False

    def diff(self, sid, boto, ours, path, tokens=False):
        """The first difference, or None. `tokens`: idempotency tokens that
        both sides generated compare equal."""
        kind = self.m.kind(sid)
        if kind in ("structure", "union") and isinstance(boto, dict) and isinstance(ours, dict):
            members = self.m.members(sid)
            for k, bv in boto.items():
                m = members.get(k)
                if k not in ours:
                    return f"{path}.{k}: missing, botocore has {json.dumps(bv)}"
                if m is None:
                    if bv != ours[k]:
                        return f"{path}.{k}: {json.dumps(ours[k])}, botocore has {json.dumps(bv)}"
                    continue
                if tokens and "smithy.api#idempotencyToken" in m.get("traits", {}):
                    if is_uuid(bv) and is_uuid(ours[k]):
                        continue
                d = self.diff(m["target"], bv, ours[k], f"{path}.{k}")
                if d:
                    return d
            for k, ov in ours.items():
                if k in boto:
                    continue
                m = members.get(k)
                if m is not None and self.norm.non_optional(sid, m):
                    z = self.norm.zero(m)
                    if z is not MISSING and z == ov:
                        self.accepted.append((DEFAULTS, f"{path}.{k}"))
                        continue
                return f"{path}.{k}: {json.dumps(ov)}, botocore has nothing"
            return None
        if kind in ("list", "set") and isinstance(boto, list) and isinstance(ours, list):
            if len(boto) != len(ours) and None in boto and not self.m.is_sparse(sid):
                dense = [b for b in boto if b is not None]
                if len(dense) == len(ours):
                    self.accepted.append((NULLS, path))
                    boto = dense
            if len(boto) != len(ours):
                return f"{path}: {len(ours)} items, botocore has {len(boto)}: {json.dumps(ours)[:200]} vs {json.dumps(boto)[:200]}"
            item = self.m.shape(sid)["member"]["target"]
            for i, (b, o) in enumerate(zip(boto, ours)):
                d = self.diff(item, b, o, f"{path}[{i}]")
                if d:
                    return d
            return None
        if kind == "map" and isinstance(boto, dict) and isinstance(ours, dict):
            nulls = [k for k, v in boto.items() if v is None and k not in ours]
            if nulls and not self.m.is_sparse(sid):
                self.accepted.append((NULLS, path))
                boto = {k: v for k, v in boto.items() if k not in nulls}
            if set(boto) != set(ours):
                return f"{path}: keys {sorted(ours)}, botocore has {sorted(boto)}"
            val = self.m.shape(sid)["value"]["target"]
            for k in boto:
                d = self.diff(val, boto[k], ours[k], f"{path}[{json.dumps(k)}]")
                if d:
                    return d
            return None
        if boto == ours and type(boto) is type(ours):
            return None
        if (
            kind == "timestamp"
            and self.m.protocol in ("rest-json", "rest-xml", "smithy-rpc-v2-cbor")
            and isinstance(boto, (int, float))
            and isinstance(ours, float)
            and boto == math.floor(ours)
            and self.coarse_seconds
        ):
            self.accepted.append((COARSE_SECONDS, path))
            return None
        if boto == ours and isinstance(boto, (int, float)) and not isinstance(boto, bool) and not isinstance(ours, bool):
            return None
        return f"{path}: {json.dumps(ours)[:300]}, botocore has {json.dumps(boto)[:300]}"


def f32(value):
    """The nearest 32-bit float (as a Python float); the infinities past its range."""
    try:
        return struct.unpack("<f", struct.pack("<f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)


def is_uuid(value):
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def to_jsonable(value):
    """botocore's parsed values, for reports: datetimes and bytes as text."""
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return value


# ------------------------------------------------------------ query protocols


def jsonable(value):
    """botocore parameters in the crate's JSON form: datetimes as epoch
    seconds, bytes as base64, the non-numbers as their strings."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.datetime):
        return timestamp_ms(value) / 1000
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def query_text(value):
    """A botocore query parameter value as the text it sends."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def query_value_equal(ours, boto):
    """Equal as text, as numbers (`1e-05` and `0.00001`), as instants
    (`...:00Z` and `...:00.000000Z`), or as two generated UUIDs."""
    if ours == boto:
        return True
    try:
        a, b = float(ours), float(boto)
        return a == b or (math.isnan(a) and math.isnan(b))
    except ValueError:
        pass
    try:
        return timestamp_ms(ours) == timestamp_ms(boto)
    except (ValueError, TypeError, IndexError):
        pass
    return is_uuid(ours) and is_uuid(boto)


def canonical_entries(params):
    """Form parameters with each map entry's number (`Map.entry.N.`)
    replaced by the entry's own content: map entries have no order, and the
    crate writes them sorted by key where botocore keeps insertion order."""
    groups = {}
    for k, v in params.items():
        head, sep, rest = k.partition(".entry.")
        if not sep:
            continue
        index, dot, tail = rest.partition(".")
        if index.isdigit() and dot:
            groups.setdefault((head, index), []).append((tail, v))
    out = {}
    for k, v in params.items():
        head, sep, rest = k.partition(".entry.")
        index, dot, tail = rest.partition(".")
        if sep and dot and (head, index) in groups:
            token = json.dumps(sorted(groups[(head, index)]), ensure_ascii=False)
            k = f"{head}.entry.<{token}>.{tail}"
        out[k] = v
    return out


def query_body_diff(ours, boto):
    """The first difference between two form bodies as parameter dicts."""
    ours, boto = canonical_entries(ours), canonical_entries(boto)
    if set(ours) != set(boto):
        return f"parameters: only ours {sorted(set(ours) - set(boto))[:10]}, only botocore's {sorted(set(boto) - set(ours))[:10]}"
    for k in sorted(boto):
        if not query_value_equal(ours[k], boto[k]):
            return f"{k}: {ours[k]!r}, botocore {boto[k]!r}"
    return None


# XML 1.0 cannot carry these characters, even as references.
XML_FORBIDDEN = {c: "?" for c in range(0x20) if c not in (0x9, 0xA, 0xD)}


class XmlWriter:
    """awsQuery response and error bodies from generated values, following
    the model's XML names, flattening and list and map member names."""

    def __init__(self, model):
        self.m = model
        self.ns = model.service.get("traits", {}).get("smithy.api#xmlNamespace", {}).get("uri", "")

    def text(self, value):
        return xml_escape(str(value).translate(XML_FORBIDDEN))

    def response(self, op, output_id, value):
        inner = self.structure(output_id, value) if output_id else ""
        return (f'<{op}Response xmlns="{self.ns}"><{op}Result>{inner}</{op}Result>'
                f"<ResponseMetadata><RequestId>slim-request-id</RequestId></ResponseMetadata></{op}Response>")

    def error(self, err_id, code, message, value):
        members = ""
        if err_id is not None:
            value = {k: v for k, v in value.items() if k.lower() != "message"}
            members = self.structure(err_id, value)
        return (f'<ErrorResponse xmlns="{self.ns}"><Error><Type>Sender</Type><Code>{self.text(code)}</Code>'
                f"<Message>{self.text(message)}</Message>{members}</Error>"
                f"<RequestId>slim-request-id</RequestId></ErrorResponse>")

    def attributes(self, sid, value):
        """The attribute members of a structure value, as ` name="v"` text,
        with the namespace declarations their prefixes need."""
        if self.m.kind(sid) != "structure" or not isinstance(value, dict):
            return ""
        out = []
        for name, member in self.m.members(sid).items():
            t = member.get("traits", {})
            if "smithy.api#xmlAttribute" not in t or value.get(name) is None:
                continue
            tag = t.get("smithy.api#xmlName", name)
            ns = t.get("smithy.api#xmlNamespace")
            if ns and "prefix" in ns:
                out.append(f' xmlns:{ns["prefix"]}="{ns["uri"]}"')
            text = self.value(member, value[name]).replace('"', "&quot;")
            out.append(f' {tag}="{text}"')
        return "".join(out)

    def element(self, tag, member, v):
        """The element `tag` holding `v`, a value of the member's target,
        declaring the member's `@xmlNamespace`."""
        ns = member.get("traits", {}).get("smithy.api#xmlNamespace")
        decl = ""
        if ns:
            decl = f' xmlns:{ns["prefix"]}="{ns["uri"]}"' if ns.get("prefix") else f' xmlns="{ns["uri"]}"'
        return f"<{tag}{decl}{self.attributes(member['target'], v)}>{self.value(member, v)}</{tag}>"

    def structure(self, sid, value):
        members = self.m.members(sid)
        out = []
        for name, v in value.items():
            if v is None:
                continue
            member = members.get(name)
            if member is None:
                out.append(f"<{name}>{self.anything(v)}</{name}>")
                continue
            if "smithy.api#xmlAttribute" in member.get("traits", {}):
                continue
            tag = member.get("traits", {}).get("smithy.api#xmlName", name)
            flat = "smithy.api#xmlFlattened" in member.get("traits", {})
            target = member["target"]
            kind = self.m.kind(target)
            if kind in ("list", "set") and flat:
                item = self.m.shape(target)["member"]
                out.extend(self.element(tag, item, x) for x in v if x is not None)
            elif kind == "map" and flat:
                out.extend(f"<{tag}>{self.entry(target, k, x)}</{tag}>" for k, x in v.items() if x is not None)
            else:
                out.append(self.element(tag, member, v))
        return "".join(out)

    def entry(self, map_id, key, value):
        shape = self.m.shape(map_id)
        kt = shape["key"].get("traits", {}).get("smithy.api#xmlName", "key")
        vt = shape["value"].get("traits", {}).get("smithy.api#xmlName", "value")
        return f"<{kt}>{self.value(shape['key'], key)}</{kt}>{self.element(vt, shape['value'], value)}"

    def value(self, member, v):
        """The content of an element holding `v` (a value of the member's target)."""
        target = member["target"]
        kind = self.m.kind(target)
        if kind in ("structure", "union"):
            return self.structure(target, v)
        if kind in ("list", "set"):
            item = self.m.shape(target)["member"]
            tag = item.get("traits", {}).get("smithy.api#xmlName", "member")
            return "".join(self.element(tag, item, x) for x in v if x is not None)
        if kind == "map":
            return "".join(f"<entry>{self.entry(target, k, x)}</entry>" for k, x in v.items() if x is not None)
        if kind == "boolean":
            return "true" if v else "false"
        if kind in ("float", "double"):
            if math.isnan(v):
                return "NaN"
            if math.isinf(v):
                return "Infinity" if v > 0 else "-Infinity"
            return repr(float(v))
        if kind == "timestamp":
            return self.text(encode_timestamp(timestamp_ms(v), self.m.timestamp_format(member)))
        if kind == "blob":
            return base64.b64encode(v).decode()
        return self.text(v)

    def anything(self, v):
        """Unmodeled content ("noise"): nested elements of any shape."""
        if isinstance(v, dict):
            return "".join(f"<{k}>{self.anything(x)}</{k}>" for k, x in v.items())
        if isinstance(v, list):
            return "".join(f"<member>{self.anything(x)}</member>" for x in v)
        return "" if v is None else self.text(v)


# ----------------------------------------------------------------------- run


# ------------------------------------------------------------ RPC v2 CBOR


def cbor_head(major, n):
    """The head of a CBOR data item: major type and argument (RFC 8949)."""
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError(f"{n} does not fit a CBOR head")


def cbor_any(value):
    """A value no shape describes (unknown members, `__type`), in CBOR."""
    if value is None:
        return b"\xf6"
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return cbor_head(0, value) if value >= 0 else cbor_head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return cbor_head(3, len(data)) + data
    if isinstance(value, (bytes, bytearray)):
        return cbor_head(2, len(value)) + bytes(value)
    if isinstance(value, list):
        return cbor_head(4, len(value)) + b"".join(cbor_any(v) for v in value)
    if isinstance(value, dict):
        return cbor_head(5, len(value)) + b"".join(cbor_any(k) + cbor_any(v) for k, v in value.items())
    raise ValueError(f"no CBOR form for {value!r}")


class CborWriter:
    """Response and error bodies in CBOR. Scalars are written by botocore's
    own serializer; containers are walked here so that unknown members and
    nulls can be sent, and timestamps keep their milliseconds (tag 1 over a
    double, or an integer when whole), which botocore's serializer, made for
    requests, would truncate."""

    def __init__(self):
        self.ser = botocore.serialize.RpcV2CBORSerializer()

    def body(self, value, shape):
        buf = bytearray()
        self.value(buf, value, shape)
        return bytes(buf)

    def value(self, buf, value, shape):
        if value is None:
            buf.extend(b"\xf6")
            return
        kind = shape.type_name
        if kind == "structure":
            buf.extend(cbor_head(5, len(value)))
            for k, v in value.items():
                m = shape.members.get(k)
                if m is None:
                    buf.extend(cbor_any(k) + cbor_any(v))
                else:
                    buf.extend(cbor_any(m.serialization.get("name", k)))
                    self.value(buf, v, m)
        elif kind == "list":
            buf.extend(cbor_head(4, len(value)))
            for v in value:
                self.value(buf, v, shape.member)
        elif kind == "map":
            buf.extend(cbor_head(5, len(value)))
            for k, v in value.items():
                buf.extend(cbor_any(k))
                self.value(buf, v, shape.value)
        elif kind == "timestamp":
            ms = timestamp_ms(value)
            seconds = ms // 1000 if ms % 1000 == 0 else ms / 1000
            buf.extend(b"\xc1" + cbor_any(seconds))
        else:
            self.ser._serialize_data_item(buf, value, shape)


def body_bytes(body):
    """A case's body as bytes (CBOR bodies are bytes, the others text)."""
    return bytes(body) if isinstance(body, (bytes, bytearray)) else body.encode("utf-8")


class Run:
    """One model: the cases, botocore's side of each, the harness's side, the verdicts."""

    def __init__(self, m, seed, random_cases):
        self.m = m
        self.seed = seed
        self.random_cases = random_cases
        self.service_model = botocore.model.ServiceModel(m.to_botocore(), service_name=m.target_prefix.lower())
        self.query = m.protocol == "query"
        self.rest = m.protocol in ("rest-json", "rest-xml")
        self.rest_xml = m.protocol == "rest-xml"
        self.cbor = m.protocol == "smithy-rpc-v2-cbor"
        self.cbor_writer = CborWriter()
        self.serializer = botocore.serialize.create_serializer(m.protocol, include_validation=True)
        self.parser = botocore.parsers.create_parser(m.protocol)
        self.xml = XmlWriter(m)
        self.norm = Normaliser(m)
        self.differ = Differ(m, self.norm)
        self.all_errors = {e for op in m.operations for e in m.op_errors(op)}
        self.cases = []
        self.invalid = []

    def rng(self, *parts):
        return random.Random(":".join(str(p) for p in (self.seed,) + parts))

    def add(self, op, direction, mode, case_id, kind, body, boto, **extra):
        self.cases.append({"id": case_id, "op": op, "dir": direction, "mode": mode, "kind": kind, "body": body, "boto": boto, **extra})

    def request_cases(self, op):
        op_model = self.service_model.operation_model(op)
        input_id = self.m.op_input(op)
        modes = ["full", "required"] + ["random"] * self.random_cases if input_id else ["unit"]
        for i, mode in enumerate(modes):
            case_id = f"{op}/request/{mode}/{i}"
            params = {}
            if input_id:
                params = Generator(self.m, self.rng(op, "request", i), mode, wire=False).structure(input_id, 0)
            # What botocore's client does before serializing: fill unset tokens.
            botocore.handlers.generate_idempotent_uuid(params, op_model)
            # The harness reads the input from its JSON form, without what
            # botocore fills in next.
            ours_body = json.dumps(self.m_json_form(input_id, jsonable(params))) if input_id else "{}"
            # Response checksums are asked for unless the caller said
            # otherwise (botocore's `when_supported`).
            mode_member = op_model.http_checksum.get("requestValidationModeMember")
            if mode_member:
                params.setdefault(mode_member, "ENABLED")
            try:
                req = self.serializer.serialize_to_request(params, op_model)
            except botocore.exceptions.ParamValidationError as e:
                self.invalid.append({"id": case_id, "error": str(e)})
                continue
            if self.rest:
                req["checksum_note"] = apply_botocore_checksum(req, op_model, params)
                self.add(op, "request", mode, case_id, "request", ours_body, req)
                continue
            if self.query:
                # botocore's body is the parameter dict it form-encodes; the
                # harness reads the input from its JSON form.
                req["body"] = {k: query_text(v) for k, v in req["body"].items()}
                self.add(op, "request", mode, case_id, "request", json.dumps(jsonable(params)), req)
                continue
            if self.cbor:
                # The harness reads the input from its JSON form.
                self.add(op, "request", mode, case_id, "request", ours_body, req)
                continue
            req["body"] = req["body"].decode("utf-8")
            self.add(op, "request", mode, case_id, "request", req["body"], req)

    def response_cases(self, op):
        op_model = self.service_model.operation_model(op)
        output_id = self.m.op_output(op)
        # An empty body is no XML document: query services never send one
        # (botocore refuses it), so query services get the envelope only.
        unit_modes = ["unit"] if self.query else ["unit", "empty"]
        modes = ["full", "required", "noise"] + ["random"] * self.random_cases if output_id else unit_modes
        for i, mode in enumerate(modes):
            if self.rest:
                gen = Generator(self.m, self.rng(op, "response", i), mode, wire=not self.rest_xml, direction="responses")
                value = gen.structure(output_id, 0) if output_id else {}
                respond = self.rest_xml_response if self.rest_xml else self.rest_response
                status, headers, body = respond(output_id, value, self.m.http(op).get("code", 200), gen.rng)
                if not output_id and mode == "unit":
                    body = "{}"
                self.add_rest_response(op, mode, i, status, headers, body)
                continue
            if output_id and self.query:
                gen = Generator(self.m, self.rng(op, "response", i), mode, wire=False, direction="responses")
                value = gen.structure(output_id, 0)
                body = self.xml.response(op, output_id, value)
            elif output_id and self.cbor:
                gen = Generator(self.m, self.rng(op, "response", i), mode, wire=False, direction="responses")
                value = gen.structure(output_id, 0)
                body = self.cbor_writer.body(value, op_model.output_shape)
            elif self.cbor:
                body = b"\xa0" if mode == "unit" else b""
            elif output_id:
                gen = Generator(self.m, self.rng(op, "response", i), mode, wire=True)
                value = gen.structure(output_id, 0)
                ascii_only = gen.rng.random() < 0.5
                indent = 2 if gen.rng.random() < 0.25 else None
                body = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
            elif self.query:
                body = self.xml.response(op, None, {}) if mode == "unit" else ""
            else:
                body = "{}" if mode == "unit" else ""
            response = {"status_code": 200, "headers": {}, "body": body_bytes(body), "context": {"operation_name": op}}
            try:
                parsed = self.parser.parse(response, op_model.output_shape)
                parsed.pop("ResponseMetadata", None)
                boto = {"ok": True, "parsed": parsed}
            except Exception as e:  # botocore raises several types here
                boto = {"ok": False, "error": f"{type(e).__name__}: {e}"}
            self.add(op, "response", mode, f"{op}/response/{mode}/{i}", "response", body, boto)

    def error_cases(self, op):
        """Every modeled error, one error only other operations declare (when
        there is one), then one code the model does not know."""
        op_model = self.service_model.operation_model(op)
        namespace = self.m.service_id.split("#")[0]
        own = self.m.op_errors(op)
        foreign = sorted(self.all_errors - set(own))
        errors = [(e, "modeled") for e in own]
        if foreign:
            errors.append((self.rng(op, "error", "foreign").choice(foreign), "foreign"))
        errors.append((None, "unmodeled"))
        for i, (err_id, mode) in enumerate(errors):
            rng = self.rng(op, "error", i)
            if err_id is None:
                code, status, value = "SlimUnmodeledTestException", 400, {"message": "not in the model"}
            else:
                code = self.m.error_code(err_id)
                traits = self.m.traits(err_id)
                status = traits.get("smithy.api#httpError") or (400 if traits["smithy.api#error"] == "client" else 500)
                value = Generator(self.m, rng, "full", wire=not (self.query or self.cbor)).structure(err_id, 0)
            if self.query:
                body = self.xml.error(err_id, code, f"{code} happened (case {i})", value)
                self.add_error(op, op_model, mode, code, i, status, body, err_id)
                continue
            wire_code = rng.choice([
                code,
                f"{namespace}#{code}",
                f"{code}:http://internal.amazon.com/coral/com.amazon.coral.validate/",
                f"{namespace}#{code}:http://internal.amazon.com/coral/",
            ])
            if self.rest_xml:
                headers = []
                members = ""
                if err_id is not None:
                    value = {k: v for k, v in value.items() if k.lower() != "message"}
                    _, headers, _ = self.rest_xml_response(err_id, value, status, rng)
                    members = self.xml.structure(err_id, {k: v for k, v in value.items() if self.m.location(self.m.members(err_id).get(k, {})) is None})
                message = f"{code} happened (case {i})"
                error = (f"<Error><Type>Sender</Type><Code>{self.xml.text(code)}</Code>"
                         f"<Message>{self.xml.text(message)}</Message>{members}"
                         f"<RequestId>slim-request-id</RequestId></Error>")
                wrapped = not self.m.service.get("traits", {}).get("aws.protocols#restXml", {}).get("noErrorWrapping", False)
                body = f"<ErrorResponse>{error}</ErrorResponse>" if wrapped else error
                self.add_error(op, op_model, mode, code, i, status, body, err_id, headers)
                continue
            if self.rest:
                if err_id is not None and not any(k.lower() == "message" for k in value):
                    value = {**value, rng.choice(["message", "Message"]): f"{code} happened (case {i})"}
                if err_id is None:
                    _, headers, body = 400, [], json.dumps(value)
                else:
                    _, headers, body = self.rest_response(err_id, value, status, rng)
                    body = body or "{}"
                if rng.random() < 0.5:
                    headers = headers + [["X-Amzn-Errortype", wire_code]]
                else:
                    doc = json.loads(body)
                    body = json.dumps({"__type": wire_code, **doc})
                self.add_error(op, op_model, mode, code, i, status, body, err_id, headers)
                continue
            # As services send them: the code, a message whatever the
            # shape's members (SQS and SSM errors without a message member
            # still carry one), and the shape's members.
            if err_id is not None and not any(k.lower() == "message" for k in value):
                value = {**value, rng.choice(["message", "Message"]): f"{code} happened (case {i})"}
            if self.cbor:
                shape = self.service_model.shape_for(self.m.name(err_id)) if err_id else None
                fields = {"__type": wire_code, **value}
                body = self.cbor_writer.body(fields, shape) if shape else cbor_any(fields)
            else:
                body = json.dumps({"__type": wire_code, **value})
            self.add_error(op, op_model, mode, code, i, status, body, err_id)

    def add_error(self, op, op_model, mode, code, i, status, body, err_id, headers=()):
        """An error case with botocore's side: what its client does, the
        generic error, then the modeled shape of its code parsed from the
        same body. Under awsQuery botocore's parser gives a modeled error's
        members as text only, so they are not compared."""
        response = {"status_code": status, "headers": header_dict(headers), "body": body_bytes(body), "context": {"operation_name": op}}
        members = None
        try:
            parsed = self.parser.parse(response, op_model.output_shape)
            boto_code = parsed["Error"]["Code"]
            shape = self.service_model.shape_for_error_code(boto_code)
            members = None
            if shape is not None and not self.query and not self.rest_xml:
                members = self.parser.parse(response, shape)
            boto = {
                "ok": True,
                "code": boto_code,
                "message": parsed["Error"].get("Message", ""),
                "shape": shape.name if shape else None,
                "op_errors": [e.name for e in op_model.error_shapes],
                "members": read_streams(members) if members is not None else None,
            }
        except Exception as e:  # botocore raises several types here
            boto = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        self.add(op, "error", mode, f"{op}/error/{code}/{i}", f"error:{status}", body, boto, error_id=err_id, headers=list(headers))

    # -------------------------------------------------------- restJson1

    def m_json_form(self, sid, value):
        """A value keyed by member names, keyed by JSON names (`@jsonName`)."""
        return self._rename(sid, value, to_json=True)

    def m_member_form(self, sid, value):
        """A value keyed by JSON names (the crate's JSON form), keyed by member names."""
        return self._rename(sid, value, to_json=False)

    def _rename(self, sid, value, to_json):
        if value is None:
            return None
        kind = self.m.kind(sid)
        if kind in ("structure", "union") and isinstance(value, dict):
            members = self.m.members(sid)
            names = {n: self.m.json_name(mm, n) for n, mm in members.items()}
            if not to_json:
                names = {j: n for n, j in names.items()}
            out = {}
            for k, v in value.items():
                key = names.get(k, k)
                member = members.get(key if not to_json else k)
                out[key] = self._rename(member["target"], v, to_json) if member else v
            return out
        if kind in ("list", "set") and isinstance(value, list):
            item = self.m.shape(sid)["member"]["target"]
            return [self._rename(item, v, to_json) for v in value]
        if kind == "map" and isinstance(value, dict):
            val = self.m.shape(sid)["value"]["target"]
            return {k: self._rename(val, v, to_json) for k, v in value.items()}
        return value

    def header_text(self, member, v):
        """A generated wire value as header text."""
        kind = self.m.kind(member["target"])
        if kind in ("list", "set"):
            item = self.m.shape(member["target"])["member"]
            return ", ".join(self.header_text(item, x) for x in v if x is not None)
        if kind == "boolean":
            return "true" if v else "false"
        if kind == "string" and self.m.member_trait(member, "smithy.api#mediaType"):
            return base64.b64encode(v.encode("utf-8")).decode()
        return str(v)

    def header_safe(self, member, v):
        """A generated header value HTTP and botocore's list splitting can carry."""
        kind = self.m.kind(member["target"])
        if kind in ("list", "set"):
            item = self.m.shape(member["target"])["member"]
            return [self.header_safe(item, x) for x in v if x is not None]
        if kind == "string":
            text = "".join(c if " " <= c <= "~" and c not in ',"' else "x" for c in v).strip()
            return text or "x"
        return v

    def split_response(self, sid, value, status, wire):
        """The parts of a REST response carrying `value` (keyed by member
        names; in wire form with `wire`, else as botocore parameters):
        `(headers, body members, payload)`, the payload `(name, member,
        value)` or None. Header-bound values are made header-safe in
        `value` itself, and the status code member set to `status`, so
        both sides see what was sent."""
        headers = []
        body_members = {}
        payload = None
        members = self.m.members(sid) if sid else {}
        for name in list(value):
            member = members.get(name)
            v = value[name]
            where = self.m.location(member) if member else None
            if v is None and where is not None:
                del value[name]
                continue
            if where == "header":
                value[name] = v = self.header_safe(member, v)
                if self.m.kind(member["target"]) in ("list", "set") and not v:
                    del value[name]
                    continue
                text = self.header_text(member, v if wire else self.wire_scalar(member, v))
                headers.append([member["traits"]["smithy.api#httpHeader"], text])
            elif where == "headers":
                prefix = member["traits"]["smithy.api#httpPrefixHeaders"]
                safe = {}
                for k, x in v.items():
                    k = "".join(c for c in k if c.isalnum() or c == "-") or "k"
                    if x is not None:
                        safe[k] = self.header_safe({"target": "smithy.api#String"}, x)
                value[name] = safe
                headers.extend([prefix + k, x] for k, x in safe.items())
            elif where == "statusCode":
                value[name] = status
            elif where == "payload":
                payload = (name, member, v)
            else:
                body_members[name] = v
        return headers, body_members, payload

    def payload_body(self, value, payload, raw_of, structured):
        """The body of a response with a payload member: a blob as
        printable ASCII bytes (the harness takes text; `raw_of` gives the
        generated bytes, and the value is rewritten to what was sent), a
        string as it is, anything else through `structured`."""
        name, member, v = payload
        kind = self.m.kind(member["target"])
        if kind == "blob":
            raw = bytes(32 + b % 95 for b in raw_of(v))
            value[name] = raw if isinstance(v, (bytes, bytearray)) else base64.b64encode(raw).decode()
            return raw.decode("ascii")
        if kind in ("string", "enum"):
            return v
        return structured(member, v)

    def rest_response(self, sid, value, status, rng):
        """(status, headers, body) of a restJson1 response carrying `value`
        (generated in wire form): see `split_response`; the other members
        as a JSON body under their JSON names."""
        headers, body_members, payload = self.split_response(sid, value, status, wire=True)
        members = self.m.members(sid) if sid else {}
        if payload is not None:
            body = self.payload_body(
                value, payload, base64.b64decode,
                lambda member, v: json.dumps(self.m_json_form(member["target"], v)))
        elif any(self.m.location(mm) == "payload" for mm in members.values()):
            # An absent payload is an empty body.
            body = ""
        elif sid and (body_members or rng.random() < 0.5):
            body = json.dumps(self.m_json_form(sid, body_members))
        else:
            body = ""
        return status, headers, body

    def rest_xml_response(self, sid, value, status, rng):
        """(status, headers, body) of a restXml response carrying `value`
        (generated as botocore parameters): see `split_response`; the
        payload member or the other members as an XML document."""
        headers, body_members, payload = self.split_response(sid, value, status, wire=False)
        members = self.m.members(sid) if sid else {}

        def element(member, v):
            tag = (member.get("traits", {}).get("smithy.api#xmlName")
                   or self.m.traits(member["target"]).get("smithy.api#xmlName")
                   or local_name(member["target"]))
            return self.xml.element(tag, member, v)

        if payload is not None:
            body = self.payload_body(value, payload, bytes, element)
        elif any(self.m.location(mm) == "payload" for mm in members.values()):
            body = ""
        elif sid and (body_members or rng.random() < 0.5):
            root = self.m.traits(sid).get("smithy.api#xmlName", local_name(sid))
            ns = f' xmlns="{self.xml.ns}"' if self.xml.ns else ""
            body = f"<{root}{ns}>{self.xml.structure(sid, body_members)}</{root}>"
        else:
            body = ""
        return status, headers, body

    def wire_scalar(self, member, v):
        """A botocore parameter value as its wire form, for header text."""
        kind = self.m.kind(member["target"])
        if kind in ("list", "set"):
            item = self.m.shape(member["target"])["member"]
            return [self.wire_scalar(item, x) for x in v]
        if kind == "timestamp":
            return encode_timestamp(timestamp_ms(v), self.m.timestamp_format(member))
        if kind == "blob":
            return base64.b64encode(v).decode()
        if kind in ("float", "double") and isinstance(v, float) and not math.isfinite(v):
            return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
        return v

    def add_rest_response(self, op, mode, i, status, headers, body):
        op_model = self.service_model.operation_model(op)
        response = {"status_code": status, "headers": header_dict(headers), "body": body.encode("utf-8"), "context": {"operation_name": op}}
        notes = []
        try:
            parsed = read_streams(self.parser.parse(response, op_model.output_shape))
            parsed.pop("ResponseMetadata", None)
            sid = self.m.op_output(op)
            # botocore's `handle_expires_header` (an S3 handler, which the
            # parser alone does not run): the `Expires` header's text in
            # `ExpiresString`, as the crate's customisation adds it.
            expires = response["headers"].get("Expires")
            if self.m.service_id == "com.amazonaws.s3#AmazonS3" and op in ("GetObject", "HeadObject") and expires is not None:
                parsed["ExpiresString"] = expires
            payload = sid and next((n for n, mm in self.m.members(sid).items() if self.m.location(mm) == "payload"), None)
            if payload in parsed and self.m.kind(self.m.members(sid)[payload]["target"]) in ("structure", "union") and not body and parsed[payload] == {}:
                # botocore reads an empty body as an empty structure payload.
                del parsed[payload]
                notes.append(EMPTY_PAYLOAD)
            if payload in parsed and self.m.kind(self.m.members(sid)[payload]["target"]) in ("blob", "string", "enum"):
                if not body:
                    # botocore reads an empty body as an empty payload; the
                    # crate, as an absent one.
                    del parsed[payload]
                    notes.append(EMPTY_PAYLOAD)
                elif isinstance(parsed[payload], str) and self.m.kind(self.m.members(sid)[payload]["target"]) == "blob":
                    # botocore gives a blob payload as the body's text.
                    parsed[payload] = parsed[payload].encode("utf-8")
            boto = {"ok": True, "parsed": parsed}
        except Exception as e:  # botocore raises several types here
            boto = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        kind = "response" if status == 200 else f"response:{status}"
        self.add(op, "response", mode, f"{op}/response/{mode}/{i}", kind, body, boto, headers=headers, notes=notes)

    def compare_rest_request(self, c, ours):
        m, boto = self.m, c["boto"]
        if not ours.get("ok") and "is not computed here" in ours.get("error", "") and boto.get("checksum_note") == "sha":
            self.differ.accepted.append((SHA_CHECKSUM, c["id"]))
            return None
        if not ours.get("ok"):
            labels = [n for n, mm in m.members(m.op_input(c["op"]) or "smithy.api#Unit").items() if m.location(mm) == "uri"]
            params = json.loads(c["body"])
            if "cannot be empty" in ours.get("error", "") and any(params.get(m.json_name(m.members(m.op_input(c["op"]))[n], n)) == "" for n in labels):
                self.differ.accepted.append((EMPTY_LABEL, c["id"]))
                return None
            label_values = [params.get(m.json_name(m.members(m.op_input(c["op"]))[n], n)) for n in labels]
            if "cannot be `." in ours.get("error", "") and any(v in (".", "..") for v in label_values):
                self.differ.accepted.append((DOT_LABEL, c["id"]))
                return None
            error = ours.get("error", "")
            if "`Content-Length` is " in error and "but the body is" in error and "ContentLength" in params:
                self.differ.accepted.append((WRONG_LENGTH, c["id"]))
                return None
            bad_names = [k for k in map_keys(params) if not set(k) <= HEADER_NAME_CHARS]
            if "is not an HTTP header name" in ours.get("error", "") and bad_names:
                self.differ.accepted.append((BAD_HEADER_NAME, c["id"]))
                return None
            return f"ours failed: {ours.get('error')}"
        if ours["method"] != boto["method"]:
            return f"method {ours['method']}, botocore {boto['method']}"
        path, _, query = ours["uri"].partition("?")
        bpath, _, bquery = boto["url_path"].partition("?")
        if path != bpath:
            # A label that is an endpoint parameter (S3's bucket) is left to
            # the rule set, which writes it into the endpoint URL; botocore
            # keeps it in the path and moves it in a client handler.
            params = json.loads(c["body"])
            sid = m.op_input(c["op"])
            placed = m.url_params()
            for name, member in (m.members(sid).items() if sid else []):
                context = member.get("traits", {}).get("smithy.rules#contextParam", {})
                if m.location(member) == "uri" and context.get("name") in placed:
                    value = params.get(m.json_name(member, name))
                    if isinstance(value, str):
                        segment = "/" + urllib.parse.quote(value, safe="~")
                        if bpath.startswith(segment):
                            # The rest of the path; nothing when the bucket
                            # was all of it (the endpoint is then the path).
                            bpath = bpath[len(segment):]
                            if bpath and not bpath.startswith("/"):
                                bpath = "/" + bpath
                            self.differ.accepted.append((PLACED_LABEL, c["id"]))
            if path != bpath:
                return f"path {path}, botocore {bpath}"
        want = urllib.parse.parse_qsl(bquery, keep_blank_values=True)
        for k, v in boto["query_string"].items():
            for x in v if isinstance(v, list) else [v]:
                want.append((k, query_text(x) if not isinstance(x, datetime.datetime) else x.isoformat()))
        got = urllib.parse.parse_qsl(query, keep_blank_values=True)
        if sorted(k for k, _ in got) != sorted(k for k, _ in want):
            return f"query {sorted(got)}, botocore {sorted(want)}"
        for key in {k for k, _ in want}:
            gv = [v for k, v in got if k == key]
            wv = [v for k, v in want if k == key]
            if len(gv) != len(wv) or not all(query_value_equal(a, b) for a, b in zip(gv, wv)):
                return f"query {key}: {gv}, botocore {wv}"
        sent = {k.lower() for k, _ in ours["headers"]}
        ours_body = ours["body"].encode("utf-8") if "body" in ours else bytes(ours["body_bytes"])
        for k, v in boto["headers"].items():
            mine = header(ours["headers"], k)
            if mine is None:
                return f"header {k}: missing, botocore {v!r}"
            computed = mine != v and k.lower().startswith("x-amz-checksum-")
            if computed and k.lower()[len("x-amz-checksum-"):] in CHECKSUM_ALGORITHMS:
                # Each side's checksum of its own body (the bodies may be
                # written differently), by botocore's own checksum classes.
                if boto.get("checksum_note") == "crt":
                    self.differ.accepted.append((CRC_WITHOUT_CRT, c["id"]))
                want = checksum_of(k.lower()[len("x-amz-checksum-"):], ours_body)
                if mine != want:
                    return f"header {k}: {mine!r}, the checksum of our body is {want!r}"
                continue
            if mine != v and not header_value_equal(mine, v):
                if header_value_equal(mine.replace(", ", ","), v):
                    # A list: `a, b` and `a,b` are the same header.
                    continue
                if whole_seconds(mine) == v:
                    self.differ.accepted.append((COARSE_SECONDS, f"header {k}"))
                    continue
                return f"header {k}: {mine!r}, botocore {v!r}"
        extra = sent - {k.lower() for k in boto["headers"]} - {"content-length", "content-type"}
        empty = {k for k in extra if header(ours["headers"], k) == ""}
        if empty:
            self.differ.accepted.append((EMPTY_LIST_HEADER, c["id"]))
            extra -= empty
        if extra:
            return f"headers {sorted(extra)} that botocore does not send"
        sid = m.op_input(c["op"])
        bbody = boto["body"]
        if isinstance(bbody, str):
            bbody = bbody.encode("utf-8")
        mine = ours["body"].encode("utf-8") if "body" in ours else bytes(ours["body_bytes"])
        payload = None
        if sid is not None:
            payload = next(((n, mm) for n, mm in m.members(sid).items() if m.location(mm) == "payload"), None)
        if payload is not None and m.kind(payload[1]["target"]) in ("blob", "string", "enum"):
            return None if mine == bytes(bbody) else f"payload {mine[:200]!r}, botocore {bytes(bbody)[:200]!r}"
        if self.rest_xml:
            return self.compare_xml_bodies(sid, payload, bytes(bbody), mine)
        bjson = json.loads(bbody) if bbody else None
        ojson = json.loads(mine) if mine else None
        self.differ.coarse_seconds = True
        try:
            if payload is not None:
                target = payload[1]["target"]
                b, o = self.m_member_form(target, bjson), self.m_member_form(target, ojson)
                return self.differ.diff(target, self.norm.shape(target, b), self.norm.shape(target, o), "$payload", tokens=True)
            if sid is None or bjson is None or ojson is None:
                return None if bjson == ojson else f"body {mine[:200]!r}, botocore {bytes(bbody)[:200]!r}"
            b, o = self.m_member_form(sid, bjson), self.m_member_form(sid, ojson)
            return self.differ.diff(sid, self.norm.shape(sid, b), self.norm.shape(sid, o), "$", tokens=True)
        finally:
            self.differ.coarse_seconds = False

    def compare_xml_bodies(self, sid, payload, bbody, mine):
        """restXml request bodies, both read back by botocore's own XML
        parser against the model (so equal values written differently,
        `1e-05` and `0.00001`, agree), then compared as values."""
        if not bbody.strip() or not mine.strip():
            return None if bbody.strip() == mine.strip() else f"body {mine[:200]!r}, botocore {bbody[:200]!r}"
        op_shape = None
        if payload is not None:
            target = payload[1]["target"]
            op_shape = self.service_model.shape_for(self.m.name(target))
            sid_cmp = target
        else:
            op_shape = self.service_model.shape_for(self.m.name(sid))
            sid_cmp = sid
        try:
            b = self.parser._parse_shape(op_shape, self.parser._parse_xml_string_to_dom(bbody))
        except Exception as e:  # botocore raises several types here
            return f"botocore cannot read its own body back ({type(e).__name__}: {e})"
        try:
            o = self.parser._parse_shape(op_shape, self.parser._parse_xml_string_to_dom(mine))
        except Exception as e:  # botocore raises several types here
            return f"our body does not read as XML of the model ({type(e).__name__}: {e}): {mine[:300]!r}"
        self.differ.coarse_seconds = True
        try:
            return self.differ.diff(sid_cmp, self.norm.shape(sid_cmp, b), self.norm.shape(sid_cmp, o), "$body", tokens=True)
        finally:
            self.differ.coarse_seconds = False

    def compare_cbor_request(self, c, ours):
        """CBOR request bodies, both read by botocore's CBOR parser against
        the input shape and compared as values."""
        boto = c["boto"]
        mine = bytes(ours["body_bytes"]) if "body_bytes" in ours else ours.get("body", "").encode("utf-8")
        sid = self.m.op_input(c["op"])
        if sid is None:
            return None if mine == boto["body"] else f"body {mine!r}, botocore {boto['body']!r}"
        shape = self.service_model.operation_model(c["op"]).input_shape
        read = lambda b: self.parser.parse({"status_code": 200, "headers": {}, "body": b}, shape)
        try:
            bvalue, ovalue = read(boto["body"]), read(mine)
        except Exception as e:  # botocore raises several types here
            return f"botocore cannot read our CBOR body ({type(e).__name__}: {e}): {mine[:200].hex()}"
        for v in (bvalue, ovalue):
            v.pop("ResponseMetadata", None)
        # botocore's CBOR serializer truncates timestamps to whole seconds.
        self.differ.coarse_seconds = True
        try:
            return self.differ.diff(sid, self.norm.shape(sid, bvalue), self.norm.shape(sid, ovalue), "$", tokens=True)
        finally:
            self.differ.coarse_seconds = False

    def run_harness(self, harness):
        lines = [
            f"{n}\t{c['kind']}\t{c['op']}\t{json.dumps(list(c['body']) if isinstance(c['body'], bytes) else c['body'])}" + (f"\t{json.dumps(c['headers'])}" if c.get("headers") else "")
            for n, c in enumerate(self.cases)
        ]
        run = subprocess.run([harness], input=("\n".join(lines) + "\n").encode("utf-8"), capture_output=True)
        if run.returncode != 0:
            sys.stderr.write(run.stderr.decode("utf-8", "replace")[-4000:])
            raise SystemExit(f"the harness failed ({run.returncode})")
        # Not `splitlines()`: U+2028 may appear raw inside a JSON string.
        out = [json.loads(line) for line in run.stdout.decode("utf-8").split("\n") if line.strip()]
        if len(out) != len(self.cases):
            raise SystemExit(f"the harness printed {len(out)} results for {len(self.cases)} cases")
        return out

    def judge(self, results):
        """Per direction: cases, modes, disagreements, accepted differences by class."""
        stats = {}
        disagreements = []
        for c, ours in zip(self.cases, results):
            s = stats.setdefault(c["dir"], {"cases": 0, "modes": {}, "disagreements": 0, "accepted": {}})
            s["cases"] += 1
            s["modes"][c["mode"]] = s["modes"].get(c["mode"], 0) + 1
            # Differences accepted while the case was built, then while compared.
            self.differ.accepted = [(n, c["id"]) for n in c.get("notes", [])]
            problem = self.compare(c, ours)
            if problem:
                s["disagreements"] += 1
                boto = c["boto"]
                if c["dir"] == "request":
                    body = boto["body"] if isinstance(boto["body"], dict) else to_jsonable(boto["body"][:2000])
                    boto = {"headers": dict(boto["headers"]), "body": body}
                disagreements.append({"id": c["id"], "problem": problem, "body": to_jsonable(c["body"][:2000]), "ours": ours, "botocore": to_jsonable(boto)})
                continue
            for cls, _ in self.differ.accepted:
                s["accepted"][cls] = s["accepted"].get(cls, 0) + 1
        return stats, disagreements

    def compare(self, c, ours):
        """The disagreement of one case, or None."""
        m, norm, differ, boto = self.m, self.norm, self.differ, c["boto"]
        if c["dir"] == "request" and self.rest:
            return self.compare_rest_request(c, ours)
        if not ours.get("ok") and not (c["dir"] == "response" and not boto["ok"]):
            return f"ours failed: {ours.get('error')}"
        if c["dir"] == "request":
            if ours["method"] != boto["method"] or ours["uri"] != boto["url_path"]:
                return f"{ours['method']} {ours['uri']}, botocore {boto['method']} {boto['url_path']}"
            if ours["host_prefix"] != (boto.get("host_prefix") or ""):
                return f"host prefix {ours['host_prefix']!r}, botocore {boto.get('host_prefix')!r}"
            for k, v in boto["headers"].items():
                if self.query and k.lower() == "content-type":
                    # botocore appends `; charset=utf-8`; the media type is what counts.
                    v = v.split(";")[0]
                    if (header(ours["headers"], k) or "").split(";")[0] != v:
                        return f"header {k}: {header(ours['headers'], k)!r}, botocore {v!r}"
                    continue
                if header(ours["headers"], k) != v:
                    return f"header {k}: {header(ours['headers'], k)!r}, botocore {v!r}"
            if self.cbor:
                return self.compare_cbor_request(c, ours)
            if "body" not in ours:
                return "our body is not UTF-8"
            if self.query:
                return query_body_diff(dict(urllib.parse.parse_qsl(ours["body"], keep_blank_values=True)), boto["body"])
            bbody = json.loads(boto["body"]) if boto["body"] else None
            obody = json.loads(ours["body"]) if ours["body"] else None
            sid = m.op_input(c["op"])
            if sid is None:
                return None if bbody == obody else f"body {ours['body']!r}, botocore {boto['body']!r}"
            return differ.diff(sid, norm.shape(sid, bbody), norm.shape(sid, obody), "$", tokens=True)
        if c["dir"] == "response":
            if not boto["ok"]:
                # Both refusing is agreement (counted); only botocore refusing is not.
                if ours.get("ok"):
                    return f"botocore failed ({boto['error']}), ours parsed"
                differ.accepted.append((BOTH_REFUSED, c["id"]))
                return None
            got = json.loads(ours["output"])
            sid = m.op_output(c["op"])
            if self.rest and sid is not None:
                got = self.m_member_form(sid, got)
            if sid is None:
                return None if got == {} and boto["parsed"] == {} else f"{got}, botocore {boto['parsed']}"
            return differ.diff(sid, norm.shape(sid, boto["parsed"]), norm.shape(sid, got), "$")
        if not boto["ok"]:
            return f"botocore failed: {boto['error']}"
        if ours["code"] != boto["code"]:
            return f"code {ours['code']!r}, botocore {boto['code']!r}"
        boto_modeled = boto["shape"] is not None and boto["shape"] in boto["op_errors"]
        sharing = [e for e in self.all_errors if self.m.error_code(e) == ours["code"]]
        if ours["modeled"] and not boto_modeled and len(sharing) > 1 and c["error_id"] in sharing:
            # Two error shapes with one code (`@awsQueryError`): the crate
            # reads the operation's own; botocore's code table keeps one
            # shape for the whole service.
            differ.accepted.append((SHARED_CODE, c["id"]))
            return None
        if ours["modeled"] != boto_modeled:
            return f"modeled: ours {ours['modeled']}, botocore {boto_modeled} (shape {boto['shape']})"
        if (ours["message"] or "") != (boto["message"] or ""):
            return f"message {ours['message']!r}, botocore {boto['message']!r}"
        if boto["shape"] is not None and not boto_modeled:
            # botocore maps codes to exception classes service-wide; the
            # crate's enum holds the operation's own errors: `Unhandled`,
            # with the same code and message (checked above).
            differ.accepted.append((FOREIGN, c["id"]))
        if not boto_modeled:
            return None
        if local_name(c["error_id"]) != boto["shape"] or ours["code"] != self.m.error_code(c["error_id"]):
            return f"error shape: ours {ours['code']}, botocore {boto['shape']}"
        if self.query or self.rest_xml:
            return None
        sid = c["error_id"]
        got = json.loads(ours["members"])
        if self.rest:
            got = self.m_member_form(sid, got)
        return differ.diff(sid, norm.shape(sid, boto["members"]), norm.shape(sid, got), "$")


def apply_botocore_checksum(req, op_model, params):
    """What botocore's client does after serializing: the request checksum
    (`when_supported`, its default), in a header as over plain HTTP. Returns
    `sha` when the chosen algorithm is SHA-1/SHA-256, `crt` when botocore
    needs awscrt for it (the harness then computes it), else None."""
    import botocore.config
    import botocore.httpchecksum as hc

    body = req["body"]
    if isinstance(body, str):
        body = body.encode("utf-8")
    req["body"] = body
    req["context"] = {
        "client_config": botocore.config.Config(request_checksum_calculation="when_supported"),
        "checksum": {},
    }
    req["url"] = "http://localhost" + req["url_path"]
    note = None
    member = op_model.http_checksum.get("requestAlgorithmMember")
    chosen = str(params.get(member, "")).lower() if member else ""
    if chosen in ("sha1", "sha256"):
        note = "sha"
    try:
        hc.resolve_request_checksum_algorithm(req, op_model, params)
        hc.apply_request_checksum(req)
    except botocore.exceptions.MissingDependencyException:
        # CRC32C and CRC64NVME need awscrt: the header botocore would send.
        req["headers"][f"x-amz-checksum-{chosen}"] = checksum_of(chosen, body)
        note = "crt"
    finally:
        del req["context"]
        del req["url"]
    return note


CHECKSUM_ALGORITHMS = ("crc32", "crc32c", "crc64nvme", "sha1", "sha256")


def _crc_table(poly, width):
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c)
    return table, (1 << width) - 1


_CRC32C = _crc_table(0x82F63B78, 32)
_CRC64NVME = _crc_table(0x9A6C9329AC4BC9B5, 64)


def _crc(table_mask, data):
    table, mask = table_mask
    c = mask
    for b in data:
        c = table[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ mask


def checksum_of(algorithm, body):
    """The `x-amz-checksum-<algorithm>` value of `body`: botocore's classes
    where it has them without awscrt, else the catalogue CRCs."""
    import botocore.httpchecksum as hc

    if algorithm in ("crc32", "sha1", "sha256"):
        return hc._CHECKSUM_CLS[algorithm]().handle(body)
    if algorithm == "crc32c":
        return base64.b64encode(_crc(_CRC32C, body).to_bytes(4, "big")).decode()
    if algorithm == "crc64nvme":
        return base64.b64encode(_crc(_CRC64NVME, body).to_bytes(8, "big")).decode()
    raise ValueError(f"no checksum {algorithm}")


assert checksum_of("crc32c", b"123456789") == "4waSgw==", "CRC-32C check value"
assert checksum_of("crc64nvme", b"123456789") == "rosUhgp5mIg=", "CRC-64/NVME check value"


def header_dict(headers):
    """Response headers as botocore's case-insensitive mapping."""
    from botocore.awsrequest import HeadersDict

    out = HeadersDict()
    for k, v in headers:
        out[k] = v
    return out


def whole_seconds(text):
    """A date-time header without its fraction of a second, else None."""
    if "T" in text and "." in text and text.endswith("Z"):
        return text.split(".")[0] + "Z"
    return None


def header_value_equal(ours, boto):
    """Header values equal as text, numbers or instants (`http-date` too)."""
    if query_value_equal(ours, boto):
        return True
    try:
        return email.utils.parsedate_to_datetime(ours) == email.utils.parsedate_to_datetime(boto)
    except (TypeError, ValueError, IndexError):
        return False


def read_streams(value):
    """botocore's parsed value with streaming bodies read into bytes."""
    if isinstance(value, dict):
        return {k: read_streams(v) for k, v in value.items()}
    if hasattr(value, "read") and not isinstance(value, (bytes, str)):
        return value.read()
    return value


def header(headers, name):
    for k, v in headers:
        if k.lower() == name.lower():
            return v
    return None


def conversion_check(m, service_model):
    """One line: the converted model against the one botocore ships."""
    service = m.service.get("traits", {}).get("aws.api#service", {})
    # botocore names most services by their ARN namespace, some (CloudWatch:
    # `monitoring`) by their SDK id.
    names = [service.get("arnNamespace"), service.get("sdkId", "").lower().replace(" ", "-")]
    bundled, arn, problem = None, None, None
    for arn in [n for n in names if n]:
        try:
            bundled = botocore.session.get_session().get_service_model(arn)
            break
        except Exception as e:  # an unknown service name, mostly
            problem = type(e).__name__
    if bundled is None:
        return f"no bundled botocore model to check the conversion against ({problem})"
    both, same, kinds, only_here, only_there = compare_with_bundled(service_model, bundled)
    drift = ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())) or "none"
    return (f"conversion check against botocore's bundled `{arn}` model: {both} operations in both, "
            f"{same} identical on the wire; differences (model drift between releases): {drift}; "
            f"{len(only_here)} operations only in this model, {len(only_there)} only in botocore's")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--harness", required=True)
    ap.add_argument("--report")
    ap.add_argument("--operations", help="comma-separated subset (for debugging)")
    ap.add_argument("--protocol", help="the protocol the crate speaks, by its Smithy name (default: the service's first, in the SDKs' order)")
    args = ap.parse_args()

    model_file = os.path.basename(args.model)
    with open(args.seeds) as f:
        seeds = json.load(f)
    if model_file not in seeds["seeds"]:
        sys.exit(f"{args.seeds}: no seed for {model_file}")
    seed = seeds["seeds"][model_file]
    with open(args.model) as f:
        m = SmithyModel(json.load(f), protocol=args.protocol)
    run = Run(m, seed, seeds.get("random_cases_per_operation", 2))
    operations = list(m.operations)
    if args.operations:
        wanted = set(args.operations.split(","))
        operations = [o for o in operations if o in wanted]
    # Event-stream operations are not compared (the generator leaves out
    # input streams and reads output streams message by message, which
    # botocore's parser does not produce as a body); the summary names them.
    streams = [o for o in operations if m.op_event_stream(o)]
    # botocore reads `s3UnwrappedXmlOutput` outputs in a client handler,
    # not in its parser (the protocol case GetBucketLocationUnwrappedOutput
    # covers the crate's side).
    unwrapped = [o for o in operations if "aws.customizations#s3UnwrappedXmlOutput" in m.op(o).get("traits", {})]
    streams += unwrapped
    operations = [o for o in operations if o not in streams]
    for op in operations:
        run.request_cases(op)
        run.response_cases(op)
        run.error_cases(op)
    results = run.run_harness(args.harness)
    stats, disagreements = run.judge(results)
    check = conversion_check(m, run.service_model)
    # The harness passes every decoded input, output and modeled error
    # through serde as well (a mismatch fails the case); count the values.
    serde_checked = sum(1 for r in results if r.get("serde") is True)
    # Unit inputs and outputs (`()`, "serde": "unit") have no type of their own to check.
    def is_decoded(c, r):
        # A request whose input was read but refused by `build_request`
        # (an empty label) was decoded and checked too.
        if r.get("serde") is True:
            return True
        return r.get("ok") and r.get("serde") != "unit" and (c["dir"] != "error" or r.get("modeled"))
    decoded = sum(1 for c, r in zip(run.cases, results) if is_decoded(c, r))

    print(f"differential {model_file} (botocore {botocore.__version__}, seed {seed}): "
          f"{len(operations)} operations, {len(run.cases)} cases"
          + (f"; not compared (event streams, unwrapped XML outputs): {', '.join(streams)}" if streams else ""))
    for d in ("request", "response", "error"):
        s = stats.get(d, {"cases": 0, "modes": {}, "disagreements": 0, "accepted": {}})
        modes = ", ".join(f"{v} {k}" for k, v in sorted(s["modes"].items()))
        accepted = ", ".join(f"{n} {cls}" for cls, n in sorted(s["accepted"].items()))
        print(f"  {d + 's':<10} {s['cases']:>5} cases ({modes}): {s['disagreements']} disagreements"
              + (f"; accepted: {accepted}" if accepted else ""))
    for d in ("requests", "responses"):
        kinds = sorted((k, n) for (dd, k), n in Generator.seen.items() if dd == d)
        print(f"  {d} values by type: " + ", ".join(f"{k} {n}" for k, n in kinds))
    print(f"  invalid generated inputs (refused by botocore's validation): {len(run.invalid)}")
    print(f"  serde (Serialize and Deserialize against the crate's codec): {serde_checked} of {decoded} decoded values checked, 0 mismatches"
          if serde_checked == decoded else
          f"  SERDE: only {serde_checked} of {decoded} decoded values went through the serde check: "
          + ", ".join(c["id"] for c, r in zip(run.cases, results)
                      if is_decoded(c, r) and r.get("serde") is not True)[:1000])
    print(f"  {check}")
    for d in disagreements[:25]:
        print(f"  DISAGREE {d['id']}: {d['problem']}")
    if len(disagreements) > 25:
        print(f"  ... and {len(disagreements) - 25} more")
    for i in run.invalid[:10]:
        print(f"  INVALID {i['id']}: {i['error']}")
    if args.report:
        with open(args.report, "w") as f:
            json.dump({"model": model_file, "seed": seed, "botocore": botocore.__version__, "operations": len(operations),
                       "summary": stats, "invalid": run.invalid, "disagreements": disagreements, "conversion_check": check},
                      f, indent=1, ensure_ascii=False)
    sys.exit(1 if disagreements or run.invalid or serde_checked != decoded else 0)


if __name__ == "__main__":
    main()
