//! Link tests: URL builders, the one-line citation, the browser decision table, a real detached
//! launch through `$BROWSER`, and the OSC 8 sequences (drawing them is tested in `ui::link`).

use std::path::Path;
use tomes::links::{
    BrowserKind, Launch, OpenEnv, OpenOutcome, OpenPlan, Os, best_url, browser_kind, citation,
    entity_url, no_terminal, open_url_in, osc8_open, paper_links, plan_open,
};
use tomes::model::{EntityKey, EntityKind, Link, Paper, PaperIds, SummaryParts};

/// The seed paper's citation data (title, authors, ids as the seed file lists them).
fn seed_paper() -> Paper {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_ed9a9c1b19ae5cc2.txt"),
    )
    .expect("seed paper is part of the repository");
    let line_after = |prefix: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .expect("seed line")
            .to_string()
    };
    let meta = text
        .lines()
        .find(|l| l.contains("DOI: "))
        .expect("metadata line");
    let parts: Vec<&str> = meta.split(" · ").collect();
    Paper {
        title: line_after("# "),
        authors: line_after("**Authors:** ")
            .split(", ")
            .map(str::to_string)
            .collect(),
        journal: Some(parts[2].to_string()),
        date: Some(parts[3].to_string()),
        ids: PaperIds {
            pmid: None,
            pmcid: Some("PMC13039540".into()),
            doi: parts[1].strip_prefix("DOI: ").map(str::to_string),
        },
        summary: Some(Box::new(SummaryParts {
            links: vec![Link {
                label: "Full text".into(),
                url: "https://tomesphere.com/paper/PMC13039540/full.md".into(),
            }],
            ..SummaryParts::default()
        })),
        ..Paper::default()
    }
}

#[test]
fn paper_links_list_pmc_doi_pubmed_then_own_links() {
    let mut paper = seed_paper();
    paper.ids.pmid = Some("41234567".into());
    paper.summary_mut().links.push(Link {
        label: "Duplicate".into(),
        url: "https://doi.org/10.1038/s41420-026-02999-y".into(),
    });
    paper.summary_mut().links.push(Link {
        label: "Local".into(),
        url: "file:///etc/passwd".into(),
    });
    let links: Vec<(String, String)> = paper_links(&paper)
        .into_iter()
        .map(|l| (l.label, l.url))
        .collect();
    assert_eq!(
        links,
        [
            (
                "PMC".to_string(),
                "https://pmc.ncbi.nlm.nih.gov/articles/PMC13039540/".to_string()
            ),
            (
                "DOI".to_string(),
                "https://doi.org/10.1038/s41420-026-02999-y".to_string()
            ),
            (
                "PubMed".to_string(),
                "https://pubmed.ncbi.nlm.nih.gov/41234567/".to_string()
            ),
            (
                "Full text".to_string(),
                "https://tomesphere.com/paper/PMC13039540/full.md".to_string()
            ),
        ]
    );
    assert_eq!(
        best_url(&paper).as_deref(),
        Some("https://pmc.ncbi.nlm.nih.gov/articles/PMC13039540/")
    );
    paper.ids = PaperIds::default();
    assert_eq!(
        best_url(&paper).as_deref(),
        Some("https://tomesphere.com/paper/PMC13039540/full.md")
    );
    paper.summary_mut().links.clear();
    assert_eq!(best_url(&paper), None);
}

#[test]
fn doi_urls_escape_what_would_break_a_url() {
    let mut paper = Paper::default();
    paper.ids.doi = Some("10.1002/(SICI)1097-4636<1::AID>3.0.CO;2-#".into());
    assert_eq!(
        best_url(&paper).as_deref(),
        Some("https://doi.org/10.1002/(SICI)1097-4636%3C1::AID%3E3.0.CO;2-%23")
    );
}

