//! The plain-data model: papers, their stable keys, entities and their CURIE ids, load problems.
//!
//! Nothing here knows about files, terminals or search; every type is serde data that the
//! parsers produce, the library merges, the index links and the UI only reads.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// A paper's identity, stable across runs and reorderings (bookmarks are keyed by it).
///
/// Preference order: `PMID:10491763`, else `PMC:PMC13039540`, else `DOI:10.1038/...`
/// (lower-cased), else `file:<path relative to the library root>`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PaperKey(pub String);

impl PaperKey {
    /// The best key the ids allow, falling back to the file the paper came from.
    pub fn from_ids(ids: &PaperIds, relative_path: &str) -> PaperKey {
        // An empty id names nothing: keyed by it, unrelated papers would be one.
        fn id(id: &Option<String>) -> Option<&str> {
            id.as_deref().filter(|i| !i.trim().is_empty())
        }
        // Joined by hand, not with `format!`: every paper parsed gets its key here, and
        // formatting was 1.5% of parsing PubTator.
        let prefixed = |prefix: &str, id: &str| {
            let mut key = String::with_capacity(prefix.len() + id.len());
            key.push_str(prefix);
            key.push_str(id);
            PaperKey(key)
        };
        if let Some(pmid) = id(&ids.pmid) {
            prefixed("PMID:", pmid)
        } else if let Some(pmcid) = id(&ids.pmcid) {
            prefixed("PMC:", pmcid)
        } else if let Some(doi) = id(&ids.doi) {
            PaperKey(format!("DOI:{}", doi.to_lowercase()))
        } else {
            PaperKey(format!("file:{relative_path}"))
        }
    }

    /// A key as a person writes it, read as the key tomes gives that paper, or why it is
    /// none: the one reader of what a user wrote for a paper, for `tomes show` and
    /// `related`, `bookmarks.toml` and [`crate::library::Library::find`] alike.
    ///
    /// A bare number is a PMID; `PMID:`, `pmid:`, `Pmid: ` and `PMID ` alike (the labels of
    /// [`PAPER_ID_LABELS`]); `PMC123`, `pmc:PMC123`, `PMC:123` and `PMCID: PMC123` are
    /// `PMC:PMC123`; `doi:`, `DOI: ` and a bare `10.x/y` are the DOI, lower-cased; the
    /// PubMed, PMC and doi.org addresses are their ids, without the query string or
    /// fragment after the address (`?from=...`). Around it, quotes or `<>` and a full stop,
    /// comma or semicolon after it, as a sentence leaves them, are not part of it (DOIs do
    /// not end in them: Crossref's advice is to read a final full stop as the sentence's).
    /// A `file:` key, and a BioC document id tomes keyed as `PMC:PMCabc`, are taken as
    /// written. A PMID keeps its leading zeros (`PMID:0123`): [`PaperKey::unpadded`] is the
    /// PMID without them, which a lookup tries next. Users pasted `pmid:6794356`,
    /// `https://doi.org/...`, the PubMed address with `?from=`, a key with the full stop
    /// of its sentence and a PMID a spreadsheet had padded with a zero.
    pub fn from_written(text: &str) -> Result<PaperKey, String> {
        let written = text.trim().trim_matches(['<', '>', '"', '\'']).trim();
        if written.is_empty() {
            return Err("an empty key".to_owned());
        }
        if written.starts_with("file:") {
            return Ok(PaperKey(written.to_owned()));
        }
        let id = written.trim_end_matches(['.', ',', ';']).trim_end();
        let labelled = paper_id_address(id).or_else(|| labelled_paper_id(id));
        if let Some((kind, id)) = labelled {
            return match kind {
                PaperIdKind::Pmid => pmid_key(id),
                PaperIdKind::Pmcid => {
                    let digits = strip_prefix_ignoring_case(id, "PMC").unwrap_or(id);
                    if is_number(digits) {
                        Ok(PaperKey(format!("PMC:PMC{digits}")))
                    } else if written.starts_with("PMC:PMC") && !digits.is_empty() {
                        // A key tomes gave (a BioC document id `PMCabc`): as written.
                        Ok(PaperKey(written.to_owned()))
                    } else {
                        Err(format!("PMCID {id:?} is not PMC and a number"))
                    }
                }
                PaperIdKind::Doi => doi_key(id),
            };
        }
        if is_number(id) {
            return pmid_key(id);
        }
        if let Some(digits) = strip_prefix_ignoring_case(id, "PMC")
            && is_number(digits)
        {
            return Ok(PaperKey(format!("PMC:PMC{digits}")));
        }
        if id.starts_with("10.") && id.contains('/') {
            return doi_key(id);
        }
        Err(format!(
            "{written:?} is not a paper key ({UNDERSTOOD_KEYS})"
        ))
    }

