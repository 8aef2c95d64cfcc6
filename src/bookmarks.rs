//! Bookmarks: papers the user marked, keyed by stable paper key, kept in `bookmarks.toml` in
//! the config folder.
//!
//! The file is meant to be read (and edited) by people:
//!
//! ```toml
//! [[bookmark]]
//! key = "PMID:123"
//! title = "A paper"
//! added = "2026-11-27T03:00:00.250Z"
//! ```
//!
//! listed by the time added. The title is stored so a bookmark whose paper is not loaded still
//! shows. A key written by hand is read as `tomes show` reads one (`9700175`, `pmid:9700175`
//! and `PMID:9700175` are one paper's: [`PaperKey::from_written`]) and stays in the file as
//! written; one that names no paper is listed as written and named, with its line
//! ([`Bookmarks::take_key_problems`]). The file is the user's as much as tomes': a save
//! edits it in place (`toml_edit`), adding or removing only the entries that changed, so
//! comments, blank lines, the order of entries and fields added by hand (`note = "..."`,
//! `tags = [...]`) stay as written (what a removed entry takes with it: [`edit_document`]).
//! Anything at the top level other than `[[bookmark]]` tables (a misspelt `[[bookmarks]]`)
//! makes the file one that cannot all be read, moved aside as below rather than saved over.
//!
//! Saving, in order of what matters:
//! - **Never lose the file.** Writes go to a temp file in the same folder, are fsynced, then
//!   renamed over `bookmarks.toml` (the old version kept as `bookmarks.toml.bak`, linked or
//!   copied before the rename), then the folder is fsynced. A crash at any point leaves
//!   either the old or the new file. A damaged file never becomes the `.bak`: it is kept
//!   aside whole, and the `.bak` keeps the readable version before it. The `.bak` and a
//!   damaged file's copy are in the config folder even when `bookmarks.toml` is a symlink.
//! - **Never overwrite what we cannot read, and lose no more than that.** A `bookmarks.toml`
//!   that cannot all be read is moved to `bookmarks.toml.corrupt-<UTC timestamp>` untouched
//!   and a fresh file is started with what could be read: when the file is TOML, every valid
//!   entry; when it is not (a typo in one table, a bad byte), every `[[bookmark]]` table that
//!   is valid on its own, and of one that is not, every line that reads when its key does
//!   ([`repaired_table`]), as laid out, with the comments the file opens with and those in
//!   and above the entries kept ([`parse`]). The message names each entry
//!   dropped and each line left out, by line and why: `kept 12 bookmarks, dropped 1 (line
//!   9: missing field `key`); the original is at <path>`.
//! - **Two sessions at once** (two SSH logins) each keep their changes: a save takes an
//!   advisory lock on `bookmarks.lock`, re-reads the file, replays this session's adds and
//!   removes made since its last sync onto what is on disk, writes, and unlocks. So neither
//!   session overwrites the other's set; a removal in one is honoured by the other. What a
//!   session had that went from the file (bookmarks, or their notes: another session's
//!   removal, or a file cut short or edited by hand) is first written, as it had it, to
//!   `bookmarks.toml.gone-<UTC timestamp>`, and said.
//! - **A folder we cannot write** does not stop tomes: bookmarks work in memory (a damaged
//!   file is left as it is, what could be read of it shown), `open` says why they cannot be
//!   saved, and every `toggle` returns `Err(reason)` (the change is kept in memory, and saved
//!   by a later toggle or [`Bookmarks::sync`] if the folder becomes writable).
//!   [`Bookmarks::save_error`] tells a status bar whether the last save failed.

use crate::app::count;
use crate::library::Library;
use crate::model::PaperKey;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs::TryLockError;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The bookmark file's name inside the config folder.
pub const BOOKMARKS_FILE: &str = "bookmarks.toml";
/// The previous version of the file, kept by each save.
pub const BACKUP_FILE: &str = "bookmarks.toml.bak";
/// Locked (advisory, exclusive) while a save re-reads and rewrites the file. A separate file
/// because the bookmark file itself is replaced by rename on every save.
pub const LOCK_FILE: &str = "bookmarks.lock";
const CORRUPT_PREFIX: &str = "bookmarks.toml.corrupt-";
/// Where a save keeps the bookmarks as this session had them when some went from the file
/// ([`Bookmarks::keep_what_went`]).
const GONE_PREFIX: &str = "bookmarks.toml.gone-";

const FILE_HEADER: &str = "# tomes bookmarks, oldest first. Safe to edit while tomes is not running.\n\
                           # Each bookmark table has the paper key, its title and the time it was added (UTC).\n\n";

/// One bookmark; the title is kept so a bookmark whose paper is not loaded still shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bookmark {
    pub key: PaperKey,
    pub title: String,
    /// When it was added, RFC 3339 UTC (`2026-11-27T03:00:00.250Z`; older files have whole
    /// seconds).
    pub added: String,
    /// The `note = "..."` the user wrote in its entry, to be shown with it; empty when none.
    /// Only read: the entry's own lines keep it in the file.
    pub note: String,
}

/// Which bookmark is each loaded paper's, made under any of the paper's ids: a paper keyed
/// by its PMID is bookmarked by a bookmark of its DOI or PMCID, or of its PMID written
/// another way (`pmid:0123`), as [`Library::find`] reads each. Of two bookmarks of one
/// paper, the one of the paper's own key comes first, else the first listed. Every place
/// that tells whether a paper is bookmarked (its star, its note, the key `b` removes) asks
/// this: matched by key alone, a paper bookmarked by its DOI showed no star.
///
/// Kept up to date where the bookmarks or the library change, so a frame only looks up:
/// asked per drawn row, finding each bookmark's paper there cost ~100k finds a frame at
/// 4,000 bookmarks. While papers load, only the bookmarks whose paper is not loaded yet are
/// looked for again, each by the ways of writing its key worked out once.
#[derive(Clone, Debug, Default)]
pub struct BookmarkTable {
    /// The bookmark (its place in the list) of each loaded paper that has one.
    by_paper: HashMap<crate::index::PaperIdx, usize>,
    /// Each bookmark's paper, when loaded, by place in the list.
    papers: Vec<Option<crate::index::PaperIdx>>,
    /// The notes of a paper bookmarked under two of its ids (by its PMID and by its DOI)
    /// when both have one: shown together, one after the other.
    joined_notes: HashMap<crate::index::PaperIdx, String>,
    /// The bookmarks whose paper is not loaded: their place in the list, and the ways
    /// [`Library::find`] would try their key.
    unmatched: Vec<(usize, Vec<String>)>,
}

impl BookmarkTable {
    /// The table of `bookmarks` in `library`, worked out whole (bookmarks changed, or the
    /// library was replaced).
    pub fn new(bookmarks: &[Bookmark], library: &Library) -> BookmarkTable {
        let mut table = BookmarkTable {
            by_paper: HashMap::with_capacity(bookmarks.len()),
            papers: vec![None; bookmarks.len()],
            joined_notes: HashMap::new(),
            unmatched: Vec::new(),
        };
        for (i, bookmark) in bookmarks.iter().enumerate() {
            let written = ways_written(&bookmark.key);
            match find_written(library, &written) {
                Some(paper) => table.note(bookmarks, library, paper, i),
                None => table.unmatched.push((i, written)),
            }
        }
        table
    }

    /// Papers were added to `library` (or merged into loaded ones, gaining ids): the
    /// bookmarks not matched yet are looked for again. `bookmarks` is the list the table
    /// was made of.
    pub fn papers_added(&mut self, bookmarks: &[Bookmark], library: &Library) {
        let mut unmatched = std::mem::take(&mut self.unmatched);
        unmatched.retain(|(i, written)| match find_written(library, written) {
            Some(paper) => {
                self.note(bookmarks, library, paper, *i);
                false
            }
            None => true,
        });
        self.unmatched = unmatched;
    }

    /// The place in the list of the bookmark of the loaded paper `paper`.
    pub fn of_paper(&self, paper: crate::index::PaperIdx) -> Option<usize> {
        self.by_paper.get(&paper).copied()
    }

    /// The loaded paper of the bookmark at place `i` in the list.
    pub fn paper_of(&self, i: usize) -> Option<crate::index::PaperIdx> {
        self.papers.get(i).copied().flatten()
    }

    /// The loaded papers bookmarked, each once.
    pub fn papers(&self) -> impl Iterator<Item = crate::index::PaperIdx> + '_ {
        self.by_paper.keys().copied()
    }

    /// The notes of `paper`'s bookmarks when it has several with notes (under two of its
    /// ids), joined with a blank line.
    pub fn joined_note(&self, paper: crate::index::PaperIdx) -> Option<&str> {
        self.joined_notes.get(&paper).map(String::as_str)
    }

    /// Takes bookmark `i` as `paper`'s unless the paper has one already; one of the paper's
    /// own key takes the place of one of another of its ids.
    fn note(
        &mut self,
        bookmarks: &[Bookmark],
        library: &Library,
        paper: crate::index::PaperIdx,
        i: usize,
    ) {
        if let Some(place) = self.papers.get_mut(i) {
            *place = Some(paper);
        }
        if self.by_paper.contains_key(&paper) {
            // Every bookmark of the paper's notes, in list order, each once.
            let notes: Vec<&str> = (0..bookmarks.len())
                .filter(|&j| self.papers[j] == Some(paper))
                .map(|j| bookmarks[j].note.as_str())
                .filter(|note| !note.is_empty())
                .collect();
            let mut joined: Vec<&str> = Vec::new();
            for note in notes.iter().flat_map(|n| n.split("\n\n")) {
                if !joined.contains(&note) {
                    joined.push(note);
                }
            }
            if joined.len() > 1 {
                self.joined_notes.insert(paper, joined.join("\n\n"));
            }
        }
        let own = &library.paper(paper).key;
        self.by_paper
            .entry(paper)
            .and_modify(|had| {
                if &bookmarks[*had].key != own && &bookmarks[i].key == own {
                    *had = i;
                }
            })
            .or_insert(i);
    }
}

/// The ways [`Library::find`] tries `key`: as written, read as [`PaperKey::from_written`]
/// reads it, and without the zeros a PMID was padded with.
fn ways_written(key: &PaperKey) -> Vec<String> {
    let mut ways = vec![key.as_str().trim().to_owned()];
    if let Ok(read) = PaperKey::from_written(key.as_str()) {
        let unpadded = read.unpadded();
        for way in std::iter::once(read).chain(unpadded) {
            if !ways.contains(&way.0) {
                ways.push(way.0);
            }
        }
    }
    ways
}

fn find_written(library: &Library, ways: &[String]) -> Option<crate::index::PaperIdx> {
    ways.iter().find_map(|way| library.find_written(way))
}

/// A change made in this session and not yet merged into the file. Kept as an operation, not
/// as a resulting set, so replaying it onto another session's file keeps that session's work.
#[derive(Clone, Debug)]
enum Change {
    Add(Bookmark),
    Remove(PaperKey),
}

impl Change {
    fn key(&self) -> &PaperKey {
        match self {
            Change::Add(b) => &b.key,
            Change::Remove(key) => key,
        }
    }
}

/// The bookmark store.
#[derive(Debug, Default)]
pub struct Bookmarks {
    /// What this session shows: the file as last synced plus `pending`.
    items: Vec<Bookmark>,
    dir: Option<PathBuf>,
    path: Option<PathBuf>,
    /// Changes since the last successful sync, at most one per key (the latest).
    pending: Vec<Change>,
    /// Why the last save failed, if it did.
    save_error: Option<String>,
    /// Something the user should hear about that happened during a save that succeeded
    /// (the file was found unreadable and moved aside).
    notice: Option<Notice>,
    /// Fields of an entry tomes does not use (a `note = "..."` added by hand), by key,
    /// written back with it when a damaged file is written afresh.
    extras: ExtraFields,
    /// Each bookmark's table as last read from the file, comments and all, by key: what a
    /// bookmark removed (here or by another session) and made again is written back as.
    known: KnownTables,
    /// What the last save did to bookmarks' lines beyond adding or removing their entries,
    /// by key: those it removed leaving their lines in the file, commented out (they held a
    /// note, a comment or a field of the user's: [`edit_document`]), and those it made again
    /// from such lines (their note, comments and time with them).
    kept_lines: Vec<(PaperKey, KeptLines)>,
    /// The entries of the file whose key tomes cannot read as a paper's, as last read: listed
    /// under their key as written, and named to the user ([`Bookmarks::take_key_problems`]).
    unread: Vec<Dropped>,
    /// `unread` as last taken, so the same ones are not named again at each save.
    unread_taken: Vec<Dropped>,
    /// The entries of the file read otherwise than as written (a note's stray quotes, a
    /// bookmark listed twice), as last read, named to the user with `unread`.
    noted: Vec<Dropped>,
    /// `noted` as last taken.
    noted_taken: Vec<Dropped>,
    /// Where in the file each bookmark this session removed stood, by key: a `u` puts it
    /// back there, in a file the user ordered by hand as much as in one ordered by time.
    removed_from: HashMap<PaperKey, Place>,
    /// Each bookmark's entry line (the first of a key listed twice), in file order, as last
    /// read: where a bookmark of a paper listed again under another of its ids is named.
    entry_lines: Vec<(PaperKey, usize)>,
    /// Whether the file was written since `entry_lines` were read (the lines may have moved).
    lines_stale: bool,
    /// The entries bookmarking a paper another entry bookmarks under another of its ids, as
    /// last worked out, and as last taken.
    repeats: Vec<Dropped>,
    repeats_taken: Vec<Dropped>,
}

/// Where an entry stood in the file: the entries just before and after it (their keys).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Place {
    after: Option<PaperKey>,
    before: Option<PaperKey>,
}

/// What a toggle did to a bookmark's lines beyond adding or removing its entry, for its
/// message: the user may wonder where their note went, or whether it came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeptLines {
    /// Nothing more: an entry added or removed.
    Neither,
    /// Removed, its lines left in the file commented out ([`Bookmarks::left_commented_out`]).
    LeftCommentedOut,
    /// Made again from its commented-out lines ([`Bookmarks::brought_back`]).
    BroughtBack,
}

/// Something about the bookmark file the user should hear: what happened, and the whole
/// message (paths, what was kept and dropped) for the problems list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub message: String,
}

/// What happened to the bookmark file, decided where the message is written so the status
/// bar's few words ([`NoticeKind::status_words`]) always match it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// Part of the file could not be read: it was moved aside and the readable bookmarks
    /// started a new file.
    Salvaged,
    /// None of it could be read: it was moved aside and a new bookmark file started.
    MovedAside,
    /// Bookmarks made now cannot be saved (no config folder, a folder that cannot be
    /// written, a file that cannot be read or moved aside): they last until tomes exits.
    CannotSave,
    /// Bookmarks (or their notes) this session had were gone from the file (another session
    /// removed them, or the file was cut short or edited by hand): the bookmarks as this
    /// session had them were written to a file beside it.
    GoneFromFile,
}

impl NoticeKind {
    /// A few words for the status bar; the whole message goes to the problems list.
    pub fn status_words(self) -> &'static str {
        match self {
            NoticeKind::Salvaged => "bookmark file damaged; readable ones kept",
            NoticeKind::MovedAside => "bookmark file unreadable, moved aside",
            NoticeKind::CannotSave => "bookmarks cannot be saved",
            NoticeKind::GoneFromFile => "bookmarks gone from the file; a copy is kept",
        }
    }
}

/// Fields of bookmark entries beyond key, title and time, by bookmark key.
type ExtraFields = std::collections::BTreeMap<String, toml::Table>;

/// Bookmark tables as laid out in the file (comments, spacing, field order), by key.
type KnownTables = std::collections::BTreeMap<String, toml_edit::Table>;

/// What `bookmarks.toml` holds.
enum OnDisk {
    Missing,
    /// Every entry read.
    Whole(Salvage),
    /// Some of it (maybe all) could not be read: the file must not be saved over.
    Damaged(Salvage),
}

/// What could be read of a bookmark file, and what could not.
#[derive(Debug, Default)]
struct Salvage {
    /// The valid bookmarks, sorted by time added, each key once.
    kept: Vec<Bookmark>,
    /// The kept entries' fields tomes does not use.
    extras: ExtraFields,
    /// The entries (or stretches of the file) left out, in file order.
    dropped: Vec<Dropped>,
    /// Lines left out of kept bookmarks (their tables did not read whole), in file order.
    left_out: Vec<Dropped>,
    /// Entries whose key is no paper key tomes reads ([`PaperKey::from_written`]), in file
    /// order: listed under their key as written, and no damage. Named to the user.
    unread: Vec<Dropped>,
    /// Entries read otherwise than as written, each named to the user with its line: a note
    /// whose quotes were not escaped, read as the text between its first and last quote
    /// ([`mended_note`]); a bookmark listed again (its note shown with the first's).
    noted: Vec<Dropped>,
    /// How many notes were read so: the file is not TOML as written, so a save that must
    /// write it keeps the original aside, as of a damaged file.
    mended: usize,
    /// Each kept bookmark's entry line (the first of a key listed twice), in file order.
    lines: Vec<(PaperKey, usize)>,
    /// The file as laid out, for a save to edit, so comments and layout stay as the user
    /// left them: all of it when every entry was read; of a damaged file, what of it can be
    /// written back ([`parse`]).
    document: Option<toml_edit::DocumentMut>,
}

