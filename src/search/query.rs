//! The query language: fzf-style terms (`'exact`, `^prefix`, `suffix$`, `!not`, plain fuzzy),
//! all of which must match, plus fields (`title:`, `author:`, `journal:`, `year:2019..2023`,
//! `gene:PD-L1`, `is:bookmarked`, `pmid:`, `doi:`, `key:`) and bare CURIEs (`MESH:D009369`).
//!
//! Parsing never panics: anything it cannot make sense of is a [`QueryError`] whose message
//! says what to fix, shown in the search line.

use crate::model::{EntityKind, PaperIdKind, fold_name, labelled_paper_id};
use std::fmt;

/// Why a query could not be run, shown in the search line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
}

impl QueryError {
    fn new(message: impl Into<String>) -> Self {
        QueryError {
            message: message.into(),
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

/// Which short text fields a text term looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextField {
    /// Title, authors, journal, ids and entity names and aliases.
    Any,
    Title,
    Author,
    Journal,
}

/// How a text term matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextMode {
    /// Characters in order, gaps allowed (skim's algorithm); one or two side by side, three
    /// or four anchored ([`matches_anchored`]).
    Fuzzy,
    /// A substring (`'word`).
    Exact,
    /// The start of a field (`^word`).
    Prefix,
    /// The end of a field (`word$`).
    Suffix,
    /// The whole field (`^word$`).
    Whole,
    /// A Greek letter typed alone (`ν`, `β`): its folded name standing as a letter of the
    /// text, a word or a word part (`TGF-beta`, `IFN-gamma`, `gammadelta T cells`,
    /// `TNFalpha`), not inside another word (`nu` in "nucleus", `mu` in "mutation").
    Letter,
}

/// A term about text: the pattern is stored folded ([`crate::fold`]), and lower-cased
/// unless `case_sensitive`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextTerm {
    pub field: TextField,
    pub mode: TextMode,
    pub pattern: String,
    /// The pattern lower-cased, for the case-blind prefilter.
    pub lower_pattern: String,
    /// Smart case ([`is_case_sensitive`]): a pattern with a capital after a word's first
    /// letter matches case-sensitively.
    pub case_sensitive: bool,
    /// For a bare term that looks like a database id (`rs771966860`, `CVCL_0023`,
    /// `D009369`): its folded form, which also matches an entity's local id.
    pub entity_id: Option<String>,
    /// The ASCII letters and digits of the pattern ([`super::ascii_mask`]): every one must be
    /// in a text for it to match.
    pub mask: u32,
    /// For a fuzzy term of [`TYPO_MIN_CHARS`] or more, the words it may be a typo of: the
    /// pattern with each pair of neighbouring letters swapped (`alzhiemer` -> `alzheimer`,
    /// ...), and with each doubled letter or digit single (`carcinomma` -> `carcinoma`). A text
    /// holding one of them as the word as typed may stand, side by side or across
    /// punctuation (`ppdl1` in "PD-L1"), matches, ranked below the word as typed: letters
    /// in order cannot forgive a swap, the commonest typo, nor a letter typed twice.
    pub typo_variants: Vec<String>,
    /// Substring searchers for the pattern and each of `typo_variants`, built once per query
    /// rather than once per text (building one cost more than searching a title).
    pub finders: Box<Finders>,
    /// A fuzzy pattern as typed with the hyphens it leaves out (`tgf-beta` for `tgfbeta`):
    /// where the text holds it so, that place is shown, hyphen and all.
    pub hyphenated: Option<String>,
    /// A fuzzy pattern without the possessive or plural ending it was typed with
    /// ([`possessive_stem`]): `huntington` for `huntingtons`, `huntington's` and
    /// `huntingtons'`. The ending is optional, as a hyphen is: a text holding the stem as a
    /// word, bare or with such an ending ("Huntington disease", "Huntington's"), matches as
    /// the word as typed would. A user test found `huntingtons` finding only the 3 papers
    /// writing "Huntington's", not the 18 titled "Huntington disease" that `huntington`
    /// finds.
    pub stem: Option<String>,
    /// What else finds a paper for this bare word, besides its text ([`AlsoFinds`]).
    pub also: Option<AlsoFinds>,
}

/// What a bare word also finds besides its text, where it reads as something a
/// researcher pastes or half-remembers from a citation. The text as typed still finds
/// its papers too: these only add papers, so a word never finds less than it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AlsoFinds {
    /// A year from [`BARE_YEARS`] written alone (`smith 2019`, `Cell Death Discov 2026`):
    /// the papers of that year. A user test found those queries finding nothing.
    Year(i32),
    /// One to three capitals after a word, as PubMed writes an author (`Smith JA`,
    /// `Zhu YH`): the papers with an author of that surname (folded, lower-cased) whose
    /// given names have these initials (lower-cased) ([`initials_name`]).
    Initials { surname: String, initials: String },
    /// A bare entity field between words, as a pasted title writes it ("Alzheimer's
    /// disease: the case of..."): the papers with an entity of these kinds, as the field
    /// alone finds them. 42 of the corpora's titles have one.
    EntityOfKind(Vec<EntityKind>),
}

/// The years a bare four-digit word also stands for ([`AlsoFinds::Year`]).
pub const BARE_YEARS: std::ops::RangeInclusive<i32> = 1800..=2100;

/// Whether `author`'s name has a word that is `surname` (folded, lower-cased) and, among
/// its other words, given names with the `initials` (lower-cased): the first starting
/// the first given name, each next starting a later one or, when the given names run out,
/// a syllable of the last (a consonant after a vowel: `YH` for "Yihua", written "Yi-Hua"
/// elsewhere). Names written as PubMed writes them (`Smith JA`) count their capitals as
/// given names.
pub fn initials_name(author: &str, surname: &str, initials: &str) -> bool {
    let words: Vec<String> = author
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(crate::fold::fold_cased)
        .map(|w| w.into_owned())
        .collect();
    let Some(at) = words.iter().position(|w| w.to_lowercase() == surname) else {
        return false;
    };
    let mut given: Vec<String> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if i == at {
            continue;
        }
        let capitals = w.chars().count() <= 3 && w.chars().all(char::is_uppercase);
        if capitals && w.chars().count() > 1 {
            given.extend(w.chars().map(|c| c.to_lowercase().collect::<String>()));
        } else {
            given.push(w.to_lowercase());
        }
    }
    let mut wanted = initials.chars();
    let Some(first) = wanted.next() else {
        return false;
    };
    let mut names = given.iter();
    if names.next().and_then(|n| n.chars().next()) != Some(first) {
        return false;
    }
    let mut last = given.first().map(String::as_str).unwrap_or("");
    let mut inside = 1;
    for c in wanted {
        if let Some(name) = names.next() {
            if !name.starts_with(c) {
                return false;
            }
            last = name;
            inside = 1;
            continue;
        }
        // The given names ran out: a syllable of the last one.
        let chars: Vec<char> = last.chars().collect();
        let vowel = |c: char| "aeiouy".contains(c);
        // A consonant after a vowel, or after a syllable's final n or ng (`Xinru`,
        // `Yongsheng`).
        let starts_syllable = |i: usize| {
            let after = |coda: &str| {
                let start = i.checked_sub(coda.len());
                start.is_some_and(|s| {
                    s > 0 && chars[s..i].iter().copied().eq(coda.chars()) && vowel(chars[s - 1])
                })
            };
            !vowel(chars[i]) && (vowel(chars[i - 1]) || after("n") || after("ng"))
        };
        let Some(found) =
            (inside.max(1)..chars.len()).find(|&i| chars[i] == c && starts_syllable(i))
        else {
            return false;
        };
        inside = found + 1;
    }
    true
}

/// [`TextTerm::finders`]: they follow from the patterns, so two terms with the same
/// patterns are equal whatever their finders.
#[derive(Clone, Debug)]
pub struct Finders {
    pub pattern: memchr::memmem::Finder<'static>,
    pub typo_variants: Vec<memchr::memmem::Finder<'static>>,
    /// For [`TextTerm::stem`].
    pub stem: Option<memchr::memmem::Finder<'static>>,
}

impl Finders {
    pub fn new(pattern: &str, typo_variants: &[String]) -> Finders {
        Finders {
            pattern: memchr::memmem::Finder::new(pattern.as_bytes()).into_owned(),
            typo_variants: typo_variants
                .iter()
                .map(|v| memchr::memmem::Finder::new(v.as_bytes()).into_owned())
                .collect(),
            stem: None,
        }
    }

    /// These finders with one for `stem` ([`TextTerm::stem`]).
    pub fn with_stem(mut self, stem: Option<&str>) -> Finders {
        self.stem = stem.map(|s| memchr::memmem::Finder::new(s.as_bytes()).into_owned());
        self
    }
}

/// Stems shorter than this keep their `s`: `aids` is not "aid", `sars` not "sar", `kras`
/// not "kra".
pub const STEM_MIN_CHARS: usize = 4;

/// The endings a word's possessive or plural adds, longest first: `huntington's`,
/// `patients'`, `huntingtons`. In a text, where they follow the stem the word ends.
pub const POSSESSIVE_ENDINGS: [&str; 4] = ["'s", "s'", "s", "'"];

/// [`TextTerm::stem`] for a fuzzy `pattern`: it without its possessive or plural ending,
/// when what is left is a word of [`STEM_MIN_CHARS`] or more ASCII letters and digits,
/// ending in a letter other than `s` (`class` and `mass` end in no plural).
pub fn possessive_stem(mode: TextMode, pattern: &str) -> Option<String> {
    if mode != TextMode::Fuzzy {
        return None;
    }
    let stem = POSSESSIVE_ENDINGS
        .iter()
        .find_map(|ending| pattern.strip_suffix(ending))?;
    let last = *stem.as_bytes().last()?;
    (stem.len() >= STEM_MIN_CHARS
        && stem.bytes().all(|b| b.is_ascii_alphanumeric())
        && last.is_ascii_alphabetic()
        && !last.eq_ignore_ascii_case(&b's'))
    .then(|| stem.to_owned())
}

impl PartialEq for Finders {
    fn eq(&self, _: &Finders) -> bool {
        true
    }
}

impl Eq for Finders {}

/// Fuzzy terms this long or longer forgive one swap of neighbouring letters or one letter
/// typed twice. Shorter words so changed are too often other words (`form`, `from`).
pub const TYPO_MIN_CHARS: usize = 5;

/// [`TextTerm::typo_variants`] for a term of `mode` with `pattern`: none for terms not fuzzy
/// or shorter than [`TYPO_MIN_CHARS`].
fn typo_variants_for(mode: TextMode, pattern: &str) -> Vec<String> {
    if mode == TextMode::Fuzzy && pattern.chars().count() >= TYPO_MIN_CHARS {
        let mut variants = transpositions(pattern);
        for other in respellings(pattern) {
            if !variants.contains(&other) {
                variants.push(other);
            }
        }
        // A digit typed twice in a gene name (`tp553`, `cd2744`), not in an id of many
        // digits (`rs113488022` is not rs13488022, nor a PMID one digit shorter).
        let digits_too = pattern.chars().any(char::is_alphabetic)
            && pattern.chars().filter(char::is_ascii_digit).count() <= 4;
        for single in doubles_made_single(pattern, digits_too) {
            if !variants.contains(&single) {
                variants.push(single);
            }
        }
        variants
    } else {
        Vec::new()
    }
}

/// British and American spellings of the same word, each way, as the start of a word
/// (`true`) or anywhere in it: a user test found `tumour` finding 352 papers of the shared
/// corpora and `tumor` 524, `leukaemia` 22 and `leukemia` 60.
const RESPELLINGS: [(&str, &str, bool); 50] = [
    ("tumour", "tumor", false),
    ("tumor", "tumour", false),
    ("colour", "color", false),
    ("color", "colour", false),
    ("behaviour", "behavior", false),
    ("behavior", "behaviour", false),
    ("favour", "favor", false),
    ("favor", "favour", false),
    ("labour", "labor", false),
    ("labor", "labour", false),
    ("haem", "hem", true),
    ("hem", "haem", true),
    ("aemi", "emi", false),
    ("emia", "aemia", false),
    ("ischaem", "ischem", false),
    ("ischem", "ischaem", false),
    ("anaesth", "anesth", false),
    ("anesth", "anaesth", false),
    ("paed", "ped", false),
    ("pediatr", "paediatr", false),
    ("orthoped", "orthopaed", false),
    ("gynaec", "gynec", false),
    ("gynec", "gynaec", false),
    ("aetiol", "etiol", true),
    ("etiol", "aetiol", true),
    ("oesoph", "esoph", true),
    ("esoph", "oesoph", true),
    ("oestr", "estr", true),
    ("estrogen", "oestrogen", true),
    ("oedem", "edem", true),
    ("edema", "oedema", true),
    ("foet", "fet", true),
    ("fetal", "foetal", true),
    ("fetus", "foetus", true),
    ("diarrhoea", "diarrhea", false),
    ("diarrhea", "diarrhoea", false),
    ("centre", "center", false),
    ("center", "centre", false),
    ("isation", "ization", false),
    ("ization", "isation", false),
    // The verbs: randomised, characterised, hospitalised; analysed, paralysed.
    ("ised", "ized", false),
    ("ized", "ised", false),
    ("ising", "izing", false),
    ("izing", "ising", false),
    ("ises", "izes", false),
    ("izes", "ises", false),
    ("ysed", "yzed", false),
    ("yzed", "ysed", false),
    ("yse", "yze", false),
    ("yze", "yse", false),
];

