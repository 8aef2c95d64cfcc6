//! Export tests: BibTeX is read back with the `biblatex` crate, RIS with a minimal reader
//! written here, CSL-JSON with typed structs that enforce the CSL data schema's rules.
//! Inputs: the seed paper, a paper full of LaTeX specials, and every BioRED abstract.

use biblatex::{Bibliography, ChunksExt};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use tomes::export::{
    ExportFormat, KeyScope, citation_keys, citation_keys_in, citation_title, export,
};
use tomes::model::{
    EntityKey, EntityKind, Link, Paper, PaperEntity, PaperIds, PaperKey, SummaryParts,
};

fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The seed paper, read from the summary Markdown with just enough parsing for these tests
/// (the real parser is another module's job).
fn seed_paper() -> Paper {
    let text = std::fs::read_to_string(repo_path("seeds/000_ed9a9c1b19ae5cc2.txt"))
        .expect("seed paper is part of the repository");
    let mut paper = Paper::default();
    let mut lines = text.lines();
    let mut in_abstract = false;
    let mut abstract_lines = Vec::new();
    for line in lines.by_ref() {
        if let Some(title) = line.strip_prefix("# ") {
            paper.title = title.trim().to_string();
        } else if let Some(authors) = line.strip_prefix("**Authors:** ") {
            paper.authors = authors.split(", ").map(str::to_string).collect();
        } else if line.contains("DOI: ") && line.contains(" · ") {
            let parts: Vec<&str> = line.split(" · ").collect();
            for part in &parts {
                if let Some(doi) = part.strip_prefix("DOI: ") {
                    paper.ids.doi = Some(doi.to_string());
                }
            }
            paper.journal = Some(parts[parts.len() - 2].to_string());
            paper.date = Some(parts[parts.len() - 1].to_string());
            paper.year = parts[parts.len() - 1][..4].parse().ok();
        } else if line.starts_with("## ") {
            in_abstract = line == "## Abstract";
        } else if in_abstract && !line.trim().is_empty() {
            abstract_lines.push(line.trim());
        }
        if let Some(at) = line.find("/paper/PMC") {
            let id: String = line[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            paper.ids.pmcid = Some(id);
        }
    }
    paper.abstract_text = Some(abstract_lines.join(" ").into());
    paper.key = PaperKey::from_ids(&paper.ids, "seeds/000_ed9a9c1b19ae5cc2.txt");
    paper.entities.push(PaperEntity {
        key: EntityKey::curie("NCBIGene", "939"),
        kind: EntityKind::Gene,
        name: "CD27".into(),
        description: None,
        aliases: vec![].into(),
        mentions: 1,
        spans: vec![].into(),
        named_by_group: false,
        name_weight: 1,
    });
    paper
}

/// Every special character the formats must carry: LaTeX specials, Greek, accents, quotes.
fn nasty_paper() -> Paper {
    Paper {
        key: PaperKey("PMID:12345678".into()),
        ids: PaperIds {
            pmid: Some("12345678".into()),
            pmcid: Some("PMC7654321".into()),
            doi: Some("10.1000/a_b-c(d)%e".into()),
        },
        title: "TNF-α & IL-1β {raise} κ-opioid 100% $5 #1 a_b ~x^2 C:\\path -- “q” Müller @x".into(),
        authors: vec![
            "José Ñúñez".into(),
            "Ludwig van Beethoven".into(),
            "The α-Synuclein Consortium".into(),
            "Anne-Marie O’Neil".into(),
            "Consortium".into(),
            "Ram and Shyam Gupta".into(),
        ],
        journal: Some("J. Biol. & Chem. {Lett}".into()),
        date: Some("2019-11-05".into()),
        year: Some(2019),
        abstract_text: Some(
            "Line one\nline two: 5 < 6 > 4; 50% of β-cells; $\\alpha$ {unbalanced; back\\slash ~ ^ # _ &."
                .into(),
        ),
        summary: Some(Box::new(SummaryParts {
            links: vec![Link {
                label: "Source".into(),
                url: "https://example.org/a?b=1&c={2}".into(),
            }],
            ..SummaryParts::default()
        })),
        ..Paper::default()
    }
}

/// Whitespace runs folded to one space: what every format promises to keep.
/// A paper's abstract as text, read from its file where the library keeps only its place.
fn abstract_of(paper: &Paper) -> Option<String> {
    tomes::library::read_abstract(paper)
        .expect("the corpus files do not change during the tests")
        .map(|a| a.into_owned())
}

fn folded(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Title and abstract of every BioRED abstract, as papers.
fn biored_papers() -> Option<Vec<Paper>> {
    pubtator_papers(
        "biored",
        &["Train.PubTator", "Dev.PubTator", "Test.PubTator"],
    )
}

/// Title and abstract of every paper in some PubTator files of a corpus, merged by PMID.
fn pubtator_papers(corpus: &str, files: &[&str]) -> Option<Vec<Paper>> {
    let dir = repo_path("../shared/corpora").join(corpus);
    if !dir.is_dir() {
        eprintln!("skipping: ../shared/corpora not found");
        return None;
    }
    let mut papers: Vec<Paper> = Vec::new();
    let mut by_pmid: HashMap<String, usize> = HashMap::new();
    for name in files {
        let text = std::fs::read_to_string(dir.join(name)).expect("readable corpus file");
        for line in text.lines() {
            let mut parts = line.splitn(3, '|');
            let (Some(pmid), Some(kind), Some(body)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if kind != "t" && kind != "a" {
                continue;
            }
            let idx = *by_pmid.entry(pmid.to_string()).or_insert_with(|| {
                papers.push(Paper {
                    key: PaperKey(format!("PMID:{pmid}")),
                    ids: PaperIds {
                        pmid: Some(pmid.to_string()),
                        ..PaperIds::default()
                    },
                    ..Paper::default()
                });
                papers.len() - 1
            });
            if kind == "t" {
                papers[idx].title = body.to_string();
            } else {
                papers[idx].abstract_text = Some(body.into());
            }
        }
    }
    Some(papers)
}

// ---------------------------------------------------------------------------------------------
// Format names and keys.

#[test]
fn format_names_parse_and_print() {
    for format in ExportFormat::ALL {
        assert_eq!(format.as_str().parse::<ExportFormat>(), Ok(format));
    }
    assert_eq!("BibTeX".parse::<ExportFormat>(), Ok(ExportFormat::Bibtex));
    assert_eq!(
        "csl-json".parse::<ExportFormat>(),
        Ok(ExportFormat::CslJson)
    );
    let err = "endnote".parse::<ExportFormat>().unwrap_err();
    assert!(err.to_string().contains("bibtex, ris or csl-json"), "{err}");
}

#[test]
fn citation_keys_are_author_year_word_and_unique() {
    let seed = seed_paper();
    // Another paper of the same author, year and title word (its key sorts after the
    // seed's `PMC:PMC13039540`).
    let mut twin = seed.clone();
    twin.key = PaperKey("PMID:1".into());
    let mut other_year = seed.clone();
    other_year.date = Some("2025-01-02".into());
    let mut no_author = seed.clone();
    no_author.authors.clear();
    no_author.date = None;
    no_author.year = None;
    no_author.title = "The α-helix of p53".into();
    let mut group = seed.clone();
    group.authors = vec!["The BioRED Consortium".into()];
    // Without an author, the paper's id: PMID, else PMCID, else DOI; else anon + title word.
    let mut pubtator = no_author.clone();
    pubtator.ids.pmid = Some("28320736".into());
    let mut doi_only = no_author.clone();
    doi_only.ids.pmcid = None;
    let mut no_id = doi_only.clone();
    no_id.ids.doi = None;
    let mut no_id_twin = no_id.clone();
    no_id_twin.title = "Helix turns".into();
    no_id_twin.key = PaperKey("PMID:2".into());
    let papers = [
        &seed,
        &twin,
        &other_year,
        &no_author,
        &group,
        &pubtator,
        &doi_only,
        &no_id,
        &no_id_twin,
    ];
    let keys = citation_keys(&papers);
    assert_eq!(
        keys,
        [
            "zhu2026harnessing",
            "zhu2026harnessingb",
            "zhu2025harnessing",
            "pmc13039540",
            "biored2026harnessing",
            "pmid28320736",
            "doi101038s4142002602999y",
            "anonndhelix",
            "anonndhelixb",
        ]
    );
    assert_eq!(citation_keys(&[&seed]), ["zhu2026harnessing"]);
    // An authorless paper's key does not depend on what else is exported.
    assert_eq!(citation_keys(&[&pubtator]), ["pmid28320736"]);
    // A family name's particles are no part of its key (ut23c: `de2022cancer`); PubMed's
    // `Smith JA` is Smith's.
    for (author, key) in [
        ("Maria de la Cruz", "cruz2026harnessing"),
        ("Ludwig van Beethoven II", "beethoven2026harnessing"),
        ("Smith JA Jr", "smith2026harnessing"),
        ("van", "van2026harnessing"),
    ] {
        let mut p = seed.clone();
        p.authors = vec![author.into()];
        assert_eq!(citation_keys(&[&p]), [key], "{author}");
    }
    // One paper exported twice is told apart from itself.
    assert_eq!(
        citation_keys(&[&pubtator, &pubtator.clone()]),
        ["pmid28320736", "pmid28320736b"]
    );
}

/// Told apart among the library, a paper's key is the same whatever else is exported with
/// it (ut23b: the seed was `zhu2026harnessingc` exported with two papers sharing its author,
/// year and title word, and `zhu2026harnessing` exported alone).
#[test]
fn citation_keys_among_the_library_do_not_depend_on_what_is_exported() {
    let seed = seed_paper();
    let mut part1 = seed.clone();
    part1.key = PaperKey("PMID:11".into());
    part1.title = "Harnessing things, part 1".into();
    let mut part2 = part1.clone();
    part2.key = PaperKey("PMID:12".into());
    part2.title = "Harnessing things, part 2".into();
    let mut other = seed.clone();
    other.key = PaperKey("PMID:13".into());
    other.title = "Another title".into();
    let library = vec![part2.clone(), other.clone(), seed.clone(), part1.clone()];
    let scope = KeyScope::Library(&library);
    let all = citation_keys_in(&[&seed, &part1, &part2, &other], scope);
    assert_eq!(
        all,
        [
            "zhu2026harnessing",
            "zhu2026harnessingb",
            "zhu2026harnessingc",
            "zhu2026another"
        ]
    );
    let one = |p: &Paper| citation_keys_in(&[p], scope).remove(0);
    assert_eq!(one(&seed), all[0]);
    assert_eq!(one(&part1), all[1]);
    assert_eq!(one(&part2), all[2]);
    assert_eq!(
        citation_keys_in(&[&part2, &seed], scope),
        [all[2].clone(), all[0].clone()]
    );
    // A paper added later (a later id) takes a suffix; the keys before stay (ut24d's
    // `lord2012dna`, cited already, became `lord2012dnab` when a second one was added).
    let mut later = part1.clone();
    later.key = PaperKey("PMID:100".into());
    let mut grown = library.clone();
    grown.push(later.clone());
    let grown_scope = KeyScope::Library(&grown);
    assert_eq!(
        citation_keys_in(&[&seed, &part1, &part2, &later], grown_scope),
        [all[0].as_str(), &all[1], &all[2], "zhu2026harnessingd"]
    );
    // The same in every format.
    let bib = tomes::export::export_reporting(&[&part2], ExportFormat::Bibtex, scope).0;
    assert!(bib.starts_with("@article{zhu2026harnessingc,"), "{bib}");
    let csl = tomes::export::export_reporting(&[&part2], ExportFormat::CslJson, scope).0;
    assert!(csl.contains("\"id\": \"zhu2026harnessingc\""), "{csl}");
}

// ---------------------------------------------------------------------------------------------
// BibTeX, read back by a real parser.

fn bib_text(entry: &biblatex::Entry, field: &str) -> Option<String> {
    entry.get(field).map(|chunks| chunks.format_verbatim())
}

fn check_bibtex_round_trip(paper: &Paper, key: &str, bib: &Bibliography) {
    let entry = bib
        .get(key)
        .unwrap_or_else(|| panic!("entry {key} missing"));
    assert_eq!(entry.entry_type, biblatex::EntryType::Article);
    assert_eq!(
        bib_text(entry, "title").as_deref(),
        Some(folded(citation_title(&paper.title)).as_str()),
        "title of {key}"
    );
    if let Some(abstract_text) = abstract_of(paper) {
        assert_eq!(
            bib_text(entry, "abstract").as_deref(),
            Some(folded(&abstract_text).as_str()),
            "abstract of {key}"
        );
    }
    if let Some(journal) = &paper.journal {
        assert_eq!(
            bib_text(entry, "journal").as_deref(),
            Some(journal.as_str())
        );
    }
    if let Some(pmid) = &paper.ids.pmid {
        assert_eq!(bib_text(entry, "eprint").as_deref(), Some(pmid.as_str()));
        assert_eq!(bib_text(entry, "eprinttype").as_deref(), Some("pubmed"));
        assert_eq!(bib_text(entry, "pmid").as_deref(), Some(pmid.as_str()));
    }
    if let Some(doi) = &paper.ids.doi {
        assert_eq!(entry.doi().ok().as_deref(), Some(doi.as_str()));
    }
    let authors = if paper.authors.is_empty() {
        Vec::new()
    } else {
        entry.author().expect("authors parse")
    };
    let expected: Vec<tomes::export::PersonName> = paper
        .authors
        .iter()
        .map(|a| tomes::export::split_name(a))
        .collect();
    assert_eq!(authors.len(), expected.len(), "author count of {key}");
    for (person, name) in authors.iter().zip(&expected) {
        let family = if person.prefix.is_empty() {
            person.name.clone()
        } else {
            format!("{} {}", person.prefix, person.name)
        };
        assert_eq!(
            (family.as_str(), person.given_name.as_str()),
            (name.family.as_str(), name.given.as_str())
        );
    }
}

#[test]
fn bibtex_of_the_seed_paper_reads_back_field_for_field() {
    let seed = seed_paper();
    let text = export(&[&seed], ExportFormat::Bibtex);
    let bib = Bibliography::parse(&text).expect("biblatex parses our BibTeX");
    assert_eq!(bib.len(), 1);
    check_bibtex_round_trip(&seed, "zhu2026harnessing", &bib);
    let entry = bib.get("zhu2026harnessing").expect("entry");
    let authors = entry.author().expect("authors");
    assert_eq!(authors.len(), 6);
    assert_eq!(authors[4].name, "Guo");
    assert_eq!(authors[4].given_name, "Xiao’an");
    assert_eq!(bib_text(entry, "pmcid").as_deref(), Some("PMC13039540"));
    assert_eq!(
        bib_text(entry, "url").as_deref(),
        Some("https://pmc.ncbi.nlm.nih.gov/articles/PMC13039540/")
    );
    assert_eq!(
        bib_text(entry, "journal").as_deref(),
        Some("Cell Death Discovery")
    );
    assert!(text.contains("  month = mar,\n"), "{text}");
    assert!(text.contains("  year = {2026},\n"));
    assert!(
        !text.contains("date ="),
        "no biblatex date beside year/month"
    );
    // The parser turns year + month macro into a date (months counted from 0).
    let date = format!("{:?}", entry.date().expect("date from year and month"));
    assert!(
        date.contains("year: 2026") && date.contains("month: Some(2)"),
        "{date}"
    );
    // Gene-like words keep their case under styles that lower-case titles.
    let title_line = text
        .lines()
        .find(|l| l.starts_with("  title"))
        .expect("title");
    assert_eq!(
        title_line,
        "  title = {Harnessing the immune microenvironment: advances in nasopharyngeal carcinoma immunotherapy},"
    );
}

/// A citation's volume, issue and pages, as a summary's pasted citation gives them, are in
/// every format and the one-line citation (ut24d's LaTeX entries lacked them).
#[test]
fn volume_issue_and_pages_are_exported_in_every_format() {
    let mut paper = seed_paper();
    let summary = paper.summary_mut();
    summary.volume = Some("302".into());
    summary.issue = Some("5645".into());
    summary.pages = Some("643-646".into());
    let bibtex = export(&[&paper], ExportFormat::Bibtex);
    let bib = Bibliography::parse(&bibtex).expect("biblatex parses our BibTeX");
    let entry = bib.get("zhu2026harnessing").expect("entry");
    assert_eq!(bib_text(entry, "volume").as_deref(), Some("302"));
    assert_eq!(bib_text(entry, "number").as_deref(), Some("5645"));
    assert!(bibtex.contains("  pages = {643--646},\n"), "{bibtex}");
    let ris = export(&[&paper], ExportFormat::Ris);
    for line in [
        "VL  - 302\r\n",
        "IS  - 5645\r\n",
        "SP  - 643\r\n",
        "EP  - 646\r\n",
    ] {
        assert!(ris.contains(line), "{line:?} in {ris}");
    }
    let csl: serde_json::Value =
        serde_json::from_str(&export(&[&paper], ExportFormat::CslJson)).expect("JSON");
    assert_eq!(csl[0]["volume"], "302");
    assert_eq!(csl[0]["issue"], "5645");
    assert_eq!(csl[0]["page"], "643-646");
    let line = tomes::links::citation(&paper);
    assert!(
        line.contains("Cell Death Discovery. 2026;302(5645):643-646. doi:"),
        "{line}"
    );
    // Without them, none of the fields.
    let bare = seed_paper();
    let bibtex = export(&[&bare], ExportFormat::Bibtex);
    assert!(
        !bibtex.contains("volume") && !bibtex.contains("pages"),
        "{bibtex}"
    );
    assert!(!tomes::links::citation(&bare).contains(';'));
}

#[test]
fn titles_lose_one_trailing_period_in_every_format() {
    let mut paper = seed_paper();
    paper.title = "Platelet activation by PAF.".into();
    let bibtex = export(&[&paper], ExportFormat::Bibtex);
    assert!(
        bibtex.contains("  title = {Platelet activation by {PAF}},"),
        "{bibtex}"
    );
    let ris = export(&[&paper], ExportFormat::Ris);
    assert!(
        ris.contains("TI  - Platelet activation by PAF\r\n"),
        "{ris}"
    );
    let csl = export(&[&paper], ExportFormat::CslJson);
    assert!(
        csl.contains("\"title\": \"Platelet activation by PAF\""),
        "{csl}"
    );
    // An ellipsis, a question and a title without a period stay as they are.
    for title in ["Waiting for PAF...", "Is it PAF?", "PAF and platelets"] {
        assert_eq!(citation_title(title), title);
    }
    assert_eq!(citation_title(" PAF. "), "PAF");
    // An abbreviation's period stays (ut23b: `sp. nov` and `the {U.S}`); a sentence's goes.
    for title in [
        "Streptomyces fooensis sp. nov.",
        "Results of the U.S.",
        "Fungi of Brazil, e.g.",
        "Bacillus subtilis subsp. spizizenii (Nakamura et al.)",
    ] {
        assert_eq!(citation_title(title), title);
    }
    for (title, cited) in [
        ("The role of vitamin D.", "The role of vitamin D"),
        ("Insights from 1.5 T MRI.", "Insights from 1.5 T MRI"),
        ("A novel gene.", "A novel gene"),
        (
            "Treating X in the U.S. population.",
            "Treating X in the U.S. population",
        ),
    ] {
        assert_eq!(citation_title(title), cited);
    }
}

#[test]
fn bibtex_escapes_every_special_character_and_reads_back() {
    let nasty = nasty_paper();
    let text = export(&[&nasty], ExportFormat::Bibtex);
    let bib = Bibliography::parse(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    let key = &citation_keys(&[&nasty])[0];
    assert_eq!(key, "nunez2019tnf");
    check_bibtex_round_trip(&nasty, key, &bib);
    let entry = bib.get(key).expect("entry");
    // PMC wins over the paper's own link as the url.
    assert_eq!(
        bib_text(entry, "url").as_deref(),
        Some("https://pmc.ncbi.nlm.nih.gov/articles/PMC7654321/")
    );
    // Classic BibTeX counts braces even after a backslash: every field must balance.
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        assert!(depth >= 0, "brace closes before it opens:\n{text}");
    }
    assert_eq!(depth, 0, "unbalanced braces:\n{text}");
    assert_latex_safe(&text);
    // Greek and accents stay UTF-8, protected by braces in the title.
    assert!(text.contains("{TNF-α}") && text.contains("{IL-1β}") && text.contains("{Müller}"));
}

/// The biblatex crate is lenient (it reads a bare `&` as text), but LaTeX is not: in every
/// field that LaTeX typesets, `& % $ # _` must be escaped and `~ ^` must not appear raw.
/// Verbatim fields (doi, url, ids) are exempt: styles print them with `\url`-like commands.
fn assert_latex_safe(bibtex: &str) {
    const VERBATIM: &[&str] = &["doi", "url", "eprint", "eprinttype", "pmid", "pmcid"];
    for line in bibtex.lines() {
        let Some((name, value)) = line.trim_start().split_once(" = ") else {
            continue;
        };
        if VERBATIM.contains(&name) {
            continue;
        }
        let mut previous = ' ';
        for c in value.chars() {
            match c {
                '&' | '%' | '$' | '#' | '_' => {
                    assert_eq!(previous, '\\', "unescaped {c:?} in {name}: {value}")
                }
                '~' | '^' => panic!("raw {c:?} in {name}: {value}"),
                _ => {}
            }
            // A backslash that was itself escaped does not escape the next character.
            previous = if previous == '\\' && c == '\\' {
                ' '
            } else {
                c
            };
        }
    }
}

#[test]
fn bibtex_reads_back_every_biored_title_and_abstract() {
    let Some(papers) = biored_papers() else {
        return;
    };
    assert_eq!(papers.len(), 600, "BioRED SOURCE.txt: 600 abstracts");
    let refs: Vec<&Paper> = papers.iter().collect();
    let text = export(&refs, ExportFormat::Bibtex);
    let bib = Bibliography::parse(&text).expect("biblatex parses all 600 entries");
    assert_eq!(bib.len(), 600);
    let keys = citation_keys(&refs);
    assert_eq!(
        keys.iter().collect::<HashSet<_>>().len(),
        600,
        "keys unique"
    );
    for (paper, key) in papers.iter().zip(&keys) {
        check_bibtex_round_trip(paper, key, &bib);
    }
    assert_latex_safe(&text);
}

#[test]
fn bibtex_reads_back_every_gnormplus_title_and_abstract() {
    // GNormPlus keeps a few accented letters (ü, ö) that the other corpora normalised away.
    let Some(papers) = pubtator_papers(
        "gnormplus",
        &["GNormPlus_Train.PubTator", "GNormPlus_Test.PubTator"],
    ) else {
        return;
    };
    assert_eq!(papers.len(), 694, "gnormplus SOURCE.txt: 694 abstracts");
    assert!(papers.iter().any(|p| {
        abstract_of(p).is_some_and(|a| a.contains('ü') || a.contains('ö'))
            || p.title.contains('ü')
            || p.title.contains('ö')
    }));
    let refs: Vec<&Paper> = papers.iter().collect();
    let text = export(&refs, ExportFormat::Bibtex);
    let bib = Bibliography::parse(&text).expect("biblatex parses all entries");
    assert_eq!(bib.len(), 694);
    for (paper, key) in papers.iter().zip(&citation_keys(&refs)) {
        check_bibtex_round_trip(paper, key, &bib);
    }
    assert_latex_safe(&text);
}

// ---------------------------------------------------------------------------------------------
// RIS, read back by a minimal reader.

/// One RIS record: tag -> values in order.
type RisRecord = Vec<(String, String)>;

/// Reads RIS as the spec describes: `XX  - value` lines, records ending at `ER  - `.
fn read_ris(text: &str) -> Vec<RisRecord> {
    let mut records = Vec::new();
    let mut current: RisRecord = Vec::new();
    for line in text.split("\r\n") {
        if line.is_empty() {
            continue;
        }
        assert!(
            line.len() >= 6 && &line[2..6] == "  - ",
            "bad RIS line {line:?}"
        );
        let (tag, value) = (&line[..2], &line[6..]);
        if tag == "ER" {
            assert_eq!(value, "");
            records.push(std::mem::take(&mut current));
        } else {
            if current.is_empty() {
                assert_eq!((tag, value), ("TY", "JOUR"), "a record starts with TY");
            }
            current.push((tag.to_string(), value.to_string()));
        }
    }
    assert!(current.is_empty(), "record without ER");
    records
}

fn ris_values<'a>(record: &'a RisRecord, tag: &str) -> Vec<&'a str> {
    record
        .iter()
        .filter(|(t, _)| t == tag)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn ris_round_trips_the_seed_and_special_characters() {
    let seed = seed_paper();
    let nasty = nasty_paper();
    let text = export(&[&seed, &nasty], ExportFormat::Ris);
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "only CRLF line ends"
    );
    let records = read_ris(&text);
    assert_eq!(records.len(), 2);
    for (paper, record) in [&seed, &nasty].iter().zip(&records) {
        assert_eq!(
            ris_values(record, "TI"),
            [folded(citation_title(&paper.title))]
        );
        assert_eq!(
            ris_values(record, "AB"),
            [folded(&abstract_of(paper).unwrap_or_default())]
        );
        assert_eq!(ris_values(record, "AU").len(), paper.authors.len());
        assert_eq!(
            ris_values(record, "JO"),
            [paper.journal.as_deref().unwrap_or_default()]
        );
        assert_eq!(
            ris_values(record, "DO"),
            [paper.ids.doi.as_deref().unwrap_or_default()]
        );
    }
    let seed_record = &records[0];
    assert_eq!(ris_values(seed_record, "AU")[4], "Guo, Xiao’an");
    assert_eq!(ris_values(seed_record, "PY"), ["2026"]);
    assert_eq!(ris_values(seed_record, "DA"), ["2026/03/10/"]);
    assert_eq!(ris_values(seed_record, "C2"), ["PMC13039540"]);
    assert_eq!(ris_values(seed_record, "KW"), ["CD27"]);
    assert_eq!(ris_values(seed_record, "AN"), Vec::<&str>::new());
    let nasty_record = &records[1];
    assert_eq!(ris_values(nasty_record, "AN"), ["12345678"]);
    assert_eq!(
        ris_values(nasty_record, "AU"),
        [
            "Ñúñez, José",
            "van Beethoven, Ludwig",
            "The α-Synuclein Consortium",
            "O’Neil, Anne-Marie",
            "Consortium",
            "Gupta, Ram and Shyam"
        ]
    );
}

#[test]
fn ris_round_trips_every_biored_abstract() {
    let Some(papers) = biored_papers() else {
        return;
    };
    let refs: Vec<&Paper> = papers.iter().collect();
    let records = read_ris(&export(&refs, ExportFormat::Ris));
    assert_eq!(records.len(), 600);
    for (paper, record) in papers.iter().zip(&records) {
        assert_eq!(
            ris_values(record, "TI"),
            [folded(citation_title(&paper.title))]
        );
        assert_eq!(
            ris_values(record, "AB"),
            [folded(&abstract_of(paper).unwrap_or_default())]
        );
        assert_eq!(
            ris_values(record, "AN"),
            [paper.ids.pmid.as_deref().unwrap_or_default()]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// CSL-JSON, checked against the CSL data schema's rules with typed deserialisation.
//
// The rules, from the CSL schema's `csl-data.json` (draft-07): the document is an array of
// objects; each requires `type` (one of the CSL item types) and `id` (string or number); no
// properties beyond the listed variables (`additionalProperties: false`); name variables are
// objects of string parts (`family`, `given`, `literal`, particles, `suffix`) and nothing else;
// a date variable is an object with `date-parts` (1 or 2 arrays of 1 to 3 numbers or strings),
// optional `season`, `circa`, `literal`, `raw`, `edtf`, and nothing else; DOI, PMID, PMCID,
// URL, title, container-title and abstract are strings.

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct CslItem {
    id: CslId,
    #[serde(rename = "type")]
    item_type: String,
    title: Option<String>,
    author: Option<Vec<CslName>>,
    #[serde(rename = "container-title")]
    container_title: Option<String>,
    issued: Option<CslDate>,
    #[serde(rename = "DOI")]
    doi: Option<String>,
    #[serde(rename = "PMID")]
    pmid: Option<String>,
    #[serde(rename = "PMCID")]
    pmcid: Option<String>,
    #[serde(rename = "URL")]
    url: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum CslId {
    Text(String),
    Number(f64),
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct CslName {
    family: Option<String>,
    given: Option<String>,
    literal: Option<String>,
    #[serde(rename = "dropping-particle")]
    _dropping_particle: Option<String>,
    #[serde(rename = "non-dropping-particle")]
    _non_dropping_particle: Option<String>,
    #[serde(rename = "suffix")]
    _suffix: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: Option<Vec<Vec<DatePart>>>,
    #[serde(rename = "literal")]
    _literal: Option<String>,
    #[serde(rename = "raw")]
    _raw: Option<String>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum DatePart {
    Number(i64),
    Text(String),
}

/// The CSL item types of the schema's `type` enum that a journal-article exporter may use.
const CSL_TYPES: &[&str] = &["article", "article-journal", "article-magazine", "review"];

fn parse_csl(text: &str) -> Vec<CslItem> {
    let items: Vec<CslItem> = serde_json::from_str(text).expect("CSL-JSON fits the schema");
    for item in &items {
        assert!(
            CSL_TYPES.contains(&item.item_type.as_str()),
            "{}",
            item.item_type
        );
        if let Some(issued) = &item.issued {
            let parts = issued.date_parts.as_ref().expect("date-parts");
            assert!((1..=2).contains(&parts.len()), "1 or 2 date-parts arrays");
            for date in parts {
                assert!((1..=3).contains(&date.len()), "1 to 3 parts per date");
            }
        }
        for name in item.author.iter().flatten() {
            assert!(
                name.literal.is_some() || name.family.is_some(),
                "a name has a family or literal part"
            );
        }
    }
    let ids: HashSet<String> = items.iter().map(|i| format!("{:?}", i.id)).collect();
    assert_eq!(ids.len(), items.len(), "ids unique");
    items
}

#[test]
fn csl_json_fits_the_schema_and_keeps_every_field() {
    let seed = seed_paper();
    let nasty = nasty_paper();
    let text = export(&[&seed, &nasty], ExportFormat::CslJson);
    let items = parse_csl(&text);
    assert_eq!(items.len(), 2);
    let s = &items[0];
    assert_eq!(s.id, CslId::Text("zhu2026harnessing".into()));
    assert_eq!(s.item_type, "article-journal");
    assert_eq!(s.title.as_deref(), Some(seed.title.as_str()));
    assert_eq!(s.container_title.as_deref(), Some("Cell Death Discovery"));
    assert_eq!(
        s.issued.as_ref().and_then(|d| d.date_parts.as_ref()),
        Some(&vec![vec![
            DatePart::Number(2026),
            DatePart::Number(3),
            DatePart::Number(10)
        ]])
    );
    assert_eq!(s.doi.as_deref(), Some("10.1038/s41420-026-02999-y"));
    assert_eq!(s.pmcid.as_deref(), Some("PMC13039540"));
    assert_eq!(s.pmid, None);
    assert_eq!(
        s.url.as_deref(),
        Some("https://pmc.ncbi.nlm.nih.gov/articles/PMC13039540/")
    );
    assert_eq!(s.abstract_text, abstract_of(&seed));
    let authors = s.author.as_ref().expect("authors");
    assert_eq!(authors[4].family.as_deref(), Some("Guo"));
    assert_eq!(authors[4].given.as_deref(), Some("Xiao’an"));

    let n = &items[1];
    assert_eq!(n.title.as_deref(), Some(nasty.title.as_str()));
    assert_eq!(
        n.abstract_text,
        abstract_of(&nasty),
        "JSON keeps newlines too"
    );
    assert_eq!(n.pmid.as_deref(), Some("12345678"));
    assert_eq!(n.doi.as_deref(), Some("10.1000/a_b-c(d)%e"));
    let authors = n.author.as_ref().expect("authors");
    assert_eq!(authors[4].literal.as_deref(), Some("Consortium"));
    assert_eq!(authors[1].family.as_deref(), Some("van Beethoven"));
    assert_eq!(
        authors[2].literal.as_deref(),
        Some("The α-Synuclein Consortium")
    );
}

#[test]
fn csl_json_of_every_biored_abstract_fits_the_schema() {
    let Some(papers) = biored_papers() else {
        return;
    };
    let refs: Vec<&Paper> = papers.iter().collect();
    let items = parse_csl(&export(&refs, ExportFormat::CslJson));
    assert_eq!(items.len(), 600);
    for (paper, item) in papers.iter().zip(&items) {
        assert_eq!(item.title.as_deref(), Some(citation_title(&paper.title)));
        assert_eq!(item.pmid, paper.ids.pmid);
        assert_eq!(
            item.url.as_deref(),
            Some(
                format!(
                    "https://pubmed.ncbi.nlm.nih.gov/{}/",
                    paper.ids.pmid.as_deref().unwrap_or_default()
                )
                .as_str()
            )
        );
        let expected = abstract_of(paper);
        assert_eq!(
            item.abstract_text.as_deref(),
            expected.as_deref().map(str::trim)
        );
    }
}

#[test]
fn empty_selection_exports_empty_documents() {
    assert_eq!(export(&[], ExportFormat::Bibtex), "");
    assert_eq!(export(&[], ExportFormat::Ris), "");
    assert_eq!(export(&[], ExportFormat::CslJson).trim(), "[]");
}