    /// A `PMID:` key written with leading zeros (`PMID:0123`, from [`PaperKey::from_written`])
    /// without them (`PMID:123`): the paper a lookup finds when no paper's PMID is written
    /// with the zeros (a PMID stored so is a key of its own, found first).
    pub fn unpadded(&self) -> Option<PaperKey> {
        let digits = self.0.strip_prefix("PMID:")?;
        let number = digits.trim_start_matches('0');
        (number.len() < digits.len() && is_number(number))
            .then(|| PaperKey(format!("PMID:{number}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which of a paper's public ids a label or an address names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaperIdKind {
    Pmid,
    Pmcid,
    Doi,
}

/// The labels written before a paper's id, in any case, as PubMed, PMC, papers and summary
/// id lines write them (`PMID: 123`, `PMCID: PMC123`, `DOI: 10.1/x`): the one list that
/// [`PaperKey::from_written`], the query language (`pmid:`), summaries' id lines and the
/// telling of a summary file from others read. A label that begins another comes after it.
pub const PAPER_ID_LABELS: [(&str, PaperIdKind); 4] = [
    ("pmid", PaperIdKind::Pmid),
    ("pmcid", PaperIdKind::Pmcid),
    ("pmc", PaperIdKind::Pmcid),
    ("doi", PaperIdKind::Doi),
];

/// The id `text` gives under one of [`PAPER_ID_LABELS`], and what follows the label: after
/// a `:` (spaces around it or not), or after spaces alone when a number or `PMC` follows
/// (`PMID 123`, as PubMed writes it; `DOI registration` is no id). `PMID: 123` is
/// `(Pmid, "123")`; the id may be empty (`doi:`) or anything (`pmid:abc`), for the caller
/// to say what is wrong with it.
pub fn labelled_paper_id(text: &str) -> Option<(PaperIdKind, &str)> {
    PAPER_ID_LABELS.into_iter().find_map(|(label, kind)| {
        let rest = strip_prefix_ignoring_case(text, label)?;
        let after_spaces = rest.trim_start();
        let id = match after_spaces.strip_prefix(':') {
            Some(id) => id.trim_start(),
            None if after_spaces.len() < rest.len()
                && (after_spaces.starts_with(|c: char| c.is_ascii_digit())
                    || strip_prefix_ignoring_case(after_spaces, "PMC").is_some()) =>
            {
                after_spaces
            }
            None => return None,
        };
        Some((kind, id))
    })
}

/// The id of a PubMed, PMC or doi.org address (the scheme and `www.` optional), without
/// the query string or fragment after it, which say where it was found.
pub fn paper_id_address(text: &str) -> Option<(PaperIdKind, &str)> {
    let without_scheme = ["https://", "http://"]
        .into_iter()
        .find_map(|scheme| strip_prefix_ignoring_case(text, scheme))
        .unwrap_or(text);
    let host_less = without_scheme
        .strip_prefix("www.")
        .unwrap_or(without_scheme);
    let (kind, rest) = [
        ("doi.org/", PaperIdKind::Doi),
        ("dx.doi.org/", PaperIdKind::Doi),
        ("pubmed.ncbi.nlm.nih.gov/", PaperIdKind::Pmid),
        ("ncbi.nlm.nih.gov/pubmed/", PaperIdKind::Pmid),
        ("pmc.ncbi.nlm.nih.gov/articles/", PaperIdKind::Pmcid),
        ("ncbi.nlm.nih.gov/pmc/articles/", PaperIdKind::Pmcid),
    ]
    .into_iter()
    .find_map(|(host, kind)| Some((kind, strip_prefix_ignoring_case(host_less, host)?)))?;
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    Some((kind, rest[..end].trim_end_matches('/')))
}

/// `PMID:0123` from `0123` (zeros kept: see [`PaperKey::unpadded`]), or why it is no PMID.
fn pmid_key(id: &str) -> Result<PaperKey, String> {
    if !is_number(id) {
        Err(format!("PMID {id:?} is not a number"))
    } else if id.bytes().all(|b| b == b'0') {
        Err(format!("PMID {id:?} is zeros alone"))
    } else {
        Ok(PaperKey(format!("PMID:{id}")))
    }
}

/// `DOI:10.1/x`, lower-cased, from a DOI or its doi.org address (`%2F` read as `/`).
fn doi_key(id: &str) -> Result<PaperKey, String> {
    let doi = match paper_id_address(id) {
        Some((PaperIdKind::Doi, doi)) => doi,
        _ => id,
    }
    .trim();
    if doi.is_empty() {
        Err("a DOI with nothing after `doi:`".to_owned())
    } else {
        Ok(PaperKey(format!(
            "DOI:{}",
            doi.replace("%2F", "/").replace("%2f", "/").to_lowercase()
        )))
    }
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The keys [`PaperKey::from_written`] reads, for its messages.
const UNDERSTOOD_KEYS: &str = "a PMID such as 12345 or PMID:12345, PMC12345, or doi:10.1000/xyz";

fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.get(..prefix.len())
        .filter(|start| start.eq_ignore_ascii_case(prefix))
        .map(|_| &text[prefix.len()..])
}

impl fmt::Display for PaperKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The public identifiers of a paper, each normalised: PMID digits only, PMCID with its
/// `PMC` prefix, DOI without a `https://doi.org/` prefix (case kept for display).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperIds {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pmid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pmcid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
}

impl PaperIds {
    /// Calls `f` with every key this paper could be known by (records sharing any of them
    /// are one paper): `PMID:..`, `PMC:..`, `DOI:..` (lower-cased), each written into `buf`
    /// (merging a hundred thousand records should not allocate each key to look it up).
    pub fn each_merge_key(&self, buf: &mut String, mut f: impl FnMut(&str)) {
        for (prefix, id) in [("PMID:", &self.pmid), ("PMC:", &self.pmcid)] {
            if let Some(id) = id {
                buf.clear();
                buf.push_str(prefix);
                buf.push_str(id);
                f(buf);
            }
        }
        if let Some(d) = &self.doi {
            buf.clear();
            buf.push_str("DOI:");
            buf.push_str(&d.to_lowercase());
            f(buf);
        }
    }
}

/// Which kind of thing an entity is. Corpus type names map onto these
/// (`GeneOrGeneProduct` -> gene, `OrganismTaxon` -> species, ...).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Gene,
    Protein,
    Disease,
    Chemical,
    Species,
    Variant,
    CellLine,
    #[default]
    Other,
}

impl EntityKind {
    pub const ALL: [EntityKind; 8] = [
        EntityKind::Gene,
        EntityKind::Protein,
        EntityKind::Disease,
        EntityKind::Chemical,
        EntityKind::Species,
        EntityKind::Variant,
        EntityKind::CellLine,
        EntityKind::Other,
    ];

    /// The lower-case name used in JSON, queries (`gene:`) and headings.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Gene => "gene",
            EntityKind::Protein => "protein",
            EntityKind::Disease => "disease",
            EntityKind::Chemical => "chemical",
            EntityKind::Species => "species",
            EntityKind::Variant => "variant",
            EntityKind::CellLine => "cell_line",
            EntityKind::Other => "other",
        }
    }

