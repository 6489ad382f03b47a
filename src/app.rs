//! Orchestration: scenario → runner → analysis → report.

use crate::analysis::{self, DEFAULT_PROFILE};
use crate::cli::{CatalogArgs, Command, Format, HpaCommand, RunArgs, ValidateArgs};
use crate::error::{EXIT_OK, Error};
use crate::report;
use crate::runner::{self, RunOptions};
use crate::scenario;
use crate::spec::{Autoscaler, Platform};
use crate::units::format_duration;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Executes a parsed command line; returns the exit code.
pub fn execute(command: Command) -> Result<i32, Error> {
    match command {
        Command::Run(args) => run(args),
        Command::Validate(args) => validate(args),
        Command::Hpa {
            command: HpaCommand::Replay(args),
        } => crate::replay::replay_file(&args.file),
        Command::Catalog(args) => catalog(args),
    }
}

fn catalog(args: CatalogArgs) -> Result<i32, Error> {
    let prefix = args.prefix.unwrap_or_default();
    let types: Vec<_> = crate::spec::catalog::all()
        .iter()
        .filter(|t| t.name.starts_with(&prefix))
        .collect();
    if types.is_empty() {
        return Err(Error::Usage(format!(
            "no built-in instance type starts with \"{prefix}\"; `capsim catalog` lists them all"
        )));
    }
    print!("{}", report::catalog::render(&types, args.format));
    Ok(EXIT_OK)
}

fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

fn validate(args: ValidateArgs) -> Result<i32, Error> {
    let s = scenario::parse_file(&args.file)?;
    print_warnings(&s.warnings);
    let pods: u32 = s.services.iter().map(|svc| svc.replicas).sum();
    println!(
        "{}: ok — scenario \"{}\", {} service(s), {} pod(s), {} simulated ({} warmup), {} replication(s), seed {}",
        args.file.display(),
        s.name,
        s.services.len(),
        pods,
        format_duration(s.duration_ns),
        format_duration(s.warmup_ns),
        s.replications,
        s.seed
    );
    for svc in &s.services {
        match &svc.autoscaler {
            Autoscaler::None => {}
            Autoscaler::Hpa { name, spec } => println!(
                "  {}: HPA {name}, {}–{} replicas, {} metric(s), {}",
                svc.name,
                spec.min_replicas,
                spec.max_replicas,
                spec.metrics.len(),
                if spec.behavior.is_some() {
                    "with behavior"
                } else {
                    "legacy scaling rules (no behavior)"
                }
            ),
            Autoscaler::Asg { spec } => println!(
                "  {}: Auto Scaling group of {}, {}–{} instances, {} polic{}",
                svc.name,
                match &svc.platform {
                    Platform::Vm { instance_type, .. } => instance_type.as_str(),
                    Platform::Kubernetes => "pods",
                },
                spec.min,
                spec.max,
                spec.policies.len(),
                if spec.policies.len() == 1 { "y" } else { "ies" }
            ),
        }
    }
    Ok(EXIT_OK)
}

fn run(args: RunArgs) -> Result<i32, Error> {
    let mut s = scenario::parse_file(&args.file)?;
    if let Some(seed) = args.seed {
        s.seed = seed;
    }
    if let Some(r) = args.replications {
        s.replications = r;
    }
    if !args.quiet {
        print_warnings(&s.warnings);
    }
    let jobs = args
        .jobs
        .map(|j| j as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let options = RunOptions {
        jobs,
        progress: !args.quiet && std::io::stderr().is_terminal(),
    };
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("reports").join(&s.name));
    // The report folder must be writable before hours of simulation, not after.
    let staging = report::folder::Staging::create(&out)?;
    let runs = match runner::run_all(&s, options) {
        Ok(runs) => runs,
        Err(e) => {
            staging.discard();
            return Err(e);
        }
    };
    let summary = analysis::summarize(&s, &runs);
    let written = report::write_report(staging, &summary, &runs, &[DEFAULT_PROFILE])?;
    if !args.quiet {
        match args.format {
            Format::Table | Format::Markdown => {
                println!(
                    "{}",
                    report::table::summary_table(&summary, args.format == Format::Markdown)
                );
                let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
                println!("wrote {}", names.join(", "));
            }
            Format::Json => print!(
                "{}",
                String::from_utf8_lossy(&report::json::summary_json(&summary))
            ),
        }
    }
    Ok(EXIT_OK)
}
