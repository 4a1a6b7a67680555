//! Model documentation (HTML or CommonMark) to rustdoc Markdown.
//!
//! Smithy `documentation` traits hold CommonMark, but many models (AWS ones above all) write HTML:
//! paragraphs, code, links, lists, notes, definition lists, entity references, and now and then
//! unbalanced or unknown markup. [`html_to_markdown`] turns either into Markdown that rustdoc
//! renders without warnings (no broken intra-doc links, no unclosed HTML tags, no bare URLs, no
//! accidental code blocks or doctests), and [`doc_lines`] splits the result into one string per
//! `#[doc = ...]` attribute.
//!
//! How the input is read:
//!
//! * If it contains at least one known HTML tag it is parsed as HTML: a forgiving tokenizer, a
//!   tree built with the usual implicit closes (`<p>` before a block, `<li>` before `<li>`, `<dt>`
//!   / `<dd>` before each other), then a renderer to Markdown blocks. Text is *literal* there, so
//!   every character Markdown would interpret is escaped.
//! * Otherwise it is taken to be Markdown already and passed through line by line, escaping only
//!   what rustdoc would misread (`[`, `]`, `<`, `>` outside code spans and links, bare URLs,
//!   indentation that would start a code block, unlabelled code fences that would become
//!   doctests).
//!
//! Tags that are not known (see `classify`) are not markup: they are kept as literal text, so
//! `List<String>` survives.

mod markdown;

use markdown::*;

/// Deepest element nesting the HTML tree keeps; deeper start tags are ignored (their text is
/// kept), which bounds recursion on hostile input.
const MAX_DEPTH: usize = 64;
/// Longest tag (from `<` to `>`) the tokenizer looks for; longer candidates are literal text.
const MAX_TAG_LEN: usize = 4096;
/// Longest `[text](url)` the Markdown pass-through looks for.
const MAX_LINK_LEN: usize = 4096;
/// Deepest nesting of Markdown links the pass-through parses.
const MAX_LINK_NESTING: usize = 8;

/// Converts a Smithy `documentation` string (HTML, or CommonMark without HTML) to Markdown for
/// rustdoc.
///
/// Paragraphs are separated by one blank line; `<code>` becomes a code span (with a longer
/// backtick fence when needed); `<a href>` becomes `[text](url)` for absolute `http(s)` URLs and
/// plain text otherwise; `<ul>`/`<ol>`/`<li>` become `-` / `1.` lists (nested lists indented);
/// `<dl>` becomes a list of `**term**` items; `<b>`/`<strong>` and `<i>`/`<em>` become `**` / `*`
/// (or inline `<strong>` / `<em>` where CommonMark would not close `**`, as in `**Note:**text`);
/// `<note>`, `<important>` and `<warning>` become paragraphs starting with `**Note:**` etc.;
/// `<pre>` becomes a `text` code fence; `<br>` becomes a hard line break (two in a row, a
/// paragraph break). Bare URLs become autolinks. Whitespace is collapsed, lines carry no trailing
/// spaces, there is never more than one blank line in a row, and paragraph text is never
/// indented. The function never panics.
pub fn html_to_markdown(html: &str) -> String {
    let input = sanitize_input(html);
    let tokens = tokenize(&input);
    let is_html = tokens
        .iter()
        .any(|t| matches!(t, Token::Start { .. } | Token::End { .. }));
    let markdown = if is_html {
        let root = build_tree(tokens);
        let mut cx = BlockCx::default();
        render_blocks(&root, &mut cx);
        cx.flush();
        let mut lines = Vec::new();
        write_blocks(&cx.out, "", false, &mut lines);
        lines
    } else {
        markdown_passthrough(&input)
    };
    finish(markdown)
}

/// Splits Markdown into the strings of `#[doc = ...]` attributes, one per line: each non-empty
/// line is prefixed with a single space (as `///` would produce), empty lines stay empty, trailing
/// whitespace and leading/trailing empty lines are dropped. Empty input gives no lines.
pub fn doc_lines(markdown: &str) -> Vec<String> {
    let clean = sanitize_input(markdown);
    let lines: Vec<&str> = clean.split('\n').map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    match (first, last) {
        (Some(first), Some(last)) => lines[first..=last]
            .iter()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!(" {l}")
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Input cleaning and entities
// ---------------------------------------------------------------------------------------------

/// Characters that may appear in generated doc comments. Control characters other than newline
/// and tab are dropped (a bare CR is a compile error in a doc comment), and so are the bidi
/// override characters that rustc's `text_direction_codepoint_in_comment` lint denies.
fn allowed_char(c: char) -> bool {
    if c == '\n' || c == '\t' {
        return true;
    }
    !c.is_control()
        && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        && !is_delimiter(c)
}

/// Normalises line endings to `\n` and drops characters that are not [`allowed_char`].
fn sanitize_input(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| allowed_char(c))
        .collect()
}

/// Named character references the decoder knows; others are left as written.
const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", " "),
    ("ensp", " "),
    ("emsp", " "),
    ("thinsp", " "),
    ("shy", ""),
    ("ndash", "\u{2013}"),
    ("mdash", "\u{2014}"),
    ("hellip", "\u{2026}"),
    ("lsquo", "\u{2018}"),
    ("rsquo", "\u{2019}"),
    ("sbquo", "\u{201A}"),
    ("ldquo", "\u{201C}"),
    ("rdquo", "\u{201D}"),
    ("bdquo", "\u{201E}"),
    ("laquo", "\u{AB}"),
    ("raquo", "\u{BB}"),
    ("bull", "\u{2022}"),
    ("middot", "\u{B7}"),
    ("copy", "\u{A9}"),
    ("reg", "\u{AE}"),
    ("trade", "\u{2122}"),
    ("deg", "\u{B0}"),
    ("plusmn", "\u{B1}"),
    ("times", "\u{D7}"),
    ("divide", "\u{F7}"),
    ("micro", "\u{B5}"),
    ("para", "\u{B6}"),
    ("sect", "\u{A7}"),
    ("le", "\u{2264}"),
    ("ge", "\u{2265}"),
    ("ne", "\u{2260}"),
    ("infin", "\u{221E}"),
    ("larr", "\u{2190}"),
    ("rarr", "\u{2192}"),
    ("uarr", "\u{2191}"),
    ("darr", "\u{2193}"),
    ("harr", "\u{2194}"),
    ("euro", "\u{20AC}"),
    ("pound", "\u{A3}"),
    ("yen", "\u{A5}"),
    ("cent", "\u{A2}"),
    ("prime", "\u{2032}"),
    ("frac12", "\u{BD}"),
];

