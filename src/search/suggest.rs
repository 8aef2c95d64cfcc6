//! What a query that finds nothing was likely meant to be.
//!
//! Letters in order forgive a letter left out, and typo variants forgive two swapped or one
//! typed twice, but nothing forgives a letter typed wrong: `hypertansion`, `tuberculosys`
//! and `epilepsey` found no paper at all. When a query finds nothing, each of its words
//! that no text of the library holds is replaced by the nearest word some text does hold
//! (one letter off; two for long words), a word typed in capitals by the word in lower case,
//! and the query so corrected is run instead, saying so.

use std::collections::HashMap;

/// Words shorter than this are not corrected: one letter from too many other words.
pub const CORRECT_MIN_CHARS: usize = 5;

/// Words of at least this many letters may be two edits from what was meant.
const TWO_EDITS_FROM_CHARS: usize = 9;

/// The words of a library's texts, lower-cased, with how many texts hold each.
#[derive(Default)]
pub struct Vocabulary {
    counts: HashMap<Box<str>, u32>,
}

impl Vocabulary {
    /// Adds the words of one text: runs of letters, of [`CORRECT_MIN_CHARS`] or more less one
    /// (a word one letter longer than it may be what was meant).
    pub fn add_text(&mut self, text: &str) {
        for word in text.split(|c: char| !c.is_alphabetic()) {
            if word.chars().count() + 1 < CORRECT_MIN_CHARS {
                continue;
            }
            if word.chars().all(|c| c.is_lowercase()) {
                *self.counts.entry(word.into()).or_default() += 1;
            } else {
                *self.counts.entry(word.to_lowercase().into()).or_default() += 1;
            }
        }
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

    /// The word some text holds that `word` (lower case) was most likely meant to be: fewest
    /// edits (a letter changed, added, left out, or two swapped), then held by most texts.
    /// `None` when no word is that near.
    pub fn nearest(&self, word: &str) -> Option<&str> {
        let typed: Vec<char> = word.chars().collect();
        let typed_as_said = as_said(word);
        let most = if typed.len() >= TWO_EDITS_FROM_CHARS {
            2
        } else {
            1
        };
        let mut best: Option<(usize, u32, &str)> = None;
        let mut other = Vec::new();
        for (candidate, &count) in &self.counts {
            let len = candidate.chars().count();
            if len.abs_diff(typed.len()) > most {
                continue;
            }
            other.clear();
            other.extend(candidate.chars());
            // Spelled as said (`nefropathy`, `haematoma`): no edit for the spelling.
            let said = as_said(candidate);
            let edits = if !typed_as_said.is_empty() && said == typed_as_said {
                Some(0)
            } else {
                edits_within(&typed, &other, most)
            };
            let Some(edits) = edits else {
                continue;
            };
            if edits == 0 && **candidate == *word {
                return Some(candidate);
            }
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
        let mut changed = false;
        let mut after_not = false;
        let words: Vec<String> = query
            .split_whitespace()
            .map(|token| {
                // A word excluded is no reason for finding nothing: it stays as typed.
                let better = (!after_not).then(|| self.corrected_token(token)).flatten();
                after_not = token == "NOT";
                match better {
                    Some(better) => {
                        changed = true;
                        better
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
        Some(match field {
            Some(field) => format!("{field}:{better}"),
            None => better,
        })
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

/// `word` with the spellings of one sound made one (`ph` as `f`, `ae` and `oe` as `e`), so
/// that a word typed as it sounds, or in British spelling, is no edits from the word:
/// `nefropathy` is `nephropathy` (two edits, where `neuropathy` is one), `haematoma`
/// `hematoma`. Empty when it has none of them.
fn as_said(word: &str) -> String {
    if !["ph", "ae", "oe"].iter().any(|s| word.contains(s)) && !word.contains('f') {
        return String::new();
    }
    word.replace("ph", "f")
        .replace("ae", "e")
        .replace("oe", "e")
}

/// The optimal string alignment distance between `a` and `b` (changes, additions, removals,
/// swaps of neighbours), when at most `most`.
fn edits_within(a: &[char], b: &[char], most: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > most {
        return None;
    }
    let width = b.len() + 1;
    // Three rows of the table: two back (for swaps), one back, this one.
    let mut rows = vec![0usize; 3 * width];
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
            edits_within(&a, &b, most)
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
}
