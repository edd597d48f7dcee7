//! Service accounts (book 2.4.5): the controller that gives every namespace its `default`
//! account (`accounts`), and the token controller that gives every account a signed API token
//! in a secret (`tokens`, with the token rules in `token` and the signing in `jwt`).

pub mod accounts;
pub mod jwt;
pub mod token;
pub mod tokens;

use crate::controller::context::ControllerContext;

/// Runs the service account controller and, when `--service-account-private-key-file` is set,
/// the token controller, until the context's shutdown. A key or CA bundle that cannot be read
/// leaves the token controller out, with an error in the log.
pub async fn run(context: ControllerContext) {
    let accounts = accounts::ServiceAccountsController::new(&context);
    let tokens = tokens::TokensController::from_options(&context).unwrap_or_else(|error| {
        tracing::error!(%error, "service account token controller not started");
        None
    });
    let workers = context.options.concurrency.concurrent_serviceaccount_token_syncs;
    let tokens = async {
        if let Some(tokens) = tokens {
            tokens.run(context.clone(), workers).await;
        }
    };
    tokio::join!(accounts.run(context.clone(), 1), tokens);
}