/// An entry of the file that is not a bookmark, or a stretch of it that is not TOML.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Dropped {
    /// Where it starts in the file, counting from 1: the `[[bookmark]]` line of a table (or,
    /// before the first table, the line where toml stopped).
    line: usize,
    reason: String,
}

/// The file as written, for saving.
#[derive(Serialize)]
struct StoredFile {
    bookmark: Vec<StoredBookmark>,
}

/// The file as read: each entry kept as plain TOML, with where it is, so a bad entry can be
/// dropped (and named by line) without losing the others.
#[derive(Deserialize)]
struct LooseFile {
    #[serde(default)]
    bookmark: Vec<toml::Spanned<toml::Value>>,
    /// Whatever else is at the top level.
    #[serde(flatten)]
    other: toml::Table,
}

#[derive(Serialize)]
struct StoredBookmark {
    key: String,
    /// Left out when empty: a bookmark written by hand with its key alone stays so.
    #[serde(skip_serializing_if = "String::is_empty")]
    title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    added: String,
    /// Fields written by hand, after tomes' own.
    #[serde(flatten)]
    extra: toml::Table,
}

impl Bookmarks {
    /// Opens the store in `dir` (normally [`crate::config::config_dir`]), creating the folder
    /// if missing. Returns the store and a notice for the user when something went wrong:
    /// the file could not all be read and was moved aside (the message says where, what was
    /// kept and which entries were dropped; the kept ones start the new file), or bookmarks
    /// cannot be saved (the message says why; bookmarks still work until tomes exits). When
    /// both, the notice is [`NoticeKind::CannotSave`] and its message says both.
    pub fn open(dir: Option<&Path>) -> (Bookmarks, Option<Notice>) {
        let mut store = Bookmarks {
            dir: dir.map(Path::to_path_buf),
            path: dir.map(|d| d.join(BOOKMARKS_FILE)),
            ..Bookmarks::default()
        };
        let Some(dir) = dir else {
            let reason = "no config folder (no home folder found; set TOMES_CONFIG_DIR)";
            store.save_error = Some(reason.to_owned());
            return (store, Some(cannot_save_notice(reason)));
        };
        let file = dir.join(BOOKMARKS_FILE);

        let lock = match fs::create_dir_all(dir).and_then(|()| lock_folder(dir)) {
            Ok(lock) => Some(lock),
            Err(e) => {
                store.save_error = Some(format!("cannot write in {}: {e}", dir.display()));
                None
            }
        };
        let mut messages = Vec::new();
        let mut kind = None;
        match read_file(&file) {
            Ok(OnDisk::Missing) => {}
            Ok(OnDisk::Whole(mut whole)) => {
                store.take_layout_of(&mut whole);
                store.items = whole.kept;
            }
            Ok(OnDisk::Damaged(mut salvage)) => {
                let damage = describe_damage(&file, &salvage);
                let kept_any = !salvage.kept.is_empty();
                let document = store.take_layout_of(&mut salvage);
                // Shown whatever happens to the file, so the good bookmarks are never hidden.
                store.items = salvage.kept;
                if lock.is_none() {
                    // Cannot move it aside in a read-only folder; leave it for the user. (No
                    // lock means `save_error` is set: the notice is that it cannot be saved.)
                    messages.push(format!("{damage}; it is left untouched"));
                } else {
                    match move_aside(dir) {
                        Ok(moved) => {
                            // Written afresh with what could be read; a damaged file where
                            // a symlink points is replaced even when nothing could be.
                            let written = if kept_any || moved.still_in_place {
                                store.write_afresh(dir, document, &store.items).map(drop)
                            } else {
                                Ok(())
                            };
                            match written {
                                Err(e) if moved.still_in_place => {
                                    let _ = fs::remove_file(&moved.path);
                                    store.save_error = Some(format!(
                                        "{damage}; it could not be replaced ({e}) and is left \
                                         untouched"
                                    ));
                                }
                                written => {
                                    let notice = moved_aside_notice(&damage, kept_any, &moved.path);
                                    kind = Some(notice.kind);
                                    messages.push(notice.message);
                                    if let Err(e) = written {
                                        store.save_error =
                                            Some(format!("cannot save {}: {e}", file.display()));
                                        store.keep_as_unsaved(store.items.clone());
                                    }
                                }
                            }
                        }
                        Err(e) => {
                            store.save_error = Some(format!(
                                "{damage}; it could not be moved aside ({e}) and is left \
                                 untouched"
                            ));
                        }
                    }
                }
            }
            Err(e) => {
                // Present but unreadable (permissions, a folder...): never overwrite it.
                store.save_error = Some(format!("cannot read {}: {e}", file.display()));
            }
        }
        drop(lock);
        if let Some(reason) = &store.save_error {
            // Said last, and what the status bar says: it is what the user must know now.
            let notice = cannot_save_notice(reason);
            kind = Some(notice.kind);
            messages.push(notice.message);
        }
        let notice = kind.map(|kind| Notice {
            kind,
            message: messages.join("; "),
        });
        (store, notice)
    }

    pub fn contains(&self, key: &PaperKey) -> bool {
        self.items.iter().any(|b| &b.key == key)
    }

    /// The bookmarks in `dir`, for a command that only reads them (`tomes search`,
    /// `tomes export --bookmarks`): no folder or lock file is made, and a damaged file is
    /// left as it is (the browser moves it aside), its readable entries used. The message
    /// says what could not be read.
    pub fn read_only(dir: Option<&Path>) -> (Vec<Bookmark>, Option<String>) {
        let Some(dir) = dir else {
            return (Vec::new(), None);
        };
        let file = dir.join(BOOKMARKS_FILE);
        match read_file(&file) {
            Ok(OnDisk::Missing) => (Vec::new(), None),
            Ok(OnDisk::Whole(whole)) => {
                let message =
                    (!whole.unread.is_empty()).then(|| describe_unread(&file, &whole.unread));
                (whole.kept, message)
            }
            Ok(OnDisk::Damaged(salvage)) => {
                let mut message =
                    format!("{}; it is left untouched", describe_damage(&file, &salvage));
                if !salvage.unread.is_empty() {
                    message = format!("{}; {message}", describe_unread(&file, &salvage.unread));
                }
                (salvage.kept, Some(message))
            }
            Err(e) => (
                Vec::new(),
                Some(format!("cannot read {}: {e}", file.display())),
            ),
        }
    }

    /// Bookmarks without a time of adding (none written, or one that is no time) in the
    /// file's order, then the others in the order they were added.
    pub fn list(&self) -> &[Bookmark] {
        &self.items
    }

    /// Adds or removes a bookmark and saves. Returns whether it is now bookmarked, or, when
    /// saving failed, a message saying why; the change is kept in memory either way (so after
    /// an `Err`, [`contains`](Self::contains) tells the new state) and is saved by the next
    /// successful save. Saving also picks up other sessions' changes.
    pub fn toggle(&mut self, key: &PaperKey, title: &str) -> Result<bool, String> {
        let change = if let Some(pos) = self.items.iter().position(|b| &b.key == key) {
            self.items.remove(pos);
            Change::Remove(key.clone())
        } else {
            let bookmark = Bookmark {
                key: key.clone(),
                title: title.to_owned(),
                added: format_rfc3339_millis_utc(SystemTime::now()),
                // Its entry's lines come back with it (`table_for`), its note with them.
                note: self.known_note(key),
            };
            // A new bookmark, not one put back: at the end of the file.
            self.removed_from.remove(key);
            self.items.push(bookmark.clone());
            Change::Add(bookmark)
        };
        // Only the latest change per key matters: each is "make it present/absent".
        self.pending.retain(|c| c.key() != key);
        self.pending.push(change);
        let now_bookmarked = self.contains(key);
        self.sync()?;
        Ok(now_bookmarked)
    }

    /// Bookmarks again a paper whose bookmark was removed, as it was: with the time it was
    /// first added, so it goes back to its place in the list, and in the file where its
    /// entry stood (before the entry that followed it, else after the one before it), in a
    /// file ordered by hand as in one ordered by time; among bookmarks of the same time
    /// (written by hand without one), where it was. Saves like [`toggle`](Self::toggle); a
    /// paper bookmarked meanwhile keeps the bookmark it has. Returns whether it is
    /// bookmarked.
    pub fn restore(&mut self, bookmark: Bookmark) -> Result<bool, String> {
        if self.contains(&bookmark.key) {
            return Ok(true);
        }
        self.pending.retain(|c| c.key() != &bookmark.key);
        self.pending.push(Change::Add(bookmark.clone()));
        // Where it was among those of the same time (bookmarks written by hand have none).
        let at = self.removed_from.get(&bookmark.key).and_then(|place| {
            let index = |key: &Option<PaperKey>| {
                let key = key.as_ref()?;
                self.items.iter().position(|b| &b.key == key)
            };
            index(&place.before).or_else(|| index(&place.after).map(|i| i + 1))
        });
        self.items.insert(at.unwrap_or(self.items.len()), bookmark);
        sort_by_time_added(&mut self.items);
        self.sync()?;
        Ok(true)
    }

    /// Merges with the file: takes the lock, re-reads `bookmarks.toml` (picking up other
    /// sessions' changes), replays this session's unsaved adds and removes onto it, writes it
    /// back if anything changed, and unlocks. Call it to refresh the list, e.g. when the
    /// bookmarks pane is opened. On error nothing is lost: the unsaved changes stay pending.
    pub fn sync(&mut self) -> Result<(), String> {
        let result = self.try_sync();
        self.save_error = result.as_ref().err().cloned();
        result
    }

    /// Same as [`sync`](Self::sync), under the name a "reload" key binding would use.
    pub fn reload(&mut self) -> Result<(), String> {
        self.sync()
    }

    /// Why the last save failed, or `None` when it succeeded (or nothing was saved yet).
    pub fn save_error(&self) -> Option<&str> {
        self.save_error.as_deref()
    }

    /// Whether this session has changes not yet in the file.
    pub fn has_unsaved_changes(&self) -> bool {
        !self.pending.is_empty()
    }

    /// A notice from the last save the user should see (e.g. an unreadable file found and
    /// moved aside), taken so it is shown once.
    pub fn take_notice(&mut self) -> Option<Notice> {
        self.notice.take()
    }

