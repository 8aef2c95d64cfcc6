//! The browser's state and the one place it changes: [`update`] applies an [`Action`] and
//! returns an [`Effect`] for the terminal loop to carry out (save a bookmark, run a search,
//! quit). Nothing here does I/O or knows about the terminal, so every behaviour can be tested
//! by feeding actions to a state built from fixtures.
//!
//! The paper list is a browser-like history of [`View`]s (all papers, search results, the
//! papers of an entity, related papers, bookmarks); each remembers its selection and scroll.

pub mod action;
pub mod keymap;
pub mod line;

pub use action::Action;
pub use keymap::{Key, Keymap, KeymapProblem};

use crate::bookmarks::{Bookmark, KeptLines};
use crate::clipboard::{CopyOutcome, CopyReport};
use crate::config::{LayoutMode, Theme};
use crate::export::ExportFormat;
use crate::index::{EntityIdx, PaperIdx};
use crate::library::{self, Library, LoadEvent, LoadReport, SourceOrder};
use crate::model::{AbstractText, EntityKind, FilePlace, Paper, PaperKey, Problem};
use crate::search::{Correction, SearchResults};
use crossterm::event::KeyCode;
use line::LineEdit;
use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `4529` written `4,529`: counts as people read them (status bar, headings, messages).
/// Machine formats (JSON, CLI output, exports) keep plain numbers.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` and its noun, as the browser writes counts: `1 paper`, `4,530 papers`.
pub fn count(n: usize, noun: &str) -> String {
    format!("{} {noun}{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// How long the list may show the previous query's rows under a new query before its title
/// says `searching…`. Results under 0.1 s read as instant (the usual limit for a response
/// to feel immediate), and a search of a million papers takes 100-200 ms: a sign for those
/// would flash on and off at each key, two redraws per key over a slow link for nothing.
/// At 200 ms only searches slower than that (a busy machine, a larger library) show it,
/// still well before [`crate::input::HOLD_LIMIT`] lets held keys act on the old rows.
pub const SEARCHING_SIGN_AFTER: Duration = Duration::from_millis(200);

/// How many related papers the `related` view lists.
pub const RELATED_LIMIT: usize = 50;
/// How many co-mentioned entities the entity pane shows.
pub const CO_MENTIONED_LIMIT: usize = 5;

/// The panes that can hold the focus, in Tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pane {
    Papers,
    Detail,
    Entities,
}

impl Pane {
    const ORDER: [Pane; 3] = [Pane::Papers, Pane::Detail, Pane::Entities];

    fn step(self, forward: bool) -> Pane {
        let i = Pane::ORDER.iter().position(|&p| p == self).unwrap_or(0);
        let n = Pane::ORDER.len();
        Pane::ORDER[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

/// A window drawn over the panes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Problems,
    /// What to copy of the selected paper: [`AppState::copy_choices`].
    CopyMenu,
    /// What to export and how: [`EXPORT_CHOICES`].
    ExportMenu,
    /// Which of the selected paper's links to open: [`AppState::open_choices`].
    OpenMenu,
    /// A URL that could not be opened here, shown (and copied) instead: [`AppState::shown_url`].
    Url,
}

/// A URL shown in the [`Overlay::Url`] popup because no browser could open it, and how its
/// copy fared: the popup says it is copied only when it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownUrl {
    pub url: String,
    pub copy: CopyOutcome,
    /// Why the browsers tried did not open it (`false exited with status 1`); `None` when
    /// there was none to try (no display).
    pub browser_failure: Option<String>,
}

/// One entry of the copy menu: what it is called and the text it copies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyChoice {
    pub label: &'static str,
    /// `None` when the paper has no such thing (no DOI): listed dimmed, not pickable.
    pub text: Option<String>,
}

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportScope {
    /// The papers of the current list, in its order.
    CurrentList,
    Bookmarks,
}

/// The export menu: every scope with every format, in the order shown.
pub const EXPORT_CHOICES: [(ExportScope, ExportFormat); 6] = [
    (ExportScope::CurrentList, ExportFormat::Bibtex),
    (ExportScope::CurrentList, ExportFormat::Ris),
    (ExportScope::CurrentList, ExportFormat::CslJson),
    (ExportScope::Bookmarks, ExportFormat::Bibtex),
    (ExportScope::Bookmarks, ExportFormat::Ris),
    (ExportScope::Bookmarks, ExportFormat::CslJson),
];

/// One row of the paper list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Row {
    Paper(PaperIdx),
    /// A bookmark whose paper is not loaded: index into [`AppState::bookmarks`].
    MissingBookmark(usize),
}

/// What a view of the paper list shows.
#[derive(Clone, Debug, PartialEq)]
pub enum ViewKind {
    All,
    Search { query: String },
    Entity(EntityIdx),
    Related(PaperIdx),
    Bookmarks,
}

/// One step of the history: a list of papers with its own selection and scroll.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub kind: ViewKind,
    pub rows: Vec<Row>,
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
    pub detail_scroll: usize,
    /// The detail pane was scrolled to its end: it stays there when its lines change (the
    /// zoom lays them out wider, in fewer lines), not at the same line number.
    pub detail_at_end: bool,
    pub entity_cursor: usize,
    /// How many papers the list would hold uncapped, when it holds fewer: a related list
    /// keeps the best [`RELATED_LIMIT`] and its title says of how many.
    pub uncapped: Option<usize>,
    /// How many papers a search's rows were found among: the papers the search worker held
    /// when it ran the query. While a library loads that is fewer than are loaded (the
    /// query is asked again every so often), and the status bar says so.
    pub searched: Option<usize>,
    /// The paper on screen when an entity's list was opened from its row: the row named the
    /// entity as that paper does, which the list's title gives beside the entity's name.
    pub jumped_from: Option<PaperIdx>,
    /// The pane that had the focus when this view was left (another opened from it, or
    /// back or forward): coming back to it focuses that pane again. ut23c went through a
    /// paper's entities one jump at a time, and after each Backspace had to Tab back to
    /// them; ut24a went forward to an entity's list with the focus on the entities. With
    /// whether that pane was zoomed (ut24c came back unzoomed to the entities it had zoomed).
    pub left_from: Option<(Pane, bool)>,
}

impl View {
    fn new(kind: ViewKind, rows: Vec<Row>) -> View {
        View {
            kind,
            rows,
            selected: 0,
            offset: 0,
            detail_scroll: 0,
            detail_at_end: false,
            entity_cursor: 0,
            uncapped: None,
            searched: None,
            jumped_from: None,
            left_from: None,
        }
    }

    /// Back to the top of the detail pane (another paper is shown).
    fn reset_detail(&mut self) {
        self.detail_scroll = 0;
        self.detail_at_end = false;
    }

    pub fn selected_row(&self) -> Option<Row> {
        self.rows.get(self.selected).copied()
    }

    /// The same rows in another order (the load ended and papers are put in source order).
    /// `keep` says what stays where it was: the row (its number and screen line), or the
    /// selected paper, on its screen line where the list allows.
    fn reorder(&mut self, rows: Vec<Row>, keep: Keep) {
        match keep {
            Keep::Row => {
                let before = self.selected_row();
                self.rows = rows;
                self.selected = self.selected.min(self.rows.len().saturating_sub(1));
                if self.selected_row() != before {
                    self.reset_detail();
                    self.entity_cursor = 0;
                }
            }
            Keep::Paper => {
                let line = self.selected.saturating_sub(self.offset);
                self.set_rows(rows);
                self.offset = self.selected.saturating_sub(line);
            }
        }
    }

    /// Replaces the rows, keeping the same paper selected when it is still listed.
    fn set_rows(&mut self, rows: Vec<Row>) {
        let before = self.selected_row();
        self.rows = rows;
        match before.and_then(|r| self.rows.iter().position(|&x| x == r)) {
            Some(pos) => self.selected = pos,
            None => {
                if before.is_some() {
                    self.reset_detail();
                    self.entity_cursor = 0;
                }
                self.selected = self.selected.min(self.rows.len().saturating_sub(1));
            }
        }
    }
}

/// What stays put when a list is put in another order ([`View::reorder`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keep {
    /// The row: the list was only moved in (`j j` while it loaded), its rows read as
    /// places, not as papers being read. A user test pressed `j j` during a load and
    /// found itself on row 1,545 of 4,529 once the papers were put in source order.
    Row,
    /// The selected paper: the user is reading it (its detail scrolled, an entity picked,
    /// the focus off the list) or left the list from it (a view opened since).
    Paper,
}

/// The search line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchState {
    /// Keys go to the search line.
    pub editing: bool,
    pub input: line::LineInput,
    /// The generation of the newest query sent; older results are dropped.
    pub generation: u64,
    /// The generation of the last answer applied (results or an error): until it catches
    /// up with `generation` a new query may still be on its way ([`AppState::awaiting_results`]).
    pub answered: u64,
    /// Why the last query could not run.
    pub error: Option<String>,
    /// Papers arrived since the current query was sent: the loop re-sends it (throttled)
    /// with [`AppState::take_search_rerun`].
    pub rerun_due: bool,
    /// The menu entry under the cursor (copy and export menus).
    pub menu_cursor: usize,
    /// The query whose results the list shows: a different query's results select the top
    /// hit, a re-sent one (more papers loaded) keeps the selection.
    pub shown: Option<AskedQuery>,
    /// The query whose results the list shows instead of `shown`'s, which found
    /// nothing or a near miss' few papers: its words corrected (`hypertansion` ->
    /// `hypertension`), with what it found as typed.
    pub corrected: Option<Correction>,
    /// The words that found the list's papers only by their letters apart
    /// ([`crate::search::SearchResults::letters_apart`]).
    pub letters_apart: Vec<String>,
    /// For a list found with `year:`, `author:` or `journal:` terms, the fields some loaded
    /// papers lack and how many lack each ([`papers_lacking_queried_fields`]): such a term
    /// never matches them, and ut24a's `year:2020..` listed 1 of 4,530 papers without a
    /// word of the 4,529 that have no year.
    pub lacking: Vec<(&'static str, usize)>,
    /// The query last sent to the worker: the line, or when the line has an error the
    /// longest run of its first words that is a whole query ([`longest_valid_start`]), so
    /// the list shows what those words find rather than whatever it showed before.
    pub sent: AskedQuery,
    /// The query of the search view being edited, as it was before the edit (`None` while
    /// typing a new search): Esc puts it back instead of dropping the view.
    pub editing_from: Option<String>,
    /// Where the view of a new search being typed went in the history, and the views it
    /// took the place of (those ahead): Esc, which drops the search, puts them back, as a
    /// browser keeps its forward pages when what was typed in its address bar is not gone
    /// to; Enter goes to it and drops them. A user test lost `tp53` to an abandoned search.
    pub forward_before: Option<(usize, Vec<View>)>,
    /// The search view being edited as it was before the edit: its selection and scroll
    /// come back with its query (Esc), or stay with it in the history (Enter). A user test
    /// refined `tp53` to `tp53 apoptosis` and went back to `tp53` at the paper selected in
    /// the narrower list.
    pub view_before_edit: Option<View>,
    /// The pane that had the focus, and whether it was zoomed, when `/` opened the line:
    /// Esc dropping what was typed gives them back (ut24c pressed `/` while reading a
    /// paper, then Esc, and `j` moved the list instead of the text).
    pub pane_before_edit: Option<(Pane, bool)>,
    /// For a search that found nothing, a `word:` of it that is no field and the namespace
    /// of no loaded entity's id (`relation:` in ut24f's `relation:cisplatin`), which a
    /// search reads as an id's namespace and so matched nothing, unexplained.
    pub unknown_prefix: Option<String>,
    /// The last `word:` looked for among the ids' namespaces, with the entity count then
    /// and whether one had it: typing `relation:cis…` looks through the entities once, not
    /// at each key (a scan of every entity, on this thread).
    pub prefix_checked: Option<(String, usize, bool)>,
    /// When the loop first saw the list showing another query's rows than the search's
    /// ([`AppState::awaiting_results`]), told by [`AppState::tick`]; `None` while it shows
    /// the search's own.
    pub awaiting_since: Option<Instant>,
    /// The results have been awaited [`SEARCHING_SIGN_AFTER`] or more: the list's title
    /// says `searching…` ([`AppState::shows_searching`]).
    pub late: bool,
    /// While the library loads: the search's query and when the loop ([`AppState::tick`])
    /// first saw it.
    pub seen_while_loading: Option<(String, Instant)>,
    /// The search was seen less than [`crate::input::HOLD_LIMIT`] ago while the library
    /// loads: keys acting on its rows wait ([`AppState::awaiting_results`]).
    pub held_for_load: bool,
    /// The term a search begun on an entity's papers starts its line with, and the papers
    /// it limits the search to (`NCBIGene:29126 `, `the papers with TP53`), kept for
    /// [`AppState::search_limited_to`].
    pub within_entity: Option<(String, String)>,
    /// A search kept with Enter and asked again read whole ([`Effect::Search`]'s `whole`):
    /// what the list showed as typed, so that its answer can say what reading the last
    /// word whole took away. A user test selected the fifth of `gene:cd27`'s six papers,
    /// pressed Enter, and was left on the second of two with nothing said.
    pub reread_whole: Option<RereadWhole>,
    /// The answer to Enter's reading ([`SearchState::reread_whole`]) took away the paper
    /// that was selected: its generation. Keys acting on the rows that were typed before
    /// the new list could be seen are dropped ([`AppState::drops_unseen_row_key`]) until
    /// the loop says the list has been seen. A user test sent `Down Down Down Enter b` at
    /// once and starred the paper that slid into the selected row, one it never selected.
    pub selected_went: Option<u64>,
    /// The keys [`AppState::drops_unseen_row_key`] dropped, as the keymap names them.
    pub dropped_keys: Vec<String>,
}

/// A query as asked of the worker: its text, and whether read whole (kept, its last word
/// finished) or as typed. The same text read the two ways finds different papers
/// (`gene:cd27` typed also finds CD274's), so the rows of one are not the other's: a user
/// test kept `gene:cd27` (2 papers), typed it again with `Down Down Down Enter b` in one
/// burst, and the Downs moved in the kept list's 2 rows, taken for the typed query's own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AskedQuery {
    pub text: String,
    pub whole: bool,
}

/// What a search showed as typed, before Enter asked it again read whole.
#[derive(Clone, Debug, PartialEq)]
pub struct RereadWhole {
    /// The generation of the query asked whole.
    pub generation: u64,
    /// The rows shown as typed.
    pub rows: usize,
    /// The paper selected as typed.
    pub selected: Option<PaperIdx>,
}

/// Background load progress.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadProgress {
    pub files_total: Option<usize>,
    pub files_done: usize,
    /// Input bytes found, and read and parsed so far: a 240 MB file is one file for most of
    /// its load.
    pub bytes_total: u64,
    pub bytes_done: u64,
    pub done: bool,
}

/// A one-line message in the status bar, cleared by the next action.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub text: String,
    pub is_error: bool,
    /// It is about what the problems list holds (config.toml, the bookmark file): the
    /// status bar keeps the problem count and its keys beside it. Other messages (a copy
    /// that failed) get the room.
    pub about_problems: bool,
    /// Shorter forms of `text`, longest first, each keeping its point (the file written, not
    /// its folder): a narrow status bar shows the longest that fits rather than cut `text`.
    pub shorter: Vec<String>,
}

/// Sizes of the panes as last drawn; paging and scroll limits depend on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewport {
    pub list_rows: usize,
    pub detail_rows: usize,
    /// Wrapped lines of the selected paper's detail.
    pub detail_lines: usize,
    pub overlay_rows: usize,
    /// Lines of the open overlay's text.
    pub overlay_lines: usize,
    /// The overlay `overlay_lines` counts the lines of: until one opened is drawn, keys
    /// typed in the same burst (`p G` in one write over SSH) cannot know its end, so
    /// they scroll unclamped and the drawing clamps.
    pub overlay_drawn: Option<Overlay>,
    /// The entity list's first shown row and how many it shows (kind headings are rows).
    pub entity_offset: usize,
    pub entity_rows: usize,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            list_rows: 10,
            detail_rows: 10,
            detail_lines: 0,
            overlay_rows: 10,
            overlay_lines: 0,
            overlay_drawn: None,
            entity_offset: 0,
            entity_rows: 0,
        }
    }
}

/// How the panes are arranged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Arrangement {
    /// Side by side from [`WIDE_COLUMNS`] on, stacked below.
    #[default]
    Auto,
    /// Always side by side.
    SideBySide,
    /// Always stacked: the list above, detail and entities below.
    Stacked,
}

/// From this terminal width on, `Auto` puts the three panes side by side. Narrower, three
/// columns leave the detail pane too narrow to read in: 41 columns at 120 (two user tests),
/// where stacked it is 74.
pub const WIDE_COLUMNS: u16 = 160;

/// How the screen should look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appearance {
    pub theme: Theme,
    /// True when `NO_COLOR` is set: meaning is then carried by bold, reverse and underline.
    pub no_color: bool,
    pub arrangement: Arrangement,
    /// Width of the paper list when side by side, in percent of the terminal width.
    pub list_width_percent: u16,
    /// Draw paper and entity ids as OSC 8 hyperlinks (`config.hyperlinks`). Off in the
    /// default so test buffers hold plain text; the terminal front end takes the config's.
    pub hyperlinks: bool,
}

impl Default for Appearance {
    fn default() -> Self {
        Appearance {
            theme: Theme::default(),
            no_color: false,
            arrangement: Arrangement::Auto,
            list_width_percent: 40,
            hyperlinks: false,
        }
    }
}

impl Appearance {
    /// The appearance `config.toml` asks for (`NO_COLOR` comes from the environment).
    pub fn from_config(config: &crate::config::Config, no_color: bool) -> Appearance {
        Appearance {
            theme: config.theme,
            no_color,
            arrangement: match config.layout.mode {
                LayoutMode::Auto => Arrangement::Auto,
                LayoutMode::Wide => Arrangement::SideBySide,
                LayoutMode::Narrow => Arrangement::Stacked,
            },
            list_width_percent: config.layout.list_width,
            hyperlinks: config.hyperlinks,
        }
    }
}

/// What the terminal loop must do after an action.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Quit,
    /// Stop until the shell continues the browser (`fg`), the terminal restored meanwhile.
    Suspend,
    /// Send this query to the search worker.
    Search {
        generation: u64,
        query: String,
        /// A kept search (not being typed): read whole, its last word finished, as
        /// `tomes search` reads it ([`crate::search::SearchWorker::search_whole`]).
        whole: bool,
    },
    /// Add or remove a bookmark in the store (then call [`AppState::bookmark_toggled`]).
    ToggleBookmark {
        key: PaperKey,
        title: String,
    },
    /// Bookmark again a paper whose bookmark was removed in this session, unless the store
    /// has it already (then call [`AppState::bookmark_restored`]).
    RestoreBookmark(Bookmark),
    /// These papers are new or changed: give them to the search worker.
    IndexPapers(Vec<PaperIdx>),
    /// Put `text` on the clipboard (then call [`AppState::copied`] with what it did);
    /// `what` names it for the status bar ("DOI").
    Copy {
        what: String,
        text: String,
    },
    /// Open `url` in a browser (then [`AppState::opened`]).
    Open {
        url: String,
    },
    /// Write these papers in `format` to a new file named after `view` (then
    /// [`AppState::exported`]). `skipped` bookmarks are not loaded and cannot be exported.
    Export {
        papers: Vec<PaperIdx>,
        format: ExportFormat,
        view: &'static str,
        skipped: usize,
    },
    /// Search docs the loader built for new papers: hand them to the search worker as is.
    IndexDocs(Vec<crate::search::SearchDoc>),
    /// Load the library again from disk (then [`AppState::replace_library`]).
    Reload,
    /// Have the search worker sort the papers by these keys (then
    /// [`AppState::apply_source_order`] with the order).
    OrderPapers(Arc<Vec<crate::library::OrderKey>>),
    /// Have the search worker make room for this many papers (a load is about to bring them).
    ReserveSearch(usize),
    /// Merge the bookmark store with its file, which other sessions may have changed (then
    /// [`AppState::bookmarks_synced`]).
    SyncBookmarks,
}

