//! Loading real folders: merging records of the same paper across files and formats, the
//! entity index over seeds and corpora, and problems for bad inputs.

use std::path::{Path, PathBuf};
use tomes::library::{self, InputFile, LoadEvent};
use tomes::model::EntityKey;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `files` parsed one by one and added in `order`, as the CLI's load adds them in path
/// order: the library and its report.
fn load_in_order(
    files: &[library::InputFile],
    order: Vec<usize>,
) -> (library::Library, library::LoadReport) {
    let mut lib = library::Library::new();
    let mut report = library::LoadReport::default();
    for i in order {
        lib.add_parsed(library::parse_file(&files[i]).0, &mut report);
    }
    (lib, report)
}

fn corpora() -> Option<PathBuf> {
    let dir = manifest().join("../shared/corpora");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared/corpora not found");
        None
    }
}

#[test]
fn all_corpora_load_as_4529_papers() {
    let Some(dir) = corpora() else {
        return;
    };
    let (lib, report) = library::load(std::slice::from_ref(&dir));
    assert_eq!(lib.len(), 4529);
    assert_eq!(report.papers, 4529);
    // 18 data files: 3 bc5cdr, 6 biored, 2 gnormplus, 3 ncbi-disease, 2 nlm-gene, 2 species800.
    assert_eq!(report.files_read, 18);
    // The only problems are the offset mismatches SOURCE.txt lists: 1 + 39 + 11. The notes
    // beside the data are each listed as skipped, saying why, and not counted as problems.
    let (skipped, problems): (Vec<_>, Vec<_>) =
        report.problems.iter().partition(|p| p.skipped.is_some());
    assert_eq!(problems.len(), 51, "{problems:?}");
    assert_eq!(report.problem_count(), 51);
    let skipped: Vec<String> = skipped.iter().map(|p| p.to_string()).collect();
    let notes = [
        "README.txt",
        "bc5cdr/README.txt",
        "bc5cdr/SOURCE.txt",
        "biored/README.txt",
        "biored/SOURCE.txt",
        "gnormplus/SOURCE.txt",
        "ncbi-disease/LICENSE",
        "ncbi-disease/SOURCE.txt",
        "nlm-gene/SOURCE.txt",
        "species800/SOURCE.txt",
    ]
    .map(|f| {
        // Named as opened from where the load ran: the folder as given, then the file.
        format!(
            "{}: not a summary Markdown, PubTator or BioC XML file; skipped",
            dir.join(f).display()
        )
    });
    assert_eq!(skipped, notes);
}

#[test]
fn files_of_the_same_name_under_two_roots_keep_apart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut roots = Vec::new();
    for (run, pmids) in [("run1", [11, 12]), ("run2", [21, 22])] {
        let root = dir.path().join(run);
        std::fs::create_dir(&root).expect("mkdir");
        let text: String = pmids
            .iter()
            .map(|p| format!("{p}|t|Paper {p}.\n{p}|a|Text.\n\n"))
            .collect();
        std::fs::write(root.join("out.pubtator"), text).expect("write");
        roots.push(root);
    }
    let mut problems = Vec::new();
    let files = library::find_files(&roots, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    let keyed: Vec<&Path> = files.iter().map(|f| f.key_name.as_path()).collect();
    assert_eq!(keyed.len(), 2);
    assert_ne!(keyed[0], keyed[1]);
    assert!(keyed[0].ends_with("run1/out.pubtator"), "{keyed:?}");
    assert!(keyed[1].ends_with("run2/out.pubtator"), "{keyed:?}");
    // A file of a name no other root has keeps its short name in keys; problems and
    // sources name it as opened.
    let lone = dir.path().join("lone");
    std::fs::create_dir(&lone).expect("mkdir");
    std::fs::write(lone.join("x.pubtator"), "31|t|Lone.\n31|a|Text.\n").expect("write");
    let with_lone = [roots.clone(), vec![lone]].concat();
    let files = library::find_files(&with_lone, &mut problems);
    assert_eq!(files[2].key_name, Path::new("x.pubtator"));
    assert_eq!(files[2].display, dir.path().join("lone/x.pubtator"));

    // Loaded as the browser loads them (files in parallel), the papers follow the roots'
    // order: all of run1's, then run2's, not interleaved by line.
    let (lib, _) = library::load(&roots);
    let order = library::SourceOrder::of(lib.order_keys());
    let titles: Vec<&str> = order
        .sorted
        .iter()
        .map(|&p| lib.papers()[p as usize].title.as_str())
        .collect();
    assert_eq!(titles, ["Paper 11.", "Paper 12.", "Paper 21.", "Paper 22."]);
    let sources: Vec<String> = order
        .sorted
        .iter()
        .map(|&p| {
            lib.papers()[p as usize].sources[0]
                .path
                .display()
                .to_string()
        })
        .collect();
    assert!(sources[0].ends_with("run1/out.pubtator"), "{sources:?}");
    assert!(sources[2].ends_with("run2/out.pubtator"), "{sources:?}");
}

#[test]
fn files_skipped_as_no_papers_are_listed_after_the_problems_in_papers() {
    // A README beside the data sorts first by file; the problems in the papers come first.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("README.txt"), "Notes about this folder.\n").expect("write");
    std::fs::create_dir(dir.path().join("data")).expect("mkdir");
    std::fs::write(
        dir.path().join("data/x.pubtator"),
        "7|t|A title.\n7|a|Text.\n7\t0\t99\tTitle\tGene\t1\n",
    )
    .expect("write");
    let (_, report) = library::load(&[dir.path().to_path_buf()]);
    let skipped: Vec<bool> = report
        .problems
        .iter()
        .map(|p| p.skipped.is_some())
        .collect();
    assert_eq!(skipped, [false, true], "{:?}", report.problems);
    assert!(report.problems[0].path.ends_with("x.pubtator"));
}

#[test]
fn pd_l1_links_the_seed_and_two_corpus_papers() {
    let Some(dir) = corpora() else {
        return;
    };
    let (lib, _) = library::load(&[manifest().join("seeds"), dir]);
    assert_eq!(lib.len(), 4530);
    let found = lib.index().lookup("PD-L1");
    let cd274 = found[0];
    let info = lib.index().entity(cd274);
    assert_eq!(info.key.as_str(), "NCBIGene:29126");
    let keys: Vec<&str> = lib
        .index()
        .papers_with(cd274)
        .iter()
        .map(|&p| lib.paper(p).key.as_str())
        .collect();
    assert_eq!(keys, ["PMC:PMC13039540", "PMID:24725474", "PMID:27470968"]);
    // The mouse gene is also called PD-L1 in nlm-gene, in fewer papers, so it comes second.
    assert_eq!(lib.index().entity(found[1]).key.as_str(), "NCBIGene:60533");
}