    /// The entries of the file whose key names no paper tomes can tell (`key = "PMD:1"`),
    /// each a problem at its line (they are listed as written, as bookmarks of papers not
    /// loaded), with those read otherwise than as written: a bookmark listed again, under
    /// the same key or under another id of a paper of `library` (its PMID and its DOI:
    /// [`BookmarkTable`] shows them as one). When they changed since last taken: `None`
    /// when they did not, so a caller replaces what it showed only then (a hand edit while
    /// tomes runs, read at a sync; the papers loaded).
    pub fn take_key_problems(&mut self, library: &Library) -> Option<Vec<crate::model::Problem>> {
        self.repeats = self.paper_repeats(library);
        if self.lines_stale && !self.repeats.is_empty() {
            // Named at the lines the file has them now.
            if let Some(path) = &self.path
                && let Ok(OnDisk::Whole(read) | OnDisk::Damaged(read)) = read_file(path)
            {
                self.entry_lines = read.lines;
                self.lines_stale = false;
                self.repeats = self.paper_repeats(library);
            }
        }
        if self.unread == self.unread_taken
            && self.noted == self.noted_taken
            && self.repeats == self.repeats_taken
        {
            return None;
        }
        self.unread_taken = self.unread.clone();
        self.noted_taken = self.noted.clone();
        self.repeats_taken = self.repeats.clone();
        let mut noted: Vec<&Dropped> = self.noted.iter().chain(&self.repeats).collect();
        noted.sort_by_key(|d| d.line);
        let file = self
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(BOOKMARKS_FILE));
        Some(
            self.unread
                .iter()
                .map(|d| {
                    let message = format!(
                        "the bookmark's key: {}; it is listed as written, as a paper not loaded",
                        d.reason
                    );
                    crate::model::Problem::new(&file, Some(d.line), message)
                })
                .chain(
                    noted
                        .into_iter()
                        .map(|d| crate::model::Problem::new(&file, Some(d.line), &d.reason)),
                )
                .collect(),
        )
    }

    /// The entries that bookmark a paper of `library` an entry above them bookmarks under
    /// another of its ids, named as a key listed again is ([`parse`]).
    fn paper_repeats(&self, library: &Library) -> Vec<Dropped> {
        let mut first: HashMap<crate::index::PaperIdx, (&PaperKey, usize)> = HashMap::new();
        let mut repeats = Vec::new();
        for (key, line) in &self.entry_lines {
            let Some(paper) = find_written(library, &ways_written(key)) else {
                continue;
            };
            let &mut (first_key, first_line) = first.entry(paper).or_insert((key, *line));
            if first_key == key {
                continue;
            }
            let note = self
                .items
                .iter()
                .find(|b| &b.key == key)
                .is_some_and(|b| !b.note.is_empty());
            repeats.push(Dropped {
                line: *line,
                reason: format!(
                    "{REPEATED} {key}, the paper of {first_key} (first at line {first_line}); \
                     read as one{}",
                    if note {
                        ", its note shown with the first's"
                    } else {
                        ""
                    }
                ),
            });
        }
        repeats
    }

    /// Where the store is saved, if anywhere.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether the last save removed `key`'s bookmark leaving its lines in the file,
    /// commented out, because they held words the user wrote (a `note`, a comment, a field
    /// of their own): what the message of a removal says.
    pub fn left_commented_out(&self, key: &PaperKey) -> bool {
        self.kept_lines(key) == KeptLines::LeftCommentedOut
    }

    /// What the last save did to `key`'s lines beyond adding or removing its entry.
    pub fn kept_lines(&self, key: &PaperKey) -> KeptLines {
        self.kept_lines
            .iter()
            .find(|(kept, _)| kept == key)
            .map_or(KeptLines::Neither, |&(_, lines)| lines)
    }

    /// Whether the last save made `key`'s bookmark again from the lines an earlier removal
    /// left commented out in the file (note and comments as written): what the message of
    /// a `b` says.
    pub fn brought_back(&self, key: &PaperKey) -> bool {
        self.kept_lines(key) == KeptLines::BroughtBack
    }

    /// The note the file last had in `key`'s entry (or that a damaged file's entry kept).
    fn known_note(&self, key: &PaperKey) -> String {
        let in_table = self
            .known
            .get(key.as_str())
            .and_then(|table| table.get("note"))
            .and_then(toml_edit::Item::as_str);
        let in_extras = || {
            self.extras
                .get(key.as_str())
                .and_then(|extra| extra.get("note"))
                .and_then(toml::Value::as_str)
        };
        in_table.or_else(in_extras).unwrap_or_default().to_owned()
    }

    fn try_sync(&mut self) -> Result<(), String> {
        let Some(dir) = self.dir.clone() else {
            return Err("no config folder to save bookmarks in".to_owned());
        };
        let file = dir.join(BOOKMARKS_FILE);
        let cannot_write = |e: io::Error| format!("cannot write in {}: {e}", dir.display());
        fs::create_dir_all(&dir).map_err(cannot_write)?;
        let lock = lock_folder(&dir).map_err(cannot_write)?;
        self.kept_lines.clear();

        // Where a damaged file went, when this save found one.
        let mut aside = None;
        // The file as laid out, edited in place when it could all be read.
        let mut document = None;
        // How many notes of a file otherwise whole were read past their stray quotes.
        let mut mended = 0;
        let (mut merged, mut must_write) = match read_file(&file) {
            Ok(OnDisk::Missing) => (Vec::new(), true),
            Ok(OnDisk::Whole(mut whole)) => {
                mended = whole.mended;
                // Before the file's fields replace those this session knew.
                self.keep_what_went(&dir, &whole)?;
                document = self.take_layout_of(&mut whole);
                (whole.kept, false)
            }
            Ok(OnDisk::Damaged(mut salvage)) => {
                let damage = describe_damage(&file, &salvage);
                let moved = move_aside(&dir).map_err(|e| {
                    format!("{damage}; it could not be moved aside ({e}), so it is not saved over")
                })?;
                let mut notice = moved_aside_notice(&damage, !salvage.kept.is_empty(), &moved.path);
                document = self.take_layout_of(&mut salvage);
                let read = salvage.kept.len();
                let merged = with_missing_from(salvage.kept, &self.items);
                // A dropped entry this session knew is not lost: say so (its own new
                // bookmarks are not news).
                let added_now = |b: &Bookmark| {
                    self.pending
                        .iter()
                        .any(|c| matches!(c, Change::Add(a) if a.key == b.key))
                };
                let restored = merged[read..].iter().filter(|b| !added_now(b)).count();
                if restored > 0 {
                    notice.message.push_str(&format!(
                        "; {restored} more kept as this session had {}",
                        if restored == 1 { "it" } else { "them" }
                    ));
                }
                self.notice = Some(notice);
                aside = Some(moved);
                (merged, true)
            }
            Err(e) => {
                return Err(format!(
                    "cannot read {}: {e}; not saving over it",
                    file.display()
                ));
            }
        };
        // A missing file needs writing only if there is something to write; a damaged file
        // still in place (where a symlink points) is replaced whatever it held.
        let damaged_in_place = aside.as_ref().is_some_and(|a| a.still_in_place);
        if must_write && merged.is_empty() && self.pending.is_empty() && !damaged_in_place {
            must_write = false;
        }
        must_write |= apply_changes(&mut merged, &self.pending);
        if must_write && mended > 0 {
            // The file is not TOML as the user wrote it: kept aside whole, as a damaged file
            // is (never the `.bak`), and written afresh with the notes escaped.
            let moved = move_aside(&dir).map_err(|e| {
                format!(
                    "{} has notes with unescaped quotes; it could not be moved aside ({e}), so \
                     it is not saved over",
                    file.display()
                )
            })?;
            self.notice = Some(Notice {
                kind: NoticeKind::Salvaged,
                message: format!(
                    "{} had {} with unescaped quotes, saved escaped; the original is at {}",
                    file.display(),
                    count(mended, "note"),
                    moved.path.display()
                ),
            });
            aside = Some(moved);
        }
        if must_write {
            let written = if aside.is_some() {
                self.write_afresh(&dir, document, &merged)
            } else {
                let mut document = document.unwrap_or_else(new_document);
                let edited = edit_document(
                    &mut document,
                    &self.pending,
                    &self.known,
                    &self.extras,
                    &self.removed_from,
                );
                // Bookmarks of one time (written by hand without one) listed as the file
                // lists them, as when it is read.
                in_file_order(&mut merged, &document);
                write_atomically(&dir, &document.to_string(), Backup::Keep).map(|()| edited)
            };
            let written = written.map(|edited| {
                for change in &self.pending {
                    if let Change::Add(bookmark) = change {
                        self.removed_from.remove(&bookmark.key);
                    }
                }
                self.removed_from.extend(edited.removed_from);
                // Shown as its lines make it: their note, the time it was first added.
                for bookmark in &edited.brought_back {
                    if let Some(item) = merged.iter_mut().find(|b| b.key == bookmark.key) {
                        let title = std::mem::take(&mut item.title);
                        *item = bookmark.clone();
                        if item.title.is_empty() {
                            item.title = title;
                        }
                    }
                }
                sort_by_time_added(&mut merged);
                let left = edited.commented_out.into_iter();
                let back = edited.brought_back.into_iter().map(|b| b.key);
                self.kept_lines = left
                    .map(|key| (key, KeptLines::LeftCommentedOut))
                    .chain(back.map(|key| (key, KeptLines::BroughtBack)))
                    .collect();
            });
            if let Err(e) = written {
                if let Some(aside) = &aside {
                    // No file holds them now but the one kept aside: keep them all as
                    // unsaved changes, so the next save writes them.
                    self.items = merged.clone();
                    self.keep_as_unsaved(merged);
                    if aside.still_in_place {
                        // The damaged file is where it was, untouched, and the next save
                        // finds it again: no copy piles up at each failed save, and no
                        // notice names a copy that is gone.
                        let _ = fs::remove_file(&aside.path);
                        self.notice = None;
                        return Err(format!(
                            "{} is damaged and could not be replaced ({e}); it is left as \
                             it is",
                            file.display()
                        ));
                    }
                }
                return Err(format!("cannot save {}: {e}", file.display()));
            }
        }
        self.lines_stale |= must_write;
        if must_write && !(self.unread.is_empty() && self.noted.is_empty()) {
            // Named at the lines the file has them now (a removal above one may have left
            // lines commented out; notes read with stray quotes are written escaped).
            if let Ok(OnDisk::Whole(read) | OnDisk::Damaged(read)) = read_file(&file) {
                self.unread = read.unread;
                self.noted = read.noted;
                self.entry_lines = read.lines;
                self.lines_stale = false;
            }
        }
        drop(lock);
        self.items = merged;
        self.pending.clear();
        Ok(())
    }

    /// When the file read (`on_disk`) lacks bookmarks this session had and did not remove,
    /// or fields of them it had (a note, a title): another session removed them, or the
    /// file was cut short or edited by hand. Before the save honours that, writes the
    /// bookmarks as this session had them, notes and all, to a file of their own beside it
    /// (`bookmarks.toml.gone-<UTC timestamp>`, which no later save replaces) and says so.
    /// A user test cut the file short while tomes ran: the next `b` saved over it, and the
    /// `.bak` got the cut file, a bookmark and its note lost for good.
    fn keep_what_went(&mut self, dir: &Path, on_disk: &Salvage) -> Result<(), String> {
        // What this session changed since it last read the file is its own to save.
        let changed_here = |key: &PaperKey| self.pending.iter().any(|c| c.key() == key);
        let mut gone = Vec::new();
        let mut cut = Vec::new();
        for b in &self.items {
            if changed_here(&b.key) {
                continue;
            }
            match on_disk.kept.iter().find(|k| k.key == b.key) {
                None => gone.push(b),
                Some(there) => {
                    let fields_there = on_disk.extras.get(b.key.as_str());
                    let field_went = self.extras.get(b.key.as_str()).is_some_and(|ours| {
                        ours.keys()
                            .any(|f| fields_there.is_none_or(|t| !t.contains_key(f)))
                    });
                    if field_went || there.title.is_empty() && !b.title.is_empty() {
                        cut.push(b);
                    }
                }
            }
        }
        if gone.is_empty() && cut.is_empty() {
            return Ok(());
        }
        let text = render(&self.items, &self.extras)
            .map_err(|e| format!("cannot keep the bookmarks gone from the file: {e}"))?;
        let kept = unused_stamped_path(dir, GONE_PREFIX);
        write_new_file(dir, &kept, text.as_bytes()).map_err(|e| {
            format!(
                "{} lacks bookmarks or notes this session had, and they could not be kept \
                 beside it ({e}); not saving over it",
                dir.join(BOOKMARKS_FILE).display()
            )
        })?;
        let named = |list: &[&Bookmark]| {
            let titles: Vec<String> = list
                .iter()
                .take(3)
                .map(|b| crate::model::quoted(&b.title).to_string())
                .collect();
            match list.len().saturating_sub(titles.len()) {
                0 => crate::model::listed(&titles, "and"),
                more => format!("{} and {more} more", titles.join(", ")),
            }
        };
        let mut what = Vec::new();
        if !gone.is_empty() {
            what.push(format!(
                "{} ({})",
                count(gone.len(), "bookmark"),
                named(&gone)
            ));
        }
        if !cut.is_empty() {
            what.push(format!(
                "the notes or titles of {} ({})",
                count(cut.len(), "bookmark"),
                named(&cut)
            ));
        }
        self.notice = Some(Notice {
            kind: NoticeKind::GoneFromFile,
            message: format!(
                "{} no longer has {} this session had: removed by another session, or the \
                 file was cut short or edited; the bookmarks as this session had them are in \
                 {}",
                dir.join(BOOKMARKS_FILE).display(),
                crate::model::listed(&what, "and"),
                kept.display()
            ),
        });
        Ok(())
    }

    /// Writes a damaged file afresh (its original kept aside whole): what could be read of
    /// it ([`rewritten`]) with this session's changes and `items`. It never becomes the
    /// `.bak`, which keeps the version before it.
    fn write_afresh(
        &self,
        dir: &Path,
        document: Option<toml_edit::DocumentMut>,
        items: &[Bookmark],
    ) -> io::Result<Edited> {
        let (text, edited) = rewritten(document, items, &self.pending, &self.known, &self.extras)?;
        write_atomically(dir, &text, Backup::Skip)?;
        Ok(edited)
    }

    /// Takes from what was read of the file its layout: the file as laid out, for a save to
    /// edit (returned), each bookmark's table as laid out (`known`), and the fields tomes
    /// does not use of the bookmarks it lists (`extras`), as the file has them now (another
    /// session or a hand edit may have changed them). Those of bookmarks it no longer lists
    /// are kept, for a bookmark this session brings back.
    fn take_layout_of(&mut self, read: &mut Salvage) -> Option<toml_edit::DocumentMut> {
        self.unread = std::mem::take(&mut read.unread);
        self.noted = std::mem::take(&mut read.noted);
        self.entry_lines = std::mem::take(&mut read.lines);
        self.lines_stale = false;
        for bookmark in &read.kept {
            self.extras.remove(bookmark.key.as_str());
        }
        self.extras.append(&mut read.extras);
        let document = read.document.take();
        if let Some(document) = &document {
            self.known.extend(tables_in(document));
        }
        document
    }

    /// Makes `items` changes this session has yet to save (as adds), keeping the pending
    /// removals: for when they live only in memory after the file was moved aside.
    fn keep_as_unsaved(&mut self, items: Vec<Bookmark>) {
        self.pending
            .retain(|change| matches!(change, Change::Remove(_)));
        self.pending.extend(items.into_iter().map(Change::Add));
    }
}

/// What a damaged file could still give, plus what this session shows that it no longer
/// lists. A damaged file cannot tell a bookmark another session removed from one whose entry
/// was garbled, and a bookmark coming back is better than one lost (removing it again is one
/// key). With nothing salvaged this is this session's view, as it always was for an
/// unreadable file.
fn with_missing_from(mut salvaged: Vec<Bookmark>, ours: &[Bookmark]) -> Vec<Bookmark> {
    let listed: HashSet<PaperKey> = salvaged.iter().map(|b| b.key.clone()).collect();
    salvaged.extend(ours.iter().filter(|b| !listed.contains(&b.key)).cloned());
    salvaged
}

fn cannot_save_notice(reason: &str) -> Notice {
    Notice {
        kind: NoticeKind::CannotSave,
        message: format!(
            "bookmarks cannot be saved ({reason}); bookmarks you make last until tomes exits"
        ),
    }
}

/// How many entries of a damaged file are named in a message; the rest are counted.
const DROPPED_NAMED: usize = 3;

/// `<file> could not all be read: kept 12 bookmarks, dropped 1 (line 9: missing field
/// `key`)`, or, when nothing could be kept, `<file> could not be read (line 1: ...)`. Lines
/// left out of kept bookmarks are counted apart: `kept 2 bookmarks, left out 1 line (line
/// 11: `garbage = = =` left out of bookmark PMID:2: ...)`.
fn describe_damage(file: &Path, salvage: &Salvage) -> String {
    let mut problems: Vec<&Dropped> = salvage.dropped.iter().chain(&salvage.left_out).collect();
    problems.sort_by_key(|d| d.line);
    let mut named: Vec<String> = problems
        .iter()
        .take(DROPPED_NAMED)
        .map(|d| format!("line {}: {}", d.line, d.reason))
        .collect();
    if problems.len() > DROPPED_NAMED {
        named.push(format!("and {} more", problems.len() - DROPPED_NAMED));
    }
    let named = named.join("; ");
    let kept = salvage.kept.len();
    if kept == 0 {
        return format!("{} could not be read ({named})", file.display());
    }
    let mut counts = Vec::new();
    if !salvage.dropped.is_empty() {
        counts.push(format!("dropped {}", salvage.dropped.len()));
    }
    if !salvage.left_out.is_empty() {
        counts.push(format!(
            "left out {}",
            count(salvage.left_out.len(), "line")
        ));
    }
    format!(
        "{} could not all be read: kept {}, {} ({named})",
        file.display(),
        count(kept, "bookmark"),
        counts.join(", ")
    )
}

/// `<file> has 1 bookmark whose key names no paper, listed as written (line 5: "PMD:1"
/// is not a paper key (...))`.
fn describe_unread(file: &Path, unread: &[Dropped]) -> String {
    let mut named: Vec<String> = unread
        .iter()
        .take(DROPPED_NAMED)
        .map(|d| format!("line {}: {}", d.line, d.reason))
        .collect();
    if unread.len() > DROPPED_NAMED {
        named.push(format!("and {} more", unread.len() - DROPPED_NAMED));
    }
    let whose = if unread.len() == 1 {
        "whose key names"
    } else {
        "whose keys name"
    };
    format!(
        "{} has {} {whose} no paper, listed as written ({})",
        file.display(),
        count(unread.len(), "bookmark"),
        named.join("; ")
    )
}

fn moved_aside_notice(damage: &str, kept_any: bool, moved: &Path) -> Notice {
    if kept_any {
        Notice {
            kind: NoticeKind::Salvaged,
            message: format!("{damage}; the original is at {}", moved.display()),
        }
    } else {
        Notice {
            kind: NoticeKind::MovedAside,
            message: format!(
                "{damage}; it was moved to {} and a new bookmark file started",
                moved.display()
            ),
        }
    }
}

/// Replays `changes` onto `items` (add if absent, remove if present), then orders by time
/// added. Returns whether anything changed.
fn apply_changes(items: &mut Vec<Bookmark>, changes: &[Change]) -> bool {
    let mut changed = false;
    for change in changes {
        match change {
            Change::Add(bookmark) => {
                if !items.iter().any(|b| b.key == bookmark.key) {
                    items.push(bookmark.clone());
                    changed = true;
                }
            }
            Change::Remove(key) => {
                let before = items.len();
                items.retain(|b| &b.key != key);
                changed |= items.len() != before;
            }
        }
    }
    sort_by_time_added(items);
    changed
}

/// Sorts by the time added, oldest first: up to the seconds by text (our times all begin in
/// one shape), then by the fraction of a second, if any (times written before milliseconds
/// were kept have none). Bookmarks without a time ([`is_a_time`]: none written, or
/// `added = "yesterday"`) come before every one with a time, as the oldest, in the file's
/// order (a file written by hand, then added to by tomes, is listed as it reads): before,
/// one without sorted first and `yesterday` last, by their text. The sort is stable, so
/// bookmarks added in the same instant keep the order they were added in. (A hand-edited
/// time in another shape, `2026-11-27 03:00`, sorts by its text, which is close enough.)
fn sort_by_time_added(items: &mut [Bookmark]) {
    items.sort_by(|a, b| time_order(&a.added).cmp(&time_order(&b.added)));
}

/// Whether `added` is a time a bookmark can be listed by: a date (`2026-11-27`), alone or
/// followed by a time of day (`T03:00:00.250Z`, ` 03:00`).
fn is_a_time(added: &str) -> bool {
    let b = added.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let number = |r: std::ops::Range<usize>| added[r].parse::<u32>().unwrap_or(0);
    b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (1..=12).contains(&number(5..7))
        && (1..=31).contains(&number(8..10))
        && (b.len() == 10
            || (matches!(b[10], b'T' | b't' | b' ') && b.get(11).is_some_and(u8::is_ascii_digit)))
}

/// `2026-11-27T03:00:00.250Z` -> (true, `2026-11-27T03:00:00`, 250,000,000 ns); a time
/// without a fraction has fraction 0; no time at all ([`is_a_time`]) is (false, "", 0),
/// before every time.
fn time_order(added: &str) -> (bool, &str, u64) {
    const SECONDS: usize = "2026-11-27T03:00:00".len();
    if !is_a_time(added) {
        return (false, "", 0);
    }
    let (Some(whole), Some(rest)) = (added.get(..SECONDS), added.get(SECONDS..)) else {
        return (true, added, 0);
    };
    let fraction = match rest.strip_prefix('.').and_then(|f| f.strip_suffix('Z')) {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            // Nanoseconds, whatever the number of digits written (without allocating: the
            // sort works this out at every comparison).
            digits
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(9)
                .fold(0, |n, b| n * 10 + u64::from(b - b'0'))
        }
        _ if rest == "Z" => 0,
        _ => return (true, added, 0),
    };
    (true, whole, fraction)
}

/// How long a save waits for another tomes to finish its save. Saves take milliseconds;
/// waiting this long means the other process is stopped (Ctrl-Z) or hung, and the UI should
/// not freeze behind it: the change stays in memory and the user is told.
const LOCK_PATIENCE: Duration = Duration::from_secs(10);

/// Opens and exclusively locks the lock file; the lock is released when it is dropped
/// (or when the process dies, so a killed tomes never leaves it locked).
///
/// Where the file system cannot lock at all (some network mounts), saving goes ahead
/// unlocked: saving without protection from a rare concurrent save beats never saving.
fn lock_folder(dir: &Path) -> io::Result<File> {
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE))?;
    let started = Instant::now();
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(lock),
            Err(TryLockError::WouldBlock) if started.elapsed() < LOCK_PATIENCE => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "{} is held by another tomes for over {} s",
                        LOCK_FILE,
                        LOCK_PATIENCE.as_secs()
                    ),
                ));
            }
            Err(TryLockError::Error(_)) => return Ok(lock),
        }
    }
}

