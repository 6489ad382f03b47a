//! Command-line interface: clap derive types only.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// capsim — capacity and autoscaling simulator.
#[derive(Debug, Parser)]
#[command(name = "capsim", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and write the report folder.
    Run(RunArgs),
    /// Parse and check a scenario without running it.
    Validate(ValidateArgs),
    /// Kubernetes HorizontalPodAutoscaler tools.
    Hpa {
        /// What to do with HPAs.
        #[command(subcommand)]
        command: HpaCommand,
    },
    /// List the built-in EC2 instance types: vCPUs, memory, on-demand price, EKS max pods.
    Catalog(CatalogArgs),
}

/// Arguments of `capsim catalog`.
#[derive(Debug, clap::Args)]
pub struct CatalogArgs {
    /// Only types whose name starts with this (e.g. `m5`, `c6g.`).
    pub prefix: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Subcommands of `capsim hpa`.
#[derive(Debug, Subcommand)]
pub enum HpaCommand {
    /// Run the HPA controller over a file of observations; print one JSON line per sync.
    Replay(ReplayArgs),
}

/// Arguments of `capsim hpa replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The replay file (YAML or JSON; see docs/hpa-replay.md).
    pub file: PathBuf,
}

/// Arguments of `capsim run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (YAML).
    pub file: PathBuf,
    /// Override the scenario's seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Override the number of replications per profile.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub replications: Option<u32>,
    /// Report folder [default: reports/NAME/, NAME being the scenario's name].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads; results are identical for any value [default: available cores].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Print nothing but errors (no table, no progress bar, no warnings).
    #[arg(long, short)]
    pub quiet: bool,
    /// Set PATH to VALUE in every profile (repeatable), such as
    /// services.api.pod.concurrency=32.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Run only this profile (repeatable) [default: all].
    #[arg(long = "profile", value_name = "NAME")]
    pub profile: Vec<String>,
}

/// Arguments of `capsim validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The scenario file (YAML).
    pub file: PathBuf,
    /// Set PATH to VALUE in every profile (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Check only this profile (repeatable) [default: all].
    #[arg(long = "profile", value_name = "NAME")]
    pub profile: Vec<String>,
}

/// How `capsim run` prints its summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// The contents of summary.json.
    Json,
    /// The table as Markdown (for pull-request comments).
    Markdown,
}
