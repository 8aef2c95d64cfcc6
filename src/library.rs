//! The library: finds input files, parses them in parallel, merges records of the same paper
//! (same PMID, PMCID or DOI) into one, keeps the entity index in step, and reports problems.

use crate::formats::pubtator::InFile;
use crate::formats::{self, Parsed};
use crate::index::{EntityIdx, EntityIndex, PaperIdx};
use crate::model::{
    AbstractText, EntityKey, EntityKind, FilePlace, FileStamp, Format, Paper, PaperEntity,
    PaperKey, Problem, SkipReason, Span, fold_name, quoted,
};
use crate::search::{DocInterner, SearchDoc};
use crate::threads::Waker;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Files larger than this are refused with a problem rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Every loaded paper, merged, with its entity index.
#[derive(Debug, Default, Clone)]
pub struct Library {
    papers: Vec<Paper>,
    index: EntityIndex,
    /// Every merge key (`PMID:..`, `PMC:..`, `DOI:..`, `file:..`) -> paper.
    by_merge_key: MergeKeys,
    /// Reused for writing merge keys to look up.
    key_buf: String,
    /// Per paper, where its earliest record is in the input: file (its place in
    /// [`find_files`]' order), then line. See [`SourceOrder`].
    /// Shared with the search worker when it is asked to sort them (copying a million keys
    /// held the UI thread up); written again only after it let them go.
    order_keys: Arc<Vec<OrderKey>>,
    /// Input file -> its place in [`find_files`]' order.
    file_ranks: foldhash::HashMap<PathBuf, u32>,
    /// The last file looked up in `file_ranks` (a batch's records share one path).
    last_file: Option<(Arc<Path>, u32)>,
}

/// Merge keys -> papers. A PMID, the key of nearly every paper, is kept as its number: room
/// for 100k keys as strings took 8 MiB, and 1.6 MiB more for the strings, of the peak
/// memory of a load; as numbers it takes 2 MiB.
#[derive(Debug, Default, Clone)]
struct MergeKeys {
    /// `PMID:n` for `n` written as [`MergeKeys::pmid`] reads it.
    pmids: foldhash::HashMap<u32, PaperIdx>,
    /// Every other key.
    others: foldhash::HashMap<Box<str>, PaperIdx>,
}

impl MergeKeys {
    /// The number of a `PMID:` key spelled as the number is (`PMID:007` is another key than
    /// `PMID:7`, as it was when keys were strings) and fitting in a u32.
    fn pmid(key: &str) -> Option<u32> {
        let digits = key.strip_prefix("PMID:")?.as_bytes();
        if digits.is_empty() || digits.len() > 10 || (digits.len() > 1 && digits[0] == b'0') {
            return None;
        }
        // One pass (`str::parse` after checking the digits took 200 instructions a key).
        let mut n = 0u64;
        for &b in digits {
            if !b.is_ascii_digit() {
                return None;
            }
            n = n * 10 + u64::from(b - b'0');
        }
        u32::try_from(n).ok()
    }

    fn get(&self, key: &str) -> Option<PaperIdx> {
        match Self::pmid(key) {
            Some(n) => self.pmids.get(&n).copied(),
            None => self.others.get(key).copied(),
        }
    }

    /// Maps `key` to `idx` unless it is mapped already.
    fn note(&mut self, key: &str, idx: PaperIdx) {
        match Self::pmid(key) {
            Some(n) => {
                self.pmids.entry(n).or_insert(idx);
            }
            None => {
                if !self.others.contains_key(key) {
                    self.others.insert(key.into(), idx);
                }
            }
        }
    }

    fn reserve(&mut self, papers: usize) {
        self.pmids.reserve(papers.saturating_sub(self.pmids.len()));
        // Untouched unless papers are keyed otherwise (hashbrown writes only the control
        // bytes of an empty table).
        self.others
            .reserve(papers.saturating_sub(self.others.len()));
    }

    #[cfg(test)]
    fn capacity(&self) -> usize {
        self.pmids.capacity().min(self.others.capacity())
    }
}

/// Where a paper's earliest record is in the input: file (its place in [`find_files`]'
/// order), line, then [`SourceRef::byte`](crate::model::SourceRef::byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrderKey {
    file: u32,
    line: u32,
    /// Files are at most [`MAX_FILE_BYTES`].
    byte: u32,
}

/// The order key of a paper none of whose files has a place: after every placed paper, in
/// the order added.
const UNPLACED: OrderKey = OrderKey {
    file: u32::MAX,
    line: u32::MAX,
    byte: u32::MAX,
};

/// The papers of a library in source order: by input file (in the order [`find_files`]
/// lists them, as `tomes list` shows them), then line, each paper where its earliest record
/// is. The browser loads files in parallel, so papers are numbered in the order they
/// arrive, which changes from run to run; lists and ties between search results follow this
/// order instead. Worked out off the UI thread once a load is done (a million papers take
/// 25 ms to sort).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SourceOrder {
    /// Papers, first to last.
    pub sorted: Vec<PaperIdx>,
    /// Paper -> its position in `sorted`.
    rank: Vec<u32>,
}

impl SourceOrder {
    /// The order of papers with these keys ([`Library::order_keys`]); equal keys keep
    /// the papers' own order.
    pub fn of(keys: &[OrderKey]) -> SourceOrder {
        let mut sorted: Vec<PaperIdx> = (0..keys.len() as PaperIdx).collect();
        // Stable, and quick on the runs that batches arrive in.
        sorted.sort_by_key(|&p| keys[p as usize]);
        let mut rank = vec![0; keys.len()];
        for (at, &p) in sorted.iter().enumerate() {
            rank[p as usize] = at as u32;
        }
        SourceOrder { sorted, rank }
    }

    /// How many papers it orders.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// Where paper `p` comes; a paper added since comes after every ordered one.
    pub fn rank(&self, p: PaperIdx) -> u64 {
        match self.rank.get(p as usize) {
            Some(&r) => u64::from(r),
            None => self.rank.len() as u64 + u64::from(p),
        }
    }
}

/// The fewest input bytes a paper takes (a PubTator abstract with its annotations is
/// 2-3 kB; summaries and BioC are larger), for [`Library::reserve_for_bytes`].
const BYTES_PER_PAPER_AT_LEAST: u64 = 2000;
const MAX_RESERVED_PAPERS: usize = 4_000_000;

/// The most papers `bytes` of input may hold, for making room ahead: never more than the
/// input could hold, and not absurdly much for a huge folder of files mostly not ours.
pub fn papers_for_bytes(bytes: u64) -> usize {
    let papers = usize::try_from(bytes / BYTES_PER_PAPER_AT_LEAST).unwrap_or(usize::MAX);
    papers.min(MAX_RESERVED_PAPERS)
}

/// What a load did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct LoadReport {
    /// Files read as papers (summary Markdown, PubTator, BioC XML), whatever their problems;
    /// not those in `skipped` nor those that could not be read.
    pub files_read: usize,
    pub papers: usize,
    pub entities: usize,
    /// The size of the files read.
    pub bytes: u64,
    pub problems: Vec<Problem>,
    /// Files skipped whole for what they are (empty, binary, no format tomes reads: a
    /// README, a licence; too large, not a file), in source order; each is also among
    /// `problems`, where only those too large or not a file count (see
    /// [`counts_as_problem`]).
    pub skipped: Vec<PathBuf>,
}

impl LoadReport {
    /// The problems that count: all but the files passed over in a folder as no format
    /// tomes reads.
    pub fn problem_count(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| counts_as_problem(p))
            .count()
    }
}

impl Library {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn papers(&self) -> &[Paper] {
        &self.papers
    }

    pub fn len(&self) -> usize {
        self.papers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.papers.is_empty()
    }

    pub fn paper(&self, idx: PaperIdx) -> &Paper {
        &self.papers[idx as usize]
    }

    pub fn index(&self) -> &EntityIndex {
        &self.index
    }

    /// Gives each input file its place: papers are ordered by file in this order, then by
    /// line ([`SourceOrder`]). Files are named as papers' sources name them
    /// ([`InputFile::display`]); papers from files not listed come after the others.
    pub fn set_file_order<'a>(&mut self, files: impl IntoIterator<Item = &'a Path>) {
        self.file_ranks.clear();
        self.last_file = None;
        for (rank, path) in files.into_iter().enumerate() {
            let rank = u32::try_from(rank).unwrap_or(u32::MAX);
            self.file_ranks.entry(path.to_path_buf()).or_insert(rank);
        }
    }

    /// Puts problems in source order: by file (in [`find_files`]' order; problems of no
    /// input file, such as an unreadable folder, first), then line (the whole file's
    /// first), then byte where they say it (a one-line BioC file). Files parse in parallel
    /// and a record's problems can be found after later lines' (a BioC document's at its
    /// end): read in this order, they are the same every run and in the browser as in
    /// `tomes check`. Files skipped as no papers (a README beside the data) come last, as
    /// `tomes check` lists them: ten of them opened the corpora's list, above every problem
    /// in the papers.
    pub fn sort_problems(&self, problems: &mut [Problem]) {
        problems.sort_by_cached_key(|p| {
            let rank = self
                .file_ranks
                .get(&p.path)
                .map_or(0, |&r| u64::from(r) + 1);
            (p.skipped.is_some(), rank, p.line, p.byte)
        });
    }

    /// Per paper, where its earliest record is in the input, for [`SourceOrder::of`].
    pub fn order_keys(&self) -> &[OrderKey] {
        &self.order_keys
    }

    /// [`Library::order_keys`], shared rather than copied (see [`SearchWorker::order_papers`](crate::search::SearchWorker::order_papers)).
    pub fn shared_order_keys(&self) -> Arc<Vec<OrderKey>> {
        Arc::clone(&self.order_keys)
    }

    /// The earliest place of `paper`'s records: file rank, line, record of the line.
    fn order_key(&mut self, paper: &Paper) -> OrderKey {
        let mut best = UNPLACED;
        for source in &paper.sources {
            let rank = match &self.last_file {
                Some((path, rank)) if Arc::ptr_eq(path, &source.path) => *rank,
                _ => match self.file_ranks.get(&*source.path) {
                    Some(&rank) => {
                        self.last_file = Some((Arc::clone(&source.path), rank));
                        rank
                    }
                    None => continue,
                },
            };
            best = best.min(OrderKey {
                file: rank,
                line: u32::try_from(source.line).unwrap_or(u32::MAX),
                byte: source
                    .byte
                    .map_or(0, |b| u32::try_from(b).unwrap_or(u32::MAX)),
            });
        }
        best
    }

    /// The papers of entity `e`, those that mention it most first, ties in `order` (source
    /// order, when the caller has it; else as loaded): one naming it in passing is seldom
    /// what a jump to its papers is for. The browser's entity list and `tomes entity` both
    /// list them so.
    pub fn papers_mentioning(&self, e: EntityIdx, order: Option<&SourceOrder>) -> Vec<PaperIdx> {
        let key = &self.index.entity(e).key;
        let mut counted: Vec<(u32, u64, PaperIdx)> = self
            .index
            .papers_with(e)
            .iter()
            .map(|&p| {
                let mentions = self.papers[p as usize]
                    .entities
                    .iter()
                    .find(|pe| &pe.key == key)
                    .map_or(0, |pe| pe.mentions);
                (mentions, order.map_or(u64::from(p), |o| o.rank(p)), p)
            })
            .collect();
        counted.sort_unstable_by_key(|&(mentions, rank, _)| (std::cmp::Reverse(mentions), rank));
        counted.into_iter().map(|(_, _, p)| p).collect()
    }

    /// Finds a paper by its key or any of its ids as a person writes them (`PMID:123`,
    /// `123`, `pmc:PMC9`, `https://doi.org/10.1/x`, `file:a.md`: [`PaperKey::from_written`]),
    /// the same answer for every caller (`tomes show`, bookmarks). A key as written is
    /// found first, then as read: `PMID:0123` is the paper whose PMID is written so, if
    /// any, else `PMID:123`'s.
    pub fn find(&self, key: &str) -> Option<PaperIdx> {
        let written = key.trim();
        // A key as tomes gives it, a paper key or a bookmark's, is found at once.
        if let Some(idx) = self.by_merge_key.get(written) {
            return Some(idx);
        }
        let key = PaperKey::from_written(written).ok()?;
        self.by_merge_key
            .get(key.as_str())
            .or_else(|| self.by_merge_key.get(key.unpadded()?.as_str()))
    }

    /// The paper `key` names exactly as it is written (no other way of writing it tried):
    /// for a caller that worked out the ways [`Library::find`] tries once and asks often
    /// ([`crate::bookmarks::BookmarkTable`]).
    pub fn find_written(&self, key: &str) -> Option<PaperIdx> {
        self.by_merge_key.get(key)
    }

    /// Makes room for the papers `bytes` of input may hold (about one per 2 kB of PubTator,
    /// the densest format), so a large load grows no table on the way.
    pub fn reserve_for_bytes(&mut self, bytes: u64) {
        let papers = papers_for_bytes(bytes);
        self.papers
            .reserve(papers.saturating_sub(self.papers.len()));
        let keys = Arc::make_mut(&mut self.order_keys);
        keys.reserve(papers.saturating_sub(keys.len()));
        self.by_merge_key.reserve(papers);
        self.index.reserve_papers(papers);
    }

    /// Adds a paper, merging it into an already loaded record of the same paper. Returns the
    /// paper's position and, when the records disagree on something that cannot be merged
    /// (different titles, DOIs, PMIDs or PMCIDs), a message saying so.
    pub fn add(&mut self, paper: Paper) -> (PaperIdx, Option<String>) {
        let (idx, conflicts) = self.add_record(paper, &[]);
        let messages: Vec<String> = conflicts.into_iter().map(|c| c.message).collect();
        (idx, (!messages.is_empty()).then(|| messages.join("; ")))
    }

    /// [`Library::add`], each disagreement reported at the record that brought it.
    /// `numbers` are those its search doc gave its entities
    /// ([`SearchDoc::entity_numbers`]), if it has one: a new paper is linked to its
    /// entities by them.
    fn add_record(&mut self, paper: Paper, numbers: &[u32]) -> (PaperIdx, Vec<Problem>) {
        let order_key = self.order_key(&paper);
        let mut buf = std::mem::take(&mut self.key_buf);
        let by_merge_key = &self.by_merge_key;
        let mut existing = None;
        // The key is most often one of the merge keys (`PMID:..`): looked up once.
        let mut key_seen = false;
        paper.ids.each_merge_key(&mut buf, |k| {
            key_seen |= k == paper.key.as_str();
            existing = existing.or_else(|| by_merge_key.get(k));
        });
        let existing = existing.or_else(|| {
            (!key_seen)
                .then(|| by_merge_key.get(paper.key.as_str()))
                .flatten()
        });
        let mut numbers = numbers;
        let (idx, conflict) = match existing {
            Some(idx) => {
                // The merged paper's entities are not the record's the doc numbered.
                numbers = &[];
                let old = &mut self.papers[idx as usize];
                // Linked again below with the names of both records.
                self.index.forget_paper(old);
                // Records merge as if in source order (file, then line) whatever order they
                // arrive in (files load in parallel, largest first): the earlier record's
                // title and fields are kept, and the later one is the one with a problem.
                let mut later = paper;
                if comes_before(&later, old) {
                    std::mem::swap(old, &mut later);
                }
                let source = later.sources.first().cloned();
                let conflicts = merge_into(old, later);
                let known = &mut Arc::make_mut(&mut self.order_keys)[idx as usize];
                *known = (*known).min(order_key);
                let problems = match source {
                    Some(src) => conflicts
                        .into_iter()
                        .map(|message| {
                            let problem = Problem::new(&*src.path, Some(src.line), message);
                            match src.byte {
                                Some(byte) => problem.at_byte(byte),
                                None => problem,
                            }
                        })
                        .collect(),
                    None => Vec::new(),
                };
                (idx, problems)
            }
            None => {
                let idx = self.papers.len() as PaperIdx;
                self.papers.push(paper);
                Arc::make_mut(&mut self.order_keys).push(order_key);
                (idx, Vec::new())
            }
        };
        let merged = &self.papers[idx as usize];
        let by_merge_key = &mut self.by_merge_key;
        by_merge_key.note(merged.key.as_str(), idx);
        merged.ids.each_merge_key(&mut buf, |k| {
            if k != merged.key.as_str() {
                by_merge_key.note(k, idx);
            }
        });
        // Found by it, never merged by it: no record is looked up by another's file key.
        if let Some(file_key) = merged.summary.as_ref().and_then(|s| s.file_key.as_deref()) {
            by_merge_key.note(file_key, idx);
        }
        self.key_buf = buf;
        self.index.add_paper_numbered(idx, merged, numbers);
        (idx, conflict)
    }

    /// Adds everything one file yielded, turning merge conflicts into problems. Returns the
    /// papers added or changed (for the search worker to re-read).
    pub fn add_parsed(&mut self, parsed: Parsed, report: &mut LoadReport) -> Vec<PaperIdx> {
        report.problems.extend(parsed.problems);
        let mut touched = Vec::with_capacity(parsed.papers.len());
        for paper in parsed.papers {
            let (idx, conflict) = self.add_record(paper, &[]);
            touched.push(idx);
            report.problems.extend(conflict);
        }
        report.papers = self.papers.len();
        report.entities = self.index.entity_count();
        touched
    }

    /// [`Library::add_parsed`] for papers whose search docs were built alongside them (by the
    /// loader, one doc per paper, in order). Returns the docs of papers that are new, now
    /// numbered, and the papers a later record merged into, whose docs must be built again
    /// from the merged paper.
    pub fn add_parsed_with_docs(
        &mut self,
        parsed: Parsed,
        docs: Vec<SearchDoc>,
        report: &mut LoadReport,
    ) -> (Vec<SearchDoc>, Vec<PaperIdx>) {
        let Parsed {
            mut papers,
            mut problems,
        } = parsed;
        let mut docs = docs;
        report.problems.append(&mut problems);
        let mut ready = Vec::with_capacity(papers.len());
        let mut merged = Vec::new();
        let mut new_docs = docs.drain(..);
        for paper in papers.drain(..) {
            let before = self.papers.len();
            let doc = new_docs.next();
            let numbers = doc.as_ref().map_or(&[][..], SearchDoc::entity_numbers);
            let (idx, conflict) = self.add_record(paper, numbers);
            match doc {
                Some(mut doc) if idx as usize == before => {
                    doc.paper = idx;
                    ready.push(doc);
                }
                Some(doc) => {
                    merged.push(idx);
                    if doc.numbers_new_texts() {
                        ready.push(doc.into_table_only());
                    }
                }
                None => merged.push(idx),
            }
            report.problems.extend(conflict);
        }
        drop(new_docs);
        // The batch's buffers came from a loader thread: see `drop_elsewhere`.
        crate::threads::drop_elsewhere((papers, docs, problems));
        if !merged.is_empty() {
            merged.sort_unstable();
            merged.dedup();
            // A paper new in this batch and merged into later in it has a stale doc.
            ready = ready
                .into_iter()
                .filter_map(|d| {
                    if merged.binary_search(&d.paper).is_err() {
                        Some(d)
                    } else {
                        d.numbers_new_texts().then(|| d.into_table_only())
                    }
                })
                .collect();
        }
        report.papers = self.papers.len();
        report.entities = self.index.entity_count();
        (ready, merged)
    }
}

