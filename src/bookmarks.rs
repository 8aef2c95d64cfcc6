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
//! sorted by the time added. The title is stored so a bookmark whose paper is not loaded still
//! shows.
//!
//! Saving, in order of what matters:
//! - **Never lose the file.** Writes go to a temp file in the same folder, are fsynced, then
//!   renamed over `bookmarks.toml` (the old version kept as `bookmarks.toml.bak`, linked or
//!   copied before the rename), then the folder is fsynced. A crash at any point leaves either
//!   the old or the new file.
//! - **Never overwrite what we cannot read.** A `bookmarks.toml` that does not parse is moved
//!   to `bookmarks.toml.corrupt-<UTC timestamp>` untouched, the user is told where, and a fresh
//!   file is started.
//! - **Two sessions at once** (two SSH logins) each keep their changes: a save takes an
//!   advisory lock on `bookmarks.lock`, re-reads the file, replays this session's adds and
//!   removes made since its last sync onto what is on disk, writes, and unlocks. So neither
//!   session overwrites the other's set; a removal in one is honoured by the other.
//! - **A folder we cannot write** does not stop tomes: bookmarks work in memory, `open` says
//!   why they cannot be saved, and every `toggle` returns `Err(reason)` (the change is kept
//!   in memory, and saved by a later toggle or [`Bookmarks::sync`] if the folder becomes
//!   writable). [`Bookmarks::save_error`] tells a status bar whether the last save failed.

use crate::model::PaperKey;
use serde::{Deserialize, Serialize};
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
    notice: Option<String>,
}

/// What `bookmarks.toml` holds.
enum OnDisk {
    Missing,
    Parsed(Vec<Bookmark>),
    /// Present but not a bookmark file; the reason says why.
    Unparsable(String),
}

#[derive(Serialize, Deserialize)]
struct StoredFile {
    #[serde(default)]
    bookmark: Vec<StoredBookmark>,
}

#[derive(Serialize, Deserialize)]
struct StoredBookmark {
    key: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    added: String,
}

impl Bookmarks {
    /// Opens the store in `dir` (normally [`crate::config::config_dir`]), creating the folder
    /// if missing. Returns the store and a message for the user when something went wrong:
    /// the file was unreadable and moved aside (the message says where), or bookmarks cannot
    /// be saved (the message says why; bookmarks still work until tomes exits).
    pub fn open(dir: Option<&Path>) -> (Bookmarks, Option<String>) {
        let mut store = Bookmarks {
            dir: dir.map(Path::to_path_buf),
            path: dir.map(|d| d.join(BOOKMARKS_FILE)),
            ..Bookmarks::default()
        };
        let Some(dir) = dir else {
            let reason = "no config folder (no home folder found; set TOMES_CONFIG_DIR)";
            store.save_error = Some(reason.to_owned());
            return (store, Some(cannot_save_message(reason)));
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
        match read_file(&file) {
            Ok(OnDisk::Missing) => {}
            Ok(OnDisk::Parsed(items)) => store.items = items,
            Ok(OnDisk::Unparsable(reason)) if lock.is_some() => match move_aside(dir) {
                Ok(moved) => messages.push(moved_aside_message(&file, &reason, &moved)),
                Err(e) => {
                    let why = format!(
                        "{} could not be read ({reason}) nor moved aside ({e}); \
                         it is left untouched",
                        file.display()
                    );
                    store.save_error = Some(why);
                }
            },
            Ok(OnDisk::Unparsable(reason)) => {
                // Cannot move it aside in a read-only folder; leave it for the user.
                messages.push(format!(
                    "{} could not be read ({reason}); it is left untouched",
                    file.display()
                ));
            }
            Err(e) => {
                // Present but unreadable (permissions, a folder...): never overwrite it.
                store.save_error = Some(format!("cannot read {}: {e}", file.display()));
            }
        }
        drop(lock);
        if let Some(reason) = &store.save_error {
            messages.push(cannot_save_message(reason));
        }
        let message = (!messages.is_empty()).then(|| messages.join("; "));
        (store, message)
    }

    pub fn contains(&self, key: &PaperKey) -> bool {
        self.items.iter().any(|b| &b.key == key)
    }

    /// Bookmarks in the order they were added.
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
            };
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
    /// first added, so it goes back to its place in the list (after any bookmark added in the
    /// same millisecond, or the same second for times written without milliseconds). Saves like [`toggle`](Self::toggle); a paper bookmarked meanwhile keeps
    /// the bookmark it has. Returns whether it is bookmarked.
    pub fn restore(&mut self, bookmark: Bookmark) -> Result<bool, String> {
        if self.contains(&bookmark.key) {
            return Ok(true);
        }
        self.pending.retain(|c| c.key() != &bookmark.key);
        self.pending.push(Change::Add(bookmark.clone()));
        self.items.push(bookmark);
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

    /// A message from the last save the user should see (e.g. an unreadable file found and
    /// moved aside), taken so it is shown once.
    pub fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    /// Where the store is saved, if anywhere.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn try_sync(&mut self) -> Result<(), String> {
        let Some(dir) = self.dir.clone() else {
            return Err("no config folder to save bookmarks in".to_owned());
        };
        let file = dir.join(BOOKMARKS_FILE);
        let cannot_write = |e: io::Error| format!("cannot write in {}: {e}", dir.display());
        fs::create_dir_all(&dir).map_err(cannot_write)?;
        let lock = lock_folder(&dir).map_err(cannot_write)?;

        let (mut merged, mut must_write) = match read_file(&file) {
            Ok(OnDisk::Missing) => (Vec::new(), true),
            Ok(OnDisk::Parsed(items)) => (items, false),
            Ok(OnDisk::Unparsable(reason)) => {
                let moved = move_aside(&dir).map_err(|e| {
                    format!(
                        "{} could not be read ({reason}) nor moved aside ({e}); \
                         not saving over it",
                        file.display()
                    )
                })?;
                self.notice = Some(moved_aside_message(&file, &reason, &moved));
                // Our view is the last good state plus our changes: start the new file from it.
                (self.items.clone(), true)
            }
            Err(e) => {
                return Err(format!(
                    "cannot read {}: {e}; not saving over it",
                    file.display()
                ));
            }
        };
        // A missing file needs writing only if there is something to write.
        if must_write && merged.is_empty() && self.pending.is_empty() {
            must_write = false;
        }
        must_write |= apply_changes(&mut merged, &self.pending);
        if must_write {
            write_atomically(&dir, &merged)
                .map_err(|e| format!("cannot save {}: {e}", file.display()))?;
        }
        drop(lock);
        self.items = merged;
        self.pending.clear();
        Ok(())
    }
}

