//! The codecs' errors, shared by every format and by generated code:
//! [`DecodeError`] and [`EncodeError`], and [`Printable`], which displays
//! text from a peer safely. A leaf: it imports no other runtime module.

use std::fmt;

/// A failure to decode a wire value, with the byte offset where it was
/// detected and, inside a structure or union, the member path from the top
/// of the document and the shape holding the failing member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
    offset: usize,
    /// The member path (`Replication.ReplicationStats.TablesLoaded`) and the
    /// innermost shape, boxed: most errors never leave the JSON reader.
    at: Option<Box<(String, &'static str)>>,
}

impl DecodeError {
    /// Creates an error with a message and the byte offset it refers to.
    pub fn new(message: impl Into<String>, offset: usize) -> Self {
        DecodeError {
            message: message.into(),
            offset,
            at: None,
        }
    }

    /// Returns the same error as found in `member` of `shape`: the member
    /// is prepended to the path; the first (innermost) shape is kept.
    pub fn in_member(mut self, shape: &'static str, member: &'static str) -> Self {
        self.at = Some(match self.at.take() {
            None => Box::new((member.to_string(), shape)),
            Some(mut at) => {
                at.0.insert(0, '.');
                at.0.insert_str(0, member);
                at
            }
        });
        self
    }

    /// The member path from the top of the document, if the error was
    /// found inside a structure or union.
    pub fn path(&self) -> Option<&str> {
        self.at.as_ref().map(|at| at.0.as_str())
    }

    /// The shape holding the failing member, if any.
    pub fn shape(&self) -> Option<&'static str> {
        self.at.as_ref().map(|at| at.1)
    }

    /// The human-readable description of the problem.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The byte offset in the input at which the problem was detected.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Returns the same error with `base` added to its offset (saturating).
    ///
    /// Used when an error found in a sub-slice is reported against the whole input.
    pub fn shifted(mut self, base: usize) -> Self {
        self.offset = self.offset.saturating_add(base);
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(at) => write!(
                f,
                "{} at `{}` (a member of {}), byte {}",
                self.message, at.0, at.1, self.offset
            ),
            None => write!(f, "{} at byte {}", self.message, self.offset),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A failure to serialize an input value into a request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// A member marked `@required` had no value.
    MissingRequired {
        /// The Smithy shape name of the structure.
        shape: &'static str,
        /// The Smithy member name.
        member: &'static str,
    },
    /// The `Unknown` variant of a union cannot be sent back to a service.
    UnknownUnionVariant {
        /// The Smithy shape name of the union.
        shape: &'static str,
    },
    /// A value could not be represented on the wire.
    InvalidValue {
        /// The Smithy shape name the value belongs to.
        shape: &'static str,
        /// What is wrong with the value.
        message: String,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::MissingRequired { shape, member } => {
                write!(f, "missing required member `{member}` of `{shape}`")
            }
            EncodeError::UnknownUnionVariant { shape } => {
                write!(f, "cannot serialize the unknown variant of union `{shape}`")
            }
            EncodeError::InvalidValue { shape, message } => {
                write!(f, "invalid value for `{shape}`: {message}")
            }
        }
    }
}

impl std::error::Error for EncodeError {}

/// Text from a server (an error code, a message), displayed with control
/// characters and Unicode direction and invisible-format characters
/// escaped (`\n`, `\u{202e}`), so that it cannot forge log lines or hide
/// text.
#[derive(Clone, Copy, Debug)]
pub struct Printable<'a>(pub &'a str);

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        for c in self.0.chars() {
            let format_char = matches!(
                c,
                '\u{200b}'..='\u{200f}'
                    | '\u{2028}'..='\u{202e}'
                    | '\u{2060}'..='\u{2069}'
                    | '\u{feff}'
            );
            if c.is_control() || format_char {
                write!(f, "{}", c.escape_default())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}