fn read_file(path: &Path) -> io::Result<OnDisk> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(OnDisk::Missing),
        Err(e) => return Err(e),
    };
    let salvage = parse(&bytes);
    Ok(
        if salvage.dropped.is_empty() && salvage.left_out.is_empty() {
            OnDisk::Whole(salvage)
        } else {
            OnDisk::Damaged(salvage)
        },
    )
}

/// The comment lines (and blank lines between them) of a stretch of a file that does not
/// read: all of them, or for a broken table only those after its last line of TOML.
fn comment_lines(bytes: &[u8], is_table: bool) -> String {
    let lines: Vec<&str> = bytes
        .split_inclusive(|&b| b == b'\n')
        .map(|line| std::str::from_utf8(line).unwrap_or("?"))
        .collect();
    let is_comment = |line: &str| line.trim().is_empty() || line.trim_start().starts_with('#');
    let from = if is_table {
        lines.len() - lines.iter().rev().take_while(|l| is_comment(l)).count()
    } else {
        0
    };
    lines[from..]
        .iter()
        .filter(|l| is_comment(l))
        .map(|line| line.trim_end_matches(['\r', '\n']))
        .filter(|line| !line.contains(|c: char| c.is_control() && c != '\t'))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Takes out of a file read whole everything that is not a bookmark: tables tomes does not
/// know (`[[bookmarks]]`), entries without a key, fields of the wrong type. The comments
/// above what goes are kept: those above a bookmark entry on the entry after it, the rest
/// at the top (they are most often the file's opening lines) or, with no entry left, at
/// the end.
fn keep_only_bookmarks(document: &mut toml_edit::DocumentMut) {
    let mut orphans = String::new();
    let others: Vec<String> = document
        .iter()
        .map(|(name, _)| name.to_owned())
        .filter(|name| name != "bookmark")
        .collect();
    for name in others {
        if let Some((key, item)) = document.remove_entry(&name) {
            orphans.push_str(&prefix_of(key.leaf_decor()));
            match &item {
                toml_edit::Item::Table(table) => orphans.push_str(&prefix_of(table.decor())),
                toml_edit::Item::ArrayOfTables(array) => {
                    for table in array.iter() {
                        orphans.push_str(&prefix_of(table.decor()));
                    }
                }
                _ => {}
            }
        }
    }
    match document.get_mut("bookmark") {
        Some(toml_edit::Item::ArrayOfTables(_)) => {
            while let Some(index) = entry_index(document, |entry| !is_bookmark(entry)) {
                let _ = remove_entry_at(document, index, false);
            }
        }
        Some(toml_edit::Item::Value(toml_edit::Value::Array(array))) => {
            array.retain(|value| {
                value
                    .as_inline_table()
                    .is_some_and(|t| is_bookmark(&EntryFields::Inline(t)))
            });
        }
        Some(_) => {
            if let Some((key, _)) = document.remove_entry("bookmark") {
                orphans.push_str(&prefix_of(key.leaf_decor()));
            }
        }
        None => {}
    }
    let orphans: String = orphans
        .split_inclusive('\n')
        .filter(|line| line.trim_start().starts_with('#'))
        .collect();
    if orphans.is_empty() {
        return;
    }
    match document
        .get_mut("bookmark")
        .and_then(toml_edit::Item::as_array_of_tables_mut)
        .and_then(|array| array.get_mut(0))
    {
        Some(first) => {
            let own = prefix_of(first.decor());
            first.decor_mut().set_prefix(format!("{orphans}{own}"));
        }
        None => {
            let trailing = document.trailing().as_str().unwrap_or_default().to_owned();
            document.set_trailing(format!("{orphans}{trailing}"));
        }
    }
}

/// Whether an entry is one [`bookmark_from`] reads.
fn is_bookmark(entry: &EntryFields) -> bool {
    bookmark_from(entry.plain()).is_ok()
}

/// The file as an editable document that keeps its comments and layout.
fn document_of(bytes: &[u8]) -> Result<toml_edit::DocumentMut, Dropped> {
    let text = std::str::from_utf8(bytes).map_err(|_| Dropped {
        line: 1,
        reason: "not UTF-8".to_owned(),
    })?;
    text.parse().map_err(|e: toml_edit::TomlError| Dropped {
        line: 1 + e.span().map_or(0, |span| {
            text.get(..span.start).unwrap_or(text).matches('\n').count()
        }),
        reason: format!("cannot be edited in place: {}", one_line(e.message())),
    })
}

/// Reads the file's bytes, keeping every valid bookmark and naming what is not one, and the
/// file as laid out to be edited: all of it, when every entry reads; else what of it can be
/// written back ([`Salvage::document`]).
///
/// A file that is TOML is read whole and each `[[bookmark]]` entry checked on its own. One
/// that is not (a hand edit's typo, a bad byte: not UTF-8) is cut into its `[[bookmark]]`
/// tables and each read on its own, so a broken table costs only itself, and of that only
/// the lines that do not read when its key does ([`repaired_table`]). Not UTF-8 is
/// judged per table too, rather than read with the bad bytes replaced: a kept bookmark is
/// exactly what was written, never a guess (the whole file is kept aside anyway).
///
/// What of a damaged file is written back as laid out: its readable bookmark tables with
/// the comments in and above them, and the comments it opens with (a user test found
/// `# my reading list` gone from the file written afresh). A file that is TOML loses only
/// what is not a bookmark ([`keep_only_bookmarks`]). Of one that is not, a table that reads
/// on its own is kept as written, one that does not without the lines that do not read; of
/// one whose key does not read either, and of what comes before the first table, only
/// comment lines ([`comment_lines`]). No document when even that cannot be made out; the
/// file is then written afresh from the bookmarks alone.
///
/// A key listed twice (hand edits, old merges): the first one in the file wins, silently.
fn parse(bytes: &[u8]) -> Salvage {
    let mut entries = Vec::new();
    let mut dropped = Vec::new();
    let mut left_out = Vec::new();
    let mut whole = read_entries(bytes, 1);
    let mut whole_document = document_of(bytes);
    // A note with quotes in it not escaped (`note = "compare with "Smith 2019" cohort"`, a
    // user's hand edit) is read as the text between its first and last quote, rather than
    // cost the bookmark its note and the file its place. Only in a file that does not read:
    // such a line may be part of a multi-line string.
    let mut noted = Vec::new();
    let mended_bytes;
    let mut bytes = bytes;
    if whole.is_err() || whole_document.is_err() {
        let (mended, notes) = mended_notes(bytes);
        if !notes.is_empty() {
            noted = notes;
            mended_bytes = mended;
            bytes = &mended_bytes;
            whole = read_entries(bytes, 1);
            whole_document = document_of(bytes);
        }
    }
    let mended = noted.len();
    // Of a file toml_edit cannot read whole, what can be written back.
    let mut readable = String::new();
    if whole.is_err() || whole_document.is_err() {
        for part in split_at_tables(bytes) {
            // Worked out once, for whichever side wants it first.
            let repaired = std::cell::OnceCell::new();
            if whole_document.is_err() {
                let as_written = std::str::from_utf8(part.bytes)
                    .ok()
                    .filter(|text| part.is_table && only_bookmarks(text));
                match as_written.or_else(|| {
                    repaired
                        .get_or_init(|| repaired_table(&part))
                        .as_ref()
                        .map(|repaired| repaired.text.as_str())
                        .filter(|text| only_bookmarks(text))
                }) {
                    Some(table) => readable.push_str(table),
                    None => readable.push_str(&comment_lines(part.bytes, part.is_table)),
                }
                if !readable.is_empty() && !readable.ends_with('\n') {
                    readable.push('\n');
                }
            }
            if whole.is_ok() {
                continue;
            }
            let alone = read_entries(part.bytes, part.first_line);
            let repaired = || {
                repaired
                    .into_inner()
                    .unwrap_or_else(|| repaired_table(&part))
            };
            let read = alone.or_else(|problem| match repaired() {
                Some(repaired) => {
                    left_out.extend(repaired.left_out);
                    Ok((vec![repaired.entry], Vec::new()))
                }
                None => Err(problem),
            });
            match read {
                Ok((found, unknown)) => {
                    entries.extend(found);
                    dropped.extend(unknown);
                }
                // A table is named by its `[[bookmark]]` line, with where toml stopped.
                Err((line, reason)) if part.is_table => dropped.push(Dropped {
                    line: part.first_line,
                    reason: if line == part.first_line {
                        reason
                    } else {
                        format!("{reason} (at line {line})")
                    },
                }),
                // What comes before the first table is no bookmark: name the bad line.
                Err((line, reason)) => dropped.push(Dropped { line, reason }),
            }
        }
    }
    if let Ok((found, unknown)) = whole {
        entries = found;
        dropped.extend(unknown);
    }
    let mut kept: Vec<Bookmark> = Vec::with_capacity(entries.len());
    // Each key listed, with its entry's line.
    let mut listed: HashMap<PaperKey, usize> = HashMap::new();
    let mut lines = Vec::new();
    let mut extras = ExtraFields::new();
    let mut unread = Vec::new();
    for (line, value) in entries {
        // A key written by hand (`9700175`, `pmid:9700175`) is the paper's key, as
        // `tomes show` reads it; the file keeps it as written. One that names no paper
        // is listed as written (never hidden, and `b` removes it) and named to the user.
        let read = bookmark_from(value).inspect(|(bookmark, _)| {
            if let Err(reason) = PaperKey::from_written(bookmark.key.as_str()) {
                unread.push(Dropped { line, reason });
            }
        });
        match read.map(|(mut bookmark, extra)| {
            bookmark.key = paper_key(bookmark.key.as_str());
            (bookmark, extra)
        }) {
            // A key listed again: the first entry wins, but fields written by hand only in
            // the later one are kept with it, and its note is shown after the first's. The
            // user hears of it: a note written there was never shown.
            Ok((bookmark, extra)) if listed.contains_key(&bookmark.key) => {
                let first_line = listed[&bookmark.key];
                noted.push(Dropped {
                    line,
                    reason: format!(
                        "{REPEATED} {} (first at line {first_line}); read as one{}",
                        bookmark.key,
                        if bookmark.note.is_empty() {
                            ""
                        } else {
                            ", its note shown after the first's"
                        }
                    ),
                });
                if let Some(first) = kept.iter_mut().find(|b| b.key == bookmark.key)
                    && !bookmark.note.is_empty()
                    && !first.note.split("\n\n").any(|n| n == bookmark.note)
                {
                    first.note = if first.note.is_empty() {
                        bookmark.note
                    } else {
                        format!("{}\n\n{}", first.note, bookmark.note)
                    };
                }
                let first = extras.entry(bookmark.key.0.clone()).or_default();
                for (field, value) in extra {
                    first.entry(field).or_insert(value);
                }
            }
            Ok((bookmark, extra)) => {
                // Kept as written (in the file and the list), named so the user can mend it.
                if !bookmark.added.is_empty() && !is_a_time(&bookmark.added) {
                    noted.push(Dropped {
                        line,
                        reason: format!(
                            "{NOT_A_TIME} {} (tomes writes 2026-11-27T03:00:00Z); the \
                             bookmark is kept as written, listed before those with a time",
                            crate::model::quoted(&bookmark.added),
                        ),
                    });
                }
                listed.insert(bookmark.key.clone(), line);
                lines.push((bookmark.key.clone(), line));
                if !extra.is_empty() {
                    extras.insert(bookmark.key.0.clone(), extra);
                }
                kept.push(bookmark);
            }
            Err(reason) => dropped.push(Dropped { line, reason }),
        }
    }
    dropped.sort_by_key(|d| d.line);
    noted.sort_by_key(|d| d.line);
    sort_by_time_added(&mut kept);
    let damaged = !dropped.is_empty() || !left_out.is_empty();
    let document = match whole_document {
        Ok(document) if !damaged => Some(document),
        Ok(mut document) => {
            keep_only_bookmarks(&mut document);
            Some(document)
        }
        Err(problem) => {
            // Cannot happen where every entry read (one TOML parser underlies both); if it
            // ever did, the file is treated as damaged, so it is kept aside, not saved over.
            if !damaged {
                dropped.push(problem);
            }
            readable.parse().ok().map(|mut document| {
                keep_only_bookmarks(&mut document);
                document
            })
        }
    };
    Salvage {
        kept,
        extras,
        dropped,
        left_out,
        unread,
        noted,
        mended,
        lines,
        document,
    }
}

/// A few words for the status bar on a problem [`Bookmarks::take_key_problems`] gave (the
/// problems list has it whole).
pub fn problem_words(message: &str) -> &'static str {
    if message.starts_with(UNESCAPED_NOTE) {
        "a bookmark note has unescaped quotes; read past them"
    } else if message.starts_with(REPEATED) {
        "a bookmark is listed twice in the file"
    } else if message.starts_with(NOT_A_TIME) {
        "a bookmark's `added` is not a time"
    } else {
        "a bookmark's key names no paper"
    }
}

/// How a problem of a note read with its quotes unescaped begins ([`mended_note`]).
pub const UNESCAPED_NOTE: &str = "note has unescaped quotes";
/// How a problem of a bookmark listed twice begins.
pub const REPEATED: &str = "bookmark listed again:";
/// How a problem of a bookmark whose `added` is no time ([`is_a_time`]) begins.
pub const NOT_A_TIME: &str = "`added` is not a time:";

/// `bytes` with each `note = "..."` line whose inner quotes are not escaped written as TOML
/// ([`mended_note`]), and a problem for each, at its line.
fn mended_notes(bytes: &[u8]) -> (Vec<u8>, Vec<Dropped>) {
    let mut mended = Vec::with_capacity(bytes.len() + 16);
    let mut notes = Vec::new();
    for (index, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        match std::str::from_utf8(line).ok().and_then(mended_note) {
            Some((code, note)) => {
                mended.extend_from_slice(code.as_bytes());
                notes.push(Dropped {
                    line: index + 1,
                    reason: format!("{UNESCAPED_NOTE}; read as: {}", one_line(&note)),
                });
            }
            None => mended.extend_from_slice(line),
        }
    }
    (mended, notes)
}

/// A line `note = "..."` whose text holds quotes not escaped (`note = "compare with "Smith
/// 2019" cohort"`): the line written as TOML, with the note read as the text between the
/// first and last quote. `None` for any other line, and one that reads as it is.
fn mended_note(line: &str) -> Option<(String, String)> {
    let code = line.trim_end_matches(['\n', '\r']);
    let end = &line[code.len()..];
    let rest = code.trim_start();
    let indent = &code[..code.len() - rest.len()];
    let value = rest
        .strip_prefix("note")?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('"') || code.parse::<toml_edit::DocumentMut>().is_ok() {
        return None;
    }
    let written = toml_edit::Value::from(inner).to_string();
    Some((
        format!("{indent}note = {}{end}", written.trim()),
        inner.to_owned(),
    ))
}

/// Whether `text` is TOML holding only bookmarks, each one [`bookmark_from`] reads: what of
/// a damaged file is written back as it is.
fn only_bookmarks(text: &str) -> bool {
    text.parse::<toml_edit::DocumentMut>()
        .is_ok_and(|mut alone| {
            let before = alone.to_string();
            keep_only_bookmarks(&mut alone);
            alone.to_string() == before
        })
}

/// A `[[bookmark]]` table that does not read whole, read line by line: what does not read
/// is left out of it.
struct Repaired {
    /// The table's lines that read, as written (comments and blank lines too).
    text: String,
    /// The lines left out, each named by its line and why.
    left_out: Vec<Dropped>,
    /// The entry they make, with its line.
    entry: (usize, toml::Value),
}

/// Longer broken tables are not read line by line (each line is read again with all the
/// lines kept before it): a bookmark table has a handful of lines.
const REPAIRED_LINES: usize = 200;
/// How many lines one field may take (a multi-line array or string).
const FIELD_LINES: usize = 20;

