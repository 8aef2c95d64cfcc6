//! Fuzzes the BioC XML parser: any text gives papers and problems, never a panic, a hang
//! or an entity expansion.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = tomes::formats::bioc::parse(&text, Path::new("fuzz.xml"));
    // Nothing is expanded: a paper's text can never be longer than the file it came from.
    for paper in &parsed.papers {
        let abstract_len = paper.abstract_text.as_ref().map_or(0, String::len);
        assert!(paper.title.len() + abstract_len <= text.len() * 3 + 16);
    }
});
