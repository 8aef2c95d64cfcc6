//! Fixtures for the TUI tests: six hand-made papers sharing genes (CD274 / NCBIGene:29126 in
//! three, TP53 in three), diseases, a chemical, species, a variant and a cell line, plus
//! helpers to press keys and render screens. No corpus text: every sentence is invented.
#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::path::Path;
use tomes::app::{self, AppState, Effect, Key, Keymap};
use tomes::clipboard::CopyReport;
use tomes::library::Library;
use tomes::model::{
    EntityKey, EntityKind, Format, Link, Paper, PaperEntity, PaperIds, PaperKey, Section,
    SourceRef, Span,
};

/// An entity as a paper has it: one mention, no spans.
pub fn entity(kind: EntityKind, key: &str, name: &str, aliases: &[&str]) -> PaperEntity {
    PaperEntity {
        key: EntityKey(key.into()),
        kind,
        name: name.into(),
        description: None,
        aliases: aliases.iter().map(|&s| s.into()).collect(),
        mentions: 1,
        spans: Box::default(),
        named_by_group: false,
        name_weight: 1,
    }
}

fn cd274() -> PaperEntity {
    entity(EntityKind::Gene, "NCBIGene:29126", "CD274", &["PD-L1"])
}
fn tp53() -> PaperEntity {
    entity(EntityKind::Gene, "NCBIGene:7157", "TP53", &["p53"])
}
fn human() -> PaperEntity {
    entity(
        EntityKind::Species,
        "NCBITaxon:9606",
        "human",
        &["patients"],
    )
}

fn paper(pmid: Option<&str>, title: &str, year: i32, entities: Vec<PaperEntity>) -> Paper {
    let ids = PaperIds {
        pmid: pmid.map(str::to_owned),
        ..PaperIds::default()
    };
    Paper {
        key: PaperKey::from_ids(&ids, "fixture.txt"),
        ids,
        title: title.to_owned(),
        year: Some(year),
        entities,
        sources: vec![SourceRef {
            path: Path::new("fixtures/papers.pubtator").into(),
            line: 1,
            format: Format::PubTator,
            byte: None,
        }],
        ..Paper::default()
    }
}

/// The six fixture papers, in library order.
pub fn papers() -> Vec<Paper> {
    let title0 = "CD274 expression predicts checkpoint response in melanoma";
    let abstract0 = "We measured PD-L1 in tumours from 120 patients with melanoma. High CD274 \
                     predicted response; TP53 status did not.";
    // Offsets follow the PubTator convention: the abstract starts after the title and one
    // separating character.
    let base = title0.chars().count() as u32 + 1;
    let mut cd = cd274();
    cd.mentions = 2;
    cd.spans = vec![
        Span {
            start: base + 12,
            end: base + 17,
        },
        Span {
            start: base + 65,
            end: base + 70,
        },
    ]
    .into();
    let mut first = paper(
        Some("100001"),
        title0,
        2024,
        vec![
            cd,
            tp53(),
            entity(EntityKind::Disease, "MESH:D008545", "melanoma", &[]),
            human(),
        ],
    );
    first.authors = vec!["Ada Lovelace".into(), "Alan Turing".into()];
    first.journal = Some("Journal of Invented Results".into());
    first.date = Some("2024-05-02".into());
    first.summary_mut().tldr = Some("Tumour CD274 levels tell who responds.".into());
    first.summary_mut().contribution =
        Some("A cohort study linking one marker to response.".into());
    first.summary_mut().key_findings = vec![
        "High CD274 predicted response.".into(),
        "TP53 status did not.".into(),
    ];
    first.abstract_text = Some(abstract0.into());
    first.summary_mut().links = vec![Link {
        label: "Full text".into(),
        url: "https://example.org/100001".into(),
    }];
    first.summary_mut().sections = vec![Section {
        heading: "Limitations".into(),
        body: "A single centre.".into(),
    }];
    first.ids.doi = Some("10.1000/fixture.1".into());

    let second = paper(
        Some("100002"),
        "TP53 mutations and CD274 upregulation in lung adenocarcinoma",
        2023,
        vec![
            tp53(),
            cd274(),
            entity(
                EntityKind::Disease,
                "MESH:D000077192",
                "lung adenocarcinoma",
                &[],
            ),
            human(),
        ],
    );
    let third = paper(
        Some("100003"),
        "Mouse models of TP53 loss in breast cancer",
        2021,
        vec![
            tp53(),
            entity(EntityKind::Disease, "MESH:D001943", "breast cancer", &[]),
            entity(EntityKind::Species, "NCBITaxon:10090", "mouse", &["mice"]),
        ],
    );
    let fourth = paper(
        Some("100004"),
        "Cisplatin resistance through CD274 in ovarian cancer cells",
        2022,
        vec![
            cd274(),
            entity(EntityKind::Chemical, "MESH:D002945", "cisplatin", &[]),
            entity(EntityKind::Disease, "MESH:D010051", "ovarian cancer", &[]),
            entity(EntityKind::CellLine, "Cellosaurus:CVCL_0030", "HeLa", &[]),
            human(),
        ],
    );
    let mut fifth = paper(
        None,
        "A TP53 codon 72 variant in a population cohort",
        2020,
        vec![
            entity(
                EntityKind::Variant,
                "dbSNP:rs1042522",
                "rs1042522",
                &["P72R"],
            ),
            human(),
        ],
    );
    fifth.ids.pmcid = Some("PMC900005".into());
    fifth.key = PaperKey::from_ids(&fifth.ids, "fixture.txt");
    let mut sixth = paper(
        None,
        "Zebrafish fin regeneration needs fgf20a",
        2019,
        vec![
            entity(EntityKind::Gene, "name:gene:fgf20a", "fgf20a", &[]),
            entity(EntityKind::Species, "NCBITaxon:7955", "zebrafish", &[]),
        ],
    );
    sixth.ids.doi = Some("10.1000/Fixture.6".into());
    sixth.key = PaperKey::from_ids(&sixth.ids, "fixture.txt");
    vec![first, second, third, fourth, fifth, sixth]
}

