//! Normalisation of the ids and type names the formats write into CURIE entity keys and
//! [`EntityKind`]s, so the same gene from a summary, a PubTator file and a BioC file is one
//! entity.
//!
//! Kinds (corpus type name -> kind):
//! - `Gene`, `GeneOrGeneProduct` -> gene; `Protein` -> protein.
//! - `FamilyName`, `DomainMotif`, `ChromosomeLocation`, `Cell` -> other: they name families,
//!   domains, loci and cell types, not one gene (their ids, where present, still become
//!   `NCBIGene:` keys, so the entity is shared with the gene mentions of that id).
//! - `Chemical`, `ChemicalEntity` -> chemical.
//! - `Disease`, `DiseaseOrPhenotypicFeature`, `SpecificDisease`, `Modifier`, `DiseaseClass`,
//!   `CompositeMention` (the NCBI disease corpus's mention classes) -> disease.
//! - `Species`, `OrganismTaxon` -> species; `SequenceVariant`, `Mutation`, `DNAMutation`,
//!   `ProteinMutation`, `SNP` -> variant; `CellLine` -> cell line. Anything else -> other.
//!
//! Ids (one component, after composite splitting):
//! - empty, `-`, `-1` -> none (the entity is keyed by name only);
//! - `12345(Tax:10090)` -> the species suffix is dropped (the gene id is already unique);
//! - `MESH:`/`MeSH:`/`mesh:` -> `MESH:`; bare `D009369`/`C012345` -> `MESH:D009369`;
//! - `OMIM:601622`/`MIM:601622` -> `OMIM:601622`; `MONDO:`, `CHEBI:`, `HP:` ... kept;
//! - `NCBIGene:`/`Gene:`/`EntrezGene:` -> `NCBIGene:`; `NCBITaxon:`/`taxon:`/`Tax:` -> `NCBITaxon:`;
//! - `rs123`, `RS#:123` -> `dbSNP:rs123`; `CVCL_0030` -> `Cellosaurus:CVCL_0030`;
//! - tmVar strings `c|SUB|C|123|T` -> `tmVar:c|SUB|C|123|T`; `HGVS:c.123C>T` kept as `HGVS:`;
//!   `CorrespondingGene:...` is context for a variant, not an id of it, and is skipped;
//! - any other variant id (`p.G593S`, `|INS|118_119|A`) -> `tmVar:` as written;
//! - bare numbers: NCBI Taxonomy for species, NCBI Gene otherwise (every corpus here uses
//!   NCBI Gene numbers for genes, families and domains).
//!
//! Composite ids (`D1|D2`, `D1+D2`, `1,2`, `1;2`) name several entities. tmVar strings contain
//! `|` and `+` themselves, so a string that looks like tmVar is never split.

use crate::model::{EntityKey, EntityKind};

/// A key's text in pieces to join (`namespace`, `:`, `id`): built by hand, not with
/// `format!`, and only where it is wanted.
type KeyPieces<'a> = [&'a str; 3];

fn curie<'a>(namespace: &'a str, id: &'a str) -> Read<'a> {
    Read::Key([namespace, ":", id])
}

