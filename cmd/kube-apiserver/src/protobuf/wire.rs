//! The protobuf wire format, as far as Kubernetes uses it: varints, length-delimited fields and
//! the two fixed widths. Kept apart from the schema so the byte-level rules are tested once.

use std::fmt;

/// How a field's value is laid out after its tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireType {
    /// `int32`, `int64`, `bool`, enums.
    Varint,
    Fixed64,
    LengthDelimited,
    Fixed32,
}

impl WireType {
    fn from_bits(bits: u64) -> Option<WireType> {
        match bits {
            0 => Some(WireType::Varint),
            1 => Some(WireType::Fixed64),
            2 => Some(WireType::LengthDelimited),
            5 => Some(WireType::Fixed32),
            _ => None,
        }
    }

    fn bits(self) -> u64 {
        match self {
            WireType::Varint => 0,
            WireType::Fixed64 => 1,
            WireType::LengthDelimited => 2,
            WireType::Fixed32 => 5,
        }
    }
}

/// Bytes that are not a well-formed protobuf message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(pub String);

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One field as it appears on the wire, its payload not yet interpreted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawValue<'a> {
    /// The value as unsigned 64 bits; signed types reinterpret it.
    Varint(u64),
    Fixed64(u64),
    Fixed32(u32),
    /// Strings, bytes, embedded messages, map entries and packed scalars.
    Bytes(&'a [u8]),
}

impl RawValue<'_> {
    /// The wire type the value was written with.
    pub fn wire_type(&self) -> WireType {
        match self {
            RawValue::Varint(_) => WireType::Varint,
            RawValue::Fixed64(_) => WireType::Fixed64,
            RawValue::Fixed32(_) => WireType::Fixed32,
            RawValue::Bytes(_) => WireType::LengthDelimited,
        }
    }
}

