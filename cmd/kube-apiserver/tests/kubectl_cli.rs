//! The real kubectl, in four versions (1.33, 1.30, 1.27, and Debian's 1.20), against the real
//! kube-apiserver binary on both backends through a kubeconfig file: the book's guestbook
//! manifests, then the everyday commands, each checked against what kubectl prints against
//! upstream Kubernetes.

mod api_server;
mod real_server;

use real_server::{Backend, RealServer};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The guestbook manifests of the book, in the order it creates them.
const GUESTBOOK: [&str; 6] = [
    "L00471-redis-master-controller.yaml",
    "L00521-redis-master-service.yaml",
    "L00570-redis-slave-controller.yaml",
    "L00639-redis-slave-service.yaml",
    "L00675-frontend-controller.yaml",
    "L00784-frontend-service.yaml",
];

/// The oldest client tested: Debian's `kubernetes-client`, unpacked by hack/install-deps.sh into
/// the repository's `.tools` (installing the package would replace the kubectl on PATH).
const LEGACY_VERSION: &str = "1.20";

/// The versioned kubectl binaries installed next to the one on PATH, and the legacy one.
fn kubectl_binary(version: &str) -> PathBuf {
    if version == LEGACY_VERSION {
        let binary =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/kubectl-1.20/usr/bin/kubectl");
        assert!(
            binary.exists(),
            "{} is missing: run hack/install-deps.sh to unpack Debian's kubernetes-client",
            binary.display()
        );
        return binary;
    }
    let on_path = Command::new("sh")
        .args(["-c", "readlink -f \"$(command -v kubectl)\""])
        .output()
        .expect("sh runs");
    let on_path = PathBuf::from(String::from_utf8(on_path.stdout).unwrap().trim());
    let binary = on_path.parent().expect("kubectl is on PATH").join(format!("kubectl.{version}"));
    assert!(binary.exists(), "{} is missing: install kubectl {version}", binary.display());
    binary
}

/// What one kubectl run printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// One kubectl version pointed at one server through a kubeconfig in a private directory.
struct Kubectl {
    binary: PathBuf,
    home: tempfile::TempDir,
}

impl Kubectl {
    fn new(version: &str, server: &RealServer) -> Kubectl {
        let home = tempfile::tempdir().unwrap();
        let config = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n    server: {}\n\
             users:\n- name: tester\n  user: {{}}\ncontexts:\n- name: local\n  context:\n    \
             cluster: local\n    user: tester\n    namespace: default\ncurrent-context: local\n",
            server.url()
        );
        std::fs::write(home.path().join("kubeconfig"), config).unwrap();
        Kubectl { binary: kubectl_binary(version), home }
    }

    fn dir(&self) -> &Path {
        self.home.path()
    }

    /// A kubectl command with this kubectl's kubeconfig, home and cache.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .env("KUBECONFIG", self.dir().join("kubeconfig"))
            .env("HOME", self.dir())
            .arg(format!("--cache-dir={}", self.dir().join("cache").display()))
            .args(args)
            .stdin(Stdio::null());
        command
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Runs kubectl with extra environment variables (`EDITOR` for `kubectl edit`).
    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = self.command(&["--request-timeout=20s"]);
        command.args(args).envs(env.iter().copied());
        let output = command.output().expect("kubectl runs");
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs kubectl and insists on success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.code, Some(0), "kubectl {args:?} failed:\n{}\n{}", run.stdout, run.stderr);
        run.stdout
    }

    fn write(&self, name: &str, contents: &str) -> String {
        let path = self.dir().join(name);
        std::fs::write(&path, contents).unwrap();
        path.display().to_string()
    }
}

fn manifest(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../crates/api-types/tests/book/manifests")
        .join(name);
    path.display().to_string()
}

/// The whitespace-separated cells of each line.
fn table(text: &str) -> Vec<Vec<String>> {
    text.lines().map(|line| line.split_whitespace().map(str::to_owned).collect()).collect()
}

