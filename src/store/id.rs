//! `ObjectId`: the BLAKE3 hash that names every object. Nothing about storage lives here.

use std::fmt;
use std::str::FromStr;

/// Names an object by the BLAKE3 hash of its bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId([u8; 32]);

impl ObjectId {
    /// Returns the id of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        ObjectId(*blake3::hash(bytes).as_bytes())
    }

    /// Wraps a finished hash.
    pub fn from_hash(h: blake3::Hash) -> Self {
        ObjectId(*h.as_bytes())
    }

    /// Wraps 32 raw bytes; `None` for any other length.
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        b.try_into().ok().map(ObjectId)
    }

    /// Returns the 32 raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Returns the 64-character lowercase hex form.
    pub fn hex(&self) -> String {
        blake3::Hash::from_bytes(self.0).to_hex().to_string()
    }

    /// Returns the first 12 hex characters, for people.
    pub fn short(&self) -> String {
        self.hex()[..12].to_string()
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId({})", self.short())
    }
}

impl FromStr for ObjectId {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        if s.len() != 64 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(());
        }
        blake3::Hash::from_hex(s)
            .map(Self::from_hash)
            .map_err(|_| ())
    }
}

impl serde::Serialize for ObjectId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(blake3::Hash::from_bytes(self.0).to_hex().as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ObjectId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(HexVisitor)
    }
}

/// Parses the hex form from the text as the deserializer holds it, without a copy: a
/// commit at 10^6 files parses a quarter of a million ids from trees.
struct HexVisitor;

impl serde::de::Visitor<'_> for HexVisitor {
    type Value = ObjectId;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object id (64 lowercase hex digits)")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<ObjectId, E> {
        s.parse()
            .map_err(|_| E::custom(format!("bad object id `{s}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_matches_b3sum() {
        let id = ObjectId::of(b"hello\n");
        // b3sum of "hello\n"
        assert_eq!(id.hex(), blake3::hash(b"hello\n").to_hex().as_str());
        assert_eq!(id.hex().parse::<ObjectId>(), Ok(id));
        assert!("ABC".parse::<ObjectId>().is_err());
        assert!(id.hex().to_uppercase().parse::<ObjectId>().is_err());
    }
}
