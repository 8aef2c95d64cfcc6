//! Drawing: one render function per pane, all reading the [`AppState`] and nothing else.
//!
//! ```text
//! wide (>= 160 columns)                    narrow (80x24)
//! / search line ...........................  / search line ..............
//! ┌papers──────┐┌detail──────┐┌entities──┐  ┌papers────────────────────┐
//! │            ││            ││          │  └──────────────────────────┘
//! └────────────┘└────────────┘└──────────┘  ┌detail──────────┐┌entities┐
//! status bar ..............................  └────────────────┘└────────┘
//! ```
//! Small terminals put the list first: it keeps three rows; under 60 columns detail and
//! entities take turns below it (the focused one shows), and when the body has no room for
//! two panes (30x8) the focused pane takes it alone, as if zoomed. Nothing on the search line,
//! the status bar ([`status`]) or a pane's title is cut mid-word without an ellipsis.
//! `z` zooms the focused pane over the whole body. Only visible rows are laid out: drawing
//! costs the same for 30 papers and 100 000. A related view's rows say what each paper
//! shares with the one it is about, and the detail pane opens with that `shares:` line.
//! Overlays: help and problems fill the screen; the copy and export menus and the URL popup
//! are small boxes in the middle. A pop-up that would leave only a sliver of the panes beside
//! it takes the whole width instead ([`popup_area`]). With
//! `appearance.hyperlinks`, ids in the detail and entity panes become OSC 8 links, drawn into
//! the cells already laid out, one link per run of text ([`link::draw_link`] keeps widths right).

pub mod link;
pub mod status;
pub mod text;
pub mod theme;

use crate::app::{
    AppState, Arrangement, ExportScope, Overlay, Pane, Row, ViewKind, Viewport, WIDE_COLUMNS,
    thousands, visible_offset,
};
use crate::clipboard::CopyOutcome;
use crate::links;
use crate::model::{Paper, Problem};
use crate::search::Query;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
pub use theme::Theme;

/// Below this the screen only says it is too small.
const MIN_WIDTH: u16 = 20;
const MIN_HEIGHT: u16 = 6;

/// Rows of papers the list keeps (inside its border) before the detail and entity panes get
/// any: on a small terminal the list is what makes the rest usable.
const MIN_LIST_ROWS: u16 = 3;
/// Rows (inside the border) below which the detail and entity panes are not worth drawing
/// under the list: the focused pane then takes the whole body, as if zoomed.
const MIN_LOWER_ROWS: u16 = 3;
/// Columns from which detail and entities share the row under the list; narrower, the one
/// focused (detail unless it is entities) takes it.
const SPLIT_LOWER_FROM: u16 = 60;
/// Side by side needs this many columns even when `layout.mode` asks for it.
const SIDE_BY_SIDE_FROM: u16 = 60;

/// Where each part of the screen goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    pub search: Rect,
    pub papers: Rect,
    pub detail: Rect,
    pub entities: Rect,
    pub status: Rect,
}

/// Lays out the screen; a zoomed pane gets the whole body and the others an empty rect.
/// Small terminals give the list priority: it keeps `MIN_LIST_ROWS` rows, and when the
/// rest is too small for the other panes the focused pane takes the body alone.
pub fn layout(area: Rect, state: &AppState) -> Areas {
    let search_rows = 1 + search_error_rows(state, area.width, max_error_rows(area)).len() as u16;
    let [search, body, status] = Layout::vertical([
        Constraint::Length(search_rows),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut areas = Areas {
        search,
        status,
        ..Areas::default()
    };
    let list_needed = 2 + MIN_LIST_ROWS;
    let lower_needed = 2 + MIN_LOWER_ROWS;
    if state.zoomed || body.height < list_needed + lower_needed {
        match state.focus {
            Pane::Papers => areas.papers = body,
            Pane::Detail => areas.detail = body,
            Pane::Entities => areas.entities = body,
        }
        return areas;
    }
    let appearance = state.appearance;
    let side_by_side = match appearance.arrangement {
        Arrangement::Auto => area.width >= WIDE_COLUMNS,
        Arrangement::SideBySide => area.width >= SIDE_BY_SIDE_FROM,
        Arrangement::Stacked => false,
    };
    if side_by_side {
        // The list gets its share; the rest is split 60/40 between detail and entities.
        let list = appearance.list_width_percent.clamp(10, 90);
        let rest = 100 - list;
        let detail = rest * 3 / 5;
        let [p, d, e] = Layout::horizontal([
            Constraint::Percentage(list),
            Constraint::Percentage(detail),
            Constraint::Percentage(rest - detail),
        ])
        .areas(body);
        (areas.papers, areas.detail, areas.entities) = (p, d, e);
    } else {
        let [mut top, mut bottom] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(body);
        if top.height < list_needed {
            [top, bottom] =
                Layout::vertical([Constraint::Length(list_needed), Constraint::Min(0)]).areas(body);
        }
        areas.papers = top;
        if bottom.width >= SPLIT_LOWER_FROM {
            [areas.detail, areas.entities] =
                Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
                    .areas(bottom);
        } else if state.focus == Pane::Entities {
            areas.entities = bottom;
        } else {
            areas.detail = bottom;
        }
    }
    areas
}

/// Draws the whole screen and reports the pane sizes it used (for paging and scroll limits).
pub fn render(frame: &mut Frame, state: &AppState) -> Viewport {
    let area = frame.area();
    let theme = Theme::new(state.appearance);
    let mut viewport = Viewport::default();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        frame.render_widget(
            Paragraph::new("terminal too small")
                .style(theme.text)
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return viewport;
    }
    let areas = layout(area, state);
    let buf = frame.buffer_mut();
    render_search_line(buf, areas.search, state, &theme);
    viewport.list_rows = render_papers(buf, areas.papers, state, &theme);
    (viewport.detail_rows, viewport.detail_lines) = render_detail(buf, areas.detail, state, &theme);
    (viewport.entity_offset, viewport.entity_rows) =
        render_entities(buf, areas.entities, state, &theme);
    render_status(buf, areas.status, state, &theme);
    // Known before the help or problems overlay is drawn, so a page key typed with the key
    // opening it (one write over SSH) pages by its height.
    viewport.overlay_rows = text_overlay_area(area).height.saturating_sub(2) as usize;
    if let Some(overlay) = state.overlay {
        (viewport.overlay_rows, viewport.overlay_lines) =
            render_overlay(buf, area, overlay, state, &theme);
        viewport.overlay_drawn = Some(overlay);
    }
    draw_safely(frame.buffer_mut());
    if state.search.editing && state.overlay.is_none() {
        let (_, cursor) = visible_input(
            &state.search.input,
            state.search.input.cursor(),
            areas.search.width as usize,
        );
        let x = areas.search.x + 2 + cursor as u16;
        if x < areas.search.right() {
            frame.set_cursor_position(Position::new(x, areas.search.y));
        }
    }
    viewport
}

/// Puts in each cell what a terminal draws in the columns ratatui gave it
/// ([`crate::safe_text::cell_symbol_for_terminal`]): a joined emoji or a lone combining
/// mark in a paper's text moved the rest of its row, and the pane's border, in tmux.
fn draw_safely(buf: &mut Buffer) {
    use unicode_width::UnicodeWidthStr;
    let width = buf.area.width as usize;
    for i in 0..buf.content.len() {
        let Some(pieces) = crate::safe_text::cell_symbol_for_terminal(buf.content[i].symbol())
        else {
            continue;
        };
        // The first piece in the cell, the others in the cells it covers (ratatui left
        // them blank); they never run past it, so never past the row.
        let row_end = (i / width + 1) * width;
        let mut at = i;
        for piece in pieces {
            if at >= row_end {
                break;
            }
            buf.content[at].set_symbol(&piece);
            at += piece.width().max(1);
        }
    }
}

fn pane_block<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme.border_focused
        } else {
            theme.border
        })
        .border_type(if focused {
            theme.border_type_focused
        } else {
            BorderType::Plain
        })
        .title(title)
}

/// What an entity's list title says of its order (see `AppState::rows_for`).
const ENTITY_ORDER: &str = ", most mentions first";

/// How many papers the current list holds, as its title says it: `702`, or `top 50 of 702`
/// when it keeps only the best (a related list).
fn list_count(state: &AppState) -> String {
    let view = state.view();
    // The rows are another query's, late to be replaced: their count is not the search's.
    if state.shows_searching() {
        return SEARCHING.to_owned();
    }
    let n = thousands(view.rows.len());
    match view.uncapped {
        Some(total) => format!("top {n} of {}", thousands(total)),
        None => n,
    }
}

/// What the list's title says in place of its count while a search's results are late
/// ([`AppState::shows_searching`]).
const SEARCHING: &str = "searching…";

/// The list's heading: what the current view is.
pub fn view_title(state: &AppState) -> String {
    let view = state.view();
    let n = list_count(state);
    let index = state.library.index();
    match &view.kind {
        ViewKind::All => format!("Papers ({n})"),
        ViewKind::Search { query } => match (
            &state.search.error,
            state.search.shown.as_ref().map(|s| &s.text),
        ) {
            // The list holds the results of the line's valid start (or, until they come,
            // what it held before): say which.
            // Typed, an unfinished term is left out: `title:` as typed filters nothing (a
            // user test read `showing "title:" (4,530)`).
            (Some(_), Some(shown))
                if crate::search::Query::parse(shown).is_ok_and(|q| q.is_empty()) =>
            {
                format!("Search — query error; showing all papers ({n})")
            }
            (Some(_), Some(shown)) => {
                format!("Search — query error; showing {} ({n})", quoted(shown))
            }
            (Some(_), None) => format!("Search — query error; showing previous list ({n})"),
            // An empty line (`/` alone, or everything typed deleted) filters nothing: the
            // list is every paper, and `Search ""` would read as a search for nothing.
            (None, _) if query.trim().is_empty() => format!("Papers ({n})"),
            (None, _) => match &state.search.corrected {
                // What is shown first: cut at the end on a narrow pane, the typed query
                // goes before the correction does.
                Some(corrected) => format!(
                    "Search {} ({n}) · {} for {}",
                    quoted(&corrected.query),
                    match corrected.found_as_typed {
                        0 => "none".to_owned(),
                        found => thousands(found),
                    },
                    quoted(query)
                ),
                // No paper holds the word: the list is letters apart (`covid` in "Color
                // vision defects"), and says so.
                None if !state.search.letters_apart.is_empty() => {
                    let words: Vec<String> = state
                        .search
                        .letters_apart
                        .iter()
                        .map(|w| quoted(w))
                        .collect();
                    format!(
                        "Search {} ({n}) · none say {}; letters apart",
                        quoted(query),
                        words.join(", ")
                    )
                }
                // A list cut to the papers that have a field asked of them says how many
                // lack it (with none found, the list's note says so).
                None if !state.search.lacking.is_empty() && !view.rows.is_empty() => {
                    let mut title = format!("Search {} ({n})", quoted(query));
                    for &(field, lacking) in &state.search.lacking {
                        title.push_str(&format!(
                            " · {} of {} have {}",
                            thousands(lacking),
                            thousands(state.library.len()),
                            crate::app::lacking_what(field)
                        ));
                    }
                    title
                }
                None => format!("Search {} ({n})", quoted(query)),
            },
        },
        ViewKind::Entity(e) => {
            let info = index.entity(*e);
            let here = named_here(state, *e);
            if info.key.is_name_only() {
                format!("papers with {}{here}{ENTITY_ORDER} ({n})", info.name)
            } else {
                format!(
                    "papers with {} [{}]{here}{ENTITY_ORDER} ({n})",
                    info.name, info.key
                )
            }
        }
        ViewKind::Related(p) => related_title(state, *p, &n, 58),
        ViewKind::Bookmarks => {
            let kept = view
                .rows
                .iter()
                .filter(|row| state.row_still_bookmarked(row))
                .count();
            match view.rows.len() - kept {
                0 => format!("Bookmarks ({n})"),
                removed => format!(
                    "Bookmarks ({}, {} removed)",
                    thousands(kept),
                    thousands(removed)
                ),
            }
        }
    }
}

/// ` (here: neurologic depression)` when the entity list on screen was opened from a row
/// that named entity `e` otherwise than the list does (the paper's own name, PMID 6794356's
/// "neurologic depression" for MESH:D003866, "depression"); else nothing. A user test could
/// not tell that the list it opened was the row's.
fn named_here(state: &AppState, e: crate::index::EntityIdx) -> String {
    here_name(state, e).map_or(String::new(), |row| format!(" (here: {row})"))
}

/// The row's name [`named_here`] gives, when it gives one.
fn here_name(state: &AppState, e: crate::index::EntityIdx) -> Option<String> {
    let p = state.view().jumped_from?;
    let info = state.library.index().entity(e);
    let row_name = entity_row_name(state.library.paper(p), info);
    (!same_ignoring_case(row_name, &info.name))
        .then(|| without_control_chars(row_name).into_owned())
}

