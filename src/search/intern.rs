//! Numbering distinct field texts and entities once, where docs are built.
//!
//! Most of what search looks at repeats across papers: `Homo sapiens`, `breast cancer`, a
//! journal, an author, a gene with its aliases. Building a doc used to copy and lower-case
//! every field of every paper, and the worker then hashed each copy into its table of
//! distinct texts and threw the copy away — over a second of CPU at 100k papers, most of it
//! allocating and freeing. The [`DocInterner`] is shared by the loader threads and the
//! worker: a doc is built as numbers into the worker's tables, and carries text only for
//! what no doc had before. A known text costs one hash lookup and no allocation.
//!
//! Numbers are handed out in the order docs are built, which on two loader threads is not
//! the order the worker receives them: a doc may point at a number whose text is still in a
//! batch on its way. The worker's tables keep an empty placeholder there until it arrives
//! (such a field matches nothing for a moment while loading); once loading is done every
//! text has arrived.

use super::{
    DocEntity, DocField, DocParts, FieldKind, KIND_SHIFT, SearchDoc, TEXT_MASK, own_field_texts,
};
use crate::index::PaperIdx;
use crate::model::{EntityKind, Paper};
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::hash::BuildHasher as _;
use std::sync::{Mutex, PoisonError};

/// The numbering shared by everything that builds docs for one [`super::SearchWorker`].
#[derive(Default)]
pub struct DocInterner {
    state: Mutex<State>,
    /// Hashes entities' lookup keys ([`State::entities`]): outside the lock, so the lock is
    /// held only to look the hash up.
    key_hasher: foldhash::fast::RandomState,
    /// Texts numbered at most, when lower than the packed references allow (tests: docs
    /// past it stay plain, as when a library outgrows the table).
    text_limit: Option<u32>,
}

#[derive(Default)]
struct State {
    /// Distinct field text, folded ([`crate::fold::fold_cased`], as [`DocField::text`]
    /// keeps it) -> its number in the worker's text table. A paper's
    /// own ids and title are numbered without being looked up or kept here (see
    /// [`unshared`]).
    texts: foldhash::HashMap<Box<str>, u32>,
    /// How many texts have a number.
    text_count: u32,
    /// Entity numbers, found by their lookup keys (`kind code` + lower-cased CURIE, see
    /// [`push_entity_slot`]) in `entity_keys`, hashed with [`DocInterner::key_hasher`]. A map
    /// holding each key in an allocation of its own took twice the memory (113k entities at
    /// 100k papers), and hashed a new key twice.
    entities: hashbrown::HashTable<u32>,
    /// Every entity's lookup key, one after another in the order of their numbers.
    entity_keys: String,
    /// Where each entity's key ends in `entity_keys`, by entity number.
    entity_key_ends: Vec<usize>,
    /// Entity number << 32 | text number, for every name or alias some doc has carried for
    /// an entity -> whether a second paper has (see [`NameUse`]): a doc sends only what its
    /// entity did not have yet. An entity's first name is kept in `first_names` instead.
    entity_names: foldhash::HashMap<u64, NameUse>,
    /// By entity number: the text number of the first name a doc carried for it
    /// ([`NO_TEXT`] before one did) and how far it has spread. Most entities have one or two
    /// names (61k of the 113k at 100k papers have one): looked up here by the entity's
    /// number, such a name needs no hashing, and the map holds half as many names.
    first_names: Vec<(u32, NameUse)>,
}

/// A slot of [`State::first_names`] without a name (text numbers stay below [`TEXT_MASK`]).
const NO_TEXT: u32 = u32::MAX;

impl DocInterner {
    pub fn new() -> Self {
        DocInterner::default()
    }

    /// An interner that numbers at most `limit` texts.
    #[cfg(test)]
    pub(super) fn with_text_limit(limit: u32) -> Self {
        DocInterner {
            text_limit: Some(limit),
            ..DocInterner::default()
        }
    }