/// Decodes one character reference starting at `s` (which begins with `&`). Returns the
/// replacement text and the length consumed, or `None` if this is not a reference.
fn decode_entity(s: &str) -> Option<(String, usize)> {
    let semi = s.char_indices().take(34).find(|&(_, c)| c == ';')?.0;
    let body = &s[1..semi];
    let decoded = if let Some(num) = body.strip_prefix('#') {
        let (digits, radix) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (num, 10),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let c = u32::from_str_radix(digits, radix)
            .ok()
            .filter(|&n| n != 0)
            .and_then(char::from_u32)
            .unwrap_or('\u{FFFD}');
        if allowed_char(c) && c != '\n' && c != '\t' {
            c.to_string()
        } else if c.is_whitespace() {
            " ".to_owned()
        } else {
            String::new()
        }
    } else {
        ENTITIES
            .iter()
            .find(|(name, _)| *name == body)
            .map(|(_, text)| (*text).to_owned())?
    };
    Some((decoded, semi + 1))
}

/// Replaces character references in `s`; unknown or malformed ones are kept as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        match decode_entity(rest) {
            Some((text, len)) => {
                out.push_str(&text);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

/// What a known tag means for rendering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Paragraph-like container: block boundary before and after (`p`, `div`, ...).
    Block,
    /// `h1`..`h6`: a bold paragraph.
    Heading,
    /// `ul` / `ol`.
    List { ordered: bool },
    /// `li`.
    Item,
    /// `dl`.
    DefList,
    /// `dt`.
    Term,
    /// `dd`.
    Definition,
    /// `pre`: fenced code block.
    Pre,
    /// `note`, `important`, ...: a labelled paragraph.
    Admonition(&'static str),
    /// `code` and friends: code span.
    Code,
    /// `b` / `strong`.
    Strong,
    /// `i` / `em` and friends.
    Emphasis,
    /// `a`.
    Link,
    /// `br` (void).
    Break,
    /// `hr` (void): a block boundary.
    Rule,
    /// `td` / `th`: inline, separated by spaces.
    Cell,
    /// Inline markup without a Markdown equivalent (`span`, `u`, ...): children only.
    Inline,
    /// Void elements without text (`img`, ...): dropped.
    Skip,
    /// Elements whose content is not documentation (`script`, `style`): dropped with content.
    Drop,
}

impl Kind {
    fn is_void(self) -> bool {
        matches!(self, Kind::Break | Kind::Rule | Kind::Skip)
    }

    /// Block-level elements close an open `<p>` when they start.
    fn closes_paragraph(self) -> bool {
        matches!(
            self,
            Kind::Block
                | Kind::Heading
                | Kind::List { .. }
                | Kind::Item
                | Kind::DefList
                | Kind::Term
                | Kind::Definition
                | Kind::Pre
                | Kind::Admonition(_)
                | Kind::Rule
        )
    }
}

/// Classifies a lower-cased tag name; `None` means unknown (kept as literal text).
fn classify(name: &str) -> Option<Kind> {
    Some(match name {
        "p" | "div" | "section" | "article" | "header" | "footer" | "main" | "nav" | "aside"
        | "address" | "blockquote" | "center" | "figure" | "figcaption" | "caption" | "details"
        | "summary" | "table" | "thead" | "tbody" | "tfoot" | "tr" | "form" | "fieldset"
        | "fullname" | "examples" | "example" | "para" | "simpara" => Kind::Block,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Heading,
        "ul" | "menu" | "dir" | "itemizedlist" => Kind::List { ordered: false },
        "ol" | "orderedlist" => Kind::List { ordered: true },
        "li" | "listitem" => Kind::Item,
        "dl" => Kind::DefList,
        "dt" => Kind::Term,
        "dd" => Kind::Definition,
        "pre" | "programlisting" | "screen" => Kind::Pre,
        "note" => Kind::Admonition("Note"),
        "important" => Kind::Admonition("Important"),
        "warning" => Kind::Admonition("Warning"),
        "caution" => Kind::Admonition("Caution"),
        "tip" => Kind::Admonition("Tip"),
        "code" | "tt" | "kbd" | "samp" | "literal" | "userinput" | "filename"
        | "computeroutput" => Kind::Code,
        "b" | "strong" => Kind::Strong,
        "i" | "em" | "cite" | "var" | "dfn" | "replaceable" | "emphasis" => Kind::Emphasis,
        "a" => Kind::Link,
        "br" => Kind::Break,
        "hr" => Kind::Rule,
        "td" | "th" => Kind::Cell,
        "span" | "u" | "small" | "big" | "sup" | "sub" | "abbr" | "acronym" | "font" | "mark"
        | "s" | "strike" | "del" | "ins" | "q" | "label" | "nobr" | "html" | "body" => Kind::Inline,
        "img" | "wbr" | "input" | "meta" | "link" | "area" | "base" | "col" | "embed" | "param"
        | "source" | "track" => Kind::Skip,
        "script" | "style" | "head" | "template" => Kind::Drop,
        _ => return None,
    })
}

#[derive(Debug)]
enum Token {
    /// Text with character references decoded.
    Text(String),
    Start {
        kind: Kind,
        name: String,
        href: Option<String>,
        self_closing: bool,
    },
    End {
        kind: Kind,
        name: String,
    },
}

/// Splits HTML into text and known tags. Comments, doctypes and processing instructions are
/// dropped; unknown tags and anything that does not parse as a tag become literal text.
fn tokenize(s: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while let Some(off) = s[i..].find('<') {
        let at = i + off;
        text.push_str(&s[i..at]);
        match parse_markup(s, at) {
            Some((token, end)) => {
                match token {
                    Some(Token::Text(t)) => text.push_str(&t),
                    Some(tag) => {
                        if !text.is_empty() {
                            tokens.push(Token::Text(decode_entities(&std::mem::take(&mut text))));
                        }
                        tokens.push(tag);
                    }
                    None => {}
                }
                i = end;
            }
            None => {
                text.push('<');
                i = at + 1;
            }
        }
    }
    text.push_str(&s[i..]);
    if !text.is_empty() {
        tokens.push(Token::Text(decode_entities(&text)));
    }
    tokens
}

/// Parses the markup starting at `s[at] == '<'`. Returns the token (`None` for comments and
/// declarations, `Text` for unknown tags, kept verbatim) and the byte offset just past it, or
/// `None` if this `<` starts no markup.
fn parse_markup(s: &str, at: usize) -> Option<(Option<Token>, usize)> {
    let rest = &s[at..];
    if let Some(body) = rest.strip_prefix("<!--") {
        let end = body.find("-->")?;
        return Some((None, at + 4 + end + 3));
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        let end = rest.find('>')?;
        return Some((None, at + end + 1));
    }
    let (closing, name_start) = if rest.starts_with("</") {
        (true, 2)
    } else {
        (false, 1)
    };
    if !rest[name_start..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len = rest[name_start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':'))
        .unwrap_or(rest.len() - name_start);
    let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
    let attrs_start = name_start + name_len;
    let close = find_tag_end(&rest[attrs_start..])? + attrs_start;
    let end = at + close + 1;
    let Some(kind) = classify(&name) else {
        return Some((Some(Token::Text(rest[..=close].to_owned())), end));
    };
    if closing {
        return Some((Some(Token::End { kind, name }), end));
    }
    let attrs = &rest[attrs_start..close];
    let self_closing = attrs.trim_end().ends_with('/');
    let href = if kind == Kind::Link {
        attribute(attrs, "href")
    } else {
        None
    };
    Some((
        Some(Token::Start {
            kind,
            name,
            href,
            self_closing,
        }),
        end,
    ))
}

/// Offset of the `>` that ends a tag whose attributes start at `s`, honouring quoted attribute
/// values; `None` if there is none within [`MAX_TAG_LEN`].
fn find_tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut after_equals = false;
    for (i, c) in s.char_indices() {
        if i > MAX_TAG_LEN {
            return None;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '>' => return Some(i),
            None if after_equals && (c == '"' || c == '\'') => {
                quote = Some(c);
                after_equals = false;
            }
            None if c == '=' => after_equals = true,
            None if c.is_whitespace() => {}
            None => after_equals = false,
        }
    }
    None
}

