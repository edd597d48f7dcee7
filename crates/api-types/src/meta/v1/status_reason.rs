//! The machine-readable vocabulary of a failed `Status`: its `reason` values, the HTTP code each
//! one travels with, and the `reason` strings of its causes.
//!
//! `Status.reason` stays a `String` on the wire so that reasons this crate does not know survive a
//! round trip; [`StatusReason`] is the typed view that servers build from and clients test against.

/// A `Status.reason` that upstream defines. Each reason implies one HTTP code; several reasons may
/// share a code (`AlreadyExists` and `Conflict` are both 409), which is why clients look at the
/// reason first and fall back to the code only when the reason is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusReason {
    Unauthorized,
    Forbidden,
    NotFound,
    AlreadyExists,
    Conflict,
    Gone,
    Invalid,
    ServerTimeout,
    StoreReadError,
    Timeout,
    TooManyRequests,
    BadRequest,
    MethodNotAllowed,
    NotAcceptable,
    RequestEntityTooLarge,
    UnsupportedMediaType,
    InternalError,
    Expired,
    ServiceUnavailable,
}

impl StatusReason {
    /// Every reason, so tables and tests can walk them without repeating the list.
    pub const ALL: [StatusReason; 19] = [
        StatusReason::Unauthorized,
        StatusReason::Forbidden,
        StatusReason::NotFound,
        StatusReason::AlreadyExists,
        StatusReason::Conflict,
        StatusReason::Gone,
        StatusReason::Invalid,
        StatusReason::ServerTimeout,
        StatusReason::StoreReadError,
        StatusReason::Timeout,
        StatusReason::TooManyRequests,
        StatusReason::BadRequest,
        StatusReason::MethodNotAllowed,
        StatusReason::NotAcceptable,
        StatusReason::RequestEntityTooLarge,
        StatusReason::UnsupportedMediaType,
        StatusReason::InternalError,
        StatusReason::Expired,
        StatusReason::ServiceUnavailable,
    ];

    /// The wire spelling. Note `StoreReadError` is spelled `StorageReadError` upstream.
    pub const fn as_str(self) -> &'static str {
        match self {
            StatusReason::Unauthorized => "Unauthorized",
            StatusReason::Forbidden => "Forbidden",
            StatusReason::NotFound => "NotFound",
            StatusReason::AlreadyExists => "AlreadyExists",
            StatusReason::Conflict => "Conflict",
            StatusReason::Gone => "Gone",
            StatusReason::Invalid => "Invalid",
            StatusReason::ServerTimeout => "ServerTimeout",
            StatusReason::StoreReadError => "StorageReadError",
            StatusReason::Timeout => "Timeout",
            StatusReason::TooManyRequests => "TooManyRequests",
            StatusReason::BadRequest => "BadRequest",
            StatusReason::MethodNotAllowed => "MethodNotAllowed",
            StatusReason::NotAcceptable => "NotAcceptable",
            StatusReason::RequestEntityTooLarge => "RequestEntityTooLarge",
            StatusReason::UnsupportedMediaType => "UnsupportedMediaType",
            StatusReason::InternalError => "InternalError",
            StatusReason::Expired => "Expired",
            StatusReason::ServiceUnavailable => "ServiceUnavailable",
        }
    }

    /// The typed reason for a wire string; `None` for the empty (unknown) reason and for reasons
    /// this crate does not define.
    pub fn parse(reason: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|known| known.as_str() == reason)
    }

    /// The HTTP code upstream's apiserver answers with for this reason. `ServerTimeout` and
    /// `StorageReadError` are 500 because HTTP has no retryable-timeout code.
    pub const fn code(self) -> i32 {
        match self {
            StatusReason::BadRequest => 400,
            StatusReason::Unauthorized => 401,
            StatusReason::Forbidden => 403,
            StatusReason::NotFound => 404,
            StatusReason::MethodNotAllowed => 405,
            StatusReason::NotAcceptable => 406,
            StatusReason::AlreadyExists | StatusReason::Conflict => 409,
            StatusReason::Gone | StatusReason::Expired => 410,
            StatusReason::RequestEntityTooLarge => 413,
            StatusReason::UnsupportedMediaType => 415,
            StatusReason::Invalid => 422,
            StatusReason::TooManyRequests => 429,
            StatusReason::InternalError
            | StatusReason::ServerTimeout
            | StatusReason::StoreReadError => 500,
            StatusReason::ServiceUnavailable => 503,
            StatusReason::Timeout => 504,
        }
    }

    /// The reason a client assumes when a response carries only an HTTP code (no `Status` body),
    /// as client-go does for non-Status error responses. 409 reads as `Conflict` (a POST that got
    /// 409 would be `AlreadyExists`, which the caller knows and this table does not); any other
    /// code of 500 or above is an `InternalError`.
    pub fn for_code(code: i32) -> Option<Self> {
        let reason = match code {
            400 => StatusReason::BadRequest,
            401 => StatusReason::Unauthorized,
            403 => StatusReason::Forbidden,
            404 => StatusReason::NotFound,
            405 => StatusReason::MethodNotAllowed,
            406 => StatusReason::NotAcceptable,
            409 => StatusReason::Conflict,
            415 => StatusReason::UnsupportedMediaType,
            422 => StatusReason::Invalid,
            429 => StatusReason::TooManyRequests,
            503 => StatusReason::ServiceUnavailable,
            504 => StatusReason::Timeout,
            500.. => StatusReason::InternalError,
            _ => return None,
        };
        Some(reason)
    }
}

