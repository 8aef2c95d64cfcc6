//! The entity index: entity -> papers, paper -> entities, folded names and aliases ->
//! entities, related papers (shared entities weighted by rarity) and co-mentioned entities.
//!
//! It is updated one paper at a time as papers arrive (and again when a later record of the
//! same paper merges into it), so a library being loaded in the background is always linked.

use crate::model::{EntityKey, EntityKind, Paper, SharedStr, fold_name};
use std::hash::BuildHasher;

/// Position of a paper in the library; stable for the life of the library.
pub type PaperIdx = u32;
/// Position of an entity in the index; stable for the life of the index.
pub type EntityIdx = u32;

/// What is known of an entity across every loaded paper.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EntityInfo {
    pub key: EntityKey,
    pub kind: EntityKind,
    pub name: SharedStr,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Box<str>>,
    /// Every other name seen for it, in first-seen order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<SharedStr>,
    /// Mentions summed over all papers.
    pub mentions: u64,
    /// How often `name` was used: the name shown is the most used one (ties: the first in
    /// byte order), the same whatever order papers arrive in, so the browser (parallel
    /// load) and the CLI (file order) agree. Held here, not first in a vector of every
    /// name's uses: most papers use the name shown, and that vector's allocation was a
    /// cache miss for each paper linked to a seldom seen entity.
    #[serde(skip)]
    name_used: u64,
    /// How often each alias was used, in `aliases`' order.
    #[serde(skip)]
    alias_uses: Vec<u64>,
    /// No paper has named it yet but as part of a group (see
    /// [`PaperEntity::named_by_group`](crate::model::PaperEntity::named_by_group)): `name`
    /// is its id, until the first paper that names the entity itself replaces it.
    #[serde(skip)]
    named_by_group: bool,
}

/// Entities in at least this share of the library say nothing about how two papers relate
/// (`human`, `neoplasms`): they weigh nothing in [`EntityIndex::related_papers`] and are not
/// walked.
pub const COMMON_SHARE: f64 = 0.2;
/// In a small library every shared entity is in a large share of it; an entity counts as
/// common only from this many papers on.
const COMMON_MIN_PAPERS: f64 = 10.0;

/// A paper related to another, with the entities they share.
#[derive(Clone, Debug, PartialEq)]
pub struct RelatedPaper {
    pub paper: PaperIdx,
    pub score: f64,
    /// Most telling first: [`EntityIndex::shared_entities`].
    pub shared: Vec<EntityIdx>,
}

#[derive(Debug, Default, Clone)]
pub struct EntityIndex {
    entities: Vec<EntityInfo>,
    /// Entities by key: their numbers, hashed by the keys they have in `entities`. A map
    /// holding a copy of each key took 24 bytes an entity instead of 4 (6 MiB of the peak
    /// memory of a 100k load, as room is made for as many entities as papers).
    by_key: hashbrown::HashTable<EntityIdx>,
    key_hasher: foldhash::fast::RandomState,
    /// Entities by the number the search docs' interner gave them
    /// ([`SearchDoc::entity_numbers`](crate::search::SearchDoc::entity_numbers)), as the
    /// loader hands papers over with their docs ([`NOT_NUMBERED`] where none is known): the
    /// doc was built on a loader thread, which looked each entity up already, so linking
    /// the paper here needs no hashing of its keys nor a probe of `by_key`, a table far
    /// larger than the caches (a tenth of the UI thread's time loading 100k papers). A
    /// number only points at an entity to check: the entity's key must be the paper's.
    by_doc_number: Vec<EntityIdx>,
    /// Sorted, deduplicated.
    papers_of_entity: Vec<PaperList>,
    /// Sorted, deduplicated.
    entities_of_paper: Vec<Vec<EntityIdx>>,
    /// Folded name, alias or local id -> entities, in index order. Built on the first
    /// [`EntityIndex::lookup`] (the CLI's; the browser never looks a name up) and dropped
    /// when papers are linked: kept up to date while loading, it took a twentieth of the
    /// load's CPU at 100k papers, and 20 MB.
    /// (Boxed key and slice, not `String` and `Vec`: 32 bytes an entry instead of 48, and
    /// most names are one entity's.)
    by_folded_name: std::sync::OnceLock<FoldedNames>,
    /// For entities with more than [`NAMES_SCANNED`] names: each name's position (0 is the
    /// shown name, then the aliases).
    /// (Keyed by the names themselves, shared with `aliases`, not copies of them.)
    name_positions: foldhash::HashMap<EntityIdx, foldhash::HashMap<SharedStr, u32>>,
    /// Reused while linking a paper: positions of the names it used.
    touched_names: Vec<usize>,
}

/// How many papers a [`PaperList`] holds in place.
const INLINE_PAPERS: usize = 3;

/// The papers of one entity, sorted and deduplicated. Most entities are in one to three
/// papers (three in four of a 100k-paper library's): their numbers are held in place, in
/// the room a vector takes. A vector of their own was an allocation per entity, and a
/// cache miss for each paper linked to a seldom seen entity, whose list is not in the
/// caches (a sixth of linking a paper to its entities).
#[derive(Clone, Debug)]
enum PaperList {
    Inline {
        len: u32,
        papers: [PaperIdx; INLINE_PAPERS],
    },
    Heap(Vec<PaperIdx>),
}

impl Default for PaperList {
    fn default() -> Self {
        PaperList::Inline {
            len: 0,
            papers: [0; INLINE_PAPERS],
        }
    }
}

impl PaperList {
    fn as_slice(&self) -> &[PaperIdx] {
        match self {
            PaperList::Inline { len, papers } => &papers[..*len as usize],
            PaperList::Heap(papers) => papers,
        }
    }

    /// Adds paper `idx` in order, unless it is there.
    fn insert(&mut self, idx: PaperIdx) {
        match self {
            PaperList::Inline { len, papers } if (*len as usize) < INLINE_PAPERS => {
                let n = *len as usize;
                let at = papers[..n].partition_point(|&p| p < idx);
                if papers[..n].get(at) != Some(&idx) {
                    papers.copy_within(at..n, at + 1);
                    papers[at] = idx;
                    *len += 1;
                }
            }
            PaperList::Inline { papers, .. } => {
                if !papers.contains(&idx) {
                    let mut grown = Vec::with_capacity(2 * INLINE_PAPERS + 2);
                    grown.extend_from_slice(papers);
                    let at = grown.partition_point(|&p| p < idx);
                    grown.insert(at, idx);
                    *self = PaperList::Heap(grown);
                }
            }
            // Papers are numbered as they arrive, so a new one goes at the end: a binary
            // search of a common entity's list (a million papers name human) took a cache
            // miss per step, a fifth of the UI thread's merging at 1M papers.
            PaperList::Heap(papers) => match papers.last() {
                Some(&last) if last >= idx => {
                    if let Err(at) = papers.binary_search(&idx) {
                        papers.insert(at, idx);
                    }
                }
                _ => papers.push(idx),
            },
        }
    }

    /// Takes paper `idx` out, if it is there.
    fn remove(&mut self, idx: PaperIdx) {
        match self {
            PaperList::Inline { len, papers } => {
                let n = *len as usize;
                if let Ok(at) = papers[..n].binary_search(&idx) {
                    papers.copy_within(at + 1..n, at);
                    *len -= 1;
                }
            }
            PaperList::Heap(papers) => {
                if let Ok(at) = papers.binary_search(&idx) {
                    papers.remove(at);
                }
            }
        }
    }
}

type FoldedNames = foldhash::HashMap<Box<str>, Box<[EntityIdx]>>;

/// A slot of [`EntityIndex::by_doc_number`] with no entity.
const NOT_NUMBERED: EntityIdx = EntityIdx::MAX;

/// What a summary's name for an entity counts as, against any number of papers' mentions.
const CURATED_NAME_USES: u64 = 1 << 62;

/// What one paper's use of a name counts for, before its mentions: the name most papers
/// use is shown, and mentions decide only between names as many papers use. Counted by
/// mentions alone, a word one paper repeats named the entity everywhere: `Pseudoacromegaly`,
/// which one abstract tags with the generic MeSH id for "Disease" (D004194), labelled that
/// entity in the related lists of all its 16 papers.
const PAPER_USE: u64 = 1 << 16;

/// What a common taxon's name from [`COMMON_TAXA`] counts as: more than any count of
/// mentions, less than a summary's name (a seed's curated name stays as it is).
const TAXON_NAME_USES: u64 = 1 << 61;

/// The names of the taxa papers name most, by NCBI Taxonomy id. Abstracts mention a species
/// by whom or what was studied: the corpora's commonest mention of human (9606) is
/// "patients" (then "women", "children"), of mouse "mice", of influenza A "H1N1", and the
/// most used mention was the library's name. A species is named here by its scientific name
/// (a virus by the short name everyone uses), the way the seeds' summaries name them; the
/// mentions stay its aliases.
const COMMON_TAXA: &[(&str, &str)] = &[
    ("9606", "Homo sapiens"),
    ("10090", "Mus musculus"),
    ("10116", "Rattus norvegicus"),
    ("7955", "Danio rerio"),
    ("7227", "Drosophila melanogaster"),
    ("6239", "Caenorhabditis elegans"),
    ("4932", "Saccharomyces cerevisiae"),
    ("559292", "Saccharomyces cerevisiae S288C"),
    ("4896", "Schizosaccharomyces pombe"),
    ("562", "Escherichia coli"),
    ("3702", "Arabidopsis thaliana"),
    ("4530", "Oryza sativa"),
    ("4577", "Zea mays"),
    ("8355", "Xenopus laevis"),
    ("9031", "Gallus gallus"),
    ("9913", "Bos taurus"),
    ("9823", "Sus scrofa"),
    ("9615", "Canis lupus familiaris"),
    ("9685", "Felis catus"),
    ("9986", "Oryctolagus cuniculus"),
    ("9544", "Macaca mulatta"),
    ("10029", "Cricetulus griseus"),
    ("1773", "Mycobacterium tuberculosis"),
    ("1280", "Staphylococcus aureus"),
    ("287", "Pseudomonas aeruginosa"),
    ("5833", "Plasmodium falciparum"),
    ("2697049", "SARS-CoV-2"),
    ("11676", "HIV-1"),
    ("12721", "HIV"),
    ("11320", "Influenza A virus"),
    ("11103", "Hepatitis C virus"),
];

