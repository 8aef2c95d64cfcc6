//! Which of a few known words a mistyped one most likely means: the "did you mean" of the
//! command line (`tomes serch`) and of config.toml (`moose = true`).

/// The candidate `typed` most likely mistypes, case ignored: at most one edit away for a
/// word of up to four letters, two for a longer one (an adjacent swap is one edit:
/// `list_widht`, `list_width`). Of equally near candidates, the first in sort order.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    let allowed = if typed.chars().count() <= 4 { 1 } else { 2 };
    candidates
        .into_iter()
        .map(|c| (edit_distance(&typed, &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= allowed)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance counting an adjacent swap as one edit.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_words_are_found_and_far_ones_not() {
        let keys = ["mouse", "mode", "hyperlinks", "list_width", "theme", "keys"];
        for (typed, meant) in [
            ("moose", Some("mouse")),
            ("hyperlink", Some("hyperlinks")),
            ("list_widht", Some("list_width")),
            ("Theme", Some("theme")),
            ("them", Some("theme")),
            ("key", Some("keys")),
            ("colour", None),
            ("foo", None),
        ] {
            assert_eq!(closest(typed, keys), meant, "{typed}");
        }
        assert_eq!(edit_distance("serch", "search"), 1);
        assert_eq!(edit_distance("lsit", "list"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