#[test]
fn entity_urls_for_every_namespace_the_corpora_use() {
    let cases = [
        (
            "NCBIGene:939",
            Some("https://www.ncbi.nlm.nih.gov/gene/939"),
        ),
        (
            "MESH:D009369",
            Some("https://meshb.nlm.nih.gov/record/ui?ui=D009369"),
        ),
        (
            "NCBITaxon:9606",
            Some("https://www.ncbi.nlm.nih.gov/Taxonomy/Browser/wwwtax.cgi?id=9606"),
        ),
        (
            "dbSNP:rs123",
            Some("https://www.ncbi.nlm.nih.gov/snp/rs123"),
        ),
        ("dbSNP:123", Some("https://www.ncbi.nlm.nih.gov/snp/rs123")),
        (
            "Cellosaurus:CVCL_0030",
            Some("https://www.cellosaurus.org/CVCL_0030"),
        ),
        ("OMIM:601622", Some("https://omim.org/entry/601622")),
        (
            "MONDO:0015459",
            Some("https://monarchinitiative.org/MONDO:0015459"),
        ),
        ("tmVar:c|SUB|C|123|T", None),
        ("Unknown:1", None),
        ("NCBIGene:", None),
        ("NCBIGene:9 39", None),
        ("NCBIGene:939;970", None),
        ("MESH:D009369|D004194", None),
    ];
    for (key, url) in cases {
        assert_eq!(entity_url(&EntityKey(key.into())).as_deref(), url, "{key}");
    }
    assert_eq!(
        entity_url(&EntityKey::name_only(EntityKind::Gene, "CD-27")),
        None
    );
}

#[test]
fn citation_is_one_vancouver_line() {
    let seed = seed_paper();
    assert_eq!(
        citation(&seed),
        "Zhu Y, Liu Y, Yin Z, Ou C, Guo X, Zhu X. Harnessing the immune microenvironment: \
         advances in nasopharyngeal carcinoma immunotherapy. Cell Death Discovery. 2026. \
         doi:10.1038/s41420-026-02999-y"
    );
    let short = Paper {
        title: "Is p53 the guardian?".into(),
        authors: vec!["Xiao’an Guo".into()],
        year: Some(1999),
        ids: PaperIds {
            pmid: Some("10491763".into()),
            ..PaperIds::default()
        },
        ..Paper::default()
    };
    assert_eq!(
        citation(&short),
        "Guo X. Is p53 the guardian? 1999. PMID: 10491763"
    );
    let bare = Paper {
        title: "Untitled\nnote".into(),
        ..Paper::default()
    };
    assert_eq!(citation(&bare), "Untitled note.");
}

// ---------------------------------------------------------------------------------------------
// Opening URLs.

fn env(browser: Option<&str>, has_display: bool, os: Os) -> OpenEnv {
    OpenEnv {
        browser: browser.map(str::to_string),
        has_display,
        os,
    }
}

fn launch(program: &str, args: &[&str]) -> Launch {
    Launch {
        program: program.to_string(),
        args: args.iter().map(|a| a.to_string()).collect(),
    }
}

#[test]
fn plan_open_follows_browser_then_display_rules() {
    let url = "https://pubmed.ncbi.nlm.nih.gov/1/";
    let cases = [
        (
            env(Some("firefox"), false, Os::Unix),
            OpenPlan::Launch(vec![launch("firefox", &[url])]),
        ),
        (
            env(Some("firefox --new-tab %s"), false, Os::Unix),
            OpenPlan::Launch(vec![launch("firefox", &["--new-tab", url])]),
        ),
        (
            env(
                Some("'/opt/My Browser/run' --url=%s --pct=100%%"),
                true,
                Os::Unix,
            ),
            OpenPlan::Launch(vec![launch(
                "/opt/My Browser/run",
                &[&format!("--url={url}"), "--pct=100%"],
            )]),
        ),
        (
            env(Some("w3m:firefox %s"), false, Os::Unix),
            OpenPlan::Launch(vec![launch("w3m", &[url]), launch("firefox", &[url])]),
        ),
        (
            // An unparsable $BROWSER (unclosed quote) is ignored, not run.
            env(Some("'broken"), true, Os::Unix),
            OpenPlan::Launch(vec![launch("xdg-open", &[url])]),
        ),
        (
            env(None, true, Os::Unix),
            OpenPlan::Launch(vec![launch("xdg-open", &[url])]),
        ),
        (
            env(None, false, Os::Unix),
            OpenPlan::ShowInstead(url.to_string()),
        ),
        (
            env(None, false, Os::MacOs),
            OpenPlan::Launch(vec![launch("open", &[url])]),
        ),
        (
            env(None, false, Os::Windows),
            OpenPlan::Launch(vec![launch("cmd", &["/C", "start", "", url])]),
        ),
    ];
    for (environment, expected) in cases {
        assert_eq!(plan_open(url, &environment), expected, "{environment:?}");
    }
}

