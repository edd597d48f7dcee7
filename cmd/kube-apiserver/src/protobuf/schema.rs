//! The declarative schema: for each upstream protobuf message, its fields as (number, JSON name,
//! type). One table serves both directions, so a field the decoder knows is a field the encoder
//! writes. The tables themselves live in `messages/`.

/// One protobuf message of upstream's `generated.proto` files.
#[derive(Debug)]
pub struct Message {
    /// The fully qualified protobuf name, for error messages
    /// (`k8s.io.api.core.v1.PodSpec`).
    pub name: &'static str,
    pub fields: &'static [Field],
}

impl Message {
    /// The field with protobuf number `number`.
    pub fn field(&self, number: u32) -> Option<&'static Field> {
        self.fields.iter().find(|field| field.number == number)
    }
}

/// One field of a message.
#[derive(Debug)]
pub struct Field {
    /// The protobuf field number, upstream's fact.
    pub number: u32,
    /// The key the field has in the JSON form of the object.
    pub json: &'static str,
    pub ty: Type,
}

/// A field's type: a kind, maybe repeated.
#[derive(Clone, Copy, Debug)]
pub struct Type {
    pub kind: Kind,
    /// A JSON list; on the wire one field per element.
    pub repeated: bool,
}

/// What a value is on the wire and in JSON.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    String,
    /// `bytes`, base64 in JSON.
    Bytes,
    Bool,
    Int32,
    Int64,
    /// No served kind has a `double` yet (autoscaling/v2 and flowcontrol do).
    #[allow(dead_code)]
    Double,
    /// An embedded message, a JSON object.
    Message(&'static Message),
    /// An embedded Go struct whose fields JSON writes into the parent object (`Volume` inlines
    /// `VolumeSource`); protobuf keeps it as a message of its own.
    Inline(&'static Message),
    /// `metav1.Time`: RFC 3339 with whole seconds.
    Time,
    /// `metav1.MicroTime`: RFC 3339 with microseconds.
    MicroTime,
    /// `metav1.Duration`: Go's duration text (`1h0m0s`). No served kind has one yet (the
    /// kubelet's and controllers' configuration kinds do).
    #[allow(dead_code)]
    Duration,
    /// `resource.Quantity`: its canonical text.
    Quantity,
    /// `intstr.IntOrString`: a JSON number or string.
    IntOrString,
    /// `runtime.RawExtension` and `metav1.FieldsV1`: raw JSON bytes, inline in JSON.
    RawJson,
    /// `map<string, string>`.
    StringMap,
    /// `map<string, bytes>`, base64 values in JSON.
    BytesMap,
    /// `map<string, Quantity>` (`ResourceList`).
    QuantityMap,
}

const fn one(kind: Kind) -> Type {
    Type { kind, repeated: false }
}

// The field types the tables are written with, one per `Kind`.

pub const STRING: Type = one(Kind::String);
#[allow(dead_code)] // no served kind has a bare `bytes` field yet (RangeAllocation does)
pub const BYTES: Type = one(Kind::Bytes);
pub const BOOL: Type = one(Kind::Bool);
pub const INT32: Type = one(Kind::Int32);
pub const INT64: Type = one(Kind::Int64);
#[allow(dead_code)]
pub const DOUBLE: Type = one(Kind::Double);
pub const TIME: Type = one(Kind::Time);
pub const MICRO_TIME: Type = one(Kind::MicroTime);
#[allow(dead_code)]
pub const DURATION: Type = one(Kind::Duration);
pub const QUANTITY: Type = one(Kind::Quantity);
pub const INT_OR_STRING: Type = one(Kind::IntOrString);
pub const RAW_JSON: Type = one(Kind::RawJson);
pub const STRING_MAP: Type = one(Kind::StringMap);
pub const BYTES_MAP: Type = one(Kind::BytesMap);
pub const QUANTITY_MAP: Type = one(Kind::QuantityMap);

/// An embedded message.
pub const fn msg(message: &'static Message) -> Type {
    one(Kind::Message(message))
}

/// An embedded Go struct that JSON inlines into its parent.
pub const fn inline(message: &'static Message) -> Type {
    one(Kind::Inline(message))
}

/// A repeated field of `ty`.
pub const fn list(ty: Type) -> Type {
    Type { kind: ty.kind, repeated: true }
}

/// Declares message tables: `NAME = "proto.Name" { number "json" TYPE, ... }`.
macro_rules! messages {
    ($($(#[$doc:meta])* $name:ident = $proto:literal { $($number:literal $json:literal $ty:expr),* $(,)? })*) => {
        $(
            $(#[$doc])*
            pub static $name: $crate::protobuf::schema::Message = $crate::protobuf::schema::Message {
                name: $proto,
                fields: &[$($crate::protobuf::schema::Field { number: $number, json: $json, ty: $ty }),*],
            };
        )*
    };
}
pub(crate) use messages;