    /// How many texts may be numbered.
    fn text_limit(&self) -> usize {
        self.text_limit.unwrap_or(TEXT_MASK) as usize
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves at worst a number without its text.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The doc for `p` as the worker stores it: field and entity numbers, with text only
    /// for the fields and entity names this interner had not seen. Falls back to a plain
    /// doc ([`SearchDoc::for_worker`]) when the text table is full.
    pub fn doc(&self, paper: PaperIdx, p: &Paper) -> SearchDoc {
        let mut doc = SearchDoc::with_ids(paper, p);
        let tag = paper_tag(&doc.key);
        // Both loader threads want the lock for every paper: everything that needs no table
        // is done before taking it (folding texts, the entities' lookup keys) or after
        // (building the fields and entities new to the worker), so that it is held only to
        // look numbers up. Held while folding and building too, the two threads took turns
        // more than they worked side by side.
        let (own, mut unshared_fields) = own_texts(p);
        let names = entity_names(p);
        // Sized up front: growing these per paper was a tenth of building docs.
        let slot_bytes = p.entities.iter().map(|e| 1 + e.key.as_str().len()).sum();
        let mut slots = String::with_capacity(slot_bytes);
        let mut slot_ends = Vec::with_capacity(p.entities.len());
        let mut slot_hashes = Vec::with_capacity(p.entities.len());
        for e in &p.entities {
            let start = slots.len();
            push_entity_slot(&mut slots, e.kind, e.key.as_str());
            slot_ends.push(slots.len());
            slot_hashes.push(self.key_hasher.hash_one(&slots[start..]));
        }
        let mut parts = DocParts::default();
        // Room for every own text and entity name (a name may be the paper's own text).
        parts.interned.reserve(own.len() + names.names.len());
        parts.entity_refs.reserve(p.entities.len());
        parts.mentions.reserve(p.entities.len());
        // Texts given a number now, to be made fields once the lock is let go.
        let mut fresh: Vec<(u32, FieldKind, &str)> =
            Vec::with_capacity(own.len() + names.names.len());
        // Entities the worker must be sent (new, or with new or newly shared names): number,
        // position in the paper, whether new, and where their unseen names and shared texts
        // end.
        let mut sent: Vec<(u32, usize, bool, usize, usize)> = Vec::with_capacity(p.entities.len());
        let mut unseen: Vec<&str> = Vec::with_capacity(names.names.len());
        let mut shared_texts: Vec<u32> = Vec::new();
        let mut state = self.lock();
        if state.text_count as usize + own.len() + names.names.len() >= self.text_limit() {
            drop(state);
            let mut plain = SearchDoc::for_worker(paper, p);
            let parts = plain.parts_mut();
            parts.all_lower = super::joined_lower(&parts.fields);
            return plain;
        }
        let mut unshared_at = 0;
        for text in &own {
            let number = match text {
                OwnText::Unshared(_) => {
                    // Numbered in order: the fields were built in the same order.
                    let n = state.reserve_text_number();
                    unshared_fields[unshared_at].0 = n;
                    unshared_at += 1;
                    n
                }
                OwnText::Shared(kind, folded) => {
                    state.folded_number(folded, |n| fresh.push((n, *kind, folded)))
                }
            };
            push_own_text(&mut parts.interned, text.kind(), number);
        }
        let mut slot_start = 0;
        let mut name_start = 0;
        for (at, (e, ((&slot_end, &hash), &names_end))) in p
            .entities
            .iter()
            .zip(slot_ends.iter().zip(&slot_hashes).zip(&names.ends))
            .enumerate()
        {
            let slot = &slots[slot_start..slot_end];
            let (number, is_new) = state.entity_number(slot, hash, &self.key_hasher);
            slot_start = slot_end;
            let (unseen_before, shared_before) = (unseen.len(), shared_texts.len());
            let private = keeps_mentions_private(e.kind, e.key.as_str());
            let at_once = names_at_once(e.kind, e.key.as_str());
            for name in &names.names[name_start..names_end] {
                let text = state.folded_number(&name.folded, |n| {
                    fresh.push((n, FieldKind::Entity, &name.folded))
                });
                let authoritative = name.authoritative || at_once;
                let step = state.name_used(number, text, tag, authoritative, private);
                if step.new {
                    unseen.push(name.raw);
                }
                if step.shared_now {
                    shared_texts.push(text);
                } else if step.own {
                    push_own_text(&mut parts.interned, FieldKind::Entity, text);
                }
            }
            name_start = names_end;
            if is_new || unseen.len() > unseen_before || shared_texts.len() > shared_before {
                sent.push((number, at, is_new, unseen.len(), shared_texts.len()));
            }
            parts.entity_refs.push(number);
            parts.mentions.push(super::mentions_u16(e.mentions));
        }
        drop(state);
        parts.new_texts.reserve(unshared_fields.len() + fresh.len());
        parts.new_texts.append(&mut unshared_fields);
        for (n, kind, folded) in fresh {
            parts.new_texts.push((n, DocField::of_folded(kind, folded)));
        }
        // Folding happens only for an entity's first paper or a new spelling; only the first
        // brings the CURIE (lower-cased in its lookup key) and id.
        let (mut unseen_start, mut shared_start) = (0, 0);
        parts.new_entities.reserve(sent.len());
        for (number, at, is_new, unseen_end, shared_end) in sent {
            let e = &p.entities[at];
            let names = &unseen[unseen_start..unseen_end];
            let mut entity = if is_new {
                let slot_start = at.checked_sub(1).map_or(0, |before| slot_ends[before]);
                // Past the kind's code.
                let curie = slots[slot_start + 1..slot_ends[at]].to_owned();
                DocEntity::with_curie(e.kind, e.key.as_str(), curie, names)
            } else if names.is_empty() {
                DocEntity {
                    kind: e.kind,
                    ..DocEntity::default()
                }
            } else {
                DocEntity::more_names(e.kind, names)
            };
            entity.name_texts = shared_texts[shared_start..shared_end].to_vec();
            parts.new_entities.push((number, entity));
            (unseen_start, shared_start) = (unseen_end, shared_end);
        }
        doc.parts = Some(Box::new(parts));
        doc
    }

    /// The number of the text `folded` (as [`crate::fold::fold_cased`] gives it), if a
    /// doc has carried it as a text other docs may share.
    pub(super) fn number_of(&self, folded: &str) -> Option<u32> {
        self.lock().texts.get(folded).copied()
    }

    /// Numbers for a doc built without the interner (its `fields` and `entities`): the
    /// worker calls this for docs that arrive in plain form. `Err` when the text table is
    /// full (the doc then stays plain).
    pub(super) fn intern_plain(&self, doc: &mut SearchDoc) -> Result<(), ()> {
        let tag = paper_tag(&doc.key);
        let mut state = self.lock();
        if state.text_count as usize + doc.parts().fields.len() >= self.text_limit() {
            return Err(());
        }
        let parts = doc.parts_mut();
        let fields = std::mem::take(&mut parts.fields);
        parts.interned = Vec::with_capacity(fields.len());
        for f in fields {
            let kind = f.kind;
            let number = match state.texts.get(&*f.text) {
                Some(&n) => n,
                None => {
                    let n = state.text_count;
                    state.text_count += 1;
                    state.texts.insert(f.text.clone(), n);
                    parts.new_texts.push((n, f));
                    n
                }
            };
            parts.interned.push((kind.code() << KIND_SHIFT) | number);
        }
        for mut e in std::mem::take(&mut parts.entities) {
            let texts: Vec<u32> = std::mem::take(&mut e.raw_names)
                .iter()
                .filter(|n| !crate::formats::trim(n).is_empty())
                .map(|n| state.text_number(n, FieldKind::Entity, &mut parts.new_texts))
                .collect();
            let mut slot = String::new();
            push_entity_slot(&mut slot, e.kind, &e.curie);
            let hash = self.key_hasher.hash_one(slot.as_str());
            let (number, _) = state.entity_number(&slot, hash, &self.key_hasher);
            // As for a doc built here: the entity's names for `gene:`-style terms are all
            // its names; for words, those a second paper used.
            e.name_texts.clear();
            for text in texts {
                // (A plain doc has no sources to tell a summary by.)
                let private = keeps_mentions_private(e.kind, &e.curie);
                let at_once = names_at_once(e.kind, &e.curie);
                let step = state.name_used(number, text, tag, at_once, private);
                if step.shared_now {
                    e.name_texts.push(text);
                } else if step.own {
                    push_own_text(&mut parts.interned, FieldKind::Entity, text);
                }
            }
            parts.entity_refs.push(number);
            parts.new_entities.push((number, e));
        }
        parts.all_lower = String::new();
        Ok(())
    }
}

/// A paper's own text as [`DocInterner::doc`] prepares it before taking the lock.
enum OwnText<'a> {
    /// A text no other paper has ([`unshared`]): its field is built in advance.
    Unshared(FieldKind),
    /// A text other papers may share, folded: looked up.
    Shared(FieldKind, Cow<'a, str>),
}

impl OwnText<'_> {
    fn kind(&self) -> FieldKind {
        match self {
            OwnText::Unshared(kind) | OwnText::Shared(kind, _) => *kind,
        }
    }
}