/// The name [`COMMON_TAXA`] gives the entity `key`, if it is one of them.
pub(crate) fn common_taxon_name(key: &EntityKey) -> Option<&'static str> {
    // Asked for every entity of every paper as docs are built: one prefix test for the rest.
    let id = key.as_str().strip_prefix("NCBITaxon:")?;
    COMMON_TAXA
        .iter()
        .find(|(taxon, _)| *taxon == id)
        .map(|(_, name)| *name)
}

/// Lists entity `e` under the folded name `folded`.
fn add_folded_name(by_folded_name: &mut FoldedNames, folded: String, e: EntityIdx) {
    if folded.is_empty() {
        return;
    }
    match by_folded_name.get_mut(folded.as_str()) {
        Some(list) if !list.contains(&e) => {
            let mut grown = std::mem::take(list).into_vec();
            grown.push(e);
            *list = grown.into_boxed_slice();
        }
        Some(_) => {}
        None => {
            by_folded_name.insert(folded.into_boxed_str(), Box::new([e]));
        }
    }
}

/// An entity with more names than this finds a name's position through a table instead of
/// comparing it with each name (human, NCBITaxon:9606, has hundreds across a corpus).
const NAMES_SCANNED: usize = 8;

impl EntityInfo {
    /// The aliases, most used first, ties in the order of their text regardless of case:
    /// what to show, and of names differing only in case, the spelling most papers use
    /// (`patient` before `PATIENT`). Ties went in the order first seen, which is the order
    /// the files happened to load in: ut24c once read BRCA1's `aka` in another order.
    pub fn aliases_most_used_first(&self) -> Vec<&SharedStr> {
        let mut order: Vec<usize> = (0..self.aliases.len()).collect();
        order.sort_by(|&a, &b| {
            let uses = |i: usize| self.alias_uses.get(i).copied();
            let folded = |i: usize| self.aliases[i].chars().flat_map(char::to_lowercase);
            uses(b)
                .cmp(&uses(a))
                .then_with(|| folded(a).cmp(folded(b)))
                .then_with(|| self.aliases[a].as_str().cmp(self.aliases[b].as_str()))
        });
        order.into_iter().map(|i| &self.aliases[i]).collect()
    }

    /// How many names it has: `name` and `aliases`.
    fn name_count(&self) -> usize {
        1 + self.alias_uses.len()
    }

    /// How often name `i` was used (0 is `name`, the rest `aliases`).
    fn uses(&self, i: usize) -> u64 {
        if i == 0 {
            self.name_used
        } else {
            self.alias_uses[i - 1]
        }
    }

    fn uses_mut(&mut self, i: usize) -> &mut u64 {
        if i == 0 {
            &mut self.name_used
        } else {
            &mut self.alias_uses[i - 1]
        }
    }

    /// Name `i` of the entity: 0 is `name`, the rest `aliases`.
    fn name_at(&self, i: usize) -> &SharedStr {
        if i == 0 {
            &self.name
        } else {
            &self.aliases[i - 1]
        }
    }

    /// Whether name `a` is shown before name `b`: more used, ties first in byte order.
    fn outranks(&self, a: usize, b: usize) -> bool {
        self.uses(a)
            .cmp(&self.uses(b))
            .then_with(|| self.name_at(b).as_str().cmp(self.name_at(a).as_str()))
            .is_gt()
    }

    /// Makes the most used name `name`, given that only the uses of the names at `touched`
    /// grew since it last was (the others are still no more used than `name`). Returns the
    /// position `name` moved to, if it moved.
    fn show_most_used_name(&mut self, touched: &[usize]) -> Option<usize> {
        // A name does not outrank itself: most papers use the shown name again, and
        // comparing it with itself compared its text.
        let best = touched.iter().copied().fold(0, |best, i| {
            if i != best && self.outranks(i, best) {
                i
            } else {
                best
            }
        });
        (best > 0).then(|| {
            std::mem::swap(&mut self.name, &mut self.aliases[best - 1]);
            std::mem::swap(&mut self.name_used, &mut self.alias_uses[best - 1]);
            best
        })
    }
}

/// Whether a paper's entity names were chosen by an author: a summary's are; PubTator and
/// BioC ones are the words of the abstract.
pub(crate) fn is_curated(paper: &Paper) -> bool {
    paper
        .sources
        .iter()
        .any(|s| s.format == crate::model::Format::SummaryMarkdown)
}

/// How much each of a paper's names for an entity counts towards the name shown: its name
/// (its most used mention there) one [`PAPER_USE`] plus its mentions, each alias half a
/// paper use plus one. A summary's name from a
/// database, given with the database's description (`CD27 (CD27 molecule) [NCBI Gene
/// 939]`, `Homo sapiens (human, species)`), outweighs any count of mentions; a summary's
/// full-text entities without one (`malignancy (MESH:D009369)`) are words of its text, and
/// count as a mention: a seed's "malignancy" had named Neoplasms in all 293 of the corpora's
/// papers, which call it cancer or tumor.
fn name_uses(
    pe: &crate::model::PaperEntity,
    curated: bool,
) -> impl Iterator<Item = (&SharedStr, u64)> {
    let weight = if curated && pe.description.is_some() {
        CURATED_NAME_USES
    } else {
        PAPER_USE + u64::from(pe.mentions.max(1)).min(PAPER_USE - 1)
    };
    // A name the paper uses less than another counts half a paper.
    let alias = PAPER_USE / 2 + 1;
    std::iter::once((&pe.name, weight)).chain(pe.aliases.iter().map(move |a| (a, alias)))
}