/// A query as a title quotes it: between quotes it does not hold, so one with quotes of its
/// own reads as one text (`"brca1"`, `«"breast cancer"»`, never `""breast cancer""`, which
/// read as two empty strings around two words); ends trimmed, control characters as spaces.
pub fn quoted(query: &str) -> String {
    let query = without_control_chars(query.trim());
    let (open, close) = [('"', '"'), ('«', '»'), ('“', '”'), ('‹', '›')]
        .into_iter()
        .find(|&(open, close)| !query.contains(open) && !query.contains(close))
        .unwrap_or(('«', '»'));
    format!("{open}{query}{close}")
}

/// `related to "<title>" (n)` in about `columns` columns: the title is cut to fit (never
/// below 20 characters).
fn related_title(
    state: &AppState,
    about: crate::index::PaperIdx,
    n: &str,
    columns: usize,
) -> String {
    let title = state.library.paper(about).title.trim();
    let frame = format!("related to \"\" ({n})").chars().count();
    format!(
        "related to \"{}\" ({n})",
        shorten(title, columns.saturating_sub(frame + 1).max(20))
    )
}

/// The list's heading in at most `columns` columns. A related view's title names the paper it
/// is about: as much of it as the pane holds. Narrower, an entity's list drops its id, then
/// "papers with"; then words are cut with an ellipsis; the count stays.
fn list_title(state: &AppState, columns: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let view = state.view();
    let n = list_count(state);
    let title = match view.kind {
        ViewKind::Related(about) => related_title(state, about, &n, columns.saturating_sub(2)),
        ViewKind::Entity(e) => {
            let title = view_title(state);
            if title.width() <= columns {
                return title;
            }
            // Then without the order. Then, of the name, the id, the row's name ("here:")
            // and "papers with": "papers with" goes first, then the row's name is cut with
            // an ellipsis, then it goes, then the id. The name and id say which list this
            // is; the row's name is still on the row it was opened from.
            let title = title.replacen(ENTITY_ORDER, "", 1);
            if title.width() <= columns {
                return title;
            }
            let info = state.library.index().entity(e);
            let id = if info.key.is_name_only() {
                String::new()
            } else {
                format!(" [{}]", info.key)
            };
            let here = here_name(state, e);
            let tail = format!(" ({n})");
            #[derive(Clone, Copy)]
            enum Here {
                Whole,
                Cut,
                Left,
            }
            let forms = [
                ("papers with ", id.as_str(), Here::Whole),
                ("", id.as_str(), Here::Whole),
                ("papers with ", id.as_str(), Here::Cut),
                ("", id.as_str(), Here::Cut),
                ("papers with ", id.as_str(), Here::Left),
                ("", id.as_str(), Here::Left),
                ("", "", Here::Left),
            ];
            for (prefix, id, how) in forms {
                let head = format!("{prefix}{}{id}", info.name);
                let here = match (&here, how) {
                    (Some(row), Here::Whole) => format!(" (here: {row})"),
                    (Some(row), Here::Cut) => {
                        let room = columns
                            .saturating_sub(head.width() + tail.width() + " (here: )".width());
                        // Fewer columns would leave too little of the row's name to read.
                        if room < HERE_NAME_MIN_COLUMNS {
                            continue;
                        }
                        format!(" (here: {})", text::cut_words(row, room))
                    }
                    _ => String::new(),
                };
                let title = format!("{head}{here}{tail}");
                if title.width() <= columns {
                    return title;
                }
            }
            format!("{}{tail}", info.name)
        }
        _ => view_title(state),
    };
    if title.width() <= columns {
        return title;
    }
    let count = format!(" ({n})");
    match title.strip_suffix(&count) {
        Some(head) if columns > count.width() + 1 => {
            text::cut_words(head, columns - count.width()) + &count
        }
        _ => text::cut_words(&title, columns),
    }
}

/// The fewest columns a list title gives the row's name in "(here: …)" when it must be cut.
const HERE_NAME_MIN_COLUMNS: usize = 10;

fn shorten(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// `s` whole when it has at most `room` characters, else cut to `room` with an ellipsis.
/// (A name that just fit beside its id was cut: `Pape… MESH:D000001`.)
fn fit_chars(s: &str, room: usize) -> String {
    if s.chars().count() <= room {
        s.to_owned()
    } else {
        shorten(s, room.saturating_sub(1))
    }
}

/// From this inner width on, a related view's rows have a column saying what each paper
/// shares (narrower, only the detail pane says it).
const SHARES_COLUMN_FROM: u16 = 50;

/// The names of the entities `paper` shares with the paper a related view is about, most
/// telling first, as that paper's entity rows name them (the seed's "disease", not the
/// library's name for that generic id, a word one other abstract repeats); empty in other
/// views.
fn shared_names(state: &AppState, paper: crate::index::PaperIdx) -> Vec<&str> {
    let index = state.library.index();
    let ViewKind::Related(about) = state.view().kind else {
        return Vec::new();
    };
    let shared = state.related_shares(paper).unwrap_or_default();
    shared_entity_names(state.library.paper(about), index, &shared)
}

/// The names of `shared` entities ([`shared_entity_name`]), in order, each name once: two
/// entities of one name (human MTOR and mouse Mtor, both "mTOR" in the abstract) would read
/// "mTOR, mTOR" in a list that has no room for their ids.
pub fn shared_entity_names<'a>(
    about: &'a Paper,
    index: &'a crate::index::EntityIndex,
    shared: &[crate::index::EntityIdx],
) -> Vec<&'a str> {
    let rows = RowNames::of(about);
    let mut seen = std::collections::HashSet::new();
    let mut names: Vec<&str> = Vec::with_capacity(shared.len());
    for &e in shared {
        let name = shared_entity_name(&rows, index.entity(e));
        if seen.insert(name.to_lowercase()) {
            names.push(name);
        }
    }
    names
}

/// What a related list calls an entity it shares with `about`, the paper the list is about
/// (`rows` holds its names): of the names `about` uses for it, the one the library uses
/// most (a user test's list said "TAM", the abbreviation the tamoxifen paper uses most, on
/// every row, where the library says "tamoxifen"). A name `about` does not use at all is not
/// taken: the library's name for a generic id can be a word from one other abstract (a
/// seed's "disease" read "Pseudoacromegaly"). Without a name of both, as `about`'s entity
/// rows name it ([`entity_row_name`]).
pub fn shared_entity_name<'a>(rows: &RowNames<'a>, info: &'a crate::index::EntityInfo) -> &'a str {
    let row_name = rows.name(info);
    let Some(own) = rows.own(&info.key) else {
        return row_name;
    };
    if info.kind == crate::model::EntityKind::Species || own.named_by_group {
        return row_name;
    }
    let uses = |name: &str| {
        std::iter::once(&own.name)
            .chain(own.aliases.iter())
            .any(|n| same_ignoring_case(n, name))
    };
    // A name `about` gives another of its entities too would not tell them apart.
    let fits = |name: &str| uses(name) && !rows.names_another(name, &info.key);
    if fits(&info.name) {
        return &info.name;
    }
    info.aliases_most_used_first()
        .into_iter()
        .find(|name| fits(name))
        .map_or(row_name, |name| name)
}

/// `names` joined by ", " in at most `width` columns: as many whole names as fit and "+N" for
/// the rest; a first name too long for the space is cut with an ellipsis.
pub fn fit_names(names: &[&str], width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let more = |n: usize| {
        if n == 0 {
            String::new()
        } else {
            format!(" +{}", thousands(n))
        }
    };
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let rest = more(names.len() - i - 1);
        if out.width() + sep.width() + name.width() + rest.width() <= width {
            out.push_str(sep);
            out.push_str(name);
            continue;
        }
        if i > 0 {
            // Fits: the previous name was only taken with room for this count.
            out.push_str(&more(names.len() - i));
            return out;
        }
        // The first name does not fit: cut it, keeping the count when there is room for both.
        let room = width.saturating_sub(rest.width());
        let (room, rest) = if room >= 2 {
            (room, rest)
        } else {
            (width, String::new())
        };
        let mut cut = String::new();
        for c in name.chars() {
            if cut.width() + c.to_string().width() + 1 > room {
                break;
            }
            cut.push(c);
        }
        if room > 0 {
            cut.push('…');
        }
        return cut + &rest;
    }
    out
}

/// The empty bookmarks list (every bookmark is a row in it, loaded or not): how to add one,
/// naming the bound key. It said `no papers match`, as if something had been searched.
fn no_bookmarks_note(state: &AppState) -> String {
    match state.keymap.first_key(&crate::app::Action::ToggleBookmark) {
        Some(key) => format!("no bookmarks yet: {key} bookmarks the selected paper"),
        None => "no bookmarks yet".to_owned(),
    }
}

fn render_papers(buf: &mut Buffer, area: Rect, state: &AppState, theme: &Theme) -> usize {
    if area.is_empty() {
        return 0;
    }
    let focused = state.focus == Pane::Papers;
    let view = state.view();
    let position = if view.rows.is_empty() {
        String::new()
    } else {
        format!(
            " {}/{} ",
            thousands(view.selected + 1),
            thousands(view.rows.len())
        )
    };
    let title = list_title(state, (area.width as usize).saturating_sub(4));
    let block = pane_block(
        Line::from(Span::styled(format!(" {title} "), theme.title)),
        focused,
        theme,
    )
    .title_bottom(Line::from(position).right_aligned());
    let inner = block.inner(area);
    ratatui::widgets::Widget::render(block, area, buf);
    let rows = inner.height as usize;
    if view.rows.is_empty() {
        let note = if view.kind == ViewKind::Bookmarks {
            no_bookmarks_note(state)
        } else if state.shows_searching() {
            SEARCHING.to_owned()
        } else if !state.load.done {
            "loading…".to_owned()
        } else if state.library.is_empty() {
            // Files given that loaded nothing: why is in the problems, and where to see
            // them is said here, not only in the status bar's count.
            let problems = state.problem_count() + state.files_passed_over();
            match state.keymap.first_key(&crate::app::Action::Problems) {
                Some(key) if problems > 0 => {
                    format!("no papers loaded: {key} lists the problems with the files given")
                }
                _ => "no papers loaded".to_owned(),
            }
        } else {
            // PubTator and BioC records carry no year, authors nor journal: say so rather
            // than nothing.
            let mut note = "no papers match".to_owned();
            let total = state.library.len();
            for &(field, n) in &state.search.lacking {
                note.push_str(&format!(
                    " · {} of {} paper{} {} {}",
                    thousands(n),
                    thousands(total),
                    if total == 1 { "" } else { "s" },
                    if n == 1 { "has" } else { "have" },
                    crate::app::lacking_what(field),
                ));
            }
            note
        };
        let mut lines = vec![Line::from(note)];
        // A user test looked for words of an abstract and found nothing, with no word why.
        if let ViewKind::Search { query } = &view.kind
            && state.load.done
            && !state.library.is_empty()
            && !state.shows_searching()
        {
            // Another took a search on an entity's papers to have searched the library.
            if let Some(within) = state.search_limited_to() {
                let widen = match state.keymap.first_key(&crate::app::Action::Search) {
                    Some(key) => format!("; {key} then ctrl-u searches the whole library"),
                    None => String::new(),
                };
                lines.push(Line::from(format!("Searched only {within}{widen}.")));
            }
            // Where the query has words for every field: a field's own term (`journal:`)
            // looks at that field alone, which its note would misstate (ut24c).
            let any_field_words = Query::parse(query).is_ok_and(|q| {
                q.terms.iter().any(|t| {
                    matches!(&t.condition, crate::search::query::Condition::Text(text)
                        if text.field == crate::search::query::TextField::Any)
                })
            });
            if any_field_words {
                lines.push(Line::from(SEARCHED_FIELDS));
            }
            if let Some(prefix) = &state.search.unknown_prefix {
                let fields = match state.keymap.first_key(&crate::app::Action::Help) {
                    Some(key) => format!(" ({key} lists them)"),
                    None => String::new(),
                };
                lines.push(Line::from(format!(
                    "{prefix}: is no field{fields}, nor the namespace of a loaded entity's \
                     id (as in MESH:D009369)."
                )));
            }
        }
        let note = Paragraph::new(lines)
            .style(theme.dim)
            .wrap(ratatui::widgets::Wrap { trim: true });
        ratatui::widgets::Widget::render(note, inner, buf);
        return rows;
    }
    // Highlights follow the query language (fields, exact terms), as the worker matched;
    // parsed once per frame, matched only for the visible rows.
    let query = match &view.kind {
        // A line with an error lists what its valid start found: those matches are lit.
        ViewKind::Search { query } => {
            let shown = match (
                &state.search.error,
                state.search.shown.as_ref().map(|s| &s.text),
            ) {
                (Some(_), Some(shown)) => shown,
                // Results of the query corrected: its words are what matched.
                (None, _) => state.search.corrected.as_ref().map_or(query, |c| &c.query),
                _ => query,
            };
            Query::parse(shown).ok().filter(|q| !q.is_empty())
        }
        _ => None,
    };
    let offset = visible_offset(view.offset, view.selected, rows, view.rows.len());
    // A related view says, beside each title, what it shares with the paper it is about: a
    // column as wide as the longest of the visible rows needs, at most a third of the pane.
    let shares: Vec<String> = match view.kind {
        ViewKind::Related(_) if inner.width >= SHARES_COLUMN_FROM => {
            let most = (inner.width / 3).clamp(12, 30) as usize - 1;
            let visible = view.rows.iter().skip(offset).take(rows);
            visible
                .map(|row| match *row {
                    Row::Paper(p) => fit_names(&shared_names(state, p), most),
                    Row::MissingBookmark(_) => String::new(),
                })
                .collect()
        }
        _ => Vec::new(),
    };
    // One column of space keeps a cut title's ellipsis apart from the names.
    let shares_width = shares
        .iter()
        .map(|s| unicode_width::UnicodeWidthStr::width(s.as_str()))
        .max()
        .map_or(0, |w| w as u16 + 1);
    // The year column only when a row on screen has a year: PubTator and BioC records
    // carry none (1 of the 4,530 corpora papers has one), and five blank columns per row
    // only cut titles shorter.
    let years_shown = view
        .rows
        .iter()
        .skip(offset)
        .take(rows)
        .any(|row| matches!(*row, Row::Paper(p) if state.library.paper(p).year.is_some()));
    for (i, row) in view.rows.iter().enumerate().skip(offset).take(rows) {
        let y = inner.y + (i - offset) as u16;
        let selected = i == view.selected;
        let base = if selected {
            if focused {
                theme.selected
            } else {
                theme.selected_unfocused
            }
        } else {
            theme.text
        };
        // The year sits in its own column at the right, so a long title never hides it.
        let year = match *row {
            Row::Paper(p) => state.library.paper(p).year,
            Row::MissingBookmark(_) => None,
        };
        // A row without a year gives the column to its title: kept blank it cut the title
        // five columns short beside rows that have one.
        let year_width: u16 = if inner.width >= 30 && years_shown && year.is_some() {
            5
        } else {
            0
        };
        let title_width = inner.width - year_width - shares_width;
        let line = match *row {
            Row::Paper(p) => {
                let paper = state.library.paper(p);
                let bookmarked = state.paper_bookmark(p).is_some();
                // A bookmark just removed in the bookmarks list stays on its row until the
                // list is left, dimmed: `b` on it bookmarks it again.
                let base = if view.kind == ViewKind::Bookmarks && !bookmarked && !selected {
                    base.patch(theme.dim)
                } else {
                    base
                };
                let indices = query
                    .as_ref()
                    .map(|q| crate::search::highlight(paper, q))
                    .unwrap_or_default();
                paper_row(
                    paper,
                    bookmarked,
                    &indices,
                    (base, selected),
                    theme,
                    title_width as usize,
                )
            }
            Row::MissingBookmark(b) => {
                // Its title, or its key when it has none (a bookmark added by hand).
                let shown = state.bookmarks().get(b).map_or(String::new(), |b| {
                    if b.title.trim().is_empty() {
                        b.key.to_string()
                    } else {
                        without_control_chars(&b.title).into_owned()
                    }
                });
                missing_bookmark_row(&shown, base, theme, title_width as usize)
            }
        };
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), base);
        buf.set_line(inner.x, y, &line, title_width);
        if line.width() > title_width as usize && title_width > 0 {
            buf[(inner.x + title_width - 1, y)].set_symbol("…");
        }
        if let Some(names) = shares.get(i - offset) {
            let style = if selected {
                base
            } else {
                base.patch(theme.shared_entity)
            };
            let width = shares_width as usize - 1;
            buf.set_stringn(inner.x + title_width + 1, y, names, width, style);
        }
        if let (Some(year), true) = (year, year_width > 0) {
            buf.set_stringn(
                inner.x + title_width + shares_width,
                y,
                format!(" {year:>4}"),
                year_width as usize,
                // Grey on the selected row's colour is hard to read.
                if selected {
                    base
                } else {
                    base.patch(theme.dim)
                },
            );
        }
    }
    rows
}

