//! Render tests: the screen drawn into a test terminal, snapshotted as text with insta, plus
//! cell-style checks where colour carries meaning (text snapshots lose styling).

mod common;

use common::{buffer_text, press, render, row_of, state, type_text};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use tomes::app::{Action, AppState, Appearance, Effect};
use tomes::bookmarks::{Notice, NoticeKind};
use tomes::search::{Hit, QueryError, SearchResults};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snapshot_at_sizes(name: &str, setup: impl Fn(&mut AppState)) {
    for (w, h) in SIZES {
        let mut s = state();
        setup(&mut s);
        let buf = render(&mut s, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), buffer_text(&buf));
    }
}

#[test]
fn main_screen() {
    snapshot_at_sizes("main", |_| {});
}

#[test]
fn after_a_jump_to_cd274() {
    snapshot_at_sizes("jump", |s| {
        press(s, &["j", "tab", "tab", "enter"]);
    });
}

#[test]
fn help_overlay() {
    snapshot_at_sizes("help", |s| {
        press(s, &["?"]);
    });
}

#[test]
fn search_with_an_error() {
    snapshot_at_sizes("search_error", |s| {
        search_answered(
            s,
            "gene:",
            None,
            Err(QueryError {
                message: "gene: needs a value after the colon".into(),
            }),
        );
    });
}

/// `brca OR` was let by while typing (OR may be the start of the gene OR2T4) and refused
/// at Enter, the search line saying nothing until then. It now says what Enter will, dimmed
/// after the query, while the list stays as `brca` finds it and the layout does not move;
/// `brca OR tp53` is an error as before, and the OR of `OR2T4` no hint once typed on.
#[test]
fn a_last_or_typed_is_a_hint_on_the_search_line() {
    let mut s = state();
    search_answered(
        &mut s,
        "brca OR",
        None,
        Ok(vec![Hit { paper: 1, score: 3 }]),
    );
    assert_eq!(s.search.error, None);
    assert_eq!(s.view().rows.len(), 1, "the list as `brca` finds it");
    let buf = render(&mut s, 80, 24);
    insta::assert_snapshot!("search_or_hint_80x24", buffer_text(&buf));
    let line = buffer_text(&buf)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(
        line.starts_with("/ brca OR  OR is not supported: every term must match ")
            && line.trim_end().ends_with('…')
            && !line.contains('✗'),
        "{line:?}"
    );
    let (x, y) = cell_at(&buf, "OR is not supported");
    assert_ne!(buf[(x, y)].fg, Color::Red, "a hint, not an error");
    assert_eq!(row_of(&buf, "┌ Search"), Some(1), "no rows under the line");
    // Wide, whole.
    let buf = render(&mut s, 120, 24);
    assert!(
        buffer_text(&buf)
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end()
            .ends_with(
                "OR is not supported: every term must match (search for each in turn; 'OR finds \
             the word)"
            ),
        "{}",
        buffer_text(&buf)
    );
    // The next word makes it the error it is.
    type_text(&mut s, " tp53");
    let buf = render(&mut s, 80, 24);
    assert!(
        row_of(&buf, "✗ OR is not supported").is_some(),
        "{}",
        buffer_text(&buf)
    );
    // Typing on into a word, no hint.
    press(&mut s, &["esc"]);
    search_answered(
        &mut s,
        "brca OR2",
        None,
        Ok(vec![Hit { paper: 1, score: 3 }]),
    );
    let line = buffer_text(&render(&mut s, 80, 24))
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(line.trim_end(), "/ brca OR2");
    // Enter still refuses it.
    press(&mut s, &["esc"]);
    search_answered(
        &mut s,
        "brca OR",
        None,
        Ok(vec![Hit { paper: 1, score: 3 }]),
    );
    press(&mut s, &["enter"]);
    assert!(s.search.editing);
    assert!(
        s.search
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("OR is not supported")),
        "{:?}",
        s.search.error
    );
}

#[test]
fn zoomed_detail() {
    snapshot_at_sizes("zoom_detail", |s| {
        press(s, &["tab", "z"]);
    });
}

/// States worth drawing small: each overlay, a search with an error, a long query being
/// typed, a zoomed pane, focus on each pane, a related view.
fn small_screen_states() -> Vec<AppState> {
    let mut states = Vec::new();
    for keys in [
        &[][..],
        &["?"],
        &["p"],
        &["y"],
        &["e"],
        &["tab"],
        &["tab", "tab"],
        &["tab", "tab", "enter"],
        &["tab", "z"],
        &["r"],
        &["B"],
    ] {
        let mut s = state();
        press(&mut s, keys);
        states.push(s);
    }
    let mut s = state();
    s.problems = (0..1234)
        .map(|i| tomes::model::Problem::new("bad.pubtator", Some(i), "bad offsets"))
        .collect();
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "gene: and a long query that runs past the edge");
    let Some(Effect::Search { generation, .. }) = effects.last().cloned() else {
        panic!("no search effect");
    };
    s.apply_search_results(SearchResults {
        generation,
        query: String::new(),
        searched: 0,
        corrected: None,
        letters_apart: Vec::new(),
        outcome: Err(QueryError {
            message: "gene: needs a value after the colon, as in gene:TP53 or gene:\"PD-L1\""
                .into(),
        }),
    });
    states.push(s);
    states
}

#[test]
fn tiny_terminals_do_not_panic() {
    for mut s in small_screen_states() {
        for (w, h) in [(1, 1), (10, 3), (200, 1), (1, 50), (2, 2), (19, 5), (20, 6)] {
            let _ = render(&mut s, w, h);
        }
        for w in 1..=45 {
            for h in 1..=14 {
                let _ = render(&mut s, w, h);
            }
        }
    }
}

/// Rows of papers drawn in the list (the top pane): its non-empty rows inside the border.
fn list_rows_drawn(text: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let Some(top) = lines.iter().position(|l| l.starts_with('┌')) else {
        return 0;
    };
    if lines[top].contains("Detail") || lines[top].contains("Entities") {
        return 0;
    }
    lines[top + 1..]
        .iter()
        .take_while(|l| l.starts_with('│'))
        .filter(|l| l.trim_matches(|c| c == '│' || c == ' ').len() > 2)
        .count()
}

/// At 30x8 the list keeps the body (detail and entities have no room under it): four papers
/// and the search line, rather than an empty list over two cramped panes.
#[test]
fn a_30x8_terminal_shows_papers_and_the_search_line() {
    let mut s = state();
    let buf = render(&mut s, 30, 8);
    let text = buffer_text(&buf);
    insta::assert_snapshot!("main_30x8", text);
    assert_eq!(list_rows_drawn(&text), 4, "{text}");
    assert!(text.starts_with("/ search  ? help  "), "{text}");
    // Tab shows the detail pane in the list's place; the list is back on shift-tab.
    press(&mut s, &["tab"]);
    let text = buffer_text(&render(&mut s, 30, 8));
    insta::assert_snapshot!("detail_30x8", text);
    assert!(text.contains("┌ Detail"), "{text}");
    press(&mut s, &["shift-tab"]);
    assert_eq!(list_rows_drawn(&buffer_text(&render(&mut s, 30, 8))), 4);
    // An entity's list drops "papers with" from its heading, then the id, before cutting
    // its name.
    press(&mut s, &["tab", "tab", "enter"]);
    let text = buffer_text(&render(&mut s, 30, 8));
    insta::assert_snapshot!("jump_30x8", text);
    assert!(text.contains("┌ CD274 [NCBIGene:29126] (3) "), "{text}");
}

#[test]
fn a_30x8_search_shows_the_end_of_a_long_query_and_cuts_the_error_at_a_word() {
    let mut s = small_screen_states().pop().expect("the search state");
    let text = buffer_text(&render(&mut s, 30, 8));
    insta::assert_snapshot!("search_error_30x8", text);
    let first = text.lines().next().unwrap_or("");
    assert!(
        first.starts_with("/ …") && first.ends_with("past the edge "),
        "{first:?}"
    );
    let error_row = text.lines().nth(1).unwrap_or("");
    assert!(
        error_row.starts_with("  ✗ gene: needs a") && error_row.trim_end().ends_with('…'),
        "{error_row:?}"
    );
    assert!(list_rows_drawn(&text) >= 2, "{text}");
}

/// From 10 rows the detail pane has room under the list; from 60 columns the entities pane
/// sits beside it; narrower, the focused one of the two takes the row.
#[test]
fn small_terminals_give_the_list_its_rows_first() {
    let mut s = state();
    for (w, h) in [(40, 12), (50, 14), (59, 20), (60, 20), (79, 24)] {
        let text = buffer_text(&render(&mut s, w, h));
        assert!(list_rows_drawn(&text) >= 3, "{w}x{h}:\n{text}");
        assert!(text.contains("┌ Detail"), "{w}x{h}:\n{text}");
        assert_eq!(text.contains("┌ Entities"), w >= 60, "{w}x{h}:\n{text}");
    }
    press(&mut s, &["tab", "tab"]);
    let text = buffer_text(&render(&mut s, 40, 12));
    assert!(
        text.contains("┌ Entities") && !text.contains("┌ Detail"),
        "{text}"
    );
    // A layout forced side by side does not squeeze three panes into 40 columns.
    s.appearance.arrangement = tomes::app::Arrangement::SideBySide;
    let text = buffer_text(&render(&mut s, 40, 12));
    assert!(list_rows_drawn(&text) >= 3, "{text}");
}

#[test]
fn wide_layout_puts_the_three_panes_side_by_side() {
    let mut s = state();
    let buf = render(&mut s, 200, 50);
    let top = buffer_text(&buf).lines().nth(1).unwrap_or("").to_owned();
    for title in ["Papers (6)", "Detail", "Entities"] {
        assert!(top.contains(title), "{title} missing from {top:?}");
    }
}

/// The style of the cell at the first occurrence of `needle` (after skipping `skip` rows).
fn cell_at(buf: &Buffer, needle: &str) -> (u16, u16) {
    let text = buffer_text(buf);
    for (y, line) in text.lines().enumerate() {
        if let Some(byte) = line.find(needle) {
            let x = line[..byte].chars().count() as u16;
            return (x, y as u16);
        }
    }
    panic!("{needle:?} not on screen:\n{text}");
}

#[test]
fn the_focused_pane_has_a_coloured_bold_border() {
    let mut s = state();
    let buf = render(&mut s, 80, 24);
    let papers_corner = buf[(0u16, 1u16)].style();
    assert_eq!(papers_corner.fg, Some(Color::Cyan));
    assert!(papers_corner.add_modifier.contains(Modifier::BOLD));
    // The others are faint in the terminal's own colour: a grey can be any colour in a
    // palette (Solarized's colour 8 is its background).
    let faint = |style: ratatui::style::Style| {
        style.add_modifier.contains(Modifier::DIM) && matches!(style.fg, None | Some(Color::Reset))
    };
    let (x, y) = cell_at(&buf, "┌ Detail");
    assert!(faint(buf[(x, y)].style()), "{:?}", buf[(x, y)].style());
    press(&mut s, &["tab"]);
    let buf = render(&mut s, 80, 24);
    assert_eq!(buf[(x, y)].style().fg, Some(Color::Cyan));
    assert!(faint(buf[(0u16, 1u16)].style()));
}

/// Types `query` on the search line and gives the app the worker's answer to it: `outcome`,
/// found by the query `corrected` when there is one.
fn search_answered(
    s: &mut AppState,
    query: &str,
    corrected: Option<tomes::search::Correction>,
    outcome: Result<Vec<Hit>, QueryError>,
) {
    press(s, &["/"]);
    let effects = type_text(s, query);
    let Some(Effect::Search { generation, .. }) = effects.last().cloned() else {
        panic!("no search effect");
    };
    s.apply_search_results(SearchResults {
        generation,
        query: query.into(),
        searched: 0,
        corrected,
        letters_apart: Vec::new(),
        outcome,
    });
}

#[test]
fn search_matches_are_highlighted_in_titles() {
    let mut s = state();
    search_answered(&mut s, "zebra", None, Ok(vec![Hit { paper: 5, score: 9 }]));
    // The only hit is the selected row: there the match is bold and underlined in the
    // row's own colours (yellow on the selection's cyan could hardly be read).
    let buf = render(&mut s, 80, 24);
    let (x, y) = cell_at(&buf, "Zebrafish fin");
    let matched = Modifier::BOLD | Modifier::UNDERLINED;
    for dx in 0..5 {
        let style = buf[(x + dx, y)].style();
        assert!(
            style.add_modifier.contains(matched) && style.fg == Some(Color::Black),
            "matched character {dx} is highlighted: {style:?}"
        );
    }
    let unmatched = buf[(x + 5, y)].style();
    assert!(
        !unmatched.add_modifier.contains(Modifier::UNDERLINED),
        "'f' after the match is not"
    );
    // On a row not selected, the match is in the highlight colour.
    s.apply_search_results(SearchResults {
        generation: s.search.generation,
        query: "zebra".into(),
        searched: 0,
        corrected: None,
        letters_apart: Vec::new(),
        outcome: Ok(vec![Hit { paper: 0, score: 9 }, Hit { paper: 5, score: 8 }]),
    });
    press(&mut s, &["enter", "k"]);
    assert_eq!(s.selected_paper(), Some(0));
    let buf = render(&mut s, 80, 24);
    let (x, y) = cell_at(&buf, "Zebrafish fin");
    let style = buf[(x, y)].style();
    assert!(
        style.add_modifier.contains(Modifier::BOLD) && style.fg == Some(Color::Yellow),
        "{style:?}"
    );
}

#[test]
fn entity_mentions_are_highlighted_in_the_abstract() {
    let mut s = state();
    press(&mut s, &["tab", "z"]);
    let buf = render(&mut s, 100, 40);
    // "PD-L1" is at the offsets the fixture's span gives; "melanoma" is found by name.
    for word in ["PD-L1", "melanoma."] {
        let (x, y) = cell_at(&buf, word);
        assert_eq!(buf[(x, y)].style().fg, Some(Color::Yellow), "{word}");
    }
    let (x, y) = cell_at(&buf, "We measured");
    assert_ne!(buf[(x, y)].style().fg, Some(Color::Yellow));
    // In the title too, keeping the title's bold.
    let (x, y) = cell_at(&buf, "CD274 expression");
    let style = buf[(x, y)].style();
    assert_eq!(style.fg, Some(Color::Yellow));
    assert!(style.add_modifier.contains(Modifier::BOLD));
    assert_ne!(
        buf[(x + 6, y)].style().fg,
        Some(Color::Yellow),
        "'expression' is no entity"
    );
}

#[test]
fn shared_entities_stand_out() {
    let mut s = state();
    let buf = render(&mut s, 160, 48);
    let (x, y) = cell_at(&buf, " TP53 NCBIGene:7157");
    let shared = buf[(x + 1, y)].style();
    assert!(shared.add_modifier.contains(Modifier::BOLD));
    assert_eq!(shared.fg, Some(Color::Green));
    let (x, y) = cell_at(&buf, " melanoma MESH:D008545");
    let single = buf[(x + 1, y)].style();
    assert!(!single.add_modifier.contains(Modifier::BOLD));
}