impl EntityIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes room for `papers` papers in the per-paper tables, and for as many entities
    /// (the corpora bring one new entity per two to three papers; a few times more names).
    /// Untouched room costs address space, not memory, and growing a table of 100k names
    /// took 25 ms on the UI thread.
    pub fn reserve_papers(&mut self, papers: usize) {
        self.entities_of_paper
            .reserve(papers.saturating_sub(self.entities_of_paper.len()));
        let entities = papers;
        self.entities
            .reserve(entities.saturating_sub(self.entities.len()));
        self.papers_of_entity
            .reserve(entities.saturating_sub(self.papers_of_entity.len()));
        self.by_doc_number
            .reserve(entities.saturating_sub(self.by_doc_number.len()));
        let (known, hasher) = (&self.entities, &self.key_hasher);
        self.by_key
            .reserve(entities.saturating_sub(self.by_key.len()), |&e| {
                hasher.hash_one(&known[e as usize].key)
            });
    }

    /// Links `paper` (at `idx`) to its entities, replacing whatever was linked to `idx` before.
    /// The name uses and mentions of what was linked before are not taken back: re-linking a
    /// paper needs [`Self::forget_paper`] with the paper as it was linked, first.
    pub fn add_paper(&mut self, idx: PaperIdx, paper: &Paper) {
        self.add_paper_numbered(idx, paper, &[]);
    }

    /// [`EntityIndex::add_paper`] for a paper whose search doc numbered its entities
    /// (`numbers`, one per entity in order; ignored unless there is one for each).
    pub fn add_paper_numbered(&mut self, idx: PaperIdx, paper: &Paper, numbers: &[u32]) {
        self.by_folded_name.take();
        let numbers = (numbers.len() == paper.entities.len()).then_some(numbers);
        let slot = idx as usize;
        if self.entities_of_paper.len() <= slot {
            self.entities_of_paper.resize_with(slot + 1, Vec::new);
        }
        for old in std::mem::take(&mut self.entities_of_paper[slot]) {
            self.papers_of_entity[old as usize].remove(idx);
        }
        let curated = is_curated(paper);
        let mut linked = Vec::with_capacity(paper.entities.len());
        for (at, pe) in paper.entities.iter().enumerate() {
            let number = numbers.map(|numbers| numbers[at]);
            let e = self.intern(pe, curated, number);
            self.entities[e as usize].mentions += u64::from(pe.mentions.max(1));
            linked.push(e);
        }
        linked.sort_unstable();
        linked.dedup();
        for &e in &linked {
            self.papers_of_entity[e as usize].insert(idx);
        }
        self.entities_of_paper[slot] = linked;
    }

    /// Takes back the name uses and mentions `paper` added when it was linked, so that
    /// linking it again once another record of it is merged in
    /// ([`Library`](crate::library::Library) does) does not count them twice; each entity it
    /// names shows its most used name again. (Worked out from the paper rather than kept
    /// per paper: merges are rare, and a table of every paper's mentions was 8 MB per 100k
    /// papers.)
    pub fn forget_paper(&mut self, paper: &Paper) {
        self.by_folded_name.take();
        let curated = is_curated(paper);
        for pe in &paper.entities {
            let Some(e) = self.by_key(&pe.key) else {
                continue;
            };
            let info = &mut self.entities[e as usize];
            info.mentions = info.mentions.saturating_sub(u64::from(pe.mentions.max(1)));
            if pe.named_by_group {
                // Its name was never counted.
                continue;
            }
            for (name, used) in name_uses(pe, curated) {
                if let Some(at) = self.name_position(e, name) {
                    let uses = self.entities[e as usize].uses_mut(at);
                    *uses = uses.saturating_sub(used);
                }
            }
            let every_name: Vec<usize> = (0..self.entities[e as usize].name_count()).collect();
            if let Some(moved) = self.entities[e as usize].show_most_used_name(&every_name) {
                self.note_name_position(e, 0);
                self.note_name_position(e, moved);
            }
        }
    }

    /// The entity `pe` is, added if new, with `pe`'s names and description counted;
    /// `number`, its doc's number for it, if known.
    fn intern(
        &mut self,
        pe: &crate::model::PaperEntity,
        curated: bool,
        number: Option<u32>,
    ) -> EntityIdx {
        let numbered = number
            .and_then(|n| self.by_doc_number.get(n as usize))
            .copied()
            .filter(|&e| e != NOT_NUMBERED && self.entities[e as usize].key == pe.key);
        let e = match numbered {
            Some(e) => e,
            None => {
                let e = self.find_or_add(pe);
                if let Some(n) = number {
                    let at = n as usize;
                    if self.by_doc_number.len() <= at {
                        self.by_doc_number.resize(at + 1, NOT_NUMBERED);
                    }
                    self.by_doc_number[at] = e;
                }
                e
            }
        };
        self.link_names(e, pe, curated)
    }

    /// The entity with `pe`'s key, added (without names beyond its first) if new.
    fn find_or_add(&mut self, pe: &crate::model::PaperEntity) -> EntityIdx {
        let hash = self.key_hasher.hash_one(&pe.key);
        let known = &self.entities;
        match self.by_key.find(hash, |&e| known[e as usize].key == pe.key) {
            Some(&e) => e,
            None => {
                let e = self.entities.len() as EntityIdx;
                // Named by a group only, it goes by its CURIE until a paper names it (the
                // group's name is not its own, and which group came first depends on the
                // order files load in; a user test found genes listed as bare numbers,
                // `2589`, by their local ids). A common taxon has its name from the start, counted
                // once for the library (not per paper: forgetting a paper leaves it).
                let taxon = common_taxon_name(&pe.key);
                let (name, uses, named_by_group) = match taxon {
                    Some(taxon) => (SharedStr::from(taxon), TAXON_NAME_USES, false),
                    None if pe.named_by_group => (SharedStr::from(pe.key.as_str()), 0, true),
                    None => (pe.name.clone(), 0, false),
                };
                self.entities.push(EntityInfo {
                    key: pe.key.clone(),
                    kind: pe.kind,
                    name,
                    description: None,
                    aliases: Vec::new(),
                    mentions: 0,
                    name_used: uses,
                    alias_uses: Vec::new(),
                    named_by_group,
                });
                self.papers_of_entity.push(PaperList::default());
                let (known, hasher) = (&self.entities, &self.key_hasher);
                self.by_key
                    .insert_unique(hash, e, |&e| hasher.hash_one(&known[e as usize].key));
                e
            }
        }
    }

    /// Counts `pe`'s description, kind and names (`curated` if a summary's) for entity
    /// `e`, and shows the most used name.
    fn link_names(
        &mut self,
        e: EntityIdx,
        pe: &crate::model::PaperEntity,
        curated: bool,
    ) -> EntityIdx {
        {
            let info = &mut self.entities[e as usize];
            if info.description.is_none() {
                info.description.clone_from(&pe.description);
            }
            if info.kind == EntityKind::Other && pe.kind != EntityKind::Other {
                info.kind = pe.kind;
            }
        }
        if pe.named_by_group {
            // A group's name is not the entity's: linked, not named.
            return e;
        }
        if self.entities[e as usize].named_by_group {
            // Named at last: the group's name it stood under goes (it was never listed
            // under it, nor counted).
            let info = &mut self.entities[e as usize];
            info.name = pe.name.clone();
            info.name_used = 0;
            info.alias_uses.clear();
            info.aliases.clear();
            info.named_by_group = false;
        }
        let mut touched = std::mem::take(&mut self.touched_names);
        touched.clear();
        for (name, used) in name_uses(pe, curated) {
            let at = match self.name_position(e, name) {
                Some(at) => at,
                None => {
                    let info = &mut self.entities[e as usize];
                    info.aliases.push(name.clone());
                    info.alias_uses.push(0);
                    let at = info.aliases.len();
                    self.note_name_position(e, at);
                    at
                }
            };
            *self.entities[e as usize].uses_mut(at) += used;
            touched.push(at);
        }
        if let Some(moved) = self.entities[e as usize].show_most_used_name(&touched) {
            self.note_name_position(e, 0);
            self.note_name_position(e, moved);
        }
        self.touched_names = touched;
        e
    }

    /// Where `name` is among entity `e`'s names (0 is the shown name), if it is one.
    fn name_position(&self, e: EntityIdx, name: &str) -> Option<usize> {
        let info = &self.entities[e as usize];
        // Only entities with more names have a table: most are not looked up in it.
        let table = (info.name_count() > NAMES_SCANNED)
            .then(|| self.name_positions.get(&e))
            .flatten();
        match table {
            Some(positions) => positions.get(name).map(|&at| at as usize),
            // Names come from the parse threads' pools: the same pointer is the same name
            // without comparing the text.
            None => (0..info.name_count()).find(|&i| {
                let known = info.name_at(i).as_str();
                std::ptr::eq(known, name) || known == name
            }),
        }
    }

    /// Records where name `at` of entity `e` now is, once the entity has so many names that
    /// they are looked up in a table (which is built then).
    fn note_name_position(&mut self, e: EntityIdx, at: usize) {
        let info = &self.entities[e as usize];
        if info.name_count() <= NAMES_SCANNED {
            return;
        }
        let positions = self.name_positions.entry(e).or_insert_with(|| {
            (0..info.name_count())
                .map(|i| (info.name_at(i).clone(), i as u32))
                .collect()
        });
        match positions.get_mut(info.name_at(at).as_str()) {
            Some(known) => *known = at as u32,
            None => {
                positions.insert(info.name_at(at).clone(), at as u32);
            }
        }
    }

    /// [`EntityIndex::by_folded_name`], built now if it is not.
    fn folded_names(&self) -> &FoldedNames {
        self.by_folded_name.get_or_init(|| {
            let mut names = FoldedNames::default();
            for (e, info) in self.entities() {
                if !info.key.is_name_only() {
                    add_folded_name(&mut names, fold_name(info.key.local_id()), e);
                }
                // Named by a group only, its name is its CURIE (above): not the group's name.
                if !info.named_by_group {
                    for name in std::iter::once(&info.name).chain(&info.aliases) {
                        add_folded_name(&mut names, fold_name(name), e);
                    }
                }
            }
            names
        })
    }

    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    pub fn entity(&self, e: EntityIdx) -> &EntityInfo {
        &self.entities[e as usize]
    }

    pub fn entities(&self) -> impl Iterator<Item = (EntityIdx, &EntityInfo)> {
        self.entities
            .iter()
            .enumerate()
            .map(|(i, info)| (i as EntityIdx, info))
    }

    pub fn by_key(&self, key: &EntityKey) -> Option<EntityIdx> {
        let hash = self.key_hasher.hash_one(key);
        self.by_key
            .find(hash, |&e| self.entities[e as usize].key == *key)
            .copied()
    }

    /// Papers that mention the entity, in library order.
    pub fn papers_with(&self, e: EntityIdx) -> &[PaperIdx] {
        self.papers_of_entity
            .get(e as usize)
            .map_or(&[][..], PaperList::as_slice)
    }

    /// Entities of a paper, in index order.
    pub fn entities_of(&self, p: PaperIdx) -> &[EntityIdx] {
        self.entities_of_paper
            .get(p as usize)
            .map_or(&[][..], Vec::as_slice)
    }

    /// Entities a user's words could mean: an exact CURIE (in any case), else
    /// every entity whose folded name, alias or local id equals the folded query. Most-cited
    /// first.
    pub fn lookup(&self, query: &str) -> Vec<EntityIdx> {
        let query = query.trim();
        if let Some((ns, id)) = query.split_once(':') {
            // The namespace in any case; the id as written, else in any case too
            // (`mesh:d001943`: ids differing only in case are not two entities).
            let (ns, id) = (ns.trim(), id.trim());
            let with_id = |same: &dyn Fn(&str) -> bool| {
                self.entities
                    .iter()
                    .position(|info| {
                        info.key.namespace().eq_ignore_ascii_case(ns) && same(info.key.local_id())
                    })
                    .map(|i| i as EntityIdx)
            };
            let exact = self
                .by_key(&EntityKey(query.into()))
                .or_else(|| with_id(&|local| local == id))
                .or_else(|| with_id(&|local| local.eq_ignore_ascii_case(id)));
            if let Some(e) = exact {
                return vec![e];
            }
        }
        let mut found = self
            .folded_names()
            .get(fold_name(query).as_str())
            .map(|list| list.to_vec())
            .unwrap_or_default();
        found.sort_by_key(|&e| std::cmp::Reverse(self.papers_with(e).len()));
        found
    }

    /// Whether `query` names entity `e` as [`EntityIndex::lookup`] reads it (its CURIE in any
    /// case, or its folded name, an alias or its local id), without the library-wide table
    /// `lookup` builds: for the few entities of one paper (the first entity-term search at
    /// 100k papers built it on the UI thread, 127-202 ms, ut23b).
    pub fn is_named(&self, e: EntityIdx, query: &str) -> bool {
        let info = self.entity(e);
        let query = query.trim();
        if let Some((ns, id)) = query.split_once(':')
            && !info.key.is_name_only()
            && info.key.namespace().eq_ignore_ascii_case(ns.trim())
            && info.key.local_id().eq_ignore_ascii_case(id.trim())
        {
            return true;
        }
        let folded = fold_name(query);
        if !info.key.is_name_only() && fold_name(info.key.local_id()) == folded {
            return true;
        }
        !info.named_by_group
            && std::iter::once(&info.name)
                .chain(&info.aliases)
                .any(|name| fold_name(name) == folded)
    }

    /// How much sharing `e` says about two papers being related (0 = nothing): specificity
    /// squared, times a weight for the entity's kind.
    ///
    /// Specificity is `ln(common / df)` for an entity in `df` papers, where `common` is
    /// [`COMMON_SHARE`] of the library: an entity in that share or more (species `human`,
    /// `neoplasms`) weighs nothing, and squaring it lets one rare entity outweigh several
    /// middling ones. Genes, proteins, variants, chemicals and cell lines name one thing;
    /// diseases are often broad ("disease", "malignancy") and species mostly say "in humans",
    /// so they count for less, and so do names without an id (the same words can mean
    /// different things in different papers).
    pub fn weight(&self, e: EntityIdx, paper_count: usize) -> f64 {
        let df = self.papers_with(e).len().max(1) as f64;
        let common = (paper_count as f64 * COMMON_SHARE).max(COMMON_MIN_PAPERS);
        let specificity = (common / df).ln().max(0.0);
        let info = self.entity(e);
        let kind = match info.kind {
            EntityKind::Gene
            | EntityKind::Protein
            | EntityKind::Variant
            | EntityKind::Chemical
            | EntityKind::CellLine => 1.0,
            EntityKind::Disease | EntityKind::Other => 0.5,
            EntityKind::Species => 0.3,
        };
        let grounded = if info.key.is_name_only() { 0.5 } else { 1.0 };
        kind * grounded * specificity * specificity
    }

    /// Other papers ranked by the summed [`weight`](Self::weight) of the entities they share
    /// with `p`, best first (ties: library order). Entities that weigh nothing are not walked,
    /// so a paper mentioning `human` does not visit half the library; scores add up in a
    /// vector indexed by paper, and only the `limit` best get their shared entities listed.
    pub fn related_papers(&self, p: PaperIdx, limit: usize) -> Vec<RelatedPaper> {
        self.related_papers_by(p, limit, u64::from)
    }

    /// How many papers [`Self::related_papers`] ranks for `p` before keeping the best.
    pub fn related_count(&self, p: PaperIdx) -> usize {
        self.related_scores(p).1.len()
    }

    /// Each paper's score against `p` (by paper number), and the other papers sharing an
    /// entity with it that weighs something.
    fn related_scores(&self, p: PaperIdx) -> (Vec<f64>, Vec<PaperIdx>) {
        let paper_count = self.entities_of_paper.len();
        let mut scores = vec![0.0f64; paper_count];
        let mut touched: Vec<PaperIdx> = Vec::new();
        for &e in self.entities_of(p) {
            let w = self.weight(e, paper_count);
            if w <= 0.0 {
                continue;
            }
            for &other in self.papers_with(e) {
                let Some(score) = scores.get_mut(other as usize) else {
                    continue;
                };
                if *score == 0.0 {
                    touched.push(other);
                }
                *score += w;
            }
        }
        touched.retain(|&other| other != p);
        (scores, touched)
    }

    /// [`Self::related_papers`], papers scoring the same in `place` order (the library's
    /// source order in the browser, where paper numbers follow arrival). Scores are compared
    /// to nine decimals: the same weights summed in another order can differ in the last bit.
    pub fn related_papers_by(
        &self,
        p: PaperIdx,
        limit: usize,
        place: impl Fn(PaperIdx) -> u64,
    ) -> Vec<RelatedPaper> {
        if limit == 0 {
            return Vec::new();
        }
        let (scores, mut touched) = self.related_scores(p);
        let rounded = |x: PaperIdx| (scores[x as usize] * 1e9).round() as i64;
        let best_first = |a: &PaperIdx, b: &PaperIdx| {
            rounded(*b)
                .cmp(&rounded(*a))
                .then_with(|| place(*a).cmp(&place(*b)))
                .then(a.cmp(b))
        };
        if touched.len() > limit {
            touched.select_nth_unstable_by(limit - 1, best_first);
            touched.truncate(limit);
        }
        touched.sort_unstable_by(best_first);
        touched
            .into_iter()
            .map(|other| RelatedPaper {
                paper: other,
                score: scores[other as usize],
                shared: self.shared_entities(p, other),
            })
            .collect()
    }

    /// The entities papers `a` and `b` both mention, the ones that say most about their being
    /// related first (highest [`weight`](Self::weight), then rarest, then by name); entities
    /// that weigh nothing come last.
    pub fn shared_entities(&self, a: PaperIdx, b: PaperIdx) -> Vec<EntityIdx> {
        let (mut left, mut right) = (self.entities_of(a).iter(), self.entities_of(b).iter());
        let (mut x, mut y) = (left.next(), right.next());
        let mut shared = Vec::new();
        // Both lists are in index order: one merge pass.
        while let (Some(&ea), Some(&eb)) = (x, y) {
            match ea.cmp(&eb) {
                std::cmp::Ordering::Less => x = left.next(),
                std::cmp::Ordering::Greater => y = right.next(),
                std::cmp::Ordering::Equal => {
                    shared.push(ea);
                    x = left.next();
                    y = right.next();
                }
            }
        }
        let paper_count = self.entities_of_paper.len();
        let mut keyed: Vec<(f64, usize, EntityIdx)> = shared
            .into_iter()
            .map(|e| (self.weight(e, paper_count), self.papers_with(e).len(), e))
            .collect();
        keyed.sort_by(|l, r| {
            r.0.total_cmp(&l.0)
                .then(l.1.cmp(&r.1))
                .then_with(|| self.entity(l.2).name.cmp(&self.entity(r.2).name))
        });
        keyed.into_iter().map(|(_, _, e)| e).collect()
    }

    /// Entities that appear in the same papers as `e`, most shared papers first.
    pub fn co_mentioned(&self, e: EntityIdx, limit: usize) -> Vec<(EntityIdx, u32)> {
        self.co_mentioned_counted(e, limit).0
    }

    /// [`EntityIndex::co_mentioned`], and how many entities share a paper with `e` in all (what a
    /// list cut to `limit` leaves out).
    pub fn co_mentioned_counted(
        &self,
        e: EntityIdx,
        limit: usize,
    ) -> (Vec<(EntityIdx, u32)>, usize) {
        let papers = self.papers_with(e);
        let mut ranked: Vec<(EntityIdx, u32)> = if papers.len() * 8 > self.entities.len() {
            // A common entity: a count per entity, no hashing per mention.
            let mut counts = vec![0u32; self.entities.len()];
            for &p in papers {
                for &other in self.entities_of(p) {
                    counts[other as usize] += 1;
                }
            }
            counts[e as usize] = 0;
            counts
                .iter()
                .enumerate()
                .filter(|&(_, &n)| n > 0)
                .map(|(other, &n)| (other as EntityIdx, n))
                .collect()
        } else {
            let mut counts: foldhash::HashMap<EntityIdx, u32> = foldhash::HashMap::default();
            for &p in papers {
                for &other in self.entities_of(p) {
                    if other != e {
                        *counts.entry(other).or_default() += 1;
                    }
                }
            }
            counts.into_iter().collect()
        };
        // Ties by name, then key: not by entity number, which in the browser follows the
        // order papers arrived in, so the browser and `tomes entity` list the same.
        let order = |a: &(EntityIdx, u32), b: &(EntityIdx, u32)| {
            let (ea, eb) = (&self.entities[a.0 as usize], &self.entities[b.0 as usize]);
            b.1.cmp(&a.1)
                .then_with(|| {
                    let a = ea.name.bytes().map(|b| b.to_ascii_lowercase());
                    a.cmp(eb.name.bytes().map(|b| b.to_ascii_lowercase()))
                })
                .then_with(|| ea.key.cmp(&eb.key))
        };
        let total = ranked.len();
        if limit > 0 && ranked.len() > limit {
            ranked.select_nth_unstable_by(limit - 1, order);
        }
        ranked.truncate(limit);
        ranked.sort_by(order);
        (ranked, total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PaperEntity, PaperKey};

    /// A paper list holds its papers sorted and once each, in place or not, whatever order
    /// they come and go in, and takes no more room than a vector.
    #[test]
    fn paper_lists_stay_sorted_and_deduplicated() {
        assert_eq!(
            std::mem::size_of::<PaperList>(),
            std::mem::size_of::<Vec<PaperIdx>>()
        );
        let steps: &[(bool, PaperIdx)] = &[
            (true, 5),
            (true, 2),
            (true, 5),
            (true, 9),
            (true, 2),
            (false, 5),
            (true, 7),
            (true, 1),
            (true, 3),
            (false, 1),
            (false, 4),
            (true, 12),
            (true, 0),
            (false, 12),
            (false, 0),
        ];
        let (mut list, mut model) = (PaperList::default(), Vec::new());
        for &(add, p) in steps {
            if add {
                list.insert(p);
                model.push(p);
                model.sort_unstable();
                model.dedup();
            } else {
                list.remove(p);
                model.retain(|&q| q != p);
            }
            assert_eq!(
                list.as_slice(),
                model,
                "after {} {p}",
                ["-", "+"][add as usize]
            );
            if model.len() <= INLINE_PAPERS {
                // The same papers added to a fresh list fit in place.
                let mut small = PaperList::default();
                for &q in model.iter().rev() {
                    small.insert(q);
                }
                assert!(matches!(small, PaperList::Inline { .. }));
                assert_eq!(small.as_slice(), model);
            }
        }
        assert_eq!(list.as_slice(), [2, 3, 7, 9]);
    }

    fn entity(key: &str, kind: EntityKind, name: &str, aliases: &[&str]) -> PaperEntity {
        PaperEntity {
            key: EntityKey(key.into()),
            kind,
            name: name.into(),
            description: None,
            aliases: aliases.iter().map(|&s| s.into()).collect(),
            mentions: 1,
            spans: vec![].into(),
            named_by_group: false,
            name_weight: 1,
        }
    }

    fn paper(key: &str, entities: Vec<PaperEntity>) -> Paper {
        Paper {
            key: PaperKey(key.into()),
            entities,
            ..Paper::default()
        }
    }

    /// Aliases used as often are listed in the order of their text, whatever order the
    /// papers came in (they went in the order first seen, which is the order files happened
    /// to load in: ut24c once read BRCA1's aka in another order).
    #[test]
    fn aliases_used_as_often_list_alike_in_any_order_of_arrival() {
        let papers = [
            paper(
                "PMID:1",
                vec![entity(
                    "NCBIGene:672",
                    EntityKind::Gene,
                    "BRCA1",
                    &["RNF53", "brcc1"],
                )],
            ),
            paper(
                "PMID:2",
                vec![entity(
                    "NCBIGene:672",
                    EntityKind::Gene,
                    "BRCA1",
                    &["BRCAI", "PPP1R53"],
                )],
            ),
        ];
        for order in [[0, 1], [1, 0]] {
            let mut index = EntityIndex::new();
            for (slot, &i) in order.iter().enumerate() {
                index.add_paper(slot as PaperIdx, &papers[i]);
            }
            let info = index.entity(index.by_key(&EntityKey("NCBIGene:672".into())).unwrap());
            let aliases: Vec<&str> = info
                .aliases_most_used_first()
                .into_iter()
                .map(|a| a.as_str())
                .collect();
            assert_eq!(aliases, ["BRCAI", "brcc1", "PPP1R53", "RNF53"], "{order:?}");
        }
    }

    /// A CURIE finds its entity in any case, its id as written first (ut23: `tomes entity
    /// mesh:d001943` found nothing while `Mesh:D001943` did).
    #[test]
    fn a_curie_is_looked_up_in_any_case() {
        let mut index = EntityIndex::new();
        let disease = entity("MESH:D001943", EntityKind::Disease, "breast cancer", &[]);
        let line = entity("CVCL_0030", EntityKind::CellLine, "HeLa", &[]);
        index.add_paper(0, &paper("PMID:1", vec![disease, line]));
        let d = index
            .by_key(&EntityKey("MESH:D001943".into()))
            .expect("linked");
        for query in [
            "MESH:D001943",
            "mesh:D001943",
            "mesh:d001943",
            " Mesh:d001943 ",
        ] {
            assert_eq!(index.lookup(query), vec![d], "{query}");
        }
        assert!(index.lookup("mesh:d00194").is_empty());
        assert!(index.lookup("chebi:d001943").is_empty());
    }

    /// `is_named` answers for one entity what `lookup` answers from the library's table.
    #[test]
    fn is_named_agrees_with_lookup() {
        let mut index = EntityIndex::new();
        let mut group = entity("NCBIGene:3553", EntityKind::Gene, "cytokines", &[]);
        group.named_by_group = true;
        index.add_paper(
            0,
            &paper(
                "PMID:1",
                vec![
                    entity(
                        "MESH:D001943",
                        EntityKind::Disease,
                        "breast cancer",
                        &["BC"],
                    ),
                    entity("NCBIGene:7157", EntityKind::Gene, "TP53", &["p53", "TNF-α"]),
                    entity("CVCL_0030", EntityKind::CellLine, "HeLa", &[]),
                    group,
                ],
            ),
        );
        let queries = [
            "MESH:D001943",
            "mesh:d001943",
            "D001943",
            "breast cancer",
            "Breast-Cancer",
            "bc",
            "tp53",
            "P53",
            "tnf-alpha",
            "7157",
            "NCBIGene:7157",
            "hela",
            "CVCL_0030",
            "cytokines",
            "3553",
            "cancer",
            "NCBIGene:715",
        ];
        for (e, _) in index.entities() {
            for q in queries {
                assert_eq!(
                    index.is_named(e, q),
                    index.lookup(q).contains(&e),
                    "{q} for {}",
                    index.entity(e).key.as_str()
                );
            }
        }
    }

    /// An entity linked only through a group's mention goes by its CURIE and is not listed
    /// under the group's name; the first paper that names it gives it its name.
    #[test]
    fn group_names_link_without_naming() {
        let mut group = entity("NCBIGene:3553", EntityKind::Gene, "cytokines", &[]);
        group.named_by_group = true;
        let mut index = EntityIndex::new();
        index.add_paper(0, &paper("PMID:1", vec![group.clone()]));
        let e = index
            .by_key(&EntityKey("NCBIGene:3553".into()))
            .expect("linked");
        assert_eq!(index.entity(e).name, "NCBIGene:3553");
        assert!(index.lookup("cytokines").is_empty());
        assert_eq!(index.lookup("3553"), vec![e]);
        let mut own = entity("NCBIGene:3553", EntityKind::Gene, "IL1B", &["IL-1beta"]);
        own.mentions = 3;
        index.add_paper(1, &paper("PMID:2", vec![own]));
        index.add_paper(2, &paper("PMID:3", vec![group.clone()]));
        let info = index.entity(e);
        assert_eq!(info.name, "IL1B");
        assert_eq!(info.aliases, vec![SharedStr::from("IL-1beta")]);
        assert_eq!(info.mentions, 5);
        assert_eq!(index.papers_with(e).len(), 3);
        assert!(index.lookup("cytokines").is_empty());
        assert_eq!(index.lookup("il1b"), vec![e]);
        // Taking a group-named paper back leaves the names alone.
        index.forget_paper(&paper("PMID:3", vec![group]));
        assert_eq!(index.entity(e).name, "IL1B");
        assert_eq!(index.entity(e).mentions, 4);
    }

    fn cd274() -> PaperEntity {
        entity(
            "NCBIGene:29126",
            EntityKind::Gene,
            "CD274",
            &["PD-L1", "B7-H"],
        )
    }
    fn human() -> PaperEntity {
        entity("NCBITaxon:9606", EntityKind::Species, "human", &[])
    }
    fn tp53() -> PaperEntity {
        entity("NCBIGene:7157", EntityKind::Gene, "TP53", &[])
    }

    /// Linking papers by the numbers their search docs gave their entities links them as
    /// their keys do, whatever the numbers say: the interner numbers a CURIE whatever its
    /// case (one number for two keys), and a number may point at another entity (a doc of
    /// another interner); a number only saves looking the key up.
    #[test]
    fn papers_linked_by_doc_numbers_are_linked_as_by_their_keys() {
        let upper_tp53 = entity("NCBIGene:7157", EntityKind::Gene, "p53", &["TP53"]);
        let lower_tp53 = entity("ncbigene:7157", EntityKind::Gene, "tp53", &[]);
        let papers = [
            paper("PMID:1", vec![cd274(), human()]),
            paper("PMID:2", vec![cd274(), human(), tp53()]),
            paper("PMID:3", vec![human(), upper_tp53, lower_tp53]),
            paper("PMID:4", vec![tp53(), human()]),
        ];
        // As the interner numbers them (kind and lower-cased CURIE), and at random.
        let numbers_of = |p: &Paper| -> Vec<u32> {
            p.entities
                .iter()
                .map(|e| match e.key.as_str().to_lowercase().as_str() {
                    "ncbigene:29126" => 0,
                    "ncbitaxon:9606" => 1,
                    _ => 2,
                })
                .collect()
        };
        let scrambled = |p: &Paper| -> Vec<u32> { (0..p.entities.len() as u32).rev().collect() };
        let mut by_keys = EntityIndex::new();
        for (i, p) in papers.iter().enumerate() {
            by_keys.add_paper(i as PaperIdx, p);
        }
        for numbers in [&numbers_of as &dyn Fn(&Paper) -> Vec<u32>, &scrambled] {
            let mut by_numbers = EntityIndex::new();
            for (i, p) in papers.iter().enumerate() {
                by_numbers.add_paper_numbered(i as PaperIdx, p, &numbers(p));
            }
            let linked = |index: &EntityIndex| {
                let entities: Vec<(EntityInfo, Vec<PaperIdx>)> = index
                    .entities()
                    .map(|(e, info)| (info.clone(), index.papers_with(e).to_vec()))
                    .collect();
                let papers: Vec<Vec<EntityIdx>> = (0..papers.len() as PaperIdx)
                    .map(|p| index.entities_of(p).to_vec())
                    .collect();
                (entities, papers)
            };
            assert_eq!(linked(&by_numbers), linked(&by_keys));
            assert_eq!(by_numbers.entity_count(), 4, "both spellings of TP53's key");
        }
    }

    fn sample() -> EntityIndex {
        let mut index = EntityIndex::new();
        index.add_paper(0, &paper("PMID:1", vec![cd274(), human()]));
        index.add_paper(1, &paper("PMID:2", vec![cd274(), human(), tp53()]));
        index.add_paper(2, &paper("PMID:3", vec![human(), tp53()]));
        index.add_paper(3, &paper("PMID:4", vec![human()]));
        index
    }

    /// An entity's papers stay sorted and listed once however papers are linked: in the
    /// order they arrive (appended), out of it, and linked again after a merge.
    #[test]
    fn an_entitys_papers_stay_sorted_and_unique_in_any_linking_order() {
        let mut index = sample();
        index.add_paper(1, &paper("PMID:2", vec![human(), tp53()]));
        index.add_paper(6, &paper("PMID:7", vec![human()]));
        index.add_paper(5, &paper("PMID:6", vec![tp53(), human()]));
        index.add_paper(3, &paper("PMID:4", vec![human(), tp53()]));
        let human = index.by_key(&human().key).unwrap();
        let tp53 = index.by_key(&tp53().key).unwrap();
        let cd274 = index.by_key(&cd274().key).unwrap();
        assert_eq!(index.papers_with(human), &[0, 1, 2, 3, 5, 6]);
        assert_eq!(index.papers_with(tp53), &[1, 2, 3, 5]);
        // Linked again without it, paper 1 no longer names CD274.
        assert_eq!(index.papers_with(cd274), &[0]);
    }

    #[test]
    fn the_name_shown_is_the_most_used_whatever_the_order_and_a_summarys_wins() {
        let named = |name: &str, mentions: u32| PaperEntity {
            mentions,
            ..entity("NCBIGene:7157", EntityKind::Gene, name, &[])
        };
        let papers = [
            paper("PMID:1", vec![named("TP53", 2)]),
            paper("PMID:2", vec![named("p53", 3)]),
            paper("PMID:3", vec![named("p53", 1)]),
            paper("PMID:4", vec![named("TP53", 1)]),
        ];
        let shown = |order: &[usize]| {
            let mut index = EntityIndex::new();
            for (slot, &i) in order.iter().enumerate() {
                index.add_paper(slot as PaperIdx, &papers[i]);
            }
            let info = index.entity(0);
            (info.name.clone(), info.aliases.clone())
        };
        // p53: 4 mentions, TP53: 3, in either order.
        assert_eq!(shown(&[0, 1, 2, 3]), ("p53".into(), vec!["TP53".into()]));
        assert_eq!(shown(&[3, 2, 1, 0]), ("p53".into(), vec!["TP53".into()]));
        // A tie goes to the first in byte order, also in either order.
        assert_eq!(shown(&[0, 2]).0, "TP53");
        assert_eq!(shown(&[2, 0]).0, "TP53");
        // A summary's name from a database (with its description) wins over mentions in
        // abstracts; one without is a word of the summary's text, and counts as a mention.
        let summary = |described: bool| {
            let mut e = named("TP53", 1);
            e.description = described.then(|| "tumor protein p53".into());
            let mut summary = paper("PMC:PMC1", vec![e]);
            summary.sources = vec![crate::model::SourceRef {
                path: std::path::Path::new("s.md").into(),
                line: 1,
                format: crate::model::Format::SummaryMarkdown,
                byte: None,
            }];
            let mut index = EntityIndex::new();
            index.add_paper(0, &papers[1]);
            index.add_paper(1, &papers[2]);
            index.add_paper(2, &summary);
            // Forgetting and adding it again (a merge) counts the same way.
            index.forget_paper(&summary);
            index.add_paper(2, &summary);
            index.entity(0).name.clone()
        };
        assert_eq!(summary(true), "TP53");
        assert_eq!(summary(false), "p53");
    }

    /// A common taxon goes by its scientific name, not by its commonest mention: in the
    /// corpora alone human (NCBITaxon:9606) was "patients", mouse "mice". The mentions stay
    /// aliases (found by name), forgetting a paper leaves the name, and a summary's curated
    /// name still wins, whatever the order.
    #[test]
    fn a_common_taxon_is_named_by_the_table_not_its_commonest_mention() {
        let named = |key: &str, name: &str, mentions: u32| PaperEntity {
            mentions,
            ..entity(key, EntityKind::Species, name, &[])
        };
        let papers = [
            paper("PMID:1", vec![named("NCBITaxon:9606", "patients", 40)]),
            paper("PMID:2", vec![named("NCBITaxon:9606", "women", 9)]),
            paper("PMID:3", vec![named("NCBITaxon:9606", "human", 2)]),
            paper("PMID:4", vec![named("NCBITaxon:10090", "mice", 12)]),
            // Not in the table: the commonest mention, as before.
            paper("PMID:5", vec![named("NCBITaxon:10376", "EBV", 3)]),
        ];
        for order in [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0]] {
            let mut index = EntityIndex::new();
            for (slot, &i) in order.iter().enumerate() {
                index.add_paper(slot as PaperIdx, &papers[i]);
            }
            let info = |key: &str| index.entity(index.by_key(&EntityKey(key.into())).unwrap());
            let human = info("NCBITaxon:9606");
            assert_eq!(human.name, "Homo sapiens", "order {order:?}");
            assert_eq!(
                human.aliases_most_used_first(),
                [
                    &SharedStr::from("patients"),
                    &"women".into(),
                    &"human".into()
                ]
            );
            assert_eq!(info("NCBITaxon:10090").name, "Mus musculus");
            assert_eq!(info("NCBITaxon:10376").name, "EBV");
            let e = index.by_key(&EntityKey("NCBITaxon:9606".into())).unwrap();
            for q in ["patients", "human", "homo sapiens", "9606"] {
                assert_eq!(index.lookup(q), vec![e], "lookup {q}");
            }
            index.forget_paper(&papers[0]);
            assert_eq!(index.entity(e).name, "Homo sapiens");
        }
        // A summary's name from a database wins over the table, as over mentions.
        let mut curated = named("NCBITaxon:9606", "human", 1);
        curated.description = Some("Homo sapiens, species".into());
        let mut summary = paper("PMC:PMC1", vec![curated]);
        summary.sources = vec![crate::model::SourceRef {
            path: std::path::Path::new("s.md").into(),
            line: 1,
            format: crate::model::Format::SummaryMarkdown,
            byte: None,
        }];
        for summary_first in [true, false] {
            let mut index = EntityIndex::new();
            if summary_first {
                index.add_paper(0, &summary);
                index.add_paper(1, &papers[0]);
            } else {
                index.add_paper(0, &papers[0]);
                index.add_paper(1, &summary);
            }
            assert_eq!(
                index.entity(0).name,
                "human",
                "summary first: {summary_first}"
            );
        }
    }

    /// The name most papers use is shown, whatever one paper repeats: the corpora's generic
    /// "Disease" id (MESH:D004194) was named `Pseudoacromegaly`, a word one abstract writes
    /// three times. Mentions decide between names as many papers use.
    #[test]
    fn the_name_most_papers_use_outranks_one_papers_repeated_word() {
        let named = |name: &str, mentions: u32| PaperEntity {
            mentions,
            ..entity("MESH:D004194", EntityKind::Disease, name, &[])
        };
        let papers = [
            paper("PMID:1", vec![named("Pseudoacromegaly", 3)]),
            paper("PMID:2", vec![named("disease", 1)]),
            paper("PMID:3", vec![named("disease", 1)]),
            paper("PMID:4", vec![named("disorder", 2)]),
            paper("PMID:5", vec![named("disorder", 1)]),
        ];
        for order in [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [0, 3, 1, 4, 2]] {
            let mut index = EntityIndex::new();
            for (slot, &i) in order.iter().enumerate() {
                index.add_paper(slot as PaperIdx, &papers[i]);
            }
            // Two papers each for `disease` and `disorder`: the one with more mentions.
            assert_eq!(index.entity(0).name, "disorder", "order {order:?}");
            index.forget_paper(&papers[4]);
            index.add_paper(
                order.iter().position(|&i| i == 4).unwrap() as PaperIdx,
                &paper("PMID:5", vec![]),
            );
            assert_eq!(index.entity(0).name, "disease", "order {order:?}");
        }
    }

    #[test]
    fn an_entity_with_many_names_keeps_each_once_and_shows_the_most_used() {
        // Past a few names, positions are found through a table that must follow every
        // swap of the shown name; check against counting by hand, in several orders.
        let spellings: Vec<String> = (0..30).map(|i| format!("human {i}")).collect();
        let mut papers = Vec::new();
        for (i, name) in spellings.iter().enumerate() {
            // Spelling i is used (i * 7) % 11 + 1 times, once with an alias of the next.
            // Not a taxon of `COMMON_TAXA`, whose name is given rather than counted.
            let mut e = entity("NCBITaxon:63221", EntityKind::Species, name, &[]);
            e.mentions = (i as u32 * 7) % 11 + 1;
            e.aliases = vec![spellings[(i + 1) % spellings.len()].as_str().into()].into();
            papers.push(paper(&format!("PMID:{i}"), vec![e]));
        }
        let mut uses: std::collections::HashMap<&str, u64> = Default::default();
        for p in &papers {
            let e = &p.entities[0];
            *uses.entry(e.name.as_str()).or_default() += PAPER_USE + u64::from(e.mentions);
            *uses.entry(e.aliases[0].as_str()).or_default() += PAPER_USE / 2 + 1;
        }
        let most = uses.values().max().copied().unwrap_or_default();
        let expected = uses
            .iter()
            .filter(|&(_, &n)| n == most)
            .map(|(name, _)| *name)
            .min()
            .unwrap_or_default();
        for order in [
            (0..30).collect::<Vec<usize>>(),
            (0..30).rev().collect(),
            (0..30).map(|i| (i * 13) % 30).collect(),
        ] {
            let mut index = EntityIndex::new();
            for (slot, &i) in order.iter().enumerate() {
                index.add_paper(slot as PaperIdx, &papers[i]);
            }
            let info = index.entity(0);
            assert_eq!(info.name, expected, "order {order:?}");
            let mut names: Vec<&str> = std::iter::once(info.name.as_str())
                .chain(info.aliases.iter().map(SharedStr::as_str))
                .collect();
            names.sort_unstable();
            let mut all: Vec<&str> = spellings.iter().map(String::as_str).collect();
            all.sort_unstable();
            assert_eq!(names, all, "each spelling once, order {order:?}");
            for (name, &n) in &uses {
                let at = index.name_position(0, name).expect("a known name");
                assert_eq!(info.name_at(at).as_str(), *name);
                assert_eq!(info.uses(at), n, "{name}");
                // Listed under its folded form whichever position it ended up in.
                assert_eq!(index.lookup(name), vec![0], "lookup {name}");
            }
        }
    }

    #[test]
    fn aliases_are_case_and_punctuation_insensitive() {
        let index = sample();
        let e = index.by_key(&EntityKey("NCBIGene:29126".into())).unwrap();
        for q in ["PD-L1", "pd-l1", "PDL1", "cd274", "29126", "ncbigene:29126"] {
            assert_eq!(index.lookup(q), vec![e], "query {q}");
        }
        assert!(index.lookup("PD-L2").is_empty());
    }

    /// Papers related as closely come in the order asked for (the browser's source order).
    #[test]
    fn related_papers_tied_come_in_the_order_given() {
        let mut index = EntityIndex::new();
        for (slot, id) in ["PMID:1", "PMID:2", "PMID:3", "PMID:4"]
            .into_iter()
            .enumerate()
        {
            let entities = if slot < 3 {
                vec![tp53()]
            } else {
                vec![cd274()]
            };
            index.add_paper(slot as PaperIdx, &paper(id, entities));
        }
        let papers = |related: Vec<RelatedPaper>| -> Vec<PaperIdx> {
            related.into_iter().map(|r| r.paper).collect()
        };
        assert_eq!(papers(index.related_papers(0, 10)), [1, 2]);
        let reversed = index.related_papers_by(0, 10, |p| u64::from(u32::MAX - p));
        assert_eq!(papers(reversed), [2, 1]);
        assert_eq!(
            papers(index.related_papers_by(0, 1, |p| u64::from(u32::MAX - p))),
            [2]
        );
    }

    /// Entities co-mentioned as often come by name, whatever order papers were linked in
    /// (the browser links them as they arrive).
    #[test]
    fn co_mentioned_ties_come_by_name_whatever_the_paper_order() {
        let papers = [
            paper("PMID:1", vec![human(), tp53()]),
            paper("PMID:2", vec![human(), cd274()]),
            paper("PMID:3", vec![human()]),
        ];
        let names = |order: [usize; 3]| {
            let mut index = EntityIndex::new();
            for (slot, &i) in order.iter().enumerate() {
                index.add_paper(slot as PaperIdx, &papers[i]);
            }
            let human = index.by_key(&EntityKey("NCBITaxon:9606".into())).unwrap();
            index
                .co_mentioned(human, 10)
                .into_iter()
                .map(|(e, n)| (index.entity(e).name.to_string(), n))
                .collect::<Vec<_>>()
        };
        // (A paper's name outweighs its aliases: CD274, not B7-H, the first of three names
        // once counted alike.)
        let expected = vec![("CD274".to_string(), 1), ("TP53".to_string(), 1)];
        assert_eq!(names([0, 1, 2]), expected);
        assert_eq!(names([1, 0, 2]), expected);
    }

    /// Of names differing only in case, the one most papers use is shown, and the aliases
    /// come most used first.
    #[test]
    fn aliases_come_most_used_first() {
        let named = |name: &str, mentions: u32| PaperEntity {
            mentions,
            ..entity("NCBITaxon:9606", EntityKind::Species, name, &[])
        };
        let mut index = EntityIndex::new();
        index.add_paper(0, &paper("PMID:1", vec![named("human", 9)]));
        index.add_paper(1, &paper("PMID:2", vec![named("PATIENT", 1)]));
        index.add_paper(2, &paper("PMID:3", vec![named("woman", 2)]));
        index.add_paper(3, &paper("PMID:4", vec![named("patient", 5)]));
        let info = index.entity(0);
        // Human's name comes from `COMMON_TAXA`; its mentions are all aliases.
        assert_eq!(info.name, "Homo sapiens");
        let shown = crate::model::distinct_aliases(&info.name, info.aliases_most_used_first());
        assert_eq!(shown, ["human", "patient", "woman"]);
    }

    /// Names are listed for lookup on the first one; a paper linked after it brings new
    /// names and entities that the next lookup finds.
    #[test]
    fn a_lookup_after_more_papers_finds_their_names() {
        let mut index = sample();
        assert!(index.lookup("B7-H1").is_empty());
        assert!(index.lookup("BRCA1").is_empty());
        let mut renamed = cd274();
        renamed.aliases = Box::new(["B7-H1".into()]);
        let brca1 = entity("NCBIGene:672", EntityKind::Gene, "BRCA1", &[]);
        index.add_paper(4, &paper("PMID:5", vec![renamed, brca1]));
        let cd = index.by_key(&EntityKey("NCBIGene:29126".into())).unwrap();
        assert_eq!(index.lookup("b7h1"), vec![cd]);
        let b = index.by_key(&EntityKey("NCBIGene:672".into())).unwrap();
        assert_eq!(index.lookup("brca1"), vec![b]);
        assert_eq!(index.lookup("672"), vec![b]);
    }

    #[test]
    fn papers_with_and_entities_of_are_inverse() {
        let index = sample();
        let human = index.by_key(&EntityKey("NCBITaxon:9606".into())).unwrap();
        assert_eq!(index.papers_with(human), &[0, 1, 2, 3]);
        for p in 0..4 {
            assert!(index.entities_of(p).contains(&human));
        }
    }

    #[test]
    fn re_adding_a_paper_replaces_its_links() {
        let mut index = sample();
        index.add_paper(3, &paper("PMID:4", vec![tp53()]));
        let human = index.by_key(&EntityKey("NCBITaxon:9606".into())).unwrap();
        let tp53 = index.by_key(&EntityKey("NCBIGene:7157".into())).unwrap();
        assert_eq!(index.papers_with(human), &[0, 1, 2]);
        assert_eq!(index.papers_with(tp53), &[1, 2, 3]);
    }

    #[test]
    fn re_adding_a_merged_paper_does_not_count_its_mentions_twice() {
        let mut index = sample();
        let e = index.by_key(&EntityKey("NCBITaxon:9606".into())).unwrap();
        assert_eq!(index.entity(e).mentions, 4);
        let mut merged = human();
        merged.mentions = 3;
        index.forget_paper(&paper("PMID:4", vec![human()]));
        index.add_paper(3, &paper("PMID:4", vec![merged]));
        assert_eq!(index.entity(e).mentions, 6);
    }

    #[test]
    fn related_papers_weigh_rare_entities_more() {
        let index = sample();
        // Paper 0 shares CD274 (rare) and human (everywhere) with paper 1, only human with 2, 3.
        let related = index.related_papers(0, 10);
        assert_eq!(related[0].paper, 1);
        assert_eq!(related.len(), 3);
        assert!(related[0].score > related[1].score);
        let cd274 = index.by_key(&EntityKey("NCBIGene:29126".into())).unwrap();
        assert_eq!(related[0].shared[0], cd274, "rarest shared entity first");
    }

    /// Entities are found by key when their table grows (rehashed by the keys it does not
    /// hold) as papers come or room is made.
    #[test]
    fn entities_are_found_by_key_as_their_table_grows() {
        let mut index = index_of((0..200).map(|i| vec![gene(i), gene(i + 1)]).collect());
        index.reserve_papers(5000);
        for i in 200..300 {
            index.add_paper(i, &paper(&format!("PMID:{i}"), vec![gene(i), gene(i + 1)]));
        }
        for i in 0..=300 {
            let key = EntityKey(format!("NCBIGene:{i}").into());
            let e = index.by_key(&key).expect("a linked gene");
            assert_eq!(index.entity(e).key, key);
            assert_eq!(e, i, "numbered as first seen");
        }
        assert_eq!(index.by_key(&EntityKey("NCBIGene:301".into())), None);
        assert_eq!(index.lookup("NCBIGene:7"), vec![7]);
    }

    /// An index of papers `PMID:0`, `PMID:1`, ... with the given entities.
    fn index_of(papers: Vec<Vec<PaperEntity>>) -> EntityIndex {
        let mut index = EntityIndex::new();
        for (i, entities) in papers.into_iter().enumerate() {
            index.add_paper(i as PaperIdx, &paper(&format!("PMID:{i}"), entities));
        }
        index
    }

    fn gene(id: u32) -> PaperEntity {
        entity(
            &format!("NCBIGene:{id}"),
            EntityKind::Gene,
            &format!("G{id}"),
            &[],
        )
    }

    #[test]
    fn one_rare_shared_gene_outranks_three_common_ones() {
        // 40 papers. Paper 0 mentions gene 1 (also in paper 1 only) and genes 2-4, which are
        // each in 6 papers (15% of the library), all three shared with paper 2. Summed plain
        // idf ranked paper 2 first (3 x ln(41/6) = 5.8 > ln(41/2) = 3.0); squared
        // specificity ranks the rare gene first.
        let mut papers = vec![vec![gene(1), gene(2), gene(3), gene(4)], vec![gene(1)]];
        papers.push(vec![gene(2), gene(3), gene(4)]);
        for i in 3..40 {
            papers.push(if i < 8 {
                vec![gene(2), gene(3), gene(4)]
            } else {
                vec![gene(100 + i)]
            });
        }
        let index = index_of(papers);
        let related = index.related_papers(0, 10);
        assert_eq!(related[0].paper, 1, "sharing the rare gene 1 ranks first");
        assert!(related[0].score > related[1].score);
        assert_eq!(
            related[1].shared.len(),
            3,
            "then the papers sharing genes 2-4"
        );
    }

    #[test]
    fn entities_in_a_large_share_of_the_library_weigh_nothing_and_link_nothing() {
        // 100 papers, human in 30 of them (more than COMMON_SHARE): paper 1 shares only human
        // with paper 0 and is not related; paper 2 shares human and a gene, and lists the gene
        // first (human counts for nothing, so it comes last).
        let mut papers = vec![vec![human(), tp53()], vec![human()], vec![human(), tp53()]];
        for i in 3..100 {
            papers.push(if i < 30 {
                vec![human()]
            } else {
                vec![gene(1000 + i)]
            });
        }
        let index = index_of(papers);
        let human = index.by_key(&EntityKey("NCBITaxon:9606".into())).unwrap();
        let tp53 = index.by_key(&EntityKey("NCBIGene:7157".into())).unwrap();
        assert_eq!(index.weight(human, 100), 0.0);
        let related = index.related_papers(0, 10);
        assert_eq!(related.len(), 1, "{related:?}");
        assert_eq!(related[0].paper, 2);
        assert_eq!(related[0].shared, [tp53, human]);
        assert_eq!(related[0].score, index.weight(tp53, 100));
    }

    #[test]
    fn genes_weigh_more_than_diseases_more_than_species_at_the_same_rarity() {
        // Paper 0 shares one entity of each kind with one other paper each; 20 filler papers.
        let kinds = [
            entity("NCBIGene:1", EntityKind::Gene, "G1", &[]),
            entity("MESH:D1", EntityKind::Disease, "D1", &[]),
            entity("NCBITaxon:1", EntityKind::Species, "S1", &[]),
            entity("name:gene:g2", EntityKind::Gene, "g2", &[]),
        ];
        let mut papers = vec![kinds.to_vec()];
        papers.extend(kinds.iter().map(|e| vec![e.clone()]));
        papers.extend((0..20).map(|i| vec![gene(1000 + i)]));
        let index = index_of(papers);
        let weight = |key: &str| index.weight(index.by_key(&EntityKey(key.into())).unwrap(), 25);
        assert!(weight("NCBIGene:1") > weight("MESH:D1"));
        assert!(weight("MESH:D1") > weight("NCBITaxon:1"));
        assert!(
            weight("name:gene:g2") < weight("NCBIGene:1"),
            "no id: less sure"
        );
        let order: Vec<PaperIdx> = index
            .related_papers(0, 10)
            .iter()
            .map(|r| r.paper)
            .collect();
        assert_eq!(order.first(), Some(&1), "the gene first");
        assert_eq!(order.last(), Some(&3), "the species last");
    }

    #[test]
    fn a_limit_keeps_the_best_in_order() {
        // Paper 0 shares gene i with paper i, gene i being in i + 1 papers: rarer first.
        let mut papers = vec![(1..=8).map(gene).collect::<Vec<_>>()];
        for i in 1..=8u32 {
            papers.push(vec![gene(i)]);
        }
        for i in 1..=8u32 {
            for _ in 1..i {
                papers.push(vec![gene(i)]);
            }
        }
        papers.extend((0..60).map(|i| vec![gene(1000 + i)]));
        let index = index_of(papers);
        let all = index.related_papers(0, usize::MAX);
        let best3 = index.related_papers(0, 3);
        assert_eq!(best3, all[..3]);
        assert_eq!(best3[0].paper, 1);
        assert!(index.related_papers(0, 0).is_empty());
    }

    #[test]
    fn co_mentioned_counts_shared_papers() {
        let index = sample();
        let tp53 = index.by_key(&EntityKey("NCBIGene:7157".into())).unwrap();
        let human = index.by_key(&EntityKey("NCBITaxon:9606".into())).unwrap();
        let cd274 = index.by_key(&EntityKey("NCBIGene:29126".into())).unwrap();
        assert_eq!(index.co_mentioned(tp53, 10), vec![(human, 2), (cd274, 1)]);
    }
}

