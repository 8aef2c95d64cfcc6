//! The status bar: what the user needs right now, fitted to the terminal's width.
//!
//! ```text
//!  counts · load progress · problems · history │ message       keys for this mode
//!  3 shown · 6 loaded · loading 38%… · 1,234 problems (p)          ? help  q quit    (80 columns)
//!  3 of 6 · loading 38%…   ? help  q quit                                             (40 columns)
//! ```
//! Each segment has forms from longest to shortest (the last may be nothing), and each form a
//! rank: how much keeping it matters over the next one. While the bar is too wide, the form
//! with the lowest rank gives way. So the skipped-files count goes first, then the extra keys
//! and words, then the problem count, then the history (`history 2/3`, which a user browsing
//! back and forth reads at every step, where the problem count says the same all session);
//! the shown count and the load progress stay to the end, and a message (the answer to the
//! last key) is cut only when everything less urgent has made room. Nothing is cut mid-word
//! without an ellipsis.

use super::text::cut_words;
use crate::app::{Action, AppState, Row, ViewKind, count, thousands};
use unicode_width::UnicodeWidthStr;

/// Ranks: a form with a lower rank gives way first.
mod rank {
    /// The problem count's forms: with its key, the count alone.
    pub const PROBLEMS: [u8; 2] = [50, 60];
    /// The history's place (`history 2/3`): it outlasts the problem count, which says the
    /// same all session (a user test lost the history to `51 problems, 10 files skipped (p)`
    /// at 80 columns while going back and forth), and gives way before the help hint and a
    /// message.
    pub const HISTORY: u8 = 62;
    /// Files passed over, beside the problem count: they give way first.
    pub const FILES_SKIPPED: u8 = 20;
    pub const KEY_HINTS: u8 = 30;
    /// `typing replaces`, while `/` shows a kept query selected: what the next key does to
    /// it matters more then than the history.
    pub const TYPING_REPLACES: u8 = 63;
    pub const COUNT_WORDS: u8 = 40;
    pub const HELP_HINT: u8 = 65;
    pub const MESSAGE_WHOLE: u8 = 70;
    /// A shorter form of a message ([`Message::shorter`]): the loaded count gives way
    /// before it does, so a narrow bar keeps the file written rather than `25 of 4,530`.
    ///
    /// [`Message::shorter`]: crate::app::Message::shorter
    pub const MESSAGE_SHORTER: u8 = 85;
    /// An error about the problems ([`Message::about_problems`]): their count and keys stay
    /// longer.
    ///
    /// [`Message::about_problems`]: crate::app::Message::about_problems
    pub const PROBLEMS_BESIDE_AN_ERROR: [u8; 2] = [74, 75];
    pub const LOADED_COUNT: u8 = 80;
    pub const PROGRESS_WORDS: u8 = 90;
    /// The last form of a segment: never gives way.
    pub const KEEP: u8 = u8::MAX;
}

/// A message cut to make room keeps at least this many columns (less when it is shorter).
const MESSAGE_MIN_COLUMNS: usize = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// Left, joined by " · ".
    Left,
    /// After the left part, behind " │ ".
    Message,
    /// At the right edge.
    Right,
}

/// One part of the status bar and its forms, longest first.
#[derive(Clone, Debug)]
struct Segment {
    place: Place,
    forms: Vec<(String, u8)>,
    current: usize,
}

impl Segment {
    fn new(place: Place, forms: Vec<(String, u8)>) -> Segment {
        let mut forms = forms;
        // A form the same as the one before it would only be a wasted step.
        forms.dedup_by(|b, a| a.0 == b.0);
        Segment {
            place,
            forms,
            current: 0,
        }
    }

    fn text(&self) -> &str {
        &self.forms[self.current].0
    }

    fn can_shrink(&self) -> bool {
        self.current + 1 < self.forms.len()
    }
}

/// The status bar's text, laid out for `width` columns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusLine {
    /// Counts, progress, problems and history, from the left edge (with a leading space).
    pub left: String,
    /// The message, `None` when there is none or no room for it.
    pub message: Option<String>,
    /// Keys for the current mode, drawn at the right edge (with a trailing space).
    pub right: String,
}

impl StatusLine {
    /// Columns the message starts at, after the left part and its " │ ".
    pub fn message_column(&self) -> usize {
        self.left.width() + 3
    }
}

fn width_of(segments: &[Segment]) -> usize {
    let left: Vec<&str> = segments
        .iter()
        .filter(|s| s.place == Place::Left && !s.text().is_empty())
        .map(Segment::text)
        .collect();
    let mut width =
        1 + left.iter().map(|t| t.width()).sum::<usize>() + 3 * left.len().saturating_sub(1);
    for s in segments.iter().filter(|s| !s.text().is_empty()) {
        match s.place {
            Place::Left => {}
            Place::Message => width += 3 + s.text().width(),
            // Two columns apart from what is left of it, one from the edge.
            Place::Right => width += 2 + s.text().width() + 1,
        }
    }
    width
}

