//! The readers and writers of the values members hold, once for every body
//! format with the same reader and writer methods (JSON and CBOR): strings,
//! numbers, booleans, blobs, documents, boxes, and lists and maps without
//! `null` entries, plus the reader's `member`/`member_with` and the
//! writer's `member`/`field` methods.
//!
//! Generated deserializers read a member with one call that returns the
//! arm's result, `"Key" => r.member(&mut slot, shape, member),`, and
//! serializers write a member whose writing cannot fail with one call,
//! `w.member("Key", &self.x);`: no closure and no `?` per member. A
//! whole-service crate has thousands of members, and those were most of its
//! type-checking time. Timestamps (whose format the member chooses), big
//! numbers, sparse collections and streams keep their spelled-out code.

use super::json::{JsonDeserialize, JsonReader, JsonSerialize, JsonWriter};

/// Implements the format's deserialize trait (`$trait::$read`) for the
/// plain value types and adds `member` to its reader. Paths are spelled
/// from the invoking module, a sibling of this one (`super::`).
macro_rules! value_readers {
    ($trait:ident, $read:ident, $reader:ident) => {
        super::value_codecs::value_readers!(@each $trait, $read, $reader;
            String => read_string, bool => read_bool, i8 => read_i8, i16 => read_i16,
            i32 => read_i32, i64 => read_i64, f32 => read_f32, f64 => read_f64,
            super::blob::Blob => read_blob, super::document::Document => read_document);

        impl<T: $trait> $trait for Box<T> {
            fn $read(r: &mut $reader<'_>) -> Result<Self, super::codec_error::DecodeError> {
                T::$read(r).map(Box::new)
            }
        }

        /// A dense list: `null` entries are skipped.
        impl<T: $trait> $trait for Vec<T> {
            fn $read(r: &mut $reader<'_>) -> Result<Self, super::codec_error::DecodeError> {
                let mut items = Vec::new();
                r.read_array(|r| {
                    if !r.read_null()? {
                        items.push(T::$read(r)?);
                    }
                    Ok(())
                })
                .map(|()| items)
            }
        }

        /// A dense map with string (or string enum) keys: `null` values
        /// are skipped.
        impl<K, V> $trait for ::std::collections::BTreeMap<K, V>
        where
            K: for<'k> From<&'k str> + Ord,
            V: $trait,
        {
            fn $read(r: &mut $reader<'_>) -> Result<Self, super::codec_error::DecodeError> {
                let mut map = ::std::collections::BTreeMap::new();
                r.read_object(|r, key| {
                    if !r.read_null()? {
                        let value = V::$read(r)?;
                        map.insert(K::from(key), value);
                    }
                    Ok(())
                })
                .map(|()| map)
            }
        }

        impl $reader<'_> {
            /// Reads one member's value into `slot`: `null` leaves it
            /// unset, and an error names `shape` and `member`.
            #[doc(hidden)]
            pub fn member<T: $trait>(
                &mut self,
                slot: &mut Option<T>,
                shape: &'static str,
                member: &'static str,
            ) -> Result<(), super::codec_error::DecodeError> {
                self.member_with(slot, shape, member, T::$read)
            }

            /// [`member`](Self::member) with the value read by `read`.
            #[doc(hidden)]
            pub fn member_with<T>(
                &mut self,
                slot: &mut Option<T>,
                shape: &'static str,
                member: &'static str,
                read: impl FnOnce(&mut Self) -> Result<T, super::codec_error::DecodeError>,
            ) -> Result<(), super::codec_error::DecodeError> {
                *slot = self
                    .read_optional(read)
                    .map_err(|e| e.in_member(shape, member))?;
                Ok(())
            }
        }
    };
    (@each $trait:ident, $read:ident, $reader:ident; $($ty:ty => $method:ident),*) => {
        $(
            impl $trait for $ty {
                fn $read(r: &mut $reader<'_>) -> Result<Self, super::codec_error::DecodeError> {
                    r.$method()
                }
            }
        )*
    };
}

pub(crate) use value_readers;

