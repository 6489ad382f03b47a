//! capsim's integration tests, one binary: each module one concern, fixtures in [`common`].
//!
//! One binary links the library once (instead of once per file). The
//! counting allocator of [`allocations`] is global here, so it counts per
//! thread: a run measured on one thread is not disturbed by tests on others.

mod allocations;
mod arrival_spike;
mod asg_scenario;
mod bad_input;
mod bad_input_ca_flags;
mod bad_input_cluster;
mod bad_input_events;
mod bad_input_karpenter;
mod bad_input_scaling;
mod bad_input_slo;
mod cli;
mod cluster_cost;
mod cluster_faults;
mod cluster_invariants;
mod cluster_large;
mod cluster_placement;
mod cluster_scenario;
mod common;
mod end_of_run;
mod golden;
mod hpa_conformance;
mod hpa_e2e_timing;
mod hpa_replay;
mod hpa_scenario;
mod input_limits;
mod karpenter_scenario;
mod layout;
mod memory;
mod oracle_queueing;
mod parser_fuzz;
mod parser_fuzz_families;
mod profiles;
mod report_folder;
mod rollout_scenario;
mod run_failures;
mod series;
mod service_headroom;
mod slo_attainment;
mod trace_replay;
mod traffic_incident;
mod validation_fixes;
mod vm_cost;