fn cannot_save_message(reason: &str) -> String {
    format!("bookmarks cannot be saved ({reason}); bookmarks you make last until tomes exits")
}

fn moved_aside_message(file: &Path, reason: &str, moved: &Path) -> String {
    format!(
        "{} could not be read ({reason}); it was moved to {} and a new bookmark file started",
        file.display(),
        moved.display()
    )
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

/// Sorts by the time added: up to the seconds by text (our times all begin in one shape),
/// then by the fraction of a second, if any (times written before milliseconds were kept
/// have none). The sort is stable, so bookmarks added in the same instant keep the order
/// they were added in. (A hand-edited time in another shape sorts by its text, which is
/// close enough.)
fn sort_by_time_added(items: &mut [Bookmark]) {
    items.sort_by(|a, b| time_order(&a.added).cmp(&time_order(&b.added)));
}

/// `2026-11-27T03:00:00.250Z` -> (`2026-11-27T03:00:00`, 250,000,000 ns); a time without
/// a fraction has fraction 0.
fn time_order(added: &str) -> (&str, u64) {
    const SECONDS: usize = "2026-11-27T03:00:00".len();
    let (Some(whole), Some(rest)) = (added.get(..SECONDS), added.get(SECONDS..)) else {
        return (added, 0);
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
        _ => return (added, 0),
    };
    (whole, fraction)
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
    Ok(match parse(&bytes) {
        Ok(items) => OnDisk::Parsed(items),
        Err(reason) => OnDisk::Unparsable(reason),
    })
}

/// Parses the file's bytes. Anything that is not a list of `[[bookmark]]` tables each with
/// a `key` is rejected as a whole: rewriting a half-understood file would lose the rest.
fn parse(bytes: &[u8]) -> Result<Vec<Bookmark>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let stored: StoredFile = toml::from_str(text).map_err(|e| {
        let message = e.message().trim_end().to_owned();
        match e.span() {
            Some(span) => {
                let line = text.get(..span.start).unwrap_or(text).matches('\n').count() + 1;
                format!("line {line}: {message}")
            }
            None => message,
        }
    })?;
    let mut items: Vec<Bookmark> = Vec::with_capacity(stored.bookmark.len());
    for entry in stored.bookmark {
        if entry.key.trim().is_empty() {
            return Err("a bookmark with an empty key".to_owned());
        }
        // A key listed twice (hand edits, old merges): the first, oldest, one wins.
        if items.iter().any(|b| b.key.as_str() == entry.key) {
            continue;
        }
        items.push(Bookmark {
            key: PaperKey(entry.key),
            title: entry.title,
            added: entry.added,
        });
    }
    sort_by_time_added(&mut items);
    Ok(items)
}

