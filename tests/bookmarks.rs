//! The bookmark store on disk: round trip, atomic replace with a backup, corrupt files moved
//! aside with their readable bookmarks kept, two sessions merging, concurrent writers, writers killed mid-save, and folders that
//! cannot be written.
//!
//! Some tests re-run this test binary as a child process (see `child_process_entry`): the
//! child does the work named by `TOMES_BOOKMARKS_CHILD` and exits.

mod common;

use common::{buffer_text, message_text, press, render, state};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use tomes::bookmarks::{BACKUP_FILE, BOOKMARKS_FILE, Bookmarks, NoticeKind};
use tomes::model::PaperKey;

const CHILD_MODE: &str = "TOMES_BOOKMARKS_CHILD";
const CHILD_DIR: &str = "TOMES_BOOKMARKS_CHILD_DIR";
const CHILD_PREFIX: &str = "TOMES_BOOKMARKS_CHILD_PREFIX";
const CHILD_COUNT: &str = "TOMES_BOOKMARKS_CHILD_COUNT";

fn key(s: &str) -> PaperKey {
    PaperKey(s.to_owned())
}

fn keys_of(store: &Bookmarks) -> Vec<String> {
    store.list().iter().map(|b| b.key.0.clone()).collect()
}

/// Keys in the file as written, parsed independently of the store (plain TOML), so a test
/// can check the file without `open` moving a bad one aside.
fn keys_in_file(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("read {path:?}: {e}"))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| format!("{path:?} does not parse: {e}\n{text}"))?;
    let Some(entries) = table.get("bookmark") else {
        return Ok(Vec::new());
    };
    let entries = entries.as_array().ok_or("bookmark is not an array")?;
    entries
        .iter()
        .map(|e| {
            e.get("key")
                .and_then(|k| k.as_str())
                .map(str::to_owned)
                .ok_or_else(|| format!("entry without key in {path:?}"))
        })
        .collect()
}

fn open_ok(dir: &Path) -> Bookmarks {
    let (store, message) = Bookmarks::open(Some(dir));
    assert_eq!(message, None, "unexpected message opening {dir:?}");
    store
}

/// Re-runs this test binary to run only `child_process_entry`, in the given mode.
fn spawn_child(mode: &str, dir: &Path, prefix: &str, count: usize) -> Child {
    let exe = std::env::current_exe().expect("path of the test binary");
    Command::new(exe)
        .args(["child_process_entry", "--exact", "--test-threads=1"])
        .env(CHILD_MODE, mode)
        .env(CHILD_DIR, dir)
        .env(CHILD_PREFIX, prefix)
        .env(CHILD_COUNT, count.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn child test process")
}

/// Not a test of its own: when started by `spawn_child`, does the child's work. Run normally
/// (no `TOMES_BOOKMARKS_CHILD`), it does nothing.
#[test]
fn child_process_entry() {
    let Some(mode) = std::env::var_os(CHILD_MODE) else {
        return;
    };
    let dir = PathBuf::from(std::env::var_os(CHILD_DIR).expect("child dir"));
    let prefix = std::env::var(CHILD_PREFIX).expect("child prefix");
    let count: usize = std::env::var(CHILD_COUNT)
        .expect("child count")
        .parse()
        .expect("child count is a number");
    let (mut store, _) = Bookmarks::open(Some(&dir));
    match mode.to_str() {
        // Adds prefix0..prefix{count-1}, one save each.
        Some("add-distinct") => {
            for i in 0..count {
                let now = store
                    .toggle(&key(&format!("{prefix}{i:05}")), "child")
                    .expect("child save");
                assert!(now);
            }
        }
        // Adds the next key in sequence forever (until killed): the file always holds
        // prefix00000..prefix{n-1} for some n.
        Some("save-forever") => {
            let mut next = store.list().len();
            loop {
                store
                    .toggle(
                        &key(&format!("{prefix}{next:05}")),
                        "x".repeat(200).as_str(),
                    )
                    .expect("child save");
                next += 1;
            }
        }
        other => panic!("unknown child mode {other:?}"),
    }
}

#[test]
fn round_trip_keeps_key_title_time_and_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = open_ok(dir.path());
    assert!(store.list().is_empty());
    let titles = [
        ("PMID:123", "Plain title"),
        (
            "DOI:10.1000/xyz\"q",
            "Quotes \" and \\ backslash, \u{3b1}-synuclein\nsecond line",
        ),
        ("file:a b/c.txt", ""),
    ];
    for (k, title) in titles {
        assert_eq!(store.toggle(&key(k), title), Ok(true));
    }
    assert_eq!(
        store.path(),
        Some(dir.path().join(BOOKMARKS_FILE).as_path())
    );
    let before = store.list().to_vec();

    let reopened = open_ok(dir.path());
    assert_eq!(reopened.list(), before.as_slice());
    assert_eq!(
        keys_of(&reopened),
        vec!["PMID:123", "DOI:10.1000/xyz\"q", "file:a b/c.txt"]
    );
    for (bookmark, (_, title)) in reopened.list().iter().zip(titles) {
        assert_eq!(bookmark.title, title);
        // RFC 3339 UTC to the millisecond: `2026-11-27T03:00:00.250Z`.
        let added = bookmark.added.as_bytes();
        assert_eq!(added.len(), 24, "{}", bookmark.added);
        assert!(bookmark.added.ends_with('Z') && added[10] == b'T' && added[4] == b'-');
        assert_eq!(added[19], b'.', "{}", bookmark.added);
    }
    assert!(reopened.contains(&key("PMID:123")));
    assert!(!reopened.contains(&key("PMID:999")));

    // Human-readable: one [[bookmark]] table per bookmark.
    let text = std::fs::read_to_string(dir.path().join(BOOKMARKS_FILE)).expect("read");
    assert_eq!(text.matches("[[bookmark]]").count(), 3, "{text}");
    assert!(text.contains("key = \"PMID:123\""), "{text}");

    // Removal round trips too, and the rest keep their order.
    let mut store = reopened;
    assert_eq!(
        store.toggle(&key("DOI:10.1000/xyz\"q"), "ignored"),
        Ok(false)
    );
    let reopened = open_ok(dir.path());
    assert_eq!(keys_of(&reopened), vec!["PMID:123", "file:a b/c.txt"]);
}

/// The list is in the order bookmarks were added whatever the file's order; the file keeps
/// the order it was given by hand (its layout is the user's), a new bookmark added at its end.
#[test]
fn list_is_sorted_by_time_added_and_a_file_edited_out_of_order_keeps_its_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join(BOOKMARKS_FILE),
        "[[bookmark]]\nkey = \"PMID:2\"\ntitle = \"later\"\nadded = \"2026-11-27T03:00:00Z\"\n\n\
         [[bookmark]]\nkey = \"PMID:1\"\ntitle = \"earlier\"\nadded = \"2025-01-01T00:00:00Z\"\n",
    )
    .expect("write");
    let mut store = open_ok(dir.path());
    assert_eq!(keys_of(&store), vec!["PMID:1", "PMID:2"]);
    store.toggle(&key("PMID:3"), "now").expect("save");
    assert_eq!(keys_of(&store), vec!["PMID:1", "PMID:2", "PMID:3"]);
    assert_eq!(
        keys_in_file(&dir.path().join(BOOKMARKS_FILE)),
        Ok(vec!["PMID:2".into(), "PMID:1".into(), "PMID:3".into()])
    );
    assert_eq!(
        keys_of(&open_ok(dir.path())),
        vec!["PMID:1", "PMID:2", "PMID:3"]
    );
}

#[test]
fn atomic_replace_keeps_the_previous_file_as_bak_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let bak = dir.path().join(BACKUP_FILE);
    let mut store = open_ok(dir.path());
    store.toggle(&key("PMID:1"), "one").expect("save 1");
    assert!(!bak.exists(), "no previous file, so no backup");
    let first = std::fs::read(&file).expect("read first");

    store.toggle(&key("PMID:2"), "two").expect("save 2");
    assert_eq!(std::fs::read(&bak).expect("read bak"), first);
    let second = std::fs::read(&file).expect("read second");
    assert_ne!(second, first);

    store.toggle(&key("PMID:1"), "one").expect("save 3");
    assert_eq!(std::fs::read(&bak).expect("read bak"), second);
    assert_eq!(
        keys_in_file(&bak),
        Ok(vec!["PMID:1".into(), "PMID:2".into()])
    );
    assert_eq!(keys_in_file(&file), Ok(vec!["PMID:2".into()]));

    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec!["bookmarks.lock", "bookmarks.toml", "bookmarks.toml.bak"]
    );
}

fn corrupt_files(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("bookmarks.toml.corrupt-"))
        })
        .collect();
    found.sort();
    found
}

/// `bookmarks.toml.corrupt-YYYYMMDDTHHMMSSZ`, optionally with `-N`.
fn is_timestamped_corrupt_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let Some(stamp) = name.strip_prefix("bookmarks.toml.corrupt-") else {
        return false;
    };
    let stamp = stamp.split('-').next().unwrap_or("");
    let b = stamp.as_bytes();
    b.len() == 16
        && b[8] == b'T'
        && b[15] == b'Z'
        && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
}

#[test]
fn corrupt_file_is_moved_aside_byte_for_byte_and_a_fresh_file_started() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    // Not TOML, and not even UTF-8.
    let garbage: &[u8] = b"[[bookmark]\nkey = \"PMID:1\"\n\xff\xfe half-written \x00";
    std::fs::write(&file, garbage).expect("write garbage");

    let (mut store, notice) = Bookmarks::open(Some(dir.path()));
    let notice = notice.expect("the user is told");
    assert_eq!(notice.kind, NoticeKind::MovedAside);
    let message = notice.message;
    let moved = corrupt_files(dir.path());
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(is_timestamped_corrupt_name(&moved[0]), "{moved:?}");
    assert!(
        message.contains(&moved[0].display().to_string()),
        "message names where it went: {message}"
    );
    assert_eq!(std::fs::read(&moved[0]).expect("read moved"), garbage);
    assert!(store.list().is_empty());
    assert!(!file.exists());

    // Bookmarking goes on in a fresh file; the moved file is left alone.
    assert_eq!(store.toggle(&key("PMID:7"), "seven"), Ok(true));
    assert_eq!(keys_in_file(&file), Ok(vec!["PMID:7".into()]));
    assert_eq!(std::fs::read(&moved[0]).expect("read moved"), garbage);

    // Valid TOML that is not a bookmark file (an entry without a key) is not rewritten
    // either: it is moved aside under a second, distinct name.
    let wrong_shape = b"[[bookmark]]\ntitle = \"no key\"\n";
    std::fs::write(&file, wrong_shape).expect("write");
    let (store, notice) = Bookmarks::open(Some(dir.path()));
    assert_eq!(notice.map(|n| n.kind), Some(NoticeKind::MovedAside));
    assert!(store.list().is_empty());
    let moved_now = corrupt_files(dir.path());
    assert_eq!(moved_now.len(), 2, "{moved_now:?}");
    let new_one = moved_now
        .iter()
        .find(|p| **p != moved[0])
        .expect("second corrupt file");
    assert!(is_timestamped_corrupt_name(new_one), "{new_one:?}");
    assert_eq!(std::fs::read(new_one).expect("read"), wrong_shape);
}

#[test]
fn file_corrupted_while_running_is_moved_aside_at_the_next_save_and_our_bookmarks_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let mut store = open_ok(dir.path());
    store.toggle(&key("PMID:1"), "one").expect("save");
    std::fs::write(&file, "not = [valid").expect("clobber");

    assert_eq!(store.toggle(&key("PMID:2"), "two"), Ok(true));
    let notice = store.take_notice().expect("a notice for the user");
    assert_eq!(notice.kind, NoticeKind::MovedAside);
    let notice = notice.message;
    let moved = corrupt_files(dir.path());
    assert_eq!(moved.len(), 1);
    assert!(notice.contains(&moved[0].display().to_string()), "{notice}");
    assert_eq!(std::fs::read(&moved[0]).expect("read"), b"not = [valid");
    assert_eq!(
        keys_in_file(&file),
        Ok(vec!["PMID:1".into(), "PMID:2".into()])
    );
    assert_eq!(store.take_notice(), None, "told once");
}

/// A bookmark table as tomes writes it.
fn table(key: &str, added: &str) -> String {
    format!("[[bookmark]]\nkey = \"{key}\"\ntitle = \"Paper {key}\"\nadded = \"{added}\"\n\n")
}

/// Opens a damaged file and checks what every damaged file gets: the original moved aside
/// byte for byte under a timestamped name that the one-line message names, and a notice of
/// `kind` (what the status bar says). Returns the store, the message and where the original
/// went.
fn open_damaged(dir: &Path, damaged: &[u8], kind: NoticeKind) -> (Bookmarks, String, PathBuf) {
    std::fs::write(dir.join(BOOKMARKS_FILE), damaged).expect("write damaged file");
    let (store, notice) = Bookmarks::open(Some(dir));
    let notice = notice.expect("the user is told");
    assert_eq!(notice.kind, kind, "{}", notice.message);
    let message = notice.message;
    let moved = corrupt_files(dir);
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(is_timestamped_corrupt_name(&moved[0]), "{moved:?}");
    assert_eq!(std::fs::read(&moved[0]).expect("read moved"), damaged);
    assert!(!message.contains('\n'), "one line: {message}");
    (store, message, moved[0].clone())
}

