//! Generator errors: one typed enum, each variant naming the file, shape or
//! member at fault.

use std::fmt;

/// Everything that can go wrong between reading a model and emitting files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The file is not valid JSON, or a shape does not have the JSON AST form.
    Json {
        /// File (and shape, where known).
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The model is valid JSON but not a valid model for this generator.
    Model {
        /// The model file.
        file: String,
        /// The shape at fault, if one is.
        shape: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A member or reference targets a shape that does not exist.
    Dangling {
        /// The model file.
        file: String,
        /// The shape holding the reference.
        shape: String,
        /// The member holding it, if any.
        member: Option<String>,
        /// The missing target.
        target: String,
    },
    /// An operation in the selection does not exist in the service.
    UnknownOperation {
        /// The model file.
        file: String,
        /// The service shape.
        service: String,
        /// The requested name.
        name: String,
        /// Closest existing names.
        suggestions: Vec<String>,
    },
    /// A feature this generator does not support (protocol, shape type, trait).
    Unsupported {
        /// The model file.
        file: String,
        /// The shape at fault.
        shape: String,
        /// What is unsupported.
        message: String,
    },
    /// Two shapes or members map to the same Rust name.
    Collision {
        /// The model file.
        file: String,
        /// Where the names meet (a service, or a structure for members).
        scope: String,
        /// First original name.
        first: String,
        /// Second original name.
        second: String,
        /// The Rust name both map to.
        rust_name: String,
    },
    /// The selection file is wrong.
    Selection {
        /// The selection file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The emitted code did not parse (a generator bug, reported rather than panicking).
    Emit {
        /// The file being emitted.
        file: String,
        /// The parse error.
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Json { file, line, column, message } => {
                write!(f, "{file}:{line}:{column}: malformed JSON: {message}")
            }
            Error::Model { file, shape: Some(shape), message } => write!(f, "{file}: shape `{shape}`: {message}"),
            Error::Model { file, shape: None, message } => write!(f, "{file}: {message}"),
            Error::Dangling { file, shape, member: Some(member), target } => {
                write!(f, "{file}: shape `{shape}`, member `{member}`: target `{target}` does not exist")
            }
            Error::Dangling { file, shape, member: None, target } => {
                write!(f, "{file}: shape `{shape}` refers to `{target}`, which does not exist")
            }
            Error::UnknownOperation { file, service, name, suggestions } => {
                write!(f, "{file}: service `{service}` has no operation `{name}`")?;
                if !suggestions.is_empty() {
                    let list: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
                    write!(f, "; did you mean {}?", list.join(", "))?;
                }
                Ok(())
            }
            Error::Unsupported { file, shape, message } => write!(f, "{file}: shape `{shape}`: unsupported: {message}"),
            Error::Collision { file, scope, first, second, rust_name } => write!(
                f,
                "{file}: in `{scope}`, `{first}` and `{second}` both become the Rust name `{rust_name}`; {}",
                collision_advice(scope, first, second)
            ),
            Error::Selection { file, message } => write!(f, "{file}: {message}"),
            Error::Emit { file, message } => write!(f, "internal error emitting {file}: {message}"),
        }
    }
}

/// What to do about a collision. A service `rename` reaches shapes (named
/// by id, with a `#`); the members of one shape (the scope an id, the names
/// without `#`) cannot be renamed.
fn collision_advice(scope: &str, first: &str, second: &str) -> &'static str {
    if !scope.contains('#') || first.contains('#') || second.contains('#') {
        "add a `rename` to the service shape or change the selection"
    } else {
        "names that differ only in case or punctuation cannot both be generated"
    }
}

impl std::error::Error for Error {}
