//! Validation with field paths, as upstream, producing causes for a 422 `Status`.
