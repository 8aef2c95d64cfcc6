//! Reads the abstracts the library keeps in their files, on a thread of its own.
//!
//! The terminal loop asks for the abstract on screen and waits a moment for it: from a
//! local disk or the page cache the answer comes in microseconds, so the frame shows it as
//! before; a file system that hangs (a network mount) leaves the detail pane saying
//! `reading…` instead of freezing every key. An answer for a paper no longer on screen is
//! dropped.

use crate::library;
use crate::model::FilePlace;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

/// How long the loop waits for an answer before drawing without it.
pub const ANSWER_WAIT: Duration = Duration::from_millis(20);

/// The text at a place, or why it cannot be shown.
pub type Answer = (FilePlace, Result<String, String>);

/// The reading thread and the one request in flight.
pub struct AbstractReads {
    /// Requests out, answers back; `None` when no thread could be started (reads then
    /// happen in the asker's thread, as they would without this module).
    thread: Option<(Sender<FilePlace>, Receiver<Answer>)>,
    asked: Option<FilePlace>,
}

impl AbstractReads {
    pub fn spawn() -> AbstractReads {
        let (ask, asks) = mpsc::channel::<FilePlace>();
        let (answer, answers) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("tomes-abstracts".into())
            .spawn(move || {
                while let Ok(place) = asks.recv() {
                    let text = library::read_place(&place);
                    if answer.send((place, text)).is_err() {
                        return;
                    }
                }
            });
        AbstractReads {
            thread: spawned.ok().map(|_| (ask, answers)),
            asked: None,
        }
    }

    /// Asks for `place` (once), and waits up to `wait` for the answer to it (only when it
    /// was not asked already: then it only looks).
    pub fn read(&mut self, place: &FilePlace, wait: Duration) -> Option<Answer> {
        let Some((ask, answers)) = &self.thread else {
            return Some((place.clone(), library::read_place(place)));
        };
        // A request already in flight was waited for once: a hung read must not cost every
        // later key and frame the wait again.
        let wait = if self.asked.as_ref() == Some(place) {
            Duration::ZERO
        } else {
            if ask.send(place.clone()).is_err() {
                // The thread is gone (it panicked): read here.
                self.thread = None;
                return Some((place.clone(), library::read_place(place)));
            }
            self.asked = Some(place.clone());
            wait
        };
        let deadline = std::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match answers.recv_timeout(left) {
                Ok(answer) if &answer.0 == place => {
                    self.asked = None;
                    return Some(answer);
                }
                // An answer for a paper no longer on screen.
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }

    /// Drops the answers that came for papers no longer on screen (none is wanted now).
    pub fn drop_answers(&mut self) {
        if let Some((_, answers)) = &self.thread {
            while let Ok((place, _)) = answers.try_recv() {
                if self.asked.as_ref() == Some(&place) {
                    self.asked = None;
                }
            }
        }
    }

    /// Whether a request is still unanswered (the loop then looks again soon).
    pub fn waiting(&self) -> bool {
        self.asked.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileStamp;
    use std::sync::Arc;

    fn place_in(path: &std::path::Path, start: u64, len: u32) -> FilePlace {
        let meta = std::fs::metadata(path).unwrap();
        FilePlace {
            file: Arc::new(FileStamp {
                path: path.to_path_buf(),
                len: meta.len(),
                modified: meta.modified().ok(),
            }),
            start,
            len,
            hash: 0,
        }
    }

    #[test]
    fn a_read_answers_and_a_hung_file_does_not_block_the_asker() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.pubtator");
        std::fs::write(&file, "1|t|Title\n1|a|The abstract.\n").unwrap();
        let mut reads = AbstractReads::spawn();
        let place = place_in(&file, 14, 13);
        let (answered, text) = reads.read(&place, Duration::from_secs(10)).unwrap();
        assert_eq!(answered, place);
        assert_eq!(text.as_deref(), Ok("The abstract."));
        assert!(!reads.waiting());

        // Opening a FIFO blocks until someone writes to it, as a hung mount would.
        let fifo = dir.path().join("hung.pubtator");
        let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: mkfifo on a NUL-terminated path in a fresh temporary folder.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let hung = place_in(&fifo, 3, 5);
        assert!(reads.read(&hung, Duration::from_millis(1)).is_none());
        assert!(reads.waiting(), "the request stays in flight");
        // Asked again (another key or frame): not asked twice, nor waited for again.
        let again = std::time::Instant::now();
        assert!(reads.read(&hung, Duration::from_secs(60)).is_none());
        assert!(
            again.elapsed() < Duration::from_secs(60),
            "looked without waiting"
        );
        // The mount comes back: the answer arrives (the FIFO is no file of that size).
        let writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
        drop(writer);
        let started = std::time::Instant::now();
        let (_, text) = loop {
            // Already asked: each look returns at once, the answer when it has come.
            if let Some(answer) = reads.read(&hung, Duration::from_secs(10)) {
                break answer;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "no answer");
            std::thread::sleep(Duration::from_millis(1));
        };
        assert!(text.is_err());
        // The first place is read again when asked.
        let (_, text) = reads.read(&place, Duration::from_secs(10)).unwrap();
        assert_eq!(text.as_deref(), Ok("The abstract."));
    }
}