#[test]
fn one_bad_entry_among_good_ones_costs_only_itself() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    // Lines 1-5, then the entry without a key at line 6, then line 11.
    let damaged = format!(
        "{}[[bookmark]]\ntitle = \"lost its key\"\nadded = \"2021-06-01T00:00:00Z\"\n\n{}",
        table("PMID:1", "2021-01-01T00:00:00.000Z"),
        table("PMID:3", "2022-01-01T00:00:00.000Z"),
    );
    let (mut store, message, moved) =
        open_damaged(dir.path(), damaged.as_bytes(), NoticeKind::Salvaged);
    assert_eq!(keys_of(&store), ["PMID:1", "PMID:3"]);
    assert_eq!(store.list()[1].title, "Paper PMID:3");
    assert_eq!(
        message,
        format!(
            "{} could not all be read: kept 2 bookmarks, dropped 1 (line 6: missing field \
             `key`); the original is at {}",
            file.display(),
            moved.display()
        )
    );
    // The fresh file holds the good ones at once, and opens cleanly.
    assert_eq!(
        keys_in_file(&file),
        Ok(vec!["PMID:1".into(), "PMID:3".into()])
    );
    assert_eq!(keys_of(&open_ok(dir.path())), ["PMID:1", "PMID:3"]);
    assert_eq!(store.save_error(), None);
    assert!(!store.has_unsaved_changes());

    // They survive the next save; the original stays as it was.
    assert_eq!(store.toggle(&key("PMID:4"), "four"), Ok(true));
    assert_eq!(
        keys_in_file(&file),
        Ok(vec!["PMID:1".into(), "PMID:3".into(), "PMID:4".into()])
    );
    assert_eq!(
        std::fs::read(&moved).expect("read moved"),
        damaged.as_bytes()
    );
    assert_eq!(corrupt_files(dir.path()).len(), 1);
}

/// A user test: a bookmark written by hand with its key alone, kept from a damaged file,
/// was written back as `title = ""` and `added = ""`.
#[test]
fn a_bookmark_kept_from_a_damaged_file_gets_no_empty_fields() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let damaged = "[[bookmark]]\nkey = \"PMID:7\"\n\n[[bookmark]]\nkey = \"PMID:8\n";
    let (store, _, _) = open_damaged(dir.path(), damaged.as_bytes(), NoticeKind::Salvaged);
    assert_eq!(keys_of(&store), ["PMID:7"]);
    let written = std::fs::read_to_string(&file).expect("read the file");
    assert!(!written.contains("title ="), "{written}");
    assert!(!written.contains("added ="), "{written}");
    assert_eq!(keys_of(&open_ok(dir.path())), ["PMID:7"]);
    // Nor when a later save edits the file in place.
    let mut store = store;
    assert_eq!(store.toggle(&key("PMID:9"), "nine"), Ok(true));
    let written = std::fs::read_to_string(&file).expect("read the file");
    assert_eq!(written.matches("title =").count(), 1, "{written}");
    assert_eq!(written.matches("added =").count(), 1, "{written}");
}

/// The user test: a damaged file was written back with its readable bookmarks but without
/// `# my reading list` at its top or any comment. Now the readable part is written back as
/// it was laid out: the opening comments, each readable table as written (comments on its
/// lines and above it), the comments heading the table after a broken one; only what
/// could not be read is left out (it is in the copy kept aside).
#[test]
fn a_damaged_file_written_back_keeps_its_comments() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    // Not TOML: an unterminated string in the second table.
    let not_toml = "# my reading list\n# grant, aim 2\n\n\
                    [[bookmark]]\nkey = \"PMID:1\"  # cite first\ntitle = \"One\"\n\
                    added = \"2025-01-01T00:00:00Z\"\nnote = \"methods\"\n\n\
                    # --- aim 3 ---\n[[bookmark]]\nkey = \"PMID:2\ntitle = \"broken\"\n\n\
                    # keep reading\n[[bookmark]]\nkey = \"PMID:3\"\ntitle = \"Three\"\n\
                    added = \"2025-03-01T00:00:00Z\"\n";
    let (mut store, _, _) = open_damaged(dir.path(), not_toml.as_bytes(), NoticeKind::Salvaged);
    assert_eq!(keys_of(&store), ["PMID:1", "PMID:3"]);
    let expected = "# my reading list\n# grant, aim 2\n\n\
                    [[bookmark]]\nkey = \"PMID:1\"  # cite first\ntitle = \"One\"\n\
                    added = \"2025-01-01T00:00:00Z\"\nnote = \"methods\"\n\n\
                    # --- aim 3 ---\n\n\
                    # keep reading\n[[bookmark]]\nkey = \"PMID:3\"\ntitle = \"Three\"\n\
                    added = \"2025-03-01T00:00:00Z\"\n";
    assert_eq!(read(&file), expected);
    // Kept at the next save, which edits the file in place again.
    assert_eq!(store.toggle(&key("PMID:4"), "four"), Ok(true));
    assert!(read(&file).starts_with(expected), "{}", read(&file));
    // Its note is kept when it is removed, and taken back with it when bookmarked again.
    assert_eq!(store.toggle(&key("PMID:1"), "One"), Ok(false));
    assert!(
        read(&file).contains("# note = \"methods\"\n"),
        "{}",
        read(&file)
    );
    assert_eq!(store.toggle(&key("PMID:1"), "One"), Ok(true));
    let again = read(&file);
    assert!(!again.contains("# removed by tomes"), "{again}");
    assert_eq!(again.matches("note = \"methods\"").count(), 1, "{again}");

    // TOML, with a table tomes does not know and an entry without a key.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let toml = "# my reading list\n\n[[bookmarks]]\nkey = \"PMID:9\"\n\n\
                [[bookmark]]\nkey = \"PMID:1\"  # cite first\nadded = \"2025-01-01T00:00:00Z\"\n\n\
                # heading the next\n[[bookmark]]\ntitle = \"no key\"\n\n\
                [[bookmark]]\nkey = \"PMID:3\"\nadded = \"2025-03-01T00:00:00Z\"\n";
    let (store, _, _) = open_damaged(dir.path(), toml.as_bytes(), NoticeKind::Salvaged);
    assert_eq!(keys_of(&store), ["PMID:1", "PMID:3"]);
    let written = read(&file);
    assert!(written.starts_with("# my reading list\n"), "{written}");
    assert!(
        written.contains("key = \"PMID:1\"  # cite first\n"),
        "{written}"
    );
    assert!(
        written.contains("# heading the next\n[[bookmark]]\nkey = \"PMID:3\""),
        "{written}"
    );
    assert!(
        !written.contains("PMID:9") && !written.contains("no key"),
        "{written}"
    );
    assert_eq!(keys_of(&open_ok(dir.path())), ["PMID:1", "PMID:3"]);

    // Damaged while tomes runs: the save that finds it keeps the comments too.
    let mut store = store;
    std::fs::write(&file, not_toml).expect("damage");
    assert_eq!(store.toggle(&key("PMID:5"), "five"), Ok(true));
    let written = read(&file);
    assert!(written.starts_with(expected), "{written}");
    assert_eq!(
        keys_in_file(&file),
        Ok(vec!["PMID:1".into(), "PMID:3".into(), "PMID:5".into()])
    );
}

/// A typo breaking TOML in one table costs only its line: the table's other lines read, so
/// the bookmark is kept without it, and the message names the line left out.
#[test]
fn a_typo_breaking_toml_in_the_middle_table_costs_only_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    // The second table (line 6) lost the closing quote of its title (line 8).
    let damaged = format!(
        "{}[[bookmark]]\nkey = \"PMID:2\"\ntitle = \"Half a title\nadded = \"2021-06-01T00:00:00Z\"\n\n{}",
        table("PMID:1", "2021-01-01T00:00:00.000Z"),
        table("PMID:3", "2022-01-01T00:00:00.000Z"),
    );
    let (store, message, moved) =
        open_damaged(dir.path(), damaged.as_bytes(), NoticeKind::Salvaged);
    assert_eq!(keys_of(&store), ["PMID:1", "PMID:2", "PMID:3"]);
    assert_eq!(store.list()[1].added, "2021-06-01T00:00:00Z");
    let expected_start = format!(
        "{} could not all be read: kept 3 bookmarks, left out 1 line (line 8: `title = \"Half \
         a title` left out of bookmark PMID:2: ",
        file.display()
    );
    assert!(message.starts_with(&expected_start), "{message}");
    assert!(
        message.ends_with(&format!("); the original is at {}", moved.display())),
        "{message}"
    );
    assert_eq!(
        read(&file),
        damaged.replace("title = \"Half a title\n", ""),
        "every other line as written"
    );
}

#[test]
fn nothing_salvageable_is_moved_aside_and_each_bad_entry_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let damaged = b"[[bookmark]]\ntitle = \"no key\"\n[[bookmark]]\nkey = \"\"\n";
    let (mut store, message, moved) = open_damaged(dir.path(), damaged, NoticeKind::MovedAside);
    assert!(store.list().is_empty());
    assert_eq!(
        message,
        format!(
            "{} could not be read (line 1: missing field `key`; line 3: empty `key`); it was \
             moved to {} and a new bookmark file started",
            file.display(),
            moved.display()
        )
    );
    // Nothing to write until a bookmark is made, as before.
    assert!(!file.exists());
    assert_eq!(store.toggle(&key("PMID:7"), "seven"), Ok(true));
    assert_eq!(keys_in_file(&file), Ok(vec!["PMID:7".into()]));
}

#[test]
fn an_entry_damaged_while_running_is_salvaged_at_the_next_save_and_merged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let mut mine = open_ok(dir.path());
    // Bookmarks are ordered by the millisecond they were made: a pause between each keeps
    // the expected order from depending on how fast the machine is.
    let pause = || std::thread::sleep(std::time::Duration::from_millis(3));
    mine.toggle(&key("PMID:1"), "one").expect("save");
    pause();
    mine.toggle(&key("PMID:2"), "two").expect("save");
    pause();
    let mut other = open_ok(dir.path());
    other.toggle(&key("PMID:3"), "three").expect("save");
    pause();
    // A hand edit breaks PMID:2's table (a duplicated key line, line 11); the rest stays
    // readable.
    let text = std::fs::read_to_string(&file).expect("read");
    let damaged = text.replacen(
        "key = \"PMID:2\"\n",
        "key = \"PMID:2\"\nkey = \"PMID:2\"\n",
        1,
    );
    assert_ne!(damaged, text);
    std::fs::write(&file, &damaged).expect("write");

    assert_eq!(mine.toggle(&key("PMID:4"), "four"), Ok(true));
    let notice = mine.take_notice().expect("a notice for the user");
    assert_eq!(notice.kind, NoticeKind::Salvaged);
    let notice = notice.message;
    let moved = corrupt_files(dir.path());
    assert_eq!(moved.len(), 1);
    assert_eq!(std::fs::read(&moved[0]).expect("read"), damaged.as_bytes());
    assert!(
        notice.contains(
            "could not all be read: kept 3 bookmarks, left out 1 line (line 11: `key = \
             \"PMID:2\"` left out of bookmark PMID:2: duplicate key)"
        ),
        "{notice}"
    );
    assert!(
        notice.ends_with(&format!("; the original is at {}", moved[0].display())),
        "{notice}"
    );
    // The other session's PMID:3, read from the damaged file, merged with this session's
    // add; PMID:2, its line set twice on disk, kept without the second.
    let expected = ["PMID:1", "PMID:2", "PMID:3", "PMID:4"];
    assert_eq!(keys_of(&mine), expected);
    assert_eq!(
        keys_in_file(&file),
        Ok(expected.iter().map(|k| k.to_string()).collect())
    );
    assert_eq!(mine.list()[1].title, "two");
    assert_eq!(mine.take_notice(), None, "told once");
}

#[test]
fn salvaged_bookmarks_that_cannot_be_written_stay_unsaved_until_they_can() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    // A folder where the temp file goes: every write fails, the move aside does not.
    let blocker = dir.path().join("bookmarks.toml.tmp");
    std::fs::create_dir(&blocker).expect("mkdir");
    let damaged = format!(
        "{}[[bookmark]]\nkey = 3\n",
        table("PMID:1", "2021-01-01T00:00:00.000Z")
    );
    let (mut store, message, _) =
        open_damaged(dir.path(), damaged.as_bytes(), NoticeKind::CannotSave);
    assert!(
        message.contains("kept 1 bookmark, dropped 1 (line 6: `key` is an integer, not a string)"),
        "{message}"
    );
    assert!(message.contains("cannot be saved"), "{message}");
    assert_eq!(keys_of(&store), ["PMID:1"]);
    assert!(store.has_unsaved_changes());
    assert!(!file.exists());

    // A save that fails after moving a damaged file aside keeps what it read, too.
    std::fs::remove_dir(&blocker).expect("rmdir");
    assert_eq!(store.sync(), Ok(()));
    assert_eq!(keys_in_file(&file), Ok(vec!["PMID:1".into()]));
    std::fs::create_dir(&blocker).expect("mkdir");
    let damaged = format!(
        "{}[[bookmark]]\nkey = \"PMID:2\"\ntitle = \"unterminated\nadded = \"2021-06-01T00:00:00Z\"\n{}",
        table("PMID:1", "2021-01-01T00:00:00.000Z"),
        table("PMID:3", "2022-01-01T00:00:00.000Z"),
    );
    std::fs::write(&file, &damaged).expect("write");
    assert!(store.toggle(&key("PMID:4"), "four").is_err());
    assert_eq!(keys_of(&store), ["PMID:1", "PMID:2", "PMID:3", "PMID:4"]);
    assert_eq!(
        store.take_notice().map(|n| n.kind),
        Some(NoticeKind::Salvaged)
    );
    std::fs::remove_dir(&blocker).expect("rmdir");
    assert_eq!(store.sync(), Ok(()));
    assert_eq!(
        keys_in_file(&file),
        Ok(vec![
            "PMID:1".into(),
            "PMID:2".into(),
            "PMID:3".into(),
            "PMID:4".into()
        ])
    );
    assert_eq!(corrupt_files(dir.path()).len(), 2);
}