/// The segments for `state`, every one in its longest form.
fn segments(state: &AppState) -> Vec<Segment> {
    let keymap = &state.keymap;
    // An action the config left without a key is left out of the hints (they read
    // `unbound help`).
    let first_key = |action: &Action| keymap.first_key(action);
    let mut segments = Vec::new();

    let view = state.view();
    let shown = thousands(view.rows.len());
    let loaded = thousands(state.library.len());
    // The bookmarks list (and a search within it) also shows bookmarks whose papers are
    // not loaded: beside the library's count it read `5 shown · 1 loaded`, and `4 of 1`.
    // It says how many of its rows are not loaded instead.
    let not_loaded = view
        .rows
        .iter()
        .filter(|row| matches!(row, Row::MissingBookmark(_)))
        .count();
    let counts = if not_loaded > 0 {
        vec![
            (
                format!("{shown} shown · {} not loaded", thousands(not_loaded)),
                rank::COUNT_WORDS,
            ),
            (format!("{shown} shown"), rank::KEEP),
        ]
    } else if let Some(searched) = state.searched_so_far() {
        // A search while the library loads found its rows among the papers the worker held
        // then: `2,018 shown · 19,894 loaded` read as 2,018 of those 19,894.
        let searched = thousands(searched);
        vec![
            (
                format!("{shown} shown of {searched} searched · {loaded} loaded"),
                rank::COUNT_WORDS,
            ),
            (
                format!("{shown} of {searched} searched"),
                rank::LOADED_COUNT,
            ),
            (format!("{shown} shown"), rank::KEEP),
        ]
    } else {
        vec![
            (
                format!("{shown} shown · {loaded} loaded"),
                rank::COUNT_WORDS,
            ),
            (format!("{shown} of {loaded}"), rank::LOADED_COUNT),
            (format!("{shown} shown"), rank::KEEP),
        ]
    };
    segments.push(Segment::new(Place::Left, counts));

    if !state.load.done {
        let load = &state.load;
        let (long, short) = match load.files_total {
            // By bytes: one large file is most of a load.
            Some(_) if load.bytes_total > 0 => {
                let percent = (load.bytes_done.saturating_mul(100) / load.bytes_total).min(99);
                (format!("loading {percent}%…"), format!("{percent}%…"))
            }
            Some(total) => {
                let done = thousands(load.files_done);
                (
                    format!("loading {done}/{}…", count(total, "file")),
                    format!("{done}/{}…", thousands(total)),
                )
            }
            None => ("finding files…".to_owned(), "finding…".to_owned()),
        };
        segments.push(Segment::new(
            Place::Left,
            vec![(long, rank::PROGRESS_WORDS), (short, rank::KEEP)],
        ));
    }

    let problems = state.problem_count();
    // Files passed over in a folder (a README beside the data) are not problems, but the
    // list shows them: without a problem, their count is how the user learns of them.
    let passed_over = state.files_passed_over();
    let files_skipped = format!("{} skipped", count(passed_over, "file"));
    if problems > 0 || passed_over > 0 {
        let count = if problems == 0 {
            files_skipped.clone()
        } else {
            count(problems, "problem")
        };
        // An error about what the list holds (config.toml, the bookmark file): beside it,
        // the count and the keys to read the list stay longer than it. Beside any other
        // message (a copy that may have failed) they give way first, as they do to words.
        let ranks = if state
            .message
            .as_ref()
            .is_some_and(|m| m.is_error && m.about_problems)
        {
            rank::PROBLEMS_BESIDE_AN_ERROR
        } else {
            rank::PROBLEMS
        };
        // The first key only, whatever the room: a user test read `(p/!)` or `(p)` as the
        // room allowed, and took the short form for another key. The help lists them all.
        // Without a key for the list, the count stands alone.
        let key = first_key(&Action::Problems).map_or_else(String::new, |k| format!(" ({k})"));
        let mut forms = Vec::new();
        if problems > 0 && passed_over > 0 {
            // The skipped count gives way first.
            forms.push((
                format!("{count}, {files_skipped}{key}"),
                rank::FILES_SKIPPED,
            ));
        }
        forms.extend([
            (format!("{count}{key}"), ranks[0]),
            (count, ranks[1]),
            (String::new(), rank::KEEP),
        ]);
        segments.push(Segment::new(Place::Left, forms));
    }

    if state.history.len() > 1 {
        segments.push(Segment::new(
            Place::Left,
            vec![
                (
                    format!(
                        "history {}/{}",
                        thousands(state.history_pos + 1),
                        thousands(state.history.len())
                    ),
                    rank::HISTORY,
                ),
                (String::new(), rank::KEEP),
            ],
        ));
    }

    if let Some(m) = &state.message {
        // The message, its shorter forms, then a placeholder for the least a cut of the
        // shortest keeps; the cut is made once the room is known.
        let mut forms = vec![(m.text.clone(), rank::MESSAGE_WHOLE)];
        forms.extend(
            m.shorter
                .iter()
                .map(|short| (short.clone(), rank::MESSAGE_SHORTER)),
        );
        let shortest = forms.last().map_or(String::new(), |f| f.0.clone());
        let least = cut_words(&shortest, MESSAGE_MIN_COLUMNS);
        if least != shortest {
            forms.push((least, rank::KEEP));
        }
        segments.push(Segment::new(Place::Message, forms));
    }

    // What the keys do now: typing goes to the search line, an overlay takes esc.
    let hints = if state.search.editing && state.overlay.is_none() {
        // Esc on a kept search being edited puts its query back; on a new one it clears.
        let in_search_view = matches!(state.view().kind, ViewKind::Search { .. });
        let esc = if in_search_view && state.search.editing_from.is_some() {
            "esc puts back"
        } else {
            "esc clears"
        };
        // `/` brought a kept query back selected: what typing does to it matters more then
        // than that Enter keeps it.
        let middle = if state.search.input.is_selected() {
            vec![
                (
                    format!("typing replaces  → edits  enter keeps  {esc}"),
                    rank::KEY_HINTS,
                ),
                (format!("typing replaces  {esc}"), rank::TYPING_REPLACES),
            ]
        } else {
            vec![(format!("enter keeps  {esc}"), rank::KEY_HINTS)]
        };
        let mut hints = middle;
        hints.push((esc.to_owned(), rank::HELP_HINT));
        hints
    } else if state.overlay.is_some() {
        // As the overlay's title and key hints say it.
        super::close_hint(state)
            .map(|close| (close, rank::HELP_HINT))
            .into_iter()
            .collect()
    } else {
        let every = |action: &Action, what: &str| keymap.keys_then(action, what);
        let first = |action: &Action, what: &str| first_key(action).map(|k| format!("{k} {what}"));
        let joined =
            |parts: [Option<String>; 2]| parts.into_iter().flatten().collect::<Vec<_>>().join("  ");
        vec![
            (
                joined([every(&Action::Help, "help"), every(&Action::Quit, "quit")]),
                rank::KEY_HINTS,
            ),
            (
                joined([first(&Action::Help, "help"), first(&Action::Quit, "quit")]),
                rank::KEY_HINTS,
            ),
            (
                first(&Action::Help, "help").unwrap_or_default(),
                rank::HELP_HINT,
            ),
        ]
    };
    let mut hints = hints;
    hints.push((String::new(), rank::KEEP));
    segments.push(Segment::new(Place::Right, hints));
    segments
}