/// Value of attribute `wanted` (entity-decoded) in the attribute text of a tag.
fn attribute(attrs: &str, wanted: &str) -> Option<String> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len())
            .max(1);
        let name = &rest[..name_len];
        rest = rest[name_len..].trim_start();
        let mut value = None;
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                    Some(end) => (&after[1..1 + end], &after[end + 2..]),
                    None => (&after[1..], ""),
                },
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = Some(v);
            rest = remaining;
        }
        if name.eq_ignore_ascii_case(wanted) {
            return Some(decode_entities(value.unwrap_or("")));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tree
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Node {
    Text(String),
    Elem(Elem),
}

#[derive(Debug)]
struct Elem {
    kind: Kind,
    name: String,
    href: Option<String>,
    children: Vec<Node>,
}

impl Elem {
    fn new(kind: Kind, name: String, href: Option<String>) -> Self {
        Elem {
            kind,
            name,
            href,
            children: Vec::new(),
        }
    }
}

/// Pops the open elements above index `keep` (exclusive), attaching each to its parent.
fn close_to(stack: &mut Vec<Elem>, keep: usize) {
    while stack.len() > keep.max(1) {
        if let Some(elem) = stack.pop() {
            if let Some(parent) = stack.last_mut() {
                parent.children.push(Node::Elem(elem));
            }
        }
    }
}

/// Index of the nearest open element (searching down from the top, never the root) for which
/// `target` holds, unless an element for which `barrier` holds comes first.
fn find_open(
    stack: &[Elem],
    target: impl Fn(&Elem) -> bool,
    barrier: impl Fn(&Elem) -> bool,
) -> Option<usize> {
    for (i, elem) in stack.iter().enumerate().skip(1).rev() {
        if target(elem) {
            return Some(i);
        }
        if barrier(elem) {
            return None;
        }
    }
    None
}

/// Builds the element tree with HTML's usual forgiveness: implicit closes for `p`, `li`, `dt`,
/// `dd`; end tags without a matching open element are ignored; unclosed elements are closed at
/// the end; nesting deeper than [`MAX_DEPTH`] is flattened.
fn build_tree(tokens: Vec<Token>) -> Vec<Node> {
    let mut stack = vec![Elem::new(Kind::Inline, String::new(), None)];
    for token in tokens {
        match token {
            Token::Text(text) => {
                if let Some(top) = stack.last_mut() {
                    // Text separated only by ignored markup is one text node.
                    match top.children.last_mut() {
                        Some(Node::Text(previous)) => previous.push_str(&text),
                        _ => top.children.push(Node::Text(text)),
                    }
                }
            }
            Token::Start {
                kind,
                name,
                href,
                self_closing,
            } => {
                if kind.closes_paragraph() {
                    let p = find_open(
                        &stack,
                        |e| e.name == "p",
                        |e| e.kind != Kind::Inline && !is_inline_markup(e.kind),
                    );
                    if let Some(p) = p {
                        close_to(&mut stack, p);
                    }
                }
                let sibling = match kind {
                    Kind::Item => find_open(
                        &stack,
                        |e| e.kind == Kind::Item,
                        |e| {
                            matches!(
                                e.kind,
                                Kind::List { .. } | Kind::DefList | Kind::Admonition(_) | Kind::Pre
                            )
                        },
                    ),
                    Kind::Term | Kind::Definition => find_open(
                        &stack,
                        |e| matches!(e.kind, Kind::Term | Kind::Definition),
                        |e| matches!(e.kind, Kind::List { .. } | Kind::DefList | Kind::Pre),
                    ),
                    _ => None,
                };
                if let Some(sibling) = sibling {
                    close_to(&mut stack, sibling);
                }
                let elem = Elem::new(kind, name, href);
                if kind.is_void() || self_closing {
                    if let Some(top) = stack.last_mut() {
                        top.children.push(Node::Elem(elem));
                    }
                } else if stack.len() <= MAX_DEPTH {
                    stack.push(elem);
                }
            }
            Token::End { kind, name } => {
                if kind == Kind::Break {
                    // `</br>` is treated as `<br>`, as browsers do.
                    if let Some(top) = stack.last_mut() {
                        top.children.push(Node::Elem(Elem::new(kind, name, None)));
                    }
                } else if let Some(open) = find_open(&stack, |e| e.name == name, |_| false) {
                    close_to(&mut stack, open);
                }
            }
        }
    }
    close_to(&mut stack, 1);
    stack.pop().map(|root| root.children).unwrap_or_default()
}

fn is_inline_markup(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Code | Kind::Strong | Kind::Emphasis | Kind::Link | Kind::Cell
    )
}

// ---------------------------------------------------------------------------------------------
// Rendering: tree to Markdown blocks
// ---------------------------------------------------------------------------------------------

/// A Markdown block. Paragraph text is final Markdown (escaped), lines joined by hard breaks.
#[derive(Debug)]
enum Block {
    Para(String),
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    Code(String),
}