    /// Plural heading for grouped display ("Genes", "Cell lines").
    pub fn plural_label(self) -> &'static str {
        match self {
            EntityKind::Gene => "Genes",
            EntityKind::Protein => "Proteins",
            EntityKind::Disease => "Diseases",
            EntityKind::Chemical => "Chemicals",
            EntityKind::Species => "Species",
            EntityKind::Variant => "Variants",
            EntityKind::CellLine => "Cell lines",
            EntityKind::Other => "Other",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An entity's identity. For a normalised entity this is its CURIE (`NCBIGene:939`,
/// `MESH:D000077274`, `MONDO:0015459`, `NCBITaxon:9606`, `OMIM:601622`, `dbSNP:rs123`,
/// `Cellosaurus:CVCL_0030`, `tmVar:c|SUB|C|123|T`); the same CURIE from any file is the same
/// entity. An entity the source gives no id for is keyed by kind and folded name:
/// `name:gene:cd274` (see [`fold_name`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityKey(pub Arc<str>);

/// The prefix of name-only entity keys.
pub const NAME_ONLY_PREFIX: &str = "name:";

impl EntityKey {
    /// A CURIE key, `namespace:id`.
    pub fn curie(namespace: &str, id: &str) -> EntityKey {
        EntityKey(format!("{namespace}:{id}").into())
    }

    /// The key of an entity known only by its name.
    pub fn name_only(kind: EntityKind, name: &str) -> EntityKey {
        // Built by hand, not with `format!`: parsers make one for every mention without an
        // id, and formatting was 2% of parsing.
        let kind = kind.as_str();
        let mut key = String::with_capacity(NAME_ONLY_PREFIX.len() + kind.len() + 1 + name.len());
        key.push_str(NAME_ONLY_PREFIX);
        key.push_str(kind);
        key.push(':');
        push_folded_name(name, &mut key);
        EntityKey(key.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_name_only(&self) -> bool {
        self.0.starts_with(NAME_ONLY_PREFIX)
    }

    /// `NCBIGene` for `NCBIGene:939`.
    pub fn namespace(&self) -> &str {
        self.0.split_once(':').map_or("", |(ns, _)| ns)
    }

    /// `939` for `NCBIGene:939`.
    pub fn local_id(&self) -> &str {
        self.0.split_once(':').map_or(&*self.0, |(_, id)| id)
    }
}

impl fmt::Display for EntityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Text shared by every paper and table that holds it (an entity's names: `human` is in
/// most papers of a corpus): a clone counts a reference instead of copying the bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SharedStr(Arc<str>);

impl SharedStr {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr(s.into())
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr(s.into())
    }
}

impl From<Arc<str>> for SharedStr {
    fn from(s: Arc<str>) -> Self {
        SharedStr(s)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        **self == *other.0
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        **self == *other.0
    }
}

/// Case- and punctuation-insensitive form of a name or alias, used for alias lookup:
/// `PD-L1`, `pd-l1` and `PDL1` all fold to `pdl1`. Keeps letters and digits, lower-cased,
/// folded as search folds text ([`crate::fold`]): `TNF-α` and `TNF-alpha` are both
/// `tnfalpha`, `Krüppel` is `kruppel`; other scripts are kept.
pub fn fold_name(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    push_folded_name(name, &mut folded);
    folded
}

/// [`fold_name`] of `name`, pushed onto `out`.
fn push_folded_name(name: &str, out: &mut String) {
    if name.is_ascii() {
        // Nearly every name: a byte at a time, without the Unicode tables.
        out.extend(
            name.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return;
    }
    out.extend(
        crate::fold::fold_lower(name)
            .chars()
            .filter(|c| c.is_alphanumeric()),
    );
}

/// Words that end a person's name as its suffix (`Martin Luther King Jr.`, `Robert Downey
/// III`), not part of the family name.
pub fn is_name_suffix(word: &str) -> bool {
    matches!(
        word.trim_end_matches(['.', ','])
            .to_ascii_lowercase()
            .as_str(),
        "jr" | "sr" | "ii" | "iii" | "iv" | "2nd" | "3rd"
    )
}

/// `aliases` without those that differ from `name` or an earlier alias only in case
/// (`patient`, `Patient`, `PATIENT`), the first spelling kept: for showing, where a list of
/// case variants says nothing more.
pub fn distinct_aliases<'a>(
    name: &str,
    aliases: impl IntoIterator<Item = &'a SharedStr>,
) -> Vec<&'a str> {
    let aliases = aliases.into_iter();
    // Each text lowered once (the entity box calls this on every draw).
    let mut seen = vec![name.to_lowercase()];
    let mut kept: Vec<&'a str> = Vec::with_capacity(aliases.size_hint().0);
    for alias in aliases {
        let lowered = alias.to_lowercase();
        if !seen.contains(&lowered) {
            seen.push(lowered);
            kept.push(alias.as_str());
        }
    }
    kept
}

/// A character span in the paper's annotated text, PubTator convention: the title starts at
/// 0 and the abstract at `title.len_chars() + 1`. Offsets are in Unicode scalar values, as
/// the corpora count them; they are kept even where the source's text does not match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// One entity as it occurs in one paper.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaperEntity {
    pub key: EntityKey,
    pub kind: EntityKind,
    /// Display name: a summary's symbol (`CD27`), or in an annotated abstract the most
    /// frequent mention string (a disease's spelled-out form over its abbreviation).
    pub name: SharedStr,
    /// A longer name where the source has one (`CD27 molecule`, `Epstein Barr virus`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Box<str>>,
    /// Other names: `{aka ...}` lists and distinct mention strings, without the name itself.
    /// (Boxed slices, not vectors: a library holds one of these per paper and entity, and
    /// they do not grow once parsed.)
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub aliases: Box<[SharedStr]>,
    /// How many times the source mentions it (at least 1).
    pub mentions: u32,
    /// Where the mentions are, when the format gives offsets.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub spans: Box<[Span]>,
    /// The paper names the entity only as part of a group: a family or domain mention
    /// (`cytokines` annotated with TNF, IL1B and IL6) or a mention with five ids or more
    /// (`Mcm2-7`). `name` is then that group's name, which is not the entity's: the
    /// entity index and search do not take it as one of the entity's names (TNF was shown
    /// as "cytokines" in every paper, and matched every query for cytokines).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub named_by_group: bool,
    /// How strongly the record `name` came from names the entity: its mentions of it (at
    /// most [`PaperEntity::CHOSEN_NAME`] - 1), or [`PaperEntity::CHOSEN_NAME`] for a paper
    /// summary's listing. Merged records keep the name of the one weighing most, and its
    /// weight: compared with the merged mentions instead, a third record's name won or lost
    /// depending on which records had merged before it (files load in any order). (A u16:
    /// it fits beside `kind` and `named_by_group`, the entity no larger.)
    #[serde(skip)]
    pub name_weight: u16,
}

impl PaperEntity {
    /// The names the paper gives the entity itself: its name (unless it is a group's, see
    /// [`PaperEntity::named_by_group`]) and its aliases.
    pub fn own_names(&self) -> impl Iterator<Item = &str> {
        let name = (!self.named_by_group).then_some(self.name.as_str());
        name.into_iter()
            .chain(self.aliases.iter().map(SharedStr::as_str))
    }

    /// The names a text may write the entity by, as the detail pane underlines them and a
    /// summary counts its mentions: its name, its aliases and, for a species, its common
    /// name (the description: `Epstein Barr virus` for human gammaherpesvirus 4, `human`
    /// for Homo sapiens, which PubTator too annotates as mentions of the species).
    pub fn names_written(&self) -> impl Iterator<Item = &str> {
        let common = self
            .description
            .as_deref()
            .filter(|_| self.kind == EntityKind::Species);
        std::iter::once(self.name.as_str())
            .chain(self.aliases.iter().map(SharedStr::as_str))
            .chain(common)
    }

    /// The [`PaperEntity::name_weight`] of a name a summary's author chose: above any count
    /// of mentions.
    pub const CHOSEN_NAME: u16 = u16::MAX;

    /// The [`PaperEntity::name_weight`] of a name given by `mentions` mentions.
    pub fn weight_of_mentions(mentions: u32) -> u16 {
        u16::try_from(mentions).map_or(Self::CHOSEN_NAME - 1, |m| m.min(Self::CHOSEN_NAME - 1))
    }
}

/// A relation between two entities of a paper (BioRED: `Association`, BC5CDR: `CID`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Relation {
    pub kind: SharedStr,
    pub a: EntityKey,
    pub b: EntityKey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub novel: Option<bool>,
}

/// A labelled link (`Full text`, `Source`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// A section kept by its heading, for everything a file says that has no typed field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    pub body: String,
}