#[test]
fn a_damaged_file_in_a_folder_that_cannot_be_written_is_read_and_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    // A folder where the lock file goes: it cannot be locked, even by root, so the store
    // treats the folder as one it cannot write.
    std::fs::create_dir(dir.path().join("bookmarks.lock")).expect("mkdir");
    let damaged = format!(
        "{}[[bookmark]]\nkey = \"\"\n\n{}",
        table("PMID:1", "2021-01-01T00:00:00.000Z"),
        table("PMID:3", "2022-01-01T00:00:00.000Z"),
    );
    std::fs::write(&file, &damaged).expect("write");
    let (store, notice) = Bookmarks::open(Some(dir.path()));
    let notice = notice.expect("the user is told");
    assert_eq!(notice.kind, NoticeKind::CannotSave);
    let message = notice.message;
    assert_eq!(keys_of(&store), ["PMID:1", "PMID:3"]);
    assert!(
        message.starts_with(&format!(
            "{} could not all be read: kept 2 bookmarks, dropped 1 (line 6: empty `key`); \
             it is left untouched; bookmarks cannot be saved",
            file.display()
        )),
        "{message}"
    );
    assert_eq!(std::fs::read(&file).expect("read"), damaged.as_bytes());
    assert!(corrupt_files(dir.path()).is_empty());
}

#[test]
fn two_sessions_merge_adds_and_honour_removals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut a = open_ok(dir.path());
    let mut b = open_ok(dir.path());

    a.toggle(&key("A1"), "a1").expect("a adds A1");
    // b has not seen A1; its own add must not drop it.
    b.toggle(&key("B1"), "b1").expect("b adds B1");
    assert_eq!(
        keys_of(&b),
        vec!["A1", "B1"],
        "b picked up a's bookmark on save"
    );
    a.toggle(&key("A2"), "a2").expect("a adds A2");
    assert_eq!(keys_of(&a), vec!["A1", "B1", "A2"]);

    // b removes a's bookmark; a, which still shows A1, saves something else: A1 stays gone.
    b.sync().expect("b syncs");
    assert!(b.contains(&key("A2")));
    assert_eq!(b.toggle(&key("A1"), ""), Ok(false));
    assert!(a.contains(&key("A1")), "a has not synced yet");
    a.toggle(&key("A3"), "a3").expect("a adds A3");
    assert!(!a.contains(&key("A1")), "b's removal honoured");
    assert_eq!(keys_of(&a), vec!["B1", "A2", "A3"]);

    // Both remove and add the same key without seeing each other: last save wins per key.
    b.toggle(&key("B2"), "b2").expect("b adds B2");
    a.sync().expect("a syncs");
    assert_eq!(a.toggle(&key("B2"), ""), Ok(false));
    b.reload().expect("b reloads");
    assert!(!b.contains(&key("B2")));

    let fresh = open_ok(dir.path());
    assert_eq!(keys_of(&fresh), vec!["B1", "A2", "A3"]);
    assert_eq!(keys_of(&a), keys_of(&fresh));
    assert_eq!(keys_of(&b), keys_of(&fresh));
}

#[test]
fn concurrent_threads_each_with_their_own_store_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let threads = 4;
    let per_thread = 15;
    std::thread::scope(|scope| {
        for t in 0..threads {
            let dir = dir.path();
            scope.spawn(move || {
                let (mut store, _) = Bookmarks::open(Some(dir));
                for i in 0..per_thread {
                    assert_eq!(store.toggle(&key(&format!("T{t}-{i:03}")), "t"), Ok(true));
                    // Remove every third one again, to interleave removals with the others'
                    // adds.
                    if i % 3 == 0 {
                        assert_eq!(store.toggle(&key(&format!("T{t}-{i:03}")), "t"), Ok(false));
                    }
                }
            });
        }
    });
    let expected: BTreeSet<String> = (0..threads)
        .flat_map(|t| {
            (0..per_thread)
                .filter(|i| i % 3 != 0)
                .map(move |i| format!("T{t}-{i:03}"))
        })
        .collect();
    let found: BTreeSet<String> = keys_of(&open_ok(dir.path())).into_iter().collect();
    assert_eq!(found, expected);
}

#[test]
fn concurrent_processes_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let per_child = 20;
    let prefixes = ["P0-", "P1-", "P2-"];
    let children: Vec<Child> = prefixes
        .iter()
        .map(|p| spawn_child("add-distinct", dir.path(), p, per_child))
        .collect();
    for mut child in children {
        let status = child.wait().expect("wait child");
        assert!(status.success(), "child failed: {status}");
    }
    let expected: BTreeSet<String> = prefixes
        .iter()
        .flat_map(|p| (0..per_child).map(move |i| format!("{p}{i:05}")))
        .collect();
    let found: BTreeSet<String> = keys_of(&open_ok(dir.path())).into_iter().collect();
    assert_eq!(found, expected);
}

/// Checks the file holds exactly K00000..K{n-1} and returns n.
fn sequential_count(path: &Path) -> Result<usize, String> {
    let keys = match keys_in_file(path) {
        Err(e) if !path.exists() => return Err(format!("file missing: {e}")),
        other => other?,
    };
    for (i, k) in keys.iter().enumerate() {
        if *k != format!("K{i:05}") {
            return Err(format!("key {i} is {k}, not a prefix set: {keys:?}"));
        }
    }
    Ok(keys.len())
}

#[test]
fn writer_killed_mid_save_leaves_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let bak = dir.path().join(BACKUP_FILE);
    let rounds: u64 = 25;
    let mut count = 0;
    for round in 0..rounds {
        let mut child = spawn_child("save-forever", dir.path(), "K", 0);
        // Let it make progress (so it is in its save loop, not starting up), then kill it at
        // a varying moment in the loop.
        let mut waited = 0;
        loop {
            if let Ok(n) = sequential_count(&file)
                && n > count + (round % 4) as usize
            {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("child exited on its own: {status}");
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
            waited += 1;
            assert!(waited < 60_000, "child made no progress in a minute");
        }
        std::thread::sleep(std::time::Duration::from_micros(137 * (round % 7)));
        child.kill().expect("SIGKILL the child");
        child.wait().expect("reap the child");

        let now = sequential_count(&file).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert!(
            now >= count,
            "round {round}: went back from {count} to {now}"
        );
        count = now;
        if bak.exists() {
            sequential_count(&bak).unwrap_or_else(|e| panic!("round {round}, .bak: {e}"));
        }
        assert!(corrupt_files(dir.path()).is_empty());
    }
    eprintln!("saves seen across {rounds} kills: {count}");
    // And the store itself opens it cleanly.
    let store = open_ok(dir.path());
    assert_eq!(store.list().len(), count);
    assert!(count >= rounds as usize, "at least one save per round");
}

#[test]
fn unwritable_config_folder_keeps_bookmarks_in_memory_and_says_why() {
    // A regular file where the folder should be: it cannot be created or written even by
    // root, who ignores permission bits (CI runs as root).
    let parent = tempfile::tempdir().expect("temp dir");
    let not_a_dir = parent.path().join("tomes");
    std::fs::write(&not_a_dir, "I am a file").expect("write");

    let (mut store, notice) = Bookmarks::open(Some(&not_a_dir));
    let notice = notice.expect("the user is told");
    assert_eq!(notice.kind, NoticeKind::CannotSave);
    let message = notice.message;
    assert!(message.contains("cannot be saved"), "{message}");
    assert!(store.save_error().is_some());

    let result = store.toggle(&key("PMID:1"), "one");
    let reason = result.expect_err("toggle says the save failed");
    assert!(
        reason.contains(&not_a_dir.display().to_string()),
        "{reason}"
    );
    assert!(store.contains(&key("PMID:1")), "kept in memory");
    assert!(store.has_unsaved_changes());
    assert_eq!(store.toggle(&key("PMID:2"), "two").map_err(|_| ()), Err(()));
    assert_eq!(store.toggle(&key("PMID:1"), "").map_err(|_| ()), Err(()));
    assert_eq!(keys_of(&store), vec!["PMID:2"]);
    assert_eq!(
        std::fs::read_to_string(&not_a_dir).expect("read"),
        "I am a file"
    );

    // Once the folder can be made, the next sync saves what was kept in memory.
    std::fs::remove_file(&not_a_dir).expect("remove");
    assert_eq!(store.sync(), Ok(()));
    assert_eq!(store.save_error(), None);
    assert!(!store.has_unsaved_changes());
    assert_eq!(keys_of(&open_ok(&not_a_dir)), vec!["PMID:2"]);
}

/// A `bookmarks.toml` made read-only in a folder that can be written: ut24b's was replaced
/// by the next save (the rename allowed it), writable again. It is left as it is, the
/// bookmark kept for the session and the reason given; once writable, the save goes in.
#[test]
fn a_read_only_bookmarks_file_is_left_as_it_is() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bookmarks.toml");
    let text = "# mine\n[[bookmark]]\nkey = \"PMID:1\"\n";
    std::fs::write(&file, text).expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let mut store = open_ok(dir.path());
    let reason = store
        .toggle(&key("PMID:2"), "two")
        .expect_err("the save is refused");
    assert!(reason.contains("bookmarks.toml is read-only"), "{reason}");
    assert!(store.contains(&key("PMID:2")), "kept for the session");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), text);
    let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o444);
    assert!(!dir.path().join("bookmarks.toml.bak").exists());
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    assert_eq!(store.sync(), Ok(()));
    assert_eq!(keys_of(&open_ok(dir.path())), vec!["PMID:1", "PMID:2"]);
}

#[test]
fn missing_config_folder_is_created() {
    let parent = tempfile::tempdir().expect("temp dir");
    let dir = parent.path().join("a/b/tomes");
    let mut store = open_ok(&dir);
    assert!(dir.is_dir());
    store.toggle(&key("PMID:1"), "one").expect("save");
    assert_eq!(
        keys_in_file(&dir.join(BOOKMARKS_FILE)),
        Ok(vec!["PMID:1".into()])
    );
}

#[test]
fn no_config_folder_at_all() {
    let (mut store, notice) = Bookmarks::open(None);
    let notice = notice.expect("told");
    assert_eq!(notice.kind, NoticeKind::CannotSave);
    assert!(notice.message.contains("cannot be saved"));
    assert!(store.toggle(&key("PMID:1"), "one").is_err());
    assert!(store.contains(&key("PMID:1")));
    assert_eq!(store.path(), None);
}

#[cfg(unix)]
#[test]
fn read_only_folder_shows_existing_bookmarks_and_never_touches_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut writer = open_ok(dir.path());
    writer.toggle(&key("PMID:1"), "one").expect("save");
    let file = dir.path().join(BOOKMARKS_FILE);
    let before = std::fs::read(&file).expect("read");
    // The lock file exists now; remove it so opening needs to create it.
    std::fs::remove_file(dir.path().join("bookmarks.lock")).expect("remove lock");

    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let probe = dir.path().join("probe");
    if std::fs::write(&probe, "").is_ok() {
        // Root ignores the permission bits; the regular-file test covers this case instead.
        let _ = std::fs::remove_file(&probe);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod back");
        eprintln!("skipping: permission bits are not enforced (running as root)");
        return;
    }
    let (mut store, message) = Bookmarks::open(Some(dir.path()));
    assert_eq!(
        keys_of(&store),
        vec!["PMID:1"],
        "existing bookmarks still show"
    );
    let notice = message.expect("told");
    assert_eq!(notice.kind, NoticeKind::CannotSave);
    assert!(notice.message.contains("cannot be saved"));
    assert!(store.toggle(&key("PMID:2"), "two").is_err());
    assert!(store.contains(&key("PMID:2")));
    assert_eq!(std::fs::read(&file).expect("read"), before);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod back");
}

#[cfg(unix)]
#[test]
fn symlinked_file_stays_a_symlink_and_its_target_is_updated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dotfiles = tempfile::tempdir().expect("temp dir");
    let real = dotfiles.path().join("tomes-bookmarks.toml");
    std::fs::write(&real, "").expect("write");
    let link = dir.path().join(BOOKMARKS_FILE);
    std::os::unix::fs::symlink(&real, &link).expect("symlink");

    let mut store = open_ok(dir.path());
    store.toggle(&key("PMID:1"), "one").expect("save 1");
    store.toggle(&key("PMID:2"), "two").expect("save 2");
    let meta = std::fs::symlink_metadata(&link).expect("stat link");
    assert!(meta.file_type().is_symlink(), "still a symlink");
    assert_eq!(
        keys_in_file(&real),
        Ok(vec!["PMID:1".into(), "PMID:2".into()])
    );
    assert_eq!(
        keys_in_file(&dir.path().join(BACKUP_FILE)),
        Ok(vec!["PMID:1".into()])
    );
}