/// `p`'s own texts (an entity's names are reached through the entity, whose names include
/// every name this doc gives it: listing them among the doc's own texts would only
/// lengthen scans), and the fields of those no other paper has, in order, each to be given
/// its number.
fn own_texts(p: &Paper) -> (Vec<OwnText<'_>>, Vec<(u32, DocField)>) {
    // Title, key and three ids at most.
    let mut unshared_fields = Vec::with_capacity(5);
    let own = own_field_texts(p, 0)
        .into_iter()
        .filter(|(_, text)| !crate::formats::trim(text).is_empty())
        .map(|(kind, text)| match unshared(kind) {
            true => {
                unshared_fields.push((0, DocField::new(kind, text)));
                OwnText::Unshared(kind)
            }
            false => OwnText::Shared(kind, crate::fold::fold_cased(text)),
        })
        .collect();
    (own, unshared_fields)
}

/// One name a paper gives one of its entities, folded.
struct EntityName<'a> {
    raw: &'a str,
    folded: Cow<'a, str>,
    /// Shared with every paper of the entity at once (see [`NameUse`]).
    authoritative: bool,
}

/// The names of a paper's entities, one entity after another.
struct EntityNames<'a> {
    names: Vec<EntityName<'a>>,
    /// Where each entity's names end in `names`.
    ends: Vec<usize>,
}