fn guestbook_session(version: &str, backend: Backend) {
    let server = RealServer::start_on(backend, &[]);
    let kubectl = Kubectl::new(version, &server);
    // The server's bootstrap made the system namespaces.
    let namespaces = table(&kubectl.ok(&["get", "namespaces"]));
    for name in ["default", "kube-public", "kube-system"] {
        assert!(
            namespaces.iter().any(|row| row[0] == name && row[1] == "Active"),
            "{namespaces:?}"
        );
    }

    for (file, expected) in GUESTBOOK.iter().zip([
        "replicationcontroller/redis-master created",
        "service/redis-master created",
        "replicationcontroller/redis-slave created",
        "service/redis-slave created",
        "replicationcontroller/frontend created",
        "service/frontend created",
    ]) {
        let created = kubectl.ok(&["create", "-f", &manifest(file)]);
        assert_eq!(created.trim(), expected, "kubectl {version}");
    }

    // get rc: the server's table, as upstream prints it.
    let rcs = table(&kubectl.ok(&["get", "rc"]));
    assert_eq!(rcs[0], ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]);
    let names: Vec<&str> = rcs[1..].iter().map(|row| row[0].as_str()).collect();
    assert_eq!(names, ["frontend", "redis-master", "redis-slave"]);
    assert_eq!(rcs[1][1..4], ["3", "0", "0"]);

    let wide = table(&kubectl.ok(&["get", "rc", "-o", "wide"]));
    assert_eq!(
        wide[0],
        ["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]
    );
    assert_eq!(wide[2][5..], ["master", "kubeguide/redis-master", "name=redis-master"]);

    // get svc -o wide: ports with node port and the selector column.
    let services = table(&kubectl.ok(&["get", "svc", "-o", "wide"]));
    assert_eq!(
        services[0],
        ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]
    );
    let frontend = services.iter().find(|row| row[0] == "frontend").unwrap();
    assert_eq!(frontend[1], "NodePort");
    assert_eq!(frontend[4], "80:30001/TCP");
    assert_eq!(frontend[6], "name=frontend");
    let master = services.iter().find(|row| row[0] == "redis-master").unwrap();
    assert_eq!(master[1], "ClusterIP");
    assert_eq!(master[4], "6379/TCP");
    // Cluster IPs come from --service-cluster-ip-range (10.0.0.0/24); the first is `kubernetes`'s.
    let kubernetes = services.iter().find(|row| row[0] == "kubernetes").unwrap();
    assert_eq!(kubernetes[2..5], ["10.0.0.1", "<none>", "443/TCP"]);
    for row in &services[1..] {
        assert!(row[2].starts_with("10.0.0."), "{row:?}");
    }

    // Output formats.
    let object: Value =
        serde_json::from_str(&kubectl.ok(&["get", "rc", "frontend", "-o", "json"])).unwrap();
    assert_eq!(object["kind"], "ReplicationController");
    assert_eq!(object["spec"]["replicas"], 3);
    let list: Value = serde_json::from_str(&kubectl.ok(&["get", "svc", "-o", "json"])).unwrap();
    assert_eq!(list["kind"], "List");
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        4,
        "three guestbook services and kubernetes"
    );
    let yaml = kubectl.ok(&["get", "rc", "redis-slave", "-o", "yaml"]);
    let parsed: Value = serde_yaml_ng::from_str(&yaml).unwrap();
    assert_eq!(parsed["kind"], "ReplicationController");
    assert_eq!(parsed["spec"]["template"]["spec"]["containers"][0]["name"], "slave");
    assert_eq!(
        kubectl.ok(&["get", "rc", "-o", "name"]),
        "replicationcontroller/frontend\nreplicationcontroller/redis-master\n\
         replicationcontroller/redis-slave\n"
    );
    assert_eq!(
        kubectl.ok(&["get", "rc", "-o", "jsonpath={.items[*].metadata.name}"]),
        "frontend redis-master redis-slave"
    );
    assert_eq!(
        kubectl.ok(&["get", "svc", "frontend", "-o", "jsonpath={.spec.ports[0].nodePort}"]),
        "30001"
    );

    // Selectors and the all-namespaces and labels columns.
    let selected = table(&kubectl.ok(&["get", "rc", "-l", "name=redis-slave"]));
    assert_eq!(selected.len(), 2);
    assert_eq!(selected[1][0], "redis-slave");
    let selected = table(
        &kubectl.ok(&["get", "rc", "-l", "name!=redis-slave", "-o", "name"]).replace('/', " "),
    );
    assert_eq!(selected.len(), 2);
    let by_field =
        kubectl.ok(&["get", "rc", "--field-selector", "metadata.name=frontend", "-o", "name"]);
    assert_eq!(by_field, "replicationcontroller/frontend\n");
    let everywhere = table(&kubectl.ok(&["get", "rc", "-A"]));
    assert_eq!(everywhere[0], ["NAMESPACE", "NAME", "DESIRED", "CURRENT", "READY", "AGE"]);
    assert_eq!(everywhere[1][..2], ["default", "frontend"]);
    let labelled = table(&kubectl.ok(&["get", "rc", "--show-labels"]));
    assert_eq!(labelled[0].last().unwrap(), "LABELS");
    assert_eq!(labelled[1].last().unwrap(), "name=frontend");

    // describe: kubectl's own layout over the object (and its events, none here).
    let described = kubectl.ok(&["describe", "rc", "frontend"]);
    for line in [
        "Name:         frontend",
        "Namespace:    default",
        "Selector:     name=frontend",
        "Labels:       name=frontend",
        "Replicas:     0 current / 3 desired",
        "Pods Status:  0 Running / 0 Waiting / 0 Succeeded / 0 Failed",
        "    Image:      kubeguide/guestbook-php-frontend",
        "      GET_HOSTS_FROM:  env",
    ] {
        assert!(described.lines().any(|got| got == line), "{line:?} missing from:\n{described}");
    }
    assert!(described.lines().any(|line| line.starts_with("Events:") && line.ends_with("<none>")));

    // apply: created, then unchanged, then configured after an edit.
    let applied = |contents: &str| {
        let file = kubectl.write("applied.yaml", contents);
        kubectl.ok(&["apply", "-f", &file])
    };
    let config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  a: \"1\"\n";
    assert_eq!(applied(config).trim(), "configmap/applied created");
    assert_eq!(applied(config).trim(), "configmap/applied unchanged");
    assert_eq!(applied(&config.replace("\"1\"", "\"2\"")).trim(), "configmap/applied configured");
    assert_eq!(kubectl.ok(&["get", "configmap", "applied", "-o", "jsonpath={.data.a}"]), "2");

    // Server-side field validation: the server's default (Warn, which kubectl 1.20 gets with
    // --validate=false) and --validate=warn store the object without the unknown field, and
    // kubectl prints the server's warning; strict refuses it.
    let unknown = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: warned\ndata:\n  a: \"1\"\n\
                   foo: bar\n";
    let file = kubectl.write("warned.yaml", unknown);
    let validate = if version == LEGACY_VERSION { "--validate=false" } else { "--validate=warn" };
    let warned = kubectl.run(&["apply", validate, "-f", &file]);
    assert_eq!(warned.code, Some(0), "{}\n{}", warned.stdout, warned.stderr);
    assert_eq!(warned.stdout.trim(), "configmap/warned created");
    assert!(
        warned.stderr.lines().any(|line| line == r#"Warning: unknown field "foo""#),
        "kubectl {version}: {}",
        warned.stderr
    );
    let stored: Value =
        serde_json::from_str(&kubectl.ok(&["get", "configmap", "warned", "-o", "json"])).unwrap();
    assert!(stored.get("foo").is_none(), "{stored}");
    // (kubectl 1.20 validates on the client, against the server's OpenAPI.)
    let refused = kubectl.run(&["create", "--validate=true", "-f", &file]);
    assert_eq!(refused.code, Some(1));
    assert!(refused.stderr.contains(r#"unknown field "foo""#), "{}", refused.stderr);

    // Missing objects: upstream's wording and exit code.
    let missing = kubectl.run(&["get", "pod", "missing"]);
    assert_eq!(missing.code, Some(1));
    assert_eq!(missing.stderr.trim(), r#"Error from server (NotFound): pods "missing" not found"#);

    // label and annotate, with --overwrite and removal.
    assert_eq!(
        kubectl.ok(&["label", "rc", "frontend", "tier=web"]).trim(),
        "replicationcontroller/frontend labeled"
    );
    let clash = kubectl.run(&["label", "rc", "frontend", "tier=app"]);
    assert_eq!(clash.code, Some(1));
    assert!(
        clash.stderr.contains("'tier' already has a value (web), and --overwrite is false"),
        "{}",
        clash.stderr
    );
    kubectl.ok(&["label", "rc", "frontend", "tier=app", "--overwrite"]);
    assert_eq!(
        kubectl.ok(&["get", "rc", "frontend", "-o", "jsonpath={.metadata.labels.tier}"]),
        "app"
    );
    kubectl.ok(&["label", "rc", "frontend", "tier-"]);
    assert_eq!(
        kubectl.ok(&["get", "rc", "frontend", "-o", "jsonpath={.metadata.labels}"]),
        r#"{"name":"frontend"}"#
    );
    // kubectl 1.27 itself prints "annotate" where later versions print "annotated".
    let annotated = kubectl.ok(&["annotate", "rc", "frontend", "owner=guestbook"]);
    assert!(annotated.starts_with("replicationcontroller/frontend annotate"), "{annotated}");
    kubectl.ok(&["annotate", "rc", "frontend", "owner=book", "--overwrite"]);
    assert_eq!(
        kubectl.ok(&["get", "rc", "frontend", "-o", "jsonpath={.metadata.annotations.owner}"]),
        "book"
    );
    kubectl.ok(&["annotate", "rc", "frontend", "owner-"]);
    assert_eq!(
        kubectl.ok(&["get", "rc", "frontend", "-o", "jsonpath={.metadata.annotations.owner}"]),
        ""
    );

    // patch with each of the three types.
    let replicas = || kubectl.ok(&["get", "rc", "frontend", "-o", "jsonpath={.spec.replicas}"]);
    assert_eq!(
        kubectl.ok(&["patch", "rc", "frontend", "-p", r#"{"spec":{"replicas":2}}"#]).trim(),
        "replicationcontroller/frontend patched"
    );
    assert_eq!(replicas(), "2");
    kubectl.ok(&["patch", "rc", "frontend", "--type=merge", "-p", r#"{"spec":{"replicas":4}}"#]);
    assert_eq!(replicas(), "4");
    kubectl.ok(&[
        "patch",
        "rc",
        "frontend",
        "--type=json",
        "-p",
        r#"[{"op":"replace","path":"/spec/replicas","value":5}]"#,
    ]);
    assert_eq!(replicas(), "5");

    // replace from a fetched and edited manifest.
    let current = kubectl.ok(&["get", "rc", "frontend", "-o", "json"]);
    let mut edited: Value = serde_json::from_str(&current).unwrap();
    edited["spec"]["replicas"] = Value::from(1);
    let file = kubectl.write("frontend.json", &edited.to_string());
    assert_eq!(
        kubectl.ok(&["replace", "-f", &file]).trim(),
        "replicationcontroller/frontend replaced"
    );
    assert_eq!(replicas(), "1");

    // scale, through the RC's scale subresource.
    assert_eq!(
        kubectl.ok(&["scale", "rc", "frontend", "--replicas=3"]).trim(),
        "replicationcontroller/frontend scaled"
    );
    assert_eq!(replicas(), "3");

    // delete by label across kinds.
    let deleted = kubectl.ok(&["delete", "rc,svc", "-l", "name=redis-slave"]);
    assert_eq!(
        deleted,
        "replicationcontroller \"redis-slave\" deleted\nservice \"redis-slave\" deleted\n"
    );
    assert_eq!(
        kubectl.ok(&["get", "rc", "-o", "name"]),
        "replicationcontroller/frontend\nreplicationcontroller/redis-master\n"
    );

    // Discovery.
    let resources = table(&kubectl.ok(&["api-resources"]));
    assert_eq!(resources[0], ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
    assert!(resources.contains(&["pods", "po", "v1", "true", "Pod"].map(String::from).to_vec()));
    assert!(resources.contains(
        &["deployments", "deploy", "apps/v1", "true", "Deployment"].map(String::from).to_vec()
    ));
    let versions = kubectl.ok(&["api-versions"]);
    assert!(versions.lines().any(|line| line == "v1"), "{versions}");
    assert!(versions.lines().any(|line| line == "apps/v1"), "{versions}");
    let api: Value = serde_json::from_str(&kubectl.ok(&["get", "--raw", "/api"])).unwrap();
    assert_eq!(api["kind"], "APIVersions");
    assert_eq!(api["versions"], serde_json::json!(["v1"]));
}

#[test]
fn kubectl_1_33_guestbook() {
    guestbook_session("1.33", Backend::Embedded);
}

#[test]
fn kubectl_1_30_guestbook() {
    guestbook_session("1.30", Backend::Embedded);
}

#[test]
fn kubectl_1_27_guestbook() {
    guestbook_session("1.27", Backend::Embedded);
}

#[test]
fn kubectl_1_20_guestbook() {
    guestbook_session(LEGACY_VERSION, Backend::Embedded);
}

/// The same session against etcd, with the newest and the oldest client: the backend is what
/// differs, so two versions are enough.
#[test]
fn kubectl_1_33_guestbook_on_etcd() {
    guestbook_session("1.33", Backend::Etcd);
}

#[test]
fn kubectl_1_20_guestbook_on_etcd() {
    guestbook_session(LEGACY_VERSION, Backend::Etcd);
}

/// The everyday commands beyond the guestbook: generators, `expose`, `get -w`, `edit` through
/// `$EDITOR`, forced and `--all` deletes, `cluster-info`, `explain`, and the NotFound error.
fn everyday_session(version: &str) {
    let server = RealServer::start_on(Backend::Embedded, &[]);
    let kubectl = Kubectl::new(version, &server);
    let ns = ["-n", "team-a"];
    let with_ns = |args: &[&str]| -> Vec<String> {
        ns.iter().chain(args).map(|arg| arg.to_string()).collect()
    };
    let ok = |args: &[&str]| {
        let args = with_ns(args);
        kubectl.ok(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };

    assert_eq!(kubectl.ok(&["create", "namespace", "team-a"]), "namespace/team-a created\n");
    assert_eq!(
        ok(&["create", "secret", "generic", "db", "--from-literal=password=s3cr3t"]),
        "secret/db created\n"
    );
    assert_eq!(
        ok(&["create", "configmap", "cfg", "--from-literal=mode=fast"]),
        "configmap/cfg created\n"
    );
    assert_eq!(
        ok(&["create", "deployment", "web", "--image=nginx:1.27"]),
        "deployment.apps/web created\n"
    );
    assert_eq!(
        ok(&["expose", "deployment", "web", "--port=80", "--target-port=8080"]),
        "service/web exposed\n"
    );
    let target = ok(&["get", "svc", "web", "-o", "jsonpath={.spec.ports[0].targetPort}"]);
    assert_eq!(target, "8080");
    let secret = ok(&["get", "secret", "db", "-o", "jsonpath={.data.password}"]);
    assert_eq!(secret, "czNjcjN0");

    // A missing object: upstream's wording and exit code 1.
    let missing = kubectl.run(&["get", "pod", "missing"]);
    assert_eq!(missing.code, Some(1));
    assert_eq!(missing.stderr.trim(), "Error from server (NotFound): pods \"missing\" not found");

    // Older kubectl versions colour this output even when it is not a terminal.
    let info = without_colours(&kubectl.ok(&["cluster-info"]));
    assert!(
        info.starts_with(&format!("Kubernetes control plane is running at {}", server.url())),
        "{info}"
    );
    let explained = kubectl.ok(&["explain", "pod.spec.containers"]);
    assert!(explained.contains("KIND:") && explained.contains("Pod"), "{explained}");
    assert!(explained.contains("DESCRIPTION:"), "{explained}");

    // `get -w` prints the current rows, then later changes as they happen.
    let mut watch = kubectl
        .command(&["-n", "team-a", "get", "configmaps", "-w"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kubectl get -w starts");
    let lines = std::io::BufReader::new(watch.stdout.take().unwrap());
    let (seen, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in lines.lines().map_while(Result::ok) {
            if seen.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |needle: &str| loop {
        let line = receive.recv_timeout(std::time::Duration::from_secs(20)).expect(needle);
        if line.split_whitespace().next() == Some(needle) {
            break;
        }
    };
    wait_for("cfg");
    ok(&["create", "configmap", "later", "--from-literal=a=b"]);
    wait_for("later");
    let _ = watch.kill();
    let _ = watch.wait();

    // `edit` runs $EDITOR on the object and applies the result.
    let editor =
        kubectl.write("editor.sh", "#!/bin/sh\nsed -i 's/mode: fast/mode: slow/' \"$1\"\n");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let edited =
        kubectl.run_with(&["-n", "team-a", "edit", "configmap", "cfg"], &[("EDITOR", &editor)]);
    assert_eq!(edited.code, Some(0), "{}\n{}", edited.stdout, edited.stderr);
    assert_eq!(edited.stdout, "configmap/cfg edited\n");
    assert_eq!(ok(&["get", "configmap", "cfg", "-o", "jsonpath={.data.mode}"]), "slow");

    // A forced delete with no grace period, and `--all`.
    assert_eq!(ok(&["run", "p1", "--image=busybox", "--restart=Never"]), "pod/p1 created\n");
    let forced =
        kubectl.run(&["-n", "team-a", "delete", "pod", "p1", "--grace-period=0", "--force"]);
    assert_eq!(forced.code, Some(0), "{}", forced.stderr);
    assert_eq!(forced.stdout, "pod \"p1\" force deleted\n");
    assert!(forced.stderr.contains("Immediate deletion does not wait"), "{}", forced.stderr);
    let all = ok(&["delete", "configmaps", "--all"]);
    assert_eq!(all, "configmap \"cfg\" deleted\nconfigmap \"later\" deleted\n");
    let left = kubectl.run(&["-n", "team-a", "get", "configmaps"]);
    assert_eq!(left.stderr.trim(), "No resources found in team-a namespace.");
}

/// `text` without ANSI colour sequences (`ESC [ ... m`).
fn without_colours(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for rest in chars.by_ref() {
                if rest == 'm' {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

#[test]
fn kubectl_1_33_everyday_commands() {
    everyday_session("1.33");
}

#[test]
fn kubectl_1_30_everyday_commands() {
    everyday_session("1.30");
}

#[test]
fn kubectl_1_27_everyday_commands() {
    everyday_session("1.27");
}

#[test]
fn kubectl_1_20_everyday_commands() {
    everyday_session(LEGACY_VERSION);
}