/// What the status bar says follows what happened to the file, not words found in the
/// message: a folder whose name holds another notice's words does not change it (it did
/// while the status words were picked by matching the message's text).
#[test]
fn the_status_words_follow_what_happened_whatever_the_folder_is_called() {
    let parent = tempfile::tempdir().expect("temp dir");
    let salvageable = format!(
        "{}[[bookmark]]\ntitle = \"lost its key\"\n",
        table("PMID:1", "2021-01-01T00:00:00.000Z")
    );
    for (folder, damaged, kind, words) in [
        (
            "why bookmarks cannot be saved",
            salvageable.as_bytes(),
            NoticeKind::Salvaged,
            "bookmark file damaged; readable ones kept",
        ),
        (
            "files that could not all be read",
            &b"not = [valid"[..],
            NoticeKind::MovedAside,
            "bookmark file unreadable, moved aside",
        ),
    ] {
        let dir = parent.path().join(folder);
        std::fs::create_dir(&dir).expect("mkdir");
        let (_, message, _) = open_damaged(&dir, damaged, kind);
        assert!(message.contains(folder), "{message}");
        assert_eq!(kind.status_words(), words);
    }
    let (_, notice) = Bookmarks::open(None);
    assert_eq!(
        notice.map(|n| n.kind.status_words()),
        Some("bookmarks cannot be saved")
    );
}

/// A file edited by hand: a header comment, a comment on a key's line, fields tomes does
/// not know, a comment heading a group, spacing of its own.
const HAND_EDITED: &str = "# My reading list for the grant \u{2014} DO NOT LOSE\n\
\n\
[[bookmark]]\n\
key = \"PMID:6794356\"  # lithium paper, cite in aim 2\n\
title = \"Lithium\"\n\
added = \"2025-01-01T00:00:00.000Z\"\n\
note = \"read the methods\"\n\
\n\
# --- aim 3 ---\n\
[[bookmark]]\n\
key   = \"PMID:2\"\n\
title = \"Two\"\n\
added = \"2025-02-01T00:00:00.000Z\"\n\
tags = [\"x\",   \"y\"]  # why these\n";

fn write_hand_edited(dir: &Path) -> PathBuf {
    let file = dir.join(BOOKMARKS_FILE);
    std::fs::write(&file, HAND_EDITED).expect("write");
    file
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path:?}: {e}"))
}

/// The user test: `b` then `b` again on a paper lost every comment (the first save wrote
/// the file anew, the second overwrote the `.bak` that still had them). Each save now
/// changes only the entry it adds or removes.
#[test]
fn comments_and_layout_survive_a_bookmark_added_and_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_hand_edited(dir.path());
    let mut store = open_ok(dir.path());
    assert_eq!(keys_of(&store), ["PMID:6794356", "PMID:2"]);

    assert_eq!(store.toggle(&key("PMID:3"), "Three"), Ok(true));
    let added = read(&file);
    assert!(added.starts_with(HAND_EDITED), "{added}");
    assert!(
        added[HAND_EDITED.len()..].starts_with("\n[[bookmark]]\nkey = \"PMID:3\"\n"),
        "{added}"
    );
    assert_eq!(
        keys_in_file(&file),
        Ok(vec![
            "PMID:6794356".into(),
            "PMID:2".into(),
            "PMID:3".into()
        ])
    );

    assert_eq!(store.toggle(&key("PMID:3"), "Three"), Ok(false));
    assert_eq!(read(&file), HAND_EDITED);
    // The `.bak` is the file the second save replaced: comments and all.
    assert_eq!(read(&dir.path().join(BACKUP_FILE)), added);
    assert_eq!(keys_of(&open_ok(dir.path())), ["PMID:6794356", "PMID:2"]);
}

/// Decided: a bookmark removed leaves the list, but what the user wrote in it (its `note`,
/// the comment on its key's line) stays in the file, the entry commented out under a dated
/// line: `u` works only in the session that removed it, and a user test lost a note when
/// that session ended. Uncommenting it bookmarks the paper again. The comments above its
/// `[[bookmark]]` line (the file's header, a group's heading) stay. `u` puts it back as it
/// was, the file as it was; `b` again brings back its fields and comment too (as a
/// bookmark made now, at the end) and takes the commented-out copy away.
#[test]
fn a_removed_bookmark_leaves_its_note_commented_out_and_undo_brings_it_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_hand_edited(dir.path());
    let mut store = open_ok(dir.path());
    let lithium = store.list()[0].clone();

    assert_eq!(store.toggle(&lithium.key, &lithium.title), Ok(false));
    let removed = read(&file);
    assert!(
        removed.starts_with("# My reading list for the grant \u{2014} DO NOT LOSE\n"),
        "{removed}"
    );
    assert!(
        removed.contains("# --- aim 3 ---\n[[bookmark]]\n"),
        "{removed}"
    );
    assert!(
        removed.contains("tags = [\"x\",   \"y\"]  # why these\n"),
        "{removed}"
    );
    assert!(
        removed.contains(
            "# [[bookmark]]\n\
             # key = \"PMID:6794356\"  # lithium paper, cite in aim 2\n\
             # title = \"Lithium\"\n\
             # added = \"2025-01-01T00:00:00.000Z\"\n\
             # note = \"read the methods\"\n"
        ),
        "{removed}"
    );
    assert!(removed.contains("\n# removed by tomes on 20"), "{removed}");
    assert_eq!(keys_in_file(&file), Ok(vec!["PMID:2".into()]));
    assert_eq!(keys_of(&open_ok(dir.path())), ["PMID:2"]);
    // In a later session (no `u` then), uncommenting it by hand brings it back, note and all.
    let uncommented: String = removed
        .lines()
        .filter(|line| !line.starts_with("# removed by tomes"))
        .map(|line| match line.strip_prefix("# ") {
            Some(code) if !line.contains("DO NOT LOSE") && !line.contains("aim 3") => code,
            _ => line,
        })
        .map(|line| format!("{line}\n"))
        .collect();
    let later = tempfile::tempdir().expect("temp dir");
    std::fs::write(later.path().join(BOOKMARKS_FILE), &uncommented).expect("write");
    assert_eq!(
        keys_of(&open_ok(later.path())),
        ["PMID:6794356", "PMID:2"],
        "{uncommented}"
    );

    // Undo: byte for byte the file it was.
    assert_eq!(store.restore(lithium.clone()), Ok(true));
    assert_eq!(read(&file), HAND_EDITED);

    // Removed and bookmarked again: its commented-out lines come back where they were,
    // uncommented, with the time it was first added; the file is as it was.
    assert_eq!(store.toggle(&lithium.key, &lithium.title), Ok(false));
    assert_eq!(store.toggle(&lithium.key, &lithium.title), Ok(true));
    assert!(store.brought_back(&lithium.key));
    assert_eq!(read(&file), HAND_EDITED);
    assert_eq!(store.list()[0], lithium);
    let reopened = open_ok(dir.path());
    assert_eq!(keys_of(&reopened), ["PMID:6794356", "PMID:2"]);
}

/// Two sessions, and a hand edit between their saves: each save edits the file as it is
/// on disk, so neither loses the other's bookmarks nor anyone's comments.
#[test]
fn two_sessions_keep_each_others_bookmarks_and_every_comment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_hand_edited(dir.path());
    let mut a = open_ok(dir.path());
    let mut b = open_ok(dir.path());
    assert_eq!(a.toggle(&key("A1"), "a1"), Ok(true));
    // A comment added by hand while both run.
    let edited = read(&file).replacen("# --- aim 3 ---\n", "# --- aim 3 ---\n# ask Sam\n", 1);
    std::fs::write(&file, &edited).expect("write");
    assert_eq!(b.toggle(&key("B1"), "b1"), Ok(true));
    assert_eq!(b.toggle(&key("PMID:2"), ""), Ok(false));
    assert_eq!(a.toggle(&key("A2"), "a2"), Ok(true));

    let text = read(&file);
    for kept in [
        "DO NOT LOSE",
        "# lithium paper, cite in aim 2",
        "note = \"read the methods\"",
        "# --- aim 3 ---\n# ask Sam\n",
    ] {
        assert!(text.contains(kept), "{kept:?} lost:\n{text}");
    }
    // PMID:2 (removed by `b`) is out of the list, its own words commented out.
    assert!(
        text.contains("# tags = [\"x\",   \"y\"]  # why these\n"),
        "PMID:2's lines:\n{text}"
    );
    let expected = ["PMID:6794356", "A1", "B1", "A2"];
    assert_eq!(keys_of(&a), expected);
    assert_eq!(keys_of(&open_ok(dir.path())), expected);
    assert_eq!(
        keys_in_file(&file),
        Ok(expected.iter().map(|k| k.to_string()).collect())
    );
}

/// A new file starts with the header, the bookmarks below it; a file with only comments, or
/// the `bookmark = []` an older tomes wrote for an empty list, keeps them above the first
/// bookmark.
#[test]
fn the_first_bookmark_goes_below_the_comments_a_file_opens_with() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let mut store = open_ok(dir.path());
    assert_eq!(store.toggle(&key("PMID:1"), "one"), Ok(true));
    let text = read(&file);
    assert!(text.starts_with("# tomes bookmarks"), "{text}");
    assert!(text.contains("Safe to edit"), "{text}");
    assert!(
        text.trim_end()
            .ends_with(&format!("added = \"{}\"", store.list()[0].added)),
        "{text}"
    );
    // Removing the last bookmark keeps the header; the next one goes below it.
    assert_eq!(store.toggle(&key("PMID:1"), "one"), Ok(false));
    assert!(
        read(&file).starts_with("# tomes bookmarks"),
        "{}",
        read(&file)
    );
    assert_eq!(keys_in_file(&file), Ok(vec![]));
    assert_eq!(store.toggle(&key("PMID:2"), "two"), Ok(true));
    let text = read(&file);
    assert!(text.starts_with("# tomes bookmarks"), "{text}");
    assert_eq!(keys_in_file(&file), Ok(vec!["PMID:2".into()]));

    for opening in [
        "# mine\n\n",
        "# tomes bookmarks, oldest first.\n\nbookmark = []\n",
        "# mine\nbookmark = [] # none yet\n",
    ] {
        std::fs::write(&file, opening).expect("write");
        let mut store = open_ok(dir.path());
        assert_eq!(store.toggle(&key("PMID:3"), "three"), Ok(true), "{opening}");
        let text = read(&file);
        assert!(text.starts_with('#'), "{opening:?} became:\n{text}");
        assert!(!text.contains("bookmark = []"), "{text}");
        assert!(
            !opening.contains("none yet") || text.contains("# none yet"),
            "{text}"
        );
        assert_eq!(keys_in_file(&file), Ok(vec!["PMID:3".into()]), "{text}");
    }
}

/// Bookmarks written by hand as an inline array stay one.
#[test]
fn an_inline_array_of_bookmarks_is_edited_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    std::fs::write(
        &file,
        "# short form\nbookmark = [\n  { key = \"PMID:1\", title = \"One\", added = \"2025-01-01T00:00:00Z\" },\n]\n",
    )
    .expect("write");
    let mut store = open_ok(dir.path());
    assert_eq!(store.toggle(&key("PMID:2"), "Two"), Ok(true));
    assert_eq!(store.toggle(&key("PMID:1"), "One"), Ok(false));
    let text = read(&file);
    assert!(text.starts_with("# short form\nbookmark = ["), "{text}");
    assert_eq!(keys_in_file(&file), Ok(vec!["PMID:2".into()]), "{text}");
}

/// A damaged file is never made the `.bak`, symlink or not: it is kept whole where the
/// message says, and the `.bak` keeps the readable version saved before it.
#[test]
fn a_damaged_file_is_kept_aside_and_the_bak_keeps_the_version_before_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let bak = dir.path().join(BACKUP_FILE);
    let mut store = open_ok(dir.path());
    store.toggle(&key("PMID:1"), "one").expect("save");
    store.toggle(&key("PMID:2"), "two").expect("save");
    let before = read(&bak);
    let damaged = format!("{}[[bookmark]]\ntitle = \"no key\"\n", read(&file));
    let (_, message, moved) = open_damaged(dir.path(), damaged.as_bytes(), NoticeKind::Salvaged);
    assert!(message.contains(&moved.display().to_string()), "{message}");
    assert_eq!(read(&bak), before);
    assert_eq!(
        keys_in_file(&file),
        Ok(vec!["PMID:1".into(), "PMID:2".into()])
    );
}

