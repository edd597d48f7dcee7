//! The controller toolkit against a real apiserver in this process: leader election on a Lease,
//! the event recorder's writes and correlation, and conflict retries.

use api_types::api::coordination::v1::Lease;
use api_types::api::core::v1::{ConfigMap, Event, EventSource, ObjectReference};
use api_types::meta::v1::{CreateOptions, ListOptions, MicroTime, UpdateOptions};
use client::events::object_reference;
use client::leader_election::Outcome;
use client::{
    Api, Backoff, Client, Config, EventRecorder, EventType, LeaderElectionConfig, LeaderElector,
    retry_on_conflict,
};
use kube_apiserver::testing::InProcessApiServer;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;

async fn cluster() -> (InProcessApiServer, Client, tempfile::TempDir) {
    let directory = tempfile::tempdir().unwrap();
    let server = InProcessApiServer::start(directory.path(), &[]).await.expect("apiserver starts");
    let client = Client::new(Config::for_server(&server.url()).unwrap()).unwrap();
    (server, client, directory)
}

/// Short timings so takeovers happen within seconds (the lease itself counts whole seconds).
fn election(name: &str, identity: &str, release_on_cancel: bool) -> LeaderElectionConfig {
    LeaderElectionConfig {
        identity: identity.to_string(),
        lease_duration: Duration::from_secs(2),
        renew_deadline: Duration::from_millis(1500),
        retry_period: Duration::from_millis(200),
        release_on_cancel,
        ..LeaderElectionConfig::new("kube-system", name)
    }
}

/// A candidate running in the background, leading until cancelled.
struct Candidate {
    elector: LeaderElector,
    cancel: Option<oneshot::Sender<()>>,
    run: JoinHandle<Outcome>,
}

fn start(client: &Client, config: LeaderElectionConfig) -> Candidate {
    let elector = LeaderElector::new(client.clone(), config).unwrap();
    let (cancel, cancelled) = oneshot::channel::<()>();
    let running = elector.clone();
    let run = tokio::spawn(async move {
        let cancelled = async {
            let _ = cancelled.await;
        };
        running.run(cancelled, std::future::pending).await
    });
    Candidate { elector, cancel: Some(cancel), run }
}

async fn wait_for(what: &str, limit: Duration, mut condition: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < limit, "{what} within {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    start.elapsed()
}