/// Block-level rendering state: finished blocks plus the inline text of the paragraph being
/// built. In the inline buffer `\n` marks a hard line break (`<br>`).
#[derive(Default)]
struct BlockCx {
    out: Vec<Block>,
    inline: String,
}

impl BlockCx {
    /// Ends the current paragraph (if it has any text).
    fn flush(&mut self) {
        let inline = std::mem::take(&mut self.inline);
        for para in finish_inline(&inline) {
            self.out.push(Block::Para(para));
        }
    }
}

/// Inline rendering state.
#[derive(Clone, Copy, Default)]
struct InlineCx {
    in_link: bool,
    strong: bool,
    emphasis: bool,
}

/// Turns an inline buffer into paragraphs: each `\n` is a hard break, an empty line between two
/// breaks a paragraph break; spaces are collapsed, lines trimmed, emphasis delimiters resolved
/// and each line's first character escaped if Markdown would read it as block syntax.
fn finish_inline(inline: &str) -> Vec<String> {
    let mut paras = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut finish = |lines: &mut Vec<String>| {
        if !lines.is_empty() {
            let para = resolve_emphasis(&lines.join("\\\n"));
            let escaped: Vec<String> = para
                .split('\n')
                .map(|line| escape_line_start(&link_bare_urls(line)))
                .collect();
            paras.push(escaped.join("\n"));
            lines.clear();
        }
    };
    for segment in inline.split('\n') {
        let line = collapse_spaces(segment);
        if line.is_empty() {
            finish(&mut lines);
        } else {
            lines.push(line);
        }
    }
    finish(&mut lines);
    paras.retain(|p| !p.trim().is_empty());
    paras
}

// Emphasis delimiters are written to the inline buffer as placeholder characters (from the
// private use area, removed from all input) and only turned into Markdown once the paragraph is
// complete, when the characters around them are known.
const STRONG_OPEN: char = '\u{E000}';
const STRONG_CLOSE: char = '\u{E001}';
const EM_OPEN: char = '\u{E002}';
const EM_CLOSE: char = '\u{E003}';

fn is_delimiter(c: char) -> bool {
    matches!(c, STRONG_OPEN | STRONG_CLOSE | EM_OPEN | EM_CLOSE)
}

/// Replaces the emphasis placeholders of one paragraph: `**`/`*` where CommonMark's flanking
/// rules let them open and close (`**Note:**text` would not close), `<strong>`/`<em>` otherwise.
/// A close directly followed by an open of the same kind is merged away; unpaired delimiters
/// (emphasis split by a paragraph break) are dropped.
fn resolve_emphasis(para: &str) -> String {
    let mut chars: Vec<char> = Vec::with_capacity(para.len());
    for c in para.chars() {
        let merges = matches!(
            (chars.last(), c),
            (Some(&STRONG_CLOSE), STRONG_OPEN) | (Some(&EM_CLOSE), EM_OPEN)
        );
        if merges {
            chars.pop();
        } else {
            chars.push(c);
        }
    }
    // Pair openers with closers; `partner[i]` is the index of the other delimiter of a pair.
    let mut partner: Vec<Option<usize>> = vec![None; chars.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let opener = match c {
            STRONG_OPEN | EM_OPEN => {
                open.push(i);
                continue;
            }
            STRONG_CLOSE => STRONG_OPEN,
            EM_CLOSE => EM_OPEN,
            _ => continue,
        };
        if let Some(pos) = open.iter().rposition(|&j| chars[j] == opener) {
            let j = open.remove(pos);
            partner[i] = Some(j);
            partner[j] = Some(i);
        }
    }
    let at = |i: usize| chars.get(i).copied();
    let before = |i: usize| if i == 0 { None } else { at(i - 1) };
    let punct = |c: char| !c.is_alphanumeric() && !c.is_whitespace();
    let space_or_punct = |c: Option<char>| match c {
        None => true,
        Some(c) => c.is_whitespace() || punct(c),
    };
    let markdown_ok = |open: usize, close: usize| {
        let (b, a, z, y) = (before(open), at(open + 1), before(close), at(close + 1));
        if [b, a, z, y].iter().any(|c| c.is_some_and(is_delimiter)) {
            return false;
        }
        let opens = a.is_some_and(|a| !a.is_whitespace() && (!punct(a) || space_or_punct(b)));
        let closes = z.is_some_and(|z| !z.is_whitespace() && (!punct(z) || space_or_punct(y)));
        opens && closes
    };
    let mut out = String::with_capacity(para.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if !is_delimiter(c) {
            out.push(c);
            continue;
        }
        let Some(other) = partner[i] else { continue };
        let (open, close) = if other > i { (i, other) } else { (other, i) };
        let text = match (c, markdown_ok(open, close)) {
            (STRONG_OPEN | STRONG_CLOSE, true) => "**",
            (EM_OPEN | EM_CLOSE, true) => "*",
            (STRONG_OPEN, false) => "<strong>",
            (STRONG_CLOSE, false) => "</strong>",
            (EM_OPEN, false) => "<em>",
            _ => "</em>",
        };
        out.push_str(text);
    }
    out
}

/// Collapses runs of whitespace to one space and trims.
fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes a first character that would start a heading, list, quote, thematic break, setext
/// underline or definition at the beginning of a line.
fn escape_line_start(line: &str) -> String {
    match line.chars().next() {
        Some('#' | '-' | '+' | '=' | ':' | '>') => format!("\\{line}"),
        Some(c) if c.is_ascii_digit() => {
            let digits = line
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(line.len());
            if digits <= 9 && matches!(line[digits..].chars().next(), Some('.' | ')')) {
                format!("{}\\{}", &line[..digits], &line[digits..])
            } else {
                line.to_owned()
            }
        }
        _ => line.to_owned(),
    }
}

