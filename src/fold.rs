//! Text folded for search: Greek letters spelled out, accents dropped, typographic
//! punctuation made plain, and (for case-blind matching) lower case.
//!
//! Researchers type ASCII; papers do not: `TGF-β`, `α-synuclein`, `Krüppel`, `Xiao’an`,
//! `Epstein–Barr`. Texts and queries go through the same fold, so `tgf-beta`, `tgfb`,
//! `kruppel` and `xiao'an` find them, and a pasted `TGF-β` finds a corpus that wrote
//! `TGF-beta`. ASCII text (nearly all of it) is left as it is, without looking at tables.

use std::borrow::Cow;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// `text` folded, keeping case: `TGF-β` -> `TGF-beta`, `Krüppel` -> `Kruppel` (accents
/// are dropped, as PubMed drops them). Borrowed when nothing changes.
pub fn fold_cased(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_folded(c, false, &mut out);
    }
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// `text` folded and lower-cased: `TGF-β` -> `tgf-beta`.
pub fn fold_lower(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_folded(c, true, &mut out);
    }
    out
}

/// `text` folded (lower-cased when `lower`), with the index of the character of `text`
/// each character of the folded text came from: what a highlight found in the folded
/// text is shown on the text as written.
pub fn fold_mapped(text: &str, lower: bool) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len() + 8);
    let mut from = Vec::with_capacity(text.len() + 8);
    for (i, c) in text.chars().enumerate() {
        let before = out.len();
        push_folded(c, lower, &mut out);
        from.extend(std::iter::repeat_n(i, out[before..].chars().count()));
    }
    (out, from)
}

/// `text` (folded, so every dash is `-`) with each hyphen between two letters or digits
/// made a space, byte for byte in place: how [`name_ranges`] wants its haystack, so a name
/// written `Epstein Barr virus` stands in `Epstein–Barr virus` and `PD-L1` in `PD L1`.
pub fn hyphens_as_spaces(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    if !bytes.contains(&b'-') {
        return Cow::Borrowed(text);
    }
    let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let joins = c == '-'
            && word_char(text[..i].chars().next_back())
            && word_char(text[i + 1..].chars().next());
        out.push(if joins { ' ' } else { c });
    }
    Cow::Owned(out)
}

/// Where each of `names` stands as a whole word in `haystack` (no letter or digit just
/// before or after it), a space matching a hyphen or dash between two letters alike:
/// `(name's index, start, end)` in bytes, in the order found, a name found again where it
/// overlaps itself or another. `haystack` is folded (say by [`fold_lower`]) and passed
/// through [`hyphens_as_spaces`] once; the names folded alike; an empty name is never found.
/// What the detail pane underlines and what a summary's mention counts count, so the two
/// agree. One pass over `haystack` however many names: a summary can name thousands of
/// entities beside a long full text.
pub fn names_ranges<S: AsRef<str>>(haystack: &str, names: &[S]) -> Vec<(usize, usize, usize)> {
    let mut looked_for = Vec::new();
    let mut patterns = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let name = hyphens_as_spaces(name.as_ref());
        if !name.is_empty() {
            looked_for.push(i);
            patterns.push(name);
        }
    }
    if patterns.is_empty() {
        return Vec::new();
    }
    let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let whole = |start: usize, end: usize| {
        !word_char(haystack[..start].chars().next_back())
            && !word_char(haystack[end..].chars().next())
    };
    // It fails only past limits no list of names reaches (2^31 patterns).
    let Ok(automaton) = aho_corasick::AhoCorasick::new(patterns.iter().map(|p| p.as_bytes()))
    else {
        return Vec::new();
    };
    automaton
        .find_overlapping_iter(haystack)
        .filter(|m| whole(m.start(), m.end()))
        .map(|m| (looked_for[m.pattern().as_usize()], m.start(), m.end()))
        .collect()
}

/// Whether `c` folds to nothing: a soft hyphen, a zero-width space or joiner, a byte order
/// mark, or an accent standing alone.
pub fn vanishes(c: char) -> bool {
    !c.is_ascii() && (plain_punctuation(c) == Some("") || is_combining_mark(c))
}

