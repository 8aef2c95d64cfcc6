//! Parser tables on real files: the seed summary and the six corpora of ../shared/corpora
//! (expected numbers from each corpus's SOURCE.txt unless a comment says why not).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use tomes::formats::{self, Parsed};
use tomes::model::{AbstractText, EntityKind, Format, Paper};

fn seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_ed9a9c1b19ae5cc2.txt")
}

/// (key, kind, name, description, aliases) of one entity.
type EntityRow<'a> = (&'a str, EntityKind, &'a str, Option<&'a str>, Vec<&'a str>);

fn corpora() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared/corpora not found");
        None
    }
}

fn parse_file(path: &Path, format: Format) -> Parsed {
    let text = std::fs::read_to_string(path).expect("readable test file");
    formats::parse(format, &text, Path::new(path.file_name().unwrap()))
}

/// Every file of a corpus folder in `format`, parsed and concatenated (no merging).
fn parse_corpus(folder: &str, format: Format) -> Option<Parsed> {
    let dir = corpora()?.join(folder);
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            let is_xml = name.ends_with(".XML");
            !matches!(name, "SOURCE.txt" | "README.txt" | "LICENSE")
                && is_xml == (format == Format::BioC)
        })
        .collect();
    names.sort();
    let mut all = Parsed::default();
    for path in names {
        let p = parse_file(&path, format);
        all.papers.extend(p.papers);
        all.problems.extend(p.problems);
    }
    Some(all)
}

/// Distinct (paper, start, end) spans: one per annotation line, except where the source
/// annotates one span twice.
fn span_count(papers: &[Paper]) -> usize {
    papers
        .iter()
        .map(|p| {
            p.entities
                .iter()
                .flat_map(|e| e.spans.iter().map(|s| (s.start, s.end)))
                .collect::<HashSet<_>>()
                .len()
        })
        .sum()
}

/// Distinct ids of a kind, and how many of them occur in at least 2 papers.
fn distinct_ids(papers: &[Paper], kind: EntityKind) -> (usize, usize) {
    let mut docs: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for p in papers {
        for e in &p.entities {
            if e.kind == kind && !e.key.is_name_only() {
                docs.entry(e.key.as_str())
                    .or_default()
                    .insert(p.key.as_str());
            }
        }
    }
    let in_two = docs.values().filter(|d| d.len() >= 2).count();
    (docs.len(), in_two)
}

fn mismatches(parsed: &Parsed) -> usize {
    parsed
        .problems
        .iter()
        .filter(|p| p.message.contains("does not match the text"))
        .count()
}

#[test]
fn seed_summary_every_field() {
    let parsed = parse_file(&seed_path(), Format::SummaryMarkdown);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.papers.len(), 1);
    let p = &parsed.papers[0];
    assert_eq!(
        p.title,
        "Harnessing the immune microenvironment: advances in nasopharyngeal carcinoma immunotherapy"
    );
    assert_eq!(
        p.authors,
        [
            "Yihua Zhu",
            "Yongsheng Liu",
            "Zhikang Yin",
            "Caijing Ou",
            "Xiao’an Guo",
            "Xinru Zhu"
        ]
    );
    assert_eq!(p.ids.doi.as_deref(), Some("10.1038/s41420-026-02999-y"));
    assert_eq!(p.ids.pmcid.as_deref(), Some("PMC13039540"));
    assert_eq!(p.ids.pmid, None);
    assert_eq!(p.key.as_str(), "PMC:PMC13039540");
    assert_eq!(p.journal.as_deref(), Some("Cell Death Discovery"));
    assert_eq!(p.date.as_deref(), Some("2026-03-10"));
    assert_eq!(p.year, Some(2026));
    assert_eq!(
        p.summary().tldr.as_deref(),
        Some(
            "This paper reviews recent advances in immunotherapy for nasopharyngeal carcinoma, \
             focusing on how the immune microenvironment can be harnessed to improve patient outcomes."
        )
    );
    assert_eq!(
        p.summary().contribution.as_deref(),
        Some(
            "The paper provides a comprehensive synthesis of the mechanistic basis and clinical \
             progress of immunotherapies targeting the unique immune microenvironment in \
             nasopharyngeal carcinoma."
        )
    );
    assert_eq!(p.summary().key_findings.len(), 3);
    assert!(
        p.summary().key_findings[0].starts_with("PD-1/PD-L1 inhibitors combined with chemotherapy")
    );
    assert!(p.summary().key_findings[1].starts_with("Novel bispecific antibodies"));
    assert_eq!(
        p.summary().key_findings[2],
        "Biomarker advances include radiomics, AI models, and liquid biopsy markers like \
         EBV-DNA dynamics and exosomal CA1."
    );
    let abstract_text = p
        .abstract_text
        .as_ref()
        .and_then(AbstractText::held)
        .unwrap();
    assert!(abstract_text.starts_with("Nasopharyngeal carcinoma (NPC), an Epstein–Barr virus"));
    assert!(abstract_text.ends_with("immune microenvironment for improved patient outcomes."));
    assert!(!abstract_text.contains('\n'));
    assert_eq!(p.summary().figure_count, Some(4));
    assert_eq!(p.summary().reference_count, Some(16));
    let links: Vec<(&str, &str)> = p
        .summary()
        .links
        .iter()
        .map(|l| (l.label.as_str(), l.url.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            (
                "Full text",
                "https://tomesphere.com/paper/PMC13039540/full.md"
            ),
            ("Source", "https://tomesphere.com/paper/PMC13039540"),
        ]
    );
    assert!(
        p.summary().sections.is_empty(),
        "{:?}",
        p.summary().sections
    );
    assert_eq!(p.sources[0].line, 1);

    // (key, kind, name, description, aliases), in listing order; CD274/CD70/CD27 are listed
    // first as Proteins without ids and take the ids of the Genes listed with them.
    let entities: Vec<EntityRow> = p
        .entities
        .iter()
        .map(|e| {
            (
                e.key.as_str(),
                e.kind,
                e.name.as_str(),
                e.description.as_deref(),
                e.aliases.iter().map(|a| a.as_str()).collect(),
            )
        })
        .collect();
    use EntityKind::*;
    let want: Vec<EntityRow> = vec![
        (
            "NCBIGene:29126",
            Gene,
            "CD274",
            Some("CD274 molecule"),
            vec!["ADMIO5", "B7-H", "B7H1", "PD-L1", "PDCD1L1", "PDCD1LG1"],
        ),
        (
            "NCBIGene:970",
            Gene,
            "CD70",
            Some("CD70 molecule"),
            vec!["CD27-L", "CD27L", "CD27LG", "LPFS3", "TNFSF7", "TNLG8A"],
        ),
        (
            "NCBIGene:939",
            Gene,
            "CD27",
            Some("CD27 molecule"),
            vec!["S152", "S152. LPFS2", "T14", "TNFRSF7", "Tp55"],
        ),
        (
            "MONDO:0015459",
            Disease,
            "nasopharyngeal carcinoma",
            None,
            vec![],
        ),
        (
            "NCBIGene:5133",
            Gene,
            "PDCD1",
            Some("programmed cell death 1"),
            vec!["ADMIO4", "AIMTBS", "CD279", "PD-1", "PD1", "SLEB2"],
        ),
        ("MESH:D000077274", Disease, "NPC", None, vec![]),
        ("MESH:D009369", Disease, "malignancy", None, vec![]),
        ("MESH:D004194", Disease, "disease", None, vec![]),
        (
            "NCBITaxon:10376",
            Species,
            "human gammaherpesvirus 4",
            Some("Epstein Barr virus"),
            vec![],
        ),
        (
            "NCBITaxon:9606",
            Species,
            "Homo sapiens",
            Some("human"),
            vec![],
        ),
    ];
    assert_eq!(entities, want);
    // Mentions are counted where a name stands as a word in the title and abstract (the
    // summary gives no counts); one at least for an entity the summary lists.
    let mentions: Vec<(&str, u32)> = p
        .entities
        .iter()
        .map(|e| (e.key.as_str(), e.mentions))
        .collect();
    assert_eq!(
        mentions,
        [
            ("NCBIGene:29126", 3),
            ("NCBIGene:970", 1),
            ("NCBIGene:939", 1),
            ("MONDO:0015459", 2),
            ("NCBIGene:5133", 2),
            ("MESH:D000077274", 3),
            ("MESH:D009369", 1),
            ("MESH:D004194", 2),
            ("NCBITaxon:10376", 1),
            ("NCBITaxon:9606", 1),
        ]
    );
    assert!(p.entities.iter().all(|e| e.spans.is_empty()));
}

