//! Search: the query language ([`query`]), matching papers against a parsed query, and the
//! worker thread that keeps typing responsive on a million papers.
//!
//! Speed comes from doing little per keystroke: each [`SearchDoc`] keeps its short fields
//! lower-cased once; a byte-level prefilter (query characters present in order, via memchr)
//! rejects most papers before skim scores anything; a query that narrows the previous one only
//! searches the previous hits; a stale query is abandoned mid-scan; the scan is split over two
//! threads; only the top rows are fully sorted.

pub mod intern;
pub mod query;
pub mod suggest;

pub use intern::DocInterner;
pub use query::{Query, QueryError};

use crate::fold;
use crate::index::PaperIdx;
use crate::library::{Library, SourceOrder};
use crate::model::{EntityKind, Paper, SharedStr, fold_name};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use query::{AlsoFinds, Condition, IdField, TextField, TextMode, TextTerm, is_subsequence};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread;

/// Which short field a piece of text is, for field terms and ranking weights.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FieldKind {
    #[default]
    Title,
    Author,
    Journal,
    /// Paper key, PMID, PMCID, DOI.
    Id,
    /// An entity's name or alias.
    Entity,
}

impl FieldKind {
    /// Ranking weight: a title match says most about what the user is looking for.
    fn weight(self) -> i64 {
        match self {
            FieldKind::Title => 4,
            FieldKind::Entity | FieldKind::Id => 3,
            FieldKind::Author => 2,
            FieldKind::Journal => 1,
        }
    }

    fn code(self) -> u32 {
        match self {
            FieldKind::Title => 0,
            FieldKind::Author => 1,
            FieldKind::Journal => 2,
            FieldKind::Id => 3,
            FieldKind::Entity => 4,
        }
    }

    fn from_code(code: u32) -> FieldKind {
        match code {
            0 => FieldKind::Title,
            1 => FieldKind::Author,
            2 => FieldKind::Journal,
            3 => FieldKind::Id,
            _ => FieldKind::Entity,
        }
    }

    fn selected_by(self, field: TextField) -> bool {
        matches!(
            (field, self),
            (TextField::Any, _)
                | (TextField::Title, FieldKind::Title)
                | (TextField::Author, FieldKind::Author)
                | (TextField::Journal, FieldKind::Journal)
        )
    }

    /// Whether `term` looks at fields of this kind: those its field selects, but for a lone
    /// Greek letter anywhere, which is no part of a person's name (`ξ` is not Xi Chen).
    fn looked_at_by(self, term: &TextTerm) -> bool {
        match (term.mode, term.field, self) {
            (TextMode::Letter, TextField::Any, FieldKind::Author) => false,
            _ => self.selected_by(term.field),
        }
    }
}

/// One short searchable field, with its lower-cased form prepared once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocField {
    pub kind: FieldKind,
    /// The text folded for search, case kept ([`fold::fold_cased`]: `TGF-β` is
    /// `TGF-beta`), which smart-case terms match.
    pub text: Box<str>,
    /// The lower-cased text where it differs (a PMID, `breast cancer` and most names are
    /// lower-case already and keep one copy).
    lowered: Option<Box<str>>,
    /// [`ascii_mask`] of the lower-cased text.
    mask: u32,
    /// The letters of the lower-cased text ([`ascii_mask`] bits) that start a word, and
    /// those that are a word alone: a one-letter term's match, read without the text
    /// ([`DocField::one_letter_match`]). The first key of every search scores every title of
    /// the library; reading each for its letter took most of that key's time.
    letters_starting_words: u32,
    letters_alone: u32,
}

impl DocField {
    /// A field of `text` (which is kept folded, see [`crate::fold`]).
    pub fn new(kind: FieldKind, text: &str) -> DocField {
        DocField::of_folded(kind, &fold::fold_cased(text))
    }

    /// A field of text already folded with [`fold::fold_cased`].
    fn of_folded(kind: FieldKind, folded: &str) -> DocField {
        if folded.is_ascii() {
            // Nearly every text, and each paper's title and ids: lowered only when there are
            // upper case letters (not copied to be compared and dropped), the mask taken
            // from the text as written. Titles and ids were a seventh of building docs.
            let upper = folded.bytes().any(|b| b.is_ascii_uppercase());
            let masks = TextMasks::of(folded);
            return DocField {
                kind,
                mask: masks.letters,
                letters_starting_words: masks.starting_words,
                letters_alone: masks.alone,
                lowered: upper.then(|| folded.to_ascii_lowercase().into_boxed_str()),
                text: folded.into(),
            };
        }
        let lowered = fold::fold_lower(folded);
        let masks = TextMasks::of(&lowered);
        DocField {
            kind,
            mask: masks.letters,
            letters_starting_words: masks.starting_words,
            letters_alone: masks.alone,
            lowered: (lowered != folded).then(|| lowered.into_boxed_str()),
            text: folded.into(),
        }
    }

    /// A fuzzy term of one ASCII letter's match on the lower-cased text, as
    /// [`short_pattern_match`] finds it there, from the masks alone; `None` for any other
    /// pattern.
    fn one_letter_match(&self, pattern: &[u8]) -> Option<Option<(Tier, i64)>> {
        let &[letter] = pattern else {
            return None;
        };
        if !letter.is_ascii_lowercase() {
            return None;
        }
        let bit = ASCII_BITS[usize::from(letter)];
        let score = SHORT_SCORE_PER_CHAR;
        Some(if self.mask & bit == 0 {
            None
        } else if self.letters_starting_words & bit == 0 {
            Some((Tier::InsideWord, score))
        } else if self.letters_alone & bit == 0 {
            Some((Tier::WordStart, score + SHORT_WORD_START_BONUS))
        } else {
            Some((Tier::Word, score + SHORT_WORD_START_BONUS))
        })
    }

    /// The text folded and lower-cased.
    pub fn lower(&self) -> &str {
        self.lowered.as_deref().unwrap_or(&self.text)
    }
}

/// Where a doc's references sit in the worker's one array of them: `texts` field
/// references from `start`, then `entities` entity numbers; the entities' mentions in the
/// paper are in the worker's array of mentions from `mentions`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct RefsAt {
    start: u32,
    texts: u32,
    entities: u32,
    mentions: u32,
}

/// How much an entity term adds to a paper's score for each time the paper mentions the
/// entity, up to [`MENTIONS_SCORED`]: `gene:brca1` alone lists the papers that say most
/// about BRCA1 first, and with words beside it (`gene:tp53 apoptosis`) a paper about the
/// gene edges out one that names it once, without outweighing how well the words match.
const SCORE_PER_MENTION: i64 = 1;
const MENTIONS_SCORED: u16 = 50;

fn mentions_score(mentions: u16) -> i64 {
    i64::from(mentions.min(MENTIONS_SCORED)) * SCORE_PER_MENTION
}

/// The `i`th of a doc's mention counts (one where a doc lacks them).
fn mention_at(mentions: &[u16], i: usize) -> u16 {
    mentions.get(i).copied().unwrap_or(1)
}

/// A mention count as a doc keeps it.
fn mentions_u16(mentions: u32) -> u16 {
    u16::try_from(mentions).unwrap_or(u16::MAX)
}

/// Every entity's names as numbers of the worker's text table, one run per entity in one
/// array, so scoring the names of thousands of entities reads memory front to back.
#[derive(Debug, Default)]
struct EntityNames {
    /// Per entity number: start and length of its run in `texts`.
    at: Vec<(u32, u32)>,
    texts: Vec<u32>,
}

impl EntityNames {
    fn of(entities: &[DocEntity]) -> EntityNames {
        let mut names = EntityNames {
            at: Vec::with_capacity(entities.len()),
            texts: Vec::with_capacity(entities.iter().map(|e| e.name_texts.len()).sum()),
        };
        for e in entities {
            let start = names.texts.len() as u32;
            names.texts.extend_from_slice(&e.name_texts);
            names.at.push((start, e.name_texts.len() as u32));
        }
        names
    }

    fn get(&self, entity: usize) -> &[u32] {
        self.at.get(entity).map_or(&[], |&(start, len)| {
            self.texts
                .get(start as usize..(start + len) as usize)
                .unwrap_or(&[])
        })
    }
}

/// Slot `at` of a memo, worked out by `score` and kept when it is not there yet
/// ([`NO_MATCH`] past the memo's end). Relaxed: a slot is only ever set to the one score
/// it has, so two scan threads racing on it at worst both work it out.
fn memoized(memo: &[AtomicI32], at: usize, score: impl FnOnce() -> i32) -> i32 {
    let Some(slot) = memo.get(at) else {
        return NO_MATCH;
    };
    let mut value = slot.load(Ordering::Relaxed);
    if value == UNSCORED {
        value = score();
        slot.store(value, Ordering::Relaxed);
    }
    value
}

/// What a matcher without a worker's tables points at.
static NO_ENTITY_NAMES: EntityNames = EntityNames {
    at: Vec::new(),
    texts: Vec::new(),
};

/// Bits of an interned field reference that hold the [`FieldKind`]; the rest index the
/// worker's table of distinct texts.
const KIND_SHIFT: u32 = 28;
const TEXT_MASK: u32 = (1 << KIND_SHIFT) - 1;

/// One entity as `gene:`-style terms see it. Matching unites the names of every doc's copy of
/// the same entity (kind and CURIE), as the entity index does, so a paper that wrote `B7-H1`
/// is found by `gene:PD-L1` when another paper names that gene both ways.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DocEntity {
    pub kind: EntityKind,
    /// The CURIE, lower-cased.
    pub curie: String,
    /// Folded name, aliases and local id.
    folded: FoldedList,
    /// Folded name and aliases from each word start on (`homosapiens`, `sapiens`), for
    /// prefix matches such as `species:homo`.
    tails: FoldedList,
    /// The folded local id (`rs771966860`), absent for name-only entities.
    pub local_id: Option<String>,
    /// In the worker: the numbers of every name and alias any paper gave this entity, so a
    /// plain word finds a paper by a name another paper uses (`tp53` finds the papers that
    /// only wrote `p53`).
    pub name_texts: Vec<u32>,
    /// The names as written, for a doc built without the interner; numbered (and emptied)
    /// when the worker takes the doc.
    raw_names: Vec<String>,
}

/// A finished folded entity term shorter than this matches only whole names (`gene:pd` is
/// not a prefix of every PD-something gene); one still being typed also matches starts
/// (see [`Condition::Entity`]).
pub const MIN_ENTITY_PREFIX: usize = 3;

impl DocEntity {
    /// The entity `e` of a paper, `curated` if a summary (see [`database_names`]).
    fn new(e: &crate::model::PaperEntity, curated: bool) -> Self {
        // A group's name is the paper's text, not the entity's name; a common taxon's is
        // (see `DocInterner::doc`).
        let taxon = crate::index::common_taxon_name(&e.key);
        let names: Vec<&str> = e
            .own_names()
            .chain(database_names(e, curated))
            .chain(taxon)
            .collect();
        DocEntity {
            raw_names: names.iter().map(|&n| n.to_owned()).collect(),
            ..DocEntity::from_names(e.kind, e.key.as_str(), &names)
        }
    }

    /// The entity with CURIE (entity key) `key` known by `names`.
    fn from_names(kind: EntityKind, key: &str, names: &[&str]) -> Self {
        DocEntity::with_curie(kind, key, lower(key), names)
    }

    /// [`DocEntity::from_names`] with the CURIE lower-cased already (`curie`).
    fn with_curie(kind: EntityKind, key: &str, curie: String, names: &[&str]) -> Self {
        let local_id = (!key.starts_with(crate::model::NAME_ONLY_PREFIX))
            .then(|| fold_name(key.split_once(':').map_or(key, |(_, id)| id)))
            .filter(|f| !f.is_empty());
        DocEntity {
            curie,
            ..DocEntity::named(kind, names, local_id)
        }
    }

    /// More names of an entity the worker has a copy of, or will have: without the CURIE
    /// and id, which that copy brings (see [`WorkerState::add_docs`]). A known entity is
    /// sent again for each new spelling and each name a second paper uses (half the
    /// entities sent at 100k papers): built whole each time, and united in the worker, it
    /// cost 6% more building docs and 15% more taking them in.
    fn more_names(kind: EntityKind, names: &[&str]) -> Self {
        DocEntity::named(kind, names, None)
    }

    /// The entity of `kind` known by `names` and `local_id`, without its CURIE.
    fn named(kind: EntityKind, names: &[&str], local_id: Option<String>) -> Self {
        // Every name folded once, one after another; a word's tail is the rest of its name.
        // Folding keeps ASCII names' length; others may grow a little past it.
        let mut all = String::with_capacity(names.iter().map(|n| n.len() + 2).sum());
        // With room for the local id among the names.
        let mut names_at = Vec::with_capacity(names.len() + 1);
        // A word takes two bytes at least (a letter and what ends it).
        let mut tails_at = Vec::with_capacity(names.iter().map(|n| n.len().div_ceil(2)).sum());
        let mut word_starts = Vec::with_capacity(8);
        for name in names {
            let start = all.len();
            fold_marking_words(name, &mut all, &mut word_starts);
            names_at.push(start..all.len());
            tails_at.extend(word_starts.drain(..).map(|word| word..all.len()));
        }
        // Collected where the ranges were (a range and a `&str` are the same size): two
        // allocations fewer for each entity sent.
        let mut folded: Vec<&str> = names_at.into_iter().map(|r| &all[r]).collect();
        folded.extend(local_id.as_deref());
        let tails = tails_at.into_iter().map(|r| &all[r]).collect();
        DocEntity {
            kind,
            curie: String::new(),
            folded: FoldedList::of(folded),
            tails: FoldedList::of(tails),
            local_id,
            name_texts: Vec::new(),
            raw_names: Vec::new(),
        }
    }

    /// Adds another copy's names (the same entity as spelled in another paper).
    fn unite(&mut self, other: DocEntity) {
        for n in other.name_texts {
            if !self.name_texts.contains(&n) {
                self.name_texts.push(n);
            }
        }
        for (mine, theirs) in [
            (&mut self.folded, other.folded),
            (&mut self.tails, other.tails),
        ] {
            if let Some(united) = mine.union(&theirs) {
                *mine = united;
            }
        }
    }

    /// Whether a finished `gene:`-style term (folded value, optional CURIE) names this
    /// entity.
    #[cfg(test)]
    fn matches(&self, folded: &str, curie: Option<&String>) -> bool {
        let term = EntityTerm {
            kinds: &[],
            folded,
            curie,
            being_typed: false,
            whole_only: false,
        };
        self.named_by(&term).is_some()
    }

    /// How a `gene:`-style term names this entity, if it does (its kinds aside).
    fn named_by(&self, term: &EntityTerm) -> Option<Named> {
        let EntityTerm { folded, curie, .. } = *term;
        if (folded.is_empty() && curie.is_none())
            || curie == Some(&self.curie)
            || self.folded.contains(folded)
        {
            return Some(Named::Fully);
        }
        let by_start = if term.whole_only {
            false
        } else if term.being_typed {
            // Every start, however short: one letter judged over every entity of a
            // 100k-paper library is a few milliseconds, and once per query (the memo).
            !folded.is_empty() && self.tails.any_starts_with(folded)
                || self
                    .local_id
                    .as_deref()
                    .is_some_and(|id| id.starts_with(folded))
                || curie.is_some_and(|c| self.curie.starts_with(c.as_str()))
        } else {
            folded.chars().count() >= MIN_ENTITY_PREFIX && self.tails.any_starts_with(folded)
        };
        by_start.then_some(Named::ByPrefix)
    }
}

/// The parts of a [`Condition::Entity`], borrowed.
#[derive(Clone, Copy, Debug)]
struct EntityTerm<'q> {
    kinds: &'q [EntityKind],
    folded: &'q str,
    curie: Option<&'q String>,
    being_typed: bool,
    whole_only: bool,
}

impl<'q> EntityTerm<'q> {
    fn of(condition: &'q Condition) -> Option<EntityTerm<'q>> {
        match condition {
            Condition::Entity {
                kinds,
                folded,
                curie,
                being_typed,
                whole_only,
            } => Some(EntityTerm {
                kinds,
                folded,
                curie: curie.as_ref(),
                being_typed: *being_typed,
                whole_only: *whole_only,
            }),
            _ => None,
        }
    }

    /// How the term names `e`, if it does.
    fn names(&self, e: &DocEntity) -> Option<Named> {
        self.kinds
            .contains(&e.kind)
            .then(|| e.named_by(self))
            .flatten()
    }
}

/// How an entity term names an entity: by a whole name, alias, id or CURIE, or only by the
/// start of a name or of a word in one (`gene:brca1` and BRCA2's alias `BRCA1/2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Named {
    Fully,
    ByPrefix,
}

/// The score an entity term gives a paper that mentions the entity it names `mentions`
/// times: a whole name outranks any start of one, then the paper that mentions it most.
fn entity_term_score(named: Named, mentions: u16) -> i64 {
    let named = match named {
        Named::Fully => mentions_score(MENTIONS_SCORED) + 1,
        Named::ByPrefix => 0,
    };
    named + mentions_score(mentions)
}

/// Sorted, distinct folded names in one allocation, each ended by a newline (folded text
/// keeps letters and digits only). An entity used to keep each name and word tail as a
/// string of its own: a dozen allocations per entity, ~100 MB at 100k papers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct FoldedList(Box<str>);

impl FoldedList {
    fn of(mut items: Vec<&str>) -> FoldedList {
        items.retain(|s| !s.is_empty());
        items.sort_unstable();
        items.dedup();
        let mut joined = String::with_capacity(items.iter().map(|s| s.len() + 1).sum());
        for item in items {
            joined.push_str(item);
            joined.push('\n');
        }
        FoldedList(joined.into_boxed_str())
    }

    /// In sorted order.
    fn iter(&self) -> std::str::SplitTerminator<'_, char> {
        self.0.split_terminator('\n')
    }

    fn contains(&self, folded: &str) -> bool {
        self.iter()
            .take_while(|&f| f <= folded)
            .any(|f| f == folded)
    }

    /// Whether a name starts with `prefix`: in sorted order, only the first name not before
    /// it can.
    fn any_starts_with(&self, prefix: &str) -> bool {
        self.iter()
            .find(|&f| f >= prefix)
            .is_some_and(|f| f.starts_with(prefix))
    }

    /// Both lists in one, `None` when `other` adds nothing. Each of the other's names is
    /// looked for by bisecting this list ([`place_in`]), which is then copied whole in the
    /// runs between the places new names go: an entity such as human gains names hundreds
    /// of times while loading, and merging the lists a name at a time (a search for each
    /// line's end) was two thirds of the worker's time taking docs in at 100k papers.
    fn union(&self, other: &FoldedList) -> Option<FoldedList> {
        let mine = self.0.as_bytes();
        let mut new = Vec::new();
        let mut from = 0;
        // The other's names are sorted too: each goes after the one before it.
        for name in other.iter() {
            let (at, found) = place_in(&mine[from..], name.as_bytes());
            from += at;
            if !found {
                new.push((from, name));
            }
        }
        if new.is_empty() {
            return None;
        }
        let added: usize = new.iter().map(|(_, name)| name.len() + 1).sum();
        let mut united = String::with_capacity(self.0.len() + added);
        let mut copied = 0;
        for (at, name) in new {
            // At line starts, so on char boundaries.
            united.push_str(&self.0[copied..at]);
            united.push_str(name);
            united.push('\n');
            copied = at;
        }
        united.push_str(&self.0[copied..]);
        Some(FoldedList(united.into_boxed_str()))
    }
}

/// Where `name` is, or would go, in `list`, sorted names each ended by a newline: the start
/// of the first name not before it, and whether that is `name`. Bytes compare as the
/// strings do.
fn place_in(list: &[u8], name: &[u8]) -> (usize, bool) {
    // Both at the start of a name (or the end).
    let (mut low, mut high) = (0, list.len());
    while low < high {
        let mid = low + (high - low) / 2;
        let start = memchr::memrchr(b'\n', &list[low..mid]).map_or(low, |i| low + i + 1);
        let end = memchr::memchr(b'\n', &list[start..high]).map_or(high, |i| start + i);
        match list[start..end].cmp(name) {
            std::cmp::Ordering::Less => low = (end + 1).min(high),
            std::cmp::Ordering::Equal => return (start, true),
            std::cmp::Ordering::Greater => high = start,
        }
    }
    (low, false)
}

/// Appends `name` folded (as [`fold_name`] folds it) to `out`, and to `word_starts` where
/// in `out` each of its words starts: the folded text from there to the end is the word's
/// tail (`Homo sapiens` gives `homosapiens` and `sapiens`).
fn fold_marking_words(name: &str, out: &mut String, word_starts: &mut Vec<usize>) {
    if !name.is_ascii() {
        fold_marking_words_by_char(&fold::fold_lower(name), out, word_starts);
        return;
    }
    // Byte by byte: most names are ASCII, and a char's Unicode tables cost more.
    let mut word_start = None;
    for (at, b) in name.bytes().enumerate() {
        match (b.is_ascii_alphanumeric(), word_start) {
            (true, None) => {
                word_starts.push(out.len());
                word_start = Some(at);
            }
            (false, Some(start)) => {
                push_lowered(out, &name[start..at]);
                word_start = None;
            }
            _ => {}
        }
    }
    if let Some(start) = word_start {
        push_lowered(out, &name[start..]);
    }
}

/// [`fold_marking_words`] for a name already folded, a char at a time.
fn fold_marking_words_by_char(name: &str, out: &mut String, word_starts: &mut Vec<usize>) {
    let mut previous_alphanumeric = false;
    for c in name.chars() {
        let alphanumeric = c.is_alphanumeric();
        if alphanumeric {
            if !previous_alphanumeric {
                word_starts.push(out.len());
            }
            out.extend(c.to_lowercase());
        }
        previous_alphanumeric = alphanumeric;
    }
}

/// Appends ASCII `text` lower-cased.
fn push_lowered(out: &mut String, text: &str) {
    let start = out.len();
    out.push_str(text);
    out[start..].make_ascii_lowercase();
}

/// One paper as search sees it, prepared once when the paper is loaded (by the loader
/// threads, so the UI thread never pays for it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchDoc {
    pub paper: PaperIdx,
    /// In the worker, where the doc's references moved to (see [`DocParts::interned`]): a
    /// run of its one array of references, which a scan reads front to back instead of
    /// chasing two pointers per paper.
    refs_at: Option<RefsAt>,
    /// Only the texts and entities numbered first by this doc matter: the paper's doc is
    /// built again (it merged with another record), but the texts it numbered first must
    /// still reach the worker, as other docs may point at them.
    table_only: bool,
    pub year: Option<i32>,
    /// Lower-cased key and ids, for `key:`, `pmid:` and `doi:`.
    pub key: Box<str>,
    pub pmid: Option<Box<str>>,
    pub doi: Option<Box<str>>,
    pub pmcid: Option<Box<str>>,
    /// What the doc carries on its way to the worker, which takes it apart into its tables;
    /// only a doc the worker cannot number (its table full) keeps its parts there. `None`
    /// for a doc stored in the worker: a hundred thousand docs of 300 bytes each were a
    /// tenth of the memory of a loaded library. Read through [`SearchDoc::parts`].
    parts: Option<Box<DocParts>>,
}

/// A doc's texts, entities and numbers as built, before the worker files them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocParts {
    pub fields: Vec<DocField>,
    /// In the worker, `fields` moved into its table of distinct texts: kind and text index
    /// packed in a u32 each, so a scan touches 4 bytes per field and a query scores each
    /// distinct text (`human`, `breast cancer`) once, not once per paper.
    pub interned: Vec<u32>,
    pub entities: Vec<DocEntity>,
    /// In the worker, `entities` moved into its table of distinct entities (a gene and its
    /// names are the same in thousands of papers): indices into that table.
    entity_refs: Vec<u32>,
    /// How often the paper mentions each of its entities, in the order of `entities` (a
    /// plain doc) or `entity_refs` (an interned one); in the worker, moved to its array.
    mentions: Vec<u16>,
    /// Texts first numbered by this doc (number, field), for the worker's table.
    new_texts: Vec<(u32, DocField)>,
    /// Entities first numbered by this doc, or names of known ones it adds.
    new_entities: Vec<(u32, DocEntity)>,
    /// Every field's lower-cased text joined, for the whole-document prefilter. Emptied in
    /// the worker once the fields are interned (the memo replaces the prefilter there).
    all_lower: String,
}

/// The parts of a doc that has none.
static NO_PARTS: DocParts = DocParts {
    fields: Vec::new(),
    interned: Vec::new(),
    entities: Vec::new(),
    entity_refs: Vec::new(),
    mentions: Vec::new(),
    new_texts: Vec::new(),
    new_entities: Vec::new(),
    all_lower: String::new(),
};

impl SearchDoc {
    /// The doc's texts, entities and numbers (empty for a doc stored in the worker).
    pub fn parts(&self) -> &DocParts {
        self.parts.as_deref().unwrap_or(&NO_PARTS)
    }

    fn parts_mut(&mut self) -> &mut DocParts {
        self.parts.get_or_insert_default()
    }

    /// What a doc that is not used must still deliver: see `table_only`.
    pub fn into_table_only(self) -> SearchDoc {
        let parts = self.parts.map(|p| *p).unwrap_or_default();
        SearchDoc {
            parts: Some(Box::new(DocParts {
                // The paper's own ids and title are numbered for this doc alone: nothing
                // else points at them, and the merged paper's doc numbers its own.
                new_texts: parts
                    .new_texts
                    .into_iter()
                    .filter(|(_, f)| !intern::unshared(f.kind))
                    .collect(),
                new_entities: parts.new_entities,
                ..DocParts::default()
            })),
            table_only: true,
            ..SearchDoc::default()
        }
    }

    /// The numbers the interner gave the paper's entities, one per entity in the paper's
    /// order (none for a doc built without it): the library links the paper to its
    /// entities by them ([`crate::index::EntityIndex::add_paper_numbered`]).
    pub fn entity_numbers(&self) -> &[u32] {
        &self.parts().entity_refs
    }

    /// Whether the doc carries texts or entities numbered first by it that other docs may
    /// point at (anything but its own ids and title).
    pub fn numbers_new_texts(&self) -> bool {
        let parts = self.parts();
        parts
            .new_texts
            .iter()
            .any(|(_, f)| !intern::unshared(f.kind))
            || !parts.new_entities.is_empty()
    }