/// A table that does not read whole, made to read by leaving out the lines that do not: a
/// user test found `garbage = = =` (or an unterminated `note = "...`) costing the whole
/// bookmark. Each line (or the few lines of a multi-line value) is kept when it reads alone
/// as `field = value`, a comment or a blank line, and with the lines kept before it (a
/// field set twice does not). `None` when the table is longer than [`REPAIRED_LINES`] or
/// what is left is no bookmark (its key does not read).
fn repaired_table(part: &Part) -> Option<Repaired> {
    let lines: Vec<&[u8]> = part.bytes.split_inclusive(|&b| b == b'\n').collect();
    if !part.is_table || lines.len() > REPAIRED_LINES {
        return None;
    }
    let mut text = std::str::from_utf8(lines.first()?).ok()?.to_owned();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let mut left_out = Vec::new();
    let mut next = 1;
    while next < lines.len() {
        let line = part.first_line + next;
        let taken = lines_that_read(&text, &lines[next..]);
        match taken {
            Ok((count, code)) => {
                text.push_str(&code);
                next += count;
            }
            Err(reason) => {
                let shown = std::str::from_utf8(lines[next]).map_or_else(
                    |_| "a line".to_owned(),
                    |code| format!("`{}`", shortened(code.trim())),
                );
                left_out.push((line, shown, reason));
                next += 1;
            }
        }
    }
    let (entries, unknown) = read_entries(text.as_bytes(), part.first_line).ok()?;
    let [entry] = <[_; 1]>::try_from(entries).ok()?;
    let (bookmark, _) = bookmark_from(entry.1.clone()).ok()?;
    if !unknown.is_empty() {
        return None;
    }
    let key = bookmark.key.as_str();
    let left_out = left_out
        .into_iter()
        .map(|(line, shown, reason)| Dropped {
            line,
            reason: format!("{shown} left out of bookmark {key}: {reason}"),
        })
        .collect();
    Some(Repaired {
        text,
        left_out,
        entry,
    })
}

/// The first of `lines` (with the few after it a multi-line value needs) when it reads as a
/// field, a comment or a blank line, alone and after `kept`: how many lines, and their
/// text. Else why the first does not.
fn lines_that_read(kept: &str, lines: &[&[u8]]) -> Result<(usize, String), String> {
    let mut code = String::new();
    let mut first_problem = None;
    for (count, line) in lines.iter().take(FIELD_LINES).enumerate() {
        let Ok(line) = std::str::from_utf8(line) else {
            return Err(first_problem.unwrap_or_else(|| "not UTF-8".to_owned()));
        };
        code.push_str(line);
        if !code.ends_with('\n') {
            code.push('\n');
        }
        match code.parse::<toml_edit::DocumentMut>() {
            Ok(alone) if alone.iter().all(|(_, item)| item.is_value()) => {
                return match format!("{kept}{code}").parse::<toml_edit::DocumentMut>() {
                    Ok(_) => Ok((count + 1, code)),
                    Err(e) => Err(first_problem.unwrap_or_else(|| one_line(e.message()))),
                };
            }
            Ok(_) => {
                first_problem.get_or_insert_with(|| "not a field of a bookmark".to_owned());
            }
            Err(e) => {
                first_problem.get_or_insert_with(|| one_line(e.message()));
            }
        }
    }
    Err(first_problem.unwrap_or_default())
}

/// A line of the file shown in a message: at most 40 characters, control characters
/// escaped.
fn shortened(code: &str) -> String {
    let mut shown = String::new();
    for c in code.chars().take(40) {
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    if code.chars().count() > 40 {
        shown.push('\u{2026}');
    }
    shown
}

/// The `[[bookmark]]` entries of `bytes` (a file, or a part of one starting at
/// `first_line`) as plain TOML, each with its line, and anything else the TOML holds
/// (`[[bookmarks]]`, a misspelt table: not to be saved over); or, when it is not TOML, the
/// line where reading stopped and why.
#[allow(clippy::type_complexity)]
fn read_entries(
    bytes: &[u8],
    first_line: usize,
) -> Result<(Vec<(usize, toml::Value)>, Vec<Dropped>), (usize, String)> {
    // Counted once: counting from the start for each entry made reading a file of a few
    // thousand bookmarks take a second.
    let line_breaks: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b'\n').collect();
    let line_at = |at: usize| first_line + line_breaks.partition_point(|&i| i < at);
    let text = std::str::from_utf8(bytes)
        .map_err(|e| (line_at(e.valid_up_to()), "not UTF-8".to_owned()))?;
    let file: LooseFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(first_line, |span| line_at(span.start));
        (line, one_line(e.message()))
    })?;
    let unknown = file
        .other
        .keys()
        .map(|name| Dropped {
            line: line_naming(text, name).map_or(first_line, |at| first_line + at),
            reason: format!("`{name}` is not a bookmark table; bookmarks are [[bookmark]] tables"),
        })
        .collect();
    let entries = file
        .bookmark
        .into_iter()
        .map(|entry| (line_at(entry.span().start), entry.into_inner()))
        .collect();
    Ok((entries, unknown))
}

/// The line (from 0) where `text` first sets or opens `name` at the top level: a
/// `[name]` or `[[name]]` header anywhere, or `name = ...` before the first table.
fn line_naming(text: &str, name: &str) -> Option<usize> {
    let mut in_table = false;
    text.lines().position(|line| {
        let line = line.trim_start();
        let header = line.starts_with('[');
        let named = line
            .trim_start_matches('[')
            .trim_start()
            .strip_prefix(name)
            .is_some_and(|rest| rest.trim_start().starts_with(['=', ']', '.']));
        let found = named && (header || !in_table);
        in_table |= header;
        found
    })
}

/// toml's messages, on one line for the status bar and problems list.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A stretch of the file: what comes before the first `[[bookmark]]` line, or one table.
struct Part<'a> {
    first_line: usize,
    is_table: bool,
    bytes: &'a [u8],
}

/// Cuts the file before each line that is `[[bookmark]]` (give or take spaces and a
/// comment). Such a line inside a multi-line string cuts too; but only a file that is not
/// TOML is cut at all, and paper titles hardly ever hold such a line.
fn split_at_tables(bytes: &[u8]) -> Vec<Part<'_>> {
    let mut starts = vec![(0, 1, false)];
    let mut offset = 0;
    for (index, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let code = line.split(|&b| b == b'#').next().unwrap_or(line);
        if code.trim_ascii() == b"[[bookmark]]" {
            starts.push((offset, index + 1, true));
        }
        offset += line.len();
    }
    let ends = starts
        .iter()
        .skip(1)
        .map(|&(start, _, _)| start)
        .chain([bytes.len()]);
    starts
        .iter()
        .zip(ends)
        .map(|(&(start, first_line, is_table), end)| Part {
            first_line,
            is_table,
            bytes: bytes.get(start..end).unwrap_or_default(),
        })
        .collect()
}

/// One entry as a bookmark: a table with a non-empty string `key`, and `title` and `added`
/// strings when present (an `added` written as a bare TOML date-time is taken as written);
/// with its other fields, kept to be written back.
fn bookmark_from(entry: toml::Value) -> Result<(Bookmark, toml::Table), String> {
    let toml::Value::Table(mut table) = entry else {
        return Err(format!(
            "{} where a bookmark table belongs",
            with_article(entry.type_str())
        ));
    };
    let mut text = |field: &str| match table.remove(field) {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s)),
        Some(toml::Value::Datetime(time)) if field == "added" => Ok(Some(time.to_string())),
        Some(other) => Err(format!(
            "`{field}` is {}, not a string",
            with_article(other.type_str())
        )),
    };
    let key = text("key")?.ok_or("missing field `key`")?;
    if key.trim().is_empty() {
        return Err("empty `key`".to_owned());
    }
    let mut bookmark = Bookmark {
        key: PaperKey(key),
        title: text("title")?.unwrap_or_default(),
        added: text("added")?.unwrap_or_default(),
        note: String::new(),
    };
    // Left with the other fields written by hand, which carry it back into the file.
    if let Some(toml::Value::String(note)) = table.get("note") {
        bookmark.note = note.clone();
    }
    Ok((bookmark, table))
}

/// `integer` -> `an integer`, for toml's type names.
fn with_article(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}

/// A whole file written afresh (a damaged file's readable entries): the header, then every
/// bookmark with the fields written by hand.
fn render(items: &[Bookmark], extras: &ExtraFields) -> io::Result<String> {
    let stored = StoredFile {
        bookmark: items
            .iter()
            .map(|b| StoredBookmark {
                key: b.key.0.clone(),
                title: b.title.clone(),
                added: b.added.clone(),
                extra: extras.get(b.key.as_str()).cloned().unwrap_or_default(),
            })
            .collect(),
    };
    // Fields written by hand may be any TOML: should one not serialise, the save fails
    // rather than writing a file without the bookmarks.
    let body = toml::to_string(&stored).map_err(io::Error::other)?;
    Ok(format!("{FILE_HEADER}{body}"))
}

/// The text a damaged file is replaced with: what could be read of it as laid out
/// ([`Salvage::document`]), `changes` made, and every one of `items` it lacks added; or,
/// when nothing of its layout could be made out, the bookmarks written afresh. With the
/// bookmarks removed whose lines stay commented out, as [`edit_document`] says.
fn rewritten(
    document: Option<toml_edit::DocumentMut>,
    items: &[Bookmark],
    changes: &[Change],
    known: &KnownTables,
    extras: &ExtraFields,
) -> io::Result<(String, Edited)> {
    let Some(mut document) = document else {
        return Ok((render(items, extras)?, Edited::default()));
    };
    if document.to_string().trim().is_empty() {
        document = new_document();
    }
    let edited = edit_document(&mut document, changes, known, extras, &HashMap::new());
    let mut listed: HashSet<String> = entries(&document)
        .flatten()
        .filter_map(|entry| key_of(&entry).map(|key| key.0))
        .collect();
    // Where each key stands last in `items`.
    let at: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, b)| (b.key.as_str(), i))
        .collect();
    for (i, bookmark) in items.iter().enumerate() {
        if listed.insert(bookmark.key.0.clone()) {
            // Before the first entry `items` lists after it: by time alone, one added in
            // the same millisecond as an entry already written went after it, the file's
            // order then not the list's.
            let place = entry_index(&document, |entry| {
                key_of(entry)
                    .is_some_and(|key| at.get(key.as_str()).is_some_and(|&later| later > i))
            });
            let table = table_for(bookmark, known, extras);
            insert_entry(&mut document, table, &bookmark.added, place);
        }
    }
    Ok((document.to_string(), edited))
}

/// A new file: only the header, until the first bookmark is added below it.
fn new_document() -> toml_edit::DocumentMut {
    FILE_HEADER.parse().unwrap_or_default()
}

/// Every bookmark table of a file as laid out, by key (the first of a key listed twice, as
/// [`parse`] reads it). An inline `bookmark = [{ key = "..." }]` gives tables too.
fn tables_in(document: &toml_edit::DocumentMut) -> KnownTables {
    let mut tables = KnownTables::new();
    for entry in entries(document).flatten() {
        if let Some(key) = key_of(&entry) {
            tables.entry(key.0).or_insert_with(|| match entry {
                EntryFields::Table(table) => table.clone(),
                EntryFields::Inline(table) => table.clone().into_table(),
            });
        }
    }
    tables
}

/// Replays `changes` onto the file as laid out, touching only the entries they add or
/// remove: every comment, blank line and field order elsewhere stays as it was.
///
/// A removed bookmark takes its own lines out of the list. Those holding nothing but its key,
/// title and time go; one with words the user wrote (a `note = ...`, a comment on its key's
/// line) leaves them in the file, the whole entry commented out under a dated line
/// ([`removed_block`]; of an inline `bookmark = [...]`, at the end of the file): `u` brings a bookmark back only in the session that removed it,
/// and a note is not to vanish with that session. Comments above its `[[bookmark]]` line
/// stay in the file (they may head the file or a group of bookmarks). A bookmark made again
/// (`u`, or `b` in any session) whose commented-out lines are in the file is those lines
/// uncommented, where they were, as they are now (time, note, comments and any edit made
/// to them), what stood above them above it again ([`take_removed_block`]); without such
/// lines it comes back from `known` with its fields and comments, placed by its time.
///
/// Returns the bookmarks removed whose lines stay commented out, and those made again whose
/// commented-out lines came back.
fn edit_document(
    document: &mut toml_edit::DocumentMut,
    changes: &[Change],
    known: &KnownTables,
    extras: &ExtraFields,
    removed_from: &HashMap<PaperKey, Place>,
) -> Edited {
    let mut edited = Edited::default();
    for change in changes {
        match change {
            Change::Remove(key) => {
                if let Some(place) = place_of(document, key) {
                    edited.removed_from.push((key.clone(), place));
                }
                if remove_entries(document, key) {
                    edited.commented_out.push(key.clone());
                }
            }
            Change::Add(bookmark) => {
                if entry_index(document, |table| {
                    key_of(table).as_ref() == Some(&bookmark.key)
                })
                .is_some()
                {
                    continue;
                }
                // Its lines as the file has them, the time it was first added with them:
                // where they were, not at the end as new.
                match take_removed_block(document, bookmark.key.as_str()) {
                    Some(block) => {
                        edited.brought_back.push(block.bookmark.clone());
                        put_back(document, block);
                    }
                    None => {
                        // Put back (`u`) where it stood, when its neighbours are still
                        // there: in a file ordered by hand, its time says nothing of that.
                        let place = removed_from
                            .get(&bookmark.key)
                            .and_then(|place| index_at(document, place));
                        let table = table_for(bookmark, known, extras);
                        insert_entry(document, table, &bookmark.added, place);
                    }
                }
            }
        }
    }
    edited
}

/// What [`edit_document`] did beyond adding and removing entries.
#[derive(Debug, Default)]
struct Edited {
    /// Bookmarks removed whose lines stay in the file, commented out.
    commented_out: Vec<PaperKey>,
    /// Bookmarks made again from their commented-out lines, as those lines make them.
    brought_back: Vec<Bookmark>,
    /// Where each bookmark removed stood.
    removed_from: Vec<(PaperKey, Place)>,
}

/// Where `key`'s entry stands in the file (the first of a key listed twice): the keys of
/// the entries around it, of other keys.
fn place_of(document: &toml_edit::DocumentMut, key: &PaperKey) -> Option<Place> {
    let keys: Vec<Option<PaperKey>> = entries(document)
        .map(|entry| entry.as_ref().and_then(key_of))
        .collect();
    let first = keys.iter().position(|k| k.as_ref() == Some(key))?;
    let last = keys.iter().rposition(|k| k.as_ref() == Some(key))?;
    let other = |k: &&Option<PaperKey>| k.is_some() && k.as_ref() != Some(key);
    Some(Place {
        after: keys[..first].iter().rev().find(other).cloned().flatten(),
        before: keys[last + 1..].iter().find(other).cloned().flatten(),
    })
}

/// Where an entry goes to stand at `place` again: before the entry that followed it, else
/// after the one before it; `None` when neither is in the file now.
fn index_at(document: &toml_edit::DocumentMut, place: &Place) -> Option<usize> {
    let at = |key: &Option<PaperKey>| {
        let key = key.as_ref()?;
        entry_index(document, |entry| key_of(entry).as_ref() == Some(key))
    };
    at(&place.before).or_else(|| at(&place.after).map(|i| i + 1))
}

/// Orders `items` as the file lists them, then by time added (a stable sort): bookmarks of
/// one time keep the file's order, as [`parse`] reads them.
fn in_file_order(items: &mut [Bookmark], document: &toml_edit::DocumentMut) {
    let mut at: HashMap<PaperKey, usize> = HashMap::new();
    for (i, entry) in entries(document).enumerate() {
        if let Some(key) = entry.as_ref().and_then(key_of) {
            at.entry(key).or_insert(i);
        }
    }
    items.sort_by_key(|b| at.get(&b.key).copied().unwrap_or(usize::MAX));
    sort_by_time_added(items);
}

/// Where an entry of the file satisfying `wanted` is (in the file's order).
fn entry_index(
    document: &toml_edit::DocumentMut,
    mut wanted: impl FnMut(&EntryFields) -> bool,
) -> Option<usize> {
    entries(document).position(|entry| entry.is_some_and(|entry| wanted(&entry)))
}

/// The file's entries in order: its `[[bookmark]]` tables, or the values of an inline
/// `bookmark = [...]`, `None` for one that is not a table (counted, so that an index is
/// where it is in the array).
fn entries(document: &toml_edit::DocumentMut) -> impl Iterator<Item = Option<EntryFields<'_>>> {
    let (tables, values) = match document.get("bookmark") {
        Some(toml_edit::Item::ArrayOfTables(array)) => (Some(array.iter()), None),
        Some(toml_edit::Item::Value(toml_edit::Value::Array(array))) => (None, Some(array.iter())),
        _ => (None, None),
    };
    let tables = tables.into_iter().flatten().map(EntryFields::Table);
    let inline = values.into_iter().flatten();
    tables
        .map(Some)
        .chain(inline.map(|value| value.as_inline_table().map(EntryFields::Inline)))
}