pub fn library() -> Library {
    let mut library = Library::new();
    for p in papers() {
        library.add(p);
    }
    library
}

/// A browser on the six papers with the default keys.
pub fn state() -> AppState {
    AppState::new(library(), Keymap::defaults())
}

/// Presses keys given as specs (`"j"`, `"ctrl-d"`, `"enter"`), returning every effect.
pub fn press(state: &mut AppState, keys: &[&str]) -> Vec<Effect> {
    let mut effects = Vec::new();
    for spec in keys {
        let key = Key::parse(spec).unwrap_or_else(|e| panic!("bad key in test: {e}"));
        if let Some(action) = state.action_for_key(key) {
            effects.extend(app::update(state, action));
        }
    }
    effects
}

/// Types text into whatever has the keyboard.
pub fn type_text(state: &mut AppState, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        let key = Key::char(c);
        if let Some(action) = state.action_for_key(key) {
            effects.extend(app::update(state, action));
        }
    }
    effects
}

/// Renders the state into a `width` x `height` test terminal (twice, so the viewport the
/// first frame reports is used, as in the real loop) and returns the buffer.
pub fn render(state: &mut AppState, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    for _ in 0..2 {
        let mut viewport = state.viewport;
        terminal
            .draw(|f| viewport = tomes::ui::render(f, state))
            .expect("draw");
        state.viewport = viewport;
    }
    terminal.backend().buffer().clone()
}

/// The buffer as text, one line per row, trailing spaces kept so widths show.
pub fn buffer_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let cell = &buf[(x, y)];
            out.push_str(cell.symbol());
            skip = unicode_width_of(cell.symbol()).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

fn unicode_width_of(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Finds the first row containing `needle`.
pub fn row_of(buf: &Buffer, needle: &str) -> Option<u16> {
    buffer_text(buf)
        .lines()
        .position(|l| l.contains(needle))
        .map(|r| r as u16)
}

/// What a copy did: OSC 52 written to the terminal (else the terminal refused it), tmux took
/// it, inside tmux (a tmux that did not take it failed).
pub fn copy_report(osc52: bool, tmux: bool, in_tmux: bool) -> CopyReport {
    let mut errors = Vec::new();
    if !osc52 {
        errors.push("terminal: broken pipe".into());
    }
    if in_tmux && !tmux {
        errors.push("tmux: exited with exit status: 1".into());
    }
    CopyReport {
        osc52,
        local_tool: None,
        tmux,
        in_tmux,
        errors,
    }
}

/// A bookmark of `key` titled `title`, added at no particular time.
pub fn bookmark(key: &str, title: &str) -> tomes::bookmarks::Bookmark {
    tomes::bookmarks::Bookmark {
        key: PaperKey(key.into()),
        title: title.into(),
        added: String::new(),
        note: String::new(),
    }
}

/// The text of the message the status bar shows (empty when none).
pub fn message_text(s: &AppState) -> String {
    s.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// Every SGR parameter list in terminal output (`ESC [ … m`).
pub fn sgr_params(output: &str) -> Vec<String> {
    output
        .split("\x1b[")
        .skip(1)
        .filter_map(|seq| {
            let end = seq.find(|c: char| ('\x40'..='\x7e').contains(&c))?;
            (seq.as_bytes()[end] == b'm').then(|| seq[..end].to_string())
        })
        .collect()
}

/// The colour codes among an SGR's parameters: basic, bright, or the start of an extended
/// colour (38/48); not the resets to the default colour (39, 49, 59).
pub fn colour_codes(params: &str) -> Vec<u32> {
    params
        .split(';')
        .filter_map(|p| p.parse::<u32>().ok())
        .filter(|&p| matches!(p, 30..=38 | 40..=48 | 90..=97 | 100..=107))
        .collect()
}

/// A pseudo-terminal `rows` by `columns`, its master and slave sides, both closed on exec:
/// the end-to-end tests drive the browser on one, the CLI tests read what a command writes
/// to one.
#[cfg(unix)]
pub fn open_pty(rows: u16, columns: u16) -> (std::os::fd::OwnedFd, std::os::fd::OwnedFd) {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: rows,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two fds into the given ints; the other pointers may be null.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty failed: {}", std::io::Error::last_os_error());
    // SAFETY: both fds were just opened by openpty and are owned here.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    for fd in [&master, &slave] {
        // SAFETY: setting close-on-exec on a descriptor owned here.
        let rc = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
        assert_eq!(rc, 0, "fcntl: {}", std::io::Error::last_os_error());
    }
    (master, slave)
}