/// The user test: a damaged `bookmarks.toml -> /tmp/x/bm.toml` was first written empty,
/// then with what could be read, so `bm.toml.bak` held only the header. Now the file the
/// link points to is written once, the `.bak` keeps the version before the damage, and the
/// damaged original is kept whole where the message says. Both are in the config folder,
/// beside the link (a later user test found the `.bak` beside the target and the damaged
/// copy beside the link): nothing but the file itself is written where the link points.
#[cfg(unix)]
#[test]
fn a_damaged_symlinked_file_is_written_once_and_its_original_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dotfiles = tempfile::tempdir().expect("temp dir");
    let target = dotfiles.path().join("bm.toml");
    let target_bak = dir.path().join(BACKUP_FILE);
    let only_the_target = || {
        let names: Vec<String> = std::fs::read_dir(dotfiles.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["bm.toml"], "beside the link's target");
    };
    let link = dir.path().join(BOOKMARKS_FILE);
    std::fs::write(&target, "").expect("write");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let mut store = open_ok(dir.path());
    store.toggle(&key("PMID:1"), "one").expect("save");
    store.toggle(&key("PMID:2"), "two").expect("save");
    let before = read(&target_bak);
    assert_eq!(keys_in_file(&target_bak), Ok(vec!["PMID:1".into()]));
    only_the_target();

    let damaged = format!("{}[[bookmark]]\nkey = 7\n", read(&target));
    std::fs::write(&target, &damaged).expect("damage");
    let (store, notice) = Bookmarks::open(Some(dir.path()));
    let notice = notice.expect("told");
    assert_eq!(notice.kind, NoticeKind::Salvaged, "{}", notice.message);
    let moved = corrupt_files(dir.path());
    assert_eq!(moved.len(), 1);
    assert!(
        notice.message.contains(&moved[0].display().to_string()),
        "{}",
        notice.message
    );
    assert_eq!(read(&moved[0]), damaged);
    assert_eq!(
        read(&target_bak),
        before,
        "the .bak is not the emptied file"
    );
    assert_eq!(
        keys_in_file(&target),
        Ok(vec!["PMID:1".into(), "PMID:2".into()])
    );
    assert_eq!(keys_of(&store), ["PMID:1", "PMID:2"]);
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );

    // Nothing readable: the file there is started afresh (a link to a damaged file would
    // be found damaged again at every start), its original kept aside all the same.
    std::fs::write(&target, "not = [valid").expect("damage");
    let (store, notice) = Bookmarks::open(Some(dir.path()));
    let notice = notice.expect("told");
    assert_eq!(notice.kind, NoticeKind::MovedAside, "{}", notice.message);
    assert!(store.list().is_empty());
    let moved: Vec<PathBuf> = corrupt_files(dir.path())
        .into_iter()
        .filter(|p| read(p) == "not = [valid")
        .collect();
    assert_eq!(moved.len(), 1);
    assert!(notice.message.contains(&moved[0].display().to_string()));
    assert_eq!(keys_in_file(&target), Ok(vec![]));
    assert_eq!(read(&target_bak), before);
    assert_eq!(open_ok(dir.path()).list().len(), 0);
    only_the_target();
}

/// A link to a file not made yet (a dotfiles repository just cloned) is followed by the
/// first save, not replaced by a file.
#[cfg(unix)]
#[test]
fn a_link_to_a_file_not_made_yet_is_followed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dotfiles = tempfile::tempdir().expect("temp dir");
    let target = dotfiles.path().join("bm.toml");
    let link = dir.path().join(BOOKMARKS_FILE);
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let mut store = open_ok(dir.path());
    store.toggle(&key("PMID:1"), "one").expect("save");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert_eq!(keys_in_file(&target), Ok(vec!["PMID:1".into()]));
}

/// A bookmark written by hand: its key and a note, no title, no time.
const HAND_WRITTEN: &str = "[[bookmark]]\nkey = \"PMID:6794356\"\nnote = \"hand added\"\n";

/// A user test: a bookmark written by hand (key and note, no title, no time), removed and
/// put back by `u`, came back with `title = ""` and `added = ""` in it. Its lines are put
/// back exactly, where they were: alone in the file, and between two bookmarks (having no
/// time, it went to the top).
#[test]
fn undo_puts_a_hand_written_bookmark_back_exactly_as_it_was() {
    let between = format!(
        "# my list\n\
         [[bookmark]]\n\
         key = \"PMID:1\"\n\
         title = \"One\"\n\
         added = \"2025-01-01T00:00:00.000Z\"\n\
         \n\
         {HAND_WRITTEN}\
         \n\
         [[bookmark]]\n\
         key = \"PMID:2\"\n\
         title = \"Two\"\n\
         added = \"2025-02-01T00:00:00.000Z\"\n"
    );
    for written in [HAND_WRITTEN.to_owned(), between] {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(BOOKMARKS_FILE);
        std::fs::write(&file, &written).expect("write");
        let mut store = open_ok(dir.path());
        let hand = store
            .list()
            .iter()
            .find(|b| b.key.as_str() == "PMID:6794356")
            .cloned()
            .expect("the bookmark written by hand");
        assert_eq!((hand.title.as_str(), hand.added.as_str()), ("", ""));

        assert_eq!(store.toggle(&hand.key, ""), Ok(false));
        let removed = read(&file);
        assert!(removed.contains("# note = \"hand added\"\n"), "{removed}");
        assert_eq!(store.restore(hand.clone()), Ok(true));
        assert_eq!(read(&file), written);
        assert!(store.list().contains(&hand));
    }
}

/// A bookmark's `note` is read with it (to be shown), and one bookmarked again in the session
/// that removed it has it back at once, as its entry does in the file. Only a removal that
/// leaves lines commented out says so.
#[test]
fn a_bookmark_carries_its_note_and_says_when_its_lines_stay_commented_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_hand_edited(dir.path());
    let mut store = open_ok(dir.path());
    let notes: Vec<&str> = store.list().iter().map(|b| b.note.as_str()).collect();
    assert_eq!(notes, ["read the methods", ""]);
    let lithium = store.list()[0].key.clone();
    let plain = store.list()[1].key.clone();

    assert_eq!(store.toggle(&lithium, "Lithium"), Ok(false));
    assert!(store.left_commented_out(&lithium));
    assert_eq!(store.toggle(&lithium, "Lithium"), Ok(true));
    assert!(!store.left_commented_out(&lithium));
    let again = store.list().iter().find(|b| b.key == lithium).cloned();
    assert_eq!(again.map(|b| b.note), Some("read the methods".to_owned()));
    assert!(read(&file).contains("\nnote = \"read the methods\"\n"));

    // `tags` and a comment are the user's words too; a bookmark with none is just gone.
    assert_eq!(store.toggle(&plain, "Two"), Ok(false));
    assert!(store.left_commented_out(&plain));
    assert_eq!(store.toggle(&key("PMID:3"), "Three"), Ok(true));
    assert_eq!(store.toggle(&key("PMID:3"), "Three"), Ok(false));
    assert!(!store.left_commented_out(&key("PMID:3")));
}

/// The browser on the fixture papers with a store in `dir` holding `text`.
fn browser_with(dir: &Path, text: &str) -> (Bookmarks, tomes::app::AppState) {
    std::fs::write(dir.join(BOOKMARKS_FILE), text).expect("write");
    let store = open_ok(dir);
    let mut s = state();
    s.set_bookmarks(store.list().to_vec());
    (store, s)
}

/// Presses keys, carrying out each one's bookmark effects on `store` as the terminal loop
/// does.
fn press_saving(store: &mut Bookmarks, s: &mut tomes::app::AppState, keys: &[&str]) {
    for &k in keys {
        for effect in press(s, &[k]) {
            tomes::tui::change_bookmark(store, s, effect);
        }
    }
}

/// A paper bookmarked under two of its ids: `b` removes both, so its star goes at once (a
/// user test's first `b` took one and left the star for a second `b`); `u` brings back one.
#[test]
fn b_removes_every_bookmark_of_a_paper() {
    let dir = tempfile::tempdir().expect("temp dir");
    let two = "[[bookmark]]\nkey = \"DOI:10.1000/fixture.1\"\nnote = \"by doi\"\n\n\
               [[bookmark]]\nkey = \"100001\"\nnote = \"by pmid\"\n";
    let (mut store, mut s) = browser_with(dir.path(), two);
    let key = s.library.paper(0).key.clone();
    assert!(s.is_bookmarked(&key));
    press_saving(&mut store, &mut s, &["b"]);
    assert!(!s.is_bookmarked(&key), "{:?}", s.bookmarks());
    assert!(store.list().is_empty(), "{:?}", store.list());
    let written = read(&dir.path().join(BOOKMARKS_FILE));
    assert!(written.contains("# note = \"by doi\""), "{written}");
    assert!(written.contains("# note = \"by pmid\""), "{written}");
    press_saving(&mut store, &mut s, &["u"]);
    assert!(s.is_bookmarked(&key));
    assert_eq!(store.list().len(), 1);
}

/// A user test: `B`, `b`, `u` on a bookmark written by hand said `bookmark restored: ` with
/// nothing after it. The paper is named by its title when loaded, else by its key.
#[test]
fn undo_names_a_bookmark_without_a_title_by_its_paper_or_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let loaded = "[[bookmark]]\nkey = \"PMID:100001\"\nnote = \"hand added\"\n";
    let (mut store, mut s) = browser_with(dir.path(), loaded);
    press_saving(&mut store, &mut s, &["B", "b", "u"]);
    assert_eq!(
        message_text(&s),
        "bookmark restored: CD274 expression predicts checkpoint response in melanoma"
    );
    assert_eq!(read(&dir.path().join(BOOKMARKS_FILE)), loaded);

    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, mut s) = browser_with(dir.path(), HAND_WRITTEN);
    press_saving(&mut store, &mut s, &["B", "b"]);
    assert!(
        message_text(&s).starts_with("bookmark removed (u undoes): PMID:6794356 · "),
        "{}",
        message_text(&s)
    );
    press_saving(&mut store, &mut s, &["u"]);
    assert_eq!(message_text(&s), "bookmark restored: PMID:6794356");
    assert_eq!(read(&dir.path().join(BOOKMARKS_FILE)), HAND_WRITTEN);
}

/// The text of the status bar's row at `width` x 24.
fn status_bar(s: &mut tomes::app::AppState, width: u16) -> String {
    let text = buffer_text(&render(s, width, 24));
    text.lines().last().unwrap_or_default().to_owned()
}

/// A removal that leaves the bookmark's note (or other lines of the user's) in the file,
/// commented out, says so; what matters first (that it is removed, how to undo it, that the
/// note stays) keeps its place at 80 columns when the title does not fit. A bookmark with
/// nothing of the user's says nothing of it.
#[test]
fn a_removal_says_the_note_stays_in_the_file_commented_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "[[bookmark]]\nkey = \"PMID:100001\"\nnote = \"read the methods\"\n\
                \n[[bookmark]]\nkey = \"PMID:100002\"  # a comment\n\
                \n[[bookmark]]\nkey = \"PMID:100003\"\n";
    let (mut store, mut s) = browser_with(dir.path(), text);
    press_saving(&mut store, &mut s, &["B", "b"]);
    assert_eq!(
        message_text(&s),
        "bookmark removed (u undoes): CD274 expression predicts checkpoint response in \
         melanoma · its note stays in bookmarks.toml, commented out"
    );
    let bar = status_bar(&mut s, 80);
    assert!(
        bar.trim_end()
            .ends_with(" │ bookmark removed (u undoes); note commented out in bookmarks.toml"),
        "{bar:?}"
    );
    // A comment of the user's is kept so too.
    press_saving(&mut store, &mut s, &["j", "b"]);
    assert!(
        message_text(&s).ends_with(" · its lines stay in bookmarks.toml, commented out"),
        "{}",
        message_text(&s)
    );
    press_saving(&mut store, &mut s, &["j", "b"]);
    assert!(
        message_text(&s).starts_with("bookmark removed (u undoes): ")
            && !message_text(&s).contains("commented out"),
        "{}",
        message_text(&s)
    );
}

/// A bookmark's note was never shown. It is, after the mark, wrapped, with a control
/// character shown by notation; a bookmark whose paper is not loaded shows its note too.
#[test]
fn the_detail_pane_shows_a_bookmarks_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "[[bookmark]]\nkey = \"PMID:100001\"\n\
                note = \"read the methods, then the supplement's table 2 before the lab \
                meeting on \\u001b[2J Thursday\"\n\
                \n[[bookmark]]\nkey = \"PMID:999\"\ntitle = \"Not loaded\"\n\
                note = \"ask the authors for the data\"\n";
    let (_store, mut s) = browser_with(dir.path(), text);
    press(&mut s, &["B"]);
    let screen = buffer_text(&render(&mut s, 80, 24));
    insta::assert_snapshot!("bookmark_note_80x24", screen);
    assert!(!screen.contains('\u{1b}'), "{screen}");
    press(&mut s, &["j"]);
    let screen = buffer_text(&render(&mut s, 80, 24));
    assert!(screen.contains("ask the authors for the data"), "{screen}");
}