/// The names `p` gives each of its entities, folded. A summary's names from a database
/// (CD274 with its aka list: PD-L1, B7-H1...) are the entity's for every paper at once. A
/// group's name (`cytokines` for TNF) is found among the paper's own texts, not given to
/// the entity. A common taxon's name, which the library shows (`Homo sapiens` where
/// abstracts write "patients"), and a species' common name a summary gives from the
/// taxonomy (`Epstein Barr virus`) are the entity's at once.
fn entity_names(p: &Paper) -> EntityNames<'_> {
    let curated = crate::index::is_curated(p);
    let count: usize = p.entities.iter().map(|e| 2 + e.aliases.len()).sum();
    let mut names = Vec::with_capacity(count);
    let mut ends = Vec::with_capacity(p.entities.len());
    for e in &p.entities {
        let authoritative = curated && e.description.is_some();
        let taxon = crate::index::common_taxon_name(&e.key).map(|name| (name, true));
        let own = e.own_names().map(|name| (name, authoritative));
        let database = super::database_names(e, curated).map(|name| (name, true));
        for (raw, authoritative) in own.chain(database).chain(taxon) {
            if crate::formats::trim(raw).is_empty() {
                continue;
            }
            names.push(EntityName {
                raw,
                folded: crate::fold::fold_cased(raw),
                authoritative,
            });
        }
        ends.push(names.len());
    }
    EntityNames { names, ends }
}