/// The other spellings of a lower-case `pattern` ([`RESPELLINGS`]), each rule applied at
/// its first place; none for a pattern with capitals (case-sensitive).
pub(crate) fn respellings(pattern: &str) -> Vec<String> {
    if pattern.chars().any(char::is_uppercase) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (from, to, at_start) in RESPELLINGS {
        // Spelt so already: a rule adding letters around what it finds (`emia` ->
        // `aemia`) finds it in its own result (`leukaemia`).
        if (to.ends_with(from) || to.starts_with(from)) && pattern.contains(to) {
            continue;
        }
        let found = match at_start {
            true => pattern.starts_with(from).then_some(0),
            false => pattern.find(from),
        };
        if let Some(at) = found {
            let other = format!("{}{to}{}", &pattern[..at], &pattern[at + from.len()..]);
            if other != pattern && !out.contains(&other) {
                out.push(other);
            }
        }
    }
    out
}

/// Whether every other spelling of `new` (a pattern extending `old`) extends one of `old`'s:
/// then what `new` finds respelled, `old` finds too (`hemorr`'s "haemorr" holds `hemor`'s
/// "haemor"), and `new` may search only `old`'s papers. `tumou` has no respelling of
/// `tumour`'s "tumor".
pub(crate) fn respellings_extend(new: &str, old: &str) -> bool {
    let old = respellings(old);
    respellings(new)
        .iter()
        .all(|r| old.iter().any(|o| r.starts_with(o.as_str())))
}

/// `pattern` with each letter (and digit, if `digits_too`) written twice in a row written
/// once, each once: `carcinomma` -> `carcinoma`, `tp553` -> `tp53`.
fn doubles_made_single(pattern: &str, digits_too: bool) -> Vec<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out: Vec<String> = Vec::new();
    for i in 1..chars.len() {
        let c = chars[i];
        let doubled = c == chars[i - 1] && (c.is_alphabetic() || digits_too && c.is_numeric());
        // `mmm` gives `mm` once, from its first pair.
        if doubled && (i < 2 || chars[i - 2] != chars[i]) {
            let single: String = chars[..i].iter().chain(&chars[i + 1..]).collect();
            if !out.contains(&single) {
                out.push(single);
            }
        }
    }
    out
}

/// `pattern` with each pair of different neighbouring characters swapped, each once.
fn transpositions(pattern: &str) -> Vec<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out: Vec<String> = Vec::new();
    for i in 0..chars.len().saturating_sub(1) {
        if chars[i] == chars[i + 1] {
            continue;
        }
        let mut swapped = chars.clone();
        swapped.swap(i, i + 1);
        let swapped: String = swapped.into_iter().collect();
        if !out.contains(&swapped) {
            out.push(swapped);
        }
    }
    out
}

impl TextTerm {
    /// Whether the term forgives a typo ([`TextTerm::typo_variants`]).
    pub fn forgives_typos(&self) -> bool {
        !self.typo_variants.is_empty()
    }

    /// Whether the term is a bare year ([`AlsoFinds::Year`]): its text is that number, as a
    /// number of its own (`2019-nCoV`, `by 2020:`), not four digits inside a longer one
    /// (PMID 20195852) or letters in order across numbers (`200-500`), and no id but one
    /// that is the number whole.
    pub fn is_bare_year(&self) -> bool {
        matches!(self.also, Some(AlsoFinds::Year(_)))
    }
}

/// Which id a `pmid:`, `doi:` or `key:` term compares with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdField {
    Pmid,
    Doi,
    /// The paper key or any of its ids.
    Key,
}

/// One condition of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    Text(TextTerm),
    /// Publication year in an inclusive range (either end open).
    Year {
        from: Option<i32>,
        to: Option<i32>,
    },
    /// An entity of one of these kinds whose name, alias (known anywhere in the library) or
    /// local id folds to `folded`, whose name or alias continues `folded` from a word start
    /// (when `folded` has [`MIN_ENTITY_PREFIX`](super::MIN_ENTITY_PREFIX) or more
    /// characters: `gene:ar` is the gene AR, not every AR-something), or whose CURIE is
    /// `curie` (lower-cased). An empty `folded` (a bare `variant:`) matches any entity of
    /// these kinds.
    Entity {
        kinds: Vec<EntityKind>,
        folded: String,
        curie: Option<String>,
        /// The value is still being typed (the last word of a query being typed, with no
        /// space after it, not leaving papers out): it also names the entities whose name,
        /// alias, word of one, local id or CURIE starts with it, however short, ranked
        /// below those it names whole. So `gene:t` and `gene:tp` on the way to `gene:tp53`
        /// narrow the list instead of emptying it, while `gene:ar` lists the papers about
        /// AR first. A space after the value finishes it, and a whole query
        /// ([`Query::parse_whole`]: `tomes search`, `tomes export`) has no value being
        /// typed: there `gene:ar` means AR alone, as a script asking for it expects.
        being_typed: bool,
        /// A finished value that names some entity of these kinds whole: it names no other
        /// by the start of a name, so `gene:cd27` is CD27 and not CD274 or CD279 as well
        /// (`gene:brca`, naming no gene whole, still names BRCA1 and BRCA2). Set by the
        /// searcher, which knows the library's entities; never set by parsing.
        whole_only: bool,
    },
    /// An entity whose CURIE equals this one (lower-cased), e.g. `mesh:d009369`; a paper also
    /// matches when the text appears in one of its fields, so `ratio:3` typed as words works.
    Curie {
        curie: String,
        text: String,
    },
    /// An id of the paper, compared case-insensitively.
    Id {
        field: IdField,
        value: String,
    },
    Bookmarked,
}

/// A condition, possibly negated (`!`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub negated: bool,
    pub condition: Condition,
}

/// A parsed query: every term must hold. The empty query matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
}

impl Query {
    /// Parses a query line as it is being typed: what reads as a term not finished yet
    /// (`title:`, `year:202`, a last `OR` or `NOT`) is left out rather than an error
    /// flashed at each key.
    pub fn parse(input: &str) -> Result<Query, QueryError> {
        Query::parse_as(input, Typing::UnderWay)
    }

    /// Parses a whole query (the command line's): a term left unfinished is an error.
    pub fn parse_whole(input: &str) -> Result<Query, QueryError> {
        Query::parse_as(input, Typing::Done)
    }

    fn parse_as(input: &str, typing: Typing) -> Result<Query, QueryError> {
        // Characters that stand for nothing (a zero-width space, a soft hyphen, a lone
        // accent) are not there: a word of them alone would be a term of no letters.
        let visible: String;
        let input = if input.chars().any(crate::fold::vanishes) {
            visible = input
                .chars()
                .filter(|&c| !crate::fold::vanishes(c))
                .collect();
            visible.as_str()
        } else {
            input
        };
        let mut terms = Vec::new();
        // PubMed's words in capitals: every term must match already (AND), NOT leaves the
        // next term out; OR is not something a list of terms can say.
        let mut not = false;
        let mut dashes_alone = false;
        // The first word of punctuation alone, for the message when nothing else is asked.
        let mut punctuation_alone: Option<String> = None;
        let (words, last_open) = words(input, typing)?;
        let words = without_citation_details(without_et_al(ids_joined(words)));
        spaced_year_range(&words, typing)?;
        let last = words.len().saturating_sub(1);
        // The surname a word of initials after it may belong to ([`AlsoFinds::Initials`]):
        // the word before, when a plain word of letters.
        let mut surname: Option<String> = None;
        // Whether the word before was a word of text found as such.
        let mut after_word = false;
        for (i, word) in words.into_iter().enumerate() {
            let before = surname.take();
            let word_before = std::mem::take(&mut after_word);
            // A dash standing alone is punctuation, as a pasted title writes it ("HIV - host
            // interactions", "Parkinson's disease – a review"), not a term left out waiting
            // for its word: a user test was told `'-' needs a word after it`. Last while
            // typing it may be the start of `-word`, which leaves nothing out yet either.
            if is_dash_alone(&word) {
                dashes_alone = true;
                continue;
            }
            // So is a bracket or comma standing alone ("Smith JA , Jones M"), and an
            // ampersand between names ("Smith & Jones, 2019" found nothing).
            if word == "&"
                || !word.starts_with(['!', '\'', '^'])
                    && without_surrounding_punctuation(&word).is_empty()
            {
                punctuation_alone.get_or_insert_with(|| word.clone());
                continue;
            }
            match word.as_str() {
                "AND" => continue,
                "NOT" => {
                    not = true;
                    continue;
                }
                // Last, it may be a word being typed (`OR2T4`, a gene), and a lone `!` the
                // start of a term left out (`cancer !breast`).
                "OR" | "!" if i == last && typing == Typing::UnderWay => continue,
                "OR" => return Err(or_not_supported()),
                _ => {}
            }
            let word = if std::mem::take(&mut not) {
                format!("!{word}")
            } else {
                word
            };
            let open = typing == Typing::UnderWay && last_open && i == last;
            let amid_words = word_before && i < last;
            let parsed = match amid_words.then(|| bare_entity_field(&word)).flatten() {
                Some((name, kinds)) => {
                    let mut term = text_term(TextField::Any, name)?;
                    term.also = Some(AlsoFinds::EntityOfKind(kinds));
                    Some(Term {
                        negated: false,
                        condition: Condition::Text(term),
                    })
                }
                None => parse_term(&word, typing, open)?,
            };
            match parsed {
                Some(mut term) => {
                    if let Condition::Text(t) = &mut term.condition
                        && !term.negated
                        && t.field == TextField::Any
                        && t.mode == TextMode::Fuzzy
                    {
                        after_word = true;
                        match (before, initials_written(&word)) {
                            (Some(surname), Some(initials)) if t.also.is_none() => {
                                t.also = Some(AlsoFinds::Initials { surname, initials });
                            }
                            _ if t.pattern.chars().all(char::is_alphabetic) => {
                                surname = Some(t.pattern.to_lowercase());
                            }
                            _ => {}
                        }
                    }
                    terms.push(term);
                }
                None if typing == Typing::Done => return Err(unfinished(&word)),
                None => {}
            }
        }
        if not && typing == Typing::Done {
            return Err(QueryError::new(
                "NOT needs a word after it: NOT word leaves out papers with the word",
            ));
        }
        // A query of dashes alone asks nothing; run, it would list every paper.
        if dashes_alone && terms.is_empty() && typing == Typing::Done {
            return Err(QueryError::new(
                "'-' alone has nothing to search for: write words, or -word to leave out \
                 papers with word ('- finds a hyphen)",
            ));
        }
        if let Some(word) = punctuation_alone
            && terms.is_empty()
            && typing == Typing::Done
        {
            // Said with the user's own punctuation (ut23's `???` was told of semicolons).
            return Err(QueryError::new(format!(
                "punctuation alone has nothing to search for: write words ('{word} finds \
                 {word} as written)"
            )));
        }
        Ok(Query { terms })
    }