#[test]
fn biored_in_two_formats_merges_without_double_counting() {
    let Some(dir) = corpora() else {
        return;
    };
    let (lib, report) = library::load(&[dir.join("biored")]);
    let skipped: Vec<&Path> = report.problems.iter().map(|p| p.path.as_path()).collect();
    assert_eq!(
        skipped,
        [dir.join("biored/README.txt"), dir.join("biored/SOURCE.txt")],
        "{:?}",
        report.problems
    );
    assert_eq!(lib.len(), 600);
    let p = lib.paper(lib.find("14510914").unwrap());
    assert_eq!(p.sources.len(), 2, "one PubTator and one BioC record");
    let itd = p
        .entities
        .iter()
        .find(|e| e.key.as_str() == "MESH:C564766")
        .unwrap();
    // Dev.PubTator has 4 annotation lines for it (99, 124, 605, 1771); BioC the same 4.
    assert_eq!((itd.mentions, itd.spans.len()), (4, 4));
    // Three of the four mentions say ITD; the name is what it stands for.
    assert_eq!(itd.name, "Iodide transport defect");
    assert_eq!(&*itd.aliases, ["ITD"]);
    // The index's total over papers counts each merged record once.
    let e = lib.index().by_key(&itd.key).unwrap();
    let over_papers: u64 = lib
        .index()
        .papers_with(e)
        .iter()
        .flat_map(|&p| &lib.paper(p).entities)
        .filter(|x| x.key == itd.key)
        .map(|x| u64::from(x.mentions))
        .sum();
    assert_eq!(lib.index().entity(e).mentions, over_papers);
    let total_spans: usize = lib
        .papers()
        .iter()
        .flat_map(|p| &p.entities)
        .map(|e| e.spans.len())
        .sum();
    // Twice as many records as papers, but each span once: the same total as one format.
    let one_format = tomes::formats::parse(
        tomes::model::Format::PubTator,
        &std::fs::read_to_string(dir.join("biored/Train.PubTator")).unwrap(),
        Path::new("Train.PubTator"),
    );
    let (lib_train, _) = library::load(&[
        dir.join("biored/Train.PubTator"),
        dir.join("biored/Train.BioC.XML"),
    ]);
    let train_spans: usize = lib_train
        .papers()
        .iter()
        .flat_map(|p| &p.entities)
        .map(|e| e.spans.len())
        .sum();
    let parsed_spans: usize = one_format
        .papers
        .iter()
        .flat_map(|p| &p.entities)
        .map(|e| e.spans.len())
        .sum();
    assert_eq!(train_spans, parsed_spans);
    assert!(total_spans > train_spans);
    let relations: usize = lib.papers().iter().map(|p| p.relations.len()).sum();
    // The BioC copy brings the same relations; united, each is there once.
    assert_eq!(relations, 6_503);
}

#[test]
fn duplicated_ncbi_disease_record_merges() {
    let Some(dir) = corpora() else {
        return;
    };
    let (lib, _) = library::load(&[dir.join("ncbi-disease")]);
    assert_eq!(lib.len(), 792);
    let p = lib.paper(lib.find("PMID:8528200").unwrap());
    assert_eq!(p.sources.len(), 2);
    assert_eq!(
        p.sources.iter().map(|s| s.line).collect::<Vec<_>>(),
        [3811, 4557]
    );
    let mjd = p
        .entities
        .iter()
        .find(|e| e.key == EntityKey("MESH:D017827".into()))
        .unwrap();
    assert_eq!((mjd.mentions, mjd.spans.len()), (8, 8));
}

/// Only files read as papers count as read, with their bytes: not those skipped whole, even
/// one read to its end to find it blank (a large file of spaces named `.xml`), in a load or
/// from the background loader (which reports a skipped file done with no bytes).
#[test]
fn files_skipped_whole_are_not_counted_as_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = "1|t|A title.\n1|a|An abstract.\n";
    std::fs::write(dir.path().join("good.pubtator"), good).unwrap();
    std::fs::write(dir.path().join("blank.xml"), " \n".repeat(3000)).unwrap();
    std::fs::write(dir.path().join("blank.md"), "\t\n").unwrap();
    std::fs::write(dir.path().join("empty.md"), "").unwrap();
    std::fs::write(dir.path().join("README.txt"), "About.\n").unwrap();
    let (lib, report) = library::load(&[dir.path().to_path_buf()]);
    assert_eq!(lib.len(), 1);
    assert_eq!(report.files_read, 1, "{:?}", report.problems);
    assert_eq!(report.bytes, good.len() as u64);
    let skipped = ["README.txt", "blank.md", "blank.xml", "empty.md"].map(|f| dir.path().join(f));
    assert_eq!(report.skipped, skipped);

    let (mut files_done, mut bytes_read) = (0, 0);
    for event in library::spawn_loader(vec![dir.path().to_path_buf()]) {
        match event {
            LoadEvent::Batch {
                file_done, bytes, ..
            } => {
                files_done += usize::from(file_done);
                bytes_read += bytes;
            }
            LoadEvent::Done => break,
            _ => {}
        }
    }
    assert_eq!(files_done, 5, "every file is done with");
    assert_eq!(bytes_read, good.len() as u64);
}

/// A BioC file with invalid UTF-8 is read with each bad sequence replaced by U+FFFD (3
/// bytes of text for 1 to 3 of the file); its problems still name their line and their byte
/// of the file as it is on disk, read whole or by the background loader.
#[test]
fn bioc_problems_after_invalid_bytes_name_the_files_byte() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = [
        b"<?xml version=\"1.0\"?>\n<collection><document><id>1</id><passage>".as_slice(),
        b"<infon key=\"type\">title</infon><offset>0</offset>",
        // Two bad bytes, then a 3-byte character cut after 2: three U+FFFD, 5 bytes more.
        b"<text>Bad \xff\xff title \xe2\x82 here</text>",
        b"<annotation id=\"m\"><infon key=\"identifier\">673</infon><infon key=\"type\">Gene",
        b"</infon><location offset=\"0\" length=\"3\"/><text>Bax</text></annotation></passage>\n",
        b"<passage><offset>x</offset><text>t</text></passage><relation id=\"r\">",
        b"<infon key=\"entity1\">673</infon><infon key=\"type\">Bind</infon></relation>",
        b"</document>\n<document><id>2</id><passage><offset>0</offset><text>Cut \xfe off",
    ]
    .concat();
    let file = dir.path().join("bad.xml");
    std::fs::write(&file, &bytes).unwrap();
    let at = |needle: &str| memchr::memmem::find(&bytes, needle.as_bytes()).unwrap();
    let first_bad = memchr::memchr(0xff, &bytes).unwrap();
    let utf8 = |bytes: &str| format!("not valid UTF-8 ({bytes});");
    let bad_at = |bad: &[u8]| memchr::memmem::find(&bytes, bad).unwrap();
    let cut = bad_at(b"\xe2\x82");
    let want = [
        // Each run of bad bytes is a place of its own.
        (
            2,
            None,
            utf8(&format!("bytes {first_bad}-{}", first_bad + 1)),
        ),
        (2, None, utf8(&format!("bytes {cut}-{}", cut + 1))),
        (2, Some(at("<annotation")), "mention \"Bax\" at 0-3".into()),
        (3, Some(at("<offset>x") + 9), "passage offset \"x\"".into()),
        (3, Some(at("<relation")), "relation Bind has 1".into()),
        (4, None, utf8(&format!("byte {}", bad_at(b"\xfe")))),
        (
            4,
            Some(at("<document><id>2")),
            "document 2 is not complete".into(),
        ),
        (4, Some(bytes.len()), "malformed XML: the file ends".into()),
    ];
    let check = |problems: &[tomes::model::Problem]| {
        assert_eq!(problems.len(), want.len(), "{problems:#?}");
        for (problem, (line, byte, message)) in problems.iter().zip(&want) {
            assert_eq!(problem.line, Some(*line), "{problem}");
            assert_eq!(problem.byte, byte.map(|b| b as u64), "{problem}");
            assert!(problem.message.starts_with(message), "{problem}");
        }
    };
    let (lib, report) = library::load(std::slice::from_ref(&file));
    assert_eq!(lib.len(), 1);
    assert_eq!(
        lib.paper(0).title,
        "Bad \u{fffd}\u{fffd} title \u{fffd} here"
    );
    check(&report.problems);

    let mut streamed = Vec::new();
    for event in library::spawn_loader(vec![file.clone()]) {
        match event {
            LoadEvent::Batch { parsed, .. } => streamed.extend(parsed.problems),
            LoadEvent::Done => break,
            _ => {}
        }
    }
    lib.sort_problems(&mut streamed);
    check(&streamed);
}