    pub fn new(paper: PaperIdx, p: &Paper) -> Self {
        let mut doc = SearchDoc::for_worker(paper, p);
        let parts = doc.parts_mut();
        parts.all_lower = joined_lower(&parts.fields);
        doc
    }

    /// A doc for the [`SearchWorker`] only: without the joined text that matching outside
    /// the worker prefilters on (the worker's memo does that job), so loading builds and
    /// moves less.
    pub fn for_worker(paper: PaperIdx, p: &Paper) -> Self {
        let texts = searchable_texts(p);
        let curated = crate::index::is_curated(p);
        let mut fields = Vec::with_capacity(texts.len());
        for (kind, text) in texts {
            push_field(&mut fields, kind, text);
        }
        SearchDoc {
            parts: Some(Box::new(DocParts {
                fields,
                entities: p
                    .entities
                    .iter()
                    .map(|e| DocEntity::new(e, curated))
                    .collect(),
                mentions: p
                    .entities
                    .iter()
                    .map(|e| mentions_u16(e.mentions))
                    .collect(),
                ..DocParts::default()
            })),
            ..SearchDoc::with_ids(paper, p)
        }
    }

    /// A doc with the paper's year and lower-cased key and ids, and no fields yet.
    fn with_ids(paper: PaperIdx, p: &Paper) -> Self {
        SearchDoc {
            paper,
            year: p.year,
            key: lower(p.key.as_str()).into(),
            pmid: p.ids.pmid.as_deref().map(|s| lower(s).into()),
            doi: p.ids.doi.as_deref().map(|s| lower(s).into()),
            pmcid: p.ids.pmcid.as_deref().map(|s| lower(s).into()),
            ..SearchDoc::default()
        }
    }
}

/// The texts a paper is found by, with the field each is: title, authors, journal, key
/// and ids, entity names and aliases.
fn searchable_texts(p: &Paper) -> Vec<(FieldKind, &str)> {
    let mut texts = own_field_texts(p, 2 * p.entities.len());
    let curated = crate::index::is_curated(p);
    for e in &p.entities {
        texts.push((FieldKind::Entity, e.name.as_str()));
        texts.extend(e.aliases.iter().map(|a| (FieldKind::Entity, a.as_str())));
        texts.extend(database_names(e, curated).map(|n| (FieldKind::Entity, n)));
    }
    texts
}

/// Names of entity `e` a summary (`curated`) gives from a database besides its name and
/// aliases: a species' common name (`human gammaherpesvirus 4 (Epstein Barr virus, no
/// rank)`), kept as its description. A gene's description ("CD274 molecule") is no name.
pub(crate) fn database_names(
    e: &crate::model::PaperEntity,
    curated: bool,
) -> impl Iterator<Item = &str> {
    let species = curated && e.kind == EntityKind::Species;
    e.description
        .as_deref()
        .filter(move |d| species && !d.trim().is_empty())
        .into_iter()
}

/// [`searchable_texts`] without the entity names: title, authors, journal, key and ids,
/// and the names of groups the paper mentions (see
/// [`PaperEntity::named_by_group`](crate::model::PaperEntity::named_by_group)), with room
/// for `more`.
fn own_field_texts(p: &Paper, more: usize) -> Vec<(FieldKind, &str)> {
    let mut texts = Vec::with_capacity(8 + p.authors.len() + more);
    texts.push((FieldKind::Title, p.title.as_str()));
    texts.extend(p.authors.iter().map(|a| (FieldKind::Author, a.as_str())));
    texts.extend(p.journal.as_deref().map(|j| (FieldKind::Journal, j)));
    // The key, unless it is one of the ids below with a prefix (`PMID:123`): a word finds
    // the paper by the id alone, and a second text per paper for nothing was 7 MB per 100k.
    let key = p.key.as_str();
    let key_is_an_id = [
        ("PMID:", &p.ids.pmid),
        ("PMC:", &p.ids.pmcid),
        ("DOI:", &p.ids.doi),
    ]
    .iter()
    .any(|(prefix, id)| id.is_some() && key.strip_prefix(prefix) == id.as_deref());
    if !key_is_an_id {
        texts.push((FieldKind::Id, key));
    }
    texts.extend(
        [&p.ids.pmid, &p.ids.pmcid, &p.ids.doi]
            .into_iter()
            .flatten()
            .map(|id| (FieldKind::Id, id.as_str())),
    );
    // Groups the paper names (`cytokines`) find it, but are no name of their members: the
    // paper keeps every group's text, members it also names itself included.
    let group_names = p.group_names.iter().map(SharedStr::as_str);
    let named_by_group = p.entities.iter().filter(|e| e.named_by_group);
    for name in group_names.chain(named_by_group.map(|e| e.name.as_str())) {
        if !texts.contains(&(FieldKind::Entity, name)) {
            texts.push((FieldKind::Entity, name));
        }
    }
    texts
}

/// Every field's lower-cased text, one per line.
fn joined_lower(fields: &[DocField]) -> String {
    let mut all_lower = String::with_capacity(fields.iter().map(|f| f.lower().len() + 1).sum());
    for f in fields {
        all_lower.push_str(f.lower());
        all_lower.push('\n');
    }
    all_lower
}

/// Adds a field unless its text is blank or already there: papers list an entity's aliases
/// again under every mention. A paper has tens of fields, so a linear scan beats hashing.
fn push_field(fields: &mut Vec<DocField>, kind: FieldKind, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    let folded = fold::fold_cased(text);
    if !fields.iter().any(|f| *f.text == *folded) {
        fields.push(DocField::of_folded(kind, &folded));
    }
}

/// Which ASCII letters and digits a lower-cased text holds, a bit each (the ten digits share
/// six bits). A text lacking one of a pattern's cannot match it in any mode: scoring a new
/// pattern on the library's texts skips most of them without reading them (at a million
/// papers, millions of ids and names scattered over the heap).
pub(crate) fn ascii_mask(lower: &str) -> u32 {
    lower
        .bytes()
        .fold(0, |mask, b| mask | ASCII_BITS[usize::from(b)])
}

/// A text's [`ascii_mask`] and its letters at word starts and alone, found in one pass
/// (upper case as lower; a word is a run of ASCII letters and digits, as
/// [`short_pattern_match`] reads it).
struct TextMasks {
    letters: u32,
    starting_words: u32,
    alone: u32,
}

impl TextMasks {
    fn of(text: &str) -> TextMasks {
        let bytes = text.as_bytes();
        let mut masks = TextMasks {
            letters: 0,
            starting_words: 0,
            alone: 0,
        };
        let mut after_word = false;
        for (i, &b) in bytes.iter().enumerate() {
            let bit = ASCII_BITS[usize::from(b)];
            masks.letters |= bit;
            let in_word = b.is_ascii_alphanumeric();
            if in_word && !after_word && b.is_ascii_alphabetic() {
                masks.starting_words |= bit;
                if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) {
                    masks.alone |= bit;
                }
            }
            after_word = in_word;
        }
        masks
    }
}

/// Each byte's bit in [`ascii_mask`] (upper case as lower), looked up: testing ranges a
/// byte at a time cost more than lower-casing a title.
static ASCII_BITS: [u32; 256] = {
    let mut bits = [0; 256];
    let mut b = 0;
    while b < 256 {
        let lower = (b as u8).to_ascii_lowercase();
        bits[b] = match lower {
            b'a'..=b'z' => 1 << (lower - b'a'),
            b'0'..=b'9' => 1 << (26 + (lower - b'0') % 6),
            _ => 0,
        };
        b += 1;
    }
    bits
};

/// Lower-cased text; ASCII (nearly every field) without the Unicode tables.
fn lower(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

/// The score within [`Tier::Word`] of a paper found by what a bare word also finds
/// ([`Matcher::also_score`]): a short word's as typed.
const ALSO_SCORE: i64 = 64;

/// A paper that matched, with its score (higher is better).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub paper: PaperIdx,
    pub score: i64,
}

/// One text term's raw score per distinct text of the worker's table ([`UNSCORED`] until
/// looked at), shared by the scan threads and kept for the next query.
type Memo = Arc<[AtomicI32]>;

/// What one query term remembers while a query runs, shared by the scan threads.
#[derive(Clone)]
enum TermMemo {
    Text(TextMemo),
    /// Per entity of the worker's table: unknown, [`ENTITY_YES`], [`ENTITY_BY_PREFIX`] or
    /// [`ENTITY_NO`].
    Entity(Arc<[AtomicU8]>),
    /// A term that matches without a table (years, ids, bookmarks).
    Nothing,
}

/// A text term's scores per distinct text and per entity (its best over the entity's
/// names), and the weight of each field kind code for it (0 for kinds it does not look at).
#[derive(Clone)]
struct TextMemo {
    texts: Memo,
    entity_names: Memo,
    weights: [i64; 8],
}

impl TextMemo {
    fn new(term: &TextTerm, kept: &KeptMemo) -> TextMemo {
        let mut weights = [0i64; 8];
        for code in 0..5 {
            let kind = FieldKind::from_code(code);
            if kind.looked_at_by(term) {
                weights[code as usize] = kind.weight();
            }
        }
        TextMemo {
            texts: Arc::clone(&kept.memo),
            entity_names: Arc::clone(&kept.entity_memo),
            weights,
        }
    }
}

/// A memo kept from the last query, with what its scores depend on.
struct KeptMemo {
    mode: TextMode,
    pattern: String,
    case_sensitive: bool,
    /// A bare year's memo ([`TextTerm::is_bare_year`]), whose texts match by other rules.
    bare_year: bool,
    memo: Memo,
    /// The same per entity of the worker's table (its best over the entity's names).
    entity_memo: Memo,
}

/// How many past queries (hits and text memos) the worker keeps to narrow the next.
const KEPT_QUERIES: usize = 8;

impl KeptMemo {
    fn same_scores_as(&self, other: &KeptMemo) -> bool {
        self.mode == other.mode
            && self.case_sensitive == other.case_sensitive
            && self.bare_year == other.bare_year
            && self.pattern == other.pattern
    }

    /// The memo for `term`: the kept one when the term is the same (`pdl1` while typing
    /// `pdl1 nasoph`), a new one that knows which texts cannot match when `term` extends a
    /// kept pattern (a text without `brc` in it has no `brca`), else a new empty one.
    fn for_term(kept: &[KeptMemo], term: &TextTerm, texts: usize, entities: usize) -> KeptMemo {
        let same_scores = |k: &&KeptMemo| {
            k.mode == term.mode
                && k.case_sensitive == term.case_sensitive
                && k.bare_year == term.is_bare_year()
                && k.memo.len() == texts
                && k.entity_memo.len() == entities
        };
        let reused = kept
            .iter()
            .filter(same_scores)
            .find(|k| k.pattern == term.pattern)
            .map(|k| (Arc::clone(&k.memo), Arc::clone(&k.entity_memo)));
        let (memo, entity_memo) = reused.unwrap_or_else(|| {
            let narrows = kept.iter().filter(same_scores).find(|k| {
                matches!(term.mode, TextMode::Fuzzy | TextMode::Exact)
                    && term.pattern.starts_with(k.pattern.as_str())
                    // `pd` (side by side) ruled out texts `pdl` (scattered) may match.
                    && (!query::needs_side_by_side(k.mode, &k.pattern)
                        || query::matches_as_substring(term.mode, &term.pattern))
                    // `alzh` ruled out "lazhe", which `alzhe` matches with a swap; `tumou`
                    // ruled out "tumor", which `tumour` matches respelled.
                    && (!term.forgives_typos()
                        || k.mode == TextMode::Fuzzy
                            && k.pattern.chars().count() >= query::TYPO_MIN_CHARS
                            && query::respellings_extend(&term.pattern, &k.pattern))
                    // `tnfa` (anchored) ruled out "regulation of alcohol", which `tnfal`
                    // matches; an entity's best over its names says no more.
                    && (!query::matches_anchored(k.mode, &k.pattern)
                        || query::matches_anchored(term.mode, &term.pattern))
            });
            // What ruled a text or an entity out for the shorter pattern rules it out for
            // this one (or, see below, leaves it only a typo).
            let narrowed = |memo: &Memo, dead_now: i32| -> Memo {
                memo.iter()
                    .map(|s| {
                        let dead = s.load(Ordering::Relaxed) == NO_MATCH;
                        AtomicI32::new(if dead { dead_now } else { UNSCORED })
                    })
                    .collect()
            };
            let fresh = |n: usize| -> Memo { (0..n).map(|_| AtomicI32::new(UNSCORED)).collect() };
            // A text without `carc`'s letters in order has no `carci` as typed either, but
            // may hold one of its typos (`caric`): `carci` scores only those there. Its
            // first key forgiving typos scored every title of the library afresh. An
            // anchored term (`carc`) rules out as [`NO_MATCH`] only texts without its
            // letters in order ([`LOOSE_ONLY`]).
            let typed_narrows = || {
                kept.iter().filter(same_scores).find(|k| {
                    term.mode == TextMode::Fuzzy
                        && term.forgives_typos()
                        && term.pattern.starts_with(k.pattern.as_str())
                        && !query::needs_side_by_side(k.mode, &k.pattern)
                })
            };
            match narrows {
                Some(k) => (
                    narrowed(&k.memo, NO_MATCH),
                    narrowed(&k.entity_memo, NO_MATCH),
                ),
                None => match typed_narrows() {
                    // An entity's memo is its best over its names, each a text: worked out
                    // again from the texts' memo.
                    Some(k) => (narrowed(&k.memo, TYPO_ONLY), fresh(entities)),
                    None => (fresh(texts), fresh(entities)),
                },
            }
        });
        KeptMemo {
            mode: term.mode,
            pattern: term.pattern.clone(),
            case_sensitive: term.case_sensitive,
            bare_year: term.is_bare_year(),
            memo,
            entity_memo,
        }
    }
}

const ENTITY_YES: u8 = 1;
const ENTITY_NO: u8 = 2;
const ENTITY_BY_PREFIX: u8 = 3;

/// Memo value: not scored yet.
const UNSCORED: i32 = i32::MIN;
/// Memo value: the term does not match this text.
const NO_MATCH: i32 = i32::MIN + 1;
/// Text memo value: not scored yet, and the term as typed does not match this text (a
/// shorter term it extends did not): only its typos may.
const TYPO_ONLY: i32 = i32::MIN + 2;
/// Text memo value: an anchored term ([`query::matches_anchored`]) does not match this text,
/// but its letters are there as a term not anchored would take them, so a longer term may
/// match it as typed (`tnfa` is not anchored in "regulation of alcohol", whose letters in
/// order `tnfal` finds). An anchored term's [`NO_MATCH`] says its letters are not there: no
/// term extending it matches as typed, which [`TYPO_ONLY`] relies on.
const LOOSE_ONLY: i32 = i32::MIN + 3;

/// What matching needs besides the doc: the fuzzy matcher, the bookmarked papers and, in
/// the worker, a memo of each text term's raw score per interned field text.
pub struct Matcher<'a> {
    skim: SkimMatcherV2,
    bookmarks: &'a HashSet<PaperIdx>,
    /// The worker's distinct field texts, which `SearchDoc::interned` points into.
    table: &'a [DocField],
    /// The worker's distinct entities, which `SearchDoc::entity_refs` points into.
    entity_table: &'a [DocEntity],
    /// The worker's field references of all docs, which `SearchDoc::refs_at` points into.
    refs: &'a [u32],
    /// The worker's mentions of each doc's entities, which `RefsAt::mentions` points into.
    mentions: &'a [u16],
    /// The names of each entity of `entity_table`, as text numbers.
    entity_names: &'a EntityNames,
    /// One per query term, in the worker.
    memos: Vec<TermMemo>,
    /// What the library says the query's acronyms stand for ([`Acronyms`]).
    acronyms: &'a Acronyms,
}

impl<'a> Matcher<'a> {
    pub fn new(bookmarks: &'a HashSet<PaperIdx>) -> Self {
        Matcher {
            // Patterns and fields are already lower-cased when the term is not case-sensitive.
            skim: SkimMatcherV2::default()
                .respect_case()
                .element_limit(2 * (FULL_ALIGNMENT_MAX_CHARS + 1)),
            bookmarks,
            table: &[],
            entity_table: &[],
            refs: &[],
            mentions: &[],
            entity_names: &NO_ENTITY_NAMES,
            memos: Vec::new(),
            acronyms: &NO_ACRONYMS,
        }
    }

    /// This matcher taking initials for `acronyms` only where they stand for what the
    /// library says they do.
    fn knowing(mut self, acronyms: &'a Acronyms) -> Self {
        self.acronyms = acronyms;
        self
    }

    /// [`scattered_tier`], initials counted only where they spell out what the library
    /// says the term stands for ([`Acronyms`]).
    fn scattered_tier(&self, term: &TextTerm, hay: &str, long: bool) -> Tier {
        let tier = scattered_tier(term, hay, long);
        match self.acronyms.spelled_out(&term.pattern) {
            Some(spelled) if tier == Tier::Initials && !spells_out(hay, spelled) => {
                let pattern = term.pattern.as_bytes();
                let span = long.then_some(pattern.len() + query::SPAN_SLACK);
                if chunks_in(pattern, hay.as_bytes(), span) {
                    Tier::Chunks
                } else {
                    Tier::Scattered
                }
            }
            _ => tier,
        }
    }

    /// A matcher for docs whose fields are interned in `table`, remembering each text
    /// term's score per distinct text.
    fn with_table(
        bookmarks: &'a HashSet<PaperIdx>,
        table: &'a [DocField],
        entity_table: &'a [DocEntity],
        entity_names: &'a EntityNames,
        (refs, mentions): (&'a [u32], &'a [u16]),
        memos: Vec<TermMemo>,
    ) -> Self {
        let mut m = Matcher::new(bookmarks);
        m.memos = memos;
        m.table = table;
        m.entity_table = entity_table;
        m.entity_names = entity_names;
        m.refs = refs;
        m.mentions = mentions;
        m
    }

    /// The doc's score if it matches every term of `query`: the sum of its terms' scores.
    /// A text term's score is its best field's, its [`Tier`] first ([`weighted`]), so the
    /// sum ranks by the terms' tiers summed (each term matched as a word counts the same,
    /// whichever field: `cell death discovery` puts the paper in that journal, three words,
    /// above a title with "cell" and the letters of the others scattered), then by the
    /// weighted scores summed. Entity, id and year terms add their own small scores, which
    /// order papers within a sum of tiers as they did alone.
    pub fn score(&self, doc: &SearchDoc, query: &Query) -> Option<i64> {
        self.judge(doc, query)
            .filter(|j| j.loose_negated == 0)
            .map(|j| j.score)
    }

    /// [`Matcher::score`], and which fuzzy terms match the doc with their letters
    /// scattered only ([`Tier::Scattered`]): the worker leaves such a doc out when the
    /// term names something in the library ([`Loose`]). A negated term matching so does
    /// not rule the doc out here.
    fn judge(&self, doc: &SearchDoc, query: &Query) -> Option<Judged> {
        let mut judged = Judged {
            score: 0,
            loose: 0,
            loose_negated: 0,
            names: 0,
        };
        for (i, term) in query.terms.iter().enumerate() {
            let entity_term = EntityTerm::of(&term.condition);
            let found = match (&term.condition, self.memos.get(i)) {
                (Condition::Text(t), Some(TermMemo::Text(memo))) => self.text(doc, t, Some(memo)),
                (Condition::Entity { .. }, Some(TermMemo::Entity(memo)))
                    if doc.parts().entities.is_empty()
                        && let Some(entity_term) = &entity_term =>
                {
                    let mentions = self.doc_mentions(doc);
                    self.doc_entity_refs(doc)
                        .iter()
                        .enumerate()
                        .filter_map(|(i, &r)| {
                            let named = self.entity_named(r, memo, entity_term)?;
                            Some(entity_term_score(named, mention_at(mentions, i)))
                        })
                        .max()
                }
                (other, _) => self.condition(doc, other),
            };
            let loose = match (&term.condition, found) {
                (Condition::Text(t), Some(score)) if t.mode == TextMode::Fuzzy && i < 64 => {
                    !names_something(score)
                }
                _ => false,
            };
            match (found, term.negated) {
                (Some(score), false) => {
                    judged.score += score;
                    if i < 64 {
                        judged.loose |= u64::from(loose) << i;
                        judged.names |= u64::from(names_something(score)) << i;
                    }
                }
                (None, true) => {}
                (Some(_), true) if loose => judged.loose_negated |= 1 << i,
                _ => return None,
            }
        }
        Some(judged)
    }

    /// How an entity term names entity `r` of the worker's table, if it does, worked out
    /// once per entity and query (a gene is in thousands of papers).
    fn entity_named(&self, r: u32, memo: &[AtomicU8], term: &EntityTerm) -> Option<Named> {
        let slot = memo.get(r as usize)?;
        match slot.load(Ordering::Relaxed) {
            ENTITY_YES => Some(Named::Fully),
            ENTITY_BY_PREFIX => Some(Named::ByPrefix),
            ENTITY_NO => None,
            _ => {
                let named = self
                    .entity_table
                    .get(r as usize)
                    .and_then(|e| term.names(e));
                let code = match named {
                    Some(Named::Fully) => ENTITY_YES,
                    Some(Named::ByPrefix) => ENTITY_BY_PREFIX,
                    None => ENTITY_NO,
                };
                slot.store(code, Ordering::Relaxed);
                named
            }
        }
    }

    fn condition(&self, doc: &SearchDoc, condition: &Condition) -> Option<i64> {
        match condition {
            Condition::Text(term) => self.text(doc, term, None),
            Condition::Year { from, to } => {
                let y = doc.year?;
                (from.is_none_or(|f| y >= f) && to.is_none_or(|t| y <= t)).then_some(0)
            }
            Condition::Entity { .. } => {
                let term = EntityTerm::of(condition)?;
                self.entity_score(doc, |e| term.names(e))
            }
            Condition::Curie { curie, text } => {
                // A paper's key as tomes shows it reads as a CURIE (`PMC:PMC9`, `file:a.md`;
                // `PMID:` and `DOI:` are id fields): it finds the paper, and while typed,
                // as `key:` does, the papers whose key starts with it.
                let by_key = if *doc.key == **curie {
                    Some(ID_EXACT_SCORE)
                } else {
                    doc.key.starts_with(curie.as_str()).then_some(0)
                };
                let needle = text.as_bytes();
                if by_key.is_some() {
                    by_key
                } else if let Some(score) =
                    self.entity_score(doc, |e| (&e.curie == curie).then_some(Named::Fully))
                {
                    Some(score)
                } else if let Some(refs) = self.doc_refs(doc) {
                    let names = self
                        .doc_entity_refs(doc)
                        .iter()
                        .flat_map(|&e| self.entity_names.get(e as usize));
                    refs.iter()
                        .map(|&packed| packed & TEXT_MASK)
                        .chain(names.copied())
                        .filter_map(|text| self.table.get(text as usize))
                        .any(|f| memchr::memmem::find(f.lower().as_bytes(), needle).is_some())
                        .then_some(0)
                } else {
                    memchr::memmem::find(doc.parts().all_lower.as_bytes(), needle).map(|_| 0)
                }
            }
            Condition::Id { field, value } => {
                // The whole id first, then ids that start with it (`doi:10.1038/` lists one
                // publisher's papers; typing a PMID narrows as it goes).
                let matched = |id: Option<&str>, value: &str| {
                    let id = id?;
                    if id == value {
                        Some(ID_EXACT_SCORE)
                    } else {
                        id.starts_with(value).then_some(0)
                    }
                };
                let doi_value = value.strip_prefix("https://doi.org/").unwrap_or(value);
                let doi = matched(doc.doi.as_deref(), doi_value);
                match field {
                    // Without leading zeros, as the query's PMID is (`pmid:0123` is 123).
                    IdField::Pmid => matched(
                        doc.pmid.as_deref().map(|p| p.trim_start_matches('0')),
                        value,
                    ),
                    IdField::Doi => doi,
                    IdField::Key => [
                        matched(Some(&doc.key), value),
                        matched(doc.pmid.as_deref(), value),
                        matched(doc.pmcid.as_deref(), value),
                        doi,
                    ]
                    .into_iter()
                    .flatten()
                    .max(),
                }
            }
            Condition::Bookmarked => self.bookmarks.contains(&doc.paper).then_some(0),
        }
    }

    /// The best weighted score of a text term over every name the library knows for the
    /// doc's entities, each entity's best worked out once per query.
    fn entity_names_score(&self, doc: &SearchDoc, term: &TextTerm, memo: &TextMemo) -> Option<i64> {
        let mut best = NO_MATCH;
        for &e in self.doc_entity_refs(doc) {
            best = best.max(self.entity_names_raw(e as usize, term, memo));
        }
        (best > NO_MATCH).then(|| weighted(i64::from(best), FieldKind::Entity.weight()))
    }

    /// Whether a fuzzy term names something in the library ([`WorkerState::named_terms`]):
    /// holds it other than with its letters scattered in a text of a field it looks at, or
    /// is an entity's id. `None` when `stale` says a newer query arrived.
    fn names(&self, term: &TextTerm, memo: &TextMemo, stale: &impl Fn() -> bool) -> Option<bool> {
        let by_id = term.entity_id.as_ref().is_some_and(|id| {
            self.entity_table
                .iter()
                .any(|e| e.local_id.as_ref() == Some(id))
        });
        if by_id {
            return Some(true);
        }
        for (n, field) in self.table.iter().enumerate() {
            if n % TABLE_ROWS_PER_CANCEL_CHECK == 0 && stale() {
                return None;
            }
            let weight = memo.weights[field.kind.code() as usize];
            if weight != 0 {
                let score = self.text_score(n, term, &memo.texts);
                if score != NO_MATCH && names_something(weighted(i64::from(score), weight)) {
                    return Some(true);
                }
            }
        }
        Some(false)
    }

    /// Works out every text term's score on the texts numbered `texts`.
    fn score_texts(&self, query: &Query, texts: std::ops::Range<usize>) {
        for (term, memo) in query.terms.iter().zip(&self.memos) {
            if let (Condition::Text(t), TermMemo::Text(memo)) = (&term.condition, memo) {
                for text in texts.clone() {
                    // Texts of fields the term does not look at (`title:` and an author) are
                    // left to the scan, which scores them if a doc uses them as such.
                    let kind = self.table.get(text).map_or(0, |f| f.kind.code());
                    if memo.weights[kind as usize] != 0 {
                        self.text_score(text, t, &memo.texts);
                    }
                }
            }
        }
    }

