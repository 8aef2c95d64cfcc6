//! Hostile inputs: a table of bad files (each beside the good seed paper), every one of which
//! must give a specific `file:line: message` problem in the load report and in the TUI's
//! problem list, while the seed still loads. Plus the cases the fuzzers found, a file too big
//! to read (memory must not balloon), links and FIFOs that must not hang the walk, and tiny
//! terminal sizes. Every text here is invented; no corpus text.

mod common;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;
use tomes::app::{AppState, Keymap, Overlay};
use tomes::formats::{self, Parsed};
use tomes::library::{self, InputFile, LoadEvent, LoadReport};
use tomes::model::{Format, Problem};

const SEED: &str = "seeds/000_ed9a9c1b19ae5cc2.txt";
const SEED_KEY: &str = "PMC:PMC13039540";

fn seed_bytes() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).expect("seed paper")
}

/// What a case puts in its folder, beside the seed (`good.txt`).
enum Entry {
    File(&'static str, Vec<u8>),
    /// A symbolic link `name -> target` (target relative to the link).
    Link(&'static str, &'static str),
    Fifo(&'static str),
}

/// Where an input is given: inside the case folder (walked) or named directly.
enum Extra {
    /// A path inside the case folder, named on the command line too.
    InFolder(&'static str),
    Absolute(&'static str),
}

/// A problem the case must produce: the file it names (the end of its path), its line
/// (`None`: about the whole file) and words its message must contain.
struct Want {
    file: &'static str,
    line: Option<usize>,
    says: &'static str,
}

struct Case {
    name: &'static str,
    entries: Vec<Entry>,
    extra: Vec<Extra>,
    want: Vec<Want>,
    /// Papers the load must hold besides the seed (by key).
    papers: Vec<&'static str>,
}

fn want(file: &'static str, line: Option<usize>, says: &'static str) -> Want {
    Want { file, line, says }
}

fn file(name: &'static str, bytes: impl Into<Vec<u8>>) -> Entry {
    Entry::File(name, bytes.into())
}

fn case(name: &'static str, entries: Vec<Entry>, want: Vec<Want>) -> Case {
    Case {
        name,
        entries,
        extra: Vec::new(),
        want,
        papers: Vec::new(),
    }
}

fn bioc(body: &str) -> String {
    format!("<?xml version=\"1.0\"?>\n<collection><source>x</source>\n{body}\n</collection>\n")
}

fn bioc_doc(id: &str, title: &str) -> String {
    format!(
        "<document><id>{id}</id><passage><infon key=\"type\">title</infon><offset>0</offset>\
         <text>{title}</text></passage></document>"
    )
}

fn cases() -> Vec<Case> {
    let mut nested =
        String::from("<document><id>41</id><passage><offset>0</offset><text>Deep</text>");
    nested.push_str(&"<x>".repeat(100_000));
    nested.push_str(&"</x>".repeat(100_000));
    nested.push_str("</passage></document>");
    let mut unclosed = String::from("<?xml version=\"1.0\"?>\n<collection>\n");
    unclosed.push_str(&"<x>".repeat(100_000));
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE collection [\n<!ENTITY lol \"lol\">\n\
        <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n\
        <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n\
        <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n\
        <!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n]>\n\
        <collection><document><id>51</id><passage><offset>0</offset>\n\
        <text>Laughs &lol9; here</text></passage></document></collection>\n";
    let external = "<?xml version=\"1.0\"?>\n<!DOCTYPE collection [\n\
        <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n<!ENTITY % pe SYSTEM \"file:///etc/passwd\">\n%pe;\n]>\n\
        <collection><document><id>52</id><passage><infon key=\"&xxe;\">title</infon><offset>0</offset>\n\
        <text>Passwd &xxe; here</text></passage></document></collection>\n";
    vec![
        case(
            "empty file",
            vec![
                file("empty.md", ""),
                file("empty.pubtator", ""),
                file("empty.xml", ""),
            ],
            vec![
                want("empty.md", None, "empty file"),
                want("empty.pubtator", None, "empty file"),
                want("empty.xml", None, "empty file"),
            ],
        ),
        case(
            "only whitespace",
            vec![
                file("blank.md", " \n\t\n\r\n  "),
                file("blank.pubtator", "\n\n   \n"),
                file("blank.xml", "  \n\n"),
            ],
            vec![
                want("blank.md", None, "only whitespace"),
                want("blank.pubtator", None, "only whitespace"),
                want("blank.xml", None, "only whitespace"),
            ],
        ),
        // A stray NUL in text is read on and reported at its line, in the first 4 KiB as
        // after them (one early NUL skipped a file of 100 papers, one later was not said);
        // a file that is mostly NULs is binary.
        Case {
            extra: vec![Extra::InFolder("noise.bin")],
            papers: vec!["file:bin.md", "PMID:3", "PMID:5"],
            ..case(
                "binary data",
                vec![
                    file("bin.md", b"# A title\n**Authors:** A. Author\n\x00\x01\x02\xff\xfe binary".to_vec()),
                    file("bin.pubtator", b"3|t|Title\n3|a|Abs\n\x00\x00\x07".to_vec()),
                    file("bin.xml", b"<collection>\n<document>\n\x00\x9f".to_vec()),
                    file("late.pubtator", format!("5|t|Title\n5|a|{}\0 end\n", "word ".repeat(1000))),
                    file("zeros.pubtator", [&b"4|t|Title\n4|a|Abs\n"[..], &[0; 64]].concat()),
                    file("noise.bin", b"\x7fELF\x02\x01\x01\x00\x00\xff\xd8\x00garbage".to_vec()),
                ],
                vec![
                    want("bin.md", Some(3), "NUL in text (byte 33); read on"),
                    want("bin.pubtator", Some(3), "NUL in text (bytes 18-19); read on"),
                    want("bin.xml", Some(3), "NUL in text (byte 24); read on"),
                    want("late.pubtator", Some(2), "NUL in text (byte 5014); read on"),
                    want("zeros.pubtator", Some(3), "binary data (NUL bytes); skipped"),
                    want(
                        "noise.bin",
                        None,
                        "not a summary Markdown, PubTator or BioC XML file",
                    ),
                ],
            )
        },
        Case {
            papers: vec!["PMID:77", "PMID:78", "file:utf8.md"],
            ..case(
                "invalid UTF-8 in the middle of a title",
                vec![
                    file("utf8.md", b"# Broken \xff\xfe title\n\n## Abstract\nText.\n".to_vec()),
                    file("utf8.pubtator", b"77|t|Broken \xc3 title\n77|a|Abstract.\n".to_vec()),
                    file(
                        "utf8.xml",
                        [
                            b"<?xml version=\"1.0\"?>\n<collection>\n".as_slice(),
                            b"<document><id>78</id><passage><offset>0</offset><text>Bad \xed\xa0\x80 title</text>",
                            b"</passage></document></collection>\n",
                        ]
                        .concat(),
                    ),
                ],
                vec![
                    want("utf8.md", Some(1), "not valid UTF-8 (bytes 9-10)"),
                    want("utf8.pubtator", Some(1), "not valid UTF-8 (byte 12)"),
                    want("utf8.xml", Some(3), "not valid UTF-8"),
                ],
            )
        },
        Case {
            papers: vec!["PMID:5", "PMID:6", "PMID:8"],
            ..case(
                "truncated and malformed PubTator records",
                vec![file(
                    "bad.pubtator",
                    "5|t|Only a title\n\n\
                     6|t|Six title\n6|a|Six abstract.\n\
                     9\t0\t3\tSix\tGene\t1\n\
                     6\t0\t3\n\
                     6\tCID\tD1\n\
                     6\t0\t500\tSix\tGene\t1\n\
                     6\t-3\t3\tSix\tGene\t1\n\
                     6\tx0\t3\tSix\tGene\t1\n\
                     6\t8\t2\tSix\tGene\t1\n\
                     6\t0\t3\tSix\tGene\t1\n\
                     8|a|An abstract before its title\n\
                     just some words\n",
                )],
                vec![
                    want("bad.pubtator", Some(1), "title of 5 without an abstract line"),
                    want(
                        "bad.pubtator",
                        Some(5),
                        "annotation for 9, which has no title line before it",
                    ),
                    want("bad.pubtator", Some(6), "fewer than 5 columns"),
                    want("bad.pubtator", Some(7), "relation line with fewer than 4 columns"),
                    want("bad.pubtator", Some(8), "\"Six\" at 0-500 lies outside the text"),
                    want("bad.pubtator", Some(9), "offsets \"-3\"-\"3\" are not non-negative"),
                    want("bad.pubtator", Some(10), "offsets \"x0\"-\"3\" are not non-negative"),
                    want("bad.pubtator", Some(11), "at 8-2: its start is after its end"),
                    want("bad.pubtator", Some(13), "abstract of 8 without a title line"),
                    want("bad.pubtator", Some(14), "not a PubTator line: \"just some words\""),
                ],
            )
        },
        Case {
            papers: vec!["PMID:7"],
            ..case(
                "the same PMID twice with different titles",
                vec![
                    file("a.pubtator", "7|t|One title\n7|a|x\n"),
                    file("b.pubtator", "7|t|Another title\n7|a|x\n\n7|t|A third title\n7|a|y\n"),
                    file("c.xml", bioc(&bioc_doc("7", "A fourth title"))),
                    file("d.md", "# A fifth title\n\nPMID: 7 · Journal · 2020\n"),
                ],
                vec![
                    want("b.pubtator", Some(1), "PMID:7 is loaded twice with different titles"),
                    want("b.pubtator", Some(4), "PMID:7 is loaded twice with different titles"),
                    want("c.xml", Some(3), "PMID:7 is loaded twice with different titles"),
                    want("d.md", Some(1), "PMID:7 is loaded twice with different titles"),
                ],
            )
        },
        case(
            "Markdown sections out of order, repeated, title missing",
            vec![
                file(
                    "order.md",
                    "## Abstract\n\nFirst.\n\n# Late title\n\n## Key findings\n\n- one\n\n## Abstract\n\nAgain.\n",
                ),
                file("twice.md", "# T\n# Second title\n\n## TL;DR\n\nA.\n\n## TL;DR\n\nB.\n"),
            ],
            vec![
                want("order.md", Some(1), "no `# title` line; the paper is titled \"order\""),
                want("order.md", Some(5), "`# title` line after the first section"),
                want("order.md", Some(11), "section \"Abstract\" appears again"),
                want("twice.md", Some(2), "a second `# title` line (the first is on line 1)"),
                want("twice.md", Some(8), "section \"TL;DR\" appears again"),
            ],
        ),
        Case {
            papers: vec!["file:brackets.md"],
            ..case(
                "entity lines with unbalanced brackets or braces",
                vec![file(
                    "brackets.md",
                    "# Brackets\n\n## Linked entities\n\n\
                     - **Genes:** CD27 (CD27 molecule [NCBI Gene 939], CD70 (CD70 molecule) [NCBI Gene 970]\n\
                     - **Diseases:** NPC {aka one, two (MESH:D000077274)\n\
                     - **Chemicals:** ]]]}}}) x, y\n\
                     - **Species no closing\n\
                     - **Genes:** (orphan) [NCBI Gene 1]\n\
                     - **Genes:** ZZZ [Frobnicator 12]\n",
                )],
                vec![
                    want("brackets.md", Some(5), "unbalanced brackets in the Genes list"),
                    want("brackets.md", Some(6), "unbalanced brackets in the Diseases list"),
                    want("brackets.md", Some(7), "unbalanced brackets in the Chemicals list"),
                    want("brackets.md", Some(8), "no closing `**` after the kind"),
                    want("brackets.md", Some(9), "entity without a name"),
                    want("brackets.md", Some(10), "unrecognised id \"Frobnicator 12\""),
                ],
            )
        },
        Case {
            papers: vec!["PMID:31", "PMID:41"],
            ..case(
                "malformed and deeply nested BioC XML",
                vec![
                    file(
                        "malformed.xml",
                        bioc(&format!(
                            "{}\n<document><id>32</id><passage>\n</wrong>",
                            bioc_doc("31", "Before the break")
                        )),
                    ),
                    file("nested.xml", bioc(&nested)),
                    file("unclosed.xml", unclosed),
                    file(
                        "cut.xml",
                        "<?xml version=\"1.0\"?>\n<collection>\n<document><id>33</id><passage><text>Cut",
                    ),
                ],
                vec![
                    want("malformed.xml", Some(5), "malformed XML: ill-formed document: expected `</passage>`, but `</wrong>` was found"),
                    want("malformed.xml", Some(4), "document 32 is not complete; left out"),
                    want("unclosed.xml", Some(3), "the file ends inside 100001 open element(s)"),
                    want("cut.xml", Some(3), "the file ends inside 4 open element(s)"),
                    want("cut.xml", Some(3), "document 33 is not complete; left out"),
                ],
            )
        },
        Case {
            papers: vec!["PMID:51", "PMID:52"],
            ..case(
                "entities that expand and external entities",
                vec![file("laughs.xml", laughs), file("external.xml", external)],
                vec![
                    want("laughs.xml", Some(10), "undefined entity &lol9;, left out (entities are not expanded)"),
                    want("external.xml", Some(7), "bad value of attribute key"),
                    want("external.xml", Some(8), "undefined entity &xxe;, left out (entities are not expanded)"),
                ],
            )
        },
        case(
            "a folder that links to itself",
            vec![
                Entry::Link("loop", "."),
                file("sub/inner.md", "# Inner paper\n"),
                Entry::Link("sub/up", ".."),
            ],
            vec![
                want("loop", None, "a link to a folder already read; skipped"),
                want("sub/up", None, "a link to a folder already read; skipped"),
            ],
        ),
        Case {
            extra: vec![
                Extra::InFolder("pipe"),
                Extra::InFolder("dangling.md"),
                Extra::Absolute("/proc/self/mem"),
            ],
            ..case(
                "unreadable files: a FIFO, a broken link, a file that fails to read",
                vec![Entry::Fifo("pipe"), Entry::Link("dangling.md", "nowhere.md")],
                vec![
                    want("pipe", None, "not a regular file"),
                    // Found in the folder and named directly, said the same way (both
                    // forms are told apart in tests/cli.rs).
                    want("dangling.md", None, "a link to nowhere.md, which does not exist"),
                    want("mem", None, "cannot read: Input/output error"),
                ],
            )
        },
        Case {
            extra: vec![Extra::InFolder("missing.pubtator")],
            ..case(
                "a path that does not exist",
                vec![],
                vec![want(
                    "missing.pubtator",
                    None,
                    "no such file or folder",
                )],
            )
        },
    ]
}

/// Builds a case's folder (with the seed as `good.txt`) and the paths to load.
fn build(case: &Case, dir: &Path) -> Vec<PathBuf> {
    std::fs::write(dir.join("good.txt"), seed_bytes()).expect("write seed");
    for entry in &case.entries {
        match entry {
            Entry::File(name, bytes) => {
                let path = dir.join(name);
                std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                std::fs::write(path, bytes).expect("write");
            }
            Entry::Link(name, target) => {
                std::os::unix::fs::symlink(target, dir.join(name)).expect("symlink")
            }
            Entry::Fifo(name) => {
                let c =
                    std::ffi::CString::new(dir.join(name).into_os_string().into_encoded_bytes())
                        .expect("path");
                // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
                assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
            }
        }
    }
    let mut paths = vec![dir.to_path_buf()];
    for extra in &case.extra {
        paths.push(match extra {
            Extra::InFolder(name) => dir.join(name),
            Extra::Absolute(path) => PathBuf::from(path),
        });
    }
    paths
}

/// Runs `f` in a thread and fails (instead of hanging the test run) if it does not finish.
fn without_hanging<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(120))
        .unwrap_or_else(|_| panic!("{what}: the load hangs"))
}

/// Loads the way the TUI does: events from the background loader into an `AppState`.
fn tui_state(paths: Vec<PathBuf>) -> AppState {
    let events: Vec<LoadEvent> = without_hanging("spawn_loader", move || {
        library::spawn_loader(paths).into_iter().collect()
    });
    let mut state = AppState::loading(Keymap::defaults());
    for event in events {
        state.apply_load_event(event);
    }
    assert!(state.load.done);
    state
}

fn sorted_lines(problems: &[Problem]) -> Vec<String> {
    let mut lines: Vec<String> = problems.iter().map(Problem::to_string).collect();
    lines.sort();
    lines
}

fn check_problems(case: &Case, report: &LoadReport) {
    for w in &case.want {
        let found = report
            .problems
            .iter()
            .find(|p| p.path.ends_with(w.file) && p.line == w.line && p.message.contains(w.says));
        let Some(p) = found else {
            panic!(
                "{}: no problem {}:{:?}: {:?} among\n{}",
                case.name,
                w.file,
                w.line,
                w.says,
                sorted_lines(&report.problems).join("\n")
            );
        };
        // Shown as `file:line: message`.
        let shown = p.to_string();
        let prefix = match w.line {
            Some(line) => format!("{}:{line}: ", p.path.display()),
            None => format!("{}: ", p.path.display()),
        };
        assert!(shown.starts_with(&prefix), "{shown}");
    }
    for p in &report.problems {
        assert!(
            !p.path.ends_with("good.txt"),
            "{}: the good file has a problem: {p}",
            case.name
        );
    }
}

#[test]
fn every_hostile_input_is_a_specific_problem_and_the_rest_loads() {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let passwd_line = passwd.lines().next().unwrap_or("root:x:0:0").to_owned();
    for case in cases() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = build(&case, dir.path());
        let load_paths = paths.clone();
        let (lib, report) = without_hanging(case.name, move || library::load(&load_paths));
        check_problems(&case, &report);

        let seed = lib
            .find(SEED_KEY)
            .unwrap_or_else(|| panic!("{}: the seed did not load", case.name));
        assert!(
            lib.paper(seed)
                .title
                .starts_with("Harnessing the immune microenvironment"),
            "{}",
            case.name
        );
        for key in &case.papers {
            assert!(lib.find(key).is_some(), "{}: {key} did not load", case.name);
        }
        // Nothing outside the inputs got in: no entity was expanded, no file fetched.
        // (Abstracts read from their files where the library keeps only their place.)
        let papers: Vec<_> = lib
            .papers()
            .iter()
            .map(|p| {
                let mut p = p.clone();
                let text = tomes::library::read_abstract(&p).expect("abstract readable");
                p.abstract_text = text.map(|t| t.into_owned().into());
                p
            })
            .collect();
        let json = serde_json::to_string(&papers).expect("json");
        assert!(
            !json.contains("lollol"),
            "{}: an entity expanded",
            case.name
        );
        if !passwd_line.is_empty() {
            assert!(
                !json.contains(&passwd_line),
                "{}: /etc/passwd read",
                case.name
            );
        }

        // The same problems reach the TUI, and its problem list shows them.
        let mut state = tui_state(paths);
        assert_eq!(
            sorted_lines(&state.problems),
            sorted_lines(&report.problems),
            "{}",
            case.name
        );
        assert!(state.library.find(SEED_KEY).is_some(), "{}", case.name);
        common::press(&mut state, &["!"]);
        assert_eq!(state.overlay, Some(Overlay::Problems), "{}", case.name);
        let screen = common::buffer_text(&common::render(&mut state, 250, 60));
        // The shortest, so it fits on one line of the overlay (problems arrive in the order
        // files finish loading).
        let first = state
            .problems
            .iter()
            .filter(|p| case.want.iter().any(|w| p.path.ends_with(w.file)))
            .min_by_key(|p| (p.to_string().len(), p.to_string()))
            .expect("a wanted problem");
        // Its first line: named by its temporary folder, as opened, a problem may wrap.
        let head: String = first.to_string().chars().take(80).collect();
        assert!(
            screen.contains(&head),
            "{}: problem list does not show {first}:\n{screen}",
            case.name
        );
    }
}

/// Peak resident memory of this process in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_300_mb_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("good.txt"), seed_bytes()).expect("seed");
    let big = dir.path().join("big.pubtator");
    // Sparse: a real PubTator head, then 300 MB of holes.
    std::fs::write(&big, "1|t|Big\n1|a|File\n").expect("write");
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .expect("open");
    f.set_len(300 * 1024 * 1024).expect("set_len");
    drop(f);
    let before = peak_rss_kib();
    let (lib, report) = library::load(&[dir.path().to_path_buf(), big.clone()]);
    let after = peak_rss_kib();
    let big_problems: Vec<String> = report
        .problems
        .iter()
        .filter(|p| p.path.ends_with("big.pubtator"))
        .map(Problem::to_string)
        .collect();
    assert_eq!(
        big_problems,
        vec![
            format!(
                "{}: file is 300 MB, over the 256 MB limit; skipped",
                big.display()
            );
            2
        ],
        "walked and named"
    );
    assert!(lib.find(SEED_KEY).is_some());
    assert!(lib.find("PMID:1").is_none());
    if before > 0 {
        // Other tests in this binary run alongside; none comes near 100 MB.
        assert!(
            after.saturating_sub(before) < 100 * 1024,
            "peak memory grew from {before} to {after} KiB"
        );
    }
}

#[test]
fn a_folder_where_a_file_is_expected_is_a_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = InputFile {
        path: dir.path().to_path_buf(),
        display: PathBuf::from("paper.md"),
        key_name: PathBuf::from("paper.md"),
        named: true,
    };
    let (parsed, bytes) = library::parse_file(&input);
    assert_eq!(bytes, 0);
    assert!(parsed.papers.is_empty());
    assert_eq!(
        sorted_lines(&parsed.problems),
        vec!["paper.md: is a folder, not a file"]
    );
}