/// The user test: `garbage = = =` appended after the last `[[bookmark]]` (its key, title and
/// time valid) lost that bookmark, the only one, and the file was "unreadable, moved
/// aside"; an unterminated `note = "...` lost its whole bookmark and the user's comment in
/// it. A table whose key reads is kept, every line of it that reads as written, and the
/// message names the line left out.
#[test]
fn a_damaged_line_costs_only_itself_not_its_bookmark() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let good = "# my list\n[[bookmark]]\nkey = \"PMID:2\"\ntitle = \"Two\"\n\
                added = \"2025-02-01T00:00:00.000Z\"\n";
    let damaged = format!("{good}garbage = = =\n");
    let (store, message, moved) =
        open_damaged(dir.path(), damaged.as_bytes(), NoticeKind::Salvaged);
    assert_eq!(keys_of(&store), ["PMID:2"]);
    assert_eq!(
        message,
        format!(
            "{} could not all be read: kept 1 bookmark, left out 1 line (line 6: `garbage = = \
             =` left out of bookmark PMID:2: extra `=`, expected nothing); the original is at {}",
            file.display(),
            moved.display()
        )
    );
    assert_eq!(read(&file), good);
    assert_eq!(keys_of(&open_ok(dir.path())), ["PMID:2"]);

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let first = table("PMID:1", "2025-01-01T00:00:00.000Z");
    let damaged = format!(
        "{first}# cite in the intro\n[[bookmark]]\n# from Ana's list\nkey = \"PMID:2\"  # the big one\n\
         title = \"Two\"\nadded = \"2025-02-01T00:00:00.000Z\"\nnote = \"read the methods\n\
         tags = [\n  \"x\",\n  \"y\",\n]\n"
    );
    let (store, message, _) = open_damaged(dir.path(), damaged.as_bytes(), NoticeKind::Salvaged);
    assert_eq!(keys_of(&store), ["PMID:1", "PMID:2"]);
    assert!(
        message.contains(
            "kept 2 bookmarks, left out 1 line (line 12: `note = \"read the methods` left out \
             of bookmark PMID:2: "
        ),
        "{message}"
    );
    assert_eq!(
        read(&file),
        damaged.replace("note = \"read the methods\n", ""),
        "comments, the multi-line array and every other line as written"
    );
    assert_eq!(keys_of(&open_ok(dir.path())), ["PMID:1", "PMID:2"]);
}

/// The user test: a bookmark with a note removed (`b`), tomes quit and started again, `b`
/// on the paper: the file got a new entry without the note, and the commented-out lines
/// stayed, still saying to uncomment them (a duplicate key then). `b` now brings those
/// lines back, uncommented, where they were, note, comments and time as written, and says
/// the note came back.
#[test]
fn bookmarking_again_after_a_restart_brings_back_the_commented_out_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_hand_edited(dir.path());
    let mut store = open_ok(dir.path());
    let lithium = store.list()[0].clone();
    assert_eq!(store.toggle(&lithium.key, "Lithium"), Ok(false));
    assert!(read(&file).contains("# note = \"read the methods\"\n"));
    drop(store);

    let mut store = open_ok(dir.path());
    assert_eq!(keys_of(&store), ["PMID:2"]);
    assert_eq!(store.toggle(&lithium.key, "Lithium, a new title"), Ok(true));
    assert!(store.brought_back(&lithium.key));
    assert!(!store.left_commented_out(&lithium.key));
    assert_eq!(read(&file), HAND_EDITED);
    assert_eq!(
        store.list(),
        [lithium.clone(), open_ok(dir.path()).list()[1].clone()]
    );
    assert_eq!(keys_of(&open_ok(dir.path())), ["PMID:6794356", "PMID:2"]);

    // Lines edited while commented out come back as edited; a bookmark without such lines
    // is added as new.
    assert_eq!(store.toggle(&lithium.key, "Lithium"), Ok(false));
    let edited = read(&file).replace(
        "# note = \"read the methods\"",
        "# note = \"and the figures\"",
    );
    std::fs::write(&file, edited).expect("write");
    let mut store = open_ok(dir.path());
    assert_eq!(store.toggle(&lithium.key, "Lithium"), Ok(true));
    assert_eq!(store.list()[0].note, "and the figures");
    assert!(read(&file).contains("\nnote = \"and the figures\"\n"));
    assert!(!read(&file).contains("# removed by tomes"));
    assert_eq!(store.toggle(&key("PMID:3"), "Three"), Ok(true));
    assert!(!store.brought_back(&key("PMID:3")));

    // In the browser: the message says the note came back.
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "[[bookmark]]\nkey = \"PMID:100001\"\nnote = \"read the methods\"\n\
                \n[[bookmark]]\nkey = \"PMID:100002\"\n";
    let (mut store, mut s) = browser_with(dir.path(), text);
    press_saving(&mut store, &mut s, &["B", "b"]);
    drop(store);
    let (mut store, _) = Bookmarks::open(Some(dir.path()));
    let mut s = state();
    s.set_bookmarks(store.list().to_vec());
    let title = "CD274 expression predicts checkpoint response in melanoma";
    let effect = tomes::app::Effect::ToggleBookmark {
        key: key("PMID:100001"),
        title: title.to_owned(),
    };
    tomes::tui::change_bookmark(&mut store, &mut s, effect);
    assert_eq!(
        message_text(&s),
        format!("bookmarked (b undoes): {title} · its note is back, uncommented in bookmarks.toml")
    );
    assert_eq!(read(&dir.path().join(BOOKMARKS_FILE)), text);
    let bar = status_bar(&mut s, 80);
    assert!(
        bar.trim_end()
            .ends_with(" │ bookmarked (b undoes); its note is back, uncommented in bookmarks.toml"),
        "{bar:?}"
    );
}

/// The user test: after a few removals the file had double blank lines (lines 3-4 and
/// 12-13). A removal leaves blank lines as they were between what stays, and bookmarking
/// again puts the file back as it was.
#[test]
fn removals_leave_no_double_blank_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let mut text = String::from(
        "# tomes bookmarks, oldest first. Safe to edit while tomes is not running.\n\
         # Each bookmark table has the paper key, its title and the time it was added (UTC).\n\n",
    );
    for i in 1..=5 {
        text.push_str(&table(
            &format!("PMID:{i}"),
            &format!("2025-0{i}-01T00:00:00.000Z"),
        ));
    }
    let text = text
        .trim_end()
        .replace("key = \"PMID:1\"\n", "key = \"PMID:1\"\nnote = \"one\"\n")
        .replace("key = \"PMID:4\"\n", "key = \"PMID:4\"\nnote = \"four\"\n")
        + "\n";
    std::fs::write(&file, &text).expect("write");
    let no_double_blanks = |step: &str| {
        let now = read(&file);
        assert!(
            !now.contains("\n\n\n") && !now.ends_with("\n\n"),
            "after {step}:\n{now}"
        );
    };
    let mut store = open_ok(dir.path());
    for _ in 0..2 {
        store.toggle(&key("PMID:4"), "t").expect("save");
        no_double_blanks("4 removed or bookmarked again");
    }
    assert_eq!(read(&file), text);
    // The last, without a note: gone, then new at the end.
    for _ in 0..2 {
        store.toggle(&key("PMID:5"), "t").expect("save");
        no_double_blanks("the last removed or bookmarked again");
    }
    for k in ["PMID:1", "PMID:2", "PMID:5", "PMID:3", "PMID:4"] {
        store.toggle(&key(k), "t").expect("save");
        no_double_blanks(&format!("removing {k}"));
    }
    let mut store = open_ok(dir.path());
    for k in ["PMID:4", "PMID:1"] {
        store.toggle(&key(k), "t").expect("save");
        no_double_blanks(&format!("{k} bookmarked again"));
    }
}

/// Found in a read-back: removing a bookmark written in the short form, `bookmark = [{ ...
/// note = "..." }]`, dropped its note from the file without a trace (only `[[bookmark]]`
/// tables left their lines commented out). Its lines now stay at the end of the file, and
/// bookmarking it again, here or after a restart, brings them back into the list.
#[test]
fn a_removed_inline_bookmark_leaves_its_note_commented_out_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let text = "# short form\nbookmark = [\n  { key = \"PMID:1\", title = \"One\", \
                added = \"2025-01-01T00:00:00Z\", note = \"read the methods\" },\n  \
                { key = \"PMID:2\", title = \"Two\", added = \"2025-02-01T00:00:00Z\" },\n]\n";
    std::fs::write(&file, text).expect("write");
    let mut store = open_ok(dir.path());
    let one = store.list()[0].clone();
    assert_eq!(store.toggle(&one.key, "One"), Ok(false));
    assert!(store.left_commented_out(&one.key));
    let removed = read(&file);
    assert!(
        removed.contains("# note = \"read the methods\"\n"),
        "{removed}"
    );
    assert_eq!(keys_in_file(&file), Ok(vec!["PMID:2".into()]), "{removed}");
    // Undone in this session, or bookmarked again after a restart: as it was.
    assert_eq!(store.restore(one.clone()), Ok(true));
    assert!(store.brought_back(&one.key));
    assert_eq!(read(&file), text);
    assert_eq!(open_ok(dir.path()).list()[0], one);
    assert_eq!(store.toggle(&one.key, "One"), Ok(false));
    drop(store);
    let mut store = open_ok(dir.path());
    assert_eq!(store.toggle(&one.key, "One"), Ok(true));
    assert!(store.brought_back(&one.key));
    assert_eq!(store.list()[0], one);
    assert_eq!(read(&file), text);
}

/// A user test: a bookmark written by hand with `key = "9700175"` showed with no star, as if
/// removed, its note hidden; `b` on it added a second entry `PMID:9700175`; one with
/// `pmid:9662397` showed as not loaded. A key is read as `tomes show` reads one. `spelt`
/// is a bookmark of the fixture paper keyed `key`: it is that paper's bookmark (listed
/// under its key, starred, its note shown, `is:bookmarked`), the file is not rewritten for
/// it, and `b` removes its entry (the note commented out) rather than adding another, and
/// again brings it back as the user wrote it.
fn a_key_written_by_hand_is_its_papers(spelt: &str, key_of_paper: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let text = format!("# mine\n[[bookmark]]\nkey = \"{spelt}\"\nnote = \"read the methods\"\n");
    let (mut store, mut s) = browser_with(dir.path(), &text);
    assert_eq!(keys_of(&store), [key_of_paper], "{spelt}");
    assert_eq!(store.take_key_problems(&s.library), None, "{spelt}");
    assert!(s.is_bookmarked(&key(key_of_paper)), "{spelt}");
    let paper = s.library.find(key_of_paper).expect("a fixture paper");
    assert!(s.bookmarked_papers().contains(&paper), "{spelt}");
    press(&mut s, &["B"]);
    let screen = buffer_text(&render(&mut s, 80, 24));
    assert!(screen.contains("Bookmarks (1)"), "{spelt}: {screen}");
    assert!(screen.contains("★"), "{spelt}: {screen}");
    assert!(screen.contains("read the methods"), "{spelt}: {screen}");
    store.sync().expect("sync");
    assert_eq!(read(&file), text, "{spelt}: rewritten for its spelling");

    press_saving(&mut store, &mut s, &["b"]);
    assert_eq!(keys_in_file(&file), Ok(vec![]), "{spelt}: {}", read(&file));
    assert!(
        read(&file).contains(&format!("# key = \"{spelt}\"")),
        "{}",
        read(&file)
    );
    assert!(!s.is_bookmarked(&key(key_of_paper)), "{spelt}");
    press_saving(&mut store, &mut s, &["b"]);
    assert_eq!(read(&file), text, "{spelt}: not as written after b, b");
    assert_eq!(keys_of(&store), [key_of_paper], "{spelt}");
    assert_eq!(s.bookmarks()[0].note, "read the methods", "{spelt}");
}

#[test]
fn a_bare_pmid_is_the_papers_key() {
    a_key_written_by_hand_is_its_papers("100001", "PMID:100001");
    a_key_written_by_hand_is_its_papers(" 100002 ", "PMID:100002");
}

#[test]
fn a_pmid_prefix_in_any_case_is_the_papers_key() {
    a_key_written_by_hand_is_its_papers("pmid:100001", "PMID:100001");
    a_key_written_by_hand_is_its_papers("Pmid:100002", "PMID:100002");
    a_key_written_by_hand_is_its_papers("PMID: 100003", "PMID:100003");
}

#[test]
fn a_pmcid_however_written_is_the_papers_key() {
    a_key_written_by_hand_is_its_papers("PMC900005", "PMC:PMC900005");
    a_key_written_by_hand_is_its_papers("pmc:PMC900005", "PMC:PMC900005");
    a_key_written_by_hand_is_its_papers("PMC:900005", "PMC:PMC900005");
}

#[test]
fn a_doi_however_written_is_the_papers_key() {
    a_key_written_by_hand_is_its_papers("doi:10.1000/Fixture.6", "DOI:10.1000/fixture.6");
    a_key_written_by_hand_is_its_papers("DOI:10.1000/FIXTURE.6", "DOI:10.1000/fixture.6");
    a_key_written_by_hand_is_its_papers(
        "https://doi.org/10.1000/fixture.6",
        "DOI:10.1000/fixture.6",
    );
    a_key_written_by_hand_is_its_papers("10.1000/fixture.6", "DOI:10.1000/fixture.6");
}

/// The user test's second half: `b` on the paper of a bare-key bookmark with nothing of the
/// user's in it added `PMID:..` beside it. It removes it; `b` again writes it back as the
/// user spelt it. A paper listed under two spellings is one bookmark, and `b` removes both.
#[test]
fn b_on_a_hand_written_bookmark_removes_it_rather_than_adding_another() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let text = "[[bookmark]]\nkey = \"100001\"\n";
    let (mut store, mut s) = browser_with(dir.path(), text);
    // The first paper of the library, selected.
    press_saving(&mut store, &mut s, &["b"]);
    assert_eq!(keys_in_file(&file), Ok(vec![]), "{}", read(&file));
    assert!(store.list().is_empty());
    press_saving(&mut store, &mut s, &["b"]);
    assert_eq!(
        keys_in_file(&file),
        Ok(vec!["100001".to_owned()]),
        "{}",
        read(&file)
    );
    assert_eq!(keys_of(&store), ["PMID:100001"]);

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let text = "[[bookmark]]\nkey = \"pmid:100001\"\n\n[[bookmark]]\nkey = \"PMID:100001\"\n";
    let (mut store, mut s) = browser_with(dir.path(), text);
    assert_eq!(keys_of(&store), ["PMID:100001"]);
    press_saving(&mut store, &mut s, &["b"]);
    assert_eq!(keys_in_file(&file), Ok(vec![]), "{}", read(&file));
    assert!(!s.is_bookmarked(&key("PMID:100001")));
}