#[test]
fn no_color_uses_no_colours_at_all() {
    let mut s = state();
    s.appearance = Appearance {
        no_color: true,
        ..Appearance::default()
    };
    press(&mut s, &["/"]);
    type_text(&mut s, "tp");
    for (w, h) in SIZES {
        let buf = render(&mut s, w, h);
        for cell in buf.content() {
            assert_eq!(cell.fg, Color::Reset, "fg colour at {cell:?}");
            assert_eq!(cell.bg, Color::Reset, "bg colour at {cell:?}");
        }
        // The focus is still visible: a bold border of thick lines, the other panes' thin.
        assert!(
            buf[(0u16, 1u16)]
                .style()
                .add_modifier
                .contains(Modifier::BOLD)
        );
        assert_eq!(buf[(0u16, 1u16)].symbol(), "┏", "{w}x{h}");
    }
    press(&mut s, &["enter", "tab"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert_eq!(text.matches('┏').count(), 1, "one focused pane:\n{text}");
    assert!(text.contains('┌'), "{text}");
    // In colour the focus is the accent colour; lines stay thin.
    s.appearance.no_color = false;
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(!text.contains('┏'), "{text}");
}

#[test]
fn status_bar_shows_load_progress_and_problems() {
    use tomes::library::LoadEvent;
    let mut s = AppState::loading(tomes::app::Keymap::defaults());
    s.apply_load_event(LoadEvent::Found {
        files: 30,
        paths: Vec::new(),
        bytes: 0,
        walk_problems: vec![tomes::model::Problem::new("x.txt", Some(3), "bad")],
    });
    let buf = render(&mut s, 80, 24);
    let y = row_of(&buf, "loading 0/30 files…").expect("progress on screen");
    assert_eq!(y, 23);
    assert!(row_of(&buf, "1 problem (p)").is_some());
    press(&mut s, &["p"]);
    let buf = render(&mut s, 80, 24);
    assert!(row_of(&buf, "x.txt:3: bad").is_some());
    press(&mut s, &["esc"]);
    // With the input's size known, progress is by bytes: a large file is one file for most
    // of its load.
    let mut s = AppState::loading(tomes::app::Keymap::defaults());
    s.apply_load_event(LoadEvent::Found {
        files: 5,
        paths: Vec::new(),
        bytes: 1000,
        walk_problems: Vec::new(),
    });
    s.apply_load_event(LoadEvent::Batch {
        parsed: tomes::formats::Parsed {
            papers: common::papers()[..2].to_vec(),
            problems: Vec::new(),
        },
        docs: Vec::new(),
        file_done: false,
        bytes: 0,
        progress_bytes: 380,
    });
    let buf = render(&mut s, 80, 24);
    assert_eq!(row_of(&buf, "2 loaded · loading 38%…"), Some(23));
}

/// A user test loading one file read `loading 0/1 files…`.
#[test]
fn load_progress_of_one_file_says_file() {
    let mut s = AppState::loading(tomes::app::Keymap::defaults());
    s.apply_load_event(tomes::library::LoadEvent::Found {
        files: 1,
        paths: Vec::new(),
        bytes: 0,
        walk_problems: Vec::new(),
    });
    let buf = render(&mut s, 80, 24);
    assert_eq!(row_of(&buf, "loading 0/1 file…"), Some(23));
}

/// Not a pass/fail test (no timing assertions): prints what drawing and scrolling cost on a
/// 100 000-paper library. Run with `cargo test --release --test render -- --ignored
/// --nocapture measure`.
#[test]
#[ignore]
fn measure_scrolling_100k_papers() {
    use std::time::Instant;
    use tomes::model::{Paper, PaperIds, PaperKey};
    let mut library = tomes::library::Library::new();
    let fixtures = common::papers();
    for i in 0..100_000u32 {
        let template = &fixtures[i as usize % fixtures.len()];
        let ids = PaperIds {
            pmid: Some(format!("{}", 1_000_000 + i)),
            ..PaperIds::default()
        };
        library.add(Paper {
            key: PaperKey::from_ids(&ids, ""),
            ids,
            title: format!("{} #{i}", template.title),
            ..template.clone()
        });
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48)).expect("terminal");
    let start = Instant::now();
    let frames = 2_000;
    for i in 0..frames {
        press(&mut s, &[if i % 500 == 499 { "G" } else { "pgdn" }]);
        let mut viewport = s.viewport;
        terminal
            .draw(|f| viewport = tomes::ui::render(f, &s))
            .expect("draw");
        s.viewport = viewport;
    }
    let per_frame = start.elapsed() / frames;
    eprintln!("100k papers: {per_frame:?} per key + frame at 160x48");
    let start = Instant::now();
    for _ in 0..frames {
        terminal
            .draw(|f| {
                tomes::ui::render(f, &s);
            })
            .expect("draw");
    }
    eprintln!(
        "100k papers: {:?} per frame alone",
        start.elapsed() / frames
    );
    let start = Instant::now();
    for _ in 0..frames {
        press(&mut s, &["k"]);
    }
    eprintln!("100k papers: {:?} per key alone", start.elapsed() / frames);
    let start = Instant::now();
    press(&mut s, &["/"]);
    type_text(&mut s, "tp53");
    eprintln!("starting a search view on 100k rows: {:?}", start.elapsed());
}

/// The aka line shows each alias once whatever its case, and ends in an ellipsis when more
/// names follow than its rows hold (it was cut after a row without one).
#[test]
fn aliases_are_shown_once_and_a_cut_list_says_so() {
    let mut papers = common::papers();
    let cd274 = papers[0]
        .entities
        .iter_mut()
        .find(|e| e.key.as_str() == "NCBIGene:29126")
        .expect("CD274 in the first paper");
    let mut aliases: Vec<tomes::model::SharedStr> = cd274.aliases.to_vec();
    for alias in ["pd-l1", "PD-L1", "b7-h", "programmed death ligand 1"] {
        aliases.push(alias.into());
    }
    // (Sorted after the others, aliases used as often being in the order of their text.)
    for i in 0..12 {
        aliases.push(format!("zz alias number {i}").as_str().into());
    }
    cd274.aliases = aliases.into();
    let mut library = tomes::library::Library::new();
    for p in papers {
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    press(&mut s, &["tab", "tab"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    let aka = text
        .lines()
        .find(|l| l.contains("aka "))
        .unwrap_or_else(|| panic!("an aka row:\n{text}"));
    let lower = aka.to_lowercase();
    assert_eq!(lower.matches("pd-l1").count(), 1, "{aka}");
    assert_eq!(lower.matches("b7-h").count(), 1, "{aka}");
    assert!(aka.trim_end_matches(['│', ' ']).ends_with('…'), "{aka}");
}

#[test]
fn entities_pane_focused_shows_aliases_and_co_mentioned() {
    let mut s = state();
    press(&mut s, &["tab", "tab"]);
    let buf = render(&mut s, 160, 48);
    insta::assert_snapshot!("entities_focused_160x48", buffer_text(&buf));
    assert!(row_of(&buf, "aka PD-L1").is_some());
    assert!(row_of(&buf, "with Homo sapiens (3), TP53 (2)").is_some());
}

/// The entities pane's `with …` line, its wrapped rows joined: from `with ` at the pane's
/// left edge down while the rows continue it (indented).
fn with_line(buf: &Buffer) -> String {
    let text = buffer_text(buf);
    let rows: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let Some(x) = rows.iter().find_map(|row| {
        let line: String = row.iter().collect();
        let at = line.find("┌ Entities")?;
        Some(line[..at].chars().count() + 1)
    }) else {
        return String::new();
    };
    for (y, row) in rows.iter().enumerate() {
        let starts: String = row.iter().skip(x).take(5).collect();
        if starts != "with " || row.get(x - 1) != Some(&'│') {
            continue;
        }
        let mut joined = Vec::new();
        for row in &rows[y..] {
            if row.get(x - 1) != Some(&'│') {
                break;
            }
            let part: String = row[x..].iter().take_while(|&&c| c != '│').collect();
            if !joined.is_empty() && !part.starts_with("  ") {
                break;
            }
            joined.push(part.trim().to_owned());
        }
        return joined.join(" ");
    }
    String::new()
}

/// A user test read `with tumor (25)` under `toxicity`, which shares papers with 735 other
/// entities: the line was cut to what fits without saying so. Cut, it ends with how many
/// more there are (`+6 more`, `+6` where that fits, else `…`), whatever the width.
#[test]
fn the_with_line_says_how_many_more_it_leaves_out() {
    let mut s = state();
    press(&mut s, &["tab", "tab"]);
    s.finish_pending_work();
    let (_, co) = s.co_mentioned.clone().expect("counted");
    assert_eq!(
        (co.len(), s.co_mentioned_total),
        (5, 7),
        "the top five of seven"
    );
    let buf = render(&mut s, 80, 24);
    assert_eq!(
        with_line(&buf),
        "with Homo sapiens (3) +6",
        "{}",
        buffer_text(&buf)
    );
    let buf = render(&mut s, 160, 48);
    let with = with_line(&buf);
    assert!(
        with.starts_with("with Homo sapiens (3), TP53 (2), ") && with.ends_with(" (1) +2 more"),
        "{with}"
    );
    let mut checked = 0;
    for width in 40..=240 {
        for height in [24, 48] {
            let buf = render(&mut s, width, height);
            let with = with_line(&buf);
            if with.is_empty() {
                continue;
            }
            checked += 1;
            let names = with
                .trim_end_matches(" more")
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .trim_end_matches(" +")
                .trim_end_matches(" …");
            let more = 7 - names.split(", ").count();
            assert!(
                with.ends_with(&format!(" +{more} more"))
                    || with.ends_with(&format!(" +{more}"))
                    || with.ends_with(" …"),
                "{width}x{height}: {with:?}"
            );
        }
    }
    assert!(checked > 300, "{checked} widths had a with line");
}

/// At 80x24 a name and id too long for one line ("bipolar disorder MESH:D001714") took two
/// lines under the entity list, and the `with …` line went: the id now leads the aka line.
#[test]
fn entity_box_keeps_the_with_line_when_name_and_id_take_two_lines() {
    let disease = |key: &str, name: &str, aliases: &[&str]| tomes::model::PaperEntity {
        key: tomes::model::EntityKey(key.into()),
        kind: tomes::model::EntityKind::Disease,
        name: name.into(),
        description: None,
        aliases: aliases.iter().map(|&a| a.into()).collect(),
        mentions: 1,
        spans: Vec::new().into(),
        named_by_group: false,
        name_weight: tomes::model::PaperEntity::weight_of_mentions(1),
    };
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        p.entities = vec![disease(
            "MESH:D001714",
            "bipolar disorder",
            &["manic depression", "mood disorder, bipolar"],
        )];
        if i < 2 {
            p.entities.push(disease("MESH:D001523", "psychosis", &[]));
        }
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    press(&mut s, &["tab", "tab"]);
    s.finish_pending_work();
    let buf = render(&mut s, 80, 24);
    let text = buffer_text(&buf);
    assert!(row_of(&buf, "│bipolar disorder ").is_some(), "{text}");
    assert!(
        row_of(&buf, "│MESH:D001714 aka manic …").is_some(),
        "{text}"
    );
    assert!(row_of(&buf, "│with psychosis (2)").is_some(), "{text}");
    // Where name and id fit one line, the aka line is as it was.
    let buf = render(&mut s, 160, 48);
    assert!(
        row_of(&buf, "│bipolar disorder MESH:D001714").is_some(),
        "{}",
        buffer_text(&buf)
    );
}

/// The user's own run: `with ADAM17 (1), ADAM17 (1)` named a human and a mouse gene alike.
/// Entities of one name in the `with …` line are told apart by their ids' local parts.
/// A gene of one mention, with no aliases, as a paper lists it.
fn gene(key: &str, name: &str) -> tomes::model::PaperEntity {
    tomes::model::PaperEntity {
        key: tomes::model::EntityKey(key.into()),
        kind: tomes::model::EntityKind::Gene,
        name: name.into(),
        description: None,
        aliases: Vec::new().into(),
        mentions: 1,
        spans: Vec::new().into(),
        named_by_group: false,
        name_weight: tomes::model::PaperEntity::weight_of_mentions(1),
    }
}

#[test]
fn co_mentioned_entities_of_one_name_show_their_ids() {
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        p.entities = vec![gene("NCBIGene:7124", "TNF")];
        match i {
            0 => p.entities.push(gene("NCBIGene:6868", "ADAM17")),
            1 => p.entities.push(gene("NCBIGene:11491", "ADAM17")),
            2 => p.entities.push(gene("NCBIGene:3569", "IL6")),
            _ => {}
        }
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    press(&mut s, &["tab", "tab"]);
    s.finish_pending_work();
    let buf = render(&mut s, 120, 30);
    let text = buffer_text(&buf);
    assert!(text.contains("ADAM17 6868 (1)"), "{text}");
    assert!(text.contains("ADAM17 11491 (1)"), "{text}");
    assert!(text.contains("IL6 (1)"), "{text}");
}

/// Two shared entities of one name (human MTOR and mouse Mtor, both "mTOR" in the abstracts)
/// are named once in what a related paper shares, not "mTOR, mTOR".
#[test]
fn shared_entities_of_one_name_are_named_once() {
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        if i < 2 {
            p.entities = vec![
                gene("NCBIGene:2475", "mTOR"),
                gene("NCBIGene:56717", "mTOR"),
                gene("NCBIGene:7157", "TP53"),
            ];
        }
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    press(&mut s, &["r"]);
    s.finish_pending_work();
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("shares: mTOR, TP53"), "{text}");
    assert!(!text.contains("mTOR, mTOR"), "{text}");
}

/// A user test's related list said "TAM" on every row: the tamoxifen paper's own
/// abbreviation, its most mentioned name. A shared entity is named by the name the library
/// uses most of those the paper uses; a name the paper does not use is not taken (a seed's
/// generic "disease" stays so).
#[test]
fn shared_entities_are_named_by_the_librarys_name_the_paper_uses() {
    let chemical = |name: &str, aliases: &[&str], mentions: u32| tomes::model::PaperEntity {
        key: tomes::model::EntityKey("MESH:D013629".into()),
        kind: tomes::model::EntityKind::Chemical,
        name: name.into(),
        description: None,
        aliases: aliases.iter().map(|&a| a.into()).collect(),
        mentions,
        spans: Vec::new().into(),
        named_by_group: false,
        name_weight: tomes::model::PaperEntity::weight_of_mentions(mentions),
    };
    let disease = |name: &str| {
        let mut d = gene("MESH:D004194", name);
        d.kind = tomes::model::EntityKind::Disease;
        d
    };
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        p.entities = match i {
            0 => vec![chemical("TAM", &["Tamoxifen"], 18), disease("disease")],
            1 | 2 => vec![chemical("tamoxifen", &[], 3), disease("Oddword")],
            _ => Vec::new(),
        };
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    press(&mut s, &["r"]);
    s.finish_pending_work();
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("shares: tamoxifen, disease"), "{text}");
    assert!(!text.contains("TAM"), "{text}");
}

/// An entity row names the entity as the paper on screen does; the name most mentions across
/// the library give it (an abbreviation another paper used a lot) is under the list.
#[test]
fn entity_rows_use_the_papers_own_name() {
    let chemical = |name: &str, mentions: u32| tomes::model::PaperEntity {
        key: tomes::model::EntityKey("MESH:D010634".into()),
        kind: tomes::model::EntityKind::Chemical,
        name: name.into(),
        description: None,
        aliases: Vec::new().into(),
        mentions,
        spans: Vec::new().into(),
        named_by_group: false,
        name_weight: tomes::model::PaperEntity::weight_of_mentions(mentions),
    };
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        match i {
            0 => p.entities = vec![chemical("Phenobarbital", 1)],
            2 => {
                // One mention annotated with two entities names both alike in this paper.
                let mut other = chemical("PB and cisplatin", 1);
                other.key = tomes::model::EntityKey("MESH:D002945".into());
                p.entities = vec![chemical("PB and cisplatin", 1), other];
            }
            1 => p.entities = vec![chemical("PB", 40)],
            _ => {}
        }
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    let e = s
        .library
        .index()
        .by_key(&tomes::model::EntityKey("MESH:D010634".into()))
        .expect("indexed");
    assert_eq!(s.library.index().entity(e).name, "PB", "the library's name");
    press(&mut s, &["tab", "tab"]);
    let buf = render(&mut s, 80, 24);
    let text = buffer_text(&buf);
    assert!(row_of(&buf, "│ Phenobarbit").is_some(), "{text}");
    // Under the list: the library's name, with this paper's as the list a jump opens
    // says it (ut23b took the row and the box for two entities).
    assert!(
        row_of(&buf, "│PB (here: Phenobarbital)").is_some(),
        "{text}"
    );
    assert!(!text.contains("aka Phenobarbital"), "{text}");
    press(&mut s, &["shift-tab", "shift-tab", "j", "tab", "tab"]);
    // A name the paper gives two entities does not tell them apart: the library's names.
    press(&mut s, &["shift-tab", "shift-tab", "j", "tab", "tab"]);
    let text = buffer_text(&render(&mut s, 160, 48));
    assert!(text.contains("│ PB MESH:D010634"), "{text}");
    assert_eq!(text.matches("│ PB and cisplatin").count(), 1, "{text}");
    press(&mut s, &["shift-tab", "shift-tab", "k", "tab", "tab"]);
    let buf = render(&mut s, 160, 48);
    assert!(
        row_of(&buf, "│ PB MESH:D010634").is_some(),
        "{}",
        buffer_text(&buf)
    );
}

/// An entity row falls back to the library's name when the paper's name for it is a name or
/// an alias of another of its entities ("BRCA1/2", BRCA1's only mention, is also an alias of
/// BRCA2), and a species row always uses it ("Patients" is who was studied, not the species).
#[test]
fn entity_rows_use_the_librarys_name_when_the_papers_would_mislead() {
    let gene = |key: &str, name: &str, aliases: &[&str]| tomes::model::PaperEntity {
        key: tomes::model::EntityKey(key.into()),
        kind: tomes::model::EntityKind::Gene,
        name: name.into(),
        description: None,
        aliases: aliases.iter().map(|&a| a.into()).collect(),
        mentions: 1,
        spans: Vec::new().into(),
        named_by_group: false,
        name_weight: 1,
    };
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        match i {
            0 => {
                let mut patients = p.entities[3].clone();
                patients.name = "Patients".into();
                patients.aliases = vec!["human".into()].into();
                p.entities = vec![
                    gene("NCBIGene:675", "BRCA2", &["brca1/2"]),
                    gene("NCBIGene:672", "BRCA1/2", &[]),
                    patients,
                ];
            }
            1 => p.entities.extend([
                gene("NCBIGene:672", "BRCA1", &[]),
                gene("NCBIGene:675", "BRCA2", &[]),
            ]),
            _ => {}
        }
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    press(&mut s, &["tab", "tab"]);
    let text = buffer_text(&render(&mut s, 160, 48));
    assert!(text.contains("│ BRCA1 NCBIGene:672"), "{text}");
    assert!(text.contains("│ BRCA2 NCBIGene:675"), "{text}");
    assert!(!text.contains("│ BRCA1/2"), "{text}");
    // A common taxon goes by its scientific name (`COMMON_TAXA`), not "human" nor "Patients".
    assert!(text.contains("│ Homo sapiens"), "{text}");
    assert!(!text.contains("│ Patients"), "{text}");
}

/// The list keeps a year column only while a row on screen has a year: with none (PubTator
/// and BioC records), titles run to the border instead of stopping five columns short.
#[test]
fn the_year_column_is_kept_only_on_rows_with_a_year() {
    let long = "Tumour microenvironment signals shape checkpoint response across many \
                cohorts of patients with melanoma";
    let library_with = |year_of_second: Option<i32>| {
        let mut library = tomes::library::Library::new();
        for (i, mut p) in common::papers().into_iter().enumerate() {
            p.year = if i == 1 { year_of_second } else { None };
            if i == 0 {
                p.title = long.into();
            }
            library.add(p);
        }
        AppState::new(library, tomes::app::Keymap::defaults())
    };
    let first_row = |text: &str| {
        text.lines()
            .find(|l| l.contains("Tumour microenvironment"))
            .unwrap_or_else(|| panic!("the row is shown:\n{text}"))
            .to_owned()
    };
    // No year anywhere: the title's ellipsis sits against the border.
    let mut s = library_with(None);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(first_row(&text).ends_with("…│"), "{text}");
    // A year on screen: the column is there for the row that has one; a row without one
    // gives it to its title rather than keeping five blank columns (at 60x20 too).
    for (w, h) in [(80, 24), (60, 20)] {
        let mut s = library_with(Some(2019));
        let text = buffer_text(&render(&mut s, w, h));
        assert!(first_row(&text).ends_with("…│"), "{text}");
        assert!(text.contains(" 2019│"), "{text}");
    }
}

/// A match past the row's end is brought into view: the row starts at its word, after an
/// ellipsis, rather than showing no sign of why the paper matched.
#[test]
fn a_match_past_the_rows_end_is_shown_from_its_word() {
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        if i == 0 {
            p.title = "Effect of the abrogation of a growth factor by antisense \
                       oligonucleotides on the expression of receptors in fibroblasts \
                       from keloid scars"
                .into();
        }
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    press(&mut s, &["/"]);
    type_text(&mut s, "keloid");
    let generation = s.search.generation;
    s.apply_search_results(SearchResults {
        generation,
        query: "keloid".into(),
        searched: 6,
        corrected: None,
        letters_apart: Vec::new(),
        outcome: Ok(vec![Hit { paper: 0, score: 1 }, Hit { paper: 1, score: 1 }]),
    });
    let buf = render(&mut s, 80, 24);
    let text = buffer_text(&buf);
    let row = text
        .lines()
        .find(|l| l.starts_with('│') && l.contains("keloid"))
        .unwrap_or_else(|| panic!("the match is on screen:\n{text}"));
    assert!(
        row.starts_with("│  …on the expression of receptors in fibroblasts from keloid scars"),
        "{row}"
    );
    let (x, y) = cell_at(&buf, "keloid scars");
    assert!(
        buf[(x, y)].modifier.contains(Modifier::UNDERLINED),
        "highlighted"
    );
    // A title that fits is shown from its start.
    let (x, y) = cell_at(&buf, "TP53 mutations and CD274");
    assert_eq!(x, 3, "{text}");
    assert!(y > 0);
}

/// A user test's `breast cancer` showed `…metastatic breast c…`: the row was placed for the
/// first matched word only. Every matched word shows whole where they fit together.
#[test]
fn matched_words_past_the_rows_end_show_whole() {
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        if i == 0 {
            p.title = "Long-term outcomes of adjuvant endocrine therapy and radiotherapy in \
                       women with metastatic breast cancer"
                .into();
        }
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    press(&mut s, &["/"]);
    type_text(&mut s, "breast cancer");
    let generation = s.search.generation;
    s.apply_search_results(SearchResults {
        generation,
        query: "breast cancer".into(),
        searched: 6,
        corrected: None,
        letters_apart: Vec::new(),
        outcome: Ok(vec![Hit { paper: 0, score: 1 }]),
    });
    let text = buffer_text(&render(&mut s, 80, 24));
    let row = text
        .lines()
        .find(|l| l.starts_with('│') && l.contains("breast"))
        .unwrap_or_else(|| panic!("the match is on screen:\n{text}"));
    assert!(row.contains("metastatic breast cancer"), "{row}");
}

#[test]
fn light_theme_uses_other_named_colours() {
    let mut s = state();
    s.appearance.theme = tomes::config::Theme::Light;
    let buf = render(&mut s, 80, 24);
    assert_eq!(buf[(0u16, 1u16)].style().fg, Some(Color::Blue));
    for cell in buf.content() {
        assert!(
            !matches!(cell.fg, Color::Rgb(..) | Color::Indexed(..)),
            "only named colours: {cell:?}"
        );
    }
}

#[test]
fn status_bar_hints_follow_the_keymap() {
    let mut overrides = std::collections::BTreeMap::new();
    overrides.insert("help".to_string(), vec!["f1".to_string()]);
    let (keymap, _) = tomes::app::Keymap::with_overrides(&overrides);
    let mut s = AppState::new(common::library(), keymap);
    let buf = render(&mut s, 80, 24);
    assert!(row_of(&buf, "f1 help  q quit").is_some());
}

/// The entity pane's cursor, focused, keeps the selection's colours on a shared entity's
/// name: green on cyan was hard to read in 16 colours (ut24c).
#[test]
fn the_focused_entity_cursor_keeps_the_selections_colours() {
    let mut s = state();
    press(&mut s, &["tab", "tab"]);
    let theme = tomes::ui::Theme::new(s.appearance);
    let buf = render(&mut s, 80, 24);
    let selected_bg = theme.selected.bg.expect("a selection background");
    let on_cursor: Vec<_> = buf
        .content()
        .iter()
        .filter(|c| c.bg == selected_bg && c.symbol() != " ")
        .collect();
    assert!(!on_cursor.is_empty(), "a cursor row is drawn");
    for cell in on_cursor {
        assert_eq!(
            cell.fg,
            theme.selected.fg.unwrap_or(Color::Reset),
            "{cell:?}"
        );
    }
}

/// Files given that load nothing: the empty list says where the reasons are, not only the
/// status bar's count (left from ut23's files that each had a problem).
#[test]
fn an_empty_library_with_problems_points_to_them() {
    let mut s = AppState::new(
        tomes::library::Library::new(),
        tomes::app::Keymap::defaults(),
    );
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("│no papers loaded  "), "{text}");
    s.problems = vec![tomes::model::Problem::new(
        "junk.pubtator",
        Some(2),
        "binary data (NUL bytes); skipped",
    )];
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("no papers loaded: p lists the problems with the files given"),
        "{text}"
    );
}