    /// Works out what every term says about the entities in `entities`: a text term's
    /// score on their names, whether an entity term names them.
    fn score_entities(&self, query: &Query, entities: std::ops::Range<usize>) {
        for (term, memo) in query.terms.iter().zip(&self.memos) {
            match (&term.condition, memo) {
                (Condition::Text(t), TermMemo::Text(memo)) if FieldKind::Entity.looked_at_by(t) => {
                    for e in entities.clone() {
                        self.entity_names_raw(e, t, memo);
                    }
                }
                (condition @ Condition::Entity { .. }, TermMemo::Entity(memo)) => {
                    if let Some(term) = EntityTerm::of(condition) {
                        for e in entities.clone() {
                            self.entity_named(e as u32, memo, &term);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A text term's best raw score over the names of entity `e`, from the memo or worked
    /// out into it ([`NO_MATCH`] when none matches).
    fn entity_names_raw(&self, e: usize, term: &TextTerm, memo: &TextMemo) -> i32 {
        memoized(&memo.entity_names, e, || {
            self.entity_names
                .get(e)
                .iter()
                .map(|&t| self.text_score(t as usize, term, &memo.texts))
                .max()
                .unwrap_or(NO_MATCH)
        })
    }

    /// A text term's raw score on table text `text`, from the memo or worked out into it
    /// ([`NO_MATCH`] when it does not match).
    fn text_score(&self, text: usize, term: &TextTerm, memo: &[AtomicI32]) -> i32 {
        let Some(slot) = memo.get(text) else {
            return NO_MATCH;
        };
        // Relaxed, as in `memoized`.
        let value = slot.load(Ordering::Relaxed);
        match value {
            UNSCORED | TYPO_ONLY => {}
            LOOSE_ONLY => return NO_MATCH,
            _ => return value,
        }
        let typed_may_match = value != TYPO_ONLY;
        let matched = match self.table.get(text) {
            Some(f) if term.is_bare_year() => FieldMatch::of(year_in_text(f, term)),
            Some(f) if query::matches_anchored(term.mode, &term.pattern) => {
                self.anchored_match(f, term)
            }
            Some(f) => FieldMatch::of(self.tiered_score(f, term, typed_may_match)),
            None => FieldMatch::Nothing,
        };
        let stored = match matched {
            FieldMatch::Scored(tier, score) => {
                i32::try_from(pack_tier(tier, score)).unwrap_or(i32::MAX)
            }
            FieldMatch::LettersInOrder => LOOSE_ONLY,
            FieldMatch::Nothing => NO_MATCH,
        };
        slot.store(stored, Ordering::Relaxed);
        match stored {
            LOOSE_ONLY => NO_MATCH,
            score => score,
        }
    }

    /// The doc's references into the table of distinct texts, `None` for a doc matched on
    /// its own fields.
    fn doc_refs<'d>(&'d self, doc: &'d SearchDoc) -> Option<&'d [u32]> {
        match doc.refs_at {
            Some(at) => self
                .refs
                .get(at.start as usize..at.start as usize + at.texts as usize),
            None => {
                let interned = &doc.parts().interned;
                (!interned.is_empty()).then_some(interned.as_slice())
            }
        }
    }

    /// The doc's references into the table of distinct entities.
    fn doc_entity_refs<'d>(&'d self, doc: &'d SearchDoc) -> &'d [u32] {
        match doc.refs_at {
            Some(at) => {
                let from = at.start as usize + at.texts as usize;
                self.refs
                    .get(from..from + at.entities as usize)
                    .unwrap_or(&[])
            }
            None => &doc.parts().entity_refs,
        }
    }

    /// How often the paper mentions each entity of [`Self::doc_entities`], in that order.
    fn doc_mentions<'d>(&'d self, doc: &'d SearchDoc) -> &'d [u16] {
        match doc.refs_at {
            Some(at) => {
                let from = at.mentions as usize;
                self.mentions
                    .get(from..from + at.entities as usize)
                    .unwrap_or(&[])
            }
            None => &doc.parts().mentions,
        }
    }

    /// The score an entity term gives a doc: its best [`entity_term_score`] over the doc's
    /// entities `names` says the term names, or `None` when it names none of them.
    fn entity_score(
        &self,
        doc: &SearchDoc,
        names: impl Fn(&DocEntity) -> Option<Named>,
    ) -> Option<i64> {
        let mentions = self.doc_mentions(doc);
        let own = doc.parts().entities.iter();
        let referenced = self
            .doc_entity_refs(doc)
            .iter()
            .map(|&e| self.entity_table.get(e as usize));
        own.map(Some)
            .chain(referenced)
            .enumerate()
            .filter_map(|(i, e)| {
                let named = names(e?)?;
                Some(entity_term_score(named, mention_at(mentions, i)))
            })
            .max()
    }

    /// The doc's entities, its own or (in the worker) those its refs point at.
    fn doc_entities<'d>(&'d self, doc: &'d SearchDoc) -> impl Iterator<Item = &'d DocEntity> {
        doc.parts().entities.iter().chain(
            self.doc_entity_refs(doc)
                .iter()
                .filter_map(|&e| self.entity_table.get(e as usize)),
        )
    }

    /// Best weighted score over the fields the term looks at.
    fn text(&self, doc: &SearchDoc, term: &TextTerm, memo: Option<&TextMemo>) -> Option<i64> {
        let by_text = self.text_only(doc, term, memo);
        // A bare id (`rs771966860`) also finds the entity with that local id, scored like an
        // exact entity-field match.
        let by_id = term.entity_id.as_ref().and_then(|id| {
            self.doc_entities(doc)
                .any(|e| e.local_id.as_ref() == Some(id))
                .then(|| {
                    let score = pack_tier(Tier::Word, id.chars().count() as i64 * 20 + 16);
                    weighted(score, FieldKind::Entity.weight())
                })
        });
        let by_also = term
            .also
            .as_ref()
            .and_then(|also| self.also_score(doc, also));
        by_text.max(by_id).max(by_also)
    }

    /// The score a bare word gives a paper by what it also finds ([`AlsoFinds`]): as a
    /// word found whole in a light field, so the paper holding the word itself in a
    /// heavier one ranks first.
    fn also_score(&self, doc: &SearchDoc, also: &AlsoFinds) -> Option<i64> {
        let found = match also {
            AlsoFinds::Year(year) => doc.year == Some(*year),
            AlsoFinds::Initials { surname, initials } => {
                let own = doc
                    .parts()
                    .fields
                    .iter()
                    .filter(|f| f.kind == FieldKind::Author);
                let interned = self
                    .doc_refs(doc)
                    .unwrap_or(&[])
                    .iter()
                    .filter(|&&packed| packed >> KIND_SHIFT == FieldKind::Author.code())
                    .filter_map(|&packed| self.table.get((packed & TEXT_MASK) as usize));
                own.chain(interned)
                    .any(|f| query::initials_name(&f.text, surname, initials))
            }
            AlsoFinds::EntityOfKind(kinds) => {
                self.doc_entities(doc).any(|e| kinds.contains(&e.kind))
            }
        };
        found.then(|| {
            weighted(
                pack_tier(Tier::Word, ALSO_SCORE),
                FieldKind::Journal.weight(),
            )
        })
    }

    /// [`Matcher::text`] on the doc's text fields alone.
    fn text_only(&self, doc: &SearchDoc, term: &TextTerm, memo: Option<&TextMemo>) -> Option<i64> {
        if let Some(memo) = memo
            && let Some(refs) = self.doc_refs(doc)
        {
            let own = self.text_interned(refs, term, memo);
            let united = FieldKind::Entity
                .looked_at_by(term)
                .then(|| self.entity_names_score(doc, term, memo))
                .flatten();
            return own.max(united);
        }
        let prefilter = term.lower_pattern.as_bytes();
        let all_lower = doc.parts().all_lower.as_str();
        let doc_level = match term.mode {
            // A case-sensitive term's swapped forms are not lower-case: its fields decide.
            TextMode::Fuzzy => {
                // With a stem, its letters (which the whole term's include) decide.
                let needle = term
                    .stem
                    .as_ref()
                    .map_or(prefilter, |s| &prefilter[..s.len()]);
                is_subsequence(needle, all_lower.as_bytes())
                    || (term.forgives_typos()
                        && (term.case_sensitive || typo_word_in(term, all_lower).is_some()))
            }
            _ => memchr::memmem::find(doc.parts().all_lower.as_bytes(), prefilter).is_some(),
        };
        if !doc_level {
            return None;
        }
        doc.parts()
            .fields
            .iter()
            .filter(|f| f.kind.looked_at_by(term))
            .filter_map(|f| Some(weighted(self.raw_score(f, term)?, f.kind.weight())))
            .max()
    }

    /// [`Matcher::text`] for a doc whose fields are interned, scoring each text once.
    fn text_interned(&self, refs: &[u32], term: &TextTerm, memo: &TextMemo) -> Option<i64> {
        let mut best = i64::MIN;
        for &packed in refs {
            let weight = memo.weights[(packed >> KIND_SHIFT) as usize & 7];
            if weight == 0 {
                continue;
            }
            let score = self.text_score((packed & TEXT_MASK) as usize, term, &memo.texts);
            if score != NO_MATCH {
                best = best.max(weighted(i64::from(score), weight));
            }
        }
        (best != i64::MIN).then_some(best)
    }

    /// skim's score for `pattern` as it stands in `hay` at byte `at`, side by side, with the
    /// character before it (which decides a word-start bonus). In a long text skim aligns
    /// greedily and may take the letters from earlier words: "the dual EGFR" scored `egfr`
    /// as e…g…f…r from "effect of the dual", below an entity named EGFR.
    fn side_by_side_score(&self, hay: &str, at: usize, pattern: &str) -> Option<i64> {
        let from = hay[..at].char_indices().next_back().map_or(at, |(i, _)| i);
        self.skim
            .fuzzy_match(&hay[from..at + pattern.len()], pattern)
    }

    /// A text term's unweighted score on one field, its [`Tier`] packed in
    /// ([`pack_tier`]), `None` when it does not match.
    fn raw_score(&self, f: &DocField, term: &TextTerm) -> Option<i64> {
        self.tiered_score(f, term, true)
            .map(|(tier, score)| pack_tier(tier, score))
    }

    /// How a text term matches one field and its score within that tier, `None` when it
    /// does not match. Unless `typed_may_match`, the field is known not to hold a fuzzy
    /// term as typed (see [`TYPO_ONLY`]) and only its typos are looked for.
    fn tiered_score(
        &self,
        f: &DocField,
        term: &TextTerm,
        typed_may_match: bool,
    ) -> Option<(Tier, i64)> {
        if term.mask & !f.mask != 0 {
            // A letter or digit of the term is not in the field: no need to read it.
            return None;
        }
        if term.is_bare_year() {
            return year_in_text(f, term);
        }
        let pattern = term.pattern.as_str();
        if term.mode == TextMode::Letter {
            // Case tells a letter's name from a word part: `TNFalpha`, not "ANUS".
            let at = greek_letter_at(f.text.as_bytes(), pattern.as_bytes(), term.case_sensitive)?;
            return Some((Tier::Word, as_written_score(&f.text, at, pattern)));
        }
        let hay = if term.case_sensitive {
            &f.text
        } else {
            f.lower()
        };
        if term.mode == TextMode::Fuzzy {
            if query::matches_as_substring(term.mode, pattern) {
                if !term.case_sensitive
                    && let Some(matched) = f.one_letter_match(pattern.as_bytes())
                {
                    return matched;
                }
                if let Some(matched) =
                    letter_pair_match(&term.finders.pattern, pattern.as_bytes(), hay.as_bytes())
                {
                    return matched;
                }
                return short_pattern_match(pattern.as_bytes(), hay.as_bytes());
            }
            if query::matches_anchored(term.mode, pattern) {
                return self.anchored_match(f, term).scored();
            }
            let whole_bonus = CONTIGUOUS_BONUS_PER_CHAR * pattern.chars().count() as i64;
            if is_long_title(f.kind, hay) {
                // A long title: its best place within the span, scored without skim.
                let typed = typed_may_match
                    .then(|| window_match(pattern.as_bytes(), hay.as_bytes()))
                    .flatten();
                // The stem as a word (`huntingtons` in "Huntington disease"), as the word
                // as typed: the possessive's `s` is optional.
                let stem = typed_may_match.then(|| stem_match(term, hay)).flatten();
                if let Some(m) = typed
                    && m.as_typed
                {
                    return Some(m.tiered(whole_bonus)).max(stem);
                }
                let typed = typed.map(|m| (self.scattered_tier(term, hay, true), m.score));
                let swapped = typo_word_in(term, hay).and_then(|(v, _)| {
                    let score = window_score(v.as_bytes(), hay.as_bytes())?;
                    Some((Tier::Typo, score + whole_bonus - TYPO_PENALTY))
                });
                return typed.max(swapped).max(stem);
            }
            // Other fields (names, authors, journals): letters in order, for a term of five
            // characters or more only within the span or anchored
            // ([`query::matches_within_span`]); initials included (`pnas` for the
            // Proceedings of the National Academy of Sciences).
            let typed = if typed_may_match
                && is_subsequence(pattern.as_bytes(), hay.as_bytes())
                && (!query::matches_within_span(term.mode, pattern)
                    || close_or_anchored(pattern.as_bytes(), hay.as_bytes()))
            {
                self.in_order_score(hay, term)
            } else {
                None
            };
            // A swap of neighbouring letters side by side (`alzhiemer` in "Alzheimer")
            // beats the letters as typed scattered, and loses to them as typed, side by
            // side or across punctuation.
            let swapped = typo_word_in(term, hay).and_then(|(v, at)| {
                let score = match hay.get(at.clone()) {
                    Some(word) if at.len() > v.len() => self.skim.fuzzy_match(word, v),
                    _ => self.side_by_side_score(hay, at.start, v),
                }?;
                Some((Tier::Typo, score + whole_bonus - TYPO_PENALTY))
            });
            let stem = typed_may_match.then(|| stem_match(term, hay)).flatten();
            return typed.max(swapped).max(stem);
        }
        let at = match term.mode {
            TextMode::Exact => find_preferring_word_start(&term.finders.pattern, hay),
            TextMode::Prefix => starts_with_word(hay, pattern),
            TextMode::Suffix => ends_with_word(hay, pattern),
            _ => whole_text_is(hay, pattern).then_some(0),
        }?;
        Some((
            tier_as_typed(hay, at..at + pattern.len()),
            as_written_score(hay, at, pattern),
        ))
    }

    /// A fuzzy term's score on `hay`, a field not a long title holding its letters in
    /// order: the word as typed, side by side or across punctuation, else skim's score.
    fn in_order_score(&self, hay: &str, term: &TextTerm) -> Option<(Tier, i64)> {
        let pattern = term.pattern.as_str();
        let whole_bonus = CONTIGUOUS_BONUS_PER_CHAR * pattern.chars().count() as i64;
        let score = self.skim.fuzzy_match(hay, pattern);
        // The word as typed beats its letters scattered: for `cd274`, an entity named CD274
        // over a title with "C and+2740" in it.
        if let Some(at) = find_preferring_word_start(&term.finders.pattern, hay) {
            let score = score.max(self.side_by_side_score(hay, at, pattern))?;
            return Some((
                tier_as_typed(hay, at..at + pattern.len()),
                score + whole_bonus,
            ));
        }
        if let Some(at) = find_across_punctuation(pattern.as_bytes(), hay.as_bytes())
            && let Some(word) = hay.get(at.clone())
        {
            let score = score.max(self.skim.fuzzy_match(word, pattern))?;
            return Some((tier_as_typed(hay, at), score + whole_bonus));
        }
        score.map(|s| (self.scattered_tier(term, hay, false), s))
    }

    /// How an anchored term ([`query::matches_anchored`]) matches one field, scored as a
    /// term not anchored would be where it does.
    fn anchored_match(&self, f: &DocField, term: &TextTerm) -> FieldMatch {
        if term.mask & !f.mask != 0 {
            return FieldMatch::Nothing;
        }
        let hay = if term.case_sensitive {
            &f.text
        } else {
            f.lower()
        };
        let pattern = term.pattern.as_bytes();
        if is_long_title(f.kind, hay) {
            let (place, in_order) = anchored_window_match(pattern, hay.as_bytes());
            return match place {
                Some(m) if m.as_typed => {
                    let whole_bonus = CONTIGUOUS_BONUS_PER_CHAR * pattern.len() as i64;
                    let (tier, score) = m.tiered(whole_bonus);
                    FieldMatch::Scored(tier, score)
                }
                Some(m) => FieldMatch::Scored(self.scattered_tier(term, hay, true), m.score),
                None if in_order => FieldMatch::LettersInOrder,
                None => FieldMatch::Nothing,
            };
        }
        if !is_subsequence(pattern, hay.as_bytes()) {
            return FieldMatch::Nothing;
        }
        if !anchored_in(pattern, hay.as_bytes()) {
            return FieldMatch::LettersInOrder;
        }
        FieldMatch::of(self.in_order_score(hay, term))
    }
}

/// A doc's score for a query ([`Matcher::judge`]), and a bit per fuzzy term (the first 64)
/// that matches it only in a tier that names nothing ([`names_something`]): `loose` for a
/// term, `loose_negated` for a negated one (which rules the doc out only if the term names
/// nothing in the library).
#[derive(Clone, Copy, Debug)]
struct Judged {
    score: i64,
    loose: u64,
    loose_negated: u64,
    /// A bit per term that matches the doc in a tier that names something
    /// ([`names_something`]).
    names: u64,
}

/// Whether a text term's weighted score ([`weighted`]) is in a tier that names something
/// in the library: the term as typed, a typo's word or initials, not its letters apart.
fn names_something(weighted: i64) -> bool {
    (weighted + TIER_SCORE / 2).div_euclid(TIER_SCORE) >= Tier::Initials as i64
}

/// A hit's [`Judged::loose`], [`Judged::loose_negated`] and [`Judged::names`].
type Loose = (u64, u64, u64);

/// A hit with its [`Loose`] bits, before the worker leaves out what they say.
type JudgedHit = (Hit, Loose);

/// How a text term matches a field, for the memo ([`Matcher::text_score`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldMatch {
    Scored(Tier, i64),
    /// An anchored term that does not match, whose letters are there in order (see
    /// [`LOOSE_ONLY`]).
    LettersInOrder,
    Nothing,
}

impl FieldMatch {
    fn of(scored: Option<(Tier, i64)>) -> FieldMatch {
        scored.map_or(FieldMatch::Nothing, |(tier, score)| {
            FieldMatch::Scored(tier, score)
        })
    }

    fn scored(self) -> Option<(Tier, i64)> {
        match self {
            FieldMatch::Scored(tier, score) => Some((tier, score)),
            _ => None,
        }
    }
}

/// How a text term matches a field, worst first. A user test found letters scattered in a
/// heavily weighted field ranked above the word itself in another: `zhu` put titles with
/// "Zhoushan" and "immortalized human" above the paper by an author named Zhu, `egfr` titles
/// with "VEGFR2" above papers annotated with the EGFR gene. So a term's tier outranks any
/// field's weight; within a tier the score times the weight decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    /// The term's letters in order, apart, the first inside a word. This tier and the
    /// next are chance once the library holds the term in a tier above them: the term then
    /// finds only the papers that do ([`WorkerState::named_terms`]).
    Scattered = 0,
    /// The term's letters apart, the first starting a word and each other in the word of
    /// the one before it or starting a word ([`chunks_in`]): a word with letters left out
    /// (`hypertnsion`), or a few words' starts (`brcan` in "breast cancer").
    Chunks = 1,
    /// The term's letters as the initials of words one after another ([`initials_in`]):
    /// `ebv` in "Epstein-Barr virus". A user test found "Ebola" (e-b side by side, then
    /// the v of "virus") ranked above papers naming Epstein-Barr virus for `ebv`.
    Initials = 2,
    /// A typo's word ([`TextTerm::typo_variants`]): a guess at what was meant, below
    /// anything as typed.
    Typo = 3,
    /// The term as typed inside a longer word (`egfr` in "VEGFR2").
    InsideWord = 4,
    /// The term as typed starting a longer word (`cd27` in "CD274", `asthma` in
    /// "asthmatic").
    WordStart = 5,
    /// The term as typed as a whole word: a word of a title, a whole entity name or id, an
    /// author's surname, a Greek letter standing as one. A user test found `cd27` ranking
    /// the one paper about CD27 fourth, level with papers that named CD274 and CD279.
    Word = 6,
}

/// What a tier adds to a text term's weighted score: more than any term's score within a
/// tier, weighted, summed over the terms of a query ([`MAX_SCORE_IN_TIER`] times the
/// greatest weight times 2^12 terms).
const TIER_SCORE: i64 = 1 << 40;

/// How far a score within a tier goes either way in a packed raw score ([`pack_tier`]);
/// real scores are a few thousand at most.
const MAX_SCORE_IN_TIER: i64 = 1 << 24;

/// A raw score with its tier packed in, as the memo of raw scores keeps it (an `i32`):
/// ordered by tier, then by score, and clear of [`UNSCORED`] and [`NO_MATCH`].
fn pack_tier(tier: Tier, score: i64) -> i64 {
    let score = score.clamp(-MAX_SCORE_IN_TIER + 1, MAX_SCORE_IN_TIER - 1);
    tier as i64 * 2 * MAX_SCORE_IN_TIER + score
}

/// A packed raw score ([`pack_tier`]) as a term's score on a field of `weight`: the tier
/// first, then the score times the weight.
fn weighted(packed: i64, weight: i64) -> i64 {
    let tier = (packed + MAX_SCORE_IN_TIER).div_euclid(2 * MAX_SCORE_IN_TIER);
    let score = packed - tier * 2 * MAX_SCORE_IN_TIER;
    tier * TIER_SCORE + score * weight
}

/// How a bare year ([`TextTerm::is_bare_year`]) matches a field: as a number of its own
/// in a text (`2019-nCoV`, `by 2020:`), as an id only whole. A user test found `2019`
/// listing papers whose PMIDs hold those digits (20195852), and letters in order found
/// `2005` in "200-500 CD4 cells".
fn year_in_text(f: &DocField, term: &TextTerm) -> Option<(Tier, i64)> {
    let hay = f.lower();
    let pattern = term.pattern.as_str();
    if f.kind == FieldKind::Id {
        return whole_text_is(hay, pattern)
            .then(|| (Tier::Word, as_written_score(hay, 0, pattern)));
    }
    let bytes = hay.as_bytes();
    let digit_at = |i: Option<usize>| i.and_then(|i| bytes.get(i)).is_some_and(u8::is_ascii_digit);
    memchr::memmem::find_iter(bytes, pattern.as_bytes())
        .find(|&at| !digit_at(at.checked_sub(1)) && !digit_at(Some(at + pattern.len())))
        .map(|at| {
            (
                tier_as_typed(hay, at..at + pattern.len()),
                as_written_score(hay, at, pattern),
            )
        })
}

/// The tier of a term found as typed in `hay` at the bytes `at`.
fn tier_as_typed(hay: &str, at: std::ops::Range<usize>) -> Tier {
    let hay = hay.as_bytes();
    match (starts_word(hay, at.start), ends_word(hay, at.end)) {
        (true, true) => Tier::Word,
        (true, false) => Tier::WordStart,
        (false, _) => Tier::InsideWord,
    }
}

/// The tier of a fuzzy term whose letters `hay` holds apart (within the span in a `long`
/// title), from the best: the word as typed with spaces where it was typed with hyphens
/// (`epstein-barr` in "Epstein Barr virus"); [`Tier::Initials`], also where a Greek
/// letter's name stands for its first letter (`tgfb1` in "TGF-beta1", `nfkb` in
/// "NF-kappaB"); [`Tier::Chunks`]; else [`Tier::Scattered`].
fn scattered_tier(term: &TextTerm, hay: &str, long: bool) -> Tier {
    let pattern = term.pattern.as_bytes();
    let span = long.then_some(pattern.len() + query::SPAN_SLACK);
    if term.hyphenated.is_some()
        && let Some(at) = find_across_gaps(pattern, hay.as_bytes())
    {
        tier_as_typed(hay, at)
    } else if initials_in(pattern, hay.as_bytes(), span)
        || greek_as_initials(hay.as_bytes())
            .is_some_and(|hay| find_across_punctuation(pattern, &hay).is_some())
    {
        Tier::Initials
    } else if chunks_in(pattern, hay.as_bytes(), span) {
        Tier::Chunks
    } else {
        Tier::Scattered
    }
}

/// What the library says short terms stand for, so that initials spelling out something
/// else are not taken for them: a user test found `hiv` listing ten influenza papers, by
/// the initials of "human influenza virus", an alias of Influenza A virus. An entity named
/// by the term (HIV-1, named `HIV`) whose other names have the term's initials ("human
/// immunodeficiency virus type 1") says what the term stands for: initials elsewhere count
/// as initials only where they spell out one of those names' words ("human
/// immunodeficiency virus"). A term no entity is named by keeps every initials match
/// (`ebv` in "Epstein-Barr virus" when no paper names an entity EBV).
#[derive(Debug, Default)]
struct Acronyms {
    /// Per term pattern looked up: the words each of its initials spell out, each as
    /// [`words_of`] gives them (empty: the library says nothing).
    known: Vec<(String, Vec<String>)>,
}

/// Terms an acronym may be: what [`Acronyms`] looks up.
fn may_be_acronym(pattern: &str) -> bool {
    (2..=8).contains(&pattern.len()) && pattern.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Acronyms {
    /// The words `pattern`'s initials spell out, if the library says.
    fn spelled_out(&self, pattern: &str) -> Option<&[String]> {
        self.known
            .iter()
            .find(|(p, _)| p == pattern)
            .map(|(_, spelled)| spelled.as_slice())
            .filter(|spelled| !spelled.is_empty())
    }

    /// Looks `pattern` up in the library, once: the names of the entities named by it.
    /// `numbers` are the texts that are the pattern, `entity_names` and `table` the
    /// worker's.
    fn learn(
        &mut self,
        pattern: &str,
        numbers: &[u32],
        entity_names: &EntityNames,
        table: &[DocField],
    ) {
        if self.known.iter().any(|(p, _)| p == pattern) {
            return;
        }
        let mut spelled = Vec::new();
        if !numbers.is_empty() {
            let mut entity = 0;
            for (at, text) in entity_names.texts.iter().enumerate() {
                if !numbers.contains(text) {
                    continue;
                }
                // The entity whose run holds `at` (runs are in order).
                while entity_names
                    .at
                    .get(entity)
                    .is_some_and(|&(start, len)| (start + len) as usize <= at)
                {
                    entity += 1;
                }
                for &name in entity_names.get(entity) {
                    let Some(f) = table.get(name as usize) else {
                        continue;
                    };
                    if let Some(words) = initials_spelled(pattern, f.lower()) {
                        spelled.push(words);
                    }
                }
            }
            spelled.sort_unstable();
            spelled.dedup();
        }
        self.known.push((pattern.to_owned(), spelled));
    }
}

static NO_ACRONYMS: Acronyms = Acronyms { known: Vec::new() };

/// `text` as lower-case words, one space between them and one at each end: what
/// [`spells_out`] compares, whatever punctuation stood between the words.
fn words_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.extend(word.chars().flat_map(char::to_lowercase));
        out.push(' ');
    }
    out
}

/// The fewest words of `name` (lower-cased) whose initials are `pattern`'s, as
/// [`words_of`] gives them: "human immunodeficiency virus" of "human immunodeficiency
/// virus type 1" for `hiv`. `None` when its initials are not the pattern's.
fn initials_spelled(pattern: &str, name: &str) -> Option<String> {
    let pattern = pattern.to_ascii_lowercase();
    let pattern = pattern.as_bytes();
    if name.len() <= pattern.len() || !initials_in(pattern, name.as_bytes(), None) {
        return None;
    }
    let all = words_of(name);
    let words: Vec<&str> = all.split_whitespace().collect();
    // Windows of words, fewest words first.
    (2..=words.len())
        .flat_map(|n| words.windows(n))
        .map(|window| window.join(" "))
        .find(|window| initials_in(pattern, window.as_bytes(), None))
        .map(|window| format!(" {window} "))
}

/// Whether `hay` holds one of the `spelled` words ([`Acronyms`]).
fn spells_out(hay: &str, spelled: &[String]) -> bool {
    let words = words_of(hay);
    spelled.iter().any(|s| words.contains(s.as_str()))
}

/// Where `hay` holds `pattern` with only spaces or punctuation between its characters.
fn find_across_gaps(pattern: &[u8], hay: &[u8]) -> Option<std::ops::Range<usize>> {
    let (&first, rest) = pattern.split_first()?;
    memchr::memchr_iter(first, hay).find_map(|start| {
        let mut at = start;
        for &b in rest {
            let mut next = at + 1;
            while *hay.get(next)? != b {
                if !(hay[next].is_ascii_punctuation() || hay[next].is_ascii_whitespace()) {
                    return None;
                }
                next += 1;
            }
            at = next;
        }
        Some(start..at + 1)
    })
}

/// The Greek letters' names of four letters or more, which a word written with one may
/// stand for by its first letter ([`greek_as_initials`]).
const GREEK_NAMES_ABBREVIATED: [&[u8]; 13] = [
    b"alpha", b"beta", b"gamma", b"delta", b"epsilon", b"theta", b"iota", b"kappa", b"lambda",
    b"omicron", b"sigma", b"upsilon", b"omega",
];

/// `hay` with each Greek letter's name of [`GREEK_NAMES_ABBREVIATED`] cut to its first
/// letter ("tgf-beta1" -> "tgf-b1"), `None` when it holds none.
fn greek_as_initials(hay: &[u8]) -> Option<Vec<u8>> {
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            GREEK_NAMES_ABBREVIATED
                .iter()
                .map(memchr::memmem::Finder::new)
                .collect()
        });
    if !FINDERS.iter().any(|f| f.find(hay).is_some()) {
        return None;
    }
    let mut out = Vec::with_capacity(hay.len());
    let mut at = 0;
    while at < hay.len() {
        if let Some(name) = GREEK_NAMES_ABBREVIATED
            .iter()
            .find(|name| hay[at..].starts_with(name))
        {
            out.push(name[0]);
            at += name.len();
        } else {
            out.push(hay[at]);
            at += 1;
        }
    }
    Some(out)
}

/// Whether `hay` holds `pattern` from a word's start, each later character in the word of
/// the one before it or starting a word ([`word_bound_from`]; within `span` bytes, when
/// given). An anchored term's places all do.
fn chunks_in(pattern: &[u8], hay: &[u8], span: Option<usize>) -> bool {
    let Some(&first) = pattern.first() else {
        return false;
    };
    memchr::memchr_iter(first, hay)
        .filter(|&start| starts_word(hay, start))
        .any(|start| {
            let end = span.map_or(hay.len(), |span| hay.len().min(start + span));
            pattern.len() == 1 || word_bound_from(pattern, hay, start, end)
        })
}

/// Words that stand between the words an abbreviation is made of ("New England Journal of
/// Medicine") and give it no letter: `hiv` is not "heart in vivo".
const NO_INITIAL_WORDS: [&[u8]; 16] = [
    b"an", b"and", b"as", b"at", b"by", b"for", b"from", b"in", b"into", b"is", b"of", b"on",
    b"or", b"the", b"to", b"with",
];

/// Whether the letters and digits of `pattern` (its punctuation aside: `tnf-a`) are the
/// first characters of words of `hay` one after another, two letters at least (`ebv` in
/// "Epstein-Barr virus", `nejm` in "New England Journal of Medicine", `tnfa` in "tumor
/// necrosis factor alpha"): words of up to [`query::SHORT_WORD_CHARS`] characters may be
/// passed over, and [`NO_INITIAL_WORDS`] give no letter. Within `span` bytes from the first
/// letter to the last, when given. Words are runs of ASCII letters and digits and of
/// bytes not ASCII, as for [`starts_word`].
fn initials_in(pattern: &[u8], hay: &[u8], span: Option<usize>) -> bool {
    let plain = |b: &u8| b.is_ascii_alphanumeric() || b.is_ascii_punctuation();
    if pattern.iter().filter(|b| b.is_ascii_alphanumeric()).count() < 2
        || !pattern.iter().all(plain)
    {
        return false;
    }
    let is_word_byte = |b: &u8| !b.is_ascii() || b.is_ascii_alphanumeric();
    // The word from byte `at` on: its start and end.
    let next_word = |at: usize| -> Option<(usize, usize)> {
        let start = at + hay.get(at..)?.iter().position(is_word_byte)?;
        let len = hay[start..].iter().take_while(|b| is_word_byte(b)).count();
        Some((start, start + len))
    };
    // Whether the letters `rest` are initials of words from byte `at` on; `last` is where
    // the last one stands.
    fn rest(
        letters: &mut dyn Iterator<Item = u8>,
        hay: &[u8],
        at: usize,
        next_word: &dyn Fn(usize) -> Option<(usize, usize)>,
        last: &mut usize,
    ) -> bool {
        let Some(first) = letters.next() else {
            return true;
        };
        let mut at = at;
        while let Some((start, end)) = next_word(at) {
            let word = &hay[start..end];
            let no_initial = NO_INITIAL_WORDS.contains(&word);
            if !no_initial && word[0] == first {
                *last = start;
                // Initials take the first word that fits: a word passed over gives none.
                return rest(letters, hay, end, next_word, last);
            }
            if !no_initial && word.len() > query::SHORT_WORD_CHARS {
                return false;
            }
            at = end;
        }
        false
    }
    let mut letters = pattern.iter().copied().filter(u8::is_ascii_alphanumeric);
    let Some(first) = letters.next() else {
        return false;
    };
    let mut at = 0;
    while let Some((start, end)) = next_word(at) {
        let word = &hay[start..end];
        if word[0] == first && !NO_INITIAL_WORDS.contains(&word) {
            let mut last = start;
            if rest(&mut letters.clone(), hay, end, &next_word, &mut last)
                && span.is_none_or(|span| last - start < span)
            {
                return true;
            }
        }
        at = end;
    }
    false
}

/// Whether a word of `hay` ends right before byte `end`: the text's end, or a byte neither
/// a letter nor a digit there.
fn ends_word(hay: &[u8], end: usize) -> bool {
    hay.get(end).is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// Where `hay` holds `term`'s stem ([`TextTerm::stem`]) as a word's end, bare or with a
/// possessive or plural ending ([`query::POSSESSIVE_ENDINGS`]): the bytes from the stem's
/// first to the ending's last, the first place in the best [`Tier`].
fn stem_word_in(term: &TextTerm, hay: &str) -> Option<std::ops::Range<usize>> {
    let finder = term.finders.stem.as_ref()?;
    let bytes = hay.as_bytes();
    let len = finder.needle().len();
    let mut best: Option<(Tier, std::ops::Range<usize>)> = None;
    for at in finder.find_iter(bytes) {
        let after = &bytes[at + len..];
        let ending = query::POSSESSIVE_ENDINGS.iter().chain(&[""]).find(|e| {
            after
                .get(..e.len())
                .is_some_and(|a| a.eq_ignore_ascii_case(e.as_bytes()))
                && ends_word(after, e.len())
        });
        let Some(n) = ending.map(|e| e.len()) else {
            continue;
        };
        let place = at..at + len + n;
        let tier = tier_as_typed(hay, place.clone());
        if best.as_ref().is_none_or(|(b, _)| tier > *b) {
            best = Some((tier, place));
        }
        if tier == Tier::Word {
            break;
        }
    }
    best.map(|(_, place)| place)
}

/// A fuzzy term's tier and score where `hay` holds its stem as a word ([`stem_word_in`]):
/// scored as the stem written there, so the word as typed ("Huntington's" for
/// `huntingtons`) scores more in the same tier.
fn stem_match(term: &TextTerm, hay: &str) -> Option<(Tier, i64)> {
    let place = stem_word_in(term, hay)?;
    let stem = term.stem.as_deref()?;
    let whole_bonus = CONTIGUOUS_BONUS_PER_CHAR * stem.len() as i64;
    Some((
        tier_as_typed(hay, place.clone()),
        as_written_score(hay, place.start, stem) + whole_bonus,
    ))
}

/// Where `finder` finds its pattern in `hay`, the first place in the best [`Tier`]: a whole
/// word (`cd27` in "CD274 and CD27"), else a word's start (`egfr` in "VEGFR2 and EGFRvIII"),
/// else the first.
fn find_preferring_word_start(finder: &memchr::memmem::Finder, hay: &str) -> Option<usize> {
    let len = finder.needle().len();
    let mut best: Option<(Tier, usize)> = None;
    for at in finder.find_iter(hay.as_bytes()) {
        let tier = tier_as_typed(hay, at..at + len);
        if best.is_none_or(|(b, _)| tier > b) {
            best = Some((tier, at));
        }
        if tier == Tier::Word {
            break;
        }
    }
    best.map(|(_, at)| at)
}

/// The score of `pattern` written as it is in `hay` at byte `at`: like skim's score for a
/// contiguous run, a bit more at a word start.
fn as_written_score(hay: &str, at: usize, pattern: &str) -> i64 {
    let chars = pattern.chars().count() as i64;
    let word_start =
        at == 0 || !hay.as_bytes()[at - 1].is_ascii_alphanumeric() && hay.is_char_boundary(at);
    chars * 20 + if word_start { 16 } else { 0 }
}

/// Where `hay` (folded, case kept) holds the Greek letter whose folded name is `name`
/// (`beta`) standing as a letter ([`TextMode::Letter`]). Folding joined the name to what
/// was around it (`TNFα` is `TNFalpha`, `γδ` is `gammadelta`), so a side counts as a
/// boundary when it is the text's end, not a letter (`TGF-beta`, `IL-1beta`, `beta1`),
/// another letter's name itself bounded (`gammadelta T cells`, not `xi` of "Metaxin"),
/// or, for a name in lower case, a capital after it (`kappaB`) or an acronym of two or
/// more capitals or digits before it (`TNFalpha`, `PI3Kgamma`; one capital is a word's
/// start: "Meta-analysis", "Snu23"; so `Abeta` is missed). The name itself must be lower
/// case or capitalized (`Beta-blockers`): in capitals it is mostly an acronym (`PI3K`,
/// `ETA`, factor `XI`). Case-blind unless `case_sensitive`.
fn greek_letter_at(hay: &[u8], name: &[u8], case_sensitive: bool) -> Option<usize> {
    let &first = name.first()?;
    let (lower, upper) = match case_sensitive {
        true => (first, first),
        false => (first.to_ascii_lowercase(), first.to_ascii_uppercase()),
    };
    memchr::memchr2_iter(lower, upper, hay).find(|&at| {
        let Some(written) = hay.get(at..at + name.len()) else {
            return false;
        };
        let same = if case_sensitive {
            written == name
        } else {
            written.eq_ignore_ascii_case(name)
        };
        let lower = written.iter().all(u8::is_ascii_lowercase);
        let capitalized =
            written[0].is_ascii_uppercase() && written[1..].iter().all(u8::is_ascii_lowercase);
        same && (lower || capitalized)
            && bounded_before(&hay[..at], lower)
            && bounded_after(&hay[at + name.len()..], lower)
    })
}

/// Whether a Greek letter's name (in lower case if `lower`) right after `before` starts
/// there, as [`greek_letter_at`] judges it.
fn bounded_before(before: &[u8], lower: bool) -> bool {
    match before {
        [] => true,
        [.., b] if b.is_ascii_lowercase() => fold::GREEK_LETTER_NAMES.iter().any(|n| {
            before
                .strip_suffix(n.as_bytes())
                .is_some_and(|rest| bounded_before(rest, true))
        }),
        [.., a, b] if b.is_ascii_uppercase() => {
            lower && (a.is_ascii_uppercase() || a.is_ascii_digit())
        }
        [b] if b.is_ascii_uppercase() => false,
        _ => true,
    }
}

/// Whether a Greek letter's name (in lower case if `lower`) right before `after` ends
/// there, as [`greek_letter_at`] judges it.
fn bounded_after(after: &[u8], lower: bool) -> bool {
    match after {
        [] => true,
        [b, ..] if b.is_ascii_lowercase() => fold::GREEK_LETTER_NAMES.iter().any(|n| {
            after
                .strip_prefix(n.as_bytes())
                .is_some_and(|rest| bounded_after(rest, true))
        }),
        [b, ..] if b.is_ascii_uppercase() => lower,
        _ => true,
    }
}

/// Where `hay` ends with `pattern` (`word$`), not counting punctuation and spaces after it:
/// titles end with a period, and `cancer$` is for "... breast cancer.". A pattern that
/// ends in punctuation itself (`cancer.$`) is matched as written.
fn ends_with_word(hay: &str, pattern: &str) -> Option<usize> {
    if hay.ends_with(pattern) {
        return Some(hay.len() - pattern.len());
    }
    let trimmed = trim_end_punctuation(hay);
    trimmed
        .ends_with(pattern)
        .then(|| trimmed.len() - pattern.len())
}

/// Where `pattern` starts `hay` (`^word`), but for punctuation and spaces at its start: a
/// title quoted (`"Slime molds" among…`) or bracketed as PubMed brackets a translated one
/// (`[Genetic heterogeneity…]`) starts with its word, as `word$` ends one before `].`
/// (ut23b).
fn starts_with_word(hay: &str, pattern: &str) -> Option<usize> {
    if hay.starts_with(pattern) {
        return Some(0);
    }
    let trimmed = trim_start_punctuation(hay);
    trimmed
        .starts_with(pattern)
        .then(|| hay.len() - trimmed.len())
}

/// Whether `hay` is `pattern` (`^word$`), but for punctuation and spaces at its ends.
fn whole_text_is(hay: &str, pattern: &str) -> bool {
    hay == pattern || trim_end_punctuation(trim_start_punctuation(hay)) == pattern
}

fn trim_end_punctuation(text: &str) -> &str {
    text.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace())
}

fn trim_start_punctuation(text: &str) -> &str {
    text.trim_start_matches(|c: char| {
        c.is_ascii_punctuation() || c.is_whitespace() || matches!(c, '“' | '‘' | '«')
    })
}

/// What an id term scores on the whole id (one that starts with it scores 0).
const ID_EXACT_SCORE: i64 = 1;

/// A fuzzy term's score in a long title (see [`query::LONG_FIELD_CHARS`]): the best of its
/// places whose letters fit the span ([`query::SPAN_SLACK`]), each taken leftmost from its
/// first letter, on skim's scale (16 a letter, 4 more for one right after the last, a gap
/// costing 3 and 1 a further character, 4 for a letter starting a word, doubled for the
/// first, 8 for the text's first letter, doubled too). skim's own alignment is quadratic
/// in the text and allocates per call: over a hundred thousand distinct titles it was most
/// of a key's time. `None` when no place fits: the term does not match the title. A term
/// that narrows another by adding letters at its end keeps a match of the shorter one:
/// each added letter takes at least a byte of the span, so the slack left is no less.
fn window_score(pattern: &[u8], hay: &[u8]) -> Option<i64> {
    window_match(pattern, hay).map(|m| m.score)
}

/// [`window_score`]'s best score, and whether some place holds the word as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct WindowMatch {
    score: i64,
    /// The letters side by side, or with only punctuation between them: `alzheimers` in
    /// "Alzheimer's disease" (a user test found that title 17th, below sixteen papers
    /// whose only match was an entity alias spelled "Alzheimers"), `nfkb` in "NF-kB".
    /// Taking each letter leftmost from a start finds such a place if the start has one.
    as_typed: bool,
    /// Some place holding the word as typed starts a word of the title.
    as_typed_at_word_start: bool,
    /// Some place holding the word as typed is a whole word of the title.
    as_typed_word: bool,
}