#[test]
fn bad_inputs_are_problems_and_the_rest_loads() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::copy(
        manifest().join("seeds/000_ed9a9c1b19ae5cc2.txt"),
        root.join("good.md"),
    )
    .unwrap();
    // Not UTF-8 on line 3; the rest of the file still loads.
    std::fs::write(
        root.join("latin1.pubtator"),
        b"1|t|Title\n1|a|Abstract\n1\t0\t5\tTitl\xe9\tGene\t7157\n",
    )
    .unwrap();
    // Binary data behind a PubTator-looking start.
    std::fs::write(root.join("binary.pubtator"), b"2|t|x\n\0\0\0").unwrap();
    // Oversized: a sparse file, refused from its size alone.
    let big = std::fs::File::create(root.join("big.pubtator")).unwrap();
    big.set_len(300 * 1024 * 1024).unwrap();
    // A folder linked into itself.
    std::fs::create_dir(root.join("sub")).unwrap();
    std::os::unix::fs::symlink(root, root.join("sub/loop")).unwrap();
    // Malformed XML.
    let bad_xml = "<?xml version=\"1.0\"?>\n<collection><document><id>3</id>\n<passage><text>t</text></passage></document>\n<document><id>4</id></oops>";
    std::fs::write(root.join("sub/bad.xml"), bad_xml).unwrap();
    // Not ours: skipped, and said so.
    std::fs::write(root.join("notes.txt"), "hello").unwrap();
    let missing = root.join("does-not-exist");
    let (lib, report) = library::load(&[root.to_path_buf(), missing.clone()]);
    let shown: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    let keys: Vec<&str> = lib.papers().iter().map(|p| p.key.as_str()).collect();
    // In path order: big, binary, good.md, latin1.pubtator, notes.txt, sub/.
    assert_eq!(keys, ["PMC:PMC13039540", "PMID:1", "PMID:3"], "{shown:#?}");
    let has = |needle: &str| shown.iter().any(|s| s.contains(needle));
    assert!(has("does-not-exist: no such file or folder"), "{shown:#?}");
    assert!(has("latin1.pubtator:3: not valid UTF-8"), "{shown:#?}");
    assert!(has("binary.pubtator:2: binary data"), "{shown:#?}");
    assert!(
        has("big.pubtator: file is 300 MB, over the 256 MB limit"),
        "{shown:#?}"
    );
    // BioC problems say their byte too.
    let oops = bad_xml.find("</oops>").unwrap();
    assert!(
        has(&format!("sub/bad.xml:4: byte {oops}: malformed XML")),
        "{shown:#?}"
    );
    // Also: the replaced byte makes line 3's mention differ from the text, and document 4
    // is cut short by the XML error.
    assert!(has("latin1.pubtator:3: mention"), "{shown:#?}");
    let doc4 = bad_xml.find("<document><id>4").unwrap();
    assert!(
        has(&format!(
            "sub/bad.xml:4: byte {doc4}: document 4 is not complete"
        )),
        "{shown:#?}"
    );
    assert!(
        has("sub/loop: a link to a folder already read; skipped"),
        "{shown:#?}"
    );
    assert!(
        has("notes.txt: not a summary Markdown, PubTator or BioC XML file; skipped"),
        "{shown:#?}"
    );
    assert_eq!(report.problems.len(), 9, "{shown:#?}");
    // A file named directly that cannot be read.
    let gone = InputFile {
        path: missing.clone(),
        display: "gone.md".into(),
        key_name: "gone.md".into(),
        named: true,
    };
    let (parsed, bytes) = library::parse_file(&gone);
    assert_eq!(bytes, 0);
    assert!(
        parsed.problems[0]
            .to_string()
            .starts_with("gone.md: cannot read")
    );
}

/// Every problem a background load sends (what the browser's problem list shows), sorted.
fn streamed_problems(paths: Vec<PathBuf>) -> Vec<String> {
    let mut problems = Vec::new();
    for event in library::spawn_loader(paths) {
        match event {
            LoadEvent::Found { walk_problems, .. } => problems.extend(walk_problems),
            LoadEvent::File { parsed, .. } | LoadEvent::Batch { parsed, .. } => {
                problems.extend(parsed.problems)
            }
            LoadEvent::Done => break,
        }
    }
    let mut shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    shown.sort();
    shown
}

/// Each file skipped whole has an entry of its own saying why, which reaches the browser (the
/// background loader's problems) as well as `load`'s report, said the same whether the file
/// was found in a folder or named directly. Found in a folder (a README beside the data), it
/// is listed as skipped and not counted as a problem; named directly, it is a problem and
/// not among the files passed over. (Before, the files of a folder counted as problems too:
/// the corpora's ten README, SOURCE and LICENSE files were ten of "61 problems".)
#[test]
fn each_skipped_file_says_why_and_is_a_problem_only_when_named() {
    use tomes::model::SkipReason;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let files: [(&str, &[u8]); 7] = [
        ("README.txt", b"About these papers.\n"),
        ("blank.txt", b"  \n\n\t\n"),
        ("empty.md", b""),
        ("empty.txt", b""),
        ("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("latin1.txt", b"Caf\xe9 notes\n"),
        ("paper.pubtator", b"1|t|A title.\n1|a|An abstract.\n"),
    ];
    for (name, bytes) in files {
        std::fs::write(root.join(name), bytes).unwrap();
    }
    let not_ours = "not a summary Markdown, PubTator or BioC XML file; skipped";
    let want = [
        ("README.txt", SkipReason::OtherFormat, not_ours.to_owned()),
        (
            "blank.txt",
            SkipReason::Blank,
            "only whitespace; skipped".into(),
        ),
        ("empty.md", SkipReason::Empty, "empty file; skipped".into()),
        ("empty.txt", SkipReason::Empty, "empty file; skipped".into()),
        (
            "image.png",
            SkipReason::Binary,
            format!("binary file (NUL bytes): {not_ours}"),
        ),
        (
            "latin1.txt",
            SkipReason::NotUtf8,
            format!("not UTF-8 text: {not_ours}"),
        ),
    ];
    let want_shown: Vec<String> = want
        .iter()
        .map(|(name, _, message)| format!("{}: {message}", root.join(name).display()))
        .collect();
    let named: Vec<PathBuf> = files.iter().map(|(name, _)| root.join(name)).collect();
    for (how, paths, in_folder) in [
        ("in a folder", vec![root.to_path_buf()], true),
        ("named", named, false),
    ] {
        let (lib, report) = library::load(&paths);
        assert_eq!(lib.len(), 1, "{how}");
        let got: Vec<(String, Option<SkipReason>)> = report
            .problems
            .iter()
            .map(|p| (p.to_string(), p.skipped))
            .collect();
        let expected: Vec<(String, Option<SkipReason>)> = want_shown
            .iter()
            .zip(&want)
            .map(|(shown, (_, reason, _))| (shown.clone(), in_folder.then_some(*reason)))
            .collect();
        assert_eq!(got, expected, "{how}");
        let skipped: Vec<PathBuf> = want.iter().map(|(name, ..)| root.join(name)).collect();
        if in_folder {
            assert_eq!(report.skipped, skipped, "{how}");
            assert_eq!(report.problem_count(), 0, "{how}");
        } else {
            assert!(report.skipped.is_empty(), "{how}: {:?}", report.skipped);
            assert_eq!(report.problem_count(), want.len(), "{how}");
        }
        assert_eq!(
            streamed_problems(paths),
            want_shown,
            "{how}: the browser's list"
        );
    }
}

/// The seed and a copy of it that gives another DOI: one paper (they share the PMCID), the
/// first file's DOI, and a problem at the copy's title line naming the DOI not used (it was
/// dropped silently).
#[test]
fn a_second_doi_for_the_seed_is_a_problem() {
    let seed = std::fs::read_to_string(manifest().join("seeds/000_ed9a9c1b19ae5cc2.txt")).unwrap();
    let copy = seed.replacen("DOI: 10.1038/s41420-026-02999-y", "DOI: 10.9999/another", 1);
    assert_ne!(copy, seed);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), &seed).unwrap();
    std::fs::write(dir.path().join("b.txt"), &copy).unwrap();
    let (lib, report) = library::load(&[dir.path().to_path_buf()]);
    assert_eq!(lib.len(), 1);
    assert_eq!(
        lib.paper(0).ids.doi.as_deref(),
        Some("10.1038/s41420-026-02999-y")
    );
    let shown: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        shown,
        [format!(
            "{}:1: PMC:PMC13039540 is loaded twice with different DOIs; not used: \
             \"10.9999/another\" (the paper keeps the first file's)",
            dir.path().join("b.txt").display()
        )]
    );
}