/// Related papers on real data: the seed paper and the six corpora in ../shared/corpora
/// (4,530 papers). Skipped, saying so, when the corpora are not there.
#[cfg(test)]
mod real_data {
    use super::*;
    use crate::library::Library;

    fn library() -> Option<Library> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpora = root.join("../shared/corpora");
        if !corpora.is_dir() {
            eprintln!("skipped: no corpora at {}", corpora.display());
            return None;
        }
        Some(crate::library::load(&[root.join("seeds"), corpora]).0)
    }

    /// The `n` best related papers of `key`: (paper key, shared entity keys), best first.
    fn related(library: &Library, key: &str, n: usize) -> Vec<(String, Vec<String>)> {
        let index = library.index();
        let p = library
            .find(key)
            .unwrap_or_else(|| panic!("{key} not loaded"));
        index
            .related_papers(p, n)
            .into_iter()
            .map(|r| {
                let shared = r.shared.iter().map(|&e| index.entity(e).key.0.to_string());
                (library.paper(r.paper).key.0.clone(), shared.collect())
            })
            .collect()
    }

    #[test]
    fn specific_shared_entities_rank_first_on_real_papers() {
        let Some(library) = library() else { return };
        let index = library.index();

        // The seed (nasopharyngeal carcinoma immunotherapy): the two papers sharing CD274
        // (3 papers) and PDCD1 (5) first, then the one sharing CD27 (2), then the rest of the
        // PDCD1 papers. Before, papers sharing only "disease" (MESH:D004194, 16 papers) and
        // "malignancy" (MESH:D009369, 293) came fifth to eighth, above CD27.
        let seed = related(&library, "PMC:PMC13039540", 50);
        let mut top2: Vec<&str> = seed[..2].iter().map(|(k, _)| k.as_str()).collect();
        top2.sort();
        assert_eq!(top2, ["PMID:24725474", "PMID:27470968"], "CD274 + PDCD1");
        for (key, shared) in &seed[..2] {
            assert_eq!(
                shared[..2],
                ["NCBIGene:29126", "NCBIGene:5133"],
                "{key} shares CD274 then PDCD1"
            );
        }
        assert_eq!(
            seed[2],
            ("PMID:20821041".into(), vec!["NCBIGene:939".to_string()]),
            "third shares CD27 alone"
        );
        let shares_gene = |shared: &[String]| shared.iter().any(|k| k.starts_with("NCBIGene:"));
        let first_without_gene = seed.iter().position(|(_, s)| !shares_gene(s));
        assert_eq!(
            first_without_gene,
            Some(5),
            "the five papers sharing CD274, PDCD1 or CD27 come before any sharing only \
             diseases and species: {seed:?}"
        );
        let disease_only = seed
            .iter()
            .position(|(k, _)| k == "PMID:9420335")
            .expect("PMID:9420335 shares disease and malignancy");
        assert!(
            disease_only > 5,
            "disease + malignancy ranks {disease_only}"
        );

        // Endothelin-1 polymorphisms: one shared gene, ET-1 (NCBIGene:1906, 2 papers), beats
        // three shared generic entities (overweight, OB, Homo sapiens in 472 papers).
        let et1 = related(&library, "PMID:15198485", 2);
        assert_eq!(
            et1[0],
            ("PMID:28393188".into(), vec!["NCBIGene:1906".to_string()]),
            "ET-1 first"
        );
        assert_eq!(et1[1].0, "PMID:17495183", "then overweight + OB + human");
        assert_eq!(et1[1].1.len(), 3);

        // Lithium carbonate toxicity in a newborn: the other lithium carbonate paper
        // (MESH:D016651, chemical, 2 papers) beats the one sharing congestive heart failure,
        // cardiac arrhythmia and neurologic depression (41-57 papers each), which ranked first
        // before.
        let lithium = related(&library, "PMID:6794356", 50);
        assert_eq!(
            lithium[0],
            ("PMID:11147747".into(), vec!["MESH:D016651".to_string()]),
            "lithium carbonate first"
        );
        let three_diseases = lithium
            .iter()
            .position(|(k, _)| k == "PMID:11302406")
            .expect("PMID:11302406 shares three cardiac diseases");
        assert!(three_diseases > 0);

        // Mad2 in breast cancer: Her2 (NCBIGene:13866, 2 papers) beats kras + mice +
        // malignancy.
        let mad2 = related(&library, "PMID:27292643", 2);
        assert_eq!(mad2[0].0, "PMID:24004819", "Her2 first: {mad2:?}");
        assert_eq!(mad2[0].1, ["NCBIGene:13866"]);
        assert_eq!(mad2[1].0, "PMID:25622904", "then kras, mice, malignancy");

        // Homo sapiens (472 papers, a tenth of the library) counts for next to nothing, and
        // is listed after the gene it comes with.
        let human = index.by_key(&EntityKey("NCBITaxon:9606".into())).unwrap();
        let cd274 = index.by_key(&EntityKey("NCBIGene:29126".into())).unwrap();
        let n = library.len();
        assert!(index.weight(human, n) < 0.01 * index.weight(cd274, n));
        assert_eq!(seed[3].0, "PMID:25263533");
        assert_eq!(seed[3].1.last().map(String::as_str), Some("NCBITaxon:9606"));
    }
}

