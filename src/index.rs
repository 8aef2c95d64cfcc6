//! The entity index: entity -> papers, paper -> entities, folded names and aliases ->
//! entities, related papers (shared entities weighted by rarity) and co-mentioned entities.
//!
//! It is updated one paper at a time as papers arrive (and again when a later record of the
//! same paper merges into it), so a library being loaded in the background is always linked.

use crate::model::{EntityKey, EntityKind, Paper, fold_name};
use std::collections::HashMap;

/// Position of a paper in the library; stable for the life of the library.
pub type PaperIdx = u32;
/// Position of an entity in the index; stable for the life of the index.
pub type EntityIdx = u32;

/// What is known of an entity across every loaded paper.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EntityInfo {
    pub key: EntityKey,
    pub kind: EntityKind,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Every other name seen for it, in first-seen order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Mentions summed over all papers.
    pub mentions: u64,
}

/// A paper related to another, with the entities they share.
#[derive(Clone, Debug, PartialEq)]
pub struct RelatedPaper {
    pub paper: PaperIdx,
    pub score: f64,
    pub shared: Vec<EntityIdx>,
}

#[derive(Debug, Default, Clone)]
pub struct EntityIndex {
    entities: Vec<EntityInfo>,
    by_key: foldhash::HashMap<EntityKey, EntityIdx>,
    /// Sorted, deduplicated.
    papers_of_entity: Vec<Vec<PaperIdx>>,
    /// Sorted, deduplicated.
    entities_of_paper: Vec<Vec<EntityIdx>>,
    /// Folded name, alias or local id -> entities, in insertion order.
    by_folded_name: foldhash::HashMap<String, Vec<EntityIdx>>,
    /// What each paper added to its entities' mention totals, taken back when the paper is
    /// linked again (a merged record) so totals are not counted twice.
    mentions_of_paper: Vec<Vec<(EntityIdx, u32)>>,
}

