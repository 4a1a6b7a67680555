//! The Markdown stage of documentation: passing model text that is
//! Markdown already through, escaping only what rustdoc would misread, and
//! linking bare URLs (both stages use it).

use super::*;

/// Characters that end a URL (also in rustdoc's view).
pub(super) fn ends_url(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`' | '\'')
}

/// If an `http://` or `https://` URL starts at `chars[i]`, the index just past it and the URL.
/// Trailing punctuation and unbalanced closing brackets are not part of it. With `escaped`, a
/// backslash escapes the next character, which becomes part of the URL without the backslash.
pub(super) fn scan_url(chars: &[char], i: usize, escaped: bool) -> Option<(usize, String)> {
    let starts = |prefix: &str| {
        prefix
            .chars()
            .enumerate()
            .all(|(k, p)| chars.get(i + k).is_some_and(|c| c.eq_ignore_ascii_case(&p)))
    };
    let scheme_len = if starts("https://") {
        8
    } else if starts("http://") {
        7
    } else {
        return None;
    };
    // URL characters, each with the index just past its source text.
    let mut url: Vec<(char, usize)> = Vec::new();
    let mut j = i;
    while j < chars.len() {
        let c = chars[j];
        if escaped && c == '\\' && j >= i + scheme_len {
            match chars.get(j + 1) {
                Some(&next) if !ends_url(next) => {
                    url.push((next, j + 2));
                    j += 2;
                    continue;
                }
                _ => break,
            }
        }
        if ends_url(c) {
            break;
        }
        url.push((c, j + 1));
        j += 1;
    }
    while url.len() > scheme_len {
        let last = url[url.len() - 1].0;
        let count = |ch: char| url.iter().filter(|(c, _)| *c == ch).count();
        let unbalanced = |open: char, close: char| last == close && count(close) > count(open);
        if matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '?' | '*' | '_' | '~' | '|' | '\\'
        ) || unbalanced('(', ')')
            || unbalanced('[', ']')
        {
            url.pop();
        } else {
            break;
        }
    }
    if url.len() <= scheme_len {
        return None;
    }
    let end = url[url.len() - 1].1;
    Some((end, url.into_iter().map(|(c, _)| c).collect()))
}