/// Renders nodes at block level into `cx`.
fn render_blocks<'a>(nodes: impl IntoIterator<Item = &'a Node>, cx: &mut BlockCx) {
    for node in nodes {
        let elem = match node {
            Node::Text(text) => {
                push_text(&mut cx.inline, text, false);
                continue;
            }
            Node::Elem(elem) => elem,
        };
        match elem.kind {
            Kind::Block | Kind::Definition => {
                cx.flush();
                render_blocks(&elem.children, cx);
                cx.flush();
            }
            Kind::Heading | Kind::Term => {
                cx.flush();
                let mut inner = String::new();
                let icx = InlineCx {
                    strong: true,
                    ..InlineCx::default()
                };
                render_inline(&elem.children, &mut inner, icx);
                wrap_emphasis(&mut cx.inline, &inner.replace('\n', " "), true);
                cx.flush();
            }
            Kind::List { ordered } => {
                cx.flush();
                if let Some(list) = render_list(elem, ordered) {
                    cx.out.push(list);
                }
            }
            Kind::Item => {
                cx.flush();
                let item = render_item(&elem.children);
                if !item.is_empty() {
                    // Consecutive stray items form one list.
                    if let Some(Block::List {
                        ordered: false,
                        items,
                    }) = cx.out.last_mut()
                    {
                        items.push(item);
                    } else {
                        cx.out.push(Block::List {
                            ordered: false,
                            items: vec![item],
                        });
                    }
                }
            }
            Kind::DefList => {
                cx.flush();
                if let Some(list) = render_definition_list(elem) {
                    cx.out.push(list);
                }
            }
            Kind::Pre => {
                cx.flush();
                let code = pre_text(elem);
                if !code.is_empty() {
                    cx.out.push(Block::Code(code));
                }
            }
            Kind::Admonition(label) => {
                cx.flush();
                let mut sub = BlockCx::default();
                render_blocks(&elem.children, &mut sub);
                sub.flush();
                if !sub.out.is_empty() {
                    let label = format!("**{label}:**");
                    match sub.out.first_mut() {
                        Some(Block::Para(text)) => *text = format!("{label} {text}"),
                        _ => sub.out.insert(0, Block::Para(label)),
                    }
                    cx.out.extend(sub.out);
                }
            }
            Kind::Break => cx.inline.push('\n'),
            Kind::Rule => cx.flush(),
            Kind::Cell => {
                cx.inline.push(' ');
                render_blocks(&elem.children, cx);
                cx.inline.push(' ');
            }
            Kind::Inline => render_blocks(&elem.children, cx),
            Kind::Code | Kind::Strong | Kind::Emphasis | Kind::Link => {
                render_inline_elem(elem, &mut cx.inline, InlineCx::default());
            }
            Kind::Skip | Kind::Drop => {}
        }
    }
}

/// Renders the blocks of one list item.
fn render_item<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> Vec<Block> {
    let mut cx = BlockCx::default();
    render_blocks(nodes, &mut cx);
    cx.flush();
    cx.out
}

fn is_blank_text(node: &Node) -> bool {
    matches!(node, Node::Text(t) if t.trim().is_empty())
}

/// Renders `<ul>` / `<ol>`. Content outside `<li>` (a nested list written directly inside the
/// list, stray text) is attached to the previous item, or forms an item if there is none.
fn render_list(list: &Elem, ordered: bool) -> Option<Block> {
    let mut items: Vec<Vec<Block>> = Vec::new();
    for node in &list.children {
        if is_blank_text(node) {
            continue;
        }
        match node {
            Node::Elem(elem) if elem.kind == Kind::Item => items.push(render_item(&elem.children)),
            other => {
                let blocks = render_item([other]);
                match items.last_mut() {
                    Some(last) => last.extend(blocks),
                    None => items.push(blocks),
                }
            }
        }
    }
    items.retain(|item| !item.is_empty());
    (!items.is_empty()).then_some(Block::List { ordered, items })
}

/// Renders `<dl>` as a bullet list: each `<dt>` starts an item with the term in bold, the
/// following `<dd>`s are the item's further paragraphs.
fn render_definition_list(list: &Elem) -> Option<Block> {
    let mut items: Vec<Vec<Block>> = Vec::new();
    let mut current: Option<Vec<Block>> = None;
    for node in &list.children {
        if is_blank_text(node) {
            continue;
        }
        let blocks = render_item([node]);
        let is_term = matches!(node, Node::Elem(e) if e.kind == Kind::Term);
        if is_term {
            items.extend(current.take());
            current = Some(blocks);
        } else {
            current.get_or_insert_with(Vec::new).extend(blocks);
        }
    }
    items.extend(current);
    items.retain(|item| !item.is_empty());
    (!items.is_empty()).then_some(Block::List {
        ordered: false,
        items,
    })
}

/// Renders inline nodes into `out`.
fn render_inline(nodes: &[Node], out: &mut String, icx: InlineCx) {
    for node in nodes {
        match node {
            Node::Text(text) => push_text(out, text, icx.in_link),
            Node::Elem(elem) => render_inline_elem(elem, out, icx),
        }
    }
}

/// Renders one element in inline context; block elements are flattened to their text.
fn render_inline_elem(elem: &Elem, out: &mut String, icx: InlineCx) {
    match elem.kind {
        Kind::Code | Kind::Pre => {
            let text = text_content(elem);
            if text.starts_with(char::is_whitespace) {
                out.push(' ');
            }
            out.push_str(&html_code_span(&text));
            if text.ends_with(char::is_whitespace) {
                out.push(' ');
            }
        }
        Kind::Strong if !icx.strong => {
            let mut inner = String::new();
            render_inline(
                &elem.children,
                &mut inner,
                InlineCx {
                    strong: true,
                    ..icx
                },
            );
            wrap_emphasis(out, &inner, true);
        }
        Kind::Emphasis if !icx.emphasis => {
            let mut inner = String::new();
            render_inline(
                &elem.children,
                &mut inner,
                InlineCx {
                    emphasis: true,
                    ..icx
                },
            );
            wrap_emphasis(out, &inner, false);
        }
        Kind::Link => match elem.href.as_deref().and_then(absolute_url) {
            Some(url) if !icx.in_link => {
                let mut inner = String::new();
                render_inline(
                    &elem.children,
                    &mut inner,
                    InlineCx {
                        in_link: true,
                        ..icx
                    },
                );
                let inner = inner.replace('\n', " ");
                let text = collapse_spaces(&text_content(elem));
                if inner.trim().is_empty() || elem.href.as_deref().map(str::trim) == Some(&text) {
                    let lead = if inner.starts_with(' ') { " " } else { "" };
                    let trail = if inner.ends_with(' ') && !inner.trim().is_empty() {
                        " "
                    } else {
                        ""
                    };
                    out.push_str(&format!("{lead}<{url}>{trail}"));
                } else {
                    wrap_with(out, &inner, "[", &format!("]({url})"));
                }
            }
            _ => render_inline(&elem.children, out, icx),
        },
        Kind::Break => out.push('\n'),
        Kind::Admonition(label) => {
            if icx.strong {
                out.push_str(&format!(" {label}: "));
            } else {
                out.push_str(&format!(" **{label}:** "));
            }
            render_inline(&elem.children, out, icx);
            out.push(' ');
        }
        Kind::Block
        | Kind::Heading
        | Kind::List { .. }
        | Kind::Item
        | Kind::DefList
        | Kind::Term
        | Kind::Definition
        | Kind::Cell
        | Kind::Rule => {
            out.push(' ');
            render_inline(&elem.children, out, icx);
            out.push(' ');
        }
        Kind::Strong | Kind::Emphasis | Kind::Inline => render_inline(&elem.children, out, icx),
        Kind::Skip | Kind::Drop => {}
    }
}