/// What a reload changed, for the status bar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReloadSummary {
    pub papers_added: usize,
    pub papers_removed: usize,
    pub files_added: usize,
    pub files_removed: usize,
    /// Papers in both loads whose content differs (title, entities, abstract...).
    pub papers_changed: usize,
}

impl ReloadSummary {
    /// "3 new papers, 2 papers changed, 1 file removed", or "no changes". (Signs read badly:
    /// a user test saw `reloaded: -100 papers`.)
    pub fn describe(&self) -> String {
        let plural = |n: usize, what: &str| {
            if n == 1 {
                format!("1 {what}")
            } else {
                format!("{} {what}s", thousands(n))
            }
        };
        let mut parts = Vec::new();
        if self.papers_added > 0 {
            parts.push(match self.papers_added {
                1 => "1 new paper".to_string(),
                n => format!("{} new papers", thousands(n)),
            });
        }
        if self.papers_removed > 0 {
            parts.push(format!("{} gone", plural(self.papers_removed, "paper")));
        }
        if self.papers_changed > 0 {
            parts.push(format!("{} changed", plural(self.papers_changed, "paper")));
        }
        if self.files_added > 0 {
            parts.push(format!("{} added", plural(self.files_added, "file")));
        }
        if self.files_removed > 0 {
            parts.push(format!("{} removed", plural(self.files_removed, "file")));
        }
        if parts.is_empty() {
            "no changes".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// What a key did a moment ago, said again with the hint for an unbound key: a query typed
/// without `/` runs the keys its letters are bound to, and the hint for the next letter
/// hid the only word of it. In a user test `brca` bookmarked the paper (`b`), listed related
/// papers (`r`), and the hint for `c` hid "bookmarked"; `e` `2` of `E2F1` wrote every paper
/// as RIS, and the hint for `1` hid "wrote".
#[derive(Clone, Debug, PartialEq)]
struct Recent<T> {
    what: T,
    /// Actions since, unbound keys not counted: past [`RECENT_ACTIONS`] it is no longer part
    /// of what was being typed.
    actions_since: usize,
}

impl<T> Recent<T> {
    fn new(what: T) -> Self {
        Recent {
            what,
            actions_since: 0,
        }
    }

    /// One more action happened: forgets `slot` once it is more than [`RECENT_ACTIONS`] old.
    fn age(slot: &mut Option<Recent<T>>) {
        if let Some(recent) = slot {
            recent.actions_since += 1;
            if recent.actions_since > RECENT_ACTIONS {
                *slot = None;
            }
        }
    }
}

/// How many actions after it an unbound key's hint still names what a key did.
const RECENT_ACTIONS: usize = 3;

/// A bookmark added or removed (see [`Recent`]).
#[derive(Clone, Debug, PartialEq)]
struct BookmarkChange {
    key: PaperKey,
    added: bool,
    /// Added back by undoing its removal ([`Action::UndoBookmarkRemoval`]), not by the
    /// bookmark key.
    restored: bool,
}

/// How many papers' records [`AppState::finish_pending_work`] places the load problems in
/// per turn of the loop (about 5-9 ms at 100k papers' worth of records a turn).
const PLACE_PAPERS_PER_TURN: usize = 50_000;

/// Where a record starts in its file, `(line, byte)`, and its paper.
type RecordStart = (usize, u64, PaperIdx);

/// The load problems at a line of a file, being placed in the papers whose records hold
/// them ([`AppState::paper_problems`]), a share of the papers at a time.
#[derive(Debug)]
struct ProblemPlacing {
    /// The files with problems at a line, by path.
    by_path: std::collections::HashMap<std::path::PathBuf, usize>,
    files: Vec<ProblemFile>,
    /// The first paper whose records are not placed yet.
    next_paper: usize,
}

/// A file's problems at a line, `(line, byte)` and index, sorted; and per problem the latest
/// record start at or before it seen so far, bucketed by the first problem at or after the
/// start (no sort of every record).
#[derive(Debug)]
struct ProblemFile {
    problems: Vec<((usize, u64), u32)>,
    latest: Vec<Option<RecordStart>>,
}

impl ProblemPlacing {
    /// `None` when no problem is at a line of a file.
    fn of(problems: &[Problem]) -> Option<ProblemPlacing> {
        let mut by_path = std::collections::HashMap::new();
        let mut files: Vec<ProblemFile> = Vec::new();
        for (i, p) in problems.iter().enumerate() {
            let (Some(line), None) = (p.line, p.skipped) else {
                continue;
            };
            let f = *by_path.entry(p.path.clone()).or_insert_with(|| {
                files.push(ProblemFile {
                    problems: Vec::new(),
                    latest: Vec::new(),
                });
                files.len() - 1
            });
            files[f]
                .problems
                .push(((line, p.byte.unwrap_or(0)), i as u32));
        }
        if files.is_empty() {
            return None;
        }
        for f in &mut files {
            f.problems.sort_unstable();
            f.latest = vec![None; f.problems.len()];
        }
        Some(ProblemPlacing {
            by_path,
            files,
            next_paper: 0,
        })
    }
}

/// Everything the screen shows.
#[derive(Debug)]
pub struct AppState {
    pub library: Library,
    pub problems: Vec<Problem>,
    /// Per paper, its own load problems: indices into `problems` of those placed inside one
    /// of its records ([`AppState::paper_problems`]). Worked out once a load ends or the
    /// library is reloaded, when the problems are all in and sorted.
    problems_of_papers: std::collections::HashMap<PaperIdx, Vec<u32>>,
    /// [`AppState::problems_of_papers`] being worked out, a share of the papers per turn
    /// ([`AppState::finish_pending_work`]).
    problems_placing: Option<ProblemPlacing>,
    /// Config and keymap problems, shown with the load problems.
    pub config_problems: Vec<String>,
    /// Problems found at start-up outside the library (a corrupt bookmark file); a library
    /// reload replaces `problems` but keeps these.
    pub startup_problems: Vec<Problem>,
    /// The bookmarks, in the order they were added ([`AppState::bookmarks`]); set only with
    /// `bookmark_table`, which must follow it ([`AppState::set_bookmarks`]).
    bookmarks: Vec<Bookmark>,
    /// Which bookmark is each loaded paper's, for the star, the note and `b`: kept up to
    /// date with the bookmarks and the library, so drawing only looks up.
    bookmark_table: crate::bookmarks::BookmarkTable,
    /// Bookmarks removed in this session, the latest last: `undo_bookmark_removal` takes them
    /// back one by one (skipping those bookmarked again, which stay listed).
    pub removed_bookmarks: Vec<Bookmark>,
    /// The bookmark change made a few actions ago, said again with the hint for an unbound
    /// key (see [`Recent`]).
    recent_bookmark_change: Option<Recent<BookmarkChange>>,
    /// A file written or a copy made a few actions ago ("e wrote tomes-all-….ris (4,530
    /// papers)"; see [`Recent`]).
    recent_deed: Option<Recent<String>>,
    /// The paper `b` bookmarked last in this session: `u` (which undoes removals) after an
    /// accidental `b` says how to take that back instead.
    last_bookmark_added: Option<PaperKey>,
    pub keymap: Keymap,
    pub appearance: Appearance,
    pub focus: Pane,
    pub zoomed: bool,
    pub overlay: Option<Overlay>,
    pub overlay_scroll: usize,
    pub search: SearchState,
    pub history: Vec<View>,
    pub history_pos: usize,
    pub load: LoadProgress,
    pub message: Option<Message>,
    /// Where exports are written: the folder tomes was started in (the export menu says
    /// which, an hour of browsing later).
    pub export_dir: std::path::PathBuf,
    pub viewport: Viewport,
    /// The entity under the cursor and its most co-mentioned entities, worked out once per
    /// change of entity or library (it walks every paper of the entity: too much per frame).
    pub co_mentioned: Option<(EntityIdx, Vec<(EntityIdx, u32)>)>,
    /// How many entities share a paper with the entity of `co_mentioned`, those listed
    /// among them (the pane says how many more a cut list leaves out).
    pub co_mentioned_total: usize,
    /// How many papers the entity of `co_mentioned` had when they were counted.
    co_mentioned_over: usize,
    /// Co-mentions already worked out, with the entity's paper count then, so moving back
    /// and forth between papers does not walk a common entity's papers again; cleared when
    /// the library changes, passed over while it loads when the entity has more papers now.
    /// With each, how many entities share its papers in all.
    co_mentioned_cache: std::collections::HashMap<EntityIdx, (usize, CoMentioned, usize)>,
    /// The selected entity whose co-mentions are still to be counted (see
    /// [`AppState::finish_pending_work`]).
    co_mentioned_pending: Option<EntityIdx>,
    /// The URL of the [`Overlay::Url`] popup, and whether it reached the clipboard.
    pub shown_url: Option<ShownUrl>,
    /// The abstract of the paper on screen when the library keeps only its place in a file:
    /// the loop has it read ([`AppState::abstract_to_read`], `abstracts::AbstractReads`)
    /// and hands it over ([`AppState::abstract_read`]); kept until another paper's is read.
    shown_abstract: Option<(FilePlace, Result<String, String>)>,
    /// The library's papers in source order, once the search worker has sorted them after a
    /// load ([`AppState::apply_source_order`]): lists follow it. Until then (while loading)
    /// they follow paper numbers, which are the order papers arrived in.
    source_order: Option<Arc<SourceOrder>>,
    /// The worker was asked for the source order ([`Effect::OrderPapers`]) and it has not
    /// come: lists, search results too, are not in their last order yet.
    order_pending: bool,
}

/// Co-mention results kept at most; enough for a session of browsing, small in memory.
const CO_MENTIONED_CACHE: usize = 256;

/// An entity's most co-mentioned entities, with the papers each shares with it.
type CoMentioned = Vec<(EntityIdx, u32)>;

/// Co-mentions of an entity in more papers than this are counted when no key waits, not
/// on the way to a key's answer (at 100k papers `human` took over 10 ms).
pub const CO_MENTIONED_AT_ONCE: usize = 2000;

impl AppState {
    /// A state showing every paper of `library`.
    pub fn new(library: Library, keymap: Keymap) -> AppState {
        let rows = (0..library.len() as PaperIdx).map(Row::Paper).collect();
        let mut state = AppState {
            library,
            problems: Vec::new(),
            problems_of_papers: std::collections::HashMap::new(),
            problems_placing: None,
            config_problems: Vec::new(),
            startup_problems: Vec::new(),
            bookmarks: Vec::new(),
            bookmark_table: crate::bookmarks::BookmarkTable::default(),
            removed_bookmarks: Vec::new(),
            recent_bookmark_change: None,
            recent_deed: None,
            last_bookmark_added: None,
            keymap,
            appearance: Appearance::default(),
            focus: Pane::Papers,
            zoomed: false,
            overlay: None,
            overlay_scroll: 0,
            search: SearchState::default(),
            history: vec![View::new(ViewKind::All, rows)],
            history_pos: 0,
            load: LoadProgress {
                files_total: Some(0),
                files_done: 0,
                bytes_total: 0,
                bytes_done: 0,
                done: true,
            },
            message: None,
            export_dir: std::path::PathBuf::from("."),
            viewport: Viewport::default(),
            co_mentioned: None,
            co_mentioned_total: 0,
            co_mentioned_over: 0,
            co_mentioned_cache: std::collections::HashMap::new(),
            co_mentioned_pending: None,
            shown_url: None,
            shown_abstract: None,
            source_order: None,
            order_pending: false,
        };
        state.refresh_derived(true);
        state
    }

    /// A state that will be filled by a background load.
    pub fn loading(keymap: Keymap) -> AppState {
        let mut state = AppState::new(Library::new(), keymap);
        state.load = LoadProgress::default();
        state
    }

    pub fn view(&self) -> &View {
        &self.history[self.history_pos]
    }

    fn view_mut(&mut self) -> &mut View {
        &mut self.history[self.history_pos]
    }

    /// The selected paper, when the selected row is a loaded paper.
    pub fn selected_paper(&self) -> Option<PaperIdx> {
        match self.view().selected_row()? {
            Row::Paper(p) => Some(p),
            Row::MissingBookmark(_) => None,
        }
    }

    /// The bookmarks, in the order they were added.
    pub fn bookmarks(&self) -> &[Bookmark] {
        &self.bookmarks
    }

    /// Puts `list` in place of the bookmarks (as the store has them now); returns the
    /// bookmarks before. Which paper each is of is worked out again here, once.
    pub fn set_bookmarks(&mut self, list: Vec<Bookmark>) -> Vec<Bookmark> {
        let before = std::mem::replace(&mut self.bookmarks, list);
        self.bookmark_table = crate::bookmarks::BookmarkTable::new(&self.bookmarks, &self.library);
        before
    }

    /// Whether the paper `key` names is bookmarked, under any of its ids
    /// ([`crate::bookmarks::BookmarkTable`]).
    pub fn is_bookmarked(&self, key: &PaperKey) -> bool {
        self.bookmark_of(key).is_some()
    }

    /// The bookmark of the paper `key` names, made under any of its ids; of a key no
    /// loaded paper has, the bookmark of that key.
    pub fn bookmark_of(&self, key: &PaperKey) -> Option<&Bookmark> {
        match self.library.find(key.as_str()) {
            Some(paper) => self.paper_bookmark(paper),
            None => self.bookmarks.iter().find(|b| &b.key == key),
        }
    }

    /// The bookmark of the loaded paper `paper`, if it has one: a look-up, for every drawn
    /// row.
    pub fn paper_bookmark(&self, paper: PaperIdx) -> Option<&Bookmark> {
        self.bookmark_table
            .of_paper(paper)
            .and_then(|i| self.bookmarks.get(i))
    }

    /// Whether a row of the current list is a bookmark still, in the bookmarks list: one
    /// removed there keeps its row, dimmed, until the list is left (`b` brings it back).
    /// Every row of any other list is.
    pub fn row_still_bookmarked(&self, row: &Row) -> bool {
        match *row {
            Row::Paper(p) if self.view().kind == ViewKind::Bookmarks => {
                self.paper_bookmark(p).is_some()
            }
            _ => true,
        }
    }

    /// The selected paper's entities, grouped by kind (in [`EntityKind::ALL`] order), most
    /// mentioned first within a kind.
    pub fn paper_entities(&self, paper: PaperIdx) -> Vec<EntityIdx> {
        let index = self.library.index();
        let mut entities = index.entities_of(paper).to_vec();
        let kind_rank = |k: EntityKind| EntityKind::ALL.iter().position(|&x| x == k);
        entities.sort_by(|&a, &b| {
            let (ea, eb) = (index.entity(a), index.entity(b));
            kind_rank(ea.kind)
                .cmp(&kind_rank(eb.kind))
                .then(index.papers_with(b).len().cmp(&index.papers_with(a).len()))
                .then(ea.name.cmp(&eb.name))
        });
        entities
    }

    /// In a related view, the entities `paper` shares with the paper the view is about, the
    /// ones that tie them most first (as ranked); `None` in other views.
    pub fn related_shares(&self, paper: PaperIdx) -> Option<Vec<EntityIdx>> {
        match self.view().kind {
            ViewKind::Related(about) => Some(self.library.index().shared_entities(about, paper)),
            _ => None,
        }
    }

    /// The entity (as an entity cursor) on row `row` of the entity list, where each kind
    /// starts with a heading row, as drawn; `None` on a heading or past the end.
    pub fn entity_at_row(&self, row: usize) -> Option<usize> {
        let paper = self.selected_paper()?;
        let index = self.library.index();
        let mut current = 0;
        let mut last_kind = None;
        for (i, e) in self.paper_entities(paper).into_iter().enumerate() {
            let kind = index.entity(e).kind;
            if last_kind != Some(kind) {
                if current == row {
                    return None;
                }
                current += 1;
                last_kind = Some(kind);
            }
            if current == row {
                return Some(i);
            }
            current += 1;
        }
        None
    }

    /// The entity under the cursor in the entity pane.
    pub fn selected_entity(&self) -> Option<EntityIdx> {
        let paper = self.selected_paper()?;
        self.paper_entities(paper)
            .get(self.view().entity_cursor)
            .copied()
    }

    /// Brings derived data up to date with the selection; `library_changed` forces it.
    /// The selected entity's co-mentions are worked out once per entity (and cached), never
    /// per frame: a common entity (`human`) can have most of the library's papers, so for
    /// one in more than [`CO_MENTIONED_AT_ONCE`] papers the count is put off until no key is
    /// waiting ([`AppState::finish_pending_work`]).
    ///
    /// While the library loads, an entity in at most [`CO_MENTIONED_AT_ONCE`] papers is
    /// counted again (when no key waits) when papers of it arrived: its co-mentions (`with seizures (3)`) read
    /// beside its paper count in the entity list (`epileptic 40`), and stayed as first
    /// counted (a user test read `with c.73G>A (1)` beside counts that had grown). A more
    /// common one is counted again once the load ends: per batch it cost more than loading.
    pub fn refresh_derived(&mut self, library_changed: bool) {
        if library_changed {
            self.co_mentioned_cache.clear();
        }
        let index = self.library.index();
        let papers_now = |e: EntityIdx| index.papers_with(e).len();
        let entity = self.selected_entity();
        let current = self
            .co_mentioned
            .as_ref()
            .map(|(e, _)| *e)
            .or(self.co_mentioned_pending);
        let grown = self.co_mentioned.as_ref().is_some_and(|&(e, _)| {
            let now = papers_now(e);
            now != self.co_mentioned_over && now <= CO_MENTIONED_AT_ONCE
        });
        if entity == current && !library_changed {
            if grown {
                // Counted again once per loop turn, when no key waits: per batch of papers
                // it made a load of 100k papers a tenth slower. The last count shows
                // meanwhile.
                self.co_mentioned_pending = entity;
            }
            return;
        }
        self.co_mentioned = None;
        self.co_mentioned_pending = None;
        let Some(e) = entity else { return };
        let now = papers_now(e);
        match self.co_mentioned_cache.get(&e) {
            Some((over, co, total)) if *over == now || now > CO_MENTIONED_AT_ONCE => {
                self.co_mentioned_over = *over;
                self.co_mentioned_total = *total;
                self.co_mentioned = Some((e, co.clone()));
            }
            _ if now > CO_MENTIONED_AT_ONCE => self.co_mentioned_pending = Some(e),
            _ => self.count_co_mentions(e),
        }
    }

    fn count_co_mentions(&mut self, e: EntityIdx) {
        let index = self.library.index();
        let (co, total) = index.co_mentioned_counted(e, CO_MENTIONED_LIMIT);
        let over = index.papers_with(e).len();
        if self.co_mentioned_cache.len() >= CO_MENTIONED_CACHE {
            self.co_mentioned_cache.clear();
        }
        self.co_mentioned_cache.insert(e, (over, co.clone(), total));
        self.co_mentioned_over = over;
        self.co_mentioned_total = total;
        self.co_mentioned = Some((e, co));
    }

    /// Whether the list shows another query's rows than the search being typed or kept: a
    /// query was sent and its answer has not come, so a key acting on the rows would act on
    /// the old list (a user test sent `/ gene:brca1 Enter b` in one write and bookmarked a
    /// paper of the search before). A query answered again (more papers loaded, gone back
    /// to) keeps its rows meanwhile: those are its own.
    ///
    /// While the library loads, a search's rows are not its last either: more papers come.
    /// Keys typed ahead at start-up (`/tp53` Enter `b` sent with the command) bookmarked a
    /// paper of the 2,000 loaded of 4,529, or found no paper at all. For
    /// [`HOLD_LIMIT`](crate::input::HOLD_LIMIT) after the loop first saw a search's query
    /// during the load, its keys wait for the load to end; later keys (browsing a list
    /// while a million papers load) act at once.
    ///
    /// Keys that reach an empty list while the first papers load (`j j j` sent with the
    /// command, a user test) wait for it to have rows.
    pub fn awaiting_results(&self) -> bool {
        self.rows_of_another_query()
            || (self.search.held_for_load && matches!(self.view().kind, ViewKind::Search { .. }))
            || (!self.load.done && self.view().rows.is_empty())
    }

    /// The list shows another query's rows than the search's: its query was sent and not
    /// answered yet.
    fn rows_of_another_query(&self) -> bool {
        // A search kept with Enter and asked again whole shows its rows as typed until its
        // answer: a user test's `b` typed after Enter starred a paper the answer took away.
        let rereading = self
            .search
            .reread_whole
            .as_ref()
            .is_some_and(|r| r.generation == self.search.generation);
        matches!(self.view().kind, ViewKind::Search { .. })
            && self.search.answered != self.search.generation
            && (rereading || self.search.shown.as_ref() != Some(&self.search.sent))
    }

    /// The loop tells the time (no clock is read here, so tests pass any `now`): how long
    /// the list has shown another query's rows decides whether its title says `searching…`.
    /// The wait counts from the first tick that saw it, and only ends when the search's
    /// own rows are shown, so typing on while results are late keeps the sign steady
    /// rather than flickering at each key. True when the screen changed.
    pub fn tick(&mut self, now: Instant) -> bool {
        let before = self.shows_searching();
        // Loaded, a search's rows still change twice: asked again on the whole library, and
        // again once the papers are in source order (rows that score the same move).
        let settling = !self.load.done || self.order_pending;
        let answered = self.search.answered == self.search.generation;
        if !matches!(self.view().kind, ViewKind::Search { .. }) || (!settling && answered) {
            self.search.seen_while_loading = None;
        } else if settling {
            let query = &self.search.sent.text;
            if self
                .search
                .seen_while_loading
                .as_ref()
                .is_none_or(|(seen, _)| seen != query)
            {
                self.search.seen_while_loading = Some((query.clone(), now));
            }
        }
        self.search.held_for_load = self
            .search
            .seen_while_loading
            .as_ref()
            .is_some_and(|(_, since)| now < *since + crate::input::HOLD_LIMIT);
        if self.rows_of_another_query() {
            let since = *self.search.awaiting_since.get_or_insert(now);
            self.search.late = now.saturating_duration_since(since) >= SEARCHING_SIGN_AFTER;
        } else {
            self.search.awaiting_since = None;
            self.search.late = false;
        }
        before != self.shows_searching()
    }

    /// When the loop must [`tick`](AppState::tick) next for the `searching…` sign to show in
    /// time, even with no key or answer to wake it; `None` when no sign is due.
    pub fn next_tick(&self) -> Option<Instant> {
        let sign = match self.search.awaiting_since {
            Some(since) if !self.search.late && self.rows_of_another_query() => {
                Some(since + SEARCHING_SIGN_AFTER)
            }
            _ => None,
        };
        // Keys held for the load go when the hold ends, loaded or not.
        let hold_ends = match &self.search.seen_while_loading {
            Some((_, since)) if self.search.held_for_load => {
                Some(*since + crate::input::HOLD_LIMIT)
            }
            _ => None,
        };
        sign.into_iter().chain(hold_ends).min()
    }

    /// Whether the list says its rows are not yet the search's: results are late by
    /// [`SEARCHING_SIGN_AFTER`] (as the last [`tick`](AppState::tick) found) and still
    /// have not come.
    pub fn shows_searching(&self) -> bool {
        self.search.late && self.rows_of_another_query()
    }

    /// Whether `action` must wait for the search's results before it runs: it acts on the
    /// list's rows ([`Action::acts_on_rows`]) and they are not yet the search's. Keys that
    /// edit the query, and Esc while editing, go on at once. The loop holds such keys, and
    /// every key after them, in order ([`crate::input::HeldInput`]).
    pub fn waits_for_results(&self, action: &Action) -> bool {
        action.acts_on_rows() && self.awaiting_results()
    }

    /// Keys held for search results that did not come in time were applied to the list
    /// shown: the status says so, before what they did.
    pub fn acted_before_results(&mut self) {
        // Past tense: the message stays after the results come.
        const LATE: &str = "results were late: keys acted on the list shown before them";
        match self.message.take() {
            Some(done) => {
                // Every form says so: a second user test saw only "bookmarked (b undoes): …"
                // at 80 columns, which fitted where the forms saying it did not.
                let mut shorter = vec![format!("results late · {}", done.text)];
                shorter.extend(done.shorter.iter().map(|s| format!("results late · {s}")));
                self.message = Some(Message {
                    text: format!("{LATE} · {}", done.text),
                    shorter,
                    ..done
                });
            }
            None => self.say(LATE, true),
        }
    }

    /// Whether some derived data waits for [`AppState::finish_pending_work`].
    pub fn has_pending_work(&self) -> bool {
        self.co_mentioned_pending.is_some() || self.problems_placing.is_some()
    }

    /// Works out what was put off so a key's answer would not wait for it (the co-mentions
    /// of a common entity), and the next share of the papers' own problems. The loop calls
    /// this when no key is waiting; true when the screen changed.
    pub fn finish_pending_work(&mut self) -> bool {
        let co_mentions = match self.co_mentioned_pending.take() {
            Some(e) => {
                self.count_co_mentions(e);
                true
            }
            None => false,
        };
        self.continue_placing_problems() || co_mentions
    }

    /// The indices of the loaded bookmarked papers, for `is:bookmarked` in the search worker.
    pub fn bookmarked_papers(&self) -> std::collections::HashSet<PaperIdx> {
        self.bookmark_table.papers().collect()
    }

    /// The note to show with the loaded paper `paper`'s bookmark: its bookmark's, or the
    /// notes of its bookmarks under two of its ids, one after the other.
    pub fn paper_note(&self, paper: PaperIdx) -> Option<&str> {
        let bookmark = self.paper_bookmark(paper)?;
        Some(
            self.bookmark_table
                .joined_note(paper)
                .unwrap_or(&bookmark.note),
        )
    }

    /// The current query again when papers arrived since it was sent (the loop calls this at
    /// most every so often while loading, so a long load does not restart the search per file).
    pub fn take_search_rerun(&mut self) -> Option<Effect> {
        if !std::mem::take(&mut self.search.rerun_due) {
            return None;
        }
        match &self.view().kind {
            ViewKind::Search { query } => {
                let query = query.clone();
                Some(self.send_query(query))
            }
            _ => None,
        }
    }

    /// Where the selected paper's abstract is, when it is still to be read from its file.
    pub fn abstract_to_read(&self) -> Option<FilePlace> {
        let paper = self.library.paper(self.selected_paper()?);
        match &paper.abstract_text {
            Some(AbstractText::InFile(place))
                if self.shown_abstract.as_ref().is_none_or(|(p, _)| p != place) =>
            {
                Some(place.clone())
            }
            _ => None,
        }
    }

    /// The loop read the abstract at `place` (or says why it could not).
    pub fn abstract_read(&mut self, place: FilePlace, text: Result<String, String>) {
        self.shown_abstract = Some((place, text));
    }

    /// `paper`'s abstract as far as the state knows it: the text, or why it cannot be shown
    /// (not read yet, or its file changed since it was loaded).
    pub fn abstract_of<'a>(&'a self, paper: &'a Paper) -> Option<Result<&'a str, &'a str>> {
        match paper.abstract_text.as_ref()? {
            AbstractText::Held(text) => Some(Ok(text)),
            AbstractText::InFile(place) => Some(match &self.shown_abstract {
                Some((read, text)) if read == place => text.as_deref().map_err(String::as_str),
                _ => Err("reading…"),
            }),
        }
    }

    /// The papers an export of `scope` writes, in order, and how many bookmarks it leaves
    /// out because their papers are not loaded (the bookmarks list shows them all). The
    /// export menu counts these, not the bookmarks: an export writes only loaded papers.
    pub fn export_papers(&self, scope: ExportScope) -> (Vec<PaperIdx>, usize) {
        let found: Vec<Option<PaperIdx>> = match scope {
            // A bookmark removed in the bookmarks list, its row kept, is not exported.
            ExportScope::CurrentList => self
                .view()
                .rows
                .iter()
                .filter(|row| self.row_still_bookmarked(row))
                .map(|row| match *row {
                    Row::Paper(p) => Some(p),
                    Row::MissingBookmark(_) => None,
                })
                .collect(),
            ExportScope::Bookmarks => (0..self.bookmarks.len())
                .map(|i| self.bookmark_table.paper_of(i))
                .collect(),
        };
        let not_loaded = found.iter().filter(|p| p.is_none()).count();
        // Two bookmarks of one paper (by its PMID and by its DOI) export it once.
        let mut seen = std::collections::HashSet::new();
        let papers = found.into_iter().flatten().filter(|&p| seen.insert(p));
        (papers.collect(), not_loaded)
    }

    /// What the copy menu offers for the selected paper, in menu order.
    pub fn copy_choices(&self) -> Vec<CopyChoice> {
        if let Some(Row::MissingBookmark(b)) = self.view().selected_row() {
            return self
                .bookmarks
                .get(b)
                .map(|b| bookmark_copy_choices(&b.key))
                .unwrap_or_default();
        }
        let Some(p) = self.selected_paper() else {
            return Vec::new();
        };
        let paper = self.library.paper(p);
        let id = |s: &Option<String>| s.as_ref().filter(|s| !s.trim().is_empty()).cloned();
        vec![
            CopyChoice {
                label: "key",
                text: Some(paper.key.to_string()),
            },
            CopyChoice {
                label: "PMID",
                text: id(&paper.ids.pmid),
            },
            CopyChoice {
                label: "DOI",
                text: id(&paper.ids.doi),
            },
            CopyChoice {
                label: "URL",
                text: crate::links::best_url(paper),
            },
            CopyChoice {
                label: "citation",
                text: Some(crate::links::citation(paper)),
            },
            CopyChoice {
                label: "BibTeX",
                text: Some(crate::export::export_with_abstracts(
                    &[paper],
                    &[self
                        .abstract_of(paper)
                        .and_then(Result::ok)
                        .map(Cow::Borrowed)],
                    ExportFormat::Bibtex,
                    crate::export::KeyScope::Library(self.library.papers()),
                )),
            },
        ]
    }

    /// The clipboard took (or refused) what a [`Effect::Copy`] asked: `report` is what the
    /// copy did ("copied via OSC 52"). When it may not have reached the clipboard (inside
    /// tmux, which did not take it), the message says so and where `what` can be seen or
    /// had instead.
    pub fn copied(&mut self, what: &str, report: &CopyReport) {
        if report.failed() {
            self.say(format!("{what}: {}", report.status()), true);
        } else if report.doubtful() {
            // Where to find it first: a narrow status bar keeps the start.
            let text = match self.where_else(what) {
                Some(elsewhere) => {
                    format!("{what} may not be copied: {elsewhere} (tmux did not take it)")
                }
                None => format!("{what} {}", report.status()),
            };
            self.say(text, true);
        } else {
            // At 80 columns a long entity name pushed "copied" off the bar (ut24a).
            let mut shorter = vec![format!("{what} copied")];
            if let Some((_, id)) = what.split_once(" id ") {
                shorter.push(format!("id {id} copied"));
            }
            self.say_or_shorter(format!("{what} {}", report.status()), shorter, false);
            self.remember_deed(&Action::Copy, format!("copied {what}"));
        }
    }

    /// Keeps `text`, done by `action`'s key, for the next unbound key's hint.
    fn remember_deed(&mut self, action: &Action, text: String) {
        let text = match self.keymap.first_key(action) {
            Some(key) => format!("{key} {text}"),
            None => text,
        };
        self.recent_deed = Some(Recent::new(text));
    }

    /// Where the user can see or get `what` (a copy menu label, or an entity's id) when
    /// the clipboard may not have it.
    fn where_else(&self, what: &str) -> Option<String> {
        let key = |action: &Action| self.keymap.first_key(action);
        match what {
            "key" | "PMID" | "DOI" => Some("the detail pane shows it".to_owned()),
            "URL" => key(&Action::Open).map(|k| format!("{k} opens or shows it")),
            "BibTeX" => key(&Action::Export).map(|k| format!("{k} exports it to a file")),
            _ if what.contains(" id ") => Some("the entity pane shows it".to_owned()),
            _ => None,
        }
    }

    /// An [`Effect::Open`] was carried out. When no browser could be started the URL is shown
    /// in a popup (the loop has tried to copy it: `report`). The popup says why; the status
    /// bar where the URL went, as a warning when it may be on no clipboard.
    pub fn opened(&mut self, status: &str, shown_instead: Option<(String, &CopyReport)>) {
        let Some((url, report)) = shown_instead else {
            self.say(status, false);
            return;
        };
        self.show_url(url, report, None);
    }

    /// An [`Effect::Open`] was carried out and the browsers tried failed (`why`: `false
    /// exited with status 1`): the URL is shown, as by [`AppState::opened`]. The popup says
    /// what happened; the status bar says what failed and why first, then what became of the
    /// URL, in shorter words where the room is short. A user test read `URL copied via OSC
    /// 52 and tmux · the browser failed…` at 80 columns, what failed cut off; an earlier one
    /// lost "copied" behind a long reason, which the shorter forms keep when they can.
    pub fn open_failed(&mut self, why: &str, url: String, report: &CopyReport) {
        self.show_url(url, report, Some(why.to_owned()));
    }

    fn show_url(&mut self, url: String, report: &CopyReport, browser_failure: Option<String>) {
        let copy = report.outcome();
        // What became of the URL, and in fewer words.
        let (copied, copied_short) = match copy {
            CopyOutcome::Copied => (format!("URL {}", report.status()), "URL copied"),
            // Short, to fit beside the counts at 80 columns: the popup says where it is.
            CopyOutcome::Doubtful => (
                "URL may not be copied (tmux did not take it)".to_owned(),
                "URL may not be copied",
            ),
            CopyOutcome::Failed => (format!("URL {}", report.status()), "URL not copied"),
        };
        let said = browser_failure.as_ref().map(|why| {
            (
                format!("no browser opened it: {why} · {copied}"),
                vec![
                    format!("no browser opened it: {why} · {copied_short}"),
                    format!("{why} · {copied_short}"),
                ],
            )
        });
        let is_error = browser_failure.is_some() || copy != CopyOutcome::Copied;
        self.shown_url = Some(ShownUrl {
            url,
            copy,
            browser_failure,
        });
        self.overlay = Some(Overlay::Url);
        match said {
            Some((text, shorter)) => self.say_or_shorter(text, shorter, is_error),
            None => self.say(copied, is_error),
        }
    }

    /// An [`Effect::Export`] was carried out: the file written, or why not.
    pub fn exported(
        &mut self,
        result: Result<(std::path::PathBuf, usize), String>,
        skipped: usize,
        abstracts_left_out: usize,
    ) {
        match result {
            Ok((path, n)) => {
                // The file's name first, then its folder: a user test at 60 columns read
                // `wrote…`, the path cut before the name. Narrower, the folder goes, then
                // the count (what went wrong stays).
                let plural = if n == 1 { "" } else { "s" };
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |name| name.to_string_lossy().into_owned(),
                );
                let folder = path
                    .parent()
                    .map(|f| f.display().to_string())
                    .filter(|f| !f.is_empty() && f != ".")
                    .map_or_else(String::new, |f| format!(" in {f}"));
                let papers = format!("{} paper{plural}", thousands(n));
                let mut text = format!("wrote {name}{folder} ({papers})");
                let mut short = format!("wrote {name} ({papers}");
                let mut shortest = format!("wrote {name}");
                if skipped > 0 {
                    let skipped = thousands(skipped);
                    text.push_str(&format!(
                        " ({skipped} bookmark{} not loaded, skipped)",
                        if skipped == "1" { "" } else { "s" }
                    ));
                    short.push_str(&format!(", {skipped} skipped"));
                }
                short.push(')');
                if abstracts_left_out > 0 {
                    // Their files changed since loading: a reload reads them again.
                    let plural = if abstracts_left_out == 1 { "" } else { "s" };
                    let left_out = format!(
                        "{} abstract{plural} left out",
                        thousands(abstracts_left_out)
                    );
                    text.push_str(&format!(" ({left_out}: their files changed since loading)"));
                    short.push_str(&format!(" ({left_out})"));
                    shortest.push_str(&format!(" ({left_out})"));
                }
                // Where it went outranks how many: ut24f read `wrote tomes-bookmarks-….bib
                // (2 papers)` at 80 columns and had to recall the menu's folder.
                let mut shorter = Vec::new();
                if !folder.is_empty() && skipped == 0 && abstracts_left_out == 0 {
                    shorter.push(format!("wrote {name}{folder}"));
                }
                shorter.extend([short, shortest]);
                self.say_or_shorter(text, shorter, abstracts_left_out > 0);
                // The file's name: the folder (in the export menu) would push the hint for
                // the key typed next off an 80-column status bar.
                let deed = format!("wrote {name} ({papers})");
                self.remember_deed(&Action::Export, deed);
            }
            // The folder it was to be written in named: a user test read only `export
            // failed: Permission denied (os error 13)`.
            Err(e) => {
                let dir = self.export_dir.display().to_string();
                self.say_or_shorter(
                    format!("export failed: cannot write in {dir}: {e}"),
                    vec![format!("export failed: {dir}: {e}")],
                    true,
                )
            }
        }
    }

    /// Puts a freshly loaded library in place of the current one. Every view keeps its
    /// papers, selection and history, found again by paper (and entity) key; papers that are
    /// gone drop out of their lists. Returns what changed and the effects to pass on (index
    /// every paper in a fresh search worker; re-run the current query).
    pub fn replace_library(
        &mut self,
        library: Library,
        problems: Vec<Problem>,
    ) -> (ReloadSummary, Vec<Effect>) {
        let old = std::mem::replace(&mut self.library, library);
        self.bookmark_table = crate::bookmarks::BookmarkTable::new(&self.bookmarks, &self.library);
        // Read again from the reloaded files: a file back as it was (same size and time,
        // so the same places) may be readable now where it was not.
        self.shown_abstract = None;
        let summary = reload_summary(&old, &self.library);
        let paper_map: Vec<Option<PaperIdx>> = old
            .papers()
            .iter()
            .map(|p| self.library.find(p.key.as_str()))
            .collect();
        let new_paper = |p: PaperIdx| paper_map.get(p as usize).copied().flatten();
        let new_entity = |e: EntityIdx| {
            let key = &old.index().entity(e).key;
            self.library.index().by_key(key)
        };
        let mut history = Vec::with_capacity(self.history.len());
        let mut history_pos = self.history_pos;
        for (i, view) in std::mem::take(&mut self.history).into_iter().enumerate() {
            let selected_key = match view.selected_row() {
                Some(Row::Paper(p)) => new_paper(p),
                _ => None,
            };
            let rows: Vec<Row> = view
                .rows
                .iter()
                .filter_map(|r| match *r {
                    Row::Paper(p) => new_paper(p).map(Row::Paper),
                    Row::MissingBookmark(b) => Some(Row::MissingBookmark(b)),
                })
                .collect();
            let kind = match view.kind.clone() {
                ViewKind::Entity(e) => new_entity(e).map(ViewKind::Entity),
                ViewKind::Related(p) => new_paper(p).map(ViewKind::Related),
                other => Some(other),
            };
            let Some(kind) = kind else {
                // The entity or paper this view was about is gone: the view goes too.
                if i < self.history_pos {
                    history_pos -= 1;
                } else if i == self.history_pos {
                    history_pos = history_pos.saturating_sub(1);
                }
                continue;
            };
            let jumped_from = view.jumped_from.and_then(new_paper);
            let mut remapped = View {
                kind,
                rows,
                jumped_from,
                ..view
            };
            match selected_key.and_then(|p| remapped.rows.iter().position(|&r| r == Row::Paper(p)))
            {
                Some(pos) => remapped.selected = pos,
                None => {
                    remapped.selected =
                        remapped.selected.min(remapped.rows.len().saturating_sub(1));
                    remapped.reset_detail();
                    remapped.entity_cursor = 0;
                }
            }
            history.push(remapped);
        }
        if history.is_empty() {
            history.push(View::new(ViewKind::All, Vec::new()));
        }
        self.history = history;
        self.history_pos = history_pos.min(self.history.len() - 1);
        self.problems = problems;
        self.place_problems_in_papers();
        // Lists other than search results are worked out again from the new library (new
        // papers join them); `set_rows` keeps the selected paper.
        // A reloaded library is numbered in source order; its order comes all the same, for
        // the worker to scan in.
        self.source_order = None;
        self.order_pending = true;
        let mut effects = vec![
            Effect::IndexPapers((0..self.library.len() as PaperIdx).collect()),
            Effect::OrderPapers(self.library.shared_order_keys()),
        ];
        for pos in 0..self.history.len() {
            let kind = self.history[pos].kind.clone();
            if !matches!(kind, ViewKind::Search { .. }) {
                let saved = self.history_pos;
                self.history_pos = pos;
                let rows = self.rows_for(&kind);
                self.view_mut().set_rows(rows);
                self.count_uncapped();
                self.history_pos = saved;
            }
        }
        if let ViewKind::Search { query } = &self.view().kind {
            let query = query.clone();
            effects.push(self.send_query(query));
        }
        self.keep_selection_visible();
        self.refresh_derived(true);
        self.say(format!("reloaded: {}", summary.describe()), false);
        (summary, effects)
    }

    /// The load problems of paper `p`'s own records, in the problems list's order (file,
    /// line): a record cut at the end of its file, an id not recognised at one of its
    /// lines. The detail pane lists them, so a paper that looks incomplete says why.
    pub fn paper_problems(&self, p: PaperIdx) -> impl Iterator<Item = &Problem> + '_ {
        self.problems_of_papers
            .get(&p)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.problems.get(i as usize))
    }

    /// Works out [`AppState::paper_problems`]: a problem at a line (and byte) of a file is
    /// the paper's whose record starts last at or before it in that file. Problems of a
    /// whole file (skipped, unreadable) and before a file's first record are no paper's.
    /// It walks each paper's sources once, as a load ends, [`PLACE_PAPERS_PER_TURN`] papers
    /// a turn of the loop ([`AppState::finish_pending_work`]): in one go it took 10-18 ms
    /// of the UI thread at 100k papers, so some 100-200 ms at a million.
    fn place_problems_in_papers(&mut self) {
        self.problems_of_papers.clear();
        self.problems_placing = ProblemPlacing::of(&self.problems);
        self.continue_placing_problems();
    }

    /// Places the next [`PLACE_PAPERS_PER_TURN`] papers' records; true when that was the
    /// last of them.
    fn continue_placing_problems(&mut self) -> bool {
        self.place_problems_of(PLACE_PAPERS_PER_TURN)
    }

    /// [`AppState::continue_placing_problems`], `share` papers at most.
    fn place_problems_of(&mut self, share: usize) -> bool {
        let Some(mut placing) = self.problems_placing.take() else {
            return false;
        };
        let papers = self.library.papers();
        let end = papers.len().min(placing.next_paper.saturating_add(share));
        // A file's records share one path: looked up once per run of records of one path.
        let mut last: Option<(*const std::path::Path, Option<usize>)> = None;
        for (idx, paper) in papers.iter().enumerate().take(end).skip(placing.next_paper) {
            for source in &paper.sources {
                let ptr = Arc::as_ptr(&source.path);
                let f = match last {
                    Some((seen, f)) if std::ptr::eq(seen, ptr) => f,
                    _ => {
                        let f = placing.by_path.get(&*source.path).copied();
                        last = Some((ptr, f));
                        f
                    }
                };
                let Some(f) = f else { continue };
                let file = &mut placing.files[f];
                let at = (source.line, source.byte.unwrap_or(0));
                let first_after = file.problems.partition_point(|&(pos, _)| pos < at);
                if let Some(latest) = file.latest.get_mut(first_after) {
                    let start = (at.0, at.1, idx as PaperIdx);
                    if latest.is_none_or(|l| l < start) {
                        *latest = Some(start);
                    }
                }
            }
        }
        placing.next_paper = end;
        if end < papers.len() {
            self.problems_placing = Some(placing);
            return false;
        }
        for file in placing.files {
            let mut owner: Option<RecordStart> = None;
            for (&(_, problem), latest) in file.problems.iter().zip(file.latest) {
                owner = owner.max(latest);
                if let Some((_, _, paper)) = owner {
                    self.problems_of_papers
                        .entry(paper)
                        .or_default()
                        .push(problem);
                }
            }
        }
        for problems in self.problems_of_papers.values_mut() {
            problems.sort_unstable();
        }
        true
    }

    /// How many papers the search on screen was run over, while the library loads or when
    /// fewer than are loaded (the last papers had not reached the worker): its rows are
    /// matches among those only. While loading it is said even when it caught up, so the
    /// status bar does not switch between two forms as the query is asked again.
    pub fn searched_so_far(&self) -> Option<usize> {
        let view = self.view();
        if !matches!(view.kind, ViewKind::Search { .. }) {
            return None;
        }
        view.searched
            .filter(|&n| n > 0 && (n < self.library.len() || !self.load.done))
    }

    /// Total problems to show (load and config), not counting the files passed over in a
    /// folder as no format tomes reads, which the list shows after them.
    pub fn problem_count(&self) -> usize {
        let passed_over = self.files_passed_over();
        self.problems.len() - passed_over + self.config_problems.len() + self.startup_problems.len()
    }

    /// The files passed over in a folder as no format tomes reads (a README beside the
    /// data): listed with the problems, not counted among them.
    pub fn files_passed_over(&self) -> usize {
        let passed_over = self.problems.iter();
        passed_over
            .filter(|p| !library::counts_as_problem(p))
            .count()
    }

    /// The bookmark file could not all be read (and was moved aside), or cannot be saved:
    /// the full message, with both paths, goes into the problems list; the status bar gets
    /// a short pointer to it.
    pub fn report_bookmarks_problem(
        &mut self,
        path: impl Into<std::path::PathBuf>,
        notice: crate::bookmarks::Notice,
    ) {
        let path = path.into();
        let message = notice.message;
        // The problems list names the file before the message: not twice.
        let shown = path.display().to_string();
        let message = match message.strip_prefix(shown.as_str()) {
            Some(rest) => rest.trim_start().to_owned(),
            None => message,
        };
        // Short enough to fit at 80 columns beside the problem count, which names the key.
        self.notify_about_problems(notice.kind.status_words());
        self.startup_problems
            .push(Problem::new(path, None, message));
    }

    /// What a key means here: the search line takes typing, an overlay takes scrolling and
    /// closing, otherwise the keymap decides. Ctrl-c always quits, ctrl-z always suspends.
    pub fn action_for_key(&self, key: Key) -> Option<Action> {
        if key.ctrl && key.code == KeyCode::Char('c') {
            return Some(Action::Quit);
        }
        // Not with Alt: that is Esc then ctrl-z arriving together (ut23b's `Esc C-z` left
        // the search line open), which `unbound_alt_key` splits.
        if key.ctrl && !key.alt && key.code == KeyCode::Char('z') {
            return Some(Action::Suspend);
        }
        // A line feed is Enter typed before the terminal was raw (keys typed with the command
        // that started tomes arrive so: `/tp53` Enter searched `tp53b`), and ctrl-j and
        // ctrl-m are Enter in readline; unless bound to something else.
        let key = if key.ctrl
            && !key.alt
            && matches!(key.code, KeyCode::Char('j' | 'm'))
            && self.keymap.action(key).is_none()
        {
            Key {
                code: KeyCode::Enter,
                ctrl: false,
                alt: false,
            }
        } else {
            key
        };
        if self.search.editing && self.overlay.is_none() {
            // An Alt-key the line has no use for is none of its keys: Esc and a key typed
            // together (`Esc Esc`, `Esc Enter`) are the two keys ([`Self::unbound_alt_key`]).
            return match key.code {
                KeyCode::Esc if !key.alt => Some(Action::Cancel),
                KeyCode::Enter if !key.alt => Some(Action::SearchAccept),
                KeyCode::Backspace if key.alt || key.ctrl => {
                    Some(Action::SearchEdit(LineEdit::DeleteWordBefore))
                }
                KeyCode::Backspace => Some(Action::SearchBackspace),
                KeyCode::Char('u') if key.ctrl => Some(Action::SearchClear),
                KeyCode::Char('w') if key.ctrl => {
                    Some(Action::SearchEdit(LineEdit::DeleteWordBefore))
                }
                KeyCode::Char('k') if key.ctrl => Some(Action::SearchEdit(LineEdit::DeleteToEnd)),
                KeyCode::Char('a') if key.ctrl => Some(Action::SearchEdit(LineEdit::Home)),
                KeyCode::Char('e') if key.ctrl => Some(Action::SearchEdit(LineEdit::End)),
                KeyCode::Char('b') if key.alt => Some(Action::SearchEdit(LineEdit::WordLeft)),
                KeyCode::Char('f') if key.alt => Some(Action::SearchEdit(LineEdit::WordRight)),
                KeyCode::Left if key.ctrl || key.alt => {
                    Some(Action::SearchEdit(LineEdit::WordLeft))
                }
                KeyCode::Right if key.ctrl || key.alt => {
                    Some(Action::SearchEdit(LineEdit::WordRight))
                }
                _ if key.alt => None,
                KeyCode::Left => Some(Action::SearchEdit(LineEdit::Left)),
                KeyCode::Right => Some(Action::SearchEdit(LineEdit::Right)),
                KeyCode::Home => Some(Action::SearchEdit(LineEdit::Home)),
                KeyCode::End => Some(Action::SearchEdit(LineEdit::End)),
                KeyCode::Delete => Some(Action::SearchEdit(LineEdit::Delete)),
                KeyCode::Up => Some(Action::MoveUp),
                KeyCode::Down => Some(Action::MoveDown),
                KeyCode::PageUp => Some(Action::PageUp),
                KeyCode::PageDown => Some(Action::PageDown),
                KeyCode::Char(c) if !key.ctrl && !key.alt => Some(Action::SearchInput(c)),
                _ => None,
            };
        }
        if matches!(
            self.overlay,
            Some(Overlay::CopyMenu | Overlay::ExportMenu | Overlay::OpenMenu)
        ) {
            // Menu entries are picked by their number (letters would clash with j/k).
            match key.code {
                KeyCode::Char(c @ '1'..='9') if !key.ctrl && !key.alt => {
                    return Some(Action::MenuPick(c as usize - '1' as usize));
                }
                // Esc and Enter typed together close the menu, then Enter acts (alt-enter).
                KeyCode::Enter if !key.alt => {
                    return Some(Action::MenuPick(self.search.menu_cursor));
                }
                _ => {}
            }
        }
        let Some(action) = self.keymap.action(key).cloned() else {
            return said_unbound(key).then_some(Action::UnboundKey(key));
        };
        if self.overlay.is_some() {
            if action == Action::Quit {
                return Some(Action::Cancel);
            }
            // A word typed without `/` opened an overlay with one of its letters (`p` of
            // `tp53`) and the rest vanished: a key that means nothing there says so.
            if !overlay_takes(&action) {
                return said_unbound(key).then_some(Action::UnboundKey(key));
            }
        }
        Some(action)
    }

    /// Ctrl-z did not stop tomes: started without job control (`tmux new-session CMD`,
    /// `setsid`), no shell could continue it, and the kernel dropped the stop.
    pub fn suspend_refused(&mut self) {
        self.say(
            "cannot suspend: no job control here (no shell to fg it)",
            true,
        );
    }

    /// What the search shown was limited to by the term its line began with on an entity's
    /// papers or the bookmarks (`the papers with TP53`, `the bookmarks`), while the query still
    /// starts with it: a search there that found nothing said only `no papers match`, and a
    /// user test took the library to have none.
    pub fn search_limited_to(&self) -> Option<&str> {
        self.limiting_term().map(|(_, papers)| papers)
    }

    /// The term the query of the search shown starts with that limits it to the bookmarks
    /// or an entity's papers ([`AppState::search_limited_to`]), and what it limits it to.
    fn limiting_term(&self) -> Option<(&str, &str)> {
        let ViewKind::Search { query } = &self.view().kind else {
            return None;
        };
        let starts_with = |term: &str| {
            query
                .get(..term.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(term))
        };
        if starts_with(BOOKMARKS_TERM) {
            return Some((BOOKMARKS_TERM, "the bookmarks"));
        }
        match &self.search.within_entity {
            Some((term, papers)) if starts_with(term) => Some((term, papers)),
            _ => None,
        }
    }

    /// What a key that is no key here says, naming it as pressed (`'x'`, `'f5'`; an Alt-key,
    /// done as Esc and its key, `'x' after esc`): how to search (a query typed without `/` ran the keys its letters are) and,
    /// in an overlay, what its keys are. A bookmark a letter before it added or removed is
    /// said too, after the key: the hint would otherwise hide the only word of it, and said
    /// first it left the new message cut off at 80 columns (`b removed a bookmark (u
    /// undoes); 'x' is no…`). With shorter forms for a narrow status bar.
    fn unbound_key_hint(&self, key: Key) -> (String, Vec<String>) {
        // An action the config left without a key is left out: it read `unbound to search`.
        let keys_then = |action: &Action, what: &str| self.keymap.keys_then(action, what);
        // Quit's keys close an overlay too (`q` closing the help is what a pager does).
        let close_then = |what: &str| {
            self.keymap
                .close_keys(false)
                .map(|keys| format!("{keys} {what}"))
        };
        let hint = |head: String, parts: Vec<Option<String>>| {
            let parts: Vec<String> = parts.into_iter().flatten().collect();
            if parts.is_empty() {
                head
            } else {
                format!("{head}: {}", parts.join(", "))
            }
        };
        // An Alt-key here is one read as Esc and a key ([`AppState::key_after_esc`]).
        let named = if key.alt {
            format!("'{}' after esc", Key { alt: false, ..key })
        } else {
            format!("'{key}'")
        };
        let recent: Vec<String> = self
            .recent_deed
            .iter()
            .map(|deed| deed.what.clone())
            .chain(self.recent_bookmark_change_note())
            .collect();
        if !recent.is_empty() {
            let recent = recent.join("; ");
            let whole = hint(
                format!("{named} is no key"),
                vec![keys_then(&Action::Search, "searches")],
            );
            return (
                format!("{whole}; {recent}"),
                vec![format!("{named} is no key; {recent}")],
            );
        }
        let head = format!("{named} is no key here");
        let hint = match self.overlay {
            None => hint(
                head,
                vec![
                    keys_then(&Action::Search, "to search"),
                    keys_then(&Action::Help, "for the keys"),
                ],
            ),
            Some(menu @ (Overlay::CopyMenu | Overlay::ExportMenu | Overlay::OpenMenu)) => {
                let picks = match menu {
                    Overlay::CopyMenu => "copies",
                    Overlay::OpenMenu => "opens",
                    _ => "exports",
                };
                hint(
                    head,
                    vec![
                        self.menu_numbers().map(|n| format!("{n} {picks}")),
                        close_then("closes"),
                        keys_then(&Action::Search, "searches"),
                    ],
                )
            }
            Some(other) => {
                let what = match other {
                    Overlay::Help => "the help",
                    Overlay::Problems => "the problems",
                    _ => "the link",
                };
                hint(
                    head,
                    vec![
                        keys_then(&Action::Search, "to search"),
                        close_then(&format!("closes {what}")),
                    ],
                )
            }
        };
        (hint, Vec::new())
    }

    /// The two keys an Alt-key stands for when nothing is bound to it: a terminal sends Esc
    /// and a key typed right after it as that key with Alt (over a slow SSH link, or tmux's
    /// `send-keys Escape r`, they arrive together), and `Esc` `/` must close what is open and
    /// start a search, not be swallowed as Alt-/. The key after Esc means what it means once
    /// Esc has done its part ([`AppState::key_after_esc`]): `Esc r` over the copy menu closes
    /// it and lists related papers. A user test saw `'alt-r' is no key here` there, the menu
    /// left open.
    ///
    /// Split wherever the Alt-key means nothing: the lists, the search line, every overlay.
    /// A key no one presses to do something (a modifier alone, a media key) is not.
    pub fn unbound_alt_key(&self, key: Key) -> Option<(Key, Key)> {
        let then = Key { alt: false, ..key };
        if !key.alt
            || !said_unbound(then)
            || !matches!(self.action_for_key(key), None | Some(Action::UnboundKey(_)))
        {
            return None;
        }
        Some((Key::plain(KeyCode::Esc), then))
    }

    /// What `then`, the second of the keys an unbound `alt_key` stands for
    /// ([`AppState::unbound_alt_key`]), means once Esc has been applied. When it means
    /// nothing either, the message names both (`'x' after esc is no key here`): the Esc
    /// was done, and a user who pressed Alt-x sees why what was open closed.
    pub fn key_after_esc(&self, alt_key: Key) -> Option<Action> {
        match self.action_for_key(Key {
            alt: false,
            ..alt_key
        }) {
            Some(Action::UnboundKey(_)) => Some(Action::UnboundKey(alt_key)),
            other => other,
        }
    }

    /// No paper to act on: none selected, or the selected bookmark's paper is not loaded
    /// (the bookmarks list shows every bookmark), which has no `lacking` ("related papers").
    fn say_no_paper(&mut self, lacking: &str) {
        if matches!(self.view().selected_row(), Some(Row::MissingBookmark(_))) {
            self.say(
                format!("no {lacking}: the paper is not loaded, only its bookmark"),
                false,
            );
        } else {
            self.say("no paper selected", false);
        }
    }

    /// No entity to act on (the entity pane is empty, or the paper not loaded).
    fn say_no_entity(&mut self) {
        if matches!(self.view().selected_row(), Some(Row::MissingBookmark(_))) {
            self.say_no_paper("entities");
        } else {
            self.say("no entity selected", false);
        }
    }

    /// What Enter in the detail pane says: the paper is open already; the keys that open its
    /// page, move to its entities and go back to the list, as bound.
    fn say_reading_already(&mut self) {
        // In fewer words too: at 80 columns the long form lost its last key (ut24a).
        let ways = |long: bool| -> Vec<String> {
            [
                (Action::Open, "opens its page", "page"),
                (Action::FocusNext, "goes to its entities", "entities"),
                (Action::Cancel, "back to the list", "list"),
            ]
            .iter()
            .filter_map(|(action, does, short)| {
                let key = self.keymap.first_key(action)?;
                Some(format!("{key} {}", if long { does } else { short }))
            })
            .collect()
        };
        let (long, short) = (ways(true), ways(false));
        if long.is_empty() {
            self.say("reading this paper already", false);
        } else {
            self.say_or_shorter(
                format!("reading this paper already: {}", long.join(", ")),
                vec![format!("reading it already: {}", short.join(", "))],
                false,
            );
        }
    }

    /// " (b undoes)", naming `action`'s first key; empty when nothing is bound to it.
    fn undone_by(&self, action: &Action) -> String {
        self.keymap
            .first_key(action)
            .map(|k| format!(" ({k} undoes)"))
            .unwrap_or_default()
    }

    /// The key of the selected row's paper, loaded or only bookmarked.
    fn selected_key(&self) -> Option<&PaperKey> {
        match self.view().selected_row()? {
            Row::Paper(p) => Some(&self.library.paper(p).key),
            Row::MissingBookmark(i) => self.bookmarks.get(i).map(|b| &b.key),
        }
    }

    /// The recent bookmark change in a few words with how to undo it ("b bookmarked this
    /// paper (b again undoes)"); `None` when there is none, or it was undone since.
    fn recent_bookmark_change_note(&self) -> Option<String> {
        let change = &self.recent_bookmark_change.as_ref()?.what;
        let first = |action: &Action| self.keymap.first_key(action);
        let toggle = first(&Action::ToggleBookmark)?;
        if self.is_bookmarked(&change.key) != change.added {
            return None;
        }
        if !change.added {
            let undo = self.undone_by(&Action::UndoBookmarkRemoval);
            return Some(format!("{toggle} removed a bookmark{undo}"));
        }
        // A user test's `u` brought a bookmark back, and a stray key was told `b
        // bookmarked this paper`.
        if change.restored {
            let undo = first(&Action::UndoBookmarkRemoval).unwrap_or_else(|| toggle.clone());
            return Some(match self.selected_key() == Some(&change.key) {
                true => format!("{undo} restored this paper's bookmark ({toggle} removes it)"),
                false => format!("{undo} restored a bookmark"),
            });
        }
        if self.selected_key() == Some(&change.key) {
            return Some(format!("{toggle} bookmarked this paper ({toggle} undoes)"));
        }
        // Moved on (`r` listed its related papers): the bookmarks list has it, and `b`
        // there removes it.
        Some(match first(&Action::Bookmarks) {
            Some(list) => format!("{toggle} bookmarked a paper (undo in {list})"),
            None => format!("{toggle} bookmarked a paper"),
        })
    }

    /// `u` with no removal to undo, after `b` added a bookmark (most likely by accident, a
    /// word typed without `/`): how to take the addition back, `b` again on the paper or
    /// in the bookmarks list. `None` when the last addition was a removal bookmarked again
    /// (then the removals are back) or is gone since.
    fn undo_addition_hint(&self) -> Option<String> {
        let key = self.last_bookmark_added.as_ref()?;
        if !self.is_bookmarked(key) || self.removed_bookmarks.iter().any(|b| &b.key == key) {
            return None;
        }
        let first = |action: &Action| self.keymap.first_key(action);
        first(&Action::UndoBookmarkRemoval)?;
        let toggle = first(&Action::ToggleBookmark)?;
        // Plain words: `u undoes removals only: in B, b removes the bookmark added` was hard
        // to read in a user test.
        if self.selected_key() == Some(key) {
            return Some(format!(
                "nothing to undo; {toggle} again removes the bookmark just added"
            ));
        }
        Some(match first(&Action::Bookmarks) {
            // Short: at 80 columns beside "4,529 of 4,529" the end would be cut.
            Some(list) => {
                format!("nothing to undo; to remove the new bookmark: {list}, then {toggle} on it")
            }
            None => format!("nothing to undo; {toggle} on the new bookmark removes it"),
        })
    }

    fn say(&mut self, text: impl Into<String>, is_error: bool) {
        self.say_or_shorter(text, Vec::new(), is_error);
    }

    /// [`Self::say`], with shorter forms of `text` for a narrow status bar
    /// ([`Message::shorter`]).
    fn say_or_shorter(&mut self, text: impl Into<String>, shorter: Vec<String>, is_error: bool) {
        self.message = Some(Message {
            text: text.into(),
            is_error,
            about_problems: false,
            shorter,
        });
    }

    /// Makes `view` the current one, dropping the forward history.
    fn push_view(&mut self, view: View) {
        let left = (self.focus, self.zoomed);
        self.view_mut().left_from = Some(left);
        self.history.truncate(self.history_pos + 1);
        self.history.push(view);
        self.history_pos = self.history.len() - 1;
    }

    /// The library's order, when it orders every paper.
    fn full_source_order(&self) -> Option<&SourceOrder> {
        self.source_order
            .as_deref()
            .filter(|o| o.len() == self.library.len())
    }

    fn rows_for(&self, kind: &ViewKind) -> Vec<Row> {
        let index = self.library.index();
        match kind {
            ViewKind::All => match self.full_source_order() {
                Some(order) => order.sorted.iter().map(|&p| Row::Paper(p)).collect(),
                None => (0..self.library.len() as PaperIdx)
                    .map(Row::Paper)
                    .collect(),
            },
            ViewKind::Search { .. } => self.view().rows.clone(),
            ViewKind::Entity(e) => self
                .library
                .papers_mentioning(*e, self.full_source_order())
                .into_iter()
                .map(Row::Paper)
                .collect(),
            ViewKind::Related(p) => {
                let related = match self.full_source_order() {
                    Some(order) => index.related_papers_by(*p, RELATED_LIMIT, |x| order.rank(x)),
                    None => index.related_papers(*p, RELATED_LIMIT),
                };
                related.into_iter().map(|r| Row::Paper(r.paper)).collect()
            }
            // A paper bookmarked under two of its ids (its PMID and its DOI) is one row, at
            // the place of the bookmark that stands for it: a user test saw it twice.
            ViewKind::Bookmarks => (0..self.bookmarks.len())
                .filter_map(|i| match self.bookmark_table.paper_of(i) {
                    Some(p) if self.bookmark_table.of_paper(p) == Some(i) => Some(Row::Paper(p)),
                    Some(_) => None,
                    None => Some(Row::MissingBookmark(i)),
                })
                .collect(),
        }
    }

    /// Sets the current view's [`View::uncapped`]: for a related list, how many papers share
    /// an entity that weighs something with its paper, the papers
    /// [`crate::index::EntityIndex::related_papers`] ranks before keeping the best.
    fn count_uncapped(&mut self) {
        let total = match self.view().kind {
            ViewKind::Related(p) => Some(self.library.index().related_count(p)),
            _ => None,
        };
        let view = self.view_mut();
        view.uncapped = total.filter(|&n| n > view.rows.len());
    }

    /// Brings the current view up to date with the library (papers arrived, bookmarks
    /// changed). A search view asks the worker again.
    fn refresh_view(&mut self) -> Option<Effect> {
        let kind = self.view().kind.clone();
        match kind {
            ViewKind::All => {
                let loaded = self.library.len();
                let view = self.view_mut();
                // Only appends: papers never move, and rebuilding 100k rows per batch is waste.
                if view.rows.len() < loaded {
                    let first = view.rows.len() as PaperIdx;
                    view.rows
                        .extend((first..loaded as PaperIdx).map(Row::Paper));
                }
                None
            }
            // While loading, papers arrive file by file: the loop re-sends the query at a
            // steady pace instead (see `take_search_rerun`); the last batch sends it at once.
            ViewKind::Search { .. } if !self.load.done => {
                self.search.rerun_due = true;
                None
            }
            ViewKind::Search { query } => {
                self.search.rerun_due = false;
                Some(self.send_query(query))
            }
            other => {
                let rows = self.rows_for(&other);
                self.view_mut().set_rows(rows);
                self.count_uncapped();
                self.keep_selection_visible();
                None
            }
        }
    }

    /// Asks the worker for `query`'s results. A query with an error is not sent: its error
    /// goes on the search line at once and the longest valid start of it is sent instead
    /// (`brca1 OR brca2` shows what `brca1` finds, `year:abc` every paper), which the
    /// list's title names. Keys typed in one burst skip the results of the queries between,
    /// so the list could otherwise show one long deleted.
    fn send_query(&mut self, query: String) -> Effect {
        self.search.generation += 1;
        let query = match crate::search::Query::parse(&query) {
            Ok(_) => query,
            Err(error) => {
                self.search.error = Some(error.message);
                longest_valid_start(&query)
            }
        };
        self.search.sent = AskedQuery {
            text: query.clone(),
            whole: !self.search.editing,
        };
        Effect::Search {
            generation: self.search.generation,
            query,
            whole: self.search.sent.whole,
        }
    }

    fn keep_selection_visible(&mut self) {
        let rows = self.viewport.list_rows.max(1);
        let view = self.view_mut();
        if view.selected < view.offset {
            view.offset = view.selected;
        } else if view.selected >= view.offset + rows {
            view.offset = view.selected + 1 - rows;
        }
        let max_offset = view.rows.len().saturating_sub(rows);
        view.offset = view.offset.min(max_offset);
    }

    fn select_row(&mut self, row: usize) {
        let view = self.view_mut();
        let row = row.min(view.rows.len().saturating_sub(1));
        if row != view.selected {
            view.selected = row;
            view.reset_detail();
            let cursor = self.entity_cursor_for(self.selected_paper());
            self.view_mut().entity_cursor = cursor;
        }
        self.keep_selection_visible();
    }

    /// Where the entity pane's cursor starts on `paper` in the list on screen: on the entity
    /// the list is the papers of, or one a search's entity term names (`gene:cdk4`), else
    /// on the first. A user test jumped to PDCD1's papers and found each paper's entity
    /// pane on its first entity (Bcl2, IL-6), PDCD1 to be looked for again in every one;
    /// another searched `gene:cdk4` and found CDKN2A selected.
    fn entity_cursor_for(&self, paper: Option<PaperIdx>) -> usize {
        let Some(paper) = paper else {
            return 0;
        };
        let index = self.library.index();
        let entities = self.paper_entities(paper);
        let at = match &self.view().kind {
            ViewKind::Entity(listed) => entities.iter().position(|e| e == listed),
            ViewKind::Search { query } => {
                let names = names_in_query(query);
                entities
                    .iter()
                    .position(|&e| names.iter().any(|name| index.is_named(e, name)))
            }
            _ => None,
        };
        at.unwrap_or(0)
    }

    /// Moves the cursor of the focused pane by `delta` rows (`None` = to the end).
    fn move_cursor(&mut self, delta: isize, to_end: Option<bool>) {
        if let Some(Overlay::CopyMenu | Overlay::ExportMenu | Overlay::OpenMenu) = self.overlay {
            // From entry to entry that does something: a user test's `j` stopped on
            // `3 DOI (this paper has no DOI)`.
            let pickable = self.menu_pickable();
            let next = |from: usize, down: bool| {
                if down {
                    (from + 1..pickable.len()).find(|&i| pickable[i])
                } else {
                    (0..from.min(pickable.len())).rev().find(|&i| pickable[i])
                }
            };
            let moved = match to_end {
                Some(false) => pickable.iter().position(|&p| p),
                Some(true) => pickable.iter().rposition(|&p| p),
                None => {
                    let mut at = self.search.menu_cursor;
                    for _ in 0..delta.unsigned_abs() {
                        match next(at, delta > 0) {
                            Some(to) => at = to,
                            None => break,
                        }
                    }
                    Some(at)
                }
            };
            if let Some(at) = moved {
                self.search.menu_cursor = at;
            }
            return;
        }
        if self.overlay.is_some() {
            let max = if self.viewport.overlay_drawn == self.overlay {
                self.viewport
                    .overlay_lines
                    .saturating_sub(self.viewport.overlay_rows)
            } else {
                usize::MAX
            };
            // From where the overlay shows it: a scroll kept unclamped is past the end.
            let shown = self.overlay_scroll.min(max);
            self.overlay_scroll = match to_end {
                Some(false) => 0,
                Some(true) => max,
                None => shown.saturating_add_signed(delta).min(max),
            };
            return;
        }
        self.move_in_pane(self.focus, delta, to_end);
    }

    /// What the export menu offers here, in menu order: [`EXPORT_CHOICES`], but on the
    /// bookmarks list only its own entries, as "this list" and "bookmarks" are the same
    /// papers there (a user test was offered both).
    pub fn export_choices(&self) -> Vec<(ExportScope, ExportFormat)> {
        let on_bookmarks = self.view().kind == ViewKind::Bookmarks;
        EXPORT_CHOICES
            .into_iter()
            .filter(|(scope, _)| !(on_bookmarks && *scope == ExportScope::Bookmarks))
            .collect()
    }

    /// Which entries of the open menu do something: a copy entry with text to copy, an
    /// export entry with papers to write. The others are listed greyed (picked by number,
    /// they say what is missing), the cursor passes over them and the hint's numbers leave
    /// them out.
    pub fn menu_pickable(&self) -> Vec<bool> {
        match self.overlay {
            Some(Overlay::CopyMenu) => self
                .copy_choices()
                .iter()
                .map(|c| c.text.is_some())
                .collect(),
            Some(Overlay::ExportMenu) => self
                .export_choices()
                .iter()
                .map(|&(scope, _)| !self.export_papers(scope).0.is_empty())
                .collect(),
            Some(Overlay::OpenMenu) => vec![true; self.open_choices().len()],
            _ => Vec::new(),
        }
    }

    /// The numbers of the open menu's entries that do something ([`Self::menu_pickable`]),
    /// as the hint says them: `1-6`, `1,2,4-6`; `None` when no entry does.
    pub fn menu_numbers(&self) -> Option<String> {
        let pickable = self.menu_pickable();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (i, _) in pickable.iter().enumerate().filter(|(_, p)| **p) {
            match runs.last_mut() {
                Some((_, end)) if *end + 1 == i => *end = i,
                _ => runs.push((i, i)),
            }
        }
        let said: Vec<String> = runs
            .into_iter()
            .map(|(start, end)| match end - start {
                0 => format!("{}", start + 1),
                1 => format!("{},{}", start + 1, end + 1),
                _ => format!("{}-{}", start + 1, end + 1),
            })
            .collect();
        (!said.is_empty()).then(|| said.join(","))
    }

    /// The links `o` can open for the selected row, best first ([`crate::links::paper_links`]:
    /// PMC, DOI, PubMed, the paper's own web links); a bookmark whose paper is not loaded
    /// has the page of its key.
    pub fn open_choices(&self) -> Vec<crate::model::Link> {
        if let Some(p) = self.selected_paper() {
            return crate::links::paper_links(self.library.paper(p));
        }
        let Some(Row::MissingBookmark(b)) = self.view().selected_row() else {
            return Vec::new();
        };
        (self.bookmarks.get(b))
            .and_then(|b| crate::links::key_url(&b.key))
            .map(|url| crate::model::Link {
                label: "page".into(),
                url,
            })
            .into_iter()
            .collect()
    }

    /// Opens the copy, export or open menu, its cursor on the first entry that does
    /// something.
    fn open_menu(&mut self, menu: Overlay) {
        self.overlay = Some(menu);
        self.search.menu_cursor = 0;
        self.search.menu_cursor = self.menu_pickable().iter().position(|&p| p).unwrap_or(0);
    }

    pub fn menu_len(&self) -> usize {
        match self.overlay {
            Some(Overlay::CopyMenu) => self.copy_choices().len(),
            Some(Overlay::ExportMenu) => self.export_choices().len(),
            Some(Overlay::OpenMenu) => self.open_choices().len(),
            _ => 0,
        }
    }

    /// Moves the cursor (or scroll) of `pane`, focused or not (the mouse wheel scrolls the
    /// pane under the pointer).
    fn move_in_pane(&mut self, pane: Pane, delta: isize, to_end: Option<bool>) {
        match pane {
            Pane::Papers => {
                let view = self.view();
                let target = match to_end {
                    Some(false) => 0,
                    Some(true) => view.rows.len().saturating_sub(1),
                    None => view.selected.saturating_add_signed(delta),
                };
                self.select_row(target);
            }
            Pane::Detail => {
                let max = self
                    .viewport
                    .detail_lines
                    .saturating_sub(self.viewport.detail_rows);
                let view = self.view_mut();
                // From where the pane shows it: a place kept from a longer layout of the
                // text (before a zoom) is past this one's end.
                let shown = if view.detail_at_end {
                    max
                } else {
                    view.detail_scroll.min(max)
                };
                view.detail_scroll = match to_end {
                    Some(false) => 0,
                    Some(true) => max,
                    None => shown.saturating_add_signed(delta).min(max),
                };
                view.detail_at_end = max > 0 && view.detail_scroll == max;
            }
            Pane::Entities => {
                let count = self
                    .selected_paper()
                    .map_or(0, |p| self.library.index().entities_of(p).len());
                let view = self.view_mut();
                view.entity_cursor = match to_end {
                    Some(false) => 0,
                    Some(true) => count.saturating_sub(1),
                    None => view
                        .entity_cursor
                        .saturating_add_signed(delta)
                        .min(count.saturating_sub(1)),
                };
            }
        }
    }

    fn page(&self) -> isize {
        let rows = if self.overlay.is_some() {
            self.viewport.overlay_rows
        } else {
            match self.focus {
                Pane::Papers => self.viewport.list_rows,
                Pane::Detail => self.viewport.detail_rows,
                // Its own rows: zoomed, the detail pane is not drawn (0 rows: a page was one).
                Pane::Entities => self.viewport.entity_rows,
            }
        };
        rows.max(1) as isize
    }

    fn jump_to_entity(&mut self, entity: EntityIdx) {
        if self.view().kind == ViewKind::Entity(entity) {
            // Already its list: another step in the history would only be Backspace to undo.
            self.focus_the_list();
            self.say("already listing the papers with this entity", false);
            return;
        }
        let rows = self.rows_for(&ViewKind::Entity(entity));
        // A list of the paper being read alone is no step worth Backspace to undo (ut24c
        // jumped from the seed's CD70, `1`, and got the seed back).
        let here = self.selected_paper();
        if let [Row::Paper(only)] = rows.as_slice()
            && Some(*only) == here
        {
            let name = self.library.index().entity(entity).name.to_string();
            self.say(format!("no other loaded paper mentions {name}"), false);
            return;
        }
        // Opened on its first paper, the one that mentions it most, as a link opens a page
        // at its top: kept on the paper jumped from, the list opened mid-way (ut23b landed
        // at 63/146, on the paper just read). Backspace goes back to it.
        let mut view = View::new(ViewKind::Entity(entity), rows);
        view.jumped_from = self.selected_paper();
        self.push_view(view);
        let cursor = self.entity_cursor_for(self.selected_paper());
        self.view_mut().entity_cursor = cursor;
        self.focus_the_list();
        self.keep_selection_visible();
    }

    /// Focuses a pane again, zoomed as it was: the one a view was left with (back and
    /// forward), or the one `/` took the focus from (Esc dropping the line).
    fn give_back_pane(&mut self, pane: Option<(Pane, bool)>) {
        if let Some((pane, zoomed)) = pane {
            self.focus = pane;
            self.zoomed = zoomed;
        }
    }

    /// Moves the focus to the list, for a key that opens a list (a jump, `r`, `B`, `/`). A
    /// zoom of another pane ends: it was of that pane, and kept it would hide the detail
    /// and entities behind the new list until Esc (a user test zoomed the entities, jumped
    /// to CD27's papers, and lost both panes). A zoomed list stays zoomed.
    fn focus_the_list(&mut self) {
        if self.focus != Pane::Papers {
            self.zoomed = false;
        }
        self.focus = Pane::Papers;
    }

    fn go_to(&mut self, pos: usize) -> Option<Effect> {
        let left = (self.focus, self.zoomed);
        self.view_mut().left_from = Some(left);
        self.history_pos = pos;
        let left_from = self.view().left_from;
        self.give_back_pane(left_from);
        let effect = match &self.view().kind {
            // Results stored with the view may be from fewer papers: ask again now.
            ViewKind::Search { query } => {
                let query = query.clone();
                Some(self.send_query(query))
            }
            _ => self.refresh_view(),
        };
        if matches!(self.view().kind, ViewKind::Search { .. }) {
            if let ViewKind::Search { query } = &self.view().kind {
                let query = query.clone();
                self.search.input.set(&query);
                // Its rows are those of the query sent for it (the line's valid start
                // when the line has an error): answered again, they keep the selection.
                self.search.shown = Some(self.search.sent.clone());
            }
        } else {
            self.search.input.clear();
            self.search.error = None;
            self.search.shown = None;
        }
        effect
    }

    /// Leaves the search: the search view on screen goes from the history (the views
    /// before and after it stay), and the one before it is shown.
    fn clear_search(&mut self) -> Option<Effect> {
        self.search.editing = false;
        self.search.editing_from = None;
        self.search.view_before_edit = None;
        self.search.input.clear();
        self.search.error = None;
        self.search.shown = None;
        // Results still on their way are for a search that no longer exists.
        self.search.generation += 1;
        if matches!(self.view().kind, ViewKind::Search { .. }) && self.history_pos > 0 {
            self.history.remove(self.history_pos);
            if let Some((at, ahead)) = self.search.forward_before.take()
                && at == self.history_pos
                && at == self.history.len()
            {
                self.history.extend(ahead);
            }
            self.history_pos -= 1;
            // A search before it is shown as going back shows one: asked again, its query
            // on the line (it said `searching…` for good, its query never sent).
            if matches!(self.view().kind, ViewKind::Search { .. }) {
                return self.go_to(self.history_pos);
            }
        }
        None
    }

    /// Enter on an emptied search line. A search being typed is no step (see
    /// [`AppState::clear_search`]); a kept search being edited stays in the history as it
    /// was and is left as Esc leaves it, one step back, still ahead. (A user test emptied
    /// a kept `tamoxifen` after `lithium`: `tamoxifen` was gone from the history and
    /// `lithium` said `searching…` for good.)
    fn accept_emptied_search(&mut self) -> Option<Effect> {
        let Some(old) = self.search.editing_from.take() else {
            return self.clear_search();
        };
        let view_before = self.search.view_before_edit.take();
        self.search.editing = false;
        self.search.error = None;
        // Results still on their way are for the emptied line.
        self.search.generation += 1;
        match view_before {
            Some(view) => *self.view_mut() = view,
            None => self.view_mut().kind = ViewKind::Search { query: old },
        }
        self.go_to(self.history_pos.saturating_sub(1))
    }

    /// Esc while editing a search view's query: the query goes back to what it was, the
    /// view and the history stay.
    fn cancel_search_edit(&mut self) -> Option<Effect> {
        let before = self.search.editing_from.take()?;
        let view_before = self.search.view_before_edit.take();
        self.search.editing = false;
        self.search.error = None;
        let unchanged = self.search.input.as_str() == before;
        self.search.input.set(&before);
        if unchanged {
            return None;
        }
        if let Some(view) = view_before {
            *self.view_mut() = view;
            // Its results, asked again, are the query's own: they keep its selection.
            self.search.shown = Some(AskedQuery {
                text: before.clone(),
                whole: true,
            });
        }
        self.search_changed()
    }

    /// The search input changed: show it in a search view and ask the worker.
    fn search_changed(&mut self) -> Option<Effect> {
        let query = self.search.input.to_string();
        if let ViewKind::Search { query: q } = &mut self.view_mut().kind {
            *q = query.clone();
        } else {
            // Until results arrive the list keeps what it showed, rather than flashing empty.
            let rows = self.view().rows.clone();
            let mut view = View::new(
                ViewKind::Search {
                    query: query.clone(),
                },
                rows,
            );
            view.selected = self.view().selected;
            view.offset = self.view().offset;
            let ahead = self.history.split_off(self.history_pos + 1);
            self.search.forward_before = Some((self.history_pos + 1, ahead));
            self.push_view(view);
            self.search.shown = None;
        }
        Some(self.send_query(query))
    }

    /// Applies a search worker answer; answers to an older query are dropped.
    pub fn apply_search_results(&mut self, results: SearchResults) {
        if results.generation != self.search.generation {
            return;
        }
        self.search.answered = results.generation;
        if !matches!(self.view().kind, ViewKind::Search { .. }) {
            return;
        }
        self.search.corrected = results.corrected;
        self.search.letters_apart = results.letters_apart;
        match results.outcome {
            Ok(hits) => {
                // What the list's title and an empty list's note say of the query, read
                // once here rather than at each frame.
                let parsed = crate::search::Query::parse(&self.search.sent.text).ok();
                self.search.lacking = parsed.as_ref().map_or_else(Vec::new, |query| {
                    papers_lacking_queried_fields(&self.library, query)
                });
                self.search.unknown_prefix =
                    parsed
                        .as_ref()
                        .filter(|_| hits.is_empty())
                        .and_then(|query| {
                            unknown_prefix(&self.library, query, &mut self.search.prefix_checked)
                        });
                // A bare year that finds nothing (ut24e's `1999`), as the command line says.
                if let Some(undated) =
                    undated_for_bare_year(&self.library, &self.search.sent.text, hits.is_empty())
                {
                    self.search.lacking.push(("year", undated));
                }
                let rows = self.with_missing_bookmarks(hits, &self.search.sent.text);
                // Results for the line itself clear its error; those for the valid start
                // of a line with an error are shown under it.
                let for_the_line = matches!(&self.view().kind,
                    ViewKind::Search { query } if *query == self.search.sent.text);
                if for_the_line {
                    self.search.error = None;
                }
                let query = self.search.sent.text.clone();
                let query_changed =
                    self.search.shown.as_ref().map(|shown| &shown.text) != Some(&query);
                // Asked again as papers load, the list keeps the paper selected; but one
                // typed for moments ago, whose keys wait for the load, keeps the best match,
                // which the keys typed ahead are for (a user test's `b` bookmarked the top
                // paper of the first 2,000 loaded, third in the last list).
                let typed_ahead = self.search.held_for_load;
                let view = self.view_mut();
                let at_top = view.selected == 0;
                view.set_rows(rows);
                view.searched = Some(results.searched);
                if query_changed || (typed_ahead && at_top) {
                    // The best match is what the user typed for; an old selection would hide it.
                    view.selected = 0;
                    view.offset = 0;
                    view.reset_detail();
                    let cursor = self.entity_cursor_for(self.selected_paper());
                    self.view_mut().entity_cursor = cursor;
                }
                self.search.shown = Some(self.search.sent.clone());
                self.keep_selection_visible();
                match self
                    .search
                    .reread_whole
                    .take_if(|r| r.generation == results.generation)
                {
                    Some(before) => self.say_reread_whole(&before),
                    // Enter before the typed answer came (keys in one burst): nothing to
                    // compare with, but an entity term that names nothing whole still
                    // says how to ask for the names starting with it (ut23b's
                    // `/gene:cd Enter` in one write showed 0 papers and no word why).
                    None if self.search.sent.whole && self.view().rows.is_empty() => {
                        if let Some(asked) = self.starts_asked_for() {
                            let value = self.value_read_whole();
                            self.say_or_shorter(
                                format!(
                                    "no paper names {value} whole; {asked} finds the names \
                                     starting with it"
                                ),
                                vec![format!("none named {value} whole; try {asked}")],
                                false,
                            );
                        }
                    }
                    None => {}
                }
            }
            Err(e) => self.search.error = Some(e.message),
        }
        self.refresh_derived(false);
    }

    /// Says what asking a kept search again whole took from the list it showed as typed
    /// (`before`): how many papers it lists now, and whether the paper selected was one of
    /// those that went. Nothing when it lists as many.
    fn say_reread_whole(&mut self, before: &RereadWhole) {
        let now = self.view().rows.len();
        if now == before.rows {
            return;
        }
        let lost = before.selected.is_some() && before.selected != self.selected_paper();
        self.search.selected_went = lost.then_some(before.generation);
        self.search.dropped_keys.clear();
        let value = self.value_read_whole();
        let (now, typed) = (count(now, "paper"), thousands(before.rows));
        let mut text = match lost {
            true => format!(
                "Enter read {value} whole: {now}, not {typed}; the paper selected only had \
                 a name starting with it"
            ),
            false => format!(
                "Enter read {value} whole: {now}; typing also matched names starting with it \
                 ({typed})"
            ),
        };
        let asked = self.starts_asked_for();
        if let Some(asked) = &asked {
            text.push_str(&format!("; {asked} keeps those"));
        }
        // At 80 columns the status bar has room for the shortest, which still tells
        // whether the paper selected went.
        let mut shorter = match lost {
            true => vec![
                format!("Enter read {value} whole: {now}, not {typed}; the paper selected went"),
                format!("{value} read whole: {now}, not {typed}; selected paper gone"),
                format!("read whole: {now}, not {typed}; selected paper gone"),
            ],
            false => vec![
                format!("Enter read {value} whole: {now}, not {typed}"),
                format!("{value} read whole: {now}, not {typed}"),
            ],
        };
        // How to keep what went, before the shorter forms without it, unless the list is
        // left with papers and the selected one is not among them: that matters more. At
        // 80 columns `gene:cd` left no papers of 236 and never said `gene:cd*`.
        if let Some(asked) = asked {
            let hinted = [
                format!("Enter read {value} whole: {now}, not {typed}; {asked} keeps those"),
                format!("{value} read whole: {now}, not {typed}; {asked} keeps those"),
            ];
            let at = match lost && !self.view().rows.is_empty() {
                true => shorter.len(),
                false => 0,
            };
            shorter.splice(at..at, hinted);
        }
        self.say_or_shorter(text, shorter, false);
    }

    /// The search line's last word with `*` after it, quoted, when that word is an entity
    /// term: what asks for the starts of names that Enter's whole reading left out
    /// (`gene:cd*`).
    fn starts_asked_for(&self) -> Option<String> {
        let input = self.search.input.to_string();
        let query = crate::search::Query::parse_whole(&input).ok()?;
        let last = input.split_whitespace().last()?;
        // A quoted name's last word (`gene:"tumor protein p53"`) is no term of its own.
        let whole_term = last.contains(':') && !last.contains(['"', '\'']);
        let entity = matches!(
            query.terms.last()?.condition,
            crate::search::query::Condition::Entity { .. }
        );
        (whole_term && entity).then(|| crate::model::quoted(&format!("{last}*")).to_string())
    }

    /// The last word's value of the search line, quoted: what Enter read whole.
    fn value_read_whole(&self) -> String {
        let input = self.search.input.to_string();
        let last = input.split_whitespace().last().unwrap_or_default();
        let value = last.split_once(':').map_or(last, |(_, value)| value);
        crate::model::quoted(value).to_string()
    }

    /// Whether `action`, from a key typed before the answer to Enter's reading could be
    /// seen (held for it, or come right after it: the loop says which until it calls
    /// [`AppState::unseen_keys_done`]), is dropped: it acts on the rows, and the answer
    /// took away the paper that was selected when the key was typed
    /// ([`SearchState::selected_went`]). Acting on whatever paper slid into its row would
    /// act on a paper the user never chose. Said on the status line, with the keys dropped
    /// so far (`pressed`, the key as the hints write it; `None` for a click).
    pub fn drops_unseen_row_key(&mut self, action: &Action, pressed: Option<String>) -> bool {
        if self.search.selected_went.is_none() || !action.acts_on_rows() {
            return false;
        }
        let key = pressed.unwrap_or_else(|| "a click".to_owned());
        if !self.search.dropped_keys.contains(&key) {
            self.search.dropped_keys.push(key);
        }
        let keys = crate::model::listed(&self.search.dropped_keys, "and");
        let value = self.value_read_whole();
        let text = format!(
            "{keys} not done: the paper selected went when Enter read {value} whole; \
             choose again"
        );
        let shorter = vec![
            format!("{keys} not done: the paper selected went when {value} was read whole"),
            format!("{keys} not done: the paper selected went"),
        ];
        self.say_or_shorter(text, shorter, true);
        true
    }

    /// The list the answer to Enter's reading brought has been seen: keys from now on act
    /// on it as it is ([`AppState::drops_unseen_row_key`]).
    pub fn unseen_keys_done(&mut self) {
        self.search.selected_went = None;
        self.search.dropped_keys.clear();
    }

    /// The rows of a search's `hits`, with the bookmarks whose papers are not loaded that
    /// `query` finds when it searches within the bookmarks (a term `is:bookmarked`, which
    /// `/` in the bookmarks list starts the line with): the list searched shows them, and
    /// the worker, which holds only loaded papers, cannot find them. Each is found by what
    /// its row shows, its title and key (with the PMID, PMC id or DOI the key is), as a
    /// loaded paper by the same fields, and goes among the hits by its score.
    fn with_missing_bookmarks(&self, hits: Vec<crate::search::Hit>, query: &str) -> Vec<Row> {
        let mut missing = self.missing_bookmark_hits(query).into_iter().peekable();
        let mut rows = Vec::with_capacity(hits.len() + missing.len());
        for hit in hits {
            // Before the first hit it outscores; a tie goes after the loaded paper.
            while let Some((_, row)) = missing.next_if(|&(score, _)| score > hit.score) {
                rows.push(row);
            }
            rows.push(Row::Paper(hit.paper));
        }
        rows.extend(missing.map(|(_, row)| row));
        rows
    }

    /// The bookmarks not loaded that `query` finds, best first (ties in bookmark order),
    /// with their scores; none unless `query` searches within the bookmarks.
    fn missing_bookmark_hits(&self, query: &str) -> Vec<(i64, Row)> {
        use crate::search::{Matcher, Query, SearchDoc};
        let query = match Query::parse(query) {
            Ok(query) if searches_within_bookmarks(&query) => query,
            _ => return Vec::new(),
        };
        let missing: Vec<(usize, &Bookmark)> = self
            .bookmarks
            .iter()
            .enumerate()
            .filter(|&(i, _)| self.bookmark_table.paper_of(i).is_none())
            .collect();
        // Numbered by their place among the bookmarks, every one of them bookmarked.
        let numbers = missing.iter().map(|&(i, _)| i as PaperIdx).collect();
        let matcher = Matcher::new(&numbers);
        let mut found: Vec<(i64, Row)> = missing
            .into_iter()
            .filter_map(|(i, b)| {
                let doc = SearchDoc::new(i as PaperIdx, &bookmark_as_paper(b));
                let score = matcher.score(&doc, &query)?;
                Some((score, Row::MissingBookmark(i)))
            })
            .collect();
        found.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
        found
    }

    /// The search worker sorted the papers ([`Effect::OrderPapers`]): lists follow that
    /// order from now on. The list on screen keeps its row when the user only moved in it,
    /// else (and every other list) its selected paper where it was on screen
    /// ([`AppState::keep_on_reorder`]); a search is asked again, for ties to follow it too. An order of another library (the papers
    /// changed since it was asked for) is dropped.
    pub fn apply_source_order(&mut self, order: Arc<SourceOrder>) -> Vec<Effect> {
        if order.len() != self.library.len() {
            return Vec::new();
        }
        self.source_order = Some(order);
        self.order_pending = false;
        let saved = self.history_pos;
        for pos in 0..self.history.len() {
            let kind = self.history[pos].kind.clone();
            if matches!(
                kind,
                ViewKind::All | ViewKind::Entity(_) | ViewKind::Related(_)
            ) {
                self.history_pos = pos;
                let rows = self.rows_for(&kind);
                let keep = self.keep_on_reorder(pos == saved);
                self.view_mut().reorder(rows, keep);
                self.count_uncapped();
            }
        }
        self.history_pos = saved;
        self.keep_selection_visible();
        // A kept row may hold another paper now: its entities' co-mentions are counted.
        self.refresh_derived(false);
        match &self.view().kind {
            ViewKind::Search { query } if !query.trim().is_empty() => {
                let query = query.clone();
                vec![self.send_query(query)]
            }
            _ => Vec::new(),
        }
    }

    /// What the view at the history's position `current` (the one on screen) or another
    /// keeps when it is put in source order: its row when the user only moved in it, the
    /// paper when they read it or left the list from it.
    fn keep_on_reorder(&self, current: bool) -> Keep {
        let view = self.view();
        let only_moved = current
            && self.focus == Pane::Papers
            && view.detail_scroll == 0
            && !view.detail_at_end
            && view.entity_cursor == self.entity_cursor_for(self.selected_paper());
        if only_moved { Keep::Row } else { Keep::Paper }
    }

    /// Applies one event of the background load; returns what the loop must pass on.
    pub fn apply_load_event(&mut self, event: LoadEvent) -> Vec<Effect> {
        let mut effects = Vec::new();
        match event {
            LoadEvent::Found {
                files,
                paths,
                bytes,
                walk_problems,
            } => {
                self.library.reserve_for_bytes(bytes);
                let papers = crate::library::papers_for_bytes(bytes);
                effects.push(Effect::ReserveSearch(papers));
                // The list of every paper grows with the load: doubling it past half a
                // million rows held the UI for 30 ms in one of two 1M benchmark runs.
                for view in &mut self.history {
                    if view.kind == ViewKind::All {
                        view.rows.reserve(papers.saturating_sub(view.rows.len()));
                    }
                }
                self.library
                    .set_file_order(paths.iter().map(std::path::PathBuf::as_path));
                self.load.files_total = Some(files);
                self.load.bytes_total = bytes;
                self.problems.extend(walk_problems);
            }
            LoadEvent::File { parsed, .. } => {
                self.load.files_done += 1;
                let mut report = LoadReport::default();
                let touched = self.library.add_parsed(parsed, &mut report);
                self.problems.append(&mut report.problems);
                if !touched.is_empty() {
                    self.bookmark_table
                        .papers_added(&self.bookmarks, &self.library);
                    effects.push(Effect::IndexPapers(touched));
                    effects.extend(self.refresh_view());
                }
            }
            LoadEvent::Batch {
                parsed,
                docs,
                file_done,
                progress_bytes,
                ..
            } => {
                self.load.bytes_done += progress_bytes;
                if file_done {
                    self.load.files_done += 1;
                }
                let mut report = LoadReport::default();
                let (ready, merged) = self.library.add_parsed_with_docs(parsed, docs, &mut report);
                self.problems.append(&mut report.problems);
                let changed = !ready.is_empty() || !merged.is_empty();
                if changed {
                    self.bookmark_table
                        .papers_added(&self.bookmarks, &self.library);
                }
                if !ready.is_empty() {
                    effects.push(Effect::IndexDocs(ready));
                }
                if !merged.is_empty() {
                    effects.push(Effect::IndexPapers(merged));
                }
                if changed {
                    effects.extend(self.refresh_view());
                }
            }
            LoadEvent::Done => {
                self.load.done = true;
                self.library.sort_problems(&mut self.problems);
                self.place_problems_in_papers();
                effects.extend(self.refresh_view());
                effects.push(Effect::OrderPapers(self.library.shared_order_keys()));
                self.order_pending = true;
            }
        }
        // Co-mentions of a common entity (`human`) touch a good part of the library:
        // recounted per batch they cost more than loading it. While loading they are
        // counted when the selected entity changes, and recounted once at the end.
        self.refresh_derived(self.load.done);
        effects
    }

    /// The bookmark store answered a toggle of `key`: `list` is its new content. A removal is
    /// kept for `undo_bookmark_removal`, and the message says how to undo it.
    pub fn bookmark_toggled(
        &mut self,
        key: &PaperKey,
        title: &str,
        result: Result<bool, String>,
        list: Vec<Bookmark>,
    ) {
        self.bookmark_toggled_in_file(key, title, result, list, KeptLines::Neither);
    }

    /// [`Self::bookmark_toggled`], told whether a removal left the bookmark's lines in the
    /// file, commented out, or an add brought such lines back
    /// ([`crate::bookmarks::Bookmarks::kept_lines`]): the message says so, as the user may
    /// wonder where their note went, or whether it came back.
    pub fn bookmark_toggled_in_file(
        &mut self,
        key: &PaperKey,
        title: &str,
        result: Result<bool, String>,
        list: Vec<Bookmark>,
        lines: KeptLines,
    ) {
        let title = self.bookmark_title(key, title);
        let removed = self
            .bookmarks
            .iter()
            .find(|b| &b.key == key && !list.iter().any(|n| &n.key == key))
            .cloned();
        if let Some(bookmark) = removed {
            self.removed_bookmarks.retain(|b| &b.key != key);
            self.removed_bookmarks.push(bookmark);
        }
        let before = self.set_bookmarks(list);
        if result == Ok(true) {
            self.last_bookmark_added = Some(key.clone());
        }
        self.recent_bookmark_change = result.as_ref().ok().map(|&added| {
            Recent::new(BookmarkChange {
                key: key.clone(),
                added,
                restored: false,
            })
        });
        // Whether the bookmark, in `list` or as it was, holds a note of the user's.
        let with_note =
            |list: &[Bookmark]| list.iter().any(|b| &b.key == key && !b.note.is_empty());
        let file = crate::bookmarks::BOOKMARKS_FILE;
        match result {
            Ok(true) if lines == KeptLines::BroughtBack => {
                let undo = self.undone_by(&Action::ToggleBookmark);
                let (back, what) = match with_note(&self.bookmarks) {
                    true => ("its note is back", "note"),
                    false => ("its lines are back", "lines"),
                };
                self.say_kept_lines(
                    format!("bookmarked{undo}"),
                    &title,
                    [
                        format!("{back}, uncommented in {file}"),
                        format!("{what} back from {file}"),
                        format!("{what} back"),
                    ],
                )
            }
            Ok(true) => {
                // The way back first, as for a removal: `b` again takes it off.
                let undo = self.undone_by(&Action::ToggleBookmark);
                self.say(format!("bookmarked{undo}: {title}"), false)
            }
            Ok(false) if lines == KeptLines::LeftCommentedOut => {
                // The way back, then where the user's words went.
                let undo = self.undone_by(&Action::UndoBookmarkRemoval);
                let (stays, what) = match with_note(&before) {
                    true => ("its note stays", "note"),
                    false => ("its lines stay", "lines"),
                };
                self.say_kept_lines(
                    format!("bookmark removed{undo}"),
                    &title,
                    [
                        format!("{stays} in {file}, commented out"),
                        format!("{what} commented out in {file}"),
                        format!("{what} kept, commented out"),
                    ],
                )
            }
            Ok(false) => {
                // The way back first: a narrow status bar cuts the title, not the key.
                let undo = self.undone_by(&Action::UndoBookmarkRemoval);
                self.say(format!("bookmark removed{undo}: {title}"), false)
            }
            Err(e) => self.say(format!("could not save bookmarks: {e}"), true),
        }
        self.refresh_bookmarks_view(None, &before);
    }

    /// `what happened: title · where the user's lines went`, a narrow status bar dropping
    /// the title first, then words (`lines`: from the longest form to the shortest).
    fn say_kept_lines(&mut self, done: String, title: &str, lines: [String; 3]) {
        let shorter = lines.iter().map(|l| format!("{done}; {l}")).collect();
        self.say_or_shorter(format!("{done}: {title} · {}", lines[0]), shorter, false)
    }

    /// The bookmark store was merged with its file ([`Effect::SyncBookmarks`]): `list` is
    /// its content now, with other sessions' changes.
    pub fn bookmarks_synced(&mut self, result: Result<(), String>, list: Vec<Bookmark>) {
        let before = self.set_bookmarks(list);
        if let Err(e) = result {
            self.say(format!("could not read bookmarks: {e}"), true);
        }
        self.refresh_bookmarks_view(None, &before);
    }

    /// The bookmark store answered a [`Effect::RestoreBookmark`] of `key`: `list` is its new
    /// content. The bookmarks list, when shown, selects the paper again.
    pub fn bookmark_restored(
        &mut self,
        key: &PaperKey,
        title: &str,
        result: Result<bool, String>,
        list: Vec<Bookmark>,
    ) {
        let before = self.set_bookmarks(list);
        self.recent_bookmark_change = result.as_ref().ok().map(|_| {
            Recent::new(BookmarkChange {
                key: key.clone(),
                added: true,
                restored: true,
            })
        });
        let title = self.bookmark_title(key, title);
        match result {
            Ok(_) => self.say(format!("bookmark restored: {title}"), false),
            Err(e) => self.say(format!("could not save bookmarks: {e}"), true),
        }
        self.refresh_bookmarks_view(Some(key), &before);
    }

    /// What a bookmark message calls the paper: its title when loaded, else the bookmark's
    /// `title`, else its key (a bookmark written by hand may have no title: a user test read
    /// `bookmark restored: ` and nothing after it).
    fn bookmark_title(&self, key: &PaperKey, title: &str) -> String {
        let loaded = self
            .library
            .find(key.as_str())
            .map(|p| self.library.paper(p).title.trim())
            .filter(|t| !t.is_empty());
        let given = Some(title.trim()).filter(|t| !t.is_empty());
        loaded.or(given).unwrap_or(key.as_str()).to_owned()
    }

    /// The bookmarks changed from `before`: a shown bookmarks list is worked out again (its
    /// missing-bookmark rows are indices into the list), selecting `select` when given and
    /// listed.
    ///
    /// Its rows keep their places, and a paper whose bookmark was removed stays on its row,
    /// unmarked and dimmed, until the list is left: in a user test `b` twice removed two
    /// bookmarks, the second `b` acting on the row that had moved up under the cursor. Now
    /// `b` acts on the same paper again, bookmarking it again where it was (as `u` does).
    /// A bookmark of a paper not loaded has only its bookmark to show, so it goes.
    fn refresh_bookmarks_view(&mut self, select: Option<&PaperKey>, before: &[Bookmark]) {
        self.remap_searched_bookmarks(before);
        if self.view().kind != ViewKind::Bookmarks {
            return;
        }
        let fresh = self.rows_for(&ViewKind::Bookmarks);
        let position_now = |key: &PaperKey| self.bookmarks.iter().position(|b| &b.key == key);
        let mut rows: Vec<Row> = Vec::with_capacity(fresh.len());
        for row in &self.view().rows {
            match *row {
                Row::Paper(p) => rows.push(Row::Paper(p)),
                Row::MissingBookmark(i) => {
                    if let Some(now) = before.get(i).and_then(|b| position_now(&b.key))
                        && matches!(fresh.get(now), Some(Row::MissingBookmark(_)))
                    {
                        rows.push(Row::MissingBookmark(now));
                    }
                }
            }
        }
        // A row new to the list (a bookmark of a paper not loaded brought back by `u`, whose
        // row had gone) goes where the file has it, after the row of the bookmark before it:
        // appended, it came back at the bottom.
        let listed: std::collections::HashSet<Row> = rows.iter().copied().collect();
        for (k, row) in fresh.iter().enumerate() {
            if listed.contains(row) {
                continue;
            }
            let after = fresh[..k]
                .iter()
                .rev()
                .find_map(|earlier| rows.iter().position(|r| r == earlier));
            rows.insert(after.map_or(0, |i| i + 1), *row);
        }
        self.view_mut().set_rows(rows);
        let position = select.and_then(|key| {
            // A bookmark under another of its paper's ids (its DOI) selects the paper.
            let paper = self.library.find(key.as_str());
            self.view().rows.iter().position(|row| match *row {
                Row::Paper(p) => paper == Some(p),
                Row::MissingBookmark(i) => self.bookmarks.get(i).is_some_and(|b| &b.key == key),
            })
        });
        if let Some(position) = position {
            self.select_row(position);
        }
        self.keep_selection_visible();
    }

    /// The rows of bookmarks not loaded in search views (searches within the bookmarks)
    /// point into the bookmarks: after they changed from `before`, each points at its
    /// bookmark's new place, or goes when the bookmark did (it has only its bookmark to
    /// show). Left alone, a removal made the rows after it show the next bookmark's title.
    fn remap_searched_bookmarks(&mut self, before: &[Bookmark]) {
        let place_now: Vec<Option<usize>> = before
            .iter()
            .map(|old| self.bookmarks.iter().position(|b| b.key == old.key))
            .collect();
        for view in &mut self.history {
            let searched_missing = matches!(view.kind, ViewKind::Search { .. })
                && view
                    .rows
                    .iter()
                    .any(|r| matches!(r, Row::MissingBookmark(_)));
            if !searched_missing {
                continue;
            }
            let rows = view
                .rows
                .iter()
                .filter_map(|&row| match row {
                    Row::Paper(_) => Some(row),
                    Row::MissingBookmark(i) => place_now
                        .get(i)
                        .copied()
                        .flatten()
                        .map(Row::MissingBookmark),
                })
                .collect();
            view.set_rows(rows);
        }
        if let ViewKind::Search { query } = &self.view().kind {
            // A bookmark added (`u` restored the one `b` removed) is found again, where it
            // belongs among the rows: the search is asked again (the loop sends it on its
            // next turn). A removal asks nothing: the rows stay where they are under the
            // cursor, as in the bookmarks list.
            let had: std::collections::HashSet<&PaperKey> = before.iter().map(|b| &b.key).collect();
            let added = self.bookmarks.iter().any(|b| !had.contains(&b.key));
            if added
                && crate::search::Query::parse(query).is_ok_and(|q| searches_within_bookmarks(&q))
            {
                self.search.rerun_due = true;
            }
            self.keep_selection_visible();
        }
    }

    /// Shows a message from outside (a reload's progress, ...).
    pub fn notify(&mut self, text: impl Into<String>, is_error: bool) {
        self.say(text, is_error);
    }

    /// Shows an error whose details are in the problems list (config.toml has problems):
    /// the status bar keeps the problem count and its keys beside it.
    pub fn notify_about_problems(&mut self, text: impl Into<String>) {
        self.say(text, true);
        if let Some(message) = &mut self.message {
            message.about_problems = true;
        }
    }
}

