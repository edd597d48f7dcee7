//! The real kubectl against an in-process apiserver: discovery, server-side tables, create,
//! get -o json and delete, over plain HTTP and over HTTPS (where kubectl speaks HTTP/2).

mod api_server;

use api_server::TestServer;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The kubectl on PATH (the project's machines have one; see DESIGN.md).
const KUBECTL: &str = "kubectl";

/// Credentials for the secure port, so kubectl does not prompt for a user name; the server does
/// not authenticate yet.
const TOKEN: &str = "--token=smoke-test";

/// What one kubectl run printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs kubectl against `server` with an empty configuration and a private cache.
async fn kubectl(server_url: &str, directory: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(KUBECTL);
    command
        .env("KUBECONFIG", directory.join("no-kubeconfig"))
        .env("HOME", directory)
        .arg(format!("--server={server_url}"))
        .arg(format!("--cache-dir={}", directory.join("kube-cache").display()))
        .arg("--request-timeout=20s")
        .args(args)
        .stdin(std::process::Stdio::null());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap_or_else(|error| panic!("running {KUBECTL} (it must be installed): {error}"));
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs kubectl and insists that it succeeded.
async fn kubectl_ok(server_url: &str, directory: &Path, args: &[&str]) -> String {
    let run = kubectl(server_url, directory, args).await;
    assert_eq!(run.code, Some(0), "kubectl {args:?} failed:\n{}\n{}", run.stdout, run.stderr);
    run.stdout
}

fn write(directory: &Path, name: &str, contents: &str) -> String {
    let path = directory.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_creates_lists_and_deletes() {
    let server = TestServer::start(&[]).await;
    let directory = tempfile::tempdir().unwrap();
    let dir = directory.path();
    let url = server.url();

    let namespace = write(
        dir,
        "ns.json",
        r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}"#,
    );
    let created = kubectl_ok(&url, dir, &["create", "-f", &namespace]).await;
    assert_eq!(created.trim(), "namespace/default created");

    let namespaces = kubectl_ok(&url, dir, &["get", "namespaces"]).await;
    let mut lines = namespaces.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["NAME", "STATUS", "AGE"], "{namespaces}");
    let row: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(row[..2], ["default", "Active"], "{namespaces}");

    let config_map = write(
        dir,
        "cm.json",
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"mode":"fast","level":"3"}}"#,
    );
    let created = kubectl_ok(&url, dir, &["create", "-f", &config_map]).await;
    assert_eq!(created.trim(), "configmap/settings created");

    let listed = kubectl_ok(&url, dir, &["get", "configmaps", "-o", "json"]).await;
    let list: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(list["kind"], "List");
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(list["items"][0]["metadata"]["name"], "settings");
    assert_eq!(list["items"][0]["data"]["level"], "3");

    let table = kubectl_ok(&url, dir, &["get", "configmaps"]).await;
    let row: Vec<&str> = table.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(row[..2], ["settings", "2"], "{table}");

    let missing = kubectl(&url, dir, &["get", "configmap", "nope"]).await;
    assert_eq!(missing.code, Some(1));
    assert!(
        missing.stderr.contains(r#"Error from server (NotFound): configmaps "nope" not found"#),
        "{}",
        missing.stderr
    );

    let deleted = kubectl_ok(&url, dir, &["delete", "configmap", "settings"]).await;
    assert_eq!(deleted.trim(), r#"configmap "settings" deleted"#);
    let empty = kubectl(&url, dir, &["get", "configmaps"]).await;
    assert_eq!(empty.code, Some(0));
    assert!(empty.stderr.contains("No resources found in default namespace."), "{}", empty.stderr);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_over_https_and_http2() {
    let server = TestServer::start_secure(&[]).await;
    let directory = tempfile::tempdir().unwrap();
    let dir = directory.path();
    let url = format!("https://localhost:{}", server.secure_address.unwrap().port());
    let ca = server.directory.path().join("certs/apiserver.crt");
    let ca_flag = format!("--certificate-authority={}", ca.display());

    let namespace = write(
        dir,
        "ns.json",
        r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kube-system"}}"#,
    );
    kubectl_ok(&url, dir, &[&ca_flag, TOKEN, "create", "-f", &namespace]).await;
    let listed = kubectl_ok(&url, dir, &[&ca_flag, TOKEN, "get", "namespaces", "-o", "name"]).await;
    assert_eq!(listed.trim(), "namespace/kube-system");
    let verbose = kubectl(&url, dir, &[&ca_flag, TOKEN, "get", "namespaces", "-v=8"]).await;
    assert_eq!(verbose.code, Some(0), "{}", verbose.stderr);
    assert!(verbose.stdout.contains("kube-system"), "{}", verbose.stdout);
    server.stop().await;
}