/// Implements the format's serialize trait (`$trait::$write`) for the
/// plain value types, declares `$infallible` (the values whose writing
/// cannot fail: everything here but lists and maps of fallible values;
/// generated enums implement it too), and adds `member` and `field` to the
/// writer. Paths are spelled from the invoking module.
macro_rules! value_writers {
    ($trait:ident, $write:ident, $writer:ident, $infallible:ident) => {
        /// A value whose writing cannot fail: a string, number, boolean, blob,
        /// document or enum, or a list or map of them. Generated serializers
        /// write such a member with one call and no `?`.
        #[doc(hidden)]
        pub trait $infallible: $trait {}

        super::value_codecs::value_writers!(@each $trait, $write, $writer, $infallible;
            String => |w, v| w.string(v), bool => |w, v| w.boolean(*v),
            i8 => |w, v| w.integer(i64::from(*v)), i16 => |w, v| w.integer(i64::from(*v)),
            i32 => |w, v| w.integer(i64::from(*v)), i64 => |w, v| w.integer(*v),
            f32 => |w, v| w.float32(*v), f64 => |w, v| w.float(*v),
            super::blob::Blob => |w, v| w.blob(v.as_bytes()),
            super::document::Document => |w, v| w.document(v));

        impl<T: $trait> $trait for Box<T> {
            fn $write(&self, w: &mut $writer) -> Result<(), super::codec_error::EncodeError> {
                (**self).$write(w)
            }
        }
        impl<T: $infallible> $infallible for Box<T> {}

        impl<T: $trait> $trait for Vec<T> {
            fn $write(&self, w: &mut $writer) -> Result<(), super::codec_error::EncodeError> {
                w.begin_array();
                for item in self {
                    item.$write(w)?;
                }
                w.end_array();
                Ok(())
            }
        }
        impl<T: $infallible> $infallible for Vec<T> {}

        impl<V: $trait> $trait for ::std::collections::BTreeMap<String, V> {
            fn $write(&self, w: &mut $writer) -> Result<(), super::codec_error::EncodeError> {
                w.begin_object();
                for (key, value) in self {
                    w.key(key);
                    value.$write(w)?;
                }
                w.end_object();
                Ok(())
            }
        }
        impl<V: $infallible> $infallible for ::std::collections::BTreeMap<String, V> {}

        impl $writer {
            /// Writes an optional member under `key` when it is set.
            #[doc(hidden)]
            pub fn member<T: $infallible>(&mut self, key: &str, value: &Option<T>) {
                if let Some(v) = value {
                    self.field(key, v);
                }
            }

            /// Writes a member that always has a value under `key`.
            #[doc(hidden)]
            pub fn field<T: $infallible>(&mut self, key: &str, value: &T) {
                self.key(key);
                // `$infallible`: the write cannot fail.
                let written = value.$write(self);
                debug_assert!(written.is_ok());
            }
        }
    };
    (@each $trait:ident, $write:ident, $writer:ident, $infallible:ident; $($ty:ty => |$w:ident, $v:ident| $body:expr),*) => {
        $(
            impl $trait for $ty {
                fn $write(&self, $w: &mut $writer) -> Result<(), super::codec_error::EncodeError> {
                    let $v = self;
                    $body;
                    Ok(())
                }
            }
            impl $infallible for $ty {}
        )*
    };
}

pub(crate) use value_writers;

value_readers!(JsonDeserialize, read_json, JsonReader);
value_writers!(JsonSerialize, write_json, JsonWriter, JsonInfallible);

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::json::{from_json, to_json, JsonReader, JsonWriter};

    #[test]
    fn dense_lists_and_maps_skip_null_entries() {
        let list: Vec<String> = from_json(br#"["a", null, "b"]"#).unwrap();
        assert_eq!(list, ["a", "b"]);
        let map: BTreeMap<String, Vec<i32>> =
            from_json(br#"{"x": [1, null, 2], "y": null, "z": []}"#).unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map["x"], [1, 2]);
        assert!(map["z"].is_empty());
        let boxed: Box<bool> = from_json(b"true").unwrap();
        assert!(*boxed);
    }

    #[test]
    fn a_member_reads_null_as_unset_and_names_itself_in_errors() {
        let mut slot = Some(7_i64);
        JsonReader::new(b"null")
            .member(&mut slot, "Shape", "Count")
            .unwrap();
        assert_eq!(slot, None);
        JsonReader::new(b"42")
            .member(&mut slot, "Shape", "Count")
            .unwrap();
        assert_eq!(slot, Some(42));
        let err = JsonReader::new(br#""x""#)
            .member(&mut slot, "Shape", "Count")
            .unwrap_err()
            .to_string();
        assert!(err.contains("Shape") && err.contains("Count"), "{err}");
        let mut list: Option<Vec<String>> = None;
        let err = JsonReader::new(br#"["a", 1]"#)
            .member(&mut list, "Shape", "Names")
            .unwrap_err()
            .to_string();
        assert!(err.contains("Names"), "{err}");
    }

    #[test]
    fn plain_values_write_as_their_json_and_unset_members_are_left_out() {
        let mut map = BTreeMap::new();
        map.insert("k".to_string(), vec![1.5_f64, f64::NAN]);
        assert_eq!(to_json(&map).unwrap(), r#"{"k":[1.5,"NaN"]}"#);
        let mut w = JsonWriter::new();
        w.begin_object();
        w.member("A", &Some(Box::new(-3_i8)));
        w.member::<String>("B", &None);
        w.field("C", &vec![true, false]);
        w.member("D", &Some("x\"y".to_string()));
        w.end_object();
        assert_eq!(w.into_string(), r#"{"A":-3,"C":[true,false],"D":"x\"y"}"#);
    }
}
