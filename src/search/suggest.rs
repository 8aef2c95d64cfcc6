//! What a query that finds nothing, or only papers its letters are scattered in, was
//! likely meant to be.
//!
//! Letters in order forgive a letter left out, and typo variants forgive two swapped or one
//! typed twice, but nothing forgives a letter typed wrong: `hypertansion`, `tuberculosys`
//! and `epilepsey` found no paper at all. When a query finds nothing, each of its words
//! that no text of the library holds is replaced by the nearest word some text does hold
//! (one letter off; two for long words), a word typed in capitals by the word in lower case,
//! and the query so corrected is run instead, saying so.
//!
//! A word typed wrong may also find a few papers by letters scattered through their titles
//! (`asthama` found 2 unrelated papers, `asthma` 26): a query that finds papers is
//! corrected too when a word of it is a near miss ([`Vocabulary::correct_near_misses`]):
//! no text holds it, it starts no word a text holds (it is not a word being typed), and
//! search forgives it no typo; and the correction finds more papers than the query as
//! typed (`brcan`, initials of "breast cancer", stays). Quoted, a word stays as typed.

use std::collections::HashMap;

/// Words shorter than this are not corrected: one letter from too many other words.
pub const CORRECT_MIN_CHARS: usize = 5;

/// Words of at least this many letters may be two edits from what was meant.
const TWO_EDITS_FROM_CHARS: usize = 9;

/// The words of a library's texts, lower-cased, with how many texts hold each.
#[derive(Default)]
pub struct Vocabulary {
    counts: HashMap<Box<str>, Held>,
    /// The words of `counts` in order, for finding the words a word starts, but for those
    /// in `fresh`: come since they were last merged in ([`Vocabulary::sort_words`]).
    sorted: Vec<Box<str>>,
    fresh: Vec<Box<str>>,
}

/// What the vocabulary keeps of a word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Held {
    /// How many texts hold it.
    count: u32,
    /// Its length in characters.
    chars: u32,
    /// The letters it has ([`letters_of`]): a word `n` edits away has at most `2n` letters
    /// the other lacks or has alone, so most words are passed over without counting edits.
    letters: u32,
    /// Whether it has a spelling [`as_said`] makes one with another (`ph`, `ae`, `oe`).
    spelled: bool,
}

