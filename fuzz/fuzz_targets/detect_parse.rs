//! Fuzzes format detection followed by the chosen parser, as the library does with the
//! first bytes of a file and then all of it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the file name, so detection by extension is fuzzed too.
    let (name, body) = match data.split_first() {
        Some((b, rest)) => (
            ["a.xml", "a.md", "a.pubtator", "a.txt"][*b as usize % 4],
            rest,
        ),
        None => ("a.txt", data),
    };
    let path = Path::new(name);
    let head = &body[..body.len().min(4096)];
    if let Some(format) = tomes::formats::detect(path, head) {
        let text = String::from_utf8_lossy(body);
        let _ = tomes::formats::parse(format, &text, path);
    }
});