impl EntityIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes room for `papers` papers in the per-paper tables.
    pub fn reserve_papers(&mut self, papers: usize) {
        self.entities_of_paper
            .reserve(papers.saturating_sub(self.entities_of_paper.len()));
        self.mentions_of_paper
            .reserve(papers.saturating_sub(self.mentions_of_paper.len()));
    }

    /// Links `paper` (at `idx`) to its entities, replacing whatever was linked to `idx` before.
    pub fn add_paper(&mut self, idx: PaperIdx, paper: &Paper) {
        let slot = idx as usize;
        if self.entities_of_paper.len() <= slot {
            self.entities_of_paper.resize_with(slot + 1, Vec::new);
            self.mentions_of_paper.resize_with(slot + 1, Vec::new);
        }
        for (old, mentions) in std::mem::take(&mut self.mentions_of_paper[slot]) {
            let info = &mut self.entities[old as usize];
            info.mentions = info.mentions.saturating_sub(u64::from(mentions));
        }
        for old in std::mem::take(&mut self.entities_of_paper[slot]) {
            let papers = &mut self.papers_of_entity[old as usize];
            if let Ok(pos) = papers.binary_search(&idx) {
                papers.remove(pos);
            }
        }
        let mut linked = Vec::with_capacity(paper.entities.len());
        let mut mentions = Vec::with_capacity(paper.entities.len());
        for pe in &paper.entities {
            let e = self.intern(pe);
            let m = pe.mentions.max(1);
            self.entities[e as usize].mentions += u64::from(m);
            mentions.push((e, m));
            linked.push(e);
        }
        self.mentions_of_paper[slot] = mentions;
        linked.sort_unstable();
        linked.dedup();
        for &e in &linked {
            let papers = &mut self.papers_of_entity[e as usize];
            if let Err(pos) = papers.binary_search(&idx) {
                papers.insert(pos, idx);
            }
        }
        self.entities_of_paper[slot] = linked;
    }

    fn intern(&mut self, pe: &crate::model::PaperEntity) -> EntityIdx {
        let e = match self.by_key.get(&pe.key) {
            Some(&e) => e,
            None => {
                let e = self.entities.len() as EntityIdx;
                self.entities.push(EntityInfo {
                    key: pe.key.clone(),
                    kind: pe.kind,
                    name: pe.name.clone(),
                    description: None,
                    aliases: Vec::new(),
                    mentions: 0,
                });
                self.papers_of_entity.push(Vec::new());
                self.by_key.insert(pe.key.clone(), e);
                if !pe.key.is_name_only() {
                    self.add_folded(pe.key.local_id().to_owned(), e);
                }
                self.add_folded(pe.name.clone(), e);
                e
            }
        };
        let mut new_names = Vec::new();
        {
            let info = &mut self.entities[e as usize];
            if info.description.is_none() {
                info.description.clone_from(&pe.description);
            }
            if info.kind == EntityKind::Other && pe.kind != EntityKind::Other {
                info.kind = pe.kind;
            }
            for alias in std::iter::once(&pe.name).chain(&pe.aliases) {
                if alias != &info.name && !info.aliases.contains(alias) {
                    info.aliases.push(alias.clone());
                    new_names.push(alias.clone());
                }
            }
        }
        for name in new_names {
            self.add_folded(name, e);
        }
        e
    }

    fn add_folded(&mut self, name: String, e: EntityIdx) {
        let folded = fold_name(&name);
        if folded.is_empty() {
            return;
        }
        let list = self.by_folded_name.entry(folded).or_default();
        if !list.contains(&e) {
            list.push(e);
        }
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
        self.by_key.get(key).copied()
    }

    /// Papers that mention the entity, in library order.
    pub fn papers_with(&self, e: EntityIdx) -> &[PaperIdx] {
        self.papers_of_entity
            .get(e as usize)
            .map_or(&[][..], Vec::as_slice)
    }

    /// Entities of a paper, in index order.
    pub fn entities_of(&self, p: PaperIdx) -> &[EntityIdx] {
        self.entities_of_paper
            .get(p as usize)
            .map_or(&[][..], Vec::as_slice)
    }

    /// Entities a user's words could mean: an exact CURIE (namespace case-insensitive), else
    /// every entity whose folded name, alias or local id equals the folded query. Most-cited
    /// first.
    pub fn lookup(&self, query: &str) -> Vec<EntityIdx> {
        let query = query.trim();
        if let Some((ns, id)) = query.split_once(':') {
            let exact = self
                .by_key
                .get(&EntityKey(query.to_owned()))
                .copied()
                .or_else(|| {
                    self.entities
                        .iter()
                        .position(|info| {
                            info.key.namespace().eq_ignore_ascii_case(ns.trim())
                                && info.key.local_id() == id.trim()
                        })
                        .map(|i| i as EntityIdx)
                });
            if let Some(e) = exact {
                return vec![e];
            }
        }
        let mut found = self
            .by_folded_name
            .get(&fold_name(query))
            .cloned()
            .unwrap_or_default();
        found.sort_by_key(|&e| std::cmp::Reverse(self.papers_with(e).len()));
        found
    }

    /// Rarity weight of an entity: shared rare entities say more than shared common ones.
    fn weight(&self, e: EntityIdx, paper_count: usize) -> f64 {
        let df = self.papers_with(e).len().max(1) as f64;
        ((paper_count.max(1) as f64 + 1.0) / df).ln()
    }

    /// Other papers ranked by the entities they share with `p`, rarer entities weighing more.
    pub fn related_papers(&self, p: PaperIdx, limit: usize) -> Vec<RelatedPaper> {
        let paper_count = self.entities_of_paper.len();
        let mut scores: HashMap<PaperIdx, RelatedPaper> = HashMap::new();
        for &e in self.entities_of(p) {
            let w = self.weight(e, paper_count);
            for &other in self.papers_with(e) {
                if other == p {
                    continue;
                }
                let entry = scores.entry(other).or_insert_with(|| RelatedPaper {
                    paper: other,
                    score: 0.0,
                    shared: Vec::new(),
                });
                entry.score += w;
                entry.shared.push(e);
            }
        }
        let mut ranked: Vec<RelatedPaper> = scores.into_values().collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.paper.cmp(&b.paper)));
        ranked.truncate(limit);
        for r in &mut ranked {
            r.shared.sort_by(|&a, &b| {
                self.weight(b, paper_count)
                    .total_cmp(&self.weight(a, paper_count))
            });
        }
        ranked
    }

    /// Entities that appear in the same papers as `e`, most shared papers first.
    pub fn co_mentioned(&self, e: EntityIdx, limit: usize) -> Vec<(EntityIdx, u32)> {
        let mut counts: HashMap<EntityIdx, u32> = HashMap::new();
        for &p in self.papers_with(e) {
            for &other in self.entities_of(p) {
                if other != e {
                    *counts.entry(other).or_default() += 1;
                }
            }
        }
        let mut ranked: Vec<(EntityIdx, u32)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(limit);
        ranked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PaperEntity, PaperKey};

    fn entity(key: &str, kind: EntityKind, name: &str, aliases: &[&str]) -> PaperEntity {
        PaperEntity {
            key: EntityKey(key.into()),
            kind,
            name: name.into(),
            description: None,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            mentions: 1,
            spans: vec![],
        }
    }

    fn paper(key: &str, entities: Vec<PaperEntity>) -> Paper {
        Paper {
            key: PaperKey(key.into()),
            entities,
            ..Paper::default()
        }
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

    fn sample() -> EntityIndex {
        let mut index = EntityIndex::new();
        index.add_paper(0, &paper("PMID:1", vec![cd274(), human()]));
        index.add_paper(1, &paper("PMID:2", vec![cd274(), human(), tp53()]));
        index.add_paper(2, &paper("PMID:3", vec![human(), tp53()]));
        index.add_paper(3, &paper("PMID:4", vec![human()]));
        index
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

    #[test]
    fn co_mentioned_counts_shared_papers() {
        let index = sample();
        let tp53 = index.by_key(&EntityKey("NCBIGene:7157".into())).unwrap();
        let human = index.by_key(&EntityKey("NCBITaxon:9606".into())).unwrap();
        let cd274 = index.by_key(&EntityKey("NCBIGene:29126".into())).unwrap();
        assert_eq!(index.co_mentioned(tp53, 10), vec![(human, 2), (cd274, 1)]);
    }
}
