//! One copy per parsing thread of each entity key and name.
//!
//! The same gene, disease or species is named in thousands of papers: every paper holding
//! its own `NCBITaxon:9606` and `human` was about 40 MB per 100k papers. Parsers hand
//! their keys and names to [`shared`], which returns the thread's copy; the papers, the
//! entity index and relations then count references to one string.

use crate::model::{EntityKey, SharedStr};
use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

/// Distinct strings a thread keeps at most; past this its pool starts afresh (papers keep
/// the strings they hold), so a library of millions of distinct names cannot grow it
/// without bound.
const POOL_MAX: usize = 1 << 20;

/// The distinct strings of a thread, found by a hash computed once per string looked up (a
/// set hashed a new string a second time to insert it).
#[derive(Default)]
struct Pool {
    strings: hashbrown::HashTable<Arc<str>>,
    hasher: foldhash::fast::RandomState,
}

thread_local! {
    static POOL: RefCell<Pool> = RefCell::default();
    /// The path the thread's last record came from: a file's records come one after another.
    static LAST_PATH: RefCell<Option<Arc<Path>>> = const { RefCell::new(None) };
}

/// The calling thread's shared copy of `path` (a file's records all name it).
pub fn shared_path(path: &Path) -> Arc<Path> {
    LAST_PATH.with(|last| {
        let mut last = last.borrow_mut();
        match &*last {
            Some(known) if **known == *path => Arc::clone(known),
            _ => Arc::clone(last.insert(Arc::from(path))),
        }
    })
}

/// The calling thread's shared copy of `text`.
pub fn shared(text: &str) -> SharedStr {
    shared_arc(text).into()
}

/// `key`, its text shared as [`shared`] shares names.
pub fn shared_key(key: &EntityKey) -> EntityKey {
    EntityKey(shared_arc(&key.0))
}

/// The key whose text is `text`, shared as [`shared_key`] shares keys (no key built first).
pub fn shared_key_text(text: &str) -> EntityKey {
    EntityKey(shared_arc(text))
}

fn shared_arc(text: &str) -> Arc<str> {
    use std::hash::BuildHasher;
    POOL.with(|pool| {
        let Pool { strings, hasher } = &mut *pool.borrow_mut();
        let hash = hasher.hash_one(text);
        if let Some(known) = strings.find(hash, |known| **known == *text) {
            return Arc::clone(known);
        }
        if strings.len() >= POOL_MAX {
            strings.clear();
        }
        let new: Arc<str> = text.into();
        let rehash = |known: &Arc<str>| hasher.hash_one(&**known);
        strings.insert_unique(hash, Arc::clone(&new), rehash);
        new
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_allocation() {
        let a = shared("human");
        let b = shared(&String::from("human"));
        assert_eq!(a, b);
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_ne!(shared("mouse"), a);
        let k1 = shared_key(&EntityKey("NCBIGene:7157".into()));
        let k2 = shared_key(&EntityKey("NCBIGene:7157".into()));
        assert!(Arc::ptr_eq(&k1.0, &k2.0));
        assert!(Arc::ptr_eq(&k1.0, &shared_key_text("NCBIGene:7157").0));
        let p1 = shared_path(Path::new("a/b.pubtator"));
        let p2 = shared_path(Path::new("a/b.pubtator"));
        assert!(Arc::ptr_eq(&p1, &p2));
        assert_eq!(&*shared_path(Path::new("c")), Path::new("c"));
    }
}
