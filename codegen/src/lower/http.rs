//! Stage 2, HTTP bindings of the REST protocols: an operation's `@http`
//! trait becomes an [`HttpRoute`] (its labels checked against the input),
//! and each structure member's binding trait a [`Location`] with the
//! timestamp format and encoding that location uses.

use serde_json::Value;

use super::Lowering;
use crate::ast::{Member, Shape};
use crate::error::Error;
use crate::ir::*;

impl Lowering<'_> {
    /// Checks a structure's bindings as a whole: at most one
    /// `@httpPayload`, and no body members beside it.
    pub(super) fn check_bindings(&self, id: &str, fields: &[Field]) -> Result<(), Error> {
        let payloads: Vec<&str> = fields
            .iter()
            .filter(|f| matches!(f.location, Location::Payload { .. }))
            .map(|f| f.wire_name.as_str())
            .collect();
        if payloads.len() > 1 {
            return Err(self.err(
                id,
                format!("more than one @httpPayload member: {}", payloads.join(", ")),
            ));
        }
        if let Some(p) = payloads.first() {
            if let Some(f) = fields.iter().find(|f| f.location == Location::Body) {
                return Err(self.err(
                    id,
                    format!(
                        "member `{}` is bound to the body, which the @httpPayload member `{p}` already takes",
                        f.wire_name
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The `@http` route of an operation, its labels resolved to input
    /// fields (by member position, the order fields are lowered in).
    ///
    /// Labels of the `placed` fields (endpoint parameters the rule set
    /// writes into the URL) are left out of the path, with the `/` after
    /// them: the resolved endpoint carries them.
    pub(super) fn http_route(
        &self,
        id: &str,
        shape: &Shape,
        input: Option<&Shape>,
        placed: &[usize],
    ) -> Result<HttpRoute, Error> {
        let http = shape.traits.get("smithy.api#http").ok_or_else(|| {
            self.err(
                id,
                format!("{} operations need the @http trait", self.protocol.name()),
            )
        })?;
        let method = http
            .get("method")
            .and_then(Value::as_str)
            .ok_or_else(|| self.err(id, "@http has no method"))?;
        let pattern = http
            .get("uri")
            .and_then(Value::as_str)
            .ok_or_else(|| self.err(id, "@http has no uri"))?;
        let code = match http.get("code") {
            None => 200,
            Some(c) => c
                .as_u64()
                .and_then(|c| u16::try_from(c).ok())
                .filter(|c| (100..600).contains(c))
                .ok_or_else(|| self.err(id, format!("@http code {c} is not an HTTP status")))?,
        };
        if !pattern.starts_with('/') {
            return Err(self.err(id, format!("@http uri `{pattern}` must start with `/`")));
        }
        let (path_text, query_text) = match pattern.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (pattern, None),
        };
        let mut path = Vec::new();
        let mut used = Vec::new();
        let mut rest = path_text;
        while !rest.is_empty() {
            let Some(open) = rest.find('{') else {
                path.push(PathPart::Literal(rest.to_string()));
                break;
            };
            if open > 0 {
                path.push(PathPart::Literal(rest[..open].to_string()));
            }
            let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| {
                self.err(id, format!("@http uri `{pattern}` has an unclosed `{{`"))
            })?;
            let inner = &rest[open + 1..close];
            let (name, greedy) = match inner.strip_suffix('+') {
                Some(n) => (n, true),
                None => (inner, false),
            };
            let field = input
                .and_then(|i| i.members.iter().position(|(k, _)| k == name))
                .filter(|&i| {
                    input
                        .and_then(|s| s.members.iter().nth(i))
                        .is_some_and(|(_, m)| m.traits.contains_key("smithy.api#httpLabel"))
                })
                .ok_or_else(|| {
                    self.err(
                        id,
                        format!(
                            "@http uri label `{name}` is not an @httpLabel member of the input"
                        ),
                    )
                })?;
            used.push(name.to_string());
            path.push(PathPart::Label { field, greedy });
            rest = &rest[close + 1..];
        }
        if let Some(input) = input {
            for (name, m) in input.members.iter() {
                if m.traits.contains_key("smithy.api#httpLabel") && !used.contains(name) {
                    return Err(self.err(
                        id,
                        format!(
                            "@httpLabel member `{name}` has no `{{{name}}}` in the uri `{pattern}`"
                        ),
                    ));
                }
            }
        }
        // A placed label at the end takes the `/` before it along: the
        // path is then empty, and the endpoint's own path is the whole
        // target (`https://s3.amazonaws.com/bucket`, not `.../bucket/`).
        let ends_placed =
            matches!(path.last(), Some(PathPart::Label { field, .. }) if placed.contains(field));
        let mut kept: Vec<PathPart> = Vec::new();
        let mut skip_slash = false;
        for part in path {
            match part {
                PathPart::Label { field, .. } if placed.contains(&field) => skip_slash = true,
                PathPart::Literal(text) if skip_slash => {
                    skip_slash = false;
                    let rest = text.strip_prefix('/').unwrap_or(&text);
                    if !rest.is_empty() {
                        kept.push(PathPart::Literal(rest.to_string()));
                    }
                }
                other => {
                    skip_slash = false;
                    kept.push(other);
                }
            }
        }
        if ends_placed {
            if let Some(PathPart::Literal(text)) = kept.last_mut() {
                if text.ends_with('/') {
                    text.pop();
                }
                if text.is_empty() {
                    kept.pop();
                }
            }
        }
        let path = kept;
        let query = query_text
            .map(|q| {
                q.split('&')
                    .filter(|p| !p.is_empty())
                    .map(|p| match p.split_once('=') {
                        Some((k, v)) => (k.to_string(), Some(v.to_string())),
                        None => (p.to_string(), None),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(HttpRoute {
            method: method.to_string(),
            pattern: pattern.to_string(),
            path,
            query,
            code,
        })
    }

    /// Where a member goes: in an event-stream message under any protocol
    /// (`@eventHeader`, `@eventPayload`), else in an HTTP message under a
    /// REST protocol (the body for the others).
    pub(super) fn location(&self, owner: &str, name: &str, m: &Member) -> Result<Location, Error> {
        let target = self.model.shape(&m.target)?;
        let str_trait = |t: &str| m.traits.get(t).and_then(Value::as_str);
        let has = |t: &str| m.traits.contains_key(t);
        let check = |ok: bool, what: &str| {
            if ok {
                Ok(())
            } else {
                Err(self.err(owner, format!("member `{name}`: {what}")))
            }
        };
        if m.traits.contains_key("smithy.api#eventHeader") {
            let scalar = matches!(
                target.kind.as_str(),
                "boolean"
                    | "byte"
                    | "short"
                    | "integer"
                    | "long"
                    | "blob"
                    | "string"
                    | "enum"
                    | "timestamp"
            );
            check(
                scalar,
                "an @eventHeader must target a boolean, integer, blob, string or timestamp",
            )?;
            return Ok(Location::EventHeader);
        }
        if m.traits.contains_key("smithy.api#eventPayload") {
            return Ok(Location::EventPayload);
        }
        if !self.protocol.is_rest() {
            return Ok(Location::Body);
        }
        let scalar = |s: &Shape| {
            !matches!(
                s.kind.as_str(),
                "structure" | "union" | "list" | "set" | "map" | "document"
            )
        };
        let scalar_or_list = |s: &Shape| -> Result<bool, Error> {
            if scalar(s) {
                return Ok(true);
            }
            if matches!(s.kind.as_str(), "list" | "set") {
                if let Some(item) = &s.member {
                    return Ok(scalar(self.model.shape(&item.target)?));
                }
            }
            Ok(false)
        };
        if has("smithy.api#httpLabel") {
            check(
                scalar(target) && target.kind != "blob",
                "an @httpLabel must target a scalar",
            )?;
            return Ok(Location::Label {
                format: self.binding_format(m, target, TimestampFormat::DateTime)?,
            });
        }
        if let Some(q) = str_trait("smithy.api#httpQuery") {
            check(
                scalar_or_list(target)?,
                "an @httpQuery must target a scalar or a list of them",
            )?;
            return Ok(Location::Query {
                name: q.to_string(),
                format: self.binding_format(m, target, TimestampFormat::DateTime)?,
            });
        }
        if has("smithy.api#httpQueryParams") {
            check(target.kind == "map", "@httpQueryParams must target a map")?;
            return Ok(Location::QueryParams);
        }
        if let Some(h) = str_trait("smithy.api#httpHeader") {
            check(
                scalar_or_list(target)?,
                "an @httpHeader must target a scalar or a list of them",
            )?;
            return Ok(Location::Header {
                name: h.to_string(),
                format: self.binding_format(m, target, TimestampFormat::HttpDate)?,
                base64: target.kind == "string" && target.has_trait("smithy.api#mediaType"),
            });
        }
        if let Some(p) = str_trait("smithy.api#httpPrefixHeaders") {
            let string_values = match &target.value {
                Some(v) => self.model.shape(&v.target)?.kind == "string",
                None => false,
            };
            check(
                target.kind == "map" && string_values,
                "@httpPrefixHeaders must target a map of strings",
            )?;
            return Ok(Location::PrefixHeaders(p.to_string()));
        }
        if has("smithy.api#httpResponseCode") {
            check(
                target.kind == "integer",
                "@httpResponseCode must target an integer",
            )?;
            return Ok(Location::ResponseCode);
        }
        if has("smithy.api#httpPayload") {
            let media = target
                .traits
                .get("smithy.api#mediaType")
                .and_then(Value::as_str);
            let content_type = match target.kind.as_str() {
                "union" if target.has_trait("smithy.api#streaming") => {
                    "application/vnd.amazon.eventstream"
                }
                "blob" => media.unwrap_or("application/octet-stream"),
                "string" | "enum" => media.unwrap_or("text/plain"),
                "structure" | "union" if self.protocol.is_xml() => "application/xml",
                "structure" | "union" | "document" => "application/json",
                other => {
                    return Err(self.err(
                        owner,
                        format!("member `{name}`: an @httpPayload cannot target a {other}"),
                    ))
                }
            };
            let xml_name = str_trait("smithy.api#xmlName")
                .or_else(|| {
                    target
                        .traits
                        .get("smithy.api#xmlName")
                        .and_then(Value::as_str)
                })
                .unwrap_or_else(|| crate::model::shape_name(&m.target))
                .to_string();
            return Ok(Location::Payload {
                xml_name,
                content_type: content_type.to_string(),
            });
        }
        Ok(Location::Body)
    }

    /// The timestamp format of a bound member: the member's or its target's
    /// `@timestampFormat` (for a list, its member's), else the location's.
    fn binding_format(
        &self,
        m: &Member,
        target: &Shape,
        default: TimestampFormat,
    ) -> Result<TimestampFormat, Error> {
        let explicit = |traits: &crate::ast::Traits| {
            traits
                .get("smithy.api#timestampFormat")
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let mut found = explicit(&m.traits).or_else(|| explicit(&target.traits));
        if found.is_none() {
            if let Some(item) = &target.member {
                found =
                    explicit(&item.traits).or(explicit(&self.model.shape(&item.target)?.traits));
            }
        }
        Ok(found
            .as_deref()
            .and_then(super::timestamp_format)
            .unwrap_or(default))
    }
}
