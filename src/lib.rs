//! capsim — a capacity and autoscaling simulator.
//!
//! A request-level discrete-event simulation of services, their pods and
//! (in later milestones) their autoscalers and cluster. It answers: what
//! latency will users see, how much headroom is left, what does it cost.
//!
//! # Data flow
//!
//! ```text
//! YAML ──scenario::parse_file──▶ Scenario (validated specs)
//!        │
//!        ▼
//!   runner::run_all ── profiles × replications, rayon ──▶ model::simulate (one per run)
//!                                                          │ engine::run drives model::World
//!                                                          ▼ metrics::ServiceRecorder
//!                                                       RunResult (plain data)
//!        │
//!        ▼
//!   analysis::summarize ──▶ Summary ──report──▶ table, summary.json, timeseries.csv
//! ```
//!
//! # Determinism
//!
//! Simulated time is integer nanoseconds ([`units::Nanos`]). Events at the
//! same time fire in the order they were scheduled. Each purpose in a run
//! draws from its own random stream derived from (seed, profile,
//! replication, stream id) ([`engine::rng`]). Nothing that affects results
//! iterates a hash map. Hence: same scenario and seed ⇒ byte-identical
//! outputs, whatever `--jobs` is.
//!
//! # Glossary
//!
//! - *offered*: requests that arrived (after the warmup, in summaries).
//! - *completed*: answered within the client's timeout.
//! - *rejected*: turned away because the pod's queue was full.
//! - *timed out*: the client gave up; the server still finishes the work.
//! - *in flight*: still unanswered when the run ended.
//! - *limited processor sharing*: n requests on a pod with CPU limit L each
//!   progress at min(1, L/n) cores.
//! - *SLO*: a latency target at one quantile and an availability target
//!   (`slo:`); *capacity at the SLO*: the largest rate a Ready pod carries
//!   while meeting it ([`analysis::capacity`]); *service headroom*: that
//!   capacity times the Ready pods ÷ the offered load − 1.

#![warn(missing_docs)]

pub mod analysis;
pub mod app;
pub mod cli;
pub mod engine;
pub mod error;
pub mod metrics;
pub mod model;
pub mod replay;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod spec;
pub mod units;
