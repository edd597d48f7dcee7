//! The real kubectl against an in-process apiserver, relying on the served OpenAPI documents:
//! client-side validation (no `--validate=false`) and `kubectl explain`.

mod api_server;

use api_server::TestServer;
use std::path::Path;
use std::process::Command;

/// The kubectl on PATH (the project's machines have one; see DESIGN.md).
const KUBECTL: &str = "kubectl";

/// The kubectl binaries to try: the versioned ones installed beside the one on PATH
/// (`kubectl.1.27` ... `kubectl.1.33`; 1.27 and 1.28 read `/openapi/v2` as protobuf, later
/// ones read `/openapi/v3`), or that one alone.
fn kubectls() -> Vec<String> {
    let on_path = Command::new("sh")
        .args(["-c", "readlink -f \"$(command -v kubectl)\""])
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .unwrap_or_default();
    let mut versioned: Vec<String> = Path::new(&on_path)
        .parent()
        .and_then(|directory| std::fs::read_dir(directory).ok())
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name().and_then(|name| name.to_str()).is_some_and(|name| {
                name.strip_prefix("kubectl.1.")
                    .and_then(|minor| minor.parse::<u32>().ok())
                    .is_some_and(|minor| minor >= 29)
            })
        })
        .map(|path| path.display().to_string())
        .collect();
    versioned.sort();
    if versioned.is_empty() { vec![KUBECTL.to_string()] } else { versioned }
}

/// What one kubectl run printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs kubectl against `server_url` with an empty configuration and a private cache.
async fn kubectl(binary: &str, server_url: &str, directory: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(binary);
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
        .unwrap_or_else(|error| panic!("running {binary} (it must be installed): {error}"));
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn write(directory: &Path, name: &str, contents: &str) -> String {
    let path = directory.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n";

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: NAME
  namespace: default
spec:
  containers:
  - name: web
    image: nginx
    resources:
      limits:
        cpu: 100m
        memory: 64Mi
    ports:
    - containerPort: 80
";

const POD_WITH_TYPO: &str = "apiVersion: v1
kind: Pod
metadata:
  name: typo
  namespace: default
spec:
  containers:
  - name: web
    imagee: nginx
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_validates_and_explains_with_the_served_openapi() {
    let server = TestServer::start(&[]).await;
    let directory = tempfile::tempdir().unwrap();
    let dir = directory.path();
    let url = server.url();

    let namespace = write(dir, "ns.yaml", NAMESPACE);
    let run = kubectl(KUBECTL, &url, dir, &["create", "-f", &namespace]).await;
    assert_eq!(run.code, Some(0), "create namespace:\n{}\n{}", run.stdout, run.stderr);

    for (index, binary) in kubectls().iter().enumerate() {
        let pod = write(dir, "pod.yaml", &POD.replace("NAME", &format!("web-{index}")));
        let run = kubectl(binary, &url, dir, &["create", "-f", &pod]).await;
        assert_eq!(run.code, Some(0), "{binary} create:\n{}\n{}", run.stdout, run.stderr);

        let typo = write(dir, "typo.yaml", POD_WITH_TYPO);
        let run = kubectl(binary, &url, dir, &["create", "-f", &typo]).await;
        assert_ne!(run.code, Some(0), "{binary}: {}", run.stdout);
        assert!(
            run.stderr
                .contains(r#"strict decoding error: unknown field "spec.containers[0].imagee""#),
            "{binary}: {}",
            run.stderr
        );

        let run = kubectl(binary, &url, dir, &["explain", "pod.spec.containers"]).await;
        assert_eq!(run.code, Some(0), "{binary} explain:\n{}\n{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("image"), "{binary}: {}", run.stdout);
        assert!(run.stdout.contains("The container image to run"), "{binary}: {}", run.stdout);
        assert!(run.stdout.contains("Container"), "{binary}: {}", run.stdout);
    }

    server.stop().await;
}
