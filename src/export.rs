//! Citation export: BibTeX, RIS and CSL-JSON text for a selection of papers.
//!
//! Pure functions from [`Paper`]s to text; writing the text to a file or the clipboard is the
//! caller's job. The three formats share the citation keys ([`citation_keys`]), so a BibTeX key
//! and a CSL-JSON `id` name the same paper (Pandoc reads either).
//!
//! Wiring: `let text = export(&selected, "bibtex".parse()?);` then write or copy `text`.
//!
//! Choices, and why:
//! - BibTeX keeps UTF-8 as it is (`Xiao’an`, `TNF-α`): biber, bibtex8, Zotero and JabRef read
//!   UTF-8, and LaTeX has read UTF-8 by default since 2018. Mapping `α` to `$\alpha$` would turn
//!   words into maths (italic, different spacing, a different string for every reader), and no
//!   mapping table covers every symbol an abstract can hold. Title words that carry non-ASCII
//!   letters or capitals after their first letter (`CD27`, `PD-L1`, `α-synuclein`) are wrapped
//!   in braces so styles that lower-case titles keep gene names as written.
//! - LaTeX specials are escaped as commands every BibTeX parser resolves (`\&`, `\%`,
//!   `\textbackslash{}`, `\textasciitilde{}`, ...); braces become `\textbraceleft{}` so that a
//!   lone `{` in a title cannot unbalance the entry for classic BibTeX, which counts braces
//!   even after a backslash.
//! - Dates are `year` + `month` (a month macro such as `mar`): classic BibTeX styles read
//!   nothing else and biber derives its date from them. A biblatex `date` field beside them
//!   would make biber warn "Overwriting field 'year'" for every entry; the day is lost, which
//!   no citation style prints for a journal article anyway.
//! - The PMID is written three ways that real tools read: biblatex's `eprint` + `eprinttype =
//!   {pubmed}` (rendered as a PubMed link by biblatex styles), and JabRef's `pmid` field; PMCID
//!   as JabRef's `pmcid`.
//! - RIS follows the RIS spec: CRLF line ends, one `AU` per author, `AN` for the PMID (Zotero's
//!   reading), `C2` for the PMCID (EndNote's PubMed import), `T2` and `JO` for the journal.
//! - Titles lose one trailing period in all three formats ([`citation_title`]): PubMed titles
//!   end with one, and citation styles and managers add their own punctuation after a title
//!   (`{... PAF.}` printed as "... PAF..").
//! - Control characters from the data (an ESC in a title) are left out of all three formats
//!   ([`crate::safe_text::without_controls`]), not written as `^[` as a terminal shows them:
//!   they mean nothing in a citation, LaTeX stops at them ("invalid character"), RIS is read
//!   line by line, and a .bib file `cat` to a terminal must not be able to clear it. The
//!   bidirectional controls (U+202E, ...) are left out too, not written as `<U+202E>`: kept,
//!   one reversed the rest of its line wherever the file was shown. Line breaks and tabs are
//!   whitespace, folded to a space where a format needs one line.

use crate::links;
use crate::model::{Paper, is_name_suffix};
use crate::safe_text::without_controls;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

/// A citation export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    Bibtex,
    Ris,
    CslJson,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 3] = [
        ExportFormat::Bibtex,
        ExportFormat::Ris,
        ExportFormat::CslJson,
    ];

    /// The name used on the command line (`bibtex`, `ris`, `csl-json`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Bibtex => "bibtex",
            ExportFormat::Ris => "ris",
            ExportFormat::CslJson => "csl-json",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Bibtex => "bib",
            ExportFormat::Ris => "ris",
            ExportFormat::CslJson => "json",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for an unknown format name; its message lists the known ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown export format {:?} (expected bibtex, ris or csl-json)",
            self.0
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for ExportFormat {
    type Err = UnknownFormat;

    /// Accepts the canonical names case-insensitively, plus `bib` and `csl`/`json` aliases.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "bibtex" | "bib" => Ok(ExportFormat::Bibtex),
            "ris" => Ok(ExportFormat::Ris),
            "csl-json" | "csljson" | "csl" | "json" => Ok(ExportFormat::CslJson),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

/// All `papers` in `format`, in the order given, with their abstracts (read from their
/// files where the library keeps only their place; one that cannot be read is left out:
/// [`export_reporting`] says which).
pub fn export(papers: &[&Paper], format: ExportFormat) -> String {
    export_reporting(papers, format, KeyScope::Exported).0
}

/// Abstracts an export left out because they could not be read from their files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub abstracts: usize,
    /// Why the first could not be read (`… changed since it was loaded; reload (R) …`).
    pub first_reason: Option<String>,
}

/// [`export`], keys told apart among `scope`, and what it had to leave out.
pub fn export_reporting(
    papers: &[&Paper],
    format: ExportFormat,
    scope: KeyScope,
) -> (String, LeftOut) {
    let mut left_out = LeftOut::default();
    let abstracts: Vec<Option<Cow<str>>> = papers
        .iter()
        .map(|p| {
            crate::library::read_abstract(p).unwrap_or_else(|why| {
                left_out.abstracts += 1;
                left_out.first_reason.get_or_insert(why);
                None
            })
        })
        .collect();
    (
        export_with_abstracts(papers, &abstracts, format, scope),
        left_out,
    )
}

