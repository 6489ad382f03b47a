//! Traffic: a service's rate function r(t) ([`rate`]), the pieces it sums
//! ([`part`]), traffic incidents as exact parts of it ([`incident`]), and the arrival times it produces
//! ([`arrivals`]: exact non-homogeneous Poisson, or deterministic).

pub mod arrivals;
pub mod incident;
pub mod part;
pub mod rate;