#[test]
fn bc5cdr_counts() {
    let Some(parsed) = parse_corpus("bc5cdr", Format::PubTator) else {
        return;
    };
    assert!(
        parsed.problems.is_empty(),
        "{:?}",
        &parsed.problems[..3.min(parsed.problems.len())]
    );
    assert_eq!(parsed.papers.len(), 1500);
    assert_eq!(span_count(&parsed.papers), 28_785);
    // Mentions with id -1 are name-only entities; their mention counts add up to 226.
    let id_less: u32 = parsed
        .papers
        .iter()
        .flat_map(|p| &p.entities)
        .filter(|e| e.key.is_name_only())
        .map(|e| e.mentions)
        .sum();
    assert_eq!(id_less, 226);
    assert_eq!(
        distinct_ids(&parsed.papers, EntityKind::Chemical),
        (1269, 567)
    );
    assert_eq!(
        distinct_ids(&parsed.papers, EntityKind::Disease),
        (1081, 614)
    );
    let relations: usize = parsed.papers.iter().map(|p| p.relations.len()).sum();
    assert_eq!(relations, 1038 + 1012 + 1066);
    // A composite with the 7th column: each id is named by its own mention string.
    let paper = parsed
        .papers
        .iter()
        .find(|p| p.key.as_str() == "PMID:2339463")
        .unwrap();
    let e = paper
        .entities
        .iter()
        .find(|e| e.key.as_str() == "MESH:D020227")
        .unwrap();
    assert_eq!(e.name, "left transverse sinus thrombosis");
}

#[test]
fn biored_pubtator_and_bioc_agree() {
    let Some(pubtator) = parse_corpus("biored", Format::PubTator) else {
        return;
    };
    let bioc = parse_corpus("biored", Format::BioC).unwrap();
    for (name, parsed) in [("PubTator", &pubtator), ("BioC", &bioc)] {
        assert!(
            parsed.problems.is_empty(),
            "{name}: {:?}",
            &parsed.problems[..3.min(parsed.problems.len())]
        );
        assert_eq!(parsed.papers.len(), 600, "{name}");
        assert_eq!(span_count(&parsed.papers), 20_419, "{name}");
        let relations: usize = parsed.papers.iter().map(|p| p.relations.len()).sum();
        assert_eq!(relations, 6_503, "{name}");
        assert_eq!(
            distinct_ids(&parsed.papers, EntityKind::Gene),
            (1643, 336),
            "{name}"
        );
        assert_eq!(
            distinct_ids(&parsed.papers, EntityKind::Disease),
            (778, 310),
            "{name}"
        );
        assert_eq!(
            distinct_ids(&parsed.papers, EntityKind::Chemical),
            (651, 211),
            "{name}"
        );
        assert_eq!(
            distinct_ids(&parsed.papers, EntityKind::Species),
            (47, 16),
            "{name}"
        );
    }
    // Same papers, same entities, same spans and relations in both formats.
    for (a, b) in pubtator.papers.iter().zip(&bioc.papers) {
        assert_eq!(a.key, b.key);
        assert_eq!(a.title, b.title);
        assert_eq!(a.abstract_text, b.abstract_text);
        assert_eq!(a.entities, b.entities, "{}", a.key);
        assert_eq!(a.relations, b.relations, "{}", a.key);
    }
    // Relation ids resolve through the document's annotations: a bare number in a relation
    // is the gene annotated with it, a tmVar string the variant.
    let p = &pubtator
        .papers
        .iter()
        .find(|p| p.key.as_str() == "PMID:14510914")
        .unwrap();
    let r = &p.relations[0];
    assert_eq!(
        (r.kind.as_str(), r.a.as_str(), r.b.as_str(), r.novel),
        (
            "Positive_Correlation",
            "tmVar:c|DEL|1314_1328|",
            "MESH:D003409",
            Some(true)
        )
    );
    assert!(p.relations.iter().any(|r| r.b.as_str() == "NCBIGene:6528"));
    let variants = distinct_ids(&pubtator.papers, EntityKind::Variant).0;
    let cell_lines = distinct_ids(&pubtator.papers, EntityKind::CellLine).0;
    // Not in SOURCE.txt; measured on the data (dbSNP and tmVar strings, Cellosaurus ids).
    assert_eq!((variants, cell_lines), (678, 72));
}

