//! Fuzzes the PubTator parser: any text gives papers and problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = tomes::formats::pubtator::parse(&text, Path::new("fuzz.pubtator"));
    for p in &parsed.problems {
        // Every problem of a text parser names its line.
        assert!(p.line.is_some(), "{p}");
    }
});