/// One co-mentioned name too long for the line is cut between its words, not dropped for an
/// ellipsis alone (ut24e read `with … +1`).
#[test]
fn a_co_mentioned_name_too_long_for_its_line_is_cut_between_words() {
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        if i < 2 {
            p.entities = vec![
                common::entity(tomes::model::EntityKind::Gene, "NCBIGene:672", "BRCA1", &[]),
                common::entity(
                    tomes::model::EntityKind::Disease,
                    "MESH:D061325",
                    "hereditary breast and ovarian cancer syndrome",
                    &[],
                ),
            ];
        }
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    s.finish_pending_work();
    press(&mut s, &["tab", "tab"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    let with = text
        .lines()
        .find_map(|l| l.split("│with ").nth(1))
        .unwrap_or_else(|| panic!("a with line:\n{text}"));
    assert!(with.starts_with("hereditary"), "{with}\n{text}");
}

/// A long author list names the first eleven and the last, the senior author (ut24d saw
/// `Mark C. Benyunes and 2 more` and no last author anywhere).
#[test]
fn a_long_author_list_keeps_its_last_author() {
    let mut papers = common::papers();
    papers[0].authors = (1..=14).map(|i| format!("Author {i}")).collect();
    let mut library = tomes::library::Library::new();
    for p in papers {
        library.add(p);
    }
    let s = AppState::new(library, tomes::app::Keymap::defaults());
    let theme = tomes::ui::Theme::new(s.appearance);
    let (lines, _) = tomes::ui::detail_lines(&s, 400, &theme);
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let authors = text
        .iter()
        .find(|l| l.starts_with("Author 1,"))
        .unwrap_or_else(|| panic!("{text:?}"));
    assert!(
        authors.contains("Author 11, … 2 more …, Author 14"),
        "{authors}"
    );
    assert!(!authors.contains("Author 12,"), "{authors}");
}

/// Search bound to `b`: the kept search's hint and the help name `b` (ut24a read `/`).
#[test]
fn search_hints_name_the_search_key_the_config_gives() {
    let mut overrides = std::collections::BTreeMap::new();
    overrides.insert("search".to_string(), vec!["b".to_string()]);
    overrides.insert("toggle_bookmark".to_string(), vec!["m".to_string()]);
    let (keymap, problems) = tomes::app::Keymap::with_overrides(&overrides);
    assert!(problems.is_empty(), "{problems:?}");
    let mut s = AppState::new(common::library(), keymap);
    common::press(&mut s, &["b"]);
    common::type_text(&mut s, "tp53");
    common::press(&mut s, &["enter"]);
    let buf = render(&mut s, 100, 24);
    assert!(row_of(&buf, "(b searches anew or edits, esc leaves)").is_some());
    assert!(row_of(&buf, "(/ searches").is_none());
    let help: String = tomes::ui::help_lines(&s, 200, &tomes::ui::Theme::new(s.appearance))
        .iter()
        .map(|l| l.to_string() + "\n")
        .collect();
    assert!(
        help.contains("b on a kept search shows its query selected"),
        "{help}"
    );
    // What the colours say is said (ut24c found it nowhere).
    assert!(
        help.contains("a name in green is mentioned by other loaded papers too"),
        "{help}"
    );
    assert!(!help.contains("/ on a kept search"), "{help}");
}

#[test]
fn arrangement_can_force_side_by_side_or_stacked() {
    use tomes::app::Arrangement;
    let mut s = state();
    s.appearance.arrangement = Arrangement::SideBySide;
    s.appearance.list_width_percent = 50;
    let buf = render(&mut s, 100, 30);
    let top = buffer_text(&buf).lines().nth(1).unwrap_or("").to_owned();
    assert!(
        top.contains("Papers (6)") && top.contains("Detail"),
        "{top}"
    );
    assert_eq!(top.find("┐┌").map(|b| top[..b].chars().count()), Some(49));
    s.appearance.arrangement = Arrangement::Stacked;
    let buf = render(&mut s, 200, 50);
    let top = buffer_text(&buf).lines().nth(1).unwrap_or("").to_owned();
    assert!(
        top.contains("Papers (6)") && !top.contains("Detail"),
        "{top}"
    );
}

/// `o` on a paper with several links lists them, numbered, best first, with its keys.
#[test]
fn open_menu_80x24() {
    let mut s = state();
    press(&mut s, &["o", "j"]);
    let buf = render(&mut s, 80, 24);
    insta::assert_snapshot!("open_menu_80x24", buffer_text(&buf));
    // A URL too long for a narrow menu keeps both its ends: the PMC id, not only the site.
    let mut s = paper_with_long_links();
    press(&mut s, &["o"]);
    let text = buffer_text(&render(&mut s, 50, 20));
    let pmc = text
        .lines()
        .find(|l| l.contains(" 1  PMC"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        pmc.contains("https://pmc") && pmc.contains('…') && pmc.contains("PMC13039540/"),
        "{pmc}"
    );
}

#[test]
fn copy_menu_80x24() {
    let mut s = state();
    press(&mut s, &["y", "j"]);
    let buf = render(&mut s, 80, 24);
    insta::assert_snapshot!("copy_menu_80x24", buffer_text(&buf));
}

#[test]
fn export_menu_80x24() {
    let mut s = state();
    press(&mut s, &["e"]);
    let buf = render(&mut s, 80, 24);
    insta::assert_snapshot!("export_menu_80x24", buffer_text(&buf));
    // The folder exports go into, its end kept when it does not fit.
    s.export_dir = "/home/researcher/projects/nasopharyngeal-carcinoma/immunotherapy/2026".into();
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("carcinoma/immunotherapy/2026 · q/esc close"),
        "{text}"
    );
    assert!(text.contains(" into …"), "{text}");
}

/// The fixture state after a link could not be opened: its URL is shown in a popup.
fn url_shown() -> AppState {
    let mut s = state();
    let report = tomes::clipboard::CopyReport {
        osc52: true,
        local_tool: None,
        tmux: false,
        in_tmux: false,
        errors: Vec::new(),
    };
    s.opened(
        "no display to open a browser on: URL shown instead",
        Some(("https://doi.org/10.1000/fixture.1".into(), &report)),
    );
    s
}

#[test]
fn url_popup_80x24() {
    let mut s = url_shown();
    let buf = render(&mut s, 80, 24);
    insta::assert_snapshot!("url_popup_80x24", buffer_text(&buf));
}

/// The cells of row `y` whose symbol carries an OSC 8 link, with the link.
fn linked_cells(buf: &Buffer, y: u16) -> Vec<(u16, String)> {
    (0..buf.area.width)
        .filter_map(|x| {
            let symbol = buf[(x, y)].symbol();
            symbol
                .strip_prefix("\x1b]8;;")
                .and_then(|rest| rest.split('\x1b').next())
                .map(|url| (x, url.to_string()))
        })
        .collect()
}

#[test]
fn ids_are_hyperlinks_only_when_the_config_allows() {
    for hyperlinks in [true, false] {
        let mut s = state();
        s.appearance.hyperlinks = hyperlinks;
        let buf = render(&mut s, 160, 48);
        let text = buffer_text(&buf);
        let links: Vec<(u16, String)> = (0..buf.area.height)
            .flat_map(|y| linked_cells(&buf, y))
            .collect();
        if !hyperlinks {
            assert!(links.is_empty(), "{links:?}");
            continue;
        }
        let urls: std::collections::BTreeSet<&str> =
            links.iter().map(|(_, u)| u.as_str()).collect();
        assert!(
            urls.contains("https://pubmed.ncbi.nlm.nih.gov/100001/"),
            "{urls:?}"
        );
        assert!(
            urls.contains("https://doi.org/10.1000/fixture.1"),
            "{urls:?}"
        );
        assert!(
            urls.contains("https://www.ncbi.nlm.nih.gov/gene/29126"),
            "{urls:?}"
        );
        // Width accounting: the text around the links is where it is without them.
        let mut plain = state();
        let plain_text = buffer_text(&render(&mut plain, 160, 48));
        assert_eq!(
            text.lines().count(),
            plain_text.lines().count(),
            "same number of rows"
        );
    }
}

#[test]
fn a_long_message_pushes_the_problem_count_and_history_out_of_the_status_bar() {
    let mut s = state();
    press(&mut s, &["B"]);
    s.notify(
        "bookmarked: CD274 expression predicts checkpoint response",
        false,
    );
    let buf = render(&mut s, 80, 24);
    let status = buffer_text(&buf).lines().last().unwrap_or("").to_string();
    // The history goes, then the counts take their short form; the message stays whole.
    assert!(
        status.starts_with(" 0 of 6 │ bookmarked: CD274 expression predicts checkpoint response"),
        "{status}"
    );
    s.message = None;
    let buf = render(&mut s, 80, 24);
    let status = buffer_text(&buf).lines().last().unwrap_or("").to_string();
    assert!(status.contains("history 2/2"), "{status}");
}

/// Title cells drawn with the match highlight in the first list row (selected).
fn highlighted_title_chars(s: &mut AppState) -> String {
    let buf = render(s, 80, 24);
    // The first row is the selected one, where a match is underlined.
    (0..80u16)
        .filter(|&x| buf[(x, 2)].modifier.contains(Modifier::UNDERLINED))
        .map(|x| buf[(x, 2)].symbol().to_string())
        .collect()
}

#[test]
fn title_highlights_follow_the_query_language() {
    let search = |query: &str| {
        let mut s = state();
        press(&mut s, &["/"]);
        type_text(&mut s, query);
        let generation = s.search.generation;
        s.apply_search_results(SearchResults {
            generation,
            query: query.into(),
            searched: 6,
            corrected: None,
            letters_apart: Vec::new(),
            outcome: Ok(vec![Hit { paper: 0, score: 1 }]),
        });
        s
    };
    // An exact term highlights the word itself, not letters scattered by fuzzy matching.
    assert_eq!(
        highlighted_title_chars(&mut search("'melanoma")),
        "melanoma"
    );
    // A field other than the title highlights nothing in the title.
    assert_eq!(highlighted_title_chars(&mut search("journal:invented")), "");
    // A negated term neither.
    assert_eq!(highlighted_title_chars(&mut search("!cd274")), "");
}

#[test]
fn no_hyperlinks_are_drawn_under_an_open_overlay() {
    // Help, copy menu, export menu: a link cell's forced width would overwrite the popup.
    for keys in [&["?"][..], &["y"][..], &["e"][..], &["o"][..]] {
        let mut linked = state();
        linked.appearance.hyperlinks = true;
        press(&mut linked, keys);
        assert!(linked.overlay.is_some(), "{keys:?} opens an overlay");
        let mut plain = state();
        plain.appearance.hyperlinks = false;
        press(&mut plain, keys);
        for (w, h) in SIZES {
            let buf = render(&mut linked, w, h);
            let links: Vec<(u16, String)> = (0..buf.area.height)
                .flat_map(|y| linked_cells(&buf, y))
                .collect();
            assert!(links.is_empty(), "{keys:?} {w}x{h}: {links:?}");
            assert_eq!(
                buffer_text(&buf),
                buffer_text(&render(&mut plain, w, h)),
                "{keys:?} {w}x{h}: the overlay's border and text are intact"
            );
        }
    }
    // Closing the overlay brings the links back.
    let mut s = state();
    s.appearance.hyperlinks = true;
    press(&mut s, &["?", "esc"]);
    let buf = render(&mut s, 160, 48);
    assert!((0..buf.area.height).any(|y| !linked_cells(&buf, y).is_empty()));
}

#[test]
fn the_top_line_offers_the_open_overlays_keys() {
    let first_line = |s: &mut AppState| {
        let text = buffer_text(&render(s, 80, 24));
        text.lines()
            .next()
            .unwrap_or_default()
            .trim_end()
            .to_owned()
    };
    let mut s = state();
    assert!(first_line(&mut s).contains("tab next pane"));
    for (keys, expected) in [
        (
            &["?"][..],
            "j scroll  pgdn page  q/esc close  p problems  / search",
        ),
        (
            &["p"][..],
            "j scroll  pgdn page  q/esc close  ? keys  / search",
        ),
        (
            &["y"][..],
            "1-6 copies  enter picks  j next  q/esc close  / search",
        ),
    ] {
        let mut s = state();
        press(&mut s, keys);
        assert_eq!(first_line(&mut s), expected);
    }
    // Filtering, the query stays on the line and the overlay's keys follow it.
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "tp53");
    press(&mut s, &["enter", "?"]);
    assert_eq!(
        first_line(&mut s),
        "/ tp53  j scroll  pgdn page  q/esc close  p problems  / search"
    );
}

#[test]
fn an_empty_search_line_titles_the_list_as_all_papers() {
    let mut s = state();
    press(&mut s, &["/"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("┌ Papers (6) ─"), "{text}");
    assert!(!text.contains("Search \"\""), "{text}");
    // Typed and deleted again: the same.
    type_text(&mut s, "tp");
    press(&mut s, &["backspace", "backspace"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("┌ Papers (6) ─"), "{text}");
    assert!(!text.contains("Search \"\""), "{text}");
}

#[test]
fn a_query_error_says_which_results_are_shown_and_fits_80_columns() {
    let mut s = state();
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "year:2023");
    let Some(Effect::Search { generation, .. }) = effects.last().cloned() else {
        panic!("no search effect");
    };
    s.apply_search_results(SearchResults {
        generation,
        query: "year:2023".into(),
        searched: 6,
        corrected: None,
        letters_apart: Vec::new(),
        outcome: Ok(vec![Hit { paper: 1, score: 1 }]),
    });
    let effects = type_text(&mut s, "..2019");
    let Some(Effect::Search { generation, .. }) = effects.last().cloned() else {
        panic!("no search effect");
    };
    let message =
        "year:abc is not a year; write year:2019, year:2019..2023, year:..2020 or year:2019..";
    s.apply_search_results(SearchResults {
        generation,
        query: "year:2023..2019".into(),
        searched: 6,
        corrected: None,
        letters_apart: Vec::new(),
        outcome: Err(QueryError {
            message: message.into(),
        }),
    });
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("Search — query error; showing \"year:2023\" (1)"),
        "{text}"
    );
    assert!(!text.contains("Search \"year:2023..2019\""), "{text}");
    // The whole message is readable: wrapped at a space onto rows of its own, not cut.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0].trim_end(), "/ year:2023..2019");
    let shown = format!("{} {}", lines[1].trim(), lines[2].trim());
    assert_eq!(shown, format!("✗ {message}"), "{text}");
}

#[test]
fn help_at_80x24_explains_queries_and_cuts_no_line() {
    let mut s = state();
    press(&mut s, &["?"]);
    // At 80x24 the help takes the whole width: 78 columns inside its border.
    let lines = tomes::ui::help_lines(&s, 78, &tomes::ui::Theme::new(s.appearance));
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    for line in &text {
        assert!(line.chars().count() <= 78, "cut at 80x24: {line:?}");
    }
    let all = text.join("\n");
    for needle in ["(copy)", "history 2/3"] {
        assert!(all.contains(needle), "{needle} missing:\n{all}");
    }
    // What a user can type, as the help writes it: each a query the parser takes whole.
    for (shown, query) in [
        ("\"two words\"", "\"two words\""),
        ("title:word", "title:word"),
        ("author:", "author:word"),
        ("journal:", "journal:word"),
        ("gene:PD-L1", "gene:PD-L1"),
        ("protein:", "protein:word"),
        ("disease:", "disease:word"),
        ("chemical:", "chemical:word"),
        ("species:", "species:word"),
        ("variant:", "variant:word"),
        ("cellline:", "cellline:word"),
        ("entity:", "entity:word"),
        ("MESH:D009369", "MESH:D009369"),
        ("year:2019..2023", "year:2019..2023"),
        ("year:2019,", "year:2019"),
        ("year:..2020", "year:..2020"),
        ("'exact", "'exact"),
        ("^prefix", "^prefix"),
        ("suffix$", "suffix$"),
        ("-word", "-word"),
        ("!word", "!word"),
        ("NOT word", "NOT word"),
        ("pmid:", "pmid:123"),
        ("doi:", "doi:10.1000"),
        ("key:", "key:PMID:1"),
        ("is:bookmarked", "is:bookmarked"),
    ] {
        assert!(all.contains(shown), "{shown} missing:\n{all}");
        let parsed = tomes::search::Query::parse_whole(query);
        assert!(parsed.is_ok_and(|q| !q.is_empty()), "{query}");
    }
    // OR is named as what it is: not supported.
    assert!(tomes::search::Query::parse_whole("a OR b").is_err());
    assert!(all.contains("OR  not supported"), "{all}");
    // It all scrolls into view at 80x24: the last line of the help shows at the bottom.
    let mut s = state();
    press(&mut s, &["?"]);
    // The first frame tells the state how many lines the help has.
    render(&mut s, 80, 24);
    press(&mut s, &["G"]);
    let shown = buffer_text(&render(&mut s, 80, 24));
    let last = text.last().expect("help lines").trim().to_owned();
    assert!(shown.contains(&last), "{last:?} not shown:\n{shown}");
    assert!(shown.contains("OR  not supported"), "{shown}");
    // The top hint bar at 80 columns names Tab, the way to the entities pane.
    let mut s = state();
    let buf = render(&mut s, 80, 24);
    let top = buffer_text(&buf).lines().next().unwrap_or("").to_string();
    assert!(top.contains("tab next pane"), "{top}");
}

#[test]
fn a_corrupt_bookmark_file_is_listed_in_full_among_the_problems() {
    let mut s = state();
    let message = "/home/u/.config/tomes/bookmarks.toml could not be read (bad TOML); it was \
                   moved to /home/u/.config/tomes/bookmarks.toml.corrupt-1 and a new bookmark \
                   file started";
    s.report_bookmarks_problem(
        "/home/u/.config/tomes/bookmarks.toml",
        Notice {
            kind: NoticeKind::MovedAside,
            message: message.to_string(),
        },
    );
    assert_eq!(s.problem_count(), 1);
    let status = buffer_text(&render(&mut s, 80, 24))
        .lines()
        .last()
        .unwrap_or("")
        .to_string();
    assert!(
        status.contains("1 problem (p) │ bookmark file unreadable, moved aside"),
        "{status}"
    );
    press(&mut s, &["p"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    // Wrapped in the popup: the moved-to path is there whole.
    let joined: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(joined.contains("bookmarks.toml.corrupt-1"), "{text}");
    // The file is named once, before the message.
    assert!(
        joined.contains("bookmarks.toml: could not be read (bad TOML)"),
        "{text}"
    );
    assert!(
        text.contains("Problems (1) — q/esc close"),
        "the title counts problems, not wrapped lines: {text}"
    );
    // A library reload replaces load problems but keeps this one.
    let (_, _) = s.replace_library(common::library(), Vec::new());
    assert_eq!(s.problem_count(), 1);
}

#[test]
fn entity_rows_show_bare_counts_under_a_papers_heading_and_cut_names_with_an_ellipsis() {
    let mut s = state();
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(!text.contains("3 papers"), "no per-row 'papers': {text}");
    assert!(!text.contains("1 paper"), "no per-row 'paper': {text}");
    let heading = text
        .lines()
        .find(|l| l.contains("Genes (2)"))
        .unwrap_or_default()
        .to_string();
    assert!(heading.trim_end().ends_with("papers│"), "{heading}");
    // A name too long for a narrow pane ends in an ellipsis, never mid-word silently.
    let mut s = state();
    press(&mut s, &["j"]);
    let text = buffer_text(&render(&mut s, 60, 24));
    let row = text
        .lines()
        .find(|l| l.contains("││ lung adeno"))
        .unwrap_or_default()
        .to_string();
    assert!(row.contains("…"), "{text}");
}

#[test]
fn related_view_says_what_each_paper_shares() {
    // `r` on the CD274 melanoma paper: the list names what each related paper shares (a
    // column at both sizes), the detail pane opens with the selected one's shared entities.
    snapshot_at_sizes("related", |s| {
        press(s, &["r"]);
    });
}

#[test]
fn shared_names_fit_their_space_with_a_count_of_the_rest() {
    let names = ["CD274", "PDCD1", "Homo sapiens"];
    for (width, fitted) in [
        (40, "CD274, PDCD1, Homo sapiens"),
        (26, "CD274, PDCD1, Homo sapiens"),
        (25, "CD274, PDCD1 +1"),
        (14, "CD274 +2"),
        (8, "CD274 +2"),
        (7, "CD2… +2"),
        (4, "CD2…"),
        (1, "…"),
        (0, ""),
    ] {
        assert_eq!(tomes::ui::fit_names(&names, width), fitted, "width {width}");
        assert!(unicode_width::UnicodeWidthStr::width(fitted) <= width);
    }
    assert_eq!(tomes::ui::fit_names(&[], 10), "");
    assert_eq!(tomes::ui::fit_names(&["αβγδεζ"], 4), "αβγ…");
}

#[test]
fn related_rows_show_shared_names_in_the_shared_entity_colour() {
    let mut s = state();
    press(&mut s, &["r", "j"]);
    let buf = render(&mut s, 80, 24);
    // Row 1 (not selected): the names are green; row 2 (selected) keeps the selection colours.
    let (x, y) = cell_at(&buf, "CD274, TP53, Homo sapiens");
    assert_eq!(buf[(x, y)].style().fg, Some(Color::Green));
    let (x, y) = cell_at(&buf, "CD274, Homo sapiens");
    assert_eq!(buf[(x, y)].style().bg, Some(Color::Cyan));
    let text = buffer_text(&buf);
    assert!(
        text.contains("│shares: CD274, Homo sapiens"),
        "the detail pane says what the selected paper shares:\n{text}"
    );
}

/// A `year:` search that finds nothing says how many papers have no year: PubTator and BioC
/// records carry none, and an empty list alone reads as "no such papers".
#[test]
fn an_empty_year_search_says_how_many_papers_have_no_year() {
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        if i % 2 == 0 {
            p.year = None;
        }
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    // Types `query` into the search line and answers it with no hits.
    let find_nothing = |s: &mut AppState, query: &str| {
        let effects = type_text(s, query);
        let Some(Effect::Search { generation, .. }) = effects.last().cloned() else {
            panic!("no search effect");
        };
        s.apply_search_results(SearchResults {
            generation,
            query: query.into(),
            searched: 6,
            corrected: None,
            letters_apart: Vec::new(),
            outcome: Ok(Vec::new()),
        });
    };
    press(&mut s, &["/"]);
    find_nothing(&mut s, "year:1990");
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("no papers match · 3 of 6 papers have no year"),
        "{text}"
    );
    // `author:` and `journal:` alike: the fixture's papers after the first have neither.
    press(&mut s, &["ctrl-u"]);
    find_nothing(&mut s, "author:smith");
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("no papers match · 5 of 6 papers have no authors"),
        "{text}"
    );
    press(&mut s, &["ctrl-u"]);
    find_nothing(&mut s, "journal:lancet");
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("no papers match · 5 of 6 papers have no journal"),
        "{text}"
    );
    // A bare year alike, as the command line says it (ut24e's `1999`).
    press(&mut s, &["ctrl-u"]);
    find_nothing(&mut s, "1990");
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("no papers match · 3 of 6 papers have no year"),
        "{text}"
    );
    // Without a year term, the plain note.
    press(&mut s, &["ctrl-u"]);
    find_nothing(&mut s, "zzzz");
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("no papers match"), "{text}");
    assert!(!text.contains("have no year"), "{text}");
    // Papers found, the list's title says how many the term passed over for lacking the
    // field (ut24a's `year:2020..` listed 1 of 4,530 papers without a word).
    press(&mut s, &["ctrl-u"]);
    let effects = type_text(&mut s, "year:2000..");
    let Some(Effect::Search { generation, .. }) = effects.last().cloned() else {
        panic!("no search effect");
    };
    s.apply_search_results(SearchResults {
        generation,
        query: "year:2000..".into(),
        searched: 6,
        corrected: None,
        letters_apart: Vec::new(),
        outcome: Ok(vec![Hit { paper: 1, score: 1 }]),
    });
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("Search \"year:2000..\" (1) · 3 of 6 have no year"),
        "{text}"
    );
}

