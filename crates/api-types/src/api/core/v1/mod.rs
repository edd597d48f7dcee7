//! `core/v1` (the legacy group, `apiVersion: v1`): the kinds the book is built on.