/// [`window_score`] with [`WindowMatch::as_typed`].
fn window_match(pattern: &[u8], hay: &[u8]) -> Option<WindowMatch> {
    let (&first, rest) = pattern.split_first()?;
    let span = pattern.len() + query::SPAN_SLACK;
    let mut best: Option<WindowMatch> = None;
    for start in memchr::memchr_iter(first, hay) {
        if hay.len() - start < pattern.len() {
            break;
        }
        let end = hay.len().min(start + span);
        let start_bonus = word_start_bonus(hay, start);
        let mut score = 16 + 2 * start_bonus;
        let mut at = start;
        let mut fits = true;
        let mut as_typed = true;
        let mut word_bound = true;
        for &b in rest {
            // A plain loop: the window is a few bytes, shorter than memchr's set-up pays for.
            let Some(offset) = hay[at + 1..end].iter().position(|&c| c == b) else {
                fits = false;
                break;
            };
            let next = at + 1 + offset;
            score += next_letter_score(hay, at, next);
            as_typed = as_typed && only_punctuation(&hay[at + 1..next]);
            word_bound = word_bound && (in_one_word(&hay[at + 1..next]) || starts_word(hay, next));
            at = next;
        }
        if fits && !word_bound {
            // Taken leftmost, the letters leave a word in its middle: another place may not
            // (scored as the leftmost; not as typed, which the leftmost place would be).
            if word_bound_from(pattern, hay, start, end) {
                best = Some(
                    WindowMatch {
                        score,
                        as_typed: false,
                        as_typed_at_word_start: false,
                        as_typed_word: false,
                    }
                    .or(best),
                );
            }
        } else if fits {
            let at_word_start = as_typed && start_bonus > 0;
            let here = WindowMatch {
                score,
                as_typed,
                as_typed_at_word_start: at_word_start,
                as_typed_word: at_word_start && ends_word(hay, at + 1),
            };
            best = Some(here.or(best));
        }
    }
    best
}

/// Whether `gap`, the bytes between two letters of a place, leaves them in one word: no
/// byte in it that is ASCII but neither a letter nor a digit.
fn in_one_word(gap: &[u8]) -> bool {
    gap.iter()
        .all(|b| !b.is_ascii() || b.is_ascii_alphanumeric())
}

/// Whether `pattern` stands from byte `start` (its first letter) to before byte `end` with
/// its letters word-bound: each in the word of the one before it, or starting a word.
/// Letters left out within a word are a typo forgiven, and a word's letters then the next
/// word's start an abbreviation (`brcan` in "breast cancer", `tgfb1` in "TGF-beta1"); a
/// letter from the middle of another word is chance: a user test found `covid` in "cells
/// provide" and `brca2` in "BRCA1 at 17q21". One pass, a bit per letter of the pattern (one
/// longer than 64 bytes is taken as word-bound).
fn word_bound_from(pattern: &[u8], hay: &[u8], start: usize, end: usize) -> bool {
    let m = pattern.len();
    if m > 64 {
        return true;
    }
    let last = 1u64 << (m - 1);
    // Letters placed so far, the last of them in the current word, or anywhere before.
    let mut in_word: u64 = 1;
    let mut before: u64 = 1;
    for (j, &b) in hay.iter().enumerate().take(end).skip(start + 1) {
        if !in_one_word(&hay[j..=j]) {
            in_word = 0;
            continue;
        }
        let from = if starts_word(hay, j) { before } else { in_word };
        let mut placed = 0u64;
        for (i, &p) in pattern.iter().enumerate().skip(1) {
            if p == b && from & (1 << (i - 1)) != 0 {
                placed |= 1 << i;
            }
        }
        if placed & last != 0 {
            return true;
        }
        if starts_word(hay, j) {
            in_word = 0;
        }
        in_word |= placed;
        before |= placed;
    }
    false
}

impl WindowMatch {
    /// The tier and score of a place holding the word as typed, with `whole_bonus` for it.
    fn tiered(self, whole_bonus: i64) -> (Tier, i64) {
        let tier = match (self.as_typed_word, self.as_typed_at_word_start) {
            (true, _) => Tier::Word,
            (false, true) => Tier::WordStart,
            (false, false) => Tier::InsideWord,
        };
        (tier, self.score + whole_bonus)
    }

    /// The word as typed if either place holds it; the better score of the two.
    fn or(self, other: Option<WindowMatch>) -> WindowMatch {
        match other {
            Some(b) => WindowMatch {
                score: b.score.max(self.score),
                as_typed: b.as_typed || self.as_typed,
                as_typed_at_word_start: b.as_typed_at_word_start || self.as_typed_at_word_start,
                as_typed_word: b.as_typed_word || self.as_typed_word,
            },
            None => self,
        }
    }
}

/// What starting a word at byte `at` adds to a letter's score in [`window_score`]'s scale:
/// 8 for the text's first letter, 4 after a byte neither a letter nor a digit.
fn word_start_bonus(hay: &[u8], at: usize) -> i64 {
    if at == 0 {
        8
    } else if !hay[at - 1].is_ascii_alphanumeric() {
        4
    } else {
        0
    }
}

/// What the letter at byte `next` adds to a place's score in [`window_score`]'s scale,
/// the one before it at `at`.
fn next_letter_score(hay: &[u8], at: usize, next: usize) -> i64 {
    match next - at {
        1 => 16 + 4,
        apart => 16 - 3 - (apart as i64 - 2) + word_start_bonus(hay, next),
    }
}

/// Whether a fuzzy term of five characters or more ([`query::matches_within_span`]) holding
/// its letters in order in `hay`, a field not a long title, matches it: its letters within
/// the span ([`window_match`]), or anchored as a shorter term's (an ASCII term: a byte
/// after another not ASCII is no word start). `vegfa` found v…e…g…f…a in "Evaluation of
/// tag entanglement as a factor", `smith` and `lancet` their letters in long author lists.
fn close_or_anchored(pattern: &[u8], hay: &[u8]) -> bool {
    window_match(pattern, hay).is_some() || pattern.is_ascii() && anchored_in_any(pattern, hay)
}

/// Whether a long title is what `hay`, a field of `kind`, is: its fuzzy terms' letters must
/// lie close together ([`query::LONG_FIELD_CHARS`]).
fn is_long_title(kind: FieldKind, hay: &str) -> bool {
    kind == FieldKind::Title && hay.len() > query::LONG_FIELD_CHARS
}

/// Whether byte `at` of `hay` starts a word: the first byte, or one after a byte neither a
/// letter nor a digit.
fn starts_word(hay: &[u8], at: usize) -> bool {
    at == 0 || !hay[at - 1].is_ascii_alphanumeric()
}

/// Whether byte `at` of `hay` starts a word of letters or digits longer than
/// [`query::SHORT_WORD_CHARS`] (what [`query::WORDS_SKIPPED`] counts).
fn starts_long_word(hay: &[u8], at: usize) -> bool {
    starts_word(hay, at)
        && hay[at..]
            .iter()
            .take(query::SHORT_WORD_CHARS + 1)
            .take_while(|b| b.is_ascii_alphanumeric())
            .count()
            > query::SHORT_WORD_CHARS
}

/// Where an anchored term's characters ([`query::matches_anchored`]) stand in `hay`, the
/// first at byte `start` and the rest before byte `end`: the first such place, each as
/// early as the rest allow. From a word start, each after the first right after the one
/// before it or starting a word, with at most [`query::WORDS_SKIPPED`] words between
/// them; from inside a word, the term as typed (only punctuation between them). A term
/// longer than [`query::ANCHORED_PATTERN`] stands nowhere.
fn anchored_from(
    pattern: &[u8],
    hay: &[u8],
    start: usize,
    end: usize,
) -> Option<[usize; query::ANCHORED_PATTERN]> {
    /// Places the characters from the `i`th on, after the one before at `at[i - 1]`.
    fn rest(pattern: &[u8], hay: &[u8], i: usize, end: usize, at: &mut [usize]) -> bool {
        let Some(&b) = pattern.get(i) else {
            return true;
        };
        let from_word_start = starts_word(hay, at[0]);
        // Words started since the character before: past the skipped ones, no word start
        // is close enough.
        let mut words = 0;
        for next in at[i - 1] + 1..end {
            let word_start = starts_word(hay, next);
            if word_start && words > query::WORDS_SKIPPED {
                return false;
            }
            if hay[next] == b && (next == at[i - 1] + 1 || word_start) {
                at[i] = next;
                if rest(pattern, hay, i + 1, end, at) {
                    return true;
                }
            }
            if !from_word_start && !hay[next].is_ascii_punctuation() {
                return false;
            }
            words += usize::from(starts_long_word(hay, next));
        }
        false
    }
    let mut at = [0; query::ANCHORED_PATTERN];
    if pattern.is_empty() || pattern.len() > at.len() || hay.get(start) != pattern.first() {
        return None;
    }
    at[0] = start;
    rest(
        pattern,
        hay,
        1,
        end.min(hay.len()),
        &mut at[..pattern.len()],
    )
    .then_some(at)
}