/// The input formats tomes reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    SummaryMarkdown,
    PubTator,
    BioC,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::SummaryMarkdown => "summary markdown",
            Format::PubTator => "PubTator",
            Format::BioC => "BioC XML",
        })
    }
}

/// Where a record came from: the file (as given or relative to the library root) and the
/// 1-based line its record starts on. The path is shared by every record of the file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceRef {
    pub path: Arc<Path>,
    pub line: usize,
    pub format: Format,
    /// Where the record starts in its file, counted in bytes, when its line alone does not
    /// find it: a BioC document's `<document>` (the corpora's BioC files are one line of
    /// megabytes, every document on line 1). Orders records that start on the same line
    /// (see `library::SourceOrder`). `None` for formats with a record a line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byte: Option<u64>,
}

/// `file:line`, and the byte where it has one (`Dev.BioC.XML:1: byte 52301`), as problems
/// are placed.
impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_place(f, &self.path, Some(self.line), self.byte)
    }
}

/// `file:line`, then `: byte N` where there is a byte (after the line, not in its place:
/// `file:line:` stays what editors and scripts read): how sources and problems are placed.
/// `path` as a message names it: a line break or tab in a file's name (the other controls
/// are shown by notation where the text is printed) shown as one too, `^J`, `^I`: kept,
/// `file:line:` broke over two lines (ut24b), and so did `check`'s list of files skipped.
pub fn shown_path(path: &Path) -> String {
    let shown = path.display().to_string();
    if shown.contains(['\n', '\t']) {
        shown.replace('\n', "^J").replace('\t', "^I")
    } else {
        shown
    }
}