/// No name or alias of any corpus keeps the comma or stray bracket its span caught: 18 of
/// the 87,380 annotation lines have one (`AKT,`, `TGF-beta,`, `c-Myc)`, `F480(`), and
/// `tomes entity NCBIGene:207` listed `AKT,` among Akt's aliases.
#[test]
fn no_name_keeps_the_punctuation_its_span_caught() {
    let folders = [
        ("bc5cdr", Format::PubTator),
        ("biored", Format::PubTator),
        ("biored", Format::BioC),
        ("gnormplus", Format::PubTator),
        ("ncbi-disease", Format::PubTator),
        ("nlm-gene", Format::PubTator),
        ("species800", Format::PubTator),
    ];
    for (folder, format) in folders {
        let Some(parsed) = parse_corpus(folder, format) else {
            return;
        };
        for p in &parsed.papers {
            for e in &p.entities {
                for name in std::iter::once(&e.name).chain(&e.aliases) {
                    assert_eq!(
                        formats::clean_name(name),
                        name.as_str(),
                        "{folder}: {} {}",
                        p.key,
                        e.key.as_str()
                    );
                }
            }
        }
    }
    // `AKT,` at 1782-1786 and `AKT` at 1782-1785: one mention of AKT there.
    let parsed = parse_corpus("nlm-gene", Format::PubTator).unwrap();
    let paper = parsed
        .papers
        .iter()
        .find(|p| p.key.as_str() == "PMID:20459769")
        .expect("PMID 20459769");
    let akt = paper
        .entities
        .iter()
        .find(|e| e.key.as_str() == "NCBIGene:207")
        .expect("AKT");
    let spans: Vec<(u32, u32)> = akt.spans.iter().map(|s| (s.start, s.end)).collect();
    assert_eq!(
        (akt.name.as_str(), akt.aliases.len(), akt.mentions, spans),
        ("AKT", 0, 1, vec![(1782, 1785)])
    );
}

#[test]
fn ncbi_disease_counts_and_duplicate_record() {
    let Some(parsed) = parse_corpus("ncbi-disease", Format::PubTator) else {
        return;
    };
    assert_eq!(parsed.papers.len(), 793);
    let pmids: HashSet<_> = parsed.papers.iter().map(|p| p.key.clone()).collect();
    assert_eq!(pmids.len(), 792);
    // 6,892 spans; the one that does not hold its mention (below) is kept without a place.
    assert_eq!(span_count(&parsed.papers), 6_891);
    assert_eq!(
        distinct_ids(&parsed.papers, EntityKind::Disease),
        (751, 333)
    );
    assert_eq!(mismatches(&parsed), 1);
    let problem = &parsed.problems[0];
    assert_eq!(problem.line, Some(3249));
    // Quoted with “ ” as the mention holds quotes of its own (`"… " plus "  "` read as three
    // quoted texts).
    assert_eq!(
        problem.to_string(),
        "NCBItrainset_corpus.txt:3249: mention “generalized epilepsy and febrile seizures \" plus \"  ” at 711-761 does not match the text there (“generalized epilepsy and febrile seizures \" plus \"”); it is kept without a place"
    );
    assert_eq!(parsed.problems.len(), 1);
}

#[test]
fn gnormplus_counts() {
    let Some(parsed) = parse_corpus("gnormplus", Format::PubTator) else {
        return;
    };
    assert_eq!(parsed.papers.len(), 694);
    // 10,642 annotation lines; PMID 14976162 annotates 1939-1943 "MDR1" twice (ids 5243 and
    // 23158), so there are 10,641 distinct spans. 4 of the 39 that do not hold their
    // mention are found neither at byte offsets nor near by, and keep no place.
    assert_eq!(span_count(&parsed.papers), 10_637);
    assert_eq!(distinct_ids(&parsed.papers, EntityKind::Gene), (1644, 234));
    assert_eq!(mismatches(&parsed), 39);
    assert_eq!(parsed.problems.len(), 39, "{:?}", parsed.problems);
    // PMID 7520377 writes "Sjögren" before "Ge-1": its offsets count the two UTF-8 bytes of
    // "ö" (bytes 507-511 are "Ge-1"), PubTator counts chars, so every later mention in that
    // abstract is one char off, and the problem shows what the chars there are, and where
    // the mention is taken from instead.
    assert!(
        parsed.problems.iter().any(|p| p.message
            == "mention \"Ge-1\" at 507-511 does not match the text there (\"e-1.\"); \
                the offsets count bytes: it is at chars 506-510"),
        "{:?}",
        parsed.problems
    );
    // The text has quotes where the mention has spaces: quoted with “ ” (it was shown as
    // `(""TATA" box")`).
    assert!(
        parsed.problems.iter().any(|p| p.message
            == "mention \" TATA  box\" at 724-734 does not match the text there \
                (“\"TATA\" box”); it is kept without a place"),
        "{:?}",
        parsed.problems
    );
    // So does PMID 7649249 after "Krüppel": every mention of ZNF133 stands where it is
    // highlighted (the first, before the "ü", in a list of three genes).
    let paper = parsed
        .papers
        .iter()
        .find(|p| p.key.as_str() == "PMID:7649249")
        .expect("PMID 7649249");
    let text: Vec<char> = format!(
        "{} {}",
        paper.title,
        tomes::library::read_abstract(paper).unwrap().unwrap()
    )
    .chars()
    .collect();
    let znf133 = paper
        .entities
        .iter()
        .find(|e| e.key.as_str() == "NCBIGene:7692")
        .expect("ZNF133");
    let at: Vec<String> = znf133
        .spans
        .iter()
        .map(|s| text[s.start as usize..s.end as usize].iter().collect())
        .collect();
    assert_eq!(at, ["ZNF133, 136 and 140", "ZNF133", "ZNF133"]);
    // 68 Gene mentions without id and every FamilyName/DomainMotif are name-only.
    let tp53 = parsed
        .papers
        .iter()
        .filter(|p| p.entities.iter().any(|e| e.key.as_str() == "NCBIGene:7157"))
        .count();
    assert_eq!(tp53, 18);
}

