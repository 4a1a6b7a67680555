//! XML reading for the query protocols (`awsQuery`): a small, std-only
//! parser into a borrowed element tree, the [`XmlDeserialize`] trait the
//! generated readers implement, scalar readers, and the awsQuery response
//! and error envelopes.
//!
//! The parser takes what AWS services send: elements, attributes, text,
//! character and the five predefined entity references, CDATA, comments,
//! processing instructions and an XML declaration. A DOCTYPE is refused
//! (AWS responses never carry one, and entity expansion is an attack
//! surface). Namespace prefixes are dropped from element names
//! (`ns:Name` reads as `Name`). Nesting is limited to [`MAX_DEPTH`].
#![doc(hidden)]

use std::borrow::Cow;

use super::blob::{decode_base64, Blob};
use super::error::{DecodeError, ErrorParts, ModeledError, QueryError, UnhandledError};
use super::time::{
    parse_date_time, parse_epoch_seconds, parse_http_date, DateTime, TimestampFormat,
};

/// The deepest nesting of elements the parser accepts.
pub const MAX_DEPTH: usize = 128;

/// One element: its local name, attributes, child elements and text.
#[derive(Clone, Debug, PartialEq)]
pub struct XmlNode<'a> {
    name: &'a str,
    attributes: Vec<(&'a str, Cow<'a, str>)>,
    children: Vec<XmlNode<'a>>,
    text: Cow<'a, str>,
    offset: usize,
}

impl<'a> XmlNode<'a> {
    /// An element with nothing in it (what an absent result reads as).
    fn empty(offset: usize) -> Self {
        XmlNode {
            name: "",
            attributes: Vec::new(),
            children: Vec::new(),
            text: Cow::Borrowed(""),
            offset,
        }
    }

    /// The element's name without any namespace prefix.
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The element's text: its character data with references resolved,
    /// the text between child elements concatenated.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The child elements, in document order.
    pub fn children(&self) -> &[XmlNode<'a>] {
        &self.children
    }

    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&XmlNode<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The value of the attribute `name` (prefix included, as written).
    pub fn attributes(&self) -> &[(&'a str, Cow<'a, str>)] {
        &self.attributes
    }

    /// The value of the attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_ref())
    }

    /// The byte offset of the element's `<` in the document.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// An error about this element's content.
    pub fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError::new(message, self.offset)
    }
}

/// A value that can read itself from an XML element.
pub trait XmlDeserialize: Sized {
    /// Reads the value held by `node` (for a structure: its members are
    /// `node`'s children).
    fn read_xml(node: &XmlNode<'_>) -> Result<Self, DecodeError>;
}

/// A value that can write itself as an XML element (restXml bodies).
pub trait XmlSerialize {
    /// Writes the element `name` holding the value (for a structure: its
    /// attribute members as attributes, the others as child elements).
    fn write_xml(&self, w: &mut XmlWriter, name: &str) -> Result<(), super::error::EncodeError>;
}

/// Writes an XML document: elements, attributes and escaped text.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    /// Whether the current start tag is still open for attributes.
    open: bool,
    /// A namespace the next element declares.
    pending: Option<(String, String)>,
}

impl XmlWriter {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    fn close_tag(&mut self) {
        if self.open {
            self.out.push('>');
            self.open = false;
        }
    }

    /// Starts element `name`; attributes may follow until content does.
    pub fn start(&mut self, name: &str) {
        self.close_tag();
        self.out.push('<');
        self.out.push_str(name);
        self.open = true;
        if let Some((prefix, uri)) = self.pending.take() {
            self.namespace(&prefix, &uri);
        }
    }

    /// Makes the next element started declare a namespace (a member's
    /// `@xmlNamespace`).
    pub fn next_namespace(&mut self, prefix: &str, uri: &str) {
        self.pending = Some((prefix.to_owned(), uri.to_owned()));
    }

    /// An attribute of the element just started.
    pub fn attribute(&mut self, name: &str, value: &str) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(value, true, &mut self.out);
        self.out.push('"');
    }

    /// A namespace declaration (`xmlns` or `xmlns:prefix`) of the element
    /// just started.
    pub fn namespace(&mut self, prefix: &str, uri: &str) {
        if prefix.is_empty() {
            self.attribute("xmlns", uri);
        } else {
            self.attribute(&format!("xmlns:{prefix}"), uri);
        }
    }

    /// Escaped text content.
    pub fn text(&mut self, text: &str) {
        self.close_tag();
        escape_into(text, false, &mut self.out);
    }

    /// Ends element `name`.
    pub fn end(&mut self, name: &str) {
        self.close_tag();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// An element holding only `text`.
    pub fn element(&mut self, name: &str, text: &str) {
        self.start(name);
        self.text(text);
        self.end(name);
    }

    /// The document.
    pub fn into_bytes(mut self) -> Vec<u8> {
        self.close_tag();
        self.out.into_bytes()
    }
}