impl Vocabulary {
    /// Adds the words of one text: runs of letters, of [`CORRECT_MIN_CHARS`] or more less one
    /// (a word one letter longer than it may be what was meant), and the letters of a run
    /// of them joined by punctuation (`VEGF-A` as `vegfa`, `TGF-beta` as `tgfbeta`), as
    /// search finds them: a word so typed is no word typed wrong.
    pub fn add_text(&mut self, text: &str) {
        for word in text.split(|c: char| !c.is_alphabetic()) {
            self.add_word(word);
        }
        for run in text.split(|c: char| c.is_whitespace() || c.is_numeric()) {
            let mut parts = run
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty());
            if parts.next().is_some() && parts.next().is_some() {
                let joined: String = run.chars().filter(|c| c.is_alphabetic()).collect();
                self.add_word(&joined);
            }
        }
    }

    fn add_word(&mut self, word: &str) {
        let chars = word.chars().count();
        if chars + 1 < CORRECT_MIN_CHARS {
            return;
        }
        let lower: std::borrow::Cow<str> = if word.chars().all(|c| c.is_lowercase()) {
            word.into()
        } else {
            word.to_lowercase().into()
        };
        if let Some(held) = self.counts.get_mut(&*lower) {
            held.count += 1;
            return;
        }
        let word: Box<str> = lower.into();
        let held = Held {
            count: 1,
            chars: word.chars().count() as u32,
            letters: letters_of(&word),
            spelled: SPELLINGS.iter().any(|s| word.contains(s)),
        };
        self.fresh.push(word.clone());
        self.counts.insert(word, held);
    }

    /// How many distinct words it holds.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Whether some text holds `word` (lower case).
    pub fn holds(&self, word: &str) -> bool {
        self.counts.contains_key(word)
    }

    /// Whether every word is in the sorted list [`correct_near_misses`](Self::correct_near_misses)
    /// needs.
    pub fn words_sorted(&self) -> bool {
        self.fresh.is_empty()
    }

    /// Merges the words come since the last call into the sorted list
    /// [`correct_near_misses`](Self::correct_near_misses) needs: sorting the few fresh ones
    /// and merging them in costs a millisecond or two at 150k words, where sorting them all
    /// took 70 ms, which a key typed meanwhile would wait for.
    pub fn sort_words(&mut self) {
        if self.fresh.is_empty() {
            return;
        }
        let mut fresh = std::mem::take(&mut self.fresh);
        fresh.sort_unstable();
        let old = std::mem::take(&mut self.sorted);
        let mut merged = Vec::with_capacity(old.len() + fresh.len());
        let mut old = old.into_iter().peekable();
        for word in fresh {
            while let Some(before) = old.next_if(|o| *o < word) {
                merged.push(before);
            }
            merged.push(word);
        }
        merged.extend(old);
        self.sorted = merged;
    }

    /// Whether some word a text holds starts with `prefix` (lower case), itself included:
    /// a binary search of the sorted words.
    fn starts_some_word(&self, prefix: &str) -> bool {
        let at = self.sorted.partition_point(|w| **w < *prefix);
        self.sorted.get(at).is_some_and(|w| w.starts_with(prefix))
    }

    /// The word some text holds that `word` (lower case) was most likely meant to be: fewest
    /// edits (a letter changed, added, left out, or two swapped), then held by most texts.
    /// `None` when no word is that near.
    pub fn nearest(&self, word: &str) -> Option<&str> {
        let typed: Vec<char> = word.chars().collect();
        let typed_letters = letters_of(word);
        let typed_as_said = as_said(word);
        let most = if typed.len() >= TWO_EDITS_FROM_CHARS {
            2
        } else {
            1
        };
        let mut best: Option<(usize, u32, &str)> = None;
        let mut other = Vec::new();
        let mut rows = Vec::new();
        for (candidate, held) in &self.counts {
            if (held.chars as usize).abs_diff(typed.len()) > most {
                continue;
            }
            // Spelled as said (`nefropathy`, `haematoma`): no edit for the spelling. A word
            // with no spelling to make one is as said itself, when it has an `f`.
            let said_alike = !typed_as_said.is_empty()
                && match held.spelled {
                    true => as_said(candidate) == typed_as_said,
                    false => **candidate == *typed_as_said && candidate.contains('f'),
                };
            let edits = if said_alike {
                Some(0)
            } else if (held.letters ^ typed_letters).count_ones() as usize > 2 * most {
                None
            } else {
                other.clear();
                other.extend(candidate.chars());
                edits_within(&typed, &other, most, &mut rows)
            };
            let Some(edits) = edits else {
                continue;
            };
            if edits == 0 && **candidate == *word {
                return Some(candidate);
            }
            let count = held.count;
            let better = match best {
                None => true,
                Some((e, c, w)) => {
                    (edits, std::cmp::Reverse(count), &**candidate) < (e, std::cmp::Reverse(c), w)
                }
            };
            if better {
                best = Some((edits, count, candidate));
            }
        }
        best.map(|(_, _, w)| w)
    }

    /// `query` with each plain word that no text holds replaced by its
    /// [`nearest`](Self::nearest) word, and a word with capitals by its lower case when
    /// only that is held. `None` when nothing would change. Terms with quotes, a leading
    /// `-` or `'`, digits or punctuation are left as typed, as are `OR`, `NOT` and the word
    /// after `NOT`; in `field:word`, the word is corrected.
    pub fn correct(&self, query: &str) -> Option<String> {
        self.replacing(query, Self::corrected_token)
    }

    /// For a query that finds papers: `query` with each near miss replaced by its
    /// [`nearest`](Self::nearest) word, a plain word (as [`correct`](Self::correct) takes
    /// them) that no text holds, that starts no word a text holds, and that search forgives
    /// no typo of ([`TextTerm::typo_variants`](super::query::TextTerm::typo_variants): a
    /// variant held or starting a word already finds what was meant). `None` when nothing
    /// would change, or the words are not sorted ([`sort_words`](Self::sort_words)): a word
    /// being typed (`asthm`, `metfor`) could not be told from a word typed wrong.
    pub fn correct_near_misses(&self, query: &str) -> Option<String> {
        if !self.words_sorted() {
            return None;
        }
        self.replacing(query, Self::near_miss_token)
    }

    /// `query` with each token `better` has a replacement for, but for the word after `NOT`
    /// (a word excluded is no reason for finding nothing, nor the few papers found).
    /// `None` when nothing would change.
    fn replacing(&self, query: &str, better: fn(&Self, &str) -> Option<String>) -> Option<String> {
        let mut changed = false;
        let mut after_not = false;
        let words: Vec<String> = query
            .split_whitespace()
            .map(|token| {
                let replaced = (!after_not).then(|| better(self, token)).flatten();
                after_not = token == "NOT";
                match replaced {
                    Some(replaced) => {
                        changed = true;
                        replaced
                    }
                    None => token.to_owned(),
                }
            })
            .collect();
        changed.then(|| words.join(" "))
    }

    fn corrected_token(&self, token: &str) -> Option<String> {
        let (field, word) = correctable_word(token)?;
        let lower = word.to_lowercase();
        let better = if self.holds(&lower) {
            (lower != word).then_some(lower)?
        } else {
            self.nearest(&lower)?.to_owned()
        };
        Some(with_field(field, better))
    }

    fn near_miss_token(&self, token: &str) -> Option<String> {
        let (field, word) = correctable_word(token)?;
        let lower = word.to_lowercase();
        if self.starts_some_word(&lower) || self.forgives_a_typo(&lower) {
            return None;
        }
        Some(with_field(field, self.nearest(&lower)?.to_owned()))
    }

    /// Whether search finds `word` (lower case, held by no text) as a typo of a word held or
    /// being typed: one of its typo variants is held or starts a held word.
    fn forgives_a_typo(&self, word: &str) -> bool {
        let Ok(query) = super::query::Query::parse(word) else {
            return false;
        };
        query.terms.iter().any(|term| match &term.condition {
            super::query::Condition::Text(text) => text
                .typo_variants
                .iter()
                .any(|variant| self.starts_some_word(variant)),
            _ => false,
        })
    }
}