/// [`export`] with each paper's abstract given (in the order of `papers`), keys told apart
/// among `scope`.
pub fn export_with_abstracts(
    papers: &[&Paper],
    abstracts: &[Option<Cow<str>>],
    format: ExportFormat,
    scope: KeyScope,
) -> String {
    let abstract_of = |i: usize| {
        abstracts
            .get(i)
            .and_then(|a| a.as_deref())
            .map(str::trim)
            .filter(|a| !a.is_empty())
    };
    match format {
        ExportFormat::Bibtex => bibtex(papers, abstract_of, scope),
        ExportFormat::Ris => ris(papers, abstract_of),
        ExportFormat::CslJson => csl_json(papers, abstract_of, scope),
    }
}

// ---------------------------------------------------------------------------------------------
// Names and dates, shared by the formats and by the one-line citation in `links`.

/// A display name split into family and given parts; `given` is empty for a name we cannot
/// split (a single word, a consortium), which formats then write as a literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName {
    pub family: String,
    pub given: String,
    /// `Jr.`, `III`: after the name, not part of the family name (empty for most).
    pub suffix: String,
}

/// Words that belong to the family name when they precede it (`van der Berg`, `de la Cruz`).
const FAMILY_PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "dos", "das",
    "ter", "ten", "bin", "al",
];

/// Words that mark a group author ("The α-Synuclein Consortium"), which has no family name.
const GROUP_WORDS: &[&str] = &[
    "consortium",
    "group",
    "network",
    "collaboration",
    "collaborative",
    "committee",
    "society",
    "investigators",
    "association",
    "institute",
    "team",
    "study",
    "initiative",
    "alliance",
    "council",
    "organization",
    "organisation",
];

/// Splits a display name ("Xiao’an Guo", "Guo, Xiao’an", "Ludwig van Beethoven") into family
/// and given names. Names written "Family, Given" are taken as written; a group author
/// (a word like "Consortium" or "Group") or a single word is kept whole as `family` with an
/// empty `given`; otherwise the last word is the family name, with lower-case particles
/// before it.
pub fn split_name(display: &str) -> PersonName {
    let display = display.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((family, given)) = display.split_once(',') {
        let (family, given) = (family.trim(), given.trim());
        // `King, Martin Luther, Jr.`
        let (given, suffix) = match given.rsplit_once(',') {
            Some((given, suffix)) if is_name_suffix(suffix.trim()) => (given.trim(), suffix.trim()),
            _ => (given, ""),
        };
        if !family.is_empty() && !given.is_empty() && !is_name_suffix(given) {
            return PersonName {
                family: family.to_string(),
                given: given.to_string(),
                suffix: suffix.to_string(),
            };
        }
    }
    let mut words: Vec<&str> = display.split(' ').filter(|w| !w.is_empty()).collect();
    let is_group = words
        .iter()
        .any(|w| GROUP_WORDS.contains(&w.to_lowercase().as_str()));
    // A suffix after two words or more (`King Jr.`, `Downey III`; written `King, Jr.` too).
    let suffix = match words.last() {
        Some(last) if !is_group && words.len() > 2 && is_name_suffix(last) => {
            let suffix = last.trim_end_matches(',');
            words.pop();
            if let Some(before) = words.last_mut() {
                *before = before.trim_end_matches(',');
            }
            suffix.to_string()
        }
        _ => String::new(),
    };
    // A name and its suffix alone (`King, Jr.`) cannot be split either.
    let name_and_suffix = words.len() == 2 && is_name_suffix(words[1]);
    if words.len() < 2 || is_group || name_and_suffix {
        return PersonName {
            family: display.clone(),
            given: String::new(),
            suffix: String::new(),
        };
    }
    // PubMed's `Smith JA`: the family name first, then the initials (ut23c's exports read
    // `JA, Smith`).
    if let Some((last, before)) = words.split_last()
        && let Some(given) = pubmed_initials(last)
        && pubmed_initials(before[0]).is_none()
    {
        return PersonName {
            family: before.join(" "),
            given,
            suffix,
        };
    }
    // A particle in capitals belongs too beside one in lower case: `Jean de La Fontaine`,
    // `Carlos De la Cruz` (ut24d's exports read `Fontaine, Jean de La`).
    let particle = |i: usize| FAMILY_PARTICLES.contains(&words[i]);
    let capital_particle = |i: usize| {
        FAMILY_PARTICLES.contains(&words[i].to_lowercase().as_str())
            && ((i + 1 < words.len() && particle(i + 1)) || (i > 0 && particle(i - 1)))
    };
    let mut family_start = words.len() - 1;
    while family_start > 1 && (particle(family_start - 1) || capital_particle(family_start - 1)) {
        family_start -= 1;
    }
    PersonName {
        family: words[family_start..].join(" "),
        given: words[..family_start].join(" "),
        suffix,
    }
}