/// Escapes markup characters, and in attributes quotes; carriage returns,
/// line feeds and tabs in attributes, and carriage returns anywhere, as
/// character references, so parsers do not normalize them away.
fn escape_into(text: &str, attribute: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\t' if attribute => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
}

/// Parses a document into its root element.
pub fn parse(input: &[u8]) -> Result<XmlNode<'_>, DecodeError> {
    let text = std::str::from_utf8(input)
        .map_err(|e| DecodeError::new("the XML document is not UTF-8", e.valid_up_to()))?;
    let mut p = Parser { s: text, pos: 0 };
    p.skip_misc()?;
    if p.pos >= p.s.len() {
        return Err(DecodeError::new(
            "expected an XML element, found the end of the input",
            p.pos,
        ));
    }
    let root = p.element(0)?;
    p.skip_misc()?;
    if p.pos < p.s.len() {
        return Err(DecodeError::new(
            "unexpected content after the root element",
            p.pos,
        ));
    }
    Ok(root)
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn err(&self, message: impl Into<String>) -> DecodeError {
        DecodeError::new(message, self.pos)
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
    }

    /// Skips whitespace, comments, processing instructions and the XML
    /// declaration; refuses a DOCTYPE.
    fn skip_misc(&mut self) -> Result<(), DecodeError> {
        loop {
            self.skip_ws();
            let rest = self.rest();
            if rest.starts_with("<?") {
                self.skip_past("?>")?;
            } else if rest.starts_with("<!--") {
                self.skip_past("-->")?;
            } else if rest.starts_with("<!DOCTYPE") || rest.starts_with("<!doctype") {
                return Err(self.err("a DOCTYPE is not accepted"));
            } else {
                return Ok(());
            }
        }
    }

    fn skip_past(&mut self, end: &str) -> Result<(), DecodeError> {
        match self.rest().find(end) {
            Some(i) => {
                self.pos += i + end.len();
                Ok(())
            }
            None => Err(self.err(format!("unterminated markup, expected `{end}`"))),
        }
    }

    fn name(&mut self) -> Result<&'a str, DecodeError> {
        let rest = self.rest();
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '/' | '>' | '='))
            .unwrap_or(rest.len());
        if len == 0 {
            return Err(self.err("expected a name"));
        }
        self.pos += len;
        Ok(&rest[..len])
    }

    fn local(name: &str) -> &str {
        name.rsplit_once(':').map_or(name, |(_, local)| local)
    }

    /// Parses an element starting at `<`.
    fn element(&mut self, depth: usize) -> Result<XmlNode<'a>, DecodeError> {
        if depth >= MAX_DEPTH {
            return Err(self.err(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let offset = self.pos;
        if !self.rest().starts_with('<') {
            return Err(self.err("expected `<`"));
        }
        self.pos += 1;
        let qname = self.name()?;
        let mut node = XmlNode {
            name: Self::local(qname),
            attributes: Vec::new(),
            children: Vec::new(),
            text: Cow::Borrowed(""),
            offset,
        };
        loop {
            self.skip_ws();
            let rest = self.rest();
            if rest.starts_with("/>") {
                self.pos += 2;
                return Ok(node);
            }
            if rest.starts_with('>') {
                self.pos += 1;
                break;
            }
            let key = self.name()?;
            self.skip_ws();
            if !self.rest().starts_with('=') {
                return Err(self.err(format!("expected `=` after attribute `{key}`")));
            }
            self.pos += 1;
            self.skip_ws();
            let quote = match self.rest().chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => return Err(self.err("expected a quoted attribute value")),
            };
            self.pos += 1;
            let end = self
                .rest()
                .find(quote)
                .ok_or_else(|| self.err("unterminated attribute value"))?;
            let raw = &self.rest()[..end];
            let value = unescape(raw, self.pos)?;
            self.pos += end + 1;
            node.attributes.push((key, value));
        }
        // Content.
        let mut text: Option<Cow<'a, str>> = None;
        let mut push_text = |piece: Cow<'a, str>| match &mut text {
            None => text = Some(piece),
            Some(t) => t.to_mut().push_str(&piece),
        };
        loop {
            let rest = self.rest();
            let Some(lt) = rest.find('<') else {
                return Err(self.err(format!("element `{qname}` is not closed")));
            };
            if lt > 0 {
                push_text(unescape(&rest[..lt], self.pos)?);
                self.pos += lt;
                continue;
            }
            if rest.starts_with("</") {
                self.pos += 2;
                let close = self.name()?;
                if close != qname {
                    return Err(DecodeError::new(
                        format!("`</{close}>` closes `<{qname}>`"),
                        self.pos - close.len() - 2,
                    ));
                }
                self.skip_ws();
                if !self.rest().starts_with('>') {
                    return Err(self.err("expected `>`"));
                }
                self.pos += 1;
                node.text = text.unwrap_or(Cow::Borrowed(""));
                return Ok(node);
            }
            if rest.starts_with("<!--") {
                self.skip_past("-->")?;
            } else if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
                let end = cdata
                    .find("]]>")
                    .ok_or_else(|| self.err("unterminated CDATA section"))?;
                push_text(Cow::Borrowed(&cdata[..end]));
                self.pos += "<![CDATA[".len() + end + 3;
            } else if rest.starts_with("<?") {
                self.skip_past("?>")?;
            } else if rest.starts_with("<!") {
                return Err(self.err("unexpected markup declaration"));
            } else {
                let child = self.element(depth + 1)?;
                node.children.push(child);
            }
        }
    }
}

