//! Where a paper or an entity lives on the web, a one-line citation, opening a URL in a
//! browser, and the OSC 8 sequences of a hyperlink (drawn by [`crate::ui`]).
//!
//! Everything that decides is a pure function ([`paper_links`], [`entity_url`], [`best_url`],
//! [`citation`], [`plan_open`], [`browser_kind`]); only [`open_url`] spawns a process, and a
//! terminal browser (lynx, w3m) it hands to the caller, who lends it the terminal.
//!
//! Wiring: on "open", call `open_url(&url, in_terminal)` from the event loop (not from
//! `update()`), then show
//! `OpenOutcome::status()` in the status bar; on `OpenOutcome::ShowInstead(url)` show the URL
//! in a popup and copy it with [`crate::clipboard::copy`] (a browser that failed at once
//! is such a case too, and says why).

use crate::export::split_name;
use crate::model::{EntityKey, Link, Paper};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The PubMed page of a PMID.
pub fn pubmed_url(pmid: &str) -> String {
    format!("https://pubmed.ncbi.nlm.nih.gov/{}/", pmid.trim())
}

/// The PubMed Central page of a PMCID (`PMC13039540`; a bare number gets its prefix).
pub fn pmc_url(pmcid: &str) -> String {
    let pmcid = pmcid.trim();
    let prefix = if pmcid.to_ascii_uppercase().starts_with("PMC") {
        ""
    } else {
        "PMC"
    };
    format!("https://pmc.ncbi.nlm.nih.gov/articles/{prefix}{pmcid}/")
}

/// The doi.org resolver URL of a DOI. Characters that would end or confuse a URL (space, `#`,
/// `%`, `?`, `"`, `<`, `>`) are percent-encoded; DOI slashes stay as they are.
pub fn doi_url(doi: &str) -> String {
    let mut url = String::from("https://doi.org/");
    for c in doi.trim().chars() {
        match c {
            ' ' | '#' | '%' | '?' | '"' | '<' | '>' | '{' | '}' | '\\' | '^' | '`' | '|' => {
                url.push_str(&format!("%{:02X}", c as u32));
            }
            c if c.is_control() => {}
            c => url.push(c),
        }
    }
    url
}

/// Every link of a paper, labelled, best first: PMC (free full text), DOI (the publisher's
/// version of record), PubMed, then the paper's own links that are not already listed.
pub fn paper_links(paper: &Paper) -> Vec<Link> {
    let mut links = Vec::new();
    let mut push = |label: &str, url: String| {
        if !links.iter().any(|l: &Link| l.url == url) {
            links.push(Link {
                label: label.to_string(),
                url,
            });
        }
    };
    if let Some(pmcid) = paper.ids.pmcid.as_deref().filter(|s| !s.trim().is_empty()) {
        push("PMC", pmc_url(pmcid));
    }
    if let Some(doi) = paper.ids.doi.as_deref().filter(|s| !s.trim().is_empty()) {
        push("DOI", doi_url(doi));
    }
    if let Some(pmid) = paper.ids.pmid.as_deref().filter(|s| !s.trim().is_empty()) {
        push("PubMed", pubmed_url(pmid));
    }
    for link in &paper.summary().links {
        if is_web_url(&link.url) {
            push(&link.label, link.url.trim().to_string());
        }
    }
    links
}

/// What a paper's Links section lists (the detail pane, `tomes show`): [`paper_links`],
/// then the paper's own links that are not web pages, which nothing opens but which are the
/// paper's.
pub fn listed_links(paper: &Paper) -> Vec<Link> {
    let mut links = paper_links(paper);
    for own in &paper.summary().links {
        if !links.iter().any(|l| l.url.trim() == own.url.trim()) {
            links.push(own.clone());
        }
    }
    links
}

fn is_web_url(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("https://") || url.starts_with("http://")
}

/// The one URL to open for a paper: the first of [`paper_links`]. PMC comes first because it
/// opens the full text without a paywall, which matters most to a reader on a remote machine.
pub fn best_url(paper: &Paper) -> Option<String> {
    paper_links(paper).into_iter().next().map(|l| l.url)
}