/// Appends `c` folded to `out`.
fn push_folded(c: char, lower: bool, out: &mut String) {
    if c.is_ascii() {
        out.push(if lower { c.to_ascii_lowercase() } else { c });
        return;
    }
    if let Some(plain) = plain_punctuation(c) {
        out.push_str(plain);
        return;
    }
    // Accented letters come apart into a base letter and marks; the marks go. Letters
    // that do not come apart (Greek ones, `ß`, `ø`) are spelled by `spelled`.
    decompose_canonical(c, |part| {
        if is_combining_mark(part) {
            return;
        }
        if let Some(spelling) = spelled(part) {
            let upper = part.is_uppercase() && !lower;
            let mut letters = spelling.chars();
            if let Some(first) = letters.next() {
                out.push(if upper {
                    first.to_ascii_uppercase()
                } else {
                    first
                });
                // A capital spelled with two letters (`Æ`, `Þ`) keeps its second lower
                // case, as a word would (`Aesculus`): smart case then still matches `Ae`.
                out.extend(letters);
            }
        } else if lower {
            out.extend(part.to_lowercase());
        } else {
            out.push(part);
        }
    });
}

/// The ASCII a typographic punctuation mark or space stands for; empty for marks that
/// stand for nothing (a soft hyphen, a zero-width space).
fn plain_punctuation(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => "-",
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        _ => return None,
    })
}

/// The names Greek letters are spelled with (`β` -> `beta`), as texts and queries fold them.
pub const GREEK_LETTER_NAMES: [&str; 24] = [
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi",
    "psi", "omega",
];

/// Whether `c` is a Greek letter (with or without accents), or the micro sign, which is
/// Greek mu in `µM`: what folds to one of [`GREEK_LETTER_NAMES`].
pub fn is_greek_letter(c: char) -> bool {
    c == '\u{B5}'
        || matches!(c, '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}')
            && GREEK_LETTER_NAMES.contains(&fold_lower(c.encode_utf8(&mut [0; 4])).as_str())
}