#[test]
fn nlm_gene_counts() {
    let Some(parsed) = parse_corpus("nlm-gene", Format::PubTator) else {
        return;
    };
    assert_eq!(parsed.papers.len(), 550);
    // 16,850 spans; 1 of the 11 that do not hold their mention is found neither at byte
    // offsets nor near by, and keeps no place; 6 places are annotated twice, once with the
    // comma or bracket after them (`AKT,` at 1782-1786 and `AKT` at 1782-1785 of
    // 20459769), one span once the punctuation is dropped.
    assert_eq!(span_count(&parsed.papers), 16_843);
    assert_eq!(distinct_ids(&parsed.papers, EntityKind::Gene), (3366, 856));
    assert_eq!(mismatches(&parsed), 11);
    assert_eq!(parsed.problems.len(), 11, "{:?}", parsed.problems);
    // "p53 family", typed as a gene with TP53's id alone, is linked to TP53 (its place is
    // among TP53's) but is none of TP53's names.
    let paper = parsed
        .papers
        .iter()
        .find(|p| p.ids.pmid.as_deref() == Some("18627611"))
        .expect("PMID 18627611");
    let tp53 = paper
        .entities
        .iter()
        .find(|e| e.key.as_str() == "NCBIGene:7157")
        .expect("TP53 linked");
    assert_eq!(tp53.name.as_str(), "p53", "{tp53:?}");
    assert!(tp53.aliases.is_empty(), "{tp53:?}");
    assert!(tp53.spans.iter().any(|s| (s.start, s.end) == (169, 179)));
    for p in &parsed.papers {
        for e in &p.entities {
            let names = std::iter::once(&e.name).chain(&e.aliases);
            assert!(
                e.named_by_group || names.clone().all(|n| !n.ends_with(" family")),
                "{}: {} named {:?}",
                p.key,
                e.key.as_str(),
                names.collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn species800_counts() {
    let Some(parsed) = parse_corpus("species800", Format::PubTator) else {
        return;
    };
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.papers.len(), 799);
    assert_eq!(span_count(&parsed.papers), 3_792);
    let mentions: u32 = parsed
        .papers
        .iter()
        .flat_map(|p| &p.entities)
        .map(|e| e.mentions)
        .sum();
    assert_eq!(mentions, 3_792);
    assert_eq!(
        distinct_ids(&parsed.papers, EntityKind::Species),
        (718, 133)
    );
    let human = parsed
        .papers
        .iter()
        .filter(|p| {
            p.entities
                .iter()
                .any(|e| e.key.as_str() == "NCBITaxon:9606")
        })
        .count();
    assert_eq!(human, 79);
}

/// species800 writes its text with HTML character references (`&quot;Slime molds&quot;`,
/// `P&lt;0.001`), its offsets counting them: titles and abstracts read decoded, and every
/// mention's span still holds a name of its entity (ut23 found the references shown raw,
/// in lists, exports and searches).
#[test]
fn species800_references_are_decoded_and_mentions_stay_on_their_words() {
    let Some(dir) = corpora() else {
        return;
    };
    let references = ["&quot;", "&lt;", "&gt;", "&amp;"];
    let mut written = BTreeSet::new();
    for name in ["SPECIES_Train.PubTator", "SPECIES_Test.PubTator"] {
        let text = std::fs::read_to_string(dir.join("species800").join(name)).unwrap();
        for line in text.lines() {
            if references.iter().any(|r| line.contains(r))
                && let Some((pmid, _)) = line.split_once('|')
            {
                written.insert(format!("PMID:{pmid}"));
            }
        }
    }
    assert!(written.len() >= 50, "{}", written.len());
    let parsed = parse_corpus("species800", Format::PubTator).unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let mut checked = 0;
    for p in parsed
        .papers
        .iter()
        .filter(|p| written.contains(p.key.as_str()))
    {
        let abstract_text = p
            .abstract_text
            .as_ref()
            .and_then(AbstractText::held)
            .unwrap();
        for text in [p.title.as_str(), abstract_text] {
            assert!(
                references.iter().all(|r| !text.contains(r)),
                "{}: {text}",
                p.key
            );
        }
        let chars: Vec<char> = format!("{} {abstract_text}", p.title).chars().collect();
        for e in &p.entities {
            for span in &e.spans {
                let at: String = chars[span.start as usize..span.end as usize]
                    .iter()
                    .collect();
                let names: Vec<&str> = std::iter::once(e.name.as_str())
                    .chain(e.aliases.iter().map(|a| a.as_str()))
                    .collect();
                assert!(
                    names.iter().any(|n| n.eq_ignore_ascii_case(&at)),
                    "{}: {at:?} at {span:?} is none of {names:?}",
                    p.key
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 100, "{checked}");
    let slime = parsed
        .papers
        .iter()
        .find(|p| p.key.as_str() == "PMID:21112814")
        .unwrap();
    assert!(
        slime.title.starts_with("\"Slime molds\" among"),
        "{}",
        slime.title
    );
}

#[test]
fn damaged_seed_reports_lines_and_keeps_the_rest() {
    let seed = std::fs::read_to_string(seed_path()).unwrap();
    // Drop the title, break the Genes line's first parenthesis, move Abstract to the end.
    let mut text = seed.replacen(
        "# Harnessing the immune microenvironment: advances in nasopharyngeal carcinoma immunotherapy\n",
        "",
        1,
    );
    text = text.replacen(
        "CD27 (CD27 molecule) [NCBI Gene 939]",
        "CD27 (CD27 molecule [NCBI Gene 939]",
        1,
    );
    let abstract_start = text.find("## Abstract").unwrap();
    let abstract_end = text.find("## Linked entities").unwrap();
    let abstract_section = text[abstract_start..abstract_end].to_owned();
    text.replace_range(abstract_start..abstract_end, "");
    let rule = text.find("\n---\n").unwrap();
    text.insert_str(rule + 1, &abstract_section);
    let genes_line = text
        .lines()
        .position(|l| l.starts_with("- **Genes:**"))
        .unwrap()
        + 1;
    let parsed = formats::parse(Format::SummaryMarkdown, &text, Path::new("damaged.md"));
    let shown: Vec<String> = parsed.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        shown,
        [
            format!(
                "damaged.md:{genes_line}: unbalanced brackets in the Genes list: \"CD27 (CD27 molecule \
                 [NCBI Gene 939] {{aka S152, S152. LPFS2, T14, TNFRSF7, Tp55}}\" read as \"CD27\" with the id NCBIGene:939"
            ),
            "damaged.md:1: summary Markdown with no `# title` line; the paper is titled \
             \"damaged\" after its file"
                .to_owned(),
        ]
    );
    // Without its title the seed is still recognised as a summary, whatever its name: it
    // loads with the problem above rather than being skipped as no format at all.
    let head = &text.as_bytes()[..4096.min(text.len())];
    assert_eq!(
        formats::detect(Path::new("damaged.txt"), head),
        Some(Format::SummaryMarkdown)
    );
    let p = &parsed.papers[0];
    assert_eq!(p.title, "damaged");
    assert_eq!(p.key.as_str(), "PMC:PMC13039540");
    assert!(
        p.abstract_text
            .as_ref()
            .and_then(AbstractText::held)
            .unwrap()
            .starts_with("Nasopharyngeal carcinoma (NPC)")
    );
    // Every gene still has its id; the stray `(` is set aside and CD27 keeps its parts.
    for key in [
        "NCBIGene:939",
        "NCBIGene:29126",
        "NCBIGene:970",
        "NCBIGene:5133",
    ] {
        assert!(p.entities.iter().any(|e| e.key.as_str() == key), "{key}");
    }
    let cd274 = p
        .entities
        .iter()
        .find(|e| e.key.as_str() == "NCBIGene:29126")
        .unwrap();
    assert!(cd274.aliases.iter().any(|a| a == "PD-L1"));
    let cd27 = p
        .entities
        .iter()
        .find(|e| e.key.as_str() == "NCBIGene:939")
        .unwrap();
    assert_eq!(cd27.description.as_deref(), Some("CD27 molecule"));
    assert_eq!(cd27.aliases.len(), 5);
    assert_eq!(p.summary().figure_count, Some(4));
}

/// The seed with bad ids spliced into its entity lines: each is a problem at its line, the
/// entity keeps its name without an id, and everything else parses as before.
#[test]
fn bad_ids_in_the_seeds_entity_lines_are_problems() {
    let seed = std::fs::read_to_string(seed_path()).unwrap();
    let text = seed
        .replacen("[NCBI Gene 939]", "[NCBI Gene abc]", 1)
        .replacen("NPC (MESH:D000077274)", "NPC (MESH:)", 1);
    assert_ne!(text, seed);
    let line_of = |start: &str| text.lines().position(|l| l.starts_with(start)).unwrap() + 1;
    let (genes, diseases) = (line_of("- **Genes:**"), line_of("- **Diseases:** NPC"));
    let parsed = formats::parse(Format::SummaryMarkdown, &text, Path::new("s.txt"));
    let shown: Vec<String> = parsed.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        shown,
        [
            format!(
                "s.txt:{genes}: NCBI Gene id \"abc\" is not a number; \"CD27 (CD27 molecule) \
                 [NCBI Gene abc] {{aka S152, S152. LPFS2, T14, TNFRSF7, Tp55}}\" is kept without \
                 an id"
            ),
            format!("s.txt:{diseases}: empty MESH id; \"NPC (MESH:)\" is kept without an id"),
        ]
    );
    let good = parse_file(&seed_path(), Format::SummaryMarkdown)
        .papers
        .remove(0);
    let bad = &parsed.papers[0];
    let keys = |p: &Paper| -> BTreeSet<String> {
        p.entities
            .iter()
            .map(|e| e.key.as_str().to_owned())
            .collect()
    };
    let lost: Vec<String> = keys(&good).difference(&keys(bad)).cloned().collect();
    assert_eq!(lost, ["MESH:D000077274", "NCBIGene:939"]);
    assert!(
        keys(bad).iter().all(|k| !k.contains("abc")),
        "{:?}",
        keys(bad)
    );
    let named = |name: &str| -> Vec<&tomes::model::PaperEntity> {
        bad.entities.iter().filter(|e| e.name == name).collect()
    };
    // The CD27 protein was joined to the gene by its id; without it, each is its own
    // name-only entity.
    let cd27: Vec<(EntityKind, bool)> = named("CD27")
        .iter()
        .map(|e| (e.kind, e.key.is_name_only()))
        .collect();
    assert_eq!(
        cd27,
        [(EntityKind::Protein, true), (EntityKind::Gene, true)]
    );
    assert_eq!(bad.entities.len(), good.entities.len() + 1);
    let npc = named("NPC");
    assert!(npc.len() == 1 && npc[0].key.is_name_only() && npc[0].description.is_none());
}

/// The corpora's BioC files are one line: a real one cut short reports its problems at
/// line 1 with the byte of each (where the file ends, the start of the document cut off),
/// so a user can find them (before, only "line 1").
#[test]
fn problems_in_a_one_line_bioc_file_name_their_byte() {
    let Some(dir) = corpora() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("biored/Dev.BioC.XML")).unwrap();
    assert_eq!(
        text.trim_end().lines().count(),
        1,
        "one line, as SOURCE.txt says"
    );
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut_text = &text[..cut];
    let last_doc = cut_text.rfind("<document>").unwrap();
    let last_id = &cut_text[last_doc + "<document><id>".len()..];
    let last_id = &last_id[..last_id.find('<').unwrap()];
    let parsed = formats::parse(Format::BioC, cut_text, Path::new("Dev.BioC.XML"));
    let shown: Vec<String> = parsed.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(shown.len(), 2, "{shown:#?}");
    let ends = format!("Dev.BioC.XML:1: byte {cut}: malformed XML: the file ends inside ");
    assert!(shown[0].starts_with(&ends), "{shown:#?}");
    assert_eq!(
        shown[1],
        format!("Dev.BioC.XML:1: byte {last_doc}: document {last_id} is not complete; left out")
    );
    assert!(!parsed.papers.is_empty());
}

/// Cuts and splices of real files never panic, whatever the parsers make of them.
#[test]
fn truncated_and_spliced_inputs_do_not_panic() {
    let mut samples = vec![(
        Format::SummaryMarkdown,
        std::fs::read_to_string(seed_path()).unwrap(),
    )];
    if let Some(dir) = corpora() {
        for (format, file) in [
            (Format::PubTator, "biored/Dev.PubTator"),
            (Format::BioC, "biored/Dev.BioC.XML"),
            (Format::PubTator, "bc5cdr/CDR_TestSet.PubTator.txt"),
        ] {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            let cut = text
                .char_indices()
                .nth(12_000)
                .map_or(text.len(), |(i, _)| i);
            samples.push((format, text[..cut].to_owned()));
        }
    }
    for (format, text) in &samples {
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(53).collect();
        for &at in &boundaries {
            let _ = formats::parse(*format, &text[..at], Path::new("cut"));
            // Splice: drop a slice from the middle, joining unrelated halves.
            let end = text[at..]
                .char_indices()
                .nth(37)
                .map_or(text.len(), |(i, _)| at + i);
            let spliced = format!("{}{}", &text[..at], &text[end..]);
            let _ = formats::parse(*format, &spliced, Path::new("spliced"));
        }
        for other in [Format::SummaryMarkdown, Format::PubTator, Format::BioC] {
            let _ = formats::parse(other, text, Path::new("wrong-format"));
        }
    }
}

/// A large PubTator file is cut into pieces parsed on their own (in parallel): the pieces
/// together must give exactly the papers and problems (with their line numbers) of one
/// pass over the file. Cut small here so every corpus file falls into many pieces, with
/// and without blank lines between records (the cut looks for a title line, not a blank).
#[test]
fn pubtator_pieces_parse_like_the_whole_file() {
    let Some(dir) = corpora() else { return };
    let files = [
        "biored/Train.PubTator",
        "gnormplus/GNormPlus_Train.PubTator",
        "ncbi-disease/NCBItrainset_corpus.txt",
        "bc5cdr/CDR_TrainingSet.PubTator.txt",
    ];
    for name in files {
        let text = std::fs::read_to_string(dir.join(name)).expect("readable corpus file");
        for text in [text.clone(), text.replace("\n\n", "\n")] {
            let path = Path::new(name);
            let whole = formats::pubtator::parse(&text, path);
            let pieces = formats::pubtator::chunks(&text, 50_000);
            assert!(pieces.len() > 3, "{name}: {} pieces", pieces.len());
            assert_eq!(pieces[0].0.start, 0);
            assert_eq!(pieces.last().unwrap().0.end, text.len());
            let mut joined = Parsed::default();
            for (range, line) in pieces {
                assert!(
                    text[range.clone()].contains("|t|"),
                    "{name}: a piece starts a record"
                );
                let part = formats::pubtator::parse_from_line(&text[range], path, line, None);
                joined.papers.extend(part.papers);
                joined.problems.extend(part.problems);
            }
            assert_eq!(joined.papers, whole.papers, "{name}");
            assert_eq!(joined.problems, whole.problems, "{name}");
        }
    }
}

/// A relation naming an id that is neither annotated in its document nor a form tomes
/// reads says which id it is.
#[test]
fn a_relation_with_an_unknown_id_names_it() {
    let text = "555|t|Title.\n555|a|Text.\n555\t0\t5\tTitle\tChemical\tD000001\n\
                555\tCID\tD000001\tD2?\n";
    let parsed = formats::parse(Format::PubTator, text, Path::new("rel.PubTator"));
    let messages: Vec<String> = parsed.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        messages,
        [
            "rel.PubTator:4: relation CID D000001 D2? in 555: \"D2?\" is no entity of the \
          document nor an id tomes reads"
        ],
    );
    assert!(parsed.papers[0].relations.is_empty());
}

/// The entity `key` of paper `pmid` (a `PMID:`) in `parsed`.
fn entity_in<'a>(parsed: &'a Parsed, pmid: &str, key: &str) -> &'a tomes::model::PaperEntity {
    let paper = parsed
        .papers
        .iter()
        .find(|p| p.key.as_str() == pmid)
        .unwrap_or_else(|| panic!("{pmid}"));
    paper
        .entities
        .iter()
        .find(|e| e.key.as_str() == key)
        .unwrap_or_else(|| panic!("{pmid} {key}"))
}

