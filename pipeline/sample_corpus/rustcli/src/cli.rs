//! Command-line parsing without external crates.

/// A parsed command line.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Count { paths: Vec<String> },
    Grep { pattern: String, paths: Vec<String> },
}

/// Parse the arguments after the program name.
pub fn parse_args(args: &[String]) -> Result<Command, String> {
    let (name, rest) = args.split_first().ok_or("missing command (count or grep)")?;
    match name.as_str() {
        "count" if !rest.is_empty() => Ok(Command::Count { paths: rest.to_vec() }),
        "grep" if rest.len() >= 2 => Ok(Command::Grep {
            pattern: rest[0].clone(),
            paths: rest[1..].to_vec(),
        }),
        "count" | "grep" => Err(format!("{name}: missing arguments")),
        other => Err(format!("unknown command {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grep_takes_a_pattern_then_paths() {
        let args: Vec<String> = ["grep", "fn", "a.rs"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            parse_args(&args),
            Ok(Command::Grep { pattern: "fn".into(), paths: vec!["a.rs".into()] })
        );
    }
}
