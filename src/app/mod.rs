//! The browser's state and the one place it changes: [`update`] applies an [`Action`] and
//! returns an [`Effect`] for the terminal loop to carry out (save a bookmark, run a search,
//! quit). Nothing here does I/O or knows about the terminal, so every behaviour can be tested
//! by feeding actions to a state built from fixtures.
//!
//! The paper list is a browser-like history of [`View`]s (all papers, search results, the
//! papers of an entity, related papers, bookmarks); each remembers its selection and scroll.

pub mod action;
pub mod keymap;

pub use action::Action;
pub use keymap::{Key, Keymap, KeymapProblem};

use crate::bookmarks::Bookmark;
use crate::config::Theme;
use crate::index::{EntityIdx, PaperIdx};
use crate::library::{Library, LoadEvent, LoadReport};
use crate::model::{EntityKind, PaperKey, Problem};
use crate::search::SearchResults;
use crossterm::event::KeyCode;

/// How many related papers the `related` view lists.
pub const RELATED_LIMIT: usize = 50;
/// How many co-mentioned entities the entity pane shows.
pub const CO_MENTIONED_LIMIT: usize = 5;

/// The panes that can hold the focus, in Tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

/// One row of the paper list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    pub entity_cursor: usize,
}

impl View {
    fn new(kind: ViewKind, rows: Vec<Row>) -> View {
        View {
            kind,
            rows,
            selected: 0,
            offset: 0,
            detail_scroll: 0,
            entity_cursor: 0,
        }
    }

    pub fn selected_row(&self) -> Option<Row> {
        self.rows.get(self.selected).copied()
    }

    /// Replaces the rows, keeping the same paper selected when it is still listed.
    fn set_rows(&mut self, rows: Vec<Row>) {
        let before = self.selected_row();
        self.rows = rows;
        match before.and_then(|r| self.rows.iter().position(|&x| x == r)) {
            Some(pos) => self.selected = pos,
            None => {
                if before.is_some() {
                    self.detail_scroll = 0;
                    self.entity_cursor = 0;
                }
                self.selected = self.selected.min(self.rows.len().saturating_sub(1));
            }
        }
    }
}

/// The search line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchState {
    /// Keys go to the search line.
    pub editing: bool,
    pub input: String,
    /// The generation of the newest query sent; older results are dropped.
    pub generation: u64,
    /// Why the last query could not run.
    pub error: Option<String>,
}

/// Background load progress.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadProgress {
    pub files_total: Option<usize>,
    pub files_done: usize,
    pub done: bool,
}

/// A one-line message in the status bar, cleared by the next action.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub text: String,
    pub is_error: bool,
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
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            list_rows: 10,
            detail_rows: 10,
            detail_lines: 0,
            overlay_rows: 10,
            overlay_lines: 0,
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

/// From this terminal width on, `Auto` puts the three panes side by side.
pub const WIDE_COLUMNS: u16 = 120;

/// How the screen should look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appearance {
    pub theme: Theme,
    /// True when `NO_COLOR` is set: meaning is then carried by bold, reverse and underline.
    pub no_color: bool,
    pub arrangement: Arrangement,
    /// Width of the paper list when side by side, in percent of the terminal width.
    pub list_width_percent: u16,
}

impl Default for Appearance {
    fn default() -> Self {
        Appearance {
            theme: Theme::default(),
            no_color: false,
            arrangement: Arrangement::Auto,
            list_width_percent: 40,
        }
    }
}

/// What the terminal loop must do after an action.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Quit,
    /// Send this query to the search worker.
    Search {
        generation: u64,
        query: String,
    },
    /// Add or remove a bookmark in the store (then call [`AppState::bookmark_toggled`]).
    ToggleBookmark {
        key: PaperKey,
        title: String,
    },
    /// These papers are new or changed: give them to the search worker.
    IndexPapers(Vec<PaperIdx>),
    /// Search docs the loader built for new papers: hand them to the search worker as is.
    IndexDocs(Vec<crate::search::SearchDoc>),
}

/// Everything the screen shows.
#[derive(Debug)]
pub struct AppState {
    pub library: Library,
    pub problems: Vec<Problem>,
    /// Config and keymap problems, shown with the load problems.
    pub config_problems: Vec<String>,
    pub bookmarks: Vec<Bookmark>,
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
    pub viewport: Viewport,
    /// The entity under the cursor and its most co-mentioned entities, worked out once per
    /// change of entity or library (it walks every paper of the entity: too much per frame).
    pub co_mentioned: Option<(EntityIdx, Vec<(EntityIdx, u32)>)>,
}