/// The entity type names tomes knows, as corpora and summaries write them, and the kind each
/// stands for. The corpora's types of no kind of tomes' own (`FamilyName`, `Cell`) are here
/// too: a type cut short at the end of a file is told from a whole one by this list.
const TYPE_NAMES: &[(&str, EntityKind)] = &[
    ("Gene", EntityKind::Gene),
    ("GeneOrGeneProduct", EntityKind::Gene),
    ("Genes", EntityKind::Gene),
    ("Protein", EntityKind::Protein),
    ("Proteins", EntityKind::Protein),
    ("Chemical", EntityKind::Chemical),
    ("ChemicalEntity", EntityKind::Chemical),
    ("Chemicals", EntityKind::Chemical),
    ("Drug", EntityKind::Chemical),
    ("Drugs", EntityKind::Chemical),
    ("Disease", EntityKind::Disease),
    ("DiseaseOrPhenotypicFeature", EntityKind::Disease),
    ("SpecificDisease", EntityKind::Disease),
    ("Modifier", EntityKind::Disease),
    ("DiseaseClass", EntityKind::Disease),
    ("CompositeMention", EntityKind::Disease),
    ("Diseases", EntityKind::Disease),
    ("Species", EntityKind::Species),
    ("OrganismTaxon", EntityKind::Species),
    ("Organism", EntityKind::Species),
    ("SequenceVariant", EntityKind::Variant),
    ("Mutation", EntityKind::Variant),
    ("DNAMutation", EntityKind::Variant),
    ("ProteinMutation", EntityKind::Variant),
    ("SNP", EntityKind::Variant),
    ("Variant", EntityKind::Variant),
    ("Variants", EntityKind::Variant),
    ("Mutations", EntityKind::Variant),
    ("CellLine", EntityKind::CellLine),
    ("Cell line", EntityKind::CellLine),
    ("Cell lines", EntityKind::CellLine),
    ("FamilyName", EntityKind::Other),
    ("DomainMotif", EntityKind::Other),
    ("Cell", EntityKind::Other),
    ("ChromosomeLocation", EntityKind::Other),
];

/// The kind a type name tomes knows stands for (case-insensitive), `None` for another.
fn known_kind(type_name: &str) -> Option<EntityKind> {
    let t = super::trim(type_name);
    TYPE_NAMES
        .iter()
        .find(|(name, _)| t.eq_ignore_ascii_case(name))
        .map(|&(_, kind)| kind)
}

/// The kind a corpus type name stands for (case-insensitive).
pub fn kind_of(type_name: &str) -> EntityKind {
    known_kind(type_name).unwrap_or(EntityKind::Other)
}

/// Whether `type_name` is a type name tomes knows (case-insensitive).
pub fn is_type_name(type_name: &str) -> bool {
    known_kind(type_name).is_some()
}

/// Whether `type_name` is the start of a longer type name tomes knows (`Chemi`, `Fam`).
pub fn starts_a_type_name(type_name: &str) -> bool {
    let t = type_name.as_bytes();
    TYPE_NAMES
        .iter()
        .any(|(name, _)| name.len() > t.len() && name.as_bytes()[..t.len()].eq_ignore_ascii_case(t))
}

/// True for a tmVar-normalised variant string (`c|SUB|C|123|T`, `p|DEL|439_443|`): a
/// one-letter sequence type, then `|`.
pub fn is_tmvar(id: &str) -> bool {
    let b = super::trim(id).as_bytes();
    b.len() > 2 && b[0].is_ascii_lowercase() && b[1] == b'|'
}

/// Calls `each` with every single id of a possibly composite id string, trimmed, empty parts
/// skipped. Variant ids are tmVar strings (`c|SUB|G|2633+1|C`) or HGVS-like names that use
/// `|` and `+` themselves, so they are split only at `;`.
pub fn for_each_part<'a>(kind: EntityKind, raw: &'a str, mut each: impl FnMut(&'a str)) {
    let raw = super::trim(raw);
    let bytes = raw.as_bytes();
    // Most ids are single: no separator at all. Ids are a few bytes: a plain loop beats
    // setting up memchr calls.
    if !bytes
        .iter()
        .any(|&b| matches!(b, b',' | b';' | b'|' | b'+'))
    {
        if !raw.is_empty() {
            each(raw);
        }
        return;
    }
    if is_tmvar(raw) && !raw.contains(';') {
        each(raw);
        return;
    }
    // BioC variant ids (`HGVS:c.123+1G>A;CorrespondingGene:673`) carry `+` inside an id.
    let separators: &[char] = if kind == EntityKind::Variant
        || (raw.contains(':') && (raw.contains("HGVS:") || raw.contains("CorrespondingGene:")))
    {
        &[';']
    } else {
        &[',', ';', '|', '+']
    };
    for part in raw.split(separators) {
        let part = super::trim(part);
        if !part.is_empty() {
            each(part);
        }
    }
}

