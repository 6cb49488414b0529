//! A serde serializer that feeds a hasher: a value's fingerprint without
//! writing (and escaping) it as JSON first.
//!
//! Every part is hashed with its length or a tag first, so that two
//! different values cannot feed the hasher the same bytes (`["ab", "c"]`
//! and `["a", "bc"]` differ).

use std::hash::Hasher;

use serde::ser::{self, Serialize};

use crate::generations::StableHasher;

/// Feeds everything serialised into it to a hasher.
pub struct HashSerializer(pub StableHasher);

/// Serialising into a hasher cannot fail; serde needs an error type all
/// the same.
#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("hashing failed")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Never {
        Never
    }
}

type Done = Result<(), Never>;

impl HashSerializer {
    fn tag(&mut self, tag: u8) -> Done {
        self.0.write_u8(tag);
        Ok(())
    }

    fn bytes(&mut self, tag: u8, bytes: &[u8]) -> Done {
        self.0.write_u8(tag);
        self.0.write_usize(bytes.len());
        self.0.write(bytes);
        Ok(())
    }
}

/// Numbers of every width hash as one of three kinds, so that a value
/// hashes the same whatever integer type holds it.
macro_rules! numbers {
    ($($method:ident($type:ty) => $write:ident as $as:ty, $tag:literal;)*) => {
        $(fn $method(self, v: $type) -> Done {
            self.0.write_u8($tag);
            self.0.$write(v as $as);
            Ok(())
        })*
    };
}

impl ser::Serializer for &mut HashSerializer {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    numbers! {
        serialize_i8(i8) => write_i64 as i64, 2;
        serialize_i16(i16) => write_i64 as i64, 2;
        serialize_i32(i32) => write_i64 as i64, 2;
        serialize_i64(i64) => write_i64 as i64, 2;
        serialize_u8(u8) => write_u64 as u64, 3;
        serialize_u16(u16) => write_u64 as u64, 3;
        serialize_u32(u32) => write_u64 as u64, 3;
        serialize_u64(u64) => write_u64 as u64, 3;
    }

    fn serialize_bool(self, v: bool) -> Done {
        self.tag(if v { 1 } else { 0 })
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.0.write_u8(4);
        self.0.write_u64(v.to_bits());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        self.bytes(5, v.encode_utf8(&mut [0; 4]).as_bytes())
    }
    fn serialize_str(self, v: &str) -> Done {
        self.bytes(5, v.as_bytes())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.bytes(6, v)
    }
    fn serialize_none(self) -> Done {
        self.tag(7)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Done {
        self.tag(8)?;
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.tag(9)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Done {
        self.tag(9)
    }
    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Done {
        self.serialize_u32(index)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Done {
        self.serialize_u32(index)?;
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(10)?;
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.serialize_u32(index)?;
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(11)?;
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.serialize_u32(index)?;
        self.serialize_map(None)
    }
}

/// Ends a sequence or map: its end is hashed, so that what follows it
/// cannot pass for one more element.
fn end(s: &mut HashSerializer) -> Done {
    s.tag(12)
}

macro_rules! elements {
    ($($trait:ident :: $method:ident;)*) => {
        $(impl ser::$trait for &mut HashSerializer {
            type Ok = ();
            type Error = Never;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
                value.serialize(&mut **self)
            }
            fn end(self) -> Done {
                end(self)
            }
        })*
    };
}

elements! {
    SerializeSeq::serialize_element;
    SerializeTuple::serialize_element;
    SerializeTupleStruct::serialize_field;
    SerializeTupleVariant::serialize_field;
}

impl ser::SerializeMap for &mut HashSerializer {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Done {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        end(self)
    }
}

macro_rules! fields {
    ($($trait:ident;)*) => {
        $(impl ser::$trait for &mut HashSerializer {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Done {
                self.bytes(13, key.as_bytes())?;
                value.serialize(&mut **self)
            }
            fn skip_field(&mut self, key: &'static str) -> Done {
                self.bytes(14, key.as_bytes())
            }
            fn end(self) -> Done {
                end(self)
            }
        })*
    };
}

fields! {
    SerializeStruct;
    SerializeStructVariant;
}

#[cfg(test)]
mod tests {
    use super::super::fingerprint;

    #[test]
    fn values_that_differ_hash_apart_and_equal_ones_together() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_ne!(
            fingerprint(&(Some(1), None::<u8>)),
            fingerprint(&(None::<u8>, Some(1)))
        );
        assert_ne!(
            fingerprint(&vec![vec![1], vec![]]),
            fingerprint(&vec![vec![], vec![1]])
        );
        assert_ne!(fingerprint(&0.1_f64), fingerprint(&0.2_f64));
        assert_eq!(fingerprint(&vec!["x".to_string()]), fingerprint(&["x"]));
        assert_eq!(
            fingerprint(&1_u8),
            fingerprint(&1_u64),
            "a number hashes the same in any width"
        );
    }
}
