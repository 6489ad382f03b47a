//! The `capsim` binary: parse the command line, run, report errors, set the exit code.

use capsim::{app, cli::Cli};
use clap::Parser;

fn main() {
    let cli = Cli::parse();
    let code = match app::execute(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