/// What a bookmark's row adds when its paper is not loaded.
const NOT_LOADED_MARK: &str = " (not loaded)";

/// The row of a bookmark whose paper is not loaded: mark, title (or key) and
/// [`NOT_LOADED_MARK`]. The title is cut to leave the mark its room: drawn after a long title,
/// the mark was cut off (`…impaired child. (not l…`) or not shown at all. Only a row too
/// narrow for the mark and a few letters of title cuts the whole line, as any row is cut.
fn missing_bookmark_row(shown: &str, base: Style, theme: &Theme, width: usize) -> Line<'static> {
    use unicode_width::UnicodeWidthStr;
    const MIN_TITLE_COLUMNS: usize = 4;
    let mark_width = NOT_LOADED_MARK.width();
    let room = width.saturating_sub(2 + mark_width);
    let title = if shown.width() <= room || room < MIN_TITLE_COLUMNS {
        shown.to_owned()
    } else {
        text::cut_words(shown, room)
    };
    Line::from(vec![
        Span::styled("★ ", theme.bookmark_mark.patch(base)),
        Span::styled(title, base.patch(theme.missing)),
        Span::styled(NOT_LOADED_MARK, base.patch(theme.missing)),
    ])
}

/// A paper's row: bookmark mark and title, the matched characters highlighted. On the
/// selected row (`base` is its style) colours give way to bold and underline: yellow on
/// the selection's cyan could hardly be read.
///
/// A title whose first match would fall past `width` columns is shown from a later word,
/// after an ellipsis, so the match is in view: "…fibroblasts from keloid scars", not a row
/// with no sign of why it matched.
fn paper_row<'a>(
    paper: &'a Paper,
    bookmarked: bool,
    match_indices: &[usize],
    (base, selected): (Style, bool),
    theme: &Theme,
    width: usize,
) -> Line<'a> {
    let (mark, highlight) = if selected {
        let strong = base.add_modifier(Modifier::BOLD);
        (strong, strong.add_modifier(Modifier::UNDERLINED))
    } else {
        (
            base.patch(theme.bookmark_mark),
            base.patch(theme.match_highlight),
        )
    };
    let mut spans = vec![Span::styled(if bookmarked { "★ " } else { "  " }, mark)];
    if paper.title.trim().is_empty() {
        // A record with an abstract and no title: an empty row looked like a gap.
        spans.push(Span::styled("(untitled)", base.patch(theme.missing)));
    } else if match_indices.is_empty() {
        spans.push(Span::styled(without_control_chars(&paper.title), base));
    } else {
        let start = shown_from(&paper.title, match_indices, width.saturating_sub(2));
        if start > 0 {
            spans.push(Span::styled("…", base));
        }
        for (i, c) in paper.title.chars().enumerate().skip(start) {
            let style = if match_indices.contains(&i) {
                highlight
            } else {
                base
            };
            let c = if c.is_control() { ' ' } else { c };
            spans.push(Span::styled(c.to_string(), style));
        }
    }
    Line::from(spans)
}

/// The character of `title` a row of `columns` starts at so that its matched characters
/// (`matched`, sorted) show in whole words: 0 when they fit as it is, else the earliest
/// start of a word that keeps every matched word in view (the row then begins with an
/// ellipsis), else one that keeps the first matched word, else the first match. A user
/// test's `breast cancer` showed `…metastatic breast c…`: only the first run was kept.
fn shown_from(title: &str, matched: &[usize], columns: usize) -> usize {
    use unicode_width::UnicodeWidthChar;
    let (Some(&first), Some(&last)) = (matched.first(), matched.last()) else {
        return 0;
    };
    let chars: Vec<char> = title.chars().collect();
    // The end of the word holding character `at`.
    let word_end = |at: usize| {
        (at..chars.len())
            .find(|&i| chars[i].is_whitespace())
            .unwrap_or(chars.len())
    };
    let width_of = |from: usize, to: usize| -> usize {
        chars[from.min(chars.len())..to.min(chars.len())]
            .iter()
            .map(|c| c.width().unwrap_or(0))
            .sum()
    };
    let all_end = word_end(last);
    // The whole row is cut with an ellipsis of its own at its last column.
    if width_of(0, all_end) < columns {
        return 0;
    }
    let run_end = matched
        .iter()
        .zip(first..)
        .take_while(|(i, expected)| **i == *expected)
        .count()
        + first;
    // The earliest word start that keeps the matched words on the row, for the most
    // context; then the first matched word alone; a match longer than the row starts it.
    let starts = || (1..=first.min(chars.len())).filter(|&at| chars[at - 1].is_whitespace());
    [all_end, word_end(first), run_end]
        .into_iter()
        .find_map(|end| starts().find(|&at| 1 + width_of(at, end) < columns))
        .unwrap_or(first)
}

/// `text` with tabs, line breaks and other control characters as spaces: the terminal
/// draws none of them, so "Tab\tin" showed as "Tabin". Borrowed when there are none.
fn without_control_chars(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(char::is_control) {
        text.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// A piece of link text in a laid-out pane: on `line`, from column `x`, `text` leads to `url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRun {
    pub line: usize,
    pub x: usize,
    pub width: usize,
    pub text: String,
    pub url: String,
}

/// The pieces of `runs` (from [`text::wrap_with_runs`]) whose segment has a URL in `urls`,
/// with their lines counted from `first_line`.
fn link_runs(
    runs: Vec<text::SegmentRun>,
    urls: &[Option<String>],
    first_line: usize,
) -> impl Iterator<Item = LinkRun> + '_ {
    runs.into_iter().filter_map(move |run| {
        let url = urls.get(run.segment)?.clone()?;
        Some(LinkRun {
            line: first_line + run.line,
            x: run.x,
            width: run.width,
            text: run.text,
            url,
        })
    })
}

/// `★ bookmarked`, with the note the user wrote in the bookmark when there is one
/// (`★ bookmarked · read the methods`), wrapped to `width` under the mark.
fn bookmark_line(note: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut segments = vec![("★ bookmarked", theme.bookmark_mark)];
    if !note.trim().is_empty() {
        segments.extend([(" · ", theme.dim), (note.trim(), theme.text)]);
    }
    text::wrap(&segments, width, 2)
}