    /// What Enter would refuse in a query being typed that [`Query::parse`] lets by for now:
    /// a last `OR` (`brca OR`, on its way to `brca OR tp53`, which is refused, or to the gene
    /// `OR2T4`, which is not). The search line says it gently while the list stays as the
    /// words before it find; an error there would flash at every such key.
    pub fn typing_hint(input: &str) -> Option<QueryError> {
        // Cheap first: this is asked at every frame of typing.
        let last = input.split_whitespace().last()?;
        if !last
            .chars()
            .filter(|&c| !crate::fold::vanishes(c))
            .eq("OR".chars())
        {
            return None;
        }
        let visible: String = input
            .chars()
            .filter(|&c| !crate::fold::vanishes(c))
            .collect();
        Query::parse(&visible).ok()?;
        let (words, _) = words(&visible, Typing::UnderWay).ok()?;
        let words = without_citation_details(without_et_al(ids_joined(words)));
        (words.last()? == "OR").then(or_not_supported)
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether every paper matching `self` also matches `broader`, judged term by term, so the
    /// worker can search only `broader`'s hits (typing one more letter narrows the results).
    pub fn narrows(&self, broader: &Query) -> bool {
        broader
            .terms
            .iter()
            .enumerate()
            .all(|(i, old)| self.terms.get(i).is_some_and(|new| term_implies(new, old)))
    }
}

/// `words` without "et al" (`et al.`, `et al.,`), which a citation writes after its first
/// author and no text of a paper holds: `zhu et al.` found nothing.
fn without_et_al(words: Vec<String>) -> Vec<String> {
    let is =
        |word: &str, meant: &str| without_surrounding_punctuation(word).eq_ignore_ascii_case(meant);
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for word in words {
        if is(&word, "al") && out.last().is_some_and(|before| is(before, "et")) {
            out.pop();
        } else {
            out.push(word);
        }
    }
    out
}

/// `words` without what a citation writes after its year that no field of a paper holds:
/// the month and day (`2026 Mar 10`) and volume, issue and pages (`12(1):123`, `;12:45-50`;
/// `2026;12(1):e123` keeps its year). ut23b pasted `Cell Death Discov. 2026 Mar
/// 10;12(1):123` and found nothing, where `Cell Death Discov. 2026` found the paper.
fn without_citation_details(words: Vec<String>) -> Vec<String> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let is_year = |word: &str| {
        let digits = word.trim_end_matches([';', '.', ',', ':']);
        digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())
    };
    // `Mar`, `Mar.`, `March`, `Sept`.
    // A range of months (`Jan-Feb`) by its first.
    let is_month = |word: &str| {
        let word = word.trim_end_matches(['.', ',', ';']).to_ascii_lowercase();
        let word = word.split('-').next().unwrap_or_default();
        word.len() >= 3 && MONTHS.iter().any(|m| m.starts_with(word))
    };
    let is_day = |word: &str| {
        let digits = word.trim_end_matches([';', ',', '.', ':']);
        digits.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
    };
    // Digits with the marks that part volume, issue and pages, one of them at least.
    let is_numbers = |word: &str| {
        // Inside the word: `(2019).` is a year in brackets.
        let inner = without_surrounding_punctuation(word);
        inner.bytes().any(|b| b.is_ascii_digit())
            && inner.bytes().any(|b| matches!(b, b';' | b':' | b'('))
            && inner
                .bytes()
                .all(|b| b.is_ascii_digit() || b"();:-.,e".contains(&b))
            && !inner.starts_with(['e', '-'])
    };
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    // What the word before was: a year, or a month after one.
    let (mut after_year, mut after_month) = (false, false);
    for word in words {
        let (year, month) = (after_year, after_month);
        (after_year, after_month) = (false, false);
        if year && is_month(&word) {
            after_month = true;
            continue;
        }
        // A month with no day, the volume after it: `2005 Jan;14(1):265-7` (ut24d).
        if year
            && word
                .split_once(';')
                .is_some_and(|(month, rest)| is_month(month) && is_numbers(&format!(";{rest}")))
        {
            continue;
        }
        if month && is_day(&word) {
            continue;
        }
        if is_numbers(&word) {
            if let Some((kept, _)) = word.split_once(';').filter(|(y, _)| is_year(y)) {
                out.push(kept.to_owned());
                after_year = true;
            }
            continue;
        }
        after_year = is_year(&word);
        out.push(word);
    }
    out
}

/// The id term of a pasted PubMed, PMC or doi.org address (`https://doi.org/10.1/x` is
/// `doi:10.1/x`), as `tomes show` and bookmarks read it; a user test pasted the detail
/// pane's links into the search line and found nothing.
fn address_id(word: &str) -> Option<String> {
    let (kind, id) = crate::model::paper_id_address(word.trim_end_matches(['.', ',', ';']))?;
    if id.is_empty() {
        return None;
    }
    Some(match kind {
        PaperIdKind::Pmid => format!("pmid:{id}"),
        PaperIdKind::Doi => format!("doi:{id}"),
        PaperIdKind::Pmcid => format!("key:{id}"),
    })
}

/// The initials `word` writes as PubMed writes an author's (`JA` in `Smith JA`, `J.A.`,
/// `M,`): one to three capitals, lower-cased.
fn initials_written(word: &str) -> Option<String> {
    let letters: String = without_surrounding_punctuation(word)
        .chars()
        .filter(|&c| c != '.')
        .collect();
    let count = letters.chars().count();
    ((1..=3).contains(&count) && letters.chars().all(char::is_uppercase))
        .then(|| letters.to_lowercase())
}

/// The name and kinds of `word` when it is an entity field with nothing after its colon
/// (`disease:`, `gene:`).
fn bare_entity_field(word: &str) -> Option<(&str, Vec<EntityKind>)> {
    let name = word.strip_suffix(':')?;
    Some((name, entity_kinds(&name.to_ascii_lowercase())?))
}

/// `words` with an id written as PubMed and the detail pane write it made one term:
/// `PMID: 6794356`, `PMID 6794356` (any case) is `pmid:6794356`; `DOI: 10.1038/x` is
/// `doi:10.1038/x`; `PMC: PMC123`, `PMCID: 123` is `key:PMC123`: a label of
/// [`PAPER_ID_LABELS`](crate::model::PAPER_ID_LABELS), as every reader of a written id
/// reads it, and the word after it. A user test pasted `PMID: 6794356` and was told
/// `pmid: needs a value after it`.
fn ids_joined(words: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for word in words {
        if let Some(id) = address_id(&word) {
            out.push(id);
            continue;
        }
        let digits = !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit());
        let joined = out.last().and_then(|before| {
            let both = format!("{before} {word}");
            let (kind, _) = labelled_paper_id(&both).filter(|&(_, id)| id == word)?;
            match kind {
                PaperIdKind::Pmid if digits => Some(format!("pmid:{word}")),
                PaperIdKind::Doi => Some(format!("doi:{word}")),
                PaperIdKind::Pmcid if digits => Some(format!("key:PMC{word}")),
                PaperIdKind::Pmcid
                    if word.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("pmc")) =>
                {
                    Some(format!("key:{word}"))
                }
                _ => None,
            }
        });
        match (joined, out.last_mut()) {
            (Some(joined), Some(before)) => *before = joined,
            _ => out.push(word),
        }
    }
    out
}

/// Smart case, as a researcher writes: a term is case-sensitive when one of its words has a
/// capital after its first letter (`HIV`, `mTOR`, `BRCA1`, `pH`, `IL-6`), not for a capital
/// that only starts a word (`Cisplatin`, `Breast`, `Non-Hodgkin`), which a sentence or a
/// pasted title gives. A user test found `Cisplatin` matching 3 papers and `cisplatin` 27.
pub fn is_case_sensitive(pattern: &str) -> bool {
    pattern
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word.chars().skip(1).any(char::is_uppercase))
}

/// Whether a query is still being typed ([`Query::parse`]) or written whole
/// ([`Query::parse_whole`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Typing {
    UnderWay,
    Done,
}

/// `OR` standing as a word: a list of terms that must all match cannot say it.
fn or_not_supported() -> QueryError {
    QueryError::new(
        "OR is not supported: every term must match (search for each in turn; 'OR finds the \
         word)",
    )
}

/// Why a word that reads as not finished while typing (`title:`, `year:202`, `is:`) is no
/// term of a whole query.
fn unfinished(word: &str) -> QueryError {
    let body = strip_negation(word).unwrap_or(word);
    let (field, value) = body.split_once(':').unwrap_or((body, ""));
    let field = field.to_ascii_lowercase();
    QueryError::new(match field.as_str() {
        "year" => format!(
            "year:{value} is not a year; write year:2019, year:2019..2023, year:..2020 or \
             year:2019.."
        ),
        "is" => "is: needs a value after it: is:bookmarked".to_owned(),
        "pmid" => "pmid: needs a value after it, like pmid:12345".to_owned(),
        "doi" => "doi: needs a value after it, like doi:10.1038/".to_owned(),
        _ => format!("{field}: needs a value after it, like {field}:word"),
    })
}

/// True when anything `new` matches is matched by `old`.
fn term_implies(new: &Term, old: &Term) -> bool {
    if new == old {
        return true;
    }
    if new.negated || old.negated {
        return false;
    }
    if let (Condition::Entity { .. }, Condition::Entity { .. }) = (&new.condition, &old.condition) {
        return entity_term_implies(&new.condition, &old.condition);
    }
    let (Condition::Text(n), Condition::Text(o)) = (&new.condition, &old.condition) else {
        return false;
    };
    if n.field != o.field || n.case_sensitive != o.case_sensitive {
        return false;
    }
    // What a bare word also finds is no text: `2019` finds papers of 2019 that `201` does
    // not.
    if n.also.is_some() && n.also != o.also {
        return false;
    }
    // A bare id (`rs113488022`) also finds the entity with that local id, whatever the
    // paper's texts: `rs1134` did not find it, so only the same id narrows.
    if n.entity_id.is_some() && n.entity_id != o.entity_id {
        return false;
    }
    if needs_side_by_side(o.mode, &o.pattern) {
        // A short fuzzy term needs its letters side by side: so must the narrower term.
        let n_is_substring = n.mode != TextMode::Fuzzy || matches_as_substring(n.mode, &n.pattern);
        return n_is_substring && n.pattern.contains(&o.pattern);
    }
    match (o.mode, n.mode) {
        // Only letters added at the end narrow: in a long title the letters must be close
        // (`SPAN_SLACK`), and letters put in between may spread them, or split a swapped
        // pair (a text holding `alzheim` holds `alzhei`). A swap forgiven in the longer
        // term must be forgiven in the shorter one too: `alzhe` matches "lazhe...", which
        // has no `la` in order.
        // An anchored term's hits do not hold those of a longer one that is not: `tnfa`
        // does not find "regulation of alcohol", which `tnfal` finds, its letters scattered.
        // A respelling is no typo of a shorter pattern: `tumou`'s papers do not hold
        // `tumour`'s "tumor".
        (TextMode::Fuzzy, TextMode::Fuzzy) => {
            n.pattern.starts_with(&o.pattern)
                && (o.forgives_typos() || !n.forgives_typos())
                && respellings_extend(&n.pattern, &o.pattern)
                && (!matches_anchored(o.mode, &o.pattern) || matches_anchored(n.mode, &n.pattern))
        }
        // A text holding `n` as written holds `o` as written.
        (TextMode::Fuzzy, _) => n.pattern.contains(&o.pattern),
        // A fuzzy term may scatter its letters: only one matched as written narrows.
        (TextMode::Exact, TextMode::Fuzzy) => {
            matches_as_substring(n.mode, &n.pattern) && n.pattern.contains(&o.pattern)
        }
        (TextMode::Exact, _) => n.pattern.contains(&o.pattern),
        (TextMode::Prefix, TextMode::Prefix | TextMode::Whole) => n.pattern.starts_with(&o.pattern),
        (TextMode::Suffix, TextMode::Suffix | TextMode::Whole) => n.pattern.ends_with(&o.pattern),
        _ => false,
    }
}

/// Whether every entity the entity term `new` names is named by `old`, a value being typed
/// (or empty) that `new`'s starts with: a name, word, local id or CURIE that is or starts
/// with `gene:tp53` starts with `gene:tp`. Typing a name thus searches only the papers of
/// the key before.
fn entity_term_implies(new: &Condition, old: &Condition) -> bool {
    let (
        Condition::Entity {
            kinds: new_kinds,
            folded: new_folded,
            curie: new_curie,
            ..
        },
        Condition::Entity {
            kinds: old_kinds,
            folded: old_folded,
            curie: old_curie,
            being_typed: old_being_typed,
            ..
        },
    ) = (new, old)
    else {
        return false;
    };
    let names_every_one = old_folded.is_empty() && old_curie.is_none();
    // `new`'s CURIE, if it has one, must continue `old`'s: `old` without one may not name
    // the entity `new` names by CURIE alone.
    let curie_continued = match (new_curie, old_curie) {
        (None, _) => true,
        (Some(n), Some(o)) => n.starts_with(o.as_str()),
        (Some(_), None) => names_every_one,
    };
    new_kinds == old_kinds
        && (*old_being_typed || names_every_one)
        && new_folded.starts_with(old_folded.as_str())
        && curie_continued
}

/// Fuzzy terms up to this many (ASCII) characters match as written, a substring. Two
/// letters scattered over a title say nothing about it, and the first keys of a query
/// would otherwise run skim on nearly every text of the library.
pub(crate) const SHORT_PATTERN: usize = 2;

/// Whether a fuzzy term with `pattern` is short enough to match only as a substring.
pub(crate) fn matches_as_substring(mode: TextMode, pattern: &str) -> bool {
    mode == TextMode::Fuzzy && pattern.len() <= SHORT_PATTERN && pattern.is_ascii()
}

/// Fuzzy terms longer than [`SHORT_PATTERN`] and up to this many (ASCII) characters match
/// only anchored ([`matches_anchored`]). Three or four letters in order turn up by chance in
/// half the titles of a library: `tnf` found 2,182 of 4,529 papers, t…n…f in "-tion of" in
/// a long title and anywhere in an author's or entity's name.
pub(crate) const ANCHORED_PATTERN: usize = 4;

/// How many words longer than [`SHORT_WORD_CHARS`] may stand between two characters of an
/// anchored term where the second starts a word ([`matches_anchored`]). With any number,
/// `pd1` found p…d…1 across "phosphatase and tensin homolog deleted in chromosome 10".
pub(crate) const WORDS_SKIPPED: usize = 1;

/// Words this short ("of", "the", "and") are skipped freely between initials: `nejm` finds
/// "New England Journal of Medicine", `pnas` "Proceedings of the National Academy of
/// Sciences".
pub(crate) const SHORT_WORD_CHARS: usize = 3;

/// Whether a fuzzy term with `pattern` matches only anchored: each character after the first
/// right after the one before it or starting a word (the byte before it neither a letter
/// nor a digit, or none), the first starting a word too, unless the term stands as typed
/// (side by side, or across punctuation alone: `egfr` in "VEGFR2", `il6` in "sIL-6R"). So
/// `tnf` finds "TNF-alpha" and "tumor necrosis factor", `brca` "BRCA1" and "breast cancer",
/// `nejm` "New England Journal of Medicine", `pdl1` "PD-L1", and not "regulation of foo";
/// in a long title the characters must still lie within the span ([`SPAN_SLACK`]).
pub(crate) fn matches_anchored(mode: TextMode, pattern: &str) -> bool {
    mode == TextMode::Fuzzy
        && pattern.is_ascii()
        && (SHORT_PATTERN + 1..=ANCHORED_PATTERN).contains(&pattern.len())
}