/// Files passed over in a folder (a README beside the data) are listed with the problems
/// but not counted as problems: the corpora's ten notes made "61 problems" of 51. Without
/// a problem, the bar still says files were skipped and which key lists them; beside
/// problems, the skipped count gives way first.
#[test]
fn files_passed_over_in_a_folder_are_not_counted_as_problems() {
    use tomes::model::{Problem, SkipReason};
    let readme = |name: &str| {
        Problem::skipped_file(
            name,
            SkipReason::OtherFormat,
            "not a summary Markdown, PubTator or BioC XML file; skipped".into(),
        )
    };
    let mut s = state();
    s.problems = vec![readme("README.txt"), readme("biored/SOURCE.txt")];
    assert_eq!(s.problem_count(), 0);
    assert_eq!(
        status_row(&mut s, 80, 24),
        " 6 shown · 6 loaded · 2 files skipped (p)                        ? help  q quit "
    );
    press(&mut s, &["p"]);
    let buf = render(&mut s, 80, 24);
    let no_problems = row_of(&buf, "No problems.").expect("said");
    let heading = row_of(&buf, "Files skipped (2)").expect("a heading over them");
    let readme = row_of(&buf, "README.txt: not a summary Markdown").expect("listed");
    assert!(no_problems < heading && heading < readme);
    press(&mut s, &["esc"]);
    s.problems
        .insert(0, Problem::new("bad.pubtator", Some(3), "bad offsets"));
    press(&mut s, &["p"]);
    let buf = render(&mut s, 80, 24);
    let bad = row_of(&buf, "bad.pubtator:3: bad offsets").expect("listed");
    let heading = row_of(&buf, "Files skipped (2)").expect("a heading over them");
    assert!(bad < heading && row_of(&buf, "No problems.").is_none());
    // The title counts them apart too (ut24f counted 61 entries under `Problems (51)`).
    assert!(
        row_of(&buf, "Problems (1) · 2 files skipped").is_some(),
        "{}",
        buffer_text(&buf)
    );
    press(&mut s, &["esc"]);
    assert_eq!(s.problem_count(), 1);
    let wide = status_row(&mut s, 100, 24);
    assert!(
        wide.starts_with(" 6 shown · 6 loaded · 1 problem, 2 files skipped (p) ")
            && wide.ends_with(" ? help  q quit "),
        "{wide:?}"
    );
    assert_eq!(
        status_row(&mut s, 80, 24),
        " 6 shown · 6 loaded · 1 problem, 2 files skipped (p)             ? help  q quit "
    );
    assert_eq!(
        status_row(&mut s, 60, 24),
        " 6 shown · 6 loaded · 1 problem (p)          ? help  q quit "
    );
    // Too large or not a file: a problem wherever it was found.
    s.problems.push(Problem::skipped_file(
        "big.pubtator",
        SkipReason::TooLarge,
        "over the size limit; skipped".into(),
    ));
    assert_eq!(s.problem_count(), 2);
}

/// A user test, browsing back and forth at 80 columns on the shared corpora, lost the
/// history (`history 2/3`) to `51 problems, 10 files skipped (p)`: the history gave way first.
/// Where it goes and how far back it can go matters at every step; the problem count says the
/// same all session. The skipped count gives way first, then the keys and words, then the
/// problem count, and only then the history.
#[test]
fn the_history_outlasts_the_problem_count_at_80_columns() {
    use tomes::model::{Problem, SkipReason};
    let mut s = state();
    s.problems = (0..51)
        .map(|i| Problem::new("bad.pubtator", Some(i), "bad offsets"))
        .chain((0..10).map(|i| {
            Problem::skipped_file(
                format!("README{i}.txt"),
                SkipReason::OtherFormat,
                "not a summary Markdown, PubTator or BioC XML file; skipped".into(),
            )
        }))
        .collect();
    // A jump, the related papers, then back one: the second of three lists.
    press(&mut s, &["tab", "tab", "enter", "r"]);
    assert_eq!(s.history.len(), 3);
    press(&mut s, &["backspace"]);
    assert_eq!(s.history_pos, 1);
    let buf = render(&mut s, 80, 24);
    insta::assert_snapshot!("history_beside_problems_80x24", buffer_text(&buf));
    assert_eq!(
        status_row(&mut s, 80, 24),
        " 3 shown · 6 loaded · 51 problems (p) · history 2/3              ? help  q quit "
    );
    // With room, all of it.
    assert!(
        status_row(&mut s, 100, 24).contains(" · 51 problems, 10 files skipped (p) · history 2/3 "),
        "{:?}",
        status_row(&mut s, 100, 24)
    );
    // Narrower, the problem count goes before the history does.
    for width in 30..=100 {
        let row = status_row(&mut s, width, 24);
        assert!(
            row.contains("history 2/3") || !row.contains("problem"),
            "{width}: {row:?}"
        );
    }
    assert_eq!(
        status_row(&mut s, 40, 24),
        " 3 of 6 · history 2/3    ? help  q quit "
    );
}