/// Whether an anchored term's characters stand somewhere in `hay` as [`anchored_from`]
/// places them: from a word start in one pass, which of the term's first characters end
/// right before each byte and which anywhere before it; else as typed.
fn anchored_in(pattern: &[u8], hay: &[u8]) -> bool {
    anchored_in_up_to::<{ query::ANCHORED_PATTERN }>(pattern, hay)
}

/// [`anchored_in`] for a term of any length (a term of five or more characters matches
/// where its characters stand anchored too, [`query::matches_within_span`]); one longer
/// than [`LONGEST_ANCHORED`] bytes stands anchored only as typed.
fn anchored_in_any(pattern: &[u8], hay: &[u8]) -> bool {
    if pattern.len() <= query::ANCHORED_PATTERN {
        anchored_in(pattern, hay)
    } else if pattern.len() <= LONGEST_ANCHORED {
        anchored_in_up_to::<LONGEST_ANCHORED>(pattern, hay)
    } else {
        find_across_punctuation(pattern, hay).is_some()
    }
}

/// The longest term [`anchored_in_any`] places anchored character by character. A longer
/// one matching as typed, so does its prefix of this length: narrowing stays sound.
const LONGEST_ANCHORED: usize = 64;

/// [`anchored_in`] for terms of up to `N` bytes; a longer one stands nowhere.
fn anchored_in_up_to<const N: usize>(pattern: &[u8], hay: &[u8]) -> bool {
    let m = pattern.len();
    if m == 0 || m > N {
        return false;
    }
    let mut ended_right_before = [false; N];
    // Per character, the long words started up to its latest end (the
    // latest leaves the fewest words skipped), `None` before any.
    let mut ended_at_word: [Option<usize>; N] = [None; N];
    let mut words = 0;
    for (j, &b) in hay.iter().enumerate() {
        let word_start = starts_word(hay, j);
        // Words started strictly between the latest end and here.
        let skipped_since =
            |ended: Option<usize>| ended.is_some_and(|w| words - w <= query::WORDS_SKIPPED);
        let mut ends_here = [false; N];
        for i in 0..m {
            ends_here[i] = b == pattern[i]
                && match i {
                    0 => word_start,
                    _ => {
                        ended_right_before[i - 1]
                            || word_start && skipped_since(ended_at_word[i - 1])
                    }
                };
        }
        if ends_here[m - 1] {
            return true;
        }
        words += usize::from(starts_long_word(hay, j));
        for i in 0..m {
            if ends_here[i] {
                ended_at_word[i] = Some(words);
            }
        }
        ended_right_before = ends_here;
    }
    find_across_punctuation(pattern, hay).is_some()
}

/// [`window_match`] for an anchored term: its places within the span, each as
/// [`anchored_from`] takes it; and whether the span holds its letters in order anywhere
/// (see [`LOOSE_ONLY`]), found on the way: from each start, the letters leftmost first,
/// which any place from it contains.
fn anchored_window_match(pattern: &[u8], hay: &[u8]) -> (Option<WindowMatch>, bool) {
    const N: usize = query::ANCHORED_PATTERN;
    let (Some(&first), true) = (pattern.first(), pattern.len() <= N) else {
        return (None, false);
    };
    let span = pattern.len() + query::SPAN_SLACK;
    let mut best: Option<WindowMatch> = None;
    let mut in_order = false;
    let as_typed = |at: &[usize]| stands_as_typed(hay, at);
    for start in memchr::memchr_iter(first, hay) {
        if hay.len() - start < pattern.len() {
            break;
        }
        let end = hay.len().min(start + span);
        let mut leftmost = [start; N];
        let fits = (1..pattern.len()).all(|i| {
            let from = leftmost[i - 1] + 1;
            let found = hay[from..end].iter().position(|&c| c == pattern[i]);
            found.map(|offset| leftmost[i] = from + offset).is_some()
        });
        if !fits {
            continue;
        }
        in_order = true;
        // Taken leftmost, the letters stand as typed if they can from this start; else
        // only from a word start may they stand anchored.
        let place = if as_typed(&leftmost[..pattern.len()]) {
            Some(leftmost)
        } else if starts_word(hay, start) {
            anchored_from(pattern, hay, start, end)
        } else {
            None
        };
        let Some(at) = place else {
            continue;
        };
        let at = &at[..pattern.len()];
        let starts_word = word_start_bonus(hay, start);
        let letters: i64 = at
            .windows(2)
            .map(|w| next_letter_score(hay, w[0], w[1]))
            .sum();
        let typed = as_typed(at);
        let at_word_start = typed && starts_word > 0;
        let here = WindowMatch {
            score: 16 + 2 * starts_word + letters,
            as_typed: typed,
            as_typed_at_word_start: at_word_start,
            as_typed_word: at_word_start && at.last().is_some_and(|&l| ends_word(hay, l + 1)),
        };
        best = Some(here.or(best));
    }
    (best, in_order)
}

/// Whether characters of `hay` at the bytes `at` stand as typed: only punctuation between
/// them.
fn stands_as_typed(hay: &[u8], at: &[usize]) -> bool {
    at.windows(2)
        .all(|w| only_punctuation(&hay[w[0] + 1..w[1]]))
}

/// Where an anchored term's characters stand in `hay` (within the span, in a `long`
/// title), to show them: the first place holding the term as typed (`IL-6` for `il6`, not
/// the initials of "interleukin levels" before it), else the first.
fn anchored_place(pattern: &[u8], hay: &[u8], long: bool) -> Option<Vec<usize>> {
    let &first = pattern.first()?;
    let end = |start: usize| match long {
        true => start + pattern.len() + query::SPAN_SLACK,
        false => hay.len(),
    };
    let mut places = memchr::memchr_iter(first, hay)
        .filter_map(|start| anchored_from(pattern, hay, start, end(start)))
        .map(|at| at[..pattern.len()].to_vec());
    let earliest = places.next()?;
    let as_typed = |at: &[usize]| stands_as_typed(hay, at);
    if as_typed(&earliest) {
        return Some(earliest);
    }
    Some(places.find(|at| as_typed(at)).unwrap_or(earliest))
}

/// Whether `gap` is only punctuation (ASCII: texts are folded, so `Alzheimer’s` has a
/// plain apostrophe).
fn only_punctuation(gap: &[u8]) -> bool {
    gap.iter().all(u8::is_ascii_punctuation)
}

/// Where `hay` holds `pattern` as typed in the sense of [`WindowMatch::as_typed`]: the bytes
/// from its first letter to its last.
fn find_across_punctuation(pattern: &[u8], hay: &[u8]) -> Option<std::ops::Range<usize>> {
    // The next letter with only punctuation before it: a step per byte of the gap, not a
    // search of the rest of the text from each start.
    let first = *pattern.first()?;
    memchr::memchr_iter(first, hay).find_map(|start| across_punctuation_from(pattern, hay, start))
}

/// Taken from a typo's word's score ([`TextTerm::typo_variants`]): a fifth of a side-by-side
/// match of nine letters.
const TYPO_PENALTY: i64 = 2 * CONTIGUOUS_BONUS_PER_CHAR;

/// The first of `term`'s typo variants that `hay` holds side by side, and where.
fn typo_variant_in<'t>(term: &'t TextTerm, hay: &str) -> Option<(&'t str, usize)> {
    term.typo_variants
        .iter()
        .zip(&term.finders.typo_variants)
        .find_map(|(v, finder)| Some((v.as_str(), finder.find(hay.as_bytes())?)))
}

/// The first of `term`'s typo variants that `hay` holds as the word as typed may stand:
/// side by side, else across punctuation (`ppdl1` in "PD-L1"); and the bytes it spans.
fn typo_word_in<'t>(term: &'t TextTerm, hay: &str) -> Option<(&'t str, std::ops::Range<usize>)> {
    if let Some((v, at)) = typo_variant_in(term, hay) {
        return Some((v, at..at + v.len()));
    }
    if term.typo_variants.is_empty() {
        return None;
    }
    // Not side by side, so across a run of punctuation inside a word, which starts fewer
    // bytes after the variant than it has letters: only the bytes before each such run are
    // tried as starts. Reading every start of the text, `carci`'s four variants doubled
    // that key's time at 100k papers.
    let bytes = hay.as_bytes();
    if !term.pattern.bytes().all(|b| b.is_ascii_alphanumeric()) {
        punctuation_inside_words(bytes).next()?;
        return term.typo_variants.iter().find_map(|v| {
            let at = across_punctuation_near(v.as_bytes(), bytes)?;
            Some((v.as_str(), at))
        });
    }
    let (i, at) = first_variant_across_gaps(&term.typo_variants, bytes)?;
    Some((term.typo_variants[i].as_str(), at))
}

/// [`typo_word_in`] across punctuation for variants of letters and digits alone, in one
/// pass over the text's gaps instead of one per variant: the first variant found, and the
/// same place [`across_punctuation_near`] finds it. Such a variant crosses its first run
/// of punctuation between two of its letters side by side in it, so at each gap only the
/// starts that put such a pair on either side are tried; and the gaps come in order of the
/// starts whose first gap they are, so the first start found for a variant is its first.
fn first_variant_across_gaps(
    variants: &[String],
    hay: &[u8],
) -> Option<(usize, std::ops::Range<usize>)> {
    let mut best: Option<(usize, std::ops::Range<usize>)> = None;
    for (gap, after) in punctuation_runs_inside_words(hay) {
        let (left, right) = (hay[gap - 1], hay[after]);
        // Only a variant before the one found may still come first.
        let tried = best.as_ref().map_or(variants.len(), |(i, _)| *i);
        for (i, v) in variants[..tried].iter().enumerate() {
            let v = v.as_bytes();
            // Starts ascending: the pair's place in the variant descending.
            let found = (0..v.len().saturating_sub(1))
                .rev()
                .filter(|&j| j < gap && v[j] == left && v[j + 1] == right)
                .find_map(|j| across_punctuation_from(v, hay, gap - 1 - j));
            if let Some(at) = found {
                best = Some((i, at));
                break;
            }
        }
        if best.as_ref().is_some_and(|(i, _)| *i == 0) {
            break;
        }
    }
    best
}

/// [`find_across_punctuation`] where `pattern` is not in `hay` side by side, reading only
/// the starts fewer bytes before a run of punctuation inside a word
/// ([`punctuation_inside_words`]) than it has letters.
fn across_punctuation_near(pattern: &[u8], hay: &[u8]) -> Option<std::ops::Range<usize>> {
    punctuation_inside_words(hay).find_map(|gap| {
        (gap.saturating_sub(pattern.len())..gap)
            .find_map(|start| across_punctuation_from(pattern, hay, start))
    })
}

/// Where each run of punctuation between two letters or digits starts (`PD-L1`,
/// `Alzheimer's`): only across these can a word be found that is not also side by side.
/// (An iterator: it runs for each text a typo term scores, and allocates nothing.)
fn punctuation_inside_words(hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
    punctuation_runs_inside_words(hay).map(|(gap, _)| gap)
}

/// [`punctuation_inside_words`], each run with where the letter or digit after it is.
fn punctuation_runs_inside_words(hay: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut after_alphanumeric = false;
    let mut gap_start = None;
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(&b) = hay.get(i) {
            // Lower-case letters, digits and spaces up to eight at a time, outside a run: a
            // typo term reads every title of the library through here, byte by byte most
            // of `carci`'s time.
            if gap_start.is_none()
                && let Some(eight) = hay.get(i..i + 8)
                && let Ok(eight) = <[u8; 8]>::try_from(eight)
            {
                let plain = plain_bytes_first(u64::from_le_bytes(eight));
                if let Some(&last) = plain.checked_sub(1).and_then(|at| eight.get(at)) {
                    after_alphanumeric = last != b' ';
                    i += plain;
                    continue;
                }
            }
            i += 1;
            if b.is_ascii_alphanumeric() {
                after_alphanumeric = true;
                if let Some(gap) = gap_start.take() {
                    return Some((gap, i - 1));
                }
            } else if b.is_ascii_punctuation() {
                if after_alphanumeric && gap_start.is_none() {
                    gap_start = Some(i - 1);
                }
            } else {
                after_alphanumeric = false;
                gap_start = None;
            }
        }
        None
    })
}

/// How many of the eight bytes of `word` (in memory order) are lower-case ASCII letters,
/// digits or spaces before the first that is not.
fn plain_bytes_first(word: u64) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x80 * ONES;
    // With each byte's high bit cleared, adding to a byte sets its high bit exactly when
    // it is at least 0x80 less the addend, and carries into no other byte.
    let low = word & !HIGH;
    let at_least = |from: u8| low + ONES * u64::from(0x80 - from);
    let within = |from: u8, to: u8| at_least(from) & !at_least(to + 1);
    let space = low ^ (ONES * u64::from(b' '));
    let is_space = !(((space & !HIGH) + !HIGH) | space);
    // A byte with its high bit set is not ASCII, whatever its low bits say.
    let plain = (within(b'a', b'z') | within(b'0', b'9') | is_space) & !word & HIGH;
    ((!plain & HIGH).trailing_zeros() / 8) as usize
}

/// [`find_across_punctuation`] for a match starting at `start`.
fn across_punctuation_from(
    pattern: &[u8],
    hay: &[u8],
    start: usize,
) -> Option<std::ops::Range<usize>> {
    let (&first, rest) = pattern.split_first()?;
    if *hay.get(start)? != first {
        return None;
    }
    let mut at = start;
    for &b in rest {
        let mut next = at + 1;
        while *hay.get(next)? != b {
            if !hay[next].is_ascii_punctuation() {
                return None;
            }
            next += 1;
        }
        at = next;
    }
    Some(start..at + 1)
}

/// A short fuzzy term's best tier in `hay` and its score there: what skim's scores come
/// down to for a contiguous match of one or two characters (a match, more at a word
/// start), found with memchr.
fn short_pattern_match(pattern: &[u8], hay: &[u8]) -> Option<(Tier, i64)> {
    let score = short_pattern_score(pattern, hay)?;
    if score == SHORT_SCORE_PER_CHAR * pattern.len() as i64 {
        return Some((Tier::InsideWord, score));
    }
    let as_word = |at: usize| ends_word(hay, at + pattern.len());
    let whole =
        memchr::memmem::find_iter(hay, pattern).any(|at| starts_word(hay, at) && as_word(at));
    Some((if whole { Tier::Word } else { Tier::WordStart }, score))
}

/// [`short_pattern_match`] for two letters or digits, found in one pass by the term's own
/// substring searcher (`finder`, for `pattern`), which looks for the pair where
/// [`short_pattern_match`] stops at each place of its first letter and then reads the text
/// again for a whole word: a second key scores every title of the library, and those
/// stops took most of its time. `None` for another pattern. The searcher skips a place
/// overlapping the one before, which for a pair of letters or digits starts inside a
/// word and changes nothing.
fn letter_pair_match(
    finder: &memchr::memmem::Finder,
    pattern: &[u8],
    hay: &[u8],
) -> Option<Option<(Tier, i64)>> {
    if pattern.len() != 2 || !pattern.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let score = SHORT_SCORE_PER_CHAR * 2;
    let mut found = false;
    let mut at_word_start = false;
    for at in finder.find_iter(hay) {
        found = true;
        if starts_word(hay, at) {
            at_word_start = true;
            if ends_word(hay, at + 2) {
                return Some(Some((Tier::Word, score + SHORT_WORD_START_BONUS)));
            }
        }
    }
    Some(match (found, at_word_start) {
        (_, true) => Some((Tier::WordStart, score + SHORT_WORD_START_BONUS)),
        (true, false) => Some((Tier::InsideWord, score)),
        (false, _) => None,
    })
}

/// [`short_pattern_match`]'s score.
fn short_pattern_score(pattern: &[u8], hay: &[u8]) -> Option<i64> {
    let mut found = false;
    // memchr on the first byte: building a substring searcher per text cost more than the
    // search (a one-letter key scores every text of the library).
    let (&first, rest) = pattern.split_first()?;
    // The rest compared a byte at a time: `starts_with` called memcmp for the one byte
    // (or none) left, a tenth of a one-letter key's time.
    let starts = memchr::memchr_iter(first, hay).filter(|&at| {
        hay.get(at + 1..at + 1 + rest.len())
            .is_some_and(|after| after.iter().zip(rest).all(|(h, p)| h == p))
    });
    for at in starts {
        if at == 0 || !hay[at - 1].is_ascii_alphanumeric() {
            return Some(SHORT_SCORE_PER_CHAR * pattern.len() as i64 + SHORT_WORD_START_BONUS);
        }
        found = true;
    }
    found.then_some(SHORT_SCORE_PER_CHAR * pattern.len() as i64)
}

const SHORT_SCORE_PER_CHAR: i64 = 16;

/// Added per character to a fuzzy term's score on a text that holds the term as typed.
const CONTIGUOUS_BONUS_PER_CHAR: i64 = 12;
const SHORT_WORD_START_BONUS: i64 = 8;

/// Texts up to this many characters (names, authors, short titles) get skim's best
/// alignment; longer ones its greedy one (letters taken about leftmost, in one pass). The
/// best alignment costs pattern x text per text, and scoring every long title of the
/// library afresh for a new pattern took most of a key's time (`carci` over the corpora:
/// 26.6 -> 11.9 ms worst key); a title holding the term as typed still ranks first through
/// [`CONTIGUOUS_BONUS_PER_CHAR`].
const FULL_ALIGNMENT_MAX_CHARS: usize = 48;

/// How many hits are fully ranked; the rest follow in library order (a screen shows ~20).
pub const RANKED_ROWS: usize = 2000;