/// The page of a paper known only by its key (a bookmark whose paper is not loaded):
/// PubMed for `PMID:`, PMC for `PMC:`, doi.org for `DOI:`; `None` for `file:` keys.
pub fn key_url(key: &crate::model::PaperKey) -> Option<String> {
    let key = key.as_str();
    let (prefix, id) = key.split_once(':')?;
    let id = id.trim();
    if id.is_empty() {
        return None;
    }
    match prefix {
        "PMID" => Some(pubmed_url(id)),
        "PMC" => Some(pmc_url(id)),
        "DOI" => Some(doi_url(id)),
        _ => None,
    }
}

/// The database page of an entity, or `None` for name-only keys, tmVar variants (which have
/// no page of their own) and namespaces we do not know.
pub fn entity_url(key: &EntityKey) -> Option<String> {
    if key.is_name_only() {
        return None;
    }
    let id = key.local_id().trim();
    if id.is_empty() {
        return None;
    }
    let url = match key.namespace() {
        "NCBIGene" => format!("https://www.ncbi.nlm.nih.gov/gene/{id}"),
        "MESH" | "MeSH" => format!("https://meshb.nlm.nih.gov/record/ui?ui={id}"),
        "NCBITaxon" => {
            format!("https://www.ncbi.nlm.nih.gov/Taxonomy/Browser/wwwtax.cgi?id={id}")
        }
        "dbSNP" => {
            let rs = if id.starts_with("rs") {
                id.to_string()
            } else {
                format!("rs{id}")
            };
            format!("https://www.ncbi.nlm.nih.gov/snp/{rs}")
        }
        "Cellosaurus" => format!("https://www.cellosaurus.org/{id}"),
        "OMIM" => format!("https://omim.org/entry/{id}"),
        "MONDO" => format!("https://monarchinitiative.org/MONDO:{id}"),
        _ => return None,
    };
    // Ids come from input files; anything beyond letters, digits, `_`, `-` and `.` (a list
    // like `939;970`, a space, a quote) is not one id we can link.
    if id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        Some(url)
    } else {
        None
    }
}

/// Where in its journal a paper is, as citations write it: `302(5645):643-646`, `580:1`;
/// empty when its summary does not say.
pub fn journal_place(paper: &Paper) -> String {
    let summary = paper.summary();
    let mut place = summary.volume.clone().unwrap_or_default();
    if let Some(issue) = &summary.issue {
        place.push_str(&format!("({issue})"));
    }
    if let Some(pages) = &summary.pages {
        place.push(':');
        place.push_str(pages);
    }
    place
}

/// Authors a citation names before `et al`.
const CITED_AUTHORS: usize = 6;

/// A one-line citation in the style PubMed and Vancouver use:
/// `Zhu Y, Liu Y, Yin Z, Ou X, Guo X, Zhu X. Title. Journal. 2026. doi:10.1038/...`. Up to
/// six authors are named, then `et al` (NLM's Citing Medicine; ut23b found `et al` after
/// three of four); the identifier is the DOI, else the PMID, else the PMCID.
pub fn citation(paper: &Paper) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !paper.authors.is_empty() {
        let mut names: Vec<String> = paper
            .authors
            .iter()
            .take(CITED_AUTHORS)
            .map(|a| short_name(a))
            .collect();
        if paper.authors.len() > CITED_AUTHORS {
            names.push("et al".to_string());
        }
        parts.push(names.join(", "));
    }
    let title = paper.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if !title.is_empty() {
        parts.push(title);
    }
    if let Some(journal) = paper
        .journal
        .as_deref()
        .map(str::trim)
        .filter(|j| !j.is_empty())
    {
        parts.push(journal.to_string());
    }
    if let Some(year) = crate::export::date_parts(paper).first() {
        // Vancouver's `2003;302(5645):643-646`.
        let place = journal_place(paper);
        parts.push(match place.is_empty() {
            true => year.to_string(),
            false => format!("{year};{place}"),
        });
    }
    let id = if let Some(doi) = paper.ids.doi.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(format!("doi:{}", doi.trim()))
    } else if let Some(pmid) = paper.ids.pmid.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(format!("PMID: {}", pmid.trim()))
    } else {
        paper
            .ids
            .pmcid
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|p| p.trim().to_string())
    };
    let mut line = String::new();
    for part in parts {
        line.push_str(&part);
        if !part.ends_with(['.', '?', '!']) {
            line.push('.');
        }
        line.push(' ');
    }
    match id {
        Some(id) => line.push_str(&id),
        None => {
            line.pop();
        }
    }
    line
}