/// The selected paper, wrapped to `width`, and where its links are: the ids line and the
/// URLs of its Links section, every piece of them on every line a wrap spreads them over.
pub fn detail_lines(
    state: &AppState,
    width: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<LinkRun>) {
    let view = state.view();
    let (paper, note) = match view.selected_row() {
        Some(Row::Paper(p)) => (state.library.paper(p), state.paper_note(p)),
        Some(Row::MissingBookmark(b)) => {
            let Some(bm) = state.bookmarks().get(b) else {
                return (Vec::new(), Vec::new());
            };
            let mut lines = text::wrap(&[(bm.title.as_str(), theme.title)], width, 0);
            lines.push(Line::default());
            lines.extend(text::wrap(
                &[(
                    &format!("{} is bookmarked but not in the loaded library.", bm.key),
                    theme.missing,
                )],
                width,
                0,
            ));
            if !bm.note.is_empty() {
                lines.extend(bookmark_line(&bm.note, width, theme));
            }
            return (lines, Vec::new());
        }
        None => return (Vec::new(), Vec::new()),
    };
    let mut lines = Vec::new();
    let mut links = Vec::new();
    if let Some(Row::Paper(p)) = view.selected_row() {
        let names = shared_names(state, p);
        if !names.is_empty() {
            const LABEL: &str = "shares: ";
            let fitted = fit_names(&names, width.saturating_sub(LABEL.len()));
            lines.push(Line::from(vec![
                Span::styled(LABEL, theme.dim),
                Span::styled(fitted, theme.shared_entity),
            ]));
        }
    }
    // A text wrapped to `width`, no more of it than the pane lays out
    // ([`text::DETAIL_TEXT_CHARS`]), and a note of what is left out.
    let body = |segments: &[(&str, Style)], left_out: usize| {
        let mut body = text::wrap(segments, width, 0);
        if left_out > 0 {
            body.extend(text::wrap(
                &[(
                    &format!(
                        "… {} more characters not shown here; `tomes show {}` prints them",
                        thousands(left_out),
                        paper.key
                    ),
                    theme.dim,
                )],
                width,
                0,
            ));
        }
        body
    };
    fn capped(t: &str) -> (&str, usize) {
        text::laid_out_part(t, text::DETAIL_TEXT_CHARS)
    }
    // Capped like the texts below: a user test's 20 MB title took seconds a key to lay out.
    let (title, left_out) = capped(&paper.title);
    let title_ranges = text::title_mentions(paper, title);
    lines.extend(body(
        &text::highlight_ranges(
            title,
            &title_ranges,
            theme.title,
            theme.title.patch(theme.mention),
        ),
        left_out,
    ));
    if !paper.authors.is_empty() {
        // Consortium papers list hundreds; the first few say who it is, and the last, the
        // senior author, who led it (ut24d could not see the last author anywhere).
        const SHOWN_AUTHORS: usize = 12;
        let all = &paper.authors;
        // (One more than shown is shown rather than said: `… 1 more …` is no shorter.)
        let authors = if all.len() > SHOWN_AUTHORS + 1 {
            format!(
                "{}, … {} more …, {}",
                all[..SHOWN_AUTHORS - 1].join(", "),
                thousands(all.len() - SHOWN_AUTHORS),
                all[all.len() - 1]
            )
        } else {
            all.join(", ")
        };
        lines.extend(text::wrap(&[(&authors, theme.text)], width, 0));
    }
    let place = crate::links::journal_place(paper);
    let published: Vec<&str> = paper
        .journal
        .iter()
        .chain(paper.date.iter())
        .map(String::as_str)
        .chain(Some(place.as_str()).filter(|p| !p.is_empty()))
        .collect();
    if !published.is_empty() {
        lines.extend(text::wrap(&[(&published.join(" · "), theme.dim)], width, 0));
    } else if let Some(year) = paper.year {
        lines.push(Line::styled(year.to_string(), theme.dim));
    }
    let counts: Vec<String> = [
        paper
            .summary()
            .figure_count
            .map(|n| format!("{} figures", thousands(n as usize))),
        paper
            .summary()
            .reference_count
            .map(|n| format!("{} references", thousands(n as usize))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !counts.is_empty() {
        lines.push(Line::styled(counts.join(" · "), theme.dim));
    }
    // Each id is a segment of its own, with the page it leads to (none for a blank id).
    fn present(s: &Option<String>) -> Option<&str> {
        s.as_deref().filter(|s| !s.trim().is_empty())
    }
    let mut ids: Vec<(String, Option<String>)> = Vec::new();
    if let Some(p) = &paper.ids.pmid {
        ids.push((
            format!("PMID {p}"),
            present(&paper.ids.pmid).map(links::pubmed_url),
        ));
    }
    if let Some(p) = &paper.ids.pmcid {
        ids.push((p.clone(), present(&paper.ids.pmcid).map(links::pmc_url)));
    }
    if let Some(d) = &paper.ids.doi {
        ids.push((
            format!("DOI {d}"),
            present(&paper.ids.doi).map(links::doi_url),
        ));
    }
    if ids.is_empty() {
        ids.push((paper.key.to_string(), None));
    }
    // Each id is kept whole, its label with it: one that does not fit where the line is goes
    // on the next line whole, and one longer than a line is cut in the middle, as a URL is,
    // with an ellipsis that says so (a user test's long DOI wrapped mid-token). Its link
    // stays the whole id's.
    let ids: Vec<(String, Option<String>)> = ids
        .into_iter()
        .map(|(id, url)| {
            let joined = id
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(&text::NO_BREAK_SPACE.to_string());
            (text::cut_middle(&joined, width), url)
        })
        .collect();
    let mut segments = Vec::new();
    let mut urls = Vec::new();
    for (i, (id, url)) in ids.iter().enumerate() {
        if i > 0 {
            segments.push((" · ", theme.entity_id));
            urls.push(None);
        }
        segments.push((id.as_str(), theme.entity_id));
        urls.push(url.clone());
    }
    let (id_lines, runs) = text::wrap_with_runs(&segments, width, 0);
    links.extend(link_runs(runs, &urls, lines.len()));
    lines.extend(id_lines);
    if let Some(note) = note {
        lines.extend(bookmark_line(note, width, theme));
    }
    let section = |lines: &mut Vec<Line<'static>>, heading: &str, body: Vec<Line<'static>>| {
        if body.is_empty() {
            return;
        }
        lines.push(Line::default());
        lines.push(Line::styled(heading.to_owned(), theme.heading));
        lines.extend(body);
    };
    if let Some(Row::Paper(p)) = view.selected_row() {
        section_of_problems(&mut lines, state, p, width, theme);
    }
    if let Some(t) = &paper.summary().tldr {
        let (t, left_out) = capped(t);
        section(&mut lines, "TL;DR", body(&[(t, theme.text)], left_out));
    }
    if let Some(c) = &paper.summary().contribution {
        let (c, left_out) = capped(c);
        section(
            &mut lines,
            "Contribution",
            body(&[(c, theme.text)], left_out),
        );
    }
    if !paper.summary().key_findings.is_empty() {
        let mut body = Vec::new();
        for f in &paper.summary().key_findings {
            let (f, _) = capped(f);
            body.extend(text::wrap(&[("• ", theme.dim), (f, theme.text)], width, 2));
        }
        section(&mut lines, "Key findings", body);
    }
    match state.abstract_of(paper) {
        Some(Ok(a)) => {
            // Only the part laid out is searched for mentions: a user test's one-line
            // abstract of 6 MB took a second a key to wrap and highlight whole.
            let (a, left_out) = capped(a);
            let ranges = text::abstract_mentions(paper, a);
            let segments = text::highlight_ranges(a, &ranges, theme.text, theme.mention);
            section(&mut lines, "Abstract", body(&segments, left_out));
        }
        Some(Err(why)) => section(
            &mut lines,
            "Abstract",
            text::wrap(&[(why, theme.missing)], width, 0),
        ),
        None => {}
    }
    for s in &paper.summary().sections {
        let (t, left_out) = capped(&s.body);
        section(&mut lines, &s.heading, body(&[(t, theme.text)], left_out));
    }
    if !paper.relations.is_empty() {
        // What BC5CDR and BioRED annotate between a paper's entities: for such a corpus the
        // point of the paper.
        let mut body = Vec::new();
        for r in &paper.relations {
            let text = relation_text(&state.library, paper, r, false);
            body.extend(text::wrap(&[(&text, theme.text)], width, 2));
        }
        section(
            &mut lines,
            &format!("Relations ({})", thousands(paper.relations.len())),
            body,
        );
    }
    // The pages its ids lead to (what `o` opens) and its own links: a PubTator or BioC
    // paper has only its ids, and a user test found no Links section for them.
    // A URL is one line, cut in its middle with an ellipsis when it does not fit (a user
    // test at 80 columns read URLs wrapped mid-way, the halves looking like two): its
    // link (OSC 8) leads to the whole URL, `o` lists and opens it whole, and a URL shown
    // for want of a browser is shown whole. Beside a label too long to leave it
    // `URL_MIN_COLUMNS`, it takes the next line. One nothing opens (not a web page) is no
    // link.
    const URL_MIN_COLUMNS: usize = 20;
    let shown_links = links::listed_links(paper);
    if !shown_links.is_empty() {
        use unicode_width::UnicodeWidthStr;
        let openable = links::paper_links(paper);
        let mut body = Vec::new();
        let mut body_links = Vec::new();
        for l in &shown_links {
            let url = openable
                .iter()
                .any(|o| o.url == l.url)
                .then(|| l.url.clone());
            let label = format!("{}: ", l.label);
            let beside = width.saturating_sub(label.width());
            let (label, shown) = if l.url.width() <= beside || beside >= URL_MIN_COLUMNS {
                (label, text::cut_middle(&l.url, beside))
            } else {
                // The URL under its label, indented.
                body.extend(text::wrap(&[(label.trim_end(), theme.dim)], width, 2));
                let indent = "  ".to_owned();
                let shown = text::cut_middle(&l.url, width.saturating_sub(indent.len()));
                (indent, shown)
            };
            if let Some(url) = url {
                body_links.push(LinkRun {
                    line: body.len(),
                    x: label.width(),
                    width: shown.width(),
                    text: shown.clone(),
                    url,
                });
            }
            body.push(Line::from(vec![
                Span::styled(label, theme.dim),
                Span::styled(shown, theme.text),
            ]));
        }
        // The section's blank line and heading come before its body.
        let first = lines.len() + 2;
        links.extend(body_links.into_iter().map(|l| LinkRun {
            line: first + l.line,
            ..l
        }));
        section(&mut lines, "Links", body);
    }
    if !paper.sources.is_empty() {
        let mut body = Vec::new();
        for s in &paper.sources {
            let text = format!("{s} ({})", s.format);
            body.extend(text::wrap(&[(&text, theme.dim)], width, 2));
        }
        section(&mut lines, "Sources", body);
    }
    (lines, links)
}

/// A paper's own load problems the detail pane lists at most, each in at most
/// [`PROBLEM_LINES`] lines: the problems list (`p`) has them whole.
const SHOWN_PROBLEMS: usize = 3;
const PROBLEM_LINES: usize = 2;

/// `Load problems (n)` under the paper's ids, before its text: the problems placed in its
/// records ([`AppState::paper_problems`]), each `file:line: message` cut short, so a paper
/// that looks incomplete (a record cut at the end of its file, a mention without a place)
/// says why where it is read. A user test found them only in the problems list.
fn section_of_problems(
    lines: &mut Vec<Line<'static>>,
    state: &AppState,
    paper: crate::index::PaperIdx,
    width: usize,
    theme: &Theme,
) {
    let problems: Vec<&Problem> = state.paper_problems(paper).collect();
    if problems.is_empty() {
        return;
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        format!("Load problems ({})", thousands(problems.len())),
        theme.heading,
    ));
    for problem in problems.iter().take(SHOWN_PROBLEMS) {
        // As the problems list words it, the file by its name alone (its folders, in the
        // Sources below and in the list, took most of a line at 80 columns); the file's
        // text quoted with its spaces.
        let named = Problem {
            path: problem
                .path
                .file_name()
                .map_or_else(|| problem.path.clone(), std::path::PathBuf::from),
            ..(*problem).clone()
        };
        let mut wrapped =
            text::wrap_keeping_spaces(&[(&named.to_string(), theme.missing)], width, 2);
        text::cut_to_rows(&mut wrapped, PROBLEM_LINES, width, theme.missing);
        lines.extend(wrapped);
    }
    if problems.len() > SHOWN_PROBLEMS {
        let more = thousands(problems.len() - SHOWN_PROBLEMS);
        let whole = match state.keymap.first_key(&crate::app::Action::Problems) {
            Some(key) => format!("… and {more} more; {key} lists every problem"),
            None => format!("… and {more} more in the problems list"),
        };
        lines.extend(text::wrap(&[(&whole, theme.dim)], width, 2));
    }
}

fn render_detail(buf: &mut Buffer, area: Rect, state: &AppState, theme: &Theme) -> (usize, usize) {
    if area.is_empty() {
        return (0, 0);
    }
    let focused = state.focus == Pane::Detail;
    let block = pane_block(Line::styled(" Detail ", theme.title), focused, theme);
    let inner = block.inner(area);
    let (lines, links) = detail_lines(state, inner.width as usize, theme);
    if lines.is_empty() {
        ratatui::widgets::Widget::render(block, area, buf);
        buf.set_stringn(
            inner.x,
            inner.y,
            "no paper selected",
            inner.width as usize,
            theme.dim,
        );
        return (inner.height as usize, 0);
    }
    let view = state.view();
    // At the end, whatever the lines' count in this layout (see `View::detail_at_end`).
    let scroll = if view.detail_at_end {
        usize::MAX
    } else {
        view.detail_scroll
    };
    let drawn = render_scrolled(buf, area, block, &lines, scroll);
    // No links under an open overlay: a link cell's forced width would spill over its border.
    if state.appearance.hyperlinks && state.overlay.is_none() {
        draw_links(
            buf,
            inner,
            &links,
            shown_scroll(scroll, lines.len(), drawn.0),
        );
    }
    drawn
}

/// Draws each piece of link text of `links` that is in `area`, a pane's lines from `scroll`
/// on drawn in it: one OSC 8 link per piece, on the cells its text was laid out on.
fn draw_links(buf: &mut Buffer, area: Rect, links: &[LinkRun], scroll: usize) {
    for l in links {
        let Some(row) = l.line.checked_sub(scroll) else {
            continue;
        };
        if row >= area.height as usize || l.x >= area.width as usize {
            continue;
        }
        let (x, y) = (area.x + l.x as u16, area.y + row as u16);
        let width = (l.width as u16).min(area.right() - x);
        let style = buf[(x, y)].style();
        link::draw_link(buf, Rect::new(x, y, width, 1), &l.text, &l.url, style);
    }
}

/// The first line [`render_scrolled`] shows of `total` in `rows` when asked for `scroll`.
fn shown_scroll(scroll: usize, total: usize, rows: usize) -> usize {
    scroll.min(total.saturating_sub(rows))
}

/// Draws `block` with as many of `lines` as fit from `scroll` on, and a `first-last/total`
/// position on the bottom border when they do not all fit. Returns (visible rows, total).
fn render_scrolled(
    buf: &mut Buffer,
    area: Rect,
    block: Block,
    lines: &[Line],
    scroll: usize,
) -> (usize, usize) {
    let inner = block.inner(area);
    let rows = inner.height as usize;
    let scroll = shown_scroll(scroll, lines.len(), rows);
    let block = if lines.len() > rows {
        block.title_bottom(
            Line::from(format!(
                " {}-{}/{} ",
                thousands(scroll + 1),
                thousands((scroll + rows).min(lines.len())),
                thousands(lines.len())
            ))
            .right_aligned(),
        )
    } else {
        block
    };
    ratatui::widgets::Widget::render(block, area, buf);
    for (i, line) in lines.iter().skip(scroll).take(rows).enumerate() {
        buf.set_line(inner.x, inner.y + i as u16, line, inner.width);
    }
    (rows, lines.len())
}

/// The name an entity's row goes by beside `paper` (the browser's entity pane and `tomes
/// show` alike): as this paper names it (`Phenobarbital`), not as the most mentions across
/// the library do (`PB`), since the row is read beside the paper; the library's name is
/// under the list, with the aliases. The library's name instead when the paper's would not
/// tell the rows apart or would mislead:
/// - the paper gives that name, or that name as an alias, to another of its entities (one
///   mention "breast and ovarian carcinomas" annotated with both; "BRCA1/2", BRCA1's only
///   mention, also an alias of BRCA2), compared regardless of case;
/// - the name is a group's, not the entity's ([`crate::model::PaperEntity::named_by_group`]);
/// - a species: its most frequent mention is often who was studied ("patients",
///   "children"), not the species (human).
pub fn entity_row_name<'a>(paper: &'a Paper, info: &'a crate::index::EntityInfo) -> &'a str {
    RowNames::of(paper).name(info)
}

/// What [`entity_row_name`] and [`shared_entity_name`] ask of a paper's names, worked out
/// for all its entities in one pass: a pane that names every row asks for each, and a
/// summary can list thousands of entities (a user test's 20,000 took seconds a frame when
/// each row looked through all the others).
pub struct RowNames<'a> {
    paper: &'a Paper,
    /// Each entity's place in the paper's list, by key (the first, as `find` would).
    place: std::collections::HashMap<&'a crate::model::EntityKey, usize>,
    /// Each name and alias, lower-cased: the first entity to give it, and whether another
    /// entity gives it too.
    given: std::collections::HashMap<String, (&'a crate::model::EntityKey, bool)>,
}

impl<'a> RowNames<'a> {
    pub fn of(paper: &'a Paper) -> Self {
        let mut place = std::collections::HashMap::with_capacity(paper.entities.len());
        let mut given = std::collections::HashMap::new();
        for (i, pe) in paper.entities.iter().enumerate() {
            place.entry(&pe.key).or_insert(i);
            for name in std::iter::once(&pe.name).chain(pe.aliases.iter()) {
                given
                    .entry(name.to_lowercase())
                    .and_modify(|(first, more): &mut (&crate::model::EntityKey, bool)| {
                        *more |= *first != &pe.key
                    })
                    .or_insert((&pe.key, false));
            }
        }
        RowNames {
            paper,
            place,
            given,
        }
    }

    /// The paper's own entry for the entity `key`.
    fn own(&self, key: &crate::model::EntityKey) -> Option<&'a crate::model::PaperEntity> {
        let paper: &'a Paper = self.paper;
        self.place.get(key).map(|&i| &paper.entities[i])
    }

    /// Whether the paper gives `name` (regardless of case) to an entity other than `key`.
    fn names_another(&self, name: &str, key: &crate::model::EntityKey) -> bool {
        self.given
            .get(&name.to_lowercase())
            .is_some_and(|&(first, more)| more || first != key)
    }

    /// [`entity_row_name`].
    pub fn name<'b>(&self, info: &'b crate::index::EntityInfo) -> &'b str
    where
        'a: 'b,
    {
        if info.kind == crate::model::EntityKind::Species {
            return &info.name;
        }
        let Some(own) = self.own(&info.key) else {
            return &info.name;
        };
        if own.named_by_group || self.names_another(&own.name, &info.key) {
            &info.name
        } else {
            &own.name
        }
    }
}