/// Fuzzy terms of this many characters or more match, in every field, only where their
/// letters lie within the span ([`SPAN_SLACK`]) or stand anchored as a shorter term's do
/// ([`matches_anchored`]), else by a typo forgiven. Letters anywhere in order in a short
/// field were noise: `vegfa` found 56 papers to `vegf`'s 44 (v…e…g…f…a in "Evaluation of
/// tag entanglement as a factor"), `lancet` 302 and `smith` 198 (in authors' and entities'
/// names) when only one paper of the library had authors or a journal.
pub(crate) const SPANNED_MIN_CHARS: usize = 5;

/// Whether a fuzzy term with `pattern` matches only within the span or anchored
/// ([`SPANNED_MIN_CHARS`]). A match of one implies a match of its prefix one character
/// shorter: within the span (each letter added takes a byte of it), anchored (a prefix of
/// an anchored place is one), or a typo forgiven (its word holds the prefix's letters close
/// or its typo's word). Not of a prefix of four ASCII characters, which matches anchored
/// only ([`term_implies`]).
pub(crate) fn matches_within_span(mode: TextMode, pattern: &str) -> bool {
    mode == TextMode::Fuzzy && pattern.chars().count() >= SPANNED_MIN_CHARS
}

/// Whether matching a fuzzy term with `pattern` asks more than its letters in order: two
/// letters side by side (one letter present is the same either way). A term that does
/// cannot be narrowed by a longer, scattered one.
pub(crate) fn needs_side_by_side(mode: TextMode, pattern: &str) -> bool {
    matches_as_substring(mode, pattern) && pattern.len() > 1
}

/// All of `needle`'s bytes occur in `hay` in order.
pub(crate) fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    // memchr's setup costs more than it saves on short fields.
    if hay.len() < 64 {
        let mut rest = hay.iter();
        return needle.iter().all(|b| rest.any(|h| h == b));
    }
    let mut rest = hay;
    for &b in needle {
        match memchr::memchr(b, rest) {
            Some(at) => rest = &rest[at + 1..],
            None => return false,
        }
    }
    true
}

/// In a long title (see [`LONG_FIELD_CHARS`]), a fuzzy term's letters must all fall within
/// its length plus this many bytes: `brcan` finds "breast cancer", `tgfb1` "TGF-beta1", but
/// b…r…c…a scattered over a title matched half of a 100k-paper library and made each of
/// those keys score them all.
pub const SPAN_SLACK: usize = 8;

/// Titles longer than this (in bytes) match a fuzzy term only with its letters close
/// together ([`SPAN_SLACK`]); shorter titles and every other field (names, authors,
/// journals, however long) with its letters anywhere in order: anchored, for a term of
/// three or four ([`matches_anchored`]), initials included (`nejm`, `pnas`); within the
/// span or anchored for one of five or more ([`matches_within_span`]).
pub const LONG_FIELD_CHARS: usize = 48;

fn entity_kinds(field: &str) -> Option<Vec<EntityKind>> {
    Some(match field {
        // Sources disagree on gene vs protein for the same id; a user asking for one means both.
        "gene" | "protein" => vec![EntityKind::Gene, EntityKind::Protein],
        "disease" => vec![EntityKind::Disease],
        "chemical" => vec![EntityKind::Chemical],
        "species" => vec![EntityKind::Species],
        "variant" => vec![EntityKind::Variant],
        "cellline" | "cell_line" | "cell-line" => vec![EntityKind::CellLine],
        "entity" => EntityKind::ALL.to_vec(),
        _ => return None,
    })
}

/// The query's words, split at white space, except that a double-quoted phrase (`"breast
/// cancer"`, `title:"breast cancer"`, `!"case report"`) is one word: an exact term (`'`) in
/// text fields, the words as one name in entity fields. A phrase not closed yet (being
/// typed) runs to the end.
///
/// With them, whether the last word is still open: nothing after it on the line, not even a
/// space or a closing quote, so the next key may add to it.
fn words(input: &str, typing: Typing) -> Result<(Vec<String>, bool), QueryError> {
    let mut out = Vec::new();
    let mut last_open = false;
    let mut rest = input.trim_start();
    while !rest.is_empty() {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        let Some(quote) = phrase_start(word) else {
            out.push(word.to_owned());
            last_open = end == rest.len();
            rest = rest[end..].trim_start();
            continue;
        };
        let head = &word[..quote];
        let after = &rest[quote + 1..];
        let close = after.find('"');
        let (phrase, remaining) = match close {
            Some(close) => (&after[..close], &after[close + 1..]),
            None if typing == Typing::Done => {
                return Err(QueryError::new(format!(
                    "{word}… has no closing \"; a phrase is \"two words\""
                )));
            }
            None => (after, ""),
        };
        let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
        let field = strip_negation(head).unwrap_or(head).strip_suffix(':');
        let text_field = field.is_none_or(|f| {
            matches!(
                f.to_ascii_lowercase().as_str(),
                "title" | "author" | "journal"
            )
        });
        if !phrase.is_empty() {
            let exact = if text_field { "'" } else { "" };
            out.push(format!("{head}{exact}{phrase}"));
        } else if typing == Typing::Done {
            return Err(QueryError::new(format!(
                "{head}\"\" is an empty phrase; write words between the quotes"
            )));
        }
        // A phrase not closed yet takes every key typed; a closed one is finished (and an
        // empty one adds no word).
        last_open = !phrase.is_empty() && close.is_none();
        rest = remaining.trim_start();
    }
    Ok((out, last_open))
}

/// Where a word's value opens a phrase: the byte of a `"` right after an optional `!` and
/// an optional `field:`.
fn phrase_start(word: &str) -> Option<usize> {
    let mut at = word.len() - strip_negation(word).map_or(word.len(), str::len);
    if let Some(colon) = word[at..].find(':') {
        let name = &word[at..at + colon];
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            at += colon + 1;
        }
    }
    word[at..].starts_with('"').then_some(at)
}

/// Whether `word` is a dash standing alone as punctuation: `-`, `–`, `—`, `--`. (A word of
/// them alone was once a fuzzy term matching a hyphen, in most papers.)
/// A year range written with a dash between spaces (`year:2019 - 2023`, ut23b): read as
/// words, it asked for papers of 2019 that say "2023" and found none without a word why.
/// Said as the dash written without spaces is, once its end is typed (two or four digits).
fn spaced_year_range(words: &[String], typing: Typing) -> Result<(), QueryError> {
    let digits = |y: &str, n: usize| y.len() == n && y.bytes().all(|b| b.is_ascii_digit());
    for (at, window) in words.windows(3).enumerate() {
        let [start, dash, end] = window else {
            continue;
        };
        let Some(year) = start
            .get(..5)
            .filter(|field| field.eq_ignore_ascii_case("year:"))
            .map(|_| &start[5..])
        else {
            continue;
        };
        let last = at + 2 == words.len() - 1;
        let end_typed = digits(end, 4) || (digits(end, 2) && !(last && typing == Typing::UnderWay));
        if digits(year, 4) && is_dash_alone(dash) && dash.chars().count() == 1 && end_typed {
            let end = if end.len() == 2 {
                format!("{}{end}", &year[..2])
            } else {
                end.clone()
            };
            return Err(QueryError::new(format!(
                "{start} {dash} {} is not a range of years; did you mean year:{year}..{end}?",
                window[2]
            )));
        }
    }
    Ok(())
}

fn is_dash_alone(word: &str) -> bool {
    !word.is_empty() && crate::fold::fold_lower(word).bytes().all(|b| b == b'-')
}

/// The rest of `word` when it leaves papers out: `!word`, or `-word` as PubMed and web
/// searches write it (a `-` before a letter, quote or operator; `-1` is a term).
fn strip_negation(word: &str) -> Option<&str> {
    if let Some(rest) = word.strip_prefix('!') {
        return Some(rest);
    }
    let rest = word.strip_prefix('-')?;
    rest.starts_with(|c: char| c.is_alphabetic() || matches!(c, '"' | '\'' | '^' | '!' | '-'))
        .then_some(rest)
}

/// The field a mistyped field name most likely meant (`gen` -> `gene`, `auther` -> `author`,
/// `chem` -> `chemical`), if it is not a database's CURIE prefix.
fn meant_field(name: &str) -> Option<&'static str> {
    const FIELDS: [&str; 14] = [
        "title", "author", "journal", "year", "gene", "protein", "disease", "chemical", "species",
        "variant", "cellline", "pmid", "doi", "key",
    ];
    const NAMESPACES: [&str; 12] = [
        "mesh",
        "ncbigene",
        "ncbitaxon",
        "omim",
        "cellosaurus",
        "cvcl",
        "dbsnp",
        "tmvar",
        "chebi",
        "uniprot",
        "hgnc",
        "doid",
    ];
    let name = name.to_ascii_lowercase();
    if name.len() < 3 || NAMESPACES.contains(&name.as_str()) {
        return None;
    }
    FIELDS.into_iter().find(|field| {
        field.starts_with(name.as_str()) || edit_distance(&name, field) <= 1 + name.len() / 6
    })
}

/// Levenshtein distance, for names of a few letters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The term `word` says; `open` when it is the word still being typed (see [`words`]).
fn parse_term(word: &str, typing: Typing, open: bool) -> Result<Option<Term>, QueryError> {
    let (negated, body) = match strip_negation(word) {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    if body.is_empty() {
        return Err(QueryError::new(
            "'!' needs something after it: !word excludes papers containing word",
        ));
    }
    if negated && strip_negation(body).is_some() {
        return Err(QueryError::new(format!(
            "{word} leaves out twice; one ! (or -) leaves a term out"
        )));
    }
    if let Some((name, value)) = body.split_once(':')
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        let field = name.to_ascii_lowercase();
        let condition = match field.as_str() {
            "title" | "author" | "journal" => {
                let text_field = match field.as_str() {
                    "title" => TextField::Title,
                    "author" => TextField::Author,
                    _ => TextField::Journal,
                };
                if value.is_empty() {
                    return Ok(None); // still being typed
                }
                Condition::Text(text_term(text_field, value)?)
            }
            "year" => match parse_year(value, typing)? {
                Some(condition) => condition,
                None => return Ok(None), // still being typed
            },
            "is" => match value.to_ascii_lowercase().as_str() {
                "" => return Ok(None),
                "bookmarked" | "bookmark" | "marked" => Condition::Bookmarked,
                other => {
                    return Err(QueryError::new(format!(
                        "unknown is:{other}; the only one is is:bookmarked"
                    )));
                }
            },
            "pmid" | "doi" | "key" | "pmcid" | "pmc" => {
                if value.is_empty() {
                    return Ok(None);
                }
                let unpadded = value.trim_start_matches('0');
                let (id_field, value) = match field.as_str() {
                    // A PMID a spreadsheet padded (`pmid:021810259`) is the PMID, as `tomes
                    // show` reads it; the matcher compares the papers' PMIDs so too.
                    "pmid" if !unpadded.is_empty() => (IdField::Pmid, unpadded.to_owned()),
                    "pmid" => (IdField::Pmid, value.to_owned()),
                    "doi" => (IdField::Doi, value.to_owned()),
                    // `pmcid:PMC123` and `pmc:123` are the PMCID, as `tomes show` reads them
                    // (`pmcid:` was told "did you mean pmid:?").
                    "pmcid" | "pmc" if value.bytes().all(|b| b.is_ascii_digit()) => {
                        (IdField::Key, format!("pmc{value}"))
                    }
                    _ => (IdField::Key, value.to_owned()),
                };
                Condition::Id {
                    field: id_field,
                    value: value.to_lowercase(),
                }
            }
            _ => {
                if let Some(kinds) = entity_kinds(&field) {
                    // A value ending in `*` asks for the starts of names however it is read:
                    // `gene:cd*` kept with Enter, or in `tomes search`, is every gene whose
                    // name, a word of one, local id or CURIE starts with `cd`, where `gene:cd`
                    // finished is CD alone (a user test saw 236 papers become none at Enter).
                    let (value, starts_asked) = match value.strip_suffix('*') {
                        Some(start) => (start, true),
                        None => (value, false),
                    };
                    if value.is_empty() {
                        // `variant:` alone: papers with any variant.
                        return Ok(Some(Term {
                            negated,
                            condition: Condition::Entity {
                                kinds,
                                folded: String::new(),
                                curie: None,
                                being_typed: false,
                                whole_only: false,
                            },
                        }));
                    }
                    let curie = value.contains(':').then(|| value.to_lowercase());
                    let folded = fold_name(value);
                    if folded.is_empty() {
                        return Err(QueryError::new(format!(
                            "{field}: needs a name, alias or id, like {field}:TP53"
                        )));
                    }
                    Condition::Entity {
                        kinds,
                        folded,
                        curie,
                        // Leaving papers out, a name cut short would take out papers
                        // about other entities at each key (unless asked for with `*`).
                        being_typed: starts_asked || open && !negated,
                        whole_only: false,
                    }
                } else if value.is_empty() {
                    // A word before a colon, as a title writes it ("Therapeutic drug
                    // monitoring of tobramycin: once-daily versus..."), the colon its
                    // punctuation: a user test pasted such a title (798 of the corpora's
                    // 4,529 have one) and was told `unknown field tobramycin:`.
                    return Ok(Some(Term {
                        negated,
                        condition: Condition::Text(text_term(TextField::Any, name)?),
                    }));
                } else if let Some(field) = meant_field(name) {
                    return Err(QueryError::new(format!(
                        "unknown field {name}: (did you mean {field}:?)"
                    )));
                } else {
                    // Not a field: a CURIE such as MESH:D009369 or NCBIGene:29126.
                    Condition::Curie {
                        curie: body.to_lowercase(),
                        text: body.to_lowercase(),
                    }
                }
            }
        };
        return Ok(Some(Term { negated, condition }));
    }
    Ok(Some(Term {
        negated,
        condition: Condition::Text(text_term(TextField::Any, body)?),
    }))
}