impl AppState {
    /// A state showing every paper of `library`.
    pub fn new(library: Library, keymap: Keymap) -> AppState {
        let rows = (0..library.len() as PaperIdx).map(Row::Paper).collect();
        let mut state = AppState {
            library,
            problems: Vec::new(),
            config_problems: Vec::new(),
            bookmarks: Vec::new(),
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
                done: true,
            },
            message: None,
            viewport: Viewport::default(),
            co_mentioned: None,
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

    pub fn is_bookmarked(&self, key: &PaperKey) -> bool {
        self.bookmarks.iter().any(|b| &b.key == key)
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

    /// The entity under the cursor in the entity pane.
    pub fn selected_entity(&self) -> Option<EntityIdx> {
        let paper = self.selected_paper()?;
        self.paper_entities(paper)
            .get(self.view().entity_cursor)
            .copied()
    }

    /// Brings derived data up to date with the selection; `library_changed` forces it.
    /// Co-mentioned entities are worked out only while the entity pane has the focus, so
    /// scrolling the paper list never walks the papers of a common entity (`human`).
    pub fn refresh_derived(&mut self, library_changed: bool) {
        let entity = self
            .selected_entity()
            .filter(|_| self.focus == Pane::Entities);
        let current = self.co_mentioned.as_ref().map(|(e, _)| *e);
        if entity != current || library_changed {
            self.co_mentioned =
                entity.map(|e| (e, self.library.index().co_mentioned(e, CO_MENTIONED_LIMIT)));
        }
    }

    /// Total problems to show (load and config).
    pub fn problem_count(&self) -> usize {
        self.problems.len() + self.config_problems.len()
    }

    /// What a key means here: the search line takes typing, an overlay takes scrolling and
    /// closing, otherwise the keymap decides. Ctrl-c always quits.
    pub fn action_for_key(&self, key: Key) -> Option<Action> {
        if key.ctrl && key.code == KeyCode::Char('c') {
            return Some(Action::Quit);
        }
        if self.search.editing && self.overlay.is_none() {
            return match key.code {
                KeyCode::Esc => Some(Action::Cancel),
                KeyCode::Enter => Some(Action::SearchAccept),
                KeyCode::Backspace => Some(Action::SearchBackspace),
                KeyCode::Char('u') if key.ctrl => Some(Action::SearchClear),
                KeyCode::Up => Some(Action::MoveUp),
                KeyCode::Down => Some(Action::MoveDown),
                KeyCode::PageUp => Some(Action::PageUp),
                KeyCode::PageDown => Some(Action::PageDown),
                KeyCode::Char(c) if !key.ctrl && !key.alt => Some(Action::SearchInput(c)),
                _ => None,
            };
        }
        let action = self.keymap.action(key)?.clone();
        if self.overlay.is_some() && action == Action::Quit {
            return Some(Action::Cancel);
        }
        Some(action)
    }

    fn say(&mut self, text: impl Into<String>, is_error: bool) {
        self.message = Some(Message {
            text: text.into(),
            is_error,
        });
    }

    /// Makes `view` the current one, dropping the forward history.
    fn push_view(&mut self, view: View) {
        self.history.truncate(self.history_pos + 1);
        self.history.push(view);
        self.history_pos = self.history.len() - 1;
    }

    fn rows_for(&self, kind: &ViewKind) -> Vec<Row> {
        let index = self.library.index();
        match kind {
            ViewKind::All => (0..self.library.len() as PaperIdx)
                .map(Row::Paper)
                .collect(),
            ViewKind::Search { .. } => self.view().rows.clone(),
            ViewKind::Entity(e) => index
                .papers_with(*e)
                .iter()
                .map(|&p| Row::Paper(p))
                .collect(),
            ViewKind::Related(p) => index
                .related_papers(*p, RELATED_LIMIT)
                .into_iter()
                .map(|r| Row::Paper(r.paper))
                .collect(),
            ViewKind::Bookmarks => self
                .bookmarks
                .iter()
                .enumerate()
                .map(|(i, b)| match self.library.find(b.key.as_str()) {
                    Some(p) => Row::Paper(p),
                    None => Row::MissingBookmark(i),
                })
                .collect(),
        }
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
            ViewKind::Search { query } => Some(self.send_query(query)),
            other => {
                let rows = self.rows_for(&other);
                self.view_mut().set_rows(rows);
                self.keep_selection_visible();
                None
            }
        }
    }

    fn send_query(&mut self, query: String) -> Effect {
        self.search.generation += 1;
        Effect::Search {
            generation: self.search.generation,
            query,
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
            view.detail_scroll = 0;
            view.entity_cursor = 0;
        }
        self.keep_selection_visible();
    }

    /// Moves the cursor of the focused pane by `delta` rows (`None` = to the end).
    fn move_cursor(&mut self, delta: isize, to_end: Option<bool>) {
        if self.overlay.is_some() {
            let max = self
                .viewport
                .overlay_lines
                .saturating_sub(self.viewport.overlay_rows);
            self.overlay_scroll = match to_end {
                Some(false) => 0,
                Some(true) => max,
                None => self.overlay_scroll.saturating_add_signed(delta).min(max),
            };
            return;
        }
        match self.focus {
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
                view.detail_scroll = match to_end {
                    Some(false) => 0,
                    Some(true) => max,
                    None => view.detail_scroll.saturating_add_signed(delta).min(max),
                };
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
                Pane::Detail | Pane::Entities => self.viewport.detail_rows,
            }
        };
        rows.max(1) as isize
    }