impl std::fmt::Display for StatusReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `StatusCause.reason` values (Go's `CauseType`). Field validation errors use the `FieldValue*`
/// ones, and their text matches upstream's `field.ErrorType` one to one.
pub mod cause_type {
    pub const FIELD_VALUE_NOT_FOUND: &str = "FieldValueNotFound";
    pub const FIELD_VALUE_REQUIRED: &str = "FieldValueRequired";
    pub const FIELD_VALUE_DUPLICATE: &str = "FieldValueDuplicate";
    pub const FIELD_VALUE_INVALID: &str = "FieldValueInvalid";
    pub const FIELD_VALUE_NOT_SUPPORTED: &str = "FieldValueNotSupported";
    pub const FIELD_VALUE_FORBIDDEN: &str = "FieldValueForbidden";
    pub const FIELD_VALUE_TOO_LONG: &str = "FieldValueTooLong";
    pub const FIELD_VALUE_TOO_SHORT: &str = "FieldValueTooShort";
    pub const FIELD_VALUE_TOO_MANY: &str = "FieldValueTooMany";
    pub const FIELD_VALUE_TOO_FEW: &str = "FieldValueTooFew";
    pub const FIELD_VALUE_TYPE_INVALID: &str = "FieldValueTypeInvalid";
    pub const INTERNAL_ERROR: &str = "InternalError";
    pub const UNEXPECTED_SERVER_RESPONSE: &str = "UnexpectedServerResponse";
    pub const FIELD_MANAGER_CONFLICT: &str = "FieldManagerConflict";
    pub const RESOURCE_VERSION_TOO_LARGE: &str = "ResourceVersionTooLarge";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_parses_back_from_its_wire_spelling() {
        for reason in StatusReason::ALL {
            assert_eq!(StatusReason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(StatusReason::StoreReadError.as_str(), "StorageReadError");
        assert_eq!(StatusReason::parse(""), None);
        assert_eq!(StatusReason::parse("notfound"), None);
    }

    #[test]
    fn codes_follow_upstream() {
        assert_eq!(StatusReason::NotFound.code(), 404);
        assert_eq!(StatusReason::AlreadyExists.code(), 409);
        assert_eq!(StatusReason::Expired.code(), 410);
        assert_eq!(StatusReason::Invalid.code(), 422);
        assert_eq!(StatusReason::ServerTimeout.code(), 500);
        assert_eq!(StatusReason::Timeout.code(), 504);
    }

    #[test]
    fn bare_codes_map_to_the_reason_a_client_assumes() {
        assert_eq!(StatusReason::for_code(404), Some(StatusReason::NotFound));
        assert_eq!(StatusReason::for_code(409), Some(StatusReason::Conflict));
        assert_eq!(StatusReason::for_code(502), Some(StatusReason::InternalError));
        assert_eq!(StatusReason::for_code(503), Some(StatusReason::ServiceUnavailable));
        assert_eq!(StatusReason::for_code(410), None);
        assert_eq!(StatusReason::for_code(200), None);
    }
}