/// `pattern` without the hyphens that follow a letter or digit.
fn without_joining_hyphens(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut after_word_char = false;
    for c in pattern.chars() {
        if !(c == '-' && after_word_char) {
            out.push(c);
        }
        after_word_char = c.is_alphanumeric() || (c == '-' && after_word_char);
    }
    out
}

/// The text term `raw` says, whether it finds papers or leaves them out: `!word` leaves out
/// exactly the papers `word` finds, so that `q word` and `q !word` split the papers of `q`
/// between them. (fzf makes a negated term exact; here `brca1 brca2` and `brca1 !brca2`
/// both held "BRCA1 at 17q21", b-r-c-a-2 within the span, and their counts added up to
/// more than `brca1`'s. Fuzzy terms match close letters only, so a fuzzy exclusion no
/// longer leaves out nearly everything.) `!'word` leaves out the substring alone.
fn text_term(field: TextField, raw: &str) -> Result<TextTerm, QueryError> {
    let (exact, rest) = match raw.strip_prefix('\'') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    let (prefix, rest) = match rest.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    // A trailing `$` anchors, except when escaped as `\$`.
    let (suffix, pattern) = match rest.strip_suffix('$') {
        Some(p) if !p.ends_with('\\') => (true, p.to_owned()),
        Some(p) => (false, format!("{}$", &p[..p.len() - 1])),
        None => (false, rest.to_owned()),
    };
    // Punctuation around a fuzzy word is the sentence's, as a pasted title or citation
    // writes it: a user test found `lithium` finding 29 papers and `lithium,`,
    // `(tamoxifen)` and `tamoxifen?` none.
    let pattern = if exact || prefix || suffix {
        pattern
    } else {
        without_surrounding_punctuation(&pattern).to_owned()
    };
    if pattern.is_empty() && !(exact || prefix || suffix) {
        return Err(QueryError::new(format!(
            "{raw:?} is punctuation alone; write a word ('{raw} finds it as written)"
        )));
    }
    if pattern.is_empty() {
        let what = if exact {
            "' needs a word after it: 'word matches it exactly"
        } else if prefix {
            "^ needs a word after it: ^word matches fields starting with word"
        } else {
            "$ needs a word before it: word$ matches fields ending with word"
        };
        return Err(QueryError::new(what));
    }
    let mode = match (prefix, suffix) {
        // Folded, a lone Greek letter is a short word of Latin letters (`nu`, `pi`) that
        // most texts hold inside other words.
        (false, false) if !exact && lone_greek_letter(&pattern) => TextMode::Letter,
        (true, true) => TextMode::Whole,
        (true, false) => TextMode::Prefix,
        (false, true) => TextMode::Suffix,
        (false, false) if exact => TextMode::Exact,
        (false, false) => TextMode::Fuzzy,
    };
    let case_sensitive = is_case_sensitive(&pattern);
    // Folded as texts are ([`crate::fold`]): `tgf-β` finds `TGF-beta`, `kruppel` finds
    // `Krüppel`.
    let pattern = if case_sensitive {
        crate::fold::fold_cased(&pattern).into_owned()
    } else {
        crate::fold::fold_lower(&pattern)
    };
    // In a fuzzy term a hyphen after a letter or digit is optional, as texts write it or
    // not: `epstein-barr` finds "Epstein Barr virus" and "Epstein–Barr" (dashes fold to
    // `-`), `il-6` finds "IL6"; typed last (`epstein-`) it narrows nothing yet. (Exact,
    // prefix and whole terms keep it: `'il-6` is what was typed.)
    let (pattern, hyphenated) = if mode == TextMode::Fuzzy && pattern.contains('-') {
        let joined = without_joining_hyphens(&pattern);
        let hyphenated = (joined != pattern).then_some(pattern);
        (joined, hyphenated)
    } else {
        (pattern, None)
    };
    // A term of no letters would match nothing, and every later pattern would start with
    // it (narrowing from it); the parser takes out what folds to nothing, so this is a
    // guard.
    if pattern.is_empty() {
        return Err(QueryError::new(format!(
            "{raw:?} has nothing to search for"
        )));
    }
    let entity_id = (field == TextField::Any && mode == TextMode::Fuzzy)
        .then(|| fold_name(&pattern))
        .filter(|f| looks_like_id(f));
    let lower_pattern = crate::fold::fold_lower(&pattern);
    let typo_variants = typo_variants_for(mode, &pattern);
    let stem = possessive_stem(mode, &pattern);
    let also = (field == TextField::Any && mode == TextMode::Fuzzy && pattern.len() == 4)
        .then(|| pattern.parse::<i32>().ok())
        .flatten()
        .filter(|year| BARE_YEARS.contains(year) && pattern.bytes().all(|b| b.is_ascii_digit()))
        .map(AlsoFinds::Year);
    Ok(TextTerm {
        field,
        mode,
        // The ending's letters need not be there: "Huntington disease" for `huntingtons`.
        // A respelling may lack a letter of the pattern (`hemoglobin` for `haemoglobin`):
        // only the letters every spelling has are required.
        mask: respellings(&pattern)
            .iter()
            .filter(|v| typo_variants.contains(v))
            .fold(
                super::ascii_mask(
                    stem.as_deref()
                        .map_or(lower_pattern.as_str(), |s| &lower_pattern[..s.len()]),
                ),
                |mask, v| mask & super::ascii_mask(v),
            ),
        finders: Box::new(Finders::new(&pattern, &typo_variants).with_stem(stem.as_deref())),
        lower_pattern,
        pattern,
        case_sensitive,
        entity_id,
        typo_variants,
        hyphenated,
        stem,
        also,
    })
}

/// Punctuation that ends a sentence or clause, never a word of its own: what a pasted
/// title or citation leaves after a word (`lithium,`, `system:`, `tamoxifen?`, `p53.`,
/// `1999;`). Not `'` (`5'`, `patients'`), `+` (`Ca2+`) or `-` (`(R)-`), which are part of
/// the word. And `*`, the wildcard other search boxes take, which a fuzzy word needs not:
/// it finds what starts with it already (a user test's `canc*` and `cd*` found nothing).
const TRAILING_PUNCTUATION: [char; 11] = [',', ';', ':', '.', '?', '!', '"', '”', '…', '»', '*'];

/// `word` without the punctuation a sentence puts around it ([`TRAILING_PUNCTUATION`]
/// after it; brackets around it, or one it opens or closes with no partner inside it):
/// `(tamoxifen)`, `(IL-6`, `IL-6),` are the words inside; `(R)-propranolol`, `Ca2+`,
/// `5'`, `10.1038/x` and `IL-6` keep every character.
pub(crate) fn without_surrounding_punctuation(word: &str) -> &str {
    const PAIRS: [(char, char); 3] = [('(', ')'), ('[', ']'), ('{', '}')];
    let count = |w: &str, c: char| w.chars().filter(|&x| x == c).count();
    // Whether `w`'s brackets of this pair close in order.
    let balanced = |w: &str, (open, close): (char, char)| {
        let mut depth = 0usize;
        for c in w.chars() {
            if c == open {
                depth += 1;
            } else if c == close {
                let Some(d) = depth.checked_sub(1) else {
                    return false;
                };
                depth = d;
            }
        }
        depth == 0
    };
    let mut w = word.trim_start_matches(['“', '‘', '«', '¿', '¡']);
    loop {
        let before = w.len();
        w = w.trim_end_matches(TRAILING_PUNCTUATION);
        for (open, close) in PAIRS {
            if let Some(inner) = w.strip_prefix(open).and_then(|r| r.strip_suffix(close))
                && balanced(inner, (open, close))
            {
                w = inner;
            } else if w.ends_with(close) && count(w, close) > count(w, open) {
                w = &w[..w.len() - close.len_utf8()];
            } else if w.starts_with(open) && count(w, open) > count(w, close) {
                w = &w[open.len_utf8()..];
            }
        }
        if w.len() == before {
            return w;
        }
    }
}

/// Whether `pattern` (as typed) is one Greek letter.
fn lone_greek_letter(pattern: &str) -> bool {
    let mut chars = pattern.chars();
    chars.next().is_some_and(crate::fold::is_greek_letter) && chars.next().is_none()
}

/// A folded word that reads as a database id: a letter first and at least three digits
/// (`rs771966860`, `cvcl0023`, `d009369`), not a word like `il2` or `covid19`.
fn looks_like_id(folded: &str) -> bool {
    folded.chars().next().is_some_and(char::is_alphabetic)
        && folded.chars().filter(char::is_ascii_digit).count() >= 3
}

