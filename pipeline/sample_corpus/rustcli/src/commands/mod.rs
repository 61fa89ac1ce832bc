//! One module per subcommand.

pub mod count;
pub mod grep;

use std::fs::File;
use std::io::{self, BufRead, BufReader};

/// Iterate over the lines of a file, failing with the path in the message.
pub(crate) fn lines_of(path: &str) -> io::Result<impl Iterator<Item = io::Result<String>>> {
    let file = File::open(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}")))?;
    Ok(BufReader::new(file).lines())
}
