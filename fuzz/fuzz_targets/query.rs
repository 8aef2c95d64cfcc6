//! Fuzzes the search query parser, then runs every query that parses against a small
//! library (ranking and title highlighting included).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;
use tomes::library::{Library, LoadReport};
use tomes::model::Format;
use tomes::search::{self, Query};

/// Three invented papers: Greek letters, an id-less entity, a variant, a year range.
const PUBTATOR: &str = "1|t|TNF-α and CD274 in melanoma\n1|a|PD-L1 binds; ΑΒΓ ǅ İ upper.\n\
1\t0\t5\tTNF-α\tGene\t7124\n1\t10\t15\tCD274\tGene\t29126\n\
1\t19\t27\tmelanoma\tDisease\tMESH:D008545\n\
1\t31\t36\tPD-L1\tGene\t29126\n\
\n2|t|A V600E variant of BRAF\n2|a|Mice and humans.\n\
2\t2\t7\tV600E\tSequenceVariant\tp|SUB|V|600|E\n\
2\t17\t21\tBRAF\tGene\t673\n2\t25\t29\tMice\tSpecies\t10090\n";

const SUMMARY: &str = "# Checkpoint blockade in nasopharyngeal carcinoma\n\n\
**Authors:** Ada Lovelace, Grace Hopper\n\n\
PMC · DOI: 10.1000/xyz · Journal of Tests · 2021-05-04\n\n\
## TL;DR\n\nShort.\n\n\
## Linked entities\n\n\
- **Genes:** CD27 (CD27 molecule) [NCBI Gene 939] {aka S152, T14}\n\
- **Diseases:** NPC (MESH:D000077274)\n\
- **Proteins:** CD274 (CD274 molecule)\n";

fn library() -> &'static (Library, HashSet<u32>) {
    static LIBRARY: OnceLock<(Library, HashSet<u32>)> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let mut library = Library::new();
        let mut report = LoadReport::default();
        let pubtator = tomes::formats::parse(Format::PubTator, PUBTATOR, Path::new("a.pubtator"));
        library.add_parsed(pubtator, &mut report);
        let summary = tomes::formats::parse(Format::SummaryMarkdown, SUMMARY, Path::new("b.md"));
        library.add_parsed(summary, &mut report);
        (library, HashSet::from([0]))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(query) = Query::parse(input) else {
        return;
    };
    let (library, bookmarks) = library();
    let Ok(hits) = search::search_library_with(library, &query, bookmarks) else {
        return;
    };
    for hit in hits {
        let paper = library.paper(hit.paper);
        let title_chars = paper.title.chars().count();
        for i in search::highlight(paper, &query) {
            assert!(i < title_chars, "highlight past the title");
        }
    }
});
