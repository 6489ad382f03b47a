//! The service substrate: what one replica is and how requests reach it.
//!
//! A pod as a queue with worker slots and a shared CPU ([`pod`]), the
//! bookings of a pod on dedicated CPU ([`ledger`]), CPU-use integrals
//! ([`usage`]), the load balancer in
//! front of the Ready pods ([`balancer`]), a replica's start-up
//! and drain ([`lifecycle`]), the samplers of work and start-up times
//! ([`dist`]), and the metrics pipeline that autoscalers read ([`pipeline`]).

pub mod balancer;
pub mod dist;
pub mod ledger;
pub mod lifecycle;
pub mod pipeline;
pub mod pod;
pub mod usage;
