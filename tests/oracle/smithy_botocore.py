"""A Smithy 2.0 JSON AST model, read as the oracle needs it.

`SmithyModel` answers the questions of the differential tests (operations of
the service, member constraints, defaults) from the AST itself, and
`to_botocore()` converts the service into a botocore service description
(the `service-2.json` form), so botocore's own serializer, parser and
parameter validation run on exactly the model the crate was generated from,
whatever models the installed botocore bundles.

Only what the wire behaviour depends on is converted: shape types,
members, `required`, string enums, `min`/`max` from `@length`/`@range`,
`timestampFormat`, `idempotencyToken`, unions, documents, errors, host
prefixes, XML names, the protocol metadata and, for restJson1, each
operation's `@http` route and each member's location (`uri`, `querystring`,
`header`, `headers`, `statusCode`, the payload) with `@jsonName` as its
`locationName`. Documentation is dropped.

`compare_with_bundled()` checks the conversion against the model botocore
ships for the same service, where both have an operation.
"""

PRELUDE = {
    "smithy.api#String": "string",
    "smithy.api#Blob": "blob",
    "smithy.api#Boolean": "boolean",
    "smithy.api#PrimitiveBoolean": "boolean",
    "smithy.api#Byte": "byte",
    "smithy.api#PrimitiveByte": "byte",
    "smithy.api#Short": "short",
    "smithy.api#PrimitiveShort": "short",
    "smithy.api#Integer": "integer",
    "smithy.api#PrimitiveInteger": "integer",
    "smithy.api#Long": "long",
    "smithy.api#PrimitiveLong": "long",
    "smithy.api#Float": "float",
    "smithy.api#PrimitiveFloat": "float",
    "smithy.api#Double": "double",
    "smithy.api#PrimitiveDouble": "double",
    "smithy.api#BigInteger": "bigInteger",
    "smithy.api#BigDecimal": "bigDecimal",
    "smithy.api#Timestamp": "timestamp",
    "smithy.api#Document": "document",
}
PRIMITIVE_DEFAULTS = {
    "smithy.api#PrimitiveBoolean": False,
    "smithy.api#PrimitiveByte": 0,
    "smithy.api#PrimitiveShort": 0,
    "smithy.api#PrimitiveInteger": 0,
    "smithy.api#PrimitiveLong": 0,
    "smithy.api#PrimitiveFloat": 0,
    "smithy.api#PrimitiveDouble": 0,
}
UNIT = "smithy.api#Unit"

# Smithy timestamp formats to botocore's names.
TIMESTAMP_FORMATS = {
    "epoch-seconds": "unixTimestamp",
    "date-time": "iso8601",
    "http-date": "rfc822",
}
# Smithy types botocore knows under another name.
BOTOCORE_TYPES = {
    "byte": "integer",
    "short": "integer",
    "intEnum": "integer",
    "enum": "string",
    "set": "list",
    "union": "structure",
    "document": "structure",
    "bigInteger": "long",
    "bigDecimal": "double",
}


def local_name(shape_id):
    return shape_id.split("#", 1)[1]


# (Smithy name, trait, botocore protocol, JSON version), in the AWS SDKs'
# order of preference.
PROTOCOLS = [
    ("rpcv2Cbor", "smithy.protocols#rpcv2Cbor", "smithy-rpc-v2-cbor", None),
    ("awsJson1_0", "aws.protocols#awsJson1_0", "json", "1.0"),
    ("awsJson1_1", "aws.protocols#awsJson1_1", "json", "1.1"),
    ("restJson1", "aws.protocols#restJson1", "rest-json", None),
    ("restXml", "aws.protocols#restXml", "rest-xml", None),
    ("awsQuery", "aws.protocols#awsQuery", "query", None),
]