/// Whether record `a` comes before `b` in source order: by file, then line, of their first
/// sources (a record without a source comes after).
fn comes_before(a: &Paper, b: &Paper) -> bool {
    match (a.sources.first(), b.sources.first()) {
        (Some(a), Some(b)) => (&a.path, a.line) < (&b.path, b.line),
        _ => false,
    }
}

/// Unites `new` into `old`. Fields `old` lacks are taken from `new`; entities, relations,
/// links, sections and sources are united. An entity both name differently keeps the name
/// of the record that names it best (see below), so the result does not depend on which
/// record came first. Returns what the records disagree on (titles, ids), said of `new`.
fn merge_into(old: &mut Paper, new: Paper) -> Vec<String> {
    let mut conflicts = Vec::new();
    if old.title.trim().is_empty() {
        old.title = new.title;
    } else if !new.title.trim().is_empty() && fold_name(&old.title) != fold_name(&new.title) {
        // Case, spacing and punctuation differ between sources of one paper (a trailing
        // period, a dash); only different words are worth a problem.
        // Said of the later record, in its words: the same problems whatever order the
        // records arrived in.
        conflicts.push(format!(
            "{} is loaded twice with different titles; not shown: {}",
            old.key,
            quoted(&truncate(&new.title, 40))
        ));
    }
    // Records merge when they share any id; one that differs on another id is kept from the
    // earlier record, and the later one's is said not to be used (it was dropped silently).
    // DOIs and PMCIDs are compared as the merge keys compare them.
    let ids = [
        ("PMIDs", &old.ids.pmid, &new.ids.pmid, false),
        ("PMCIDs", &old.ids.pmcid, &new.ids.pmcid, true),
        ("DOIs", &old.ids.doi, &new.ids.doi, true),
    ];
    for (what, kept, other, any_case) in ids {
        if let (Some(kept), Some(other)) = (kept, other) {
            let (a, b) = (kept.trim(), other.trim());
            let same = if any_case {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            };
            if !same && !b.is_empty() {
                // The kept one is not named: with three records arriving out of order, the
                // one kept when this record came may not be the one kept at the end (ut24b
                // read "kept" of two different DOIs), and the message must not depend on it.
                conflicts.push(format!(
                    "{} is loaded twice with different {what}; not used: {} (the paper keeps \
                     the first file's)",
                    old.key,
                    quoted(b)
                ));
            }
        }
    }
    fill(&mut old.ids.pmid, new.ids.pmid);
    fill(&mut old.ids.pmcid, new.ids.pmcid);
    fill(&mut old.ids.doi, new.ids.doi);
    if old.authors.is_empty() {
        old.authors = new.authors;
    }
    fill(&mut old.journal, new.journal);
    fill(&mut old.date, new.date);
    fill(&mut old.year, new.year);
    fill(&mut old.abstract_text, new.abstract_text);
    if let Some(new) = new.summary {
        let new = *new;
        let old = old.summary_mut();
        fill(&mut old.tldr, new.tldr);
        fill(&mut old.contribution, new.contribution);
        if old.key_findings.is_empty() {
            old.key_findings = new.key_findings;
        }
        fill(&mut old.figure_count, new.figure_count);
        fill(&mut old.reference_count, new.reference_count);
        fill(&mut old.volume, new.volume);
        fill(&mut old.issue, new.issue);
        fill(&mut old.pages, new.pages);
        fill(&mut old.file_key, new.file_key);
        unite(&mut old.links, new.links);
        unite(&mut old.sections, new.sections);
    }
    unite_hashed(&mut old.relations, new.relations);
    unite_hashed(&mut old.sources, new.sources);
    // In source order, as `comes_before` reads the first: three records of a paper listed
    // their files in the order they loaded, which differs run to run.
    old.sources
        .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    if !new.group_names.is_empty() {
        let mut group_names = std::mem::take(&mut old.group_names).into_vec();
        unite(&mut group_names, new.group_names.into_vec());
        old.group_names = group_names.into_boxed_slice();
    }
    let mut positions = EntityPositions::of(&old.entities);
    for mut entity in new.entities {
        match positions.find(&old.entities, &entity.key) {
            Some(at) => {
                let existing = &mut old.entities[at];
                if existing.named_by_group != entity.named_by_group {
                    // One record names it itself, the other only as part of a group: the
                    // entity's own names are kept, the group's is no name of it.
                    if existing.named_by_group {
                        existing.name = std::mem::take(&mut entity.name);
                        existing.aliases = std::mem::take(&mut entity.aliases);
                        existing.named_by_group = false;
                        existing.name_weight = entity.name_weight;
                    }
                } else {
                    // The entity index counts the paper's name for an entity by its mentions:
                    // the name must not depend on which record of the paper arrived first
                    // (files load in parallel), so the name of the record that names it
                    // best is kept: a summary's, else the one mentioning it most (each
                    // record's own count, not the merged one: the best of any number of
                    // records whatever their order), else the first in byte order.
                    let new_name_wins = entity
                        .name_weight
                        .cmp(&existing.name_weight)
                        .then_with(|| existing.name.cmp(&entity.name))
                        .is_gt();
                    let mut aliases = std::mem::take(&mut existing.aliases).into_vec();
                    if new_name_wins {
                        existing.name_weight = entity.name_weight;
                        std::mem::swap(&mut existing.name, &mut entity.name);
                        let name = &existing.name;
                        aliases.retain(|alias| alias != name);
                    }
                    // Two groups' names: one is kept, and neither is an alias.
                    if !existing.named_by_group {
                        unite_hashed(
                            &mut aliases,
                            std::iter::once(entity.name)
                                .chain(entity.aliases)
                                .filter(|alias| *alias != existing.name)
                                .collect(),
                        );
                    }
                    existing.aliases = aliases.into_boxed_slice();
                }
                fill(&mut existing.description, entity.description);
                // A gene id first seen in a family mention is still a gene.
                if existing.kind == EntityKind::Other {
                    existing.kind = entity.kind;
                }
                if existing.spans.is_empty() || entity.spans.is_empty() {
                    existing.mentions = existing.mentions.max(entity.mentions);
                    if existing.spans.is_empty() {
                        existing.spans = entity.spans;
                    }
                } else {
                    let mut spans = std::mem::take(&mut existing.spans).into_vec();
                    unite_spans(&mut spans, entity.spans.into_vec());
                    existing.spans = spans.into_boxed_slice();
                    existing.mentions = existing.mentions.max(existing.spans.len() as u32);
                }
            }
            None => {
                positions.insert(&entity.key, old.entities.len());
                old.entities.push(entity);
            }
        }
    }
    old.key = PaperKey::from_ids(
        &old.ids,
        old.key.as_str().strip_prefix("file:").unwrap_or(""),
    );
    conflicts
}

fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn unite<T: PartialEq>(into: &mut Vec<T>, from: Vec<T>) {
    for item in from {
        if !into.contains(&item) {
            into.push(item);
        }
    }
}

/// [`unite`] for lists that can be long (relations, aliases, sources): a set of what is
/// already there instead of a scan per item, holding references (merging a paper's records
/// used to copy every relation and alias into the set). Order and result are the same.
fn unite_hashed<T: Eq + std::hash::Hash>(into: &mut Vec<T>, from: Vec<T>) {
    if from.is_empty() {
        return;
    }
    // Short lists (nearly every alias list): the scan is cheaper than hashing.
    if into.len() + from.len() <= 16 {
        return unite(into, from);
    }
    let keep: Vec<bool> = {
        let mut seen: foldhash::HashSet<&T> = into.iter().collect();
        from.iter().map(|item| seen.insert(item)).collect()
    };
    into.extend(
        from.into_iter()
            .zip(keep)
            .filter_map(|(item, keep)| keep.then_some(item)),
    );
}

/// Spans of two records of one entity, united and sorted: those of `into` as they are, then
/// each span of `from` that `into` lacks, once.
fn unite_spans(into: &mut Vec<Span>, from: Vec<Span>) {
    into.sort_unstable();
    let mut new: Vec<Span> = from
        .into_iter()
        .filter(|span| into.binary_search(span).is_err())
        .collect();
    new.sort_unstable();
    new.dedup();
    into.extend(new);
    into.sort_unstable();
}

/// Where each entity key is in a paper's entity list, for merging records: papers can carry
/// tens of thousands of entities, and merging two such records must not scan the old list
/// once per new entity. Keyed by the key's hash (no copies of the keys); a hash shared by
/// two keys falls back to a scan, so the answer is always the first entity with the key.
struct EntityPositions {
    hasher: foldhash::fast::FixedState,
    first: foldhash::HashMap<u64, usize>,
}

