//! What the controllers share: expectations, controller references and claiming, pod facts,
//! and pods made from templates.

pub mod context;
pub mod expectations;
pub mod owner;
pub mod pod_template;
pub mod pods;
pub mod worker;
