//! The in-program help and README.md say the same about the search line and the query
//! fields, and what they say is what the code does.

mod common;

use common::{press, state, type_text};
use tomes::app::ViewKind;

/// The help's lines at a width where none wraps, words joined by single spaces.
fn help_text() -> String {
    let mut s = state();
    press(&mut s, &["?"]);
    let lines = tomes::ui::help_lines(&s, 400, &tomes::ui::Theme::new(s.appearance));
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    text.join("\n")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// README's `### Queries` section.
fn readme_queries() -> String {
    let readme = readme();
    let start = readme.find("### Queries").expect("a Queries section");
    let rest = &readme[start..];
    let end = rest[4..].find("\n#").map_or(rest.len(), |e| e + 4);
    rest[..end].to_owned()
}

/// Esc on a kept search being edited puts its query back, as the help and README say (the
/// help said "esc clears").
#[test]
fn esc_on_an_edited_kept_search_is_described_as_the_code_does_it() {
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "cd27");
    press(&mut s, &["enter", "/"]);
    type_text(&mut s, " x");
    press(&mut s, &["esc"]);
    assert!(!s.search.editing);
    assert_eq!(s.search.input.as_str(), "cd27");
    assert!(
        matches!(&s.view().kind, ViewKind::Search { query } if query == "cd27"),
        "{:?}",
        s.view().kind
    );

    let help = help_text();
    assert!(!help.contains("esc clears"), "{help}");
    assert!(
        help.contains("on a kept search being edited, esc puts its query back"),
        "{help}"
    );
    let readme = readme();
    assert!(
        readme.contains("on a kept search being edited (`/` on it), Esc puts its query back"),
        "README.md's `/` row"
    );
}

/// Every entity field the help lists is in README's Queries section (it left out
/// `entity:`), and each is one the parser takes.
#[test]
fn the_help_and_readme_list_the_same_entity_fields() {
    let help = help_text();
    let row = help
        .split("gene:PD-L1")
        .nth(1)
        .and_then(|r| r.split(" MESH:").next())
        .expect("the help's gene: row");
    let fields: Vec<&str> = row
        .split_whitespace()
        .filter(|w| w.ends_with(':') && w.len() > 1)
        .collect();
    assert!(fields.contains(&"entity:"), "{row}");
    let queries = readme_queries();
    for field in std::iter::once("gene:").chain(fields.iter().copied()) {
        assert!(
            queries.contains(&format!("`{field}`")),
            "{field} is in the help, not in README's Queries"
        );
        let query = format!("{field}cd27");
        assert!(
            tomes::search::Query::parse_whole(&query).is_ok(),
            "{query} does not parse"
        );
    }
}

/// Corrected words can be kept as typed by quoting them: the help and README both say so
/// (the search tests check the worker does it).
#[test]
fn the_help_and_readme_say_a_quoted_word_is_searched_as_typed() {
    let help = help_text();
    assert!(
        help.contains("nor starts is searched as the nearest word"),
        "{help}"
    );
    assert!(help.contains("quoted, it is searched as typed"), "{help}");
    let queries = readme_queries()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(queries.contains("`Search \"asthma\" (12) · 2 for \"asthama\"`"));
    assert!(queries.contains(
        "Quote a word (`\"asthama\"`, or `'asthama`) to search for exactly what you typed"
    ));
}

/// The help and README say a bare year also finds that year's papers and initials after
/// a surname an author, as the parser reads them.
#[test]
fn the_help_and_readme_say_what_a_bare_year_and_initials_find() {
    let help = help_text();
    assert!(
        help.contains("a bare year also finds that year's papers; Smith JA, an author's initials"),
        "{help}"
    );
    let queries = readme_queries()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(queries.contains("a bare year from 1800 to 2100 also finds the papers of that year"));
    assert!(queries.contains("`et al` / `et al.` is ignored"));
    let also: Vec<_> = tomes::search::Query::parse_whole("Smith JA 2019")
        .unwrap()
        .terms
        .into_iter()
        .map(|t| match t.condition {
            tomes::search::query::Condition::Text(t) => t.also,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(matches!(
        also.as_slice(),
        [
            None,
            Some(tomes::search::query::AlsoFinds::Initials { .. }),
            Some(tomes::search::query::AlsoFinds::Year(2019))
        ]
    ));
}