/// The name `paper`'s entity `pe` goes by in its rows ([`entity_row_name`]), its own name
/// when the library does not know it.
pub fn paper_entity_name<'a>(
    library: &'a crate::library::Library,
    rows: &RowNames<'a>,
    pe: &'a crate::model::PaperEntity,
) -> &'a str {
    let index = library.index();
    match index.by_key(&pe.key) {
        Some(i) => rows.name(index.entity(i)),
        None => &pe.name,
    }
}

/// A relation of `paper` in one line, `CID: Doxorubicin – heart failure` (`, novel` after
/// the kind when the source says so), each entity named as the paper's entity rows name it
/// and, `with_keys`, followed by its key in brackets. An id the paper does not annotate
/// is given as it is.
pub fn relation_text(
    library: &crate::library::Library,
    paper: &Paper,
    relation: &crate::model::Relation,
    with_keys: bool,
) -> String {
    let rows = RowNames::of(paper);
    let name = |key: &crate::model::EntityKey| {
        let named = paper
            .entities
            .iter()
            .find(|e| &e.key == key)
            .map(|e| paper_entity_name(library, &rows, e));
        match named {
            Some(name) if with_keys && name != key.as_str() => format!("{name} ({key})"),
            Some(name) => name.to_owned(),
            None => key.to_string(),
        }
    };
    let novel = match relation.novel {
        Some(true) => ", novel",
        _ => "",
    };
    format!(
        "{}{novel}: {} – {}",
        relation.kind,
        name(&relation.a),
        name(&relation.b)
    )
}

/// Whether `a` and `b` are the same text lower-cased. Runs for every pair of a paper's
/// names on each draw of its rows: ASCII names (nearly all) are compared in place.
fn same_ignoring_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// The id to show beside an entity's `name` ([`entity_id_text`]); `None` when the name is
/// the id itself, as for an entity no text names (BioRED relates `MESH:D006509` it never
/// annotates): ut23b read `MESH:D006509 MESH:D006509`.
pub fn id_beside<'a>(name: &str, key: &'a crate::model::EntityKey) -> Option<&'a str> {
    Some(entity_id_text(key)).filter(|id| *id != name)
}

/// What an entity's id reads as where people see it: the key (`NCBIGene:939`), or
/// [`NO_ID`] for an entity known only by its name, whose key (`name:gene:brca1`) is internal.
/// `tomes show` prints the key as it is (src/cli.rs); this is the function to print it with.
pub fn entity_id_text(key: &crate::model::EntityKey) -> &str {
    if key.is_name_only() {
        NO_ID
    } else {
        key.as_str()
    }
}

/// Under a search that finds nothing: what a search looks at.
pub const SEARCHED_FIELDS: &str =
    "Searched: titles, authors, journals, ids and entity names; abstracts are not.";

/// Said for an entity without a database id.
pub const NO_ID: &str = "(no id)";

/// An entity row's id: the CURIE, or with `local` the part after its prefix (`832283` of
/// `NCBIGene:832283`).
fn shown_id(key: &crate::model::EntityKey, local: bool) -> &str {
    match key.as_str().split_once(':') {
        Some((_, id)) if local && !id.is_empty() => id,
        _ => key.as_str(),
    }
}

/// The entities of `paper` (`entities`, listed in a pane `width` columns wide) whose rows
/// show their ids. One rule for the whole list: every id when each fits beside its row's
/// whole name; otherwise only the ids of rows that would read the same as another row (two
/// genes named `p190RhoGAP`), their names cut to make room. A user test read rows with and
/// without ids side by side and could not tell which of two same-named genes was which; a
/// later one read `congestive heart f… MESH:D006333`: the name is what a row is read by,
/// and the selected entity's id is under the list.
fn row_ids(
    state: &AppState,
    names: &RowNames,
    entities: &[crate::index::EntityIdx],
    width: usize,
) -> std::collections::HashSet<crate::index::EntityIdx> {
    let index = state.library.index();
    let rows: Vec<(crate::index::EntityIdx, &str)> = entities
        .iter()
        .filter(|&&e| !index.entity(e).key.is_name_only())
        .map(|&e| (e, names.name(index.entity(e))))
        .collect();
    let all_have_room = rows.iter().all(|&(e, name)| {
        let count = thousands(index.papers_with(e).len()).chars().count() + 1;
        let id = index.entity(e).key.as_str().chars().count() + 1;
        1 + name.chars().count() + id + count <= width
    });
    if all_have_room {
        return rows.into_iter().map(|(e, _)| e).collect();
    }
    let mut uses: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for &e in entities {
        *uses
            .entry(names.name(index.entity(e)).to_lowercase())
            .or_default() += 1;
    }
    rows.into_iter()
        .filter(|&(_, name)| uses.get(&name.to_lowercase()).is_some_and(|&n| n > 1))
        .map(|(e, _)| e)
        .collect()
}