/// Whether every paper `query` finds is a bookmark (it has a term `is:bookmarked`), so it
/// searches within the bookmarks list.
/// For each field a query's terms ask of papers (`year:`, `author:`, `journal:`) that some
/// loaded papers lack, the field and how many lack it: a term on that field never matches
/// them, and PubTator and BioC records carry no year, authors nor journal. Said when such a
/// search finds nothing, in the browser and the CLI, rather than a bare "no papers match".
pub fn papers_lacking_queried_fields(
    library: &Library,
    query: &crate::search::Query,
) -> Vec<(&'static str, usize)> {
    use crate::search::query::{Condition, TextField};
    let asks = |field: &str| {
        query.terms.iter().any(|t| match &t.condition {
            Condition::Year { .. } => field == "year",
            Condition::Text(text) => match text.field {
                TextField::Author => field == "author",
                TextField::Journal => field == "journal",
                _ => false,
            },
            _ => false,
        })
    };
    let lacking = |field: &str, p: &Paper| match field {
        "year" => p.year.is_none(),
        "author" => p.authors.is_empty(),
        _ => p.journal.as_deref().is_none_or(|j| j.trim().is_empty()),
    };
    ["year", "author", "journal"]
        .into_iter()
        .filter(|field| asks(field))
        .map(|field| {
            let n = library
                .papers()
                .iter()
                .filter(|p| lacking(field, p))
                .count();
            (field, n)
        })
        .filter(|&(_, n)| n > 0)
        .collect()
}