/// A key tomes cannot read as a paper's is not hidden: listed as written (a paper not
/// loaded, which `b` removes), and named in the problems list by file and line, at start-up
/// and when a hand edit while tomes runs brings one. The file is not rewritten for it.
#[test]
fn a_key_that_names_no_paper_is_listed_and_named_by_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let text = "[[bookmark]]\nkey = \"PMID:100001\"\n\n[[bookmark]]\nkey = \"PMD:100002\"\n";
    let (mut store, mut s) = browser_with(dir.path(), text);
    assert_eq!(keys_of(&store), ["PMID:100001", "PMD:100002"]);
    let problems = store.take_key_problems(&s.library).expect("named");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path, file);
    assert_eq!(problems[0].line, Some(4));
    assert!(
        problems[0]
            .message
            .starts_with("the bookmark's key: \"PMD:100002\" is not a paper key"),
        "{}",
        problems[0].message
    );
    assert_eq!(store.take_key_problems(&s.library), None, "named once");
    store.sync().expect("sync");
    assert_eq!(read(&file), text);
    let (_, message) = Bookmarks::read_only(Some(dir.path()));
    let message = message.expect("tomes search and export say so");
    assert!(
        message.contains("line 4: \"PMD:100002\" is not a paper key"),
        "{message}"
    );

    // A hand edit while tomes runs, read when the list is opened (a sync).
    std::fs::write(&file, format!("{text}\n[[bookmark]]\nkey = \"pmid:12a\"\n")).expect("write");
    s.startup_problems.clear();
    press_saving(&mut store, &mut s, &["B"]);
    let lines: Vec<Option<usize>> = s.startup_problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(4), Some(7)], "{:?}", s.startup_problems);
    assert!(
        s.startup_problems[1]
            .message
            .contains("PMID \"12a\" is not a number")
    );
    assert!(status_bar(&mut s, 80).contains("a bookmark's key names no paper"));

    // A removal above it that leaves a note commented out moves it down: named at its new
    // line, without hiding what `b` did.
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "[[bookmark]]\nkey = \"PMID:100001\"\nnote = \"x\"\n\n\
                [[bookmark]]\nkey = \"PMD:100002\"\n";
    let (mut store, mut s) = browser_with(dir.path(), text);
    s.startup_problems = store.take_key_problems(&s.library).expect("named");
    press_saving(&mut store, &mut s, &["b"]);
    assert!(
        message_text(&s).starts_with("bookmark removed"),
        "{}",
        message_text(&s)
    );
    let lines: Vec<Option<usize>> = s.startup_problems.iter().map(|p| p.line).collect();
    assert_eq!(
        lines,
        [Some(6)],
        "{}",
        read(&dir.path().join(BOOKMARKS_FILE))
    );
}

/// A paper keyed by its PMID, bookmarked by its DOI (a user wrote the DOI into
/// `bookmarks.toml`): the bookmark is the paper's. Its row has the star and its note shows;
/// `b` on it removes that bookmark rather than adding a second under its PMID, and again
/// bookmarks it once. Matched to papers by key alone, it showed no star and no
/// note, and `b` added a second bookmark.
#[test]
fn a_bookmark_of_another_id_of_a_paper_is_its_bookmark() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let text = "[[bookmark]]\nkey = \"doi:10.1000/Fixture.1\"\nnote = \"read the methods\"\n";
    let (mut store, mut s) = browser_with(dir.path(), text);
    assert!(s.is_bookmarked(&key("PMID:100001")));
    let paper = s.library.find("PMID:100001").expect("a fixture paper");
    assert_eq!(s.selected_paper(), Some(paper));
    let screen = buffer_text(&render(&mut s, 100, 30));
    let starred: Vec<&str> = screen.lines().filter(|l| l.contains("★")).collect();
    assert!(starred.iter().any(|l| l.contains("★ CD274")), "{screen}");
    assert!(
        screen.contains("★ bookmarked · read the methods"),
        "{screen}"
    );

    press_saving(&mut store, &mut s, &["b"]);
    assert_eq!(keys_in_file(&file), Ok(vec![]), "{}", read(&file));
    assert!(!s.is_bookmarked(&key("PMID:100001")));
    press_saving(&mut store, &mut s, &["b"]);
    assert!(s.is_bookmarked(&key("PMID:100001")));
    assert_eq!(store.list().len(), 1, "{}", read(&file));
}

/// `u` in the bookmarks list brings back a bookmark made under another id of its paper (its
/// DOI) and selects the paper's row, as for one under its key: matched by key alone, the
/// cursor stayed where it was.
#[test]
fn undo_in_the_bookmarks_list_selects_a_paper_bookmarked_by_another_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text =
        "[[bookmark]]\nkey = \"doi:10.1000/fixture.1\"\n\n[[bookmark]]\nkey = \"PMID:100002\"\n";
    let (mut store, mut s) = browser_with(dir.path(), text);
    let paper = s.library.find("PMID:100001").expect("a fixture paper");
    press_saving(&mut store, &mut s, &["B"]);
    assert_eq!(s.selected_paper(), Some(paper));
    press_saving(&mut store, &mut s, &["b", "j"]);
    assert_ne!(s.selected_paper(), Some(paper));
    press_saving(&mut store, &mut s, &["u"]);
    assert!(s.is_bookmarked(&key("PMID:100001")));
    assert_eq!(s.selected_paper(), Some(paper));
}

/// Whether the paper list, drawn, shows the star on the row of the paper titled `title`.
fn star_shown(s: &mut tomes::app::AppState, title: &str) -> bool {
    let text = buffer_text(&render(s, 120, 30));
    let line = text
        .lines()
        .find(|line| line.contains(&title[..30]))
        .unwrap_or_else(|| panic!("no row of {title:?}:\n{text}"));
    line.contains('★')
}

/// The star is drawn from a table of each paper's bookmark, kept up to date where
/// bookmarks change (add, remove, undo, reload from the file) and where papers arrive, not
/// worked out by finding every bookmark's paper for each drawn row.
#[test]
fn the_star_follows_bookmark_changes_and_papers_that_arrive_late() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, mut s) = browser_with(dir.path(), "");
    let title = s.library.paper(0).title.clone();
    assert!(!star_shown(&mut s, &title));
    press_saving(&mut store, &mut s, &["b"]);
    assert!(star_shown(&mut s, &title), "added");
    press_saving(&mut store, &mut s, &["b"]);
    assert!(!star_shown(&mut s, &title), "removed");
    press_saving(&mut store, &mut s, &["u"]);
    assert!(star_shown(&mut s, &title), "undone");

    // Another session (or a hand edit) bookmarks the second paper by its DOI-less key and
    // removes the first: read when the bookmarks list is opened.
    let second = s.library.paper(1).clone();
    let file = dir.path().join(BOOKMARKS_FILE);
    std::fs::write(
        &file,
        format!(
            "[[bookmark]]\nkey = \"{}\"\n",
            second.key.as_str().to_lowercase()
        ),
    )
    .expect("write");
    press_saving(&mut store, &mut s, &["B", "esc"]);
    assert!(star_shown(&mut s, &second.title), "reloaded: added");
    assert!(!star_shown(&mut s, &title), "reloaded: removed");

    // Bookmarks read before the papers load: the star comes with the paper, and with a
    // later record that gives a loaded paper the DOI a bookmark names.
    let mut s = tomes::app::AppState::loading(tomes::app::Keymap::defaults());
    s.set_bookmarks(vec![
        common::bookmark("DOI:10.1000/fixture.1", ""),
        common::bookmark(second.key.as_str(), ""),
    ]);
    let mut first = common::papers()[0].clone();
    let doi = first.ids.doi.take();
    let arrive = |s: &mut tomes::app::AppState, papers: Vec<tomes::model::Paper>| {
        s.apply_load_event(tomes::library::LoadEvent::File {
            parsed: tomes::formats::Parsed {
                papers,
                problems: Vec::new(),
            },
            bytes: 1,
        })
    };
    arrive(&mut s, vec![first.clone(), second.clone()]);
    assert!(
        star_shown(&mut s, &second.title),
        "arrived after its bookmark"
    );
    assert!(!star_shown(&mut s, &title), "its DOI not known yet");
    first.ids.doi = doi;
    arrive(&mut s, vec![first]);
    assert!(
        star_shown(&mut s, &title),
        "a record with the DOI merged in"
    );
}

/// A user's hand-edited note with quotes not escaped (`note = "compare with "Smith 2019"
/// cohort"`) cost the bookmark its note and moved the file aside, the status bar saying only
/// "bookmark file damaged". The note is read as the text between its first and last quote
/// and named as a problem at its line; the file stays as written until tomes must save, and
/// then the original is kept aside whole (never the `.bak`) and the note written escaped.
#[test]
fn a_note_with_unescaped_quotes_is_read_past_them_and_the_file_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let written = "[[bookmark]]\nkey = \"PMID:100001\"\ntitle = \"CD274\"\nadded = \"2026-11-27T03:00:00Z\"\n\
                   note = \"compare with \"Smith 2019\" cohort\"\n";
    let (mut store, mut s) = browser_with(dir.path(), written);
    let note = "compare with \"Smith 2019\" cohort";
    assert_eq!(s.bookmarks()[0].note, note);
    let problems = store.take_key_problems(&s.library).expect("named");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, Some(5));
    assert_eq!(
        problems[0].message,
        format!("note has unescaped quotes; read as: {note}")
    );
    let file = dir.path().join(BOOKMARKS_FILE);
    assert_eq!(read(&file), written, "not saved over while nothing changed");
    assert!(corrupt_files(dir.path()).is_empty());
    let text = buffer_text(&render(&mut s, 120, 30));
    assert!(text.contains("Smith 2019"), "the note shown: {text}");

    // A change must be saved: the original is kept aside as written, the note escaped.
    assert_eq!(store.toggle(&key("PMID:100002"), "Two"), Ok(true));
    let aside = corrupt_files(dir.path());
    assert_eq!(aside.len(), 1);
    assert_eq!(read(&aside[0]), written);
    assert_ne!(
        std::fs::read_to_string(dir.path().join(BACKUP_FILE)).ok(),
        Some(written.to_owned()),
        "the damaged original is not the .bak"
    );
    let notice = store.take_notice().expect("said");
    assert!(notice.message.contains("the original is at"), "{notice:?}");
    let saved: toml::Table = read(&file).parse().expect("TOML now");
    assert_eq!(saved["bookmark"][0]["note"].as_str(), Some(note));
    let reopened = open_ok(dir.path());
    assert_eq!(reopened.list()[0].note, note);

    // The status bar says what it is, not "bookmark file damaged".
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, mut s) = browser_with(dir.path(), written);
    press_saving(&mut store, &mut s, &["B"]);
    assert_eq!(
        message_text(&s),
        "a bookmark note has unescaped quotes; read past them"
    );
}

/// A bookmark listed twice (the same key, or the same paper's key written another way) was
/// read as one in silence, the second entry's note never shown. It is named at its line
/// with the entry it repeats, and both notes are shown, the second after a blank line.
#[test]
fn a_bookmark_listed_twice_is_named_and_both_notes_shown() {
    let dir = tempfile::tempdir().expect("temp dir");
    let written = "[[bookmark]]\nkey = \"PMID:100001\"\nnote = \"first\"\n\n\
                   [[bookmark]]\nkey = \"pmid:100001\"\nnote = \"duplicate\"\n\n\
                   [[bookmark]]\nkey = \"PMID:100001\"\n";
    let (mut store, s) = browser_with(dir.path(), written);
    assert_eq!(s.bookmarks().len(), 1);
    assert_eq!(s.bookmarks()[0].note, "first\n\nduplicate");
    let problems = store.take_key_problems(&s.library).expect("named");
    let named: Vec<(Option<usize>, &str)> = problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        named,
        [
            (
                Some(5),
                "bookmark listed again: PMID:100001 (first at line 1); read as one, its note \
                 shown after the first's"
            ),
            (
                Some(9),
                "bookmark listed again: PMID:100001 (first at line 1); read as one"
            ),
        ]
    );
    assert_eq!(read(&dir.path().join(BOOKMARKS_FILE)), written);
}

/// A paper bookmarked under two of its ids (its PMID and its DOI), each bookmark with a
/// note: both notes are shown with it, the list shows it in one row (a user test saw it
/// twice), the export writes it once.
#[test]
fn a_paper_bookmarked_under_two_ids_shows_both_notes() {
    let mut s = state();
    let pmid = s.library.paper(0).key.clone();
    let with_note = |key: &str, note: &str| tomes::bookmarks::Bookmark {
        note: note.to_owned(),
        ..common::bookmark(key, "")
    };
    s.set_bookmarks(vec![
        with_note(pmid.as_str(), "from the PMID entry"),
        with_note("DOI:10.1000/fixture.1", "from the DOI entry"),
    ]);
    let text = buffer_text(&render(&mut s, 120, 40));
    assert!(text.contains("from the PMID entry"), "{text}");
    assert!(text.contains("from the DOI entry"), "{text}");
    assert_eq!(s.bookmarked_papers().len(), 1);
    press(&mut s, &["B"]);
    assert_eq!(s.view().rows, [tomes::app::Row::Paper(0)]);
}