/// Timing of `related_papers` on a synthetic library (not run by default: it builds a 1M-paper
/// index). `cargo test --release --lib related_papers_timing -- --ignored --nocapture`;
/// `TOMES_RELATED_PAPERS=100000` for another size.
#[cfg(test)]
mod timing {
    use super::*;
    use crate::model::{PaperEntity, PaperKey};
    use std::time::Instant;

    /// Deterministic pseudo-random numbers (no dependency for a test).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
        /// Skewed towards small values: a few entities are common, most are rare.
        fn skewed(&mut self, n: u64) -> u64 {
            let r = (self.next() % 1_000_000) as f64 / 1_000_000.0;
            ((n as f64).powf(r) as u64).saturating_sub(1).min(n - 1)
        }
    }

    fn entity(key: String, kind: EntityKind) -> PaperEntity {
        PaperEntity {
            name: key.as_str().into(),
            key: EntityKey(key.into()),
            kind,
            description: None,
            aliases: Box::default(),
            mentions: 1,
            spans: Box::default(),
            named_by_group: false,
            name_weight: 1,
        }
    }

    #[test]
    #[ignore = "timing: builds a large synthetic index"]
    fn related_papers_timing() {
        let papers: u32 = std::env::var("TOMES_RELATED_PAPERS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1_000_000);
        let mut rng = Lcg(42);
        let mut index = EntityIndex::new();
        let started = Instant::now();
        for p in 0..papers {
            let mut entities = Vec::new();
            if rng.next().is_multiple_of(2) {
                entities.push(entity("NCBITaxon:9606".into(), EntityKind::Species));
            }
            if rng.next().is_multiple_of(5) {
                entities.push(entity("NCBITaxon:10090".into(), EntityKind::Species));
            }
            for _ in 0..2 {
                let d = rng.skewed(5_000);
                entities.push(entity(format!("MESH:D{d:06}"), EntityKind::Disease));
            }
            for _ in 0..4 {
                let g = rng.skewed(40_000);
                entities.push(entity(format!("NCBIGene:{g}"), EntityKind::Gene));
            }
            let c = rng.skewed(20_000);
            entities.push(entity(format!("MESH:C{c:06}"), EntityKind::Chemical));
            let paper = Paper {
                key: PaperKey(format!("PMID:{p}")),
                entities,
                ..Paper::default()
            };
            index.add_paper(p, &paper);
        }
        eprintln!("built {papers} papers in {:?}", started.elapsed());
        let mut times = Vec::new();
        let mut walked = Vec::new();
        for i in 0..200u32 {
            let p = (i * 7919) % papers;
            let walk: (usize, usize) =
                index
                    .entities_of(p)
                    .iter()
                    .fold((0, 0), |(all, weighed), &e| {
                        let n = index.papers_with(e).len();
                        let w = if index.weight(e, papers as usize) > 0.0 {
                            n
                        } else {
                            0
                        };
                        (all + n, weighed + w)
                    });
            let t = Instant::now();
            let related = index.related_papers(p, 50);
            times.push(t.elapsed());
            walked.push(walk);
            assert!(related.len() <= 50);
        }
        let mut sorted = times.clone();
        sorted.sort();
        let median = |mut v: Vec<usize>| {
            v.sort();
            v[v.len() / 2]
        };
        eprintln!(
            "related_papers(p, 50) over 200 papers: p50 {:?}, p95 {:?}, max {:?}; papers of \
             their entities p50 {}, of the entities that weigh something p50 {}",
            sorted[100],
            sorted[190],
            sorted[199],
            median(walked.iter().map(|w| w.0).collect()),
            median(walked.iter().map(|w| w.1).collect()),
        );
    }
}
