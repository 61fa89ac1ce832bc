//! `rustcli count`: number of (non-blank) lines per file.

use std::io;

use super::lines_of;
use crate::config::Config;

pub fn run(config: &Config, paths: &[String]) -> io::Result<()> {
    let mut total = 0usize;
    for path in paths {
        let mut n = 0usize;
        for line in lines_of(path)? {
            let line = line?;
            if !(config.skip_blank && line.trim().is_empty()) {
                n += 1;
            }
        }
        println!("{n:>8} {path}");
        total += n;
    }
    if paths.len() > 1 {
        println!("{total:>8} total");
    }
    Ok(())
}
