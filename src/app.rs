//! Orchestration: scenario → runner → analysis → report.

use crate::analysis;
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
    let profiles = scenario::parse_file_profiles(&args.file, &args.set, &args.profile)?;
    print_warnings(&warnings_of(&profiles));
    let s = &profiles[0].scenario;
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
    if profiles.len() > 1 || profiles[0].name != crate::spec::DEFAULT_PROFILE {
        let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        println!("  {} profile(s): {}", names.len(), names.join(", "));
    }
    Ok(EXIT_OK)
}

/// Every profile's warnings, each once, in order.
fn warnings_of(profiles: &[scenario::profile::Profile]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in profiles.iter().flat_map(|p| &p.scenario.warnings) {
        if !out.contains(w) {
            out.push(w.clone());
        }
    }
    out
}

fn run(args: RunArgs) -> Result<i32, Error> {
    let mut profiles = scenario::parse_file_profiles(&args.file, &args.set, &args.profile)?;
    for p in &mut profiles {
        if let Some(seed) = args.seed {
            p.scenario.seed = seed;
        }
        if let Some(r) = args.replications {
            p.scenario.replications = r;
        }
    }
    if !args.quiet {
        print_warnings(&warnings_of(&profiles));
    }
    let s = &profiles[0].scenario;
    let scenarios: Vec<&crate::spec::Scenario> = profiles.iter().map(|p| &p.scenario).collect();
    let named: Vec<(&str, &crate::spec::Scenario)> = profiles
        .iter()
        .map(|p| (p.name.as_str(), &p.scenario))
        .collect();
    let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
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
    let runs = match runner::run_profiles(&scenarios, options) {
        Ok(runs) => runs,
        Err(e) => {
            staging.discard();
            return Err(e);
        }
    };
    let summary = analysis::summarize_profiles(&named, &runs);
    let written = report::write_report(staging, &summary, &runs, &names)?;
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