/// A user test: `u` put a bookmark back at the end of a file ordered by hand (and of the
/// list, for bookmarks written without a time), or by its time before an entry it did not
/// stand before. It goes back where it stood, in the file and in the list, and the file is
/// as the user wrote it, byte for byte: with times out of order, without times, first,
/// last, and with comments above it.
#[test]
fn undo_puts_a_bookmark_back_where_it_stood_in_a_file_ordered_by_hand() {
    let timed = |k: &str, added: &str| {
        format!("[[bookmark]]\nkey = \"{k}\"\ntitle = \"Paper {k}\"\nadded = \"{added}\"\n")
    };
    let by_hand = format!(
        "# my reading order\n{}\n{}\n# to read next\n{}",
        timed("PMID:3", "2026-01-03T00:00:00.000Z"),
        timed("PMID:1", "2026-01-01T00:00:00.000Z"),
        timed("PMID:2", "2026-01-02T00:00:00.000Z"),
    );
    let untimed = "# no times\n[[bookmark]]\nkey = \"PMID:5\"\n\n[[bookmark]]\nkey = \"PMID:4\"\n\n\
                   [[bookmark]]\nkey = \"PMID:6\"\n";
    let cases: [(&str, &[&str], &[&str]); 2] = [
        (
            &by_hand,
            &["PMID:3", "PMID:1", "PMID:2"],
            &["PMID:1", "PMID:2", "PMID:3"],
        ),
        (
            untimed,
            &["PMID:5", "PMID:4", "PMID:6"],
            &["PMID:5", "PMID:4", "PMID:6"],
        ),
    ];
    for (written, in_file, listed) in cases {
        for removed in in_file {
            let dir = tempfile::tempdir().expect("temp dir");
            let file = dir.path().join(BOOKMARKS_FILE);
            std::fs::write(&file, written).expect("write");
            let mut store = open_ok(dir.path());
            assert_eq!(keys_of(&store), *listed);
            let bookmark = store
                .list()
                .iter()
                .find(|b| b.key.as_str() == *removed)
                .cloned()
                .expect("listed");
            assert_eq!(store.toggle(&bookmark.key, ""), Ok(false), "{removed}");
            assert_eq!(store.restore(bookmark), Ok(true), "{removed}");
            assert_eq!(read(&file), written, "{removed} put back elsewhere");
            assert_eq!(keys_of(&store), *listed, "{removed}");
            assert_eq!(keys_of(&open_ok(dir.path())), *listed, "{removed}");
        }
    }
}

/// A bookmark put back after its neighbour went too stands beside the one left; one made
/// again by `b` (a new bookmark, not one put back) goes at the end, as any new one.
#[test]
fn a_bookmark_put_back_beside_a_neighbour_gone_and_one_made_again_at_the_end() {
    let untimed = "[[bookmark]]\nkey = \"PMID:5\"\n\n[[bookmark]]\nkey = \"PMID:4\"\n\n\
                   [[bookmark]]\nkey = \"PMID:6\"\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    std::fs::write(&file, untimed).expect("write");
    let mut store = open_ok(dir.path());
    let four = store.list()[1].clone();
    assert_eq!(store.toggle(&four.key, ""), Ok(false));
    assert_eq!(store.toggle(&key("PMID:6"), ""), Ok(false));
    assert_eq!(store.restore(four.clone()), Ok(true));
    assert_eq!(
        read(&file),
        "[[bookmark]]\nkey = \"PMID:5\"\n\n[[bookmark]]\nkey = \"PMID:4\"\n"
    );
    assert_eq!(keys_of(&store), ["PMID:5", "PMID:4"]);

    assert_eq!(store.toggle(&key("PMID:5"), ""), Ok(false));
    assert_eq!(store.toggle(&key("PMID:5"), "Five"), Ok(true));
    assert_eq!(
        keys_in_file(&file),
        Ok(vec!["PMID:4".into(), "PMID:5".into()])
    );
    assert_eq!(keys_of(&store), ["PMID:4", "PMID:5"]);
}

/// The same through the keys: in the bookmarks list (`B`) of a file ordered by hand without
/// times, `b` on the second bookmark and `u` put it back second, in the list and the file.
#[test]
fn u_in_the_bookmarks_list_puts_a_bookmark_back_in_its_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let by_hand = "[[bookmark]]\nkey = \"PMID:100003\"\n\n[[bookmark]]\nkey = \"PMID:100001\"\n\n\
                   [[bookmark]]\nkey = \"PMID:100002\"\n";
    let (mut store, mut s) = browser_with(dir.path(), by_hand);
    let listed = |s: &tomes::app::AppState| -> Vec<String> {
        s.bookmarks().iter().map(|b| b.key.0.clone()).collect()
    };
    assert_eq!(listed(&s), ["PMID:100003", "PMID:100001", "PMID:100002"]);
    press_saving(&mut store, &mut s, &["B", "j", "b"]);
    assert_eq!(listed(&s), ["PMID:100003", "PMID:100002"]);
    press_saving(&mut store, &mut s, &["u"]);
    assert_eq!(listed(&s), ["PMID:100003", "PMID:100001", "PMID:100002"]);
    assert_eq!(read(&dir.path().join(BOOKMARKS_FILE)), by_hand);
}

/// A user test: a paper bookmarked under two of its ids (its DOI, and its PMID further
/// down) was shown as one with nothing said, where the same id twice is named. It is named
/// the same way: the file, the later entry's line, the entry it repeats; at its new line
/// after a save moved it; not before the papers are loaded (nothing tells the ids apart);
/// and the file stays as written.
#[test]
fn a_paper_bookmarked_under_two_ids_is_named_as_a_key_listed_twice_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let written = "[[bookmark]]\nkey = \"DOI:10.1000/fixture.1\"\nnote = \"by doi\"\n\n\
                   [[bookmark]]\nkey = \"PMID:100002\"\n\n\
                   [[bookmark]]\nkey = \"100001\"\nnote = \"by pmid\"\n";
    let (mut store, s) = browser_with(dir.path(), written);
    assert_eq!(
        store.take_key_problems(&tomes::library::Library::default()),
        None,
        "no paper loaded"
    );
    let problems = store.take_key_problems(&s.library).expect("named");
    let named: Vec<(&Path, Option<usize>, &str)> = problems
        .iter()
        .map(|p| (p.path.as_path(), p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        named,
        [(
            file.as_path(),
            Some(8),
            "bookmark listed again: PMID:100001, the paper of DOI:10.1000/fixture.1 (first at \
             line 1); read as one, its note shown with the first's"
        )]
    );
    assert_eq!(
        tomes::bookmarks::problem_words(&problems[0].message),
        "a bookmark is listed twice in the file"
    );
    assert_eq!(store.take_key_problems(&s.library), None, "named once");
    assert_eq!(read(&file), written);

    // The bookmark between them removed, the repeat is two lines up.
    assert_eq!(store.toggle(&key("PMID:100002"), ""), Ok(false));
    let problems = store.take_key_problems(&s.library).expect("moved");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, Some(5), "{}", read(&file));

    // In the browser: listed with the problems when the bookmarks are read.
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, mut s) = browser_with(dir.path(), written);
    press_saving(&mut store, &mut s, &["B"]);
    let listed: Vec<Option<usize>> = s.startup_problems.iter().map(|p| p.line).collect();
    assert_eq!(listed, [Some(8)], "{:?}", s.startup_problems);
    assert_eq!(read(&dir.path().join(BOOKMARKS_FILE)), written);
}

/// A user test: `added = "yesterday"` raised no problem, and the list put a bookmark with
/// no time first and `yesterday` last (by their text), under a file header saying "oldest
/// first". A time that is no time is a problem at its entry's line, the bookmark kept and
/// its text untouched; bookmarks without a time are listed first, as the oldest, in the
/// file's order, then those with one oldest first; a new bookmark goes last in the list
/// and at the end of the file.
#[test]
fn an_added_that_is_no_time_is_named_and_listed_with_those_without_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let written = "[[bookmark]]\nkey = \"PMID:3\"\nadded = \"yesterday\"\n\n\
                   [[bookmark]]\nkey = \"PMID:1\"\nadded = \"2026-01-01T00:00:00Z\"\n\n\
                   [[bookmark]]\nkey = \"PMID:4\"\n\n\
                   [[bookmark]]\nkey = \"PMID:2\"\nadded = \"2025-01-01\"\n\n\
                   [[bookmark]]\nkey = \"PMID:6\"\nadded = \"2025-13-01T00:00:00Z\"\n";
    std::fs::write(&file, written).expect("write");
    let mut store = open_ok(dir.path());
    assert_eq!(
        keys_of(&store),
        ["PMID:3", "PMID:4", "PMID:6", "PMID:2", "PMID:1"]
    );
    let problems = store
        .take_key_problems(&tomes::library::Library::default())
        .expect("named");
    let named: Vec<(&Path, Option<usize>, &str)> = problems
        .iter()
        .map(|p| (p.path.as_path(), p.line, p.message.as_str()))
        .collect();
    let says = |time: &str| {
        format!(
            "`added` is not a time: \"{time}\" (tomes writes 2026-11-27T03:00:00Z); the \
             bookmark is kept as written, listed before those with a time"
        )
    };
    assert_eq!(
        named,
        [
            (file.as_path(), Some(1), says("yesterday").as_str()),
            (
                file.as_path(),
                Some(16),
                says("2025-13-01T00:00:00Z").as_str()
            ),
        ]
    );
    assert_eq!(
        tomes::bookmarks::problem_words(&problems[0].message),
        "a bookmark's `added` is not a time"
    );
    store.sync().expect("sync");
    assert_eq!(read(&file), written);

    store.toggle(&key("PMID:5"), "now").expect("save");
    assert_eq!(
        keys_of(&store),
        ["PMID:3", "PMID:4", "PMID:6", "PMID:2", "PMID:1", "PMID:5"]
    );
    assert_eq!(
        keys_in_file(&file),
        Ok(["PMID:3", "PMID:1", "PMID:4", "PMID:2", "PMID:6", "PMID:5"]
            .map(String::from)
            .to_vec())
    );
    assert!(read(&file).starts_with(written), "{}", read(&file));
}

/// A file cut short while tomes runs (still TOML) loses bookmarks, or their notes, this
/// session had: the next save honours that, as another session's removal, but first writes
/// the bookmarks as this session had them, notes and all, to a file of their own that no
/// later save replaces, and says which went. A user test cut the file to its first line:
/// `b` saved over it and the `.bak` got the cut file, the note lost for good; then cut an
/// entry before its note, which was lost with nothing said.
#[test]
fn bookmarks_gone_from_the_file_are_kept_beside_it_and_said() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(BOOKMARKS_FILE);
    let entries = "# cite in aim 2\n\
                   [[bookmark]]\n\
                   key = \"PMID:6794356\"\n\
                   title = \"Tricuspid valve regurgitation\"\n\
                   added = \"2026-11-27T03:00:00Z\"\n\
                   note = \"read the methods\"\n\n\
                   [[bookmark]]\n\
                   key = \"PMID:6504332\"\n\
                   title = \"Phenobarbital-induced dyskinesia\"\n\
                   added = \"2026-11-27T03:01:00Z\"\n\
                   note = \"compare doses\"\n";
    std::fs::write(&file, entries).expect("write");
    let mut store = open_ok(dir.path());
    assert_eq!(keys_of(&store), ["PMID:6794356", "PMID:6504332"]);
    let gone_files = || -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("bookmarks.toml.gone-"))
            })
            .collect();
        found.sort();
        found
    };
    // Cut short behind the session's back: the first entry's key alone.
    std::fs::write(
        &file,
        "# cite in aim 2\n[[bookmark]]\nkey = \"PMID:6794356\"\n",
    )
    .expect("cut");
    assert_eq!(store.toggle(&key("PMID:1"), "one"), Ok(true));
    let notice = store.take_notice().expect("said");
    assert_eq!(notice.kind, tomes::bookmarks::NoticeKind::GoneFromFile);
    let kept = gone_files();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        notice.message,
        format!(
            "{} no longer has 1 bookmark (\"Phenobarbital-induced dyskinesia\") and the notes \
             or titles of 1 bookmark (\"Tricuspid valve regurgitation\") this session had: \
             removed by another session, or the file was cut short or edited; the bookmarks \
             as this session had them are in {}",
            file.display(),
            kept[0].display()
        )
    );
    // The removal is honoured, as another session's would be.
    assert_eq!(
        keys_in_file(&file),
        Ok(vec!["PMID:6794356".into(), "PMID:1".into()])
    );
    // The copy has every bookmark as the session had them, notes and all.
    assert_eq!(
        keys_in_file(&kept[0]),
        Ok(vec![
            "PMID:6794356".into(),
            "PMID:6504332".into(),
            "PMID:1".into()
        ])
    );
    let copy = std::fs::read_to_string(&kept[0]).expect("read copy");
    assert!(
        copy.contains("read the methods") && copy.contains("compare doses"),
        "{copy}"
    );
    // Later saves, with nothing gone, leave it as it is and say nothing.
    assert_eq!(store.toggle(&key("PMID:2"), "two"), Ok(true));
    assert_eq!(store.take_notice(), None);
    assert_eq!(gone_files(), kept);
    assert_eq!(std::fs::read_to_string(&kept[0]).expect("read copy"), copy);
}
