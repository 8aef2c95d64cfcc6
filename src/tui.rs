//! The terminal front end: setup and restore, the event loop. (To be written.)

use std::path::PathBuf;

/// Opens the browser on `paths`.
pub fn run(_paths: Vec<PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!("the browser is not written yet")
}