impl EntityPositions {
    fn of(entities: &[PaperEntity]) -> Self {
        let mut positions = EntityPositions {
            hasher: foldhash::fast::FixedState::default(),
            first: foldhash::HashMap::default(),
        };
        positions.first.reserve(entities.len());
        for (at, e) in entities.iter().enumerate() {
            positions.insert(&e.key, at);
        }
        positions
    }

    fn hash(&self, key: &EntityKey) -> u64 {
        std::hash::BuildHasher::hash_one(&self.hasher, key)
    }

    /// Notes that `key` is at `at`, unless an earlier entity has the same hash.
    fn insert(&mut self, key: &EntityKey, at: usize) {
        let hash = self.hash(key);
        self.first.entry(hash).or_insert(at);
    }

    fn find(&self, entities: &[PaperEntity], key: &EntityKey) -> Option<usize> {
        let at = *self.first.get(&self.hash(key))?;
        if entities[at].key == *key {
            Some(at)
        } else {
            entities.iter().position(|e| e.key == *key)
        }
    }
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// An input file found under the paths given, with the names it goes by.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    /// The file as the user would open it from where tomes was started: the folder as
    /// given with the file's path under it (`corpora/biored/Dev.BioC.XML`, absolute when
    /// the folder was given absolute), without a leading `./`. Problems and sources name
    /// the file by it (a user test ran `tomes check /work/shared/corpora` from `/tmp` and
    /// was told `biored/Dev.BioC.XML`, which no editor there opens).
    pub display: PathBuf,
    /// The name in `file:` keys: relative to the folder it was found under (the file's
    /// name for a file given directly), so a paper without ids keeps its key (and its
    /// bookmark) whichever way to the folder it is opened by; [`InputFile::key_papers`]
    /// puts it in.
    pub key_name: PathBuf,
    /// Given directly (on the command line, in the config's `library`) rather than found in
    /// a folder: such a file that is no format tomes reads is a problem, where one found
    /// beside the data (a README, a licence) is only listed as skipped.
    pub named: bool,
}

impl InputFile {
    /// A file named `display` and keyed by its name under its folder, `key_name`.
    fn found(path: PathBuf, key_name: PathBuf, named: bool) -> InputFile {
        InputFile {
            display: as_opened(&path),
            path,
            key_name,
            named,
        }
    }

    /// Gives the papers parsed from this file (named by [`InputFile::display`]) their
    /// `file:` keys by [`InputFile::key_name`]: `file:x.md`, `file:x.xml#doc7`.
    pub fn key_papers(&self, papers: &mut [Paper]) {
        // A summary keyed by its ids keeps the key its file would give it, for bookmarks
        // made before it had them.
        if let [paper] = papers
            && (paper.sources.first()).is_some_and(|s| s.format == Format::SummaryMarkdown)
            && !paper.key.as_str().starts_with("file:")
        {
            paper.summary_mut().file_key =
                Some(format!("file:{}", self.key_name.display()).into_boxed_str());
        }
        if self.display == self.key_name {
            return;
        }
        let named = format!("file:{}", self.display.display());
        for paper in papers {
            if let Some(rest) = paper.key.as_str().strip_prefix(named.as_str())
                && (rest.is_empty() || rest.starts_with('#'))
            {
                paper.key = PaperKey(format!("file:{}{rest}", self.key_name.display()));
            }
        }
    }
}

/// `path` as a user names it: without the `./` a folder given as `.` leaves in front.
fn as_opened(path: &Path) -> PathBuf {
    let mut parts = path.components().peekable();
    while parts.next_if_eq(&std::path::Component::CurDir).is_some() {}
    let opened: PathBuf = parts.collect();
    if opened.as_os_str().is_empty() {
        path.to_path_buf()
    } else {
        opened
    }
}

/// Walks the given files and folders (recursively, sorted, not following links into
/// folders already visited) and lists the input files.
pub fn find_files(paths: &[PathBuf], problems: &mut Vec<Problem>) -> Vec<InputFile> {
    let mut files = Vec::new();
    for root in paths {
        match std::fs::metadata(root) {
            // Said as for a link found in a folder: named as given, listed as skipped and
            // counted as a problem.
            Err(_) if std::fs::symlink_metadata(root).is_ok_and(|m| m.is_symlink()) => {
                problems.push(not_a_file(root.clone(), root));
            }
            // Worded as the command line words it (`tomes: no such file or folder: PATH`).
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.push(Problem::new(root, None, "no such file or folder"));
            }
            Err(e) => problems.push(Problem::new(root, None, format!("cannot open: {e}"))),
            Ok(meta) if meta.is_dir() => {
                let mut visited = Vec::new();
                walk(root, root, &mut visited, &mut files, problems);
            }
            Ok(_) => files.push(InputFile::found(
                root.clone(),
                root.file_name().map_or_else(|| root.clone(), PathBuf::from),
                true,
            )),
        }
    }
    // Two roots can hold different files of the same name (`tomes run1 run2`, each with an
    // `out.pubtator`): those are keyed by their path as given, so that their papers' keys
    // differ. (One file reached twice keeps its name.)
    let mut count: std::collections::HashMap<&Path, usize> = std::collections::HashMap::new();
    for f in &files {
        *count.entry(f.key_name.as_path()).or_default() += 1;
    }
    // Only names found more than once are looked at on disk (one real path per file).
    let mut real_files: std::collections::HashMap<&Path, Vec<PathBuf>> =
        std::collections::HashMap::new();
    for f in files.iter().filter(|f| count[f.key_name.as_path()] > 1) {
        let real = std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone());
        let same_name = real_files.entry(f.key_name.as_path()).or_default();
        if !same_name.contains(&real) {
            same_name.push(real);
        }
    }
    let shared: Vec<bool> = files
        .iter()
        .map(|f| {
            real_files
                .get(f.key_name.as_path())
                .is_some_and(|r| r.len() > 1)
        })
        .collect();
    for (f, shared) in files.iter_mut().zip(shared) {
        if shared {
            f.key_name.clone_from(&f.path);
        }
    }
    files
}

fn walk(
    root: &Path,
    dir: &Path,
    visited: &mut Vec<PathBuf>,
    files: &mut Vec<InputFile>,
    problems: &mut Vec<Problem>,
) {
    let canonical = match std::fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => {
            problems.push(Problem::new(
                as_opened(dir),
                None,
                format!("cannot open folder: {e}"),
            ));
            return;
        }
    };
    if visited.contains(&canonical) {
        // A link back up (`loop -> .`): reading it again would list every file twice.
        problems.push(Problem::new(
            as_opened(dir),
            None,
            "a link to a folder already read; skipped",
        ));
        return;
    }
    visited.push(canonical);
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            problems.push(Problem::new(
                as_opened(dir),
                None,
                format!("cannot read folder: {e}"),
            ));
            return;
        }
    };
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, visited, files, problems);
        } else if path.is_file() {
            let key_name = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            files.push(InputFile::found(path, key_name, false));
        } else {
            problems.push(not_a_file(as_opened(&path), &path));
        }
    }
}

/// `path`, neither a file nor a folder, skipped as `display`: a link whose target is
/// missing says which target (a link given on the command line the same as one found in a
/// folder); else it is a FIFO, which would block the reader forever, a socket or a device.
fn not_a_file(display: PathBuf, path: &Path) -> Problem {
    let message = match (std::fs::read_link(path), std::fs::metadata(path)) {
        (Ok(target), Err(e)) if e.kind() == std::io::ErrorKind::NotFound => format!(
            "a link to {}, which does not exist; skipped",
            target.display()
        ),
        // A loop of links, a target in a folder that cannot be read.
        (Ok(target), Err(e)) => format!(
            "a link to {} that cannot be followed: {e}; skipped",
            target.display()
        ),
        _ => "not a regular file (a FIFO, socket or device); skipped".to_owned(),
    };
    Problem::skipped_file(display, SkipReason::NotAFile, message)
}

use crate::formats::HEAD_BYTES;

/// Reads and parses one file (see [`read_file`]); a large PubTator file is parsed in
/// pieces on every core, its papers and problems kept in file order.
pub fn parse_file(file: &InputFile) -> (Parsed, u64) {
    let read = match read_file(file) {
        Ok(read) => read,
        Err(skipped) => return (skipped, 0),
    };
    let pieces: Vec<Parsed> = read
        .pieces()
        .into_par_iter()
        .map(|(range, line)| read.parse_piece(range, line, &file.display))
        .collect();
    let mut parsed = Parsed {
        papers: Vec::new(),
        problems: read.problems,
    };
    for piece in pieces {
        parsed.papers.extend(piece.papers);
        parsed.problems.extend(piece.problems);
    }
    file.key_papers(&mut parsed.papers);
    (parsed, read.bytes)
}

/// PubTator files over this size are cut into pieces of about this size, parsed in parallel.
pub const PIECE_BYTES: usize = 1 << 20;

/// Extra room in a piece reader's buffer, so the read that completes a piece does not
/// grow it.
const READ_SLACK: usize = 64 << 10;

/// A file read whole and recognised, not parsed yet.
pub struct ReadFile {
    pub format: Format,
    pub text: String,
    /// Bytes read from disk.
    pub bytes: u64,
    /// Problems found while reading (invalid UTF-8).
    pub problems: Vec<Problem>,
    /// The file as it was read, when `text` is its bytes unchanged (valid UTF-8): papers
    /// can then keep their abstract's place in it instead of the text.
    pub stamp: Option<Arc<FileStamp>>,
    /// Where invalid UTF-8 was replaced in `text` (empty when it is valid), to place
    /// problems at their byte of the file rather than of the text.
    pub replacements: Replacements,
}

impl ReadFile {
    /// Byte ranges of `text` that parse independently, with the line each starts on: one
    /// for most files, pieces of about [`PIECE_BYTES`] for a large PubTator file.
    pub fn pieces(&self) -> Vec<(std::ops::Range<usize>, usize)> {
        if self.format != Format::PubTator || self.text.len() <= PIECE_BYTES {
            return vec![(0..self.text.len(), 1)];
        }
        let bom = if self.text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        formats::pubtator::chunks(&self.text[bom..], PIECE_BYTES)
            .into_iter()
            .map(|(r, line)| (r.start + bom..r.end + bom, line))
            .collect()
    }

    /// Parses the piece `range` (starting on line `line`) of the text.
    pub fn parse_piece(&self, range: std::ops::Range<usize>, line: usize, path: &Path) -> Parsed {
        let text = &self.text[range.clone()];
        match self.format {
            Format::PubTator => {
                let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
                let in_file = self.stamp.as_ref().map(|file| InFile {
                    file,
                    offset: (range.start + bom) as u64,
                });
                formats::pubtator::parse_from_line(&text[bom..], path, line, in_file)
            }
            format => {
                let mut parsed = formats::parse(format, text, path);
                // Bytes are counted in the text, which is the whole file (`pieces` cuts
                // only PubTator) with invalid bytes replaced.
                if !self.replacements.is_empty() {
                    let sources = parsed.papers.iter_mut().flat_map(|p| &mut p.sources);
                    let bytes = parsed.problems.iter_mut().map(|p| &mut p.byte);
                    for byte in bytes.chain(sources.map(|s| &mut s.byte)).flatten() {
                        *byte = self.replacements.file_position(*byte);
                    }
                }
                parsed
            }
        }
    }
}

/// Reads one file whole and recognises its format. Files that are no known format are
/// skipped with a problem saying why (empty, binary, not UTF-8, another format). Only the
/// first 4 KiB of a file that is no known format are read; a file over [`MAX_FILE_BYTES`]
/// is refused from its metadata without being read. Invalid UTF-8 is reported with its line
/// and replaced (one bad byte should not hide a corpus of papers). `Err` holds what to
/// report instead of papers (no bytes of the file count as read).
pub fn read_file(file: &InputFile) -> Result<ReadFile, Parsed> {
    let opened = open_file(file)?;
    read_rest(file, opened)
}

/// A file opened and recognised: its first bytes read, the rest not yet.
pub struct OpenedFile {
    handle: std::fs::File,
    head: Vec<u8>,
    pub format: Format,
    /// Its size when it was opened.
    pub size: u64,
    /// The file as it was opened (before its text was read), for papers that keep their
    /// abstract's place in it.
    stamp: Option<Arc<FileStamp>>,
}

fn file_problem(file: &InputFile, line: Option<usize>, message: String) -> Parsed {
    Parsed {
        papers: Vec::new(),
        problems: vec![Problem::new(&file.display, line, message)],
    }
}

/// A file skipped whole for what it is rather than for what is in it (too large, not a
/// file), with its own message. One named directly that is no format tomes reads is a
/// problem like any other rather than a file passed over (see [`counts_as_problem`]).
fn skipped_whole(
    file: &InputFile,
    reason: SkipReason,
    line: Option<usize>,
    message: String,
) -> Parsed {
    let mut problem = if file.named && !counts_as_skipped_file_problem(reason) {
        Problem::new(&file.display, None, message)
    } else {
        Problem::skipped_file(&file.display, reason, message)
    };
    problem.line = line;
    Parsed {
        papers: Vec::new(),
        problems: vec![problem],
    }
}

/// Whether a file skipped for `reason` is a problem wherever it was found: too large for
/// tomes, or not a file at all (a link whose target is gone, a FIFO). The other reasons
/// (empty, blank, binary, not UTF-8, another format) say the file is no format tomes reads:
/// a README or a licence beside the data, passed over in a folder.
fn counts_as_skipped_file_problem(reason: SkipReason) -> bool {
    matches!(reason, SkipReason::TooLarge | SkipReason::NotAFile)
}

/// Whether `problem` counts among a load's problems (the count `tomes check` and the status
/// bar give, what `--strict` fails on). A file found in a folder and skipped as no format
/// tomes reads does not: it is listed with the skipped files instead (the corpora's
/// README.txt, SOURCE.txt and LICENSE files used to make ten of "61 problems").
pub fn counts_as_problem(problem: &Problem) -> bool {
    problem.skipped.is_none_or(counts_as_skipped_file_problem)
}

