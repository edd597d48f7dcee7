//! The error a label selector reports, rendered in upstream's field-error style
//! (`values[0][app]: Invalid value: "x y": ...`) because clients show that text to users verbatim.

/// A label selector (string, `LabelSelector` or set) that cannot be turned into a [`super::Selector`].
/// The message is upstream's text, ready to put into a `Status`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SelectorError {
    message: String,
}

impl SelectorError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        SelectorError { message: message.into() }
    }

    /// The message as upstream words it, for callers that wrap it in their own sentence.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Adds the parser's lead-in, as upstream does for anything wrong inside one requirement.
    pub(super) fn in_requirement(self) -> Self {
        SelectorError::new(format!("unable to parse requirement: {}", self.message))
    }
}

/// One "Invalid value" finding about a requirement, before it is folded into a [`SelectorError`].
pub(super) struct InvalidValue {
    /// Upstream's field path: `<nil>` from the string parser, `key`, `values`, `values[i][key]`.
    path: String,
    /// The offending value, already rendered as Go would print it (`"text"`, `["a"]`, `null`).
    shown_value: String,
    detail: String,
}

impl InvalidValue {
    /// A finding about one string, shown quoted.
    pub fn of_text(path: impl Into<String>, value: &str, detail: impl Into<String>) -> Self {
        InvalidValue {
            path: path.into(),
            shown_value: crate::go_fmt::quote(value),
            detail: detail.into(),
        }
    }

    /// A finding about a whole value list, shown as JSON (`null` when there is none).
    pub fn of_list(path: impl Into<String>, values: &[String], detail: impl Into<String>) -> Self {
        let shown_value = if values.is_empty() {
            "null".to_string()
        } else {
            serde_json::to_string(values).unwrap_or_else(|_| format!("{values:?}"))
        };
        InvalidValue { path: path.into(), shown_value, detail: detail.into() }
    }

    /// This finding alone as an error.
    pub fn into_error(self) -> SelectorError {
        SelectorError::new(self.render())
    }

    fn render(&self) -> String {
        format!("{}: Invalid value: {}: {}", self.path, self.shown_value, self.detail)
    }
}

/// Folds findings into one error the way upstream aggregates them: a single message alone,
/// several distinct ones as `[first, second]`. `None` when there is nothing to report.
pub(super) fn aggregate(findings: &[InvalidValue]) -> Option<SelectorError> {
    let mut messages: Vec<String> = Vec::new();
    for finding in findings {
        let message = finding.render();
        if !messages.contains(&message) {
            messages.push(message);
        }
    }
    match messages.len() {
        0 => None,
        1 => messages.pop().map(SelectorError::new),
        _ => Some(SelectorError::new(format!("[{}]", messages.join(", ")))),
    }
}