#[test]
fn open_url_starts_the_browser_detached_with_the_url() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("opened.txt");
    // `%%s` is a literal `%s` for printf; the final `%s` is the URL.
    let browser = format!(
        "sh -c 'printf \"%%s\" \"$1\" > \"$0\"' '{}' %s",
        out.display()
    );
    let url = "https://doi.org/10.1038/s41420-026-02999-y";
    let outcome = open_url_in(url, &env(Some(&browser), false, Os::Unix), &mut no_terminal);
    assert_eq!(outcome, OpenOutcome::Opened("sh".to_string()));
    assert_eq!(outcome.status(), "opened in sh");
    // The child runs detached; wait for its file (bounded, so a broken launch fails the test).
    let mut written = String::new();
    for _ in 0..200 {
        written = std::fs::read_to_string(&out).unwrap_or_default();
        if written == url {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(written, url);
}

/// The URL, reason and `failed` of an outcome that shows the URL instead; panics on any
/// other outcome.
fn shown_instead(outcome: OpenOutcome) -> (String, String, bool) {
    match outcome {
        OpenOutcome::ShowInstead {
            url,
            reason,
            failed,
        } => (url, reason, failed),
        other => panic!("expected ShowInstead, got {other:?}"),
    }
}

#[test]
fn open_url_shows_the_url_when_nothing_can_start() {
    let url = "https://pubmed.ncbi.nlm.nih.gov/1/";
    let outcome = open_url_in(url, &env(None, false, Os::Unix), &mut no_terminal);
    assert!(matches!(&outcome, OpenOutcome::ShowInstead { url: u, .. } if u == url));
    assert!(
        outcome.status().contains("no display"),
        "{}",
        outcome.status()
    );
    let missing = open_url_in(
        url,
        &env(
            Some("/nonexistent/browser-a:/nonexistent/browser-b"),
            false,
            Os::Unix,
        ),
        &mut no_terminal,
    );
    let (u, reason, failed) = shown_instead(missing);
    assert_eq!(u, url);
    assert!(failed, "browsers were tried");
    assert!(reason.contains("/nonexistent/browser-a"), "{reason}");
    assert!(reason.contains("/nonexistent/browser-b"), "{reason}");
}

// ---------------------------------------------------------------------------------------------
// OSC 8 hyperlinks.

/// A URL's control characters never reach the terminal inside its OSC 8 sequence.
#[test]
fn osc8_leaves_control_characters_out_of_urls() {
    assert_eq!(
        osc8_open("https://x.org/\x07\x1b]evil"),
        "\x1b]8;;https://x.org/]evil\x1b\\"
    );
}

/// A browser that fails at once (`false`, a launcher with no handler) did not open the URL:
/// it is shown instead, the failure said, and the next command of `$BROWSER` tried. A pager
/// or an editor (`less`, `vim`) is not started at all, nor a terminal browser when there is
/// no terminal to lend it.
#[test]
fn a_browser_that_fails_or_is_no_browser_shows_the_url_instead() {
    let url = "https://pubmed.ncbi.nlm.nih.gov/1/";
    let open =
        |browser: &str| open_url_in(url, &env(Some(browser), false, Os::Unix), &mut no_terminal);
    let (u, reason, failed) = shown_instead(open("false"));
    assert_eq!(u, url);
    assert!(failed);
    assert_eq!(reason, "false exited with status 1");
    for (browser, why) in [
        ("less", "less is no web browser"),
        ("/usr/bin/vim", "/usr/bin/vim is no web browser"),
        ("/usr/bin/lynx -dump", "/usr/bin/lynx needs the terminal"),
        ("w3m", "w3m needs the terminal"),
    ] {
        let (_, reason, failed) = shown_instead(open(browser));
        assert!(failed, "{browser}");
        assert_eq!(reason, why);
    }
    assert_eq!(
        open("false:less:sh -c 'exit 0'"),
        OpenOutcome::Opened("sh".into()),
        "the next command is tried"
    );
    // One still running when the check ends is a browser window: opened, left running.
    let started = std::time::Instant::now();
    assert_eq!(open("sh -c 'sleep 5'"), OpenOutcome::Opened("sh".into()));
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

/// Which programs draw in the terminal, which are no browsers, and which open elsewhere:
/// decided by the program's name, wherever it lives.
#[test]
fn browser_kind_knows_terminal_browsers_and_pagers() {
    for program in [
        "lynx",
        "w3m",
        "/usr/bin/links",
        "links2",
        "elinks",
        "browsh",
    ] {
        assert_eq!(browser_kind(program), BrowserKind::Terminal, "{program}");
    }
    for program in ["less", "more", "/usr/bin/vi", "vim", "nvim"] {
        assert_eq!(browser_kind(program), BrowserKind::NotABrowser, "{program}");
    }
    for program in [
        "firefox",
        "xdg-open",
        "open",
        "sh",
        "/opt/lynx-wrapper",
        "w3mman",
    ] {
        assert_eq!(browser_kind(program), BrowserKind::Detached, "{program}");
    }
}

/// A terminal browser is handed to the TUI's terminal runner with its arguments and the URL;
/// leaving it is "back from lynx". One that fails there (w3m could not load the page) or is
/// missing did not open the URL: the next command is tried, and the URL shown when none is left.
#[cfg(unix)]
#[test]
fn a_terminal_browser_runs_on_the_lent_terminal() {
    use std::os::unix::process::ExitStatusExt;
    let url = "https://pmc.ncbi.nlm.nih.gov/articles/PMC1/";
    let open = |browser: &str, exit: Option<i32>| {
        let mut ran = Vec::new();
        let outcome = open_url_in(
            url,
            &env(Some(browser), false, Os::Unix),
            &mut |launch: &Launch| {
                ran.push(launch.clone());
                match exit {
                    Some(code) => Ok(std::process::ExitStatus::from_raw(code << 8)),
                    None => Err(std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "not found",
                    )),
                }
            },
        );
        (outcome, ran)
    };
    let (outcome, ran) = open("lynx -accept_all_cookies", Some(0));
    assert_eq!(outcome, OpenOutcome::Returned("lynx".into()));
    assert_eq!(outcome.status(), "back from lynx");
    assert_eq!(
        ran,
        vec![launch("lynx", &["-accept_all_cookies", url])],
        "run once, with the URL"
    );
    let (outcome, ran) = open("w3m:sh -c 'exit 0'", Some(1));
    assert_eq!(
        outcome,
        OpenOutcome::Opened("sh".into()),
        "the next is tried"
    );
    assert_eq!(ran.len(), 1);
    let (_, reason, failed) = shown_instead(open("w3m:/nonexistent/lynx", None).0);
    assert!(failed);
    assert_eq!(reason, "w3m: not found; /nonexistent/lynx: not found");
    let (_, reason, _) = shown_instead(open("w3m", Some(1)).0);
    assert_eq!(reason, "w3m exited with status 1");
    // A pager is not run, on a terminal or off it.
    let (outcome, ran) = open("less", Some(0));
    assert!(
        matches!(outcome, OpenOutcome::ShowInstead { .. }),
        "{outcome:?}"
    );
    assert!(ran.is_empty());
}
