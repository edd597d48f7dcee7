//! kube-scheduler's entry point: flags (with the book's `--underscore_names`), logging, then
//! scheduling until SIGTERM or SIGINT.

use component_base::ShutdownToken;
use component_base::flags::normalized_env_args;
use kube_scheduler::options::Options;
use kube_scheduler::{RunError, run};
use std::process::ExitCode;

fn main() -> ExitCode {
    let options = match Options::try_parse_args(normalized_env_args()) {
        Ok(options) => options,
        Err(error) => error.exit(),
    };
    options.version.print_and_exit_if_requested();
    if let Err(error) = component_base::logging::init(&options.logging) {
        eprintln!("kube-scheduler: {error}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("kube-scheduler: starting the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        let shutdown = ShutdownToken::on_signals().map_err(RunError::Signals)?;
        run(options, shutdown).await
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "kube-scheduler failed");
            eprintln!("kube-scheduler: {error}");
            ExitCode::FAILURE
        }
    }
}
