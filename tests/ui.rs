//! Render tests of what the screen says about the outcome of a key: the Link popup after a
//! copy that may have failed, the room a warning gets in the status bar, the export menu's
//! counts of what an export will write.

mod common;

use common::{buffer_text, copy_report, press, render, row_of, state};
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use tomes::app::AppState;
use tomes::clipboard::CopyReport;
use tomes::model::Problem;

const URL: &str = "https://doi.org/10.1000/fixture.1";

/// The fixture state after `o` found no browser and the URL's copy did what `report` says.
fn url_shown(report: &CopyReport) -> AppState {
    let mut s = state();
    s.opened(
        "no display to open a browser on: URL shown instead",
        Some((URL.into(), report)),
    );
    s
}

/// The screen's words joined by spaces, borders left out, so a wrapped note reads whole.
fn joined(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '│')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether row `y` has a cell drawn in the error colour from column `x` on.
fn red_from(buf: &Buffer, x: u16, y: u16) -> bool {
    (x..buf.area.width).any(|x| buf[(x, y)].fg == Color::Red)
}

/// The Link popup said "the URL is copied" whatever the copy did. Inside a tmux that did not
/// take it, or when nothing took it, it says so, in the error colour, and where to have the
/// URL from instead.
#[test]
fn the_link_popup_says_copied_only_when_it_is() {
    let mut s = url_shown(&copy_report(true, true, true));
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("no browser here: the URL is copied"),
        "{text}"
    );

    let mut s = url_shown(&copy_report(true, false, true));
    let buf = render(&mut s, 80, 24);
    let text = buffer_text(&buf);
    assert!(!text.contains("the URL is copied"), "{text}");
    assert!(
        joined(&text).contains(
            "no browser here, and the URL may not be copied (tmux did not take it): select it \
             above to copy it"
        ),
        "{text}"
    );
    let row = row_of(&buf, "no browser here").expect("the note");
    assert!(red_from(&buf, 0, row), "a warning:\n{text}");
    // The status bar warns too, whole beside the counts.
    let status = text.lines().last().unwrap_or_default();
    assert!(
        status.contains("│ URL may not be copied (tmux did not take it)"),
        "{status}"
    );

    let mut s = url_shown(&copy_report(false, false, false));
    let buf = render(&mut s, 80, 24);
    let text = buffer_text(&buf);
    assert!(
        text.contains("no browser here, and the copy failed: select the URL above to copy it"),
        "{text}"
    );
    let row = row_of(&buf, "no browser here").expect("the note");
    assert!(red_from(&buf, 0, row), "a warning:\n{text}");
    // Narrow, the note wraps rather than being cut.
    let text = buffer_text(&render(&mut s, 40, 16));
    assert!(
        joined(&text).contains("select the URL above to copy it"),
        "{text}"
    );
}

/// The fixture state with `n` load problems, as the corpora's 51.
fn with_problems(n: usize) -> AppState {
    let mut s = state();
    s.problems = (0..n)
        .map(|i| Problem::new("bad.pubtator", Some(i + 1), "bad offsets"))
        .collect();
    s
}

fn status_row(s: &mut AppState, width: u16) -> String {
    let text = buffer_text(&render(s, width, 24));
    text.lines().last().unwrap_or_default().to_owned()
}

/// Beside any error the problem count and its keys stayed, a rule meant for errors about
/// the problems: a copy warning at 80 columns was cut to "URL may not be copied: o opens…".
/// An unrelated warning gets the room; one about the problems keeps the count beside it.
#[test]
fn a_warning_unrelated_to_the_problems_gets_the_room_of_their_count() {
    let mut s = with_problems(51);
    s.copied("URL", &copy_report(true, false, true));
    assert_eq!(
        status_row(&mut s, 80).trim_end(),
        " 6 of 6 │ URL may not be copied: o opens or shows it (tmux did not take it)"
    );
    // The count comes back once the message is gone.
    press(&mut s, &["j"]);
    assert!(
        status_row(&mut s, 80).contains("51 problems (p)"),
        "{}",
        status_row(&mut s, 80)
    );
    // About the problems: the count and the key to list them stay beside it.
    s.notify_about_problems(
        "config.toml has problems (p lists them) and some more words to make it long",
    );
    let status = status_row(&mut s, 80);
    assert!(
        status.starts_with(" 6 of 6 · 51 problems (p) │ config.toml has problems (p lists"),
        "{status}"
    );
}