/// A file skipped whole for `reason`, said the same way whether it was named directly or
/// found in a folder: summaries are `.txt` files as often as READMEs are, so tomes cannot
/// tell a file meant as a paper from one that is not, and a paper that does not load must
/// never go unmentioned (in the browser's problem list and `tomes check`, with the skipped
/// files when found in a folder, as a problem when named).
fn file_skipped(file: &InputFile, reason: SkipReason, head: &[u8]) -> Parsed {
    let message = match reason {
        SkipReason::Empty => "empty file; skipped".to_owned(),
        SkipReason::Blank => "only whitespace; skipped".to_owned(),
        SkipReason::Binary => format!("binary file (NUL bytes): {NOT_OURS}; skipped"),
        SkipReason::NotUtf8 => format!("not UTF-8 text: {NOT_OURS}; skipped"),
        SkipReason::OtherFormat => match formats::summary_signs_lacking(&file.path, head) {
            Some(lacking) => format!("{NOT_OURS}: {lacking}; skipped"),
            None => format!("{NOT_OURS}; skipped"),
        },
        SkipReason::TooLarge => "over the size limit; skipped".to_owned(),
        SkipReason::NotAFile => "not a regular file; skipped".to_owned(),
    };
    skipped_whole(file, reason, None, message)
}

/// What [`file_skipped`] says of a file that is no format tomes reads.
const NOT_OURS: &str = "not a summary Markdown, PubTator or BioC XML file";

/// What a skipped file's message ([`file_skipped`]) says beyond its reason, which
/// `tomes check`'s group heading says: for a file starting with `# `, the lines of a summary
/// it lacks ([`formats::summary_signs_lacking`]). `None` for the others. Read here, beside
/// the message's writer, so the two cannot drift apart.
pub fn skip_detail(message: &str) -> Option<&str> {
    let message = message.strip_suffix("; skipped").unwrap_or(message);
    message.strip_prefix(NOT_OURS)?.strip_prefix(": ")
}

/// Why a file whose first bytes `head` are no format tomes reads is not one (`whole`: the
/// head is the whole file).
fn unknown_file_reason(head: &[u8], whole: bool) -> SkipReason {
    if head.is_empty() {
        SkipReason::Empty
    } else if whole && head.iter().all(u8::is_ascii_whitespace) {
        SkipReason::Blank
    } else if memchr::memchr(0, head).is_some() {
        SkipReason::Binary
    } else if std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some()) {
        // `error_len` is `None` for a character cut at the end of the head: still text.
        SkipReason::NotUtf8
    } else {
        SkipReason::OtherFormat
    }
}

/// Whether a head that passed for a format tomes reads is binary all the same: NULs in more
/// than one byte in [`BINARY_NUL_SHARE`] (UTF-16 text has one in two). Text has none, but
/// may have a stray one.
fn is_mostly_binary(head: &[u8]) -> bool {
    memchr::memchr_iter(0, head).count() > head.len() / BINARY_NUL_SHARE
}

const BINARY_NUL_SHARE: usize = 8;

