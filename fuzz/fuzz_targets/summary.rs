//! Fuzzes the summary Markdown parser: any text gives papers and problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // The library replaces invalid UTF-8 the same way before parsing.
    let text = String::from_utf8_lossy(data);
    let parsed = tomes::formats::summary::parse(&text, Path::new("fuzz/paper.md"));
    assert_eq!(parsed.papers.len(), 1, "a summary file is always one paper");
});