/// Reads the fields of one message in the order they were written.
pub struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`, one message's fields.
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, position: 0 }
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.position >= self.bytes.len()
    }

    /// The next field's number and value, or `None` at the end of the message.
    pub fn next_field(&mut self) -> Result<Option<(u32, RawValue<'a>)>, WireError> {
        if self.is_empty() {
            return Ok(None);
        }
        let tag = self.varint()?;
        let number = u32::try_from(tag >> 3)
            .ok()
            .filter(|number| *number != 0)
            .ok_or_else(|| WireError(format!("invalid field number {}", tag >> 3)))?;
        let wire_type = WireType::from_bits(tag & 7).ok_or_else(|| {
            WireError(format!("field {number} has unknown wire type {}", tag & 7))
        })?;
        let value = match wire_type {
            WireType::Varint => RawValue::Varint(self.varint()?),
            WireType::Fixed64 => RawValue::Fixed64(u64::from_le_bytes(self.take_array()?)),
            WireType::Fixed32 => RawValue::Fixed32(u32::from_le_bytes(self.take_array()?)),
            WireType::LengthDelimited => {
                let length = usize::try_from(self.varint()?)
                    .map_err(|_| WireError("length out of range".into()))?;
                RawValue::Bytes(self.take(length)?)
            }
        };
        Ok(Some((number, value)))
    }

    /// A base-128 varint, least significant group first.
    pub fn varint(&mut self) -> Result<u64, WireError> {
        let mut value = 0u64;
        for index in 0..10 {
            let byte = *self
                .bytes
                .get(self.position)
                .ok_or_else(|| WireError("unexpected end of message in a varint".into()))?;
            self.position += 1;
            value |= u64::from(byte & 0x7f) << (7 * index);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(WireError("varint longer than 10 bytes".into()))
    }

    /// Eight little-endian bytes (a packed `double`).
    pub fn fixed64(&mut self) -> Result<u64, WireError> {
        self.take_array().map(u64::from_le_bytes)
    }

    fn take(&mut self, length: usize) -> Result<&'a [u8], WireError> {
        let end = self
            .position
            .checked_add(length)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| WireError("unexpected end of message".into()))?;
        let slice = &self.bytes[self.position..end];
        self.position = end;
        Ok(slice)
    }

    fn take_array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        let slice = self.take(N)?;
        Ok(slice.try_into().expect("take returns N bytes"))
    }
}

/// Builds one message, field by field.
#[derive(Default)]
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    /// An empty message.
    pub fn new() -> Writer {
        Writer::default()
    }

    /// The message written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Appends bytes as they are (a prefix such as the envelope's magic).
    pub fn raw(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    /// A bare varint (map and packed contents; fields go through the `*_field` methods).
    pub fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.bytes.push((value as u8 & 0x7f) | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
    }

    fn tag(&mut self, number: u32, wire_type: WireType) {
        self.varint(u64::from(number) << 3 | wire_type.bits());
    }

    /// A varint field; negative numbers take ten bytes, as Go writes `int32` and `int64`.
    pub fn varint_field(&mut self, number: u32, value: u64) {
        self.tag(number, WireType::Varint);
        self.varint(value);
    }

    /// A `double` (or `fixed64`) field, little-endian.
    pub fn fixed64_field(&mut self, number: u32, value: u64) {
        self.tag(number, WireType::Fixed64);
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// A `float` (or `fixed32`) field, little-endian.
    #[allow(dead_code)] // no served message has a fixed32 field; the reader accepts them
    pub fn fixed32_field(&mut self, number: u32, value: u32) {
        self.tag(number, WireType::Fixed32);
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// A length-delimited field: a string, bytes or an embedded message.
    pub fn bytes_field(&mut self, number: u32, value: &[u8]) {
        self.tag(number, WireType::LengthDelimited);
        self.varint(value.len() as u64);
        self.bytes.extend_from_slice(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint_bytes(value: u64) -> Vec<u8> {
        let mut writer = Writer::new();
        writer.varint(value);
        writer.into_bytes()
    }

    #[test]
    fn varints_round_trip_at_every_width() {
        assert_eq!(varint_bytes(0), [0]);
        assert_eq!(varint_bytes(1), [1]);
        assert_eq!(varint_bytes(127), [0x7f]);
        assert_eq!(varint_bytes(128), [0x80, 0x01]);
        assert_eq!(varint_bytes(300), [0xac, 0x02]);
        // A negative int32 is sign-extended to 64 bits: ten bytes.
        assert_eq!(varint_bytes(-1i64 as u64).len(), 10);
        for value in [0, 1, 127, 128, 16_383, 16_384, u64::from(u32::MAX), u64::MAX, -5i64 as u64] {
            let bytes = varint_bytes(value);
            assert_eq!(Reader::new(&bytes).varint(), Ok(value), "{value}");
        }
    }

    #[test]
    fn fields_of_every_wire_type_round_trip() {
        let mut writer = Writer::new();
        writer.varint_field(1, 150);
        writer.bytes_field(2, b"testing");
        writer.fixed64_field(3, 2.5f64.to_bits());
        writer.fixed32_field(4, 7);
        writer.bytes_field(17, b"");
        let bytes = writer.into_bytes();
        // The classic example from the protobuf encoding guide.
        assert_eq!(&bytes[..3], [0x08, 0x96, 0x01]);
        let mut reader = Reader::new(&bytes);
        assert_eq!(reader.next_field(), Ok(Some((1, RawValue::Varint(150)))));
        assert_eq!(reader.next_field(), Ok(Some((2, RawValue::Bytes(b"testing")))));
        assert_eq!(reader.next_field(), Ok(Some((3, RawValue::Fixed64(2.5f64.to_bits())))));
        assert_eq!(reader.next_field(), Ok(Some((4, RawValue::Fixed32(7)))));
        let (number, value) = reader.next_field().unwrap().unwrap();
        assert_eq!((number, value.wire_type()), (17, WireType::LengthDelimited));
        assert_eq!(reader.next_field(), Ok(None));
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        for bytes in [
            &[0x08][..],         // a tag without its varint
            &[0x12, 0x05, b'a'], // a length past the end
            &[0x0b],             // wire type 3 (groups) is not accepted
            &[0x00, 0x00],       // field number 0
            &[0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            &[0x19, 1, 2, 3], // a truncated fixed64
            &[0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // huge length
        ] {
            let mut reader = Reader::new(bytes);
            assert!(reader.next_field().is_err(), "{bytes:?}");
        }
    }
}