/// One entry of the file: a `[[bookmark]]` table or an inline one.
enum EntryFields<'a> {
    Table(&'a toml_edit::Table),
    Inline(&'a toml_edit::InlineTable),
}

impl EntryFields<'_> {
    /// The entry as plain TOML, as [`parse`] reads entries, for [`bookmark_from`].
    fn plain(&self) -> toml::Value {
        let fields: toml::Table = match self {
            EntryFields::Table(t) => t
                .iter()
                .filter_map(|(field, item)| Some((field.to_owned(), plain_item(item)?)))
                .collect(),
            EntryFields::Inline(t) => t
                .iter()
                .map(|(field, value)| (field.to_owned(), plain_value(value)))
                .collect(),
        };
        toml::Value::Table(fields)
    }

    /// A string field, or a date-time written bare, as text.
    fn text(&self, field: &str) -> Option<String> {
        let value = match self {
            EntryFields::Table(t) => t.get(field).and_then(toml_edit::Item::as_value),
            EntryFields::Inline(t) => t.get(field),
        }?;
        match value {
            toml_edit::Value::String(s) => Some(s.value().clone()),
            toml_edit::Value::Datetime(time) => Some(time.value().to_string()),
            _ => None,
        }
    }
}

fn plain_item(item: &toml_edit::Item) -> Option<toml::Value> {
    match item {
        toml_edit::Item::None => None,
        toml_edit::Item::Value(value) => Some(plain_value(value)),
        toml_edit::Item::Table(table) => Some(EntryFields::Table(table).plain()),
        toml_edit::Item::ArrayOfTables(array) => Some(toml::Value::Array(
            array
                .iter()
                .map(|t| EntryFields::Table(t).plain())
                .collect(),
        )),
    }
}

fn plain_value(value: &toml_edit::Value) -> toml::Value {
    match value {
        toml_edit::Value::String(s) => toml::Value::String(s.value().clone()),
        toml_edit::Value::Integer(i) => toml::Value::Integer(*i.value()),
        toml_edit::Value::Float(f) => toml::Value::Float(*f.value()),
        toml_edit::Value::Boolean(b) => toml::Value::Boolean(*b.value()),
        toml_edit::Value::Datetime(time) => toml::Value::Datetime(*time.value()),
        toml_edit::Value::Array(array) => {
            toml::Value::Array(array.iter().map(plain_value).collect())
        }
        toml_edit::Value::InlineTable(table) => EntryFields::Inline(table).plain(),
    }
}

/// The paper key of an entry, however its key is written (`9700175` is `PMID:9700175`):
/// what tells which entries a bookmark's are.
fn key_of(entry: &EntryFields) -> Option<PaperKey> {
    Some(paper_key(written_key(entry)?))
}

/// The paper key a key written in the file stands for; one that names no paper stands for
/// itself, as written.
fn paper_key(written: &str) -> PaperKey {
    PaperKey::from_written(written).unwrap_or_else(|_| PaperKey(written.to_owned()))
}

/// An entry's key as written.
fn written_key<'a>(entry: &EntryFields<'a>) -> Option<&'a str> {
    match entry {
        EntryFields::Table(t) => t.get("key").and_then(toml_edit::Item::as_str),
        EntryFields::Inline(t) => t.get("key").and_then(toml_edit::Value::as_str),
    }
}

/// Removes every entry for `key` (a key listed twice is listed no more), as
/// [`remove_entry_at`] does, leaving what the user wrote in it commented out. Returns
/// whether any was left so.
fn remove_entries(document: &mut toml_edit::DocumentMut, key: &PaperKey) -> bool {
    let mut commented_out = false;
    while let Some(index) = entry_index(document, |entry| key_of(entry).as_ref() == Some(key)) {
        commented_out |= remove_entry_at(document, index, true);
    }
    commented_out
}

/// Removes the entry at `index`, moving the comments above its `[[bookmark]]` line to the
/// entry after it, or to the end of the file. With `keep_own_words`, a table carrying
/// words the user wrote (a `note`, any field tomes does not use, a comment on its lines)
/// leaves a commented-out copy of itself in its place ([`removed_block`]); returns whether
/// it did.
fn remove_entry_at(
    document: &mut toml_edit::DocumentMut,
    index: usize,
    keep_own_words: bool,
) -> bool {
    let mut comments = None;
    let mut commented_out = false;
    match document.get_mut("bookmark") {
        Some(toml_edit::Item::ArrayOfTables(array)) => {
            let removed = array.remove(index);
            let above = prefix_of(removed.decor());
            let block = if keep_own_words && has_own_words(&removed) {
                removed_block(&removed)
            } else {
                String::new()
            };
            commented_out = !block.is_empty();
            if above.contains('#') || !block.is_empty() {
                let lead = format!("{above}{block}");
                match array.get_mut(index) {
                    Some(next) => {
                        let own = prefix_of(next.decor());
                        // Comments alone take the place of the blank lines above it.
                        let prefix = if own.trim().is_empty() && block.is_empty() {
                            lead
                        } else {
                            joined(&lead, &own)
                        };
                        next.decor_mut().set_prefix(prefix);
                    }
                    // At the end of the file the blank line that led to its header leads
                    // to nothing.
                    None => comments = Some(without_trailing_blank_lines(&lead).to_owned()),
                }
            }
        }
        Some(toml_edit::Item::Value(toml_edit::Value::Array(array))) => {
            let removed = array.remove(index);
            // An inline array has no room for a table's lines: they go to the end of the
            // file, where bookmarking it again finds them.
            if keep_own_words
                && let Some(table) = removed.as_inline_table()
                && let table = table.clone().into_table()
                && has_own_words(&table)
            {
                comments = Some(removed_block(&table));
                commented_out = true;
            }
        }
        _ => return false,
    }
    if let Some(comments) = comments {
        let trailing = document.trailing().as_str().unwrap_or_default().to_owned();
        document.set_trailing(joined(&comments, &trailing));
    }
    commented_out
}

/// Two stretches of the file that a removal brings together, without a new run of blank
/// lines: when the first ends with a blank line (the one above a header now gone), the
/// second's leading blank lines are not added to it. A user test found double blank
/// lines after a few removals.
fn joined(first: &str, second: &str) -> String {
    if ends_with_blank_line(first) {
        return format!("{first}{}", without_leading_blank_lines(second));
    }
    format!("{first}{second}")
}

/// Whether the last line of `text` (ending with a line break) is blank.
fn ends_with_blank_line(text: &str) -> bool {
    text.ends_with('\n')
        && text[..text.len() - 1]
            .rsplit('\n')
            .next()
            .is_some_and(|line| line.trim().is_empty())
}

/// `text` from its first line that is not blank (the indentation of a header kept).
fn without_leading_blank_lines(text: &str) -> &str {
    let mut rest = text;
    while let Some(at) = rest.find('\n') {
        if !rest[..at].trim().is_empty() {
            break;
        }
        rest = &rest[at + 1..];
    }
    rest
}

/// `text` without the blank lines it ends with (keeping the end of its last line).
fn without_trailing_blank_lines(text: &str) -> &str {
    let trimmed = text.trim_end();
    match text[trimmed.len()..].find('\n') {
        Some(at) if !trimmed.is_empty() => &text[..trimmed.len() + at + 1],
        _ => trimmed,
    }
}

/// How the line above a removed bookmark's commented-out copy begins.
const REMOVED_MARK: &str = "# removed by tomes on ";

/// Whether a table holds words the user wrote: a field other than key, title and time, or
/// a comment on one of its lines. (Comments above it stay in the file whatever happens.)
fn has_own_words(table: &toml_edit::Table) -> bool {
    let commented = |decor: &toml_edit::Decor| {
        [decor.prefix(), decor.suffix()]
            .into_iter()
            .flatten()
            .any(|raw| raw.as_str().is_some_and(|s| s.contains('#')))
    };
    let header_comment = table
        .decor()
        .suffix()
        .and_then(toml_edit::RawString::as_str)
        .is_some_and(|s| s.contains('#'));
    header_comment
        || table.iter().any(|(field, item)| {
            !matches!(field, "key" | "title" | "added")
                || table.key(field).is_some_and(|k| commented(k.leaf_decor()))
                || item.as_value().is_some_and(|v| commented(v.decor()))
        })
}

/// A removed bookmark's lines, commented out under a line saying when and how to bring it
/// back: a `note` does not vanish with the session that could undo its removal. Bookmarking
/// the paper again, in any session, uncomments them ([`take_removed_block`]).
fn removed_block(table: &toml_edit::Table) -> String {
    let day = format_rfc3339_utc(SystemTime::now());
    let day = day.get(..10).unwrap_or(&day);
    format!(
        "{REMOVED_MARK}{day}; uncomment the lines below to bookmark it again\n{}",
        commented_out(table)
    )
}

/// A table's lines (`[[bookmark]]` and its fields, comments and all), each behind `# `.
fn commented_out(table: &toml_edit::Table) -> String {
    let mut table = table.clone();
    clear_prefix(table.decor_mut());
    table.set_position(None);
    let mut array = toml_edit::ArrayOfTables::new();
    array.push(table);
    let mut alone = toml_edit::DocumentMut::new();
    alone.insert("bookmark", toml_edit::Item::ArrayOfTables(array));
    alone
        .to_string()
        .lines()
        .map(|line| match line {
            "" => "#\n".to_owned(),
            line => format!("# {line}\n"),
        })
        .collect()
}

/// A bookmark's lines a removal left commented out ([`removed_block`]), taken out of the
/// file to be put back where they were.
struct KeptBlock {
    /// The entry it stood above (the number of entries, when at the end of the file).
    index: usize,
    /// What stood above its dated line (comments, the file's opening lines): above the
    /// table again.
    above: String,
    /// Its lines uncommented, comments and all.
    table: toml_edit::Table,
    /// The bookmark they make.
    bookmark: Bookmark,
}

/// Takes out of the file the commented-out lines [`removed_block`] left of `key`'s
/// bookmark, if they are there (in any session: a user test found `b` after a restart
/// adding a fresh entry beside them). Of an inline array, only at the end of the file,
/// where a removal leaves them.
fn take_removed_block(document: &mut toml_edit::DocumentMut, key: &str) -> Option<KeptBlock> {
    let entries = match document.get("bookmark") {
        None => 0,
        Some(toml_edit::Item::ArrayOfTables(array)) => array.len(),
        Some(toml_edit::Item::Value(toml_edit::Value::Array(array))) => array.len(),
        Some(_) => return None,
    };
    if let Some(array) = document
        .get_mut("bookmark")
        .and_then(toml_edit::Item::as_array_of_tables_mut)
    {
        for (index, entry) in array.iter_mut().enumerate() {
            if let Some((block, below)) = find_block(&prefix_of(entry.decor()), key, index) {
                entry.decor_mut().set_prefix(below);
                return Some(block);
            }
        }
    }
    let trailing = document.trailing().as_str().unwrap_or_default().to_owned();
    let (block, below) = find_block(&trailing, key, entries)?;
    document.set_trailing(below);
    Some(block)
}

/// In `text` (the text above entry `index`, or the file's end), the lines [`removed_block`]
/// left of `key`'s bookmark: its dated line, then as many commented lines as read, once
/// uncommented, as one bookmark table (the user may have edited them). Returns it and what
/// is below it.
fn find_block(text: &str, key: &str, index: usize) -> Option<(KeptBlock, String)> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut at = 0;
    for (i, mark) in lines.iter().enumerate() {
        if mark.starts_with(REMOVED_MARK) {
            let body: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|line| line.starts_with('#') && !line.starts_with(REMOVED_MARK))
                .copied()
                .collect();
            for n in (1..=body.len()).rev() {
                let code: String = body[..n].iter().map(|line| uncommented(line)).collect();
                let Some((table, bookmark)) = one_bookmark(&code) else {
                    continue;
                };
                if bookmark.key.as_str() != key {
                    break;
                }
                let end = at + mark.len() + body[..n].iter().map(|line| line.len()).sum::<usize>();
                let block = KeptBlock {
                    index,
                    above: text[..at].to_owned(),
                    table,
                    bookmark,
                };
                return Some((block, text[end..].to_owned()));
            }
        }
        at += mark.len();
    }
    None
}

/// A line of [`commented_out`] as it was.
fn uncommented(line: &str) -> &str {
    line.strip_prefix("# ")
        .or_else(|| line.strip_prefix('#'))
        .unwrap_or(line)
}

/// `code` as exactly one bookmark table and nothing else (no comment after it, which would
/// not stay with the table), with the bookmark it makes.
fn one_bookmark(code: &str) -> Option<(toml_edit::Table, Bookmark)> {
    let document: toml_edit::DocumentMut = code.parse().ok()?;
    if document.len() != 1
        || !document
            .trailing()
            .as_str()
            .unwrap_or_default()
            .trim()
            .is_empty()
    {
        return None;
    }
    let array = document.get("bookmark")?.as_array_of_tables()?;
    let table = array.get(0).filter(|_| array.len() == 1)?.clone();
    let (mut bookmark, _) = bookmark_from(EntryFields::Table(&table).plain()).ok()?;
    bookmark.key = paper_key(bookmark.key.as_str());
    Some((table, bookmark))
}

/// Puts a bookmark's lines back where they were commented out, with what stood above them;
/// into an inline array, by its time, what stood above them staying at the end of the file.
fn put_back(document: &mut toml_edit::DocumentMut, block: KeptBlock) {
    let mut table = block.table;
    table.set_position(None);
    let by_time = first_added_after(document, &block.bookmark.added);
    let trailing = document.trailing().as_str().unwrap_or_default().to_owned();
    match document.get_mut("bookmark") {
        Some(toml_edit::Item::ArrayOfTables(array)) => {
            table.decor_mut().set_prefix(block.above);
            array.insert(block.index.min(array.len()), table);
        }
        Some(toml_edit::Item::Value(toml_edit::Value::Array(array))) => {
            let index = by_time.unwrap_or(array.len());
            let mut entry = toml_edit::Value::InlineTable(table.into_inline_table());
            // Laid out as the entry it goes before (or after, at the end): one a line.
            if let Some(beside) = array
                .get(index)
                .or_else(|| array.get(index.checked_sub(1)?))
            {
                *entry.decor_mut() = beside.decor().clone();
            }
            array.insert_formatted(index, entry);
            document.set_trailing(format!("{}{trailing}", block.above));
        }
        _ => {
            table.decor_mut().set_prefix(block.above);
            let mut array = toml_edit::ArrayOfTables::new();
            array.push(table);
            document.insert("bookmark", toml_edit::Item::ArrayOfTables(array));
        }
    }
}