/// Whether texts of `kind` are numbered each time, not looked up: a paper's own ids (its
/// key, PMID, PMCID, DOI) and its title are no other paper's. Keeping every title here only
/// to find no match cost a hash, a copy and 10 MB per 100k papers. (A benchmark that copies
/// its papers then scores every copy's title, as a real library of that size makes it.)
pub(super) fn unshared(kind: FieldKind) -> bool {
    matches!(kind, FieldKind::Id | FieldKind::Title)
}

/// How far an entity's name has spread. A name only one paper uses finds that paper alone
/// (as its own text): pooled at once, one paper's odd mention made every paper of a broad
/// entity match it. A user test found 16 papers for `pseudoacromegaly`, a word of one
/// paper, which its annotators had tagged as "Disease" (MESH:D004194) like other words in
/// 15 more papers. From its second paper on, the name finds every paper of the entity, as
/// `p53` finds the papers that write TP53.
///
/// A paper is told by a tag of its key ([`paper_tag`]): one paper loaded from two files (a
/// corpus shipped as PubTator and as BioC) has its doc built for each record and again once
/// they merge, and counted as two papers its odd names found every paper of the entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NameUse {
    /// Used by the paper with this tag alone.
    OnePaper(u32),
    Shared,
}

/// The tag [`NameUse`] tells a paper by: a hash of its (lower-cased) key, as its doc holds
/// it. Two papers' tags are equal once in four billion pairs, and then one's name stays
/// the other's too until a third paper uses it.
fn paper_tag(doc_key: &str) -> u32 {
    // Truncated on purpose: the map's entries stay 16 bytes.
    foldhash::fast::FixedState::with_seed(0).hash_one(doc_key) as u32
}

/// Whether the mentions of entity `key`, of `kind`, stay the words of the papers that write
/// them, however many do: human's are who was studied ("patients", "women", "men"), and
/// shared as its names, `'women` found 489 papers, many that never say it, and `man` 3,513
/// of 4,529. Its scientific name (a summary's, or the library's table of common taxa) still
/// finds every paper of it, as `species:` terms do. Other species' mentions are names
/// ([`names_at_once`]).
fn keeps_mentions_private(kind: EntityKind, key: &str) -> bool {
    kind == EntityKind::Species && key.eq_ignore_ascii_case(HUMAN_TAXON)
}

/// Whether every mention of entity `key`, of `kind`, is the entity's name at once, as a
/// database's is: a species other than human is mentioned by a name of it (`EBV`, `HIV-1`,
/// `mice`, `E. coli`), which annotators tied to the taxon. Waiting for a second paper, `ebv`
/// missed a summary of an EBV-driven cancer whose one corpus paper about the virus wrote
/// "EBV" (the summary names it "human gammaherpesvirus 4").
fn names_at_once(kind: EntityKind, key: &str) -> bool {
    kind == EntityKind::Species && !keeps_mentions_private(kind, key)
}

/// Human's key, whose mentions are study populations (see [`keeps_mentions_private`]).
const HUMAN_TAXON: &str = "NCBITaxon:9606";

/// What a paper's use of a name changes ([`State::name_used`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct NameStep {
    /// No paper used it before: it is new to the entity's names for `gene:`-style terms.
    new: bool,
    /// From now on it finds every paper of the entity.
    shared_now: bool,
    /// It is this paper's alone: it finds the paper as one of its own texts.
    own: bool,
}

/// Lists text number `text`, as a field of `kind`, among a doc's own texts, once: the same
/// text twice in one paper (an author listed twice) is one reference.
fn push_own_text(interned: &mut Vec<u32>, kind: FieldKind, text: u32) {
    let packed = (kind.code() << KIND_SHIFT) | text;
    if !interned.contains(&packed) {
        interned.push(packed);
    }
}

