//! Field selectors (`metadata.name=web,status.phase!=Running`): parse and match.