/// Messages that ran past 80 columns keep their point in fewer words (ut24a read
/// `reading this paper already: o opens its page, tab goes to its…`).
#[test]
fn long_messages_keep_their_point_at_80_columns() {
    let mut s = state();
    press(&mut s, &["enter", "enter"]);
    let status = status_row(&mut s, 80, 24);
    assert!(
        status.contains("reading it already: o page, tab entities, esc list"),
        "{status}"
    );
    let status = status_row(&mut s, 140, 24);
    assert!(
        status.contains("reading this paper already: o opens its page, tab goes to its entities, esc back to the list"),
        "{status}"
    );
    // A search within an entity's papers says which at 80 columns.
    let mut s = state();
    press(&mut s, &["tab", "tab", "enter", "/"]);
    let status = status_row(&mut s, 80, 24);
    assert!(status.contains("now within the papers with "), "{status}");
}

/// The status bar's row as text, trailing spaces kept.
fn status_row(s: &mut AppState, width: u16, height: u16) -> String {
    let buf = render(s, width, height);
    buffer_text(&buf).lines().last().unwrap_or("").to_string()
}

/// Everything the status bar can say at once: loading, 1,234 problems, a history of five
/// lists (four entity jumps) and a search being typed.
fn busy_state() -> AppState {
    let mut s = state();
    s.problems = (0..1234)
        .map(|i| tomes::model::Problem::new("bad.pubtator", Some(i), "bad offsets"))
        .collect();
    // Four jumps (a jump to the list on screen adds no step: the other three are copies).
    press(&mut s, &["tab", "tab", "enter"]);
    for _ in 0..3 {
        let view = s.view().clone();
        s.history.push(view);
    }
    s.history_pos = s.history.len() - 1;
    assert_eq!(s.history.len(), 5, "four jumps");
    s.load.done = false;
    s.load.files_total = Some(30);
    s.load.bytes_total = 1000;
    s.load.bytes_done = 380;
    s
}

#[test]
fn status_bar_keeps_what_matters_at_80_and_40_columns() {
    let mut s = busy_state();
    let wide = status_row(&mut s, 160, 48);
    assert!(
        wide.starts_with(" 3 shown · 6 loaded · loading 38%… · 1,234 problems (p) · history 5/5 ")
            && wide.ends_with(" ? help  q quit "),
        "all of it at 160 columns: {wide:?}"
    );
    // 80: the extra key makes room for the history.
    assert_eq!(
        status_row(&mut s, 80, 24),
        " 3 shown · 6 loaded · loading 38%… · 1,234 problems (p) · history 5/5    ? help "
    );
    // 40: the counts and progress stay; the problems count goes, then the history, before
    // the help key.
    assert_eq!(
        status_row(&mut s, 40, 12),
        " 3 of 6 · loading 38%…   ? help  q quit "
    );
    // Typing a search: enter and esc are the keys that mean something now (q and ? type).
    press(&mut s, &["/"]);
    type_text(&mut s, "tp53");
    assert_eq!(
        status_row(&mut s, 100, 24),
        " 3 shown · 6 loaded · loading 38%… · 1,234 problems (p) · history 6/6       enter keeps  esc clears "
    );
    assert_eq!(
        status_row(&mut s, 80, 24),
        " 3 of 6 · loading 38%… · 1,234 problems (p) · history 6/6            esc clears "
    );
    assert_eq!(
        status_row(&mut s, 40, 12),
        " 3 of 6 · loading 38%…       esc clears "
    );
    // A message answers the last key: it is cut (at a word, with an ellipsis) only after
    // everything but the counts and the progress has made room.
    s.notify(
        "bookmark removed (u undoes): CD274 expression predicts checkpoint response in melanoma",
        false,
    );
    assert_eq!(
        status_row(&mut s, 80, 24),
        " 3 of 6 · loading 38%… │ bookmark removed (u undoes): CD274 expression predicts…"
    );
}

/// A user test read `(p/!)` or `(p)` beside the problem count as the room allowed, and
/// took the short one for another key: the hint is the first key at every width.
#[test]
fn the_problems_hint_is_the_same_at_every_width() {
    let mut s = busy_state();
    for width in 20..=160 {
        let row = status_row(&mut s, width, 24);
        assert!(!row.contains("(p/"), "{width}: {row:?}");
        if width >= 80 {
            assert!(row.contains("1,234 problems (p) "), "{width}: {row:?}");
        }
    }
}

/// Editing a kept search, Esc puts its query back rather than clearing it: the hint says
/// so (it said "esc clears" there too); on a new search it still says "esc clears".
#[test]
fn status_hint_says_what_esc_does_to_the_search_being_edited() {
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "cd27");
    assert!(status_row(&mut s, 80, 24).ends_with(" enter keeps  esc clears "));
    press(&mut s, &["enter", "/"]);
    type_text(&mut s, " x");
    let row = status_row(&mut s, 80, 24);
    assert!(row.ends_with(" enter keeps  esc puts back "), "{row:?}");
    let row = status_row(&mut s, 40, 12);
    assert!(row.ends_with(" esc puts back "), "{row:?}");
    press(&mut s, &["esc"]);
    assert_eq!(s.search.input.as_str(), "cd27", "the hint told the truth");
}

/// At every width from 20 to 160 columns each piece of the status bar is whole (or says it
/// was cut), the load progress and the shown count are always there, and the key hints at the
/// right edge are whole or absent.
#[test]
fn status_bar_never_cuts_a_segment_mid_word() {
    let pieces = [
        "3 shown",
        "6 loaded",
        "3 of 6",
        "loading 38%…",
        "38%…",
        "1,234 problems (p)",
        "1,234 problems",
        "history 5/5",
        "history 6/6",
    ];
    let hints = [
        "? help  q quit",
        "? help",
        "enter keeps  esc clears",
        "esc clears",
        "enter keeps  esc puts back",
        "esc puts back",
        "",
    ];
    for editing in [false, true] {
        for width in 20..=160u16 {
            let mut s = busy_state();
            if editing {
                press(&mut s, &["/"]);
                type_text(&mut s, "tp53");
            }
            let row = status_row(&mut s, width, 24);
            let line = row.trim_end();
            // The hint is apart from the rest by two spaces at least.
            let hint = hints
                .iter()
                .find(|h| line.ends_with(&format!("  {h}")) || h.is_empty())
                .expect("a hint or none");
            let left = line[..line.len() - hint.len()].trim_end();
            assert!(
                !left.ends_with("help") && !left.ends_with("quit") && !left.ends_with("clears"),
                "{width}: a hint cut or too close: {row:?}"
            );
            for piece in left.trim_start().split(" · ") {
                assert!(
                    pieces.contains(&piece),
                    "{width}: piece {piece:?} in {row:?}"
                );
            }
            assert!(row.contains("38%…"), "{width}: {row:?}");
            assert!(row.contains(" 3 "), "{width}: {row:?}");
        }
    }
}

#[test]
fn cut_words_cuts_at_a_word_and_says_so() {
    use tomes::ui::text::cut_words;
    for (text, width, want) in [
        ("fits", 10, "fits"),
        ("exactly ten", 11, "exactly ten"),
        ("bookmark removed: A title", 20, "bookmark removed: A…"),
        ("bookmark removed: A title", 18, "bookmark removed…"),
        ("bookmark removed: A title", 17, "bookmark…"),
        ("bookmark removed: A title", 16, "bookmark…"),
        ("unbreakable", 6, "unbre…"),
        ("a, b, c", 4, "a…"),
        ("anything", 1, "…"),
        ("anything", 0, ""),
    ] {
        assert_eq!(cut_words(text, width), want, "{text:?} in {width}");
    }
}

/// A library of `n` papers, copies of the fixtures under new PMIDs.
fn library_of(n: u32) -> tomes::library::Library {
    use tomes::model::{Paper, PaperIds, PaperKey};
    let mut library = tomes::library::Library::new();
    let fixtures = common::papers();
    for i in 0..n {
        let template = &fixtures[i as usize % fixtures.len()];
        let ids = PaperIds {
            pmid: Some(format!("{}", 1_000_000 + i)),
            ..PaperIds::default()
        };
        library.add(Paper {
            key: PaperKey::from_ids(&ids, ""),
            ids,
            ..template.clone()
        });
    }
    library
}

/// Counts people read have thousands separators: the status bar, the list's heading and
/// position, entity paper counts and the problems overlay's title.
#[test]
fn counts_on_screen_have_thousands_separators() {
    let mut s = AppState::new(library_of(4529), tomes::app::Keymap::defaults());
    s.problems = (0..1234)
        .map(|i| tomes::model::Problem::new("bad.pubtator", Some(i), "bad offsets"))
        .collect();
    // CD274's co-mentions wait for a moment with no key, as in the loop.
    s.finish_pending_work();
    let text = buffer_text(&render(&mut s, 80, 24));
    for shown in [
        "┌ Papers (4,529) ",
        " 1/4,529 ┘",
        " 4,529 shown · 4,529 loaded · 1,234 problems (p)",
        // CD274 is in half the papers, TP53 in half, human in two thirds.
        " CD274                 2,265│",
        "Genes (2)",
        "with Homo sapiens (2,265)",
    ] {
        assert!(text.contains(shown), "{shown:?} missing:\n{text}");
    }
    assert!(!text.contains("4529"), "{text}");
    press(&mut s, &["p"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains(" Problems (1,234) — q/esc close "), "{text}");
}

/// A record without a title says so, a tab in a title is a space, and a bookmark of a
/// paper not loaded with no title of its own shows its key (each showed as a gap or
/// "Tabin" in a user test).
#[test]
fn odd_titles_and_untitled_bookmarks_show_something_readable() {
    let mut papers = common::papers();
    papers[0].title = String::new();
    papers[1].title = "Tab\tin title".into();
    let mut library = tomes::library::Library::new();
    for p in papers {
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("│  (untitled)"), "{text}");
    assert!(text.contains("Tab in title"), "{text}");
    let key = tomes::model::PaperKey("PMID:99999999".into());
    let bookmark = tomes::bookmarks::Bookmark {
        key: key.clone(),
        title: String::new(),
        added: String::new(),
        note: String::new(),
    };
    s.bookmark_toggled(&key, "", Ok(true), vec![bookmark]);
    press(&mut s, &["B"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("★ PMID:99999999 (not loaded)"), "{text}");
}

/// A removal's message says how to undo it, and keeps saying so at 40 columns.
#[test]
fn a_removed_bookmark_says_how_to_undo_even_at_40_columns() {
    let mut s = state();
    let key = tomes::model::PaperKey("PMID:100001".into());
    let title = "CD274 expression predicts checkpoint response in melanoma";
    let bookmark = tomes::bookmarks::Bookmark {
        key: key.clone(),
        title: title.into(),
        added: String::new(),
        note: String::new(),
    };
    s.bookmark_toggled(&key, title, Ok(true), vec![bookmark]);
    press(&mut s, &["B"]);
    s.bookmark_toggled(&key, title, Ok(false), Vec::new());
    for (width, height) in [(80, 24), (40, 12)] {
        let status = status_row(&mut s, width, height);
        assert!(
            status.contains(" │ bookmark removed (u undoes)"),
            "{width}: {status:?}"
        );
    }
}

/// Titles fit their box: an entity's list keeps the entity's name, the problems overlay
/// keeps its count, and neither is cut mid-word.
#[test]
fn titles_keep_what_names_them_on_narrow_screens() {
    let mut s = state();
    press(&mut s, &["tab", "tab", "enter"]);
    let text = buffer_text(&render(&mut s, 20, 6));
    assert!(text.contains("┌ CD274 (3) "), "{text}");
    s.problems = (0..1352)
        .map(|i| tomes::model::Problem::new("bad.pubtator", Some(i), "bad offsets"))
        .collect();
    press(&mut s, &["p"]);
    let text = buffer_text(&render(&mut s, 30, 8));
    assert!(text.contains("┌ Problems (1,352) ─"), "{text}");
    assert!(!text.contains("— q/esc"), "{text}");
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("┌ Problems (1,352) — q/esc close "), "{text}");
}

/// At every width the help's rows fit and no description is cut: beside the key column
/// (from 44 columns) the words wrap under themselves (at 60x20 they were cut mid-word,
/// `papers mentioning it; pape`).
#[test]
fn help_never_cuts_a_description_at_any_width() {
    let s = state();
    let theme = tomes::ui::Theme::new(s.appearance);
    for width in 26..=100 {
        let lines: Vec<String> = tomes::ui::help_lines(&s, width, &theme)
            .iter()
            .map(|l| l.spans.iter().map(|span| span.content.as_ref()).collect())
            .collect();
        for line in &lines {
            assert!(line.chars().count() <= width, "{line:?} wider than {width}");
        }
        let joined = lines
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for action in Action::BINDABLE {
            let words = action
                .describe()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(joined.contains(&words), "width {width}: {words:?} cut");
            assert!(
                joined.contains(&format!("({})", action.name())),
                "width {width}"
            );
        }
        assert!(
            joined.contains(
                "papers with that gene, by name, alias or id; also protein: disease: \
                 chemical: species: variant: cellline: entity:"
            ),
            "width {width}"
        );
    }
}

/// On a narrow screen the help puts each key on its own row and wraps the words under it,
/// so no description is cut.
#[test]
fn help_on_a_narrow_screen_wraps_descriptions_under_their_keys() {
    let s = state();
    let theme = tomes::ui::Theme::new(s.appearance);
    let width = 26;
    let lines: Vec<String> = tomes::ui::help_lines(&s, width, &theme)
        .iter()
        .map(|l| l.spans.iter().map(|span| span.content.as_ref()).collect())
        .collect();
    for line in &lines {
        assert!(
            line.chars().count() <= width,
            "{line:?} is wider than {width}"
        );
    }
    let joined = lines
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for whole in [
        "j/down next row / scroll down (move_down)",
        "u undo the last bookmark removal (undo_bookmark_removal)",
        "gene:PD-L1 papers with that gene, by name, alias or id; also protein: disease: \
         chemical: species: variant: cellline: entity:",
    ] {
        assert!(
            joined.contains(whole),
            "{whole:?} not whole in:\n{}",
            lines.join("\n")
        );
    }
    // The 30x8 screen shows the first key and its words.
    let mut s = state();
    press(&mut s, &["?"]);
    let text = buffer_text(&render(&mut s, 30, 8));
    assert!(
        text.contains("│j/down ") && text.contains("│  next row / scroll down    │"),
        "{text}"
    );
}

/// A menu taller than the screen scrolls with its cursor: at 60x6 the copy menu's last entry
/// is drawn (and highlighted) once the cursor is on it, and the first entry has scrolled off.
#[test]
fn menus_scroll_to_keep_the_cursor_in_sight() {
    let mut s = state();
    press(&mut s, &["y"]);
    let entries = s.copy_choices().len();
    assert!(entries > 4, "the menu must be taller than the 60x6 screen");
    let first = format!(" 1  {:<9}", s.copy_choices()[0].label);
    let last = format!(" {entries}  {:<9}", s.copy_choices()[entries - 1].label);
    let text = buffer_text(&render(&mut s, 60, 6));
    assert!(text.contains(&first) && !text.contains(&last), "{text}");
    for _ in 1..entries {
        press(&mut s, &["j"]);
    }
    let text = buffer_text(&render(&mut s, 60, 6));
    assert!(text.contains(&last) && !text.contains(&first), "{text}");
    insta::assert_snapshot!("copy_menu_scrolled_60x6", text);
}

/// Each pop-up, opened on the fixture state: help, problems, copy menu, export menu, URL.
fn popup_states() -> Vec<(&'static str, AppState)> {
    let mut popups: Vec<(&'static str, AppState)> = [
        ("Keys", "?"),
        ("Problems", "p"),
        ("Copy", "y"),
        ("Export", "e"),
    ]
    .into_iter()
    .map(|(title, key)| {
        let mut s = state();
        press(&mut s, &[key]);
        (title, s)
    })
    .collect();
    popups.push(("Link", url_shown()));
    popups
}

/// The columns of `text` left and right of the pop-up whose title is `title`: where its top
/// border's corners are.
fn popup_margins(text: &str, title: &str) -> Option<(usize, usize)> {
    let needle = format!("┌ {title}");
    text.lines().find_map(|line| {
        let chars: Vec<char> = line.chars().collect();
        let start = line.find(&needle)?;
        let left = line[..start].chars().count();
        let right_corner = left + chars[left..].iter().position(|&c| c == '┐')?;
        Some((left, chars.len() - 1 - right_corner))
    })
}

/// A pop-up covers the whole width or leaves a margin worth reading beside it: at 80x24 its
/// old margin of two columns showed a pane's border and one letter each side (`│C│`).
#[test]
fn popups_leave_no_sliver_of_the_panes_beside_them() {
    for (title, mut s) in popup_states() {
        for (w, h) in [(30, 8), (60, 20), (80, 24), (88, 24), (100, 30), (160, 48)] {
            let text = buffer_text(&render(&mut s, w, h));
            let Some((left, right)) = popup_margins(&text, title) else {
                panic!("{title} not drawn at {w}x{h}:\n{text}");
            };
            assert!(
                (left == 0 && right == 0) || (left >= 8 && right >= 8),
                "{title} at {w}x{h} leaves {left} and {right} columns beside it:\n{text}"
            );
            if w <= 80 {
                assert_eq!((left, right), (0, 0), "{title} at {w}x{h}:\n{text}");
            }
        }
    }
}

#[test]
fn popups_at_60x20() {
    for (title, mut s) in popup_states() {
        let name = format!("popup_{}_60x20", title.to_lowercase());
        insta::assert_snapshot!(name, buffer_text(&render(&mut s, 60, 20)));
    }
}

/// The detail pane lists a paper's relations (BC5CDR's chemical-induced diseases, BioRED's
/// associations), its entities named as its entity rows name them: for such a corpus they
/// are the point of the paper, and only `tomes show` listed them.
#[test]
fn the_detail_pane_lists_the_papers_relations() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "7|t|Doxorubicin and heart failure.\n7|a|Text.\n\
                7\t0\t11\tDoxorubicin\tChemical\tD004317\n\
                7\t16\t29\theart failure\tDisease\tD006333\n\
                7\tCID\tD004317\tD006333\n";
    std::fs::write(dir.path().join("r.pubtator"), text).expect("write");
    let (library, _) = tomes::library::load(&[dir.path().to_path_buf()]);
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    press(&mut s, &["tab", "z"]);
    let screen = buffer_text(&render(&mut s, 80, 24));
    assert!(screen.contains("Relations (1)"), "{screen}");
    assert!(
        screen.contains("CID: Doxorubicin – heart failure"),
        "{screen}"
    );
}