/// Orders hits (given in library order) best first, ties in library order, sorting only the
/// top [`RANKED_ROWS`]; the rest keep library order. A hit's place among `hits` is its
/// place in the library, so ties are broken by it: looking each paper's place up, at
/// random in the library's order, was most of ranking a one-letter key's 100k hits.
fn rank(hits: &mut Vec<Hit>) {
    let by_score = |a: &Hit, b: &Hit| b.score.cmp(&a.score);
    if hits.len() > RANKED_ROWS {
        // The last ranked hit's score and place, found on a copy of them; then one pass
        // splits the hits around it, which leaves the rest in the order they came in.
        let mut keys: Vec<(i64, usize)> = hits.iter().map(|h| h.score).zip(0..).collect();
        let better = |a: &(i64, usize), b: &(i64, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        let (_, &mut last_ranked, _) = keys.select_nth_unstable_by(RANKED_ROWS - 1, better);
        let mut top = Vec::with_capacity(hits.len());
        let mut rest = Vec::with_capacity(hits.len() - RANKED_ROWS);
        for (i, &hit) in hits.iter().enumerate() {
            match better(&(hit.score, i), &last_ranked) {
                std::cmp::Ordering::Greater => rest.push(hit),
                _ => top.push(hit),
            }
        }
        // Stable: ties stay in library order.
        top.sort_by(by_score);
        top.extend(rest);
        *hits = top;
    } else {
        hits.sort_by(by_score);
    }
}

/// Ranks `docs` against `query` in one thread; an empty query matches everything in order.
pub fn search_docs(docs: &[SearchDoc], query: &str) -> Result<Vec<Hit>, QueryError> {
    let query = Query::parse(query)?;
    Ok(run_query(docs, &query, &HashSet::new()))
}

/// Ranks `docs` against a parsed query, with `bookmarks` for `is:bookmarked`: the way the
/// [`SearchWorker`] does (entity names united across docs), in this thread.
pub fn run_query(docs: &[SearchDoc], query: &Query, bookmarks: &HashSet<PaperIdx>) -> Vec<Hit> {
    let mut state = WorkerState::new(Arc::default());
    state.bookmarks = bookmarks.clone();
    state.add_docs(docs.to_vec());
    let generation = AtomicU64::new(0);
    state.run(0, query, &generation).unwrap_or_default()
}

/// Searches a whole library at once, the query read as the search line reads it (its last
/// word may be still being typed; the CLI parses whole queries, [`Query::parse_whole`]).
pub fn search_library(library: &Library, query: &str) -> Result<Vec<Hit>, QueryError> {
    search_library_with(library, &Query::parse(query)?, &HashSet::new())
}

/// Searches a whole library with a parsed query and the bookmarked papers.
pub fn search_library_with(
    library: &Library,
    query: &Query,
    bookmarks: &HashSet<PaperIdx>,
) -> Result<Vec<Hit>, QueryError> {
    let generation = AtomicU64::new(0);
    Ok(library_state(library, bookmarks)
        .run(0, query, &generation)
        .unwrap_or_default())
}

/// A worker's state holding every paper of `library`, with `bookmarks`, for searching in
/// this thread.
fn library_state(library: &Library, bookmarks: &HashSet<PaperIdx>) -> WorkerState {
    let interner = Arc::new(DocInterner::new());
    let mut state = WorkerState::new(Arc::clone(&interner));
    state.bookmarks = bookmarks.clone();
    state.add_docs(
        library
            .papers()
            .iter()
            .enumerate()
            .map(|(i, p)| interner.doc(i as PaperIdx, p))
            .collect(),
    );
    state
}

/// Searches a whole library with a parsed `query` (the command line's, `text` as typed) and
/// the bookmarked papers: its hits, and when it finds nothing or a near miss's few papers,
/// its words corrected ([`suggest`]) with what that finds, when more. Only suggested: a
/// script asked for what it typed. Last, the words that found the hits only by their
/// letters apart ([`SearchResults::letters_apart`]).
pub fn search_library_suggesting(
    library: &Library,
    text: &str,
    query: &Query,
    bookmarks: &HashSet<PaperIdx>,
) -> SuggestedHits {
    let generation = AtomicU64::new(0);
    let mut state = library_state(library, bookmarks);
    let hits = state.run(0, query, &generation).unwrap_or_default();
    let letters_apart = std::mem::take(&mut state.letters_apart);
    if !suggest::may_correct(text) {
        return (hits, None, letters_apart);
    }
    // The browser's vocabulary, all of it taken in: the words of the same texts.
    while !state.vocabulary_ready() {
        state.extend_vocabulary();
    }
    let suggestion = state.corrected(0, text, hits.len(), &generation, Query::parse_whole);
    (hits, suggestion, letters_apart)
}

/// [`search_library_suggesting`]'s hits, correction and words found only by their letters
/// apart.
pub type SuggestedHits = (Vec<Hit>, Option<(Correction, Vec<Hit>)>, Vec<String>);

/// Character indices of `paper`'s title that `query` matched, for highlighting the rows on
/// screen (computed per visible row, never for every hit).
pub fn highlight(paper: &Paper, query: &Query) -> Vec<usize> {
    let skim = SkimMatcherV2::default().respect_case();
    // Terms match the title folded (`TGF-β` as `tgf-beta`): found there, shown on the
    // characters written.
    // Each form folded once, and only if a term needs it.
    let mut cased: Option<(String, Vec<usize>)> = None;
    let mut lower: Option<(String, Vec<usize>)> = None;
    let mut out = Vec::new();
    for term in &query.terms {
        let Condition::Text(t) = &term.condition else {
            continue;
        };
        if term.negated || !matches!(t.field, TextField::Any | TextField::Title) {
            continue;
        }
        // A Greek letter's boundaries are judged on the text with its case.
        let (hay, from) = if t.case_sensitive || t.mode == TextMode::Letter {
            cased.get_or_insert_with(|| fold::fold_mapped(&paper.title, false))
        } else {
            lower.get_or_insert_with(|| fold::fold_mapped(&paper.title, true))
        };
        let (hay, from) = (hay.as_str(), &*from);
        let mut found = Vec::new();
        // Where the words found side by side start, and what they are.
        let side_by_side: Option<(usize, &str)> = match t.mode {
            // Short terms match side by side (see `query::SHORT_PATTERN`): show that place.
            TextMode::Fuzzy if query::matches_as_substring(t.mode, &t.pattern) => hay
                .find(t.pattern.as_str())
                .map(|at| (at, t.pattern.as_str())),
            TextMode::Fuzzy => {
                // The word as typed, side by side, where it first is (skim may align a
                // later copy, cut off the row); else the word a typo was of; only then
                // the letters scattered.
                let hyphenated = t
                    .hyphenated
                    .as_deref()
                    .and_then(|h| hay.find(h).map(|at| (at, h)));
                let as_typed = t.finders.pattern.find(hay.as_bytes());
                let stem = (hyphenated.is_none() && as_typed.is_none())
                    .then(|| stem_word_in(t, hay))
                    .flatten();
                let typo = (hyphenated.is_none() && as_typed.is_none() && stem.is_none())
                    .then(|| typo_word_in(t, hay))
                    .flatten();
                if hyphenated.is_some() {
                    hyphenated
                } else if let Some(at) = as_typed {
                    Some((at, t.pattern.as_str()))
                } else if let Some(at) = stem {
                    Some((at.start, &hay[at]))
                } else if let Some((word, at)) = typo {
                    if at.len() == word.len() {
                        Some((at.start, word))
                    } else {
                        // Across punctuation: its letters, not the marks between them.
                        let first = hay[..at.start].chars().count();
                        let letters = hay[at].chars().enumerate();
                        found.extend(
                            letters
                                .filter(|(_, c)| !c.is_ascii_punctuation())
                                .map(|(i, _)| first + i),
                        );
                        None
                    }
                } else if query::matches_anchored(t.mode, &t.pattern) {
                    // Where its letters stand anchored, if they do (else another field
                    // matched).
                    let long = is_long_title(FieldKind::Title, hay);
                    if let Some(at) = anchored_place(t.pattern.as_bytes(), hay.as_bytes(), long) {
                        found.extend(at.iter().map(|&b| hay[..b].chars().count()));
                    }
                    None
                } else {
                    // Letters scattered over a long title are no match (another field
                    // matched): nothing to show.
                    let close = if hay.len() <= query::LONG_FIELD_CHARS {
                        is_subsequence(t.pattern.as_bytes(), hay.as_bytes())
                            && (!query::matches_within_span(t.mode, &t.pattern)
                                || close_or_anchored(t.pattern.as_bytes(), hay.as_bytes()))
                    } else {
                        window_score(t.pattern.as_bytes(), hay.as_bytes()).is_some()
                    };
                    if close && let Some((_, idx)) = skim.fuzzy_indices(hay, &t.pattern) {
                        found = idx;
                    }
                    None
                }
            }
            TextMode::Exact => hay
                .find(t.pattern.as_str())
                .map(|at| (at, t.pattern.as_str())),
            TextMode::Prefix => {
                starts_with_word(hay, &t.pattern).map(|at| (at, t.pattern.as_str()))
            }
            TextMode::Suffix => ends_with_word(hay, &t.pattern).map(|at| (at, t.pattern.as_str())),
            TextMode::Whole => whole_text_is(hay, &t.pattern).then_some((0, t.pattern.as_str())),
            TextMode::Letter => {
                greek_letter_at(hay.as_bytes(), t.pattern.as_bytes(), t.case_sensitive)
                    .map(|at| (at, t.pattern.as_str()))
            }
        };
        if let Some((at, word)) = side_by_side {
            let start = hay[..at].chars().count();
            found.extend(start..start + word.chars().count());
        }
        out.extend(found.into_iter().filter_map(|i| from.get(i).copied()));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Results of one query, tagged with the generation it was asked with.
#[derive(Clone, Debug)]
pub struct SearchResults {
    pub generation: u64,
    pub query: String,
    pub outcome: Result<Vec<Hit>, QueryError>,
    /// How many docs the worker held when it ran the query.
    pub searched: usize,
    /// The query run instead, when `query` found nothing or a near miss of a word, and a
    /// correction of its words found papers (`hypertansion` -> `hypertension`, see
    /// [`suggest`]): the hits are its.
    pub corrected: Option<Correction>,
    /// The query's words (as folded) that found the hits only by their letters apart
    /// ([`Tier::Chunks`], [`Tier::Scattered`]): no paper holds them as typed, as a typo's
    /// word or as initials. A user test found `covid` listing 7 papers ("Color vision
    /// defects…") with nothing saying none of them contains the word.
    pub letters_apart: Vec<String>,
}

/// A query with its words corrected ([`suggest`]), run instead of the query as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    pub query: String,
    /// Papers the query as typed found: none, or a few by letters scattered through their
    /// texts (`asthama`, for `asthma`).
    pub found_as_typed: usize,
}

enum Request {
    /// New or changed papers (a doc with a known paper index replaces the old one).
    Docs(Vec<SearchDoc>),
    /// Papers whose docs the worker builds itself (see [`SearchWorker::index_papers`]).
    Papers(Vec<(PaperIdx, Paper)>),
    Bookmarks(HashSet<PaperIdx>),
    Query {
        generation: u64,
        query: String,
        /// Read whole ([`Query::parse_whole`]): a kept search, its last word finished.
        whole: bool,
    },
    /// Order papers by these keys ([`Library::order_keys`]) from now on.
    Order(Arc<Vec<crate::library::OrderKey>>),
    /// Make room for this many papers.
    Reserve(usize),
}

/// How long the worker waits without a request before taking new texts' words into its
/// vocabulary ([`suggest`]): while loading, batches come more often than this.
const VOCABULARY_AFTER_IDLE: std::time::Duration = std::time::Duration::from_millis(200);

/// Texts a query that finds nothing may take into the vocabulary itself before it is
/// corrected (a few milliseconds); with more behind it is left uncorrected until the
/// worker has been idle.
const VOCABULARY_ROWS_ON_DEMAND: usize = 4 * TABLE_ROWS_PER_CANCEL_CHECK;

/// Texts or entities judged up front between checks of whether a newer query has arrived.
const TABLE_ROWS_PER_CANCEL_CHECK: usize = 2048;

/// Candidates scored between checks of whether a newer query has arrived, and the unit
/// the scan threads take work in.
const CANDIDATES_PER_CHUNK: usize = 2048;

/// Runs of `len` rows handed out `size` at a time to whichever scan thread asks next. A
/// fixed half each made the query wait for a thread that started late: waking the idle
/// core took 2-4 ms in about a third of the queries timed, and the thread then still had
/// its whole half to do.
struct Chunks {
    next: AtomicUsize,
    len: usize,
    size: usize,
}

impl Chunks {
    fn new(len: usize, size: usize) -> Chunks {
        Chunks {
            next: AtomicUsize::new(0),
            len,
            size: size.max(1),
        }
    }

    /// The next run not yet taken, with its number (runs are numbered in row order).
    fn take(&self) -> Option<(usize, std::ops::Range<usize>)> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let start = n.checked_mul(self.size).filter(|&s| s < self.len)?;
        Some((n, start..self.len.min(start + self.size)))
    }
}
/// Below this many candidates one thread is faster than two.
const PARALLEL_MIN: usize = 4096;

/// What the worker remembers of the last query it finished, to narrow the next one.
struct Previous {
    query: Query,
    /// Hits in library order.
    papers: Vec<PaperIdx>,
}

/// The worker's state: the docs, bookmarks and the last completed query.
struct WorkerState {
    docs: Vec<SearchDoc>,
    /// Numbers texts and entities, shared with whoever builds docs for this worker.
    interner: Arc<DocInterner>,
    /// Every distinct field text, by the number the interner gave it.
    table: Vec<DocField>,
    /// Every distinct entity (kind and CURIE) by its number, with the names of all its
    /// copies united.
    entity_table: Vec<DocEntity>,
    /// The text memos of the last query run (see [`KeptMemo::for_term`]).
    memos: Vec<KeptMemo>,
    /// Every doc's field and entity references, one after another (see
    /// `SearchDoc::refs_at`). A replaced doc's old run stays unused.
    refs: Vec<u32>,
    /// Mentions of each doc's entities in its paper, parallel to the entity part of `refs`.
    mentions: Vec<u16>,
    /// `entity_table`'s names laid out for scanning; rebuilt before a query when stale.
    entity_names: EntityNames,
    entity_names_stale: bool,
    /// Which slots hold a real doc (docs can arrive out of order).
    present: Vec<bool>,
    /// The library's order, once the UI has asked for it: docs are scanned, and hits tied
    /// on score listed, in this order (without it, in paper number order).
    order: Option<Arc<SourceOrder>>,
    bookmarks: HashSet<PaperIdx>,
    /// The last few completed queries with their hits, newest first: a query searches only
    /// the hits of the smallest one it narrows (`gene:tp53 apo` those of `gene:tp53` when
    /// `gene:tp53 ap`, side by side, does not contain it).
    previous: std::collections::VecDeque<Previous>,
    /// The words of `table`'s texts up to row `vocabulary_upto`, for correcting a query
    /// that finds nothing (brought up to date for it when little behind) or a near miss
    /// (once up to date and sorted, when idle).
    vocabulary: suggest::Vocabulary,
    vocabulary_upto: usize,
    /// Finished entity terms (kinds, folded value, CURIE) -> whether they name some
    /// entity whole (see [`WorkerState::preferring_whole_names`]); emptied when entities
    /// come.
    names_whole: std::collections::HashMap<(Vec<EntityKind>, String, Option<String>), bool>,
    /// Fuzzy terms found to name something in the library or not ([`Matcher::names`]);
    /// emptied when docs come (a text filled in below the table's length, an entity's names
    /// united, a doc with texts of its own change the answer as much as a longer table).
    named: Vec<(NamingTerm, bool)>,
    /// What the query terms that may be acronyms stand for, as far as the library says;
    /// emptied when docs come, as `named` is.
    acronyms: Acronyms,
    /// The words of the last query run that found papers only by their letters apart
    /// ([`SearchResults::letters_apart`]).
    letters_apart: Vec<String>,
}

/// What decides whether a fuzzy term names something in the library.
#[derive(Clone, Debug, PartialEq, Eq)]
struct NamingTerm {
    field: TextField,
    pattern: String,
    case_sensitive: bool,
}

impl WorkerState {
    fn new(interner: Arc<DocInterner>) -> Self {
        WorkerState {
            docs: Vec::new(),
            interner,
            table: Vec::new(),
            entity_table: Vec::new(),
            memos: Vec::new(),
            refs: Vec::new(),
            mentions: Vec::new(),
            entity_names: EntityNames::default(),
            entity_names_stale: false,
            present: Vec::new(),
            order: None,
            bookmarks: HashSet::new(),
            previous: std::collections::VecDeque::new(),
            vocabulary: suggest::Vocabulary::default(),
            vocabulary_upto: 0,
            names_whole: std::collections::HashMap::new(),
            named: Vec::new(),
            acronyms: Acronyms::default(),
            letters_apart: Vec::new(),
        }
    }

    /// Room for `papers` more papers in every table: a doc each, its title and ids as texts
    /// of its own, and about a dozen references and mentions.
    fn reserve(&mut self, papers: usize) {
        self.docs.reserve(papers);
        self.present.reserve(papers);
        self.table.reserve(3 * papers);
        self.refs.reserve(16 * papers);
        self.mentions.reserve(12 * papers);
    }

    fn add_docs(&mut self, new: Vec<SearchDoc>) {
        for mut d in new {
            if !d.parts().fields.is_empty() && self.interner.intern_plain(&mut d).is_err() {
                // The table is full: this doc is matched on its own fields, prefilter included.
                let parts = d.parts_mut();
                if parts.all_lower.is_empty() {
                    parts.all_lower = joined_lower(&parts.fields);
                }
            }
            let mut parts = d.parts.take().map(|p| *p).unwrap_or_default();
            for (number, field) in std::mem::take(&mut parts.new_texts) {
                let at = number as usize;
                if at >= self.table.len() {
                    self.table.resize_with(at + 1, DocField::default);
                }
                if at < self.vocabulary_upto && field.kind != FieldKind::Id {
                    // A text arrived for a number the vocabulary passed as empty.
                    self.vocabulary.add_text(field.lower());
                }
                self.table[at] = field;
            }
            for (number, entity) in std::mem::take(&mut parts.new_entities) {
                self.entity_names_stale = true;
                self.names_whole.clear();
                let at = number as usize;
                if at >= self.entity_table.len() {
                    self.entity_table.resize_with(at + 1, DocEntity::default);
                }
                let slot = &mut self.entity_table[at];
                if slot.curie.is_empty() && !entity.curie.is_empty() {
                    // The entity's first copy, with its CURIE and id, after any that only
                    // add names ([`DocEntity::more_names`]) or none.
                    let earlier = std::mem::replace(slot, entity);
                    slot.unite(earlier);
                } else {
                    slot.unite(entity);
                }
            }
            if d.table_only {
                continue;
            }
            if !parts.interned.is_empty()
                && let (Ok(start), Ok(texts), Ok(entities), Ok(mentions)) = (
                    u32::try_from(self.refs.len()),
                    u32::try_from(parts.interned.len()),
                    u32::try_from(parts.entity_refs.len()),
                    u32::try_from(self.mentions.len()),
                )
                && start
                    .checked_add(texts)
                    .and_then(|end| end.checked_add(entities))
                    .is_some()
                && mentions.checked_add(entities).is_some()
            {
                self.refs.extend_from_slice(&parts.interned);
                self.refs.extend_from_slice(&parts.entity_refs);
                // One per entity whatever the doc brought (a doc built elsewhere may lack
                // them): a missing count is one mention.
                let counts = parts.mentions.iter().copied().chain(std::iter::repeat(1));
                self.mentions.extend(counts.take(parts.entity_refs.len()));
                d.refs_at = Some(RefsAt {
                    start,
                    texts,
                    entities,
                    mentions,
                });
                parts.interned = Vec::new();
                parts.entity_refs = Vec::new();
                parts.mentions = Vec::new();
            }
            // A doc filed in the tables keeps no parts; one matched on its own fields (the
            // table was full, or its references did not fit) keeps them.
            let matched_on_own = !parts.fields.is_empty()
                || !parts.entities.is_empty()
                || !parts.interned.is_empty()
                || !parts.entity_refs.is_empty();
            if matched_on_own {
                d.parts = Some(Box::new(parts));
            }
            let slot = d.paper as usize;
            if slot >= self.docs.len() {
                self.docs.resize_with(slot + 1, SearchDoc::default);
                self.present.resize(slot + 1, false);
            }
            self.docs[slot] = d;
            self.present[slot] = true;
        }
        // A replaced or new doc may now match where it did not: start afresh.
        self.previous.clear();
        self.memos.clear();
        self.named.clear();
        self.acronyms = Acronyms::default();
    }

    /// Whether texts have come that the vocabulary has not taken in.
    fn vocabulary_behind(&self) -> bool {
        self.vocabulary_upto < self.table.len()
    }

    /// Whether the vocabulary holds every text's words, sorted: near misses can be told
    /// from words being typed ([`suggest::Vocabulary::correct_near_misses`]).
    fn vocabulary_ready(&self) -> bool {
        !self.vocabulary_behind() && self.vocabulary.words_sorted()
    }

    /// Takes the words of the next rows of the text table into the vocabulary, and its new
    /// words into its sorted list (a part at a time: sorting every word at the end would
    /// keep a key waiting 70 ms at 150k words).
    fn extend_vocabulary(&mut self) {
        let end = (self.vocabulary_upto + TABLE_ROWS_PER_CANCEL_CHECK).min(self.table.len());
        for field in &self.table[self.vocabulary_upto..end] {
            if field.kind != FieldKind::Id {
                self.vocabulary.add_text(field.lower());
            }
        }
        self.vocabulary_upto = end;
        self.vocabulary.sort_words();
    }

    /// For a query `text` that found `found` papers: the query corrected ([`suggest`]) and
    /// its hits, when it finds more. Found nothing: any word no text holds is corrected,
    /// the vocabulary brought up to date first when little behind. Found some: only near
    /// misses, and only with the vocabulary ready (never worked on here, so that the keys
    /// of an ordinary query pay only for looking its words up). `None` when nothing could be
    /// corrected, the correction finds no more papers, the vocabulary is far behind the
    /// texts (not ready), or `latest` moved past `generation` (the vocabulary, brought up to
    /// date a part at a time, keeps what it took in). The correction is read by `parse` (the
    /// search line's, or the command line's).
    fn corrected(
        &mut self,
        generation: u64,
        text: &str,
        found: usize,
        latest: &AtomicU64,
        parse: fn(&str) -> Result<Query, QueryError>,
    ) -> Option<(Correction, Vec<Hit>)> {
        if !suggest::may_correct(text) {
            return None;
        }
        let better = if found > 0 {
            if !self.vocabulary_ready() {
                return None;
            }
            self.vocabulary.correct_near_misses(text)?
        } else {
            // Bringing a vocabulary far behind up to date here would hold this answer up
            // (130-180 ms at 100k papers, the benchmark's `pdl1 nasop`); the worker does it
            // when idle.
            if self.table.len() - self.vocabulary_upto > VOCABULARY_ROWS_ON_DEMAND {
                return None;
            }
            while self.vocabulary_behind() {
                if latest.load(Ordering::Relaxed) != generation {
                    return None;
                }
                self.extend_vocabulary();
            }
            self.vocabulary.correct(text)?
        };
        let query = parse(&better).ok()?;
        let hits = self.run(generation, &query, latest)?;
        // A near miss finds a few papers by scattered letters, what was meant many more
        // (`asthama` 2, `asthma` 26 on the corpora); an abbreviation near a word finds as
        // many as the word or more (`brcan`, "breast cancer", 180; `brca` 169) and stays.
        let correction = Correction {
            query: better,
            found_as_typed: found,
        };
        (hits.len() > found).then_some((correction, hits))
    }

    /// `query` with each finished entity term that names some entity of the library whole
    /// set to name entities whole only ([`Condition::Entity`]'s `whole_only`): a user test
    /// exported `gene:CD27` and got the papers of CD274 (PD-L1) and CD279 (PD-1) too.
    /// Worked out once per term until the entities change.
    fn preferring_whole_names<'q>(&mut self, query: &'q Query) -> std::borrow::Cow<'q, Query> {
        let mut preferring: Option<Query> = None;
        for (i, term) in query.terms.iter().enumerate() {
            let Condition::Entity {
                kinds,
                folded,
                curie,
                being_typed: false,
                whole_only: false,
            } = &term.condition
            else {
                continue;
            };
            // Shorter finished values name entities whole only anyway.
            if folded.chars().count() < MIN_ENTITY_PREFIX {
                continue;
            }
            let entities = &self.entity_table;
            let key = (kinds.clone(), folded.clone(), curie.clone());
            let names_one_whole = *self.names_whole.entry(key).or_insert_with(|| {
                let term = EntityTerm {
                    kinds,
                    folded,
                    curie: curie.as_ref(),
                    being_typed: false,
                    whole_only: false,
                };
                entities.iter().any(|e| term.names(e) == Some(Named::Fully))
            });
            if names_one_whole {
                let preferring = preferring.get_or_insert_with(|| query.clone());
                if let Condition::Entity { whole_only, .. } = &mut preferring.terms[i].condition {
                    *whole_only = true;
                }
            }
        }
        preferring.map_or(std::borrow::Cow::Borrowed(query), std::borrow::Cow::Owned)
    }

    /// A bit per fuzzy term of `query` (the first 64) that some hit has scattered letters
    /// of ([`Judged`]) and that names something in the library: a text holds it as typed,
    /// as initials or as a typo's word, or an entity has it as its id. Such a term finds
    /// only the papers it names so: a user test found `asthma` listing 26 papers, 14 with
    /// a…s…t…h…m…a strewn over a title ("McArdle disease: the mutation spectrum") after
    /// the 12 that say asthma. A term that names nothing (`hypertnsion`) keeps them. A
    /// property of the term alone, so `!word` leaves out exactly the papers `word` finds.
    /// `None` when a newer query arrived.
    fn named_terms(
        &mut self,
        query: &Query,
        memos: &[TermMemo],
        judged: &[JudgedHit],
        stale: &impl Fn() -> bool,
    ) -> Option<u64> {
        let (loose, naming) = judged.iter().fold(
            (0u64, 0u64),
            |(loose, naming), &(_, (l, l_negated, names))| (loose | l | l_negated, naming | names),
        );
        if loose == 0 {
            return Some(0);
        }
        let matcher = Matcher::with_table(
            &self.bookmarks,
            &self.table,
            &self.entity_table,
            &self.entity_names,
            (&self.refs, &self.mentions),
            Vec::new(),
        )
        .knowing(&self.acronyms);
        let mut named = 0u64;
        for (i, (term, memo)) in query.terms.iter().zip(memos).enumerate().take(64) {
            let bit = 1u64 << i;
            let (Condition::Text(t), TermMemo::Text(memo)) = (&term.condition, memo) else {
                continue;
            };
            if loose & bit == 0 {
                continue;
            }
            // A hit holding the term so shows it names something; a term alone has every
            // paper it matches among the hits.
            if !term.negated && naming & bit != 0 {
                named |= bit;
                continue;
            }
            if !term.negated && query.terms.len() == 1 {
                continue;
            }
            let key = NamingTerm {
                field: t.field,
                pattern: t.pattern.clone(),
                case_sensitive: t.case_sensitive,
            };
            let known = self.named.iter().find(|(k, _)| *k == key).map(|&(_, n)| n);
            let names = match known {
                Some(names) => names,
                None => {
                    // Docs past a full table hold texts of their own.
                    let names = matcher.names(t, memo, stale)?
                        || self.docs.iter().any(|doc| {
                            matcher.doc_refs(doc).is_none()
                                && !doc.parts().fields.is_empty()
                                && matcher.text_only(doc, t, None).is_some_and(names_something)
                        });
                    self.named.push((key, names));
                    names
                }
            };
            if names {
                named |= bit;
            }
        }
        Some(named)
    }

    /// Looks up what the fuzzy terms of `query` that may be acronyms stand for
    /// ([`Acronyms`]), those not looked up since docs last came.
    fn learn_acronyms(&mut self, query: &Query) {
        if self.entity_names_stale {
            self.entity_names = EntityNames::of(&self.entity_table);
            self.entity_names_stale = false;
        }
        for term in &query.terms {
            let Condition::Text(t) = &term.condition else {
                continue;
            };
            if !may_be_acronym(&t.pattern) {
                continue;
            }
            // The texts that are the term, as typed or in the usual cases (`HIV`, `Hiv`).
            let lower = t.pattern.to_ascii_lowercase();
            let upper = t.pattern.to_ascii_uppercase();
            let capitalised = format!("{}{}", &upper[..1], &lower[1..]);
            let mut numbers: Vec<u32> = [t.pattern.as_str(), &lower, &upper, &capitalised]
                .into_iter()
                .filter_map(|spelling| self.interner.number_of(spelling))
                .collect();
            numbers.sort_unstable();
            numbers.dedup();
            self.acronyms
                .learn(&t.pattern, &numbers, &self.entity_names, &self.table);
        }
    }

    /// Runs a query unless `latest` moves past `generation`; `None` when abandoned.
    fn run(&mut self, generation: u64, query: &Query, latest: &AtomicU64) -> Option<Vec<Hit>> {
        self.letters_apart.clear();
        // (Brings the entity names up to date too.)
        self.learn_acronyms(query);
        let query = &*self.preferring_whole_names(query);
        let narrowed = self
            .previous
            .iter()
            .filter(|prev| query.narrows(&prev.query))
            .min_by_key(|prev| prev.papers.len());
        let present = |&p: &PaperIdx| self.present[p as usize];
        let candidates: Vec<PaperIdx> = match (narrowed, &self.order) {
            (Some(prev), _) => prev.papers.clone(),
            (None, Some(order)) => {
                // Ordered papers, then any added since (a doc may not have come yet).
                let ordered = order
                    .sorted
                    .iter()
                    .copied()
                    .filter(|&p| (p as usize) < self.docs.len());
                let after =
                    order.len().min(self.docs.len()) as PaperIdx..self.docs.len() as PaperIdx;
                ordered.chain(after).filter(present).collect()
            }
            (None, None) => (0..self.docs.len() as PaperIdx).filter(present).collect(),
        };
        let order = self.order.clone();
        let place = |p: PaperIdx| order.as_ref().map_or(u64::from(p), |o| o.rank(p));
        let stale = || latest.load(Ordering::Relaxed) != generation;
        let docs = &self.docs;
        let bookmarks = &self.bookmarks;
        let table = &self.table;
        let entity_table = &self.entity_table;
        let entity_names = &self.entity_names;
        let refs = (self.refs.as_slice(), self.mentions.as_slice());
        let acronyms = &self.acronyms;
        let kept: Vec<Option<KeptMemo>> = query
            .terms
            .iter()
            .map(|t| match &t.condition {
                Condition::Text(text) => Some(KeptMemo::for_term(
                    &self.memos,
                    text,
                    table.len(),
                    entity_table.len(),
                )),
                _ => None,
            })
            .collect();
        let memos: Vec<TermMemo> = query
            .terms
            .iter()
            .zip(&kept)
            .map(|(t, kept)| match (&t.condition, kept) {
                (Condition::Text(text), Some(kept)) => TermMemo::Text(TextMemo::new(text, kept)),
                (Condition::Entity { .. }, _) => {
                    TermMemo::Entity((0..entity_table.len()).map(|_| AtomicU8::new(0)).collect())
                }
                _ => TermMemo::Nothing,
            })
            .collect();
        // This query's memos first, then older ones for other patterns (`b` stays useful
        // after `br`, which `brc` cannot narrow).
        let mut keep: Vec<KeptMemo> = kept.into_iter().flatten().collect();
        for old in std::mem::take(&mut self.memos) {
            if keep.len() >= KEPT_QUERIES {
                break;
            }
            if !keep.iter().any(|m| m.same_scores_as(&old)) {
                keep.push(old);
            }
        }
        self.memos = keep;
        // With many candidates, score every text and judge every entity up front, in table
        // order, instead of in the order the docs name them: memory read front to back,
        // not at random. Each scan thread does its share of both tables.
        let up_front = candidates.len() >= docs.len() / 4;
        let texts_left = Chunks::new(
            if up_front { table.len() } else { 0 },
            TABLE_ROWS_PER_CANCEL_CHECK,
        );
        let entities_left = Chunks::new(
            if up_front { entity_table.len() } else { 0 },
            TABLE_ROWS_PER_CANCEL_CHECK,
        );
        let candidates_left = Chunks::new(candidates.len(), CANDIDATES_PER_CHUNK);
        // Each thread's hits by chunk number; `None` when a newer query arrived.
        let scan = || -> Option<Vec<(usize, Vec<JudgedHit>)>> {
            let matcher = Matcher::with_table(
                bookmarks,
                table,
                entity_table,
                entity_names,
                refs,
                memos.clone(),
            )
            .knowing(acronyms);
            // With many candidates, every text and entity first, in table order.
            while let Some((_, rows)) = texts_left.take() {
                if stale() {
                    return None;
                }
                matcher.score_texts(query, rows);
            }
            while let Some((_, rows)) = entities_left.take() {
                if stale() {
                    return None;
                }
                matcher.score_entities(query, rows);
            }
            let mut found = Vec::new();
            while let Some((n, range)) = candidates_left.take() {
                if stale() {
                    return None;
                }
                let hits: Vec<JudgedHit> = candidates[range]
                    .iter()
                    .filter_map(|&p| {
                        let j = matcher.judge(&docs[p as usize], query)?;
                        let hit = Hit {
                            paper: p,
                            score: j.score,
                        };
                        Some((hit, (j.loose, j.loose_negated, j.names)))
                    })
                    .collect();
                found.push((n, hits));
            }
            Some(found)
        };
        let mut chunks = if candidates.len() >= PARALLEL_MIN {
            let (first, second) = thread::scope(|s| {
                let other = s.spawn(scan);
                let first = scan();
                (first, other.join().ok().flatten())
            });
            let mut first = first?;
            first.extend(second?);
            first
        } else {
            scan()?
        };
        chunks.sort_unstable_by_key(|&(n, _)| n);
        let mut judged = Vec::with_capacity(chunks.iter().map(|(_, h)| h.len()).sum());
        for (_, part) in chunks {
            judged.extend(part);
        }
        // Candidates are in library order, and so are the hits, chunk by chunk. A longer
        // query narrows all of them, those the words left out below included.
        let papers: Vec<PaperIdx> = judged.iter().map(|(h, _)| h.paper).collect();
        debug_assert!(papers.is_sorted_by_key(|&p| place(p)));
        let named = self.named_terms(query, &memos, &judged, &stale)?;
        let mut naming = 0u64;
        let mut hits: Vec<Hit> = judged
            .into_iter()
            .filter(|&(_, (loose, loose_negated, _))| {
                loose & named == 0 && loose_negated & !named == 0
            })
            .map(|(hit, (_, _, names))| {
                naming |= names;
                hit
            })
            .collect();
        // A word that found papers, none of them holding it in a tier that names something.
        if !hits.is_empty() {
            let words = query.terms.iter().enumerate().take(64);
            self.letters_apart = words
                .filter(|&(i, _)| naming & (1 << i) == 0)
                .filter_map(|(_, term)| match &term.condition {
                    Condition::Text(t) if t.mode == TextMode::Fuzzy && !term.negated => {
                        Some(t.hyphenated.clone().unwrap_or_else(|| t.pattern.clone()))
                    }
                    _ => None,
                })
                .collect();
        }
        self.previous.retain(|prev| prev.query != *query);
        self.previous.push_front(Previous {
            query: query.clone(),
            papers,
        });
        self.previous.truncate(KEPT_QUERIES);
        if !query.is_empty() {
            rank(&mut hits);
        }
        Some(hits)
    }
}