/// (name, named by a group, aliases, mentions, spans) of an entity.
type Naming<'a> = (&'a str, bool, Vec<&'a str>, u32, Vec<(u32, u32)>);

fn naming(e: &tomes::model::PaperEntity) -> Naming<'_> {
    (
        e.name.as_str(),
        e.named_by_group,
        e.aliases.iter().map(|a| a.as_str()).collect(),
        e.mentions,
        e.spans.iter().map(|s| (s.start, s.end)).collect(),
    )
}

/// A mention that lists several entities (`spinocerebellar ataxias 1 and 2`, typed
/// `CompositeMention`; `BRCA1/2`) is no name of any of them: `tomes show` listed it as an
/// alias of each. It is still a mention of each, highlighted where it is; a mention with
/// several ids that names one thing (`cat eye syndrome`, MeSH and OMIM) stays a name.
#[test]
fn a_mention_listing_entities_names_none_of_them() {
    let Some(ncbi) = parse_corpus("ncbi-disease", Format::PubTator) else {
        return;
    };
    let composite = "spinocerebellar ataxias 1 and 2";
    let sca1 = entity_in(&ncbi, "PMID:9506545", "OMIM:164400");
    assert_eq!(
        naming(sca1),
        (
            "SCA1",
            false,
            vec![],
            5,
            vec![
                (304, 335),
                (337, 341),
                (416, 420),
                (1081, 1085),
                (1228, 1232)
            ]
        )
    );
    let sca2 = entity_in(&ncbi, "PMID:9506545", "OMIM:183090");
    assert_eq!((sca2.name.as_str(), sca2.aliases.len()), ("SCA2", 0));
    let paper = ncbi
        .papers
        .iter()
        .find(|p| p.key.as_str() == "PMID:9506545");
    assert!(paper.unwrap().group_names.iter().any(|g| g == composite));
    for key in ["MESH:C535918", "OMIM:115470"] {
        let e = entity_in(&ncbi, "PMID:1424237", key);
        assert_eq!(
            (e.name.as_str(), e.named_by_group, e.aliases.len()),
            ("cat eye syndrome", false, 1),
            "{key}"
        );
    }

    // `BRCA1/2` (ids 672,675) is BRCA1's only mention in PMID 11781689: BRCA1 goes by the
    // group's name there, which is no name of its own.
    let gnorm = parse_corpus("gnormplus", Format::PubTator).unwrap();
    let brca1 = entity_in(&gnorm, "PMID:11781689", "NCBIGene:672");
    assert_eq!(
        naming(brca1),
        ("BRCA1/2", true, vec![], 1, vec![(179, 186)])
    );
    let brca2 = entity_in(&gnorm, "PMID:11781689", "NCBIGene:675");
    assert_eq!(
        (
            brca2.name.as_str(),
            brca2.named_by_group,
            brca2.aliases.len()
        ),
        ("BRCA2", false, 0)
    );
}

