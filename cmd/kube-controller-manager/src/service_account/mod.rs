//! Service accounts (book 2.4.5): the controller that gives every namespace its `default`
//! account (`accounts`), and the token controller that gives every account a signed API token
//! in a secret (`tokens`, with the token rules in `token` and the signing in `jwt`).

pub mod accounts;
pub mod jwt;
pub mod token;
pub mod tokens;