/// A thread that owns the searchable docs and answers queries. Only the newest query is run;
/// a query still scanning when a newer one arrives is abandoned, and results are delivered in
/// generation order, never an older one after a newer one.
pub struct SearchWorker {
    requests: Sender<Request>,
    results: Receiver<SearchResults>,
    /// Each order worked out for [`SearchWorker::order_papers`].
    orders: Receiver<Arc<SourceOrder>>,
    latest: Arc<AtomicU64>,
    interner: Arc<DocInterner>,
}

impl SearchWorker {
    pub fn spawn() -> Self {
        Self::spawn_waking(crate::threads::Waker::default())
    }

    /// A worker that calls `waker` each time it has sent results or an order.
    pub fn spawn_waking(waker: crate::threads::Waker) -> Self {
        let (req_tx, req_rx) = mpsc::channel::<Request>();
        let (res_tx, res_rx) = mpsc::channel();
        let (order_tx, order_rx) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let latest_in_worker = Arc::clone(&latest);
        let interner = Arc::new(DocInterner::new());
        let state = WorkerState::new(Arc::clone(&interner));
        thread::Builder::new()
            .name("tomes-search".into())
            .spawn(move || {
                crate::threads::no_wakeup_preemption();
                let replies = Replies {
                    results: res_tx,
                    orders: order_tx,
                    waker,
                };
                worker_loop(state, &req_rx, &replies, &latest_in_worker);
            })
            .expect("spawn search thread");
        SearchWorker {
            requests: req_tx,
            results: res_rx,
            orders: order_rx,
            latest,
            interner,
        }
    }

    /// The numbering of texts and entities this worker's docs use: build docs with it
    /// ([`DocInterner::doc`]) on any thread, to hand the worker numbers instead of text.
    pub fn interner(&self) -> Arc<DocInterner> {
        Arc::clone(&self.interner)
    }

    /// The doc of paper `paper` for this worker, built on the calling thread.
    pub fn doc(&self, paper: PaperIdx, p: &Paper) -> SearchDoc {
        self.interner.doc(paper, p)
    }

    /// Adds or replaces searchable docs.
    pub fn add_docs(&self, docs: Vec<SearchDoc>) {
        let _ = self.requests.send(Request::Docs(docs));
    }

    /// Adds or replaces the docs of `papers` of `library`, built on the worker's thread from
    /// copies. For the UI thread: building a doc takes the interner's lock, which the loader
    /// threads hold while they build theirs, at the lowest priority; waiting for one of them
    /// to be given a core again held a keystroke up by 10-30 ms at a million papers.
    pub fn index_papers(&self, library: &Library, papers: &[PaperIdx]) {
        let copies = papers
            .iter()
            .map(|&p| (p, library.paper(p).clone()))
            .collect();
        let _ = self.requests.send(Request::Papers(copies));
    }

    /// Makes room for `papers` papers before a load brings them: grown by doubling as they
    /// came, the worker's tables held each old copy beside the new one for a moment, which
    /// at 100k papers set the load's peak memory 10 MB higher. Room never used costs
    /// address space, not memory.
    pub fn reserve(&self, papers: usize) {
        let _ = self.requests.send(Request::Reserve(papers));
    }

    /// Sets the bookmarked papers `is:bookmarked` matches.
    pub fn set_bookmarks(&self, bookmarks: HashSet<PaperIdx>) {
        let _ = self.requests.send(Request::Bookmarks(bookmarks));
    }

    /// Asks for a search; results come back tagged with `generation`. Any query with another
    /// generation still running is abandoned.
    pub fn search(&self, generation: u64, query: &str) {
        self.ask(generation, query, false);
    }

    /// [`SearchWorker::search`] for a query read whole, as `tomes search` reads it
    /// ([`Query::parse_whole`]): a kept search, whose last word is no longer being typed
    /// (`species:human` kept named every entity starting with `human`, 497 papers where
    /// `tomes search` and `tomes export` found 472).
    pub fn search_whole(&self, generation: u64, query: &str) {
        self.ask(generation, query, true);
    }

    fn ask(&self, generation: u64, query: &str, whole: bool) {
        self.latest.store(generation, Ordering::Relaxed);
        let _ = self.requests.send(Request::Query {
            generation,
            query: query.to_owned(),
            whole,
        });
    }

    /// A finished result, if one is ready.
    pub fn try_recv(&self) -> Option<SearchResults> {
        self.results.try_recv().ok()
    }

    /// Sorts the papers by these keys ([`Library::order_keys`]) on the worker's thread (a
    /// million papers take 25 ms), to scan and list them in that order from now on; the
    /// order comes back through [`SearchWorker::try_recv_order`] for the lists to follow.
    pub fn order_papers(&self, keys: Arc<Vec<crate::library::OrderKey>>) {
        let _ = self.requests.send(Request::Order(keys));
    }

    /// The last order worked out, if one came since the last call.
    pub fn try_recv_order(&self) -> Option<Arc<SourceOrder>> {
        self.orders.try_iter().last()
    }

    /// Waits for the next order (for tests).
    pub fn recv_order_timeout(&self, timeout: std::time::Duration) -> Option<Arc<SourceOrder>> {
        self.orders.recv_timeout(timeout).ok()
    }

    /// Waits for the next result (for tests and the benchmark).
    pub fn recv_timeout(&self, timeout: std::time::Duration) -> Option<SearchResults> {
        self.results.recv_timeout(timeout).ok()
    }
}

/// Where the worker answers.
struct Replies {
    results: Sender<SearchResults>,
    orders: Sender<Arc<SourceOrder>>,
    waker: crate::threads::Waker,
}

