//! The token controller (upstream `tokens_controller.go`, book 2.4.5): every ServiceAccount
//! references a `kubernetes.io/service-account-token` secret holding a JWT signed with
//! `--service-account-private-key-file`, the `--root-ca-file` bundle and the namespace.
//!
//! Two queues, as upstream: accounts (make a token secret when an account has no valid one) and
//! token secrets (fill in missing data; delete secrets whose account is gone; when a token
//! secret is deleted, drop the accounts' references to it, which brings the account back to the
//! first queue for a new one). Before creating anything the account is re-read from the
//! apiserver, so a lagging cache does not make a second token.

use super::jwt::{KeyError, LegacyClaims, TokenSigner};
use super::token::{
    CA_KEY, NAMESPACE_KEY, TOKEN_KEY, has_token, is_token_for, owner_of, secret_name, stale_fields,
    token_secret, with_reference, without_reference,
};
use crate::controller::context::ControllerContext;
use crate::controller::worker::{run_workers, split_key};
use api_types::api::core::v1::{Secret, ServiceAccount};
use api_types::meta::v1::{CreateOptions, DeleteOptions, Preconditions, UpdateOptions};
use api_types::serde_util::ByteString;
use client::informer::SharedInformer;
use client::store::{Notification, object_key};
use client::workqueue::WorkQueue;
use client::{Api, Backoff, Client, retry_on_conflict};
use std::sync::Arc;

/// Keeps a signed token secret for every service account.
pub struct TokensController {
    client: Client,
    accounts: Arc<SharedInformer<ServiceAccount>>,
    secrets: Arc<SharedInformer<Secret>>,
    account_queue: WorkQueue<String>,
    secret_queue: WorkQueue<String>,
    signer: TokenSigner,
    root_ca: Option<Vec<u8>>,
}

impl TokensController {
    /// The controller the flags ask for: none without `--service-account-private-key-file`
    /// (as upstream), an error when the key or the CA bundle cannot be read.
    pub fn from_options(context: &ControllerContext) -> Result<Option<Arc<Self>>, KeyError> {
        let flags = &context.options.service_accounts;
        let Some(key_file) = &flags.service_account_private_key_file else { return Ok(None) };
        let signer = TokenSigner::from_file(key_file)?;
        let root_ca =
            match &flags.root_ca_file {
                Some(path) => Some(std::fs::read(path).map_err(|source| KeyError::Read {
                    path: path.display().to_string(),
                    source,
                })?),
                None => None,
            };
        Ok(Some(Self::new(context, signer, root_ca)))
    }

    /// Builds the controller and subscribes it to accounts and secrets.
    pub fn new(
        context: &ControllerContext,
        signer: TokenSigner,
        root_ca: Option<Vec<u8>>,
    ) -> Arc<Self> {
        let controller = Arc::new(TokensController {
            client: context.client.clone(),
            accounts: context.informers.informer::<ServiceAccount>(),
            secrets: context.informers.informer::<Secret>(),
            account_queue: context.queue("serviceaccount_tokens_service"),
            secret_queue: context.queue("serviceaccount_tokens_secret"),
            signer,
            root_ca,
        });
        let handler = Arc::clone(&controller);
        controller.accounts.add_handler(move |notification| handler.account_changed(notification));
        let handler = Arc::clone(&controller);
        controller.secrets.add_handler(move |notification| {
            let secret = notification.object();
            if owner_of(secret).is_some() {
                handler.secret_queue.add(object_key(secret.as_ref()));
            }
        });
        controller
    }