/// The text before a table's header (blank lines, comments), as written or empty.
fn prefix_of(decor: &toml_edit::Decor) -> String {
    decor
        .prefix()
        .and_then(toml_edit::RawString::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The table to write for `bookmark`: the one the file last had for its key (fields and
/// comments written by hand), else a new one; with its key, title and time set.
fn table_for(bookmark: &Bookmark, known: &KnownTables, extras: &ExtraFields) -> toml_edit::Table {
    let mut table = known
        .get(bookmark.key.as_str())
        .cloned()
        .unwrap_or_default();
    // The key as the user wrote it (`9700175`) stays so: it is the same paper's.
    if key_of(&EntryFields::Table(&table)).as_ref() != Some(&bookmark.key) {
        set_text(&mut table, "key", bookmark.key.as_str());
    }
    // Nothing to say is not written: a bookmark written by hand with its key and a note
    // alone, removed and put back by `u`, gained `title = ""` and `added = ""`.
    for (field, text) in [("title", &bookmark.title), ("added", &bookmark.added)] {
        if !text.is_empty() {
            set_text(&mut table, field, text);
        }
    }
    if !known.contains_key(bookmark.key.as_str())
        && let Some(extra) = extras.get(bookmark.key.as_str())
        && let Ok(text) = toml::to_string(extra)
        && let Ok(fields) = text.parse::<toml_edit::DocumentMut>()
    {
        for (field, item) in fields.iter() {
            table.entry(field).or_insert_with(|| item.clone());
        }
    }
    table
}

/// Sets a field to a string, keeping the comment on its line; a field already holding it
/// (or the same date-time written bare) is left exactly as written.
fn set_text(table: &mut toml_edit::Table, field: &str, text: &str) {
    if EntryFields::Table(table).text(field).as_deref() == Some(text) {
        return;
    }
    match table.get_mut(field).and_then(toml_edit::Item::as_value_mut) {
        Some(value) => {
            let decor = value.decor().clone();
            *value = toml_edit::Value::from(text);
            *value.decor_mut() = decor;
        }
        None => {
            table.insert(field, toml_edit::value(text));
        }
    }
}

/// Inserts `table` before the first entry added later than `added` (at the end, for a
/// bookmark made now). The file's opening comments stay at its top.
///
/// A bookmark put back where it was gets back the comments above it that its removal
/// left on the next entry (or at the end of the file), so removing and restoring it
/// leaves the file as it was.
///
/// `place`: the index it goes to rather than by time.
fn insert_entry(
    document: &mut toml_edit::DocumentMut,
    mut table: toml_edit::Table,
    added: &str,
    place: Option<usize>,
) {
    let above = prefix_of(table.decor());
    clear_prefix(table.decor_mut());
    // Placed by where it is in the array, not where it once was in the file.
    table.set_position(None);
    let index = place.or_else(|| first_added_after(document, added));
    let trailing = document.trailing().as_str().unwrap_or_default().to_owned();
    let mut new_trailing = None;
    match document.get_mut("bookmark") {
        Some(toml_edit::Item::ArrayOfTables(array)) if !array.is_empty() => {
            let index = index.map_or(array.len(), |i| i.min(array.len()));
            let mut given_back = false;
            if above.contains('#') {
                match array.get_mut(index) {
                    Some(next) => {
                        if let Some(rest) = without_lead(&prefix_of(next.decor()), &above) {
                            if rest.trim().is_empty() {
                                clear_prefix(next.decor_mut());
                            } else {
                                next.decor_mut().set_prefix(rest.to_owned());
                            }
                            given_back = true;
                        }
                    }
                    None => {
                        if let Some(rest) = without_lead(&trailing, &above) {
                            new_trailing = Some(rest);
                            given_back = true;
                        }
                    }
                }
            }
            if given_back {
                table.decor_mut().set_prefix(above);
            } else if index == 0
                && let Some(first) = array.get_mut(0)
            {
                let opening = prefix_of(first.decor());
                clear_prefix(first.decor_mut());
                table.decor_mut().set_prefix(opening);
            }
            array.insert(index, table);
        }
        Some(toml_edit::Item::Value(toml_edit::Value::Array(array))) if !array.is_empty() => {
            let index = index.map_or(array.len(), |i| i.min(array.len()));
            array.insert(index, table.into_inline_table());
        }
        _ => return insert_first_entry(document, table),
    }
    if let Some(trailing) = new_trailing {
        document.set_trailing(trailing);
    }
}

/// Where the first entry of the file added later than `added` is.
fn first_added_after(document: &toml_edit::DocumentMut, added: &str) -> Option<usize> {
    let later = time_order(added);
    // (An entry without a time is of no time, later or not: a new bookmark goes after it.)
    entry_index(document, |entry| {
        entry
            .text("added")
            .is_some_and(|time| is_a_time(&time) && time_order(&time) > later)
    })
}

/// What is left of `text` once `above` (the comments above a bookmark put back) is taken
/// from its start, undoing what its removal did ([`joined`]): the blank line it left out
/// before the next header is put back; at the end of the file, `above` came without the
/// blank lines it ends with.
fn without_lead(text: &str, above: &str) -> Option<String> {
    if let Some(rest) = text.strip_prefix(above) {
        let starts_blank = rest
            .split_once('\n')
            .is_some_and(|(line, _)| line.trim().is_empty());
        if ends_with_blank_line(above) && !rest.trim().is_empty() && !starts_blank {
            return Some(format!("\n{rest}"));
        }
        return Some(rest.to_owned());
    }
    let core = without_trailing_blank_lines(above);
    if core.len() == above.len() {
        return None;
    }
    text.strip_prefix(core)
        .filter(|rest| rest.trim().is_empty())
        .map(str::to_owned)
}

/// Puts back the default text before a table's header, keeping the comment on its line.
fn clear_prefix(decor: &mut toml_edit::Decor) {
    let own_line = decor.suffix().cloned();
    decor.clear();
    if let Some(suffix) = own_line {
        decor.set_suffix(suffix);
    }
}

/// Adds the file's first entry below whatever it holds so far (the header, comments, an
/// empty `bookmark = []` an older tomes wrote and the comment on its line).
fn insert_first_entry(document: &mut toml_edit::DocumentMut, mut table: toml_edit::Table) {
    let mut opening = String::new();
    if let Some((key, item)) = document.remove_entry("bookmark") {
        opening.push_str(
            key.leaf_decor()
                .prefix()
                .and_then(toml_edit::RawString::as_str)
                .unwrap_or_default(),
        );
        if let Some(comment) = item
            .as_value()
            .and_then(|v| v.decor().suffix())
            .and_then(toml_edit::RawString::as_str)
            .filter(|s| s.contains('#'))
        {
            opening.push_str(comment.trim_start());
            opening.push('\n');
        }
    }
    opening.push_str(document.trailing().as_str().unwrap_or_default());
    document.set_trailing("");
    if !opening.trim().is_empty() {
        table.decor_mut().set_prefix(opening);
    }
    let mut array = toml_edit::ArrayOfTables::new();
    array.push(table);
    document.insert("bookmark", toml_edit::Item::ArrayOfTables(array));
}

/// Whether a save keeps the file it replaces as `.bak`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Backup {
    Keep,
    /// The file replaced is damaged and kept aside already: the `.bak` keeps the readable
    /// version before it.
    Skip,
}

/// Temp file, fsync, keep the old file as `.bak` (unless `backup` says not to), rename over,
/// fsync the folder. The caller holds the lock, so the fixed temp names cannot clash with
/// another tomes.
///
/// A `bookmarks.toml` that is a symlink (a dotfiles repository) stays one: the file it points
/// to is replaced, with the temp file beside that file so the rename stays within one folder.
/// Decided: what tomes keeps of the file, the `.bak` as much as a damaged file's
/// `bookmarks.toml.corrupt-<time>` ([`move_aside`]), is in the config folder beside the
/// `bookmarks.toml` the user sees, whatever the link points to: one place to look, under the
/// names the messages and README give, and nothing tomes makes lands in a dotfiles
/// repository to be committed or synced by mistake.
fn write_atomically(dir: &Path, text: &str, backup: Backup) -> io::Result<()> {
    let link = dir.join(BOOKMARKS_FILE);
    let target = match fs::symlink_metadata(&link) {
        // A link to a file not made yet (a dotfiles repository just cloned) is followed
        // too, rather than replaced by a file.
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(&link)
            .or_else(|_| fs::read_link(&link).map(|to| dir.join(to)))
            .unwrap_or(link),
        _ => link,
    };
    let folder = target.parent().unwrap_or(dir);
    let name = target
        .file_name()
        .map_or_else(|| BOOKMARKS_FILE.into(), |n| n.to_string_lossy());
    // A file made read-only (`chmod 444`) says not to change it, though its folder lets a
    // rename replace it: ut24b's was replaced, made writable, its bookmarks moved to `.bak`.
    if fs::metadata(&target).is_ok_and(|meta| meta.permissions().readonly()) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{} is read-only; left as it is (make it writable to save bookmarks)",
                target.display()
            ),
        ));
    }
    let temp = folder.join(format!("{name}.tmp"));
    {
        let mut file = File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
    }
    if backup == Backup::Keep && fs::symlink_metadata(&target).is_ok() {
        keep_backup(&target, &dir.join(BACKUP_FILE))?;
        if folder != dir {
            sync_folder(dir)?;
        }
    }
    fs::rename(&temp, &target)?;
    sync_folder(folder)
}

/// A path `<prefix><UTC timestamp>` in `dir` that names no file yet (`-2`, `-3`... after
/// it when taken): where a damaged file is kept aside, or the bookmarks gone from one.
fn unused_stamped_path(dir: &Path, prefix: &str) -> PathBuf {
    let stamp = format_compact_utc(SystemTime::now());
    let mut path = dir.join(format!("{prefix}{stamp}"));
    let mut n = 2;
    while fs::symlink_metadata(&path).is_ok() {
        path = dir.join(format!("{prefix}{stamp}-{n}"));
        n += 1;
    }
    path
}

/// Writes `bytes` to `path` in `dir`, a file made new, synced with the folder. On failure
/// none is left: no half copy, and none piling up at each save into a folder that cannot
/// be written.
fn write_new_file(dir: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| sync_folder(dir));
    if written.is_err() {
        let _ = fs::remove_file(path);
    }
    written
}

/// Makes `backup` a copy of `target`, itself atomically: a hard link (no copying) under a
/// temp name renamed over the old backup; a copy where hard links are not supported (or
/// `target`, where a symlink points, is on another file system).
fn keep_backup(target: &Path, backup: &Path) -> io::Result<()> {
    let mut temp = backup.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    match fs::remove_file(&temp) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    if fs::hard_link(target, &temp).is_err() {
        fs::copy(target, &temp)?;
        File::open(&temp)?.sync_all()?;
    }
    fs::rename(&temp, backup)
}

/// Where a damaged file's bytes were put.
struct Aside {
    path: PathBuf,
    /// The damaged file is still where it was (the target of a symlink, copied aside): the
    /// next write replaces it, and if that fails the copy is removed again.
    still_in_place: bool,
}

/// Moves an unreadable `bookmarks.toml` to `bookmarks.toml.corrupt-<timestamp>` (with `-2`,
/// `-3`... if that name is taken), bytes untouched.
///
/// A `bookmarks.toml` that is a symlink (a dotfiles repository) stays one: the bytes it
/// points to are copied aside, into the config folder like the `.bak` ([`write_atomically`]),
/// and left where they are, for the caller's one write to
/// replace (so later saves still go where the link points, and the file there is never
/// written empty first).
fn move_aside(dir: &Path) -> io::Result<Aside> {
    let destination = unused_stamped_path(dir, CORRUPT_PREFIX);
    let file = dir.join(BOOKMARKS_FILE);
    if fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink()) {
        write_new_file(dir, &destination, &fs::read(&file)?)?;
        return Ok(Aside {
            path: destination,
            still_in_place: true,
        });
    }
    fs::rename(&file, &destination)?;
    sync_folder(dir)?;
    Ok(Aside {
        path: destination,
        still_in_place: false,
    })
}

