//! `autoscaling/v1`: the Scale subresource.
