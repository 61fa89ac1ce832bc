//! rustcli: count and search lines in text files.
//!
//! ```text
//! rustcli count src/*.rs
//! rustcli grep TODO src/main.rs
//! ```

mod cli;
mod commands;
mod config;

use std::process::ExitCode;

use crate::cli::{parse_args, Command};
use crate::config::Config;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse_args(&args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("rustcli: {message}");
            return ExitCode::from(2);
        }
    };
    let config = Config::load_default().unwrap_or_default();
    let result = match command {
        Command::Count { paths } => commands::count::run(&config, &paths),
        Command::Grep { pattern, paths } => commands::grep::run(&config, &pattern, &paths),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("rustcli: {err}");
            ExitCode::FAILURE
        }
    }
}