/// Writes `inner` between `open` and `close`, moving leading and trailing whitespace (and hard
/// breaks) outside the markers, since Markdown emphasis cannot start or end with whitespace.
fn wrap_with(out: &mut String, inner: &str, open: &str, close: &str) {
    let is_space = |c: char| c == ' ' || c == '\n';
    let trimmed = inner.trim_matches(is_space);
    if trimmed.is_empty() {
        out.push_str(inner);
        return;
    }
    let lead_len = inner.len() - inner.trim_start_matches(is_space).len();
    let trail_start = inner.trim_end_matches(is_space).len();
    out.push_str(&inner[..lead_len]);
    out.push_str(open);
    out.push_str(trimmed);
    out.push_str(close);
    out.push_str(&inner[trail_start..]);
}

/// Wraps `inner` in strong (`**`) or emphasis (`*`) delimiters (as placeholders, see
/// [`resolve_emphasis`]).
fn wrap_emphasis(out: &mut String, inner: &str, strong: bool) {
    if strong {
        wrap_with(
            out,
            inner,
            &STRONG_OPEN.to_string(),
            &STRONG_CLOSE.to_string(),
        );
    } else {
        wrap_with(out, inner, &EM_OPEN.to_string(), &EM_CLOSE.to_string());
    }
}

/// The URL, percent-encoded where Markdown link destinations need it, if `href` is an absolute
/// `http` or `https` URL.
fn absolute_url(href: &str) -> Option<String> {
    let href = href.trim();
    let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return None;
    };
    if !href[scheme_len..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let mut url = String::with_capacity(href.len());
    for c in href.chars() {
        match c {
            ' ' | '<' | '>' | '(' | ')' | '"' | '\\' | '`' | '[' | ']' | '{' | '}' | '|' | '^' => {
                url.push_str(&format!("%{:02X}", c as u32));
            }
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    url.push_str(&format!("%{byte:02X}"));
                }
            }
            c => url.push(c),
        }
    }
    Some(url)
}

/// Text of an element and its descendants, whitespace not yet collapsed; breaks and block
/// boundaries become spaces.
fn text_content(elem: &Elem) -> String {
    fn walk(nodes: &[Node], out: &mut String) {
        for node in nodes {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Elem(elem) => match elem.kind {
                    Kind::Skip | Kind::Drop => {}
                    Kind::Break => out.push(' '),
                    _ => walk(&elem.children, out),
                },
            }
        }
    }
    let mut out = String::new();
    walk(&elem.children, &mut out);
    out
}

/// A code span for HTML text: whitespace collapsed, empty for blank text.
fn html_code_span(text: &str) -> String {
    let text = collapse_spaces(text);
    if text.is_empty() {
        return String::new();
    }
    code_span(&text)
}

/// The one Markdown code span helper: `text` verbatim in a backtick fence
/// longer than any run of backticks inside, padded with a space when the
/// text starts or ends with a backtick or a space (CommonMark strips one
/// such pair). Not for empty text.
pub(crate) fn code_span(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`') + 1);
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn longest_run(s: &str, ch: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for c in s.chars() {
        current = if c == ch { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// The text of a `<pre>` element: whitespace kept, `<br>` and block children as line breaks,
/// trailing whitespace, surrounding blank lines and common indentation removed.
fn pre_text(elem: &Elem) -> String {
    fn walk(nodes: &[Node], out: &mut String) {
        for node in nodes {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Elem(elem) => match elem.kind {
                    Kind::Skip | Kind::Drop => {}
                    Kind::Break => out.push('\n'),
                    Kind::Block | Kind::Item | Kind::Heading | Kind::Term | Kind::Definition => {
                        out.push('\n');
                        walk(&elem.children, out);
                        out.push('\n');
                    }
                    _ => walk(&elem.children, out),
                },
            }
        }
    }
    let mut raw = String::new();
    walk(&elem.children, &mut raw);
    let raw = raw.replace('\t', "    ");
    let lines: Vec<&str> = raw.split('\n').map(str::trim_end).collect();
    let indent = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = Vec::new();
    for line in lines {
        let line = line.get(indent..).unwrap_or("");
        if line.is_empty() && !matches!(out.last(), Some(l) if !l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Appends literal text, escaped for Markdown: whitespace collapsed, a literal `<https://...>`
/// kept as an autolink (unless inside a link), and every character Markdown could interpret
/// escaped. Bare URLs are linked later, per line, by [`link_bare_urls`].
fn push_text(out: &mut String, text: &str, in_link: bool) {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' && (out.ends_with(' ') || chars.get(i + 1) == Some(&' ')) {
            if !out.ends_with(' ') {
                out.push(' ');
            }
            i += 1;
            continue;
        }
        if !in_link && c == '<' {
            // A literal `<https://...>` is already an autolink.
            let url =
                scan_url(&chars, i + 1, false).filter(|(end, _)| chars.get(*end) == Some(&'>'));
            if let Some((end, url)) = url {
                out.push('<');
                out.push_str(&url);
                out.push('>');
                i = end + 1;
                continue;
            }
        }
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '_' => {
                let prev = i > 0 && chars[i - 1].is_alphanumeric();
                let next = chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
                if !(prev && next) {
                    out.push('\\');
                }
                out.push('_');
            }
            '&' => {
                if chars
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '#')
                {
                    out.push('\\');
                }
                out.push('&');
            }
            _ => out.push(c),
        }
        i += 1;
    }
}

/// Writes blocks as lines, each prefixed with `indent`; blocks are separated by a blank line,
/// except that inside a list item a paragraph may be followed directly by a nested list.
fn write_blocks(blocks: &[Block], indent: &str, in_item: bool, lines: &mut Vec<String>) {
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            let para_then_list =
                matches!(blocks[i - 1], Block::Para(_)) && matches!(block, Block::List { .. });
            if !(in_item && para_then_list) {
                lines.push(String::new());
            }
        }
        write_block(block, indent, lines);
    }
}