/// Resolves character and predefined entity references in `raw` (which
/// starts at byte `offset` of the document).
fn unescape(raw: &str, offset: usize) -> Result<Cow<'_, str>, DecodeError> {
    if !raw.contains('&') {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let at = offset + (raw.len() - rest.len()) + amp;
        let tail = &rest[amp + 1..];
        let semi = tail
            .find(';')
            .filter(|&i| i <= 10)
            .ok_or_else(|| DecodeError::new("an `&` that starts no reference", at))?;
        let entity = &tail[..semi];
        let c = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse::<u32>().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32).ok_or_else(|| {
                    DecodeError::new(format!("unknown reference `&{entity};`"), at)
                })?
            }
        };
        out.push(c);
        rest = &tail[semi + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

// ---------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------

/// The element's text as a string.
pub fn read_string(node: &XmlNode<'_>) -> Result<String, DecodeError> {
    Ok(node.text().to_owned())
}

/// `true` or `false` (surrounding whitespace ignored).
pub fn read_bool(node: &XmlNode<'_>) -> Result<bool, DecodeError> {
    match node.text().trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(node.error(format!("expected `true` or `false`, found {other:?}"))),
    }
}

/// An integer of type `T`.
pub fn read_int<T: std::str::FromStr>(node: &XmlNode<'_>, ty: &str) -> Result<T, DecodeError> {
    let text = node.text().trim();
    text.parse::<T>().map_err(|_| {
        node.error(format!(
            "expected an integer in the range of {ty}, found {text:?}"
        ))
    })
}

/// A float: a decimal number, `NaN`, `Infinity` or `-Infinity`.
pub fn read_f64(node: &XmlNode<'_>) -> Result<f64, DecodeError> {
    let text = node.text().trim();
    match text {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        _ if text
            .bytes()
            .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') =>
        {
            Err(node.error(format!("expected a number, found {text:?}")))
        }
        _ => text
            .parse::<f64>()
            .map_err(|_| node.error(format!("expected a number, found {text:?}"))),
    }
}

/// A 32-bit float, as [`read_f64`].
pub fn read_f32(node: &XmlNode<'_>) -> Result<f32, DecodeError> {
    // Narrowing is the point: the wire value is a decimal for an f32.
    read_f64(node).map(|v| v as f32)
}

/// Base64 text.
pub fn read_blob(node: &XmlNode<'_>) -> Result<Blob, DecodeError> {
    let text = node.text().trim();
    decode_base64(text)
        .map(Blob::new)
        .ok_or_else(|| node.error("expected base64 text"))
}

/// A timestamp in `format`; as botocore, any of the three forms is read.
pub fn read_timestamp(
    node: &XmlNode<'_>,
    format: TimestampFormat,
) -> Result<DateTime, DecodeError> {
    let text = node.text().trim();
    DateTime::parse(text, format)
        .or_else(|_| parse_date_time(text))
        .or_else(|_| parse_epoch_seconds(text))
        .or_else(|_| parse_http_date(text))
        .map_err(|_| node.error(format!("expected a timestamp, found {text:?}")))
}