/// Normalises every id of a possibly composite id string, appending the keys not already in
/// `out`. Returns how many parts were not understood (reported by the caller).
pub fn normalise_into(kind: EntityKind, raw: &str, out: &mut Vec<EntityKey>) -> usize {
    let mut unknown = 0;
    for_each_part(kind, raw, |part| match normalise_one(kind, part) {
        Normalised::Key(key) => {
            if !out.contains(&key) {
                out.push(key);
            }
        }
        Normalised::None => {}
        Normalised::Unknown => unknown += 1,
    });
    unknown
}

/// What one id component normalises to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Normalised<K = EntityKey> {
    Key(K),
    /// No id (`-1`, empty) or context that is no id (`CorrespondingGene:`).
    None,
    /// A string that matches no known id shape.
    Unknown,
}

/// Normalises one id component (no composite splitting).
pub fn normalise_one(kind: EntityKind, raw: &str) -> Normalised {
    match read(kind, raw) {
        Read::Key(pieces) => Normalised::Key(EntityKey(pieces.concat().into())),
        Read::None => Normalised::None,
        Read::Unknown => Normalised::Unknown,
    }
}

/// [`normalise_one`], the key's text written to `text` (emptied first) for the caller to
/// share, not allocated: most ids normalised while parsing are the thread's already.
pub fn normalise_one_into(kind: EntityKind, raw: &str, text: &mut String) -> Normalised<()> {
    text.clear();
    match read(kind, raw) {
        Read::Key(pieces) => {
            pieces.iter().for_each(|piece| text.push_str(piece));
            Normalised::Key(())
        }
        Read::None => Normalised::None,
        Read::Unknown => Normalised::Unknown,
    }
}

/// What [`normalise_one`] reads an id component as, the key in pieces.
enum Read<'a> {
    Key(KeyPieces<'a>),
    None,
    Unknown,
}

fn read(kind: EntityKind, raw: &str) -> Read<'_> {
    let id = strip_tax_suffix(super::trim(raw));
    if id.is_empty() || id == "-" || id == "-1" {
        return Read::None;
    }
    if is_tmvar(id) || id.starts_with('|') {
        return curie("tmVar", id);
    }
    if let Some((prefix, local)) = id.split_once(':') {
        let local = super::trim(local);
        if local.is_empty() {
            return Read::Unknown;
        }
        let p = super::trim(prefix);
        let is = |name: &str| p.eq_ignore_ascii_case(name);
        let namespace = if is("MESH") {
            // Written in lower case (`mesh:d010051`), a MeSH id is the one in capitals: kept
            // as written, it was an entity of its own beside the corpora's (ut24d).
            if let Some(rest) = local.strip_prefix('d') {
                let upper = format!("D{rest}");
                if is_mesh(&upper) {
                    return Read::Key(["MESH:D", "", rest]);
                }
            } else if let Some(rest) = local.strip_prefix('c') {
                let upper = format!("C{rest}");
                if is_mesh(&upper) {
                    return Read::Key(["MESH:C", "", rest]);
                }
            }
            "MESH"
        } else if is("OMIM") || is("MIM") {
            "OMIM"
        } else if is("NCBIGene") || is("Gene") || is("EntrezGene") || is("NCBI Gene") {
            "NCBIGene"
        } else if is("NCBITaxon") || is("taxon") || is("Tax") || is("taxid") {
            "NCBITaxon"
        } else if is("RS#") || is("dbSNP") || is("rs") {
            let digits = local.trim_start_matches(['r', 's', 'R', 'S']);
            return Read::Key(["dbSNP:rs", "", digits]);
        } else if is("CorrespondingGene") {
            return Read::None;
        } else if is("Cellosaurus") || is("CVCL") {
            return cellosaurus(local);
        } else if is("MONDO") {
            "MONDO"
        } else if is("HGVS") {
            "HGVS"
        } else if is("tmVar") {
            "tmVar"
        } else if p.is_empty() || p.contains(' ') {
            return Read::Unknown;
        } else {
            // CHEBI:, DOID:, HP:, GO: ... are CURIEs already; keep them as written.
            return curie(p, local);
        };
        return curie(namespace, local);
    }
    if let Some(digits) = id.strip_prefix("rs").or_else(|| id.strip_prefix("RS"))
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        return Read::Key(["dbSNP:rs", "", digits]);
    }
    if id.starts_with("CVCL_") {
        return cellosaurus(id);
    }
    if is_mesh(id) {
        return curie("MESH", id);
    }
    if kind == EntityKind::Variant {
        // BioRED writes a few variants in their own words (`p.G593S`, `10510452_139`).
        return curie("tmVar", id);
    }
    if id.bytes().all(|b| b.is_ascii_digit()) {
        let namespace = match kind {
            EntityKind::Species => "NCBITaxon",
            _ => "NCBIGene",
        };
        return curie(namespace, id);
    }
    Read::Unknown
}