/// A summary whose `# title` line is missing is read (titled after its file) with a problem
/// saying so, whatever its name; it used to be skipped in silence as no format at all.
#[test]
fn a_summary_without_its_title_line_loads_with_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let summary = "**Authors:** Ann Author, Bo Writer\n\nPMC \u{b7} PMID: 42 \u{b7} 2020\n\n\
                   ## TL;DR\n\nA finding.\n";
    std::fs::write(dir.path().join("untitled.md"), summary).unwrap();
    std::fs::write(
        dir.path().join("untitled2.txt"),
        &summary[summary.find("##").unwrap()..],
    )
    .unwrap();
    let (lib, report) = library::load(&[dir.path().to_path_buf()]);
    let shown: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        shown,
        [
            format!(
                "{}:1: summary Markdown with no `# title` line; the paper is titled \
                 \"untitled\" after its file",
                dir.path().join("untitled.md").display()
            ),
            format!(
                "{}:1: summary Markdown with no `# title` line; the paper is titled \
                 \"untitled2\" after its file",
                dir.path().join("untitled2.txt").display()
            ),
        ]
    );
    let paper = lib.paper(lib.find("PMID:42").expect("the untitled summary loads"));
    assert_eq!(paper.title, "untitled");
    assert_eq!(paper.authors, ["Ann Author", "Bo Writer"]);
    assert_eq!(paper.summary().tldr.as_deref(), Some("A finding."));
    assert_eq!(lib.len(), 2);
}

#[test]
fn background_loader_streams_every_file() {
    let rx = library::spawn_loader(vec![manifest().join("seeds")]);
    let mut files = None;
    let mut papers = 0;
    for event in rx {
        match event {
            LoadEvent::Found {
                files: n,
                bytes,
                walk_problems,
                ..
            } => {
                assert_eq!(bytes, 3893, "the seed's size");
                assert!(walk_problems.is_empty());
                files = Some(n);
            }
            LoadEvent::File { parsed, bytes } => {
                assert!(bytes > 0);
                papers += parsed.papers.len();
            }
            LoadEvent::Batch {
                parsed,
                docs,
                file_done,
                bytes,
                ..
            } => {
                assert!(file_done);
                assert!(bytes > 0);
                assert_eq!(docs.len(), parsed.papers.len());
                papers += parsed.papers.len();
            }
            LoadEvent::Done => break,
        }
    }
    assert_eq!(files, Some(1));
    assert_eq!(papers, 1);
}

/// A PubTator file larger than a piece is parsed in pieces on the loader threads: every
/// paper and problem arrives once, the file is reported done once (with its bytes, after
/// its last piece), and the papers are those of the one-pass `load`.
#[test]
fn background_loader_streams_a_large_file_in_pieces() {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 2 * library::PIECE_BYTES + 12_345 {
        let pmid = 1000 + n;
        let title = format!("Study {n} of TP53 in melanoma");
        writeln!(text, "{pmid}|t|{title}").unwrap();
        writeln!(
            text,
            "{pmid}|a|We looked at TP53 again, for the {n}th time."
        )
        .unwrap();
        writeln!(text, "{pmid}\t9\t13\tTP53\tGene\t7157").unwrap();
        // A bad offset in some records: problems must keep their line numbers.
        let (start, end) = if n % 1000 == 7 { (0, 3) } else { (17, 26) };
        writeln!(
            text,
            "{pmid}\t{start}\t{end}\tmelanoma\tDisease\tMESH:D008545"
        )
        .unwrap();
        text.push('\n');
        n += 1;
    }
    let file = dir.path().join("big.pubtator");
    std::fs::write(&file, &text).unwrap();
    let (library, report) = library::load(std::slice::from_ref(&file));
    assert_eq!(library.len(), n as usize);
    assert!(!report.problems.is_empty());

    let mut done_files = 0;
    let mut bytes_seen = 0;
    let mut progress = 0;
    let mut keys = Vec::new();
    let mut problems = Vec::new();
    for event in library::spawn_loader(vec![file.clone()]) {
        match event {
            LoadEvent::Batch {
                parsed,
                file_done,
                bytes,
                progress_bytes,
                ..
            } => {
                done_files += usize::from(file_done);
                bytes_seen += bytes;
                progress += progress_bytes;
                keys.extend(parsed.papers.iter().map(|p| p.key.clone()));
                problems.extend(parsed.problems.iter().map(|p| p.to_string()));
            }
            LoadEvent::Done => break,
            _ => {}
        }
    }
    assert_eq!(done_files, 1);
    assert_eq!(bytes_seen, text.len() as u64);
    assert_eq!(
        progress,
        text.len() as u64,
        "every piece counted once for progress"
    );
    keys.sort();
    let mut expected: Vec<_> = library.papers().iter().map(|p| p.key.clone()).collect();
    expected.sort();
    assert_eq!(keys, expected);
    problems.sort();
    let mut expected: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    expected.sort();
    assert_eq!(problems, expected);
}

/// The names shown for entities (the index's and each paper's) are the same whatever order
/// the files load in: the browser loads them in parallel, in completion order. Many PMIDs are
/// in two corpora that name an entity differently; keeping the first record's name made 56
/// of the 12,303 entities' shown names (184 paper names) differ between file order and its
/// reverse.
#[test]
fn entity_names_do_not_depend_on_the_order_files_load_in() {
    let Some(dir) = corpora() else {
        return;
    };
    let mut problems = Vec::new();
    let files = library::find_files(&[dir], &mut problems);
    let load = |order: Vec<usize>| load_in_order(&files, order).0;
    let forward = load((0..files.len()).collect());
    let backward = load((0..files.len()).rev().collect());
    assert_eq!(forward.len(), backward.len());
    let mut entity_names = 0;
    for (_, info) in forward.index().entities() {
        let e = backward
            .index()
            .by_key(&info.key)
            .expect("the same entities");
        if backward.index().entity(e).name != info.name {
            entity_names += 1;
        }
    }
    let mut paper_names = 0;
    for p in forward.papers() {
        let other = backward.paper(backward.find(p.key.as_str()).expect("the same papers"));
        for e in &p.entities {
            let same = other.entities.iter().find(|o| o.key == e.key);
            paper_names += usize::from(same.is_none_or(|o| o.name != e.name));
        }
    }
    assert_eq!((entity_names, paper_names), (0, 0));
    // Nor do titles, the other fields a record fills first, or which record gets the problem
    // when two disagree: records merge as if in source order.
    let mut differing = Vec::new();
    for p in forward.papers() {
        let other = backward.paper(backward.find(p.key.as_str()).expect("the same papers"));
        let fields = |p: &tomes::model::Paper| {
            (
                p.title.clone(),
                p.abstract_text.clone(),
                p.journal.clone(),
                p.year,
                p.sources.first().cloned(),
            )
        };
        if fields(p) != fields(other) {
            differing.push(p.key.clone());
        }
    }
    assert!(
        differing.is_empty(),
        "{} differ: {differing:?}",
        differing.len()
    );
    let problems = |order: Vec<usize>| {
        let (_, report) = load_in_order(&files, order);
        let mut shown: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        shown.sort();
        shown
    };
    assert_eq!(
        problems((0..files.len()).collect()),
        problems((0..files.len()).rev().collect())
    );
}

