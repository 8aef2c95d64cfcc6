//! The `tomes` binary: parses the command line and hands over to the library crate.

fn main() {
    eprintln!("tomes: the browser is not written yet");
    std::process::exit(2);
}