    /// Runs `workers` workers on each queue until the context's shutdown.
    pub async fn run(self: Arc<Self>, context: ControllerContext, workers: usize) {
        if !self.accounts.wait_until_synced().await || !self.secrets.wait_until_synced().await {
            return;
        }
        let controller = Arc::clone(&self);
        let accounts = run_workers(
            "serviceaccount-tokens",
            self.account_queue.clone(),
            workers,
            context.shutdown.clone(),
            move |key| {
                let controller = Arc::clone(&controller);
                async move { controller.sync_account(&key).await }
            },
        );
        let controller = Arc::clone(&self);
        let secrets = run_workers(
            "serviceaccount-tokens",
            self.secret_queue.clone(),
            workers,
            context.shutdown.clone(),
            move |key| {
                let controller = Arc::clone(&controller);
                async move { controller.sync_secret(&key).await }
            },
        );
        tokio::join!(accounts, secrets);
    }

    /// Any change of an account may leave it without a token; a deleted account's token
    /// secrets must go.
    fn account_changed(&self, notification: Notification<ServiceAccount>) {
        let account = notification.object();
        self.account_queue.add(object_key(account.as_ref()));
        if let Notification::Deleted { object, .. } = &notification {
            let meta = &object.metadata;
            for secret in self.secrets.store().list_namespace(&meta.namespace) {
                if owner_of(&secret).is_some_and(|(name, _)| name == meta.name) {
                    self.secret_queue.add(object_key(secret.as_ref()));
                }
            }
        }
    }

    /// Gives account `key` a token secret unless it references a valid one.
    async fn sync_account(&self, key: &str) -> Result<(), client::Error> {
        let Some(account) = self.accounts.store().get(key) else { return Ok(()) };
        if account.metadata.deletion_timestamp.is_some() {
            return Ok(());
        }
        let (namespace, name) = split_key(key);
        let cached = self.secrets.store();
        if has_token(&account, |secret| cached.get(&format!("{namespace}/{secret}"))) {
            return Ok(());
        }
        // The cache may lag behind a token made moments ago: ask the apiserver.
        let accounts: Api<ServiceAccount> = Api::namespaced(self.client.clone(), namespace);
        let secrets: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        let Some(live) = accounts.get_opt(name).await? else { return Ok(()) };
        if live.metadata.uid != account.metadata.uid {
            return Ok(());
        }
        for reference in &live.secrets {
            if let Some(secret) = secrets.get_opt(&reference.name).await?
                && is_token_for(&secret, name, &live.metadata.uid)
            {
                return Ok(());
            }
        }
        let secret_name = secret_name(name);
        let claims = LegacyClaims::new(namespace, name, &live.metadata.uid, &secret_name);
        let token = self.sign(&claims)?;
        let secret = token_secret(&live, &secret_name, token, self.root_ca.as_deref());
        secrets.create(&secret, &CreateOptions::default()).await?;
        let uid = live.metadata.uid.clone();
        let referenced = retry_on_conflict(Backoff::DEFAULT_RETRY, || async {
            let Some(mut current) = accounts.get_opt(name).await? else { return Ok(false) };
            if current.metadata.uid != uid {
                return Ok(false);
            }
            current.secrets = with_reference(&current.secrets, &secret_name);
            accounts.replace(name, &current, &UpdateOptions::default()).await.map(|_| true)
        })
        .await;
        match referenced {
            Ok(true) => {
                tracing::info!(
                    namespace,
                    account = name,
                    secret = %secret_name,
                    "created token secret"
                );
                Ok(())
            }
            outcome => {
                // The account went away or could not be updated: the secret would dangle.
                if let Err(error) = secrets.delete(&secret_name, &DeleteOptions::default()).await
                    && !error.is_not_found()
                {
                    tracing::warn!(
                        namespace,
                        secret = %secret_name,
                        %error,
                        "deleting unreferenced token secret"
                    );
                }
                outcome.map(|_| ())
            }
        }
    }