#[test]
fn a_folder_linking_to_itself_loads_each_paper_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("good.txt"), seed_bytes()).expect("seed");
    std::os::unix::fs::symlink(".", dir.path().join("again")).expect("symlink");
    std::os::unix::fs::symlink(dir.path(), dir.path().join("absolute")).expect("symlink");
    let (lib, report) = library::load(&[dir.path().to_path_buf()]);
    assert_eq!(lib.len(), 1);
    assert_eq!(lib.paper(0).sources.len(), 1, "the seed was read once");
    assert_eq!(report.files_read, 1);
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
}

/// Parses `bytes` the way the fuzz targets do and returns what it gave, for the cases the
/// fuzzers found.
fn parse_as(format: Format, bytes: &[u8]) -> Parsed {
    let text = String::from_utf8_lossy(bytes);
    let name = match format {
        Format::SummaryMarkdown => "f.md",
        Format::PubTator => "f.pubtator",
        Format::BioC => "f.xml",
    };
    formats::parse(format, &text, Path::new(name))
}

/// The fuzz targets (fuzz/README.md) found no panic, hang or runaway allocation in their
/// 10-minute runs; a crash they find goes here as bytes. Until then: shapes near the edges
/// of every parser, each fed to all three, must simply parse.
#[test]
fn fuzz_found_inputs_do_not_panic() {
    for bytes in [
        b"".as_slice(),
        b"|t|",
        b"|a|",
        b"1|t|\n1\t0\t0\t\tGene\t\n",
        b"1|t|\xce\xb1\n1\t0\t1\t\xce\xb1\tGene\t1\n1\t1\t1\t\tGene\t1\n",
        b"1|t|x\n1\t4294967295\t4294967295\tx\tGene\t1\n",
        b"# \n## \n- **:**\n- ****\n- **Genes:** (\n- **Genes:** )]}\n",
        b"<collection><document><id></id><passage><offset>-1</offset><text/></passage></document>",
        b"<collection><document><passage><annotation><location offset=\"4294967295\" length=\"4294967295\"/></annotation></passage></document></collection>",
        b"<!DOCTYPE collection [<!ENTITY a SYSTEM \"/dev/zero\">]><collection>&a;<document",
        b"\xef\xbb\xbf\xef\xbb\xbf# \xf0\x9f\x98\x80\n1|t|\r\n1|a|\r\n",
    ] {
        for format in [Format::SummaryMarkdown, Format::PubTator, Format::BioC] {
            let _ = parse_as(format, bytes);
        }
    }
}

