//! Building one paper from an annotated abstract (PubTator or BioC): mentions grouped into
//! entities, offsets checked against the text, relation ids resolved to the document's
//! entities.

use super::escapes::Escape;
use super::ids::{self, Normalised};
use super::shared::{shared, shared_key, shared_key_text, shared_path};
use crate::model::{
    AbstractText, EntityKey, EntityKind, FilePlace, Format, Paper, PaperEntity, PaperIds, PaperKey,
    Problem, Relation, SharedStr, SourceRef, Span, quoted,
};
use std::path::Path;

/// An entity position for each [`EntityKind`] (indexed by `kind as usize`).
type PerKind = [Option<usize>; EntityKind::ALL.len()];

/// How the thread last read a raw id component, and its entities in the document being
/// read.
struct IdReading {
    /// The kind it was last read as, and its key read so (the thread's copy).
    kind: EntityKind,
    key: EntityKey,
    /// The number of the document `entity` and `first` are of ([`IdReadings::document`]).
    document: u32,
    /// Its entity in that document, read as `kind`.
    entity: u32,
    /// The entity of its first reading there (any kind), for relation ids.
    first: u32,
}

/// Raw id component -> how it was read, kept from one document to the next: most ids recur
/// across papers (normalising and sharing each document's ids afresh was 7% of loading 100k
/// papers), and most repeat within a document. One table for both, looked up by `&str`: a
/// repeated id costs one hash and no allocation. (A table per document beside a table kept
/// across documents cost every id of every document a second lookup, a copy and an
/// insertion, 1% of parsing PubTator.)
#[derive(Default)]
struct IdReadings {
    readings: foldhash::HashMap<Box<str>, IdReading>,
    /// The number of the document being read, counted per table from 1: readings of
    /// another number are of an earlier document.
    document: u32,
}

/// Ids [`IdReadings`] keeps at most before starting afresh at a document's start (about
/// 1 MB a thread), more only while one document holds more.
const READINGS_MAX: usize = 1 << 14;

impl IdReadings {
    fn start_document(&mut self) {
        if self.readings.len() >= READINGS_MAX {
            if self.readings.capacity() > 4 * READINGS_MAX {
                // After a document of many ids: not its capacity for every later one.
                self.readings = foldhash::HashMap::default();
            } else {
                self.readings.clear();
            }
        }
        self.document = self.document.wrapping_add(1);
        if self.document == 0 {
            self.readings.clear();
            self.document = 1;
        }
    }

    /// The entity of `raw`'s first reading in the document being read.
    fn first_entity(&self, raw: &str) -> Option<usize> {
        let reading = self.readings.get(raw)?;
        (reading.document == self.document).then_some(reading.first as usize)
    }
}

type EntityPositions = foldhash::HashMap<EntityKey, usize>;

/// A document's lookup tables.
#[derive(Default)]
struct Maps {
    /// Raw id -> how it was read, kept from one document to the next (the others are per
    /// document).
    ids: IdReadings,
    /// Mention text -> its name-only entity per kind, for mentions without an id (folding
    /// the name into a key once per distinct text, not once per mention).
    name_cache: foldhash::HashMap<String, PerKind>,
    /// Entity key -> position in `entities`: a record can hold tens of thousands of ids,
    /// so finding an entity must not scan them all.
    entity_positions: EntityPositions,
    /// (entity position, start, end) of every span the document gave an entity, once its
    /// places came out of order (see [`DocBuilder::seen_before`]): a place annotated twice
    /// for one entity is one mention.
    spans_seen: foldhash::HashSet<(u32, u32, u32)>,
    /// [`DocBuilder`]'s lists, empty, kept for the next document with their capacity:
    /// grown by doubling for each document, they were reallocated about ten times per
    /// paper, 3% of parsing.
    spans: Vec<(u32, Span)>,
    entities: Vec<Collecting>,
    scratch: Vec<usize>,
    kinds: Vec<(String, EntityKind)>,
    /// [`DocBuilder::finish`]'s: where each entity's spans end in `placed`, and the
    /// document's spans placed entity by entity.
    span_ends: Vec<u32>,
    placed: Vec<Span>,
    /// Emptied name lists of the entities of documents before, for new entities: a list
    /// allocated and freed per entity of every paper was 1.5% of parsing PubTator.
    spare_names: Vec<Vec<MentionName>>,
    /// A key's text as an id is normalised, before it is shared.
    key_text: String,
}

/// A mention annotated with this many entities or more, without a name for each, names a
/// group of them. In the corpora's gene mentions with 5 ids or more, nearly every one is a
/// group (`cytokines` typed as a gene, `Mcm2-7`, `MMP-1, -2, -9, and -12, -16`, `GLUTs`);
/// with 3 or 4 ids as many are one name for several species' genes (`STAT3`, `Twist 1`,
/// `miR-124`) as are lists (`Smad1/5/8`), and keep their name (3 took names from 299 of
/// the corpora's entities).
const GROUP_OF_IDS: usize = 5;

/// Whether `mention` names a family (`p53 family`, `TNF receptor superfamily`), however
/// it is typed and with however few ids. Annotators mostly type families as such, and they
/// are then groups already; one abstract of the corpora types "p53 family" as a gene with
/// TP53's id alone, which made "p53 family" an alias of TP53.
fn names_a_family(mention: &str) -> bool {
    // Every word below ends so: most mentions are told apart by their last bytes, before
    // looking for the last word char by char.
    let end = mention.as_bytes().last_chunk::<3>();
    if !end.is_some_and(|end| end.eq_ignore_ascii_case(b"ily") || end.eq_ignore_ascii_case(b"ies"))
    {
        return false;
    }
    let last = mention
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    ["family", "families", "superfamily", "subfamily"]
        .iter()
        .any(|word| last.eq_ignore_ascii_case(word))
}

/// Whether a mention annotated with several entities lists them rather than naming them
/// all at once: typed `CompositeMention` (the NCBI disease corpus's class for `spinocerebellar
/// ataxias 1 and 2`), or written as a list: `/` (`ERK1/2`, `BRCA1/2`), a comma or `&`
/// (`STAT-1, 3, 5`), or the word `and`, `or` or `to` (`caspase-3 and -9`, `breast or ovarian
/// cancer`, `ORP-3 to -6`). Each part of such a list is one entity's name, the whole is none
/// of theirs: `spinocerebellar ataxias 1 and 2` was shown as another name of SCA1 and of
/// SCA2, `BRCA1/2` of BRCA1. A mention with several ids and no such mark is mostly one name
/// for several species' genes (`STAT3`, `CD8`) or for one disease in two vocabularies (`cat
/// eye syndrome`, MeSH and OMIM), and stays a name of each. Ranges (`PAK1-3`, 7 mentions of
/// the corpora) are not told apart: they are written as symbols such as `NKX2-5` are. (One
/// name with `and` is taken for a list: `signal transducer and activator of transcription
/// 3`, twice in nlm-gene.)
fn lists_entities(mention: &str, type_name: &str) -> bool {
    if type_name.eq_ignore_ascii_case("CompositeMention") {
        return true;
    }
    let bytes = mention.as_bytes();
    if bytes.iter().any(|b| matches!(b, b'/' | b',' | b'&')) {
        return true;
    }
    mention.split_ascii_whitespace().any(|word| {
        ["and", "or", "to"]
            .iter()
            .any(|list| word.eq_ignore_ascii_case(list))
    })
}

/// How far from its written start a mention's text is looked for ([`DocBuilder::place_of`]).
pub(crate) const NEAR_CHARS: usize = 40;

/// Where a mention that is not at its written span was found instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Misplaced {
    /// At the span read as byte offsets.
    Bytes(Span),
    /// At the nearest copy of its text.
    Near(Span),
}

impl Misplaced {
    pub fn span(self) -> Span {
        match self {
            Misplaced::Bytes(span) | Misplaced::Near(span) => span,
        }
    }

    /// The same place, `by` chars further on.
    pub fn shifted(self, by: u32) -> Option<Misplaced> {
        let shift = |s: Span| {
            Some(Span {
                start: s.start.checked_add(by)?,
                end: s.end.checked_add(by)?,
            })
        };
        Some(match self {
            Misplaced::Bytes(s) => Misplaced::Bytes(shift(s)?),
            Misplaced::Near(s) => Misplaced::Near(shift(s)?),
        })
    }