/// A paper whose entities test how rows fit: two genes of one name (a human and a rat
/// gene, as PMID 20507639 has), a short one, and a species named `species`.
fn same_named_genes_state(species: &str) -> AppState {
    let entity = |kind, key: &str, name: &str| tomes::model::PaperEntity {
        key: tomes::model::EntityKey(key.into()),
        kind,
        name: name.into(),
        description: None,
        aliases: Vec::new().into(),
        mentions: 1,
        spans: Vec::new().into(),
        named_by_group: false,
        name_weight: 1,
    };
    use tomes::model::EntityKind::{Gene, Species};
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        if i == 0 {
            p.entities = vec![
                entity(Gene, "NCBIGene:2909", "p190RhoGAP"),
                entity(Gene, "NCBIGene:306400", "p190RhoGAP"),
                entity(Gene, "NCBIGene:387", "RhoA"),
                entity(Species, "NCBITaxon:10376", species),
            ];
        }
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    press(&mut s, &["tab", "tab"]);
    s
}

/// A user test read `p190RhoGAP NCBIGene:2909  1` above `p190RhoGAP  1` (the other id did
/// not fit and was dropped) and, at 60 columns, ids on some rows and not on others. One rule
/// now: every row's id where the pane is wide enough for all; else only rows that share a
/// name show theirs, the name cut with an ellipsis to make room.
#[test]
fn entity_rows_show_ids_on_every_row_or_only_to_tell_same_names_apart() {
    for (w, h) in [(80, 24), (60, 20)] {
        let mut s = same_named_genes_state("human gammaherpesvirus 4");
        let text = buffer_text(&render(&mut s, w, h));
        let rows: Vec<&str> = text.lines().filter(|l| l.contains("││ p")).collect();
        assert_eq!(rows.len(), 2, "{w}x{h}:\n{text}");
        // Short of room for the whole CURIE beside the name, the id's local part: a user
        // test read `E… NCBIGene:832283` at 60 columns.
        assert!(rows[0].contains("p190RhoGAP 2909 "), "{w}x{h}:\n{text}");
        assert!(rows[1].contains("p190RhoGAP 306400 "), "{w}x{h}:\n{text}");
        let rhoa = text.lines().find(|l| l.contains("││ RhoA")).unwrap_or("");
        assert!(
            !rhoa.contains("NCBIGene"),
            "no id unless all fit, {w}x{h}:\n{text}"
        );
    }
    let mut s = same_named_genes_state("EBV");
    let text = buffer_text(&render(&mut s, 160, 48));
    for id in [
        "NCBIGene:2909",
        "NCBIGene:306400",
        "NCBIGene:387",
        "NCBITaxon:10376",
    ] {
        assert!(
            text.contains(&format!(" {id} ")),
            "every id where all fit: {text}"
        );
    }
}

/// README says a row shows its id when there is room for it beside the names of every row;
/// a user test read `congestive heart f… MESH:D006333 41` at 100x30 and 160x45: names were
/// cut to 12 columns to give every row its id. A name that an id would cut stays whole, and
/// only the rows sharing a name show ids.
#[test]
fn entity_rows_cut_no_name_to_show_every_id() {
    for (w, h) in [(100, 30), (160, 45), (160, 48)] {
        let mut s = same_named_genes_state("human gammaherpesvirus 4");
        let text = buffer_text(&render(&mut s, w, h));
        let species = text
            .lines()
            .find(|l| l.contains("│ human gammaherp"))
            .unwrap_or("");
        assert!(
            species.contains("│ human gammaherpesvirus 4    "),
            "{w}x{h}:\n{text}"
        );
        let rhoa = text.lines().find(|l| l.contains("│ RhoA ")).unwrap_or("");
        assert!(!rhoa.contains("NCBIGene"), "{w}x{h}:\n{text}");
        // The two rows of one name still show theirs.
        assert!(
            text.contains("p190RhoGAP NCBIGene:2909 "),
            "{w}x{h}:\n{text}"
        );
    }
}

/// A user test at 60x20 read `human` / `aka EBV…` under the entity list for "human
/// gammaherpesvirus 4": the name cut at a word with no ellipsis read as Homo sapiens.
#[test]
fn the_selected_entitys_name_under_the_list_is_whole_or_ends_in_an_ellipsis() {
    for (w, h) in [(80, 24), (60, 20)] {
        let mut s = same_named_genes_state("human gammaherpesvirus 4");
        press(&mut s, &["j", "j", "j"]);
        let text = buffer_text(&render(&mut s, w, h));
        let about: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.contains("──────────────┤") && !l.contains("│───"))
            .collect();
        let words = joined_right_pane(&about);
        assert!(
            words.starts_with("human gammaherpesvirus 4"),
            "{w}x{h}: {words}\n{text}"
        );
        assert!(
            words.contains("NCBITaxon:10376") || words.contains("4…"),
            "{text}"
        );
    }
}

/// The words of the entity pane's rows in `lines` (the part right of `││`), joined.
fn joined_right_pane(lines: &[&str]) -> String {
    lines
        .iter()
        .filter_map(|l| l.split("││").nth(1))
        .flat_map(|l| l.trim_matches(['│', '─', ' ']).split_whitespace())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A user test read `related to "Harnessing the immune m…" (50)` where `tomes related -n 0`
/// lists 702: the list keeps the best 50 and now says of how many.
#[test]
fn a_related_list_says_it_keeps_the_top_of_how_many() {
    // Every sixth paper is the variant paper: 100 papers share rs1042522, a sixth of the
    // library (common enough to list, rare enough to weigh something).
    let mut s = AppState::new(library_of(600), tomes::app::Keymap::defaults());
    press(&mut s, &["j", "j", "j", "j", "r"]);
    assert_eq!(s.view().rows.len(), tomes::app::RELATED_LIMIT);
    assert_eq!(s.view().uncapped, Some(99));
    for (w, h) in [(80, 24), (60, 20)] {
        let text = buffer_text(&render(&mut s, w, h));
        assert!(text.contains("(top 50 of 99) "), "{w}x{h}:\n{text}");
    }
    // A list that holds every related paper gives its count alone.
    let mut s = state();
    press(&mut s, &["r"]);
    assert_eq!(s.view().uncapped, None);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(!text.contains("top "), "{text}");
}

/// A user test at 60 columns read `25 of 4,530 │ wrote…` after an export and `nothing to
/// undo: the removed bookmarks are…` after `u`: the point was cut. A message has shorter
/// forms now (the file's name before its folder, then without it), and the loaded count
/// gives way before a shorter form is cut.
#[test]
fn status_messages_keep_their_point_at_60_columns() {
    let file = "/home/someone/papers/exports/tomes-all-20261128-101500.ris";
    let mut s = AppState::new(library_of(4530), tomes::app::Keymap::defaults());
    s.exported(Ok((file.into(), 4530)), 0, 0);
    let wide = status_row(&mut s, 160, 24);
    assert!(
        wide.contains(
            "wrote tomes-all-20261128-101500.ris in /home/someone/papers/exports (4,530 papers)"
        ),
        "{wide}"
    );
    for width in [80, 60] {
        let row = status_row(&mut s, width, 20);
        assert!(
            row.contains("wrote tomes-all-20261128-101500.ris"),
            "{width}: {row}"
        );
    }
    // Where it went before how many, where the folder fits without the count (ut24f).
    let file = "/tmp/ut24f/tomes-bookmarks-20261129-153827.bib";
    let mut s = AppState::new(library_of(4530), tomes::app::Keymap::defaults());
    s.exported(Ok((file.into(), 2)), 0, 0);
    let row = status_row(&mut s, 80, 24);
    assert!(
        row.contains("wrote tomes-bookmarks-20261129-153827.bib in /tmp/ut24f"),
        "{row}"
    );

    let mut s = AppState::new(library_of(4530), tomes::app::Keymap::defaults());
    press(&mut s, &["u"]);
    let row = status_row(&mut s, 60, 20);
    assert!(row.contains("nothing to undo: none removed"), "{row}");
    assert!(!row.contains('…'), "{row}");
}

/// The test papers, the first naming entity `key` as `here` (once), the second as `name`
/// (40 times), which the library then calls it.
fn one_entity_named_two_ways(
    key: &str,
    kind: tomes::model::EntityKind,
    here: &str,
    name: &str,
) -> AppState {
    let entity = |name: &str, mentions: u32| tomes::model::PaperEntity {
        key: tomes::model::EntityKey(key.into()),
        kind,
        name: name.into(),
        description: None,
        aliases: Vec::new().into(),
        mentions,
        spans: Vec::new().into(),
        named_by_group: false,
        name_weight: tomes::model::PaperEntity::weight_of_mentions(mentions),
    };
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        match i {
            0 => p.entities = vec![entity(here, 1)],
            1 => p.entities = vec![entity(name, 40)],
            _ => {}
        }
        library.add(p);
    }
    AppState::new(library, tomes::app::Keymap::defaults())
}

/// At 80 columns the row `congestive heart failure` opened a list titled "papers with heart
/// failure (here: congestive heart failure) (41)": the id went before the row's name. Short
/// of room, "papers with" goes, then the row's name is cut with an ellipsis, then dropped;
/// the id stays.
#[test]
fn an_entity_list_title_keeps_the_id_before_the_row_name() {
    let mut s = one_entity_named_two_ways(
        "MESH:D006333",
        tomes::model::EntityKind::Disease,
        "congestive heart failure",
        "heart failure",
    );
    press(&mut s, &["tab", "tab", "enter"]);
    let title = |s: &mut AppState, w: u16, h: u16| {
        let text = buffer_text(&render(s, w, h));
        let line = text
            .lines()
            .find(|l| l.contains("heart failure"))
            .unwrap_or("");
        line.trim_start_matches('┌')
            .trim_end_matches(['─', '┐'])
            .trim()
            .to_owned()
    };
    assert_eq!(
        title(&mut s, 80, 24),
        "heart failure [MESH:D006333] (here: congestive heart failure) (2)"
    );
    assert_eq!(
        title(&mut s, 60, 20),
        "heart failure [MESH:D006333] (here: congestive…) (2)"
    );
    assert_eq!(
        title(&mut s, 48, 16),
        "papers with heart failure [MESH:D006333] (2)"
    );
}

/// On PMID 6794356 the row `neurologic depression` opened "papers with depression
/// [MESH:D003866]": a user test could not tell the list was the row's. The title names both.
#[test]
fn an_entity_list_names_the_entity_as_the_row_it_was_opened_from() {
    let mut s = one_entity_named_two_ways(
        "MESH:D010634",
        tomes::model::EntityKind::Chemical,
        "neurologic depression",
        "depression",
    );
    press(&mut s, &["tab", "tab", "enter"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("┌ papers with depression [MESH:D010634] (here: neurologic depression) (2)"),
        "{text}"
    );
    let text = buffer_text(&render(&mut s, 60, 20));
    assert!(
        text.contains("┌ depression [MESH:D010634] (here: neurologic…) (2)"),
        "{text}"
    );
    // From a row that names it as the list does, the title is as before.
    // (Back, the focus is on the entity pane the jump left: Esc returns to the list.)
    press(&mut s, &["backspace", "esc", "j", "tab", "tab", "enter"]);
    assert!(matches!(s.view().kind, tomes::app::ViewKind::Entity(_)));
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(!text.contains("here:"), "{text}");
}

/// The frame's own buffer, as the real loop hands it to the terminal: a link's covered cells
/// keep their diff options, which a test terminal's copy of the screen leaves out.
fn frame_buffer(s: &mut AppState, width: u16, height: u16) -> Buffer {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))
        .expect("test terminal");
    let mut frame = Buffer::empty(ratatui::layout::Rect::new(0, 0, width, height));
    for _ in 0..2 {
        let mut viewport = s.viewport;
        terminal
            .draw(|f| {
                viewport = tomes::ui::render(f, s);
                frame = f.buffer_mut().clone();
            })
            .expect("draw");
        s.viewport = viewport;
    }
    frame
}

/// The bytes crossterm writes to draw `next` over `previous`.
fn bytes_to_draw(previous: &Buffer, next: &Buffer) -> usize {
    use ratatui::backend::{Backend, CrosstermBackend};
    use std::{cell::Cell, rc::Rc};
    struct Counter(Rc<Cell<usize>>);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.set(self.0.get() + bytes.len());
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let written = Rc::new(Cell::new(0));
    let mut backend = CrosstermBackend::new(Counter(Rc::clone(&written)));
    backend
        .draw(previous.diff(next).into_iter())
        .expect("draw into memory");
    Backend::flush(&mut backend).expect("flush");
    written.get()
}

#[test]
fn each_run_of_link_text_sends_its_link_once() {
    for (w, h) in [(80, 24), (60, 20), (160, 48)] {
        let mut linked = state();
        linked.appearance.hyperlinks = true;
        let mut plain = state();
        plain.appearance.hyperlinks = false;
        let with_links = frame_buffer(&mut linked, w, h);
        let without = frame_buffer(&mut plain, w, h);
        let mut runs = Vec::new();
        for y in 0..h {
            for (x, url) in linked_cells(&with_links, y) {
                let width = match with_links[(x, y)].diff_option {
                    ratatui::buffer::CellDiffOption::ForcedWidth(n) => n.get(),
                    other => panic!("{w}x{h}: link cell ({x}, {y}) is {other:?}"),
                };
                runs.push((x, y, width, url));
            }
        }
        assert!(!runs.is_empty(), "{w}x{h}: no links drawn");
        for pair in runs.windows(2) {
            let ((x, y, width, url), (next_x, next_y, _, next_url)) = (&pair[0], &pair[1]);
            assert!(
                !(y == next_y && x + width == *next_x && url == next_url),
                "{w}x{h}: the run at ({x}, {y}) goes on in another link: {runs:?}"
            );
        }
        // Links add their wrappers and a cursor move after each run, nothing more.
        let blank = Buffer::empty(with_links.area);
        let allowance: usize = runs
            .iter()
            .map(|(_, _, _, url)| {
                tomes::links::osc8_open(url).len() + tomes::links::OSC8_CLOSE.len() + 12
            })
            .sum();
        let (linked_bytes, plain_bytes) = (
            bytes_to_draw(&blank, &with_links),
            bytes_to_draw(&blank, &without),
        );
        assert!(
            linked_bytes <= plain_bytes + allowance,
            "{w}x{h}: {linked_bytes} bytes with links, {plain_bytes} without, {} runs",
            runs.len()
        );
    }
}