/// Returns the first listed row (headings count) and how many rows the list shows, so a
/// click can be mapped back to an entity.
fn render_entities(
    buf: &mut Buffer,
    area: Rect,
    state: &AppState,
    theme: &Theme,
) -> (usize, usize) {
    if area.is_empty() {
        return (0, 0);
    }
    let focused = state.focus == Pane::Entities;
    let block = pane_block(Line::styled(" Entities ", theme.title), focused, theme);
    let inner = block.inner(area);
    ratatui::widgets::Widget::render(block, area, buf);
    let Some(paper) = state.selected_paper() else {
        return (0, 0);
    };
    let index = state.library.index();
    let paper_ref = state.library.paper(paper);
    let entities = state.paper_entities(paper);
    if entities.is_empty() {
        buf.set_stringn(
            inner.x,
            inner.y,
            "no entities",
            inner.width as usize,
            theme.dim,
        );
        return (0, 0);
    }
    let cursor = state.view().entity_cursor.min(entities.len() - 1);
    let width = inner.width as usize;
    // The rows' names, worked out once for the box below the list and every row.
    let names = RowNames::of(paper_ref);

    // What the selected entity is known as and what it comes with, at the bottom.
    let selected = entities[cursor];
    let info = index.entity(selected);
    let mut about = Vec::new();
    if inner.height >= 8 {
        // A third of the pane: name and id, then one line each of aliases and co-mentions
        // when short of room (80x24), more of each when there is some.
        let budget = (inner.height as usize / 3).max(1);
        let roomy = budget >= 6;
        let id = entity_id_text(&info.key);
        // The library's name, and the row's when the paper names it otherwise, as the list
        // a jump opens is titled: ut23b read the row `TP53` over `p53 NCBIGene:7157 aka
        // TP53` and took it for another row's.
        let row_name = names.name(info);
        let here = if same_ignoring_case(row_name, &info.name) {
            String::new()
        } else {
            format!(" (here: {})", without_control_chars(row_name))
        };
        let name = format!("{}{here}", info.name);
        let mut known = match id_beside(&info.name, &info.key) {
            Some(id) => format!("{name} {id}"),
            None => name.clone(),
        };
        if let Some(d) = info.description.as_ref().filter(|_| roomy) {
            known.push_str(&format!(" — {d}"));
        }
        // Short of room, a name and id that take two lines ("bipolar disorder" and
        // "MESH:D001714" at 80x24) left no line for the co-mentions: the id then leads the
        // aka line instead, which the name's aliases are cut to share.
        let id_on_aka = !roomy && text::wrap(&[(&known, theme.heading)], width, 2).len() > 1;
        let shown_name = if id_on_aka { name } else { known };
        let mut name_lines = text::wrap(&[(&shown_name, theme.heading)], width, 2);
        // Two lines when short of room: one cut "human gammaherpesvirus 4" to "human",
        // which reads as another species. Whatever is cut ends in an ellipsis.
        let name_rows = if roomy { 3 } else { 2 };
        text::cut_to_rows(&mut name_lines, name_rows, width, theme.heading);
        about.extend(name_lines);
        let aliases = crate::model::distinct_aliases(&info.name, info.aliases_most_used_first())
            .into_iter()
            .filter(|alias| !same_ignoring_case(alias, row_name))
            .collect::<Vec<_>>();
        let lead: Vec<(&str, Style)> = match (id_on_aka, aliases.is_empty()) {
            (true, true) => vec![(id, theme.heading)],
            (true, false) => vec![(id, theme.heading), (" aka ", theme.dim)],
            (false, _) => vec![("aka ", theme.dim)],
        };
        if !aliases.is_empty() || id_on_aka {
            let rows = if roomy { 2 } else { 1 };
            let all = aliases.join(", ");
            let mut segments = lead.clone();
            segments.push((&all, theme.text));
            let mut aka = text::wrap(&segments, width, 2);
            let lead_text: String = lead.iter().map(|&(t, _)| t).collect();
            if aka.len() > rows {
                // The rows that fit, the last ending in an ellipsis: more names follow.
                aka.truncate(rows);
                if let Some(last) = aka.last_mut() {
                    let row: String = last.spans.iter().map(|s| s.content.as_ref()).collect();
                    let cut = text::cut_words(&format!("{row} …"), width);
                    *last = match cut.strip_prefix(&lead_text) {
                        Some(rest) if rows == 1 => {
                            let mut spans: Vec<Span> = lead
                                .iter()
                                .map(|&(t, style)| Span::styled(t.to_owned(), style))
                                .collect();
                            spans.push(Span::styled(rest.to_owned(), theme.text));
                            Line::from(spans)
                        }
                        _ => Line::styled(cut, theme.text),
                    };
                }
            }
            // Not a word of an alias beside the lead: `aka …` (60x20) named none, and an
            // alias cut mid-word can read as another name (as "human" did). The line is
            // left out, or is the id alone; a wider pane lists the aliases.
            let letters = |text: &str| text.chars().filter(|c| c.is_alphanumeric()).count();
            let shown: usize = aka
                .iter()
                .flat_map(|line| &line.spans)
                .map(|span| letters(&span.content))
                .sum();
            if shown <= letters(&lead_text) {
                aka = if id_on_aka {
                    text::wrap(&[(id, theme.heading)], width, 2)
                } else {
                    Vec::new()
                };
            }
            about.extend(aka);
        }
        let co: &[(u32, u32)] = match &state.co_mentioned {
            Some((e, co)) if *e == selected => co,
            _ => &[],
        };
        // As many of the top co-mentioned entities as fit in the room left, so a narrow
        // pane shows two whole names rather than a cut list.
        // Two entities of one name (a gene of two species, ADAM17 of human and of mouse)
        // are told apart by their ids' local parts.
        let shares_name = |e: crate::index::EntityIdx| {
            let name = &index.entity(e).name;
            co.iter()
                .filter(|&&(other, _)| index.entity(other).name.eq_ignore_ascii_case(name))
                .count()
                > 1
        };
        // A list cut (to what fits, or to the top few counted) ends saying how many more
        // share a paper with it: `with tumor (25) +735 more`, else `+735`, else the one name
        // is cut (`with Homo … +1,366`).
        let total = state.co_mentioned_total.max(co.len());
        let room = budget.saturating_sub(about.len());
        // `whole`: each name kept on one line (no-break spaces), for the lists that fit;
        // not for the one name cut to fit, which is cut between its words.
        let names_of = |shown: usize, whole: bool| -> String {
            co[..shown]
                .iter()
                .map(|&(e, n)| {
                    let info = index.entity(e);
                    let name = if shares_name(e) && !info.key.is_name_only() {
                        format!("{} {}", info.name, shown_id(&info.key, true))
                    } else {
                        info.name.to_string()
                    };
                    // A name is not split over two lines (ut24c read `with BRCA1 (9), Homo`
                    // / `sapiens (3)`), and its count stays with it.
                    let name = if whole {
                        name.replace(' ', &text::NO_BREAK_SPACE.to_string())
                    } else {
                        name
                    };
                    format!("{name}{}({})", text::NO_BREAK_SPACE, thousands(n as usize))
                })
                .collect::<Vec<String>>()
                .join(", ")
        };
        let tails_of = |more: usize| -> Vec<String> {
            if more == 0 {
                return vec![String::new()];
            }
            let n = thousands(more);
            vec![
                format!(" +{n}{}more", text::NO_BREAK_SPACE),
                format!(" +{n}"),
            ]
        };
        // Saying how many more outranks a second name: fewer names with `+N more` before
        // more names with `+N`, and a name cut before the count left out (a user test read
        // `with Homo sapiens (77) …` at 80 columns where `with Homo sapiens (77) +1,366
        // more` fitted).
        let fitting = (0..2).find_map(|tier| {
            (1..=co.len()).rev().find_map(|shown| {
                let tail = tails_of(total - shown).into_iter().nth(tier)?;
                let names = names_of(shown, true);
                let with = text::wrap(
                    &[
                        ("with ", theme.dim),
                        (&names, theme.text),
                        (&tail, theme.dim),
                    ],
                    width,
                    2,
                );
                (with.len() <= room).then_some(with)
            })
        });
        if let Some(with) = fitting {
            about.extend(with);
        } else if !co.is_empty() && room > 0 {
            // Not even one name whole: it is cut at a word, with an ellipsis, before the
            // count of the rest, on the rows there are.
            let tails = tails_of(total - 1);
            let tail = tails.get(1).or(tails.first()).map_or("", String::as_str);
            let names = names_of(1, false);
            let mut with = text::wrap(&[("with ", theme.dim), (&names, theme.text)], width, 2);
            with.truncate(room);
            if let Some(last) = with.last_mut() {
                let row: String = last.spans.iter().map(|s| s.content.as_ref()).collect();
                let cut = text::cut_words(
                    &format!("{row} …"),
                    width.saturating_sub(unicode_width::UnicodeWidthStr::width(tail)),
                );
                let mut spans = match cut.strip_prefix("with ") {
                    Some(rest) if room == 1 => vec![
                        Span::styled("with ", theme.dim),
                        Span::styled(rest.to_owned(), theme.text),
                    ],
                    _ => vec![Span::styled(cut, theme.text)],
                };
                spans.push(Span::styled(tail.to_owned(), theme.dim));
                *last = Line::from(spans);
            }
            about.extend(with);
        }
        about.truncate(budget);
    }
    let list_rows =
        (inner.height as usize).saturating_sub(about.len() + usize::from(!about.is_empty()));

    // Rows: a heading per kind, then its entities. `cursor_row` is where the cursor lands.
    let mut rows: Vec<(Option<u32>, crate::model::EntityKind)> = Vec::new();
    let mut cursor_row = 0;
    for (i, &e) in entities.iter().enumerate() {
        let kind = index.entity(e).kind;
        if rows.last().map(|r| r.1) != Some(kind) {
            rows.push((None, kind));
        }
        if i == cursor {
            cursor_row = rows.len();
        }
        rows.push((Some(e), kind));
    }
    let offset = visible_offset(0, cursor_row, list_rows, rows.len());
    let ids = row_ids(state, &names, &entities, inner.width as usize);
    // Whole CURIEs where every row showing one keeps its whole name beside it, else their
    // local parts on every such row (`E2FA 832283`, not `E… NCBIGene:832283`): the box
    // below gives the selected entity's whole id.
    let local_ids = ids.iter().any(|&e| {
        let info = index.entity(e);
        let count = thousands(index.papers_with(e).len()).chars().count() + 1;
        let name = names.name(info).chars().count();
        1 + name + 1 + info.key.as_str().chars().count() + count > inner.width as usize
    });
    for (i, &(entity, kind)) in rows.iter().enumerate().skip(offset).take(list_rows) {
        let y = inner.y + (i - offset) as u16;
        let line = match entity {
            None => {
                let n = entities
                    .iter()
                    .filter(|&&e| index.entity(e).kind == kind)
                    .count();
                // The numbers right of each entity are paper counts; each heading says so.
                let heading = format!("{} ({})", kind.plural_label(), thousands(n));
                // The label only with a space before it: "Genes (2)pape" reads as nothing.
                let label = if heading.chars().count() + 1 + "papers".len() <= width {
                    "papers"
                } else {
                    ""
                };
                let gap = width.saturating_sub(heading.chars().count() + label.len());
                Line::from(vec![
                    Span::styled(heading, theme.heading),
                    Span::styled(format!("{:gap$}{label}", ""), theme.dim),
                ])
            }
            Some(e) => {
                let info = index.entity(e);
                let papers = index.papers_with(e).len();
                let selected = e == selected;
                let base = match (selected, focused) {
                    (true, true) => theme.selected,
                    (true, false) => theme.selected_unfocused,
                    _ => theme.text,
                };
                // On the cursor of the focused pane the selection's colours stay whole: green
                // on cyan was hard to read (ut24c); bold still marks a shared entity.
                let name_style = match (papers > 1, selected && focused) {
                    (true, true) => base.add_modifier(ratatui::style::Modifier::BOLD),
                    (true, false) => base.patch(theme.shared_entity),
                    (false, _) => base,
                };
                // Always just the number (the kind heading says "papers"), so counts line up
                // and the name keeps the room; it stays whole at the right edge.
                let count = format!(" {}", thousands(papers));
                if selected {
                    buf.set_style(Rect::new(inner.x, y, inner.width, 1), base);
                }
                let count_width = count.chars().count() as u16;
                let name_width = inner.width.saturating_sub(count_width);
                let row_name = names.name(info);
                let id = if ids.contains(&e) {
                    format!(" {}", shown_id(&info.key, local_ids))
                } else {
                    String::new()
                };
                // A name is cut (with an ellipsis, so it does not read as a different name)
                // to leave its id room; an id is never cut, a cut id would be a wrong id.
                let id = if id.chars().count() + 2 > name_width as usize {
                    String::new()
                } else {
                    id
                };
                let name_room = (name_width as usize).saturating_sub(id.chars().count());
                let name = fit_chars(&format!(" {row_name}"), name_room);
                let left = Line::from(vec![
                    Span::styled(name, name_style),
                    Span::styled(id.clone(), base.patch(theme.entity_id)),
                ]);
                let id_width = left.spans[1].width() as u16;
                buf.set_line(inner.x, y, &left, name_width);
                if state.appearance.hyperlinks
                    && state.overlay.is_none()
                    && id_width > 1
                    && let Some(url) = links::entity_url(&info.key)
                {
                    // The id's own cells, past its leading space.
                    let x = inner.x + left.spans[0].width() as u16 + 1;
                    let id_area = Rect::new(x, y, id_width - 1, 1).intersection(inner);
                    let style = buf[(x.min(inner.right() - 1), y)].style();
                    link::draw_link(buf, id_area, id.trim_start(), &url, style);
                }
                buf.set_stringn(
                    inner.right().saturating_sub(count_width),
                    y,
                    &count,
                    count_width as usize,
                    base.patch(theme.dim),
                );
                continue;
            }
        };
        buf.set_line(inner.x, y, &line, inner.width);
    }
    if !about.is_empty() {
        let top = inner.bottom() - about.len() as u16;
        let rule: String = "─".repeat(width);
        buf.set_stringn(inner.x, top - 1, rule, width, theme.border);
        for (i, line) in about.iter().enumerate() {
            buf.set_line(inner.x, top + i as u16, line, inner.width);
        }
    }
    (offset, list_rows)
}

/// The hint after the query when the search line is not being edited, naming the search
/// key the config gives (ut24a bound it to `b` and still read `/`); none without one.
fn search_hint(state: &AppState) -> String {
    state
        .keymap
        .first_key(&crate::app::Action::Search)
        .map_or_else(String::new, |key| {
            format!("  ({key} searches anew or edits, esc leaves)")
        })
}

/// How many rows a query error may take under the search line on a screen of `area`: at most
/// three, and none the paper list needs (`MIN_LIST_ROWS`).
fn max_error_rows(area: Rect) -> u16 {
    area.height.saturating_sub(2 + 2 + MIN_LIST_ROWS).min(3)
}

/// A query error that does not fit after the query gets rows of its own below it, wrapped at
/// spaces (at most `max_rows`; the last says with an ellipsis when there was more), so it is
/// never cut mid-word. Empty when it fits on the line or there is no room for rows.
fn search_error_rows(state: &AppState, width: u16, max_rows: u16) -> Vec<String> {
    let Some(error) = &state.search.error else {
        return Vec::new();
    };
    let hint = if state.search.editing {
        0
    } else {
        search_hint(state).chars().count()
    };
    let needed = 2 + state.search.input.chars().count() + hint + 4 + error.chars().count();
    if needed <= width as usize || max_rows == 0 {
        return Vec::new();
    }
    let width = (width as usize).saturating_sub(4).max(10);
    let mut rows: Vec<Vec<&str>> = Vec::new();
    let mut row: Vec<&str> = Vec::new();
    let mut row_width = 0;
    for word in error.split_whitespace() {
        let word_width = word.chars().count();
        if !row.is_empty() && row_width + 1 + word_width > width {
            rows.push(std::mem::take(&mut row));
            row_width = 0;
        }
        row_width += word_width + usize::from(!row.is_empty());
        row.push(word);
    }
    rows.push(row);
    let max_rows = max_rows as usize;
    let mut lines: Vec<String> = rows.iter().take(max_rows).map(|r| r.join(" ")).collect();
    if rows.len() > max_rows {
        let rest: Vec<&str> = rows[max_rows - 1..].concat();
        lines[max_rows - 1] = text::cut_words(&rest.join(" "), width);
    }
    lines
}

/// The search input as shown after "/ " in `width` columns, and the column of the cursor
/// (at byte `cursor` of `input`) in it: a query longer than the line shows the part around
/// the cursor (its end while typing at the end), an ellipsis where it is cut.
fn visible_input(input: &str, cursor: usize, width: usize) -> (String, usize) {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let room = width.saturating_sub(2 + 1);
    let cursor = cursor.min(input.len());
    if input.width() <= room {
        return (input.to_owned(), input[..cursor].width());
    }
    let char_width = |c: char| c.width().unwrap_or(0);
    // Characters before the cursor, as many as fit in half the room (all of the room when
    // the cursor is at the end), after an ellipsis when not all of them do.
    let after_room = if cursor == input.len() { 0 } else { room / 2 };
    let mut before: Vec<char> = Vec::new();
    let mut used = 0;
    let all_before = input[..cursor].width() <= room.saturating_sub(after_room);
    let before_room = if all_before {
        room
    } else {
        room.saturating_sub(after_room).saturating_sub(1)
    };
    for c in input[..cursor].chars().rev() {
        if used + char_width(c) > before_room {
            break;
        }
        used += char_width(c);
        before.push(c);
    }
    let mut shown = String::new();
    if !all_before {
        shown.push('…');
        used += 1;
    }
    shown.extend(before.into_iter().rev());
    let cursor_column = used;
    // Then what follows the cursor, cut with an ellipsis when it does not fit.
    let rest = &input[cursor..];
    if used + rest.width() <= room {
        shown.push_str(rest);
    } else {
        for c in rest.chars() {
            if used + char_width(c) + 1 > room {
                break;
            }
            used += char_width(c);
            shown.push(c);
        }
        shown.push('…');
    }
    (shown, cursor_column)
}