    fn jump_to_entity(&mut self, entity: EntityIdx) {
        let current = self.view().selected_row();
        let rows = self.rows_for(&ViewKind::Entity(entity));
        let mut view = View::new(ViewKind::Entity(entity), rows);
        if let Some(pos) = current.and_then(|r| view.rows.iter().position(|&x| x == r)) {
            view.selected = pos;
            view.entity_cursor = self.view().entity_cursor;
        }
        self.push_view(view);
        self.focus = Pane::Papers;
        self.keep_selection_visible();
    }

    fn go_to(&mut self, pos: usize) -> Option<Effect> {
        self.history_pos = pos;
        let effect = self.refresh_view();
        if matches!(self.view().kind, ViewKind::Search { .. }) {
            if let ViewKind::Search { query } = &self.view().kind {
                self.search.input = query.clone();
            }
        } else {
            self.search.input.clear();
            self.search.error = None;
        }
        effect
    }

    /// Leaves the search line and, when the list shows search results, goes back to what it
    /// showed before.
    fn clear_search(&mut self) {
        self.search.editing = false;
        self.search.input.clear();
        self.search.error = None;
        // Results still on their way are for a search that no longer exists.
        self.search.generation += 1;
        if matches!(self.view().kind, ViewKind::Search { .. }) && self.history_pos > 0 {
            self.history.truncate(self.history_pos);
            self.history_pos -= 1;
        }
    }

    /// The search input changed: show it in a search view and ask the worker.
    fn search_changed(&mut self) -> Option<Effect> {
        let query = self.search.input.clone();
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
            self.push_view(view);
        }
        Some(self.send_query(query))
    }

    /// Applies a search worker answer; answers to an older query are dropped.
    pub fn apply_search_results(&mut self, results: SearchResults) {
        if results.generation != self.search.generation {
            return;
        }
        if !matches!(self.view().kind, ViewKind::Search { .. }) {
            return;
        }
        match results.outcome {
            Ok(hits) => {
                self.search.error = None;
                let rows = hits.into_iter().map(|h| Row::Paper(h.paper)).collect();
                self.view_mut().set_rows(rows);
                self.keep_selection_visible();
            }
            Err(e) => self.search.error = Some(e.message),
        }
        self.refresh_derived(false);
    }

    /// Applies one event of the background load; returns what the loop must pass on.
    pub fn apply_load_event(&mut self, event: LoadEvent) -> Vec<Effect> {
        let mut effects = Vec::new();
        match event {
            LoadEvent::Found {
                files,
                walk_problems,
            } => {
                self.load.files_total = Some(files);
                self.problems.extend(walk_problems);
            }
            LoadEvent::File { parsed, .. } => {
                self.load.files_done += 1;
                let mut report = LoadReport::default();
                let touched = self.library.add_parsed(parsed, &mut report);
                self.problems.append(&mut report.problems);
                if !touched.is_empty() {
                    effects.push(Effect::IndexPapers(touched));
                    effects.extend(self.refresh_view());
                }
            }
            LoadEvent::Batch {
                parsed,
                docs,
                file_done,
                ..
            } => {
                if file_done {
                    self.load.files_done += 1;
                }
                let mut report = LoadReport::default();
                let (ready, merged) = self.library.add_parsed_with_docs(parsed, docs, &mut report);
                self.problems.append(&mut report.problems);
                let changed = !ready.is_empty() || !merged.is_empty();
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
                effects.extend(self.refresh_view());
            }
        }
        self.refresh_derived(true);
        effects
    }

    /// The bookmark store answered a toggle: `list` is its new content.
    pub fn bookmark_toggled(
        &mut self,
        title: &str,
        result: Result<bool, String>,
        list: Vec<Bookmark>,
    ) {
        self.bookmarks = list;
        match result {
            Ok(true) => self.say(format!("bookmarked: {title}"), false),
            Ok(false) => self.say(format!("bookmark removed: {title}"), false),
            Err(e) => self.say(format!("could not save bookmarks: {e}"), true),
        }
        if self.view().kind == ViewKind::Bookmarks {
            // The removed bookmark stays listed until the view is left, so a slip of `b` is
            // easy to undo; only indices of missing bookmarks must be kept valid.
            let rows = self.rows_for(&ViewKind::Bookmarks);
            self.view_mut().set_rows(rows);
        }
    }

    /// Shows a message from outside (bookmark store open problems, ...).
    pub fn notify(&mut self, text: impl Into<String>, is_error: bool) {
        self.say(text, is_error);
    }
}