/// A `word:` of `query` that is no field and the namespace of no loaded entity's id
/// (`relation:`), if any: the search read it as an id's namespace (`MESH:`) and it matched
/// nothing. `checked` remembers the last answer while the entities stay as many.
pub fn unknown_prefix(
    library: &Library,
    query: &crate::search::Query,
    checked: &mut Option<(String, usize, bool)>,
) -> Option<String> {
    let index = library.index();
    query.terms.iter().find_map(|t| {
        let crate::search::query::Condition::Curie { curie, .. } = &t.condition else {
            return None;
        };
        let (prefix, _) = curie.split_once(':')?;
        let count = index.entity_count();
        let known = match checked {
            Some((p, n, known)) if p == prefix && *n == count => *known,
            _ => {
                let known = index
                    .entities()
                    .any(|(_, info)| info.key.namespace().eq_ignore_ascii_case(prefix));
                *checked = Some((prefix.to_owned(), count, known));
                known
            }
        };
        (!known).then(|| prefix.to_owned())
    })
}

/// When a query of one bare year (`1999`) found nothing, how many papers have no year it
/// could have matched (PubTator and BioC records carry no dates), if any.
pub fn undated_for_bare_year(
    library: &Library,
    query_text: &str,
    found_none: bool,
) -> Option<usize> {
    let word = query_text.trim();
    let a_year = word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit());
    if !(found_none && a_year) {
        return None;
    }
    let undated = library.papers().iter().filter(|p| p.year.is_none()).count();
    (undated > 0).then_some(undated)
}