/// How an open overlay is closed, as its key hints above say it (`q/esc close`): its title
/// or last line and the status bar say the same (they said `esc closes` under `q/esc
/// close`). `None` when the config left no key to close it.
pub fn close_hint(state: &AppState) -> Option<String> {
    state
        .keymap
        .close_keys(true)
        .map(|keys| format!("{keys} close"))
}

/// The keys the search line offers: the open overlay's own (its keys mean something else
/// there: tab and enter do nothing in the help, a number picks in a menu), else the panes'.
/// Only the first key of each action, so all hints (Tab among them) fit 80 columns. An
/// action the config left without a key is not offered (it read `unbound search`).
fn key_hints(state: &AppState) -> Vec<(String, &'static str)> {
    use crate::app::{Action, Overlay};
    // Cancel is offered only by overlays, where quit's key closes too (`q/esc close`).
    let offered = |hints: Vec<(Action, &'static str)>| -> Vec<(String, &'static str)> {
        hints
            .into_iter()
            .filter_map(|(action, label)| {
                let key = if action == Action::Cancel {
                    state.keymap.close_keys(true)
                } else {
                    state.keymap.first_key(&action)
                };
                Some((key?, label))
            })
            .collect()
    };
    let scrolling = |other: (Action, &'static str)| {
        offered(vec![
            (Action::MoveDown, " scroll  "),
            (Action::PageDown, " page  "),
            (Action::Cancel, " close  "),
            other,
            (Action::Search, " search"),
        ])
    };
    match state.overlay {
        None => offered(vec![
            (Action::Search, " search  "),
            (Action::Help, " help  "),
            (Action::FocusNext, " next pane  "),
            (Action::Jump, " open/jump  "),
            (Action::Back, " back  "),
            (Action::ToggleBookmark, " bookmark"),
        ]),
        Some(Overlay::Help) => scrolling((Action::Problems, " problems  ")),
        Some(Overlay::Problems) => scrolling((Action::Help, " keys  ")),
        Some(menu @ (Overlay::CopyMenu | Overlay::ExportMenu | Overlay::OpenMenu)) => {
            let picks = match menu {
                Overlay::CopyMenu => " copies  ",
                Overlay::OpenMenu => " opens  ",
                _ => " exports  ",
            };
            // Only the numbers that copy (or export) something.
            let mut hints: Vec<(String, &str)> = state
                .menu_numbers()
                .map(|numbers| (numbers, picks))
                .into_iter()
                .collect();
            hints.push(("enter".to_string(), " picks  "));
            hints.extend(offered(vec![
                (Action::MoveDown, " next  "),
                (Action::Cancel, " close  "),
                (Action::Search, " search"),
            ]));
            hints
        }
        Some(Overlay::Url) => offered(vec![
            (Action::Cancel, " close  "),
            (Action::Search, " search"),
        ]),
    }
}

fn render_search_line(buf: &mut Buffer, area: Rect, state: &AppState, theme: &Theme) {
    use unicode_width::UnicodeWidthStr;
    let search = &state.search;
    let filtering = matches!(state.view().kind, ViewKind::Search { .. });
    let width = area.width as usize;
    let mut spans = Vec::new();
    let mut used = 0;
    if search.editing || filtering {
        let (input, _) = visible_input(&search.input, search.input.cursor(), width);
        used = 2 + input.width();
        spans.push(Span::styled("/ ", theme.search_prompt));
        // A kept query `/` brought back is selected (after the term limiting it to the
        // bookmarks or an entity's papers): what is typed replaces that part. The cursor is
        // then at the end, so the selection is the end of what is shown.
        match search.input.selected_from().filter(|_| search.editing) {
            Some(from) => {
                let selected = search.input[from..].chars().count();
                let kept = input.chars().count().saturating_sub(selected);
                let at = input
                    .char_indices()
                    .nth(kept)
                    .map_or(input.len(), |(i, _)| i);
                let (before, after) = input.split_at(at);
                spans.push(Span::styled(before.to_owned(), theme.text));
                spans.push(Span::styled(after.to_owned(), theme.selected));
            }
            None => spans.push(Span::styled(input, theme.text)),
        }
        // Whole or not at all; under an overlay its own keys follow instead.
        if state.overlay.is_some() {
            spans.push(Span::raw("  "));
            used += 2;
        } else if !search.editing {
            let hint = search_hint(state);
            if used + hint.width() <= width {
                used += hint.width();
                spans.push(Span::styled(hint, theme.dim));
            }
        }
    }
    if state.overlay.is_some() || !(search.editing || filtering) {
        for (key, label) in key_hints(state) {
            // A hint that does not fit whole is left out with the ones after it.
            if used + key.width() + label.trim_end().width() > width {
                break;
            }
            used += key.width() + label.width();
            spans.push(Span::styled(key, theme.key_hint));
            spans.push(Span::styled(label, theme.dim));
        }
    }
    // A last `OR` typed (`brca OR`): no error yet (it may be the gene OR2T4 on its way),
    // but what Enter will say, dimmed, cut to the room on the line: the list and the
    // layout stay as they are.
    if search.error.is_none()
        && search.editing
        && state.overlay.is_none()
        && let Some(hint) = Query::typing_hint(&search.input)
    {
        let room = width.saturating_sub(used + 2);
        let hint = text::cut_words(&hint.message, room);
        if hint.chars().any(char::is_alphanumeric) {
            spans.push(Span::styled(format!("  {hint}"), theme.dim));
        }
    }
    if let Some(e) = &search.error {
        let rows = search_error_rows(state, area.width, area.height.saturating_sub(1));
        if rows.is_empty() {
            // On the line: whole when it fits, else cut at a word with an ellipsis.
            let room = width.saturating_sub(used + 4);
            if room > 0 {
                spans.push(Span::styled(
                    format!("  ✗ {}", text::cut_words(e, room)),
                    theme.error,
                ));
            }
        }
        for (i, row) in rows.iter().enumerate() {
            let mark = if i == 0 { "  ✗ " } else { "    " };
            let y = area.y + 1 + i as u16;
            if y < area.bottom() {
                let line = Line::styled(format!("{mark}{row}"), theme.error);
                buf.set_line(area.x, y, &line, area.width);
            }
        }
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

fn render_status(buf: &mut Buffer, area: Rect, state: &AppState, theme: &Theme) {
    buf.set_style(area, theme.status);
    let line = status::status_line(state, area.width as usize);
    let mut spans = vec![Span::styled(line.left.clone(), theme.status)];
    if let Some(text) = &line.message {
        let is_error = state.message.as_ref().is_some_and(|m| m.is_error);
        let style = if is_error {
            theme.status.patch(theme.error)
        } else {
            theme.status
        };
        spans.push(Span::styled(format!(" │ {text}"), style));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
    let right_width = unicode_width::UnicodeWidthStr::width(line.right.as_str()) as u16;
    if right_width > 0 && right_width <= area.width {
        buf.set_stringn(
            area.right() - right_width,
            area.y,
            &line.right,
            right_width as usize,
            theme.status,
        );
    }
}

/// The help overlay's lines, from the live keymap.
pub fn help_lines(state: &AppState, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    const KEY_COLUMN: usize = 18;
    // Too narrow for a key column beside the words: keys on a row, the words wrapped under.
    let narrow = width < KEY_COLUMN + 2 + 24;
    let indented = |segments: &[(&str, Style)]| -> Vec<Line<'static>> {
        text::wrap(segments, width.saturating_sub(2), 0)
            .into_iter()
            .map(|line| {
                let mut spans = vec![Span::raw("  ")];
                spans.extend(line.spans);
                Line::from(spans)
            })
            .collect()
    };
    let mut lines = Vec::new();
    for action in crate::app::Action::BINDABLE {
        let keys = state.keymap.describe_keys(&action);
        let describe = action.describe();
        let name = format!("({})", action.name());
        if narrow {
            lines.push(Line::styled(keys, theme.key_hint));
            lines.extend(indented(&[
                (describe, theme.text),
                (" ", theme.text),
                (&name, theme.dim),
            ]));
            continue;
        }
        lines.extend(beside_key(
            &keys,
            KEY_COLUMN,
            width,
            describe,
            Some(&name),
            theme,
        ));
    }
    lines.push(Line::default());
    // What `search::query` accepts, briefly: read from its parser, not guessed.
    lines.extend(text::wrap(
        &[(
            "Queries: every word must match, fuzzily (a capital after a word's first \
             letter, as in HIV or mTOR, makes it case-sensitive).",
            theme.text,
        )],
        width,
        0,
    ));
    for (example, meaning) in [
        ("\"two words\"", "the exact phrase"),
        ("title:word", "in the title only (also author:, journal:)"),
        (
            "gene:PD-L1",
            "papers with that gene, by name, alias or id; also protein: disease: \
             chemical: species: variant: cellline: entity:",
        ),
        (
            "gene:cd*",
            "every gene whose name, a word of one or id starts with cd",
        ),
        ("MESH:D009369", "papers with the entity of that id"),
        (
            "year:2019..2023",
            "published in those years (also year:2019, year:..2020)",
        ),
        (
            "smith 2019",
            "a bare year also finds that year's papers; Smith JA, an author's initials",
        ),
        ("'exact", "the exact word, not fuzzy"),
        ("^prefix  suffix$", "a field starting / ending with it"),
        ("-word  !word", "papers without it (also NOT word)"),
        ("pmid:  doi:  key:", "papers whose id is or starts with it"),
        ("is:bookmarked", "bookmarked papers only"),
        ("OR", "not supported: search for each in turn"),
    ] {
        if narrow {
            lines.push(Line::styled(example, theme.key_hint));
            lines.extend(indented(&[(meaning, theme.text)]));
            continue;
        }
        lines.extend(beside_key(example, KEY_COLUMN, width, meaning, None, theme));
    }
    lines.push(Line::default());
    // Named by the key the config gives search (ut24a bound it to `b` and read `/` here).
    let kept_search = state
        .keymap
        .first_key(&crate::app::Action::Search)
        .map(|key| format!("{key} on a kept search shows its query selected: typing or a paste replaces it (a new search), backspace or delete clears it, a cursor key edits it (left from its start, right from its end)."));
    for note in [
        "In the search line: type to filter, enter keeps it, esc drops it (on a kept search being edited, esc puts its query back); left/right, home/end and ctrl-left/right move, ctrl-w deletes a word, ctrl-k to the end, ctrl-u all.",
        kept_search.as_deref().unwrap_or_default(),
        "A word of five letters or more that no title, name, author or journal holds nor starts is searched as the nearest word one holds, the list's title saying so (\"asthama\" as asthma); quoted, it is searched as typed.",
        colours_note(state),
        "In the copy, open and export menus: a number or enter picks, esc closes.",
        "The library reloads by itself when its files change.",
        "\"history 2/3\" at the bottom: the 2nd of 3 lists visited (back/forward).",
    ] {
        if !note.is_empty() {
            lines.extend(text::wrap(&[(note, theme.dim)], width, 0));
        }
    }
    lines
}

/// What the colours say, as this terminal shows them (ut24c found them explained nowhere).
fn colours_note(state: &AppState) -> &'static str {
    match (state.appearance.no_color, state.appearance.theme) {
        (true, _) => {
            "Entities: a name in bold is mentioned by other loaded papers too; in the detail pane, underlined text is a mention of one of the paper's entities."
        }
        (false, crate::config::Theme::Dark) => {
            "Entities: a name in green is mentioned by other loaded papers too; in the detail pane, yellow text is a mention of one of the paper's entities."
        }
        (false, crate::config::Theme::Light) => {
            "Entities: a name in green is mentioned by other loaded papers too; in the detail pane, magenta text is a mention of one of the paper's entities."
        }
    }
}

/// A help row: `key` right-aligned in a column of `column` (or its own width), then `words`
/// wrapped beside it at word boundaries (a description too long for the row was cut
/// mid-word), then `name` dimmed: after the words when it fits, else on a row of its own,
/// never cut.
fn beside_key(
    key: &str,
    column: usize,
    width: usize,
    words: &str,
    name: Option<&str>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let column = column.max(key.chars().count());
    let room = width.saturating_sub(column + 2).max(1);
    let mut rows = text::wrap(&[(words, theme.text)], room, 0);
    if let Some(name) = name {
        let name_width = name.chars().count();
        match rows.last_mut() {
            Some(last) if last.width() + 2 + name_width <= room => {
                last.spans
                    .push(Span::styled(format!("  {name}"), theme.dim));
            }
            _ => rows.push(Line::styled(name.to_owned(), theme.dim)),
        }
    }
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let lead = if i == 0 {
                Span::styled(format!("{key:>column$}  "), theme.key_hint)
            } else {
                Span::raw(" ".repeat(column + 2))
            };
            let mut spans = vec![lead];
            spans.extend(row.spans);
            Line::from(spans)
        })
        .collect()
}

