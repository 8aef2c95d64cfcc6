//! What a user can ask for: every action has a snake_case name a config file can bind a key to.

use serde::{Deserialize, Serialize};

/// A user action. The names (`move_down`, `jump`, `back`, ...) are what `config.keys` uses;
/// variants marked `serde(skip)` are internal (typing into the search line).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    MoveDown,
    MoveUp,
    Top,
    Bottom,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
    FocusNext,
    FocusPrev,
    Zoom,
    /// Opens the search line.
    Search,
    /// On an entity: list every paper mentioning it. On a paper: read its detail.
    Jump,
    Related,
    Back,
    Forward,
    ToggleBookmark,
    Bookmarks,
    /// Restores the bookmark removed last in this session (again for the one before).
    UndoBookmarkRemoval,
    Help,
    Problems,
    /// Opens the copy menu for the selected paper (key, PMID, DOI, URL, citation, BibTeX).
    Copy,
    /// Copies the selected entity's id.
    CopyEntityId,
    /// Opens the selected paper's link in a browser (or shows it); of several, a menu
    /// picks which.
    Open,
    /// Opens the export menu (current list or bookmarks, as BibTeX, RIS or CSL-JSON).
    Export,
    /// Reloads the library from disk.
    Reload,
    /// Closes the innermost thing open: an overlay, the search line, the zoom, the pane being
    /// read (back to the list); else back.
    Cancel,
    Quit,
    /// Ctrl-z, anywhere: hand the terminal back to the shell and stop, as a shell's job
    /// would, until `fg`. Not bindable, like Ctrl-c.
    #[serde(skip)]
    Suspend,
    #[serde(skip)]
    SearchInput(char),
    /// Text pasted into the terminal (bracketed paste): goes into the search line whole,
    /// its line breaks as spaces, never read as keys.
    #[serde(skip)]
    SearchPaste(String),
    #[serde(skip)]
    SearchBackspace,
    #[serde(skip)]
    SearchClear,
    /// Moves the search line's cursor or deletes around it.
    #[serde(skip)]
    SearchEdit(crate::app::line::LineEdit),
    #[serde(skip)]
    SearchAccept,
    /// Picks entry `n` (0-based) of the open menu.
    #[serde(skip)]
    MenuPick(usize),
    /// A key that means nothing where it is pressed, outside the search line: a letter
    /// is most likely a search begun without its key.
    #[serde(skip)]
    UnboundKey(crate::app::keymap::Key),
    /// A mouse click at a row (0-based, inside the border) of a pane.
    #[serde(skip)]
    Click {
        pane: crate::app::Pane,
        row: usize,
    },
    /// The mouse wheel over a pane.
    #[serde(skip)]
    Wheel {
        pane: crate::app::Pane,
        down: bool,
    },
}

impl Action {
    /// Every bindable action, in the order the help overlay lists them.
    pub const BINDABLE: [Action; 28] = [
        Action::MoveDown,
        Action::MoveUp,
        Action::Top,
        Action::Bottom,
        Action::PageDown,
        Action::PageUp,
        Action::HalfPageDown,
        Action::HalfPageUp,
        Action::FocusNext,
        Action::FocusPrev,
        Action::Zoom,
        Action::Search,
        Action::Jump,
        Action::Related,
        Action::Back,
        Action::Forward,
        Action::ToggleBookmark,
        Action::Bookmarks,
        Action::UndoBookmarkRemoval,
        Action::Help,
        Action::Problems,
        Action::Copy,
        Action::CopyEntityId,
        Action::Open,
        Action::Export,
        Action::Reload,
        Action::Cancel,
        Action::Quit,
    ];

