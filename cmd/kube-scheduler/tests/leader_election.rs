//! Two real kube-scheduler processes against one apiserver: only the Lease holder schedules;
//! when it is killed, the other takes over within the lease duration and schedules. A process
//! given a bad policy file exits at once, saying why.

mod support;

use api_types::api::coordination::v1::Lease;
use client::Api;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::{Cluster, eventually};

/// A scheduler process whose log goes to a file; killed when dropped.
struct Process {
    child: Child,
    log: PathBuf,
}

impl Process {
    fn start(master: &str, log: &Path) -> Process {
        let file = std::fs::File::create(log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_kube-scheduler"))
            .args([
                &format!("--master={master}"),
                "--port=0",
                "--leader-elect-lease-duration=2s",
                "--leader-elect-renew-deadline=1500ms",
                "--leader-elect-retry-period=500ms",
                "--v=2",
            ])
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .expect("kube-scheduler starts");
        Process { child, log: log.to_path_buf() }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn holder(leases: &Api<Lease>) -> Option<String> {
    leases.get_opt("kube-scheduler").await.ok().flatten()?.spec.holder_identity
}

#[tokio::test]
async fn only_the_leader_schedules_and_a_follower_takes_over() {
    let cluster = Cluster::start().await;
    cluster.node("node-1", "4", "8Gi", json!({})).await;
    let logs = tempfile::tempdir().unwrap();
    let url = cluster.server.url();
    let mut processes = vec![
        Process::start(&url, &logs.path().join("a.log")),
        Process::start(&url, &logs.path().join("b.log")),
    ];
    let leases: Api<Lease> = Api::namespaced(cluster.client.clone(), "kube-system");
    let first = eventually("a leader", || async { holder(&leases).await }).await;
    // Each process logs its own identity as `identity=`; a follower logs the leader's only as
    // `holder=`.
    let own = format!("identity={first}");
    let leader = eventually("the leader's log", || async {
        processes.iter().position(|p| p.log().contains(&own))
    })
    .await;
    let follower = 1 - leader;
    cluster.pod("before", json!({}), json!({})).await;
    assert_eq!(cluster.bound("before").await, "node-1");
    eventually("the leader's scheduler", || async {
        processes[leader].log().contains("starting scheduler").then_some(())
    })
    .await;
    assert!(!processes[follower].log().contains("starting scheduler"), "the follower must wait");

    // Kill the leader without a chance to release: the follower takes over once the lease
    // expires, then schedules.
    let killed_at = Instant::now();
    let mut dead = processes.remove(leader);
    dead.child.kill().unwrap();
    dead.child.wait().unwrap();
    let second = eventually("a new leader", || async {
        holder(&leases).await.filter(|holder| *holder != first)
    })
    .await;
    let takeover = killed_at.elapsed();
    assert!(takeover <= Duration::from_secs(6), "takeover took {takeover:?}");
    assert!(processes[0].log().contains(&second));
    cluster.pod("after", json!({}), json!({})).await;
    assert_eq!(cluster.bound("after").await, "node-1");
}

#[tokio::test]
async fn a_bad_policy_file_stops_start_up_with_a_clear_message() {
    let directory = tempfile::tempdir().unwrap();
    let policy = directory.path().join("policy.json");
    std::fs::write(&policy, r#"{"kind": "Policy", "priorities": [{"name": "EqualPriority"}]}"#)
        .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kube-scheduler"))
        .args([
            "--master=http://127.0.0.1:1",
            "--port=0",
            &format!("--policy-config-file={}", policy.display()),
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "Invalid configuration: priority EqualPriority should have a positive weight applied \
             to it or it has overflown"
        ),
        "{stderr}"
    );
    let missing = Command::new(env!("CARGO_BIN_EXE_kube-scheduler"))
        .args(["--master=http://127.0.0.1:1", "--port=0", "--policy_config_file=/nonexistent.json"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("Unable to read policy config"));
}
