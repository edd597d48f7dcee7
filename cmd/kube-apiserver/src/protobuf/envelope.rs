//! The envelope every Kubernetes protobuf body is wrapped in: the four bytes `k8s\0`, then a
//! `runtime.Unknown` message naming the object's `apiVersion` and `kind` (its `typeMeta`) and
//! carrying the object's own message in `raw`. Objects' messages have no type fields; the
//! envelope is where a reader learns what it holds.

use super::wire::{RawValue, Reader, WireError, Writer};

/// The prefix of every body.
pub const MAGIC: [u8; 4] = *b"k8s\0";

/// A decoded envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope<'a> {
    pub api_version: String,
    pub kind: String,
    /// The object's message.
    pub raw: &'a [u8],
    /// Set when `raw` is compressed; upstream never sets it and neither does this server.
    pub content_encoding: String,
}

/// Reads an envelope; the errors say what is wrong with it.
pub fn read(bytes: &[u8]) -> Result<Envelope<'_>, String> {
    let body = bytes
        .strip_prefix(&MAGIC)
        .ok_or("the body does not start with the Kubernetes protobuf prefix \"k8s\\x00\"")?;
    let mut envelope = Envelope {
        api_version: String::new(),
        kind: String::new(),
        raw: &[],
        content_encoding: String::new(),
    };
    let mut reader = Reader::new(body);
    while let Some((number, value)) = next(&mut reader)? {
        match (number, value) {
            (1, RawValue::Bytes(type_meta)) => {
                let mut type_reader = Reader::new(type_meta);
                while let Some((number, value)) = next(&mut type_reader)? {
                    match (number, value) {
                        (1, RawValue::Bytes(text)) => envelope.api_version = utf8(text)?,
                        (2, RawValue::Bytes(text)) => envelope.kind = utf8(text)?,
                        (number, _) => {
                            return Err(unknown(
                                "k8s.io.apimachinery.pkg.runtime.TypeMeta",
                                number,
                            ));
                        }
                    }
                }
            }
            (2, RawValue::Bytes(raw)) => envelope.raw = raw,
            (3, RawValue::Bytes(text)) => envelope.content_encoding = utf8(text)?,
            (4, RawValue::Bytes(_)) => {}
            (number, _) => return Err(unknown("k8s.io.apimachinery.pkg.runtime.Unknown", number)),
        }
    }
    Ok(envelope)
}

/// Wraps an object's message in the envelope, with the empty `contentEncoding` and
/// `contentType` upstream writes.
pub fn write(api_version: &str, kind: &str, raw: &[u8]) -> Vec<u8> {
    let mut type_meta = Writer::new();
    type_meta.bytes_field(1, api_version.as_bytes());
    type_meta.bytes_field(2, kind.as_bytes());
    let mut writer = Writer::new();
    writer.raw(&MAGIC);
    writer.bytes_field(1, &type_meta.into_bytes());
    writer.bytes_field(2, raw);
    writer.bytes_field(3, b"");
    writer.bytes_field(4, b"");
    writer.into_bytes()
}

fn next<'a>(reader: &mut Reader<'a>) -> Result<Option<(u32, RawValue<'a>)>, String> {
    reader.next_field().map_err(|WireError(error)| error)
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| "a string field is not UTF-8".to_string())
}

fn unknown(message: &str, number: u32) -> String {
    format!("unknown or mistyped field {number} in {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_round_trip() {
        let bytes = write("apps/v1", "Deployment", b"\x0a\x00");
        assert!(bytes.starts_with(b"k8s\0"));
        let envelope = read(&bytes).unwrap();
        assert_eq!(envelope.api_version, "apps/v1");
        assert_eq!(envelope.kind, "Deployment");
        assert_eq!(envelope.raw, b"\x0a\x00");
        assert_eq!(envelope.content_encoding, "");
    }

    #[test]
    fn kubectls_envelope_is_read() {
        let bytes = include_bytes!("testdata/kubectl-1.33-namespace.pb");
        let envelope = read(bytes).unwrap();
        assert_eq!((envelope.api_version.as_str(), envelope.kind.as_str()), ("v1", "Namespace"));
        // What this server writes for the same object is what kubectl wrote.
        assert_eq!(write("v1", "Namespace", envelope.raw), bytes.to_vec());
    }

    #[test]
    fn bad_envelopes_are_refused() {
        assert!(read(b"{\"kind\":\"Pod\"}").unwrap_err().contains("prefix"));
        assert!(read(b"k8s\0\x0a\x05ab").is_err(), "truncated typeMeta");
        assert!(read(b"k8s\0\x28\x01").unwrap_err().contains("field 5"));
    }
}
