//! Optional settings read from `rustcli.toml` in the working directory.

use std::fs;
use std::io;

use serde::Deserialize;

/// User settings; every field has a default.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Match case-insensitively in `grep`.
    pub ignore_case: bool,
    /// Skip lines that are empty after trimming when counting.
    pub skip_blank: bool,
}

impl Config {
    pub fn load_default() -> io::Result<Config> {
        let text = fs::read_to_string("rustcli.toml")?;
        toml::from_str(&text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}