fn write_block(block: &Block, indent: &str, lines: &mut Vec<String>) {
    let indented = |line: &str| {
        if line.is_empty() {
            String::new()
        } else {
            format!("{indent}{line}")
        }
    };
    match block {
        Block::Para(text) => lines.extend(text.split('\n').map(indented)),
        Block::Code(text) => {
            let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
            lines.push(format!("{indent}{fence}text"));
            lines.extend(text.split('\n').map(indented));
            lines.push(format!("{indent}{fence}"));
        }
        Block::List { ordered, items } => {
            let tight = items.iter().all(|item| {
                matches!(
                    item.as_slice(),
                    [Block::Para(_)] | [Block::Para(_), Block::List { .. }] | [Block::List { .. }]
                )
            });
            for (n, item) in items.iter().enumerate() {
                if n > 0 && !tight {
                    lines.push(String::new());
                }
                let marker = if *ordered {
                    format!("{}. ", n + 1)
                } else {
                    "- ".to_owned()
                };
                let sub_indent = format!("{indent}{}", " ".repeat(marker.len()));
                let first = lines.len();
                write_blocks(item, &sub_indent, true, lines);
                if let Some(line) = lines.get_mut(first) {
                    let rest = line
                        .strip_prefix(sub_indent.as_str())
                        .unwrap_or(line.as_str());
                    *line = format!("{indent}{marker}{rest}");
                }
            }
        }
    }
}