/// A PubTator paper keeps its abstract's place in the file, not its text; reading it back
/// gives exactly what parsing the text gives, for every PubTator paper of the corpora
/// (CRLF lines, a BOM-less UTF-8 mix of scripts, files cut into pieces).
#[test]
fn pubtator_abstracts_are_read_back_from_their_files_as_parsed() {
    use tomes::model::{AbstractText, Format};
    let Some(dir) = corpora() else {
        return;
    };
    let (lib, _) = library::load(std::slice::from_ref(&dir));
    let mut in_file = 0;
    let mut parsed_files = std::collections::HashMap::new();
    for paper in lib.papers() {
        let Some(AbstractText::InFile(place)) = &paper.abstract_text else {
            continue;
        };
        in_file += 1;
        let source = &paper.sources[0];
        assert_eq!(source.format, Format::PubTator, "{}", paper.key);
        // The same record parsed on its own, its abstract held as text.
        let parsed = parsed_files
            .entry(place.file.path.clone())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(&place.file.path).unwrap();
                tomes::formats::pubtator::parse(&text, &source.path)
            });
        let held = parsed
            .papers
            .iter()
            .find(|p| p.key == paper.key)
            .and_then(|p| p.abstract_text.as_ref())
            .and_then(AbstractText::held)
            .unwrap();
        let read = library::read_abstract(paper).unwrap().unwrap();
        assert_eq!(read, held, "{}", paper.key);
    }
    // Every PubTator corpus file: bc5cdr, biored, gnormplus, ncbi-disease, nlm-gene, species800.
    assert!(in_file > 3000, "{in_file} abstracts kept by place");
}

/// A file that changes after loading is not read at the old places: the abstract says so
/// and how to get it back, instead of showing another paper's text.
#[test]
fn an_abstract_whose_file_changed_is_not_shown() {
    use tomes::model::AbstractText;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.pubtator");
    let record = |pmid: u32, words: &str| format!("{pmid}|t|Title {pmid}\n{pmid}|a|{words}\n\n");
    std::fs::write(
        &file,
        record(1, "First abstract.") + &record(2, "Second abstract."),
    )
    .unwrap();
    let (lib, _) = library::load(std::slice::from_ref(&file));
    let second = lib.paper(lib.find("PMID:2").unwrap());
    assert!(matches!(
        second.abstract_text,
        Some(AbstractText::InFile(_))
    ));
    assert_eq!(
        library::read_abstract(second).unwrap().as_deref(),
        Some("Second abstract.")
    );
    // Rewritten with the first abstract longer: the old place now holds other bytes.
    std::fs::write(
        &file,
        record(1, "First abstract, now longer.") + &record(2, "Second abstract."),
    )
    .unwrap();
    let err = library::read_abstract(second).unwrap_err();
    assert!(
        err.contains("a.pubtator changed since it was loaded"),
        "{err}"
    );
    assert!(err.contains("reload (R)"), "{err}");
    std::fs::remove_file(&file).unwrap();
    let err = library::read_abstract(second).unwrap_err();
    assert!(err.starts_with("cannot read"), "{err}");
    // An export leaves the unreadable abstract out and says why.
    let (text, left_out) = tomes::export::export_reporting(
        &[lib.paper(lib.find("PMID:1").unwrap()), second],
        tomes::export::ExportFormat::Ris,
        tomes::export::KeyScope::Library(lib.papers()),
    );
    assert_eq!(text.matches("\nAB  - ").count(), 0, "{text}");
    assert_eq!(left_out.abstracts, 2);
    assert!(left_out.first_reason.unwrap().starts_with("cannot read"));
}

/// A file rewritten to the same size with its modification time kept (`cp -p`, `rsync -a`)
/// passes the size-and-time check: a place that no longer holds an abstract line's text is
/// still not shown.
#[test]
fn an_abstract_moved_in_a_file_of_the_same_size_and_time_is_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.pubtator");
    std::fs::write(
        &file,
        "1|t|T1\n1|a|Alpha abstract.\n\n2|t|T2\n2|a|Bravo abstract here.\n",
    )
    .unwrap();
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    let (lib, _) = library::load(std::slice::from_ref(&file));
    // The first abstract 4 bytes longer, the second 4 shorter: the same size.
    std::fs::write(
        &file,
        "1|t|T1\n1|a|Alpha abstract 1234.\n\n2|t|T2\n2|a|Bravo abstract.\n",
    )
    .unwrap();
    let handle = std::fs::File::options().write(true).open(&file).unwrap();
    handle.set_modified(modified).unwrap();
    drop(handle);
    for key in ["PMID:1", "PMID:2"] {
        let paper = lib.paper(lib.find(key).unwrap());
        let read = library::read_abstract(paper);
        assert!(
            read.as_ref()
                .is_err_and(|e| e.contains("changed since it was loaded")),
            "{key}: {read:?}"
        );
    }
}

/// Where the text parsed is not the file's bytes (invalid UTF-8 was replaced), places would
/// be wrong: the abstracts are held. A BOM does not shift the places.
#[test]
fn abstracts_are_held_where_the_text_is_not_the_files_bytes() {
    use tomes::model::AbstractText;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.pubtator");
    let mut bytes = b"1|t|T\xff one\n1|a|Abstract one.\n".to_vec();
    bytes.extend_from_slice(b"\n2|t|Two\n2|a|Abstract two.\n");
    std::fs::write(&bad, &bytes).unwrap();
    let bom = dir.path().join("bom.pubtator");
    std::fs::write(&bom, "\u{feff}3|t|Three\n3|a|Abstract three.\r\n").unwrap();
    let (lib, report) = library::load(&[bad, bom]);
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    let abstract_of = |key: &str| lib.paper(lib.find(key).unwrap()).abstract_text.clone();
    assert_eq!(abstract_of("PMID:2"), Some("Abstract two.".into()));
    let three = abstract_of("PMID:3");
    assert!(matches!(three, Some(AbstractText::InFile(_))), "{three:?}");
    let paper = lib.paper(lib.find("PMID:3").unwrap());
    assert_eq!(
        library::read_abstract(paper).unwrap().as_deref(),
        Some("Abstract three.")
    );
}

/// The browser's loader reads a PubTator file with invalid bytes (before an abstract, and in
/// one) as a load does: each abstract shows its own text, invalid bytes replaced, and the
/// problems name the lines of the file.
#[test]
fn pubtator_abstracts_after_invalid_bytes_show_their_own_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("latin1.pubtator");
    let bytes = b"1|t|T\xff one\n1|a|Abstract one.\n\n\
                  2|t|Two\n2|a|Caf\xe9 abstract two.\n2\t0\t3\tTwx\tGene\t7157\n\n\
                  3|t|Three\n3|a|Abstract three.\n";
    std::fs::write(&file, bytes).unwrap();
    let want = [
        ("PMID:1", "Abstract one."),
        ("PMID:2", "Caf\u{fffd} abstract two."),
        ("PMID:3", "Abstract three."),
    ];
    let (lib, report) = library::load(std::slice::from_ref(&file));
    for (key, text) in want {
        let paper = lib.paper(lib.find(key).unwrap());
        assert_eq!(
            library::read_abstract(paper).unwrap().as_deref(),
            Some(text)
        );
    }
    let lines: Vec<Option<usize>> = report.problems.iter().map(|p| p.line).collect();
    // The bad byte in the title, in the abstract, and a mention the abstract no longer has.
    assert_eq!(lines, [Some(1), Some(5), Some(6)], "{:?}", report.problems);

    let mut papers = Vec::new();
    let mut problems = Vec::new();
    for event in library::spawn_loader(vec![file.clone()]) {
        match event {
            LoadEvent::Batch { parsed, .. } => {
                papers.extend(parsed.papers);
                problems.extend(parsed.problems);
            }
            LoadEvent::Done => break,
            _ => {}
        }
    }
    assert_eq!(problems, report.problems);
    for (key, text) in want {
        let paper = papers.iter().find(|p| p.key.as_str() == key).unwrap();
        assert_eq!(
            library::read_abstract(paper).unwrap().as_deref(),
            Some(text)
        );
    }
}

