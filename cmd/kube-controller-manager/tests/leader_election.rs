//! Two real kube-controller-manager processes against one apiserver: only the Lease holder runs
//! controllers; when it is killed, the other takes over within the lease duration and acts.

mod support;

use api_types::api::coordination::v1::Lease;
use api_types::api::core::v1::{Pod, ReplicationController};
use api_types::meta::v1::{CreateOptions, ListOptions, PatchOptions, PatchType};
use client::Api;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::{ControlPlane, eventually};

/// A controller-manager process whose log goes to a file; killed when dropped.
struct Process {
    child: Child,
    log: PathBuf,
}

impl Process {
    fn start(master: &str, log: &Path) -> Process {
        let file = std::fs::File::create(log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_kube-controller-manager"))
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
            .expect("kube-controller-manager starts");
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
    leases.get_opt("kube-controller-manager").await.ok().flatten()?.spec.holder_identity
}

async fn live_pods(pods: &Api<Pod>) -> usize {
    let options = ListOptions { label_selector: "app=le".into(), ..Default::default() };
    pods.list(&options)
        .await
        .unwrap()
        .items
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .count()
}

#[tokio::test]
async fn only_the_leader_acts_and_a_follower_takes_over() {
    let plane = ControlPlane::start(&["--leader-elect=false"]).await;
    let logs = tempfile::tempdir().unwrap();
    let mut processes = vec![
        Process::start(&plane.server.url(), &logs.path().join("a.log")),
        Process::start(&plane.server.url(), &logs.path().join("b.log")),
    ];
    let leases: Api<Lease> = Api::namespaced(plane.client.clone(), "kube-system");
    let first = eventually("a leader", || async { holder(&leases).await }).await;
    let leader = eventually("the leader's log", || async {
        // Each process logs its own identity as `identity=`; a follower names the leader only
        // as `holder=`, so matching the bare identity could pick the follower.
        let own = format!("identity={first}");
        processes.iter().position(|p| p.log().contains(&own))
    })
    .await;
    let follower = 1 - leader;

    let rcs: Api<ReplicationController> = Api::default_namespaced(plane.client.clone());
    let rc: ReplicationController = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "le"},
        "spec": {"replicas": 2, "selector": {"app": "le"},
                 "template": {"metadata": {"labels": {"app": "le"}},
                              "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}
    }))
    .unwrap();
    rcs.create(&rc, &CreateOptions::default()).await.unwrap();
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    eventually("2 pods from the leader", || async { (live_pods(&pods).await == 2).then_some(()) })
        .await;
    assert!(processes[leader].log().contains("starting controllers"));
    assert!(!processes[follower].log().contains("starting controllers"), "the follower must wait");

    // Kill the leader without a chance to release: the follower takes over once the lease
    // expires, then acts.
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
    assert!(processes[0].log().contains(&format!("identity={second}")));
    let scale = json!({"spec": {"replicas": 3}});
    rcs.patch("le", PatchType::Merge, &scale, &PatchOptions::default()).await.unwrap();
    eventually("3 pods from the new leader", || async {
        (live_pods(&pods).await == 3).then_some(())
    })
    .await;
}