fn problem_lines(state: &AppState, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    // Messages quote the files' text (`"TATA  box"`): its spaces are shown as written.
    let mut lines = Vec::new();
    for p in &state.config_problems {
        lines.extend(text::wrap_keeping_spaces(
            &[("config: ", theme.error), (p, theme.text)],
            width,
            2,
        ));
    }
    // Files passed over in a folder (a README beside the data) are no problems: listed
    // after them, under a heading of their own.
    let (passed_over, problems): (Vec<&Problem>, Vec<&Problem>) = state
        .startup_problems
        .iter()
        .chain(&state.problems)
        .partition(|p| !crate::library::counts_as_problem(p));
    for p in problems {
        lines.extend(text::wrap_keeping_spaces(
            &[(&p.to_string(), theme.text)],
            width,
            2,
        ));
    }
    if lines.is_empty() {
        lines.push(Line::styled("No problems.", theme.dim));
    }
    if !passed_over.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(
            format!("Files skipped ({})", thousands(passed_over.len())),
            theme.heading,
        ));
        for p in passed_over {
            lines.extend(text::wrap_keeping_spaces(
                &[(&p.to_string(), theme.dim)],
                width,
                2,
            ));
        }
    }
    lines
}

/// The widest the help and problems overlays get: lines longer than this are hard to read.
const HELP_WIDTH: u16 = 100;
/// The widest the copy and export menus and the URL popup get.
const MENU_WIDTH: u16 = 72;
/// A pop-up leaves at least this many columns of the panes on each side, or none: a margin
/// of two showed a pane's border and one letter beside it (`│C│`), a broken box at a glance.
const MIN_POPUP_MARGIN: u16 = 8;

/// Where a pop-up at most `width` columns wide and `height` rows tall goes: in the middle
/// with a margin of at least [`MIN_POPUP_MARGIN`] columns each side, else across the whole
/// width so its borders stand on the panes' outer borders and nothing peeks out beside it.
fn popup_area(screen: Rect, width: u16, height: u16) -> Rect {
    let width = if screen.width >= width + 2 * MIN_POPUP_MARGIN {
        width
    } else {
        screen.width
    };
    let height = height.min(screen.height);
    Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    )
}

/// Where the help and problems overlays go (inside their border: two rows and columns fewer).
fn text_overlay_area(screen: Rect) -> Rect {
    popup_area(screen, HELP_WIDTH, screen.height.saturating_sub(2))
}

fn render_overlay(
    buf: &mut Buffer,
    screen: Rect,
    overlay: Overlay,
    state: &AppState,
    theme: &Theme,
) -> (usize, usize) {
    if matches!(
        overlay,
        Overlay::CopyMenu | Overlay::ExportMenu | Overlay::OpenMenu | Overlay::Url
    ) {
        return render_popup(buf, screen, overlay, state, theme);
    }
    let area = text_overlay_area(screen);
    let width = area.width;
    // The scroll counter at the bottom counts wrapped lines; the title counts problems.
    let name = match overlay {
        Overlay::Help => "Keys".to_owned(),
        // The files passed over are listed after the problems and counted apart, as the
        // status bar counts them (ut24f counted 61 entries under `Problems (51)`).
        _ => match state.files_passed_over() {
            0 => format!("Problems ({})", thousands(state.problem_count())),
            n => format!(
                "Problems ({}) · {} file{} skipped",
                thousands(state.problem_count()),
                thousands(n),
                if n == 1 { "" } else { "s" }
            ),
        },
    };
    // Narrow, "q/esc close" goes (the status bar says it too) rather than being cut.
    let columns = width.saturating_sub(4) as usize;
    let title = match close_hint(state) {
        Some(close) => format!("{name} — {close}"),
        None => name.clone(),
    };
    let title = if title.chars().count() <= columns {
        title
    } else {
        text::cut_words(&name, columns)
    };
    let title = format!(" {title} ");
    let block = pane_block(Line::styled(title, theme.title), true, theme);
    let inner = block.inner(area);
    let lines = match overlay {
        Overlay::Help => help_lines(state, inner.width as usize, theme),
        _ => problem_lines(state, inner.width as usize, theme),
    };
    ratatui::widgets::Widget::render(Clear, area, buf);
    render_scrolled(buf, area, block, &lines, state.overlay_scroll)
}

/// The lines of a small popup: the copy, open or export menu, or a URL shown instead of
/// opened. Menu entries are numbered; the one under the cursor is highlighted.
pub fn popup_lines(
    overlay: Overlay,
    state: &AppState,
    width: usize,
    theme: &Theme,
) -> (&'static str, Vec<Line<'static>>) {
    let entry = |i: usize, label: String, value: String, enabled: bool| {
        let selected = i == state.search.menu_cursor;
        let base = if selected {
            theme.selected
        } else if enabled {
            theme.text
        } else {
            theme.dim
        };
        let head = format!(" {}  {label:<9} ", i + 1);
        let room = width.saturating_sub(head.chars().count());
        // An entry with nothing to copy or export is grey, number and all.
        let head_style = if enabled || selected {
            base.patch(theme.key_hint)
        } else {
            base
        };
        Line::from(vec![
            Span::styled(head, head_style),
            Span::styled(
                shorten(&value, room.saturating_sub(1)),
                base.patch(theme.dim),
            ),
        ])
    };
    // After what the menu's last line says first.
    let close = close_hint(state)
        .map(|close| format!(" · {close}"))
        .unwrap_or_default();
    match overlay {
        Overlay::CopyMenu => {
            let mut lines: Vec<Line> = state
                .copy_choices()
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let value = match &c.text {
                        // Only the first line of a BibTeX entry: enough to know it.
                        Some(t) => t.lines().next().unwrap_or("").to_string(),
                        // What the paper lacks, said: a user test read `3 DOI —`.
                        None => format!("(this paper has no {})", c.label),
                    };
                    entry(i, c.label.to_string(), value, c.text.is_some())
                })
                .collect();
            lines.push(Line::styled(
                format!(" number or enter copies{close}"),
                theme.dim,
            ));
            (" Copy ", lines)
        }
        Overlay::OpenMenu => {
            let mut lines: Vec<Line> = state
                .open_choices()
                .into_iter()
                .enumerate()
                .map(|(i, link)| {
                    // Cut in its middle, as the detail pane cuts it: its end tells links
                    // to one site apart.
                    let head = format!(" {}  {:<9} ", i + 1, link.label).chars().count();
                    let url = text::cut_middle(&link.url, width.saturating_sub(head + 1));
                    entry(i, link.label, url, true)
                })
                .collect();
            lines.push(Line::styled(
                format!(" number or enter opens{close}"),
                theme.dim,
            ));
            (" Open ", lines)
        }
        Overlay::ExportMenu => {
            // What an export writes: bookmarks whose papers are not loaded are skipped.
            let count = |scope| {
                let (papers, not_loaded) = state.export_papers(scope);
                let n = papers.len();
                let said = if not_loaded == 0 {
                    thousands(n)
                } else {
                    format!("{} of {} loaded", thousands(n), thousands(n + not_loaded))
                };
                (said, n)
            };
            let counts = [
                count(ExportScope::CurrentList),
                count(ExportScope::Bookmarks),
            ];
            let on_bookmarks = state.view().kind == ViewKind::Bookmarks;
            let mut lines: Vec<Line> = state
                .export_choices()
                .iter()
                .enumerate()
                .map(|(i, (scope, format))| {
                    let (what, (said, n)) = match scope {
                        ExportScope::CurrentList if on_bookmarks => ("bookmarks", &counts[0]),
                        ExportScope::CurrentList => ("this list", &counts[0]),
                        ExportScope::Bookmarks => ("bookmarks", &counts[1]),
                    };
                    let format = match format {
                        crate::export::ExportFormat::Bibtex => "BibTeX",
                        crate::export::ExportFormat::Ris => "RIS",
                        crate::export::ExportFormat::CslJson => "CSL-JSON",
                    };
                    entry(i, format.to_string(), format!("{what} ({said})"), *n > 0)
                })
                .collect();
            // The folder in full where it fits; else its end, which names it best.
            let dir = state.export_dir.display().to_string();
            let room = width.saturating_sub(" into ".chars().count() + close.chars().count());
            let dir = if dir.chars().count() <= room {
                dir
            } else {
                let tail: String = {
                    let keep = room.saturating_sub(1);
                    let skip = dir.chars().count() - keep;
                    dir.chars().skip(skip).collect()
                };
                format!("…{tail}")
            };
            lines.push(Line::styled(format!(" into {dir}{close}"), theme.dim));
            (" Export ", lines)
        }
        _ => {
            let shown = state.shown_url.as_ref();
            let url = shown.map_or("", |s| s.url.as_str());
            let mut lines = text::wrap(&[(url, theme.entity_id)], width.max(1), 0);
            lines.push(Line::default());
            // Said copied only when it is: inside a tmux that did not take it, or with
            // nothing to take it, the URL above is the one place to have it from.
            // What happened to the browser: none here, or the one tried failed (and how).
            let what = match shown.and_then(|s| s.browser_failure.as_deref()) {
                Some(why) => format!("no browser opened it ({why})"),
                None => "no browser here".to_owned(),
            };
            let (note, style) = match shown.map_or(CopyOutcome::Copied, |s| s.copy) {
                CopyOutcome::Copied => (format!("{what}: the URL is copied"), theme.dim),
                CopyOutcome::Doubtful => (
                    format!(
                        "{what}, and the URL may not be copied (tmux did not take it): \
                         select it above to copy it"
                    ),
                    theme.error,
                ),
                CopyOutcome::Failed => (
                    format!("{what}, and the copy failed: select the URL above to copy it"),
                    theme.error,
                ),
            };
            lines.extend(text::wrap(&[(&note, style)], width.max(1), 0));
            lines.extend(close_hint(state).map(|close| Line::styled(close, theme.dim)));
            (" Link ", lines)
        }
    }
}

fn render_popup(
    buf: &mut Buffer,
    screen: Rect,
    overlay: Overlay,
    state: &AppState,
    theme: &Theme,
) -> (usize, usize) {
    let width = popup_area(screen, MENU_WIDTH, 0).width;
    let (title, lines) = popup_lines(overlay, state, width.saturating_sub(2) as usize, theme);
    let area = popup_area(screen, MENU_WIDTH, lines.len() as u16 + 2);
    ratatui::widgets::Widget::render(Clear, area, buf);
    let block = pane_block(Line::styled(title, theme.title), true, theme);
    let inner = block.inner(area);
    // A menu taller than the screen scrolls to keep the entry under the cursor in sight
    // (one line per entry).
    let scroll = match overlay {
        Overlay::CopyMenu | Overlay::ExportMenu | Overlay::OpenMenu => state
            .search
            .menu_cursor
            .saturating_sub(usize::from(inner.height.max(1)) - 1),
        _ => 0,
    };
    let drawn = render_scrolled(buf, area, block, &lines, scroll);
    if overlay == Overlay::Url
        && state.appearance.hyperlinks
        && let Some(shown) = &state.shown_url
    {
        // The URL as `popup_lines` wrapped it: every line of it a link.
        let text_width = width.saturating_sub(2).max(1) as usize;
        let (_, runs) = text::wrap_with_runs(&[(&shown.url, theme.entity_id)], text_width, 0);
        let urls = [Some(shown.url.clone())];
        let pieces: Vec<LinkRun> = link_runs(runs, &urls, 0).collect();
        draw_links(buf, inner, &pieces, 0);
    }
    drawn
}

#[cfg(test)]
mod tests {
    use super::visible_input;
    use unicode_width::UnicodeWidthStr;

    /// The search line shows the part of a long query around the cursor, the cursor's
    /// column on the character it is before, and never more than the line holds.
    #[test]
    fn a_long_query_shows_around_the_cursor() {
        let query = "gene:tp53 apoptosis in nasopharyngeal carcinoma cells";
        // "/ " and the cursor's cell: 17 columns for text at width 20.
        let width = 20;
        for cursor in query.char_indices().map(|(i, _)| i).chain([query.len()]) {
            let (shown, column) = visible_input(query, cursor, width);
            assert!(shown.width() <= width - 3, "{shown:?} at {cursor}");
            assert_eq!(
                shown.chars().nth(column),
                query[cursor..].chars().next(),
                "the cursor stands on its character: {shown:?} at {cursor}"
            );
        }
        assert_eq!(
            visible_input(query, query.len(), width),
            ("… carcinoma cells".into(), 17)
        );
        assert_eq!(
            visible_input(query, 0, width),
            ("gene:tp53 apopto…".into(), 0)
        );
        assert_eq!(visible_input("brca", 2, width), ("brca".into(), 2));
    }
}