/// `Xiao’an Guo` -> `Guo X`; `Jean-Pierre Dupont` -> `Dupont JP`; an unsplittable name as is.
fn short_name(display: &str) -> String {
    let name = split_name(display);
    let initials: String = name
        .given
        .split([' ', '-', '.'])
        .filter_map(|part| part.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    // AMA's `King ML Jr`.
    let suffix = match name.suffix.trim_end_matches('.') {
        "" => String::new(),
        suffix => format!(" {suffix}"),
    };
    if initials.is_empty() {
        format!("{}{suffix}", name.family)
    } else {
        format!("{} {initials}{suffix}", name.family)
    }
}

// ---------------------------------------------------------------------------------------------
// Opening URLs.

/// The operating systems whose openers differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    MacOs,
    /// Linux and the BSDs: `xdg-open`, only with a display.
    Unix,
    Windows,
}

impl Os {
    pub fn current() -> Os {
        if cfg!(target_os = "macos") {
            Os::MacOs
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::Unix
        }
    }
}

/// What [`plan_open`] looks at, read once from the process environment by
/// [`OpenEnv::from_process`] and built by hand in tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenEnv {
    /// `$BROWSER`, when set and not empty.
    pub browser: Option<String>,
    /// `$DISPLAY` or `$WAYLAND_DISPLAY` is set (a graphical session can show a browser).
    pub has_display: bool,
    pub os: Os,
}

impl OpenEnv {
    pub fn from_process() -> OpenEnv {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        OpenEnv {
            browser: std::env::var("BROWSER")
                .ok()
                .filter(|b| !b.trim().is_empty()),
            has_display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            os: Os::current(),
        }
    }
}

/// A program and its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Launch {
    pub program: String,
    pub args: Vec<String>,
}

/// What opening a URL would do: try the launches in order, or show the URL instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenPlan {
    Launch(Vec<Launch>),
    ShowInstead(String),
}

/// Decides how to open `url` in `env`, without touching the system.
///
/// `$BROWSER` wins when set; it follows the long-standing convention (also Python's
/// `webbrowser`): a `:`-separated list of commands tried in order, each split like a shell word
/// list, with `%s` replaced by the URL (`%%` is a literal `%`) or the URL appended when there
/// is no `%s`. Otherwise macOS uses `open`, Windows `cmd /c start`, and Linux/BSD `xdg-open`
/// only when a display is available; over plain SSH there is none, and the URL is shown
/// instead (the TUI copies it via OSC 52).
pub fn plan_open(url: &str, env: &OpenEnv) -> OpenPlan {
    if let Some(browser) = &env.browser {
        let launches: Vec<Launch> = browser
            .split(':')
            .filter_map(|command| browser_launch(command, url))
            .collect();
        if !launches.is_empty() {
            return OpenPlan::Launch(launches);
        }
    }
    let launch = |program: &str, args: &[&str]| {
        OpenPlan::Launch(vec![Launch {
            program: program.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
        }])
    };
    match env.os {
        Os::MacOs => launch("open", &[url]),
        // The empty title argument stops `start` from taking a quoted URL as the title.
        Os::Windows => launch("cmd", &["/C", "start", "", url]),
        Os::Unix if env.has_display => launch("xdg-open", &[url]),
        Os::Unix => OpenPlan::ShowInstead(url.to_string()),
    }
}