/// Bookmarks whose papers are not loaded, in the list: the `(not loaded)` mark was drawn
/// after the title and cut with it (`…impaired child. (not l…`), and the counts read
/// `5 shown · 1 loaded`, then `4 of 1`. The mark keeps its room, the counts say what is not
/// loaded.
#[test]
fn bookmarks_not_loaded_keep_their_mark_and_are_counted() {
    let mut s = state();
    let long = "Phenobarbital-induced dyskinesia in a neurologically-impaired child with a title \
                long enough to fill any row";
    s.set_bookmarks(vec![
        common::bookmark("PMID:901", long),
        common::bookmark("PMID:902", "Short"),
        common::bookmark("PMID:100004", "Cisplatin resistance"),
        common::bookmark("PMID:903", &long.replace("Pheno", "Other")),
    ]);
    press(&mut s, &["B"]);
    for (w, h) in [(80, 24), (60, 20), (40, 16)] {
        let text = buffer_text(&render(&mut s, w, h));
        let rows: Vec<&str> = text.lines().filter(|l| l.contains("★")).collect();
        assert_eq!(rows.len(), 4, "{w}x{h}:\n{text}");
        for row in [rows[0], rows[1], rows[3]] {
            let row = row.trim_end_matches('│').trim_end();
            assert!(row.ends_with(" (not loaded)"), "{w}x{h}: {row}");
        }
        assert!(
            rows[0].contains("Phenobarbital-induced"),
            "{w}x{h}: {row:?}",
            row = rows[0]
        );
        assert!(
            rows[0].contains("… (not loaded)"),
            "{w}x{h}: {row:?}",
            row = rows[0]
        );
        assert!(rows[1].contains("★ Short (not loaded)"), "{w}x{h}: {text}");
        assert!(!rows[2].contains("not loaded"), "{w}x{h}: {text}");
        let status = text.lines().last().unwrap_or_default();
        assert!(
            status.starts_with(" 4 shown · 3 not loaded")
                || (w < 60 && status.starts_with(" 4 shown")),
            "{w}x{h}: {status}"
        );
        assert!(!status.contains(" of "), "{w}x{h}: {status}");
    }
    // Outside the bookmarks list the counts are as ever.
    press(&mut s, &["backspace"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.lines()
            .last()
            .unwrap_or_default()
            .starts_with(" 6 shown · 6 loaded"),
        "{text}"
    );
}

/// An action the config leaves without a key: the hints read `unbound search` and
/// `unbound help`; they leave it out, and the help lists it with `no key`.
#[test]
fn actions_without_a_key_are_left_out_of_the_hints() {
    let mut overrides = std::collections::BTreeMap::new();
    overrides.insert("move_down".to_string(), vec!["j".into(), "down".into()]);
    overrides.insert("search".to_string(), vec!["j".into()]);
    overrides.insert("help".to_string(), vec![]);
    overrides.insert("quit".to_string(), vec!["Q".into()]);
    let (keymap, _) = tomes::app::Keymap::with_overrides(&overrides);
    let mut s = AppState::new(common::library(), keymap);
    for (w, h) in [(80, 24), (60, 20)] {
        let text = buffer_text(&render(&mut s, w, h));
        let top = text.lines().next().unwrap_or_default();
        let status = text.lines().last().unwrap_or_default();
        assert!(
            top.starts_with("tab next pane  enter open/jump"),
            "{w}x{h}: {top}"
        );
        assert!(!text.contains("unbound"), "{w}x{h}: {text}");
        assert!(status.trim_end().ends_with(" Q quit"), "{w}x{h}: {status}");
        assert!(!status.contains("help"), "{w}x{h}: {status}");
    }
    // The help, opened another way, says which actions have no key.
    s.overlay = Some(tomes::app::Overlay::Help);
    let text = buffer_text(&render(&mut s, 80, 40));
    let top = text.lines().next().unwrap_or_default().trim_end();
    assert_eq!(top, "j scroll  pgdn page  Q/esc close  p problems");
    assert!(
        text.contains("no key  search (filters as you type)  (search)"),
        "{text}"
    );
    assert!(text.contains("no key  this help  (help)"), "{text}");
}

/// A state on one PubTator paper, focused on its entities.
fn pubtator_state(text: &str) -> AppState {
    let parsed = tomes::formats::pubtator::parse(text, std::path::Path::new("p.txt"));
    let mut library = tomes::library::Library::new();
    for p in parsed.papers {
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    press(&mut s, &["tab", "tab"]);
    s
}

/// A chemical named `Paper` with id `MESH:D000001` read `Pape… MESH:D000001 1` at 60x20,
/// its name cut though name and id fit; and an entity without a database id showed its
/// internal key (`BRCA1 name:gene:brca1`) under the list.
#[test]
fn entity_rows_keep_a_name_that_fits_and_never_show_internal_keys() {
    let mut s = pubtator_state(
        "1|t|Paper title about stuff\n1|a|Paper is a chemical. BRCA1 too.\n\
         1\t0\t5\tPaper\tChemical\tD000001\n1\t21\t26\tBRCA1\tGene\t\n\n",
    );
    for (w, h) in [(60, 20), (80, 24)] {
        let text = buffer_text(&render(&mut s, w, h));
        let row = text
            .lines()
            .find(|l| l.contains("│ Pape"))
            .unwrap_or_else(|| panic!("{w}x{h}: no row for Paper\n{text}"));
        assert!(
            row.contains("│ Paper MESH:D000001 ") || row.contains("│ Paper D000001 "),
            "{w}x{h}: {row}"
        );
        assert!(!text.contains("name:"), "{w}x{h}:\n{text}");
        assert!(text.contains("BRCA1 (no id)"), "{w}x{h}:\n{text}");
    }
}

/// A near miss run corrected: at 80 columns the list's title names the correction, what it
/// finds, and what the word as typed found, whole.
#[test]
fn a_corrected_near_miss_is_titled_whole_at_80_columns() {
    let mut s = state();
    search_answered(
        &mut s,
        "asthama",
        Some(tomes::search::Correction {
            query: "asthma".into(),
            found_as_typed: 2,
        }),
        Ok(vec![Hit { paper: 5, score: 9 }]),
    );
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("Search \"asthma\" (1) · 2 for \"asthama\""),
        "{text}"
    );
}

/// A user test searched words of an abstract and got "no papers match" with no word why: a
/// search that finds nothing says what a search looks at.
#[test]
fn a_search_that_finds_nothing_says_what_is_searched() {
    let mut s = state();
    search_answered(&mut s, "radiomics", None, Ok(vec![]));
    let text = buffer_text(&render(&mut s, 120, 30));
    assert!(text.contains("no papers match"), "{text}");
    assert!(text.contains("abstracts are not"), "{text}");
    // A `word:` that is no field nor any id's namespace is said to be neither (ut24f's
    // `relation:cisplatin`); an id's namespace is not.
    let mut s = state();
    search_answered(&mut s, "relation:cisplatin", None, Ok(vec![]));
    let text = buffer_text(&render(&mut s, 120, 30));
    assert!(
        text.contains("relation: is no field (? lists them), nor the namespace of a loaded"),
        "{text}"
    );
    // Looked for once while the entities stay as many (typing `relation:cis…`).
    let (prefix, _, known) = s.search.prefix_checked.clone().expect("remembered");
    assert_eq!((prefix.as_str(), known), ("relation", false));
    let mut s = state();
    search_answered(&mut s, "NCBIGene:99999", None, Ok(vec![]));
    let text = buffer_text(&render(&mut s, 120, 30));
    assert!(!text.contains("is no field"), "{text}");
    // A field's own term looks at that field alone: no note of the others (ut24c).
    let mut s = state();
    search_answered(&mut s, "journal:nature", None, Ok(vec![]));
    let text = buffer_text(&render(&mut s, 120, 30));
    assert!(text.contains("no papers match"), "{text}");
    assert!(!text.contains("abstracts are not"), "{text}");
}

/// A user test searched `gene:tp53` on an entity's papers and on the bookmarks, got "no
/// papers match" and took the library to have none: the search, limited by the term its
/// line began with, says so and how to search the whole library.
#[test]
fn a_search_limited_to_an_entity_or_the_bookmarks_says_so_when_it_finds_nothing() {
    let mut s = state();
    press(&mut s, &["j", "tab", "tab", "enter"]);
    assert!(matches!(s.view().kind, tomes::app::ViewKind::Entity(_)));
    search_answered(&mut s, "zebra", None, Ok(vec![]));
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("no papers match"), "{text}");
    let said = "Searched only the papers with CD274; / then ctrl-u searches the whole library.";
    assert!(text.contains(said), "{text}");
    // The term deleted, the search is the library's: nothing about a limit.
    press(&mut s, &["/", "ctrl-u"]);
    type_text(&mut s, "zebra");
    press(&mut s, &["enter"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(!text.contains("Searched only"), "{text}");

    let mut s = state();
    press(&mut s, &["B"]);
    search_answered(&mut s, "tp53 apoptosis", None, Ok(vec![]));
    let text = buffer_text(&render(&mut s, 80, 24));
    let said = "Searched only the bookmarks; / then ctrl-u searches the whole library.";
    assert!(text.contains(said), "{text}");
}

/// Ctrl-z where no shell could continue tomes (src/foreground.rs tells it) says so in the
/// status bar at 80 columns, whole.
#[test]
fn a_suspend_refused_says_why() {
    let mut s = state();
    s.suspend_refused();
    let text = buffer_text(&render(&mut s, 80, 24));
    let status = text.lines().last().unwrap_or_default();
    assert!(
        status.contains("cannot suspend: no job control here (no shell to fg it)"),
        "{status}"
    );
}

/// The OSC 8 links of row `y`: (column, URL, the text the link wraps).
fn link_pieces(buf: &Buffer, y: u16) -> Vec<(u16, String, String)> {
    (0..buf.area.width)
        .filter_map(|x| {
            let rest = buf[(x, y)].symbol().strip_prefix("\x1b]8;;")?;
            let (url, rest) = rest.split_once("\x1b\\")?;
            let text = rest.strip_suffix(tomes::links::OSC8_CLOSE)?;
            Some((x, url.to_string(), text.to_string()))
        })
        .collect()
}

/// A browser on the fixture papers, the first with a PMCID and two links, one the other's
/// prefix (as tomesphere's Source and Full text are), the detail pane focused.
fn paper_with_long_links() -> AppState {
    let mut papers = common::papers();
    papers[0].ids.pmcid = Some("PMC13039540".into());
    papers[0].summary_mut().links = vec![
        tomes::model::Link {
            label: "Source".into(),
            url: "https://tomesphere.com/paper/PMC13039540".into(),
        },
        tomes::model::Link {
            label: "Full text".into(),
            url: "https://tomesphere.com/paper/PMC13039540/full.md".into(),
        },
    ];
    let mut library = tomes::library::Library::new();
    for p in papers {
        library.add(p);
    }
    let mut s = AppState::new(library, tomes::app::Keymap::defaults());
    s.appearance.hyperlinks = true;
    s
}

/// A user test found wrapped URLs in the Links section linked wrongly or not at all: a URL
/// was found by searching the drawn text, so the Full text URL's first line got the Source
/// URL (its prefix). Another, at 80 columns, read URLs wrapped mid-way. Each URL is one line,
/// cut in its middle with an ellipsis when it does not fit, and its link leads to the whole
/// URL.
#[test]
fn urls_in_the_links_section_are_one_line_each_linked_whole() {
    let paper = &paper_with_long_links().library.papers()[0].clone();
    let urls: Vec<String> = tomes::links::paper_links(paper)
        .into_iter()
        .map(|l| l.url)
        .collect();
    assert_eq!(urls.len(), 5, "{urls:?}");
    for (w, h) in [(80, 24), (120, 40), (60, 40)] {
        let mut s = paper_with_long_links();
        if w == 120 {
            // Side by side: the detail pane is 41 columns wide.
            s.appearance.arrangement = tomes::app::Arrangement::SideBySide;
        }
        press(&mut s, &["tab"]);
        render(&mut s, w, h);
        press(&mut s, &["G"]);
        let buf = render(&mut s, w, h);
        let text = buffer_text(&buf);
        let top = row_of(&buf, "Links").expect("a Links heading");
        let bottom = row_of(&buf, "Sources").expect("a Sources heading under Links");
        assert_eq!(
            (bottom - top) as usize,
            urls.len() + 2,
            "{w}x{h}: a line per URL\n{text}"
        );
        let mut cut = false;
        for url in &urls {
            let pieces: Vec<String> = (top..bottom)
                .flat_map(|y| link_pieces(&buf, y))
                .filter(|(_, u, _)| u == url)
                .map(|(_, _, t)| t)
                .collect();
            let [shown] = &pieces[..] else {
                panic!("{w}x{h}: {url} in one piece: {pieces:?}\n{text}");
            };
            if shown != url {
                let (start, end) = shown.split_once('…').expect("an ellipsis");
                assert!(
                    url.starts_with(start) && url.ends_with(end) && start.len() > 10,
                    "{w}x{h}: {shown} of {url}"
                );
                cut = true;
            }
        }
        assert!(
            cut,
            "{w}x{h}: no URL is cut, the test tests nothing\n{text}"
        );
        if w == 80 {
            s.appearance.hyperlinks = false;
            insta::assert_snapshot!("links_cut_80x24", buffer_text(&render(&mut s, w, h)));
        }
    }
}

/// The ids line wrapped in a narrow pane: each id keeps its link on every line it is on.
#[test]
fn wrapped_ids_carry_their_links_on_every_line() {
    let mut s = paper_with_long_links();
    s.appearance.arrangement = tomes::app::Arrangement::SideBySide;
    press(&mut s, &["tab"]);
    let buf = render(&mut s, 120, 40);
    let text = buffer_text(&buf);
    let ids = [
        ("PMID 100001", tomes::links::pubmed_url("100001")),
        ("PMC13039540", tomes::links::pmc_url("PMC13039540")),
        (
            "DOI 10.1000/fixture.1",
            tomes::links::doi_url("10.1000/fixture.1"),
        ),
    ];
    let links_row = row_of(&buf, "Links").unwrap_or(buf.area.height);
    let pieces: Vec<(u16, String, String)> =
        (0..links_row).flat_map(|y| link_pieces(&buf, y)).collect();
    for (id, url) in ids {
        let shown: String = pieces
            .iter()
            .filter(|(_, u, _)| *u == url)
            .map(|(_, _, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(shown, id, "{pieces:?}\n{text}");
    }
}

/// A user test's long DOI wrapped mid-token in the detail pane's ids line at 80x24. An id
/// goes on the next line whole when it does not fit where the line is, its label with it,
/// and one longer than the line is cut in its middle with an ellipsis; its link is the
/// whole id's either way.
#[test]
fn an_id_is_never_wrapped_mid_token() {
    let long = "10.1002/(SICI)1097-4636(199605)31:1<1::AID-JBM1>3.0.CO;2-R";
    let fits = "10.1016/j.jbiomech.2019.109512.supp";
    for doi in [long, fits] {
        let mut s = paper_with_long_links();
        let mut papers = s.library.papers().to_vec();
        papers[0].ids.doi = Some(doi.into());
        let mut library = tomes::library::Library::new();
        for p in papers {
            library.add(p);
        }
        s = AppState::new(library, tomes::app::Keymap::defaults());
        s.appearance.hyperlinks = true;
        press(&mut s, &["tab"]);
        let buf = render(&mut s, 80, 24);
        let text = buffer_text(&buf);
        let url = tomes::links::doi_url(doi);
        let end = row_of(&buf, "TL;DR").unwrap_or(buf.area.height);
        let pieces: Vec<(u16, String, String)> = (0..end)
            .flat_map(|y| link_pieces(&buf, y))
            .filter(|(_, u, _)| *u == url)
            .collect();
        let [(_, _, shown)] = &pieces[..] else {
            panic!("{doi} in one piece: {pieces:?}\n{text}");
        };
        let whole = format!("DOI {doi}");
        if doi == fits {
            assert_eq!(*shown, whole, "{text}");
        } else {
            let (start, end) = shown.split_once('…').expect("an ellipsis");
            assert!(whole.starts_with(start) && whole.ends_with(end), "{shown}");
            assert!(start.starts_with("DOI 10.1002/"), "{shown}");
            assert_eq!(unicode_width::UnicodeWidthStr::width(shown.as_str()), 48);
        }
    }
}

/// A user test's pane border moved in tmux on a paper with joined emoji and lone combining
/// marks: ratatui counted `👨‍👩‍👧‍👦` two columns, tmux drew each emoji, and a mark
/// starting a cell took no column of its own; a flag's second letter stayed on screen.
/// Every cell holds what a terminal draws one character at a time in the columns ratatui
/// gave it: one character that takes columns, no joiner, no leading mark.
#[test]
fn every_cell_is_drawn_as_wide_as_ratatui_counts_it() {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}\u{200d}\u{1f466}";
    let odd = format!(
        "{family} family \u{301}mark \u{2764}\u{fe0f} heart \u{1f3f3}\u{fe0f}\u{200d}\u{1f308}          flag 1\u{fe0f}\u{20e3} key \u{1f44d}\u{1f3fd} thumb a\u{200d}b \u{20dd}\u{301} e\u{301} \
         \u{1f1fa}\u{1f1f8} us"
    );
    let mut papers = common::papers();
    papers[0].title = format!("{odd} {odd}");
    papers[0].abstract_text = Some(format!("{odd} {odd} {odd} {odd}").as_str().into());
    let mut library = tomes::library::Library::new();
    for p in papers {
        library.add(p);
    }
    for (w, h) in SIZES {
        let mut s = AppState::new(library.clone(), tomes::app::Keymap::defaults());
        for keys in [&[][..], &["tab", "z"]] {
            press(&mut s, keys);
            let buf = render(&mut s, w, h);
            let text = buffer_text(&buf);
            assert!(text.contains("family"), "{text}");
            for cell in &buf.content {
                let symbol = cell.symbol();
                // One character that takes columns, as wide as ratatui counts the cell.
                let wide: Vec<usize> = symbol
                    .chars()
                    .map(|c| c.width().unwrap_or(0))
                    .filter(|&w| w > 0)
                    .collect();
                let starts_with_mark = symbol.chars().next().is_some_and(|c| c.width() == Some(0));
                assert!(
                    wide.len() == 1
                        && wide[0] == symbol.width()
                        && !starts_with_mark
                        && !symbol.contains('\u{200d}'),
                    "{w}x{h} {keys:?}: {symbol:?}\n{text}"
                );
            }
        }
    }
}

/// The popup of a URL not opened: a URL longer than its width wraps, and every line of it
/// is the link (it was linked only when it fitted on one line).
#[test]
fn a_wrapped_url_in_the_link_popup_is_a_link_on_every_line() {
    let url = "https://tomesphere.com/paper/PMC13039540/full.md?with=a-query-long-enough-to-wrap";
    let mut s = state();
    s.appearance.hyperlinks = true;
    let report = common::copy_report(true, false, false);
    s.opened("no display: URL shown instead", Some((url.into(), &report)));
    let buf = render(&mut s, 80, 24);
    let pieces: Vec<(u16, String, String)> = (0..buf.area.height)
        .flat_map(|y| link_pieces(&buf, y))
        .collect();
    assert!(pieces.len() > 1, "{pieces:?}\n{}", buffer_text(&buf));
    assert!(pieces.iter().all(|(_, u, _)| u == url), "{pieces:?}");
    let joined: String = pieces.iter().map(|(_, _, t)| t.as_str()).collect();
    assert_eq!(joined, url);
}

/// A search whose results are late: the list keeps the previous rows, and its title says
/// `searching…` where the count was (the count is the old rows'). Not a moment earlier.
#[test]
fn a_late_search_says_searching() {
    use std::time::{Duration, Instant};
    let t0 = Instant::now();
    let mut s = state();
    search_answered(&mut s, "tp53", None, Ok(vec![Hit { paper: 2, score: 9 }]));
    type_text(&mut s, " mouse");
    s.tick(t0);
    s.tick(t0 + Duration::from_millis(100));
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("Search \"tp53 mouse\" (1)"), "{text}");
    assert!(!text.contains("searching"), "{text}");
    s.tick(t0 + tomes::app::SEARCHING_SIGN_AFTER);
    insta::assert_snapshot!("late_search_80x24", buffer_text(&render(&mut s, 80, 24)));
    // With no rows kept from before, the empty list says it too, not "no papers match".
    let mut s = state();
    search_answered(&mut s, "zzz", None, Ok(vec![]));
    type_text(&mut s, "z");
    s.tick(t0);
    s.tick(t0 + Duration::from_secs(1));
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("Search \"zzzz\" (searching…)"), "{text}");
    assert!(!text.contains("no papers match"), "{text}");
}

/// A search within the bookmarks shows the bookmarks not loaded it finds, marked as in the
/// bookmarks list, and the counts agree: the title's count is the rows', and the status bar
/// says how many of them are not loaded (not `2 shown · 6 loaded`).
#[test]
fn a_search_within_the_bookmarks_counts_those_not_loaded() {
    let mut s = state();
    s.set_bookmarks(vec![
        common::bookmark("PMID:901", "p300 acetylates histone H3"),
        common::bookmark("PMID:100004", "Cisplatin resistance"),
        common::bookmark("PMID:902", "Unrelated"),
        common::bookmark("PMID:100001", "CD274 expression and p300"),
    ]);
    press(&mut s, &["B", "/"]);
    let effects = type_text(&mut s, "p300");
    let Some(Effect::Search { generation, .. }) = effects.last().cloned() else {
        panic!("no search effect");
    };
    // The worker holds the loaded papers only; none of their titles has p300.
    s.apply_search_results(SearchResults {
        generation,
        query: String::new(),
        searched: 6,
        corrected: None,
        letters_apart: Vec::new(),
        outcome: Ok(vec![]),
    });
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("Search \"is:bookmarked p300\" (1)"), "{text}");
    assert!(
        text.contains("★ p300 acetylates histone H3 (not loaded)"),
        "{text}"
    );
    let status = text.lines().last().unwrap_or_default();
    assert!(status.starts_with(" 1 shown · 1 not loaded"), "{status}");
}