/// A large PubTator file is read a piece at a time by the background loader: with a BOM and
/// an invalid byte in the middle, it gives the papers, problems (same lines) and abstracts
/// reading the whole file gives; abstracts keep their places except in the piece whose
/// text had to be repaired.
#[test]
fn a_large_file_read_in_pieces_gives_what_reading_it_whole_gives() {
    use std::fmt::Write as _;
    use tomes::model::AbstractText;
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("\u{feff}");
    let mut n = 0;
    while text.len() < 3 * library::PIECE_BYTES {
        writeln!(text, "{}|t|BRCA1 in ovarian cancer, study {n}", 5000 + n).unwrap();
        writeln!(text, "{}|a|Abstract number {n}, with ünïcode.\r", 5000 + n).unwrap();
        writeln!(text, "{}\t0\t5\tBRCA1\tGene\t672\n", 5000 + n).unwrap();
        n += 1;
    }
    let mut bytes = text.into_bytes();
    // An invalid byte in a title half-way through.
    let middle = bytes.len() / 2;
    let at = middle + memchr::memmem::find(&bytes[middle..], b" cancer, study").unwrap() + 1;
    bytes[at] = 0xFF;
    let file = dir.path().join("big.pubtator");
    std::fs::write(&file, &bytes).unwrap();

    let (whole, report) = library::load(std::slice::from_ref(&file));
    let mut problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems.len(),
        1,
        "{:?}",
        &problems[..problems.len().min(3)]
    );
    let mut papers = Vec::new();
    let mut streamed_problems = Vec::new();
    let mut bytes_seen = 0;
    for event in library::spawn_loader(vec![file.clone()]) {
        match event {
            LoadEvent::Batch { parsed, bytes, .. } => {
                bytes_seen += bytes;
                papers.extend(parsed.papers);
                streamed_problems.extend(parsed.problems.iter().map(|p| p.to_string()));
            }
            LoadEvent::Done => break,
            _ => {}
        }
    }
    assert_eq!(bytes_seen, bytes.len() as u64);
    assert_eq!(papers.len(), n);
    // The whole-file problem says where the byte is in the file, the piece's too.
    problems.sort();
    streamed_problems.sort();
    assert_eq!(streamed_problems, problems);
    let (mut held, mut placed) = (0, 0);
    for paper in &papers {
        let expected = whole.paper(whole.find(paper.key.as_str()).unwrap());
        assert_eq!(paper.title, expected.title);
        match &paper.abstract_text {
            Some(AbstractText::InFile(_)) => placed += 1,
            _ => held += 1,
        }
        assert_eq!(
            library::read_abstract(paper).unwrap(),
            library::read_abstract(expected).unwrap(),
            "{}",
            paper.key
        );
    }
    // One piece of about PIECE_BYTES is held, the rest placed.
    assert!(
        held > 0 && placed > 2 * held,
        "held {held}, placed {placed}"
    );
}

/// The index's mention total of every entity is what its papers say, counted once per
/// paper however many records of the paper merged in, whatever order the files load in:
/// merging takes back what the paper as linked had added (`forget_paper`), with nothing
/// kept per paper to check it against.
#[test]
fn mention_totals_follow_merges_in_any_file_order() {
    use std::collections::HashMap;
    let Some(dir) = corpora() else {
        return;
    };
    let mut problems = Vec::new();
    let files = library::find_files(&[dir], &mut problems);
    let totals = |order: Vec<usize>| {
        let (lib, _) = load_in_order(&files, order);
        let mut over_papers: HashMap<EntityKey, u64> = HashMap::new();
        for p in lib.papers() {
            for e in &p.entities {
                *over_papers.entry(e.key.clone()).or_default() += u64::from(e.mentions.max(1));
            }
        }
        let in_index: HashMap<EntityKey, u64> = lib
            .index()
            .entities()
            .map(|(_, info)| (info.key.clone(), info.mentions))
            .collect();
        let mut drifted: Vec<_> = in_index
            .iter()
            .filter(|&(key, total)| over_papers.get(key) != Some(total))
            .map(|(key, total)| (key.clone(), *total, over_papers.get(key).copied()))
            .collect();
        drifted.sort();
        drifted.truncate(5);
        assert!(drifted.is_empty(), "index total, over papers: {drifted:?}");
        assert_eq!(in_index.len(), over_papers.len());
        in_index
    };
    let n = files.len();
    let forward = totals((0..n).collect());
    assert!(forward.values().sum::<u64>() > 0);
    assert_eq!(totals((0..n).rev().collect()), forward, "backward");
    let interleaved = (0..n).step_by(2).chain((1..n).step_by(2)).collect();
    assert_eq!(totals(interleaved), forward, "odd files after even");
    let (fresh, _) = library::load(&files.iter().map(|f| f.path.clone()).collect::<Vec<_>>());
    let fresh: HashMap<EntityKey, u64> = fresh
        .index()
        .entities()
        .map(|(_, info)| (info.key.clone(), info.mentions))
        .collect();
    assert_eq!(fresh, forward, "a fresh load");
}

/// NLM-Gene annotates family mentions with their members' ids (`cytokines` -> TNF, IL1B,
/// IL6 ...; `transcription factors` -> 40 genes, TP53 among them). Those texts are no names
/// of the genes: TNF was shown as "cytokines", TP53 had the alias "transcription factors",
/// and `cytokines` looked up 79 genes. The genes are still linked to those papers.
#[test]
fn family_mentions_in_nlm_gene_do_not_name_genes() {
    let Some(dir) = corpora() else {
        return;
    };
    let (lib, _) = library::load(&[dir.join("nlm-gene")]);
    let index = lib.index();
    let entity = |key: &str| {
        let e = index
            .by_key(&tomes::model::EntityKey(key.into()))
            .unwrap_or_else(|| panic!("{key} loaded"));
        (e, index.entity(e))
    };
    let (tnf, info) = entity("NCBIGene:7124");
    // Named as the papers name it ("TNF-alpha" most often in NLM-Gene).
    assert!(info.name.starts_with("TNF"), "{}", info.name);
    let (tp53, info) = entity("NCBIGene:7157");
    for info in [index.entity(tnf), info] {
        for group in [
            "cytokines",
            "transcription factors",
            "inflammatory cytokines",
        ] {
            assert!(
                info.aliases.iter().all(|a| a.as_str() != group),
                "{}: {:?}",
                info.name,
                info.aliases
            );
        }
    }
    for group in ["transcription factors", "cytokines"] {
        let found = index.lookup(group);
        assert!(!found.contains(&tnf) && !found.contains(&tp53), "{group}");
    }
    // Still linked: a gene a paper names only in a family mention has the paper among its
    // papers.
    let (paper, key) = lib
        .papers()
        .iter()
        .enumerate()
        .find_map(|(i, p)| {
            let e = p.entities.iter().find(|e| e.named_by_group)?;
            Some((i, e.key.clone()))
        })
        .expect("a paper naming a gene only in a family mention");
    let e = index.by_key(&key).expect("linked");
    assert!(index.papers_with(e).contains(&(paper as u32)));
}

/// Every NLM-Gene paper with a `cytokines` family mention is found by `cytokines`, also
/// those that name each member themselves (25 of 46 were not: the group's text was kept only
/// on members the paper named no other way).
#[test]
fn every_paper_with_a_cytokine_family_mention_is_found_by_it() {
    let Some(dir) = corpora() else {
        return;
    };
    let dir = dir.join("nlm-gene");
    let mut expected = std::collections::BTreeSet::new();
    for file in ["NLMgene_Train.PubTator", "NLMgene_Test.PubTator"] {
        let text = std::fs::read_to_string(dir.join(file)).expect("NLM-Gene");
        for line in text.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() >= 6
                && cols[3].eq_ignore_ascii_case("cytokines")
                && cols[4] == "FamilyName"
            {
                expected.insert(format!("PMID:{}", cols[0]));
            }
        }
    }
    assert!(expected.len() >= 20, "{} papers", expected.len());
    let (lib, _) = library::load(&[dir]);
    let docs: Vec<tomes::search::SearchDoc> = lib
        .papers()
        .iter()
        .enumerate()
        .map(|(i, p)| tomes::search::SearchDoc::new(i as u32, p))
        .collect();
    let found: std::collections::BTreeSet<String> = tomes::search::search_docs(&docs, "cytokines")
        .expect("a valid query")
        .iter()
        .map(|h| lib.paper(h.paper).key.to_string())
        .collect();
    let missing: Vec<_> = expected.difference(&found).collect();
    assert!(missing.is_empty(), "not found by `cytokines`: {missing:?}");
}