class SmithyModel:
    def __init__(self, ast, service=None, protocol=None):
        self.shapes = ast["shapes"]
        services = [k for k, v in self.shapes.items() if v["type"] == "service"]
        if service is None:
            if len(services) != 1:
                raise ValueError(f"the model has {len(services)} services; name one")
            service = services[0]
        self.service_id = service
        self.service = self.shapes[service]
        self.target_prefix = local_name(service)
        traits = self.service.get("traits", {})
        # botocore's protocol name and, for awsJson, its version: the one
        # asked for (by its Smithy name, as `--protocol` names it for the
        # generator), else the first the service declares in the AWS SDKs'
        # order of preference, as the generator picks it.
        declared = [name for name, trait, _, _ in PROTOCOLS if trait in traits]
        if protocol is not None and protocol not in declared:
            raise ValueError(f"{service} does not declare {protocol} (it declares {', '.join(declared) or 'none'})")
        if not declared:
            raise ValueError(f"{service} declares no protocol this converter knows")
        chosen = protocol or declared[0]
        _, _, self.protocol, self.json_version = next(p for p in PROTOCOLS if p[0] == chosen)
        self.query_compatible = "aws.protocols#awsQueryCompatible" in traits
        self.operations = self._operations()
        self.service_errors = [e["target"] for e in self.service.get("errors", [])]
        self._names = {}

    # ------------------------------------------------------------ reading

    def _operations(self):
        """Operation name -> shape id, including operations bound through resources."""
        found = {}

        def visit(shape):
            for ref in shape.get("operations", []) + shape.get("collectionOperations", []):
                found[local_name(ref["target"])] = ref["target"]
            for key in ("create", "put", "read", "update", "delete", "list"):
                if key in shape:
                    found[local_name(shape[key]["target"])] = shape[key]["target"]
            for ref in shape.get("resources", []):
                visit(self.shapes[ref["target"]])

        visit(self.service)
        return dict(sorted(found.items()))

    def kind(self, shape_id):
        """The Smithy type of a shape (prelude shapes included)."""
        if shape_id in PRELUDE:
            return PRELUDE[shape_id]
        if shape_id == UNIT:
            return "structure"
        shape = self.shapes[shape_id]
        if shape["type"] == "string" and "smithy.api#enum" in shape.get("traits", {}):
            return "enum"
        return shape["type"]

    def shape(self, shape_id):
        if shape_id == UNIT:
            return {"type": "structure", "members": {}}
        if shape_id in PRELUDE:
            return {"type": PRELUDE[shape_id]}
        return self.shapes[shape_id]

    def traits(self, shape_id):
        return self.shape(shape_id).get("traits", {})

    def members(self, shape_id):
        """Member name -> member (target and traits), in model order."""
        return self.shape(shape_id).get("members", {})

    def member_trait(self, member, name):
        """A member's trait, else the same trait of its target."""
        t = member.get("traits", {})
        if name in t:
            return t[name]
        return self.traits(member["target"]).get(name)

    def enum_values(self, shape_id):
        shape = self.shape(shape_id)
        if shape["type"] == "string":
            return [e["value"] for e in shape["traits"]["smithy.api#enum"]]
        out = []
        for name, m in shape["members"].items():
            v = m.get("traits", {}).get("smithy.api#enumValue")
            out.append(name if v is None else v)
        return out

    def is_sparse(self, shape_id):
        return "smithy.api#sparse" in self.traits(shape_id)

    def timestamp_format(self, member):
        """A member's timestamp format: its own (or its target's), else the
        default of where it goes (restJson1 headers `http-date`, labels and
        query parameters `date-time`), else the protocol's."""
        default = "date-time" if self.protocol in ("query", "rest-xml") else "epoch-seconds"
        location = self.location(member)
        if location == "header":
            default = "http-date"
        elif location in ("uri", "querystring"):
            default = "date-time"
        return self.member_trait(member, "smithy.api#timestampFormat") or default

    def location(self, member):
        """Where a restJson1 member goes, in botocore's words (`uri`,
        `querystring`, `header`, `headers`, `statusCode`, `payload`), or None
        for the body (and for every member of the other protocols)."""
        if self.protocol not in ("rest-json", "rest-xml"):
            return None
        t = member.get("traits", {})
        for trait, where in (
            ("smithy.api#httpLabel", "uri"),
            ("smithy.api#httpQuery", "querystring"),
            ("smithy.api#httpQueryParams", "querystring"),
            ("smithy.api#httpHeader", "header"),
            ("smithy.api#httpPrefixHeaders", "headers"),
            ("smithy.api#httpResponseCode", "statusCode"),
            ("smithy.api#httpPayload", "payload"),
        ):
            if trait in t:
                return where
        return None

    def json_name(self, member, name):
        """A member's key in a JSON body: `@jsonName` under restJson1."""
        if self.protocol == "rest-json":
            return member.get("traits", {}).get("smithy.api#jsonName", name)
        return name

    def op_event_stream(self, name):
        """Whether the operation's input or output has an event stream (a
        `@streaming` union), which the generator leaves out."""
        for sid in (self.op_input(name), self.op_output(name)):
            for m in self.members(sid).values() if sid else []:
                if self.kind(m["target"]) == "union" and "smithy.api#streaming" in self.traits(m["target"]):
                    return True
        return False

    def url_params(self):
        """The endpoint parameters the rule set writes into endpoint URLs,
        directly or through assigned variables."""
        import re

        rules = self.service.get("traits", {}).get("smithy.rules#endpointRuleSet")
        if not rules:
            return set()
        deps, urls = {}, set()

        def refs(e, out):
            if isinstance(e, str):
                out.update(n.split("#")[0] for n in re.findall(r"\{([^{}]+)\}", e))
            elif isinstance(e, dict):
                if "ref" in e:
                    out.add(e["ref"])
                for v in e.values():
                    refs(v, out)
            elif isinstance(e, list):
                for v in e:
                    refs(v, out)

        def walk(rs):
            for r in rs:
                for c in r.get("conditions", []):
                    if "assign" in c:
                        refs(c.get("argv", []), deps.setdefault(c["assign"], set()))
                if r.get("type") == "endpoint":
                    refs(r["endpoint"]["url"], urls)
                walk(r.get("rules", []))

        walk(rules.get("rules", []))
        todo = list(urls)
        while todo:
            for d in deps.get(todo.pop(), ()):
                if d not in urls:
                    urls.add(d)
                    todo.append(d)
        return urls & set(rules.get("parameters", {}))

    def http(self, name):
        """An operation's `@http` trait (restJson1)."""
        return self.op(name).get("traits", {}).get("smithy.api#http", {})

    def error_code(self, shape_id):
        """An error's code on the wire: under awsQuery its `@awsQueryError`
        code when it has one, else its shape name."""
        query = self.traits(shape_id).get("aws.protocols#awsQueryError", {})
        if self.protocol == "query" and "code" in query:
            return query["code"]
        return local_name(shape_id)

    def is_input(self, shape_id):
        return "smithy.api#input" in self.traits(shape_id)

    def default(self, member):
        """(has a non-null default, the default)."""
        t = member.get("traits", {})
        if "smithy.api#default" in t:
            v = t["smithy.api#default"]
            return (v is not None, v)
        if member["target"] in PRIMITIVE_DEFAULTS:
            return (True, PRIMITIVE_DEFAULTS[member["target"]])
        return (False, None)

    def op(self, name):
        return self.shapes[self.operations[name]]

    def op_input(self, name):
        ref = self.op(name).get("input")
        return None if ref is None or ref["target"] == UNIT else ref["target"]

    def op_output(self, name):
        ref = self.op(name).get("output")
        return None if ref is None or ref["target"] == UNIT else ref["target"]

    def op_errors(self, name):
        seen = []
        for e in [r["target"] for r in self.op(name).get("errors", [])] + self.service_errors:
            if e not in seen:
                seen.append(e)
        return seen

    # ------------------------------------------------------------ botocore

    def name(self, shape_id):
        """The botocore shape name: the local name; prelude shapes get their own."""
        if shape_id in PRELUDE or shape_id == UNIT:
            return "smithy_api_" + local_name(shape_id)
        return local_name(shape_id)

    def to_botocore(self):
        """The service as a botocore `service-2.json` description."""
        shapes = {}
        owners = {}
        queue = []
        for op_name in self.operations:
            queue.extend([self.op_input(op_name), self.op_output(op_name)] + self.op_errors(op_name))
        while queue:
            sid = queue.pop()
            if sid is None:
                continue
            name = self.name(sid)
            if name in shapes:
                if owners[name] != sid:
                    raise ValueError(f"botocore name {name} is used by {owners[name]} and {sid}")
                continue
            desc, refs = self._shape_desc(sid)
            shapes[name] = desc
            owners[name] = sid
            queue.extend(refs)
        operations = {}
        for op_name, op_id in self.operations.items():
            op = self.shapes[op_id]
            d = {"name": op_name, "http": {"method": "POST", "requestUri": "/"}}
            if self.protocol in ("rest-json", "rest-xml"):
                http = self.http(op_name)
                d["http"] = {"method": http["method"], "requestUri": http["uri"], "responseCode": http.get("code", 200)}
            if self.op_input(op_name):
                d["input"] = {"shape": self.name(self.op_input(op_name))}
                if self.protocol == "rest-xml":
                    # The root element of a body of members: the input's
                    # @xmlName or shape name, in the service's namespace.
                    t = self.traits(self.op_input(op_name))
                    d["input"]["locationName"] = t.get("smithy.api#xmlName", local_name(self.op_input(op_name)))
                    ns = self.service.get("traits", {}).get("smithy.api#xmlNamespace")
                    if ns:
                        d["input"]["xmlNamespace"] = {"uri": ns["uri"]}
            if self.op_output(op_name):
                d["output"] = {"shape": self.name(self.op_output(op_name))}
                if self.protocol == "query":
                    d["output"]["resultWrapper"] = f"{op_name}Result"
            d["errors"] = [{"shape": self.name(e)} for e in self.op_errors(op_name)]
            endpoint = op.get("traits", {}).get("smithy.api#endpoint")
            if endpoint:
                d["endpoint"] = {"hostPrefix": endpoint["hostPrefix"]}
            if "smithy.api#idempotent" in op.get("traits", {}):
                d["idempotent"] = True
            # Request checksums: botocore's httpchecksum module reads these.
            checksum = op.get("traits", {}).get("aws.protocols#httpChecksum")
            if checksum:
                d["httpChecksum"] = checksum
            if "smithy.api#httpChecksumRequired" in op.get("traits", {}):
                d["httpChecksumRequired"] = True
            operations[op_name] = d
        aws = self.service.get("traits", {}).get("aws.api#service", {})
        metadata = {
            "apiVersion": self.service.get("version", ""),
            "protocol": self.protocol,
            "protocols": [self.protocol],
            "targetPrefix": self.target_prefix,
            "serviceId": aws.get("sdkId", self.target_prefix),
            "endpointPrefix": aws.get("endpointPrefix", self.target_prefix.lower()),
            "signatureVersion": "v4",
            "uid": f"{aws.get('endpointPrefix', 'svc')}-{self.service.get('version', '')}",
        }
        if self.json_version:
            metadata["jsonVersion"] = self.json_version
        if self.protocol == "rest-xml":
            metadata.pop("targetPrefix", None)
        namespace = self.service.get("traits", {}).get("smithy.api#xmlNamespace", {}).get("uri")
        if namespace:
            metadata["xmlNamespace"] = namespace
        if self.query_compatible:
            metadata["awsQueryCompatible"] = {}
        return {"version": "2.0", "metadata": metadata, "operations": operations, "shapes": shapes}

    def _shape_desc(self, sid):
        kind = self.kind(sid)
        traits = self.traits(sid)
        refs = []
        d = {"type": BOTOCORE_TYPES.get(kind, kind)}
        if kind in ("structure", "union"):
            members = {}
            required = []
            for mname, m in self.members(sid).items():
                md = {"shape": self.name(m["target"])}
                mt = m.get("traits", {})
                location = self.location(m)
                if location == "payload":
                    d["payload"] = mname
                elif location is not None:
                    md["location"] = location
                    for trait in ("smithy.api#httpQuery", "smithy.api#httpHeader", "smithy.api#httpPrefixHeaders"):
                        if trait in mt:
                            md["locationName"] = mt[trait]
                    if location == "uri":
                        md["locationName"] = mname
                elif "smithy.api#jsonName" in mt and self.protocol == "rest-json":
                    md["locationName"] = mt["smithy.api#jsonName"]
                if "smithy.api#idempotencyToken" in mt:
                    md["idempotencyToken"] = True
                if "smithy.api#timestampFormat" in mt:
                    md["timestampFormat"] = TIMESTAMP_FORMATS[mt["smithy.api#timestampFormat"]]
                if "smithy.api#hostLabel" in mt:
                    md["hostLabel"] = True
                if "smithy.api#required" in mt:
                    required.append(mname)
                if "smithy.api#xmlName" in mt:
                    md["locationName"] = mt["smithy.api#xmlName"]
                if "smithy.api#xmlFlattened" in mt:
                    md["flattened"] = True
                if "smithy.api#xmlAttribute" in mt:
                    md["xmlAttribute"] = True
                    md.setdefault("locationName", mt.get("smithy.api#xmlName", mname))
                if "smithy.api#xmlNamespace" in mt:
                    ns = mt["smithy.api#xmlNamespace"]
                    md["xmlNamespace"] = {"uri": ns["uri"], **({"prefix": ns["prefix"]} if "prefix" in ns else {})}
                members[mname] = md
                refs.append(m["target"])
            d["members"] = members
            if required:
                d["required"] = required
            if kind == "union":
                d["union"] = True
            if "smithy.api#error" in traits:
                d["exception"] = True
                status = traits.get("smithy.api#httpError")
                client = traits["smithy.api#error"] == "client"
                d["error"] = {
                    "httpStatusCode": status or (400 if client else 500),
                    "senderFault": client,
                }
                if self.protocol == "query":
                    d["error"]["code"] = self.error_code(sid)
                if not client:
                    d["fault"] = True
        elif kind == "document":
            d["members"] = {}
            d["document"] = True
        elif kind in ("list", "set"):
            member = self.shape(sid)["member"]
            d["member"] = {"shape": self.name(member["target"])}
            if "smithy.api#xmlName" in member.get("traits", {}):
                d["member"]["locationName"] = member["traits"]["smithy.api#xmlName"]
            refs.append(member["target"])
        elif kind == "map":
            shape = self.shape(sid)
            d["key"] = {"shape": self.name(shape["key"]["target"])}
            d["value"] = {"shape": self.name(shape["value"]["target"])}
            for part in ("key", "value"):
                name = shape[part].get("traits", {}).get("smithy.api#xmlName")
                if name:
                    d[part]["locationName"] = name
            refs.extend([shape["key"]["target"], shape["value"]["target"]])
        elif kind == "enum":
            d["enum"] = self.enum_values(sid)
        elif kind == "blob" and "smithy.api#streaming" in traits:
            d["streaming"] = True
        elif kind == "timestamp" and "smithy.api#timestampFormat" in traits:
            d["timestampFormat"] = TIMESTAMP_FORMATS[traits["smithy.api#timestampFormat"]]
        for trait, lo, hi in (("smithy.api#length", "min", "max"), ("smithy.api#range", "min", "max")):
            if trait in traits:
                for src, dst in (("min", lo), ("max", hi)):
                    if src in traits[trait]:
                        d[dst] = traits[trait][src]
        if "smithy.api#sensitive" in traits:
            d["sensitive"] = True
        return d, refs