/// The problems overlay quotes the files' text: `"TATA  box"` (two spaces, as gnormplus
/// writes it) showed as `"TATA box"`, word-wrapped like every pane. It shows as written,
/// wrapped or not, control characters still made visible.
#[test]
fn the_problems_overlay_shows_quoted_text_as_written() {
    let mut s = state();
    let message = format!(
        "unrecognised id {} for {}; {}",
        tomes::model::quoted("Gene:  12"),
        tomes::model::quoted("TATA  box"),
        tomes::model::quoted("a\u{1b}[31m   b")
    );
    s.problems = vec![tomes::model::Problem::new(
        "gnormplus/GNormPlus_Train.PubTator",
        Some(1204),
        message,
    )];
    press(&mut s, &["p"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("\"TATA  box\""), "{text}");
    assert!(text.contains("\"Gene:  12\""), "{text}");
    assert!(text.contains("\"a^[[31m   b\""), "{text}");
    // Wrapped at a single space, never inside a quote's run of spaces.
    assert!(text.contains("│  \"TATA  box\"; \"a^[[31m   b\""), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
}

/// `B` with no bookmarks said `no papers match`, as if something had been searched: the
/// empty bookmarks list says there are none yet and how to add one, with the key bound.
#[test]
fn the_empty_bookmarks_list_says_how_to_add_one() {
    let mut s = state();
    assert!(s.bookmarks().is_empty());
    press(&mut s, &["B"]);
    for (w, h) in [(80, 24), (60, 20)] {
        let text = buffer_text(&render(&mut s, w, h));
        assert!(!text.contains("no papers match"), "{w}x{h}:\n{text}");
        assert!(
            text.contains("│no bookmarks yet: b bookmarks the selected paper "),
            "{w}x{h}:\n{text}"
        );
    }
    // The key as bound.
    let overrides =
        std::collections::BTreeMap::from([("toggle_bookmark".to_string(), vec!["m".to_string()])]);
    let (keymap, problems) = tomes::app::Keymap::with_overrides(&overrides);
    assert!(problems.is_empty(), "{problems:?}");
    let mut s = AppState::new(common::library(), keymap);
    press(&mut s, &["B"]);
    let text = buffer_text(&render(&mut s, 160, 48));
    assert!(
        text.contains("no bookmarks yet: m bookmarks the selected paper"),
        "{text}"
    );
}

/// At 60x20 the entity box's aka line read `MESH:D002318 aka …`: not one alias fitted
/// beside the id, and the line named none. Where not a word of an alias fits, the line is
/// the id alone, or is left out when the id is beside the name; where one fits, as before.
#[test]
fn an_aka_line_with_no_alias_in_its_room_is_left_out() {
    let disease = |key: &str, name: &str, aliases: &[&str]| tomes::model::PaperEntity {
        key: tomes::model::EntityKey(key.into()),
        kind: tomes::model::EntityKind::Disease,
        name: name.into(),
        description: None,
        aliases: aliases.iter().map(|&a| a.into()).collect(),
        mentions: 1,
        spans: Vec::new().into(),
        named_by_group: false,
        name_weight: tomes::model::PaperEntity::weight_of_mentions(1),
    };
    let screen = |entity: tomes::model::PaperEntity, w: u16, h: u16| {
        let mut library = tomes::library::Library::new();
        for (i, mut p) in common::papers().into_iter().enumerate() {
            p.entities = vec![entity.clone()];
            if i < 2 {
                p.entities.push(disease("MESH:D001523", "psychosis", &[]));
            }
            library.add(p);
        }
        let mut s = AppState::new(library, tomes::app::Keymap::defaults());
        s.finish_pending_work();
        render(&mut s, w, h)
    };
    // The id leads the aka line, and the alias's first word does not fit beside it.
    let cardio = disease(
        "MESH:D002318",
        "cardiovascular disease",
        &["cardiovascular diseases", "CVD"],
    );
    let buf = screen(cardio.clone(), 60, 20);
    let text = buffer_text(&buf);
    assert!(!text.contains("aka"), "{text}");
    assert!(row_of(&buf, "│MESH:D002318 ").is_some(), "{text}");
    // Where there is room, the aliases are listed as ever.
    let buf = screen(cardio, 160, 48);
    assert!(
        row_of(&buf, "│aka cardiovascular diseases, CVD").is_some(),
        "{}",
        buffer_text(&buf)
    );
    // The id beside the name: no aka line at all.
    let long = disease(
        "MESH:D006937",
        "lipids",
        &["hypercholesterolaemias", "lipidaemia"],
    );
    let buf = screen(long, 60, 20);
    let text = buffer_text(&buf);
    assert!(!text.contains("aka"), "{text}");
    assert!(row_of(&buf, "│lipids MESH:D006937").is_some(), "{text}");
    // One word of an alias fits: it is shown, cut.
    let manic = disease(
        "MESH:D001714",
        "mania",
        &["manic depressive illness", "MDI"],
    );
    let text = buffer_text(&screen(manic, 60, 20));
    let aka = text
        .lines()
        .find(|l| l.contains("│aka manic"))
        .unwrap_or_else(|| panic!("an aka row:\n{text}"));
    assert!(aka.trim_end_matches(['│', ' ']).ends_with('…'), "{aka}");
}

/// The help's title said `Keys — esc closes` under key hints saying `q/esc close` (the
/// problems' title likewise), and the status bar `esc closes`: all three now say the keys
/// that close it as the hints do, the keys as bound. Narrow, the title keeps its name
/// alone rather than a cut hint.
#[test]
fn overlay_titles_say_the_keys_that_close_them_as_the_hints_do() {
    let mut overrides = std::collections::BTreeMap::new();
    overrides.insert("quit".to_string(), vec!["x".into()]);
    let (keymap, problems) = tomes::app::Keymap::with_overrides(&overrides);
    assert!(problems.is_empty(), "{problems:?}");
    for (keymap, close) in [
        (tomes::app::Keymap::defaults(), "q/esc close"),
        (keymap, "x/esc close"),
    ] {
        let mut s = AppState::new(common::library(), keymap);
        s.problems = vec![tomes::model::Problem::new("bad.pubtator", Some(3), "bad")];
        for (key, title) in [("?", "Keys"), ("p", "Problems (1)")] {
            s.overlay = None;
            press(&mut s, &[key]);
            for (w, h) in [(80, 24), (60, 20)] {
                let text = buffer_text(&render(&mut s, w, h));
                let top = text.lines().next().unwrap_or_default();
                let status = text.lines().last().unwrap_or_default();
                assert!(top.contains(&format!("  {close}  ")), "{w}x{h}: {top}");
                assert!(
                    text.contains(&format!("┌ {title} — {close} ─")),
                    "{w}x{h}:\n{text}"
                );
                assert!(status.trim_end().ends_with(close), "{w}x{h}: {status}");
            }
            // Too narrow for the hint: the name alone, not cut.
            let text = buffer_text(&render(&mut s, 20, 8));
            assert!(text.contains(&format!("┌ {title} ─")), "{text}");
            assert!(!text.contains(" — "), "{text}");
        }
    }
}

/// A user test's PubTator record had a one-line abstract of 1,000,000 words (6 MB): the
/// detail pane wrapped it whole at every frame, a second a key, 400 MB; another's BioC title
/// was 20 MB, seconds a key. The pane lays out the first
/// [`tomes::ui::text::DETAIL_TEXT_CHARS`] characters of each and says what is left out and
/// where to read it. (Lines counted, not time: the time is the lines'.)
#[test]
fn a_huge_abstract_or_title_is_laid_out_only_in_part() {
    let words = "cisplatin response in tumour cells ".repeat(200_000);
    for huge_title in [false, true] {
        let mut papers = common::papers();
        if huge_title {
            papers[0].title = words.as_str().into();
        } else {
            papers[0].abstract_text = Some(words.as_str().into());
        }
        let mut library = tomes::library::Library::new();
        for p in papers {
            library.add(p);
        }
        let mut s = AppState::new(library, tomes::app::Keymap::defaults());
        let theme = tomes::ui::Theme::new(s.appearance);
        let (lines, _) = tomes::ui::detail_lines(&s, 78, &theme);
        assert!(lines.len() < 1_500, "{} lines laid out", lines.len());
        let notes: Vec<String> = lines
            .iter()
            .map(|l| l.to_string())
            .filter(|l| l.contains("more characters"))
            .collect();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("more characters not shown here; `tomes show PMID:100001` prints"),
            "{notes:?}"
        );
        // A key, a frame.
        press(&mut s, &["tab", "j"]);
        render(&mut s, 80, 24);
    }
}

/// `/` on a kept search shows its query selected (drawn in the selection's colours), and
/// the status bar says typing replaces it; the kept search's line says what `/` does.
#[test]
fn slash_on_a_kept_search_shows_its_query_selected() {
    let mut s = state();
    search_answered(
        &mut s,
        "ketanserin",
        None,
        Ok(vec![Hit { paper: 1, score: 3 }]),
    );
    press(&mut s, &["enter"]);
    let buf = render(&mut s, 80, 24);
    insta::assert_snapshot!("kept_search_80x24", buffer_text(&buf));
    press(&mut s, &["/"]);
    let buf = render(&mut s, 80, 24);
    insta::assert_snapshot!("kept_search_slash_80x24", buffer_text(&buf));
    let selected = |buf: &Buffer| {
        let (x, y) = cell_at(buf, "/ ketanserin");
        (2..12).all(|dx| {
            let style = buf[(x + dx, y)].style();
            style.bg == Some(Color::Cyan) || style.add_modifier.contains(Modifier::REVERSED)
        })
    };
    assert!(selected(&buf), "the query is drawn selected");
    // Narrower, the status bar still says what typing does.
    let narrow = buffer_text(&render(&mut s, 60, 24));
    let status = narrow.lines().last().unwrap_or_default();
    assert!(
        status
            .trim_end()
            .ends_with("typing replaces  esc puts back"),
        "{status}"
    );
    // Once a cursor key keeps it for editing, it is drawn as typed text again.
    press(&mut s, &["end"]);
    let buf = render(&mut s, 80, 24);
    assert!(!selected(&buf));
    assert!(!buffer_text(&buf).contains("typing replaces"));
}

/// A user test found a paper's own load problems only in the problems list. Its detail
/// pane lists them under its ids, before its text: each `file:line: message` in at most
/// two lines, three at most, then how many more and the key that lists them all.
#[test]
fn a_papers_load_problems_show_in_its_detail() {
    use tomes::library::LoadEvent;
    use tomes::model::Problem;
    let file = "fixtures/papers.pubtator";
    let mut s = AppState::loading(tomes::app::Keymap::defaults());
    let mut papers = common::papers();
    for (i, p) in papers.iter_mut().enumerate() {
        p.sources[0].line = 10 * i + 1;
    }
    let problems = vec![
        Problem::new(
            file,
            Some(12),
            "mention \"TP53 loss of function\" at 9-31 does not match the text there \
             (\"mutations and CD274\"); it is kept without a place",
        ),
        Problem::new(file, Some(13), "unrecognised id \"gene:x\""),
        Problem::new(file, Some(14), "relation line with fewer than 4 columns"),
        Problem::new(file, Some(15), "annotation line with fewer than 5 columns"),
        Problem::new(file, Some(21), "title of 2 without an abstract line"),
    ];
    s.apply_load_event(LoadEvent::File {
        parsed: tomes::formats::Parsed { papers, problems },
        bytes: 1,
    });
    s.apply_load_event(LoadEvent::Done);
    press(&mut s, &["j"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    insta::assert_snapshot!("paper_load_problems_80x24", text);
    assert!(text.contains("Load problems (4)"), "{text}");
    assert!(
        text.contains("papers.pubtator:13: unrecognised id"),
        "{text}"
    );
    let taller = buffer_text(&render(&mut s, 80, 40));
    assert!(
        taller.contains("and 1 more; p lists every problem"),
        "{taller}"
    );
    // A paper without problems of its own has no such section.
    press(&mut s, &["j", "j"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(!text.contains("Load problems"), "{text}");
}

/// Saying how many more outranks showing a second name: a user test read `with Homo sapiens
/// (77) …` at 80 columns, where `+1,366 more` fitted after the one name, and `with CCL11
/// (2), CCL2 (2) +37` where `with CCL11 (2) +38 more` fitted.
#[test]
fn the_with_line_gives_up_a_name_before_the_count_of_the_rest() {
    let mut s = state();
    press(&mut s, &["tab", "tab"]);
    s.finish_pending_work();
    s.co_mentioned_total = 1_367;
    let mut ends = std::collections::BTreeMap::new();
    for width in 40..=240 {
        for height in [24, 48] {
            let with = with_line(&render(&mut s, width, height));
            if with.is_empty() {
                continue;
            }
            // Every line ends with the count of those left out, `+N more` or `+N`.
            let (rest, end) = match with.strip_suffix(" more") {
                Some(rest) => (rest, "+N more"),
                None => (with.as_str(), "+N"),
            };
            let (names, n) = rest.rsplit_once(" +").expect("a count");
            let shown = names.split(", ").count();
            assert_eq!(
                n,
                tomes::app::thousands(1_367 - shown),
                "{width}x{height}: {with:?}"
            );
            *ends.entry(end).or_insert(0) += 1;
        }
    }
    assert_eq!(ends.len(), 2, "{ends:?}");
    // At 80x24, the one name with the count of the rest.
    let with = with_line(&render(&mut s, 80, 24));
    assert_eq!(with, "with Homo sapiens (3) +1,366");
}