/// The name a paper gives an entity, its aliases and the index's name, after its records
/// arrive in `order` (record `i` read from file `i`).
fn merged_names(records: &[(String, tomes::model::Format)], order: &[usize], key: &str) -> String {
    let mut lib = library::Library::new();
    let mut report = library::LoadReport::default();
    for &i in order {
        let (text, format) = &records[i];
        let file = format!(
            "{i}.{}",
            if *format == tomes::model::Format::PubTator {
                "pubtator"
            } else {
                "md"
            }
        );
        lib.add_parsed(
            tomes::formats::parse(*format, text, Path::new(&file)),
            &mut report,
        );
    }
    let key = EntityKey(key.into());
    let merged = lib
        .paper(0)
        .entities
        .iter()
        .find(|e| e.key == key)
        .expect("merged");
    let mut aliases: Vec<&str> = merged.aliases.iter().map(|a| a.as_str()).collect();
    aliases.sort_unstable();
    let e = lib.index().by_key(&key).expect("indexed");
    format!(
        "{} {aliases:?} | index {}",
        merged.name,
        lib.index().entity(e).name
    )
}

/// Three records of one paper, merged in each of the six orders they can arrive in (files
/// load in parallel), give it one name for the entity. The merge compared a record's
/// mentions with the merged mentions of those before it, and a summary's paper-wide
/// precedence with a record's own name: IL1B was "Alpha" or "Beta" by arrival order when
/// a family mention's count joined Alpha's, and when a summary not listing IL1B came first.
#[test]
fn three_records_name_an_entity_the_same_in_any_order() {
    use tomes::model::Format;
    let t = "7|t|Alpha x.\n7|a|cytokines Beta Beta\n";
    let alpha = format!("{t}7\t0\t5\tAlpha\tGene\t3553\n");
    let family = format!("{t}7\t9\t18\tcytokines\tFamilyName\t3553,7124\n");
    let beta = format!("{t}7\t19\t23\tBeta\tGene\t3553\n7\t24\t28\tBeta\tGene\t3553\n");
    let summary =
        "# Alpha x.\n\nPMID: 7 · Journal · 2020\n\n## Entities\n\n- TP53 (NCBIGene:7157)\n";
    for third in [
        (family, Format::PubTator),
        (summary.to_owned(), Format::SummaryMarkdown),
    ] {
        let records = [
            (alpha.clone(), Format::PubTator),
            third,
            (beta.clone(), Format::PubTator),
        ];
        let names: std::collections::BTreeSet<String> = [
            [0, 1, 2],
            [0, 2, 1],
            [1, 0, 2],
            [1, 2, 0],
            [2, 0, 1],
            [2, 1, 0],
        ]
        .iter()
        .map(|order| merged_names(&records, order, "NCBIGene:3553"))
        .collect();
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            ["Beta [\"Alpha\"] | index Beta"],
            "{:?}",
            records[1].1
        );
    }
}

/// A PubTator file cut off in an abstract says so at the line it ends in, whether read
/// whole (`tomes check`), in pieces of a large file or a piece at a time by the background
/// loader; the rest loads. Before, `head -c 1500` of a bc5cdr file loaded in silence, its
/// last abstract ending "…fell significantly wi".
#[test]
fn a_pubtator_file_cut_off_in_an_abstract_says_so_however_it_is_read() {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let said = |name: &str, line: usize| {
        format!(
            "{}:{line}: the file ends in the middle of this line; the record may be cut off",
            dir.path().join(name).display()
        )
    };
    let mut cut_files = Vec::new();
    if let Some(corpora) = corpora() {
        let text = std::fs::read(corpora.join("bc5cdr/CDR_TestSet.PubTator.txt")).unwrap();
        std::fs::write(dir.path().join("cutabs.txt"), &text[..1500]).unwrap();
        cut_files.push(("cutabs.txt", 17, 2));
    }
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 2 * library::PIECE_BYTES + 12_345 {
        writeln!(text, "{}|t|TP53 in melanoma, study {n}", 1000 + n).unwrap();
        writeln!(
            text,
            "{}|a|We looked at TP53 again, for the {n}th time.",
            1000 + n
        )
        .unwrap();
        writeln!(text, "{}\t0\t4\tTP53\tGene\t7157\n", 1000 + n).unwrap();
        n += 1;
    }
    // Cut in the last abstract.
    let big = &text[..text.rfind(" the ").unwrap()];
    assert!(big.ends_with("again, for"), "{:?}", &big[big.len() - 30..]);
    std::fs::write(dir.path().join("big.pubtator"), big).unwrap();
    cut_files.push(("big.pubtator", big.lines().count(), n));
    for (name, line, papers) in cut_files {
        let file = dir.path().join(name);
        let (library, report) = library::load(std::slice::from_ref(&file));
        let shown: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        let expected = said(name, line);
        assert_eq!(shown.len(), 1, "{name}: {:?}", &shown[..shown.len().min(3)]);
        assert_eq!(shown[0], expected, "{name}");
        assert_eq!(library.len(), papers, "{name}");
        assert_eq!(streamed_problems(vec![file.clone()]), [expected], "{name}");
    }
}

/// Each place of invalid UTF-8 in a file is reported at its line, up to 20, then one problem
/// at the next counts the rest; the same whether the file is read whole or a piece at a
/// time (a bc5cdr file is larger than a piece). Before, only the first was: bad bytes on
/// lines 2 and 23 were reported at line 2 alone.
#[test]
fn each_place_of_invalid_utf8_is_reported_up_to_twenty() {
    let Some(corpora) = corpora() else { return };
    let text = std::fs::read(corpora.join("bc5cdr/CDR_TestSet.PubTator.txt")).unwrap();
    assert!(text.len() > library::PIECE_BYTES);
    // Where each abstract line ends (its last byte, a full stop) and the line it is.
    let mut abstracts = Vec::new();
    let mut start = 0;
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if memchr::memmem::find(line, b"|a|").is_some() {
            abstracts.push((start + line.len() - 1, i + 1));
        }
        start += line.len() + 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let shown = |name: &str, bad: &[(usize, usize)]| {
        let mut bytes = text.clone();
        for &(at, _) in bad {
            bytes[at] = 0xFF;
        }
        let file = dir.path().join(name);
        std::fs::write(&file, &bytes).unwrap();
        let (_, report) = library::load(std::slice::from_ref(&file));
        let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        let mut sorted = problems.clone();
        sorted.sort();
        assert_eq!(streamed_problems(vec![file]), sorted, "{name}");
        problems
    };
    let said = |name: &str, (at, line): (usize, usize), after: &str| {
        format!(
            "{}:{line}: not valid UTF-8 (byte {at}){after}; invalid bytes replaced by U+FFFD",
            dir.path().join(name).display()
        )
    };
    let two = [abstracts[0], abstracts[3]];
    assert_eq!(
        shown("two.txt", &two),
        [said("two.txt", two[0], ""), said("two.txt", two[1], "")]
    );
    // Thirty, spread over the file (and its pieces).
    let thirty: Vec<(usize, usize)> = abstracts.iter().step_by(16).copied().take(30).collect();
    assert_eq!(thirty.len(), 30);
    let mut expected: Vec<String> = thirty[..20]
        .iter()
        .map(|&place| said("thirty.txt", place, ""))
        .collect();
    expected.push(said(
        "thirty.txt",
        thirty[20],
        " and at 9 more places after it",
    ));
    assert_eq!(shown("thirty.txt", &thirty), expected);
}

