//! The library watcher: a file written into a watched folder is signalled once the burst is
//! over, with native events and with the polling fallback; tomes' own exports are not.

use std::path::PathBuf;
use std::time::{Duration, Instant};
use tomes::watch::{LibraryWatcher, watch_with};

/// Waits (up to a generous limit, not a timing assertion) for the watcher to signal.
fn signalled(watcher: &LibraryWatcher, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if watcher.changed() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn check(poll: bool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = vec![PathBuf::from(dir.path())];
    let watcher = watch_with(&paths, poll).expect("watching");
    assert_eq!(watcher.method, if poll { "polling" } else { "native" });
    // The poll watcher takes its first look when it starts; let it see the empty folder.
    std::thread::sleep(Duration::from_millis(200));
    assert!(!watcher.changed(), "nothing changed yet");
    std::fs::create_dir(dir.path().join("sub")).expect("sub folder");
    std::fs::write(dir.path().join("sub/new.pubtator"), "1|t|A title\n").expect("write");
    assert!(
        signalled(&watcher, Duration::from_secs(20)),
        "a new file in a sub folder is seen ({})",
        watcher.method
    );
    // One signal per burst: nothing more is pending once it is taken.
    assert!(!signalled(&watcher, Duration::from_millis(800)));
}

#[test]
fn native_events_signal_a_new_file() {
    check(false);
}

#[test]
fn polling_signals_a_new_file() {
    check(true);
}

#[test]
fn an_export_written_into_the_library_is_not_a_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let watcher = watch_with(&[PathBuf::from(dir.path())], false).expect("watching");
    std::fs::write(
        dir.path().join("tomes-all-20261127-041931.bib"),
        "@article{x,}\n",
    )
    .expect("write");
    assert!(!signalled(&watcher, Duration::from_secs(2)));
    std::fs::write(dir.path().join("paper.txt"), "# A paper\n").expect("write");
    assert!(signalled(&watcher, Duration::from_secs(20)));
}