/// Spellings that differ only in case are one name, spelled as the paper spells it most:
/// `famotidine` 5 times and `Famotidine` (starting the title and the abstract) twice is
/// `famotidine`; `congenital hypothyroidism` twice over the title's `Congenital
/// hypothyroidism`; `patient` 3 times over the heading `PATIENT`. The first spelling seen
/// was kept. The same from BioC.
#[test]
fn a_name_is_spelled_in_its_most_used_case() {
    let Some(cdr) = parse_corpus("bc5cdr", Format::PubTator) else {
        return;
    };
    let famotidine = entity_in(&cdr, "PMID:8701013", "MESH:D015738");
    assert_eq!(
        (
            famotidine.name.as_str(),
            famotidine.aliases.len(),
            famotidine.mentions
        ),
        ("famotidine", 0, 7)
    );
    for format in [Format::PubTator, Format::BioC] {
        let biored = parse_corpus("biored", format).unwrap();
        let disease = entity_in(&biored, "PMID:14510914", "MESH:D003409");
        assert_eq!(
            (
                disease.name.as_str(),
                disease.aliases.len(),
                disease.mentions
            ),
            ("congenital hypothyroidism", 0, 3),
            "{format:?}"
        );
        let human = entity_in(&biored, "PMID:14510914", "NCBITaxon:9606");
        let aliases: Vec<&str> = human.aliases.iter().map(|a| a.as_str()).collect();
        assert_eq!(
            (human.name.as_str(), aliases, human.mentions),
            ("patient", vec!["woman", "human"], 6),
            "{format:?}"
        );
    }
}

