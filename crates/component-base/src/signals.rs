//! Graceful shutdown: SIGTERM or SIGINT asks every part of a component to stop, a second signal
//! stops the process at once (for when a graceful stop hangs), as upstream components behave.

use std::future::Future;
use std::sync::Arc;

use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::watch;

/// Exit status when a second signal cuts a graceful shutdown short (upstream exits with 1 too).
const FORCED_EXIT_CODE: i32 = 1;

/// A cloneable "please stop" flag that many tasks can wait on.
///
/// Every clone shares one state: once any holder calls [`trigger`](Self::trigger), every
/// pending and future [`wait`](Self::wait) completes.
#[derive(Debug, Clone)]
pub struct ShutdownToken {
    state: Arc<watch::Sender<bool>>,
}

impl Default for ShutdownToken {
    /// A token that has not been triggered.
    fn default() -> Self {
        ShutdownToken { state: Arc::new(watch::Sender::new(false)) }
    }
}

impl ShutdownToken {
    /// A token that has not been triggered; trigger it yourself, or use [`Self::on_signals`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A token that triggers on the first SIGTERM or SIGINT; a second signal exits the process.
    ///
    /// Must be called inside a Tokio runtime. The handlers are installed before this returns, so
    /// no signal arriving afterwards is lost.
    pub fn on_signals() -> std::io::Result<Self> {
        let first_signal = shutdown_signal()?;
        let token = Self::new();
        let trigger = token.clone();
        tokio::spawn(async move {
            first_signal.await;
            trigger.trigger();
        });
        Ok(token)
    }

    /// Asks everyone holding a clone to stop. Triggering again has no further effect.
    pub fn trigger(&self) {
        self.state.send_replace(true);
    }

    /// Whether shutdown was asked for; for loops that poll between units of work.
    pub fn is_triggered(&self) -> bool {
        *self.state.borrow()
    }

    /// Completes once shutdown is asked for (at once if it already was).
    ///
    /// The future owns what it needs, so it can be handed to a server or spawned task directly.
    pub fn wait(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut receiver = self.state.subscribe();
        async move {
            // The sender lives as long as this token's clones; if it were gone nobody could
            // trigger any more, and treating that as a stop request is the safe reading.
            let _ = receiver.wait_for(|triggered| *triggered).await;
        }
    }
}

/// The signal that started shutdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShutdownSignal {
    /// SIGTERM: what kubelet, systemd and `kill` send.
    Terminate,
    /// SIGINT: Ctrl-C in a terminal.
    Interrupt,
}

impl std::fmt::Display for ShutdownSignal {
    /// The conventional signal name, for logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ShutdownSignal::Terminate => "SIGTERM",
            ShutdownSignal::Interrupt => "SIGINT",
        })
    }
}

/// Installs SIGTERM and SIGINT handlers and returns a future that completes with the first of
/// them; after that, the next such signal exits the process immediately.
///
/// Must be called inside a Tokio runtime. Installing the handlers replaces the default
/// "terminate" action for these signals for the rest of the process's life.
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = ShutdownSignal> + Send + 'static> {
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        let first = next_signal(&mut terminate, &mut interrupt).await;
        tracing::info!(signal = %first, "shutting down; send the signal again to exit immediately");
        tokio::spawn(async move {
            let second = next_signal(&mut terminate, &mut interrupt).await;
            tracing::error!(signal = %second, "second signal received, exiting immediately");
            std::process::exit(FORCED_EXIT_CODE);
        });
        first
    })
}

/// Waits for whichever of the two signals comes next; never completes if both streams end
/// (which only happens while the runtime itself shuts down).
async fn next_signal(terminate: &mut Signal, interrupt: &mut Signal) -> ShutdownSignal {
    tokio::select! {
        Some(()) = terminate.recv() => ShutdownSignal::Terminate,
        Some(()) = interrupt.recv() => ShutdownSignal::Interrupt,
        else => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const SETTLE: Duration = Duration::from_millis(50);

    #[tokio::test]
    async fn wait_completes_only_after_trigger() {
        let token = ShutdownToken::new();
        let waiter = tokio::spawn(token.wait());
        tokio::time::sleep(SETTLE).await;
        assert!(!waiter.is_finished());
        assert!(!token.is_triggered());

        let clone = token.clone();
        clone.trigger();
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("waiter finishes after trigger")
            .unwrap();
        assert!(token.is_triggered());
    }

    #[tokio::test]
    async fn wait_after_trigger_completes_at_once() {
        let token = ShutdownToken::new();
        token.trigger();
        token.trigger();
        tokio::time::timeout(SETTLE, token.wait())
            .await
            .expect("already-triggered token does not block");
    }
}