/// `word` in `field` (`title:word`), or alone.
fn with_field(field: Option<&str>, word: String) -> String {
    match field {
        Some(field) => format!("{field}:{word}"),
        None => word,
    }
}

/// Whether [`Vocabulary::correct`] could change some word of `query` (checked before a
/// vocabulary is brought up to date for it).
pub fn may_correct(query: &str) -> bool {
    let mut after_not = false;
    query.split_whitespace().any(|token| {
        let may = !after_not && correctable_word(token).is_some();
        after_not = token == "NOT";
        may
    })
}

/// The word of `token` that may be corrected, with its field (`title:` in
/// `title:hypertansion`): letters alone, [`CORRECT_MIN_CHARS`] or more.
fn correctable_word(token: &str) -> Option<(Option<&str>, &str)> {
    if token == "OR" || token == "NOT" {
        return None;
    }
    let (field, word) = match token.split_once(':') {
        Some((field, word)) if field.chars().all(|c| c.is_ascii_alphabetic()) => {
            (Some(field), word)
        }
        Some(_) => return None,
        None => (None, token),
    };
    (word.chars().count() >= CORRECT_MIN_CHARS && word.chars().all(char::is_alphabetic))
        .then_some((field, word))
}

/// The spellings [`as_said`] writes as another.
const SPELLINGS: [&str; 3] = ["ph", "ae", "oe"];

/// `word` with the spellings of one sound made one (`ph` as `f`, `ae` and `oe` as `e`), so
/// that a word typed as it sounds, or in British spelling, is no edits from the word:
/// `nefropathy` is `nephropathy` (two edits, where `neuropathy` is one), `haematoma`
/// `hematoma`. Empty when it has none of them.
fn as_said(word: &str) -> String {
    if !SPELLINGS.iter().any(|s| word.contains(s)) && !word.contains('f') {
        return String::new();
    }
    word.replace("ph", "f")
        .replace("ae", "e")
        .replace("oe", "e")
}

/// The letters of `word` as bits: `a` to `z` each its own, any other letter one of a few
/// more.
fn letters_of(word: &str) -> u32 {
    word.chars().fold(0, |bits, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            _ => 26 + c as u32 % 6,
        };
        bits | 1 << bit
    })
}