/// Turns bare URLs in one line of rendered Markdown into autolinks. Only URLs in plain text are
/// touched: code spans, autolinks, inline HTML, link text and link destinations are skipped.
/// This runs on finished lines so that a URL assembled from several text nodes is seen whole,
/// as rustdoc's `bare_urls` lint sees it.
pub(super) fn link_bare_urls(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut link_depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let skip_to = match c {
            '\\' => Some((i + 2).min(chars.len())),
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let close = find_backtick_run(&chars, i + run, run);
                Some(close.map_or(i + run, |close| close + run))
            }
            '<' => Some(
                chars[i..]
                    .iter()
                    .position(|&c| c == '>')
                    .map_or(i + 1, |p| i + p + 1),
            ),
            '[' => {
                link_depth += 1;
                Some(i + 1)
            }
            ']' => {
                link_depth = link_depth.saturating_sub(1);
                let dest_end = (chars.get(i + 1) == Some(&'('))
                    .then(|| chars[i..].iter().position(|&c| c == ')'))
                    .flatten();
                Some(dest_end.map_or(i + 1, |p| i + p + 1))
            }
            _ => None,
        };
        if let Some(next) = skip_to {
            out.extend(&chars[i..next]);
            i = next;
            continue;
        }
        if link_depth == 0 {
            if let Some((end, url)) = scan_url(&chars, i, true) {
                out.push('<');
                out.push_str(&url);
                out.push('>');
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Serialising blocks
// ---------------------------------------------------------------------------------------------

/// Removes `<!-- ... -->` comments (an unclosed comment is kept as text).
pub(super) fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("<!--") {
        match rest[start + 4..].find("-->") {
            Some(end) => {
                out.push_str(&rest[..start]);
                rest = &rest[start + 4 + end + 3..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// Width of the list marker (including the spaces after it) if `content` starts a list item.
pub(super) fn list_marker_width(content: &str) -> Option<usize> {
    let marker_len = match content.chars().next()? {
        '-' | '*' | '+' => 1,
        c if c.is_ascii_digit() => {
            let digits = content
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(content.len());
            if digits > 9 || !matches!(content[digits..].chars().next(), Some('.' | ')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    let after = &content[marker_len..];
    if after.is_empty() {
        return Some(marker_len + 1);
    }
    let spaces = after.len() - after.trim_start_matches(' ').len();
    if spaces == 0 {
        return None;
    }
    Some(marker_len + if spaces > 4 { 1 } else { spaces })
}

/// Passes Markdown through line by line (see the module documentation).
pub(super) fn markdown_passthrough(input: &str) -> Vec<String> {
    let input = strip_comments(input);
    let mut out = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut list_content_col: Option<usize> = None;
    // The last list item's indentation as written and as output: an item
    // written at the same indentation is its sibling, not nested in it.
    let mut last_item: Option<(usize, usize)> = None;
    let mut prev_blank = true;
    for raw in input.split('\n') {
        let line = raw.replace('\t', "    ");
        let line = line.trim_end();
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = &line[indent..];
        if let Some((ch, len)) = fence {
            let closes = content.chars().take_while(|&c| c == ch).count() >= len
                && content.trim_start_matches(ch).trim().is_empty();
            if closes {
                let keep = indent.min(list_content_col.unwrap_or(0));
                out.push(format!(
                    "{}{}",
                    " ".repeat(keep),
                    ch.to_string().repeat(len)
                ));
                fence = None;
            } else {
                out.push(line.to_owned());
            }
            continue;
        }
        if content.is_empty() {
            out.push(String::new());
            prev_blank = true;
            continue;
        }
        let marker = list_marker_width(content);
        if prev_blank && indent == 0 && marker.is_none() {
            list_content_col = None;
            last_item = None;
        }
        // Unindented text right after a list item ends the list (written as
        // plain text, it is a new line, not the item's lazy continuation).
        if !prev_blank && indent == 0 && marker.is_none() && last_item.is_some() {
            out.push(String::new());
            list_content_col = None;
            last_item = None;
        }
        let raw_indent = indent;
        // Indentation is kept only as list structure: up to the current item's content column,
        // or at most three spaces when less (four would start an indented code block).
        let col = list_content_col.unwrap_or(0);
        let indent = match (marker, last_item) {
            (Some(_), Some((raw, out))) if raw == raw_indent => out,
            _ if indent >= col => col,
            _ => indent.min(3),
        };
        if marker.is_some() {
            last_item = Some((raw_indent, indent));
        }
        prev_blank = false;
        let pad = " ".repeat(indent);
        let fence_char = content.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(ch) = fence_char {
            let len = content.chars().take_while(|&c| c == ch).count();
            let info = &content[len..];
            if len >= 3 && !(ch == '`' && info.contains('`')) {
                // Unlabelled or Rust fences would become doctests: label every fence `text`.
                out.push(format!("{pad}{}text", ch.to_string().repeat(len)));
                fence = Some((ch, len));
                continue;
            }
        }
        if let Some(width) = marker {
            list_content_col = Some(indent + width);
        }
        // More than four spaces after a list marker would start an indented code block.
        let normalized: String;
        let content = match content.find(' ') {
            Some(marker_len) if marker.is_some() => {
                let rest = content[marker_len..].trim_start();
                if content.len() - marker_len - rest.len() > 4 {
                    normalized = format!("{} {rest}", &content[..marker_len]);
                    normalized.as_str()
                } else {
                    content
                }
            }
            _ => content,
        };
        // Keep block-quote markers at the start of the line.
        let quote_len = content.len() - content.trim_start_matches(['>', ' ']).len();
        let (quote, text) = content.split_at(quote_len);
        // One space after each marker: more would start an indented code block in the quote.
        let quote = "> ".repeat(quote.matches('>').count());
        // A link reduced to its text may leave leading spaces.
        let text = escape_markdown_inline(text, false, 0);
        out.push(format!("{pad}{quote}{}", text.trim_start()));
    }
    if let Some((ch, len)) = fence {
        out.push(ch.to_string().repeat(len));
    }
    out
}

/// Escapes one line of Markdown: `[`, `]`, `<`, `>` and unmatched backticks outside code spans
/// are escaped, links keep their form only for absolute `http(s)` URLs (otherwise only their
/// text remains), autolinks are kept and bare URLs become autolinks.
pub(super) fn escape_markdown_inline(text: &str, in_link: bool, depth: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => {
                out.push(c);
                out.push(chars[i + 1]);
                i += 2;
            }
            '\\' if i + 1 < chars.len() => {
                // A literal backslash; doubled so it cannot escape an autolink's `<` put after it.
                out.push_str("\\\\");
                i += 1;
            }
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                match find_backtick_run(&chars, i + run, run) {
                    Some(close) => {
                        out.extend(&chars[i..close + run]);
                        i = close + run;
                    }
                    None => {
                        for _ in 0..run {
                            out.push_str("\\`");
                        }
                        i += run;
                    }
                }
            }
            '<' => match autolink_end(&chars, i) {
                Some(end) => {
                    out.extend(&chars[i..end]);
                    i = end;
                }
                None => {
                    out.push_str("\\<");
                    i += 1;
                }
            },
            '>' | ']' => {
                out.push('\\');
                out.push(c);
                i += 1;
            }
            '[' => match (depth < MAX_LINK_NESTING)
                .then(|| parse_link(&chars, i))
                .flatten()
            {
                Some(link) => {
                    let inner: String = chars[i + 1..link.text_end].iter().collect();
                    match absolute_url(&link.dest).filter(|_| !in_link) {
                        Some(url) => {
                            let inner = escape_markdown_inline(&inner, true, depth + 1);
                            out.push_str(&format!("[{inner}]({url})"));
                        }
                        None => out.push_str(&escape_markdown_inline(&inner, in_link, depth + 1)),
                    }
                    i = link.end;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            _ => match scan_url(&chars, i, true).filter(|_| !in_link) {
                Some((end, url)) => {
                    out.push('<');
                    out.push_str(&url);
                    out.push('>');
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
        }
    }
    out
}

/// Start of the next run of exactly `run` backticks at or after `from`.
pub(super) fn find_backtick_run(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let len = chars[j..].iter().take_while(|&&c| c == '`').count();
            if len == run {
                return Some(j);
            }
            j += len;
        } else {
            j += 1;
        }
    }
    None
}

/// End (exclusive) of an autolink `<http(s)://...>` starting at `chars[i] == '<'`.
pub(super) fn autolink_end(chars: &[char], i: usize) -> Option<usize> {
    let (url_end, _) = scan_url(chars, i + 1, false)?;
    let mut end = url_end;
    while end < chars.len() && chars[end] != '>' {
        let c = chars[end];
        if c.is_whitespace() || c == '<' {
            return None;
        }
        end += 1;
    }
    (end < chars.len()).then_some(end + 1)
}

/// A parsed inline link `[text](dest "title")`.
pub(super) struct MdLink {
    /// Index of the `]` closing the text.
    text_end: usize,
    /// Destination without angle brackets or title.
    dest: String,
    /// Index just past the closing `)`.
    end: usize,
}

/// Parses `[text](dest)` starting at `chars[i] == '['` (within [`MAX_LINK_LEN`]).
pub(super) fn parse_link(chars: &[char], i: usize) -> Option<MdLink> {
    let limit = chars.len().min(i + MAX_LINK_LEN);
    let mut depth = 0usize;
    let mut j = i + 1;
    let text_end = loop {
        if j >= limit {
            return None;
        }
        match chars[j] {
            '\\' => j += 1,
            '[' => depth += 1,
            ']' if depth == 0 => break j,
            ']' => depth -= 1,
            _ => {}
        }
        j += 1;
    };
    if chars.get(text_end + 1) != Some(&'(') {
        return None;
    }
    let mut parens = 0usize;
    let mut k = text_end + 2;
    let close = loop {
        if k >= limit {
            return None;
        }
        match chars[k] {
            '\\' => k += 1,
            '(' => parens += 1,
            ')' if parens == 0 => break k,
            ')' => parens -= 1,
            _ => {}
        }
        k += 1;
    };
    let inside: String = chars[text_end + 2..close].iter().collect();
    let dest = inside.split_whitespace().next().unwrap_or("");
    let dest = dest
        .strip_prefix('<')
        .and_then(|d| d.strip_suffix('>'))
        .unwrap_or(dest);
    Some(MdLink {
        text_end,
        dest: dest.to_owned(),
        end: close + 1,
    })
}