/// Applies `action` to `state`. No I/O: what must happen outside is returned.
pub fn update(state: &mut AppState, action: Action) -> Option<Effect> {
    let effect = apply(state, action);
    state.refresh_derived(false);
    effect
}

fn apply(state: &mut AppState, action: Action) -> Option<Effect> {
    state.message = None;
    if let Some(overlay) = state.overlay {
        match action {
            Action::Quit => return Some(Effect::Quit),
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
            _ => {}
        }
        return None;
    }
    match action {
        Action::Quit => return Some(Effect::Quit),
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
            state.search.editing = true;
            state.focus = Pane::Papers;
            if let ViewKind::Search { query } = &state.view().kind {
                state.search.input = query.clone();
            } else {
                state.search.input.clear();
            }
        }
        Action::SearchInput(c) => {
            state.search.input.push(c);
            return state.search_changed();
        }
        Action::SearchBackspace => {
            let in_search_view = matches!(state.view().kind, ViewKind::Search { .. });
            if state.search.input.pop().is_none() && !in_search_view {
                // Nothing typed yet: no search view to make.
                return None;
            }
            return state.search_changed();
        }
        Action::SearchClear => {
            state.search.input.clear();
            return state.search_changed();
        }
        Action::SearchAccept => {
            state.search.editing = false;
            state.focus = Pane::Papers;
        }
        Action::Cancel => {
            if state.search.editing || matches!(state.view().kind, ViewKind::Search { .. }) {
                state.clear_search();
            } else if state.zoomed {
                state.zoomed = false;
            }
        }
        Action::Jump => match state.focus {
            Pane::Entities => match state.selected_entity() {
                Some(e) => state.jump_to_entity(e),
                None => state.say("no entity selected", false),
            },
            Pane::Papers => {
                if state.selected_paper().is_some() {
                    state.focus = Pane::Detail;
                }
            }
            Pane::Detail => {}
        },
        Action::Related => match state.selected_paper() {
            Some(p) => {
                let rows = state.rows_for(&ViewKind::Related(p));
                if rows.is_empty() {
                    state.say("no related papers: it shares no entity with another", false);
                } else {
                    state.push_view(View::new(ViewKind::Related(p), rows));
                    state.focus = Pane::Papers;
                }
            }
            None => state.say("no paper selected", false),
        },
        Action::Back => {
            if state.history_pos > 0 {
                state.search.editing = false;
                return state.go_to(state.history_pos - 1);
            }
            state.say("already at the start of the history", false);
        }
        Action::Forward => {
            if state.history_pos + 1 < state.history.len() {
                state.search.editing = false;
                return state.go_to(state.history_pos + 1);
            }
            state.say("already at the end of the history", false);
        }
        Action::ToggleBookmark => match state.view().selected_row() {
            Some(Row::Paper(p)) => {
                let paper = state.library.paper(p);
                return Some(Effect::ToggleBookmark {
                    key: paper.key.clone(),
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
        Action::Bookmarks => {
            if state.view().kind != ViewKind::Bookmarks {
                let rows = state.rows_for(&ViewKind::Bookmarks);
                state.push_view(View::new(ViewKind::Bookmarks, rows));
                state.focus = Pane::Papers;
            }
        }
        Action::Help => {
            state.overlay = Some(Overlay::Help);
            state.overlay_scroll = 0;
        }
        Action::Problems => {
            state.overlay = Some(Overlay::Problems);
            state.overlay_scroll = 0;
        }
    }
    None
}