#[tokio::test]
async fn one_candidate_leads_and_another_takes_over_when_it_stops() {
    let (_server, client, _dir) = cluster().await;
    let mut first = start(&client, election("kube-controller-manager", "node-a_1", false));
    wait_for("a leader", Duration::from_secs(10), || first.elector.is_leader()).await;
    let second = start(&client, election("kube-controller-manager", "node-b_2", false));

    // Over several renewals, the second candidate never leads while the first does.
    let watch_until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < watch_until {
        assert!(first.elector.is_leader());
        assert!(!second.elector.is_leader());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(second.elector.observed_leader().as_deref(), Some("node-a_1"));
    let leases: Api<Lease> = Api::namespaced(client.clone(), "kube-system");
    let lease = leases.get("kube-controller-manager").await.unwrap();
    assert_eq!(lease.spec.holder_identity.as_deref(), Some("node-a_1"));
    assert_eq!(lease.spec.lease_duration_seconds, Some(2));
    assert_eq!(lease.spec.lease_transitions, Some(0));
    assert!(lease.spec.renew_time > lease.spec.acquire_time, "renewed since acquired");

    // The leader stops without releasing: the other waits out the lease, then takes it.
    first.cancel.take().unwrap().send(()).unwrap();
    assert_eq!(first.run.await.unwrap(), Outcome::Cancelled);
    assert!(!first.elector.is_leader());
    let took =
        wait_for("the takeover", Duration::from_secs(6), || second.elector.is_leader()).await;
    assert!(took >= Duration::from_millis(1500), "waited for the lease to expire: {took:?}");
    let lease = leases.get("kube-controller-manager").await.unwrap();
    assert_eq!(lease.spec.holder_identity.as_deref(), Some("node-b_2"));
    assert_eq!(lease.spec.lease_transitions, Some(1));
    second.run.abort();
}

#[tokio::test]
async fn a_released_lease_is_taken_over_at_once() {
    let (_server, client, _dir) = cluster().await;
    let mut first = start(&client, election("kube-scheduler", "a", true));
    wait_for("a leader", Duration::from_secs(10), || first.elector.is_leader()).await;
    let second = start(&client, election("kube-scheduler", "b", true));
    tokio::time::sleep(Duration::from_millis(500)).await;
    first.cancel.take().unwrap().send(()).unwrap();
    assert_eq!(first.run.await.unwrap(), Outcome::Cancelled);
    let took =
        wait_for("the takeover", Duration::from_secs(3), || second.elector.is_leader()).await;
    assert!(took < Duration::from_millis(1500), "no wait for expiry after a release: {took:?}");
    second.run.abort();
}

#[tokio::test]
async fn a_leader_whose_lease_is_taken_steps_down() {
    let (_server, client, _dir) = cluster().await;
    let leader = start(&client, election("kube-scheduler", "victim", false));
    let mut leadership = leader.elector.leadership();
    wait_for("a leader", Duration::from_secs(10), || leader.elector.is_leader()).await;
    assert!(*leadership.borrow_and_update());

    let leases: Api<Lease> = Api::namespaced(client.clone(), "kube-system");
    let mut lease = leases.get("kube-scheduler").await.unwrap();
    lease.spec.holder_identity = Some("thief".into());
    lease.spec.renew_time = Some(MicroTime::now());
    let stolen = retry_on_conflict(Backoff::DEFAULT_RETRY, || {
        let (leases, lease) = (leases.clone(), lease.clone());
        async move {
            let mut fresh = leases.get("kube-scheduler").await?;
            fresh.spec = lease.spec;
            leases.replace("kube-scheduler", &fresh, &UpdateOptions::default()).await
        }
    })
    .await;
    assert!(stolen.is_ok(), "{stolen:?}");

    let outcome = tokio::time::timeout(Duration::from_secs(3), leader.run).await.unwrap().unwrap();
    assert_eq!(outcome, Outcome::Lost);
    assert!(!leader.elector.is_leader());
    leadership.changed().await.unwrap();
    assert!(!*leadership.borrow());
    let lease = leases.get("kube-scheduler").await.unwrap();
    assert_eq!(
        lease.spec.holder_identity.as_deref(),
        Some("thief"),
        "the old leader wrote nothing"
    );
}

fn pod_reference(name: &str) -> ObjectReference {
    ObjectReference {
        kind: "Pod".into(),
        api_version: "v1".into(),
        namespace: "default".into(),
        name: name.into(),
        uid: format!("uid-{name}"),
        ..Default::default()
    }
}

async fn events_about(client: &Client, name: &str) -> Vec<Event> {
    let events: Api<Event> = Api::namespaced(client.clone(), "default");
    let mut about: Vec<Event> = events
        .list(&ListOptions::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|event| event.involved_object.name == name)
        .collect();
    about.sort_by(|a, b| a.message.cmp(&b.message));
    about
}

#[tokio::test]
async fn the_recorder_writes_and_aggregates_events() {
    let (_server, client, _dir) = cluster().await;
    let source = EventSource { component: "kubelet".into(), host: "node-1".into() };
    let recorder = EventRecorder::new(client.clone(), source);

    let web = pod_reference("web");
    for _ in 0..3 {
        recorder.record(&web, EventType::Normal, "Pulled", "Successfully pulled image \"nginx\"");
    }
    recorder.record(&web, EventType::Warning, "BackOff", "Back-off restarting failed container");
    recorder.flush().await;

    let events = events_about(&client, "web").await;
    assert_eq!(events.len(), 2, "{events:#?}");
    let (backoff, pulled) = (&events[0], &events[1]);
    assert_eq!(pulled.count, 3);
    assert_eq!(pulled.reason, "Pulled");
    assert_eq!(pulled.type_, "Normal");
    assert_eq!(pulled.involved_object, web);
    assert_eq!(pulled.source.component, "kubelet");
    assert_eq!(pulled.source.host, "node-1");
    assert_eq!(pulled.reporting_component, "kubelet");
    assert!(pulled.metadata.name.starts_with("web."), "{}", pulled.metadata.name);
    assert!(pulled.metadata.name["web.".len()..].chars().all(|c| c.is_ascii_hexdigit()));
    assert!(pulled.first_timestamp.is_some() && pulled.first_timestamp <= pulled.last_timestamp);
    assert_eq!((backoff.count, backoff.type_.as_str()), (1, "Warning"));
    assert_ne!(backoff.metadata.name, pulled.metadata.name);

    // Events about cluster-scoped objects go to `default`; typed objects make their reference.
    let mut node = api_types::api::core::v1::Node::default();
    node.metadata.name = "node-1".into();
    node.metadata.uid = "node-uid".into();
    recorder.record(&object_reference(&node), EventType::Normal, "NodeReady", "ready");
    recorder.flush().await;
    let node_events = events_about(&client, "node-1").await;
    assert_eq!(node_events.len(), 1);
    assert_eq!(node_events[0].involved_object.kind, "Node");
    assert_eq!(node_events[0].metadata.namespace, "default");
}

#[tokio::test]
async fn the_spam_filter_caps_a_burst_about_one_object() {
    let (_server, client, _dir) = cluster().await;
    let source = EventSource { component: "noisy-controller".into(), host: String::new() };
    let recorder = EventRecorder::new(client.clone(), source);
    let flapping = pod_reference("flapping");
    for _ in 0..40 {
        recorder.record(&flapping, EventType::Warning, "Unhealthy", "Liveness probe failed");
    }
    recorder.record(&pod_reference("calm"), EventType::Normal, "Started", "Started container");
    recorder.flush().await;

    let events = events_about(&client, "flapping").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].count, 25, "the burst of 25 passed, the rest were dropped");
    assert_eq!(events_about(&client, "calm").await.len(), 1, "other objects are not limited");
}