fn browser_launch(command: &str, url: &str) -> Option<Launch> {
    let words = shlex::split(command.trim())?;
    let mut words = words.into_iter();
    let program = words.next().filter(|p| !p.is_empty())?;
    let mut substituted = false;
    let mut args: Vec<String> = words
        .map(|word| {
            let (arg, did) = substitute_url(&word, url);
            substituted |= did;
            arg
        })
        .collect();
    if !substituted {
        args.push(url.to_string());
    }
    Some(Launch { program, args })
}

/// Replaces `%s` with the URL and `%%` with `%`; says whether a `%s` was seen.
fn substitute_url(word: &str, url: &str) -> (String, bool) {
    let mut out = String::with_capacity(word.len());
    let mut seen = false;
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            match chars.peek() {
                Some('s') => {
                    chars.next();
                    out.push_str(url);
                    seen = true;
                    continue;
                }
                Some('%') => {
                    chars.next();
                    out.push('%');
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
    }
    (out, seen)
}

/// What happened when opening a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenOutcome {
    /// A browser was started (the program's name).
    Opened(String),
    /// A terminal browser was run on the TUI's terminal and the user has left it.
    Returned(String),
    /// No browser could be started here: show the URL (and copy it) instead. `reason` says why,
    /// for the status bar; `failed` when a browser was tried and did not open it (rather
    /// than none being there to try).
    ShowInstead {
        url: String,
        reason: String,
        failed: bool,
    },
}

impl OpenOutcome {
    /// A short message for the status bar.
    pub fn status(&self) -> String {
        match self {
            OpenOutcome::Opened(program) => format!("opened in {program}"),
            OpenOutcome::Returned(program) => format!("back from {program}"),
            OpenOutcome::ShowInstead { reason, .. } => reason.clone(),
        }
    }
}

/// How long a started browser is watched for failing at once (a bad `$BROWSER`, `false`,
/// a launcher with no handler): long enough for a launcher to give up, short enough not to
/// be felt. A browser still running after it is taken as opened and left running.
pub const OPEN_CHECK: Duration = Duration::from_millis(200);

/// Web browsers that draw the page in the terminal they are started in. Over SSH they are
/// often the only browser there is, so the TUI lends them its terminal ([`BrowserKind::Terminal`]).
const TERMINAL_BROWSERS: [&str; 7] = [
    "lynx", "w3m", "links", "links2", "elinks", "browsh", "carbonyl",
];

/// Pagers and editors: they show files, not web pages. Given a URL, `less` and `more` say
/// there is no such file and `vi` opens an empty buffer (or, with netrw, the page's HTML
/// source), so they are not started: the URL is shown (and copied) instead, which is what
/// whoever set `BROWSER=less` can use.
const NOT_BROWSERS: [&str; 6] = ["less", "more", "most", "vi", "vim", "nvim"];

/// How a `$BROWSER` program is run, by its name ([`browser_kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrowserKind {
    /// Opens the page elsewhere (a window, a running browser): started detached, without
    /// the terminal.
    Detached,
    /// Draws the page in its terminal (lynx, w3m): run in the foreground on the TUI's
    /// terminal, which the TUI gives up until it exits.
    Terminal,
    /// Shows files, not web pages (less, vi): not started, the URL is shown instead.
    NotABrowser,
}

/// How `program` (a name or a path) is run: [`TERMINAL_BROWSERS`] in the terminal,
/// [`NOT_BROWSERS`] not at all, any other detached.
pub fn browser_kind(program: &str) -> BrowserKind {
    let name = program_name(program);
    if TERMINAL_BROWSERS.contains(&name) {
        BrowserKind::Terminal
    } else if NOT_BROWSERS.contains(&name) {
        BrowserKind::NotABrowser
    } else {
        BrowserKind::Detached
    }
}

/// `lynx` for `/usr/bin/lynx`.
fn program_name(program: &str) -> &str {
    std::path::Path::new(program)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(program)
}

/// Runs a terminal browser in the foreground and waits for it; the TUI passes one that lends
/// its terminal ([`crate::foreground`]). Without a terminal to lend, [`no_terminal`].
pub type RunInTerminal<'a> = dyn FnMut(&Launch) -> std::io::Result<std::process::ExitStatus> + 'a;

