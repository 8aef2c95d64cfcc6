//! The `tomes` binary end to end: exit codes, messages, human output and JSON shapes.
//!
//! Tests named `*_needs_parsers` read `seeds/` and `../shared/corpora` and assert what the
//! real parsers must produce; the others hold with any parser.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tomes` run from the repository, with an empty config folder of its own.
fn tomes(config: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tomes"));
    cmd.current_dir(repo())
        .env("TOMES_CONFIG_DIR", config)
        .env_remove("XDG_CONFIG_HOME");
    cmd
}

fn stdout_json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// The files `tomes check --json` says it skipped, sorted: found while walking a folder or
/// while reading, they come in either order.
fn skipped_sorted(v: &Value) -> Vec<&str> {
    let mut skipped: Vec<&str> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    skipped.sort_unstable();
    skipped
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn corpora() -> Option<PathBuf> {
    let path = repo().join("../shared/corpora");
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!("skipping: ../shared/corpora not found");
        None
    }
}

/// One test's folders: an empty config folder of its own and a library folder to write
/// papers in.
struct Fixture {
    config: tempfile::TempDir,
    dir: tempfile::TempDir,
}

impl Fixture {
    /// Both folders empty.
    fn new() -> Self {
        Self {
            config: tempfile::tempdir().unwrap(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The library folder holding one file, `name`, of `contents`.
    fn with(name: &str, contents: impl AsRef<[u8]>) -> Self {
        let fx = Self::new();
        fx.write(name, contents);
        fx
    }

    /// Writes (or rewrites) `name` in the library folder; its path.
    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// `tomes` run from the repository with this config folder, as [`tomes`] is.
    fn tomes(&self) -> Command {
        tomes(self.config.path())
    }

    /// What `tomes ARGS .` did run in the library folder: its files are named from there
    /// (`one.xml`), as [`Fixture::run`] names them by the folder's whole path.
    fn run_inside<S: AsRef<OsStr>>(&self, args: impl IntoIterator<Item = S>) -> Output {
        self.tomes()
            .current_dir(self.dir.path())
            .args(args)
            .arg(".")
            .output()
            .unwrap()
    }

    /// What `tomes ARGS FOLDER` did: the library folder is named after `args`.
    fn run<S: AsRef<OsStr>>(&self, args: impl IntoIterator<Item = S>) -> Output {
        self.tomes()
            .args(args)
            .arg(self.dir.path())
            .output()
            .unwrap()
    }
}

#[test]
fn no_paths_and_no_seeds_is_a_helpful_error() {
    let empty = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .current_dir(empty.path())
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("no library to open"), "{err}");
    assert!(err.contains("library = "), "{err}");
    assert!(
        err.contains(&config.path().join("config.toml").display().to_string()),
        "{err}"
    );
}

/// Files named that yield nothing, each with a problem (a file it may not read, a README),
/// fail with the problem rather than answer as an empty library would (ut23: a file it had
/// no permission to read, given alone, listed nothing and exited 0). An empty folder is an
/// empty library, and a folder's README alone is no problem of the load.
#[test]
fn files_given_that_load_nothing_are_an_error() {
    let fx = Fixture::with("README.txt", "Notes about the papers.\n");
    let readme = fx.dir.path().join("README.txt");
    for args in [
        &["list"][..],
        &["search", "cancer"],
        &["export", "-f", "ris", ""],
    ] {
        let out = fx.tomes().args(args).arg(&readme).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.starts_with("tomes: nothing loaded: "),
            "{args:?}: {err}"
        );
        assert!(err.contains("README.txt"), "{err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = fx.run(["list"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = Fixture::new().run(["list"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn check_of_an_empty_folder_reports_nothing_loaded() {
    let empty = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["check", "--strict", "--json"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    assert_eq!(v["files_read"], 0);
    assert_eq!(v["papers"], 0);
    assert_eq!(v["entities"], 0);
    assert_eq!(v["bytes"], 0);
    assert_eq!(v["problems"], serde_json::json!([]));
}

/// Files skipped whole are listed one per file with its reason (in JSON `skipped_files`, each
/// with a `skipped` field); those found in a folder as no format tomes reads are not
/// problems (the count leaves them out, `--strict` passes), those named directly are. The
/// text lists them together by reason after the problems. They are not counted among the
/// files read, nor their bytes, even those read whole to find them blank. A file too large
/// or not a file is a problem wherever found, and listed with the skipped files; NUL bytes
/// in a file of a known format are a problem at their line, and the file is read on.
#[cfg(unix)]
#[test]
fn check_counts_every_file_it_skipped() {
    let fx = Fixture::with("nul.pubtator", "2|t|A title.\n2|a|An ab\0stract.\n");
    // Sparse: over the limit without writing it.
    let huge = std::fs::File::create(fx.dir.path().join("huge.pubtator")).unwrap();
    huge.set_len(tomes::library::MAX_FILE_BYTES + 1).unwrap();
    let fifo =
        std::ffi::CString::new(fx.dir.path().join("pipe.pubtator").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    fx.write("one.pubtator", "1|t|A title.\n1|a|An abstract.\n");
    let out = fx.run_inside(["check", "--json"]);
    let v = stdout_json(&out);
    assert_eq!(v["files_read"], 2);
    assert_eq!(skipped_sorted(&v), ["huge.pubtator", "pipe.pubtator"]);
    assert_eq!(v["skipped_files"].as_array().unwrap().len(), 2);
    let mut reasons: Vec<(&str, &str, &serde_json::Value)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap(),
                p["skipped"].as_str().unwrap_or(""),
                &p["line"],
            )
        })
        .collect();
    reasons.sort_by_key(|r| r.0);
    let line = |n: u64| serde_json::Value::from(n);
    let null = serde_json::Value::Null;
    assert_eq!(
        reasons,
        [
            ("huge.pubtator", "too_large", &null),
            ("nul.pubtator", "", &line(2)),
            ("pipe.pubtator", "not_a_file", &null),
        ]
    );
    let out = fx.run(["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("2 papers, 0 entities, 3 problems from 2 files read")
            && text.contains("; 2 files skipped"),
        "{text}"
    );
}

#[test]
fn check_names_the_files_it_skipped() {
    let fx = Fixture::with("README.txt", "About this folder.\n");
    fx.write("notes.bin", [0x8fu8, 0x01, 0xfe, 0x42]);
    fx.write("empty.pubtator", "");
    fx.write("blank.md", " \n\t\n\n");
    fx.write("LICENSE", "Free to use.\n");
    fx.write(
        "one.pubtator",
        "1|t|A title.\n1|a|An abstract.\n2|a|No title.\n",
    );
    let out = fx.run_inside(["check", "--strict", "--json"]);
    let v = stdout_json(&out);
    assert_eq!(v["files_read"], 1);
    assert_eq!(v["bytes"], 44, "one.pubtator's size");
    assert_eq!(
        v["skipped"],
        serde_json::json!([
            "LICENSE",
            "README.txt",
            "blank.md",
            "empty.pubtator",
            "notes.bin"
        ])
    );
    let problems = v["problems"].as_array().unwrap();
    let paths = |list: &[Value]| -> Vec<String> {
        list.iter()
            .map(|p| p["path"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(paths(problems), ["one.pubtator"]);
    let skipped_files = v["skipped_files"].as_array().unwrap();
    let got: Vec<(&str, &serde_json::Value)> = skipped_files
        .iter()
        .map(|p| (p["path"].as_str().unwrap(), &p["skipped"]))
        .collect();
    let reason = |r: &str| serde_json::Value::String(r.into());
    assert_eq!(
        got,
        [
            ("LICENSE", &reason("other_format")),
            ("README.txt", &reason("other_format")),
            ("blank.md", &reason("blank")),
            ("empty.pubtator", &reason("empty")),
            ("notes.bin", &reason("not_utf8")),
        ]
    );
    assert_eq!(skipped_files[3]["message"], "empty file; skipped");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the problem in one.pubtator fails --strict"
    );
    fx.write("one.pubtator", "1|t|A title.\n1|a|An abstract.\n");
    let out = fx.run(["check", "--strict"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "files passed over in a folder do not fail --strict: {}",
        text(&out.stdout)
    );
    let out = fx
        .tomes()
        .args(["check", "--strict", "--json"])
        .arg(fx.dir.path().join("README.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "named directly, a problem");
    let v = stdout_json(&out);
    let named = fx.dir.path().join("README.txt");
    assert_eq!(
        paths(v["problems"].as_array().unwrap()),
        [named.to_str().unwrap()]
    );
    assert_eq!(v["skipped"], serde_json::json!([]));
    fx.write(
        "one.pubtator",
        "1|t|A title.\n1|a|An abstract.\n2|a|No title.\n",
    );
    let out = fx.run_inside(["check"]);
    assert_eq!(out.status.code(), Some(0));
    let printed = text(&out.stdout);
    // A list of names that wraps goes on further in than the next `skipped` line.
    assert_eq!(
        printed,
        "2 papers, 0 entities, 1 problem from 1 file read (44 B); 5 files skipped\n\
         one.pubtator:3: abstract of 2 without a title line\n  \
         skipped 1 empty file: empty.pubtator\n  \
         skipped 1 file of only whitespace: blank.md\n  \
         skipped 1 file that is not UTF-8 text: notes.bin\n  \
         skipped 2 files that are not summary Markdown, PubTator or BioC XML: LICENSE,\n    \
         README.txt\n"
    );
}

/// Each group of skipped files says why: a file starting with `# ` is told which of a
/// summary's lines it lacks, as the browser tells it, once for all such files; a group lists
/// ten names and counts the rest, so 3,000 READMEs do not fill pages.
#[test]
fn check_says_why_it_skipped_each_group_of_files() {
    let fx = Fixture::with("my notes.md", "# My notes\n\nTo read.\n");
    fx.write("plan.txt", "# Plan\nRead more.\n");
    for i in 0..12 {
        fx.write(&format!("note {i:02}.txt"), "A note.\n");
    }
    let out = fx.run_inside(["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "0 papers, 0 entities, 0 problems from 0 files read (0 B); 14 files skipped\n  \
         skipped 12 files that are not summary Markdown, PubTator or BioC XML:\n    \
         note 00.txt, note 01.txt, note 02.txt, note 03.txt, note 04.txt,\n    \
         note 05.txt, note 06.txt, note 07.txt, note 08.txt, note 09.txt, and 2 more\n    \
         (--json lists all)\n  \
         skipped 2 files that are not summary Markdown, PubTator or BioC XML:\n    \
         my notes.md, plan.txt\n    \
         why: it starts with a `# ` heading, but has none of a summary's other lines:\n      \
         `**Authors:** …`, an id line (`PMID: 123`, `DOI: 10.1/x`), `## Abstract`,\n      \
         or a summary section such as `## TL;DR` or `## Key findings` (outside ```\n      \
         blocks)\n"
    );
}

/// A problem in a one-line BioC file says its byte: in the text after the line, in JSON as
/// a field added beside path, line and message (which keep their meaning).
#[test]
fn check_gives_the_byte_of_a_problem_in_a_one_line_bioc_file() {
    let fx = Fixture::new();
    let xml = "<?xml version=\"1.0\"?><collection><document><id>1</id><passage>\
               <offset>0</offset><text>BRAF here</text><annotation id=\"a\">\
               <infon key=\"identifier\">673</infon><infon key=\"type\">Gene</infon>\
               <location offset=\"1\" length=\"4\"/><text>BRAF</text></annotation>\
               </passage></document></collection>";
    fx.write("one.xml", xml);
    let byte = xml.find("<annotation").unwrap();
    let message =
        "mention \"BRAF\" at 1-5 does not match the text there (\"RAF \"); it is at chars 0-4";
    let out = fx.run_inside(["check", "--json"]);
    let v = stdout_json(&out);
    assert_eq!(
        v["problems"],
        serde_json::json!([{"path": "one.xml", "line": 1, "byte": byte, "message": message}])
    );
    let out = fx.run(["check"]);
    assert!(
        text(&out.stdout).contains(&format!("one.xml:1: byte {byte}: {message}\n")),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn check_strict_fails_on_problems_and_lists_them_as_file_line_message() {
    let config = tempfile::tempdir().unwrap();
    // A link to nowhere: named paths must exist, but a link whose target is missing is a
    // problem (a file skipped).
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder");
    std::os::unix::fs::symlink(dir.path().join("gone"), &missing).unwrap();
    let out = tomes(config.path())
        .arg("check")
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "without --strict problems are fine"
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(
            "0 papers, 0 entities, 1 problem from 0 files read (0 B); 1 file skipped\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{}: a link to {}, which does not exist; skipped",
            missing.display(),
            dir.path().join("gone").display()
        )),
        "{stdout}"
    );

    let out = tomes(config.path())
        .args(["check", "--strict", "--json"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = stdout_json(&out);
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0]["path"], missing.display().to_string());
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("a link to ")
    );
}

#[test]
fn load_problems_go_to_stderr_for_other_commands() {
    let config = tempfile::tempdir().unwrap();
    // Links to nowhere: they exist, so loading them is a problem, not a usage error.
    let dir = tempfile::tempdir().unwrap();
    for name in ["no-such-a", "no-such-b"] {
        std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join(name)).unwrap();
    }
    std::fs::write(
        dir.path().join("real.pubtator"),
        "7|t|A paper.\n7|a|Its abstract.\n",
    )
    .unwrap();
    let out = tomes(config.path())
        .current_dir(dir.path())
        .args(["list", "--json", "no-such-a", "no-such-b", "real.pubtator"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    assert_eq!(v["papers"].as_array().unwrap().len(), 1);
    assert_eq!(v["problems"].as_array().unwrap().len(), 2);

    let out = tomes(config.path())
        .current_dir(dir.path())
        .args(["list", "no-such-a", "no-such-b", "real.pubtator"])
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), "PMID:7  A paper.\n");
    // One line, pointing to the command that lists them.
    assert_eq!(
        text(&out.stderr),
        "tomes: 2 problems in 2 files while loading; `tomes check no-such-a no-such-b \
         real.pubtator` lists them\n"
    );
    // One problem is said whole, on its one line.
    let out = tomes(config.path())
        .current_dir(dir.path())
        .args(["list", "no-such-a", "real.pubtator"])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(
        err.starts_with("tomes: problem while loading: no-such-a: a link to "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // Nothing loaded but problems: an error, in JSON too.
    for json in [false, true] {
        let out = tomes(config.path())
            .current_dir(dir.path())
            .args(["list", "no-such-a", "no-such-b"])
            .args(json.then_some("--json"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        assert_eq!(
            text(&out.stderr),
            "tomes: nothing loaded: 2 problems in 2 files; `tomes check no-such-a \
             no-such-b` lists them\n"
        );
    }
    // `check` still lists every one.
    let out = tomes(config.path())
        .current_dir(dir.path())
        .args(["check", "no-such-a", "no-such-b"])
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(stdout.contains("no-such-a: a link to "), "{stdout}");
    assert!(stdout.contains("no-such-b: a link to "), "{stdout}");
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

/// On the corpora, every command but `check` says its load problems in one line.
#[test]
fn corpora_problems_are_one_line_for_commands_needs_parsers() {
    let Some(corpora) = corpora() else { return };
    let config = tempfile::tempdir().unwrap();
    for args in [
        &["list"][..],
        &["search", "tp53"],
        &["show", "PMID:6794356"],
        &["entity", "TP53"],
        &["related", "PMID:6794356"],
        &["export", "-f", "ris", "gene:TP53"],
    ] {
        let out = tomes(config.path())
            .args(args)
            .arg(&corpora)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "problems in 4 files while loading; `tomes check {}` lists them",
                corpora.display()
            )),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn unknown_key_is_exit_code_1_with_a_clear_message() {
    let config = tempfile::tempdir().unwrap();
    for cmd in ["show", "related"] {
        let out = tomes(config.path())
            .args([cmd, "PMID:1", "seeds"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        assert!(out.stdout.is_empty(), "{cmd}");
        let err = text(&out.stderr);
        assert!(
            err.contains("no paper \"PMID:1\" in the library"),
            "{cmd}: {err}"
        );
    }
}

#[test]
fn unknown_entity_and_bad_query_are_exit_code_1() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["entity", "NoSuchGene", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no entity named \"NoSuchGene\""));

    let out = tomes(config.path())
        .args(["search", "year:2023..2019", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("invalid query"), "{err}");
    assert!(err.contains("did you mean year:2019..2023"), "{err}");

    // A year cut short is a mistake on the command line, not a year still being typed.
    let out = tomes(config.path())
        .args(["search", "nasopharyngeal year:202", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("year:202 is not a year"), "{err}");
    let out = tomes(config.path())
        .args(["export", "-f", "bibtex", "title:", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("title: needs a value"));
}

/// A user test pasted a title with " - " in it: `'-' needs a word after it`. A dash
/// standing alone is punctuation; a query of nothing else asks nothing.
#[test]
fn a_dash_standing_alone_in_a_query_is_punctuation() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args([
            "search",
            "--json",
            "immunotherapy - nasopharyngeal",
            "seeds",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(stdout_json(&out)["total"], 1);
    let out = tomes(config.path())
        .args(["search", "--", "-", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("nothing to search"), "{err}");
}

#[test]
fn search_json_has_the_documented_shape_even_when_empty() {
    let empty = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["search", "--json", "anything"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    assert_eq!(v["query"], "anything");
    assert_eq!(v["total"], 0);
    assert_eq!(v["hits"], serde_json::json!([]));
}

/// A query that finds nothing suggests its words corrected, with what that finds; the
/// suggestion is not run in its place (a script asked for what it typed).
#[test]
fn a_search_that_finds_nothing_suggests_its_words_corrected() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["search", "immunotherapi nasopharyngeal", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "0 of 1 paper matches \"immunotherapi nasopharyngeal\"\n\
         did you mean \"immunotherapy nasopharyngeal\"? It finds 1 paper\n"
    );
    let out = tomes(config.path())
        .args(["search", "--json", "IMMUNOTHERAPY", "seeds"])
        .output()
        .unwrap();
    let v = stdout_json(&out);
    assert_eq!(v["total"], 0);
    assert_eq!(
        v["suggestion"],
        serde_json::json!({"query": "immunotherapy", "total": 1})
    );
    // Nothing near: no suggestion.
    let out = tomes(config.path())
        .args(["search", "--json", "zzzzzzzz", "seeds"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out).get("suggestion"), None);
    let out = tomes(config.path())
        .args(["export", "--format", "ris", "immunotherapi", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(
            "no paper matches \"immunotherapi\" (did you mean \"immunotherapy\"? It finds 1 paper)"
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn help_lists_every_command() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path()).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for cmd in ["check", "list", "show", "search", "entity", "related"] {
        assert!(help.contains(cmd), "{cmd} missing from help");
    }
}

/// `tomes --help` said the config folder "is created when tomes starts": only the browser
/// makes it (it keeps the bookmarks there); the commands read it and leave a missing one
/// missing. The help says so, and the commands do as it says.
#[test]
fn help_says_only_the_browser_makes_the_config_folder() {
    let config = tempfile::tempdir().unwrap();
    let missing = config.path().join("tomes");
    let out = tomes(&missing).arg("--help").output().unwrap();
    let help = text(&out.stdout);
    assert!(!help.contains("created when tomes starts"), "{help}");
    assert!(
        help.contains("The browser (tomes [PATHS]) creates the folder when it starts; the commands\n(check, list, search, ...) only read it."),
        "{help}"
    );
    for args in [
        &["check", "seeds"][..],
        &["list", "seeds"],
        &["search", "cd27", "seeds"],
        &["export", "--bookmarks", "-f", "ris", "seeds"],
    ] {
        tomes(&missing).args(args).output().unwrap();
        assert!(!missing.exists(), "{args:?} made the config folder");
    }
}

// ---- These need the real parsers (src/formats) to pass. ----

const SEED_TITLE: &str =
    "Harnessing the immune microenvironment: advances in nasopharyngeal carcinoma immunotherapy";

#[test]
fn check_seeds_is_clean_needs_parsers() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["check", "--strict", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains(" from 1 file read ("));
    assert!(text(&out.stdout).starts_with("1 paper, "));
}

#[test]
fn default_library_is_seeds_needs_parsers() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    let papers = v["papers"].as_array().unwrap();
    assert_eq!(papers.len(), 1);
    assert_eq!(papers[0]["key"], "PMC:PMC13039540");
    assert_eq!(papers[0]["title"], SEED_TITLE);
    assert_eq!(papers[0]["journal"], "Cell Death Discovery");
    assert_eq!(papers[0]["year"], 2026);
}

#[test]
fn show_seed_has_everything_needs_parsers() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["show", "PMC13039540", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    for expected in [
        "Harnessing the immune microenvironment",
        "DOI 10.1038/s41420-026-02999-y",
        "Authors: Yihua Zhu, Yongsheng Liu",
        "Cell Death Discovery · 2026-03-10",
        "TL;DR",
        "Key findings",
        "Abstract",
        "NCBIGene:29126",
        "PD-L1",
        "MONDO:0015459",
        "NCBITaxon:9606",
        "Sources",
        "000_ed9a9c1b19ae5cc2.txt:1",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in\n{page}");
    }
    assert!(
        page.lines()
            .all(|l| l.chars().count() <= 80 || !l.trim().contains(' ')),
        "a wrapped line is over 80 columns"
    );

    let out = tomes(config.path())
        .args(["show", "--json", "DOI:10.1038/S41420-026-02999-Y", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    assert_eq!(v["paper"]["key"], "PMC:PMC13039540");
    assert_eq!(v["paper"]["title"], SEED_TITLE);
    let genes = v["entities_by_kind"]["gene"].as_array().unwrap();
    assert!(genes.iter().any(|g| g["key"] == "NCBIGene:29126"));
}

/// A user test: `show` took `doi:...` and `pmc13039540` but refused `pmc:PMC13039540`,
/// `PMC:13039540` and `https://doi.org/...`; every form a user would paste finds the paper.
#[test]
fn show_and_related_take_every_pasted_form_of_a_key_needs_parsers() {
    let config = tempfile::tempdir().unwrap();
    for key in [
        "pmc:PMC13039540",
        "PMC:13039540",
        "PMCID: PMC13039540",
        "https://doi.org/10.1038/s41420-026-02999-y",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC13039540/",
        "10.1038/s41420-026-02999-y",
    ] {
        for cmd in ["show", "related"] {
            let out = tomes(config.path())
                .args([cmd, "--json", key, "seeds"])
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{cmd} {key}: {}",
                text(&out.stderr)
            );
        }
    }
}

/// A second user test: `show` and `related` refused the PubMed address with a query string,
/// a key with the full stop of the sentence it came from and a PMID with a leading zero.
#[test]
fn show_and_related_take_a_key_with_an_address_query_a_full_stop_or_a_leading_zero() {
    let fx = Fixture::with(
        "a.pubtator",
        "21810259|t|HIV - host interactions.\n21810259|a|Text.\n\n",
    );
    for key in [
        "https://pubmed.ncbi.nlm.nih.gov/21810259/?from=x",
        "PMID:21810259.",
        "PMID:021810259",
    ] {
        for cmd in ["show", "related"] {
            let out = fx.run([cmd, "--json", key]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{cmd} {key}: {}",
                text(&out.stderr)
            );
        }
    }
    let out = fx
        .tomes()
        .args(["show", "doi:10.1038/s41420-026-02999-y.", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// Every form of a paper's key a user writes or pastes: `tomes show` finds the paper by it,
/// and a bookmark written with it in `bookmarks.toml` is that paper's (`is:bookmarked`).
/// The command line and the bookmark file had two readers: the file's took no address,
/// query string, full stop or leading zero, and a PMC or DOI bookmark of a paper keyed by
/// its PMID was read but then looked up differently.
#[test]
fn the_command_line_and_bookmarks_read_every_written_form_of_a_key_alike() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("paper.md"),
        "# A paper of three ids\n\n**Authors:** A. Person\n\n\
         PMID: 21810259 · PMCID: PMC13039540 · DOI: 10.1038/X.Y-1 · A Journal · 2026-03-10\n\n\
         ## TL;DR\n\nText.\n",
    )
    .unwrap();
    for written in [
        "PMID:21810259",
        "21810259",
        " 21810259 ",
        "pmid:21810259",
        "Pmid: 21810259",
        "PMID 21810259",
        "PMID:21810259.",
        "PMID: 21810259,",
        "\"PMID:21810259\"",
        "https://pubmed.ncbi.nlm.nih.gov/21810259/",
        "pubmed.ncbi.nlm.nih.gov/21810259",
        "https://pubmed.ncbi.nlm.nih.gov/21810259/?from=x",
        "https://pubmed.ncbi.nlm.nih.gov/21810259?from_term=hiv&from_pos=3",
        "https://pubmed.ncbi.nlm.nih.gov/21810259/#abstract",
        "https://www.ncbi.nlm.nih.gov/pubmed/21810259",
        "PMID:021810259",
        "pmid:0021810259.",
        "021810259",
        "https://pubmed.ncbi.nlm.nih.gov/021810259/.",
        "PMC13039540",
        "pmc13039540",
        "PMC:PMC13039540",
        "pmc:PMC13039540",
        "PMC:13039540",
        "PMCID:PMC13039540",
        "PMCID: PMC13039540",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC13039540/",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC13039540/?report=reader",
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC13039540",
        "doi:10.1038/X.Y-1",
        "DOI:10.1038/x.y-1",
        "DOI: 10.1038/X.Y-1",
        "doi:10.1038/x.y-1.",
        "10.1038/X.Y-1",
        "10.1038/X.Y-1.",
        "https://doi.org/10.1038/X.Y-1",
        "http://dx.doi.org/10.1038/x.y-1",
        "https://doi.org/10.1038%2Fx.y-1",
        "https://doi.org/10.1038/x.y-1?utm_source=feed",
        "<https://doi.org/10.1038/x.y-1>",
    ] {
        let config = tempfile::tempdir().unwrap();
        let show = tomes(config.path())
            .args(["show", "--json", written])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            show.status.code(),
            Some(0),
            "show {written:?}: {}",
            text(&show.stderr)
        );
        assert_eq!(
            stdout_json(&show)["paper"]["key"],
            "PMID:21810259",
            "{written:?}"
        );

        let key = toml::Value::String(written.to_owned());
        let entry = format!("[[bookmark]]\nkey = {key}\n");
        std::fs::write(config.path().join("bookmarks.toml"), entry).unwrap();
        let search = tomes(config.path())
            .args(["search", "--json", "is:bookmarked"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            search.status.code(),
            Some(0),
            "{written:?}: {}",
            text(&search.stderr)
        );
        let v = stdout_json(&search);
        assert_eq!(v["total"], 1, "bookmark {written:?}: {v}");
        assert!(
            text(&search.stderr).is_empty(),
            "{written:?}: {}",
            text(&search.stderr)
        );
    }
}

/// A user test: `tomes entity parkinson` said no such entity while a search's
/// `disease:parkinson` found 92 papers; `alzheimers` and `brca` failed too. A name none
/// has whole finds the entities whose names start with it: one is shown, several listed
/// best first with how to name one; `--json` gives the error and the candidates.
#[test]
fn entity_finds_names_starting_with_what_was_typed_needs_parsers() {
    let fx = Fixture::with(
        "p.pubtator",
        "1|t|Parkinson disease and BRCA1.\n1|a|Text.\n\
         1\t0\t17\tParkinson disease\tDisease\tD010300\n\
         1\t22\t27\tBRCA1\tGene\t672\n\n\
         2|t|Alzheimer disease and BRCA2 and BRCA1.\n2|a|Text.\n\
         2\t0\t17\tAlzheimer disease\tDisease\tD000544\n\
         2\t22\t27\tBRCA2\tGene\t675\n\
         2\t32\t37\tBRCA1\tGene\t672\n\n",
    );
    let run = |args: &[&str]| fx.run(args);
    for name in ["parkinson", "Parkinson", "disease:parkinson"] {
        let out = run(&["entity", name]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert!(text(&out.stdout).starts_with("Parkinson disease · disease · MESH:D010300"));
    }
    for name in ["alzheimers", "alzheimer's"] {
        let out = run(&["entity", name]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert!(text(&out.stdout).starts_with("Alzheimer disease"), "{name}");
    }
    let out = run(&["entity", "brca"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(
            "tomes: no entity named \"brca\"; 2 entities have a name or alias starting with \
             it, most papers first:\n  BRCA1 · gene · NCBIGene:672 (2 papers)\n  \
             BRCA2 · gene · NCBIGene:675 (1 paper)\n  name one by its CURIE: tomes entity NCBIGene:672\n"
        ),
        "{err}"
    );
    let out = run(&["entity", "--json", "brca"]);
    assert_eq!(out.status.code(), Some(1));
    let v = stdout_json(&out);
    assert_eq!(v["matches"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["candidates"][0]["key"], "NCBIGene:672");
    assert!(
        v["error"]
            .as_str()
            .unwrap_or("")
            .contains("no entity named")
    );
    let out = run(&["entity", "--json", "zzzz"]);
    assert_eq!(out.status.code(), Some(1));
    let v = stdout_json(&out);
    assert_eq!(v["candidates"].as_array().map(Vec::len), Some(0));
    assert!(
        v["error"]
            .as_str()
            .unwrap_or("")
            .contains("no entity named \"zzzz\"")
    );
    // Of a kind too (ut22b's `gene:zzzq --json` printed no JSON).
    let out = run(&["entity", "--json", "gene:zzzz"]);
    assert_eq!(out.status.code(), Some(1));
    let v = stdout_json(&out);
    assert_eq!(v["query"], "gene:zzzz");
    assert_eq!(v["matches"].as_array().map(Vec::len), Some(0));
    assert!(
        v["error"]
            .as_str()
            .unwrap_or("")
            .contains("no gene or protein named \"zzzz\""),
        "{v}"
    );
}

/// A second user test: `tomes entity parkinson` listed catalepsy under "8 entities' names
/// start with it", found by its alias "parkinsonian catalepsy", unsaid; and `tomes entity
/// "lateral sclerosis"` listed nothing while `lateral` listed amyotrophic lateral
/// sclerosis.
#[test]
fn entity_candidates_say_the_alias_they_match_and_take_several_words_needs_parsers() {
    let fx = Fixture::with(
        "p.pubtator",
        "1|t|Catalepsy, catalepsy and parkinsonian catalepsy.\n1|a|Text.\n\
         1\t0\t9\tCatalepsy\tDisease\tD002375\n\
         1\t11\t20\tcatalepsy\tDisease\tD002375\n\
         1\t25\t47\tparkinsonian catalepsy\tDisease\tD002375\n\n\
         2|t|Parkinson disease.\n2|a|Text.\n\
         2\t0\t17\tParkinson disease\tDisease\tD010300\n\n\
         4|t|Parkinson disease.\n4|a|Text.\n\
         4\t0\t17\tParkinson disease\tDisease\tD010300\n\n\
         3|t|Amyotrophic lateral sclerosis and lateral epicondylitis.\n3|a|Text.\n\
         3\t0\t29\tAmyotrophic lateral sclerosis\tDisease\tD000690\n\
         3\t34\t55\tlateral epicondylitis\tDisease\tD013716\n\n",
    );
    let run = |args: &[&str]| fx.run(args);
    let out = run(&["entity", "parkinson"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(
            "tomes: no entity named \"parkinson\"; 2 entities have a name or alias starting \
             with it, most papers first:\n  Parkinson disease · disease · MESH:D010300 (2 papers)\n  \
             catalepsy (aka parkinsonian catalepsy) · disease · MESH:D002375 (1 paper)\n"
        ),
        "{err}"
    );
    let out = run(&["entity", "--json", "parkinson"]);
    let v = stdout_json(&out);
    assert_eq!(v["candidates"][0].get("alias"), None, "found by its name");
    assert_eq!(v["candidates"][1]["alias"], "parkinsonian catalepsy");
    // Several words, from a word of a name on: one entity, shown.
    for name in ["lateral sclerosis", "lateral scler", "amyotrophic lateral"] {
        let out = run(&["entity", name]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).starts_with("Amyotrophic lateral sclerosis · disease"),
            "{name}: {}",
            text(&out.stdout)
        );
    }
    let out = run(&["entity", "lateral"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("2 entities have a name or alias starting with it"));
    // Words that start no word of a name in turn are none's.
    let out = run(&["entity", "sclerosis lateral"]);
    assert!(
        text(&out.stderr).contains("(tried CURIE"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn entity_by_alias_needs_parsers() {
    let config = tempfile::tempdir().unwrap();
    for query in ["PD-L1", "pdl1", "NCBIGene:29126", "cd274"] {
        let out = tomes(config.path())
            .args(["entity", "--json", query, "seeds"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{query}");
        let v = stdout_json(&out);
        // `cd274` may also name an id-less linked protein; the gene must be among the matches.
        let matches = v["matches"].as_array().unwrap();
        let m = matches
            .iter()
            .find(|m| m["key"] == "NCBIGene:29126")
            .unwrap_or_else(|| panic!("{query}: no NCBIGene:29126 in {matches:?}"));
        if query != "cd274" {
            assert_eq!(matches.len(), 1, "{query}");
        }
        assert_eq!(m["name"], "CD274", "{query}");
        assert_eq!(m["papers"][0]["key"], "PMC:PMC13039540");
        assert!(m["co_mentioned"].as_array().unwrap().len() >= 3);
    }
}

#[test]
fn search_seed_needs_parsers() {
    let config = tempfile::tempdir().unwrap();
    for (query, total) in [
        ("pdl1 nasoph", 1),
        ("gene:PD-L1", 1),
        ("disease:MONDO:0015459", 1),
        ("year:2026", 1),
        ("year:..2025", 0),
        ("!'immune", 0),
    ] {
        let out = tomes(config.path())
            .args(["search", "--json", query, "seeds"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{query}");
        assert_eq!(stdout_json(&out)["total"], total, "{query}");
    }
    let out = tomes(config.path())
        .args(["search", "immunotherapy", "seeds"])
        .output()
        .unwrap();
    let lines = text(&out.stdout);
    assert!(
        lines.starts_with("1 of 1 paper matches \"immunotherapy\"\n"),
        "{lines}"
    );
    assert!(lines.contains("1. PMC:PMC13039540  2026  Harnessing the immune"));
}

#[test]
fn corpora_merge_shared_pmids_needs_parsers() {
    let Some(corpora) = corpora() else { return };
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["check", "--json"])
        .arg(&corpora)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    // Distinct PMIDs over every corpus file, counted with grep: shared PMIDs merge.
    assert_eq!(v["papers"], 4529);
    assert_eq!(v["files_read"], 18);
}

#[test]
fn show_places_a_bioc_record_by_its_byte_needs_parsers() {
    let Some(corpora) = corpora() else { return };
    let config = tempfile::tempdir().unwrap();
    // Every document of the file is on line 1: its byte is what finds the record.
    let file = corpora.join("biored/Dev.BioC.XML");
    let xml = std::fs::read_to_string(&file).unwrap();
    let byte = xml.find("<document><id>15096016</id>").unwrap();
    let out = tomes(config.path())
        .args(["show", "15096016"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    let expected = format!("Dev.BioC.XML:1: byte {byte} (BioC XML)");
    assert!(page.contains(&expected), "missing {expected:?} in\n{page}");
}

#[test]
fn corpora_entity_and_related_needs_parsers() {
    let Some(corpora) = corpora() else { return };
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["entity", "--json", "-n", "0", "NCBIGene:7157"])
        .arg(&corpora)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    let tp53 = &v["matches"][0];
    assert_eq!(tp53["key"], "NCBIGene:7157");
    assert_eq!(tp53["kind"], "gene");
    // 47 PMIDs annotate exactly 7157 as a gene; one more does so in a combined id.
    let n = tp53["paper_count"].as_u64().unwrap();
    assert!((47..=48).contains(&n), "TP53 in {n} papers");
    assert_eq!(tp53["papers"].as_array().unwrap().len() as u64, n);
    // As the browser lists them: the paper mentioning TP53 most (14 times) first, not the
    // first loaded.
    assert_eq!(tp53["papers"][0]["key"], "PMID:23640975");

    let first = tp53["papers"][0]["key"].as_str().unwrap().to_owned();
    let out = tomes(config.path())
        .args(["related", "--json", &first])
        .arg(&corpora)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    assert_eq!(v["paper"]["key"], first.as_str());
    let related = v["related"].as_array().unwrap();
    assert_eq!(related.len(), 10);
    assert!(
        related
            .iter()
            .all(|r| !r["shared"].as_array().unwrap().is_empty())
    );
    let scores: Vec<f64> = related
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn paths_that_do_not_exist_fail_before_anything_opens_when_none_exists() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["serch", "PD-L1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("tomes: no such file or folder: serch"),
        "{err}"
    );
    assert!(err.contains("did you mean 'search'?"), "{err}");
    assert!(err.contains("no such file or folder: PD-L1"), "{err}");
    assert!(
        !err.contains("did you mean 'search'?\n  did you mean"),
        "{err}"
    );
    for args in [
        &["check", "/nonexistent"][..],
        &["search", "", "/nonexistent"],
        &["list", "/nonexistent", "/nonexistent-too"],
    ] {
        let out = tomes(config.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("no such file or folder: /nonexistent"),
            "{err}"
        );
        assert!(!err.contains("did you mean"), "{err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // A mistyped command before a real path is still a mistyped command.
    let out = tomes(config.path())
        .args(["serch", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("no such file or folder: serch"), "{err}");
    assert!(err.contains("did you mean 'search'?"), "{err}");
}

/// A user test: `tomes export --query brca` (there is no such option; the query is
/// positional) took `--query` for the query and `brca` for a folder, and advised quoting them
/// together, `tomes export -f bibtex '--query brca'`, or asked for a format alone. The option
/// is named and the advice is the query alone, quoted, with the options and paths given.
#[test]
fn an_option_for_the_query_is_answered_with_the_query_alone() {
    let config = tempfile::tempdir().unwrap();
    let no_format = "and say which format: --format bibtex, ris or csl-json (or -o a file \
                     ending in .bib, .ris or .json)";
    for (args, shown) in [
        (
            &["export", "--query", "brca"][..],
            format!(
                "tomes: export has no option --query: the query is written alone, quoted, \
                 after the options\n  tomes export 'brca'\n  {no_format}\n"
            ),
        ),
        (
            &["export", "-f", "bibtex", "--query", "brca", "seeds"],
            "tomes: export has no option --query: the query is written alone, quoted, after \
             the options\n  tomes export -f bibtex 'brca' seeds\n"
                .to_owned(),
        ),
        (
            &["export", "--query=gene:CD27", "-o", "out.ris", "seeds"],
            "tomes: export has no option --query: the query is written alone, quoted, after \
             the options\n  tomes export -f ris -o out.ris 'gene:CD27' seeds\n"
                .to_owned(),
        ),
        (
            &["search", "--query", "breast", "cancer", "seeds"],
            "tomes: search has no option --query: the query is written alone, quoted, after \
             the options\n  tomes search 'breast cancer' seeds\n"
                .to_owned(),
        ),
    ] {
        let out = tomes(config.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
        assert_eq!(text(&out.stderr), shown, "{args:?}");
    }
    assert!(!repo().join("out.ris").exists(), "nothing written");
    // The advice runs.
    let out = tomes(config.path())
        .args(["export", "-f", "bibtex", "brca", "seeds"])
        .output()
        .unwrap();
    assert!(
        !text(&out.stderr).contains("no option"),
        "{}",
        text(&out.stderr)
    );
}

/// A user test: `tomes search breast cancer CORPORA` said there was no folder `cancer`,
/// searched "breast" alone and exited 0; without paths it failed with no word on quoting.
/// A word after the query that names nothing and does not look like a path is a word of
/// the query cut off by the shell: the command stops before loading, exit 1, and gives the
/// quoted command (its options kept). A missing path that looks like one still loads the
/// rest (see the next test), as does an empty QUERY's missing folder.
#[test]
fn query_words_left_unquoted_are_refused_with_the_quoted_command() {
    let config = tempfile::tempdir().unwrap();
    for (args, shown) in [
        (
            &["search", "breast", "cancer", "seeds"][..],
            "tomes: no such file or folder: cancer\n  to search for several words, quote \
             them: tomes search 'breast cancer' seeds\n",
        ),
        (
            &["search", "breast", "cancer"],
            "tomes: no such file or folder: cancer\n  to search for several words, quote \
             them: tomes search 'breast cancer'\n",
        ),
        (
            &[
                "search",
                "-n",
                "5",
                "--json",
                "gene:CD27",
                "year:2020..",
                "!review",
                "seeds",
            ],
            "tomes: no such file or folder: year:2020..\ntomes: no such file or folder: \
             !review\n  to search for several words, quote them: tomes search -n 5 --json \
             'gene:CD27 year:2020.. !review' seeds\n",
        ),
        (
            &["entity", "tumor", "necrosis", "seeds", "/nonexistent"],
            "tomes: no such file or folder: necrosis\n  to look up a name of several words, \
             quote it: tomes entity 'tumor necrosis' seeds /nonexistent\n",
        ),
        (
            &["export", "-f", "ris", "breast", "cancer", "seeds"],
            "tomes: no such file or folder: cancer\n  to export what several words find, \
             quote them: tomes export -f ris 'breast cancer' seeds\n",
        ),
    ] {
        let out = tomes(config.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
        assert_eq!(text(&out.stderr), shown, "{args:?}");
    }
    // Not query words: a missing path that looks like one, a word after a folder, the
    // missing folder of an empty query. Each is named and the rest loads.
    for args in [
        &["search", "CD27", "./cancer", "seeds"][..],
        &["search", "CD27", "seeds", "cancer"],
        &["search", "CD27", "papers.md", "seeds"],
        &["export", "-f", "ris", "", "papres", "seeds"],
    ] {
        let out = tomes(config.path()).args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let err = text(&out.stderr);
        assert!(err.contains("; loading the rest"), "{args:?}: {err}");
        assert!(!err.contains("quote"), "{args:?}: {err}");
    }
}

/// A user test: `tomes entity gene:BRCA1` found nothing, though `gene:` is how the query
/// language names a kind. A kind field first keeps to entities of that kind (`gene:` takes
/// proteins too, as in a search; `entity:` any kind); a CURIE is still a CURIE.
#[test]
fn entity_takes_the_query_languages_kind_fields() {
    let fx = Fixture::new();
    // One name, two kinds: BRCA1 the gene and (in this made-up file) a disease called so.
    fx.write(
        "a.pubtator",
        "1|t|BRCA1 in tumours\n1|a|About BRCA1.\n\
         1\t0\t5\tBRCA1\tGene\t672\n\n\
         2|t|BRCA1 syndrome\n2|a|The BRCA1 syndrome.\n\
         2\t0\t5\tBRCA1\tDisease\tMESH:D000001\n\n",
    );
    let keys = |query: &str| -> Vec<String> {
        let out = fx.run(["entity", "--json", query]);
        assert_eq!(out.status.code(), Some(0), "{query}: {}", text(&out.stderr));
        let v = stdout_json(&out);
        assert_eq!(v["query"], query);
        v["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["key"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(keys("gene:BRCA1"), ["NCBIGene:672"]);
    assert_eq!(keys("Gene:brca1"), ["NCBIGene:672"]);
    assert_eq!(keys("gene:NCBIGene:672"), ["NCBIGene:672"]);
    assert_eq!(keys("disease:\"BRCA1\""), ["MESH:D000001"]);
    let mut every = keys("entity:BRCA1");
    every.sort();
    assert_eq!(every, ["MESH:D000001", "NCBIGene:672"]);
    assert_eq!(keys("MESH:D000001"), ["MESH:D000001"]);
    // Human output too.
    let out = fx.run(["entity", "gene:BRCA1"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("BRCA1 · gene · NCBIGene:672\n"));
    // None of that kind: said so, with the kinds the name does have.
    let out = fx.run(["entity", "chemical:BRCA1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("no chemical named \"BRCA1\""), "{err}");
    assert!(
        err.contains("of other kinds (disease, gene): tomes entity BRCA1"),
        "{err}"
    );
    let out = fx.run(["entity", "gene:"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "tomes: gene: needs a name, alias or id, like gene:TP53\n"
    );
}

/// A user test: `tomes bench` run from another folder looked for `../shared/corpora` from
/// there only, and said it was missing. Without SOURCES it finds the corpora beside the
/// source tomes was built from too (`default_bench_sources` says where it looked when they
/// are in neither place).
#[test]
fn bench_finds_the_shared_corpora_from_another_folder() {
    let corpora = repo().join("../shared/corpora");
    if !corpora.is_dir() {
        eprintln!("skipped: ../shared/corpora is absent");
        return;
    }
    let config = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    // Two levels down, so that `../shared/corpora` is not the machine's /tmp/shared.
    let here = root.path().join("a/b");
    std::fs::create_dir_all(&here).unwrap();
    let out = tomes(config.path())
        .current_dir(&here)
        .env("TOMES_BENCH_FZF", "0")
        .args(["bench", "--sizes", "0"])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("tomes: bench: the corpora as they are: 4,"),
        "{err}"
    );
}

/// A user test: `tomes bench` run where `../shared/corpora` is not said `no PubTator records
/// under ../shared/corpora` after a first step that printed nothing. A missing folder is
/// named as missing, a folder with nothing to load or nothing
/// to replicate is refused before any step runs, and each step says how it went.
#[test]
fn bench_says_what_is_wrong_with_its_sources_before_it_runs() {
    let config = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    // Two levels down, so that `../shared/corpora` is not the machine's /tmp/shared.
    let here = root.path().join("a/b");
    std::fs::create_dir_all(&here).unwrap();
    let empty = root.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let one = root.path().join("one");
    std::fs::create_dir(&one).unwrap();
    std::fs::write(
        one.join("x.pubtator"),
        "1|t|A title\n1|a|An abstract.\n1\t2\t7\ttitle\tGene\t1\n\n",
    )
    .unwrap();
    let bench = |args: &[&std::ffi::OsStr]| {
        tomes(config.path())
            .current_dir(&here)
            .env("TOMES_BENCH_FZF", "0")
            .arg("bench")
            .args(args)
            .output()
            .unwrap()
    };
    let missing = root.path().join("missing");
    let out = bench(&[missing.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(
        err,
        format!("tomes: no such file or folder: {}\n", missing.display())
    );
    let out = bench(&[empty.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("no papers to load under"), "{err}");
    assert!(!err.contains("loading and typing"), "{err}");
    // Papers, but none in PubTator to replicate.
    let seeds = repo().join("seeds");
    let out = bench(&[seeds.as_os_str(), "--sizes".as_ref(), "20".as_ref()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("no PubTator file under"), "{err}");
    assert!(!err.contains("loading and typing"), "{err}");
    // The files as they are only: measured, and said so as the step ends.
    let out = bench(&[one.as_os_str(), "--sizes".as_ref(), "0".as_ref()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("tomes: bench: the corpora as they are: 1 paper, loaded in "),
        "{err}"
    );
    assert!(
        text(&out.stdout).starts_with("corpora ("),
        "{}",
        text(&out.stdout)
    );
}

/// One missing path among others is a problem named on stderr (and, for `check`, among its
/// problems); the other paths load and every command answers.
#[test]
fn a_missing_path_beside_others_is_named_and_the_rest_loads() {
    let config = tempfile::tempdir().unwrap();
    let missing = "/nonexistent/path";
    for args in [
        &["check", "seeds", missing][..],
        &["list", "seeds", missing],
        &["list", missing, "seeds"],
        &["show", "PMC13039540", "seeds", missing],
        &["search", "CD27", "seeds", missing],
        &["entity", "CD27", "seeds", missing],
        &["related", "PMC13039540", "seeds", missing],
        &["export", "-f", "ris", "", "seeds", missing],
    ] {
        let out = tomes(config.path()).args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let err = text(&out.stderr);
        assert!(
            err.contains("tomes: no such file or folder: /nonexistent/path; loading the rest"),
            "{args:?}: {err}"
        );
        assert_eq!(
            err.matches("/nonexistent/path").count(),
            1,
            "{args:?}: {err}"
        );
        let stdout = text(&out.stdout);
        assert!(!stdout.is_empty(), "{args:?}");
    }
    let out = tomes(config.path())
        .args(["check", "--json", "seeds", missing])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["path"], missing);
    let out = tomes(config.path())
        .args(["check", "--strict", "seeds", missing])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a missing path is a problem");
    assert!(
        text(&out.stdout).contains("/nonexistent/path: no such file or folder"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn check_reports_config_problems_with_the_config_path() {
    let config = tempfile::tempdir().unwrap();
    let file = config.path().join("config.toml");
    std::fs::write(&file, "foo = \"x\"\n").unwrap();
    let out = tomes(config.path())
        .args(["check", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("{}:1: foo: unknown key", file.display())),
        "{stdout}"
    );
    // The summary counts them too: it had said `0 problems` above the one it listed.
    assert!(
        stdout
            .lines()
            .next()
            .unwrap()
            .ends_with("; 1 config problem"),
        "{stdout}"
    );
    let out = tomes(config.path())
        .args(["check", "--strict", "--json", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "config problems fail --strict");
    let v = stdout_json(&out);
    let problems = v["config_problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0]["path"], file.display().to_string());
    assert_eq!(problems[0]["key"], "foo");
}

/// A user test: `check --json` gave config problems no line, where data problems have one.
/// Each has the line of its key (in a table too), a syntax error the line it is on.
#[test]
fn check_json_gives_config_problems_their_lines() {
    let config = tempfile::tempdir().unwrap();
    let file = config.path().join("config.toml");
    let check = |text: &str| {
        std::fs::write(&file, text).unwrap();
        let out = tomes(config.path())
            .args(["check", "--json", "seeds"])
            .output()
            .unwrap();
        let v = stdout_json(&out);
        v["config_problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["key"].as_str().unwrap().to_owned(), p["line"].clone()))
            .collect::<Vec<_>>()
    };
    let lines = check(
        "theme = \"dark\"\nmoose = true\n\n[layout]\nmode = \"tall\"\n\n[keys]\n\
         teleport = \"t\"\nbookmarks = \"b\"\n",
    );
    for (key, line) in [
        ("moose", 2),
        ("layout.mode", 5),
        ("keys.teleport", 8),
        ("keys.bookmarks", 9),
    ] {
        assert!(
            lines.contains(&(key.to_owned(), serde_json::json!(line))),
            "{key} at line {line}: {lines:?}"
        );
    }
    assert_eq!(
        check("theme = \"dark\"\n\nmouse = yes\n"),
        [("config.toml".to_owned(), serde_json::json!(3))]
    );
}

/// Key binding problems the browser reports at start are listed by check too, each at its
/// line: a key a binding takes from a default action, leaving it none, says which (a user
/// test bound `b` to search, and bookmarking was left with no key unsaid).
#[test]
fn check_reports_key_binding_problems() {
    let config = tempfile::tempdir().unwrap();
    let file = config.path().join("config.toml");
    std::fs::write(
        &file,
        "[keys]\nbookmarks = \"b\"\nteleport = \"t\"\nopen = [\"o\", \"j\", \"k\"]\n",
    )
    .unwrap();
    let out = tomes(config.path())
        .args(["check", "seeds"])
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    for expected in [
        format!("{}:3: keys.teleport: unknown action", file.display()),
        format!(
            "{}:2: keys.bookmarks: takes \"b\" from toggle_bookmark, which has no key left; \
             give it one in [keys]",
            file.display()
        ),
    ] {
        assert!(stdout.contains(&expected), "{expected}\n{stdout}");
    }
    // `j` and `k` taken from move_down and move_up, which keep the arrows: the user's choice.
    assert!(!stdout.contains("keys.open"), "{stdout}");
}

#[test]
fn show_header_does_not_repeat_the_key_id() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["show", "PMC:PMC13039540", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("PMC:PMC13039540 · DOI "), "{stdout}");
    assert!(!stdout.contains("· PMC13039540 ·"), "{stdout}");
}

/// A year term on papers without years says why they are left out.
#[test]
fn search_by_year_says_how_many_papers_have_no_year() {
    let fx = Fixture::with("a.pubtator", "7|t|Tumour suppressors.\n7|a|Text.\n");
    let out = fx.run(["search", "tumour year:2019.."]);
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("0 of 1 paper matches"), "{stdout}");
    assert!(
        stdout.contains("(the 1 paper has no year, which year: leaves out)"),
        "{stdout}"
    );
}

/// A bare year (`tomes search 1999`) matches a paper's year as well as its words; finding
/// nothing in PubTator and BioC records, which carry no dates, it says so (it was a bare
/// `0 of 4,529 papers match "1999"`). A year some paper has, or a word, says nothing more.
#[test]
fn a_bare_year_that_finds_nothing_says_the_papers_have_no_year() {
    let fx = Fixture::with(
        "a.pubtator",
        "7|t|Tumour suppressors.\n7|a|Text.\n\n8|t|The 2019 outbreak.\n8|a|Text.\n",
    );
    let out = fx.run(["search", "1999"]);
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout,
        "0 of 2 papers match \"1999\"\n(the 2 papers have no year for 1999 to match)\n"
    );
    let v = stdout_json(&fx.run(["search", "--json", "1999"]));
    assert_eq!(
        v["papers_lacking"],
        serde_json::json!([{"field": "year", "papers": 2, "library_papers": 2}])
    );
    for found in ["2019", "tumour"] {
        let stdout = text(&fx.run(["search", found]).stdout);
        assert!(!stdout.contains("no year"), "{found}: {stdout}");
    }
    let stdout = text(&fx.run(["search", "melanoma"]).stdout);
    assert!(!stdout.contains("no year"), "{stdout}");
}

/// A link whose target is missing says so, naming the target, whether it is named on the
/// command line or found in a folder (it was `cannot open: No such file or directory` when
/// named, and one of the `entries that are not a file` when found); both are skipped files.
#[cfg(unix)]
#[test]
fn a_link_to_a_missing_file_names_its_target_however_it_was_found() {
    let fx = Fixture::new();
    let folder = fx.dir.path().join("papers");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("one.pubtator"),
        "1|t|A title.\n1|a|An abstract.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("../moved.pubtator", folder.join("inner.pubtator")).unwrap();
    let given = fx.dir.path().join("given.pubtator");
    let target = fx.dir.path().join("gone.pubtator");
    std::os::unix::fs::symlink(&target, &given).unwrap();

    let out = fx
        .tomes()
        .arg("check")
        .arg(&given)
        .arg(&folder)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("1 paper, 0 entities, 2 problems from 1 file read")
            && stdout.contains("; 2 files skipped\n"),
        "{stdout}"
    );
    for line in [
        format!(
            "{}: a link to {}, which does not exist; skipped\n",
            given.display(),
            target.display()
        ),
        format!(
            "{}: a link to ../moved.pubtator, which does not exist; skipped\n",
            folder.join("inner.pubtator").display()
        ),
    ] {
        assert!(stdout.contains(&line), "{line:?} in:\n{stdout}");
    }
    assert!(!stdout.contains("cannot open"), "{stdout}");

    let out = fx
        .tomes()
        .args(["check", "--json"])
        .arg(&given)
        .arg(&folder)
        .output()
        .unwrap();
    let v = stdout_json(&out);
    let given_shown = given.display().to_string();
    let inner_shown = folder.join("inner.pubtator").display().to_string();
    assert_eq!(
        skipped_sorted(&v),
        [given_shown.as_str(), inner_shown.as_str()]
    );
    for p in v["problems"].as_array().unwrap() {
        assert_eq!(p["skipped"], "not_a_file", "{p}");
        assert!(
            p["message"]
                .as_str()
                .unwrap()
                .ends_with(", which does not exist; skipped"),
            "{p}"
        );
    }
}

/// `tomes show` names and groups a paper's entities as the browser's entity rows do
/// ([`tomes::ui::entity_row_name`], the library's kind). On the corpora: BRCA1's only mention
/// in PMID 11781689 is "BRCA1/2", also an alias of BRCA2 there; PMID 21976953 mentions human
/// most as "patients"; PMID 24731097 annotates Bmp's gene id as a family, which other papers
/// call a gene.
#[test]
fn show_names_entities_as_the_browser_rows_do_needs_parsers() {
    let Some(corpora) = corpora() else { return };
    let config = tempfile::tempdir().unwrap();
    // With the seeds, as the user test ran it: a seed summary names human "Homo sapiens"
    // (in the corpora alone the library's name is their commonest mention, "patients").
    let paths = [repo().join("seeds"), corpora];
    let (library, _) = tomes::library::load(&paths);
    let index = library.index();
    for pmid in ["PMID:11781689", "PMID:21976953", "PMID:24731097"] {
        let out = tomes(config.path())
            .args(["show", pmid])
            .args(&paths)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{pmid}");
        let shown = text(&out.stdout);
        let entities = &shown[shown.find("\nEntities (").expect("entities") + 1..];
        let paper = library.paper(library.find(pmid).expect("loaded"));
        for e in &paper.entities {
            let info = index.entity(index.by_key(&e.key).expect("indexed"));
            let name = tomes::ui::entity_row_name(paper, info);
            // The id once when the entity goes by it.
            let row = match tomes::ui::id_beside(name, &e.key) {
                Some(id) => format!("\n    {name} {id}"),
                None => format!("\n    {name} "),
            };
            let at = entities
                .find(&row)
                .unwrap_or_else(|| panic!("{pmid}: no row {row:?} in\n{entities}"));
            // Under the heading of the library's kind: the last heading before the row.
            let heading = entities[..at]
                .lines()
                .rfind(|l| l.starts_with("  ") && !l.starts_with("   "))
                .unwrap_or("");
            assert!(
                heading.starts_with(&format!("  {} (", info.kind.plural_label())),
                "{pmid}: {row:?} under {heading:?}"
            );
        }
        match pmid {
            "PMID:11781689" => {
                assert!(entities.contains("\n    BRCA1 NCBIGene:672"), "{entities}");
                assert!(!entities.contains("\n    BRCA1/2 "), "{entities}");
            }
            "PMID:21976953" => {
                assert!(!entities.contains("\n    Patients "), "{entities}");
                assert!(entities.contains("aka Patients"), "{entities}");
            }
            _ => {
                assert!(entities.contains("  Genes (6)"), "{entities}");
                assert!(!entities.contains("  Other ("), "{entities}");
            }
        }
    }
}

/// Commands that only read bookmarks make nothing in the config folder: no folder, no lock
/// file (a search used to create both), and `export --bookmarks` says there are none.
#[test]
fn reading_commands_leave_the_config_folder_alone() {
    let root = tempfile::tempdir().unwrap();
    let config = root.path().join("config");
    for args in [
        &["search", "is:bookmarked", "seeds"][..],
        &["search", "cd27", "seeds"][..],
        &["export", "-f", "ris", "--bookmarks", "seeds"][..],
    ] {
        let out = tomes(&config).args(args).output().unwrap();
        assert!(!config.exists(), "{args:?} made {}", config.display());
        if args[0] == "export" {
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert!(text(&out.stderr).contains("no bookmarks"), "{args:?}");
        }
    }
}

/// What a related paper shares is named as the paper the list is about names it: the seed
/// calls MESH:D004194 "disease", which the library (from other abstracts) named
/// "Pseudoacromegaly", and every related row said so.
#[test]
fn related_papers_share_entities_under_the_subject_papers_names() {
    let fx = Fixture::new();
    let mut corpus =
        String::from("1|t|A disease.\n1|a|Text.\n1\t2\t9\tdisease\tDisease\tMESH:D004194\n\n");
    for pmid in [2, 3] {
        corpus.push_str(&format!(
            "{pmid}|t|Oddword here.\n{pmid}|a|Text.\n{pmid}\t0\t7\tOddword\tDisease\tMESH:D004194\n\n"
        ));
    }
    fx.write("p.pubtator", corpus);
    let entity = fx.run(["entity", "MESH:D004194"]);
    assert!(
        text(&entity.stdout).starts_with("Oddword"),
        "{}",
        text(&entity.stdout)
    );
    let out = fx.run(["related", "PMID:1"]);
    let listed = text(&out.stdout);
    assert_eq!(listed.matches("shares disease").count(), 2, "{listed}");
    assert!(
        !listed.contains("Oddword;") && !listed.contains("shares Oddword"),
        "{listed}"
    );
}

/// Counts over a thousand are written with separators, as `tomes check` writes them.
#[test]
fn search_counts_are_written_with_thousands_separators() {
    let corpora = repo().join("../shared/corpora");
    if !corpora.is_dir() {
        eprintln!("skipping: ../shared/corpora not found");
        return;
    }
    let config = tempfile::tempdir().unwrap();
    // Between 1,000 and 1,999 hits (`mice`, of four letters, matches anchored, and `genes`,
    // of five, within the span or anchored: each finds fewer than a thousand).
    let out = tomes(config.path())
        .args(["search", "gene"])
        .arg(&corpora)
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("1,"), "{stdout}");
    assert!(stdout.contains(" of 4,529 papers match"), "{stdout}");
}

/// A folder whose papers have long keys: a DOI-only summary, and a PubTator record with no
/// PMID in a file of a long name (keyed `file:<file>#<id>`).
fn long_keys_folder() -> Fixture {
    let fx = Fixture::with(
        "doi-only.md",
        "# A paper known by its DOI alone\n\n**Authors:** Ann Author\n\n\
         DOI: 10.1234/an-unusually-long-doi-suffix.2026.000123 · Some Journal · 2026-01-01\n\n\
         ## TL;DR\n\nShort.\n",
    );
    fx.write(
        "weird.PubTator.with.a.long.name.txt",
        "abc-123|t|A weird paper with a non-numeric id\n\
         abc-123|a|Some abstract text about TP53.\n\
         abc-123\t61\t65\tTP53\tGene\t7157\n\n",
    );
    fx
}

/// Every key `tomes list` and `tomes search` print is whole: pasted into `tomes show`, it
/// finds its paper.
#[test]
fn printed_keys_round_trip_through_show() {
    let fx = long_keys_folder();
    let key_of = |row: &str| -> String {
        // `1. KEY  2026  Title` (search) or `KEY  2026  Title` (list).
        let row = row.trim_start();
        let row = match row.split_once(". ") {
            Some((rank, rest)) if rank.bytes().all(|b| b.is_ascii_digit()) => rest,
            _ => row,
        };
        row.split("  ").next().unwrap().trim().to_owned()
    };
    let list = fx
        .tomes()
        .arg("list")
        .arg(fx.dir.path())
        .arg("seeds")
        .output()
        .unwrap();
    assert_eq!(list.status.code(), Some(0));
    let list_keys: Vec<String> = text(&list.stdout).lines().map(key_of).collect();
    let search = fx
        .tomes()
        .args(["search", ""])
        .arg(fx.dir.path())
        .arg("seeds")
        .output()
        .unwrap();
    assert_eq!(search.status.code(), Some(0));
    let search_keys: Vec<String> = text(&search.stdout).lines().skip(1).map(key_of).collect();
    assert_eq!(list_keys.len(), 3, "{}", text(&list.stdout));
    let mut sorted_list = list_keys.clone();
    let mut sorted_search = search_keys.clone();
    sorted_list.sort();
    sorted_search.sort();
    assert_eq!(sorted_list, sorted_search);
    assert!(
        list_keys.contains(&"DOI:10.1234/an-unusually-long-doi-suffix.2026.000123".to_owned()),
        "{list_keys:?}"
    );
    assert!(
        list_keys
            .iter()
            .any(|k| k.starts_with("file:") && k.ends_with("#abc-123")),
        "{list_keys:?}"
    );
    for key in &list_keys {
        assert!(!key.contains('…'), "{key}");
        let show = fx
            .tomes()
            .args(["show", key])
            .arg(fx.dir.path())
            .arg("seeds")
            .output()
            .unwrap();
        assert_eq!(show.status.code(), Some(0), "{key}: {}", text(&show.stderr));
        assert!(text(&show.stdout).contains(key.as_str()), "{key}");
    }
}

/// A folder of `n` PubTator papers (`PMID:1`...), each mentioning TP53 twice and a species
/// by a long name once, with the offsets right (no load problems).
fn many_papers_folder(n: usize) -> Fixture {
    use std::fmt::Write as _;
    let species = "human gammaherpesvirus 4 of the Epstein Barr virus strain";
    let mut text = String::new();
    for i in 1..=n {
        let title = format!("Paper {i} about TP53");
        let abstract_ = format!("TP53 in {species}.");
        let a = title.len() + 1;
        let s = a + "TP53 in ".len();
        let _ = write!(
            text,
            "{i}|t|{title}\n{i}|a|{abstract_}\n\
             {i}\t{}\t{}\tTP53\tGene\t7157\n\
             {i}\t{a}\t{}\tTP53\tGene\t7157\n\
             {i}\t{s}\t{}\t{species}\tSpecies\t10376\n\n",
            title.len() - 4,
            title.len(),
            a + 4,
            s + species.len(),
        );
    }
    Fixture::with("many.pubtator", text)
}

/// Counts are written as the browser writes them (`1,200`), `tomes show` lists the links
/// the ids lead to, and a wrapped entity row keeps its counts together.
#[test]
fn show_entity_and_search_write_counts_with_thousands_separators_and_links() {
    let fx = many_papers_folder(1200);
    let run = |args: &[&str]| {
        let out = fx.run(args);
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    };
    let (code, stdout, stderr) = run(&["entity", "TP53", "-n", "1"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.is_empty(), "no load problems: {stderr}");
    assert!(
        stdout.contains("  2,400 mentions in 1,200 papers\n"),
        "{stdout}"
    );
    assert!(stdout.contains("    … and 1,199 more\n"), "{stdout}");
    assert!(stdout.contains(") in 1,200 papers"), "{stdout}");

    let (_, stdout, _) = run(&["search", "year:2000..", "-n", "1"]);
    assert!(
        stdout.starts_with(
            "0 of 1,200 papers match \"year:2000..\"\n\
             (the 1,200 papers have no year, which year: leaves out)\n"
        ),
        "{stdout}"
    );
    let (_, stdout, _) = run(&["search", "tp53", "-n", "1"]);
    assert!(
        stdout.starts_with("1,200 of 1,200 papers match \"tp53\" (best 1; -n 0 for all)\n"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&["show", "PMID:99999"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("in the library (1,200 papers)"), "{stderr}");

    let (code, stdout, stderr) = run(&["show", "PMID:7"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("    TP53 NCBIGene:7157 ×2, in 1,199 other papers\n"),
        "{stdout}"
    );
    // The species row is too long for a line: it wraps between words, not inside its
    // counts, and goes on indented under itself.
    assert!(
        stdout.contains("NCBITaxon:10376\n      ×1, in 1,199 other papers\n"),
        "{stdout}"
    );
    assert!(stdout.lines().all(|l| l.chars().count() <= 80), "{stdout}");
    assert!(
        stdout.contains("\nLinks\n  PubMed: https://pubmed.ncbi.nlm.nih.gov/7/\n"),
        "{stdout}"
    );
}

/// The seed paper's Links: its PMC and DOI pages first (as the browser lists them), then
/// the summary's own links.
#[test]
fn show_lists_the_links_the_ids_lead_to_needs_parsers() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["show", "PMC13039540", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "\nLinks\n  PMC: https://pmc.ncbi.nlm.nih.gov/articles/PMC13039540/\n  \
             DOI: https://doi.org/10.1038/s41420-026-02999-y\n  \
             Full text: https://tomesphere.com/paper/PMC13039540/full.md\n"
        ),
        "{stdout}"
    );
}

/// A folder of hostile records: a title that retitles the terminal (`ESC ] 0 ; … BEL`), an
/// abstract that clears it (`ESC [ 2 J`) and holds a C1 CSI (U+009B) and a carriage return,
/// an entity named with an ESC in two papers, and a bad line quoted by `check`, in a file
/// whose name holds an ESC too.
fn hostile_folder() -> Fixture {
    let fx = Fixture::new();
    let title = "Title \u{1b}]0;PWNED-TITLE\u{7} of BRAF";
    let abstract_ = "Abstract \u{1b}[2J cleared \u{9b}31m red\rover BRAF";
    let gene = "BR\u{1b}[5mAF";
    let t = title.chars().count();
    let a = t + 1 + abstract_.chars().count();
    let text = format!(
        "777|t|{title}\n777|a|{abstract_}\n\
         777\t{}\t{t}\t{gene}\tGene\t673\n\
         777\t{}\t{a}\t{gene}\tGene\t673\n\n\
         778|t|Another BRAF paper\n778|a|BRAF again.\n\
         778\t8\t12\tBRAF\tGene\t673\n\n",
        t - 4,
        a - 4,
    );
    fx.write("x.pubtator", text);
    fx.write(
        "bad\u{1b}[2J.pubtator",
        "888|t|Ok title\n888|a|abs\n\u{1b}]0;CHECK-PWNED\u{7}garbage\n",
    );
    fx
}

/// The bytes a terminal would obey: C0 controls but the line break and the tab, DEL, and
/// the C1 controls (U+0080 to U+009F). `crlf` allows a carriage return before a line break
/// (RIS lines end so).
fn terminal_controls(bytes: &[u8], crlf: bool) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            let allowed =
                c == '\n' || c == '\t' || (crlf && c == '\r' && chars.get(i + 1) == Some(&'\n'));
            c.is_control() && !allowed
        })
        .map(|(i, c)| format!("{c:?} at {i}"))
        .collect()
}

/// A user test: `tomes show 777 DIR` cleared the screen and set the terminal's title, and
/// `list`, `search` and `check` printed the same bytes. Every command now shows them as
/// `less` does (`^[`, `^G`, `<U+009B>`), on stdout and stderr alike; JSON escapes them and
/// reads back the data unchanged; exports leave them out.
#[test]
fn control_characters_from_files_are_shown_never_sent() {
    let fx = hostile_folder();
    let human: [&[&str]; 8] = [
        &["show", "777"],
        &["list"],
        &["search", "braf"],
        &["search", "radiomics"],
        &["check"],
        &["entity", "NCBIGene:673"],
        &["related", "777"],
        &["related", "778"],
    ];
    let mut seen = String::new();
    for args in human {
        let out = fx.run(args);
        for (name, stream) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let found = terminal_controls(stream, false);
            assert!(
                found.is_empty(),
                "{args:?} {name}: {found:?}\n{}",
                text(stream)
            );
        }
        seen.push_str(&text(&out.stdout));
        seen.push_str(&text(&out.stderr));
    }
    for shown in [
        "Title ^[]0;PWNED-TITLE^G of BRAF",
        "^[[2J cleared <U+009B>31m",
        "not a PubTator line: \"^[]0;CHECK-PWNED^Ggarbage\"",
        "bad^[[2J.pubtator",
        "BR^[[5mAF",
    ] {
        assert!(seen.contains(shown), "{shown:?} not in:\n{seen}");
    }
    // JSON: escaped by serde (C0) or by tomes (C1), the data unchanged when read back.
    for args in [
        &["show", "--json", "777"][..],
        &["list", "--json"],
        &["search", "--json", "braf"],
        &["check", "--json"],
        &["entity", "--json", "NCBIGene:673"],
        &["related", "--json", "778"],
    ] {
        let out = fx.run(args);
        let found = terminal_controls(&out.stdout, false);
        assert!(found.is_empty(), "{args:?}: {found:?}");
        let v = stdout_json(&out);
        if args[0] == "show" {
            assert!(
                v["paper"]["abstract"]
                    .as_str()
                    .is_some_and(|a| a.contains("\u{1b}[2J cleared \u{9b}31m")),
                "{v}"
            );
        }
    }
    // Exports: without the controls, the words around them kept.
    for format in ["bibtex", "ris", "csl-json"] {
        let out = fx.run(["export", "-f", format, "pwned"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let found = terminal_controls(&out.stdout, format == "ris");
        assert!(
            found.is_empty(),
            "{format}: {found:?}\n{}",
            text(&out.stdout)
        );
        let exported = text(&out.stdout);
        assert!(exported.contains("0;PWNED-TITLE"), "{format}: {exported}");
        assert!(exported.contains("31m red"), "{format}: {exported}");
        assert!(!exported.contains("^["), "{format}: {exported}");
        assert!(!exported.contains("\\u001b"), "{format}: {exported}");
    }
}

/// A user test: `tomes list` printed a title's U+202E (right-to-left override) as it was,
/// and a terminal that lays out bidirectional text reversed the rest of the line. Every
/// command shows the bidirectional controls by code, as the C1 controls (`<U+202E>`);
/// JSON escapes them and reads back the data unchanged; exports leave them out, as they do
/// the other controls.
#[test]
fn bidirectional_controls_from_files_are_shown_by_code() {
    let fx = Fixture::new();
    let title = "Dose \u{202e}gm 01\u{202c} and \u{2067}isolate\u{2069} of BRAF \u{200f}10 20";
    let t = title.chars().count();
    fx.write(
        "rlo\u{202e}.pubtator",
        format!(
            "777|t|{title}\n777|a|About BRAF.\n777\t{}\t{}\tBRAF\tGene\t673\n\n",
            t + 7,
            t + 11
        ),
    );
    fx.write(
        "bad\u{202e}.pubtator",
        "888|t|Ok title\n888|a|abs\ngarbage \u{202e}line\n",
    );
    let bidi = |c: char| {
        let code = u32::from(c);
        (0x202a..=0x202e).contains(&code)
            || (0x2066..=0x2069).contains(&code)
            || [0x200e, 0x200f, 0x61c].contains(&code)
    };
    for args in [
        &["list"][..],
        &["show", "777"],
        &["search", "dose"],
        &["entity", "BRAF"],
        &["check"],
        &["list", "--json"],
        &["show", "--json", "777"],
        &["search", "--json", "dose"],
        &["check", "--json"],
    ] {
        let out = fx.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        for (name, stream) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let shown = text(stream);
            assert!(!shown.contains(bidi), "{args:?} {name}: {shown:?}");
        }
        if args.contains(&"--json") {
            let v = stdout_json(&out);
            let json = v.to_string();
            match args[0] {
                "list" => assert!(
                    v["papers"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|p| p["title"] == title),
                    "{json}"
                ),
                "show" => assert_eq!(v["paper"]["title"], title),
                "search" => assert_eq!(v["hits"][0]["title"], title),
                _ => assert!(json.contains("bad\u{202e}.pubtator"), "{json}"),
            }
        } else if args[0] == "check" {
            let shown = text(&out.stdout);
            assert!(shown.contains("bad<U+202E>.pubtator"), "{shown}");
            assert!(shown.contains("garbage <U+202E>line"), "{shown}");
        } else {
            let shown = text(&out.stdout);
            assert!(
                shown.contains(
                    "Dose <U+202E>gm 01<U+202C> and <U+2067>isolate<U+2069> of BRAF <U+200F>10 20"
                ),
                "{args:?}: {shown}"
            );
        }
    }
    for format in ["bibtex", "ris", "csl-json"] {
        let out = fx.run(["export", "-f", format, "dose"]);
        let exported = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(!exported.contains(bidi), "{format}: {exported:?}");
        assert!(!exported.contains("U+202"), "{format}: {exported}");
        assert!(
            exported.contains("gm 01 and isolate of"),
            "{format}: {exported}"
        );
    }
}

/// `0 of 1 paper match "radiomics"` read wrong: the verb agrees with its count.
#[test]
fn search_counts_agree_with_their_verbs() {
    let fx = Fixture::new();
    let file = fx.dir.path().join("a.pubtator");
    std::fs::write(&file, "7|t|Tumour suppressors.\n7|a|Text.\n").unwrap();
    let first_line = |query: &str| {
        let out = fx.run(["search", query]);
        text(&out.stdout)
    };
    assert!(
        first_line("radiomics").starts_with("0 of 1 paper matches \"radiomics\"\n"),
        "{}",
        first_line("radiomics")
    );
    assert!(first_line("tumour").starts_with("1 of 1 paper matches \"tumour\"\n"));
    std::fs::write(
        &file,
        "7|t|Tumour suppressors.\n7|a|Text.\n\n8|t|Tumour oncogenes.\n8|a|Text.\n",
    )
    .unwrap();
    assert!(first_line("radiomics").starts_with("0 of 2 papers match \"radiomics\"\n"));
    assert!(first_line("suppressors").starts_with("1 of 2 papers matches \"suppressors\"\n"));
    assert!(first_line("tumour").starts_with("2 of 2 papers match \"tumour\"\n"));
    let year = first_line("tumour year:2019..");
    assert!(
        year.contains("\n(the 2 papers have no year, which year: leaves out)\n"),
        "{year}"
    );
    let author = first_line("author:smith");
    assert!(
        author.contains("\n(the 2 papers have no authors, which author: leaves out)\n"),
        "{author}"
    );
    let journal = first_line("journal:lancet");
    assert!(
        journal.contains("\n(the 2 papers have no journal, which journal: leaves out)\n"),
        "{journal}"
    );
}

/// A user test: `tomes search author:zzzz` noted in text that 4,529 of the 4,530 papers have
/// no authors, and `--json` said nothing of it.
#[test]
fn search_json_says_how_many_papers_lack_a_queried_field() {
    let fx = Fixture::with("a.pubtator", "7|t|Tumour suppressors.\n7|a|Text.\n");
    let lacking = |query: &str| {
        let out = fx.run(["search", "--json", query, "seeds"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        stdout_json(&out).get("papers_lacking").cloned()
    };
    for (query, field) in [
        ("author:zzzz", "author"),
        ("tumour year:2019..", "year"),
        ("journal:lancet", "journal"),
    ] {
        assert_eq!(
            lacking(query),
            Some(serde_json::json!([
                {"field": field, "papers": 1, "library_papers": 2}
            ])),
            "{query}"
        );
    }
    assert_eq!(
        lacking("author:zhu year:2026").and_then(|v| v.as_array().map(Vec::len)),
        Some(2)
    );
    assert_eq!(lacking("tumour"), None, "no field asked");
}

/// `tomes: no such file or folder: serch` / `did you mean 'search'?` / `no such file or
/// folder: x`: the third line lacked the `tomes: ` of the first.
#[test]
fn every_error_line_starts_with_tomes_or_continues_one() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["serch", "x", "y"])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(
        err,
        "tomes: no such file or folder: serch\n  did you mean 'search'?\n\
         tomes: no such file or folder: x\ntomes: no such file or folder: y\n"
    );
}

/// A broken config.toml was `/tmp/c/config.toml: config.toml: not valid TOML…` in `check`
/// and `tomes: config.toml: config.toml: …` before other commands: the file named twice,
/// and by its name alone before the commands. Both name its path once.
#[test]
fn config_problems_name_the_config_file_once_by_its_path() {
    let config = tempfile::tempdir().unwrap();
    let file = config.path().join("config.toml");
    std::fs::write(&file, "library = [\n").unwrap();
    let whole = format!("{}:1: not valid TOML at column ", file.display());
    let out = tomes(config.path())
        .args(["check", "seeds"])
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(stdout.contains(&format!("\n{whole}")), "{stdout}");
    assert_eq!(stdout.matches("config.toml").count(), 1, "{stdout}");
    // Before another command, with no paths given (so the config is read for its library).
    let empty = tempfile::tempdir().unwrap();
    let list_stderr = || {
        let out = tomes(config.path())
            .current_dir(empty.path())
            .arg("list")
            .output()
            .unwrap();
        text(&out.stderr)
    };
    let err = list_stderr();
    assert!(err.starts_with(&format!("tomes: {whole}")), "{err}");
    assert!(!err.contains("config.toml: config.toml"), "{err}");
    // A key's problem: the path, then the key.
    std::fs::write(&file, "library = 3\n").unwrap();
    let err = list_stderr();
    assert!(
        err.starts_with(&format!("tomes: {}:1: library: expected", file.display())),
        "{err}"
    );
    // One that cannot be read.
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    let err = list_stderr();
    assert!(
        err.starts_with(&format!("tomes: {}: cannot read: ", file.display())),
        "{err}"
    );
    assert_eq!(
        err.lines().next().unwrap().matches("config.toml").count(),
        1
    );
}

/// On the corpora `asthama` found 2 unrelated papers by letters scattered through their
/// titles: `tomes search` and `tomes export` give what was asked for and suggest the word
/// corrected, with what it finds; a word being typed (`asthm`) is no near miss.
#[test]
fn a_near_miss_that_finds_a_few_papers_suggests_its_words_corrected() {
    let fx = Fixture::with(
        "asthma.pubtator",
        "1|t|Asthma in children\n1|a|-\n\n\
         2|t|Bronchial asthma and steroids\n2|a|-\n\n\
         3|t|Novel CACNA1S mutation causes autosomal dominant hypokalemic periodic paralysis \
         in a South American family.\n3|a|-\n\n",
    );
    let search = |args: &[&str]| {
        fx.tomes()
            .arg("search")
            .args(args)
            .arg(fx.dir.path())
            .output()
            .unwrap()
    };
    let out = search(&["asthama"]);
    assert_eq!(out.status.code(), Some(0));
    let said = text(&out.stdout);
    assert!(
        said.starts_with(
            "1 of 3 papers matches \"asthama\"\n\
             did you mean \"asthma\"? It finds 2 papers (none say \"asthama\"; those below \
             hold its letters apart)\n1. PMID:3 "
        ),
        "{said}"
    );
    let v = stdout_json(&search(&["--json", "asthama"]));
    assert_eq!(v["total"], 1);
    assert_eq!(
        v["suggestion"],
        serde_json::json!({"query": "asthma", "total": 2})
    );
    for kept in ["asthm", "\"asthama\"", "asthma"] {
        let v = stdout_json(&search(&["--json", kept]));
        assert_eq!(v.get("suggestion"), None, "{kept}");
    }
    let out = fx.run(["export", "--format", "ris", "asthama"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout).matches("TY  - ").count(), 1);
    assert!(
        text(&out.stderr).contains(
            "tomes: \"asthama\" matches 1 paper; did you mean \"asthma\"? It finds 2 papers"
        ),
        "{}",
        text(&out.stderr)
    );
}

/// An entity without a database id is keyed `name:kind:text` inside tomes; `tomes show`
/// says it has no id rather than printing that key (a user test found
/// `name:other:2mdabrca2containingcomplex`).
#[test]
fn show_says_an_entity_without_an_id_has_none() {
    let fx = Fixture::with(
        "x.pubtator",
        "5|t|A holoenzyme of BRAF\n5|a|-\n5\t2\t12\tholoenzyme\tGene\t-1\n5\t16\t20\tBRAF\tGene\t673\n",
    );
    let out = fx.run(["show", "5"]);
    let said = text(&out.stdout);
    assert!(said.contains("holoenzyme (no id) ×1"), "{said}");
    assert!(said.contains("BRAF NCBIGene:673"), "{said}");
    assert!(!said.contains("name:"), "{said}");
}

/// What `tomes ARGS` writes to a terminal `columns` wide, `\r\n` read back as `\n`. Its
/// stdout is a pseudo-terminal of that size (opened with `libc::openpty`, as in
/// tests/e2e.rs), and COLUMNS says the width too, as a shell sets it: else the width could
/// come from the terminal the tests run in.
#[cfg(unix)]
fn on_terminal(config: &Path, args: &[&std::ffi::OsStr], columns: u16) -> String {
    terminal_output(config, args, columns, false)
}

/// What `tomes ARGS` writes to stdout, or with `stderr` to stderr, when that is a terminal
/// `columns` wide (see [`on_terminal`]); the other stream is discarded.
#[cfg(unix)]
fn terminal_output(config: &Path, args: &[&std::ffi::OsStr], columns: u16, stderr: bool) -> String {
    use std::io::Read;
    // (A command another test starts before this may still inherit the terminal; reading
    // then ends when it does.)
    let (master, slave) = common::open_pty(24, columns);
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tomes"));
    command
        .current_dir(repo())
        .env("TOMES_CONFIG_DIR", config)
        .env_remove("XDG_CONFIG_HOME")
        .env("COLUMNS", columns.to_string())
        .args(args)
        .stdin(std::process::Stdio::null());
    if stderr {
        command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::from(slave));
    } else {
        command
            .stdout(std::process::Stdio::from(slave))
            .stderr(std::process::Stdio::null());
    }
    let mut child = command.spawn().expect("tomes starts");
    // The command holds this side of the terminal too: the output ends when no one does.
    drop(command);
    let mut bytes = Vec::new();
    // Linux says EIO rather than end of file once the other side is closed.
    let _ = std::fs::File::from(master).read_to_end(&mut bytes);
    let status = child.wait().expect("tomes ends");
    assert!(status.success(), "{args:?}: {status}");
    text(&bytes).replace("\r\n", "\n")
}

/// A user test: `tomes show` and the header of `tomes related` wrapped at 80 columns on a
/// 60-column terminal, so each long line broke twice (`…advances in nasophar` / `yngeal
/// carcinoma` / `immunotherapy`), while `search` and `list` fitted the terminal. All of them
/// lay out for the terminal's width; piped, prose is wrapped at 80 and rows are whole.
#[cfg(unix)]
#[test]
fn show_and_related_fit_the_terminal_and_wrap_at_80_when_piped() {
    let fx = Fixture::new();
    let title = "Recent advances in nasopharyngeal carcinoma immunotherapy: checkpoint \
                 inhibitors, adoptive cell therapy and therapeutic vaccines in the clinic";
    let abstract_ = "Nasopharyngeal carcinoma is common in southern China. ".repeat(6);
    let mut corpus = String::new();
    for pmid in [1, 2] {
        corpus.push_str(&format!(
            "{pmid}|t|{title}\n{pmid}|a|{abstract_}\n\
             {pmid}\t19\t43\tnasopharyngeal carcinoma\tDisease\tMESH:D000077274\n\n"
        ));
    }
    fx.write("p.pubtator", corpus);
    let folder = fx.dir.path().display().to_string();
    for command in ["show", "related"] {
        let args = [
            command.as_ref(),
            "PMID:1".as_ref(),
            fx.dir.path().as_os_str(),
        ];
        // The source line names the temporary folder, however long its path is.
        let lines = |page: &str| -> Vec<String> {
            page.lines()
                .filter(|l| !l.contains(&folder))
                .map(str::to_owned)
                .collect()
        };
        let widest = |page: &str| lines(page).iter().map(|l| l.chars().count()).max();

        let page = on_terminal(fx.config.path(), &args, 60);
        assert!(page.contains("nasopharyngeal"), "{command}:\n{page}");
        assert!(
            widest(&page) <= Some(60),
            "{command} at 60 columns:\n{page}"
        );
        // The width is used, not only kept under: the title's first line is near full.
        let first = page.lines().next().unwrap_or_default();
        assert!(first.chars().count() > 50, "{command}:\n{page}");
        if command == "related" {
            assert!(page.contains("score "), "{page}");
        }

        let out = fx.tomes().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let piped = text(&out.stdout);
        let rows: Vec<&str> = piped.lines().filter(|l| l.contains("PMID:2  ")).collect();
        // Piped: the title's first line runs past 60 columns, as wide as 80 allows.
        let first = piped.lines().next().unwrap_or_default();
        assert!(first.chars().count() > 60, "{command} piped:\n{piped}");
        if command == "related" {
            // A row of papers is whole, for grep, as `search` and `list` write them.
            assert_eq!(rows.len(), 1, "{piped}");
            assert!(rows[0].ends_with("in the clinic"), "{piped}");
            let prose = piped.replace(rows[0], "");
            assert!(widest(&prose) <= Some(80), "{command} piped:\n{piped}");
        } else {
            assert!(widest(&piped) <= Some(80), "{command} piped:\n{piped}");
        }
    }
}

/// A folder of a PubTator file cut mid-line, holding a mention quoted with two spaces that
/// does not match its text, beside a file with bytes that are not UTF-8: problems whose
/// lines run past 60 columns, as the files of a user test did.
fn problems_folder() -> Fixture {
    let fx = Fixture::with(
        "cut.pubtator",
        "1|t|A common human skin tumour is caused by activating mutations in beta-catenin.\n\
         1|a|Most colon cancers arise from mutations in the gene encoding adenomatous \
         polyposis coli, a protein that binds beta-catenin.\n\
         1\t2\t20\tcommon  human skin tumour\tDisease\tMESH:D012878\n\
         \n2|t|A second paper.\n2|a|Its abstract is cut off in the mi",
    );
    let mut bad = b"3|t|Pilomatricomas \xff\xfe in human skin\n3|a|An abstract.\n".to_vec();
    bad.extend_from_slice(b"3\t0\t14\tPilomatricomas\tDisease\tMESH:D018296\n");
    fx.write("bad.pubtator", bad);
    fx
}

/// A user test: at 60 columns `tomes check` left the terminal to break its lines, mid-word
/// (`…from 2 files read (232.` / `0 KB)`), and at 80 problems of 106 to 146 characters
/// broke the same way. On a terminal each line is broken between words, continued two
/// spaces in so that every `file:line:` starts a line; piped, a problem is one line, for
/// grep.
#[cfg(unix)]
#[test]
fn check_fits_the_terminal_between_words_and_is_one_line_a_problem_when_piped() {
    let fx = problems_folder();
    let out = fx.run(["check"]);
    assert_eq!(out.status.code(), Some(0));
    let piped = text(&out.stdout);
    let at = fx.dir.path().display();
    let mismatch = format!(
        "{at}/cut.pubtator:3: mention \"common  human skin tumour\" at 2-20 does not \
         match the text there (\"common human skin \"); it is kept without a place"
    );
    let cut = format!(
        "{at}/cut.pubtator:6: the file ends in the middle of this line; the record may \
         be cut off"
    );
    for line in [mismatch, cut] {
        assert!(piped.lines().any(|l| l == line), "{line}\n{piped}");
    }
    assert!(
        piped.contains(&format!("{at}/bad.pubtator:1: not valid UTF-8")),
        "{piped}"
    );
    assert!(piped.lines().any(|l| l.chars().count() > 80), "{piped}");

    let page = on_terminal(
        fx.config.path(),
        &["check".as_ref(), fx.dir.path().as_os_str()],
        60,
    );
    assert_wrapped_between_words(&page, &piped, 60);
    for line in page.lines() {
        assert!(
            line.starts_with("  ") || line.contains(".pubtator:") || line.contains(" papers, "),
            "{line:?} neither starts a problem nor continues one:\n{page}"
        );
    }
}

/// That `page` is `piped` fitted to `columns`: its lines are no wider (but for a word too
/// wide for any line: a long path), and broken only at spaces, nothing lost, so that its
/// continued lines, two spaces in, joined back are the piped ones.
fn assert_wrapped_between_words(page: &str, piped: &str, columns: usize) {
    for line in page.lines() {
        assert!(
            line.chars().count() <= columns || !line.trim().contains(' '),
            "{line:?} at {columns} columns:\n{page}"
        );
    }
    assert_eq!(page.replace("\n  ", " "), piped);
}

/// The one line other commands write on stderr about load problems broke mid-word on a
/// terminal too; it is fitted as `check`'s lines are, and whole when piped.
#[cfg(unix)]
#[test]
fn the_load_summary_on_stderr_fits_the_terminal_between_words() {
    let fx = problems_folder();
    let args = ["list".as_ref(), fx.dir.path().as_os_str()];
    let out = fx.tomes().args(args).output().unwrap();
    let piped = text(&out.stderr);
    assert_eq!(piped.lines().count(), 1, "{piped}");
    assert!(piped.starts_with("tomes: 3 problems in 2 files while loading; `tomes check "));
    let said = terminal_output(fx.config.path(), &args, 60, true);
    let lines: Vec<&str> = said.lines().collect();
    assert!(lines.len() > 1, "{said}");
    for line in &lines[1..] {
        assert!(line.starts_with("  "), "{line:?}:\n{said}");
    }
    assert_wrapped_between_words(&said, &piped, 60);
}

/// A user test: at 60 columns a relation in `tomes show` went on at the margin
/// (`  (MESH:D003490)`), as if a relation of its own; it is continued further in, as an
/// entity's row is.
#[cfg(unix)]
#[test]
fn show_continues_a_wrapped_relation_further_in() {
    let fx = Fixture::with(
        "cdr.pubtator",
        "354896|t|Lidocaine-induced cardiac asystole.\n\
         354896|a|Intravenous lidocaine resulted in profound depression.\n\
         354896\t0\t9\tLidocaine\tChemical\tD008012\n\
         354896\t18\t34\tcardiac asystole\tDisease\tD006323\n\
         354896\tCID\tD008012\tD006323\n",
    );
    let page = on_terminal(
        fx.config.path(),
        &[
            "show".as_ref(),
            "PMID:354896".as_ref(),
            fx.dir.path().as_os_str(),
        ],
        60,
    );
    let relations: Vec<&str> = page
        .lines()
        .skip_while(|l| !l.starts_with("Relations"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(
        relations,
        [
            "  CID: Lidocaine (MESH:D008012) – cardiac asystole",
            "    (MESH:D006323)"
        ],
        "{page}"
    );
}

/// A user test: `covid` listed papers by its letters apart ("Color vision defects") with
/// nothing saying no paper holds the word: `tomes search` says so under its count.
#[test]
fn a_word_found_only_by_its_letters_apart_is_said_under_the_count() {
    let fx = Fixture::with(
        "eyes.pubtator",
        "1|t|Color vision defects in adults\n1|a|-\n\n2|t|Asthma in adults\n2|a|-\n\n",
    );
    let search = |args: &[&str]| {
        fx.tomes()
            .arg("search")
            .args(args)
            .arg(fx.dir.path())
            .output()
            .unwrap()
    };
    let said = text(&search(&["covid"]).stdout);
    assert!(
        said.starts_with(
            "1 of 2 papers matches \"covid\"\n(none say \"covid\"; letters apart)\n1. PMID:1 "
        ),
        "{said}"
    );
    let v = stdout_json(&search(&["--json", "covid"]));
    assert_eq!(v["letters_apart"], serde_json::json!(["covid"]));
    let said = text(&search(&["asthma"]).stdout);
    assert!(!said.contains("letters apart"), "{said}");
    // With a correction to suggest, the suggestion says it (ut23: `doxorubicine` listed
    // papers of "Doxorubicin-induced" with nothing to say why those).
    let fx = Fixture::with(
        "drugs.pubtator",
        "1|t|Doxorubicin-induced heart failure
1|a|-

         2|t|Doxorubicin in adults
2|a|-

",
    );
    let said = text(
        &fx.tomes()
            .args(["search", "doxorubicine"])
            .arg(fx.dir.path())
            .output()
            .unwrap()
            .stdout,
    );
    assert!(
        said.contains(
            "did you mean \"doxorubicin\"? It finds 2 papers (none say \"doxorubicine\"; \
             those below hold its letters apart)"
        ),
        "{said}"
    );
}

/// A user test's related list named tamoxifen "TAM", the subject paper's own abbreviation,
/// on every row: `tomes related` names a shared entity by the name the library uses most of
/// those the subject paper uses, as the browser does.
#[test]
fn related_papers_share_entities_under_the_librarys_name_the_paper_uses() {
    let config = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut corpus = String::from(
        "1|t|Tamoxifen (TAM) and TAM.\n1|a|TAM.\n1\t0\t9\tTamoxifen\tChemical\tD013629\n\
         1\t11\t14\tTAM\tChemical\tD013629\n1\t20\t23\tTAM\tChemical\tD013629\n\
         1\t25\t28\tTAM\tChemical\tD013629\n\n",
    );
    for pmid in [2, 3] {
        corpus.push_str(&format!(
            "{pmid}|t|On tamoxifen.\n{pmid}|a|-\n{pmid}\t3\t12\ttamoxifen\tChemical\tD013629\n\n"
        ));
    }
    std::fs::write(dir.path().join("p.pubtator"), corpus).unwrap();
    let out = tomes(config.path())
        .args(["related", "PMID:1"])
        .arg(dir.path())
        .output()
        .unwrap();
    let listed = text(&out.stdout);
    assert_eq!(listed.matches("shares tamoxifen").count(), 2, "{listed}");
    assert!(!listed.contains("shares TAM"), "{listed}");
}

/// A user test: with the library set in config.toml, `tomes check` listed its five config
/// problems on stdout and repeated three of them on stderr, none with a line, and `serch`
/// with no word of `search`. Each is listed once, at its line; other commands still say
/// them on stderr.
#[test]
fn check_lists_each_config_problem_once_at_its_line() {
    let fx = Fixture::with("a.pubtator", "1|t|Asthma in adults\n1|a|-\n\n");
    let file = fx.config.path().join("config.toml");
    std::fs::write(
        &file,
        format!(
            "library = [{:?}]\ntheme = \"blue\"\nmoose = true\n\n[keys]\nserch = \"/\"\n\
             quit = \"ctrl-zz\"\n\n[layout]\nlist_widht = 30\n",
            fx.dir.path().display().to_string()
        ),
    )
    .unwrap();
    let out = fx.tomes().arg("check").output().unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(text(&out.stderr), "", "said twice");
    let at = |line: usize, said: &str| format!("{}:{line}: {said}", file.display());
    let listed: Vec<&str> = stdout.lines().skip(1).collect();
    // In the file's order (a user test read lines 10, 5, 4, 2, 1, 7).
    let want = vec![
        at(2, "theme: expected \"dark\" or \"light\", found \"blue\""),
        at(3, "moose: unknown key; did you mean mouse?"),
        at(
            6,
            "keys.serch: unknown action \"serch\"; did you mean search?",
        ),
        at(7, "keys.quit: unknown key \"ctrl-zz\"; keeping the default"),
        at(
            10,
            "layout.list_widht: unknown key; did you mean list_width?",
        ),
    ];
    assert_eq!(listed, want, "{stdout}");
    assert!(
        stdout
            .lines()
            .next()
            .unwrap()
            .ends_with("; 5 config problems"),
        "{stdout}"
    );
    // Another command says them on stderr, once each.
    let out = fx.tomes().arg("list").output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(err.matches(&at(6, "keys.serch")).count(), 1, "{err}");
    assert_eq!(err.matches("moose").count(), 1, "{err}");
}

/// A user test ran `tomes check /work/shared/corpora` from `/tmp` and was told
/// `biored/Dev.BioC.XML`, a path relative to the folder given, which no editor in `/tmp`
/// opens. Each problem names its file as opened from where tomes runs: under the folder as
/// given, relative when it was given relative, absolute when absolute (the browser's list
/// shows the loader's problems, named the same). A paper without ids keeps its `file:` key,
/// relative to its folder, however the folder is named.
#[test]
fn problems_name_their_files_as_opened_from_where_tomes_runs() {
    let fx = Fixture::new();
    let folder = fx.dir.path().join("papers");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    std::fs::write(
        folder.join("sub/cut.pubtator"),
        "1|t|A title.\n1|a|An abstract cut off in the mi",
    )
    .unwrap();
    std::fs::write(
        folder.join("notes.md"),
        "# Notes without ids\n\n## TL;DR\n\nA finding.\n",
    )
    .unwrap();
    let said = "2: the file ends in the middle of this line; the record may be cut off";
    let abs = folder.display().to_string();
    for (cwd, given, named) in [
        (
            fx.dir.path(),
            "papers",
            "papers/sub/cut.pubtator".to_owned(),
        ),
        (
            fx.dir.path(),
            "./papers/",
            "papers/sub/cut.pubtator".to_owned(),
        ),
        (folder.as_path(), ".", "sub/cut.pubtator".to_owned()),
        (folder.as_path(), "sub", "sub/cut.pubtator".to_owned()),
        (
            folder.join("sub").as_path(),
            "..",
            "../sub/cut.pubtator".to_owned(),
        ),
        (
            Path::new("/"),
            abs.as_str(),
            format!("{abs}/sub/cut.pubtator"),
        ),
    ] {
        let out = fx
            .tomes()
            .current_dir(cwd)
            .args(["check", given])
            .output()
            .unwrap();
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains(&format!("\n{named}:{said}\n")),
            "{given} from {}:\n{stdout}",
            cwd.display()
        );
        assert!(
            cwd.join(&named).is_file(),
            "{named} opens from {}",
            cwd.display()
        );
        let out = fx
            .tomes()
            .current_dir(cwd)
            .args(["check", "--json", given])
            .output()
            .unwrap();
        let v = stdout_json(&out);
        assert_eq!(v["problems"][0]["path"], named.as_str(), "{given}");
    }
    // Keys stay relative to the folder, so a bookmark of the paper holds whichever way the
    // folder is given.
    for (cwd, given) in [(fx.dir.path(), "papers"), (Path::new("/"), abs.as_str())] {
        let out = fx
            .tomes()
            .current_dir(cwd)
            .args(["list", "--json", given])
            .output()
            .unwrap();
        let keys: Vec<String> = stdout_json(&out)["papers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["key"].as_str().unwrap().to_owned())
            .collect();
        assert!(
            keys.contains(&"file:notes.md".to_owned()),
            "{given}: {keys:?}"
        );
    }
}

/// A config whose library names only paths that are not there fails as a command line
/// naming them does, saying where they were set. A user test's browser opened empty and
/// said `reloaded: no changes`; `tomes list` printed nothing and exited 0.
#[test]
fn a_config_library_of_missing_paths_is_refused_naming_the_config() {
    let config = tempfile::tempdir().unwrap();
    let file = config.path().join("config.toml");
    std::fs::write(&file, "library = [\"/no/such/tomes-papers\"]\n").unwrap();
    for args in [&["list"][..], &[]] {
        let out = tomes(config.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.starts_with("tomes: no such file or folder: /no/such/tomes-papers\n"),
            "{args:?}: {err}"
        );
        let set_in = format!("(the library set in {};", file.display());
        assert!(err.contains(&set_in), "{args:?}: {err}");
        assert_eq!(text(&out.stdout), "", "{args:?}");
    }
}

/// An entity the source gives no id for reads `(no id)` in `tomes entity`, as in the
/// browser, not its internal key: a user test read `name:other:2mdabrca2containingcomplex`
/// among `brca`'s candidates.
#[test]
fn entity_without_an_id_reads_no_id_needs_parsers() {
    let fx = Fixture::with(
        "p.pubtator",
        "1|t|BRCA complex and BRCA1.\n1|a|Text.\n\
         1\t0\t12\tBRCA complex\tGene\t\n\
         1\t17\t22\tBRCA1\tGene\t672\n\n",
    );
    let out = fx.run(["entity", "brca"]);
    let err = text(&out.stderr);
    assert!(
        err.contains("\n  BRCA complex · gene · (no id) (1 paper)\n"),
        "{err}"
    );
    assert!(
        err.ends_with("\n  name one by its whole name: tomes entity 'BRCA complex'\n"),
        "{err}"
    );
    let out = fx.run(["entity", "brca complex"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    assert!(
        listed.starts_with("BRCA complex · gene · (no id)\n"),
        "{listed}"
    );
}

/// A query with quotes of its own is quoted as the browser's title quotes it, not escaped:
/// a user test read `13 of 4,530 papers match "\"breast cancer\" brca2"`.
#[test]
fn queries_are_quoted_as_the_browser_quotes_them_needs_parsers() {
    let fx = Fixture::with(
        "p.pubtator",
        "1|t|Breast cancer and BRCA2.\n1|a|Text.\n\n2|t|Asthma.\n2|a|Text.\n\n",
    );
    let out = fx.run(["search", "\"breast cancer\" brca2"]);
    let first = text(&out.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(first, "1 of 2 papers matches «\"breast cancer\" brca2»");
    let out = fx.run(["search", "\"zzqq\""]);
    let first = text(&out.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(first, "0 of 2 papers match «\"zzqq\"»");
    let out = fx.run(["entity", "x\"y"]);
    assert!(
        text(&out.stderr).starts_with("tomes: no entity named «x\"y» "),
        "{}",
        text(&out.stderr)
    );
}

/// An unquoted query of several words is pointed out before a missing format: a user test
/// was told the format, then, given one, to quote the words.
#[test]
fn export_says_to_quote_the_query_before_the_format() {
    let fx = Fixture::with("p.pubtator", "1|t|Breast cancer.\n1|a|Text.\n\n");
    let dir = fx.dir.path().display().to_string();
    // (`run` gives the fixture's folder after the words.)
    let out = fx.run(["export", "breast", "cancer"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(&format!(
            "tomes: no such file or folder: cancer\n  to export what several words find, \
             quote them: tomes export 'breast cancer' {dir}\n  and say which format: "
        )),
        "{err}"
    );
}

/// A file to write named where the folders to read go is pointed to `-o`: a user test's
/// `tomes export -f bibtex breast cancer out.bib` was advised to quote the words and keep
/// `out.bib` as a folder, which then did not exist.
#[test]
fn export_points_a_file_to_write_to_dash_o() {
    let fx = Fixture::with("p.pubtator", "1|t|Breast cancer.\n1|a|Text.\n\n");
    let out = fx
        .tomes()
        .args(["export", "-f", "bibtex", "breast", "cancer", "out.bib"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "tomes: no such file or folder: out.bib\n  to write the export to it, give it with \
         -o: tomes export -f bibtex -o out.bib 'breast cancer'\n"
    );
}

/// `-q` and one letter is an option the command lacks, not a query leaving out the word
/// `q`: a user test's `tomes export -q brca` was advised `tomes export '-q brca'`.
#[test]
fn a_short_option_the_command_lacks_is_named() {
    let fx = Fixture::with("p.pubtator", "1|t|Breast cancer.\n1|a|Text.\n\n");
    let dir = fx.dir.path().display().to_string();
    let out = fx.run(["search", "-q", "brca"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "tomes: search has no option -q: the query is written alone, quoted, after the \
             options\n  tomes search 'brca' {dir}\n"
        )
    );
}

/// A config that cannot be read whole is not told to set a library it may well set: a user
/// test's syntax error was followed by `set library = ["~/papers"]`.
#[test]
fn a_broken_config_is_not_advised_to_set_a_library() {
    let config = tempfile::tempdir().unwrap();
    let file = config.path().join("config.toml");
    std::fs::write(&file, "library = [\"/tmp\"\ntheme = \"dark\"\n").unwrap();
    let empty = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .current_dir(empty.path())
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("config.toml:2: not valid TOML"), "{err}");
    assert!(
        err.contains(&format!(
            "no library to open: {} could not be read, so its library is not known",
            file.display()
        )),
        "{err}"
    );
    assert!(!err.contains("library = ["), "{err}");
}

/// The browser needs a terminal to draw on: with its output in a file or pipe it says so
/// and points to the commands that print, writing nothing there. A user test's
/// `tomes seeds > out.txt` filled the file with escape codes and waited for keys on a blank
/// screen. So does a terminal that says it cannot move its cursor (TERM=dumb: Emacs's
/// shell; ut23).
#[test]
fn the_browser_refuses_to_draw_into_a_file_pipe_or_dumb_terminal() {
    for (term, why) in [
        (
            "xterm-256color",
            "the browser draws on a terminal, and standard output is not one",
        ),
        ("dumb", "this one says it cannot (TERM=dumb)"),
    ] {
        let config = tempfile::tempdir().unwrap();
        let output = tomes(config.path())
            .env("TERM", term)
            .arg(repo().join("seeds"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
        let err = text(&output.stderr);
        assert!(
            err.contains(why)
                && err.contains("`tomes list`, `tomes search QUERY` or `tomes export QUERY`"),
            "{err}"
        );
        // Nothing of the user's was touched on the way out.
        assert!(!config.path().join("bookmarks.toml").exists());
    }
}

/// `-n -1` is a value -n refuses, said as such: a user test was told `-1` is an unexpected
/// argument, to be passed as `-- -1` (which makes it a path).
#[test]
fn a_negative_limit_is_refused_as_a_value() {
    let config = tempfile::tempdir().unwrap();
    let output = tomes(config.path())
        .args(["search", "brca", "-n", "-1", "seeds"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = text(&output.stderr);
    assert!(
        err.contains(
            "invalid value '-1' for '--limit <LIMIT>': give how many to show, or 0 for all"
        ),
        "{err}"
    );
    assert!(!err.contains("-- -1"), "{err}");
}

/// A search that finds nothing by an entity's whole name suggests the starts of names:
/// `gene:cd` is the gene CD, which no paper has; `gene:cd*` finds CD27's and CD274's.
#[test]
fn an_entity_value_finding_nothing_suggests_the_starts_of_names() {
    let config = tempfile::tempdir().unwrap();
    let output = tomes(config.path())
        .args(["search", "gene:cd", "seeds"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let out = text(&output.stdout);
    assert!(
        out.contains("0 of 1 paper matches \"gene:cd\"")
            && out.contains("did you mean \"gene:cd*\"? It finds 1 paper"),
        "{out}"
    );
    let output = tomes(config.path())
        .args(["search", "--json", "gene:cd", "seeds"])
        .output()
        .unwrap();
    let v = stdout_json(&output);
    assert_eq!(v["suggestion"]["query"], "gene:cd*");
    assert_eq!(v["suggestion"]["total"], 1);
    // An export that finds nothing says so too (ut23b).
    let output = tomes(config.path())
        .args(["export", "-f", "ris", "gene:cd", "seeds"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = text(&output.stderr);
    assert!(
        err.contains("no paper matches \"gene:cd\" (did you mean \"gene:cd*\"? It finds 1 paper)"),
        "{err}"
    );
}

/// An entity no text names goes by its id, shown once (ut23b read `MESH:D006509
/// MESH:D006509` in `show` and `MESH:D006509 (MESH:D006509)` in its relations).
#[test]
fn an_entity_named_by_its_id_shows_the_id_once() {
    let Some(corpora) = corpora() else {
        return;
    };
    let config = tempfile::tempdir().unwrap();
    let output = tomes(config.path())
        .args(["show", "20648600"])
        .arg(corpora.join("biored/Test.BioC.XML"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let out = text(&output.stdout);
    assert!(out.contains("    MESH:D006509 ×2\n"), "{out}");
    assert!(!out.contains("MESH:D006509 MESH:D006509"), "{out}");
    assert!(!out.contains("MESH:D006509 (MESH:D006509)"), "{out}");
    assert!(
        out.contains("Association, novel: MESH:D006509 – precore (NCBIGene:944568)"),
        "{out}"
    );
}

/// `tomes show` lists a paper's entities in the browser's order, the most shared first
/// (ut24c read BRCA2 before BRCA1 in the one and after it in the other).
#[test]
fn show_lists_entities_as_the_browser_does_needs_parsers() {
    let Some(corpora) = corpora() else {
        return;
    };
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["show", "15668505"])
        .arg(corpora.join("biored"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let at = |name: &str| {
        stdout
            .find(&format!("\n    {name} "))
            .unwrap_or_else(|| panic!("{name} in {stdout}"))
    };
    assert!(at("BRCA1") < at("BRCA2"), "{stdout}");
    assert!(at("cancer") < at("breast cancer"), "{stdout}");
    assert!(at("breast cancer") < at("ovarian cancer"), "{stdout}");
    // The JSON alike, names and all (ut24e read `women` there, `Homo sapiens` here).
    let out = tomes(config.path())
        .args(["show", "--json", "15668505"])
        .arg(corpora.join("biored"))
        .output()
        .unwrap();
    let v = stdout_json(&out);
    let names = |kind: &str| -> Vec<String> {
        v["entities_by_kind"][kind]
            .as_array()
            .unwrap_or_else(|| panic!("{kind} in {v}"))
            .iter()
            .map(|e| e["name"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(names("gene"), ["BRCA1", "BRCA2"]);
    assert_eq!(
        names("disease"),
        ["cancer", "breast cancer", "ovarian cancer"]
    );
    let species = &v["entities_by_kind"]["species"][0];
    assert_eq!(species["name"], "Homo sapiens", "{species}");
    assert_eq!(species["name_in_paper"], "women", "{species}");
}

/// A file named with a line break is listed among the skipped files on one line, `^J` for
/// the break, as its problems name it (ut24e read `odd/we` / `ird.txt`).
#[test]
fn check_lists_a_skipped_file_named_with_a_line_break_on_one_line() {
    let fx = Fixture::new();
    std::fs::write(fx.dir.path().join("we\nird.txt"), "abc\n").unwrap();
    let out = fx.run(["check"]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("we^Jird.txt"), "{stdout}");
    assert!(!stdout.contains("we\nird"), "{stdout}");
}