#[test]
fn many_repeated_sections_each_give_one_problem() {
    let text = format!("# T\n\n{}", "## Abstract\n\nx\n\n".repeat(20_000));
    let parsed = parse_as(Format::SummaryMarkdown, text.as_bytes());
    assert_eq!(parsed.papers.len(), 1);
    assert_eq!(parsed.problems.len(), 19_999);
    assert_eq!(parsed.problems[0].line, Some(7));
}

#[test]
fn resizing_to_tiny_sizes_and_back_keeps_the_state_usable() {
    let mut s = common::state();
    for (w, h) in [
        (80, 24),
        (1, 1),
        (10, 3),
        (80, 24),
        (1, 1),
        (160, 48),
        (10, 3),
        (80, 24),
    ] {
        let _ = common::render(&mut s, w, h);
        common::press(
            &mut s,
            &[
                "j", "pgdn", "pgup", "G", "tab", "j", "enter", "tab", "z", "z",
            ],
        );
        let _ = common::render(&mut s, w, h);
    }
    let screen = common::buffer_text(&common::render(&mut s, 80, 24));
    assert!(screen.contains("CD274"), "{screen}");
}

/// A PubTator record of `count` distinct gene ids starting at `first`, every mention on the
/// title word `Hostile` (chars 0-7), so no offset problems.
fn many_ids_record(first: u32, count: u32) -> String {
    let mut out = String::from("123|t|Hostile\n123|a|An invented abstract.\n");
    for id in first..first + count {
        out.push_str(&format!("123\t0\t7\tHostile\tGene\t{id}\n"));
    }
    out.push('\n');
    out
}