fn bookmark(key: &str) -> tomes::bookmarks::Bookmark {
    tomes::bookmarks::Bookmark {
        key: tomes::model::PaperKey(key.into()),
        title: "A title".into(),
        added: String::new(),
        note: String::new(),
    }
}

/// The export menu counted every bookmark, and the export then skipped those whose papers
/// are not loaded: it counts what an export writes, and says how many are loaded.
#[test]
fn the_export_menu_counts_the_papers_an_export_writes() {
    let mut s = state();
    let loaded = |s: &AppState, i: u32| s.library.paper(i).key.to_string();
    s.set_bookmarks(vec![
        bookmark(&loaded(&s, 0)),
        bookmark("PMID:99999999"),
        bookmark(&loaded(&s, 2)),
        bookmark("file:gone.txt#1"),
        // The first paper again, by another of its keys: exported once.
        bookmark("DOI:10.1000/fixture.1"),
    ]);
    press(&mut s, &["e"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("BibTeX    this list (6)"), "{text}");
    assert!(
        text.contains("BibTeX    bookmarks (2 of 4 loaded)"),
        "{text}"
    );
    // The bookmarks list shows every bookmark: exporting it writes the loaded ones. There
    // "this list" and "bookmarks" are the same papers: offered once (a user test).
    press(&mut s, &["esc", "B", "e"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("BibTeX    bookmarks (2 of 4 loaded)"),
        "the first paper once: {text}"
    );
    assert!(!text.contains("this list"), "{text}");
    assert_eq!(text.matches("BibTeX").count(), 1, "{text}");
    assert_eq!(s.menu_len(), 3);
    // None loaded: dimmed, and said so.
    let mut s = state();
    s.set_bookmarks(vec![bookmark("PMID:99999999")]);
    press(&mut s, &["e"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("BibTeX    bookmarks (0 of 1 loaded)"),
        "{text}"
    );
    // With every bookmark loaded, the plain count.
    let mut s = state();
    s.set_bookmarks(vec![bookmark(&loaded(&s, 1))]);
    press(&mut s, &["e"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(text.contains("BibTeX    bookmarks (1)"), "{text}");
}

/// A user test with a browser that fails (`BROWSER=false`, `less`, a name that is not
/// installed): the popup said "no browser here", and the status bar, cut at 80 columns, lost
/// the "copied" at the end of `nonexistent-browser-xyz: No such file or directory (os error
/// 2) · URL…`. The popup says the browser failed and how. A later user test read `URL copied
/// via OSC 52 and tmux · the browser failed…`, what failed cut off: the status bar says what
/// failed and why first, then, in fewer words where the room is short, what became of the
/// URL (the popup above it says that whole).
#[test]
fn a_browser_that_fails_is_said_so_and_why_comes_first() {
    for (why, url_in_sight) in [
        ("false exited with status 1", true),
        ("less needs the terminal", true),
        ("/usr/lib/firefox/firefox exited with status 1", true),
        (
            "nonexistent-browser-xyz: No such file or directory (os error 2)",
            false,
        ),
    ] {
        let mut s = state();
        s.open_failed(why, URL.into(), &copy_report(true, true, true));
        let text = buffer_text(&render(&mut s, 80, 24));
        assert!(
            joined(&text).contains(&format!("no browser opened it ({why}): the URL is copied")),
            "{text}"
        );
        assert!(!text.contains("no browser here"), "{text}");
        let status = text.lines().last().unwrap_or_default();
        let message = status.split_once(" │ ").map_or("", |(_, m)| m);
        assert!(
            message.starts_with(&format!("no browser opened it: {why} · "))
                || message.starts_with(&format!("{why} · ")),
            "{status}"
        );
        assert_eq!(message.contains(" · URL copied"), url_in_sight, "{status}");
        let message = s.message.clone().expect("a message");
        assert_eq!(
            message.text,
            format!("no browser opened it: {why} · URL copied via OSC 52 and tmux")
        );
        assert!(message.is_error, "a browser that failed is a warning");

        // A copy tmux did not take: the popup says both.
        let mut s = state();
        s.open_failed(why, URL.into(), &copy_report(true, false, true));
        let text = buffer_text(&render(&mut s, 80, 24));
        assert!(
            joined(&text).contains(&format!(
                "no browser opened it ({why}), and the URL may not be copied"
            )),
            "{text}"
        );
        let status = text.lines().last().unwrap_or_default();
        assert!(
            status.contains("URL may not be copied") || !url_in_sight,
            "{status}"
        );
    }
}

/// The help overlay's position counter (`21-40/53`) at the bottom of the screen.
fn overlay_counter(s: &mut AppState) -> String {
    let text = buffer_text(&render(s, 80, 24));
    // The overlay's bottom border (the status bar below says `q/esc close`).
    let bottom = text
        .lines()
        .rev()
        .find(|l| l.contains('┘') && l.contains('/'))
        .unwrap_or("");
    bottom
        .split(|c: char| !(c.is_ascii_digit() || c == '-' || c == '/'))
        .find(|w| w.contains('/'))
        .unwrap_or("")
        .to_owned()
}

/// Keys typed with the key opening the help or problems overlay (`p G` in one write over
/// SSH, before a frame is drawn) were thrown away: the overlay's end was only known once it
/// was drawn, so `G`, `j` and page down stayed at its top.
#[test]
fn keys_typed_before_the_overlay_is_drawn_scroll_it() {
    let mut s = state();
    render(&mut s, 80, 24);
    press(&mut s, &["?"]);
    let top = overlay_counter(&mut s);
    let total = top.rsplit('/').next().unwrap_or("").to_owned();
    let total_n: usize = total.parse().expect("a counter");
    assert_eq!(top, format!("1-20/{total}"), "20 rows at 80x24");
    for (keys, first) in [
        (&["G"][..], total_n - 19),
        (&["j", "j", "j"][..], 4),
        (&["pagedown"][..], 21),
    ] {
        press(&mut s, &["esc"]);
        render(&mut s, 80, 24);
        press(&mut s, &["?"]);
        press(&mut s, keys);
        let counter = overlay_counter(&mut s);
        assert!(
            counter.starts_with(&format!("{first}-")),
            "{keys:?}: {counter}"
        );
        if keys == ["G"] {
            // Drawn once, the end is known: k goes one line up from it.
            press(&mut s, &["k"]);
            let counter = overlay_counter(&mut s);
            assert!(counter.starts_with(&format!("{}-", first - 1)), "{counter}");
        }
    }
}

/// Page down in the zoomed entities pane moved one row: it paged by the detail pane's
/// height, and zoomed the detail pane is not drawn. It pages by the entity list's rows.
#[test]
fn page_down_in_the_zoomed_entities_pane_moves_a_page() {
    let mut s = state();
    // The cisplatin paper: five entities, of five kinds (ten rows with their headings).
    while s.selected_paper() != Some(3) {
        press(&mut s, &["j"]);
    }
    press(&mut s, &["tab", "tab", "z"]);
    // A short terminal, so a page is less than the list.
    render(&mut s, 80, 7);
    let rows = s.viewport.entity_rows;
    assert!((2..4).contains(&rows), "{rows} rows shown");
    press(&mut s, &["pagedown"]);
    assert_eq!(s.view().entity_cursor, rows);
    press(&mut s, &["pageup"]);
    assert_eq!(s.view().entity_cursor, 0);
}

/// A user test read `3 DOI —` in the copy menu of a paper without a DOI: what the paper
/// lacks is said, and greyed, number and all.
#[test]
fn the_copy_menu_says_what_the_paper_lacks() {
    let mut s = state();
    press(&mut s, &["j", "y"]);
    let buf = render(&mut s, 80, 24);
    let text = buffer_text(&buf);
    assert!(
        text.contains("3  DOI       (this paper has no DOI)"),
        "{text}"
    );
    assert!(!text.contains('—'), "{text}");
    let row = row_of(&buf, "(this paper has no DOI)").expect("the DOI row");
    let x = (0..buf.area.width)
        .find(|&x| buf[(x, row)].symbol() == "3")
        .expect("its number");
    let number = buf[(x, row)].style();
    let label = row_of(&buf, "1  key").expect("the key row");
    let x1 = (0..buf.area.width)
        .find(|&x| buf[(x, label)].symbol() == "1")
        .expect("its number");
    assert_ne!(number.fg, buf[(x1, label)].style().fg, "greyed");
}

/// A browser export into a folder it cannot write said only `export failed: Permission
/// denied (os error 13)`: it names the folder.
#[test]
fn a_failed_export_names_the_folder() {
    let mut s = state();
    s.export_dir = "/readonly/papers".into();
    s.exported(Err("Permission denied (os error 13)".into()), 0, 0);
    let said = common::message_text(&s);
    assert_eq!(
        said,
        "export failed: cannot write in /readonly/papers: Permission denied (os error 13)"
    );
}
