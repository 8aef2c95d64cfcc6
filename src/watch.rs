//! Watching the library folders: file system events (the `notify` crate) become one "the
//! library changed" signal per burst of changes, after the files have been quiet for
//! [`DEBOUNCE`], so copying fifty files in triggers one reload, not fifty.
//!
//! Native events (inotify, FSEvents, ...) are used where they work; when the native watcher
//! cannot be set up (no inotify watches left, an unsupported file system) or `TOMES_WATCH=poll`
//! asks for it (network file systems such as NFS and SMB deliver no native events for changes
//! made on other machines), the folders are polled every [`POLL_INTERVAL`] instead.

use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// How long the files must be quiet before a burst of changes counts as one.
pub const DEBOUNCE: Duration = Duration::from_millis(300);
/// How often the polling fallback looks at the folders.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// A running watch. Dropping it stops watching.
pub struct LibraryWatcher {
    // Kept only to stay alive: dropping the watcher ends its events.
    _watcher: Box<dyn Watcher + Send>,
    changes: Receiver<()>,
    /// "native" or "polling", for the status bar and problems.
    pub method: &'static str,
}

impl LibraryWatcher {
    /// True when the library changed since the last call (one signal per debounced burst).
    pub fn changed(&self) -> bool {
        let mut any = false;
        while self.changes.try_recv().is_ok() {
            any = true;
        }
        any
    }
}

/// Starts watching `paths` (folders recursively, files themselves). Returns the watcher, or
/// why no watch could be set up at all.
pub fn watch(paths: &[PathBuf]) -> Result<LibraryWatcher, String> {
    let force_poll = std::env::var("TOMES_WATCH").is_ok_and(|v| v.eq_ignore_ascii_case("poll"));
    watch_with(paths, force_poll)
}

/// [`watch`], polling when `force_poll` (rather than only when native events fail).
pub fn watch_with(paths: &[PathBuf], force_poll: bool) -> Result<LibraryWatcher, String> {
    let (raw_tx, raw_rx) = mpsc::channel::<notify::Result<Event>>();
    let (changes_tx, changes) = mpsc::channel();
    std::thread::Builder::new()
        .name("tomes-watch".into())
        .spawn(move || debounce(&raw_rx, &changes_tx))
        .map_err(|e| e.to_string())?;
    let native = if force_poll {
        Err("polling asked for by TOMES_WATCH=poll".to_string())
    } else {
        RecommendedWatcher::new(raw_tx.clone(), notify::Config::default())
            .map_err(|e| e.to_string())
            .and_then(|mut w| watch_all(&mut w, paths).map(|()| w))
    };
    match native {
        Ok(w) => Ok(LibraryWatcher {
            _watcher: Box::new(w),
            changes,
            method: "native",
        }),
        Err(_) => {
            let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
            let mut w = PollWatcher::new(raw_tx, config).map_err(|e| e.to_string())?;
            watch_all(&mut w, paths)?;
            Ok(LibraryWatcher {
                _watcher: Box::new(w),
                changes,
                method: "polling",
            })
        }
    }
}

fn watch_all(watcher: &mut dyn Watcher, paths: &[PathBuf]) -> Result<(), String> {
    let mut watched = 0;
    let mut errors = Vec::new();
    for path in paths {
        match watcher.watch(path, RecursiveMode::Recursive) {
            Ok(()) => watched += 1,
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    if watched == 0 && !paths.is_empty() {
        return Err(errors.join("; "));
    }
    Ok(())
}

/// Waits for a relevant event, then for [`DEBOUNCE`] of quiet, then signals once.
fn debounce(raw: &Receiver<notify::Result<Event>>, changes: &Sender<()>) {
    while let Ok(first) = raw.recv() {
        if !relevant(&first) {
            continue;
        }
        loop {
            match raw.recv_timeout(DEBOUNCE) {
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if changes.send(()).is_err() {
            return;
        }
    }
}

/// Whether an event can change the library: reads and changes to hidden files, editor
/// backups and tomes' own exports (which may be written into the library folder) cannot.
fn relevant(event: &notify::Result<Event>) -> bool {
    let Ok(event) = event else {
        // An error (events were lost): reload to be sure.
        return true;
    };
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.is_empty() || event.paths.iter().any(|p| !ignored(p))
}

/// Files the library never loads or that tomes writes itself.
pub fn ignored(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || (name.starts_with("tomes-")
            && (name.ends_with(".bib") || name.ends_with(".ris") || name.ends_with(".json")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_backup_and_export_files_are_ignored() {
        assert!(ignored(Path::new("/lib/.foo.txt.swx")));
        assert!(ignored(Path::new("/lib/paper.txt~")));
        assert!(ignored(Path::new(
            "/lib/tomes-bookmarks-20261127-040000.bib"
        )));
        assert!(!ignored(Path::new("/lib/000_seed.txt")));
        assert!(!ignored(Path::new("/lib/tomes.pubtator")));
    }
}