/// What a paper lacking `field` (of [`papers_lacking_queried_fields`]) has not: `no year`,
/// `no authors`, `no journal`.
pub fn lacking_what(field: &str) -> &'static str {
    match field {
        "year" => "no year",
        "author" => "no authors",
        _ => "no journal",
    }
}

fn searches_within_bookmarks(query: &crate::search::Query) -> bool {
    use crate::search::query::Condition;
    query
        .terms
        .iter()
        .any(|t| !t.negated && t.condition == Condition::Bookmarked)
}

/// What a bookmark whose paper is not loaded tells of it, as a paper for search to match:
/// its key, the id the key is (`PMID:123` is PMID 123), and its title.
fn bookmark_as_paper(bookmark: &Bookmark) -> Paper {
    let key = bookmark.key.as_str();
    let id = |prefix: &str| {
        key.strip_prefix(prefix)
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
    };
    Paper {
        key: bookmark.key.clone(),
        ids: crate::model::PaperIds {
            pmid: id("PMID:"),
            pmcid: id("PMC:"),
            doi: id("DOI:"),
        },
        title: bookmark.title.clone(),
        ..Paper::default()
    }
}

/// The longest start of `line`, in whole words, that is a whole query ([`Query::parse_whole`]):
/// `brca1` of `brca1 OR brca2`; nothing (every paper) of `year:abc`. Trimmed.
///
/// [`Query::parse_whole`]: crate::search::Query::parse_whole
pub fn longest_valid_start(line: &str) -> String {
    let word_ends = line
        .char_indices()
        .filter(|&(i, c)| c.is_whitespace() && !line[..i].ends_with(char::is_whitespace))
        .map(|(i, _)| i)
        .chain([line.len()]);
    let ends: Vec<usize> = word_ends.collect();
    ends.into_iter()
        .rev()
        .map(|end| line[..end].trim())
        .find(|start| crate::search::Query::parse_whole(start).is_ok())
        .unwrap_or("")
        .to_owned()
}