/// `J. A.` for a word of one to three capitals as PubMed writes initials (`JA`, `J.A.`,
/// `B`), else `None`.
fn pubmed_initials(word: &str) -> Option<String> {
    let letters: Vec<char> = word.chars().filter(|&c| c != '.').collect();
    ((1..=3).contains(&letters.len()) && letters.iter().all(char::is_ascii_uppercase)).then(|| {
        letters
            .iter()
            .map(|c| format!("{c}."))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Year, month and day from the paper's date (`2026-03-10`, `2026-03`, `2026/3/10`,
/// `2026`), falling back to its year. Parts that do not parse are dropped.
pub fn date_parts(paper: &Paper) -> Vec<i32> {
    let mut parts = Vec::new();
    if let Some(date) = &paper.date {
        for piece in date.trim().split(['-', '/', '.']).take(3) {
            match piece.trim().parse::<i32>() {
                Ok(n) => parts.push(n),
                Err(_) => break,
            }
        }
        let plausible = match parts.as_slice() {
            [y, rest @ ..] => {
                (1000..=9999).contains(y)
                    && rest.first().is_none_or(|m| (1..=12).contains(m))
                    && rest.get(1).is_none_or(|d| (1..=31).contains(d))
            }
            [] => false,
        };
        if !plausible {
            parts.clear();
        }
    }
    if parts.is_empty()
        && let Some(year) = paper.year
    {
        parts.push(year);
    }
    parts
}

// ---------------------------------------------------------------------------------------------
// Citation keys.

/// Words skipped when picking the title word of a citation key.
const KEY_STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "on", "in", "for", "and", "to", "with", "from", "by", "at",
];

/// The papers a citation key is told apart among: of papers whose author, year and title
/// word are the same, the first in the order of their paper keys keeps the key and the
/// others get `b`, `c`, ... ([`citation_keys_in`]).
#[derive(Clone, Copy, Debug)]
pub enum KeyScope<'a> {
    /// The papers exported, alone.
    Exported,
    /// Every paper loaded: a paper's key is then the same whatever else is exported with it
    /// (ut23b's seed was `zhu2026harnessingc` exported with its library, and
    /// `zhu2026harnessing` alone: a manuscript's `@key` moved to another paper).
    Library(&'a [Paper]),
}

/// One citation key per paper, in order: first author's family name + year + first
/// significant title word, ASCII lower case (`zhu2026harnessing`), told apart among the
/// papers exported ([`citation_keys_in`] among a library).
pub fn citation_keys(papers: &[&Paper]) -> Vec<String> {
    citation_keys_in(papers, KeyScope::Exported)
}

/// [`citation_keys`] told apart among `scope`. Papers that would share a key are taken in
/// the order of their paper keys: the first keeps it, the others get `b`, `c`, ... after
/// it, so the same paper gets the same key from the same scope, and a paper added later
/// takes a suffix rather than changing the key of the one before (ut24d's `lord2012dna`,
/// cited in a paper already, became `lord2012dnab` when a second Lord 2012 was added). A
/// paper exported twice is told apart from itself, as every key of a file must be unique.
pub fn citation_keys_in(papers: &[&Paper], scope: KeyScope) -> Vec<String> {
    let bases: Vec<String> = papers.iter().map(|p| base_key(p)).collect();
    // The paper keys of the papers with each base exported.
    let mut sharing: HashMap<&str, Vec<&str>> = HashMap::new();
    for (paper, base) in papers.iter().zip(&bases) {
        sharing
            .entry(base.as_str())
            .or_default()
            .push(paper.key.as_str());
    }
    if let KeyScope::Library(library) = scope {
        for paper in library {
            // An authorless paper's key is its own id, shared with no other paper: passed
            // over without making the key (the copy menu asks on each frame, and a PubTator
            // library is all such papers).
            if paper.authors.is_empty() && has_id_key(paper) {
                continue;
            }
            if let Some(keys) = sharing.get_mut(base_key(paper).as_str()) {
                keys.push(paper.key.as_str());
            }
        }
    }
    // In the ids' order, numbers by their value: a later PMID of eight digits after an
    // older one of seven, which a string order puts before it.
    fn id_order(key: &str) -> (&str, usize, &str) {
        let (kind, id) = key.split_once(':').unwrap_or(("", key));
        let number = id.bytes().all(|b| b.is_ascii_digit());
        (kind, if number { id.len() } else { 0 }, id)
    }
    for keys in sharing.values_mut() {
        keys.sort_by(|a, b| id_order(a).cmp(&id_order(b)));
        keys.dedup();
    }
    let mut taken: HashSet<String> = HashSet::new();
    bases
        .iter()
        .zip(papers)
        .map(|(base, paper)| {
            let keys = &sharing[base.as_str()];
            let at = keys
                .iter()
                .position(|&k| k == paper.key.as_str())
                .unwrap_or(0);
            let first = match at {
                0 => base.clone(),
                at => format!("{base}{}", alphabetic_suffix(at)),
            };
            if taken.insert(first.clone()) {
                return first;
            }
            // Taken already (the paper twice): past every suffix the others may have.
            (keys.len()..)
                .map(|n| format!("{base}{}", alphabetic_suffix(n)))
                .find(|candidate| taken.insert(candidate.clone()))
                .unwrap_or(first)
        })
        .collect()
}

/// `a`, `b`, ..., `z`, `aa`, `ab`, ...
fn alphabetic_suffix(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn base_key(paper: &Paper) -> String {
    // Without an author there is no author-year key: `anonnd<word>` collided across a
    // PubTator export's thousands of authorless papers, and the suffix that told them apart
    // depended on what else was exported. The paper's own id is unique and stays put.
    if paper.authors.is_empty()
        && let Some(key) = id_key(paper)
    {
        return key;
    }
    // A group author's first significant word stands in for a family name.
    let author = paper
        .authors
        .first()
        .and_then(|a| {
            let family = split_name(a).family;
            // `de la Cruz` is cruz, `van Beethoven` beethoven (ut23c read `de2022cancer`).
            let words: Vec<&str> = family.split(' ').collect();
            let particles = words
                .iter()
                .take_while(|w| FAMILY_PARTICLES.contains(&w.to_lowercase().as_str()))
                .count()
                .min(words.len().saturating_sub(1));
            words[particles..]
                .iter()
                .map(|w| key_fold(w))
                .find(|w| !w.is_empty() && !KEY_STOP_WORDS.contains(&w.as_str()))
        })
        .unwrap_or_default();
    let year = date_parts(paper)
        .first()
        .map_or_else(|| "nd".to_string(), |y| y.to_string());
    // A word of one letter (`α` in "The α-helix of p53") says little: `helix` does.
    let word = paper
        .title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
        .map(key_fold)
        .find(|w| !w.is_empty() && !KEY_STOP_WORDS.contains(&w.as_str()))
        .unwrap_or_default();
    let author = if author.is_empty() {
        "anon".to_string()
    } else {
        author
    };
    format!("{author}{year}{word}")
}

/// `pmid28320736`, `pmc1234567` or the DOI folded (`doi101038s41419`), for a paper with
/// no author.
fn id_key(paper: &Paper) -> Option<String> {
    let id = |prefix: &str, id: Option<&str>| {
        let folded = key_fold(id?);
        (!folded.is_empty()).then(|| format!("{prefix}{folded}"))
    };
    let pmcid = paper.ids.pmcid.as_deref();
    id("pmid", paper.ids.pmid.as_deref())
        .or_else(|| id("pmc", pmcid.map(|p| p.strip_prefix("PMC").unwrap_or(p))))
        .or_else(|| id("doi", paper.ids.doi.as_deref()))
}

/// Whether [`id_key`] keys `paper` by an id, told without folding it: an id holding an
/// ASCII letter or digit folds to a key that is not empty.
fn has_id_key(paper: &Paper) -> bool {
    let pmcid = paper.ids.pmcid.as_deref();
    [
        paper.ids.pmid.as_deref(),
        pmcid.map(|p| p.strip_prefix("PMC").unwrap_or(p)),
        paper.ids.doi.as_deref(),
    ]
    .into_iter()
    .flatten()
    .any(|id| id.bytes().any(|b| b.is_ascii_alphanumeric()))
}

/// ASCII letters and digits only, lower case, folded as search folds text (`Müller` ->
/// `muller`, `α-Synuclein` -> `alphasynuclein`, see [`crate::fold`]), so keys are safe in
/// BibTeX, LaTeX `\cite` and Pandoc `@key` alike.
fn key_fold(s: &str) -> String {
    crate::fold::fold_lower(s)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// BibTeX.

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn bibtex<'a>(
    papers: &[&Paper],
    abstract_of: impl Fn(usize) -> Option<&'a str>,
    scope: KeyScope,
) -> String {
    let keys = citation_keys_in(papers, scope);
    let mut out = String::new();
    for (i, (paper, key)) in papers.iter().zip(&keys).enumerate() {
        out.push_str(&bibtex_entry(paper, key, abstract_of(i)));
        out.push('\n');
    }
    out
}

fn bibtex_entry(paper: &Paper, key: &str, abstract_text: Option<&str>) -> String {
    let mut fields: Vec<(&str, String)> = Vec::new();
    fields.push((
        "title",
        format!("{{{}}}", bibtex_title(citation_title(&paper.title))),
    ));
    if !paper.authors.is_empty() {
        let authors: Vec<String> = paper.authors.iter().map(|a| bibtex_name(a)).collect();
        fields.push(("author", format!("{{{}}}", authors.join(" and "))));
    }
    if let Some(journal) = non_empty(&paper.journal) {
        fields.push(("journal", format!("{{{}}}", bibtex_text(journal))));
    }
    let date = date_parts(paper);
    if let Some(year) = date.first() {
        fields.push(("year", format!("{{{year}}}")));
    }
    if let Some(month) = date
        .get(1)
        .and_then(|m| MONTHS.get((*m as usize).wrapping_sub(1)))
    {
        // The month macros (`mar`) are what classic BibTeX styles localise and sort by.
        fields.push(("month", (*month).to_string()));
    }
    let summary = paper.summary();
    if let Some(volume) = non_empty(&summary.volume) {
        fields.push(("volume", format!("{{{}}}", bibtex_text(volume))));
    }
    if let Some(issue) = non_empty(&summary.issue) {
        fields.push(("number", format!("{{{}}}", bibtex_text(issue))));
    }
    if let Some(pages) = non_empty(&summary.pages) {
        // BibTeX's range dash.
        let pages = bibtex_text(pages).replacen('-', "--", 1);
        fields.push(("pages", format!("{{{pages}}}")));
    }
    if let Some(doi) = non_empty(&paper.ids.doi) {
        fields.push(("doi", format!("{{{}}}", bibtex_verbatim(doi))));
    }
    if let Some(pmid) = non_empty(&paper.ids.pmid) {
        fields.push(("pmid", format!("{{{}}}", bibtex_verbatim(pmid))));
        fields.push(("eprint", format!("{{{}}}", bibtex_verbatim(pmid))));
        fields.push(("eprinttype", "{pubmed}".to_string()));
    }
    if let Some(pmcid) = non_empty(&paper.ids.pmcid) {
        fields.push(("pmcid", format!("{{{}}}", bibtex_verbatim(pmcid))));
    }
    if let Some(url) = links::best_url(paper) {
        fields.push(("url", format!("{{{}}}", bibtex_verbatim(&url))));
    }
    if let Some(abstract_text) = abstract_text {
        fields.push(("abstract", format!("{{{}}}", bibtex_text(abstract_text))));
    }
    let mut entry = format!("@article{{{key},\n");
    for (name, value) in fields {
        entry.push_str(&format!("  {name} = {value},\n"));
    }
    entry.push_str("}\n");
    entry
}

fn non_empty(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Escapes text for a braced BibTeX field so that every BibTeX/biblatex parser reads back
/// exactly `text` (with runs of whitespace folded to one space, as BibTeX does anyway).
pub fn bibtex_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars = without_controls(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut iter = chars.chars().peekable();
    while let Some(c) = iter.next() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            // `--` is an en dash to TeX; an empty group keeps literal hyphens literal.
            '-' if iter.peek() == Some(&'-') => out.push_str("-{}"),
            '@' => out.push_str("{@}"),
            _ => out.push(c),
        }
    }
    out
}

/// A title as citations carry it: trimmed, without one trailing period (PubMed ends every
/// title with one; styles add their own). An ellipsis (`..`, `...`) stays, and so does the
/// period of an abbreviation (`sp. nov.`, `the U.S.`; ut23b).
pub fn citation_title(title: &str) -> &str {
    let title = title.trim();
    match title.strip_suffix('.') {
        Some(head) if !head.ends_with('.') && !ends_in_abbreviation(head) => head.trim_end(),
        _ => title,
    }
}

/// Abbreviations a title may end with, their period dropped (taxonomy's `sp. nov.`,
/// `comb. nov.`, `et al.`, a company's `Inc.`).
const TITLE_ABBREVIATIONS: &[&str] = &[
    "nov", "sp", "spp", "subsp", "var", "cf", "al", "etc", "inc", "ltd", "co", "jr", "sr", "vs",
];

/// Whether the last word of `head` (a title without its final period) is an abbreviation
/// that period ends: one of [`TITLE_ABBREVIATIONS`], or a word with periods inside
/// (`U.S`, `e.g`).
fn ends_in_abbreviation(head: &str) -> bool {
    let last = head.rsplit([' ', '(']).next().unwrap_or(head);
    let inner_period = last.trim_start_matches('.').contains('.')
        && last
            .split('.')
            .all(|part| !part.is_empty() && part.chars().count() <= 3);
    inner_period || TITLE_ABBREVIATIONS.contains(&last.to_ascii_lowercase().as_str())
}

/// Title text: escaped like [`bibtex_text`], and each word whose case must survive a style's
/// lower-casing (a capital after its first letter, a digit next to letters, non-ASCII letters)
/// is wrapped in braces.
fn bibtex_title(title: &str) -> String {
    let words: Vec<&str> = title.split_whitespace().collect();
    words
        .iter()
        .enumerate()
        .map(|(at, word)| {
            // The first word, or one after a sentence's end (`…: A review`).
            let starts_sentence = at == 0
                || words[at - 1].ends_with([':', '.', '?', '!'])
                || words[at - 1] == "-"
                || words[at - 1] == "–";
            if !needs_case_protection(word, starts_sentence) {
                return bibtex_text(word);
            }
            let (lead, core, trail) = around_word(word);
            format!(
                "{}{{{}}}{}",
                bibtex_text(lead),
                bibtex_text(core),
                bibtex_text(trail)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `word` as the punctuation before it, the word, and the punctuation after it: what goes
/// outside a title word's braces. A user test read `{TLR1/2,} {TLR7,}`, and then, with
/// every bracket taken off the end, `{CD25(+}) {Bcl6(low})`: a bracket closing one the word
/// opens is the word's (`CD25(+)`), one closing a bracket around the word is not
/// (`(IL-6)`).
fn around_word(word: &str) -> (&str, &str, &str) {
    let count = |text: &str, c: char| text.chars().filter(|&x| x == c).count();
    let mut core = word;
    while let Some(last) = core.chars().last() {
        let leaves = match last {
            ',' | ';' | ':' | '.' | '?' | '!' => true,
            ')' | ']' => {
                let open = if last == ')' { '(' } else { '[' };
                let (opened, closed) = (count(core, open), count(core, last));
                closed > opened || closed == opened && core.starts_with(open)
            }
            _ => false,
        };
        if !leaves || core.len() == 1 {
            break;
        }
        core = &core[..core.len() - 1];
    }
    let lead = match core.chars().next() {
        Some(open @ ('(' | '[')) if core.len() > 1 => {
            let close = if open == '(' { ')' } else { ']' };
            if count(core, open) > count(core, close) {
                &core[..1]
            } else {
                ""
            }
        }
        _ => "",
    };
    let trail = &word[core.len()..];
    (lead, &core[lead.len()..], trail)
}

fn needs_case_protection(word: &str, starts_sentence: bool) -> bool {
    let has_letter = word.chars().any(char::is_alphabetic);
    // After the punctuation that opens it: the capital of `"Slime`, `(Phenylpropanolamine`
    // or `[Article` is its first letter (ut23b found those braced, and `Tubulinea` not).
    let core = word.trim_start_matches(['(', '[', '{', '"', '\'', '‘', '“']);
    let inner_capital = core.chars().skip(1).any(char::is_uppercase);
    let non_ascii_letter = word.chars().any(|c| c.is_alphabetic() && !c.is_ascii());
    let digit_with_letters = has_letter && word.chars().any(|c| c.is_ascii_digit());
    inner_capital || non_ascii_letter || digit_with_letters || capital_alone(word, starts_sentence)
}

/// Whether `word` starts with a capital that is a word alone or before a hyphen (`T`,
/// `B-cell`, `X-ray`), which a style lower-casing titles would print `t cells` (ut22b).
/// `A` and `I` starting a sentence are the article and the pronoun; elsewhere in a
/// sentence-case title they are names (`helicase A`, `type I`, ut23).
fn capital_alone(word: &str, starts_sentence: bool) -> bool {
    let core = word.trim_start_matches(['(', '[', '"', '\'']);
    let mut chars = core.chars();
    let (Some(first), next) = (chars.next(), chars.next()) else {
        return false;
    };
    first.is_uppercase()
        && !(starts_sentence && matches!(first, 'A' | 'I'))
        && next.is_none_or(|c| !c.is_alphanumeric())
}

/// A name as `{Family}, Given` for BibTeX's name parser; a name that cannot be split is braced
/// whole so that BibTeX does not split it (or an `and` inside it) itself.
fn bibtex_name(display: &str) -> String {
    let name = split_name(display);
    let family = bibtex_text(&name.family);
    // BibTeX's `von Last, Jr, First`.
    let family = match name.suffix.as_str() {
        "" => family,
        suffix => format!("{family}, {}", bibtex_text(suffix)),
    };
    if name.given.is_empty() {
        return format!("{{{family}}}");
    }
    let given = bibtex_text(&name.given);
    // Braces around a part keep a comma or `and` inside it from being read as a separator.
    let protect = |raw: &str, escaped: String| {
        if raw.contains(',') || raw.split(' ').any(|w| w.eq_ignore_ascii_case("and")) {
            format!("{{{escaped}}}")
        } else {
            escaped
        }
    };
    format!(
        "{}, {}",
        protect(&name.family, family),
        protect(&name.given, given)
    )
}

/// Verbatim fields (`doi`, `url`, ids) are read without LaTeX escapes; only braces and
/// backslashes could break the entry, so those are percent-encoded (valid in URLs and
/// DOI resolvers alike).
fn bibtex_verbatim(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.trim().chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() || c.is_control() => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// RIS.

fn ris<'a>(papers: &[&Paper], abstract_of: impl Fn(usize) -> Option<&'a str>) -> String {
    let mut out = String::new();
    for (i, paper) in papers.iter().enumerate() {
        out.push_str(&ris_record(paper, abstract_of(i)));
    }
    out
}

fn ris_record(paper: &Paper, abstract_text: Option<&str>) -> String {
    let mut lines: Vec<(&str, String)> = vec![("TY", "JOUR".to_string())];
    lines.push(("TI", ris_value(citation_title(&paper.title))));
    for author in &paper.authors {
        let name = split_name(author);
        // RIS's `Last, First, Suffix`.
        let value = match (name.given.is_empty(), name.suffix.is_empty()) {
            (true, _) => name.family,
            (false, true) => format!("{}, {}", name.family, name.given),
            (false, false) => format!("{}, {}, {}", name.family, name.given, name.suffix),
        };
        lines.push(("AU", ris_value(&value)));
    }
    if let Some(journal) = non_empty(&paper.journal) {
        lines.push(("T2", ris_value(journal)));
        lines.push(("JO", ris_value(journal)));
    }
    let date = date_parts(paper);
    if let Some(year) = date.first() {
        lines.push(("PY", year.to_string()));
        // RIS dates are `YYYY/MM/DD/other`, with empty parts allowed.
        let part = |i: usize| date.get(i).map_or(String::new(), |n| format!("{n:02}"));
        lines.push(("DA", format!("{year:04}/{}/{}/", part(1), part(2))));
    }
    let summary = paper.summary();
    if let Some(volume) = non_empty(&summary.volume) {
        lines.push(("VL", ris_value(volume)));
    }
    if let Some(issue) = non_empty(&summary.issue) {
        lines.push(("IS", ris_value(issue)));
    }
    if let Some(pages) = non_empty(&summary.pages) {
        let (start, end) = pages.split_once('-').unwrap_or((pages, ""));
        lines.push(("SP", ris_value(start)));
        if !end.is_empty() {
            lines.push(("EP", ris_value(end)));
        }
    }
    if let Some(doi) = non_empty(&paper.ids.doi) {
        lines.push(("DO", ris_value(doi)));
    }
    if let Some(pmid) = non_empty(&paper.ids.pmid) {
        lines.push(("AN", ris_value(pmid)));
    }
    if let Some(pmcid) = non_empty(&paper.ids.pmcid) {
        lines.push(("C2", ris_value(pmcid)));
    }
    if let Some(url) = links::best_url(paper) {
        lines.push(("UR", ris_value(&url)));
    }
    if let Some(abstract_text) = abstract_text {
        lines.push(("AB", ris_value(abstract_text)));
    }
    let mut keywords: Vec<&str> = Vec::new();
    for entity in &paper.entities {
        let name = entity.name.trim();
        if !name.is_empty() && !keywords.contains(&name) {
            keywords.push(name);
        }
    }
    for keyword in keywords {
        lines.push(("KW", ris_value(keyword)));
    }
    let mut out = String::new();
    for (tag, value) in lines {
        out.push_str(&format!("{tag}  - {value}\r\n"));
    }
    out.push_str("ER  - \r\n");
    out
}

/// RIS values are one line each: line breaks and other whitespace become spaces, other
/// control characters are left out.
fn ris_value(value: &str) -> String {
    without_controls(value)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// CSL-JSON.

/// One CSL-JSON item; field names as the CSL data schema spells them.
#[derive(Serialize)]
struct CslItem<'a> {
    id: String,
    #[serde(rename = "type")]
    item_type: &'static str,
    title: Cow<'a, str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName>,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    container_title: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    volume: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<Cow<'a, str>>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<Cow<'a, str>>,
    #[serde(rename = "PMID", skip_serializing_if = "Option::is_none")]
    pmid: Option<Cow<'a, str>>,
    #[serde(rename = "PMCID", skip_serializing_if = "Option::is_none")]
    pmcid: Option<Cow<'a, str>>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    abstract_text: Option<Cow<'a, str>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum CslName {
    Split {
        family: String,
        given: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        suffix: Option<String>,
    },
    Literal {
        literal: String,
    },
}

#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: Vec<Vec<i32>>,
}

fn csl_json<'a>(
    papers: &[&Paper],
    abstract_of: impl Fn(usize) -> Option<&'a str>,
    scope: KeyScope,
) -> String {
    let keys = citation_keys_in(papers, scope);
    let items: Vec<CslItem> = papers
        .iter()
        .zip(keys)
        .enumerate()
        .map(|(i, (paper, id))| {
            let date = date_parts(paper);
            // serde_json would write a control character as an escape that reads back as
            // the character: they are left out here as in the other formats.
            CslItem {
                id,
                item_type: "article-journal",
                title: without_controls(citation_title(&paper.title)),
                author: paper
                    .authors
                    .iter()
                    .map(|a| {
                        let name = split_name(a);
                        if name.given.is_empty() {
                            CslName::Literal {
                                literal: without_controls(&name.family).into_owned(),
                            }
                        } else {
                            CslName::Split {
                                family: without_controls(&name.family).into_owned(),
                                given: without_controls(&name.given).into_owned(),
                                suffix: (!name.suffix.is_empty())
                                    .then(|| without_controls(&name.suffix).into_owned()),
                            }
                        }
                    })
                    .collect(),
                container_title: non_empty(&paper.journal).map(without_controls),
                issued: (!date.is_empty()).then(|| CslDate {
                    date_parts: vec![date],
                }),
                volume: non_empty(&paper.summary().volume).map(without_controls),
                issue: non_empty(&paper.summary().issue).map(without_controls),
                page: non_empty(&paper.summary().pages).map(without_controls),
                doi: non_empty(&paper.ids.doi).map(without_controls),
                pmid: non_empty(&paper.ids.pmid).map(without_controls),
                pmcid: non_empty(&paper.ids.pmcid).map(without_controls),
                url: links::best_url(paper).map(|u| without_controls(&u).into_owned()),
                abstract_text: abstract_of(i).map(without_controls),
            }
        })
        .collect();
    // Serialising plain strings and numbers cannot fail; an empty array is the safe fallback.
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_name_handles_common_shapes() {
        let cases = [
            ("Xiao’an Guo", "Guo", "Xiao’an"),
            ("Guo, Xiao’an", "Guo", "Xiao’an"),
            ("Ludwig van Beethoven", "van Beethoven", "Ludwig"),
            ("Maria de la Cruz", "de la Cruz", "Maria"),
            // A particle in capitals beside one in lower case (ut24d).
            ("Jean de La Fontaine", "de La Fontaine", "Jean"),
            ("Carlos De la Cruz", "De la Cruz", "Carlos"),
            ("Ludwig Van Beethoven", "Beethoven", "Ludwig Van"),
            ("Jean-Pierre  Dupont", "Dupont", "Jean-Pierre"),
            ("Consortium", "Consortium", ""),
            (
                "The α-Synuclein Consortium",
                "The α-Synuclein Consortium",
                "",
            ),
            ("Ram and Shyam Gupta", "Gupta", "Ram and Shyam"),
            // A suffix is none of the family name (ut23b: `Jr., Martin Luther King`).
            ("Martin Luther King Jr.", "King", "Martin Luther"),
            ("Martin Luther King, Jr.", "King", "Martin Luther"),
            ("King, Martin Luther, Jr.", "King", "Martin Luther"),
            ("Robert Downey III", "Downey", "Robert"),
            ("Ludwig van Beethoven Sr", "van Beethoven", "Ludwig"),
            // A name and a suffix alone: kept whole.
            ("Sam Jr", "Sam Jr", ""),
            // PubMed's order, the initials last (ut23c).
            ("Smith JA", "Smith", "J. A."),
            ("Smith JA Jr", "Smith", "J. A."),
            ("Jones B", "Jones", "B."),
            ("van der Berg J.A.", "van der Berg", "J. A."),
            ("Robert Smith, Jr.", "Smith", "Robert"),
            ("Xiao An", "An", "Xiao"),
            ("King, Jr.", "King, Jr.", ""),
        ];
        for (display, family, given) in cases {
            let name = split_name(display);
            assert_eq!((name.family.as_str(), name.given.as_str()), (family, given));
        }
        assert_eq!(split_name("Martin Luther King Jr.").suffix, "Jr.");
        assert_eq!(split_name("King, Martin Luther, Jr.").suffix, "Jr.");
        assert_eq!(split_name("Robert Downey III").suffix, "III");
        assert_eq!(split_name("Xiao’an Guo").suffix, "");
        assert_eq!(
            bibtex_name("Martin Luther King Jr."),
            "King, Jr., Martin Luther"
        );
        assert_eq!(bibtex_name("Smith JA Jr"), "Smith, Jr, J. A.");
        assert_eq!(split_name("Robert Smith, Jr.").suffix, "Jr.");
    }

    /// Punctuation around a word kept in case stays outside its braces: a user test read
    /// `{TLR1/2,} {TLR7,}`.
    #[test]
    fn title_braces_hold_the_word_not_its_punctuation() {
        assert_eq!(
            bibtex_title("TLR1/2, TLR7, and TLR9 signals (IL-6) activate p53."),
            "{TLR1/2}, {TLR7}, and {TLR9} signals ({IL-6}) activate {p53}."
        );
        assert_eq!(bibtex_title("(BRCA1) DNA"), "({BRCA1}) {DNA}");
        // A capital after opening punctuation is a first letter (ut23b).
        assert_eq!(
            bibtex_title("\"Slime molds\" of Dexatrim (Phenylpropanolamine) [Article in German]"),
            "\"Slime molds\" of Dexatrim (Phenylpropanolamine) [Article in German]"
        );
        assert_eq!(bibtex_title("mRNA: a review"), "{mRNA}: a review");
        // A capital alone or before a hyphen keeps its case; the article A does not
        // need to, but A and I within a sentence are names (ut23: `helicase A`).
        assert_eq!(
            bibtex_title("A role for T cells and B-cell help, with X-ray data"),
            "A role for {T} cells and {B-cell} help, with {X-ray} data"
        );
        assert_eq!(
            bibtex_title("Unwinding via RNA helicase A in type I interferon: A review. I think"),
            "Unwinding via {RNA} helicase {A} in type {I} interferon: A review. I think"
        );
        // A bracket the word opens is the word's (ut22 read `{CD25(+}) {Bcl6(low})`).
        assert_eq!(
            bibtex_title("CD25(+) Bcl6(low), (TLR1/2), CD4(+)) [NF-kB] azolidino[5,4-g]."),
            "{CD25(+)} {Bcl6(low)}, ({TLR1/2}), {CD4(+)}) [{NF-kB}] {azolidino[5,4-g]}."
        );
    }

    #[test]
    fn alphabetic_suffixes_continue_past_z() {
        assert_eq!(alphabetic_suffix(0), "a");
        assert_eq!(alphabetic_suffix(25), "z");
        assert_eq!(alphabetic_suffix(26), "aa");
        assert_eq!(alphabetic_suffix(27), "ab");
    }

    #[test]
    fn key_fold_keeps_ascii_and_folds_accents() {
        assert_eq!(key_fold("Müller-Ødegård"), "mullerodegard");
        assert_eq!(key_fold("Xiao’an"), "xiaoan");
        assert_eq!(key_fold("αβ"), "alphabeta");
        assert_eq!(key_fold("Łukasz Dvořák-Þórsson"), "lukaszdvorakthorsson");
        assert_eq!(key_fold("日本"), "");
    }
}
