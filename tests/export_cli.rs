//! `tomes export`, `tomes completions`, `tomes man` and the help texts, run as the real binary.
//!
//! Exports are read back by real parsers (the `biblatex` crate, serde_json) or counted record
//! by record (RIS), and the papers they hold are compared with what the input files say,
//! computed here independently of tomes's parsers.

use assert_cmd::Command;
use biblatex::{Bibliography, ChunksExt};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tomes::bookmarks::Bookmarks;
use tomes::model::PaperKey;

const SEED_KEY: &str = "zhu2026harnessing";
/// The seed paper's key as tomes prints it (its PMCID; the seed has no PMID).
const SEED_PAPER: &str = "PMC:PMC13039540";
/// MeSH "Neoplasms": mentioned in 16 abstracts of BioRED's test split.
const NEOPLASMS: &str = "MESH:D009369";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tomes` run from the repository, with a config folder of the test's own.
fn tomes(config: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tomes"));
    cmd.current_dir(repo())
        .env("TOMES_CONFIG_DIR", config)
        .env_remove("XDG_CONFIG_HOME")
        .env("COLUMNS", "80");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn biored_test_split() -> Option<PathBuf> {
    let path = repo().join("../shared/corpora/biored/Test.PubTator");
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipping: ../shared/corpora not found");
        None
    }
}

/// PMIDs of the PubTator documents with a mention of `id` (a bare id such as `D009369`; ids
/// of one mention may be listed with `,` or `;`), read straight from the file.
fn pmids_mentioning(pubtator: &Path, id: &str) -> BTreeSet<String> {
    let content = std::fs::read_to_string(pubtator).expect("read PubTator");
    content
        .lines()
        .map(|l| l.trim_end_matches('\r').split('\t').collect::<Vec<_>>())
        .filter(|f| f.len() >= 6 && f[1].bytes().all(|b| b.is_ascii_digit()))
        .filter(|f| f[5].split([',', ';']).any(|x| x.trim() == id))
        .map(|f| f[0].to_owned())
        .collect()
}

fn bib_field(entry: &biblatex::Entry, field: &str) -> Option<String> {
    entry.get(field).map(|chunks| chunks.format_verbatim())
}

/// Writes a bookmarks.toml in `dir` through the store's own API.
fn bookmark(dir: &Path, keys: &[(&str, &str)]) {
    let (mut store, message) = Bookmarks::open(Some(dir));
    assert_eq!(message, None);
    for (key, title) in keys {
        assert_eq!(
            store.toggle(&PaperKey((*key).to_owned()), title),
            Ok(true),
            "bookmark {key}"
        );
    }
}

#[test]
fn bibtex_of_the_seed_parses_back() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["export", "--format", "bibtex", "", "seeds"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bib = Bibliography::parse(&text(&out.stdout)).expect("biblatex parses the export");
    assert_eq!(bib.len(), 1);
    let entry = bib.get(SEED_KEY).expect("the seed's entry");
    assert_eq!(
        bib_field(entry, "pmcid").as_deref(),
        Some("PMC13039540"),
        "{entry:?}"
    );
    assert_eq!(
        entry.doi().ok().as_deref(),
        Some("10.1038/s41420-026-02999-y")
    );
    let authors = entry.author().expect("authors");
    assert_eq!(authors.len(), 6);
    assert_eq!(authors[4].given_name, "Xiao’an");
}

#[test]
fn no_query_exports_the_whole_library() {
    let config = tempfile::tempdir().unwrap();
    // No PATHS: the library is ./seeds, as for every command.
    let out = tomes(config.path())
        .args(["export", "-f", "csl-json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let items: Value = serde_json::from_slice(&out.stdout).expect("CSL-JSON is JSON");
    let items = items.as_array().expect("an array");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], SEED_KEY);
}

#[test]
fn a_query_exports_every_hit_in_all_three_formats() {
    let Some(biored) = biored_test_split() else {
        return;
    };
    let expected = pmids_mentioning(&biored, "D009369");
    assert_eq!(expected.len(), 16, "BioRED test split, MESH:D009369");
    let config = tempfile::tempdir().unwrap();
    let run = |format: &str| {
        let out = tomes(config.path())
            .args(["export", "-f", format, NEOPLASMS])
            .arg(&biored)
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}: {}", text(&out.stderr));
        text(&out.stdout)
    };

    let bibtex = run("bibtex");
    let bib = Bibliography::parse(&bibtex).expect("biblatex parses the export");
    assert_eq!(bib.len(), expected.len(), "more than --limit: all hits");
    let pmids: BTreeSet<String> = bib
        .iter()
        .map(|e| bib_field(e, "pmid").expect("every entry has its PMID"))
        .collect();
    assert_eq!(pmids, expected);

    let csl: Value = serde_json::from_str(&run("csl-json")).expect("CSL-JSON is JSON");
    let items = csl.as_array().expect("an array");
    let pmids: BTreeSet<String> = items
        .iter()
        .map(|i| i["PMID"].as_str().expect("PMID").to_owned())
        .collect();
    assert_eq!(pmids, expected);
    // The same citation keys as the BibTeX, in the same (ranked) order.
    let csl_ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    let bib_keys: Vec<&str> = bib.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(csl_ids, bib_keys);

    // The search ranking is the export order.
    let search = tomes(config.path())
        .args(["search", "--json", "-n", "0", NEOPLASMS])
        .arg(&biored)
        .output()
        .unwrap();
    let search: Value = serde_json::from_slice(&search.stdout).expect("search JSON");
    let ranked: Vec<String> = search["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["key"].as_str().unwrap_or_default().replace("PMID:", ""))
        .collect();
    let exported: Vec<String> = items
        .iter()
        .map(|i| i["PMID"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(exported, ranked);

    let ris = run("ris");
    let starts = ris.lines().filter(|l| l.starts_with("TY  - ")).count();
    let ends = ris.lines().filter(|l| l.starts_with("ER  -")).count();
    assert_eq!((starts, ends), (expected.len(), expected.len()));
    let pmids: BTreeSet<String> = ris
        .lines()
        .filter_map(|l| l.trim_end_matches('\r').strip_prefix("AN  - "))
        .map(str::to_owned)
        .collect();
    assert_eq!(pmids, expected);
}

#[test]
fn bookmarks_export_the_loaded_ones_and_name_the_rest() {
    let Some(biored) = biored_test_split() else {
        return;
    };
    let config = tempfile::tempdir().unwrap();
    bookmark(
        config.path(),
        &[
            ("PMID:15130900", "a loaded BioRED paper"),
            ("PMID:1", "A paper that is not loaded"),
            (SEED_PAPER, "the seed"),
        ],
    );
    let out = tomes(config.path())
        .args(["export", "--bookmarks", "-f", "bibtex", "seeds"])
        .arg(&biored)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("1 bookmark not in the loaded library"),
        "{err}"
    );
    assert!(err.contains("PMID:1  A paper that is not loaded"), "{err}");
    let bib = Bibliography::parse(&text(&out.stdout)).expect("biblatex parses the export");
    assert_eq!(bib.len(), 2);
    // Oldest bookmark first.
    let first = bib.iter().next().expect("an entry");
    assert_eq!(bib_field(first, "pmid").as_deref(), Some("15130900"));
    assert!(bib.get(SEED_KEY).is_some());
}

#[test]
fn bookmarks_none_loaded_or_none_at_all_is_an_error() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path())
        .args(["export", "-b", "-f", "ris", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no bookmarks"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());

    bookmark(config.path(), &[("PMID:1", "not loaded")]);
    let out = tomes(config.path())
        .args(["export", "-b", "-f", "ris", "seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("none of the bookmarks"), "{err}");
    assert!(err.contains("PMID:1"), "{err}");
}

#[test]
fn output_file_is_written_and_never_overwritten_without_force() {
    let config = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed.json");
    // Format from the extension.
    let out = tomes(config.path())
        .args(["export", "", "seeds", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("1 paper written to"));
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).expect("CSL-JSON");
    assert_eq!(written[0]["id"], SEED_KEY);

    std::fs::write(&file, "precious").unwrap();
    let out = tomes(config.path())
        .args(["export", "-f", "bibtex", "", "seeds", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--force"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");

    let out = tomes(config.path())
        .args(["export", "-f", "bibtex", "", "seeds", "--force", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bib = Bibliography::parse(&std::fs::read_to_string(&file).unwrap()).expect("BibTeX");
    assert!(bib.get(SEED_KEY).is_some());
    // No temporary file left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [std::ffi::OsString::from("seed.json")]);
}

#[test]
fn export_errors_say_what_to_do() {
    let config = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["export", "", "seeds"], "--format"),
        (
            &["export", "-f", "endnote", "", "seeds"],
            "[possible values: bibtex, ris, csl-json]",
        ),
        (
            &["export", "-f", "ris", "year:20x", "seeds"],
            "invalid query",
        ),
        (
            &["export", "-f", "ris", "'zzzqqqxxx", "seeds"],
            "no paper matches",
        ),
    ];
    for (args, expected) in cases {
        let out = tomes(config.path()).args(*args).output().unwrap();
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // A query that names a folder is probably meant as a path: say how to write that.
    let out = tomes(config.path())
        .args(["export", "-f", "ris", "seeds"])
        .output()
        .unwrap();
    assert!(
        text(&out.stderr).contains("tomes export -f ris '' seeds"),
        "{}",
        text(&out.stderr)
    );
}

const SUBCOMMANDS: [&str; 10] = [
    "check",
    "list",
    "show",
    "search",
    "entity",
    "related",
    "export",
    "completions",
    "man",
    "bench",
];

#[test]
fn completions_know_every_subcommand() {
    let config = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = tomes(config.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
        // Export's own options and format values are completed too.
        assert!(script.contains("bookmarks"), "{shell}");
    }
    let bash = tomes(config.path())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(text(&bash.stdout).contains("complete -F _tomes"));
    let out = tomes(config.path())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn man_page_is_roff_with_every_subcommand() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path()).arg("man").output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.contains("\n.TH tomes 1 "), "{page}");
    assert!(page.contains(&format!("v{}", env!("CARGO_PKG_VERSION"))));
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("tomes\\-{sub}")),
            "man page lacks {sub}"
        );
        // Every command's options are on the one page, under its own heading.
        assert!(
            page.contains(&format!(".SH \"TOMES {}\"", sub.to_uppercase())),
            "man page lacks a section for {sub}"
        );
    }
    // Hand-laid-out texts are kept as written, not filled.
    assert!(page.contains(".SH FILES\n.nf\n"), "{page}");
    assert!(page.contains("$XDG_CONFIG_HOME/tomes"), "{page}");
    assert!(page.contains("is:bookmarked"), "{page}");
    assert_eq!(
        page.matches("\n.nf\n").count(),
        page.matches("\n.fi\n").count()
    );
    assert!(!page.contains("EXTRA"), "{page}");
}

#[test]
fn version_and_help_texts() {
    let config = tempfile::tempdir().unwrap();
    let out = tomes(config.path()).arg("--version").output().unwrap();
    assert_eq!(
        text(&out.stdout),
        format!("tomes {}\n", env!("CARGO_PKG_VERSION"))
    );

    let help = text(&tomes(config.path()).arg("--help").output().unwrap().stdout);
    assert!(
        help.contains("terminal browser for biomedical papers"),
        "{help}"
    );
    assert!(help.contains("$TOMES_CONFIG_DIR"), "{help}");
    assert!(help.contains("$XDG_CONFIG_HOME/tomes"), "{help}");
    assert!(help.contains("~/.config/tomes (on macOS too)"), "{help}");
    for sub in SUBCOMMANDS {
        assert!(help.contains(&format!("\n  {sub} ")), "--help lacks {sub}");
    }
    // Wrapped for an 80-column terminal.
    for line in help.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }

    let search = text(
        &tomes(config.path())
            .args(["search", "--help"])
            .output()
            .unwrap()
            .stdout,
    );
    for line in search.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
    for syntax in [
        "'word",
        "^word",
        "word$",
        "!word",
        "year:2019..2023",
        "gene:",
        "is:bookmarked",
    ] {
        assert!(
            search.contains(syntax),
            "search --help lacks {syntax}: {search}"
        );
    }
    let export = text(
        &tomes(config.path())
            .args(["export", "--help"])
            .output()
            .unwrap()
            .stdout,
    );
    assert!(export.contains("--bookmarks"), "{export}");
    assert!(export.contains("csl-json"), "{export}");
}

/// `tomes export QUERY --json` was refused with `say which format`: JSON asked for is
/// CSL-JSON.
#[test]
fn json_alone_exports_csl_json() {
    let config = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("tomes")
        .unwrap()
        .env("TOMES_CONFIG_DIR", config.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["export", "--json", "", "seeds"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items: Value = serde_json::from_slice(&out.stdout).expect("CSL-JSON is JSON");
    assert!(items.as_array().is_some_and(|a| !a.is_empty()), "{items}");
    // With another format, the two disagree: refused, not BibTeX with the --json dropped
    // (ut22). With csl-json they agree.
    let run = |format: &str| {
        Command::cargo_bin("tomes")
            .unwrap()
            .env("TOMES_CONFIG_DIR", config.path())
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["export", "-f", format, "--json", "", "seeds"])
            .output()
            .unwrap()
    };
    let out = run("bibtex");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tomes: --json asks for CSL-JSON, and --format bibtex for another format: give one \
         of them\n"
    );
    assert_eq!(run("csl-json").status.code(), Some(0));
}

/// `-f ris -o y.bib` writes RIS, as asked, and says the file's name says BibTeX (ut24d
/// wrote RIS into a .bib without a word).
#[test]
fn a_format_the_file_name_contradicts_is_written_and_said() {
    let config = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("y.bib");
    let out = tomes(config.path())
        .args(["export", "-f", "ris", "-o"])
        .arg(&file)
        .args(["", "seeds"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("writing ris to"), "{stderr}");
    assert!(stderr.contains("whose name says bibtex"), "{stderr}");
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("TY  - JOUR")
    );
    // A name that agrees says nothing more.
    let agreeing = dir.path().join("z.ris");
    let out = tomes(config.path())
        .args(["export", "-f", "ris", "-o"])
        .arg(&agreeing)
        .args(["", "seeds"])
        .output()
        .unwrap();
    assert!(
        !text(&out.stderr).contains("whose name says"),
        "{}",
        text(&out.stderr)
    );
}
