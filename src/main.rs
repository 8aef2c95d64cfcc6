//! The `tomes` binary: parses the command line and hands over to the library crate.
//! (Minimal until the CLI lands: every argument is a library path.)

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    if let Err(e) = tomes::tui::run(paths) {
        eprintln!("tomes: {e:#}");
        std::process::exit(1);
    }
}
