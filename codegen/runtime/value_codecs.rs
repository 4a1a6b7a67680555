//! The readers of the values members hold, once for every body format
//! with the same reader methods (JSON and CBOR): strings, numbers,
//! booleans, blobs, documents, boxes, and lists and maps without `null`
//! entries, plus the reader's `member` method.
//!
//! Generated deserializers read a member with one call that returns the
//! arm's result, `"Key" => r.member(&mut slot, shape, member),`: no closure
//! and no `?` per member. A whole-service crate has thousands of members,
//! and those were most of its type-checking time.
//! Timestamps (whose format the member chooses), big numbers, sparse
//! collections and streams keep their spelled-out readers.

use super::json::{JsonDeserialize, JsonReader};

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

value_readers!(JsonDeserialize, read_json, JsonReader);

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::json::{from_json, JsonReader};

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
}