/// A BioC record is placed by its byte as well as its line: the corpora's BioC files are one
/// line, and "Dev.BioC.XML:1" found none of their 100 documents. A paper's sources and a
/// problem of merging its records (here a second title) say where its `<document>` starts.
#[test]
fn bioc_records_are_placed_by_their_byte_in_a_one_line_file() {
    let Some(corpora) = corpora() else { return };
    let text = std::fs::read_to_string(corpora.join("biored/Dev.BioC.XML")).unwrap();
    let third = text.match_indices("<document>").nth(2).unwrap().0;
    let id = &text[third + "<document><id>".len()..];
    let id = &id[..id.find('<').unwrap()];
    // A copy whose third document has another title: its first word, which no mention
    // covers, crossed out.
    let title_at = third + text[third..].find("<text>").unwrap() + "<text>".len();
    let word = text[title_at..].find(' ').unwrap();
    let crossed = "x".repeat(word);
    let retitled = format!("{}{crossed}{}", &text[..title_at], &text[title_at + word..]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.xml"), &text).unwrap();
    std::fs::write(dir.path().join("b.xml"), &retitled).unwrap();
    let (lib, report) = library::load(&[dir.path().to_path_buf()]);
    let shown: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    let said = format!(
        "{}:1: byte {third}: PMID:{id} is loaded twice with different titles",
        dir.path().join("b.xml").display()
    );
    assert!(shown.len() == 1 && shown[0].starts_with(&said), "{shown:?}");
    let paper = lib.paper(lib.find(id).unwrap());
    let sources: Vec<String> = paper.sources.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        sources,
        [
            format!("{}:1: byte {third}", dir.path().join("a.xml").display()),
            format!("{}:1: byte {third}", dir.path().join("b.xml").display())
        ]
    );
    // The JSON form has it too.
    let json = serde_json::to_value(&paper.sources[0]).unwrap();
    assert_eq!(json["byte"], third as u64);
}

/// A run of invalid bytes (sequences with no valid byte between them) is one place, one
/// problem naming its first and last byte, and one of the places counted after the first
/// 20; the same read whole and a piece at a time (the file is larger than a piece, and runs
/// are in several pieces). Before, `\xff\xfe` was two problems, `(byte 31)` and `(byte 32)`.
#[test]
fn a_run_of_invalid_bytes_is_one_problem() {
    // Runs of 2 bytes (two sequences), 3 (a cut character and a bad byte), 1, and 3 (a
    // surrogate: three sequences).
    let runs: [&[u8]; 4] = [b"\xff\xfe", b"\xe2\x82\xff", b"\xc3", b"\xed\xa0\x80"];
    let mut bytes = Vec::new();
    let mut places = Vec::new();
    let mut id = 1;
    while bytes.len() <= 2 * library::PIECE_BYTES {
        let line = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        bytes.extend_from_slice(format!("{id}|t|Title ").as_bytes());
        // Every 100th record has a bad run in its title: 25 runs in all, over three pieces.
        if id % 100 == 0 && places.len() < 25 {
            let run = runs[places.len() % runs.len()];
            places.push((line, bytes.len(), bytes.len() + run.len() - 1));
            bytes.extend_from_slice(run);
        }
        bytes.extend_from_slice(format!(" of {id}\n{id}|a|").as_bytes());
        bytes.extend_from_slice("An abstract of some length. ".repeat(20).as_bytes());
        bytes.extend_from_slice(b"\n\n");
        id += 1;
    }
    assert_eq!(places.len(), 25);
    assert!(places[24].1 > library::PIECE_BYTES, "runs in a later piece");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("badutf.txt");
    std::fs::write(&file, &bytes).unwrap();

    let said = |(line, first, last): (usize, usize, usize), after: &str| {
        let named = if first == last {
            format!("byte {first}")
        } else {
            format!("bytes {first}-{last}")
        };
        format!(
            "{}:{line}: not valid UTF-8 ({named}){after}; invalid bytes replaced by U+FFFD",
            file.display()
        )
    };
    let mut expected: Vec<String> = places[..20].iter().map(|&p| said(p, "")).collect();
    expected.push(said(places[20], " and at 4 more places after it"));
    assert!(expected[0].contains("(bytes "), "{}", expected[0]);

    let (_, report) = library::load(std::slice::from_ref(&file));
    let whole: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(whole, expected);
    expected.sort();
    assert_eq!(streamed_problems(vec![file]), expected);
}

/// A file skipped although it starts with a heading, as a summary does, says what a summary
/// has besides, so its writer can add it; a README without a heading does not.
#[test]
fn a_skipped_heading_file_says_what_a_summary_has() {
    let dir = tempfile::tempdir().unwrap();
    let paper = dir.path().join("my paper.md");
    std::fs::write(&paper, "# My paper\n\nSome text.\n\n## Results\nGood.\n").unwrap();
    let readme = dir.path().join("README.txt");
    std::fs::write(&readme, "About these papers.\n").unwrap();
    let (lib, report) = library::load(&[paper, readme]);
    assert_eq!(lib.len(), 0);
    let messages: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    let (heading, plain) = (messages[0], messages[1]);
    assert!(
        heading.starts_with("not a summary Markdown, PubTator or BioC XML file: it starts with")
            && heading.contains("**Authors:**")
            && heading.contains("## Abstract")
            && heading.ends_with("; skipped"),
        "{heading}"
    );
    assert_eq!(
        plain,
        "not a summary Markdown, PubTator or BioC XML file; skipped"
    );
}

/// A gene the corpora name only in a group's mention ("D1 or D2 dopamine receptor" with
/// NCBIGene 1812 and 1813) goes by its CURIE: a user test found ~130 genes listed as bare
/// numbers (`2589`) in the entities pane and `tomes entity`.
#[test]
fn entities_named_only_by_groups_go_by_their_curies() {
    let Some(dir) = corpora() else {
        return;
    };
    let (lib, _) = library::load(std::slice::from_ref(&dir));
    let index = lib.index();
    let d1 = index
        .by_key(&EntityKey("NCBIGene:1812".into()))
        .expect("NCBIGene:1812 is in the corpora");
    assert_eq!(index.entity(d1).name.as_str(), "NCBIGene:1812");
    let bare: Vec<String> = index
        .entities()
        .map(|(_, info)| info.name.to_string())
        .filter(|name| !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    assert!(bare.is_empty(), "entities named by a bare number: {bare:?}");
}

/// A summary bookmarked while it had no id (keyed `file:notes/x.md`) is still found by that
/// key once it has one (ut24d's preprint gained a DOI and its bookmark read `(not loaded)`).
#[test]
fn a_summary_that_gains_an_id_is_found_by_its_file_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("notes")).unwrap();
    let file = dir.path().join("notes/x.md");
    let summary = |id_line: &str| {
        format!(
            "# Loss of MDM2 sensitises cells\n\n**Authors:** Ann Author\n\n{id_line}\n\n## TL;DR\n\nShort.\n"
        )
    };
    std::fs::write(&file, summary("bioRxiv · 2026")).unwrap();
    let (lib, _) = library::load(&[dir.path().to_path_buf()]);
    assert_eq!(lib.paper(0).key.as_str(), "file:notes/x.md");
    std::fs::write(
        &file,
        summary("DOI: 10.1101/2026.01.02.123 · bioRxiv · 2026-01-02"),
    )
    .unwrap();
    let (lib, _) = library::load(&[dir.path().to_path_buf()]);
    assert_eq!(lib.paper(0).key.as_str(), "DOI:10.1101/2026.01.02.123");
    assert_eq!(lib.find("file:notes/x.md"), Some(0));
    let bookmark = tomes::bookmarks::Bookmark {
        key: tomes::model::PaperKey("file:notes/x.md".into()),
        title: "Loss of MDM2 sensitises cells".into(),
        added: "2026-11-29T15:00:00Z".into(),
        note: String::new(),
    };
    let table = tomes::bookmarks::BookmarkTable::new(&[bookmark], &lib);
    assert_eq!(table.paper_of(0), Some(0));
}