fn write_place(
    f: &mut fmt::Formatter<'_>,
    path: &Path,
    line: Option<usize>,
    byte: Option<u64>,
) -> fmt::Result {
    write!(f, "{}", shown_path(path))?;
    if let Some(line) = line {
        write!(f, ":{line}")?;
    }
    if let Some(byte) = byte {
        write!(f, ": byte {byte}")?;
    }
    Ok(())
}

/// One paper, merged from every record of it that was loaded.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Paper {
    pub key: PaperKey,
    pub ids: PaperIds,
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    /// The date as the source writes it (`2026-03-10`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(rename = "abstract", default, skip_serializing_if = "Option::is_none")]
    pub abstract_text: Option<AbstractText>,
    /// What only a paper summary says (TL;DR, key findings, links...): one pointer, as
    /// nearly every paper of a large library is a PubTator or BioC record without any.
    /// Read through [`Paper::summary`].
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Box<SummaryParts>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<PaperEntity>,
    /// The texts of the paper's group mentions (see [`PaperEntity::named_by_group`]):
    /// `cytokines` annotated with TNF, IL1B and IL6. Search finds the paper by them; they are
    /// no entity's name. Kept here because a member the paper also names itself keeps only
    /// its own names, and a group all of whose members the paper names was otherwise lost.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub group_names: Box<[SharedStr]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
    pub sources: Vec<SourceRef>,
}

/// A paper's abstract: its text, or where the text is in the file it was loaded from.
///
/// Abstracts are most of a PubTator export's bytes and are not searched: a library of a
/// million papers keeps only their places and reads the abstract on screen when it is shown
/// (`library::read_abstract`), as a mail reader keeps its place in a mailbox. Serialized as
/// its text; one still in its file must be read first (it serializes as an error).
#[derive(Clone, Debug, PartialEq)]
pub enum AbstractText {
    Held(String),
    InFile(FilePlace),
}

impl From<&str> for AbstractText {
    fn from(text: &str) -> Self {
        AbstractText::Held(text.to_owned())
    }
}

impl From<String> for AbstractText {
    fn from(text: String) -> Self {
        AbstractText::Held(text)
    }
}

impl AbstractText {
    /// The text when it is held in memory.
    pub fn held(&self) -> Option<&str> {
        match self {
            AbstractText::Held(text) => Some(text),
            AbstractText::InFile(_) => None,
        }
    }
}

impl Serialize for AbstractText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AbstractText::Held(text) => serializer.serialize_str(text),
            AbstractText::InFile(place) => Err(serde::ser::Error::custom(format!(
                "the abstract at byte {} of {} was not read",
                place.start,
                place.file.path.display()
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for AbstractText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(AbstractText::Held)
    }
}

/// Bytes `start..start + len` of a file, valid UTF-8 when the file was read: the text of a
/// PubTator abstract line, so `|a|` comes before it and the line's end (or the file's) after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePlace {
    pub file: Arc<FileStamp>,
    pub start: u64,
    pub len: u32,
    /// A hash of the text, to tell after a reload whether it changed (the place moves
    /// when an abstract before it in the file changes length). In the struct's padding.
    pub hash: u32,
}