/// An entity's name as [`State::entity_names`] keeps it: entity number, then text number.
fn name_pair(entity: u32, text: u32) -> u64 {
    u64::from(entity) << 32 | u64::from(text)
}

impl State {
    /// The number of `text`, given one (and recorded in `new`) if it is new. Texts that
    /// fold alike (`TGF-β`, `TGF-beta`) share one.
    fn text_number(&mut self, text: &str, kind: FieldKind, new: &mut Vec<(u32, DocField)>) -> u32 {
        let text = crate::fold::fold_cased(text);
        if let Some(&n) = self.texts.get(&*text) {
            return n;
        }
        let n = self.new_text_number(DocField::of_folded(kind, &text), new);
        self.texts.insert((*text).into(), n);
        n
    }

    /// The number of a text already folded, given one if it is new (`fresh` is told it,
    /// to make its field once the lock is let go).
    fn folded_number(&mut self, folded: &str, fresh: impl FnOnce(u32)) -> u32 {
        if let Some(&n) = self.texts.get(folded) {
            return n;
        }
        let n = self.reserve_text_number();
        self.texts.insert(folded.into(), n);
        fresh(n);
        n
    }

    /// The next text number, for a text not kept in the table.
    fn reserve_text_number(&mut self) -> u32 {
        let n = self.text_count;
        self.text_count += 1;
        n
    }

    /// A new number for `field` (recorded in `new`), without looking its text up or keeping
    /// it.
    fn new_text_number(&mut self, field: DocField, new: &mut Vec<(u32, DocField)>) -> u32 {
        let n = self.text_count;
        self.text_count += 1;
        new.push((n, field));
        n
    }

    /// Records that a paper calls entity `entity` by text `text`, and says what that changes.
    /// An `authoritative` name (a summary's, from a database) is shared at once.
    /// A `private` name stays each paper's own however many papers use it (see
    /// [`keeps_mentions_private`]).
    fn name_used(
        &mut self,
        entity: u32,
        text: u32,
        paper: u32,
        authoritative: bool,
        private: bool,
    ) -> NameStep {
        let step = |new, shared_now, own| NameStep {
            new,
            shared_now,
            own,
        };
        let first_use = match authoritative {
            true => NameUse::Shared,
            false => NameUse::OnePaper(paper),
        };
        let first = &mut self.first_names[entity as usize];
        let used = if first.0 == text {
            &mut first.1
        } else if first.0 == NO_TEXT {
            *first = (text, first_use);
            return step(true, authoritative, !authoritative);
        } else {
            match self.entity_names.entry(name_pair(entity, text)) {
                Entry::Vacant(vacant) => {
                    vacant.insert(first_use);
                    return step(true, authoritative, !authoritative);
                }
                Entry::Occupied(used) => used.into_mut(),
            }
        };
        match *used {
            // A database's name is the entity's, whoever used it first.
            NameUse::OnePaper(_) if authoritative => {
                *used = NameUse::Shared;
                step(false, true, false)
            }
            // The same paper again (another record of it, or its doc rebuilt on a merge).
            NameUse::OnePaper(one) if one == paper => step(false, false, true),
            _ if private => step(false, false, true),
            NameUse::OnePaper(_) => {
                *used = NameUse::Shared;
                step(false, true, false)
            }
            NameUse::Shared => step(false, false, false),
        }
    }