/// The status bar for `state` in `width` columns.
pub fn status_line(state: &AppState, width: usize) -> StatusLine {
    let mut segments = segments(state);
    while width_of(&segments) > width {
        let next = segments
            .iter_mut()
            .filter(|s| s.can_shrink())
            .min_by_key(|s| s.forms[s.current].1);
        match next {
            Some(s) => s.current += 1,
            None => break,
        }
    }
    // A later, shorter step may have left room for an earlier one: the forms that gave way
    // come back, most important first, wherever they fit again. While the message is cut,
    // only what matters more than it comes back: the rest would take its room.
    loop {
        let message_cut = segments
            .iter()
            .any(|s| s.place == Place::Message && s.current > 0);
        let mut candidates: Vec<(u8, usize)> = (0..segments.len())
            .filter(|&i| segments[i].current > 0)
            .map(|i| (segments[i].forms[segments[i].current - 1].1, i))
            .filter(|&(rank, _)| !message_cut || rank >= rank::MESSAGE_WHOLE)
            .collect();
        candidates.sort_by(|a, b| b.cmp(a));
        // Nor does the history while a form on the left that matters more stays away (the
        // loaded count, the progress in words): it would take the room they wait for.
        let mut left_away = 0;
        let restored = candidates.into_iter().any(|(rank, i)| {
            let left = segments[i].place == Place::Left;
            if rank == rank::HISTORY && rank < left_away {
                return false;
            }
            segments[i].current -= 1;
            let fits = width_of(&segments) <= width;
            if !fits {
                segments[i].current += 1;
                if left {
                    left_away = left_away.max(rank);
                }
            }
            fits
        });
        if !restored {
            break;
        }
    }
    let mut line = StatusLine::default();
    let left: Vec<&str> = segments
        .iter()
        .filter(|s| s.place == Place::Left && !s.text().is_empty())
        .map(Segment::text)
        .collect();
    line.left = format!(" {}", left.join(" · "));
    if let Some(s) = segments.iter().find(|s| s.place == Place::Right) {
        line.right = if s.text().is_empty() {
            String::new()
        } else {
            format!("{} ", s.text())
        };
    }
    let right_width = if line.right.is_empty() {
        0
    } else {
        2 + line.right.width()
    };
    if let Some(s) = segments.iter().find(|s| s.place == Place::Message) {
        // A cut message (the last form) takes all the room the rest leaves: the shortest
        // form cut to it.
        let room = width.saturating_sub(line.left.width() + 3 + right_width);
        let text = match s.current.checked_sub(1) {
            Some(shortest) if s.forms[s.current].1 == rank::KEEP => {
                cut_words(&s.forms[shortest].0, room)
            }
            _ => s.text().to_owned(),
        };
        line.message = (!text.is_empty()).then_some(text);
    }
    // Narrower than the shortest forms: the left part is cut, with an ellipsis.
    if line.left.width() > width {
        line.left = cut_words(&line.left, width);
        line.message = None;
        line.right.clear();
    }
    line
}