impl FilePlace {
    /// The [`FilePlace::hash`] of `text`.
    pub fn hash_of(text: &str) -> u32 {
        use std::hash::{BuildHasher, Hasher};
        // Fixed seed: the same text hashes the same in a reloaded library.
        let mut hasher = foldhash::fast::FixedState::with_seed(0x746f_6d65).build_hasher();
        hasher.write(text.as_bytes());
        hasher.finish() as u32
    }
}

/// A file as it was when it was read: where it is, its size and modification time, so a
/// later read can tell whether it changed since.
#[derive(Debug, PartialEq, Eq)]
pub struct FileStamp {
    pub path: PathBuf,
    pub len: u64,
    pub modified: Option<SystemTime>,
}

/// The parts of a paper only a paper summary has.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct SummaryParts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tldr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contribution: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_findings: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_count: Option<u32>,
    /// Where in its journal, as a citation gives it (`302(5645):643-6`): the volume, the
    /// issue, and the pages with the last written whole (`643-646`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// The `file:` key the paper would have without its ids (`file:notes/x.md`): a bookmark
    /// made while the summary had none still finds it once it has (ut24d's preprint gained
    /// a DOI and its bookmark showed `(not loaded)`).
    #[serde(skip)]
    pub file_key: Option<Box<str>>,
    /// Sections without a typed field, in file order, so nothing a file says is dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

/// A paper without summary parts reads these.
static NO_SUMMARY: SummaryParts = SummaryParts {
    tldr: None,
    contribution: None,
    key_findings: Vec::new(),
    figure_count: None,
    reference_count: None,
    volume: None,
    issue: None,
    pages: None,
    links: Vec::new(),
    file_key: None,
    sections: Vec::new(),
};

impl Paper {
    /// The summary parts, empty for a paper no summary describes.
    pub fn summary(&self) -> &SummaryParts {
        self.summary.as_deref().unwrap_or(&NO_SUMMARY)
    }

    /// The summary parts to fill in, made on first use.
    pub fn summary_mut(&mut self) -> &mut SummaryParts {
        self.summary.get_or_insert_default()
    }
}

/// Something wrong in the input, reported as `file:line: message`; the rest still loads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub path: PathBuf,
    /// 1-based; `None` when the problem concerns the whole file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message: String,
    /// Where in the file, counted in bytes from its start, when a line alone does not find
    /// it: the corpora's BioC files are one line of megabytes. Shown as
    /// `file:line: byte N: message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byte: Option<u64>,
    /// Set when the problem is that the whole file was skipped for what it is (empty,
    /// binary, another format): `tomes check` lists such files together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<SkipReason>,
}

/// Why a whole file yielded no papers without anything in it being wrong line by line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// No bytes at all.
    Empty,
    /// Only spaces and line breaks.
    Blank,
    /// NUL bytes: an image, a PDF, an archive.
    Binary,
    /// Text that is not UTF-8 (Latin-1; UTF-16 has NUL bytes and is [`SkipReason::Binary`]).
    NotUtf8,
    /// Text, but no format tomes reads (a README, a licence).
    OtherFormat,
    /// Over the size limit tomes reads.
    TooLarge,
    /// Not a regular file: a FIFO, socket or device, or a broken link.
    NotAFile,
}

impl SkipReason {
    /// The files skipped for this reason, as a list heading: `empty files`.
    pub fn files(self, n: usize) -> String {
        let (s, are) = if n == 1 { ("", "is") } else { ("s", "are") };
        match self {
            SkipReason::Empty => format!("empty file{s}"),
            SkipReason::Blank => format!("file{s} of only whitespace"),
            SkipReason::Binary => format!("binary file{s}"),
            SkipReason::NotUtf8 => format!("file{s} that {are} not UTF-8 text"),
            SkipReason::OtherFormat => {
                format!("file{s} that {are} not summary Markdown, PubTator or BioC XML")
            }
            SkipReason::TooLarge => format!("file{s} over the size limit"),
            SkipReason::NotAFile => format!(
                "entr{} that {are} not a file",
                if n == 1 { "y" } else { "ies" }
            ),
        }
    }
}

impl Problem {
    pub fn new(path: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            line,
            message: message.into(),
            byte: None,
            skipped: None,
        }
    }

    /// The problem, placed at byte `byte` of its file as well as at its line.
    pub fn at_byte(mut self, byte: u64) -> Self {
        self.byte = Some(byte);
        self
    }

    /// A whole file skipped for `reason`.
    pub fn skipped_file(path: impl Into<PathBuf>, reason: SkipReason, message: String) -> Self {
        Problem {
            skipped: Some(reason),
            ..Problem::new(path, None, message)
        }
    }
}

/// User text (a mention, an id, a title, a line) as a problem message quotes it: between
/// `"`, or between `“` and `”` when it holds a `"` itself (`""TATA" box"` reads as two
/// quoted texts, `“"TATA" box”` as one). Line breaks, tabs and carriage returns are written
/// as escapes (`\n`), other control chars as everywhere else ([`crate::safe_text`]: `^[`):
/// a message stays on its line, and no terminal escape in a file reaches the screen
/// through `tomes check`.
pub fn quoted(text: &str) -> Quoted<'_> {
    Quoted(text)
}