    /// Whether the action acts on the list's rows: moves the selection, or does something
    /// with the paper or entity selected. While a search's results are on their way these
    /// wait for them ([`crate::app::AppState::waits_for_results`]); the rest (editing the
    /// query, leaving it, opening an overlay or another list) needs no rows.
    pub fn acts_on_rows(&self) -> bool {
        match self {
            Action::MoveDown
            | Action::MoveUp
            | Action::Top
            | Action::Bottom
            | Action::PageDown
            | Action::PageUp
            | Action::HalfPageDown
            | Action::HalfPageUp
            | Action::Jump
            | Action::Related
            | Action::ToggleBookmark
            | Action::Copy
            | Action::CopyEntityId
            | Action::Open
            | Action::Export
            | Action::MenuPick(_)
            | Action::Click { .. }
            | Action::Wheel { .. } => true,
            Action::FocusNext
            | Action::FocusPrev
            | Action::Zoom
            | Action::Search
            | Action::Back
            | Action::Forward
            | Action::Bookmarks
            | Action::UndoBookmarkRemoval
            | Action::Help
            | Action::Problems
            | Action::Reload
            | Action::Cancel
            | Action::Quit
            | Action::Suspend
            | Action::SearchInput(_)
            | Action::SearchPaste(_)
            | Action::SearchBackspace
            | Action::SearchClear
            | Action::SearchEdit(_)
            | Action::SearchAccept
            | Action::UnboundKey(_) => false,
        }
    }

    /// The config name (`move_down`).
    pub fn name(&self) -> &'static str {
        match self {
            Action::MoveDown => "move_down",
            Action::MoveUp => "move_up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::HalfPageDown => "half_page_down",
            Action::HalfPageUp => "half_page_up",
            Action::FocusNext => "focus_next",
            Action::FocusPrev => "focus_prev",
            Action::Zoom => "zoom",
            Action::Search => "search",
            Action::Jump => "jump",
            Action::Related => "related",
            Action::Back => "back",
            Action::Forward => "forward",
            Action::ToggleBookmark => "toggle_bookmark",
            Action::Bookmarks => "bookmarks",
            Action::UndoBookmarkRemoval => "undo_bookmark_removal",
            Action::Help => "help",
            Action::Problems => "problems",
            Action::Copy => "copy",
            Action::CopyEntityId => "copy_entity_id",
            Action::Open => "open",
            Action::Export => "export",
            Action::Reload => "reload",
            Action::Cancel => "cancel",
            Action::Quit => "quit",
            Action::Suspend => "suspend",
            Action::SearchInput(_) => "search_input",
            Action::SearchPaste(_) => "search_paste",
            Action::SearchBackspace => "search_backspace",
            Action::SearchClear => "search_clear",
            Action::SearchEdit(_) => "search_edit",
            Action::SearchAccept => "search_accept",
            Action::MenuPick(_) => "menu_pick",
            Action::UnboundKey(_) => "unbound_key",
            Action::Click { .. } => "click",
            Action::Wheel { .. } => "wheel",
        }
    }

    /// Finds a bindable action by its config name.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::BINDABLE.into_iter().find(|a| a.name() == name)
    }

    /// One line for the help overlay.
    pub fn describe(&self) -> &'static str {
        match self {
            Action::MoveDown => "next row / scroll down",
            Action::MoveUp => "previous row / scroll up",
            Action::Top => "first row",
            Action::Bottom => "last row",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::HalfPageDown => "half a page down",
            Action::HalfPageUp => "half a page up",
            Action::FocusNext => "focus next pane",
            Action::FocusPrev => "focus previous pane",
            Action::Zoom => "zoom the focused pane",
            Action::Search => "search (filters as you type)",
            Action::Jump => "entity: papers mentioning it; paper: read it",
            Action::Related => "papers related to the selected one",
            Action::Back => "back in history",
            Action::Forward => "forward in history",
            Action::ToggleBookmark => "bookmark / unbookmark paper",
            Action::Bookmarks => "list bookmarks",
            Action::UndoBookmarkRemoval => "undo the last bookmark removal",
            Action::Help => "this help",
            Action::Problems => "load and config problems",
            Action::Copy => "copy key / PMID / DOI / URL / citation / BibTeX",
            Action::CopyEntityId => "copy the selected entity's id",
            Action::Open => "open a link of the paper (a menu if several)",
            Action::Export => "export the list or bookmarks to a file",
            Action::Reload => "reload the library from disk",
            Action::Cancel => "close overlay / search / zoom / pane, else back",
            Action::Quit => "quit, or close an overlay (ctrl-c quits anywhere; ctrl-z suspends)",
            _ => "",
        }
    }
}