/// The part of [`read_file`] that opens a file, reads its head and recognises its format.
pub fn open_file(file: &InputFile) -> Result<OpenedFile, Parsed> {
    use std::io::Read;
    let problem = |line, message| file_problem(file, line, message);
    let skipped = |reason, line, message| skipped_whole(file, reason, line, message);
    let size = match std::fs::metadata(&file.path) {
        Ok(m) if m.is_dir() => return Err(problem(None, "is a folder, not a file".into())),
        // Opening a FIFO blocks until someone writes to it: never open what is not a file.
        Ok(m) if !m.is_file() => {
            return Err(skipped(
                SkipReason::NotAFile,
                None,
                "not a regular file (a FIFO, socket or device); skipped".into(),
            ));
        }
        Ok(m) => m.len(),
        Err(e) => return Err(problem(None, format!("cannot read: {e}"))),
    };
    if size > MAX_FILE_BYTES {
        return Err(skipped(
            SkipReason::TooLarge,
            None,
            format!(
                "file is {} MB, over the {} MB limit; skipped",
                size / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let mut handle = match std::fs::File::open(&file.path) {
        Ok(f) => f,
        Err(e) => return Err(problem(None, format!("cannot read: {e}"))),
    };
    let mut bytes = Vec::with_capacity(HEAD_BYTES);
    // Read the head first: most files in a folder that are not ours are never read whole.
    if let Err(e) = (&mut handle)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut bytes)
    {
        return Err(problem(None, format!("cannot read: {e}")));
    }
    let Some(format) = formats::detect(&file.path, &bytes) else {
        let whole = bytes.len() < HEAD_BYTES;
        return Err(file_skipped(
            file,
            unknown_file_reason(&bytes, whole),
            &bytes,
        ));
    };
    // A file of a format tomes reads that it cannot read: a problem at its line, not a file
    // passed over for what it is. A stray NUL in text is not binary data: it is reported
    // where it is and the file read on, in the head as after it ([`StrayBytes`]).
    if is_mostly_binary(&bytes) {
        let at = memchr::memchr(0, &bytes).unwrap_or(0);
        return Err(problem(
            Some(line_of(&bytes, at)),
            "binary data (NUL bytes); skipped".into(),
        ));
    }
    let stamp = handle.metadata().ok().map(|meta| {
        Arc::new(FileStamp {
            path: file.path.clone(),
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    });
    Ok(OpenedFile {
        handle,
        head: bytes,
        format,
        size,
        stamp,
    })
}

/// The part of [`read_file`] that reads the rest of an opened file.
fn read_rest(file: &InputFile, opened: OpenedFile) -> Result<ReadFile, Parsed> {
    use std::io::Read;
    let problem = |line, message| file_problem(file, line, message);
    let OpenedFile {
        mut handle,
        head: mut bytes,
        format,
        size,
        stamp,
    } = opened;
    bytes.reserve((size.min(MAX_FILE_BYTES) as usize + 1).saturating_sub(bytes.len()));
    // The file may have grown since its metadata was read; never read past the limit.
    if let Err(e) = (&mut handle)
        .take(MAX_FILE_BYTES + 1 - bytes.len() as u64)
        .read_to_end(&mut bytes)
    {
        return Err(problem(None, format!("cannot read: {e}")));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(skipped_whole(
            file,
            SkipReason::TooLarge,
            None,
            "file grew over the size limit; skipped".into(),
        ));
    }
    let read = bytes.len() as u64;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        let reason = if bytes.is_empty() {
            SkipReason::Empty
        } else {
            SkipReason::Blank
        };
        // Skipped, like a README: no bytes of it were read as papers.
        return Err(file_skipped(file, reason, &[]));
    }
    let mut stray = StrayBytes::default();
    let (text, replacements, mut problems) = repaired_text(bytes, &file.display, 1, 0, &mut stray);
    problems.extend(stray.rest(&file.display));
    // Places in the file hold while it is as it was opened: the text must be all of it
    // (nothing written while it was read), unrepaired.
    let stamp = stamp.filter(|s| s.len == read && replacements.is_empty());
    Ok(ReadFile {
        format,
        text,
        bytes: read,
        problems,
        stamp,
        replacements,
    })
}

/// `bytes` as text, invalid UTF-8 replaced by U+FFFD and NULs kept, each place reported (as
/// [`StrayBytes`] allows; the bytes start at line `first_line` and byte `offset` of the
/// file): one bad byte should not hide a corpus of papers. With the text, where the
/// replacements are in it.
fn repaired_text(
    bytes: Vec<u8>,
    display: &Path,
    first_line: usize,
    offset: u64,
    stray: &mut StrayBytes,
) -> (String, Replacements, Vec<Problem>) {
    let mut problems = stray.report_nuls(display, &bytes, first_line, offset);
    match String::from_utf8(bytes) {
        Ok(text) => (text, Replacements::default(), problems),
        Err(e) => {
            let bytes = e.into_bytes();
            let (text, replacements) = Replacements::decode(&bytes);
            let runs = replacements.file_runs();
            problems.extend(
                stray
                    .invalid_utf8
                    .report(display, &bytes, runs, first_line, offset),
            );
            (text, replacements, problems)
        }
    }
}

/// Places of invalid UTF-8, or of NULs, in a file reported each with its line; the rest are
/// counted.
const STRAY_BYTES_SHOWN: usize = 20;

/// A file's bytes that text should not hold, reported as its text is read (a piece at a
/// time for a file read in pieces): invalid UTF-8, replaced by U+FFFD, and NULs, kept in the
/// text (control characters like any other, escaped where shown). A NUL in the first 4 KiB
/// skipped the whole file while one after them was read without a word.
struct StrayBytes {
    invalid_utf8: Places,
    nuls: Places,
}

impl Default for StrayBytes {
    fn default() -> Self {
        StrayBytes {
            invalid_utf8: Places::new("not valid UTF-8", "invalid bytes replaced by U+FFFD"),
            nuls: Places::new("NUL in text", "read on, kept as a control character"),
        }
    }
}

impl StrayBytes {
    /// The problems for the runs of NULs in `bytes` (which start at line `first_line` and
    /// byte `offset` of the file).
    fn report_nuls(
        &mut self,
        display: &Path,
        bytes: &[u8],
        first_line: usize,
        offset: u64,
    ) -> Vec<Problem> {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for at in memchr::memchr_iter(0, bytes) {
            match runs.last_mut() {
                Some(run) if run.1 == at => run.1 = at + 1,
                _ => runs.push((at, at + 1)),
            }
        }
        self.nuls.report(display, bytes, runs, first_line, offset)
    }

    /// Whether every place found so far was reported.
    fn all_reported(&self) -> bool {
        self.invalid_utf8.more.is_none() && self.nuls.more.is_none()
    }

    /// The problems counting the places not reported one by one, once the whole file is read.
    fn rest(&self, display: &Path) -> impl Iterator<Item = Problem> {
        let invalid = self.invalid_utf8.rest(display);
        invalid.into_iter().chain(self.nuls.rest(display))
    }
}

/// Places of one kind of stray byte: the first [`STRAY_BYTES_SHOWN`] reported one by one,
/// then one problem at the next saying how many more there are. Only the first was
/// reported, and the list showed "Phenobarbi\u{fffd}tal" from a line `check` never named.
struct Places {
    /// What the bytes are, and what became of them.
    what: &'static str,
    fate: &'static str,
    shown: usize,
    /// Places after those shown: the line and bytes (start, end) of the first, and how
    /// many.
    more: Option<(usize, (u64, u64), usize)>,
}

impl Places {
    fn new(what: &'static str, fate: &'static str) -> Places {
        Places {
            what,
            fate,
            shown: 0,
            more: None,
        }
    }

    /// The problems for the runs (start, end) of `bytes` (which start at line `first_line`
    /// and byte `offset` of the file). Lines are counted only up to the last place
    /// reported.
    fn report(
        &mut self,
        display: &Path,
        bytes: &[u8],
        runs: Vec<(usize, usize)>,
        first_line: usize,
        offset: u64,
    ) -> Vec<Problem> {
        let mut problems = Vec::new();
        let (mut line, mut counted) = (first_line, 0);
        for (start, end) in runs {
            if let Some((_, _, more)) = self.more.as_mut() {
                *more += 1;
                continue;
            }
            line += memchr::memchr_iter(b'\n', &bytes[counted..start]).count();
            counted = start;
            let place = (offset + start as u64, offset + end as u64);
            if self.shown == STRAY_BYTES_SHOWN {
                self.more = Some((line, place, 1));
                continue;
            }
            self.shown += 1;
            problems.push(Problem::new(
                display,
                Some(line),
                format!(
                    "{} ({}); {}",
                    self.what,
                    Self::bytes_named(place),
                    self.fate
                ),
            ));
        }
        problems
    }

    /// "byte 31" or, for a run of more than one, "bytes 31-32" (the first and the last).
    fn bytes_named((start, end): (u64, u64)) -> String {
        if end - start == 1 {
            format!("byte {start}")
        } else {
            format!("bytes {start}-{}", end - 1)
        }
    }

    /// The problem counting the places not reported one by one, once the whole file is read.
    fn rest(&self, display: &Path) -> Option<Problem> {
        let (line, bytes, more) = self.more?;
        let after = match more - 1 {
            0 => String::new(),
            1 => " and at 1 more place after it".to_owned(),
            n => format!(" and at {n} more places after it"),
        };
        Some(Problem::new(
            display,
            Some(line),
            format!(
                "{} ({}){after}; {}",
                self.what,
                Self::bytes_named(bytes),
                self.fate
            ),
        ))
    }
}

/// Where a text read from a file that was not valid UTF-8 had bytes replaced by U+FFFD.
/// Each U+FFFD (3 bytes of text) stands for 1 to 3 bytes of the file, so a position in the
/// text after one is not the same position in the file: problems placed at a byte (BioC's)
/// are placed in the text and moved back with [`Replacements::file_position`]. Empty (no
/// allocation) for a valid file.
#[derive(Debug, Default)]
pub struct Replacements {
    /// For each U+FFFD in order: the text position just after it and the file position
    /// just after the bytes it stands for. `u32`: texts are at most 3 × [`MAX_FILE_BYTES`].
    after: Vec<(u32, u32)>,
}

// A text position (up to 3 bytes per byte of the file) fits in a `Replacements` entry.
const _: () = assert!(MAX_FILE_BYTES * 3 <= u32::MAX as u64);

impl Replacements {
    /// `bytes` (at most [`MAX_FILE_BYTES`]) as text, as `String::from_utf8_lossy` makes it
    /// (one U+FFFD per invalid sequence), and where each U+FFFD went.
    fn decode(bytes: &[u8]) -> (String, Replacements) {
        let mut text = String::with_capacity(bytes.len() + 16);
        let mut after = Vec::new();
        let mut file_pos = 0;
        for chunk in bytes.utf8_chunks() {
            text.push_str(chunk.valid());
            file_pos += chunk.valid().len() + chunk.invalid().len();
            if !chunk.invalid().is_empty() {
                text.push(char::REPLACEMENT_CHARACTER);
                // Both fit: see the assertion above.
                after.push((text.len() as u32, file_pos as u32));
            }
        }
        (text, Replacements { after })
    }

    pub fn is_empty(&self) -> bool {
        self.after.is_empty()
    }

    /// Each run of replaced bytes in the file, in order, as (start, end): sequences with
    /// no valid byte between them are one run, one place to report (`\xff\xfe` was two
    /// problems, a line of Latin-1 a dozen). A run never spans pieces of a file read in
    /// pieces: they are cut after a newline, which is valid.
    fn file_runs(&self) -> Vec<(usize, usize)> {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        // A replacement's bytes start where the valid text after the one before ends.
        let mut before = (0, 0);
        for &(text_after, file_after) in &self.after {
            let valid = (text_after - 3 - before.0) as usize;
            let start = before.1 as usize + valid;
            before = (text_after, file_after);
            match runs.last_mut() {
                Some(run) if run.1 == start => run.1 = file_after as usize,
                _ => runs.push((start, file_after as usize)),
            }
        }
        runs
    }

    /// The file position of text position `text_pos` (a position within a U+FFFD is that
    /// of the first byte it stands for).
    pub fn file_position(&self, text_pos: u64) -> u64 {
        // Replacements that end at or before the position move it back; one it falls
        // inside of moves it to its start.
        let i = self
            .after
            .partition_point(|&(t, _)| u64::from(t) <= text_pos);
        let shift = i
            .checked_sub(1)
            .map_or(0, |prev| self.after[prev].0 - self.after[prev].1);
        let replacement_start = self
            .after
            .get(i)
            .map_or(u64::MAX, |&(t, _)| u64::from(t) - 3);
        text_pos.min(replacement_start) - u64::from(shift)
    }
}

/// Reads a large PubTator file a piece at a time, each piece whole records of about
/// [`PIECE_BYTES`]: the parse threads then hold a few pieces of text instead of whole files
/// (two 48 MB files at once were a fifth of the peak memory of a 100k-paper load).
pub struct PieceReader {
    handle: std::fs::File,
    /// The file as opened; `None` when its metadata could not be read (abstracts are then
    /// held).
    stamp: Option<Arc<FileStamp>>,
    display: PathBuf,
    /// Bytes read and not yet handed out; they start at file offset `offset`, line `line`.
    buf: Vec<u8>,
    offset: u64,
    line: usize,
    at_end: bool,
    /// Where in `buf` to look on for the next piece's start: lines before it were judged
    /// (a record larger than a piece is not scanned again each time more of it is read).
    scan_from: usize,
    /// Bytes read from the file so far.
    pub bytes_read: u64,
    /// Its invalid UTF-8 and NULs so far.
    stray: StrayBytes,
}

/// One piece of a file read by [`PieceReader`].
pub struct Piece {
    text: String,
    /// File offset of `text`'s first byte and the line it starts on.
    offset: u64,
    line: usize,
    /// The file as read, when `text` is its bytes unchanged.
    stamp: Option<Arc<FileStamp>>,
    problems: Vec<Problem>,
    /// No piece follows.
    pub last: bool,
}

impl PieceReader {
    /// A reader of the opened file, which must be PubTator.
    pub fn new(file: &InputFile, opened: OpenedFile) -> PieceReader {
        let mut reader = PieceReader {
            handle: opened.handle,
            stamp: opened.stamp,
            display: file.display.clone(),
            bytes_read: opened.head.len() as u64,
            buf: opened.head,
            offset: 0,
            line: 1,
            at_end: false,
            scan_from: 0,
            stray: StrayBytes::default(),
        };
        if reader.buf.starts_with(b"\xEF\xBB\xBF") {
            reader.buf.drain(..3);
            reader.offset = 3;
        }
        reader
    }

    /// The next piece, `None` after the last.
    pub fn next_piece(&mut self) -> Option<Piece> {
        use std::io::Read;
        let mut problems = Vec::new();
        let cut = loop {
            if self.buf.len() > PIECE_BYTES {
                let from = self.scan_from.max(PIECE_BYTES);
                if let Some(cut) = formats::pubtator::record_start_after(&self.buf, from, false) {
                    break cut;
                }
                // Every line up to the last newline was judged; the one after it is not
                // complete yet.
                self.scan_from =
                    memchr::memrchr(b'\n', &self.buf[from..]).map_or(from, |nl| from + nl);
            }
            if self.at_end {
                if self.buf.is_empty() {
                    if problems.is_empty() && self.stray.all_reported() {
                        return None;
                    }
                    // Nothing more to parse, but why must still be said.
                    break 0;
                }
                break self.buf.len();
            }
            if self.bytes_read > MAX_FILE_BYTES {
                problems.push(Problem::new(
                    &self.display,
                    None,
                    format!(
                        "file grew over the {} MB limit while it was read; the rest skipped",
                        MAX_FILE_BYTES / (1024 * 1024)
                    ),
                ));
                self.at_end = true;
                continue;
            }
            let before = self.buf.len();
            // Read into the room the buffer has, so it is never reallocated: room for a
            // whole piece and some made up front (grown as `read_to_end` grows it, each
            // piece was a dozen reallocations and copies, a tenth of the parse threads'
            // time), and read whole, so that the record the piece ends in is there too.
            // Reading a piece's worth into a buffer that already held part of one doubled
            // it, copying a megabyte, for most pieces.
            if self.buf.capacity() - self.buf.len() < READ_SLACK / 2 {
                self.buf.reserve(PIECE_BYTES + READ_SLACK);
            }
            let room = self.buf.capacity() - self.buf.len();
            // Only what tops the buffer up to a piece and its slack, while it holds less:
            // filling all the room grew the rest after each cut by the slack, up to a
            // megabyte copied into the next piece's buffer (half a piece on average).
            let want = match (PIECE_BYTES + READ_SLACK).checked_sub(self.buf.len()) {
                Some(short) if short > 0 => short.min(room),
                _ => room,
            };
            match (&mut self.handle)
                .take(want as u64)
                .read_to_end(&mut self.buf)
            {
                Ok(0) => self.at_end = true,
                Ok(n) => self.bytes_read += n as u64,
                Err(e) => {
                    self.buf.truncate(before);
                    problems.push(Problem::new(
                        &self.display,
                        None,
                        format!("cannot read past byte {}: {e}", self.bytes_read),
                    ));
                    self.at_end = true;
                }
            }
        };
        // The rest starts the next piece, in a buffer with room for the piece to come.
        let mut rest = Vec::with_capacity(self.buf.len() - cut + PIECE_BYTES + READ_SLACK);
        rest.extend_from_slice(&self.buf[cut..]);
        self.buf.truncate(cut);
        self.scan_from = 0;
        let bytes = std::mem::replace(&mut self.buf, rest);
        let (offset, line) = (self.offset, self.line);
        self.offset += bytes.len() as u64;
        self.line += memchr::memchr_iter(b'\n', &bytes).count();
        // PubTator problems are placed by line, which replacements do not move.
        let (text, replacements, repaired) =
            repaired_text(bytes, &self.display, line, offset, &mut self.stray);
        // A repaired piece is not the file's bytes: its abstracts are held.
        let stamp = self.stamp.clone().filter(|_| replacements.is_empty());
        problems.extend(repaired);
        let last = self.at_end && self.buf.is_empty();
        if last {
            problems.extend(self.stray.rest(&self.display));
        }
        Some(Piece {
            text,
            offset,
            line,
            stamp,
            problems,
            last,
        })
    }
}

impl Piece {
    /// The piece's papers and problems (`path` as problems name the file).
    pub fn parse(self, path: &Path) -> Parsed {
        let in_file = self.stamp.as_ref().map(|file| InFile {
            file,
            offset: self.offset,
        });
        let mut parsed = formats::pubtator::parse_from_line(&self.text, path, self.line, in_file);
        let mut problems = self.problems;
        problems.append(&mut parsed.problems);
        parsed.problems = problems;
        parsed
    }
}

/// The text of `paper`'s abstract, read from its file when the paper keeps only its place;
/// `Err` says why it cannot be shown (the file changed or went since it was loaded).
pub fn read_abstract(paper: &Paper) -> Result<Option<Cow<'_, str>>, String> {
    match &paper.abstract_text {
        None => Ok(None),
        Some(AbstractText::Held(text)) => Ok(Some(Cow::Borrowed(text))),
        Some(AbstractText::InFile(place)) => read_place(place).map(|t| Some(Cow::Owned(t))),
    }
}

/// The text at `place`, if its file is still as it was when it was read.
pub fn read_place(place: &FilePlace) -> Result<String, String> {
    use std::io::{Read, Seek, SeekFrom};
    let path = &place.file.path;
    let changed = || {
        format!(
            "{} changed since it was loaded; reload (R) to read it again",
            path.display()
        )
    };
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let mut handle = std::fs::File::open(path).map_err(cannot)?;
    let meta = handle.metadata().map_err(cannot)?;
    if meta.len() != place.file.len || meta.modified().ok() != place.file.modified {
        return Err(changed());
    }
    // A file rewritten to the same size with its time kept (`cp -p`, `rsync -a`, a second
    // write within the file system's time step) passes the stamp: the place must still be
    // an abstract line's text, `|a|` before it and the line's end after it.
    const BEFORE: &[u8] = b"|a|";
    let len = place.len as usize;
    let from = place
        .start
        .checked_sub(BEFORE.len() as u64)
        .ok_or_else(changed)?;
    handle.seek(SeekFrom::Start(from)).map_err(cannot)?;
    let mut bytes = Vec::with_capacity(BEFORE.len() + len + 1);
    (&mut handle)
        .take((BEFORE.len() + len + 1) as u64)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    let line_ends = matches!(bytes.get(BEFORE.len() + len), None | Some(b'\n' | b'\r'));
    if bytes.len() < BEFORE.len() + len || !bytes.starts_with(BEFORE) || !line_ends {
        return Err(changed());
    }
    bytes.truncate(BEFORE.len() + len);
    bytes.drain(..BEFORE.len());
    String::from_utf8(bytes).map_err(|_| changed())
}

/// 1-based line of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    memchr::memchr_iter(b'\n', &bytes[..at.min(bytes.len())]).count() + 1
}

/// Loads every paper under `paths`, parsing files in parallel and merging in path order, so
/// the result does not depend on thread timing.
pub fn load(paths: &[PathBuf]) -> (Library, LoadReport) {
    let mut report = LoadReport::default();
    let files = find_files(paths, &mut report.problems);
    let parse_all = || -> Vec<(Parsed, u64)> { files.par_iter().map(parse_file).collect() };
    // Threads of its own: their pools of shared names (`formats::shared`) end with them,
    // rather than keep a replaced library's names alive on the global pool's threads (a
    // reload loads here).
    let parsed = match rayon::ThreadPoolBuilder::new().build() {
        Ok(pool) => pool.install(parse_all),
        Err(_) => parse_all(),
    };
    let mut library = Library::new();
    library.set_file_order(files.iter().map(|f| f.display.as_path()));
    for (p, bytes) in parsed {
        // A file skipped or not readable comes with no bytes.
        if bytes > 0 {
            report.files_read += 1;
            report.bytes += bytes;
        }
        library.add_parsed(p, &mut report);
    }
    library.sort_problems(&mut report.problems);
    report.skipped = report
        .problems
        .iter()
        .filter(|p| p.skipped.is_some())
        .map(|p| p.path.clone())
        .collect();
    (library, report)
}

/// What a background load reports, in order: `Found`, then each file's papers (as one `File`
/// or as `Batch`es, the last with `file_done`; files in completion order), then `Done`.
#[derive(Debug)]
pub enum LoadEvent {
    /// The walk is over: this many input files will be parsed.
    Found {
        files: usize,
        /// The files in [`find_files`]' order, as papers' sources name them (as opened,
        /// [`InputFile::display`]), for [`Library::set_file_order`].
        paths: Vec<PathBuf>,
        /// Their total size: the library reserves room for the papers it will hold, so
        /// growing its tables never stalls the UI thread halfway through a large load.
        bytes: u64,
        walk_problems: Vec<Problem>,
    },
    /// One file parsed (`bytes` is 0 when it was skipped).
    File { parsed: Parsed, bytes: u64 },
    /// Up to [`BATCH_PAPERS`] papers of a file with their search docs (one per paper, in
    /// order), built on the loader threads. `file_done` marks the file's last batch, which
    /// carries its problems and `bytes` (0 when skipped).
    Batch {
        parsed: Parsed,
        docs: Vec<SearchDoc>,
        file_done: bool,
        bytes: u64,
        /// Bytes of input this batch finishes (its piece's size, on the piece's last
        /// batch), for the progress shown while loading.
        progress_bytes: u64,
    },
    /// Every file has been sent.
    Done,
}

/// Events the loader may have sent ahead of the UI thread taking them.
const LOAD_QUEUE: usize = 16;

/// Papers per [`LoadEvent::Batch`]: merging this many into the library takes a millisecond
/// or two (256 took up to 8 ms at 100k papers), so the UI thread applies batches between
/// keys within its turn's budget without stalling them.
pub const BATCH_PAPERS: usize = 64;

/// Sends one parsed file (or piece of one) as batches with search docs, each as soon as its
/// docs are built. Its last batch is marked `file_done`, with the file's bytes, when
/// `last_piece()` gives them: no other piece of the file is still being parsed. Batches of
/// different files and pieces may interleave.
fn send_batches<E>(
    parsed: Parsed,
    piece_bytes: u64,
    interner: Option<&DocInterner>,
    last_piece: impl FnOnce() -> Option<u64>,
    mut send: impl FnMut(LoadEvent) -> Result<(), E>,
) -> Result<(), E> {
    let mut last_piece = Some(last_piece);
    let Parsed { papers, problems } = parsed;
    let mut problems = Some(problems);
    let mut papers = papers.into_iter();
    loop {
        let batch: Vec<Paper> = papers.by_ref().take(BATCH_PAPERS).collect();
        let file_bytes = if papers.len() == 0 {
            last_piece.take().and_then(|last| last())
        } else {
            None
        };
        let file_done = file_bytes.is_some();
        let docs = batch
            .iter()
            .map(|p| match interner {
                Some(interner) => interner.doc(0, p),
                None => SearchDoc::for_worker(0, p),
            })
            .collect();
        let end = papers.len() == 0;
        let problems = if end {
            problems.take().unwrap_or_default()
        } else {
            Vec::new()
        };
        let bytes = file_bytes.unwrap_or(0);
        send(LoadEvent::Batch {
            parsed: Parsed {
                papers: batch,
                problems,
            },
            docs,
            file_done,
            bytes,
            progress_bytes: if end { piece_bytes } else { 0 },
        })?;
        if end {
            return Ok(());
        }
    }
}

/// Loads in background threads (parsing on all cores) and streams what it finds, so the
/// first frame never waits for the disk. Dropping the receiver stops the load.
pub fn spawn_loader(paths: Vec<PathBuf>) -> std::sync::mpsc::Receiver<LoadEvent> {
    spawn_loader_for(paths, None)
}

/// [`spawn_loader`] building the search docs with the worker's `interner`, so they carry
/// numbers instead of copies of every text.
pub fn spawn_loader_for(
    paths: Vec<PathBuf>,
    interner: Option<Arc<DocInterner>>,
) -> std::sync::mpsc::Receiver<LoadEvent> {
    spawn_loader_waking(paths, interner, Waker::default())
}

/// [`spawn_loader_for`] calling `waker` once it has sent its last event: the loop then
/// finishes the load at once rather than at its next look. Not for each batch: the loop
/// takes those at its own pace, and waking it for each (one every millisecond or so) drew
/// a frame for each.
pub fn spawn_loader_waking(
    paths: Vec<PathBuf>,
    interner: Option<Arc<DocInterner>>,
    waker: Waker,
) -> std::sync::mpsc::Receiver<LoadEvent> {
    // Bounded: when the UI thread merges more slowly than the files parse, parsed papers
    // and their docs wait in the parse threads' hands instead of piling up here.
    let (tx, rx) = std::sync::mpsc::sync_channel(LOAD_QUEUE);
    std::thread::Builder::new()
        .name("tomes-loader".into())
        .spawn(move || {
            crate::threads::lower_priority();
            // A pool of its own, its threads at a lower priority (the global pool serves
            // the search worker's and the CLI's parallel work at normal priority).
            let pool = rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("tomes-parse-{i}"))
                .start_handler(|_| crate::threads::lower_priority())
                .build();
            let pool = match pool {
                Ok(pool) => pool,
                Err(_) => rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .build()
                    .expect("a one-thread pool"),
            };
            let mut walk_problems = Vec::new();
            let files = find_files(&paths, &mut walk_problems);
            let sizes: Vec<u64> = files
                .iter()
                .map(|f| std::fs::metadata(&f.path).map_or(0, |m| m.len()))
                .collect();
            let bytes = sizes.iter().sum();
            // Largest files first, one file per task: a big file started last parsed alone
            // while the other core idled (the corpora: 100 ms of one thread on biored after
            // the other had finished). Records merge in source order whatever order they
            // arrive in, so the library is the same.
            let mut largest_first: Vec<usize> = (0..files.len()).collect();
            largest_first.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
            let found = LoadEvent::Found {
                files: files.len(),
                paths: files.iter().map(|f| f.display.clone()).collect(),
                bytes,
                walk_problems,
            };
            if tx.send(found).is_err() {
                return;
            }
            let interner = interner.as_deref();
            let _ = pool.install(|| {
                largest_first.par_iter().with_max_len(1).try_for_each(|&i| {
                    let f = &files[i];
                    let skipped = |parsed: Parsed| {
                        // Skipped or unreadable: its whole size is done with, none of it read.
                        let size = std::fs::metadata(&f.path).map_or(0, |m| m.len());
                        let send = |e| tx.send(e);
                        send_batches(parsed, size, interner, || Some(0), send)
                    };
                    let opened = match open_file(f) {
                        Ok(opened) => opened,
                        Err(skipped_file) => return skipped(skipped_file),
                    };
                    if opened.format == Format::PubTator && opened.size > PIECE_BYTES as u64 {
                        return stream_pieces(f, opened, interner, &tx);
                    }
                    let read = match read_rest(f, opened) {
                        Ok(read) => read,
                        Err(skipped_file) => return skipped(skipped_file),
                    };
                    let pieces = read.pieces();
                    let unfinished = AtomicUsize::new(pieces.len());
                    let early_problems = Mutex::new(Some(read.problems.clone()));
                    pieces.into_par_iter().try_for_each(|(range, line)| {
                        let piece_bytes = range.len() as u64;
                        let mut parsed = read.parse_piece(range, line, &f.display);
                        f.key_papers(&mut parsed.papers);
                        if let Some(mut early) =
                            early_problems.lock().ok().and_then(|mut p| p.take())
                        {
                            early.append(&mut parsed.problems);
                            parsed.problems = early;
                        }
                        let last = || {
                            (unfinished.fetch_sub(1, Ordering::SeqCst) == 1).then_some(read.bytes)
                        };
                        let send = |e| tx.send(e);
                        send_batches(parsed, piece_bytes, interner, last, send)
                    })
                })
            });
            let _ = tx.send(LoadEvent::Done);
            waker.wake();
        })
        .expect("spawn loader thread");
    rx
}

/// Parses a large PubTator file as [`PieceReader`] reads it: each parse thread takes the
/// next piece, so only a few pieces of text are held at a time, and sends its papers.
fn stream_pieces(
    file: &InputFile,
    opened: OpenedFile,
    interner: Option<&DocInterner>,
    tx: &std::sync::mpsc::SyncSender<LoadEvent>,
) -> Result<(), std::sync::mpsc::SendError<LoadEvent>> {
    // The reader until it has handed out its last piece.
    let reader = Mutex::new(Some(PieceReader::new(file, opened)));
    let unsent = UnsentPieces::new();
    (0..rayon::current_num_threads())
        .into_par_iter()
        .with_max_len(1)
        .try_for_each(|_| {
            loop {
                let piece = {
                    let Ok(mut slot) = reader.lock() else {
                        return Ok(());
                    };
                    let Some(pieces) = slot.as_mut() else {
                        return Ok(());
                    };
                    let piece = pieces.next_piece();
                    if piece.is_some() {
                        unsent.taken();
                    }
                    if piece.as_ref().is_none_or(|p| p.last) {
                        let bytes = pieces.bytes_read;
                        *slot = None;
                        if let Some(bytes) = unsent.reader_done(bytes) {
                            // It handed out no piece at all (the file emptied since it was
                            // opened): the file is still done with.
                            drop(slot);
                            let send = |e| tx.send(e);
                            return send_batches(
                                Parsed::default(),
                                0,
                                interner,
                                || Some(bytes),
                                send,
                            );
                        }
                    }
                    match piece {
                        Some(piece) => piece,
                        None => return Ok(()),
                    }
                };
                let piece_bytes = piece.text.len() as u64;
                let mut parsed = piece.parse(&file.display);
                file.key_papers(&mut parsed.papers);
                send_batches(
                    parsed,
                    piece_bytes,
                    interner,
                    || unsent.sent(),
                    |e| tx.send(e),
                )?;
            }
        })
}

/// Which piece of a streamed file is its last to be sent: one count of the pieces taken and
/// not yet sent, plus one while the reader may hand out more. Whoever takes it to zero
/// finishes the file, so exactly one does, whatever the threads' timing (two separate
/// atomics let a piece sent just as the last was taken finish the file a second time).
struct UnsentPieces {
    count: AtomicUsize,
    /// The file's bytes, set when the reader is done.
    bytes: std::sync::atomic::AtomicU64,
}

impl UnsentPieces {
    fn new() -> UnsentPieces {
        UnsentPieces {
            count: AtomicUsize::new(1),
            bytes: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// A piece was taken from the reader (before the reader is done).
    fn taken(&self) {
        self.count.fetch_add(1, Ordering::SeqCst);
    }

    /// The reader handed out its last piece (or has none), having read `bytes`: the file's
    /// bytes when no piece is left to send.
    fn reader_done(&self, bytes: u64) -> Option<u64> {
        self.bytes.store(bytes, Ordering::SeqCst);
        self.finish()
    }

    /// A piece was sent: the file's bytes when it was the file's last.
    fn sent(&self) -> Option<u64> {
        self.finish()
    }

    fn finish(&self) -> Option<u64> {
        (self.count.fetch_sub(1, Ordering::SeqCst) == 1).then(|| self.bytes.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_sort_by_file_order_then_line() {
        let mut library = Library::new();
        library.set_file_order([Path::new("b.txt"), Path::new("a.txt")]);
        let mut problems = vec![
            Problem::new("a.txt", Some(3), "a3"),
            Problem::new("b.txt", Some(9), "b9"),
            Problem::new("folder", None, "unreadable"),
            Problem::new("b.txt", Some(2), "b2 first"),
            Problem::new("b.txt", Some(2), "b2 second"),
            Problem::new("b.txt", None, "whole file"),
            Problem::new("a.txt", Some(1), "a1 byte 90").at_byte(90),
            Problem::new("a.txt", Some(1), "a1 byte 7").at_byte(7),
        ];
        library.sort_problems(&mut problems);
        let order: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            order,
            [
                "unreadable",
                "whole file",
                "b2 first",
                "b2 second",
                "b9",
                "a1 byte 7",
                "a1 byte 90",
                "a3"
            ]
        );
    }
    use crate::model::Format;

    /// Every position of the text decoded from bytes with invalid UTF-8 maps back to the
    /// byte of the file it came from (one within a U+FFFD to the first byte it stands for),
    /// whether a U+FFFD stands for one byte, two (a cut 3-byte character) or three.
    #[test]
    fn replaced_text_positions_map_back_to_the_files_bytes() {
        let cases: &[&[u8]] = &[
            b"ab\xffcd",
            b"\xff\xfe<x>\xffz",
            b"a\xe2\x82b",
            b"\xf0\x9f\x98z\xe2\x82",
            b"<t>Bad \xed\xa0\x80 title</t>",
            b"caf\xc3\xa9 \xe9t\xe9",
        ];
        for &bytes in cases {
            let (text, replacements) = Replacements::decode(bytes);
            assert_eq!(text, String::from_utf8_lossy(bytes), "{bytes:?}");
            assert!(!replacements.is_empty());
            // Walk text and file together: a valid char is the same bytes in both, a
            // U+FFFD is the invalid bytes it replaced.
            let mut file_pos = 0;
            for (text_pos, c) in text.char_indices() {
                if c == char::REPLACEMENT_CHARACTER {
                    for inside in text_pos..text_pos + 3 {
                        let got = replacements.file_position(inside as u64);
                        assert_eq!(got, file_pos as u64, "{bytes:?} at {inside}");
                    }
                    let len = bytes[file_pos..]
                        .utf8_chunks()
                        .next()
                        .unwrap()
                        .invalid()
                        .len();
                    file_pos += len;
                } else {
                    let got = replacements.file_position(text_pos as u64);
                    assert_eq!(got, file_pos as u64, "{bytes:?} at {text_pos}");
                    assert_eq!(bytes[file_pos], text.as_bytes()[text_pos]);
                    file_pos += c.len_utf8();
                }
            }
            assert_eq!(file_pos, bytes.len());
            let end = replacements.file_position(text.len() as u64);
            assert_eq!(end, bytes.len() as u64, "{bytes:?}");
        }
        // Valid text holds no table.
        let (text, replacements, problems) = repaired_text(
            b"caf\xc3\xa9".to_vec(),
            Path::new("v"),
            1,
            0,
            &mut StrayBytes::default(),
        );
        assert_eq!((text.as_str(), problems), ("café", Vec::new()));
        assert_eq!(replacements.after.capacity(), 0);
    }

    /// Exactly one piece of a streamed file finishes it, with the file's bytes, in any order
    /// of taking and sending: a piece sent just before the last is taken, the last sent
    /// before an earlier one, and a reader that hands out nothing.
    #[test]
    fn one_piece_finishes_a_streamed_file() {
        // A's piece is sent before B takes the last: A does not finish the file.
        let unsent = UnsentPieces::new();
        unsent.taken();
        assert_eq!(unsent.sent(), None);
        unsent.taken();
        assert_eq!(unsent.reader_done(30), None);
        assert_eq!(unsent.sent(), Some(30));
        // The last piece sent before an earlier one: the earlier one finishes.
        let unsent = UnsentPieces::new();
        unsent.taken();
        unsent.taken();
        assert_eq!(unsent.reader_done(20), None);
        assert_eq!(unsent.sent(), None);
        assert_eq!(unsent.sent(), Some(20));
        // Nothing handed out: the reader finishes the file itself.
        assert_eq!(UnsentPieces::new().reader_done(0), Some(0));
    }

    /// The reader cuts a file where cutting it whole does, also after a record larger than a
    /// piece (read in several reads before a title line follows) whose next title line is
    /// cut by a read, and its pieces are the file's bytes at their offsets.
    #[test]
    fn pieces_read_a_piece_at_a_time_are_cut_as_the_whole_file_is() {
        use std::fmt::Write as _;
        let mut text = String::from("\u{feff}");
        let small = |text: &mut String, n: usize| {
            writeln!(text, "{n}|t|Title {n}\n{n}|a|Abstract {n}.").unwrap();
            writeln!(text, "{n}\t0\t5\tTitle\tGene\t672\n").unwrap();
        };
        small(&mut text, 0);
        // Record 1 is two pieces long; the reader reads the head (and drops the BOM), tops
        // it up to a piece and its slack, then, finding no record start, doubles its buffer
        // and fills it: record 2's title line starts 5 bytes before that second read's end.
        let first_buffer = HEAD_BYTES - 3 + PIECE_BYTES + READ_SLACK;
        let title_at = 3 + 2 * first_buffer - 5;
        writeln!(text, "1|t|Title 1\n1|a|Abstract 1.").unwrap();
        while text.len() < title_at - 100 {
            writeln!(text, "1\t0\t5\tTitle\tGene\t672").unwrap();
        }
        let pad = title_at - text.len() - "1\t0\t5\t\tGene\t672\n\n".len();
        writeln!(text, "1\t0\t5\t{}\tGene\t672\n", "x".repeat(pad)).unwrap();
        assert_eq!(text.len(), title_at);
        let mut n = 2;
        while text.len() < 6 * PIECE_BYTES {
            small(&mut text, n);
            n += 1;
        }
        let (_dir, mut reader) = reader_over(&text);
        let mut read = Vec::new();
        let mut lasts = Vec::new();
        while let Some(piece) = reader.next_piece() {
            lasts.push(piece.last);
            read.push((piece.offset as usize, piece.line, piece.text));
        }
        assert_eq!(lasts.iter().filter(|&&l| l).count(), 1);
        assert_eq!(lasts.last(), Some(&true));
        let whole: Vec<_> = formats::pubtator::chunks(&text[3..], PIECE_BYTES)
            .into_iter()
            .map(|(range, line)| (range.start + 3, line, text[3..][range].to_string()))
            .collect();
        assert!(whole.len() >= 4, "{} pieces", whole.len());
        assert_eq!(whole[1].0, title_at, "record 2 starts the second piece");
        assert_eq!(read.len(), whole.len());
        for (r, w) in read.iter().zip(&whole) {
            assert_eq!((r.0, r.1), (w.0, w.1));
            assert!(r.2 == w.2, "piece at {}", r.0);
        }
        assert_eq!(reader.bytes_read, text.len() as u64);
    }

    /// A piece reader over `text` written to a file `big.pubtator` (kept while the folder
    /// is).
    fn reader_over(text: &str) -> (tempfile::TempDir, PieceReader) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.pubtator");
        std::fs::write(&path, text).unwrap();
        let file = InputFile {
            path,
            display: "big.pubtator".into(),
            key_name: "big.pubtator".into(),
            named: true,
        };
        let reader = PieceReader::new(&file, open_file(&file).ok().unwrap());
        (dir, reader)
    }

    /// Between pieces the reader holds no more than the slack it read past the last cut:
    /// it read all the room its buffer had, so the rest grew by the slack each piece, up to
    /// a megabyte copied into the next piece's buffer.
    #[test]
    fn piece_reader_carries_over_at_most_its_slack() {
        use std::fmt::Write as _;
        let mut text = String::new();
        let mut n = 0;
        while text.len() < 12 * PIECE_BYTES {
            writeln!(text, "{n}|t|Title {n}\n{n}|a|Abstract {n}.").unwrap();
            writeln!(text, "{n}\t0\t5\tTitle\tGene\t672\n").unwrap();
            n += 1;
        }
        let (_dir, mut reader) = reader_over(&text);
        let mut pieces = 0;
        let mut whole = String::new();
        while let Some(piece) = reader.next_piece() {
            pieces += 1;
            whole.push_str(&piece.text);
            assert!(
                reader.buf.len() <= READ_SLACK,
                "{} bytes carried over",
                reader.buf.len()
            );
        }
        assert!(pieces >= 12, "{pieces} pieces");
        assert!(whole == text);
    }

    /// Threads taking and sending pieces as `stream_pieces` does: one finish per file.
    #[test]
    fn one_piece_finishes_a_streamed_file_whatever_the_threads_timing() {
        for round in 0..2000 {
            let pieces = 1 + round % 4;
            let reader = Mutex::new(Some(0));
            let unsent = UnsentPieces::new();
            let finished = AtomicUsize::new(0);
            std::thread::scope(|s| {
                for _ in 0..3 {
                    s.spawn(|| {
                        loop {
                            {
                                let mut slot = reader.lock().unwrap();
                                let Some(taken) = slot.as_mut() else { return };
                                *taken += 1;
                                unsent.taken();
                                if *taken == pieces {
                                    *slot = None;
                                    if unsent.reader_done(7).is_some() {
                                        finished.fetch_add(1, Ordering::SeqCst);
                                    }
                                }
                            }
                            if let Some(bytes) = unsent.sent() {
                                assert_eq!(bytes, 7);
                                finished.fetch_add(1, Ordering::SeqCst);
                            }
                        }
                    });
                }
            });
            assert_eq!(finished.load(Ordering::SeqCst), 1, "round {round}");
        }
    }

    fn pubtator(text: &str, file: &str) -> Parsed {
        formats::parse(Format::PubTator, text, Path::new(file))
    }

    /// PMIDs are looked up as numbers where the number spells them exactly; one with a
    /// leading zero, too large for a u32 or not a number is a key of its own, as it was
    /// when every key was a string.
    #[test]
    fn pmids_of_every_spelling_find_and_merge_their_papers() {
        let pmids = [
            "7",
            "007",
            "0",
            "4294967295",
            "4294967296",
            "99999999999",
            "x1",
            "+8",
        ];
        let record = |pmid: &str| Paper {
            key: PaperKey(format!("PMID:{pmid}")),
            ids: crate::model::PaperIds {
                pmid: Some(pmid.to_owned()),
                ..Default::default()
            },
            title: format!("Paper {pmid}"),
            ..Paper::default()
        };
        let mut lib = Library::new();
        for round in 0..2 {
            for (i, pmid) in pmids.iter().enumerate() {
                assert_eq!(
                    lib.add(record(pmid)),
                    (i as PaperIdx, None),
                    "{round} {pmid}"
                );
            }
        }
        assert_eq!(lib.len(), pmids.len());
        for (i, pmid) in pmids.iter().enumerate() {
            assert_eq!(
                lib.find(&format!("PMID:{pmid}")),
                Some(i as PaperIdx),
                "{pmid}"
            );
            // A bare number is a PMID; what is no PMID (`x1`, zeros alone) is only its key.
            let bare = pmid.bytes().all(|b| b.is_ascii_digit()) && *pmid != "0";
            let found = bare.then_some(i as PaperIdx);
            assert_eq!(lib.find(pmid), found, "{pmid}");
        }
        for other in ["PMID:8", "PMID:00", "PMID:"] {
            assert_eq!(lib.find(other), None, "{other}");
        }
        // A PMID written with zeros no paper's has is the PMID without them.
        assert_eq!(lib.find("PMID:07"), Some(0));
        assert_eq!(lib.find("0007"), Some(0));
    }

    #[test]
    fn room_is_reserved_for_the_papers_the_input_may_hold() {
        let mut lib = Library::new();
        lib.reserve_for_bytes(20_000_000);
        assert!(lib.papers.capacity() >= 10_000);
        assert!(lib.by_merge_key.capacity() >= 10_000);
        // A huge folder of other files does not reserve without bound.
        let mut lib = Library::new();
        lib.reserve_for_bytes(u64::MAX);
        assert!(lib.papers.capacity() <= 2 * MAX_RESERVED_PAPERS);
    }

    #[test]
    fn uniting_keeps_order_and_adds_each_missing_item_once_short_or_long() {
        for n in [3usize, 40] {
            let mut into: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
            let from: Vec<String> = ["a1", "b", "a2", "b", "c"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let mut expected = into.clone();
            expected.extend(["b".to_string(), "c".to_string()]);
            unite_hashed(&mut into, from);
            assert_eq!(into, expected, "{n} items before");
        }
    }

    #[test]
    fn united_spans_are_sorted_and_keep_what_was_there() {
        let span = |start, end| Span { start, end };
        let mut into = vec![span(9, 12), span(0, 4), span(0, 4)];
        unite_spans(
            &mut into,
            vec![span(0, 4), span(20, 24), span(5, 8), span(20, 24)],
        );
        let expected = vec![
            span(0, 4),
            span(0, 4),
            span(5, 8),
            span(9, 12),
            span(20, 24),
        ];
        assert_eq!(into, expected);
    }

    #[test]
    fn entity_positions_find_the_first_entity_with_a_key_even_when_hashes_collide() {
        let entity = |key: &str| PaperEntity {
            key: EntityKey(key.into()),
            kind: EntityKind::Gene,
            name: key.into(),
            description: None,
            aliases: Box::default(),
            mentions: 1,
            spans: Box::default(),
            named_by_group: false,
            name_weight: 1,
        };
        let entities = vec![entity("A:1"), entity("B:2"), entity("A:1")];
        let mut positions = EntityPositions::of(&entities);
        assert_eq!(positions.find(&entities, &EntityKey("A:1".into())), Some(0));
        assert_eq!(positions.find(&entities, &EntityKey("B:2".into())), Some(1));
        assert_eq!(positions.find(&entities, &EntityKey("C:3".into())), None);
        // As if B:2 hashed like A:1: the map points at A:1, the scan finds B:2.
        let b_hash = positions.hash(&EntityKey("B:2".into()));
        positions.first.insert(b_hash, 0);
        assert_eq!(positions.find(&entities, &EntityKey("B:2".into())), Some(1));
    }

    /// A paper loaded from two files counts its names for an entity once, whichever order
    /// the records and other papers come in: here paper 7 calls TP53 "Alpha" twice, paper 8
    /// calls it "Beta" three times, so "Beta" is shown (counting 7's first record again when
    /// the second merged into it made it "Alpha", 4 to 3).
    #[test]
    fn merged_records_count_their_names_once() {
        let seven =
            "7|t|Alpha, Alpha.\n7|a|x\n7\t0\t5\tAlpha\tGene\t7157\n7\t7\t12\tAlpha\tGene\t7157\n";
        let eight = "8|t|Beta Beta Beta.\n8|a|x\n8\t0\t4\tBeta\tGene\t7157\n\
                     8\t5\t9\tBeta\tGene\t7157\n8\t10\t14\tBeta\tGene\t7157\n";
        let orders = [
            [(seven, "a"), (seven, "b"), (eight, "c")],
            [(eight, "c"), (seven, "a"), (seven, "b")],
            [(seven, "a"), (eight, "c"), (seven, "b")],
        ];
        for order in orders {
            let mut lib = Library::new();
            let mut report = LoadReport::default();
            for (text, file) in order {
                lib.add_parsed(pubtator(text, &format!("{file}.pubtator")), &mut report);
            }
            assert_eq!(lib.len(), 2);
            let e = lib
                .index()
                .by_key(&EntityKey("NCBIGene:7157".into()))
                .expect("TP53");
            assert_eq!(lib.index().entity(e).name, "Beta", "{order:?}");
        }
    }

    /// Records of one paper spelling a name with and without the comma its span caught
    /// (biored and nlm-gene both annotate `TGF-beta,` in PMID 27248656) give the merged
    /// paper and the entity index one name, no alias `TGF-beta,`.
    #[test]
    fn spellings_differing_in_a_caught_comma_merge_into_one_name() {
        let comma = "7|t|TGF-beta, IL6.\n7|a|x\n7\t0\t9\tTGF-beta,\tGene\t7040\n";
        let plain = "7|t|TGF-beta, IL6.\n7|a|x\n7\t0\t8\tTGF-beta\tGene\t7040\n";
        let tgfb = EntityKey("NCBIGene:7040".into());
        for order in [[comma, plain], [plain, comma]] {
            let mut lib = Library::new();
            let mut report = LoadReport::default();
            for (i, text) in order.into_iter().enumerate() {
                lib.add_parsed(pubtator(text, &format!("{i}.pubtator")), &mut report);
            }
            assert!(report.problems.is_empty(), "{:?}", report.problems);
            let merged = &lib.paper(0).entities[0];
            let spans: Vec<(u32, u32)> = merged.spans.iter().map(|s| (s.start, s.end)).collect();
            assert_eq!(
                (
                    merged.name.as_str(),
                    merged.aliases.len(),
                    merged.mentions,
                    spans
                ),
                ("TGF-beta", 0, 1, vec![(0, 8)]),
                "{order:?}"
            );
            let e = lib.index().by_key(&tgfb).expect("TGFB1");
            let info = lib.index().entity(e);
            assert_eq!(
                (info.name.as_str(), info.aliases.len()),
                ("TGF-beta", 0),
                "{order:?}"
            );
        }
    }

    /// Two records of a paper that name an entity differently give the merged paper the same
    /// name in either order: a summary's name (its author's choice), else the name of the
    /// record that mentions the entity more. Keeping the first record's name made the name
    /// shown for TP53 ("p53", 3 mentions, against paper 8's "Beta", 4) depend on which file
    /// came first.
    /// Two records of a paper, one naming IL1B itself and one only in a family mention:
    /// merged in either order, the paper names it IL1B and the family is no alias; two
    /// records naming it only by groups keep one group's name, no aliases.
    #[test]
    fn a_records_own_name_beats_a_groups_in_either_order() {
        let own = "7|t|IL1B rises.\n7|a|IL-1beta\n7\t0\t4\tIL1B\tGene\t3553\n\
                   7\t12\t20\tIL-1beta\tGene\t3553\n";
        let family = "7|t|IL1B rises.\n7|a|cytokines\n\
                      7\t12\t21\tcytokines\tFamilyName\t3553,7124\n";
        let other_family = "7|t|IL1B rises.\n7|a|interleukins\n\
                            7\t12\t24\tinterleukins\tFamilyName\t3553,3552\n";
        let il1b = EntityKey("NCBIGene:3553".into());
        // Records loaded in this order, each from a file of its own; IL1B in the merged paper.
        let load = |order: [&str; 2]| {
            let mut lib = Library::new();
            let mut report = LoadReport::default();
            for (i, text) in order.into_iter().enumerate() {
                lib.add_parsed(pubtator(text, &format!("{i}.pubtator")), &mut report);
            }
            let merged = lib
                .paper(0)
                .entities
                .iter()
                .find(|e| e.key == il1b)
                .cloned();
            (lib, merged.expect("IL1B"))
        };
        for order in [[own, family], [family, own]] {
            let (lib, merged) = load(order);
            assert_eq!(
                (
                    merged.name.as_str(),
                    &*merged.aliases,
                    merged.named_by_group
                ),
                ("IL1B", &["IL-1beta".into()][..], false),
                "{order:?}"
            );
            let e = lib.index().by_key(&il1b).expect("IL1B");
            assert_eq!(lib.index().entity(e).name, "IL1B", "{order:?}");
            assert!(lib.index().lookup("cytokines").is_empty(), "{order:?}");
        }
        let mut names = Vec::new();
        for order in [[family, other_family], [other_family, family]] {
            let (lib, merged) = load(order);
            assert!(
                merged.named_by_group && merged.aliases.is_empty(),
                "{merged:?}"
            );
            names.push(merged.name.clone());
            let e = lib.index().by_key(&il1b).expect("IL1B");
            assert_eq!(lib.index().entity(e).name, "NCBIGene:3553", "{order:?}");
        }
        assert_eq!(names[0], names[1], "the same group's name either way");
    }

    /// A paper's records list their files in source order whatever order they load in (a
    /// helper saw a streamed paper's sources differ between runs).
    #[test]
    fn merged_records_list_their_sources_in_source_order() {
        let record = "7|t|Alpha.\n7|a|x\n";
        let orders = [
            [0, 1, 2],
            [0, 2, 1],
            [1, 0, 2],
            [1, 2, 0],
            [2, 0, 1],
            [2, 1, 0],
        ];
        for order in orders {
            let mut lib = Library::new();
            let mut report = LoadReport::default();
            for i in order {
                lib.add_parsed(pubtator(record, &format!("{i}.pubtator")), &mut report);
            }
            let files: Vec<String> = lib
                .paper(0)
                .sources
                .iter()
                .map(|s| s.path.display().to_string())
                .collect();
            assert_eq!(
                files,
                ["0.pubtator", "1.pubtator", "2.pubtator"],
                "{order:?}"
            );
        }
    }

    #[test]
    fn merged_records_name_an_entity_the_same_in_either_order() {
        let alpha = "7|t|Alpha and Alpha.\n7|a|x\n7\t0\t5\tAlpha\tGene\t7157\n\
                     7\t10\t15\tAlpha\tGene\t7157\n";
        let p53 = "7|t|Alpha and Alpha.\n7|a|p53 p53 p53\n7\t17\t20\tp53\tGene\t7157\n\
                   7\t21\t24\tp53\tGene\t7157\n7\t25\t28\tp53\tGene\t7157\n";
        let beta = "8|t|Beta Beta Beta Beta.\n8|a|x\n8\t0\t4\tBeta\tGene\t7157\n\
                    8\t5\t9\tBeta\tGene\t7157\n8\t10\t14\tBeta\tGene\t7157\n\
                    8\t15\t19\tBeta\tGene\t7157\n";
        let tp53 = EntityKey("NCBIGene:7157".into());
        for order in [[alpha, p53], [p53, alpha]] {
            let mut lib = Library::new();
            let mut report = LoadReport::default();
            for (i, text) in order.into_iter().chain([beta]).enumerate() {
                lib.add_parsed(pubtator(text, &format!("{i}.pubtator")), &mut report);
            }
            let merged = &lib.paper(0).entities[0];
            assert_eq!(
                (merged.name.as_str(), &*merged.aliases),
                ("p53", &["Alpha".into()][..]),
                "{order:?}"
            );
            let e = lib.index().by_key(&tp53).expect("TP53");
            // p53 5 (the merged paper's mentions), Beta 4, Alpha 1.
            assert_eq!(lib.index().entity(e).name, "p53", "{order:?}");
        }
        // A summary's name wins whichever record came first.
        let mut summary = Paper {
            key: PaperKey("PMID:7".into()),
            title: "Alpha and Alpha.".into(),
            ..Paper::default()
        };
        summary.ids.pmid = Some("7".into());
        summary.sources = vec![crate::model::SourceRef {
            path: std::path::Path::new("s.md").into(),
            line: 1,
            format: Format::SummaryMarkdown,
            byte: None,
        }];
        summary.entities = vec![PaperEntity {
            key: tp53.clone(),
            kind: EntityKind::Gene,
            name: "TP53".into(),
            description: None,
            aliases: Box::default(),
            mentions: 1,
            spans: Box::default(),
            named_by_group: false,
            // As the summary parser weighs a listed name.
            name_weight: PaperEntity::CHOSEN_NAME,
        }];
        for summary_first in [true, false] {
            let mut lib = Library::new();
            let mut report = LoadReport::default();
            if summary_first {
                lib.add(summary.clone());
            }
            lib.add_parsed(pubtator(p53, "a.pubtator"), &mut report);
            if !summary_first {
                lib.add(summary.clone());
            }
            assert_eq!(lib.len(), 1);
            assert_eq!(lib.paper(0).entities[0].name, "TP53", "{summary_first}");
            let e = lib.index().by_key(&tp53).expect("TP53");
            assert_eq!(lib.index().entity(e).name, "TP53", "{summary_first}");
        }
    }

    #[test]
    fn same_pmid_merges_spans_once_and_upgrades_kinds() {
        let mut lib = Library::new();
        let mut report = LoadReport::default();
        let a = "7|t|IL-1 and TP53.\n7|a|More.\n7\t0\t4\tIL-1\tFamilyName\t3553\n7\t9\t13\tTP53\tGene\t7157\n";
        let b = "7|t|IL-1 and TP53\n7|a|More.\n7\t0\t4\tIL-1\tGene\t3553\n7\t9\t13\tTP53\tGene\t7157\n7\t14\t18\tMore\tGene\t7157\n";
        lib.add_parsed(pubtator(a, "a.pubtator"), &mut report);
        lib.add_parsed(pubtator(b, "b.pubtator"), &mut report);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(lib.len(), 1);
        let p = &lib.papers()[0];
        assert_eq!(p.sources.len(), 2);
        let il1 = &p.entities[0];
        assert_eq!((il1.kind, il1.mentions), (EntityKind::Gene, 1));
        let tp53 = &p.entities[1];
        assert_eq!((tp53.mentions, tp53.spans.len()), (2, 2));
    }

    /// An entity's papers come most mentions first, ties in source order when it is given
    /// (here the files' order, b before a), else as loaded.
    #[test]
    fn an_entitys_papers_come_most_mentions_first_then_in_source_order() {
        let mut lib = Library::new();
        let mut report = LoadReport::default();
        // TP53 `mentions` times in the title, each at its own place.
        let record = |pmid: u32, mentions: usize| {
            let title = vec!["TP53"; mentions].join(" ");
            let mut text = format!("{pmid}|t|{title}\n{pmid}|a|x\n");
            for i in 0..mentions {
                let (start, end) = (5 * i, 5 * i + 4);
                text.push_str(&format!("{pmid}\t{start}\t{end}\tTP53\tGene\t7157\n"));
            }
            text
        };
        lib.set_file_order([Path::new("b.pubtator"), Path::new("a.pubtator")]);
        let a = format!("{}\n{}", record(1, 1), record(2, 5));
        let b = format!("{}\n{}", record(3, 5), record(4, 1));
        lib.add_parsed(pubtator(&a, "a.pubtator"), &mut report);
        lib.add_parsed(pubtator(&b, "b.pubtator"), &mut report);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let tp53 = lib
            .index()
            .by_key(&EntityKey("NCBIGene:7157".into()))
            .unwrap();
        let pmids = |order: Option<&SourceOrder>| -> Vec<String> {
            lib.papers_mentioning(tp53, order)
                .into_iter()
                .map(|p| lib.paper(p).key.to_string())
                .collect()
        };
        assert_eq!(pmids(None), ["PMID:2", "PMID:3", "PMID:1", "PMID:4"]);
        let order = SourceOrder::of(lib.order_keys());
        assert_eq!(
            pmids(Some(&order)),
            ["PMID:3", "PMID:2", "PMID:4", "PMID:1"]
        );
    }

    /// Three records of one paper with three DOIs, in every order of arrival: the first
    /// file's DOI is kept and the problems are the same words at the same records (ut24b's
    /// five copies said "kept" of a DOI the paper did not keep, differently each run).
    #[test]
    fn three_records_with_three_dois_say_the_same_in_any_order() {
        let summary = |file: &str| {
            let doi = &file[..1];
            let text = format!("# One title\n\nPMID: 7 \u{b7} DOI: 10.1/{doi} \u{b7} 2020\n");
            formats::parse(Format::SummaryMarkdown, &text, Path::new(file))
        };
        let orders = [
            ["a.md", "b.md", "c.md"],
            ["a.md", "c.md", "b.md"],
            ["b.md", "a.md", "c.md"],
            ["b.md", "c.md", "a.md"],
            ["c.md", "a.md", "b.md"],
            ["c.md", "b.md", "a.md"],
        ];
        for order in orders {
            let mut lib = Library::new();
            let mut report = LoadReport::default();
            for file in order {
                lib.add_parsed(summary(file), &mut report);
            }
            let mut shown: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
            shown.sort();
            assert_eq!(
                shown,
                [
                    "b.md:1: PMID:7 is loaded twice with different DOIs; not used: \"10.1/b\" \
                     (the paper keeps the first file's)",
                    "c.md:1: PMID:7 is loaded twice with different DOIs; not used: \"10.1/c\" \
                     (the paper keeps the first file's)",
                ],
                "{order:?}"
            );
            assert_eq!(lib.paper(0).ids.doi.as_deref(), Some("10.1/a"), "{order:?}");
        }
    }

    /// In either order the earlier file's title is shown and the later record has the
    /// problem, in the same words.
    #[test]
    fn different_titles_for_one_pmid_are_a_problem() {
        let a = || pubtator("7|t|One title\n7|a|x\n", "a.pubtator");
        let b = || pubtator("7|t|Another title\n7|a|x\n", "b.pubtator");
        for order in [[a(), b()], [b(), a()]] {
            let mut lib = Library::new();
            let mut report = LoadReport::default();
            for parsed in order {
                lib.add_parsed(parsed, &mut report);
            }
            assert_eq!(lib.len(), 1);
            assert_eq!(lib.paper(0).title, "One title");
            assert_eq!(report.problems.len(), 1);
            assert_eq!(
                report.problems[0].to_string(),
                "b.pubtator:1: PMID:7 is loaded twice with different titles; not shown: \
                 \"Another title\""
            );
            assert_eq!(lib.find("7"), Some(0));
        }
    }

    /// Records of one paper (sharing an id) that differ on another id: the earlier file's
    /// id is kept and the later record has the problem, in either order; ids that differ
    /// only in case (DOIs, PMCIDs) or only by being absent are no problem.
    #[test]
    fn different_ids_for_one_paper_are_a_problem() {
        let summary = |file: &str, ids: &str| {
            let text = format!("# One title\n\n{ids} \u{b7} Journal \u{b7} 2020\n");
            formats::parse(Format::SummaryMarkdown, &text, Path::new(file))
        };
        // a.md's ids, b.md's ids, the merged paper's DOI, the problems (at b.md's title line).
        let table: &[(&str, &str, &str, &[&str])] = &[
            (
                "PMID: 7 \u{b7} DOI: 10.1/aaa",
                "PMID: 7 \u{b7} DOI: 10.1/bbb",
                "10.1/aaa",
                &[
                    "b.md:1: PMID:7 is loaded twice with different DOIs; not used: \
                     \"10.1/bbb\" (the paper keeps the first file's)",
                ],
            ),
            (
                "DOI: 10.1/aaa \u{b7} PMID: 7 \u{b7} PMC11",
                "DOI: 10.1/AAA \u{b7} PMID: 8 \u{b7} PMC12",
                "10.1/aaa",
                &[
                    "b.md:1: PMID:7 is loaded twice with different PMIDs; not used: \"8\" \
                     (the paper keeps the first file's)",
                    "b.md:1: PMID:7 is loaded twice with different PMCIDs; not used: \
                     \"PMC12\" (the paper keeps the first file's)",
                ],
            ),
            (
                "PMID: 7 \u{b7} DOI: 10.1/aaa",
                "PMID: 7 \u{b7} DOI: 10.1/AAA",
                "10.1/aaa",
                &[],
            ),
            ("PMID: 7", "PMID: 7 \u{b7} DOI: 10.1/bbb", "10.1/bbb", &[]),
        ];
        for &(first, second, doi, want) in table {
            for order in [["a.md", "b.md"], ["b.md", "a.md"]] {
                let mut lib = Library::new();
                let mut report = LoadReport::default();
                for file in order {
                    let ids = if file == "a.md" { first } else { second };
                    lib.add_parsed(summary(file, ids), &mut report);
                }
                assert_eq!(lib.len(), 1, "{first} / {second}");
                let shown: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
                assert_eq!(shown, want, "{first} / {second}, {order:?}");
                let ids = &lib.paper(0).ids;
                assert_eq!(ids.doi.as_deref(), Some(doi), "{order:?}");
                assert_eq!(ids.pmid.as_deref(), Some("7"), "{order:?}");
            }
        }
    }

    #[test]
    fn prebuilt_docs_are_kept_for_new_papers_and_rebuilt_for_merged_ones() {
        let mut lib = Library::new();
        let mut report = LoadReport::default();
        let first = pubtator("7|t|IL-1 and TP53\n\n8|t|Other\n", "a.pubtator");
        let docs = first
            .papers
            .iter()
            .map(|p| SearchDoc::for_worker(0, p))
            .collect();
        let (ready, merged) = lib.add_parsed_with_docs(first, docs, &mut report);
        assert_eq!(
            ready.iter().map(|d| d.paper).collect::<Vec<_>>(),
            vec![0, 1]
        );
        assert_eq!(ready[1], SearchDoc::for_worker(1, lib.paper(1)));
        assert!(merged.is_empty());
        // Paper 9 is new but merged into within the same batch: its doc is stale.
        let second = pubtator(
            "9|t|Third\n\n7|t|IL-1 and TP53\n7\t0\t4\tIL-1\tGene\t3553\n\n9|t|Third\n9|a|More.\n",
            "b.pubtator",
        );
        let docs = second
            .papers
            .iter()
            .map(|p| SearchDoc::for_worker(0, p))
            .collect();
        let (ready, merged) = lib.add_parsed_with_docs(second, docs, &mut report);
        assert!(ready.is_empty(), "{ready:?}");
        assert_eq!(merged, vec![0, 2]);
        assert_eq!(lib.len(), 3);
    }
}