#[tokio::test]
async fn concurrent_updaters_retrying_conflicts_lose_no_update() {
    let (_server, client, _dir) = cluster().await;
    let config_maps: Api<ConfigMap> = Api::namespaced(client.clone(), "default");
    let mut counter = ConfigMap::default();
    counter.metadata.name = "counter".into();
    counter.data.insert("count".into(), "0".into());
    config_maps.create(&counter, &CreateOptions::default()).await.unwrap();

    // Twenty writers race on one object: each attempt re-reads, so each retry can win.
    let patient = Backoff {
        duration: Duration::from_millis(5),
        factor: 1.5,
        jitter: 1.0,
        steps: 40,
        cap: Some(Duration::from_millis(200)),
    };
    let mut updaters = Vec::new();
    for _ in 0..20 {
        let config_maps = config_maps.clone();
        updaters.push(tokio::spawn(async move {
            let mut attempts = 0;
            retry_on_conflict(patient, || {
                attempts += 1;
                let config_maps = config_maps.clone();
                async move {
                    let mut current = config_maps.get("counter").await?;
                    let count: u32 = current.data["count"].parse().unwrap();
                    current.data.insert("count".into(), (count + 1).to_string());
                    config_maps.replace("counter", &current, &UpdateOptions::default()).await
                }
            })
            .await
            .map(|_| attempts)
        }));
    }
    let mut attempts = Vec::new();
    for updater in updaters {
        attempts.push(updater.await.unwrap().expect("every updater succeeds"));
    }
    let counter = config_maps.get("counter").await.unwrap();
    assert_eq!(counter.data["count"], "20");
    assert!(attempts.iter().any(|&tries| tries > 1), "the race caused conflicts: {attempts:?}");
}

/// Events about different objects are written concurrently, while the repeats of each one stay
/// in order: interleaved repeats about 20 pods end as 20 Events of count 3.
#[tokio::test]
async fn interleaved_repeats_about_many_objects_keep_their_counts() {
    let (_server, client, _dir) = cluster().await;
    let source = EventSource { component: "scheduler".into(), host: String::new() };
    let recorder = EventRecorder::new(client.clone(), source);
    let pods: Vec<_> = (0..20).map(|index| pod_reference(&format!("many-{index}"))).collect();
    for _ in 0..3 {
        for pod in &pods {
            recorder.record(pod, EventType::Warning, "FailedScheduling", "0/1 nodes are available");
        }
    }
    recorder.flush().await;
    for index in 0..20 {
        let events = events_about(&client, &format!("many-{index}")).await;
        assert_eq!(events.len(), 1, "many-{index}: {events:#?}");
        assert_eq!(events[0].count, 3, "many-{index}");
    }
}