/// How a letter without an accent to drop is typed in ASCII, lower case: Greek letters by
/// name (`β` -> `beta`, as papers write `TGF-beta`), and the Latin letters that are not
/// an accented base letter.
fn spelled(c: char) -> Option<&'static str> {
    Some(match c.to_lowercase().next().unwrap_or(c) {
        'α' => "alpha",
        'β' | 'ϐ' => "beta",
        'γ' => "gamma",
        'δ' => "delta",
        'ε' | 'ϵ' => "epsilon",
        'ζ' => "zeta",
        'η' => "eta",
        'θ' | 'ϑ' => "theta",
        'ι' => "iota",
        'κ' | 'ϰ' => "kappa",
        'λ' => "lambda",
        // The micro sign is Greek mu in `µM` too.
        'μ' | 'µ' => "mu",
        'ν' => "nu",
        'ξ' => "xi",
        'ο' => "omicron",
        'π' | 'ϖ' => "pi",
        'ρ' | 'ϱ' => "rho",
        'σ' | 'ς' => "sigma",
        'τ' => "tau",
        'υ' => "upsilon",
        'φ' | 'ϕ' => "phi",
        'χ' => "chi",
        'ψ' => "psi",
        'ω' => "omega",
        'ß' | 'ẞ' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        // Ligatures, from text copied out of PDFs (`ﬁbrosis`).
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        'ﬅ' | 'ﬆ' => "st",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_are_found_between_non_alphanumerics_only() {
        let text = "pd-1/pd-l1 inhibitors; apd-l1x and pd-l12 not, pd-l1";
        let at = names_ranges(&hyphens_as_spaces(text), &["pd-l1"]);
        assert_eq!(at, [(0, 5, 10), (0, text.len() - 5, text.len())]);
        assert_eq!(names_ranges("épd l1 pd l1é", &["pd-l1"]), []);
        assert_eq!(names_ranges("anything", &[""]), []);
        assert_eq!(names_ranges("anything", &[] as &[&str]), []);
    }

    #[test]
    fn every_name_is_found_in_one_pass_overlaps_and_repeats_too() {
        let text = "pd l1 molecule binds pd l1; ab ab ab; cab ab ab";
        let names = [
            "pd-l1 molecule",
            "",
            "pd-l1",
            "pd-l1",
            "ab ab",
            "l1 molecule",
        ];
        let mut found = names_ranges(text, &names);
        found.sort_unstable();
        let found: Vec<(usize, &str)> = found.iter().map(|&(n, s, e)| (n, &text[s..e])).collect();
        assert_eq!(
            found,
            [
                (0, "pd l1 molecule"),
                // A name given twice is found for each.
                (2, "pd l1"),
                (2, "pd l1"),
                (3, "pd l1"),
                (3, "pd l1"),
                // Where it overlaps itself, and after a place it stood inside a word.
                (4, "ab ab"),
                (4, "ab ab"),
                (4, "ab ab"),
                (5, "l1 molecule"),
            ]
        );
    }

    #[test]
    fn names_match_across_a_space_a_hyphen_or_a_dash() {
        let text = fold_lower("an Epstein–Barr virus (EBV) and Epstein-Barr virus; PD L1, x-");
        let text = hyphens_as_spaces(&text);
        let found = |name: &str| -> Vec<&str> {
            names_ranges(&text, &[fold_lower(name)])
                .into_iter()
                .map(|(_, s, e)| &text[s..e])
                .collect()
        };
        assert_eq!(found("Epstein Barr virus").len(), 2);
        assert_eq!(found("Epstein-Barr virus").len(), 2);
        assert_eq!(found("PD-L1"), ["pd l1"]);
        // Byte for byte in place: a range found is where the text wrote it.
        assert_eq!(
            text.len(),
            fold_lower("an Epstein–Barr virus (EBV) and Epstein-Barr virus; PD L1, x-").len()
        );
        // A hyphen not between two letters or digits stays.
        assert_eq!(hyphens_as_spaces("x- -y a-b"), "x- -y a b");
        assert!(matches!(hyphens_as_spaces("no hyphen"), Cow::Borrowed(_)));
    }

    #[test]
    fn greek_letters_are_spelled_and_accents_dropped() {
        let table = [
            ("TGF-β", "TGF-beta", "tgf-beta"),
            ("α-synuclein", "alpha-synuclein", "alpha-synuclein"),
            ("NF-κB", "NF-kappaB", "nf-kappab"),
            ("Δ9-THC", "Delta9-THC", "delta9-thc"),
            (
                "IFN-γ and IL-1β",
                "IFN-gamma and IL-1beta",
                "ifn-gamma and il-1beta",
            ),
            ("10 µM", "10 muM", "10 mum"),
            ("Krüppel-like", "Kruppel-like", "kruppel-like"),
            (
                "José Müller-Øster",
                "Jose Muller-Oster",
                "jose muller-oster",
            ),
            ("Straße", "Strasse", "strasse"),
            ("ά", "alpha", "alpha"),
            ("Xiao’an Guo", "Xiao'an Guo", "xiao'an guo"),
            ("Epstein–Barr", "Epstein-Barr", "epstein-barr"),
            ("“quoted”", "\"quoted\"", "\"quoted\""),
            ("a\u{00A0}b\u{00AD}c", "a bc", "a bc"),
            ("ÆSIR", "AeSIR", "aesir"),
            ("İstanbul", "Istanbul", "istanbul"),
            ("ﬁbrosis and ﬂow", "fibrosis and flow", "fibrosis and flow"),
            ("日本", "日本", "日本"),
        ];
        for (text, cased, lower) in table {
            assert_eq!(fold_cased(text), cased, "{text}");
            assert_eq!(fold_lower(text), lower, "{text}");
        }
    }

    #[test]
    fn every_greek_letter_folds_to_one_of_the_names() {
        let letters = ('\u{391}'..='\u{3A9}').chain('\u{3B1}'..='\u{3C9}');
        for c in letters.filter(|&c| c != '\u{3A2}') {
            assert!(is_greek_letter(c), "{c}");
        }
        for c in ['ά', 'ϐ', 'ϕ', 'µ', 'ᾶ'] {
            assert!(is_greek_letter(c), "{c}");
        }
        for c in ['b', 'ß', 'æ', '日', '\u{37E}', '\u{3A2}'] {
            assert!(!is_greek_letter(c), "{c}");
        }
    }

    #[test]
    fn ascii_is_left_alone() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        assert!(matches!(fold_cased(&every_ascii), Cow::Borrowed(_)));
        assert_eq!(fold_lower(&every_ascii), every_ascii.to_ascii_lowercase());
        assert!(matches!(fold_cased("plain"), Cow::Borrowed(_)));
        // Non-ASCII that folds to itself is borrowed too.
        assert!(matches!(fold_cased("日本"), Cow::Borrowed(_)));
    }

    #[test]
    fn mapped_fold_points_back_at_the_characters_written() {
        let (folded, from) = fold_mapped("TGF-β1", true);
        assert_eq!(folded, "tgf-beta1");
        assert_eq!(from, [0, 1, 2, 3, 4, 4, 4, 4, 5]);
        let (folded, from) = fold_mapped("a\u{00AD}b", false);
        assert_eq!(folded, "ab");
        assert_eq!(from, [0, 2]);
        let (folded, from) = fold_mapped("İx", true);
        assert_eq!(folded, "ix");
        assert_eq!(from, [0, 1]);
        for text in ["TGF-β", "Krüppel", "plain", "İİ", "Straße"] {
            let (folded, from) = fold_mapped(text, true);
            assert_eq!(folded, fold_lower(text));
            assert_eq!(from.len(), folded.chars().count());
            let (folded, _) = fold_mapped(text, false);
            assert_eq!(folded, fold_cased(text));
        }
    }
}