/// The most characters a paste puts into the search line.
pub const PASTE_MAX_CHARS: usize = 2000;

/// Pasted text as one search line: line breaks, tabs and other control characters become
/// spaces, runs of spaces one, none at either end; cut to [`PASTE_MAX_CHARS`] (the `bool`
/// says whether it was).
fn pasted_query_text(pasted: &str) -> (String, bool) {
    let mut out = String::with_capacity(pasted.len().min(PASTE_MAX_CHARS * 4));
    let mut chars = 0;
    let mut cut = false;
    for c in pasted.trim().chars() {
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' && out.ends_with(' ') {
            continue;
        }
        if chars == PASTE_MAX_CHARS {
            cut = true;
            break;
        }
        out.push(c);
        chars += 1;
    }
    (out.trim_end().to_owned(), cut)
}

/// Applies `action` to `state`. No I/O: what must happen outside is returned.
pub fn update(state: &mut AppState, action: Action) -> Option<Effect> {
    if !matches!(action, Action::UnboundKey(_)) {
        Recent::age(&mut state.recent_bookmark_change);
        Recent::age(&mut state.recent_deed);
    }
    let effect = apply(state, action);
    state.refresh_derived(false);
    effect
}

fn apply(state: &mut AppState, action: Action) -> Option<Effect> {
    state.message = None;
    if let Some(overlay) = state.overlay {
        let search = match &action {
            Action::Search => true,
            Action::SearchPaste(text) => !pasted_query_text(text).0.is_empty(),
            _ => false,
        };
        if !search {
            return apply_in_overlay(state, overlay, action);
        }
        // `/` (or a paste) is a search wherever it is typed: what is open gives way.
        state.overlay = None;
    }
    match action {
        Action::Quit => return Some(Effect::Quit),
        Action::Suspend => return Some(Effect::Suspend),
        Action::MoveDown => state.move_cursor(1, None),
        Action::MoveUp => state.move_cursor(-1, None),
        Action::PageDown => state.move_cursor(state.page(), None),
        Action::PageUp => state.move_cursor(-state.page(), None),
        Action::HalfPageDown => state.move_cursor((state.page() / 2).max(1), None),
        Action::HalfPageUp => state.move_cursor(-(state.page() / 2).max(1), None),
        Action::Top => state.move_cursor(0, Some(false)),
        Action::Bottom => state.move_cursor(0, Some(true)),
        Action::FocusNext => state.focus = state.focus.step(true),
        Action::FocusPrev => state.focus = state.focus.step(false),
        Action::Zoom => state.zoomed = !state.zoomed,
        Action::Search => {
            if !state.search.editing {
                state.search.pane_before_edit = Some((state.focus, state.zoomed));
            }
            state.search.editing = true;
            state.focus_the_list();
            state.search.editing_from = None;
            state.search.view_before_edit = None;
            match &state.view().kind {
                // A kept query comes back selected, as a browser's address bar does: the
                // first character typed starts a new search in its place (a user test's
                // `/muller` after `/ketanserin` searched `ketanserinmuller`), and so does a
                // paste; a cursor key or Backspace (which clears it) edit it instead.
                ViewKind::Search { query } => {
                    let query = query.clone();
                    // Within the bookmarks or an entity's papers, the words after the term
                    // that limits the search: typing over the whole line left them (a user
                    // test's `tamox` searched the library, not the bookmarks).
                    let limit = state.limiting_term().map_or(0, |(term, _)| term.len());
                    state.search.input.set(&query);
                    state.search.input.select_from(limit);
                    state.search.editing_from = Some(query);
                    state.search.view_before_edit = Some(state.view().clone());
                }
                // On an entity's papers or the bookmarks, a search within them: the line
                // starts with the term that lists them, to type after or delete.
                ViewKind::Entity(e) => {
                    let info = state.library.index().entity(*e);
                    // An entity without an id is its kind and name (`disease:"Baboon
                    // syndrome"`), not its internal key.
                    let term = if info.key.is_name_only() {
                        let field = match info.kind {
                            crate::model::EntityKind::Other => "entity",
                            kind => kind.as_str(),
                        };
                        format!("{field}:\"{}\" ", info.name.replace('"', " "))
                    } else {
                        format!("{} ", info.key)
                    };
                    let name = info.name.to_string();
                    state.search.input.set(&term);
                    // `the papers with seizures`, as the list is titled, not `seizures's`.
                    let within = format!("the papers with {name}");
                    state.say_or_shorter(
                        format!("ctrl-u searches the whole library; now within {within}"),
                        vec![format!("now within {within}; ctrl-u: whole library")],
                        false,
                    );
                    state.search.within_entity = Some((term, within));
                }
                ViewKind::Bookmarks => {
                    state.search.input.set(BOOKMARKS_TERM);
                    state.say(
                        "ctrl-u searches the whole library; now within the bookmarks",
                        false,
                    );
                }
                ViewKind::Related(_) => {
                    // No query term lists a related list: say where the search looks.
                    state.search.input.clear();
                    state.say(
                        "searching the whole library, not only the related papers",
                        false,
                    );
                }
                ViewKind::All => state.search.input.clear(),
            }
        }
        Action::SearchInput(c) => {
            state.search.input.insert(c);
            return state.search_changed();
        }
        Action::SearchPaste(raw) => {
            let (text, cut) = pasted_query_text(&raw);
            if text.is_empty() {
                return None;
            }
            // Pasted while browsing: a search for it, as if `/` came first. On a kept
            // query, which `/` shows selected, it replaces the selection as typing does, as
            // a text field's paste does: added to the query, ut24c's pasted PMID searched
            // `brca1 PMID: 6794356` and found nothing. Within an entity's papers or the
            // bookmarks only the words after the term that lists them are selected.
            if !state.search.editing {
                update(state, Action::Search);
            }
            // Inserted among words, a space the paste began or ended with stays a space
            // (ut24e's ` ovarian` pasted after `brca2` searched `brca2ovarian`); a paste
            // that is the whole line is trimmed.
            let input = &state.search.input;
            let replaces = input.is_selected() || input.as_str().trim().is_empty();
            let (before, after) = input.as_str().split_at(input.cursor());
            let space_before = !replaces
                && raw.starts_with(char::is_whitespace)
                && !before.is_empty()
                && !before.ends_with(' ');
            let space_after = !replaces
                && raw.ends_with(char::is_whitespace)
                && !after.is_empty()
                && !after.starts_with(' ');
            let text = format!(
                "{}{text}{}",
                if space_before { " " } else { "" },
                if space_after { " " } else { "" }
            );
            state.search.input.insert_str(&text);
            if cut {
                state.say(
                    format!("paste cut to its first {} characters", PASTE_MAX_CHARS),
                    false,
                );
            }
            return state.search_changed();
        }
        Action::SearchBackspace => {
            let in_search_view = matches!(state.view().kind, ViewKind::Search { .. });
            if !state.search.input.backspace() {
                if state.search.input.is_empty() && in_search_view {
                    // An emptied line in a search view shows everything again.
                    return state.search_changed();
                }
                // Nothing typed yet (no search view to make), or the cursor at the start.
                return None;
            }
            return state.search_changed();
        }
        Action::SearchEdit(edit) => {
            if state.search.input.edit(edit) {
                return state.search_changed();
            }
        }
        Action::SearchClear => {
            state.search.input.clear();
            return state.search_changed();
        }
        Action::SearchAccept => {
            // A query with an error is not accepted: its view would be a step in the
            // history showing the list from before it. Nor is one with a term left
            // unfinished (`year:202`, `title:`), which typing leaves out: kept, its
            // title would claim a filter that does nothing.
            let whole = match crate::search::Query::parse_whole(&state.search.input) {
                Ok(query) => query,
                Err(error) => {
                    // On the search line, whole, as any query error is.
                    state.search.error = Some(error.message);
                    state.say("fix the query, or Esc to drop it", true);
                    return None;
                }
            };
            // An emptied line (ctrl-u, backspace, or only `AND`) kept is no search: the
            // list before it.
            if whole.is_empty() {
                return state.accept_emptied_search();
            }
            state.search.editing = false;
            state.search.forward_before = None;
            // An edited search kept is a step of its own, after the search it was edited
            // from (asked again when gone back to); what was reached from that one is no
            // longer ahead (as a browser drops its forward pages). A second user test lost
            // `apoptosis` and `tnf` to `brca1`, each typed over the last.
            let view_before = state.search.view_before_edit.take();
            if let Some(old) = state.search.editing_from.take()
                && state.search.input != old.as_str()
            {
                let edited = state.view().clone();
                // The search edited from stays as it was, selection and scroll with it.
                let mut before = view_before.unwrap_or_else(|| edited.clone());
                before.kind = ViewKind::Search { query: old };
                *state.view_mut() = before;
                state.push_view(edited);
            }
            state.focus = Pane::Papers;
            // Kept, its last word is finished: asked again when that reads differently
            // (`species:human` typed also names entities whose names start with `human`).
            if crate::search::Query::parse(&state.search.input).ok() != Some(whole) {
                // What the list shows is said against the answer only when it is the
                // typed query's own: keys sent in one burst (`/gene:cdk4` Enter) left the
                // whole library listed, and the answer said `9 papers, not 4,530`.
                let own_rows = !state.rows_of_another_query();
                let (rows, selected) = (state.view().rows.len(), state.selected_paper());
                let query = state.search.input.to_string();
                let effect = state.send_query(query);
                state.search.reread_whole = own_rows.then_some(RereadWhole {
                    generation: state.search.generation,
                    rows,
                    selected,
                });
                return Some(effect);
            }
        }
        Action::Cancel => {
            // The innermost thing open closes first: the search line being typed, then
            // the zoom, then the pane being read, then the list (a user test read a zoomed paper of a search, and Esc
            // went back in the history, swapping the paper out, before it un-zoomed).
            let in_search_view = matches!(state.view().kind, ViewKind::Search { .. });
            let pane_before = state
                .search
                .pane_before_edit
                .take()
                .filter(|_| state.search.editing);
            if state.search.editing && in_search_view && state.search.editing_from.is_some() {
                let effect = state.cancel_search_edit();
                state.give_back_pane(pane_before);
                return effect;
            } else if !state.search.editing && state.zoomed {
                state.zoomed = false;
            } else if !state.search.editing && state.focus != Pane::Papers {
                // Reading a paper (Enter moved to its detail) or its entities, Esc comes back
                // to the list before it leaves the list.
                state.focus = Pane::Papers;
            } else if !state.search.editing && in_search_view && state.history_pos > 0 {
                // A kept search (Enter) is left as Backspace leaves it: Alt-Right brings
                // it back. One still being typed is dropped.
                return state.go_to(state.history_pos - 1);
            } else if state.search.editing || in_search_view {
                let effect = state.clear_search();
                state.give_back_pane(pane_before);
                return effect;
            } else if state.history_pos > 0 {
                // The bookmarks, an entity's or the related papers are left as Backspace
                // leaves them: a user test pressed Esc in `B` and nothing happened.
                return state.go_to(state.history_pos - 1);
            } else {
                // A key that does nothing says so (ut24c's Esc at `history 1/2` said
                // nothing, where Backspace said it was at the start).
                state.say("nothing open to close, and no list before this one", false);
            }
        }
        Action::Jump => match state.focus {
            Pane::Entities => match state.selected_entity() {
                Some(e) => state.jump_to_entity(e),
                None => state.say_no_entity(),
            },
            Pane::Papers => {
                if state.selected_paper().is_some() {
                    state.focus = Pane::Detail;
                } else {
                    // A user test pressed Enter on a `(not loaded)` bookmark: nothing
                    // happened and nothing was said.
                    state.say_no_paper("paper to read");
                }
            }
            // Already reading: say what reaches further (ut23c pressed Enter here and the
            // status only cleared).
            Pane::Detail => state.say_reading_already(),
        },
        Action::Related => match state.selected_paper() {
            Some(p) => {
                let rows = state.rows_for(&ViewKind::Related(p));
                if rows.is_empty() {
                    // Entities in a large share of the library (`human`) relate nothing.
                    state.say(
                        "no related papers: it shares no uncommon entity with another",
                        false,
                    );
                } else {
                    state.push_view(View::new(ViewKind::Related(p), rows));
                    state.count_uncapped();
                    state.focus_the_list();
                }
            }
            None => state.say_no_paper("related papers"),
        },
        Action::Back => {
            if state.history_pos > 0 {
                state.search.editing = false;
                state.search.editing_from = None;
                return state.go_to(state.history_pos - 1);
            }
            state.say("already at the start of the history", false);
        }
        Action::Forward => {
            if state.history_pos + 1 < state.history.len() {
                state.search.editing = false;
                state.search.editing_from = None;
                return state.go_to(state.history_pos + 1);
            }
            state.say("already at the end of the history", false);
        }
        Action::ToggleBookmark => match state.view().selected_row() {
            Some(Row::Paper(p)) => {
                let paper = state.library.paper(p);
                // A paper bookmarked by another of its ids (its DOI) has that bookmark removed.
                let key = state.paper_bookmark(p).map_or(&paper.key, |b| &b.key);
                return Some(Effect::ToggleBookmark {
                    key: key.clone(),
                    title: paper.title.clone(),
                });
            }
            Some(Row::MissingBookmark(i)) => {
                if let Some(b) = state.bookmarks.get(i) {
                    return Some(Effect::ToggleBookmark {
                        key: b.key.clone(),
                        title: b.title.clone(),
                    });
                }
            }
            None => state.say("no paper selected", false),
        },
        Action::UndoBookmarkRemoval => {
            // The latest removal not bookmarked again (or restored) since. Every removal
            // stays listed, so `u` can say why there is nothing left to undo.
            let removed = &state.removed_bookmarks;
            let latest = removed.iter().rposition(|b| !state.is_bookmarked(&b.key));
            if let Some(i) = latest {
                return Some(Effect::RestoreBookmark(state.removed_bookmarks[i].clone()));
            }
            if let Some(hint) = state.undo_addition_hint() {
                state.say(hint, false);
                return None;
            }
            // Short forms for a narrow status bar: at 60 columns a user test read
            // `nothing to undo: the removed bookmarks are…`.
            let (why, short) = if state.removed_bookmarks.is_empty() {
                ("no bookmark was removed in this session", "none removed")
            } else {
                ("the removed bookmarks are back", "all restored")
            };
            state.say_or_shorter(
                format!("nothing to undo: {why}"),
                vec![format!("nothing to undo: {short}")],
                false,
            );
        }
        Action::Bookmarks => {
            if state.view().kind != ViewKind::Bookmarks {
                let rows = state.rows_for(&ViewKind::Bookmarks);
                state.push_view(View::new(ViewKind::Bookmarks, rows));
                state.focus_the_list();
            }
            // Another session (a second SSH login) may have changed the file since.
            return Some(Effect::SyncBookmarks);
        }
        Action::Help => {
            state.overlay = Some(Overlay::Help);
            state.overlay_scroll = 0;
        }
        Action::Problems => {
            state.overlay = Some(Overlay::Problems);
            state.overlay_scroll = 0;
        }
        Action::Copy => match state.view().selected_row() {
            Some(Row::Paper(_)) => state.open_menu(Overlay::CopyMenu),
            // A bookmark of a paper not loaded (the bookmarks list shows every bookmark,
            // whatever folder is open) still has its key, and a page when the key is an id.
            Some(Row::MissingBookmark(_)) => {
                state.open_menu(Overlay::CopyMenu);
                state.say(NOT_LOADED_COPY, false);
            }
            None => state.say("no paper selected", false),
        },
        Action::CopyEntityId => match state.selected_entity() {
            Some(e) => {
                let info = state.library.index().entity(e);
                if info.key.is_name_only() {
                    state.say(format!("{} has no database id", info.name), false);
                } else {
                    return Some(Effect::Copy {
                        what: format!("{} id {}", info.name, info.key),
                        text: info.key.to_string(),
                    });
                }
            }
            None => state.say_no_entity(),
        },
        // One link opens at once; of several (PMC, DOI, PubMed, full text...) a menu picks.
        // A user test found `o` always opened the first.
        Action::Open => {
            let mut links = state.open_choices();
            match links.len() {
                0 => match state.view().selected_row() {
                    Some(Row::Paper(_)) => {
                        state.say("this paper has no PMID, PMC id, DOI or link to open", false)
                    }
                    Some(Row::MissingBookmark(_)) => {
                        state.say("this bookmark's key has no page to open", false)
                    }
                    None => state.say("no paper selected", false),
                },
                1 => return links.pop().map(|link| Effect::Open { url: link.url }),
                _ => state.open_menu(Overlay::OpenMenu),
            }
        }
        Action::Export => state.open_menu(Overlay::ExportMenu),
        Action::Reload => {
            state.say("reloading the library…", false);
            return Some(Effect::Reload);
        }
        Action::Click { pane, row } => {
            state.focus = pane;
            if pane == Pane::Entities
                && row < state.viewport.entity_rows
                && let Some(cursor) = state.entity_at_row(state.viewport.entity_offset + row)
            {
                state.view_mut().entity_cursor = cursor;
            }
            if pane == Pane::Papers {
                let view = state.view();
                let offset = visible_offset(
                    view.offset,
                    view.selected,
                    state.viewport.list_rows,
                    view.rows.len(),
                );
                if let Some(target) = offset.checked_add(row).filter(|&r| r < view.rows.len()) {
                    state.select_row(target);
                }
            }
        }
        Action::Wheel { pane, down } => {
            // Three rows per notch, as most terminals scroll text; one entity at a time.
            let step = if pane == Pane::Entities { 1 } else { 3 };
            state.move_in_pane(pane, if down { step } else { -step }, None);
        }
        Action::MenuPick(_) => {}
        Action::UnboundKey(key) => {
            let (hint, shorter) = state.unbound_key_hint(key);
            state.say_or_shorter(hint, shorter, false);
        }
    }
    None
}

