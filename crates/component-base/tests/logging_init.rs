//! Installing the global subscriber is a once-per-process act, so it gets its own test binary.

use component_base::logging::{self, LoggingArgs, LoggingError};

#[test]
fn second_init_is_an_error_not_a_panic() {
    let args = LoggingArgs::default();
    // An invalid RUST_LOG inherited from the environment would make the first call fail for a
    // reason unrelated to this test; say so plainly instead.
    if let Ok(value) = std::env::var(logging::FILTER_ENV) {
        assert!(
            logging::filter_for(&args, Some(&value)).is_ok(),
            "the test environment sets an invalid {}={value:?}",
            logging::FILTER_ENV
        );
    }
    logging::init(&args).expect("first init succeeds");
    tracing::info!("logging initialized for the test");
    let second = logging::init(&args);
    assert!(matches!(second, Err(LoggingError::AlreadyInitialized)), "{second:?}");
}