/// Joins lines: trailing whitespace removed, runs of blank lines collapsed, blank lines at
/// either end dropped, disallowed characters removed.
fn finish(lines: Vec<String>) -> String {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        for line in line.split('\n') {
            let line: String = line
                .trim_end()
                .chars()
                .filter(|&c| allowed_char(c))
                .collect();
            if line.is_empty() && !matches!(out.last(), Some(l) if !l.is_empty()) {
                continue;
            }
            out.push(line);
        }
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

// ---------------------------------------------------------------------------------------------
// Markdown pass-through
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// (description, input, expected Markdown)
    const CASES: &[(&str, &str, &str)] = &[
        ("plain text", "Starts the widget.", "Starts the widget."),
        (
            "plain-text list items indented alike are siblings",
            "Route types:\n        1. Transactional\n        2. Promotional\n        3. Premium",
            "Route types:\n1. Transactional\n2. Promotional\n3. Premium",
        ),
        (
            "paragraphs",
            "<p>First part.</p>\n  <p>Second   part\n spans lines.</p>",
            "First part.\n\nSecond part spans lines.",
        ),
        (
            "code span",
            "<p>Set <code>maxItems</code> to <code>10</code>.</p>",
            "Set `maxItems` to `10`.",
        ),
        ("code with backticks", "<code>a`b</code>", "``a`b``"),
        ("code starting with a backtick", "<code>`x</code>", "`` `x ``"),
        (
            "absolute link",
            "<p>See <a href=\"https://example.com/guide\">the guide</a>.</p>",
            "See [the guide](https://example.com/guide).",
        ),
        ("relative link keeps text", "<p>See <a href=\"guide.html\">the guide</a>.</p>", "See the guide."),
        (
            "link whose text is the URL",
            "<a href=\"https://example.com\">https://example.com</a>",
            "<https://example.com>",
        ),
        ("link with a space in its URL", "<a href=\"https://example.com/a b\">x</a>", "[x](https://example.com/a%20b)"),
        ("bare URL", "<p>Visit https://example.com/docs.</p>", "Visit <https://example.com/docs>."),
        (
            "unordered list",
            "<ul><li>red</li><li>green</li></ul>",
            "- red\n- green",
        ),
        (
            "ordered list",
            "<p>Steps:</p><ol><li><p>Open it.</p></li><li>Close it.</li></ol>",
            "Steps:\n\n1. Open it.\n2. Close it.",
        ),
        (
            "nested list",
            "<ul><li>fruit<ul><li>apple</li><li>pear</li></ul></li><li>bread</li></ul>",
            "- fruit\n  - apple\n  - pear\n- bread",
        ),
        (
            "loose list item with two paragraphs",
            "<ul><li><p>one</p><p>more</p></li><li>two</li></ul>",
            "- one\n\n  more\n\n- two",
        ),
        (
            "unclosed list items",
            "<ul><li>alpha<li>beta</ul>",
            "- alpha\n- beta",
        ),
        (
            "bold and italic",
            "<p>This is <b>very</b> <i>important</i> and <strong> spaced </strong>.</p>",
            "This is **very** *important* and **spaced** .",
        ),
        (
            "note and important",
            "<note><p>Be careful.</p></note><important>Back up first.</important>",
            "**Note:** Be careful.\n\n**Important:** Back up first.",
        ),
        (
            "line breaks",
            "first line<br/>second line<br><br>new paragraph",
            "first line\\\nsecond line\n\nnew paragraph",
        ),
        (
            "pre block",
            "<p>Example:</p><pre><code>\n  {\n    \"a\": 1\n  }\n</code></pre>",
            "Example:\n\n```text\n{\n  \"a\": 1\n}\n```",
        ),
        (
            "definition list",
            "<dl><dt>FAST</dt><dd>Runs quickly.</dd><dt>SLOW</dt><dd>Runs slowly.</dd></dl>",
            "- **FAST**\n\n  Runs quickly.\n\n- **SLOW**\n\n  Runs slowly.",
        ),
        (
            "entities",
            "<p>a &lt; b &amp;&amp; c &gt; d, &quot;q&quot; &#39;s&#39; &#123;x&#x7D;&nbsp;end</p>",
            "a \\< b && c \\> d, \"q\" 's' {x} end",
        ),
        (
            "markdown metacharacters in HTML text",
            "<p>Use [brackets], *stars*, _under_ score_name, a|b, ~tilde and a \\ backslash.</p>",
            "Use \\[brackets\\], \\*stars\\*, \\_under\\_ score_name, a\\|b, \\~tilde and a \\\\ backslash.",
        ),
        (
            "leading hash and list-like text",
            "<p># not a heading</p><p>- not a list</p><p>2. not ordered</p>",
            "\\# not a heading\n\n\\- not a list\n\n2\\. not ordered",
        ),
        (
            "unknown tags are literal",
            "<p>Returns a List<String> value.</p>",
            "Returns a List\\<String\\> value.",
        ),
        (
            "stray fullname, divs and unbalanced close tags",
            "<fullname>Widget Service</fullname><div><p>Manages widgets.</div></b></p>",
            "Widget Service\n\nManages widgets.",
        ),
        ("comment dropped", "<p>kept<!-- hidden --> text</p>", "kept text"),
        (
            "markdown passes through",
            "Use `foo[0]` and *emphasis*.\n\nSee [docs](https://example.com) or [Other].",
            "Use `foo[0]` and *emphasis*.\n\nSee [docs](https://example.com) or \\[Other\\].",
        ),
        (
            "markdown relative link and generic",
            "Returns Map<K, V>; see [here](other.md).",
            "Returns Map\\<K, V\\>; see here.",
        ),
        (
            "markdown indented code and fences",
            "Intro.\n\n    indented\n\n```\nlet x = 1;\n```",
            "Intro.\n\nindented\n\n```text\nlet x = 1;\n```",
        ),
        (
            "markdown list keeps nesting",
            "- a\n    - b\n\nafter",
            "- a\n  - b\n\nafter",
        ),
        (
            "emphasis CommonMark would not close falls back to HTML",
            "<b>Note:</b>text and <i>(optional)</i>word",
            "<strong>Note:</strong>text and <em>(optional)</em>word",
        ),
        ("adjacent bold merges", "<b>a</b><b>b</b> c", "**ab** c"),
        ("bold split by a paragraph break", "<b>a<br/><br/>b</b>", "a\n\nb"),
        ("nested bold and italic", "<b><i>both</i></b>", "<strong><em>both</em></strong>"),
        (
            "literal autolink in HTML text",
            "<p>See <https://example.com/x>.</p>",
            "See <https://example.com/x>.",
        ),
        ("markdown autolink kept", "See <https://example.com> now", "See <https://example.com> now"),
        (
            "markdown block quote loses code-block indentation",
            "> quoted [x]\n>>      deeper <y>",
            "> quoted \\[x\\]\n> > deeper \\<y\\>",
        ),
        (
            "markdown list marker followed by many spaces",
            "-      item\n2.\tnext",
            "- item\n2.    next",
        ),
        (
            "markdown lone backslash before a URL",
            "path\\https://example.com/x",
            "path\\\\<https://example.com/x>",
        ),
        (
            "markdown line after a list item heading is not code",
            "-    #\n    text",
            "-    #\n   text",
        ),
        ("markdown relative link with padded text", "[    x](    )", "x"),
        ("empty", "", ""),
        ("only tags", "<p></p><ul></ul><code></code>", ""),
        (
            "emphasis inside a link",
            "<a href=\"http://example.com/x\"><code>X</code> docs</a>",
            "[`X` docs](http://example.com/x)",
        ),
    ];

    #[test]
    fn conversion_table() {
        let mut failures = Vec::new();
        for (name, input, expected) in CASES {
            let got = html_to_markdown(input);
            if got != *expected {
                failures.push(format!(
                    "{name}:\n  input:    {input:?}\n  got:      {got:?}\n  expected: {expected:?}"
                ));
            }
            check_shape(&got, name);
        }
        assert!(
            failures.is_empty(),
            "{} case(s) failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// Structural guarantees that must hold for any output.
    fn check_shape(md: &str, name: &str) {
        assert_eq!(md, md.trim(), "{name}: not trimmed");
        assert!(!md.contains("\n\n\n"), "{name}: double blank line");
        let mut in_fence = false;
        for line in md.lines() {
            assert_eq!(line, line.trim_end(), "{name}: trailing whitespace");
            assert!(line.chars().all(allowed_char), "{name}: control character");
            if line.trim_start().starts_with("```") {
                in_fence = !in_fence;
            }
            let indent = line.len() - line.trim_start().len();
            if indent >= 4 && !in_fence {
                // Only list continuation may be indented this far.
                assert!(
                    md.lines()
                        .any(|l| list_marker_width(l.trim_start()).is_some()),
                    "{name}: {line:?}"
                );
            }
        }
    }

    #[test]
    fn garbage_never_panics() {
        let deep_open = "<b><i><ul><li>".repeat(500);
        let deep_div = format!("{}x{}", "<div>".repeat(10_000), "</div>".repeat(3));
        let inputs = [
            "<",
            "<<<",
            ">>>",
            "<<<p>>>",
            "&",
            "&#;",
            "&#x;",
            "&#xFFFFFFFF;",
            "&#99999999999999999999;",
            "&#xD800;",
            "&#0;&#7;&#x202E;",
            "<p",
            "<a href=\"unterminated>text",
            "<a href='https://x.y'>",
            "</p></p></ul></li>",
            "<ul><li><ol><li><dl><dd><pre>",
            "<!-- never closed",
            "<![CDATA[ x ]]>",
            "<pre>```\n````</pre>",
            "<code></code><code> </code>",
            "[[[[[[[[(http://a)",
            "[x](http://a",
            "`unclosed ``code",
            "```\nunclosed fence",
            "\u{0}\r\n\u{202E}text\r",
            "<p>caf\u{e9} \u{1F600} \u{65}\u{301}</p>",
            "https://",
            "http://(",
            "<a href=\"https://\u{e9}.example\">\u{e9}</a>",
            "<li>stray item</li><dt>stray term</dt><dd>stray def</dd>",
            "<note></note><important><ul><li>x</li></ul></important>",
            &deep_open,
            &deep_div,
        ];
        for input in inputs {
            let md = html_to_markdown(input);
            check_shape(&md, input);
            let _ = doc_lines(&md);
        }
    }

    #[test]
    fn plain_text_after_a_plain_list_starts_a_paragraph() {
        // MediaLive's `QvbrQualityLevel`: plain-text docs with a `- ` list
        // and a line after it, which would be the last item's lazy
        // continuation.
        assert_eq!(
            html_to_markdown("Values are:\n- one: 1\n- two: 2\nTo decide, leave it empty."),
            "Values are:\n- one: 1\n- two: 2\n\nTo decide, leave it empty."
        );
        assert_eq!(
            html_to_markdown("- one\n  still one\n- two"),
            "- one\n  still one\n- two"
        );
    }

    #[test]
    fn admonition_starting_with_a_list() {
        assert_eq!(
            html_to_markdown("<note><ul><li>x</li></ul></note>"),
            "**Note:**\n\n- x"
        );
    }

    #[test]
    fn long_ordered_list_indents_by_marker_width() {
        let items: String = (1..=10)
            .map(|n| format!("<li>item {n}<br/>more</li>"))
            .collect();
        let md = html_to_markdown(&format!("<ol>{items}</ol>"));
        assert!(
            md.contains("\n9. item 9\\\n   more\n10. item 10\\\n    more"),
            "{md}"
        );
    }

    #[test]
    fn doc_lines_prefix_and_blank_lines() {
        assert_eq!(doc_lines("a\n\nb\n  c"), vec![" a", "", " b", "   c"]);
        assert_eq!(doc_lines("\n\nx  \n\n"), vec![" x"]);
        assert!(doc_lines("").is_empty());
        assert!(doc_lines(" \n ").is_empty());
    }
}
