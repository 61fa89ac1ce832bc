//! `rustcli grep`: print matching lines with file name and line number.

use std::io;

use crate::commands::lines_of;
use crate::config::Config;

pub fn run(config: &Config, pattern: &str, paths: &[String]) -> io::Result<()> {
    let needle = if config.ignore_case { pattern.to_lowercase() } else { pattern.to_string() };
    for path in paths {
        for (index, line) in lines_of(path)?.enumerate() {
            let line = line?;
            let haystack = if config.ignore_case { line.to_lowercase() } else { line.clone() };
            if haystack.contains(&needle) {
                println!("{path}:{}: {line}", index + 1);
            }
        }
    }
    Ok(())
}
