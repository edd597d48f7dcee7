//! `autoscaling/v1`: the Scale subresource.

mod scale;

pub use scale::*;