    /// Keeps token secret `key` complete, deletes it when its account is gone, and drops the
    /// accounts' references to it when it was deleted.
    async fn sync_secret(&self, key: &str) -> Result<(), client::Error> {
        let (namespace, name) = split_key(key);
        let secrets: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        let accounts: Api<ServiceAccount> = Api::namespaced(self.client.clone(), namespace);
        let Some(secret) = self.secrets.store().get(key) else {
            return self.remove_references(namespace, name, &secrets, &accounts).await;
        };
        let Some((account_name, _)) = owner_of(&secret) else { return Ok(()) };
        let cached = self.accounts.store().get(&format!("{namespace}/{account_name}"));
        let account_uid =
            match cached.filter(|a| is_token_for(&secret, account_name, &a.metadata.uid)) {
                Some(account) => account.metadata.uid.clone(),
                // Not in the cache: make sure with the apiserver before deleting anything.
                None => match accounts.get_opt(account_name).await? {
                    Some(live) if is_token_for(&secret, account_name, &live.metadata.uid) => {
                        live.metadata.uid
                    }
                    _ => return delete_orphan(&secrets, &secret).await,
                },
            };
        let stale = stale_fields(&secret, self.root_ca.as_deref());
        if !stale.any() {
            return Ok(());
        }
        let mut updated = (*secret).clone();
        if stale.token {
            let claims = LegacyClaims::new(namespace, account_name, &account_uid, name);
            updated.data.insert(TOKEN_KEY.into(), ByteString(self.sign(&claims)?.into_bytes()));
        }
        if stale.ca
            && let Some(ca) = &self.root_ca
        {
            updated.data.insert(CA_KEY.into(), ByteString(ca.clone()));
        }
        if stale.namespace {
            updated.data.insert(NAMESPACE_KEY.into(), ByteString(namespace.as_bytes().to_vec()));
        }
        match secrets.replace(name, &updated, &UpdateOptions::default()).await {
            Ok(_) => Ok(()),
            Err(error) if error.is_not_found() => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Token secret `name` was deleted: accounts referencing it stop doing so (and so get a new
    /// one), unless a secret of that name exists again.
    async fn remove_references(
        &self,
        namespace: &str,
        name: &str,
        secrets: &Api<Secret>,
        accounts: &Api<ServiceAccount>,
    ) -> Result<(), client::Error> {
        if secrets.get_opt(name).await?.is_some() {
            return Ok(());
        }
        for account in self.accounts.store().list_namespace(namespace) {
            if !account.secrets.iter().any(|reference| reference.name == name) {
                continue;
            }
            let account_name = account.metadata.name.as_str();
            retry_on_conflict(Backoff::DEFAULT_RETRY, || async {
                let Some(mut current) = accounts.get_opt(account_name).await? else {
                    return Ok(());
                };
                if !current.secrets.iter().any(|reference| reference.name == name) {
                    return Ok(());
                }
                current.secrets = without_reference(&current.secrets, name);
                accounts
                    .replace(account_name, &current, &UpdateOptions::default())
                    .await
                    .map(|_| ())
            })
            .await?;
        }
        Ok(())
    }

    /// Signs `claims`; a signing failure is reported as a retriable error.
    fn sign(&self, claims: &LegacyClaims) -> Result<String, client::Error> {
        self.signer.sign(claims).map_err(|error| client::Error::Transport(error.to_string()))
    }
}

/// Deletes a token secret whose account is gone; the uid precondition spares a secret of the
/// same name made meanwhile.
async fn delete_orphan(secrets: &Api<Secret>, secret: &Secret) -> Result<(), client::Error> {
    let meta = &secret.metadata;
    let options = DeleteOptions {
        preconditions: Some(Preconditions { uid: Some(meta.uid.clone()), ..Default::default() }),
        ..Default::default()
    };
    match secrets.delete(&meta.name, &options).await {
        Ok(_) => {
            tracing::info!(
                namespace = %meta.namespace,
                secret = %meta.name,
                "deleted the token secret of a deleted service account"
            );
            Ok(())
        }
        Err(error) if error.is_not_found() || error.is_conflict() => Ok(()),
        Err(error) => Err(error),
    }
}