fn cellosaurus(id: &str) -> Read<'_> {
    if id.starts_with("CVCL_") {
        curie("Cellosaurus", id)
    } else {
        Read::Key(["Cellosaurus:CVCL_", "", id])
    }
}

/// `D009369`, `C012345`: a MeSH descriptor or supplementary concept id.
fn is_mesh(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() >= 7 && matches!(b[0], b'D' | b'C') && b[1..].iter().all(u8::is_ascii_digit)
}

/// `12345(Tax:10090)` -> `12345`.
fn strip_tax_suffix(id: &str) -> &str {
    match id.find('(') {
        Some(open)
            if id.ends_with(')')
                && id
                    .get(open + 1..open + 5)
                    .is_some_and(|t| t.eq_ignore_ascii_case("tax:")) =>
        {
            id[..open].trim_end()
        }
        _ => id,
    }
}

/// Normalises an id written as `<source name> <id>` in a summary's brackets
/// (`NCBI Gene 939`, `taxon 10376`, `MESH:D009369`).
pub fn normalise_labelled(kind: EntityKind, labelled: &str) -> Normalised {
    let labelled = labelled.trim();
    if let Some((source, id)) = labelled.rsplit_once(' ') {
        let source = source.trim().trim_end_matches(':');
        let s = |name: &str| source.eq_ignore_ascii_case(name);
        let namespace = if s("NCBI Gene") || s("Gene") || s("NCBIGene") || s("Entrez Gene") {
            Some("NCBIGene")
        } else if s("taxon") || s("NCBI Taxonomy") || s("NCBITaxon") || s("Taxonomy") {
            Some("NCBITaxon")
        } else if s("MeSH") {
            Some("MESH")
        } else if s("OMIM") || s("MIM") {
            Some("OMIM")
        } else if s("dbSNP") {
            Some("dbSNP")
        } else if s("Cellosaurus") {
            Some("Cellosaurus")
        } else {
            None
        };
        if let Some(ns) = namespace {
            return normalise_one(kind, &format!("{ns}:{}", id.trim()));
        }
    }
    normalise_one(kind, labelled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::*;

    #[test]
    fn type_names_map_to_kinds() {
        let table = [
            ("GeneOrGeneProduct", Gene),
            ("Gene", Gene),
            ("FamilyName", Other),
            ("DomainMotif", Other),
            ("ChromosomeLocation", Other),
            ("Cell", Other),
            ("Chemical", Chemical),
            ("ChemicalEntity", Chemical),
            ("Disease", Disease),
            ("DiseaseOrPhenotypicFeature", Disease),
            ("SpecificDisease", Disease),
            ("Modifier", Disease),
            ("DiseaseClass", Disease),
            ("CompositeMention", Disease),
            ("Species", Species),
            ("OrganismTaxon", Species),
            ("SequenceVariant", Variant),
            ("Mutation", Variant),
            ("CellLine", CellLine),
            ("Proteins", Protein),
            ("Whatever", Other),
        ];
        for (name, kind) in table {
            assert_eq!(kind_of(name), kind, "{name}");
        }
    }

    fn keys(kind: EntityKind, raw: &str) -> Vec<String> {
        let mut out = Vec::new();
        normalise_into(kind, raw, &mut out);
        out.into_iter().map(|k| k.0.to_string()).collect()
    }

    #[test]
    fn ids_normalise_to_curies() {
        let table: &[(EntityKind, &str, &[&str])] = &[
            (Gene, "939", &["NCBIGene:939"]),
            (Gene, "12345(Tax:10090)", &["NCBIGene:12345"]),
            (Gene, "24513(tax:10116)", &["NCBIGene:24513"]),
            (Disease, "D009369", &["MESH:D009369"]),
            (Chemical, "C012345", &["MESH:C012345"]),
            (Disease, "MESH:D009369", &["MESH:D009369"]),
            (Disease, "MeSH:D009369", &["MESH:D009369"]),
            (Disease, " D008661", &["MESH:D008661"]),
            (Disease, "OMIM:601622", &["OMIM:601622"]),
            (Disease, "OMIM:106210 ", &["OMIM:106210"]),
            (Species, "9606", &["NCBITaxon:9606"]),
            (Variant, "rs123", &["dbSNP:rs123"]),
            (Variant, "RS#:104894177", &["dbSNP:rs104894177"]),
            (Variant, "c|SUB|C|123|T", &["tmVar:c|SUB|C|123|T"]),
            (Variant, "p|SUB|V|600|E", &["tmVar:p|SUB|V|600|E"]),
            (Variant, "c|SUB|G|2633+1|C", &["tmVar:c|SUB|G|2633+1|C"]),
            (
                Variant,
                "HGVS:p.V600E;CorrespondingGene:673",
                &["HGVS:p.V600E"],
            ),
            (Variant, "HGVS:c.123+1G>A", &["HGVS:c.123+1G>A"]),
            (Variant, "p.G593S", &["tmVar:p.G593S"]),
            (Variant, "|INS|118_119|A", &["tmVar:|INS|118_119|A"]),
            (CellLine, "CVCL_0030", &["Cellosaurus:CVCL_0030"]),
            (CellLine, " CVCL_1452", &["Cellosaurus:CVCL_1452"]),
            (Disease, "MONDO:0015459", &["MONDO:0015459"]),
            (Chemical, "-1", &[]),
            (Chemical, "-", &[]),
            (Gene, "", &[]),
            (
                Disease,
                "D002318|D012131",
                &["MESH:D002318", "MESH:D012131"],
            ),
            (Disease, "D002544|-1", &["MESH:D002544"]),
            (
                Disease,
                "D007674+D006222",
                &["MESH:D007674", "MESH:D006222"],
            ),
            (
                Disease,
                "OMIM:201400|C535668",
                &["OMIM:201400", "MESH:C535668"],
            ),
            (Gene, "11796,11797", &["NCBIGene:11796", "NCBIGene:11797"]),
            (Gene, "26417;26413", &["NCBIGene:26417", "NCBIGene:26413"]),
            (
                Gene,
                "23626,26972(Tax:10090)",
                &["NCBIGene:23626", "NCBIGene:26972"],
            ),
            (Other, ",15978,16153", &["NCBIGene:15978", "NCBIGene:16153"]),
            (Other, "3569,3569", &["NCBIGene:3569"]),
            (Gene, "12(αβγδ)", &[]),
        ];
        for (kind, raw, want) in table {
            assert_eq!(keys(*kind, raw), *want, "{raw:?}");
        }
    }

    #[test]
    fn unknown_shapes_are_counted_not_keyed() {
        let mut out = Vec::new();
        assert_eq!(normalise_into(Gene, "hello world", &mut out), 1);
        assert!(out.is_empty());
    }

    #[test]
    fn labelled_ids_from_summaries() {
        let table = [
            (Gene, "NCBI Gene 939", "NCBIGene:939"),
            (Species, "taxon 10376", "NCBITaxon:10376"),
            (Disease, "MESH:D000077274", "MESH:D000077274"),
            (Disease, "MeSH D009369", "MESH:D009369"),
        ];
        for (kind, raw, want) in table {
            assert_eq!(
                normalise_labelled(kind, raw),
                Normalised::Key(EntityKey(want.into())),
                "{raw}"
            );
        }
    }
}