/// A PubTator file cut off at any byte of a real record says so, except where what is left
/// is whole: a file may end without a newline after its last line, and an entity line cut
/// after a type name reads as one without an id (`FamilyName` lines have none). A
/// cut in the abstract says which line the file ends in (it loaded in silence before: `tomes
/// show 439781` ended "…fell significantly wi").
#[test]
fn a_pubtator_file_cut_off_anywhere_in_a_record_says_so() {
    let Some(dir) = corpora() else { return };
    let cut_message = "the file ends in the middle of this line; the record may be cut off";
    let (mut abstract_cuts, mut id_cuts) = (0, 0);
    for name in ["bc5cdr/CDR_TestSet.PubTator.txt", "biored/Test.PubTator"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        // The first two records; the second is cut at each of its bytes.
        let titles: Vec<usize> = text
            .match_indices("|t|")
            .map(|(at, _)| at)
            .take(3)
            .collect();
        let second = text[..titles[1]].rfind('\n').unwrap() + 1;
        let end = text[..titles[2]].trim_end().len() + 1;
        for cut in second + 1..end {
            if !text.is_char_boundary(cut) {
                continue;
            }
            let kept = &text[..cut];
            let parsed = formats::pubtator::parse(kept, Path::new("cut.txt"));
            let last_line_no = kept.matches('\n').count() + 1;
            let line_start = kept.rfind('\n').map_or(0, |at| at + 1);
            let last = &kept[line_start..];
            let full_line = text[line_start..].lines().next().unwrap();
            let shown: Vec<String> = parsed.problems.iter().map(|p| p.to_string()).collect();
            let said_cut = format!("cut.txt:{last_line_no}: {cut_message}");
            if last.contains("|a|") {
                abstract_cuts += 1;
                assert_eq!(shown, [said_cut], "{name} cut at {cut}");
                continue;
            }
            let whole_line = last.trim_end_matches('\r') == full_line.trim_end_matches('\r');
            // An entity line cut before its id, or with its type cut to a whole type name
            // (`Organism` of `OrganismTaxon`); or with its id cut to a shorter one (`9` of
            // NCBITaxon `9606`). Ids cut short that are no id are reported as such.
            let columns: Vec<&str> = last.split('\t').collect();
            let no_id = columns.len() == 5 && formats::ids::is_type_name(columns[4]);
            let id_known = |id: &str| {
                let kind = formats::ids::kind_of(columns[4]);
                formats::ids::normalise_into(kind, id, &mut Vec::new()) == 0
            };
            let in_id = columns.len() == 6 && !columns[5].is_empty() && id_known(columns[5]);
            // Cut in its id to no id: said to be cut, and nothing else (it said "unrecognised
            // id" before).
            if columns.len() == 6 && !whole_line && !id_known(columns[5]) {
                id_cuts += 1;
                assert_eq!(
                    shown,
                    std::slice::from_ref(&said_cut),
                    "{name} cut at {cut}"
                );
                continue;
            }
            // A relation cut in its second id (to `rs1`, a dbSNP id too), before its
            // `Novel` (bc5cdr's have none) or to `No`. (An entity line cut in its mention has
            // 4 columns too: a cut line, said so.)
            let relation = !columns
                .get(1)
                .is_some_and(|c| c.starts_with(|c: char| c.is_ascii_digit()));
            let relation_id = columns.len() == 4 && relation && !columns[3].is_empty();
            let novelty = columns.len() == 5 && columns[4] == "No";
            let whole = whole_line || no_id || in_id || relation_id || novelty;
            if last.trim().is_empty() || whole {
                assert!(!shown.contains(&said_cut), "{name} cut at {cut}: {shown:?}");
            } else {
                assert!(
                    !shown.is_empty(),
                    "{name} cut at {cut}: {last:?} said nothing"
                );
            }
        }
    }
    assert!(abstract_cuts > 1000, "{abstract_cuts}");
    assert!(id_cuts > 10, "{id_cuts}");
}