/// Applies `action` while `overlay` is open: it takes scrolling (or a menu's cursor and
/// numbers), closing, and the other overlay's key; a letter that is none of these says so
/// ([`AppState::unbound_key_hint`]).
fn apply_in_overlay(state: &mut AppState, overlay: Overlay, action: Action) -> Option<Effect> {
    match action {
        // A number past the menu's last entry says which it has (a user test pressed 7 in a
        // menu of four links and nothing happened, nothing was said).
        Action::MenuPick(n) if n >= state.menu_len() && state.menu_len() > 0 => {
            let numbers = state.menu_numbers().unwrap_or_default();
            let picks = match overlay {
                Overlay::CopyMenu => "copies",
                Overlay::OpenMenu => "opens",
                _ => "exports",
            };
            state.say(
                format!("'{}' is no entry here: {numbers} {picks}", n + 1),
                false,
            );
        }
        Action::MenuPick(n) => return pick_menu_entry(state, overlay, n),
        Action::Click { .. } | Action::Wheel { .. } => {}
        Action::Quit => return Some(Effect::Quit),
        Action::Suspend => return Some(Effect::Suspend),
        Action::Cancel => state.overlay = None,
        Action::Help | Action::Problems => {
            let wanted = if action == Action::Help {
                Overlay::Help
            } else {
                Overlay::Problems
            };
            state.overlay = (wanted != overlay).then_some(wanted);
            state.overlay_scroll = 0;
        }
        Action::MoveDown => state.move_cursor(1, None),
        Action::MoveUp => state.move_cursor(-1, None),
        Action::PageDown | Action::HalfPageDown => state.move_cursor(state.page(), None),
        Action::PageUp | Action::HalfPageUp => state.move_cursor(-state.page(), None),
        Action::Top => state.move_cursor(0, Some(false)),
        Action::Bottom => state.move_cursor(0, Some(true)),
        Action::UnboundKey(key) => {
            let (hint, shorter) = state.unbound_key_hint(key);
            state.say_or_shorter(hint, shorter, false);
        }
        _ => {}
    }
    None
}