// The three tests below load papers with tens of thousands of entities. Before entity lookups
// were hashed these took minutes (quadratic in entities per paper); they are here so a
// regression times CI out rather than going unnoticed.

#[test]
fn a_pubtator_record_with_twenty_thousand_ids_loads() {
    let text = many_ids_record(1_000_000, 20_000);
    let parsed = formats::parse(Format::PubTator, &text, Path::new("many.pubtator"));
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.papers.len(), 1);
    let paper = &parsed.papers[0];
    assert_eq!(paper.entities.len(), 20_000);
    assert_eq!(paper.entities[0].key.as_str(), "NCBIGene:1000000");
    assert_eq!(paper.entities[19_999].key.as_str(), "NCBIGene:1019999");
    assert!(
        paper
            .entities
            .iter()
            .all(|e| e.mentions == 1 && e.name == "Hostile")
    );
}

#[test]
fn a_summary_entity_line_of_twenty_thousand_names_without_ids_loads() {
    let names: Vec<String> = (0..20_000).map(|i| format!("Hostilegene{i}")).collect();
    // The id-less repeat of the first name must still fold into one entity.
    let text = format!(
        "# Invented paper\n\nPMID: 99999999\n\n## Full-text entities\n\n- **Genes:** {}, hostilegene0\n",
        names.join(", ")
    );
    let parsed = formats::parse(Format::SummaryMarkdown, &text, Path::new("many.md"));
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.papers.len(), 1);
    let entities = &parsed.papers[0].entities;
    assert_eq!(entities.len(), 20_000);
    assert_eq!(entities[0].name, "Hostilegene0");
    assert_eq!(&*entities[0].aliases, ["hostilegene0"]);
    assert_eq!(entities[19_999].name, "Hostilegene19999");
}

#[test]
fn two_records_of_twenty_thousand_entities_merge() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Half the ids overlap: 30,000 entities after the merge, the shared ones mentioned twice.
    std::fs::write(
        dir.path().join("a.pubtator"),
        many_ids_record(1_000_000, 20_000),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("b.pubtator"),
        many_ids_record(1_010_000, 20_000),
    )
    .expect("write");
    let (library, report) = library::load(&[dir.path().to_path_buf()]);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(library.len(), 1);
    let paper = &library.papers()[0];
    assert_eq!(paper.sources.len(), 2);
    assert_eq!(paper.entities.len(), 30_000);
    assert_eq!(paper.entities[29_999].key.as_str(), "NCBIGene:1029999");
    // The shared ids have the same span in both records: it is kept once.
    assert!(paper.entities.iter().all(|e| e.spans.len() == 1));
}