    /// How a problem message says where the mention was taken from instead.
    pub fn said(found: Option<Misplaced>) -> String {
        match found {
            Some(Misplaced::Bytes(at)) => {
                format!(
                    "; the offsets count bytes: it is at chars {}-{}",
                    at.start, at.end
                )
            }
            Some(Misplaced::Near(at)) => format!("; it is at chars {}-{}", at.start, at.end),
            None => "; it is kept without a place".to_owned(),
        }
    }
}

/// Char offset <-> byte offset in a text, built once per text (a BioC passage). Counting
/// the chars from the text's start for every annotation made one long passage with many
/// annotations quadratic: 20,000 annotations in a 3 MB passage took over 20 seconds when
/// they matched the text, and as long again when they did not ([`find_misplaced`]).
pub(crate) enum CharIndex {
    Ascii,
    /// The byte of every [`CHAR_STEP`]th char (and of the end, when it falls on one): a
    /// char is found by walking at most `CHAR_STEP - 1` chars from the nearest before it,
    /// in a table an eighth of the text's size.
    Sampled(Vec<usize>),
}

pub(crate) const CHAR_STEP: usize = 64;

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        if text.is_ascii() {
            return CharIndex::Ascii;
        }
        let bytes = text.char_indices().map(|(at, _)| at).chain([text.len()]);
        CharIndex::Sampled(bytes.step_by(CHAR_STEP).collect())
    }

    /// The byte at which char `at` of `text` starts (`text.len()` just past its last char).
    pub fn byte_at(&self, text: &str, at: usize) -> Option<usize> {
        match self {
            CharIndex::Ascii => (at <= text.len()).then_some(at),
            CharIndex::Sampled(samples) => {
                let base = *samples.get(at / CHAR_STEP)?;
                let bytes = text.get(base..)?.char_indices().map(|(i, _)| base + i);
                bytes.chain([text.len()]).nth(at % CHAR_STEP)
            }
        }
    }

    /// The char that starts at byte `byte` of `text` (its char count just past the last
    /// char); `None` inside a char or past the end.
    pub fn char_at(&self, text: &str, byte: usize) -> Option<usize> {
        if !text.is_char_boundary(byte) {
            return None;
        }
        match self {
            CharIndex::Ascii => Some(byte),
            CharIndex::Sampled(samples) => {
                // The last sample at or before `byte`: the first sample is byte 0.
                let step = samples.partition_point(|&b| b <= byte).checked_sub(1)?;
                let walked = text.get(samples[step]..byte)?.chars().count();
                Some(step * CHAR_STEP + walked)
            }
        }
    }
}

/// Where `mention` is in `text`, when its char span `start..end` there does not hold it
/// (see [`DocBuilder::place_of`]); offsets count chars of `text`, which `chars` indexes.
/// Only the chars within [`NEAR_CHARS`] of `start` are searched: a common word misplaced
/// in a megabyte abstract made counting the chars before each of its copies take seconds.
pub(crate) fn find_misplaced(
    text: &str,
    chars: &CharIndex,
    start: usize,
    end: usize,
    mention: &str,
) -> Option<Misplaced> {
    if mention.is_empty() {
        return None;
    }
    let mention_chars = mention.chars().count();
    if text.get(start..end) == Some(mention) {
        let at = chars.char_at(text, start)?;
        return Some(Misplaced::Bytes(span_of(at, at + mention_chars)?));
    }
    let from = start.saturating_sub(NEAR_CHARS);
    let from_byte = chars.byte_at(text, from)?;
    let to_byte = chars
        .byte_at(text, start + NEAR_CHARS + mention_chars)
        .unwrap_or(text.len());
    nearest_copy(&text[from_byte..to_byte], from, start, mention)
}

/// The copy of `mention` in `window`, a piece of a text starting at its char `window_start`,
/// nearest to char `start` and within [`NEAR_CHARS`] of it, the first on a tie. Copies that
/// overlap (`aa` in `aaa`) are each a copy.
fn nearest_copy(
    window: &str,
    window_start: usize,
    start: usize,
    mention: &str,
) -> Option<Misplaced> {
    let finder = memchr::memmem::Finder::new(mention.as_bytes());
    let (mut counted_to, mut chars) = (0, window_start);
    let mut nearest: Option<usize> = None;
    let mut from = 0;
    while let Some(found) = finder.find(&window.as_bytes()[from..]) {
        let at = from + found;
        chars += window[counted_to..at].chars().count();
        counted_to = at;
        if nearest.is_none_or(|n| chars.abs_diff(start) < n.abs_diff(start)) {
            nearest = Some(chars);
        }
        // The next copy may start inside this one, at its next char.
        from = at + window[at..].chars().next().map_or(1, char::len_utf8);
    }
    let at = nearest.filter(|&at| at.abs_diff(start) <= NEAR_CHARS)?;
    Some(Misplaced::Near(span_of(at, at + mention.chars().count())?))
}

/// A span of char offsets, `None` past what offsets can hold.
fn span_of(start: usize, end: usize) -> Option<Span> {
    Some(Span {
        start: u32::try_from(start).ok()?,
        end: u32::try_from(end).ok()?,
    })
}

/// `mention` as [`super::clean_name`] cleans it, and its span without the chars dropped at
/// either end. A span that does not hold the mention as written (a BioC annotation of
/// several locations) is kept as it is.
fn cleaned(mention: &str, span: Option<Span>) -> (&str, Option<Span>) {
    let clean = super::clean_name(mention);
    let before = clean.as_ptr() as usize - mention.as_ptr() as usize;
    let (dropped_before, dropped_after) = (&mention[..before], &mention[before + clean.len()..]);
    if dropped_before.is_empty() && dropped_after.is_empty() {
        return (clean, span);
    }
    let span = span.map(|span| {
        let chars = |s: &str| s.chars().count() as u32;
        if span.end.checked_sub(span.start) != Some(chars(mention)) {
            return span;
        }
        Span {
            start: span.start + chars(dropped_before),
            end: span.end - chars(dropped_after),
        }
    });
    (clean, span)
}

/// Name lists with room for more names than this are dropped rather than kept for the
/// next document's entities.
const SPARE_NAMES_UP_TO: usize = 16;

/// Tables that grew past this many entries are dropped rather than kept: clearing costs
/// their capacity for every later document.
const KEEP_MAPS_UP_TO: usize = 1024;

thread_local! {
    static SPARE_MAPS: std::cell::RefCell<Option<Maps>> = const { std::cell::RefCell::new(None) };
}

impl Maps {
    fn take_spare() -> Maps {
        let mut maps: Maps = SPARE_MAPS
            .with(|spare| spare.borrow_mut().take())
            .unwrap_or_default();
        maps.ids.start_document();
        maps
    }

    fn give_back(mut self) {
        let small = [
            self.name_cache.capacity(),
            self.entity_positions.capacity(),
            self.spans_seen.capacity(),
            self.spans.capacity(),
            self.entities.capacity(),
            self.scratch.capacity(),
            self.span_ends.capacity(),
            self.placed.capacity(),
            self.spare_names.len(),
            self.kinds.len(),
        ]
        .iter()
        .all(|&c| c <= KEEP_MAPS_UP_TO);
        if !small {
            // Fresh tables, but the ids read so far are still worth keeping.
            let ids = std::mem::take(&mut self.ids);
            SPARE_MAPS.with(|spare| {
                *spare.borrow_mut() = Some(Maps {
                    ids,
                    ..Maps::default()
                })
            });
            return;
        }
        self.name_cache.clear();
        self.entity_positions.clear();
        self.spans_seen.clear();
        // Emptied by `DocBuilder::finish` already.
        debug_assert!(self.spans.is_empty() && self.entities.is_empty());
        SPARE_MAPS.with(|spare| *spare.borrow_mut() = Some(self));
    }
}

/// For a name that is an abbreviation (`AD`, `NPC`), the most used other name that it
/// abbreviates (`Alzheimer's disease`, `nasopharyngeal carcinoma`), if the paper has one.
/// An abstract spells a disease out once and abbreviates it after, so the abbreviation is
/// its most frequent mention; out of the paper, in the entity pane and the jump list's
/// title, `AD` says little. Genes keep their symbols, which is what researchers call them.
fn spelled_out(names: &[MentionName], abbreviated: usize) -> Option<usize> {
    let short = names[abbreviated].name.as_str();
    if !is_abbreviation(short) {
        return None;
    }
    names
        .iter()
        .enumerate()
        .filter(|&(i, n)| i != abbreviated && !n.group && abbreviates(short, &n.name))
        .max_by(|(i, a), (j, b)| a.uses.cmp(&b.uses).then(j.cmp(i)))
        .map(|(i, _)| i)
}