fn render(items: &[Bookmark]) -> String {
    let stored = StoredFile {
        bookmark: items
            .iter()
            .map(|b| StoredBookmark {
                key: b.key.0.clone(),
                title: b.title.clone(),
                added: b.added.clone(),
            })
            .collect(),
    };
    // Serialising plain strings cannot fail; fall back to an empty list rather than panic.
    let body = toml::to_string(&stored).unwrap_or_default();
    format!("{FILE_HEADER}{body}")
}

/// Temp file, fsync, keep the old file as `.bak`, rename over, fsync the folder. The caller
/// holds the lock, so the fixed temp names cannot clash with another tomes.
///
/// A `bookmarks.toml` that is a symlink (a dotfiles repository) stays one: the file it points
/// to is replaced, with the temp file and `.bak` beside that file so the rename stays within
/// one folder.
fn write_atomically(dir: &Path, items: &[Bookmark]) -> io::Result<()> {
    let link = dir.join(BOOKMARKS_FILE);
    let target = match fs::symlink_metadata(&link) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(&link).unwrap_or(link),
        _ => link,
    };
    let folder = target.parent().unwrap_or(dir);
    let name = target
        .file_name()
        .map_or_else(|| BOOKMARKS_FILE.into(), |n| n.to_string_lossy());
    let temp = folder.join(format!("{name}.tmp"));
    {
        let mut file = File::create(&temp)?;
        file.write_all(render(items).as_bytes())?;
        file.sync_all()?;
    }
    if fs::symlink_metadata(&target).is_ok() {
        keep_backup(&target, &folder.join(format!("{name}.bak")))?;
    }
    fs::rename(&temp, &target)?;
    sync_folder(folder)
}

/// Makes `backup` a copy of `target`, itself atomically: a hard link (no copying) under a
/// temp name renamed over the old backup; a copy where hard links are not supported.
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

/// Moves an unreadable `bookmarks.toml` to `bookmarks.toml.corrupt-<timestamp>` (with `-2`,
/// `-3`... if that name is taken), bytes untouched. Returns the new path.
fn move_aside(dir: &Path) -> io::Result<PathBuf> {
    let stamp = format_compact_utc(SystemTime::now());
    let mut destination = dir.join(format!("{CORRUPT_PREFIX}{stamp}"));
    let mut n = 2;
    while fs::symlink_metadata(&destination).is_ok() {
        destination = dir.join(format!("{CORRUPT_PREFIX}{stamp}-{n}"));
        n += 1;
    }
    fs::rename(dir.join(BOOKMARKS_FILE), &destination)?;
    sync_folder(dir)?;
    Ok(destination)
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
        };
        let mut items = vec![
            at("late", "2026-11-27T03:00:01Z"),
            at("half", "2026-11-27T03:00:00.5Z"),
            at("quarter", "2026-11-27T03:00:00.250Z"),
            at("whole", "2026-11-27T03:00:00Z"),
            at("early", "2025-01-01T00:00:00.999Z"),
            at("odd", "yesterday"),
        ];
        sort_by_time_added(&mut items);
        let order: Vec<&str> = items.iter().map(|b| b.key.0.as_str()).collect();
        assert_eq!(order, ["early", "whole", "quarter", "half", "late", "odd"]);
    }

    #[test]
    fn parse_rejects_what_it_cannot_keep() {
        assert!(parse(b"").expect("empty file").is_empty());
        assert!(parse(b"[[bookmark]]\ntitle = \"no key\"\n").is_err());
        assert!(parse(b"[[bookmark]]\nkey = \"\"\n").is_err());
        assert!(parse(b"bookmark = 3\n").is_err());
        assert!(parse(b"\xff\xfe").is_err());
        let items = parse(b"[[bookmark]]\nkey = \"PMID:1\"\n[[bookmark]]\nkey = \"PMID:1\"\n")
            .expect("duplicates parse");
        assert_eq!(items.len(), 1);
    }
}