    /// The number of the entity with lookup key `slot` ([`push_entity_slot`]), whose hash
    /// by `hasher` is `hash`, and whether it is new.
    fn entity_number(
        &mut self,
        slot: &str,
        hash: u64,
        hasher: &foldhash::fast::RandomState,
    ) -> (u32, bool) {
        let (keys, ends) = (&self.entity_keys, &self.entity_key_ends);
        if let Some(&n) = self
            .entities
            .find(hash, |&n| entity_key(keys, ends, n) == slot)
        {
            return (n, false);
        }
        let n = u32::try_from(ends.len()).expect("fewer than 4 billion entities");
        self.entity_keys.push_str(slot);
        self.entity_key_ends.push(self.entity_keys.len());
        self.first_names.push((NO_TEXT, NameUse::Shared));
        let (keys, ends) = (&self.entity_keys, &self.entity_key_ends);
        self.entities
            .insert_unique(hash, n, |&n| hasher.hash_one(entity_key(keys, ends, n)));
        (n, true)
    }
}

/// The lookup key of entity `n`, given [`State::entity_keys`] and [`State::entity_key_ends`].
fn entity_key<'a>(keys: &'a str, ends: &[usize], n: u32) -> &'a str {
    let n = n as usize;
    let start = n.checked_sub(1).map_or(0, |before| ends[before]);
    &keys[start..ends[n]]
}

/// Appends the lookup key of an entity to `out`: its kind's code, then the lower-cased
/// CURIE.
fn push_entity_slot(out: &mut String, kind: EntityKind, curie: &str) {
    out.push(char::from(b'0' + kind as u8));
    if curie.is_ascii() {
        // Copied whole, then lowered in place: a char at a time cost 400 instructions a key.
        let start = out.len();
        out.push_str(curie);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&curie.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(new: bool, shared_now: bool, own: bool) -> NameStep {
        NameStep {
            new,
            shared_now,
            own,
        }
    }

    /// Entities keep their numbers as the table of keys grows, and each key is one entity.
    #[test]
    fn entities_keep_their_numbers_as_the_table_grows() {
        let hasher = foldhash::fast::RandomState::default();
        let mut state = State::default();
        let number = |state: &mut State, slot: &str| {
            state.entity_number(slot, hasher.hash_one(slot), &hasher)
        };
        let slots: Vec<String> = (0..5000).map(|i| format!("1ncbigene:{i}")).collect();
        for (i, slot) in slots.iter().enumerate() {
            assert_eq!(number(&mut state, slot), (i as u32, true));
        }
        for (i, slot) in slots.iter().enumerate().rev() {
            assert_eq!(number(&mut state, slot), (i as u32, false));
        }
        assert_eq!(number(&mut state, "2ncbigene:7"), (5000, true));
    }

    /// A name spreads alike whether it is the first an entity was called by (kept beside
    /// the entity's number) or a later one (kept in the map of names).
    #[test]
    fn an_entitys_first_and_later_names_spread_alike() {
        let hasher = foldhash::fast::RandomState::default();
        let mut state = State::default();
        let entity = |state: &mut State, slot: &str| {
            state.entity_number(slot, hasher.hash_one(slot), &hasher).0
        };
        let words = entity(&mut state, "1ncbigene:7157");
        let database = entity(&mut state, "1ncbigene:29126");
        let human = entity(&mut state, "3ncbitaxon:9606");
        for text in [10, 11, 12] {
            let used = [(1, false), (1, false), (2, false), (3, false), (4, true)];
            let steps = used.map(|(paper, authoritative)| {
                state.name_used(words, text, paper, authoritative, false)
            });
            assert_eq!(
                steps,
                [
                    step(true, false, true),
                    step(false, false, true),
                    step(false, true, false),
                    step(false, false, false),
                    step(false, false, false),
                ],
                "text {text}"
            );
            let used = [(1, false), (2, true), (3, false)];
            let steps = used.map(|(paper, authoritative)| {
                state.name_used(database, text, paper, authoritative, false)
            });
            assert_eq!(
                steps,
                [
                    step(true, false, true),
                    step(false, true, false),
                    step(false, false, false),
                ],
                "text {text}"
            );
            let steps = [1, 2, 3].map(|paper| state.name_used(human, text, paper, false, true));
            assert_eq!(
                steps,
                [
                    step(true, false, true),
                    step(false, false, true),
                    step(false, false, true),
                ],
                "text {text}"
            );
        }
    }
}