/// Makes renames in `dir` durable. Only Unix can open a folder to fsync it.
fn sync_folder(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

// Time formatting by hand: tomes needs only "now" as a UTC timestamp in two fixed shapes,
// which is a dozen lines of arithmetic, not worth a date crate (and its compile time).

/// `2026-11-27T03:00:00Z`.
pub fn format_rfc3339_utc(time: SystemTime) -> String {
    let (year, month, day, hour, minute, second) = utc_fields(time);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// `2026-11-27T03:00:00.250Z`: a bookmark's time, to the millisecond, so that bookmarks
/// added within a second stay in order when one is removed and put back.
pub fn format_rfc3339_millis_utc(time: SystemTime) -> String {
    let millis = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_millis());
    let whole = format_rfc3339_utc(time);
    format!("{}.{millis:03}Z", whole.trim_end_matches('Z'))
}

/// `20261127T030000Z`, for file names (no colons, which some file systems refuse).
fn format_compact_utc(time: SystemTime) -> String {
    let (year, month, day, hour, minute, second) = utc_fields(time);
    format!("{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z")
}

fn utc_fields(time: SystemTime) -> (i64, u32, u32, u32, u32, u32) {
    // A clock before 1970 is a broken clock; clamp rather than fail a bookmark.
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let of_day = secs.rem_euclid(86_400);
    (
        year,
        month,
        day,
        (of_day / 3600) as u32,
        (of_day / 60 % 60) as u32,
        (of_day % 60) as u32,
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
        assert_eq!(format_rfc3339_utc(at(0)), "1970-01-01T00:00:00Z");
        // 2000-02-29 (a leap day in a century leap year) 12:34:56.
        assert_eq!(format_rfc3339_utc(at(951_827_696)), "2000-02-29T12:34:56Z");
        // 2026-11-27T03:00:00Z.
        assert_eq!(
            format_rfc3339_utc(at(1_795_748_400)),
            "2026-11-27T03:00:00Z"
        );
        assert_eq!(format_compact_utc(at(1_795_748_400)), "20261127T030000Z");
        assert_eq!(
            format_rfc3339_millis_utc(at(1_795_748_400) + Duration::from_millis(7)),
            "2026-11-27T03:00:00.007Z"
        );
        // 2100-03-01: 2100 is not a leap year.
        assert_eq!(
            format_rfc3339_utc(at(4_107_542_400)),
            "2100-03-01T00:00:00Z"
        );
    }

    /// Reading for a command makes nothing in the config folder and leaves a damaged file
    /// as it is, using what it can read of it.
    #[test]
    fn reading_only_touches_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("not-yet");
        assert_eq!(Bookmarks::read_only(Some(&missing)), (Vec::new(), None));
        assert!(!missing.exists());
        let damaged = "[[bookmark]]\nkey = \"PMID:1\"\ntitle = \"First\"\n\
                       added = \"2020-01-01T00:00:00Z\"\n[[bookmark]]\nkey = 7\n";
        let file = dir.path().join(BOOKMARKS_FILE);
        std::fs::write(&file, damaged).expect("write");
        let (kept, message) = Bookmarks::read_only(Some(dir.path()));
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].key.0, "PMID:1");
        let message = message.expect("the damage is reported");
        assert!(message.ends_with("it is left untouched"), "{message}");
        assert_eq!(std::fs::read_to_string(&file).expect("read"), damaged);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, [BOOKMARKS_FILE]);
    }

    #[test]
    fn a_restored_bookmark_goes_back_to_its_place_with_its_time() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join(BOOKMARKS_FILE),
            "[[bookmark]]\nkey = \"PMID:1\"\ntitle = \"First\"\nadded = \"2020-01-01T00:00:00Z\"\n\
             [[bookmark]]\nkey = \"PMID:2\"\ntitle = \"Second\"\nadded = \"2021-01-01T00:00:00Z\"\n",
        )
        .expect("write");
        let (mut store, problem) = Bookmarks::open(Some(dir.path()));
        assert_eq!(problem, None);
        let first = store.list()[0].clone();
        assert_eq!(store.toggle(&first.key, &first.title), Ok(false));
        assert_eq!(store.restore(first.clone()), Ok(true));
        let keys = |store: &Bookmarks| -> Vec<String> {
            store.list().iter().map(|b| b.key.0.clone()).collect()
        };
        assert_eq!(keys(&store), ["PMID:1", "PMID:2"]);
        // Saved so: another session reading the file sees it back in its place and time.
        let (reread, _) = Bookmarks::open(Some(dir.path()));
        assert_eq!(keys(&reread), ["PMID:1", "PMID:2"]);
        assert_eq!(reread.list()[0], first);
        // Restoring what is bookmarked changes nothing.
        assert_eq!(store.restore(first), Ok(true));
        assert_eq!(keys(&store), ["PMID:1", "PMID:2"]);
    }

    #[test]
    fn bookmarks_added_within_a_second_come_back_in_their_place() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut store, _) = Bookmarks::open(Some(dir.path()));
        let keys = |store: &Bookmarks| -> Vec<String> {
            store.list().iter().map(|b| b.key.0.clone()).collect()
        };
        for n in 1..=3 {
            let key = PaperKey(format!("PMID:{n}"));
            assert_eq!(store.toggle(&key, &format!("Paper {n}")), Ok(true));
            // Distinct milliseconds, most likely the same second.
            std::thread::sleep(Duration::from_millis(2));
        }
        let first = store.list()[0].clone();
        assert_eq!(
            first.added.len(),
            "2026-11-27T03:00:00.000Z".len(),
            "{}",
            first.added
        );
        assert_eq!(store.toggle(&first.key, &first.title), Ok(false));
        assert_eq!(store.restore(first), Ok(true));
        assert_eq!(keys(&store), ["PMID:1", "PMID:2", "PMID:3"]);
        let (reread, _) = Bookmarks::open(Some(dir.path()));
        assert_eq!(keys(&reread), ["PMID:1", "PMID:2", "PMID:3"]);
    }

    #[test]
    fn times_with_and_without_milliseconds_sort_by_time() {
        let at = |key: &str, added: &str| Bookmark {
            key: PaperKey(key.into()),
            title: String::new(),
            added: added.into(),
            note: String::new(),
        };
        let mut items = vec![
            at("late", "2026-11-27T03:00:01Z"),
            at("half", "2026-11-27T03:00:00.5Z"),
            at("quarter", "2026-11-27T03:00:00.250Z"),
            at("whole", "2026-11-27T03:00:00Z"),
            at("early", "2025-01-01T00:00:00.999Z"),
            at("odd", "yesterday"),
            at("day", "2025-06-01"),
            at("none", ""),
        ];
        sort_by_time_added(&mut items);
        let order: Vec<&str> = items.iter().map(|b| b.key.0.as_str()).collect();
        // No time and one that is no time are alike: first, as written (before, no time
        // sorted first and `yesterday` last).
        assert_eq!(
            order,
            [
                "odd", "none", "early", "day", "whole", "quarter", "half", "late"
            ]
        );
    }

    /// The keys kept and the (line, reason) of each entry dropped.
    fn salvaged(text: &[u8]) -> (Vec<String>, Vec<(usize, String)>) {
        let salvage = parse(text);
        (
            salvage.kept.iter().map(|b| b.key.0.clone()).collect(),
            salvage
                .dropped
                .into_iter()
                .map(|d| (d.line, d.reason))
                .collect(),
        )
    }

    fn dropped(line: usize, reason: &str) -> (usize, String) {
        (line, reason.to_owned())
    }

    #[test]
    fn parse_keeps_what_it_can_and_names_the_rest() {
        assert_eq!(salvaged(b""), (vec![], vec![]));
        // A key listed twice: the first in the file wins, and nothing counts as dropped.
        let twice = b"[[bookmark]]\nkey = \"PMID:1\"\ntitle = \"first\"\n\
                      [[bookmark]]\nkey = \"PMID:1\"\ntitle = \"second\"\n";
        assert_eq!(salvaged(twice), (vec!["PMID:1".into()], vec![]));
        assert_eq!(parse(twice).kept[0].title, "first");

        // Valid TOML, entries that are not bookmarks: each named by its table's line.
        struct Case {
            text: &'static [u8],
            kept: &'static [&'static str],
            dropped: &'static [(usize, &'static str)],
        }
        let cases = [
            Case {
                text: b"[[bookmark]]\ntitle = \"no key\"\n",
                kept: &[],
                dropped: &[(1, "missing field `key`")],
            },
            Case {
                text: b"[[bookmark]]\nkey = \" \"\n",
                kept: &[],
                dropped: &[(1, "empty `key`")],
            },
            Case {
                text: b"[[bookmark]]\nkey = \"K\"\ntitle = 3\n",
                kept: &[],
                dropped: &[(1, "`title` is an integer, not a string")],
            },
            Case {
                text: b"[[bookmark]]\nkey = [\"K\"]\n",
                kept: &[],
                dropped: &[(1, "`key` is an array, not a string")],
            },
            Case {
                text: b"[[bookmark]]\nkey = \"K\"\nadded = false\n",
                kept: &[],
                dropped: &[(1, "`added` is a boolean, not a string")],
            },
            Case {
                text: b"bookmark = [1, { key = \"K\" }]\n",
                kept: &["K"],
                dropped: &[(1, "an integer where a bookmark table belongs")],
            },
            Case {
                text: b"# header\n\n[[bookmark]]\nkey = \"\"\n\n[[bookmark]]\nno = 1\n\
                        [[bookmark]]\nkey = \"K\"\nother = \"ignored\"\n",
                kept: &["K"],
                dropped: &[(3, "empty `key`"), (6, "missing field `key`")],
            },
        ];
        for case in cases {
            let expected: Vec<(usize, String)> =
                case.dropped.iter().map(|&(l, r)| dropped(l, r)).collect();
            let context = String::from_utf8_lossy(case.text);
            assert_eq!(
                salvaged(case.text),
                (case.kept.iter().map(|k| k.to_string()).collect(), expected),
                "{context}"
            );
        }
        // Nothing a bookmark can be made of.
        let (kept, found) = salvaged(b"bookmark = 3\n");
        assert!(kept.is_empty());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 1);
        let (kept, found) = salvaged(b"\xff\xfe");
        assert!(kept.is_empty());
        assert_eq!(found, [dropped(1, "not UTF-8")]);
    }

    #[test]
    fn parse_keeps_valid_entries_beside_bad_ones_in_valid_toml() {
        let text = b"# tomes bookmarks\n\n\
                     [[bookmark]]\nkey = \"PMID:2\"\ntitle = \"Two\"\nadded = \"2021-01-01T00:00:00Z\"\n\n\
                     [[bookmark]]\ntitle = \"no key\"\nadded = \"2022-01-01T00:00:00Z\"\n\n\
                     [[bookmark]]\nkey = \"PMID:1\"\ntitle = \"One\"\nadded = 2020-01-01T00:00:00Z\n";
        let salvage = parse(text);
        let keys: Vec<&str> = salvage.kept.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(keys, ["PMID:1", "PMID:2"], "sorted by time added");
        // A bare TOML date-time (quotes forgotten in a hand edit) is taken as written.
        assert_eq!(salvage.kept[0].added, "2020-01-01T00:00:00Z");
        assert_eq!(salvage.kept[1].title, "Two");
        assert_eq!(
            salvage.dropped,
            [Dropped {
                line: 8,
                reason: "missing field `key`".into()
            }]
        );
    }

    #[test]
    fn parse_reads_each_table_alone_when_the_file_is_not_toml() {
        // An unterminated string in the second table (line 7 of the file, table at 5).
        let text = b"# tomes bookmarks\n\n\
                     [[bookmark]]\nkey = \"PMID:1\"\n\
                     [[bookmark]]\nkey = \"PMID:2\"\ntitle = \"unterminated\n\n\
                     [[bookmark]] # a comment\nkey = \"PMID:3\"\n\
                     [[bookmark]]\nkey = \"PMID:4\"\nkey = \"twice\"\n\
                     [[bookmark]]\ntitle = \"no key\"\n";
        let (kept, found) = salvaged(text);
        assert_eq!(kept, ["PMID:1", "PMID:2", "PMID:3", "PMID:4"]);
        assert_eq!(found, [dropped(14, "missing field `key`")]);
        // A table whose key reads keeps every line that reads; the others are named.
        let salvage = parse(text);
        assert_eq!(salvage.kept[1].title, "");
        assert_eq!(salvage.left_out.len(), 2, "{:?}", salvage.left_out);
        assert_eq!(salvage.left_out[0].line, 7);
        assert!(
            salvage.left_out[0]
                .reason
                .starts_with("`title = \"unterminated` left out of bookmark PMID:2: "),
            "{:?}",
            salvage.left_out
        );
        assert!(
            salvage.left_out[0].reason.contains("string"),
            "toml's own message: {:?}",
            salvage.left_out
        );
        assert_eq!(
            salvage.left_out[1],
            Dropped {
                line: 13,
                reason: "`key = \"twice\"` left out of bookmark PMID:4: duplicate key".into()
            }
        );

        // A bad byte costs only its line; the rest is read as written, not guessed at.
        let text = b"[[bookmark]]\nkey = \"PMID:1\"\ntitle = \"caf\xe9\"\n\
                     [[bookmark]]\nkey = \"PMID:2\"\ntitle = \"caf\xc3\xa9\"\n";
        let salvage = parse(text);
        assert_eq!(salvage.kept.len(), 2);
        assert_eq!(salvage.kept[0].title, "");
        assert_eq!(salvage.kept[1].title, "caf\u{e9}");
        assert_eq!(salvage.dropped, []);
        assert_eq!(
            salvage.left_out,
            [Dropped {
                line: 3,
                reason: "a line left out of bookmark PMID:1: not UTF-8".into()
            }]
        );
        // A line that reads but is not a field (another table) is left out too.
        let salvage = parse(b"[[bookmark]]\nkey = \"K\"\n[other]\nnote = \"x\n");
        assert_eq!(salvage.kept.len(), 1);
        assert_eq!(salvage.left_out.len(), 2, "{:?}", salvage.left_out);

        // Garbage before the first table is named by its own line; it holds no bookmark.
        let (kept, found) = salvaged(b"# ok\nnot = [valid\n[[bookmark]]\nkey = \"K\"\n");
        assert_eq!(kept, ["K"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 2, "{found:?}");
        // No table at all: nothing kept, the error named.
        let (kept, found) = salvaged(b"[[bookmark]\nkey = \"PMID:1\"\n");
        assert!(kept.is_empty());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 1);
    }

    /// The suite once failed `file_corrupted_while_running_...`: two bookmarks made in one
    /// millisecond, the second saved over a damaged file, were written second first.
    #[test]
    fn a_damaged_file_written_afresh_keeps_the_lists_order_for_equal_times() {
        let at = |key: &str| Bookmark {
            key: PaperKey(key.into()),
            title: key.into(),
            added: "2026-11-28T18:00:00.000Z".into(),
            note: String::new(),
        };
        let items = [at("PMID:1"), at("PMID:2")];
        let (text, _) = rewritten(
            parse(b"not = [valid").document,
            &items,
            &[Change::Add(at("PMID:2"))],
            &KnownTables::new(),
            &ExtraFields::new(),
        )
        .expect("rewritten");
        let first = text.find("PMID:1").expect("PMID:1");
        let second = text.find("PMID:2").expect("PMID:2");
        assert!(first < second, "{text}");
    }

    #[test]
    fn damage_is_described_in_one_line_naming_the_first_few_entries() {
        let file = Path::new("/c/bookmarks.toml");
        let bookmark = |key: &str| Bookmark {
            key: PaperKey(key.into()),
            title: String::new(),
            added: String::new(),
            note: String::new(),
        };
        let mut salvage = Salvage {
            kept: vec![bookmark("A")],
            extras: ExtraFields::new(),
            dropped: vec![Dropped {
                line: 9,
                reason: "missing field `key`".into(),
            }],
            left_out: Vec::new(),
            unread: Vec::new(),
            noted: Vec::new(),
            mended: 0,
            lines: Vec::new(),
            document: None,
        };
        assert_eq!(
            describe_damage(file, &salvage),
            "/c/bookmarks.toml could not all be read: kept 1 bookmark, dropped 1 \
             (line 9: missing field `key`)"
        );
        salvage.kept.push(bookmark("B"));
        salvage.dropped = (1..=5)
            .map(|line| Dropped {
                line,
                reason: "empty `key`".into(),
            })
            .collect();
        assert_eq!(
            describe_damage(file, &salvage),
            "/c/bookmarks.toml could not all be read: kept 2 bookmarks, dropped 5 \
             (line 1: empty `key`; line 2: empty `key`; line 3: empty `key`; and 2 more)"
        );
        salvage.kept.clear();
        salvage.dropped.truncate(1);
        assert_eq!(
            describe_damage(file, &salvage),
            "/c/bookmarks.toml could not be read (line 1: empty `key`)"
        );
    }

    #[test]
    fn fields_written_by_hand_are_kept_and_written_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(BOOKMARKS_FILE);
        fs::write(
            &file,
            "[[bookmark]]\nkey = \"PMID:1\"\ntitle = \"One\"\nadded = \"2026-01-01T00:00:00Z\"\n\
             note = \"read the methods\"\ntags = [\"nasopharynx\", \"pd-1\"]\n",
        )
        .expect("write");
        let (mut store, problem) = Bookmarks::open(Some(dir.path()));
        assert_eq!(problem, None);
        assert_eq!(store.toggle(&PaperKey("PMID:2".into()), "Two"), Ok(true));
        let text = fs::read_to_string(&file).expect("saved");
        assert!(text.contains("note = \"read the methods\""), "{text}");
        assert!(
            text.contains("tags = [\"nasopharynx\", \"pd-1\"]"),
            "{text}"
        );
        // Removed and brought back in one session, the bookmark keeps them.
        assert_eq!(store.toggle(&PaperKey("PMID:1".into()), "One"), Ok(false));
        assert_eq!(store.toggle(&PaperKey("PMID:1".into()), "One"), Ok(true));
        let text = fs::read_to_string(&file).expect("saved");
        assert!(text.contains("note = \"read the methods\""), "{text}");
        let (again, _) = Bookmarks::open(Some(dir.path()));
        assert_eq!(again.list().len(), 2);
    }

    #[test]
    fn a_table_tomes_does_not_know_is_damage_not_an_empty_file() {
        let text = "# mine\n[[bookmarks]]\nkey = \"PMID:1\"\n";
        let salvage = parse(text.as_bytes());
        assert!(salvage.kept.is_empty());
        assert_eq!(
            salvage.dropped,
            [Dropped {
                line: 2,
                reason: "`bookmarks` is not a bookmark table; bookmarks are [[bookmark]] tables"
                    .into(),
            }]
        );
        // Beside good entries, it is named and the good ones kept.
        let text = "[[bookmark]]\nkey = \"PMID:1\"\n\n[Bookmark]\nkey = \"PMID:2\"\n";
        let salvage = parse(text.as_bytes());
        assert_eq!(salvage.kept.len(), 1);
        assert_eq!(salvage.dropped.len(), 1);
        assert_eq!(salvage.dropped[0].line, 4);
        // Moved aside, never saved over.
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(
            dir.path().join(BOOKMARKS_FILE),
            "[[bookmarks]]\nkey = \"PMID:1\"\n",
        )
        .expect("write");
        let (_, problem) = Bookmarks::open(Some(dir.path()));
        let problem = problem.expect("a message");
        assert_eq!(problem.kind, NoticeKind::MovedAside);
        assert!(
            problem
                .message
                .contains("`bookmarks` is not a bookmark table"),
            "{}",
            problem.message
        );
        let aside = fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(CORRUPT_PREFIX))
            .count();
        assert_eq!(aside, 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_damaged_symlinked_file_stays_a_link_with_its_original_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dotfiles = tempfile::tempdir().expect("temp dir");
        let target = dotfiles.path().join("bookmarks.toml");
        let damaged = "[[bookmark]]\nkey = \"PMID:1\"\n[[bookmark]]\ntitle = \"no key\"\n";
        fs::write(&target, damaged).expect("write");
        let link = dir.path().join(BOOKMARKS_FILE);
        std::os::unix::fs::symlink(&target, &link).expect("link");
        let (mut store, problem) = Bookmarks::open(Some(dir.path()));
        let problem = problem.expect("a message");
        assert_eq!(problem.kind, NoticeKind::Salvaged);
        assert!(problem.message.contains("kept 1 bookmark"));
        assert!(
            fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        let aside: Vec<PathBuf> = fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().contains(CORRUPT_PREFIX))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(fs::read_to_string(&aside[0]).expect("read"), damaged);
        assert_eq!(store.toggle(&PaperKey("PMID:2".into()), "Two"), Ok(true));
        let text = fs::read_to_string(&target).expect("the link's target");
        assert!(text.contains("PMID:1") && text.contains("PMID:2"), "{text}");
        assert!(
            fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
    }

    /// Only words the user wrote leave a commented-out copy: a `#` in a title is no comment.
    #[test]
    fn own_words_are_fields_and_comments_of_the_users() {
        let cases = [
            (
                "key = \"K\"\ntitle = \"C# tools\"\nadded = \"2026-01-01T00:00:00Z\"\n",
                false,
            ),
            ("key   = \"K\"\n", false),
            ("key = \"K\"\nnote = \"x\"\n", true),
            ("key = \"K\" # why\n", true),
            ("# why\nkey = \"K\"\n", true),
            ("key = \"K\"\ntags = []\n", true),
        ];
        for (body, own) in cases {
            let text = format!("[[bookmark]]\n{body}");
            let document: toml_edit::DocumentMut = text.parse().expect("toml");
            let tables = tables_in(&document);
            assert_eq!(has_own_words(&tables["K"]), own, "{text}");
        }
        let text = "[[bookmark]] # mine\nkey = \"K\"\n";
        let document: toml_edit::DocumentMut = text.parse().expect("toml");
        assert!(has_own_words(&tables_in(&document)["K"]));
    }

    /// A damaged file written back keeps the entries its bookmarks were read from, judged
    /// by the same rules, whether tables or inline.
    #[test]
    fn an_entry_kept_in_the_file_is_one_read_as_a_bookmark() {
        let entries: [&[&str]; 8] = [
            &["key = \"K\""],
            &[
                "key = \"K\"",
                "title = \"T\"",
                "added = 2020-01-01T00:00:00Z",
            ],
            &["key = \"K\"", "title = 2020-01-01T00:00:00Z"],
            &["key = \" \""],
            &["key = 2020-01-01T00:00:00Z"],
            &["title = \"no key\""],
            &["key = \"K\"", "added = false"],
            &[
                "key = \"K\"",
                "note = { text = \"x\", tags = [1, 2.5, true] }",
            ],
        ];
        for fields in entries {
            let inline = format!("bookmark = [{{ {} }}]\n", fields.join(", "));
            let read = parse(inline.as_bytes()).kept.len() == 1;
            let table = format!("[[bookmark]]\n{}\n", fields.join("\n"));
            for text in [inline, table] {
                let document: toml_edit::DocumentMut = text.parse().expect("toml");
                let kept = entry_index(&document, is_bookmark).is_some();
                assert_eq!(kept, read, "{text}");
            }
        }
    }

    #[test]
    fn a_key_listed_twice_keeps_the_fields_of_both_and_unknown_tables_are_placed() {
        let text = "[[bookmark]]\nkey = \"PMID:1\"\nnote = \"first\"\n\
                    [[bookmark]]\nkey = \"PMID:1\"\nnote = \"second\"\ntags = [\"x\"]\n";
        let salvage = parse(text.as_bytes());
        assert_eq!(salvage.kept.len(), 1);
        assert!(salvage.dropped.is_empty());
        let extra = &salvage.extras["PMID:1"];
        assert_eq!(extra["note"].as_str(), Some("first"));
        assert!(extra.contains_key("tags"));
        // A field of a bookmark table named like the unknown table is not where it is.
        let text = "[[bookmark]]\nkey = \"x\"\nnotes = \"a\"\n[notes]\nn = 1\n";
        let salvage = parse(text.as_bytes());
        assert_eq!(salvage.dropped.len(), 1);
        assert_eq!(salvage.dropped[0].line, 4);
    }
}
