//! Parser tables on real files: the seed summary and the six corpora of ../shared/corpora.

use std::path::{Path, PathBuf};
use tomes::formats::{self, Parsed};
use tomes::model::Format;

fn seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_ed9a9c1b19ae5cc2.txt")
}

fn parse_file(path: &Path, format: Format) -> Parsed {
    let text = std::fs::read_to_string(path).expect("readable test file");
    formats::parse(format, &text, Path::new(path.file_name().unwrap()))
}

#[test]
fn dump_seed() {
    let p = parse_file(&seed_path(), Format::SummaryMarkdown);
    println!("{}", serde_json::to_string_pretty(&p.papers).unwrap());
    println!("{:?}", p.problems);
}