/// Many files end without a newline after their last line, and one whose last line is
/// whole says nothing of a cut: an annotation line (with or without an id, an empty
/// column after its id), a relation line; every corpus file so ended loads as it does with
/// its newline.
#[test]
fn a_pubtator_file_without_a_final_newline_is_not_taken_for_cut_off() {
    let record = "1|t|Indomethacin and hypotension.\n1|a|Sodium and FOS family.\n";
    for last in [
        "1\t0\t12\tIndomethacin\tChemical\tD007213",
        "1\t0\t12\tIndomethacin\tChemical\tD007213\t",
        "1\t41\t51\tFOS family\tFamilyName",
        "1\tCID\tD007213\tD007022",
        "1\tCID\tD007213\tD007022\tNo",
        "1\tCID\tD007213\tD007022\tNovel",
    ] {
        let parsed = formats::pubtator::parse(&format!("{record}{last}"), Path::new("f"));
        let cut: Vec<String> = parsed
            .problems
            .iter()
            .filter(|p| p.message.contains("ends in the middle"))
            .map(|p| p.to_string())
            .collect();
        assert!(cut.is_empty(), "{last:?}: {cut:?}");
    }
    // Cut where a whole line would have gone on: each is said at its line, 4.
    for cut_last in [
        "1\t30\t36\tSodium\tChemi",
        "1\t30\t36\tSodium\t",
        "1\t30\t36\tSodium\tChemical\t",
        "1\tCID\tD007213\tD007022\tNov",
        "1\tCID\tD007213\tD007022\t",
    ] {
        let text = format!("{record}1\t0\t12\tIndomethacin\tChemical\tD007213\n{cut_last}");
        let parsed = formats::pubtator::parse(&text, Path::new("f"));
        assert!(
            parsed.problems.iter().any(|p| p.to_string()
                == "f:4: the file ends in the middle of this line; the record may be cut off"),
            "{cut_last:?}: {:?}",
            parsed.problems
        );
    }
    let Some(dir) = corpora() else { return };
    for name in [
        "biored/Test.PubTator",
        "bc5cdr/CDR_TestSet.PubTator.txt",
        "gnormplus/GNormPlus_Test.PubTator",
        "ncbi-disease/NCBItestset_corpus.txt",
        "nlm-gene/NLMgene_Test.PubTator",
        "species800/SPECIES_Test.PubTator",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let path = Path::new(name);
        let whole = formats::pubtator::parse(&text, path);
        let unended = formats::pubtator::parse(text.trim_end(), path);
        assert_eq!(unended.problems, whole.problems, "{name}");
        assert_eq!(unended.papers.len(), whole.papers.len(), "{name}");
    }
}

/// The seed summary with its id line rewritten as people paste it (parts between `|`, `;`
/// or `,`; a PubMed citation) is still a summary with its ids, journal and date, and its
/// other lines unchanged: the citation was a note and the paper keyed by its
/// file; `PMID: 1 | DOI: …` was a PMID "not a number".
#[test]
fn a_seed_whose_id_line_is_pasted_otherwise_keeps_its_ids() {
    let seed = std::fs::read_to_string(seed_path()).unwrap();
    let id_line = "PMC · DOI: 10.1038/s41420-026-02999-y · Cell Death Discovery · 2026-03-10";
    assert!(seed.contains(id_line));
    let path = Path::new("pasted.md");
    let read = |line: &str| {
        let text = seed.replace(id_line, line);
        assert_eq!(
            formats::detect(path, text.as_bytes()),
            Some(Format::SummaryMarkdown),
            "{line}"
        );
        formats::parse(Format::SummaryMarkdown, &text, path)
    };
    let original = read(id_line);
    let doi = Some("10.1038/s41420-026-02999-y");
    for (line, pmid, doi, journal, date) in [
        (
            "DOI: 10.1038/s41420-026-02999-y | Cell Death Discovery | 2026-03-10",
            None,
            doi,
            "Cell Death Discovery",
            "2026-03-10",
        ),
        (
            "PMID: 41000001; DOI: 10.1038/s41420-026-02999-y; Cell Death Discovery; 2026-03-10",
            Some("41000001"),
            doi,
            "Cell Death Discovery",
            "2026-03-10",
        ),
        (
            "Cell Death Discovery, March 10, 2026, PMCID: PMC13039540",
            None,
            None,
            "Cell Death Discovery",
            "2026-03-10",
        ),
        (
            "Cell Death Discov. 2026 Mar 10;12(1):45. doi: 10.1038/s41420-026-02999-y. \
             PMID: 41000001; PMCID: PMC13039540.",
            Some("41000001"),
            doi,
            "Cell Death Discov",
            "2026-03-10",
        ),
    ] {
        let parsed = read(line);
        assert!(parsed.problems.is_empty(), "{line}: {:?}", parsed.problems);
        let [paper] = parsed.papers.as_slice() else {
            panic!("{line}: {} papers", parsed.papers.len())
        };
        assert_eq!(paper.ids.pmid.as_deref(), pmid, "{line}");
        assert_eq!(paper.ids.pmcid.as_deref(), Some("PMC13039540"), "{line}");
        assert_eq!(paper.ids.doi.as_deref(), doi, "{line}");
        assert_eq!(paper.journal.as_deref(), Some(journal), "{line}");
        assert_eq!(paper.date.as_deref(), Some(date), "{line}");
        assert_eq!(paper.year, Some(2026), "{line}");
        let was = &original.papers[0];
        assert_eq!(paper.title, was.title, "{line}");
        assert_eq!(paper.authors, was.authors, "{line}");
        // (A citation's volume, issue and pages are its own.)
        let mut expected = was.summary().clone();
        expected.volume = paper.summary().volume.clone();
        expected.issue = paper.summary().issue.clone();
        expected.pages = paper.summary().pages.clone();
        assert_eq!(paper.summary(), &expected, "{line}: no line became a note");
        assert_eq!(paper.entities.len(), was.entities.len(), "{line}");
    }
}
