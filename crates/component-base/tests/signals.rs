//! Signal handling is process-wide, so it is exercised in its own test binary.

use std::process::Command;
use std::time::Duration;

use component_base::ShutdownToken;

#[tokio::test]
async fn first_sigterm_triggers_the_token() {
    let token = ShutdownToken::on_signals().expect("signal handlers install");
    assert!(!token.is_triggered());

    let status = Command::new("kill")
        .args(["-s", "TERM", &std::process::id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());

    tokio::time::timeout(Duration::from_secs(10), token.wait())
        .await
        .expect("the token fires after SIGTERM");
    assert!(token.is_triggered());
}