/// For callers with no terminal to lend: a terminal browser is not started.
pub fn no_terminal(launch: &Launch) -> std::io::Result<std::process::ExitStatus> {
    Err(std::io::Error::other(format!(
        "{} needs the terminal",
        launch.program
    )))
}

/// Opens `url` as [`plan_open`] decides for the current environment; a terminal browser is
/// run by `in_terminal`.
pub fn open_url(url: &str, in_terminal: &mut RunInTerminal) -> OpenOutcome {
    open_url_in(url, &OpenEnv::from_process(), in_terminal)
}

/// Opens `url` as [`plan_open`] decides for `env`, trying each launch in turn until one
/// opens it; when none does, the URL is to be shown.
///
/// A detached launch has stdin, stdout and stderr pointed at /dev/null and (on Unix) its own
/// process group, so a browser's messages or a Ctrl-C cannot disturb the TUI. It is watched
/// for [`OPEN_CHECK`]: one that exits with a failure there did not open the URL; one still
/// running then is left to a thread that reaps it. A terminal browser ([`browser_kind`]) is
/// handed to `in_terminal`, which returns when the user has left it: a failure exit there
/// (w3m cannot load the page) did not open it either. A pager or an editor is passed over.
pub fn open_url_in(url: &str, env: &OpenEnv, in_terminal: &mut RunInTerminal) -> OpenOutcome {
    let launches = match plan_open(url, env) {
        OpenPlan::ShowInstead(url) => {
            return OpenOutcome::ShowInstead {
                url,
                reason: "no display to open a browser on: URL shown instead".to_string(),
                failed: false,
            };
        }
        OpenPlan::Launch(launches) => launches,
    };
    let mut failures = Vec::new();
    for launch in &launches {
        let failure = match browser_kind(&launch.program) {
            BrowserKind::NotABrowser => {
                failures.push(format!("{} is no web browser", launch.program));
                continue;
            }
            BrowserKind::Terminal => match in_terminal(launch) {
                Ok(status) if status.success() => {
                    return OpenOutcome::Returned(program_name(&launch.program).to_string());
                }
                Ok(status) => exit_failure(&launch.program, status),
                Err(e) => failure_message(&launch.program, &e),
            },
            BrowserKind::Detached => match start_detached(launch) {
                Ok(()) => return OpenOutcome::Opened(launch.program.clone()),
                Err(failure) => failure,
            },
        };
        failures.push(failure);
    }
    OpenOutcome::ShowInstead {
        url: url.to_string(),
        // Short, to fit the status bar beside what became of the URL: each failure names
        // its program (`false exited with status 1`, `less is no web browser`).
        reason: failures.join("; "),
        failed: true,
    }
}

/// Starts a detached launch and watches it for [`OPEN_CHECK`]; the failure, said, when it
/// did not open the URL.
fn start_detached(launch: &Launch) -> Result<(), String> {
    let mut command = Command::new(&launch.program);
    command
        .args(&launch.args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command
        .spawn()
        .map_err(|e| failure_message(&launch.program, &e))?;
    match exit_within(&mut child, OPEN_CHECK) {
        // Still running (a browser window), or done handing the URL over (xdg-open,
        // `open`, a browser passing it to its running instance).
        None => {
            std::thread::spawn(move || child.wait());
            Ok(())
        }
        Some(Ok(status)) if status.success() => Ok(()),
        Some(Ok(status)) => Err(exit_failure(&launch.program, status)),
        Some(Err(e)) => Err(failure_message(&launch.program, &e)),
    }
}

/// `w3m exited with status 1`, `lynx was killed (signal: 15 (SIGTERM))`.
fn exit_failure(program: &str, status: std::process::ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("{program} exited with status {code}"),
        None => format!("{program} was killed ({status})"),
    }
}

/// `lynx: not found` for a program that is not installed (short, so that what became of the
/// URL fits beside it in the status bar, where `No such file or directory (os error 2)` left
/// no room), `lynx: Permission denied (os error 13)` for another error; an error that names
/// its program already (from [`no_terminal`]) as it is.
fn failure_message(program: &str, e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        return format!("{program}: not found");
    }
    let text = e.to_string();
    if text.starts_with(program) {
        text
    } else {
        format!("{program}: {text}")
    }
}