/// A map entry: the children `key` and `value` of `entry`, read with
/// `read_key` and `read_value`.
pub fn read_entry<K, V>(
    entry: &XmlNode<'_>,
    key: &str,
    value: &str,
    read_key: impl FnOnce(&XmlNode<'_>) -> Result<K, DecodeError>,
    read_value: impl FnOnce(&XmlNode<'_>) -> Result<V, DecodeError>,
) -> Result<(K, V), DecodeError> {
    let k = entry
        .child(key)
        .ok_or_else(|| entry.error(format!("map entry without `{key}`")))?;
    let v = entry
        .child(value)
        .ok_or_else(|| entry.error(format!("map entry without `{value}`")))?;
    Ok((read_key(k)?, read_value(v)?))
}

// ---------------------------------------------------------------------------
// awsQuery envelopes
// ---------------------------------------------------------------------------

/// Reads a query success body: under awsQuery
/// `<OpResponse><OpResult>...</OpResult><ResponseMetadata>...`, the output
/// being the `result` element's content (a missing result element reads as
/// an empty output); under ec2Query (`result` empty) the root's content.
pub fn parse_query_output<T: XmlDeserialize>(body: &[u8], result: &str) -> Result<T, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        // No document at all: an output with no members set.
        return T::read_xml(&XmlNode::empty(0));
    }
    let root = parse(body)?;
    if result.is_empty() {
        return T::read_xml(&root);
    }
    match root.child(result) {
        Some(node) => T::read_xml(node),
        None => T::read_xml(&XmlNode::empty(root.offset)),
    }
}

/// Reads a success body of an operation without output: any well-formed
/// document, or nothing.
pub fn parse_query_unit(body: &[u8]) -> Result<(), DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    parse(body).map(drop)
}

/// The `<Error>` element of an awsQuery error body
/// (`<ErrorResponse><Error>...</Error><RequestId>...</RequestId></ErrorResponse>`).
fn error_node<'n, 'a>(root: &'n XmlNode<'a>) -> Option<&'n XmlNode<'a>> {
    if root.name() == "Error" {
        Some(root)
    } else {
        root.child("Error")
            .or_else(|| root.child("Errors").and_then(|e| e.child("Error")))
    }
}

/// The element holding an error's members: `<Error>` (alone, or inside
/// `<ErrorResponse>` or `<Errors>`), else the root.
pub fn error_element<'n, 'a>(root: &'n XmlNode<'a>) -> &'n XmlNode<'a> {
    error_node(root).unwrap_or(root)
}

/// Code, message and request id of an awsQuery error response: `<Code>`
/// and `<Message>` of its `<Error>`, the `<RequestId>` beside it (else the
/// `x-amzn-RequestId` header). A body that is not such a document keeps its
/// start for [`UnhandledError::body`].
pub fn query_error_parts(
    headers: &(impl super::http::Headers + ?Sized),
    body: &[u8],
) -> ErrorParts {
    let header_id = super::http::header(headers, "x-amzn-RequestId").map(str::to_owned);
    let Ok(root) = parse(body) else {
        return ErrorParts {
            request_id: header_id,
            unparsed_body: Some(super::error::kept_body(body)),
            ..ErrorParts::default()
        };
    };
    let error = error_node(&root);
    let text_of = |n: Option<&XmlNode<'_>>, name: &str| {
        n.and_then(|n| n.child(name))
            .map(|c| c.text().trim().to_owned())
            .filter(|t| !t.is_empty())
    };
    let code = text_of(error, "Code");
    let query_error = code.as_ref().map(|code| QueryError {
        code: code.clone(),
        fault: text_of(error, "Type").and_then(|t| QueryError::fault_of(&t)),
    });
    ErrorParts {
        code,
        query_error,
        message: text_of(error, "Message"),
        // awsQuery writes `RequestId`, ec2Query `RequestID`.
        request_id: text_of(Some(&root), "RequestId")
            .or_else(|| text_of(Some(&root), "RequestID"))
            .or(header_id),
        unparsed_body: None,
    }
}

/// Parses the `<Error>` element of an error response whose code names the
/// modeled error `E`, as [`parse_modeled`](super::error::parse_modeled)
/// does for JSON.
pub fn parse_modeled_query<E: ModeledError + XmlDeserialize>(
    status: u16,
    parts: ErrorParts,
    body: &[u8],
) -> Result<E, UnhandledError> {
    let read = parse(body).and_then(|root| match error_node(&root) {
        Some(error) => E::read_xml(error),
        None => Err(root.error("no <Error> element")),
    });
    super::error::finish_modeled(status, parts, read)
}