/// A short word of capitals (`AD`, `NPC`, `HNSCC`, `T2DM`): two or more upper-case letters,
/// no lower-case ones and no spaces.
fn is_abbreviation(name: &str) -> bool {
    // Most names have a lower-case letter among their first bytes: no char counted then
    // (three passes over the name of every disease took a third of [`spelled_out`]).
    if name.bytes().any(|b| b.is_ascii_lowercase()) {
        return false;
    }
    name.chars().count() <= 8
        && name.chars().filter(|c| c.is_uppercase()).count() >= 2
        && !name.chars().any(|c| c.is_lowercase() || c.is_whitespace())
}

/// Whether `long` is what `short` abbreviates: longer, of two words or more, starting with
/// its first letter and holding its letters in order (`NPC` in "nasopharyngeal carcinoma").
/// Not a name that holds an abbreviation itself ("adolescent ALD", "RCC cancer") or joins
/// two ("Prader-Willi and Angelman syndromes", "spinocerebellar ataxias 1 and 2").
fn abbreviates(short: &str, long: &str) -> bool {
    if !long.contains(' ') || is_abbreviation(long) {
        return false;
    }
    let joins_two = long.contains('/')
        || long
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("and") || w.eq_ignore_ascii_case("or"));
    let holds_abbreviation = long
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.chars().count() >= 2 && is_abbreviation(w));
    if joins_two || holds_abbreviation {
        return false;
    }
    let mut letters = short
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase);
    let mut long_letters = long
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase);
    match (letters.next(), long_letters.next()) {
        (Some(a), Some(b)) if a == b => {}
        _ => return false,
    }
    letters.all(|l| long_letters.any(|c| c == l))
}

/// Makes mention strings that differ only in case one name ("Congenital hypothyroidism" at
/// the start of a title, "congenital hypothyroidism" twice later), at the place of the first
/// and with the uses of all, spelled as most used. On a tie, a spelling capitalised only in
/// its first letter (a sentence's or title's first word) gives way to the same in lower case.
fn one_name_per_case(names: &mut Vec<MentionName>) {
    let mut at = 0;
    while at < names.len() {
        let (mut total, mut best) = (names[at].uses, names[at].uses);
        let mut other = at + 1;
        while other < names.len() {
            let (first, variant) = (&names[at], &names[other]);
            if first.group != variant.group || !first.name.eq_ignore_ascii_case(&variant.name) {
                other += 1;
                continue;
            }
            let variant = names.remove(other);
            total += variant.uses;
            let first = &mut names[at];
            if variant.uses > best
                || (variant.uses == best && capitalised_first(&first.name, &variant.name))
            {
                best = variant.uses;
                first.name = variant.name;
            }
        }
        names[at].uses = total;
        at += 1;
    }
}

/// Whether `a` is `b` with its first letter capitalised (`Famotidine`, `famotidine`).
fn capitalised_first(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.first().is_some_and(u8::is_ascii_uppercase)
        && b.first().is_some_and(u8::is_ascii_lowercase)
        && a[1..] == b[1..]
}

/// A mention string of an entity and how often it is used. A group's name (see
/// [`PaperEntity::named_by_group`]) is the entity's name only when the paper gives it none
/// of its own. (One list with a flag, not two lists: a second vector in every entity being
/// collected changed the sizes the allocator saw enough to keep 25 MB more per 100k papers.)
struct MentionName {
    name: SharedStr,
    uses: u32,
    group: bool,
}

/// One entity being collected: every mention string with its count, in first-seen order.
struct Collecting {
    key: EntityKey,
    kind: EntityKind,
    /// Shared as they are first seen (the thread's copy, as the paper keeps them).
    names: Vec<MentionName>,
    mentions: u32,
}

struct PendingRelation {
    kind: String,
    a: String,
    b: String,
    novel: Option<bool>,
    line: usize,
    /// Byte of the file it starts at, where the format tells (BioC).
    byte: Option<u64>,
}

/// [`DocBuilder::entity_for`] a key that is the thread's copy already, in a document's
/// `entities` and their `positions`.
fn entity_for_shared(
    (positions, spare_names): (&mut EntityPositions, &mut Vec<Vec<MentionName>>),
    entities: &mut Vec<Collecting>,
    key: EntityKey,
    kind: EntityKind,
) -> usize {
    use std::collections::hash_map::Entry;
    // One hash of the key whether it is new or not.
    match positions.entry(key.clone()) {
        Entry::Occupied(known) => *known.get(),
        Entry::Vacant(new) => {
            new.insert(entities.len());
            entities.push(Collecting {
                key,
                kind,
                names: spare_names.pop().unwrap_or_default(),
                mentions: 0,
            });
            entities.len() - 1
        }
    }
}

/// A document being read: text, mentions and relations arrive in any order and
/// [`DocBuilder::finish`] turns them into a [`Paper`].
pub(crate) struct DocBuilder {
    id: String,
    line: usize,
    format: Format,
    title: String,
    abstract_text: String,
    /// Where the abstract is in its file, when it is one passage read from the file as it is
    /// on disk: the paper then keeps the place, not the text.
    abstract_place: Option<FilePlace>,
    /// Whether title and abstract are ASCII (char offsets are byte offsets), worked out on
    /// the first span check and forgotten when the text changes.
    ascii: Option<bool>,
    entities: Vec<Collecting>,
    /// Every mention's span with its entity's position, in the order written: one list per
    /// document, not a growing list per entity (a tenth of parsing went to growing those).
    spans: Vec<(u32, Span)>,
    /// The last of `spans`' places while they come in order (start, then end), as files
    /// list them: a place seen before is then among the last spans, found without
    /// `Maps::spans_seen`. `None` before the first and once one came out of order.
    last_place: Option<(u32, u32)>,
    places_in_order: bool,
    /// Raw id component as written (and the kind it was read as) -> entity: saves
    /// normalising repeated ids, and resolves relation ids (`6528` in a BioRED relation is
    /// the gene or taxon annotated with `6528` in the same document).
    /// The document's lookup tables, taken from (and given back to) this thread's spare
    /// set: a corpus has hundreds of thousands of documents of a dozen ids each, and new
    /// tables for each were a good share of parsing time in allocations alone.
    maps: Maps,
    relations: Vec<PendingRelation>,
    /// Char index -> byte index of `title + " " + abstract`, built on first need when the
    /// text is not ASCII.
    char_bytes: Option<Vec<u32>>,
    scratch: Vec<usize>,
    /// The type names the document used and their kinds (`kinds[..kinds_used]`), then those
    /// of documents before on the thread: a type name new to the document is mostly one of
    /// those, its kind known and its string there to reuse. (Reading the kind of each type
    /// name of each document afresh, and copying the name, was 1.4% of parsing PubTator.)
    kinds: Vec<(String, EntityKind)>,
    kinds_used: usize,
    /// The character references the text was written with (see [`super::escapes`]), for
    /// offsets that count them. Empty for nearly every document.
    escapes: Vec<Escape>,
}