/// The child's exit status if it exits within `wait` (checked every few milliseconds).
fn exit_within(
    child: &mut std::process::Child,
    wait: Duration,
) -> Option<std::io::Result<std::process::ExitStatus>> {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(Ok(status)),
            Ok(None) if start.elapsed() >= wait => return None,
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Some(Err(e)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// OSC 8 hyperlinks.

/// The OSC 8 sequence that starts a link to `url` (ST-terminated, as the spec recommends).
pub fn osc8_open(url: &str) -> String {
    // A control character inside the URL would end the sequence early and spill the rest onto
    // the screen, so they are dropped.
    let url: String = url.chars().filter(|c| !c.is_control()).collect();
    format!("\x1b]8;;{url}\x1b\\")
}

/// The OSC 8 sequence that ends a link.
pub const OSC8_CLOSE: &str = "\x1b]8;;\x1b\\";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_alone_links_to_its_database() {
        let url = |k: &str| key_url(&crate::model::PaperKey(k.into()));
        assert_eq!(
            url("PMID:123").as_deref(),
            Some("https://pubmed.ncbi.nlm.nih.gov/123/")
        );
        assert_eq!(
            url("PMC:PMC9").as_deref(),
            Some("https://pmc.ncbi.nlm.nih.gov/articles/PMC9/")
        );
        assert_eq!(
            url("DOI:10.1/x").as_deref(),
            Some(doi_url("10.1/x").as_str())
        );
        assert_eq!(url("file:a.txt#1"), None);
        assert_eq!(url("PMID:"), None);
    }

    #[test]
    fn substitute_url_handles_percent_s_and_escaped_percent() {
        assert_eq!(
            substitute_url("--url=%s", "https://x"),
            ("--url=https://x".to_string(), true)
        );
        assert_eq!(substitute_url("100%%", "u"), ("100%".to_string(), false));
        assert_eq!(substitute_url("%d", "u"), ("%d".to_string(), false));
    }

    /// A user test with `BROWSER=nonexistent-browser-xyz`: `…: No such file or directory (os
    /// error 2)` left no room for "URL copied" beside it at 80 columns.
    #[test]
    fn a_program_that_is_not_installed_is_not_found() {
        let missing = Launch {
            program: "/nonexistent/tomes-test-browser".into(),
            args: vec!["https://example.org/".into()],
        };
        assert_eq!(
            start_detached(&missing),
            Err("/nonexistent/tomes-test-browser: not found".to_owned())
        );
        // Other errors keep their text.
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(failure_message("lynx", &denied), format!("lynx: {denied}"));
        let named = std::io::Error::other("lynx needs the terminal");
        assert_eq!(failure_message("lynx", &named), "lynx needs the terminal");
    }

    #[test]
    fn short_name_makes_vancouver_initials() {
        assert_eq!(short_name("Xiao’an Guo"), "Guo X");
        assert_eq!(short_name("Jean-Pierre Dupont"), "Dupont JP");
        assert_eq!(short_name("WHO"), "WHO");
        assert_eq!(short_name("Martin Luther King Jr."), "King ML Jr");
    }

    /// Six authors are named, then `et al` (ut23b: four authors were three and `et al`).
    #[test]
    fn a_citation_names_six_authors() {
        let names =
            |n: usize| -> Vec<String> { (1..=n).map(|i| format!("Ann Author{i}")).collect() };
        let cited = |n: usize| {
            let paper = Paper {
                authors: names(n),
                title: "T.".into(),
                ..Paper::default()
            };
            citation(&paper)
        };
        assert!(cited(4).starts_with("Author1 A, Author2 A, Author3 A, Author4 A. T."));
        assert!(cited(6).contains("Author6 A. T."), "{}", cited(6));
        assert!(cited(7).contains("Author6 A, et al. T."), "{}", cited(7));
    }
}