/// Whether `body` is an XML document whose root element is `<Error>`: an
/// error S3 can send with a success status.
pub fn is_error_document(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let mut rest = text.trim_start();
    // The declaration and comments before the root.
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>").map_or("", |(_, r)| r).trim_start();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    rest.strip_prefix("<Error")
        .is_some_and(|r| r.starts_with(['>', ' ', '\t', '\r', '\n', '/']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_documents_read_back() {
        let text = "a & b < c > d \" ' é \r\n\ttab";
        let mut w = XmlWriter::new();
        w.start("Root");
        w.namespace("", "https://example.com/ns");
        w.attribute("xsi:type", text);
        w.next_namespace("p", "https://example.com/p");
        w.element("Child", text);
        w.start("Empty");
        w.end("Empty");
        w.end("Root");
        let bytes = w.into_bytes();
        let root = parse(&bytes).unwrap();
        assert_eq!(root.name(), "Root");
        assert_eq!(root.attribute("xmlns"), Some("https://example.com/ns"));
        assert_eq!(root.attribute("xsi:type"), Some(text));
        let child = root.child("Child").unwrap();
        assert_eq!(child.text(), text);
        assert_eq!(child.attribute("xmlns:p"), Some("https://example.com/p"));
        assert_eq!(root.child("Empty").map(XmlNode::text), Some(""));
    }

    #[test]
    fn elements_text_attributes_and_references() {
        let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<a:Root xmlns:a="urn:x" id='7'>
  <Name>x &amp; y &#x3C;&#62; &lt;z&gt;</Name>
  <Empty/>
  <Data><![CDATA[<raw>]]> tail</Data>
  <List><member>1</member><member>2</member></List>
</a:Root>"#;
        let root = parse(doc).unwrap();
        assert_eq!(root.name(), "Root");
        assert_eq!(root.attribute("id"), Some("7"));
        assert_eq!(root.child("Name").unwrap().text(), "x & y <> <z>");
        assert_eq!(root.child("Empty").unwrap().text(), "");
        assert_eq!(root.child("Data").unwrap().text(), "<raw> tail");
        let items: Vec<&str> = root
            .child("List")
            .unwrap()
            .children()
            .iter()
            .map(XmlNode::text)
            .collect();
        assert_eq!(items, ["1", "2"]);
        assert!(root.child("Missing").is_none());
    }

    #[test]
    fn malformed_documents_are_errors_with_offsets() {
        for bad in [
            &b""[..],
            b"<a>",
            b"<a></b>",
            b"<a>&bogus;</a>",
            b"<a>&amp</a>",
            b"<!DOCTYPE a><a/>",
            b"<a/><b/>",
            b"<a x=1/>",
            b"\xff",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let deep = format!("{}{}", "<a>".repeat(200), "</a>".repeat(200));
        let err = parse(deep.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("nesting"), "{err}");
    }

    #[test]
    fn scalars() {
        let root = parse(b"<r><b> true </b><i>-12</i><f>NaN</f><g>1.5e3</g><t>2014-04-29T18:30:38Z</t><e>1398796238</e><x>aGk=</x><bad>12a</bad></r>").unwrap();
        let c = |n: &str| root.child(n).unwrap();
        assert!(read_bool(c("b")).unwrap());
        assert_eq!(read_int::<i32>(c("i"), "i32").unwrap(), -12);
        assert!(read_f64(c("f")).unwrap().is_nan());
        assert_eq!(read_f64(c("g")).unwrap(), 1500.0);
        assert_eq!(
            read_timestamp(c("t"), TimestampFormat::DateTime).unwrap(),
            DateTime::from_secs(1_398_796_238)
        );
        assert_eq!(
            read_timestamp(c("e"), TimestampFormat::EpochSeconds).unwrap(),
            DateTime::from_secs(1_398_796_238)
        );
        assert_eq!(read_blob(c("x")).unwrap().as_ref(), b"hi");
        assert!(read_int::<i8>(c("i"), "i8").is_ok());
        assert!(read_int::<u8>(c("bad"), "u8").is_err());
        assert!(read_f64(c("bad")).is_err());
    }

    #[test]
    fn query_error_envelope() {
        let body = br#"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidGreeting</Code><Message>Hi</Message></Error><RequestId>foo-id</RequestId></ErrorResponse>"#;
        let parts = query_error_parts(&super::super::http::NO_HEADERS, body);
        assert_eq!(parts.code.as_deref(), Some("InvalidGreeting"));
        assert_eq!(parts.message.as_deref(), Some("Hi"));
        assert_eq!(parts.request_id.as_deref(), Some("foo-id"));
        let html = query_error_parts(&[("x-amzn-RequestId", "h")], b"<html><body>oops");
        assert_eq!(html.request_id.as_deref(), Some("h"));
        assert!(html.code.is_none() && html.unparsed_body.is_some());
    }
}