def compare_with_bundled(converted, bundled):
    """Compares two botocore service models operation by operation, on what
    the wire depends on. Returns (operations in both, identical, {kind of
    difference: count}, only in converted, only in bundled)."""
    kinds = {}

    def note(kind):
        kinds[kind] = kinds.get(kind, 0) + 1

    def same(a, b, seen):
        key = (a.name, b.name)
        if key in seen:
            return True
        seen.add(key)
        ok = True
        if a.type_name != b.type_name:
            note("type")
            return False
        if a.serialization.get("timestampFormat", "").lower() != b.serialization.get("timestampFormat", "").lower():
            note("timestampFormat")
            ok = False
        if getattr(a, "enum", []) != getattr(b, "enum", []):
            if set(getattr(a, "enum", [])) != set(getattr(b, "enum", [])):
                note("enum values")
                ok = False
        if a.type_name == "structure":
            if a.is_document_type != b.is_document_type or a.is_tagged_union != b.is_tagged_union:
                note("document or union flag")
                ok = False
            am, bm = a.members, b.members
            if set(am) != set(bm):
                note("members added or removed")
                ok = False
            if set(a.required_members) != set(b.required_members):
                note("required members")
                ok = False
            for m in set(am) & set(bm):
                if bool(am[m].metadata.get("idempotencyToken")) != bool(bm[m].metadata.get("idempotencyToken")):
                    note("idempotency token")
                    ok = False
                if not same(am[m], bm[m], seen):
                    ok = False
        elif a.type_name == "list":
            ok = same(a.member, b.member, seen) and ok
        elif a.type_name == "map":
            ok = same(a.key, b.key, seen) and same(a.value, b.value, seen) and ok
        return ok

    both = sorted(set(converted.operation_names) & set(bundled.operation_names))
    identical = 0
    for name in both:
        a = converted.operation_model(name)
        b = bundled.operation_model(name)
        ok = True
        for x, y in ((a.input_shape, b.input_shape), (a.output_shape, b.output_shape)):
            if (x is None) != (y is None):
                # Smithy's Unit input or output: botocore models an empty structure.
                z = x if x is not None else y
                if z.members:
                    note("input or output presence")
                    ok = False
            elif x is not None and not same(x, y, set()):
                ok = False
        if sorted(e.name for e in a.error_shapes) != sorted(e.name for e in b.error_shapes):
            note("errors")
            ok = False
        identical += ok
    only_converted = sorted(set(converted.operation_names) - set(bundled.operation_names))
    only_bundled = sorted(set(bundled.operation_names) - set(converted.operation_names))
    return len(both), identical, kinds, only_converted, only_bundled