/// The optimal string alignment distance between `a` and `b` (changes, additions, removals,
/// swaps of neighbours), when at most `most`; `rows` is room for the table, kept between
/// calls.
fn edits_within(a: &[char], b: &[char], most: usize, rows: &mut Vec<usize>) -> Option<usize> {
    if a.len().abs_diff(b.len()) > most {
        return None;
    }
    let width = b.len() + 1;
    // Three rows of the table: two back (for swaps), one back, this one.
    rows.clear();
    rows.resize(3 * width, 0);
    for (j, cell) in rows[width..2 * width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (back2, rest) = rows.split_at_mut(width);
        let (back1, this) = rest.split_at_mut(width);
        this[0] = i;
        let mut row_best = this[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (back1[j] + 1).min(this[j - 1] + 1).min(back1[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(back2[j - 2] + 1);
            }
            this[j] = d;
            row_best = row_best.min(d);
        }
        if row_best > most {
            return None;
        }
        // Rotate: this row becomes one back, one back becomes two back.
        back2.copy_from_slice(back1);
        back1.copy_from_slice(this);
    }
    let d = rows[2 * width - 1];
    (d <= most).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(texts: &[&str]) -> Vocabulary {
        let mut v = Vocabulary::default();
        for t in texts {
            v.add_text(t);
        }
        v
    }

    #[test]
    fn edits_count_changes_additions_removals_and_swaps() {
        let d = |a: &str, b: &str, most| {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            edits_within(&a, &b, most, &mut Vec::new())
        };
        assert_eq!(d("hypertension", "hypertension", 1), Some(0));
        assert_eq!(d("hypertansion", "hypertension", 1), Some(1));
        assert_eq!(d("hypertenion", "hypertension", 1), Some(1));
        assert_eq!(d("hyperttension", "hypertension", 1), Some(1));
        assert_eq!(d("hyeprtension", "hypertension", 1), Some(1));
        assert_eq!(d("hypertansoin", "hypertension", 1), None);
        assert_eq!(d("hypertansoin", "hypertension", 2), Some(2));
        assert_eq!(d("asthma", "plasma", 1), None);
    }

    #[test]
    fn a_word_one_letter_off_is_corrected_to_the_word_most_texts_hold() {
        let v = vocabulary(&[
            "Hypertension in the elderly",
            "Pulmonary hypertension",
            "Tuberculosis and HIV",
            "Epilepsy: seizures",
            "Hypotension after surgery",
        ]);
        assert_eq!(v.correct("hypertansion"), Some("hypertension".into()));
        assert_eq!(v.correct("tuberculosys"), Some("tuberculosis".into()));
        assert_eq!(v.correct("epilepsey"), Some("epilepsy".into()));
        // Held as typed, or nothing near: nothing to correct.
        assert_eq!(v.correct("hypertension"), None);
        assert_eq!(v.correct("zzzzzzzz"), None);
        // Capitals: the word in lower case, when only that is held.
        assert_eq!(v.correct("HYPERTENSION"), Some("hypertension".into()));
        assert_eq!(v.correct("HYPERTANSION"), Some("hypertension".into()));
    }

    /// A user test typed `nefropathy` and got `neuropathy`, one edit away, not
    /// `nephropathy`, the word meant, two: a word spelled as it sounds is no edit away.
    #[test]
    fn a_word_spelled_as_it_sounds_is_corrected_to_the_word_spelled() {
        let v = vocabulary(&[
            "Diabetic neuropathy",
            "Diabetic nephropathy",
            "Subdural hematoma",
            "Haemophilia",
        ]);
        assert_eq!(v.correct("nefropathy"), Some("nephropathy".into()));
        assert_eq!(v.correct("haematoma"), Some("hematoma".into()));
        assert_eq!(v.correct("hemofilia"), Some("haemophilia".into()));
        assert_eq!(v.correct("neuropathy"), None);
    }

    #[test]
    fn only_plain_words_of_five_letters_or_more_are_corrected() {
        let v = vocabulary(&["Pulmonary hypertension in asthma", "Tuberculosis"]);
        assert_eq!(
            v.correct("astma hypertansion"),
            Some("asthma hypertension".into())
        );
        assert_eq!(
            v.correct("title:hypertansion"),
            Some("title:hypertension".into())
        );
        for kept in [
            "-hypertansion",
            "'hypertansion",
            "\"hypertansion\"",
            "hypertansion2",
            "hyper-tansion",
            "tubr",
            "NOT",
        ] {
            assert_eq!(v.correct(kept), None, "{kept}");
        }
        assert_eq!(
            v.correct("tuberculosys NOT hypertansion"),
            Some("tuberculosis NOT hypertansion".into())
        );
    }

    fn sorted_vocabulary(texts: &[&str]) -> Vocabulary {
        let mut v = vocabulary(texts);
        v.sort_words();
        v
    }

    /// `asthama` found 2 unrelated papers by letters scattered through their titles, and was
    /// never corrected to `asthma` (12): a word no text holds nor starts is a near miss.
    #[test]
    fn a_near_miss_is_corrected_though_the_query_finds_papers() {
        let v = sorted_vocabulary(&[
            "Asthma in children",
            "Bronchial asthma and metformin",
            "Metformin in diabetes",
        ]);
        assert_eq!(v.correct_near_misses("asthama"), Some("asthma".into()));
        assert_eq!(
            v.correct_near_misses("metforman children"),
            Some("metformin children".into())
        );
        assert_eq!(
            v.correct_near_misses("title:asthama"),
            Some("title:asthma".into())
        );
        // Held, or nothing near: nothing to correct.
        assert_eq!(v.correct_near_misses("asthma"), None);
        assert_eq!(v.correct_near_misses("zzzzzzzz"), None);
        // Quoted, exact, excluded, or with digits: as typed.
        for kept in [
            "\"asthama\"",
            "'asthama",
            "-asthama",
            "asthama2",
            "asthma NOT asthama",
        ] {
            assert_eq!(v.correct_near_misses(kept), None, "{kept}");
        }
    }

    /// A word being typed starts a word some text holds: it is no near miss.
    #[test]
    fn a_word_being_typed_is_no_near_miss() {
        let v = sorted_vocabulary(&["Asthmatic children", "Metformin in diabetes"]);
        for typed in ["asthm", "asthma", "asthmati", "metfor", "metformi", "ASTHM"] {
            assert_eq!(v.correct_near_misses(typed), None, "{typed}");
        }
        // Though nearer words than `metformin` would do for a zero-hit query.
        let v = sorted_vocabulary(&["Meteor showers", "Metformin in diabetes"]);
        assert_eq!(v.correct_near_misses("metfor"), None);
        assert_eq!(v.correct_near_misses("meteo"), None);
    }

    /// Search finds a word with two letters swapped or one typed twice (typo variants) as
    /// the word meant: that is no near miss either.
    #[test]
    fn a_typo_search_forgives_is_no_near_miss() {
        let v = sorted_vocabulary(&["Renal carcinoma", "Breast cancer mutations"]);
        for typed in ["carcinmoa", "carcinomma", "carcinmo", "mutatoins"] {
            assert_eq!(v.correct_near_misses(typed), None, "{typed}");
        }
        assert_eq!(v.correct_near_misses("mutetions"), Some("mutations".into()));
    }

    /// Until the words are sorted, a word being typed cannot be told from a near miss.
    #[test]
    fn near_misses_wait_for_the_words_sorted() {
        let mut v = vocabulary(&["Asthma in children"]);
        assert!(!v.words_sorted());
        assert_eq!(v.correct_near_misses("asthama"), None);
        v.sort_words();
        assert_eq!(v.correct_near_misses("asthama"), Some("asthma".into()));
        // A word come since: unsorted again, until sorted again.
        v.add_text("Metformin");
        assert!(!v.words_sorted());
        assert_eq!(v.correct_near_misses("metforman"), None);
        v.sort_words();
        assert_eq!(v.correct_near_misses("metforman"), Some("metformin".into()));
        // A word held again changes nothing.
        v.add_text("Asthma");
        assert!(v.words_sorted());
        // Merged a part at a time, the list holds every word, in order.
        v.add_text("Zebrafish cilia; aardvark bronchi");
        v.sort_words();
        v.add_text("Children, bronchial asthma");
        v.sort_words();
        assert_eq!(v.sorted.len(), v.len());
        assert!(v.sorted.is_sorted(), "{:?}", v.sorted);
    }

    /// Search finds `vegfa` in "VEGF-A": the letters of words joined by punctuation are a
    /// word held, not one typed wrong (`vegf` is one letter off).
    #[test]
    fn words_joined_by_punctuation_are_held_joined() {
        let v = sorted_vocabulary(&["VEGF-A and VEGF signalling", "TGF-beta1 in fibrosis"]);
        assert!(v.holds("vegfa"));
        assert!(v.holds("tgfbeta"));
        assert_eq!(v.correct_near_misses("vegfa"), None);
        assert_eq!(v.correct_near_misses("tgfbeta"), None);
        // A word with a full stop after it is held once per text, as before.
        let v = vocabulary(&["Asthma.", "Asthma"]);
        assert_eq!(v.counts.get("asthma").map(|h| h.count), Some(2));
    }
}