fn worker_loop(
    mut state: WorkerState,
    requests: &Receiver<Request>,
    replies: &Replies,
    latest: &AtomicU64,
) {
    let mut delivered: Option<u64> = None;
    loop {
        // Idle (no request for a while, so no load running either): the vocabulary is
        // brought up to date a part at a time, then sorted, so a query can be corrected
        // without first reading every text, and a request waits for one part.
        let first = if !state.vocabulary_ready() {
            match requests.recv_timeout(VOCABULARY_AFTER_IDLE) {
                Ok(first) => Some(first),
                Err(RecvTimeoutError::Timeout) => loop {
                    state.extend_vocabulary();
                    if state.vocabulary_ready() {
                        break None;
                    }
                    match requests.try_recv() {
                        Ok(first) => break Some(first),
                        Err(TryRecvError::Empty) => {}
                        Err(TryRecvError::Disconnected) => return,
                    }
                },
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match requests.recv() {
                Ok(first) => Some(first),
                Err(_) => return,
            }
        };
        let Some(first) = first else {
            continue;
        };
        let mut pending = vec![first];
        pending.extend(requests.try_iter());
        let mut newest = None;
        for req in pending {
            match req {
                Request::Docs(new) => state.add_docs(new),
                Request::Papers(papers) => {
                    let docs = papers
                        .iter()
                        .map(|(idx, p)| state.interner.doc(*idx, p))
                        .collect();
                    state.add_docs(docs);
                }
                Request::Bookmarks(b) => {
                    state.bookmarks = b;
                    state.previous.clear();
                }
                Request::Reserve(papers) => state.reserve(papers),
                Request::Query {
                    generation,
                    query,
                    whole,
                } => newest = Some((generation, query, whole)),
                Request::Order(keys) => {
                    let order = Arc::new(SourceOrder::of(&keys));
                    state.order = Some(Arc::clone(&order));
                    // Narrowed queries would scan their hits in the old order.
                    state.previous.clear();
                    let _ = replies.orders.send(order);
                    replies.waker.wake();
                }
            }
        }
        let Some((generation, text, whole)) = newest else {
            continue;
        };
        // Superseded before it started, or older than what was already delivered.
        if latest.load(Ordering::Relaxed) != generation || delivered.is_some_and(|d| generation < d)
        {
            continue;
        }
        let mut corrected = None;
        let mut letters_apart = Vec::new();
        // A kept query the browser sends whole is one it accepted whole; should one not
        // read so, it is read as typed rather than refused.
        let parse: fn(&str) -> Result<Query, QueryError> = if whole {
            |text| Query::parse_whole(text).or_else(|_| Query::parse(text))
        } else {
            Query::parse
        };
        let outcome = match parse(&text) {
            Ok(query) => match state.run(generation, &query, latest) {
                Some(hits) => {
                    letters_apart = std::mem::take(&mut state.letters_apart);
                    match state.corrected(generation, &text, hits.len(), latest, parse) {
                        Some((better, better_hits)) => {
                            // The hits are the correction's, whose words the title shows.
                            letters_apart.clear();
                            corrected = Some(better);
                            Ok(better_hits)
                        }
                        None if latest.load(Ordering::Relaxed) != generation => continue,
                        None => Ok(hits),
                    }
                }
                None => continue,
            },
            Err(e) => Err(e),
        };
        let searched = state.present.iter().filter(|&&p| p).count();
        delivered = Some(generation);
        let sent = replies.results.send(SearchResults {
            generation,
            query: text,
            outcome,
            searched,
            corrected,
            letters_apart,
        });
        if sent.is_err() {
            return;
        }
        replies.waker.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text term `pattern` parses as (the first of its query).
    fn text_term(pattern: &str) -> TextTerm {
        let query = Query::parse(pattern).expect("a query");
        match &query.terms[0].condition {
            Condition::Text(term) => term.clone(),
            _ => panic!("{pattern} is not a text term"),
        }
    }

    /// The fewest words whose initials are the term's, as the words of the name.
    #[test]
    fn initials_spell_out_the_fewest_words() {
        for (pattern, name, spelled) in [
            (
                "hiv",
                "human immunodeficiency virus type 1",
                Some(" human immunodeficiency virus "),
            ),
            ("ebv", "Epstein-Barr virus", Some(" epstein barr virus ")),
            (
                "tnf",
                "tumor necrosis factor-alpha",
                Some(" tumor necrosis factor "),
            ),
            ("hiv", "HIV-1", None),
            ("hiv", "hepatitis B virus", None),
        ] {
            assert_eq!(
                initials_spelled(pattern, &name.to_lowercase()).as_deref(),
                spelled,
                "{name}"
            );
        }
        assert!(spells_out(
            "The HIV-1 human immunodeficiency-virus cohort",
            &[" human immunodeficiency virus ".to_owned()]
        ));
    }

    /// Folding an ASCII name byte by byte gives what folding it a char at a time gives.
    #[test]
    fn ascii_names_fold_as_by_char() {
        for name in [
            "",
            "TP53",
            "tumor necrosis factor-alpha",
            "  IL-1 beta ",
            "5'-nucleotidase",
            "(+)-catechin",
            "a",
            "-",
            "A.B.C",
            "x--y__z",
            "CD274 (PD-L1)",
        ] {
            let (mut by_byte, mut starts) = (String::new(), Vec::new());
            fold_marking_words(name, &mut by_byte, &mut starts);
            let (mut by_char, mut char_starts) = (String::new(), Vec::new());
            fold_marking_words_by_char(name, &mut by_char, &mut char_starts);
            assert_eq!((by_byte, starts), (by_char, char_starts), "{name:?}");
        }
    }

    /// A doc the worker cannot number (its text table full) keeps its parts and is matched
    /// on its own fields: the same hits and scores as a numbered doc for terms on its own
    /// fields; for plain words it lacks only the names other papers give its entities, so
    /// it is found by no more, and scores no higher, than when numbered.
    #[test]
    fn docs_past_a_full_text_table_are_matched_on_their_own_fields() {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpora/bc5cdr/CDR_DevelopmentSet.PubTator.txt");
        if !file.is_file() {
            eprintln!("skipping: ../shared/corpora not found");
            return;
        }
        let (library, _) = crate::library::load(std::slice::from_ref(&file));
        let papers = library.papers();
        let run = |limit: Option<u32>, plain: bool, query: &str| {
            let interner = Arc::new(match limit {
                Some(limit) => DocInterner::with_text_limit(limit),
                None => DocInterner::new(),
            });
            let docs: Vec<SearchDoc> = papers
                .iter()
                .enumerate()
                .map(|(i, p)| match plain {
                    true => SearchDoc::new(i as PaperIdx, p),
                    false => interner.doc(i as PaperIdx, p),
                })
                .collect();
            let mut state = WorkerState::new(interner);
            state.add_docs(docs);
            let kept: HashSet<PaperIdx> = state
                .docs
                .iter()
                .filter(|d| d.parts.is_some())
                .map(|d| d.paper)
                .collect();
            let query = Query::parse(query).unwrap();
            let hits = state.run(0, &query, &AtomicU64::new(0)).unwrap();
            (kept, hits)
        };
        let own_fields = ["title:induced", "pmid:6794356", "title:lithium", "author:x"];
        // Not `cardiac hypertr`: its one paper past the limit holds h…y…p…e…r…t…r apart,
        // left out since texts of the library hold "hypertrophy", numbered or not.
        let words = ["lithium", "toxicty", "cardiac hypert", "'dyskinesia"];
        for query in own_fields.iter().chain(&words) {
            let (none_kept, numbered) = run(None, false, query);
            assert!(none_kept.is_empty(), "every doc filed: no parts kept");
            for plain in [false, true] {
                let (kept, past_limit) = run(Some(2400), plain, query);
                assert!(
                    kept.len() > 100,
                    "{query}: {} docs past the limit",
                    kept.len()
                );
                if own_fields.contains(query) {
                    assert_eq!(past_limit, numbered, "{query} (plain docs: {plain})");
                    continue;
                }
                let numbered: std::collections::HashMap<PaperIdx, i64> =
                    numbered.iter().map(|h| (h.paper, h.score)).collect();
                assert!(
                    past_limit.iter().any(|h| kept.contains(&h.paper)),
                    "{query}: docs past the limit are found"
                );
                for hit in &past_limit {
                    let score = numbered.get(&hit.paper).copied();
                    assert!(
                        score.is_some_and(|s| hit.score <= s),
                        "{query}: {hit:?} (numbered: {score:?})"
                    );
                }
            }
        }
    }

    #[test]
    fn ascii_mask_has_a_bit_per_letter_and_shared_bits_for_digits() {
        assert_eq!(ascii_mask(""), 0);
        assert_eq!(ascii_mask("ab"), 0b11);
        assert_eq!(ascii_mask("AB-b a"), 0b11);
        assert_eq!(ascii_mask("z"), 1 << 25);
        assert_eq!(ascii_mask("0"), 1 << 26);
        assert_eq!(ascii_mask("6"), 1 << 26, "0 and 6 share a bit");
        assert_eq!(ascii_mask("9"), 1 << 29);
        assert_eq!(ascii_mask("αβ"), 0, "only ASCII letters and digits count");
    }

    /// A field keeps its text lower-cased only where that differs, with the mask of the
    /// lower-cased text, ASCII or not.
    #[test]
    fn fields_keep_their_lower_case_once_and_its_mask() {
        for text in [
            "PD-L1 expression in nasopharyngeal carcinoma",
            "breast cancer",
            "31000006",
            "",
            "TGF-β",
            "tgf-β",
            "İstanbul",
            "\u{212A}inase",
        ] {
            let field = DocField::new(FieldKind::Title, text);
            let lowered = fold::fold_lower(&field.text);
            assert_eq!(field.lower(), lowered, "{text}");
            assert_eq!(field.lowered.is_some(), lowered != *field.text, "{text}");
            assert_eq!(field.mask, ascii_mask(&lowered), "{text}");
        }
        for b in 0..=255u8 {
            let lower = b.to_ascii_lowercase();
            let bit = match lower {
                b'a'..=b'z' => 1 << (lower - b'a'),
                b'0'..=b'9' => 1 << (26 + (lower - b'0') % 6),
                _ => 0,
            };
            assert_eq!(ASCII_BITS[usize::from(b)], bit, "{b}");
        }
    }

    /// The mask only skips work: every term scores every field as it would without it, in
    /// every mode, case-sensitive or not, on texts with non-ASCII letters whose lower case
    /// is ASCII (the Kelvin sign, dotted capital I).
    #[test]
    fn the_mask_never_turns_a_match_away() {
        let texts = [
            "PD-L1 expression in nasopharyngeal carcinoma",
            "TNF-α and IL-6",
            "İstanbul cohort",
            "\u{212A}inase activity",
            "BRCA1/2",
            "10.1038/nature12345",
            "PMID:31000006",
            "",
        ];
        let patterns = [
            "pdl1",
            "pd",
            "carcinoma",
            "'naso",
            "^pd",
            "carcinoma$",
            "tnf",
            "il6",
            "α",
            "istanbul",
            "İstanbul",
            "kinase",
            "Kinase",
            "brca12",
            "12345",
            "nature",
            "pmid",
            "31000006",
            "60",
            "BRCA",
            "q",
        ];
        let bookmarks = HashSet::new();
        let matcher = Matcher::new(&bookmarks);
        for text in texts {
            let field = DocField::new(FieldKind::Title, text);
            let unmasked = DocField {
                mask: u32::MAX,
                ..field.clone()
            };
            // One lower-case letter is matched on the masks alone (a field with no mask
            // would hold every letter), as the next test shows is right.
            let patterns = patterns
                .iter()
                .filter(|p| p.len() > 1 || p.bytes().all(|b| !b.is_ascii_lowercase()));
            for pattern in patterns {
                let term = &text_term(pattern);
                assert_eq!(
                    matcher.raw_score(&field, term),
                    matcher.raw_score(&unmasked, term),
                    "{pattern} on {text}"
                );
            }
        }
        // And it does skip: a letter the text lacks.
        let field = DocField::new(FieldKind::Title, "breast cancer");
        let term = &text_term("brcq");
        assert_ne!(term.mask & !field.mask, 0);
    }

    /// A one-letter term is scored from a field's masks, and a two-letter one by its own
    /// searcher, as reading the text for the first letter scores them: for every letter
    /// (and many pairs), on every title and entity name of a real corpus and on texts with
    /// words of digits, punctuation, non-ASCII letters and capitals.
    #[test]
    fn one_and_two_letter_terms_score_as_by_reading_the_text() {
        let mut texts: Vec<String> = [
            "",
            "c",
            "C",
            "hepatitis C virus",
            "vitamin c.",
            "a-b c/d",
            "x1 2x 3 y",
            "9c c9 (c)",
            "αc βd",
            "café au lait",
            "İstanbul k",
            "\u{212A} kinase",
            "ABC",
            "abc cab bca",
        ]
        .map(str::to_owned)
        .to_vec();
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpora/bc5cdr/CDR_DevelopmentSet.PubTator.txt");
        if file.is_file() {
            let (library, _) = crate::library::load(std::slice::from_ref(&file));
            for p in library.papers() {
                texts.push(p.title.to_string());
                texts.extend(p.entities.iter().map(|e| e.name.to_string()));
            }
            assert!(texts.len() > 3_000, "{}", texts.len());
        } else {
            eprintln!("skipping the corpus texts: ../shared/corpora not found");
        }
        let bookmarks = HashSet::new();
        let matcher = Matcher::new(&bookmarks);
        let mut tiers = Vec::new();
        for text in &texts {
            for kind in [FieldKind::Title, FieldKind::Entity] {
                let field = DocField::new(kind, text);
                for letter in b'a'..=b'z' {
                    let pattern = [letter];
                    let from_masks = field.one_letter_match(&pattern).unwrap();
                    let from_text = short_pattern_match(&pattern, field.lower().as_bytes());
                    assert_eq!(from_masks, from_text, "{} in {text:?}", letter as char);
                    let term = &text_term(std::str::from_utf8(&pattern).unwrap());
                    let scored = matcher.tiered_score(&field, term, true);
                    assert_eq!(scored, from_text, "{} in {text:?}", letter as char);
                    let tier = from_masks.map(|(tier, _)| tier);
                    if !tiers.contains(&tier) {
                        tiers.push(tier);
                    }
                }
            }
        }
        // Each answer turns up: no match, inside a word, a word's start, a word.
        assert_eq!(tiers.len(), 4, "{tiers:?}");
        // Two letters or digits, found by the term's searcher, as by the first letter's
        // places: every pair of a few letters and digits, those a text repeats ("aaa")
        // included.
        let mut pair_tiers = Vec::new();
        let alphabet = b"acdeinorst0126";
        for text in texts
            .iter()
            .chain(&["aaa aa".to_owned(), "xaa-aa".to_owned()])
        {
            let field = DocField::new(FieldKind::Title, text);
            for &a in alphabet {
                for &b in alphabet.iter().chain(b"a") {
                    let pattern = [a, b];
                    let finder = memchr::memmem::Finder::new(&pattern);
                    let hay = field.lower().as_bytes();
                    let by_pair = letter_pair_match(&finder, &pattern, hay).unwrap();
                    let by_first = short_pattern_match(&pattern, hay);
                    assert_eq!(by_pair, by_first, "{:?} in {text:?}", pattern);
                    let tier = by_pair.map(|(tier, _)| tier);
                    if !pair_tiers.contains(&tier) {
                        pair_tiers.push(tier);
                    }
                }
            }
        }
        assert_eq!(pair_tiers.len(), 4, "{pair_tiers:?}");
        for other in [&b"a"[..], b"a-", b"-a", b"abc", b""] {
            let finder = memchr::memmem::Finder::new(other);
            assert_eq!(letter_pair_match(&finder, other, b"a-a abc"), None);
        }
        // Any other pattern is left to the text.
        let field = DocField::new(FieldKind::Title, "cd274");
        for other in ["cd", "C", "2", "-", "é", ""] {
            assert_eq!(field.one_letter_match(other.as_bytes()), None, "{other}");
        }
    }

    #[test]
    fn a_record_merged_away_hands_on_no_ids_of_its_own() {
        // The second record of a paper only numbers its own key, PMID and title again; as a
        // table-only doc it must carry nothing (they would be rows nobody points at).
        let paper = Paper {
            key: crate::model::PaperKey("PMID:1".into()),
            ids: crate::model::PaperIds {
                pmid: Some("1".into()),
                ..Default::default()
            },
            title: "Tumour suppressors".into(),
            authors: vec!["Ada Lovelace".into()],
            ..Paper::default()
        };
        let interner = DocInterner::new();
        let first = interner.doc(0, &paper);
        assert!(first.numbers_new_texts());
        let again = interner.doc(0, &paper);
        assert!(
            again
                .parts()
                .new_texts
                .iter()
                .all(|(_, f)| intern::unshared(f.kind))
        );
        assert!(!again.numbers_new_texts());
        assert!(again.into_table_only().parts().new_texts.is_empty());
        let mut other = paper.clone();
        other.title = "A title no record had".into();
        other.authors.push("An author no record had".into());
        let merged = interner.doc(0, &other).into_table_only();
        let carried: Vec<&str> = merged
            .parts()
            .new_texts
            .iter()
            .map(|(_, f)| &*f.text)
            .collect();
        assert_eq!(carried, ["An author no record had"], "only the new author");
    }

    /// A known entity is sent again with only what it gains (a new spelling, a name now
    /// shared), without the CURIE and id its first copy brings; the worker's table holds the
    /// same entity whichever copy reaches it first.
    #[test]
    fn an_entitys_later_copies_bring_only_names_in_any_order() {
        let paper = |key: &str, name: &str, aliases: &[&str]| Paper {
            key: crate::model::PaperKey(key.into()),
            entities: vec![crate::model::PaperEntity {
                key: crate::model::EntityKey("NCBIGene:7157".into()),
                kind: EntityKind::Gene,
                name: name.into(),
                description: None,
                aliases: aliases.iter().map(|&a| a.into()).collect(),
                mentions: 1,
                spans: vec![].into(),
                named_by_group: false,
                name_weight: 1,
            }],
            ..Paper::default()
        };
        let papers = [
            paper("PMID:1", "TP53", &["p53"]),
            // A new spelling, and `p53` now used by a second paper.
            paper("PMID:2", "tumor protein p53", &["p53"]),
            // Only a name now used by a second paper.
            paper("PMID:3", "TP53", &[]),
            // Nothing new.
            paper("PMID:4", "TP53", &["p53"]),
        ];
        let interner = Arc::new(DocInterner::new());
        let docs: Vec<SearchDoc> = papers
            .iter()
            .enumerate()
            .map(|(i, p)| interner.doc(i as PaperIdx, p))
            .collect();
        let sent = |doc: &SearchDoc| doc.parts().new_entities.clone();
        let first = &sent(&docs[0])[0].1;
        assert_eq!(first.curie, "ncbigene:7157");
        assert_eq!(first.local_id.as_deref(), Some("7157"));
        let [(_, spelling)] = &sent(&docs[1])[..] else {
            panic!("one entity sent: {:?}", sent(&docs[1]));
        };
        assert_eq!((spelling.curie.as_str(), &spelling.local_id), ("", &None));
        assert_eq!(
            spelling.folded.iter().collect::<Vec<_>>(),
            ["tumorproteinp53"]
        );
        assert_eq!(spelling.name_texts.len(), 1, "p53, now shared");
        let [(_, shared)] = &sent(&docs[2])[..] else {
            panic!("one entity sent: {:?}", sent(&docs[2]));
        };
        assert_eq!(
            (
                shared.kind,
                shared.folded.iter().count(),
                shared.name_texts.len()
            ),
            (EntityKind::Gene, 0, 1),
            "TP53, now shared, and no names to fold"
        );
        assert!(sent(&docs[3]).is_empty());
        let table = |order: &[usize]| {
            let mut state = WorkerState::new(Arc::clone(&interner));
            for &i in order {
                state.add_docs(vec![docs[i].clone()]);
            }
            let mut e = state.entity_table[0].clone();
            e.name_texts.sort_unstable();
            e
        };
        let in_order = table(&[0, 1, 2, 3]);
        assert_eq!(in_order.curie, "ncbigene:7157");
        assert_eq!(
            in_order.folded.iter().collect::<Vec<_>>(),
            ["7157", "p53", "tp53", "tumorproteinp53"]
        );
        assert_eq!(in_order.name_texts.len(), 2);
        for order in [[1, 2, 0, 3], [2, 1, 3, 0], [3, 2, 1, 0]] {
            assert_eq!(table(&order), in_order, "{order:?}");
        }
    }

    #[test]
    fn an_entity_matches_its_names_and_their_word_tails_folded() {
        let e = DocEntity::from_names(
            EntityKind::Species,
            "NCBITaxon:9606",
            &["Homo sapiens", "HUMAN", "  ", "IFN-γ", "日本"],
        );
        assert_eq!(
            e.folded.iter().collect::<Vec<_>>(),
            ["9606", "homosapiens", "human", "ifngamma", "日本"]
        );
        assert_eq!(
            e.tails.iter().collect::<Vec<_>>(),
            [
                "gamma",
                "homosapiens",
                "human",
                "ifngamma",
                "sapiens",
                "日本"
            ]
        );
        for (term, found) in [
            ("homosapiens", true),
            ("sapiens", true),
            ("apiens", false),
            ("sap", true),
            ("hom", true),
            ("gam", true),
            ("ifngamma", true),
            ("日本", true),
            ("960", false),
            ("9606", true),
        ] {
            assert_eq!(e.matches(term, None), found, "{term}");
        }
    }

    #[test]
    fn a_value_being_typed_names_entities_by_any_start_of_a_name_id_or_curie() {
        let ar = DocEntity::from_names(
            EntityKind::Gene,
            "NCBIGene:367",
            &["AR", "androgen receptor"],
        );
        let typed = |folded: &str, curie: Option<&str>| {
            let curie = curie.map(str::to_owned);
            ar.named_by(&EntityTerm {
                kinds: &[],
                folded,
                curie: curie.as_ref(),
                being_typed: true,
                whole_only: false,
            })
        };
        assert_eq!(typed("ar", None), Some(Named::Fully));
        assert_eq!(typed("367", None), Some(Named::Fully));
        for start in ["a", "andro", "r", "rec", "3", "36"] {
            assert_eq!(typed(start, None), Some(Named::ByPrefix), "{start}");
        }
        assert_eq!(
            typed("ncbigene36", Some("ncbigene:36")),
            Some(Named::ByPrefix)
        );
        for other in ["x", "ra", "7", "eceptor"] {
            assert_eq!(typed(other, None), None, "{other}");
        }
        // Finished, a short value is a whole name, and an id is whole.
        assert!(ar.matches("ar", None));
        for cut in ["a", "36", "rec"] {
            assert_eq!(ar.matches(cut, None), cut == "rec", "{cut}");
        }
    }

    #[test]
    fn a_greek_letter_stands_as_a_letter_only_where_folding_left_its_bounds() {
        // (folded text, name, found)
        let table = [
            ("TGF-beta", "beta", true),
            ("IL-1beta", "beta", true),
            ("beta1 integrin", "beta", true),
            ("Beta-blockers", "beta", true),
            ("betaIV spectrin", "beta", true),
            ("TNFalpha", "alpha", true),
            ("PI3Kgamma", "gamma", true),
            ("gammadelta T cells", "gamma", true),
            ("gammadelta T cells", "delta", true),
            ("NF-kappaB", "kappa", true),
            ("PKCnu", "nu", true),
            ("nucleus", "nu", false),
            ("Snu23", "nu", false),
            ("Mutation", "mu", false),
            ("Meta-analysis", "eta", false),
            ("Beta-blockers", "eta", false),
            ("theta waves", "eta", false),
            ("Metaxin", "xi", false),
            ("betaine", "beta", false),
            ("labetalol", "beta", false),
            ("PI3K", "pi", false),
            ("TGF-BETA", "beta", false),
            ("Abeta42", "beta", false),
            ("", "beta", false),
        ];
        for (text, name, found) in table {
            let at = greek_letter_at(text.as_bytes(), name.as_bytes(), false);
            assert_eq!(at.is_some(), found, "{name} in {text}");
        }
        assert_eq!(greek_letter_at(b"Beta and beta", b"beta", true), Some(9));
        assert_eq!(greek_letter_at(b"Beta and beta", b"Beta", true), Some(0));
    }

    #[test]
    fn a_word_across_punctuation_is_found_where_only_marks_part_its_letters() {
        // The search as it was before it stepped over gaps: the next letter anywhere after,
        // then a check of the gap.
        let reference = |pattern: &[u8], hay: &[u8]| -> Option<std::ops::Range<usize>> {
            let (&first, rest) = pattern.split_first()?;
            'starts: for start in memchr::memchr_iter(first, hay) {
                let mut at = start;
                for &b in rest {
                    let next = at + 1 + memchr::memchr(b, hay.get(at + 1..)?)?;
                    if !only_punctuation(&hay[at + 1..next]) {
                        continue 'starts;
                    }
                    at = next;
                }
                return Some(start..at + 1);
            }
            None
        };
        let hays = [
            "pd-l1 expression",
            "anti-pd-1/pd-l1",
            "nf-kb and nf--kb",
            "tgf-beta1",
            "alzheimer's disease",
            "p d-l1",
            "pdl1",
            "",
            "---",
        ];
        let patterns = [
            "pdl1",
            "pd1",
            "nfkb",
            "tgfbeta",
            "tgf-beta",
            "alzheimers",
            "-",
            "p",
        ];
        for hay in hays {
            for pattern in patterns {
                assert_eq!(
                    find_across_punctuation(pattern.as_bytes(), hay.as_bytes()),
                    reference(pattern.as_bytes(), hay.as_bytes()),
                    "{pattern} in {hay}"
                );
            }
        }
        assert_eq!(find_across_punctuation(b"pdl1", b"the pd-l1"), Some(4..9));
        for (hay, inside) in [
            ("pd-l1", true),
            ("nf--kb", true),
            ("alzheimer's", true),
            ("a title.", false),
            ("(pdl1) - x", false),
            ("", false),
        ] {
            assert_eq!(
                punctuation_inside_words(hay.as_bytes()).next().is_some(),
                inside,
                "{hay}"
            );
        }
    }

    #[test]
    fn folded_lists_hold_each_name_once_in_order_and_unite() {
        let list = |items: &[&str]| FoldedList::of(items.to_vec());
        let a = list(&["tp53", "p53", "", "p53", "7157"]);
        assert_eq!(a.iter().collect::<Vec<_>>(), ["7157", "p53", "tp53"]);
        assert!(a.contains("p53") && a.contains("7157") && !a.contains("p5"));
        assert!(a.any_starts_with("tp5") && !a.any_starts_with("tp54"));
        assert_eq!(a.union(&list(&["p53", "tp53"])), None, "nothing new");
        let united = a.union(&list(&["lfs1", "tp53", "zz"])).expect("new names");
        assert_eq!(
            united.iter().collect::<Vec<_>>(),
            ["7157", "lfs1", "p53", "tp53", "zz"]
        );
        assert_eq!(FoldedList::default().union(&a), Some(a.clone()));
        assert_eq!(a.union(&FoldedList::default()), None);
        // What a name adds is seen wherever it falls: before, between, after, or a prefix
        // of a name there.
        for new in ["0", "p", "p54", "tp", "tp530", "zz"] {
            let united = a.union(&list(&["p53", new])).expect(new);
            assert!(united.contains(new) && united.contains("7157"), "{new}");
        }
        assert_eq!(a.union(&list(&["7157", "tp53"])), None, "first and last");
    }

    /// Uniting two lists gives every name of both, sorted, once: each sublist of a few
    /// names (prefixes of each other, non-ASCII ones, the empty list) with each other.
    #[test]
    fn folded_lists_unite_as_sets_do() {
        let pool = [
            "",
            "a",
            "ab",
            "abc",
            "b",
            "p53",
            "tp",
            "tp53",
            "zz",
            "ä",
            "日本",
            "日本語",
        ];
        let lists: Vec<Vec<&str>> = (0u32..1 << 11)
            .step_by(13)
            .map(|bits| {
                (1..pool.len())
                    .filter(|i| bits & (1 << (i - 1)) != 0)
                    .map(|i| pool[i])
                    .collect()
            })
            .collect();
        for a in &lists {
            let mine = FoldedList::of(a.clone());
            for name in &pool[1..] {
                let found = place_in(mine.0.as_bytes(), name.as_bytes()).1;
                assert_eq!(found, a.contains(name), "{name} in {a:?}");
            }
            for b in &lists {
                let set: std::collections::BTreeSet<&str> = a.iter().chain(b).copied().collect();
                let united = mine.union(&FoldedList::of(b.clone()));
                let expected =
                    (set.len() > a.len()).then(|| FoldedList::of(set.into_iter().collect()));
                assert_eq!(united, expected, "{a:?} with {b:?}");
            }
        }
    }

    /// Terms of three or four characters match anchored ([`query::matches_anchored`]),
    /// on texts from the corpora and a user test; each text a term does not match holds its
    /// letters in order, so the term matched it before.
    #[test]
    fn three_or_four_letters_match_anchored_in_real_texts() {
        use FieldKind::{Entity, Journal, Title};
        let long = "Transcriptional regulation of fibrosis-related genes in the liver of mice";
        // (term, field, text, matches)
        let table = [
            ("tnf", Entity, "tumor necrosis factor", true),
            ("tnf", Title, "TNF-alpha and IL-6 in sepsis", true),
            ("tnf", Entity, "TNFalpha", true),
            ("tnf", Title, "Regulation of foo", false),
            ("tnf", Title, long, false),
            ("brca", Entity, "breast cancer", true),
            (
                "brca",
                Title,
                "BRCA1 mutations and breast cancer risk",
                true,
            ),
            ("brca", Title, "Fibroblast carcinoma", false),
            ("nejm", Journal, "The New England journal of medicine", true),
            (
                "nejm",
                Title,
                "Genomic organization of the JEM-1 gene",
                false,
            ),
            ("pdl1", Entity, "PD-L1", true),
            ("pdl1", Title, "Anti-PD-L1 therapy", true),
            ("pdl1", Title, "Pandemic influenza A/H1N1", false),
            ("il6", Entity, "IL-6", true),
            ("il6", Title, "Soluble sIL-6R in serum", true),
            ("il6", Title, "Lymphocyte antigen Ly-6 in mice", false),
            ("p53", Title, "p53 and apoptosis", true),
            ("p53", Entity, "Trp53", true),
            ("p53", Title, "Apoptosis in 5 of 30 cases", false),
            (
                "egfr",
                Title,
                "VEGFR2 signalling in tumour endothelium",
                true,
            ),
            ("car", Title, "CAR T cells in lymphoma", true),
            ("car", Title, "Clear cell renal tumours", false),
            // Five letters scatter within the span, each letter in the word of the one
            // before it or starting a word (not the `f` ending "of").
            ("tnfal", Title, "Tin fat alloys", true),
            ("tnfal", Title, "Regulation of alcohol", false),
            (
                "brcan",
                Title,
                "Obesity and breast cancer risk in postmenopausal women: a cohort",
                true,
            ),
        ];
        let bookmarks = HashSet::new();
        let matcher = Matcher::new(&bookmarks);
        for (pattern, kind, text, matches) in table {
            let term = &text_term(pattern);
            let field = DocField::new(kind, text);
            assert_eq!(
                matcher.raw_score(&field, term).is_some(),
                matches,
                "{pattern} in {text:?}"
            );
            if !matches {
                assert_eq!(
                    matcher.anchored_match(&field, term),
                    FieldMatch::LettersInOrder,
                    "{pattern} in {text:?}: its letters are there in order"
                );
            }
        }
    }

    /// A user test: fuzzy terms of five letters or more picked up noise in short fields,
    /// their letters anywhere in order (`vegfa` 56 papers to `vegf`'s 44, `lancet` 302 and
    /// `smith` 198 with one paper holding authors and a journal). Now within the span or
    /// anchored; texts from the corpora. Each text a term no longer matches holds its
    /// letters in order, so the term matched it before.
    #[test]
    fn five_letters_or_more_match_within_the_span_or_anchored_in_real_texts() {
        use FieldKind::{Author, Entity, Journal, Title};
        // (term, field, text, matches)
        let table = [
            (
                "vegfa",
                Title,
                "Overgrowth of oral mucosa and facial skin",
                false,
            ),
            ("vegfa", Entity, "VEGF-A", true),
            ("vegfa", Title, "VEGFA in angiogenesis", true),
            (
                "lancet",
                Entity,
                "Familial deficiency of the seventh component of complement",
                false,
            ),
            ("lancet", Journal, "Lancet", true),
            ("lancet", Journal, "The Lancet. Oncology", true),
            ("smith", Entity, "Desmin-related myopathy", false),
            ("smith", Entity, "Sodium thiopenthal", false),
            ("smith", Author, "Smith J", true),
            ("smith", Author, "Smithies O", true),
            // Within the span: the letters close, as in a long title.
            ("brcan", Entity, "breast cancer", true),
            ("tgfb1", Entity, "TGF-beta1", true),
            ("carcinoma", Entity, "hepatocellular carcinoma", true),
            ("apoptosis", Entity, "Apoptosis regulator BAX", true),
            // Anchored: initials ("of" skipped), as a shorter term.
            (
                "jbiolc",
                Journal,
                "The Journal of biological chemistry",
                true,
            ),
            // Typos as before.
            ("alzhiemer", Entity, "Alzheimer disease", true),
            ("tricsupid", Title, "Tricuspid valve regurgitation", true),
            ("carcinomma", Entity, "hepatocellular carcinoma", true),
        ];
        let bookmarks = HashSet::new();
        let matcher = Matcher::new(&bookmarks);
        for (pattern, kind, text, matches) in table {
            let term = &text_term(pattern);
            let field = DocField::new(kind, text);
            assert!(
                text.len() <= query::LONG_FIELD_CHARS || kind != Title,
                "{text:?} is a short field"
            );
            assert_eq!(
                matcher.raw_score(&field, term).is_some(),
                matches,
                "{pattern} in {text:?}"
            );
            if !matches {
                assert!(
                    is_subsequence(pattern.as_bytes(), field.lower().as_bytes()),
                    "{pattern} in {text:?}: its letters are there in order"
                );
            }
        }
    }

    /// A term of five or more characters placed anchored in one pass, as the per-start
    /// search places one of four: its prefixes of four decide as [`anchored_in`] does, and
    /// a match of the longer term implies one of each prefix (narrowing relies on it).
    #[test]
    fn a_long_anchored_term_is_found_in_one_pass_and_implies_its_prefixes() {
        let texts = [
            "the journal of biological chemistry",
            "journal of bone imaging clinical",
            "proceedings of the national academy of sciences",
            "desmin-related myopathy",
            "smith j",
            "s mith",
            "s m i t h",
            "sm it h",
            "vegf-a",
            "tnf-alpha and tumor necrosis factor alpha",
            "",
        ];
        let patterns = ["jbiolc", "pnats", "smith", "vegfa", "tnfal", "tnfalpha"];
        for hay in texts {
            for pattern in patterns {
                let (p, h) = (pattern.as_bytes(), hay.as_bytes());
                assert_eq!(
                    anchored_in_any(&p[..4], h),
                    anchored_in(&p[..4], h),
                    "{pattern} in {hay:?}"
                );
                for len in 5..=p.len() {
                    if close_or_anchored(&p[..len], h) {
                        assert!(
                            len == 5 || close_or_anchored(&p[..len - 1], h),
                            "{pattern}[..{len}] in {hay:?}: its prefix too"
                        );
                    }
                }
            }
        }
        assert!(anchored_in_any(b"smith", b"s mith"));
        assert!(anchored_in_any(b"smith", b"sm it h"));
        assert!(!anchored_in_any(b"smith", b"desmin-related myopathy"));
        assert!(anchored_in_any(
            b"jbiolc",
            b"the journal of biological chemistry"
        ));
        assert!(!anchored_in_any(
            b"jbiolc",
            b"journal of bone imaging clinical"
        ));
        let long = "a".repeat(LONGEST_ANCHORED + 1);
        assert!(anchored_in_any(long.as_bytes(), long.as_bytes()));
        assert!(!anchored_in_any(long.as_bytes(), b"a b"));
    }

    /// The one pass over a text finds an anchored place where trying each start does, and
    /// so does the pass over a long title's windows, which also says whether its letters are
    /// in order within one as [`window_match`] does.
    #[test]
    fn an_anchored_term_is_found_in_one_pass_as_from_each_start() {
        let texts = [
            "tumor necrosis factor",
            "t n nf",
            "t n xnf",
            "xtnf",
            "x-t-n-f",
            "sil-6r",
            "s-il6",
            "regulation of foo",
            "tt nn ff",
            "a tnf",
            "",
            "t",
            "tn-f",
            "p53 and pp-5-3",
            "transcriptional regulation of fibrosis and tumour necrosis factor",
            "the t-n-f and the tn  f",
            "it is not found",
        ];
        let patterns = ["tnf", "il6", "p53", "ttn", "nnf", "tn-f", "aaaa"];
        for hay in texts {
            for pattern in patterns {
                let (pattern, hay) = (pattern.as_bytes(), hay.as_bytes());
                let from_each_start = (0..hay.len())
                    .any(|start| anchored_from(pattern, hay, start, hay.len()).is_some());
                let what = format!(
                    "{:?} in {:?}",
                    std::str::from_utf8(pattern),
                    std::str::from_utf8(hay)
                );
                assert_eq!(anchored_in(pattern, hay), from_each_start, "{what}");
                let span = pattern.len() + query::SPAN_SLACK;
                let in_a_window = (0..hay.len())
                    .any(|start| anchored_from(pattern, hay, start, start + span).is_some());
                let (place, in_order) = anchored_window_match(pattern, hay);
                assert_eq!(place.is_some(), in_a_window, "{what}");
                // In order within a window, word-bound or not (see `LOOSE_ONLY`).
                let in_order_from = |start: usize| {
                    let end = hay.len().min(start + span);
                    hay[start] == pattern[0] && is_subsequence(&pattern[1..], &hay[start + 1..end])
                };
                assert_eq!(in_order, (0..hay.len()).any(in_order_from), "{what}");
            }
        }
        // Backtracking: the first `n` starting a word leaves no `f` after it.
        assert_eq!(
            anchored_from(b"tnf", b"t n nf", 0, 6).map(|at| at[..3].to_vec()),
            Some(vec![0, 4, 5])
        );
        // From inside a word, only the term as typed.
        assert!(anchored_from(b"tnf", b"xtn f", 1, 5).is_none());
        assert!(anchored_from(b"il6", b"sil-6", 1, 5).is_some());
    }

    #[test]
    fn short_patterns_match_as_written_and_prefer_a_whole_word() {
        let one = SHORT_SCORE_PER_CHAR;
        let bonus = SHORT_WORD_START_BONUS;
        assert_eq!(short_pattern_score(b"c", b"abc"), Some(one));
        assert_eq!(short_pattern_score(b"c", b"abc cat"), Some(one + bonus));
        assert_eq!(short_pattern_score(b"c", b"c"), Some(one + bonus));
        assert_eq!(short_pattern_score(b"c", b"dog"), None);
        assert_eq!(short_pattern_score(b"c", b""), None);
        assert_eq!(
            short_pattern_score(b"pd", b"anti-pd-l1"),
            Some(2 * one + bonus)
        );
        assert_eq!(short_pattern_score(b"pd", b"updated"), Some(2 * one));
        // Scattered, the two letters are no match.
        assert_eq!(short_pattern_score(b"pd", b"plasma dynamics"), None);
        // A whole word anywhere outranks a word's start, which outranks the inside of one.
        let two = 2 * one;
        assert_eq!(
            short_pattern_match(b"pd", b"pdl1 and anti-pd-l1"),
            Some((Tier::Word, two + bonus))
        );
        assert_eq!(
            short_pattern_match(b"pd", b"updated pdl1"),
            Some((Tier::WordStart, two + bonus))
        );
        assert_eq!(
            short_pattern_match(b"pd", b"updated"),
            Some((Tier::InsideWord, two))
        );
        assert_eq!(
            short_pattern_match(b"c", b"c"),
            Some((Tier::Word, one + bonus))
        );
    }

    #[test]
    fn rank_sorts_top_rows_and_keeps_the_tail_in_library_order() {
        let mut hits: Vec<Hit> = (0..(RANKED_ROWS as u32 + 50))
            .map(|i| Hit {
                paper: i,
                score: i64::from(i % 7),
            })
            .collect();
        rank(&mut hits);
        // Best first, ties in library order.
        assert!(hits[..RANKED_ROWS].windows(2).all(|w| {
            w[0].score > w[1].score || w[0].score == w[1].score && w[0].paper < w[1].paper
        }));
        assert!(
            hits[RANKED_ROWS..]
                .windows(2)
                .all(|w| w[0].paper < w[1].paper)
        );
        assert!(
            hits[..RANKED_ROWS]
                .iter()
                .all(|h| h.score >= hits[RANKED_ROWS].score)
        );
        // Of the hits scoring as the last ranked, those ranked come first in library order.
        let lowest = hits[RANKED_ROWS - 1].score;
        let last_ranked_of_lowest = hits[..RANKED_ROWS]
            .iter()
            .filter(|h| h.score == lowest)
            .map(|h| h.paper)
            .max();
        assert!(
            hits[RANKED_ROWS..]
                .iter()
                .filter(|h| h.score == lowest)
                .all(|h| Some(h.paper) > last_ranked_of_lowest)
        );
        // Fewer hits than ranked rows: all sorted, ties in library order.
        let mut few: Vec<Hit> = (0..10u32)
            .map(|i| Hit {
                paper: i,
                score: i64::from(i % 3),
            })
            .collect();
        rank(&mut few);
        let order: Vec<u32> = few.iter().map(|h| h.paper).collect();
        assert_eq!(order, [2, 5, 8, 1, 4, 7, 0, 3, 6, 9]);
    }

    /// Reading eight letters at a time finds the runs that reading a byte at a time does.
    #[test]
    fn runs_of_punctuation_inside_words_are_found_eight_bytes_at_a_time_too() {
        let one_at_a_time = |hay: &[u8]| -> Vec<(usize, usize)> {
            let mut runs = Vec::new();
            let (mut after_alphanumeric, mut gap_start) = (false, None);
            for (i, &b) in hay.iter().enumerate() {
                if b.is_ascii_alphanumeric() {
                    after_alphanumeric = true;
                    runs.extend(gap_start.take().map(|gap| (gap, i)));
                } else if b.is_ascii_punctuation() {
                    if after_alphanumeric && gap_start.is_none() {
                        gap_start = Some(i);
                    }
                } else {
                    after_alphanumeric = false;
                    gap_start = None;
                }
            }
            runs
        };
        let texts = [
            "",
            "pd-l1",
            "abcdefgh-ijklmnop",
            "abcdefg-hijklmnop",
            "abcdefgh -ijklmnop",
            "abcdefghijklmno'p and 12345678/90",
            "the tgf-beta1/smad3 pathway in alzheimer's disease (ad)",
            "ABCDEFGH-IJKL and abcdefgh-ijkl",
            "caf\u{e9}ine-free coff\u{e9}e.-x and a--b",
            "carcinoma, in situ: a-b-c-d-e-f-g-h-i-j-k",
            "        -x        a-        -b",
            "~!@#$%^&*()_+`{}|[]:;<>?,./ a~!@#b",
        ];
        for hay in texts {
            assert_eq!(
                punctuation_runs_inside_words(hay.as_bytes()).collect::<Vec<_>>(),
                one_at_a_time(hay.as_bytes()),
                "{hay:?}"
            );
        }
        // Every byte value either side of a letter, at each place in eight.
        for b in 0..=255u8 {
            for at in 0..9 {
                let mut hay = b"abcdefghijklmnop".to_vec();
                hay[at] = b;
                hay[at + 2] = b;
                assert_eq!(
                    punctuation_runs_inside_words(&hay).collect::<Vec<_>>(),
                    one_at_a_time(&hay),
                    "{b} at {at}"
                );
            }
        }
    }

    /// Texts with and without punctuation inside their words, for the searches across it.
    const TEXTS_WITH_GAPS: [&str; 9] = [
        "the pd-l1 axis",
        "pd--l1 and p-d-l-1",
        "nf-kb, nf-kappab",
        "alzheimer's disease",
        "no gaps here",
        "a-b-c-d-e",
        "x.y",
        "-pdl1- (pd)-l1",
        "tgf-beta1/smad",
    ];

    /// One pass over the gaps finds the variant, and the place, that trying each variant
    /// near every gap in turn finds.
    #[test]
    fn typo_variants_across_gaps_are_found_in_one_pass_as_one_at_a_time() {
        let more = [
            "ca-rci, car-ic; ac-rci and cr-aci",
            "c-a-r-c-i-c-a-r-c-i",
            "aa-aaa-a",
            "b-a-a-b'a",
        ];
        let texts = TEXTS_WITH_GAPS.iter().chain(&more).copied();
        let variant_lists: [&[&str]; 6] = [
            &["pdl1", "dpl1", "pld1"],
            &["acrci", "craci", "cacri", "caric"],
            &["caric", "acrci"],
            &["aaaa", "aab", "baa"],
            &["nfkb", "nfbk", "fnkb"],
            &["abcde", "bacde", "xy"],
        ];
        for hay in texts {
            for variants in variant_lists {
                // typo_word_in looks across gaps only for variants not side by side.
                if variants.iter().any(|v| hay.contains(v)) {
                    continue;
                }
                let one_at_a_time = variants.iter().enumerate().find_map(|(i, v)| {
                    Some((i, across_punctuation_near(v.as_bytes(), hay.as_bytes())?))
                });
                let variants: Vec<String> = variants.iter().map(|v| (*v).to_owned()).collect();
                assert_eq!(
                    first_variant_across_gaps(&variants, hay.as_bytes()),
                    one_at_a_time,
                    "{variants:?} in {hay:?}"
                );
            }
        }
    }

    /// Reading only the starts near punctuation inside words finds what reading every start
    /// does, for a word that is not in the text side by side.
    #[test]
    fn typo_words_across_punctuation_are_found_near_the_gaps_alone() {
        let texts = TEXTS_WITH_GAPS;
        let patterns = [
            "pdl1",
            "nfkb",
            "alzheimers",
            "abcde",
            "xy",
            "tgfbeta1",
            "dl1",
            "bc",
        ];
        for hay in texts {
            for pattern in patterns {
                if memchr::memmem::find(hay.as_bytes(), pattern.as_bytes()).is_some() {
                    continue;
                }
                assert_eq!(
                    across_punctuation_near(pattern.as_bytes(), hay.as_bytes()),
                    find_across_punctuation(pattern.as_bytes(), hay.as_bytes()),
                    "{pattern} in {hay:?}"
                );
            }
        }
    }
}