/// See [`quoted`].
pub struct Quoted<'a>(&'a str);

/// Items as a sentence lists them: `a`, `a and b`, `a, b and c` (with `last_word` "and"; or
/// "or"). Empty for none.
pub fn listed<T: AsRef<str>>(items: &[T], last_word: &str) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.as_ref().to_owned(),
        Some((last, rest)) => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} {last_word} {}", rest.join(", "), last.as_ref())
        }
    }
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        let (open, close) = if self.0.contains('"') {
            ('“', '”')
        } else {
            ('"', '"')
        };
        f.write_char(open)?;
        if self.0.chars().any(char::is_control) {
            for c in self.0.chars() {
                match crate::safe_text::notation(c) {
                    // The rest as the browser and `tomes show` show them (`^[`).
                    Some(shown) if c != '\r' => f.write_str(&shown)?,
                    _ if c.is_control() => write!(f, "{}", c.escape_default())?,
                    _ => f.write_char(c)?,
                }
            }
        } else {
            f.write_str(self.0)?;
        }
        f.write_char(close)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_place(f, &self.path, self.line, self.byte)?;
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file named with a line break or a tab: `file:line:` stays on one line.
    #[test]
    fn a_place_shows_a_line_break_in_a_file_name_by_notation() {
        let problem = Problem::new("bad/evil\nname\t.md", Some(5), "impossible date");
        assert_eq!(
            problem.to_string(),
            "bad/evil^Jname^I.md:5: impossible date"
        );
    }

    /// A mention holding quotes of its own (gnormplus writes `" TATA  box"` where the text
    /// has `"TATA" box`) is quoted so its quotes are not taken for the message's.
    #[test]
    fn user_text_is_quoted_so_its_own_quotes_and_line_breaks_stay_its_own() {
        for (text, shown) in [
            ("TATA box", "\"TATA box\""),
            ("\"TATA\" box", "“\"TATA\" box”"),
            ("5'-nucleotidase", "\"5'-nucleotidase\""),
            ("", "\"\""),
            ("a\nb\tc\u{1b}[31m", "\"a\\nb\\tc^[[31m\""),
            ("“x” \"y\"\n", "““x” \"y\"\\n”"),
        ] {
            assert_eq!(quoted(text).to_string(), shown, "{text:?}");
        }
    }

    #[test]
    fn problems_show_as_file_line_byte_message() {
        let shown = |p: Problem| p.to_string();
        assert_eq!(shown(Problem::new("a.txt", None, "empty")), "a.txt: empty");
        assert_eq!(shown(Problem::new("a.txt", Some(3), "bad")), "a.txt:3: bad");
        assert_eq!(
            shown(Problem::new("b.xml", Some(1), "bad").at_byte(123_456)),
            "b.xml:1: byte 123456: bad"
        );
        // Older problems (no byte, no reason) read back; new fields are left out when unset.
        let old: Problem =
            serde_json::from_str(r#"{"path":"a.txt","line":3,"message":"bad"}"#).unwrap();
        assert_eq!(old, Problem::new("a.txt", Some(3), "bad"));
        assert_eq!(
            serde_json::to_string(&old).unwrap(),
            r#"{"path":"a.txt","line":3,"message":"bad"}"#
        );
    }

    #[test]
    fn paper_key_prefers_pmid_then_pmc_then_lowercased_doi_then_file() {
        let mut ids = PaperIds {
            pmid: Some("10491763".into()),
            pmcid: Some("PMC1".into()),
            doi: Some("10.1038/ABC".into()),
        };
        assert_eq!(PaperKey::from_ids(&ids, "a.txt").as_str(), "PMID:10491763");
        ids.pmid = None;
        assert_eq!(PaperKey::from_ids(&ids, "a.txt").as_str(), "PMC:PMC1");
        ids.pmcid = None;
        assert_eq!(
            PaperKey::from_ids(&ids, "a.txt").as_str(),
            "DOI:10.1038/abc"
        );
        ids.doi = None;
        assert_eq!(
            PaperKey::from_ids(&ids, "dir/a.txt").as_str(),
            "file:dir/a.txt"
        );
    }

    /// What a written key is read as, and why one is none. Every form a user pastes is
    /// run through `tomes show` and the bookmark file alike in `tests/cli.rs`
    /// (`the_command_line_and_bookmarks_read_every_written_form_of_a_key_alike`).
    #[test]
    fn a_key_is_read_however_it_is_written() {
        let read = |text: &str| PaperKey::from_written(text).map(|k| k.0);
        for (written, key) in [
            ("pmid:21810259", "PMID:21810259"),
            (" PMID 21810259. ", "PMID:21810259"),
            // Leading zeros kept: a lookup finds a PMID written so first (`unpadded`).
            ("021810259", "PMID:021810259"),
            (
                "https://pubmed.ncbi.nlm.nih.gov/021810259/?from=x",
                "PMID:021810259",
            ),
            ("pmc:13039540", "PMC:PMC13039540"),
            ("<https://doi.org/10.1038%2FX.Y-1>", "DOI:10.1038/x.y-1"),
            ("doi:https://doi.org/10.1038/X.Y-1", "DOI:10.1038/x.y-1"),
            ("10.1002/(SICI)1:2", "DOI:10.1002/(sici)1:2"),
            ("file:dir/a.txt#7", "file:dir/a.txt#7"),
            ("PMC:PMCabc", "PMC:PMCabc"),
        ] {
            assert_eq!(read(written).as_deref(), Ok(key), "{written:?}");
        }
        for (written, why) in [
            ("", "an empty key"),
            ("PMD:1", "\"PMD:1\" is not a paper key"),
            ("pmid:12a", "PMID \"12a\" is not a number"),
            ("pmid:000", "PMID \"000\" is zeros alone"),
            (
                "https://pubmed.ncbi.nlm.nih.gov/abc/",
                "PMID \"abc\" is not a number",
            ),
            ("PMC:abc", "PMCID \"abc\" is not PMC and a number"),
            ("doi:", "a DOI with nothing after `doi:`"),
            ("a paper I liked", "\"a paper I liked\" is not a paper key"),
            ("cancer", "\"cancer\" is not a paper key"),
            (".", "\".\" is not a paper key"),
        ] {
            let error = read(written).expect_err(written);
            assert!(error.starts_with(why), "{written:?}: {error}");
        }
    }

    #[test]
    fn a_pmid_with_leading_zeros_is_also_looked_up_without_them() {
        let unpadded = |key: &str| PaperKey(key.to_owned()).unpadded().map(|k| k.0);
        assert_eq!(
            unpadded("PMID:0021810259").as_deref(),
            Some("PMID:21810259")
        );
        for key in [
            "PMID:21810259",
            "PMID:0",
            "PMID:00",
            "PMC:PMC0123",
            "DOI:10.1/0",
        ] {
            assert_eq!(unpadded(key), None, "{key}");
        }
    }

    /// The labels of ids, as PubMed, summaries and people write them: a `:`, or spaces
    /// before a number or `PMC`.
    #[test]
    fn a_labelled_id_is_read_after_its_label() {
        for (text, read) in [
            ("PMID: 123", Some((PaperIdKind::Pmid, "123"))),
            ("pmid 123", Some((PaperIdKind::Pmid, "123"))),
            ("PMCID:PMC1", Some((PaperIdKind::Pmcid, "PMC1"))),
            ("PMC: 1", Some((PaperIdKind::Pmcid, "1"))),
            ("pmcid PMC1", Some((PaperIdKind::Pmcid, "PMC1"))),
            ("DOI:", Some((PaperIdKind::Doi, ""))),
            ("doi: 10.1/x", Some((PaperIdKind::Doi, "10.1/x"))),
            ("pmid:abc", Some((PaperIdKind::Pmid, "abc"))),
            ("DOI registration", None),
            ("PMC", None),
            ("PMC123", None),
            ("PubMed", None),
            ("pmidx:1", None),
        ] {
            assert_eq!(labelled_paper_id(text), read, "{text:?}");
        }
    }

    #[test]
    fn aliases_differing_only_in_case_are_shown_once() {
        let aliases: Vec<SharedStr> = ["patient", "PATIENT", "woman", "Patients", "Woman", "Human"]
            .into_iter()
            .map(SharedStr::from)
            .collect();
        assert_eq!(
            distinct_aliases("human", &aliases),
            ["patient", "woman", "Patients"]
        );
        assert!(distinct_aliases("x", &[]).is_empty());
    }

    #[test]
    fn fold_name_ignores_case_punctuation_and_accents_and_spells_greek() {
        assert_eq!(fold_name("PD-L1"), "pdl1");
        assert_eq!(fold_name("pd-l1"), "pdl1");
        assert_eq!(fold_name("PDL1"), "pdl1");
        assert_eq!(fold_name("TNF-α"), "tnfalpha");
        assert_eq!(fold_name("TNF-α"), fold_name("TNF alpha"));
        assert_eq!(fold_name("Krüppel-like factor 4"), "kruppellikefactor4");
        assert_eq!(fold_name("日本"), "日本");
        // The ASCII fast path folds every ASCII character as the Unicode path does (a
        // non-ASCII letter at the end sends the text down that path).
        let every_ascii: String = (0u8..128).map(char::from).collect();
        let unicode_path = fold_name(&format!("{every_ascii}é"));
        assert_eq!(format!("{}e", fold_name(&every_ascii)), unicode_path);
        assert_eq!(fold_name("IL-6 (Interleukin 6)"), "il6interleukin6");
    }

    #[test]
    fn entity_key_parts() {
        let k = EntityKey::curie("NCBIGene", "939");
        assert_eq!(k.namespace(), "NCBIGene");
        assert_eq!(k.local_id(), "939");
        assert!(!k.is_name_only());
        let n = EntityKey::name_only(EntityKind::Protein, "CD-274");
        assert_eq!(n.as_str(), "name:protein:cd274");
        assert!(n.is_name_only());
    }
}