/// Whether an open overlay does something with `action` (see [`apply_in_overlay`]); a
/// key bound to anything else means nothing there.
fn overlay_takes(action: &Action) -> bool {
    matches!(
        action,
        Action::Cancel
            | Action::Quit
            | Action::Suspend
            | Action::Help
            | Action::Problems
            | Action::Search
            | Action::MoveDown
            | Action::MoveUp
            | Action::PageDown
            | Action::PageUp
            | Action::HalfPageDown
            | Action::HalfPageUp
            | Action::Top
            | Action::Bottom
    )
}

/// The term a search begun on the bookmarks starts its line with.
const BOOKMARKS_TERM: &str = "is:bookmarked ";

/// Whether a key no action takes says so. A modifier pressed alone (terminals with the
/// kitty keyboard protocol report it), a media key or Caps Lock are no key anyone presses
/// to do something in tomes: a message at each would be noise.
/// The names `query`'s entity terms give whole (`gene:cdk4`'s `cdk4`, `MESH:D009369`), as
/// `tomes entity` reads a name; none for a query with none.
fn names_in_query(query: &str) -> Vec<String> {
    use crate::search::query::Condition;
    let Ok(query) = crate::search::Query::parse_whole(query) else {
        return Vec::new();
    };
    query
        .terms
        .into_iter()
        .filter(|t| !t.negated)
        .filter_map(|term| match term.condition {
            Condition::Entity {
                curie: Some(curie), ..
            } => Some(curie.to_string()),
            Condition::Entity { folded, .. } if !folded.is_empty() => Some(folded.to_string()),
            Condition::Curie { curie, .. } => Some(curie.to_string()),
            _ => None,
        })
        .collect()
}

fn said_unbound(key: Key) -> bool {
    matches!(
        key.code,
        KeyCode::Char(_)
            | KeyCode::F(_)
            | KeyCode::Enter
            | KeyCode::Esc
            | KeyCode::Tab
            | KeyCode::BackTab
            | KeyCode::Backspace
            | KeyCode::Up
            | KeyCode::Down
            | KeyCode::Left
            | KeyCode::Right
            | KeyCode::Home
            | KeyCode::End
            | KeyCode::PageUp
            | KeyCode::PageDown
            | KeyCode::Insert
            | KeyCode::Delete
    )
}

/// Said when the copy menu is for a bookmark whose paper is not loaded.
const NOT_LOADED_COPY: &str = "not loaded: the bookmark has its key and link, not the paper";

/// The copy menu of a bookmark whose paper is not loaded: what its key tells (a PMID, a
/// DOI, the page they lead to); the citation and BibTeX need the paper itself. The same
/// entries as a loaded paper's, so a number copies the same thing in both.
fn bookmark_copy_choices(key: &PaperKey) -> Vec<CopyChoice> {
    let id = |prefix: &str| {
        key.as_str()
            .strip_prefix(prefix)
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
    };
    vec![
        CopyChoice {
            label: "key",
            text: Some(key.to_string()),
        },
        CopyChoice {
            label: "PMID",
            text: id("PMID:"),
        },
        CopyChoice {
            label: "DOI",
            text: id("DOI:"),
        },
        CopyChoice {
            label: "URL",
            text: crate::links::key_url(key),
        },
        CopyChoice {
            label: "citation",
            text: None,
        },
        CopyChoice {
            label: "BibTeX",
            text: None,
        },
    ]
}

/// The first visible row of a list, so the selection is on screen whatever the stored
/// offset says (the paper list is drawn with it; a click is mapped back with it).
pub fn visible_offset(offset: usize, selected: usize, rows: usize, len: usize) -> usize {
    let rows = rows.max(1);
    let mut offset = offset.min(len.saturating_sub(rows));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + rows {
        offset = selected + 1 - rows;
    }
    offset
}

/// Entry `n` of the open menu was picked.
fn pick_menu_entry(state: &mut AppState, overlay: Overlay, n: usize) -> Option<Effect> {
    match overlay {
        Overlay::CopyMenu => {
            let choice = state.copy_choices().into_iter().nth(n)?;
            state.overlay = None;
            match choice.text {
                Some(text) => Some(Effect::Copy {
                    what: choice.label.to_string(),
                    text,
                }),
                None => {
                    if matches!(state.view().selected_row(), Some(Row::MissingBookmark(_))) {
                        state.say_no_paper(choice.label);
                    } else {
                        state.say(format!("this paper has no {}", choice.label), false);
                    }
                    None
                }
            }
        }
        Overlay::OpenMenu => {
            let link = state.open_choices().into_iter().nth(n)?;
            state.overlay = None;
            Some(Effect::Open { url: link.url })
        }
        Overlay::ExportMenu => {
            let (scope, format) = *state.export_choices().get(n)?;
            state.overlay = None;
            let (papers, skipped) = state.export_papers(scope);
            let view = match scope {
                ExportScope::CurrentList => match state.view().kind {
                    ViewKind::All => "all",
                    ViewKind::Search { .. } => "search",
                    ViewKind::Entity(_) => "entity",
                    ViewKind::Related(_) => "related",
                    ViewKind::Bookmarks => "bookmarks",
                },
                ExportScope::Bookmarks => "bookmarks",
            };
            if papers.is_empty() {
                // On the bookmarks list, "this list" is the bookmarks.
                let scope = if view == "bookmarks" {
                    ExportScope::Bookmarks
                } else {
                    scope
                };
                let why = match scope {
                    ExportScope::Bookmarks if state.bookmarks.is_empty() => {
                        "there are no bookmarks"
                    }
                    ExportScope::Bookmarks => "no bookmarked paper is loaded",
                    ExportScope::CurrentList => "the list has no loaded papers",
                };
                state.say(format!("nothing to export: {why}"), false);
                return None;
            }
            Some(Effect::Export {
                papers,
                format,
                view,
                skipped,
            })
        }
        _ => None,
    }
}

/// Papers and files that came or went between two loads of the library.
fn reload_summary(old: &Library, new: &Library) -> ReloadSummary {
    use std::collections::HashSet;
    let files = |lib: &Library| -> HashSet<std::path::PathBuf> {
        lib.papers()
            .iter()
            .flat_map(|p| p.sources.iter().map(|s| s.path.to_path_buf()))
            .collect()
    };
    let (old_files, new_files) = (files(old), files(new));
    ReloadSummary {
        papers_added: new
            .papers()
            .iter()
            .filter(|p| old.find(p.key.as_str()).is_none())
            .count(),
        papers_removed: old
            .papers()
            .iter()
            .filter(|p| new.find(p.key.as_str()).is_none())
            .count(),
        files_added: new_files.difference(&old_files).count(),
        files_removed: old_files.difference(&new_files).count(),
        papers_changed: new
            .papers()
            .iter()
            .filter(|p| {
                old.find(p.key.as_str())
                    .is_some_and(|o| !same_content(old.paper(o), p))
            })
            .count(),
    }
}

/// Whether two loads of a paper say the same: every field but where it came from, and an
/// abstract still in its file compared by length and hash (its place moves when one before
/// it in the file changes; a file rewritten with the same bytes has a new modification
/// time, not new content).
fn same_content(a: &Paper, b: &Paper) -> bool {
    let abstracts_same = match (&a.abstract_text, &b.abstract_text) {
        (Some(AbstractText::InFile(x)), Some(AbstractText::InFile(y))) => {
            (x.len, x.hash) == (y.len, y.hash)
        }
        (x, y) => x == y,
    };
    abstracts_same
        && a.title == b.title
        && a.ids == b.ids
        && a.authors == b.authors
        && a.journal == b.journal
        && a.date == b.date
        && a.year == b.year
        && a.summary == b.summary
        && a.entities == b.entities
        && a.group_names == b.group_names
        && a.relations == b.relations
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Placed a few papers a turn, as the loop does with a large library, the papers' own
    /// problems are those placed in one go; until the last share they are pending work.
    #[test]
    fn problems_placed_a_share_at_a_time_are_those_placed_at_once() {
        let text = "1|t|One.\n1|a|Text.\n1\t90\t93\tOne\tGene\t7157\n\n\
                    2|t|Two.\n2|a|Text.\n2\t90\t93\tTwo\tGene\t7157\n\n\
                    3|t|Three.\n3|a|Text.\n\n\
                    4|t|Four.\n4|a|Text.\n4\t90\t94\tFour\tGene\t7157\n";
        let parsed = crate::formats::pubtator::parse(text, std::path::Path::new("a.pubtator"));
        assert!(parsed.problems.len() >= 3, "{:?}", parsed.problems);
        let mut s = AppState::loading(Keymap::defaults());
        s.apply_load_event(LoadEvent::File { parsed, bytes: 1 });
        s.apply_load_event(LoadEvent::Done);
        assert!(!s.has_pending_work(), "four papers are placed at once");
        let at_once = s.problems_of_papers.clone();
        assert_eq!(at_once.len(), 3, "{at_once:?}");
        s.problems_of_papers.clear();
        s.problems_placing = ProblemPlacing::of(&s.problems);
        let mut turns = 0;
        while !s.place_problems_of(1) {
            turns += 1;
            assert!(s.has_pending_work());
            assert!(s.problems_of_papers.is_empty(), "nothing shown half placed");
        }
        assert_eq!(turns, s.library.len() - 1);
        assert_eq!(s.problems_of_papers, at_once);
        assert!(!s.has_pending_work());
    }
}