/// A year condition; `None` while a year is still being typed: a bound of one to three
/// digits (`year:2019..2` on the way to `year:2019..2023`) counts as not written yet,
/// rather than flashing "an empty range" at each key. In a whole query it is an error.
fn parse_year(value: &str, typing: Typing) -> Result<Option<Condition>, QueryError> {
    // `year:2019.` is `year:2019..` half typed.
    let completed;
    let value = if typing == Typing::UnderWay && value.ends_with('.') && !value.ends_with("..") {
        completed = format!("{value}.");
        completed.as_str()
    } else {
        value
    };
    let typing = |s: &str| {
        typing == Typing::UnderWay && s.len() < 4 && s.bytes().all(|b| b.is_ascii_digit())
    };
    // Nothing but a partial year (`year:20`), or the dots of `year:..2020` so far.
    if value.split("..").all(typing)
        && (value.bytes().any(|b| b.is_ascii_digit())
            || !value.is_empty() && value.bytes().all(|b| b == b'.'))
        || value.is_empty()
    {
        return Ok(None);
    }
    // A range written with a dash, as prose writes it (ut23b's `year:2019-2023`; ut23c's
    // `year:2019-23`, its end in the start's century).
    let digits = |y: &str| !y.is_empty() && y.bytes().all(|b| b.is_ascii_digit());
    if let Some((a, b)) = value.split_once(['-', '–'])
        && a.len() == 4
        && digits(a)
        && (b.len() == 4 || b.len() == 2)
        && digits(b)
    {
        let b = if b.len() == 2 {
            format!("{}{b}", &a[..2])
        } else {
            b.to_owned()
        };
        return Err(QueryError::new(format!(
            "year:{value} is not a year; did you mean year:{a}..{b}?"
        )));
    }
    let year = |s: &str| -> Result<Option<i32>, QueryError> {
        // An open end (`year:2019..`), or one still being typed.
        if s.is_empty() || typing(s) {
            return Ok(None);
        }
        // Four digits: `year:202` on the command line is a year cut short, not 202 AD.
        match s.parse::<i32>() {
            Ok(y) if s.len() == 4 && (0..=9999).contains(&y) => Ok(Some(y)),
            _ => Err(QueryError::new(format!(
                "year:{value} is not a year; write year:2019, year:2019..2023, \
                 year:..2020 or year:2019.."
            ))),
        }
    };
    let (from, to) = match value.split_once("..") {
        Some((a, b)) => (year(a)?, year(b)?),
        None => {
            let y = year(value)?;
            (y, y)
        }
    };
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        return Err(QueryError::new(format!(
            "year:{value} is an empty range; did you mean year:{b}..{a}?"
        )));
    }
    if from.is_none() && to.is_none() {
        return Err(QueryError::new(
            "year:.. needs at least one end, like year:2019.. or year:..2020",
        ));
    }
    Ok(Some(Condition::Year { from, to }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(field: TextField, mode: TextMode, pattern: &str, case_sensitive: bool) -> Condition {
        let typo_variants = typo_variants_for(mode, pattern);
        Condition::Text(TextTerm {
            field,
            mode,
            pattern: pattern.into(),
            lower_pattern: pattern.to_lowercase(),
            case_sensitive,
            entity_id: None,
            mask: crate::search::ascii_mask(&pattern.to_lowercase()),
            typo_variants: typo_variants.clone(),
            finders: Box::new(Finders::new(pattern, &typo_variants)),
            hyphenated: None,
            stem: None,
            also: None,
        })
    }

    fn one(input: &str) -> Term {
        let q = Query::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(q.terms.len(), 1, "{input}");
        q.terms.into_iter().next().unwrap()
    }

    /// A capital that starts a word is how sentences and titles are written; one after a
    /// word's first letter is how gene names, acronyms and units are.
    #[test]
    fn only_a_capital_after_a_first_letter_makes_a_term_case_sensitive() {
        for (pattern, sensitive) in [
            ("Cisplatin", false),
            ("Breast", false),
            ("Non-Hodgkin", false),
            ("cisplatin", false),
            ("HIV", true),
            ("mTOR", true),
            ("BRCA1", true),
            ("pH", true),
            ("IL-6", true),
            ("Breast Cancer", false),
            ("TNF alpha", true),
        ] {
            assert_eq!(is_case_sensitive(pattern), sensitive, "{pattern}");
        }
        let term = |input: &str| match &Query::parse_whole(input).unwrap().terms[0].condition {
            Condition::Text(t) => (t.pattern.clone(), t.case_sensitive),
            other => panic!("{other:?}"),
        };
        assert_eq!(term("Cisplatin"), ("cisplatin".to_owned(), false));
        assert_eq!(term("HIV"), ("HIV".to_owned(), true));
    }

    /// PubMed writes `PMID: 6794356`, the detail pane `PMID 6794356`: pasted, each is
    /// `pmid:6794356`, not "pmid: needs a value after it".
    #[test]
    fn a_pmid_written_as_pubmed_writes_it_is_a_pmid_term() {
        let pmid = Condition::Id {
            field: IdField::Pmid,
            value: "6794356".into(),
        };
        for input in [
            "PMID: 6794356",
            "PMID 6794356",
            "pmid 6794356",
            "Pmid:  6794356",
            "pmid:6794356",
        ] {
            for parsed in [Query::parse(input), Query::parse_whole(input)] {
                let terms = parsed.unwrap_or_else(|e| panic!("{input}: {e}")).terms;
                assert_eq!(terms.len(), 1, "{input}");
                assert_eq!(terms[0].condition, pmid, "{input}");
            }
        }
        // DOIs and PMC ids pasted with a space after their colon.
        for (input, want) in [
            ("DOI: 10.1038/s41420", "doi:10.1038/s41420"),
            ("PMC: PMC13039540", "key:PMC13039540"),
            ("PMCID: 13039540", "key:PMC13039540"),
        ] {
            assert_eq!(
                Query::parse_whole(input).unwrap().terms,
                Query::parse_whole(want).unwrap().terms,
                "{input}"
            );
        }
        // A PMID padded with zeros is the PMID, as `tomes show` reads it; zeros alone stay.
        for (input, pmid) in [
            ("pmid:021810259", "21810259"),
            ("PMID: 0021810259", "21810259"),
            ("pmid:000", "000"),
        ] {
            let terms = Query::parse_whole(input).unwrap().terms;
            let want = Condition::Id {
                field: IdField::Pmid,
                value: pmid.into(),
            };
            assert_eq!(terms[0].condition, want, "{input}");
        }
        // The detail pane's links, pasted: their ids.
        for (input, want) in [
            (
                "https://doi.org/10.1038/s41420-026-02999-y",
                "doi:10.1038/s41420-026-02999-y",
            ),
            ("http://dx.doi.org/10.1038/x.", "doi:10.1038/x"),
            ("https://pubmed.ncbi.nlm.nih.gov/3115150/", "pmid:3115150"),
            (
                "https://www.ncbi.nlm.nih.gov/pubmed/3115150?dopt=Abstract",
                "pmid:3115150",
            ),
            (
                "https://pmc.ncbi.nlm.nih.gov/articles/PMC13039540/",
                "key:PMC13039540",
            ),
            ("lung https://doi.org/10.1/x", "lung doi:10.1/x"),
        ] {
            for parse in [Query::parse, Query::parse_whole] {
                assert_eq!(
                    parse(input)
                        .unwrap_or_else(|e| panic!("{input}: {e}"))
                        .terms,
                    parse(want).unwrap().terms,
                    "{input}"
                );
            }
        }
        // `doi` without its colon, before a DOI, as a person writes it.
        assert_eq!(
            Query::parse_whole("doi 10.1038/x").unwrap().terms,
            Query::parse_whole("doi:10.1038/x").unwrap().terms
        );
        // Not before a number, `pmid` is a word as any other, and `pmid:` alone unfinished.
        assert!(Query::parse_whole("pmid cancer").unwrap().terms.len() == 2);
        assert!(Query::parse_whole("PMID:").is_err());
    }

    #[test]
    fn parses_each_operator_and_field() {
        use TextField::*;
        use TextMode::*;
        let gene = vec![EntityKind::Gene, EntityKind::Protein];
        let table: Vec<(&str, bool, Condition)> = vec![
            ("pdl1", false, text(Any, Fuzzy, "pdl1", false)),
            ("PDL1", false, text(Any, Fuzzy, "PDL1", true)),
            ("'carcinoma", false, text(Any, Exact, "carcinoma", false)),
            ("^nasal", false, text(Any, Prefix, "nasal", false)),
            ("oma$", false, text(Any, Suffix, "oma", false)),
            ("^whole$", false, text(Any, Whole, "whole", false)),
            ("!mouse", true, text(Any, Fuzzy, "mouse", false)),
            ("!'mouse", true, text(Any, Exact, "mouse", false)),
            ("!^Mouse", true, text(Any, Prefix, "mouse", false)),
            ("!^mTOR", true, text(Any, Prefix, "mTOR", true)),
            ("title:immune", false, text(Title, Fuzzy, "immune", false)),
            ("TITLE:'Immune", false, text(Title, Exact, "immune", false)),
            ("TITLE:'ImmUNE", false, text(Title, Exact, "ImmUNE", true)),
            ("author:zhu", false, text(Author, Fuzzy, "zhu", false)),
            ("journal:^cell", false, text(Journal, Prefix, "cell", false)),
            (
                "year:2019",
                false,
                Condition::Year {
                    from: Some(2019),
                    to: Some(2019),
                },
            ),
            (
                "year:2019..2023",
                false,
                Condition::Year {
                    from: Some(2019),
                    to: Some(2023),
                },
            ),
            (
                "year:..2020",
                false,
                Condition::Year {
                    from: None,
                    to: Some(2020),
                },
            ),
            (
                "year:2019..",
                false,
                Condition::Year {
                    from: Some(2019),
                    to: None,
                },
            ),
            (
                "gene:PD-L1",
                false,
                Condition::Entity {
                    kinds: gene.clone(),
                    folded: "pdl1".into(),
                    curie: None,
                    being_typed: true,
                    whole_only: false,
                },
            ),
            (
                "!gene:29126",
                true,
                Condition::Entity {
                    kinds: gene,
                    folded: "29126".into(),
                    curie: None,
                    being_typed: false,
                    whole_only: false,
                },
            ),
            (
                "cell_line:HeLa",
                false,
                Condition::Entity {
                    kinds: vec![EntityKind::CellLine],
                    folded: "hela".into(),
                    curie: None,
                    being_typed: true,
                    whole_only: false,
                },
            ),
            (
                "disease:MESH:D009369",
                false,
                Condition::Entity {
                    kinds: vec![EntityKind::Disease],
                    folded: "meshd009369".into(),
                    curie: Some("mesh:d009369".into()),
                    being_typed: true,
                    whole_only: false,
                },
            ),
            ("is:bookmarked", false, Condition::Bookmarked),
            (
                "pmid:10491763",
                false,
                Condition::Id {
                    field: IdField::Pmid,
                    value: "10491763".into(),
                },
            ),
            (
                "doi:10.1038/S41420",
                false,
                Condition::Id {
                    field: IdField::Doi,
                    value: "10.1038/s41420".into(),
                },
            ),
            (
                "MESH:D009369",
                false,
                Condition::Curie {
                    curie: "mesh:d009369".into(),
                    text: "mesh:d009369".into(),
                },
            ),
        ];
        for (input, negated, condition) in table {
            let term = one(input);
            assert_eq!(term.negated, negated, "{input}");
            assert_eq!(term.condition, condition, "{input}");
        }
    }

    #[test]
    fn malformed_queries_are_errors_with_a_hint() {
        let table = [
            // A lone `!` last is left out while typing (see
            // `a_whole_query_has_no_unfinished_terms`); before a word it is an error.
            ("! pdl1", "'!' needs"),
            ("'", "' needs a word"),
            ("^", "^ needs a word"),
            ("$", "$ needs a word"),
            ("year:abc", "year:abc is not a year"),
            (
                "year:2019-2023",
                "year:2019-2023 is not a year; did you mean year:2019..2023?",
            ),
            (
                "year:2019–2023",
                "year:2019–2023 is not a year; did you mean year:2019..2023?",
            ),
            (
                "year:2019-23",
                "year:2019-23 is not a year; did you mean year:2019..2023?",
            ),
            (
                "cisplatin year:2019 - 2023",
                "year:2019 - 2023 is not a range of years; did you mean year:2019..2023?",
            ),
            (
                "year:2019 – 21 cisplatin",
                "year:2019 – 21 is not a range of years; did you mean year:2019..2021?",
            ),
            ("year:2023..2019", "did you mean year:2019..2023"),
            ("year:...", "is not a year"),
            ("year:99999", "is not a year"),
            ("is:read", "unknown is:read"),
            ("gene:--", "gene: needs a name"),
            ("pdl1 ! brca1", "'!' needs"),
        ];
        // Its end still being typed, or a year left out (`-2023`), is no range.
        for input in [
            "year:2019 - 20",
            "year:2019 - 202",
            "year:2019 -2023",
            "year:2019 -- 2023",
        ] {
            assert!(Query::parse(input).is_ok(), "{input}");
        }
        assert!(Query::parse_whole("year:2019 - 20").is_err());
        for (input, expected) in table {
            match Query::parse(input) {
                Ok(q) => panic!("{input} parsed as {q:?}"),
                Err(e) => assert!(
                    e.message.contains(expected),
                    "{input}: {:?} lacks {expected:?}",
                    e.message
                ),
            }
        }
    }

    #[test]
    fn empty_and_half_typed_fields_match_everything() {
        for input in ["", "   ", "title:", "year:", "is:", "pmid:"] {
            assert!(Query::parse(input).unwrap().is_empty(), "{input:?}");
        }
        assert_eq!(Query::parse("  a   b ").unwrap().terms.len(), 2);
    }

    #[test]
    fn double_quotes_make_a_phrase_one_term() {
        let exact = |field, pattern: &str, negated| Term {
            negated,
            condition: text(field, TextMode::Exact, pattern, false),
        };
        let terms = |input: &str| Query::parse(input).unwrap().terms;
        assert_eq!(
            terms("\"breast  cancer\" tp53"),
            vec![exact(TextField::Any, "breast cancer", false), one("tp53")]
        );
        assert_eq!(
            terms("title:\"Breast cancer\""),
            vec![Term {
                negated: false,
                condition: text(TextField::Title, TextMode::Exact, "breast cancer", false),
            }]
        );
        assert_eq!(
            terms("title:\"BRCA1 mutations\""),
            vec![Term {
                negated: false,
                condition: text(TextField::Title, TextMode::Exact, "BRCA1 mutations", true),
            }]
        );
        assert_eq!(
            terms("!\"case report\""),
            vec![exact(TextField::Any, "case report", true)]
        );
        // Still being typed: the phrase runs to the end.
        assert_eq!(
            terms("\"breast canc"),
            vec![exact(TextField::Any, "breast canc", false)]
        );
        // In an entity field the words are one name, finished by the closing quote.
        assert_eq!(
            terms("gene:\"tumor protein p53\""),
            vec![one("gene:tumorproteinp53 ")]
        );
        assert!(terms("\"\"").is_empty());
    }

    #[test]
    fn a_mistyped_field_is_an_error_naming_the_field_meant() {
        for (input, meant) in [
            ("gen:brca1", "gene:"),
            ("genes:brca1", "gene:"),
            ("auther:zhu", "author:"),
            ("chem:cisplatin", "chemical:"),
            ("jornal:cell", "journal:"),
        ] {
            let error = Query::parse(input).unwrap_err();
            assert!(error.message.contains(meant), "{input}: {error:?}");
        }
        // Database prefixes and unknown words stay CURIEs.
        for input in [
            "MESH:D009369",
            "NCBIGene:672",
            "cl:0000000",
            "foo:bar",
            "chebi:15377",
        ] {
            assert!(
                matches!(one(input).condition, Condition::Curie { .. }),
                "{input}"
            );
        }
    }

    #[test]
    fn a_word_before_a_colon_and_a_space_is_a_word() {
        let words = |input: &str| -> Vec<Term> {
            Query::parse_whole(input)
                .unwrap_or_else(|e| panic!("{input}: {e}"))
                .terms
        };
        let title = "Effects of calcitonin on rat extrapyramidal motor system: behavioral";
        assert_eq!(
            words(title),
            words("Effects of calcitonin on rat extrapyramidal motor system behavioral")
        );
        for typing in [Query::parse, Query::parse_whole] {
            assert_eq!(
                typing("tobramycin:").unwrap().terms,
                vec![one("tobramycin")]
            );
            assert_eq!(
                typing("foo: bar").unwrap().terms,
                vec![one("foo"), one("bar")]
            );
            assert_eq!(typing("!foo:").unwrap().terms, vec![one("!foo")]);
        }
        // Known fields stay fields, a field's value after the colon as before, and a name
        // that is no field with a value after its colon a CURIE or a field mistyped.
        assert!(Query::parse("title:").unwrap().is_empty());
        assert!(matches!(
            one("variant:").condition,
            Condition::Entity { .. }
        ));
        assert!(matches!(one("foo:bar").condition, Condition::Curie { .. }));
        let error = Query::parse_whole("jornal:nature").unwrap_err();
        assert!(error.message.contains("did you mean journal:"), "{error}");
    }

    #[test]
    fn british_and_american_spellings_are_each_others_variants() {
        assert_eq!(respellings("tumours"), ["tumors"]);
        assert_eq!(respellings("tumor"), ["tumour"]);
        assert_eq!(respellings("haemorrhage"), ["hemorrhage"]);
        assert_eq!(respellings("hemorrhage"), ["haemorrhage"]);
        assert_eq!(respellings("leukaemia"), ["leukemia"]);
        assert_eq!(respellings("anemia"), ["anaemia"]);
        assert_eq!(respellings("organisation"), ["organization"]);
        assert!(respellings("apoptosis").is_empty());
        assert!(respellings("Tumour").is_empty(), "case-sensitive: as typed");
        // A term extending one narrows it only where each respelling extends one of its.
        assert!(respellings_extend("hemorr", "hemor"));
        assert!(respellings_extend("tumours", "tumour"));
        assert!(!respellings_extend("tumour", "tumou"));
        assert!(respellings_extend("apopto", "apopt"));
        let q = |s: &str| Query::parse(s).unwrap();
        assert!(!q("tumour").narrows(&q("tumou")));
        assert!(q("tumours").narrows(&q("tumour")));
    }

    #[test]
    fn punctuation_around_a_fuzzy_word_is_the_sentences() {
        for (typed, meant) in [
            ("lithium,", "lithium"),
            ("tamoxifen;", "tamoxifen"),
            ("(tamoxifen)", "tamoxifen"),
            ("tamoxifen?", "tamoxifen"),
            ("(tamoxifen).", "tamoxifen"),
            ("p53.", "p53"),
            ("JA,", "JA"),
            ("(IL-6", "IL-6"),
            ("IL-6),", "IL-6"),
            ("[Ca2+]", "Ca2+"),
            ("10.1038/nature12373.", "10.1038/nature12373"),
            ("“tamoxifen”", "tamoxifen"),
            ("!lithium,", "!lithium"),
            ("title:lithium,", "title:lithium"),
            // The wildcard other search boxes take: a fuzzy word finds starts already.
            ("canc*", "canc"),
            ("title:canc*", "title:canc"),
        ] {
            assert_eq!(one(typed), one(meant), "{typed}");
        }
        // Part of the word, or written to be matched as typed.
        let pattern = |input: &str| match one(input).condition {
            Condition::Text(t) => (t.mode, t.pattern),
            other => panic!("{input}: {other:?}"),
        };
        for (typed, mode, kept) in [
            ("(R)-propranolol", TextMode::Fuzzy, "(r)-propranolol"),
            ("Ca2+", TextMode::Fuzzy, "ca2+"),
            ("5'", TextMode::Fuzzy, "5'"),
            ("IL-6", TextMode::Fuzzy, "IL6"),
            ("'p53.", TextMode::Exact, "p53."),
            ("'(tamoxifen)", TextMode::Exact, "(tamoxifen)"),
            ("^p53.", TextMode::Prefix, "p53."),
            ("p53.$", TextMode::Suffix, "p53."),
        ] {
            assert_eq!(pattern(typed), (mode, kept.to_owned()), "{typed}");
        }
        // Punctuation standing alone is no term, and alone no query.
        assert_eq!(
            Query::parse_whole("Smith JA , Jones M ( )").unwrap(),
            Query::parse_whole("Smith JA Jones M").unwrap()
        );
        assert!(Query::parse_whole(", ;").is_err());
        assert!(Query::parse(", (").unwrap().is_empty());
        assert_eq!(
            Query::parse_whole("Smith & Jones, 2019").unwrap(),
            Query::parse_whole("Smith Jones 2019").unwrap()
        );
        assert!(Query::parse_whole("&").is_err());
    }

    /// A pasted citation's month, day, volume, issue and pages are no words of a paper
    /// (ut23b: `Cell Death Discov. 2026 Mar 10;12(1):123` found nothing).
    #[test]
    fn a_citations_month_volume_and_pages_are_left_out() {
        let same = |pasted: &str, meant: &str| {
            for parse in [Query::parse_whole, Query::parse] {
                assert_eq!(parse(pasted), parse(meant), "{pasted}");
            }
        };
        same(
            "Cell Death Discov. 2026 Mar 10;12(1):123",
            "Cell Death Discov. 2026",
        );
        same(
            "Cell Death Discov. 2026;12(1):e123",
            "Cell Death Discov. 2026",
        );
        same("Cell Death Discov 2026 Mar", "Cell Death Discov 2026");
        same("Lancet. 2019 September 7; 394:861-867", "Lancet. 2019");
        same(
            "J Biol Chem. 1999 Jan 8;274(2):1098-105.",
            "J Biol Chem. 1999",
        );
        // A month without a day, or a range of months (ut24d's month-only citations).
        same(
            "Cancer Epidemiol Biomarkers Prev. 2005 Jan;14(1):265-7",
            "Cancer Epidemiol Biomarkers Prev. 2005",
        );
        same("Science 2003 Oct;302(5645):643-6", "Science 2003");
        same("Nature. 2019 Jul-Aug;116(30):15000-5.", "Nature. 2019");
        // Not after a year, a month is a word; nor are words with letters touched.
        let kept = |query: &str| Query::parse_whole(query).unwrap().terms.len();
        assert_eq!(kept("may 2019"), 2);
        assert_eq!(kept("il-6 2019 may"), 2);
        assert_eq!(kept("1,25(OH)2 vitamin"), 2);
        assert_eq!(kept("doi:10.1038/s41420-026-02999-y"), 1);
    }

    #[test]
    fn a_citations_words_also_find_what_they_stand_for() {
        let also = |input: &str| -> Vec<Option<AlsoFinds>> {
            Query::parse_whole(input)
                .unwrap_or_else(|e| panic!("{input}: {e}"))
                .terms
                .into_iter()
                .map(|t| match t.condition {
                    Condition::Text(t) => t.also,
                    other => panic!("{input}: {other:?}"),
                })
                .collect()
        };
        let initials = |surname: &str, initials: &str| {
            Some(AlsoFinds::Initials {
                surname: surname.into(),
                initials: initials.into(),
            })
        };
        assert_eq!(also("smith 2019"), [None, Some(AlsoFinds::Year(2019))]);
        assert_eq!(also("smith et al 2019"), also("smith 2019"));
        assert_eq!(also("zhu et al."), [None]);
        assert_eq!(
            also("Zhu et al., 2026"),
            [None, Some(AlsoFinds::Year(2026))]
        );
        // Not years: too few or many digits, out of range, or more than the number.
        assert_eq!(also("1799 2101 12345 p2019 '2019"), vec![None; 5]);
        assert_eq!(also("(2019)."), [Some(AlsoFinds::Year(2019))]);
        assert_eq!(
            also("Smith JA, Jones M"),
            [None, initials("smith", "ja"), None, initials("jones", "m")]
        );
        assert_eq!(also("Smith J.A."), [None, initials("smith", "ja")]);
        // Initials only after a word, and only capitals.
        assert_eq!(also("JA smith ja"), vec![None; 3]);
        assert_eq!(also("p53 JA"), vec![None; 2]);
        // Amid words, a bare entity field is a word as well ("Alzheimer's disease: the
        // case"); alone, first or last it is the field.
        assert_eq!(
            also("alzheimer's disease: the"),
            [
                None,
                Some(AlsoFinds::EntityOfKind(vec![EntityKind::Disease])),
                None
            ]
        );
        for field_alone in ["disease:", "disease: the", "alzheimer disease:"] {
            assert!(
                Query::parse_whole(field_alone)
                    .unwrap()
                    .terms
                    .iter()
                    .any(|t| matches!(t.condition, Condition::Entity { .. })),
                "{field_alone}"
            );
        }
        // A year typed on from three digits searches afresh: papers of 2019 may lack 201.
        let typed = Query::parse("smith 2019").unwrap();
        assert!(!typed.narrows(&Query::parse("smith 201").unwrap()));
        assert!(Query::parse("smith 2019 c").unwrap().narrows(&typed));
    }

    #[test]
    fn initials_name_the_given_names_of_an_author_with_the_surname() {
        for (author, surname, initials, named) in [
            ("John A. Smith", "smith", "ja", true),
            ("John A. Smith", "smith", "j", true),
            ("John Smith", "smith", "ja", false),
            ("Anna Smith", "smith", "ja", false),
            ("Smith JA", "smith", "ja", true),
            ("Smith, John Andrew", "smith", "ja", true),
            ("John A. Smithson", "smith", "ja", false),
            ("Yihua Zhu", "zhu", "yh", true),
            ("Yi-Hua Zhu", "zhu", "yh", true),
            ("Xinru Zhu", "zhu", "xr", true),
            ("Yongsheng Liu", "liu", "ys", true),
            ("Xiao’an Guo", "guo", "xa", true),
            ("Yihua Zhu", "zhu", "yx", false),
            ("Jessica Smith", "smith", "ja", false),
        ] {
            assert_eq!(
                initials_name(author, surname, initials),
                named,
                "{author} {surname} {initials}"
            );
        }
    }

    #[test]
    fn a_greek_letter_alone_is_a_letter_term() {
        let mode = |input: &str| match one(input).condition {
            Condition::Text(t) => (t.mode, t.pattern),
            other => panic!("{input}: {other:?}"),
        };
        let letter = |p: &str| (TextMode::Letter, p.to_owned());
        assert_eq!(mode("β"), letter("beta"));
        // A capital alone starts its word: no case to keep.
        assert_eq!(mode("Β"), letter("beta"));
        assert_eq!(mode("µ"), letter("mu"));
        assert_eq!(mode("ά"), letter("alpha"));
        assert_eq!(mode("!ν"), letter("nu"));
        assert_eq!(mode("title:γ"), letter("gamma"));
        assert_eq!(mode("'β"), (TextMode::Exact, "beta".to_owned()));
        assert_eq!(mode("β1"), (TextMode::Fuzzy, "beta1".to_owned()));
        assert_eq!(mode("beta"), (TextMode::Fuzzy, "beta".to_owned()));
        assert_eq!(mode("ß"), (TextMode::Fuzzy, "ss".to_owned()));
        // What a letter term matches holds its name as written: it narrows a term that
        // the name holds, and nothing narrows it but itself.
        let q = |s: &str| Query::parse(s).unwrap();
        assert!(q("β").narrows(&q("b")));
        assert!(q("β").narrows(&q("beta")));
        assert!(q("β x").narrows(&q("β")));
        assert!(!q("beta").narrows(&q("β")));
        assert!(!q("betaine").narrows(&q("β")));
    }

    #[test]
    fn ids_do_not_forgive_a_doubled_digit_but_gene_names_do() {
        let variants = |p: &str| typo_variants_for(TextMode::Fuzzy, p);
        assert!(variants("tp553").contains(&"tp53".to_owned()));
        assert!(!variants("rs113488022").contains(&"rs13488022".to_owned()));
        assert!(!variants("28320736").iter().any(|v| v.len() < 8));
        assert!(variants("carcinomma").contains(&"carcinoma".to_owned()));
    }

    #[test]
    fn characters_that_stand_for_nothing_are_not_terms() {
        assert_eq!(Query::parse("!\u{200B}"), Query::parse("!"));
        for typed in ["\u{200B}", "cancer \u{AD}", "\u{301}", "title:\u{FEFF}"] {
            let q = Query::parse(typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
            let patterns: Vec<&str> = q
                .terms
                .iter()
                .filter_map(|t| match &t.condition {
                    Condition::Text(t) => Some(t.pattern.as_str()),
                    _ => None,
                })
                .collect();
            assert!(patterns.iter().all(|p| !p.is_empty()), "{typed:?}: {q:?}");
        }
        assert_eq!(
            Query::parse("can\u{AD}cer"),
            Query::parse("cancer"),
            "a soft hyphen inside a word"
        );
    }

    #[test]
    fn an_exact_term_is_narrowed_only_by_terms_matched_as_written() {
        let q = |s: &str| Query::parse(s).unwrap();
        assert!(!q("pdl1").narrows(&q("'pdl1")), "pdl1 may scatter: PD-L1");
        assert!(q("'pdl1x").narrows(&q("'pdl1")));
        assert!(q("pd").narrows(&q("'p")));
    }

    #[test]
    fn a_whole_query_has_no_unfinished_terms() {
        for (whole, error) in [
            ("cancer year:202", "year:202 is not a year"),
            ("year:2019..202", "year:2019..202 is not a year"),
            ("year:2019.", "year:2019. is not a year"),
            ("year:", "year: is not a year"),
            ("year:..", "needs at least one end"),
            ("title:", "title: needs a value"),
            ("cancer -author:", "author: needs a value"),
            ("is:", "is: needs a value after it: is:bookmarked"),
            ("pmid:", "pmid: needs a value"),
            ("cancer OR", "OR is not supported"),
            ("cancer NOT", "NOT needs a word after it"),
            ("title:\"\"", "empty phrase"),
            ("\"breast cancer", "no closing"),
            ("pmid:", "like pmid:12345"),
        ] {
            let e = Query::parse_whole(whole).expect_err(whole);
            assert!(e.message.contains(error), "{whole}: {}", e.message);
            assert!(Query::parse(whole).is_ok(), "{whole} while typing");
        }
        for whole in [
            "year:2019..",
            "year:..2020",
            "year:2019..2023",
            "year:2019 brca1",
        ] {
            assert_eq!(Query::parse_whole(whole), Query::parse(whole), "{whole}");
        }
        assert!(Query::parse_whole("OR2T4").is_ok());
        // A lone `!` last, while typing, is a term left out on its way (a lone `-` is
        // punctuation).
        assert_eq!(Query::parse("cancer -"), Query::parse("cancer"));
        assert_eq!(Query::parse("cancer !"), Query::parse("cancer"));
        assert!(Query::parse_whole("cancer !").is_err());
    }

    #[test]
    fn a_dash_standing_alone_is_punctuation() {
        // From a user test: a pasted title's " - " was `'-' needs a word after it`.
        for query in [
            "HIV - cells",
            "HIV – cells",
            "HIV — cells",
            "HIV -- cells",
            "- HIV cells",
            "HIV cells -",
        ] {
            for parse in [Query::parse, Query::parse_whole] {
                assert_eq!(parse(query), Query::parse("HIV cells"), "{query}");
            }
        }
        // Typed key by key, no step is an error.
        let typed = "HIV - cells";
        for end in 1..=typed.len() {
            assert!(Query::parse(&typed[..end]).is_ok(), "{:?}", &typed[..end]);
        }
        // `-word` still leaves the word out.
        let q = Query::parse_whole("HIV -cells").unwrap();
        assert!(q.terms[1].negated);
        // A query of dashes alone asks nothing.
        for only in ["-", " - ", "- –"] {
            let e = Query::parse_whole(only).expect_err(only);
            assert!(e.message.contains("nothing to search"), "{only}: {e}");
            assert_eq!(
                Query::parse(only),
                Ok(Query::default()),
                "{only} while typing"
            );
        }
    }

    /// Punctuation alone asks nothing, and the message offers the user's own punctuation as
    /// written (ut23's `???` and `(` were told `'; finds a semicolon`).
    #[test]
    fn punctuation_alone_is_offered_as_written() {
        for (query, offered) in [("???", "'???"), ("( ,", "'("), ("&", "'&")] {
            let e = Query::parse_whole(query).expect_err(query);
            assert!(e.message.contains("nothing to search"), "{query}: {e}");
            assert!(
                e.message.contains(&format!("({offered} finds")),
                "{query}: {e}"
            );
            let exact = Query::parse_whole(offered).expect(offered);
            assert_eq!(exact.terms.len(), 1, "{offered}");
        }
    }

    #[test]
    fn a_year_range_typed_key_by_key_is_never_an_error() {
        // From a user test: each partial upper bound said "year:2019..2 is an empty range;
        // did you mean year:2..2019?".
        let typed = "brca1 year:2019..2023";
        for end in 1..=typed.len() {
            let q = Query::parse(&typed[..end]);
            assert!(q.is_ok(), "{}: {q:?}", &typed[..end]);
        }
        let year_of = |s: &str| Query::parse(s).unwrap().terms.into_iter().last();
        let range = |from, to| Condition::Year { from, to };
        assert_eq!(year_of("year:201"), None, "a year still being typed");
        assert_eq!(
            year_of("year:2019..2").map(|t| t.condition),
            Some(range(Some(2019), None))
        );
        assert_eq!(
            year_of("year:2019..2023").map(|t| t.condition),
            Some(range(Some(2019), Some(2023)))
        );
        // The other form, typed key by key.
        let typed = "year:..2020";
        for end in 1..=typed.len() {
            let q = Query::parse(&typed[..end]);
            assert!(q.is_ok(), "{}: {q:?}", &typed[..end]);
        }
        assert_eq!(
            year_of("year:..2020").map(|t| t.condition),
            Some(range(None, Some(2020)))
        );
        // Finished years still say what is wrong.
        assert!(Query::parse("year:2023..2019").is_err());
        assert!(Query::parse("year:...").is_err());
        assert!(Query::parse("year:abc").is_err());
    }

    #[test]
    fn minus_not_and_and_read_as_pubmed_writes_them() {
        let q = |s: &str| Query::parse(s).unwrap();
        // `-word` leaves out like `!word`, fields and phrases too; `-1` is a term.
        assert_eq!(q("cancer -breast"), q("cancer !breast"));
        assert_eq!(q("-gene:p53"), q("!gene:p53"));
        assert_eq!(q("-\"breast cancer\""), q("!\"breast cancer\""));
        assert!(!one("-1").negated);
        // A lone ! is a term waiting for its word: left out while typing, when it is last;
        // else an error. (A lone - is punctuation: `a_dash_standing_alone_is_punctuation`.)
        let said = |e: QueryError| e.message;
        assert!(Query::parse("!").is_ok_and(|q| q.is_empty()));
        let whole = Query::parse_whole("!").map_err(said).unwrap_err();
        assert!(whole.contains("needs"), "{whole}");
        let middle = Query::parse("cancer ! breast").map_err(said);
        assert!(middle.unwrap_err().contains("needs"));
        assert!(
            Query::parse_whole("'-").is_ok(),
            "a hyphen, quoted, is a term"
        );
        // NOT leaves out the next term; AND says what every query does.
        assert_eq!(q("cancer NOT breast"), q("cancer !breast"));
        assert_eq!(q("breast AND cancer"), q("breast cancer"));
        assert_eq!(
            q("cancer NOT"),
            q("cancer"),
            "the next term is still being typed"
        );
        // OR cannot be said, and says so; leaving out twice is a mistake, not everything.
        let error = Query::parse("breast OR ovarian").unwrap_err();
        assert!(error.message.contains("OR is not supported"), "{error:?}");
        // Typing a word that starts with OR (the gene OR2T4) passes through OR.
        let typed = "gene:x OR2T4";
        for end in 1..=typed.len() {
            assert!(Query::parse(&typed[..end]).is_ok(), "{}", &typed[..end]);
        }
        // A last OR is let by while typing, with a hint of what Enter will say.
        for typed in ["brca OR", "brca OR ", "OR", "gene:x OR"] {
            assert!(Query::parse(typed).is_ok(), "{typed}");
            let hint = Query::typing_hint(typed).expect(typed);
            assert_eq!(
                Err(hint),
                Query::parse_whole(typed),
                "{typed}: the hint is Enter's error"
            );
        }
        for typed in [
            "brca OR2",
            "brca or",
            "brca 'OR",
            "brca",
            "",
            "brca OR tp53",
        ] {
            assert_eq!(Query::typing_hint(typed), None, "{typed}");
        }
        for twice in ["!!cancer", "--cancer", "!-cancer"] {
            let error = Query::parse(twice).unwrap_err();
            assert!(error.message.contains("twice"), "{twice}: {error:?}");
        }
        // Lower-case words are words.
        assert_eq!(q("not").terms.len(), 1);
    }

    #[test]
    fn narrowing_only_when_every_old_term_is_implied() {
        let q = |s: &str| Query::parse(s).unwrap();
        assert!(q("pdl1").narrows(&q("pdl")));
        assert!(q("pd").narrows(&q("p")), "side by side, as written");
        assert!(
            !q("pdl").narrows(&q("pd")),
            "pd needs p and d side by side; pdl's letters may be scattered"
        );
        assert!(q("pd nasoph").narrows(&q("pd")));
        assert!(q("pd nasoph").narrows(&q("pd nasop")));
        // From five letters on a swap is forgiven: `nasoph` matches "ansoph..." side by
        // side, which has no `nas` in order; nor `nsoph` in order, though it adds a letter.
        assert!(!q("pd nasoph").narrows(&q("pd nas")));
        assert!(!q("nasoph").narrows(&q("nsoph")));
        assert!(q("'pdl").narrows(&q("pd")));
        assert!(!q("'pxd").narrows(&q("pd")));
        assert!(
            q("brc").narrows(&q("b")),
            "one letter: side by side is in order"
        );
        assert!(q("^brca1").narrows(&q("^brca")));
        assert!(q("anything").narrows(&q("")));
        assert!(!q("pd").narrows(&q("pdl")));
        assert!(!q("!mous").narrows(&q("!mou")), "negation widens");
        assert!(
            !q("gene:tp53 x").narrows(&q("gene:tp5 x")),
            "finished values"
        );
        assert!(!q("title:x").narrows(&q("title")));
        assert!(!q("pD").narrows(&q("p")), "case changes the field set");
        assert!(q("Pd").narrows(&q("p")), "a first capital keeps no case");
        assert!(q("year:2019 x").narrows(&q("year:2019")));
        // Three or four characters match anchored: a longer anchored term, or one written
        // as it stands, narrows one; a term of five or one not ASCII, letters in order,
        // does not; nor does an anchored term narrow two letters side by side.
        assert!(q("tnfa").narrows(&q("tnf")));
        assert!(q("tnf").narrows(&q("t")));
        assert!(q("'xtnf").narrows(&q("tnf")));
        assert!(q("^tnfa").narrows(&q("tnfa")));
        assert!(!q("tnfal").narrows(&q("tnfa")));
        assert!(!q("tnf日").narrows(&q("tnf")), "t…n…f…日 in order");
        assert!(!q("tnf").narrows(&q("tn")));
    }

    /// Whether the query's entity terms are values still being typed, in order.
    fn being_typed(query: Result<Query, QueryError>) -> Vec<bool> {
        query
            .unwrap()
            .terms
            .iter()
            .filter_map(|t| match t.condition {
                Condition::Entity { being_typed, .. } => Some(being_typed),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn only_the_entity_value_at_the_end_of_a_line_being_typed_is_being_typed() {
        let typing = |s: &str| being_typed(Query::parse(s));
        assert_eq!(typing("gene:ar"), [true]);
        assert_eq!(typing("gene:ar "), [false], "a space finishes it");
        assert_eq!(typing("gene:ar apoptosis"), [false]);
        assert_eq!(typing("gene:ar disease:c"), [false, true]);
        assert_eq!(typing("apoptosis gene:t"), [true]);
        assert_eq!(typing("!gene:ar"), [false], "leaving papers out");
        assert_eq!(typing("-gene:ar"), [false]);
        assert_eq!(typing("NOT gene:ar"), [false]);
        assert_eq!(typing("gene:ar NOT"), [false]);
        assert_eq!(typing("gene:\"tumor prot"), [true], "a phrase not closed");
        assert_eq!(typing("gene:\"tumor protein p53\""), [false]);
        assert_eq!(typing("gene:ar \"\""), [false]);
        assert_eq!(typing("gene:"), [false], "no value: every entity already");
        assert_eq!(typing("gene:ar\u{200B}"), [true]);
        // A whole query has nothing being typed.
        for whole in ["gene:ar", "gene:tp53", "x gene:\"tumor protein\""] {
            assert_eq!(being_typed(Query::parse_whole(whole)), [false], "{whole}");
        }
        // Unless a value ends in `*`, which asks for the starts of names as typing reads
        // them, finished, whole or left out.
        for asked in ["gene:cd*", "gene:cd* ", "gene:cd* apoptosis", "!gene:cd*"] {
            assert_eq!(typing(asked), [true], "{asked}");
            assert_eq!(being_typed(Query::parse_whole(asked)), [true], "{asked}");
        }
        let folded = |s: &str| match &Query::parse_whole(s).unwrap().terms[0].condition {
            Condition::Entity { folded, .. } => folded.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(folded("gene:cd*"), "cd");
        // `gene:*` is `gene:`, every gene.
        assert_eq!(folded("gene:*"), "");
        assert_eq!(being_typed(Query::parse_whole("gene:*")), [false]);
    }

    #[test]
    fn an_entity_value_being_typed_narrows_the_one_before() {
        let q = |s: &str| Query::parse(s).unwrap();
        assert!(q("gene:tp").narrows(&q("gene:t")));
        assert!(q("gene:tp53").narrows(&q("gene:tp5")));
        assert!(q("gene:tp53").narrows(&q("gene:")));
        assert!(q("gene:tp53 ").narrows(&q("gene:tp53")), "finished");
        assert!(q("gene:tp53 ").narrows(&q("gene:tp")));
        assert!(q("gene:tp53 apo").narrows(&q("gene:tp53")));
        assert!(q("gene:ncbigene:7157").narrows(&q("gene:ncbigene:71")));
        // Not a start of it, another kind, or a finished value.
        assert!(!q("gene:tp53").narrows(&q("gene:p5")));
        assert!(!q("disease:tp53").narrows(&q("gene:tp")));
        assert!(!q("gene:tp53 ").narrows(&q("gene:tp5 ")));
        assert!(!q("!gene:tp53").narrows(&q("gene:tp")));
        // `gene:ncbigene` names no entity by its CURIE.
        assert!(!q("gene:ncbigene:7157").narrows(&q("gene:ncbigene")));
    }
}
