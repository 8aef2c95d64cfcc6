//! Bookmarks: papers the user marked, keyed by stable paper key, kept in `bookmarks.toml`.
//! (First version: in memory only; the file store is to be written.)

use crate::model::PaperKey;
use std::path::{Path, PathBuf};

/// One bookmark; the title is kept so a bookmark whose paper is not loaded still shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bookmark {
    pub key: PaperKey,
    pub title: String,
    /// When it was added, RFC 3339.
    pub added: String,
}

/// The bookmark store.
#[derive(Debug, Default)]
pub struct Bookmarks {
    items: Vec<Bookmark>,
    path: Option<PathBuf>,
}

impl Bookmarks {
    /// Opens the store in `dir`. Returns the store and a message for the user when something
    /// went wrong (unreadable file moved aside, folder not writable, ...).
    pub fn open(dir: Option<&Path>) -> (Bookmarks, Option<String>) {
        (
            Bookmarks {
                items: Vec::new(),
                path: dir.map(|d| d.join("bookmarks.toml")),
            },
            None,
        )
    }

    pub fn contains(&self, key: &PaperKey) -> bool {
        self.items.iter().any(|b| &b.key == key)
    }

    /// Bookmarks in the order they were added.
    pub fn list(&self) -> &[Bookmark] {
        &self.items
    }

    /// Adds or removes a bookmark and saves. Returns whether it is now bookmarked, or an
    /// error message when saving failed (the change is kept in memory).
    pub fn toggle(&mut self, key: &PaperKey, title: &str) -> Result<bool, String> {
        if let Some(pos) = self.items.iter().position(|b| &b.key == key) {
            self.items.remove(pos);
            Ok(false)
        } else {
            self.items.push(Bookmark {
                key: key.clone(),
                title: title.to_owned(),
                added: String::new(),
            });
            Ok(true)
        }
    }

    /// Where the store is saved, if anywhere.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
}