impl DocBuilder {
    pub fn new(id: &str, line: usize, format: Format) -> Self {
        let mut maps = Maps::take_spare();
        let kinds = std::mem::take(&mut maps.kinds);
        DocBuilder {
            id: id.to_owned(),
            line,
            format,
            title: String::new(),
            abstract_text: String::new(),
            abstract_place: None,
            ascii: None,
            entities: std::mem::take(&mut maps.entities),
            spans: std::mem::take(&mut maps.spans),
            last_place: None,
            places_in_order: true,
            scratch: std::mem::take(&mut maps.scratch),
            maps,
            relations: Vec::new(),
            char_bytes: None,
            kinds,
            kinds_used: 0,
            escapes: Vec::new(),
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether an entity line of the document named a type that `type_name` is the start of
    /// and shorter than (`Chemi` after `Chemical`): a type name cut off.
    pub fn used_a_type_longer_than(&self, type_name: &str) -> bool {
        self.kinds[..self.kinds_used]
            .iter()
            .any(|(name, _)| name.len() > type_name.len() && name.starts_with(type_name))
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn set_title(&mut self, title: &str) {
        self.title.clear();
        self.title.push_str(title);
        self.text_changed();
    }

    /// [`DocBuilder::set_title`] of a title written with character references (`&quot;`),
    /// decoded; later offsets are read as counting them ([`DocBuilder::text_offset`]).
    pub fn set_title_written(&mut self, title: &str) {
        self.escapes.clear();
        let title = super::escapes::decoded(title, 0, &mut self.escapes);
        self.set_title(&title);
    }

    /// [`DocBuilder::push_abstract_at`] of a passage written with character references,
    /// decoded. A passage with one is held rather than read back from its file, as written.
    pub fn push_abstract_written_at(&mut self, text: &str, place: Option<FilePlace>) {
        if memchr::memchr(b'&', text.as_bytes()).is_none() {
            return self.push_abstract_at(text, place);
        }
        // Where the passage starts in the text as written: the text so far, what its
        // references lost, and the space before the passage.
        let space = usize::from(!self.abstract_text.is_empty());
        let lost: u32 = self.escapes.iter().map(|e| e.chars - 1).sum();
        let first = (self.text_chars() + space) as u32 + lost;
        let known = self.escapes.len();
        let text = super::escapes::decoded(text, first, &mut self.escapes);
        let place = place.filter(|_| self.escapes.len() == known);
        self.push_abstract_at(&text, place);
    }

    /// Where char `offset` of the text as written (title, a space, abstract) is in the text
    /// as read: the same but after a character reference.
    pub fn text_offset(&self, offset: u32) -> u32 {
        if self.escapes.is_empty() {
            offset
        } else {
            super::escapes::decoded_offset(&self.escapes, offset)
        }
    }

    /// Appends a passage to the abstract, a space between passages (as PubTator offsets
    /// count them).
    pub fn push_abstract(&mut self, text: &str) {
        self.abstract_place = None;
        if !self.abstract_text.is_empty() {
            self.abstract_text.push(' ');
        }
        self.abstract_text.push_str(text);
        self.text_changed();
    }

    /// [`DocBuilder::push_abstract`], with the passage's place in its file when known.
    pub fn push_abstract_at(&mut self, text: &str, place: Option<FilePlace>) {
        let first = self.abstract_text.is_empty();
        self.push_abstract(text);
        if first {
            self.abstract_place = place;
        }
    }

    fn text_changed(&mut self) {
        self.ascii = None;
        self.char_bytes = None;
    }

    fn is_ascii(&mut self) -> bool {
        *self
            .ascii
            .get_or_insert_with(|| self.title.is_ascii() && self.abstract_text.is_ascii())
    }

    /// Length in chars of the PubTator text (title, a space, abstract).
    fn text_chars(&mut self) -> usize {
        if self.is_ascii() {
            self.title.len() + 1 + self.abstract_text.len()
        } else {
            self.char_table().len() - 1
        }
    }

    fn char_table(&mut self) -> &[u32] {
        let (title, abstract_text) = (&self.title, &self.abstract_text);
        self.char_bytes.get_or_insert_with(|| {
            let mut table = Vec::with_capacity(title.len() + abstract_text.len() + 2);
            let mut at = 0u32;
            for c in title
                .chars()
                .chain(std::iter::once(' '))
                .chain(abstract_text.chars())
            {
                table.push(at);
                at += c.len_utf8() as u32;
            }
            table.push(at);
            table
        })
    }

    /// The text at char offsets `start..end` of title + " " + abstract, or `None` past the end.
    pub fn text_at(&mut self, start: usize, end: usize) -> Option<String> {
        if end > self.text_chars() || start > end {
            return None;
        }
        let (bs, be) = if self.is_ascii() {
            (start, end)
        } else {
            let table = self.char_table();
            (table[start] as usize, table[end] as usize)
        };
        let mut out = String::with_capacity(be - bs);
        let title_len = self.title.len();
        if bs < title_len {
            out.push_str(&self.title[bs..be.min(title_len)]);
        }
        if bs <= title_len && be > title_len {
            out.push(' ');
        }
        if be > title_len + 1 {
            let from = bs.max(title_len + 1) - title_len - 1;
            out.push_str(&self.abstract_text[from..be - title_len - 1]);
        }
        Some(out)
    }

    /// Whether `mention` is what the text says at `start..end`. `None` when the span is past
    /// the end of the text.
    pub fn span_matches(&mut self, start: usize, end: usize, mention: &str) -> Option<bool> {
        if end > self.text_chars() || start > end {
            return None;
        }
        // Fast path: the ASCII title alone holds most title mentions.
        if self.is_ascii() {
            let title_len = self.title.len();
            if end <= title_len {
                return Some(&self.title[start..end] == mention);
            }
            if start > title_len {
                let off = title_len + 1;
                return Some(&self.abstract_text[start - off..end - off] == mention);
            }
        }
        self.text_at(start, end).map(|t| t == mention)
    }

    /// Where `mention` is, when the source's char span `start..end` does not hold it: the
    /// span read as UTF-8 byte offsets (an export that counts the bytes of `ü` puts every
    /// later mention of the abstract a char off), else the copy of the mention nearest to
    /// `start`, within [`NEAR_CHARS`] chars. `None` when neither is found: the mention then
    /// keeps no place, so no highlight lands on the wrong words.
    pub fn place_of(&mut self, start: usize, end: usize, mention: &str) -> Option<Misplaced> {
        if mention.is_empty() {
            return None;
        }
        // Read as bytes: the chars those bytes start and end, if they are char boundaries.
        if end.checked_sub(start) == Some(mention.len()) {
            let chars = if self.is_ascii() {
                Some((start, end)).filter(|_| end <= self.text_chars())
            } else {
                let table = self.char_table();
                let char_at = |byte: usize| {
                    let byte = u32::try_from(byte).ok()?;
                    table.binary_search(&byte).ok()
                };
                char_at(start).zip(char_at(end))
            };
            if let Some((cs, ce)) = chars
                && self.text_at(cs, ce).as_deref() == Some(mention)
            {
                return Some(Misplaced::Bytes(span_of(cs, ce)?));
            }
        }
        // The text within NEAR_CHARS of `start`, not all of it: a copy of the whole text
        // for each misplaced mention, and counting the chars before each copy of the
        // mention in it, took seconds for a megabyte abstract.
        let from = start.saturating_sub(NEAR_CHARS);
        let to = (start + NEAR_CHARS + mention.chars().count()).min(self.text_chars());
        let window = self.text_at(from, to)?;
        nearest_copy(&window, from, start, mention)
    }

    /// Records one mention. `names` are the individual mention strings of a composite
    /// mention (the 7th PubTator column, `|`-separated), used as the name of the n-th id when
    /// their count matches. Returns the id parts that were not understood.
    #[allow(clippy::too_many_arguments)]
    pub fn mention(
        &mut self,
        span: Option<Span>,
        mention: &str,
        type_name: &str,
        raw_id: &str,
        individual_names: Option<&str>,
        path: &Path,
        line: usize,
        problems: &mut Vec<Problem>,
    ) {
        let kind = self.kind_of(type_name);
        // Names, keys of name-only entities and highlights all take the mention without
        // the punctuation its span caught (`AKT,`).
        let (mention, span) = cleaned(mention, span);
        let mut found = std::mem::take(&mut self.scratch);
        found.clear();
        let mut unknown: Option<&str> = None;
        let (readings, entities) = (&mut self.maps.ids, &mut self.entities);
        let (positions, spare_names) =
            (&mut self.maps.entity_positions, &mut self.maps.spare_names);
        let key_text = &mut self.maps.key_text;
        // The thread's key for `part` read as `kind`: its text looked up, no key built first.
        // `None` for no id, and for an id not understood, which is then kept for the problem.
        let mut normalise = |part| match ids::normalise_one_into(kind, part, key_text) {
            Normalised::Key(()) => Some(shared_key_text(key_text)),
            Normalised::None => None,
            Normalised::Unknown => {
                unknown = Some(part);
                None
            }
        };
        let document = readings.document;
        ids::for_each_part(kind, raw_id, |part| {
            let reading = readings.readings.get_mut(part);
            let entity = match reading {
                Some(r) if r.document == document && r.kind == kind => r.entity as usize,
                Some(r) => {
                    // Read in an earlier document, or as another kind.
                    if r.kind != kind {
                        let Some(key) = normalise(part) else { return };
                        (r.kind, r.key) = (kind, key);
                    }
                    let entity = entity_for_shared(
                        (&mut *positions, &mut *spare_names),
                        entities,
                        r.key.clone(),
                        kind,
                    );
                    if r.document != document {
                        (r.document, r.first) = (document, entity as u32);
                    }
                    r.entity = entity as u32;
                    entity
                }
                None => {
                    let Some(key) = normalise(part) else { return };
                    let entity = entity_for_shared(
                        (&mut *positions, &mut *spare_names),
                        entities,
                        key.clone(),
                        kind,
                    );
                    let reading = IdReading {
                        kind,
                        key,
                        document,
                        entity: entity as u32,
                        first: entity as u32,
                    };
                    readings.readings.insert(part.into(), reading);
                    entity
                }
            };
            if !found.contains(&entity) {
                found.push(entity);
            }
        });
        if let Some(part) = unknown {
            problems.push(Problem::new(
                path,
                Some(line),
                format!("unrecognised id {} for {}", quoted(part), quoted(mention)),
            ));
        }
        // A family or domain mention with ids (`cytokines` -> TNF, IL1B, IL6), a mention
        // with GROUP_OF_IDS ids or more, or one listing its entities (`ERK1/2`), names a
        // group.
        let by_ids = !found.is_empty();
        if found.is_empty() {
            let cached = self
                .maps
                .name_cache
                .get(mention)
                .and_then(|k| k[kind as usize]);
            let entity = match cached {
                Some(entity) => entity,
                None => {
                    let entity = self.entity_for(EntityKey::name_only(kind, mention), kind);
                    self.maps.name_cache.entry(mention.to_owned()).or_default()[kind as usize] =
                        Some(entity);
                    entity
                }
            };
            found.push(entity);
        }
        let names = individual_names
            .filter(|n| found.len() > 1 && n.split('|').count() == found.len())
            .map(|n| n.split('|').map(super::clean_name));
        match names {
            Some(names) => {
                for (&entity, name) in found.iter().zip(names) {
                    self.add(entity, kind, name, span, false);
                }
            }
            None => {
                let group = by_ids
                    && (kind == EntityKind::Other
                        || found.len() >= GROUP_OF_IDS
                        || names_a_family(mention)
                        || (found.len() > 1 && lists_entities(mention, type_name)));
                for &entity in &found {
                    self.add(entity, kind, mention, span, group);
                }
            }
        }
        self.scratch = found;
    }

    /// The kind of the entity type `type_name`, recorded as used by the document. A document
    /// uses a handful of type names: each is looked up once.
    fn kind_of(&mut self, type_name: &str) -> EntityKind {
        let (used, before) = self.kinds.split_at(self.kinds_used);
        if let Some(&(_, kind)) = used.iter().find(|(name, _)| name == type_name) {
            return kind;
        }
        let at = self.kinds_used;
        match before.iter().position(|(name, _)| name == type_name) {
            Some(known) => self.kinds.swap(at, at + known),
            None if at < self.kinds.len() => {
                let (name, kind) = &mut self.kinds[at];
                name.clear();
                name.push_str(type_name);
                *kind = ids::kind_of(type_name);
            }
            None => (self.kinds).push((type_name.to_owned(), ids::kind_of(type_name))),
        }
        self.kinds_used += 1;
        self.kinds[at].1
    }

    /// The position of the entity with `key`, added if new.
    fn entity_for(&mut self, key: EntityKey, kind: EntityKind) -> usize {
        match self.maps.entity_positions.get(&key) {
            Some(&i) => i,
            // Relations and the paper's entity share the thread's copy of the key.
            None => {
                let key = shared_key(&key);
                let positions = (&mut self.maps.entity_positions, &mut self.maps.spare_names);
                entity_for_shared(positions, &mut self.entities, key, kind)
            }
        }
    }

    fn add(
        &mut self,
        entity: usize,
        kind: EntityKind,
        name: &str,
        span: Option<Span>,
        group: bool,
    ) {
        let again = span.is_some_and(|span| self.seen_before(entity as u32, span));
        let entity = &mut self.entities[entity];
        // A specific type wins over family/domain mentions of the same id.
        if entity.kind == EntityKind::Other && kind != EntityKind::Other {
            entity.kind = kind;
        }
        // One place annotated twice with the entity is one mention (nlm-gene annotates
        // `AKT,` and `AKT` at one place; cleaned, both are `AKT` there), counted once and
        // its name used once.
        if !again {
            entity.mentions += 1;
        }
        if name.is_empty() {
            return;
        }
        // Each spelling counted apart: spellings differing only in case become one name in
        // [`DocBuilder::finish`], spelled as most used.
        match entity
            .names
            .iter_mut()
            .find(|n| n.group == group && n.name.as_str() == name)
        {
            Some(known) => known.uses += u32::from(!again),
            None => entity.names.push(MentionName {
                name: shared(name),
                uses: 1,
                group,
            }),
        }
    }

    /// Whether `entity` was given `span` before in the document; recorded if not. Files list
    /// their mentions by place, so a place is mostly past all before it and no table is
    /// looked at (a hash set insertion per mention was 2% of parsing PubTator).
    fn seen_before(&mut self, entity: u32, span: Span) -> bool {
        let place = (span.start, span.end);
        if self.places_in_order {
            use std::cmp::Ordering;
            match self.last_place.map(|last| place.cmp(&last)) {
                None | Some(Ordering::Greater) => {
                    self.last_place = Some(place);
                    self.spans.push((entity, span));
                    return false;
                }
                Some(Ordering::Equal) => {
                    let at_place = self.spans.iter().rev();
                    let mut at_place = at_place.take_while(|(_, s)| (s.start, s.end) == place);
                    if at_place.any(|&(e, _)| e == entity) {
                        return true;
                    }
                    self.spans.push((entity, span));
                    return false;
                }
                Some(Ordering::Less) => {
                    self.places_in_order = false;
                    self.last_place = None;
                    let seen = self.spans.iter().map(|&(e, s)| (e, s.start, s.end));
                    self.maps.spans_seen.extend(seen);
                }
            }
        }
        let new_place = (self.maps.spans_seen).insert((entity, span.start, span.end));
        if new_place {
            self.spans.push((entity, span));
        }
        !new_place
    }

    /// A relation written at `line` (and `byte`, where the format tells) of the file.
    pub fn relation(
        &mut self,
        kind: &str,
        (a, b): (&str, &str),
        novel: Option<bool>,
        line: usize,
        byte: Option<u64>,
    ) {
        self.relations.push(PendingRelation {
            kind: super::trim(kind).to_owned(),
            a: super::trim(a).to_owned(),
            b: super::trim(b).to_owned(),
            novel,
            line,
            byte,
        });
    }

    fn resolve(&self, raw: &str) -> Option<EntityKey> {
        if let Some(first) = self.maps.ids.first_entity(raw) {
            return Some(self.entities[first].key.clone());
        }
        let mut keys = Vec::new();
        ids::normalise_into(EntityKind::Other, raw, &mut keys);
        keys.into_iter().next()
    }

    /// The paper: key from the document id (`PMID:` for digits, `PMC:` for `PMC..`, else
    /// `file:<path>#<id>`).
    pub fn finish(mut self, path: &Path, problems: &mut Vec<Problem>) -> Paper {
        let mut ids = PaperIds::default();
        let id = self.id.trim();
        if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            ids.pmid = Some(id.to_owned());
        } else if let Some(number) = id
            .get(..3)
            .filter(|p| p.eq_ignore_ascii_case("PMC"))
            .and_then(|_| id.get(3..))
            .filter(|n| !n.is_empty())
        {
            ids.pmcid = Some(format!("PMC{number}"));
        }
        let key = if ids.pmid.is_some() || ids.pmcid.is_some() {
            PaperKey::from_ids(&ids, "")
        } else {
            PaperKey::from_ids(&ids, &format!("{}#{}", path.display(), id))
        };
        let mut relations = Vec::with_capacity(self.relations.len());
        for r in &self.relations {
            match (self.resolve(&r.a), self.resolve(&r.b)) {
                (Some(a), Some(b)) => {
                    let relation = Relation {
                        kind: shared(&r.kind),
                        a,
                        b,
                        novel: r.novel,
                    };
                    relations.push(relation);
                }
                (a, b) => {
                    // Name the id(s): neither annotated in the document nor a known form.
                    let unknown: Vec<&str> = [(a, &r.a), (b, &r.b)]
                        .into_iter()
                        .filter(|(key, _)| key.is_none())
                        .map(|(_, raw)| raw.as_str())
                        .collect();
                    let problem = Problem::new(
                        path,
                        Some(r.line),
                        format!(
                            "relation {} {} {} in {}: {} is no entity of the document \
                             nor an id tomes reads",
                            r.kind,
                            r.a,
                            r.b,
                            self.id,
                            unknown
                                .iter()
                                .map(|raw| quoted(raw).to_string())
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                    );
                    problems.push(match r.byte {
                        Some(byte) => problem.at_byte(byte),
                        None => problem,
                    });
                }
            }
        }
        // Every group's text, once whatever its case, before the members named by the paper
        // itself drop it.
        let mut group_names: Vec<SharedStr> = Vec::new();
        for n in self
            .entities
            .iter()
            .flat_map(|c| &c.names)
            .filter(|n| n.group)
        {
            if !group_names.iter().any(|g| g.eq_ignore_ascii_case(&n.name)) {
                group_names.push(n.name.clone());
            }
        }
        // Each entity's spans in the order written: counted per entity, then placed (a
        // stable sort of them by entity was 2% of parsing PubTator).
        let mut spans = std::mem::take(&mut self.spans);
        let mut ends = std::mem::take(&mut self.maps.span_ends);
        ends.clear();
        ends.resize(self.entities.len() + 1, 0);
        for &(entity, _) in &spans {
            ends[entity as usize + 1] += 1;
        }
        for at in 1..ends.len() {
            ends[at] += ends[at - 1];
        }
        // `ends[e]` is where entity `e`'s spans start, and once they are placed, where
        // they end.
        let mut placed = std::mem::take(&mut self.maps.placed);
        placed.clear();
        placed.resize(spans.len(), Span { start: 0, end: 0 });
        for &(entity, span) in &spans {
            let next = &mut ends[entity as usize];
            placed[*next as usize] = span;
            *next += 1;
        }
        let spare_names = &mut self.maps.spare_names;
        let entities = self
            .entities
            .drain(..)
            .enumerate()
            .map(|(at, c)| {
                // Its own names when the paper gives any; else its groups' (the most used
                // as its name, no aliases).
                let named_by_group = !c.names.is_empty() && c.names.iter().all(|n| n.group);
                let mut names = c.names;
                if !named_by_group {
                    names.retain(|n| !n.group);
                }
                one_name_per_case(&mut names);
                // Name: the most frequent mention string, the first on a tie; for a
                // disease, what its abbreviation stands for when the paper spells it out.
                let best = names
                    .iter()
                    .enumerate()
                    .max_by(|(i, a), (j, b)| a.uses.cmp(&b.uses).then(j.cmp(i)))
                    .map(|(i, _)| i)
                    .map(|i| match c.kind {
                        EntityKind::Disease => spelled_out(&names, i).unwrap_or(i),
                        _ => i,
                    });
                let name = match best {
                    Some(i) => names.remove(i).name,
                    None => shared(c.key.local_id()),
                };
                if named_by_group {
                    names.clear();
                }
                // Exact sizes: the library keeps these for every paper, and a collect that
                // reuses the (name, count) buffer, or spans grown by doubling, kept about
                // 80 MB of spare capacity per 100k papers.
                let mut aliases = Vec::with_capacity(names.len());
                aliases.extend(names.drain(..).map(|n| n.name));
                // Not the list of an entity of hundreds of names, for every later one.
                if names.capacity() <= SPARE_NAMES_UP_TO {
                    spare_names.push(names);
                }
                let start = at.checked_sub(1).map_or(0, |before| ends[before] as usize);
                let spans: Box<[Span]> = placed[start..ends[at] as usize].into();
                PaperEntity {
                    key: c.key,
                    kind: c.kind,
                    name,
                    description: None,
                    aliases: aliases.into_boxed_slice(),
                    mentions: c.mentions.max(1),
                    spans,
                    named_by_group,
                    name_weight: PaperEntity::weight_of_mentions(c.mentions.max(1)),
                }
            })
            .collect();
        spans.clear();
        self.maps.spans = spans;
        self.maps.span_ends = ends;
        self.maps.placed = placed;
        self.maps.entities = std::mem::take(&mut self.entities);
        self.maps.scratch = std::mem::take(&mut self.scratch);
        self.maps.kinds = std::mem::take(&mut self.kinds);
        std::mem::take(&mut self.maps).give_back();
        let abstract_text = if self.abstract_text.trim().is_empty() {
            None
        } else if let Some(place) = self.abstract_place {
            Some(AbstractText::InFile(place))
        } else {
            Some(AbstractText::Held(self.abstract_text))
        };
        Paper {
            key,
            ids,
            title: self.title,
            abstract_text,
            entities,
            group_names: group_names.into_boxed_slice(),
            relations,
            sources: vec![SourceRef {
                path: shared_path(path),
                line: self.line,
                format: self.format,
                byte: None,
            }],
            ..Paper::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text whose chars are 1 to 4 bytes long.
    fn mixed_text(chars: usize) -> String {
        (0..chars)
            .map(|i| ['a', 'é', '€', '𝔸', ' ', 'B'][i * 7 % 6])
            .collect()
    }

    /// The char index finds every char's byte and every char boundary's char, across its
    /// sampling steps, past the end, and in ASCII text.
    #[test]
    fn the_char_index_finds_every_chars_byte() {
        let mixed = mixed_text(300);
        for text in [mixed.as_str(), "plain ascii", "", &"é".repeat(CHAR_STEP)] {
            let index = CharIndex::new(text);
            let want: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
            for (at, &byte) in want.iter().chain([&text.len()]).enumerate() {
                assert_eq!(index.byte_at(text, at), Some(byte), "{text:?} char {at}");
                assert_eq!(index.char_at(text, byte), Some(at), "{text:?} byte {byte}");
            }
            let past = want.len() + 1;
            assert_eq!(index.byte_at(text, past), None, "{text:?}");
            assert_eq!(index.byte_at(text, past + CHAR_STEP), None, "{text:?}");
            assert_eq!(index.char_at(text, text.len() + 1), None, "{text:?}");
            for inside in (0..text.len()).filter(|&b| !text.is_char_boundary(b)) {
                assert_eq!(index.char_at(text, inside), None, "{text:?} byte {inside}");
            }
        }
    }

    /// [`find_misplaced`] as it was, counting chars from the text's start: what the index
    /// must agree with.
    fn misplaced_by_counting(
        text: &str,
        start: usize,
        end: usize,
        mention: &str,
    ) -> Option<Misplaced> {
        if mention.is_empty() {
            return None;
        }
        if text.get(start..end) == Some(mention) {
            let at = text[..start].chars().count();
            return Some(Misplaced::Bytes(span_of(at, at + mention.chars().count())?));
        }
        let from = start.saturating_sub(NEAR_CHARS);
        let mut bytes = text.char_indices().map(|(at, _)| at).chain([text.len()]);
        let from_byte = bytes.nth(from)?;
        let to_byte = bytes
            .nth(start + NEAR_CHARS + mention.chars().count() - from - 1)
            .unwrap_or(text.len());
        nearest_copy(&text[from_byte..to_byte], from, start, mention)
    }

    /// Misplaced mentions are found through the char index where counting from the start
    /// finds them: copies, windows and byte offsets on either side of the index's steps,
    /// in text of chars of every width, and past its end.
    #[test]
    fn misplaced_mentions_are_found_across_the_char_index_steps() {
        let mut text = mixed_text(4 * CHAR_STEP + 10);
        // Copies of the mention starting just before, at and just after steps.
        for at in [CHAR_STEP - 2, 2 * CHAR_STEP, 3 * CHAR_STEP + 1] {
            let byte = text.char_indices().nth(at).map_or(text.len(), |(b, _)| b);
            text.insert_str(byte, "Kü");
        }
        let index = CharIndex::new(&text);
        assert!(matches!(index, CharIndex::Sampled(_)));
        let chars = text.chars().count();
        let mut found = [0; 3];
        for mention in ["Kü", "é€", "zz"] {
            let mention_chars = mention.chars().count();
            for start in 0..chars + NEAR_CHARS {
                for end in [start + mention_chars, start + mention.len()] {
                    let want = misplaced_by_counting(&text, start, end, mention);
                    let got = find_misplaced(&text, &index, start, end, mention);
                    assert_eq!(got, want, "{mention:?} at {start}-{end}");
                    match got {
                        Some(Misplaced::Bytes(_)) => found[0] += 1,
                        Some(Misplaced::Near(_)) => found[1] += 1,
                        None => found[2] += 1,
                    }
                }
            }
        }
        // Every outcome was tried.
        assert!(found.iter().all(|&n| n > 0), "{found:?}");
    }

    /// A disease named `AD` five times and `Alzheimer's disease` once.
    fn named(mentions: &[(&str, &str, &str)]) -> Paper {
        let path = Path::new("t.pubtator");
        let mut problems = Vec::new();
        let mut d = DocBuilder::new("1", 1, Format::PubTator);
        d.set_title("A title");
        for &(mention, kind, id) in mentions {
            d.mention(None, mention, kind, id, None, path, 2, &mut problems);
        }
        let paper = d.finish(path, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        paper
    }

    /// A document's lists are reused by the next on the thread, emptied: a document sees
    /// none of the entities or places of the one before, whether that one was small or so
    /// large its lists are dropped rather than kept.
    #[test]
    fn documents_after_another_start_empty() {
        let path = Path::new("t.pubtator");
        let mut problems = Vec::new();
        for mentions_before in [2, 3000] {
            let mut before = DocBuilder::new("1", 1, Format::PubTator);
            before.set_title(&"p53 ".repeat(mentions_before));
            for at in 0..mentions_before as u32 {
                let span = Some(Span {
                    start: at * 4,
                    end: at * 4 + 3,
                });
                let id = if at % 2 == 0 { "7157" } else { "673" };
                before.mention(span, "p53", "Gene", id, None, path, 2, &mut problems);
            }
            let before = before.finish(path, &mut problems);
            assert_eq!(before.entities[0].spans.len(), mentions_before.div_ceil(2));
            let mut after = DocBuilder::new("2", 9, Format::PubTator);
            after.set_title("BRAF");
            let span = Some(Span { start: 0, end: 4 });
            after.mention(span, "BRAF", "Gene", "673", None, path, 10, &mut problems);
            let after = after.finish(path, &mut problems);
            assert!(problems.is_empty(), "{problems:?}");
            let entities: Vec<_> = after
                .entities
                .iter()
                .map(|e| (e.key.as_str(), e.name.as_str(), e.mentions, &*e.spans))
                .collect();
            assert_eq!(
                entities,
                [("NCBIGene:673", "BRAF", 1, &[Span { start: 0, end: 4 }][..])]
            );
        }
    }

    /// A relation names an id as written; read as two kinds in the document (the digits
    /// of a taxon, then of a gene), the id is the entity it was first read as, whatever
    /// the order the kinds are asked for in.
    #[test]
    fn a_relation_id_read_as_two_kinds_is_its_first_reading() {
        let path = Path::new("t.pubtator");
        let mut problems = Vec::new();
        for (first, second, expected) in [
            ("Species", "Gene", "NCBITaxon:10090"),
            ("Gene", "Species", "NCBIGene:10090"),
        ] {
            let mut d = DocBuilder::new("1", 1, Format::PubTator);
            d.set_title("Mice and a gene and BRAF");
            d.mention(None, "Mice", first, "10090", None, path, 2, &mut problems);
            d.mention(
                None,
                "a gene",
                second,
                "10090",
                None,
                path,
                3,
                &mut problems,
            );
            d.mention(None, "BRAF", "Gene", "673", None, path, 4, &mut problems);
            d.mention(None, "Mice", first, "10090", None, path, 5, &mut problems);
            d.relation("Association", ("10090", "673"), None, 6, None);
            let paper = d.finish(path, &mut problems);
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(paper.entities.len(), 3);
            let relation = &paper.relations[0];
            assert_eq!(
                (relation.a.as_str(), relation.b.as_str()),
                (expected, "NCBIGene:673")
            );
        }
    }

    /// An id read in an earlier document on the thread is none of a later document's
    /// entities: a relation naming it there, where nothing is annotated with it, is read
    /// as written (digits as a gene), not as the earlier document's taxon; and an id read
    /// as a taxon before is a gene where a later document annotates a gene with it.
    #[test]
    fn ids_read_in_an_earlier_document_are_no_entity_of_a_later_one() {
        let path = Path::new("t.pubtator");
        let mut problems = Vec::new();
        let mut first = DocBuilder::new("1", 1, Format::PubTator);
        first.set_title("Mice");
        first.mention(
            None,
            "Mice",
            "Species",
            "10090",
            None,
            path,
            2,
            &mut problems,
        );
        let first = first.finish(path, &mut problems);
        assert_eq!(first.entities[0].key.as_str(), "NCBITaxon:10090");
        let mut second = DocBuilder::new("2", 3, Format::PubTator);
        second.set_title("BRAF");
        second.mention(None, "BRAF", "Gene", "673", None, path, 4, &mut problems);
        second.relation("Association", ("10090", "673"), None, 5, None);
        let second = second.finish(path, &mut problems);
        let keys: Vec<_> = second.entities.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["NCBIGene:673"]);
        let relation = &second.relations[0];
        assert_eq!(
            (relation.a.as_str(), relation.b.as_str()),
            ("NCBIGene:10090", "NCBIGene:673")
        );
        let mut third = DocBuilder::new("3", 6, Format::PubTator);
        third.set_title("a gene and mice");
        third.mention(
            None,
            "a gene",
            "Gene",
            "10090",
            None,
            path,
            7,
            &mut problems,
        );
        third.mention(
            None,
            "mice",
            "Species",
            "10090",
            None,
            path,
            8,
            &mut problems,
        );
        third.mention(
            None,
            "the gene",
            "Gene",
            "10090",
            None,
            path,
            9,
            &mut problems,
        );
        let third = third.finish(path, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let entities: Vec<_> = third
            .entities
            .iter()
            .map(|e| (e.key.as_str(), e.mentions))
            .collect();
        assert_eq!(entities, [("NCBIGene:10090", 2), ("NCBITaxon:10090", 1)]);
    }

    /// The type names a document used are its own: those of a document before on the
    /// thread are not taken for the next one's (a type cut short at the end of a file is
    /// told by them), and each name keeps its kind whatever the order they come in.
    #[test]
    fn type_names_used_are_the_documents_own() {
        let path = Path::new("t.pubtator");
        let mut problems = Vec::new();
        let mut first = DocBuilder::new("1", 1, Format::PubTator);
        first.set_title("aspirin and pain in mice");
        first.mention(
            None,
            "aspirin",
            "Chemical",
            "D001241",
            None,
            path,
            2,
            &mut problems,
        );
        first.mention(
            None,
            "pain",
            "Disease",
            "D010146",
            None,
            path,
            3,
            &mut problems,
        );
        first.mention(
            None,
            "mice",
            "Species",
            "10090",
            None,
            path,
            4,
            &mut problems,
        );
        assert!(first.used_a_type_longer_than("Chemi"));
        first.finish(path, &mut problems);
        let mut second = DocBuilder::new("2", 5, Format::PubTator);
        second.set_title("mice in pain, BRAF");
        second.mention(
            None,
            "mice",
            "Species",
            "10090",
            None,
            path,
            6,
            &mut problems,
        );
        second.mention(
            None,
            "pain",
            "Disease",
            "D010146",
            None,
            path,
            7,
            &mut problems,
        );
        second.mention(None, "BRAF", "Gene", "673", None, path, 8, &mut problems);
        second.mention(
            None,
            "mice",
            "Species",
            "10090",
            None,
            path,
            9,
            &mut problems,
        );
        assert!(!second.used_a_type_longer_than("Chemi"));
        assert!(second.used_a_type_longer_than("Dis"));
        let second = second.finish(path, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let entities: Vec<_> = second
            .entities
            .iter()
            .map(|e| (e.key.as_str(), e.kind, e.mentions))
            .collect();
        assert_eq!(
            entities,
            [
                ("NCBITaxon:10090", EntityKind::Species, 2),
                ("MESH:D010146", EntityKind::Disease, 1),
                ("NCBIGene:673", EntityKind::Gene, 1),
            ]
        );
    }

    /// A place annotated twice with an entity is one mention, whether the places come in
    /// order (as files list them), the same place twice in a row, or out of order.
    #[test]
    fn a_place_annotated_twice_is_one_mention_in_any_order() {
        let path = Path::new("t.pubtator");
        let mut problems = Vec::new();
        let span = |start, end| Some(Span { start, end });
        let mut d = DocBuilder::new("1", 1, Format::PubTator);
        d.set_title("BRAF and TP53 and BRAF and TP53");
        let mentions = [
            (span(0, 4), "BRAF", "673"),
            (span(9, 13), "TP53", "7157"),
            (span(9, 13), "TP53", "673|7157"),
            (span(9, 13), "TP53", "7157"),
            (span(18, 22), "BRAF", "673"),
            (span(0, 4), "BRAF", "673"),
            (span(27, 31), "TP53", "7157"),
            (span(9, 13), "TP53", "7157"),
            (span(27, 31), "TP53", "7157"),
            (None, "BRAF", "673"),
        ];
        for (span, mention, id) in mentions {
            d.mention(span, mention, "Gene", id, None, path, 2, &mut problems);
        }
        let paper = d.finish(path, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let spans = |at: &[(u32, u32)]| -> Vec<Span> {
            at.iter().map(|&(start, end)| Span { start, end }).collect()
        };
        let entities: Vec<_> = paper
            .entities
            .iter()
            .map(|e| (e.key.as_str(), e.mentions, e.spans.to_vec()))
            .collect();
        assert_eq!(
            entities,
            [
                ("NCBIGene:673", 4, spans(&[(0, 4), (9, 13), (18, 22)])),
                ("NCBIGene:7157", 2, spans(&[(9, 13), (27, 31)])),
            ]
        );
    }

    /// A mention naming a family is no name of the one gene it is annotated with; a gene
    /// named only so goes by its id, as a group's member does.
    #[test]
    fn a_family_mention_with_one_id_does_not_name_the_gene() {
        let paper = named(&[
            ("p53 family", "Gene", "7157"),
            ("p53", "Gene", "7157"),
            ("TNF receptor superfamily", "Gene", "7132"),
            ("familial hypercholesterolemia", "Disease", "MESH:D006938"),
        ]);
        let names: Vec<(&str, Vec<&str>, bool)> = paper
            .entities
            .iter()
            .map(|e| {
                let aliases = e.aliases.iter().map(|a| a.as_str()).collect();
                (e.name.as_str(), aliases, e.named_by_group)
            })
            .collect();
        assert_eq!(
            names,
            [
                ("p53", vec![], false),
                ("TNF receptor superfamily", vec![], true),
                ("familial hypercholesterolemia", vec![], false),
            ]
        );
    }

    /// Spellings differing in case are one name, the most used; on a tie, not the one
    /// only capitalised at its start.
    #[test]
    fn case_variants_are_one_name_spelled_as_most_used() {
        for (mentions, name, uses) in [
            (
                &["Famotidine", "famotidine", "famotidine"][..],
                "famotidine",
                3,
            ),
            (&["Ketamine", "ketamine", "Ketamine"][..], "Ketamine", 3),
            (
                &["Congenital hypothyroidism", "congenital hypothyroidism"],
                "congenital hypothyroidism",
                2,
            ),
            (&["AKT", "Akt", "akt", "Akt"], "Akt", 4),
            (&["PATIENT", "Patient"], "PATIENT", 2),
        ] {
            let mentions: Vec<_> = mentions
                .iter()
                .map(|&m| (m, "Chemical", "D015738"))
                .collect();
            let e = &named(&mentions).entities[0];
            assert_eq!(
                (e.name.as_str(), e.aliases.len(), e.mentions),
                (name, 0, uses),
                "{mentions:?}"
            );
        }
    }

    #[test]
    fn lists_of_entities() {
        for (mention, type_name, lists) in [
            ("spinocerebellar ataxias 1 and 2", "Disease", true),
            (
                "BRCA1-linked than for BRCA2-linked cancers",
                "CompositeMention",
                true,
            ),
            ("BRCA1/2", "Gene", true),
            ("STAT-1, 3, 5", "Gene", true),
            ("Notch-1 & -3", "Gene", true),
            ("breast or ovarian cancer", "Disease", true),
            ("ORP-3 to -6", "Gene", true),
            ("STAT3", "Gene", false),
            ("cat eye syndrome", "SpecificDisease", false),
            ("Android", "Gene", false),
            ("PAK1-3", "Gene", false),
        ] {
            assert_eq!(lists_entities(mention, type_name), lists, "{mention}");
        }
    }

    #[test]
    fn a_disease_is_named_by_what_its_abbreviation_stands_for() {
        let mut mentions = vec![("Alzheimer's disease", "Disease", "MESH:D000544")];
        mentions.extend([("AD", "Disease", "MESH:D000544"); 5]);
        let paper = named(&mentions);
        let e = &paper.entities[0];
        assert_eq!(e.name, "Alzheimer's disease");
        assert_eq!(
            e.aliases.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
            ["AD"]
        );
        assert_eq!(e.mentions, 6);

        let paper = named(&[
            ("NPC", "Disease", "MESH:D009303"),
            ("NPC", "Disease", "MESH:D009303"),
            ("nasopharyngeal carcinoma", "Disease", "MESH:D009303"),
        ]);
        assert_eq!(paper.entities[0].name, "nasopharyngeal carcinoma");
    }

    #[test]
    fn abbreviations_stay_names_where_nothing_spells_them_out() {
        // No other name; another name that is no expansion; a gene's symbol.
        for (mentions, name) in [
            (vec![("AD", "Disease", "MESH:D000544")], "AD"),
            (
                vec![
                    ("AD", "Disease", "MESH:D000544"),
                    ("AD", "Disease", "MESH:D000544"),
                    ("dementia", "Disease", "MESH:D000544"),
                    ("memory loss", "Disease", "MESH:D000544"),
                ],
                "AD",
            ),
            (
                vec![
                    ("PD-L1", "Gene", "29126"),
                    ("PD-L1", "Gene", "29126"),
                    ("programmed death ligand 1", "Gene", "29126"),
                ],
                "PD-L1",
            ),
            (
                vec![
                    ("breast cancer", "Disease", "MESH:D001943"),
                    ("breast cancer", "Disease", "MESH:D001943"),
                    ("BC", "Disease", "MESH:D001943"),
                ],
                "breast cancer",
            ),
        ] {
            assert_eq!(named(&mentions).entities[0].name, name, "{mentions:?}");
        }
        assert!(is_abbreviation("T2DM") && is_abbreviation("HNSCC") && !is_abbreviation("Ab"));
        assert!(abbreviates("T2DM", "type 2 diabetes mellitus"));
        assert!(!abbreviates("AD", "Alzheimer"), "one word");
        assert!(
            !abbreviates("AD", "dementia of the Alzheimer type"),
            "first letter"
        );
        // Names of the corpora that a looser rule took (ncbi-disease, bc5cdr, biored).
        for (short, long) in [
            ("PWS", "Prader-Willi and Angelman syndromes"),
            ("ALD", "adolescent ALD"),
            ("RCC", "RCC cancer"),
            ("IDMS", "isolated DMS"),
            ("DMD", "Duchenne and Becker muscular dystrophy"),
            ("SCA1", "spinocerebellar ataxias 1 and 2"),
            ("AF", "atrial fibrillation and flutter"),
            ("DGS", "DiGeorge/velocardiofacial syndrome"),
        ] {
            assert!(!abbreviates(short, long), "{short}: {long}");
        }
        assert!(abbreviates("PWS", "Prader-Willi syndrome"));
        let paper = named(&[
            ("PWS", "Disease", "MESH:D011218"),
            ("PWS", "Disease", "MESH:D011218"),
            (
                "Prader-Willi and Angelman syndromes",
                "Disease",
                "MESH:D011218",
            ),
            ("Prader-Willi syndrome", "Disease", "MESH:D011218"),
        ]);
        assert_eq!(paper.entities[0].name, "Prader-Willi syndrome");
    }
}
