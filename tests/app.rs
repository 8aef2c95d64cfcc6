//! State tests: keys in, then focus, selection, history, search generations, bookmarks,
//! zoom, overlays and the keymap checked — no terminal.

mod common;

use common::{bookmark, buffer_text, copy_report, message_text, press, render, state, type_text};
use std::collections::BTreeMap;
use tomes::app::{self, Action, AppState, Effect, Key, Keymap, Overlay, Pane, Row, ViewKind};
use tomes::bookmarks::Bookmark;
use tomes::clipboard::CopyReport;
use tomes::model::{EntityKey, PaperKey};
use tomes::search::{Correction, Hit, QueryError, SearchResults};

fn selected_title(s: &AppState) -> String {
    s.selected_paper()
        .map(|p| s.library.paper(p).title.clone())
        .unwrap_or_default()
}

/// Something of each listed paper (empty for a missing bookmark).
fn listed(s: &AppState, what: impl Fn(&tomes::model::Paper) -> String) -> Vec<String> {
    s.view()
        .rows
        .iter()
        .map(|r| match r {
            Row::Paper(p) => what(s.library.paper(*p)),
            Row::MissingBookmark(_) => String::new(),
        })
        .collect()
}

fn results(generation: u64, papers: &[u32]) -> SearchResults {
    SearchResults {
        generation,
        query: String::new(),
        searched: 0,
        corrected: None,
        letters_apart: Vec::new(),
        outcome: Ok(papers
            .iter()
            .map(|&paper| Hit { paper, score: 1 })
            .collect()),
    }
}

/// The generation of the last search effect in `effects`.
fn last_generation(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::Search { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("a search effect")
}

#[test]
fn moving_selects_rows_and_stops_at_the_ends() {
    let mut s = state();
    assert_eq!(s.focus, Pane::Papers);
    press(&mut s, &["j", "j"]);
    assert_eq!(s.view().selected, 2);
    assert_eq!(
        selected_title(&s),
        "Mouse models of TP53 loss in breast cancer"
    );
    press(&mut s, &["G"]);
    assert_eq!(s.view().selected, 5);
    press(&mut s, &["j", "down"]);
    assert_eq!(s.view().selected, 5, "stays on the last row");
    press(&mut s, &["g"]);
    assert_eq!(s.view().selected, 0);
    press(&mut s, &["k", "up"]);
    assert_eq!(s.view().selected, 0, "stays on the first row");
}

#[test]
fn paging_moves_by_the_visible_rows_and_keeps_the_selection_on_screen() {
    let mut s = state();
    s.viewport.list_rows = 2;
    press(&mut s, &["pgdn"]);
    assert_eq!(s.view().selected, 2);
    assert_eq!(s.view().offset, 1, "row 2 is the last visible one");
    press(&mut s, &["ctrl-d"]);
    assert_eq!(s.view().selected, 3);
    press(&mut s, &["pgup", "ctrl-u"]);
    assert_eq!(s.view().selected, 0);
    assert_eq!(s.view().offset, 0);
}

#[test]
fn tab_cycles_focus_and_shift_tab_goes_back() {
    let mut s = state();
    press(&mut s, &["tab"]);
    assert_eq!(s.focus, Pane::Detail);
    press(&mut s, &["tab"]);
    assert_eq!(s.focus, Pane::Entities);
    press(&mut s, &["tab"]);
    assert_eq!(s.focus, Pane::Papers);
    press(&mut s, &["shift-tab"]);
    assert_eq!(s.focus, Pane::Entities);
}

#[test]
fn enter_on_a_paper_focuses_its_detail_which_scrolls() {
    let mut s = state();
    s.viewport.detail_rows = 5;
    s.viewport.detail_lines = 20;
    press(&mut s, &["enter"]);
    assert_eq!(s.focus, Pane::Detail);
    press(&mut s, &["j", "j", "j"]);
    assert_eq!(s.view().detail_scroll, 3);
    press(&mut s, &["G"]);
    assert_eq!(
        s.view().detail_scroll,
        15,
        "scrolls no further than the last page"
    );
    assert_eq!(s.view().selected, 0, "the paper selection did not move");
}

/// A second user test: at the end of the detail pane, `z` (the text laid out wider, in
/// fewer lines), `j`, `z` came back 35 lines up, in the abstract. The end is kept as the
/// end, and a key moves from where the pane shows it.
#[test]
fn the_detail_panes_end_is_kept_across_a_zoom() {
    let mut s = state();
    s.viewport.detail_rows = 11;
    s.viewport.detail_lines = 84;
    press(&mut s, &["enter", "G"]);
    assert!(s.view().detail_at_end);
    // Zoomed: 57 lines in 20 rows.
    s.viewport.detail_rows = 20;
    s.viewport.detail_lines = 57;
    press(&mut s, &["j"]);
    assert!(s.view().detail_at_end, "still at the end");
    // Back: the end again, not line 38 of 84.
    s.viewport.detail_rows = 11;
    s.viewport.detail_lines = 84;
    assert!(s.view().detail_at_end);
    // Zoomed again, `k` moves up from the end shown (37), not from 73.
    s.viewport.detail_rows = 20;
    s.viewport.detail_lines = 57;
    press(&mut s, &["k"]);
    assert_eq!(s.view().detail_scroll, 36);
    assert!(!s.view().detail_at_end);
}

/// Presses enter on the selected entity, which must be `key`, and checks the jump.
fn jump_to_selected_entity(s: &mut AppState, key: &str) {
    let entity = s.selected_entity().expect("an entity");
    assert_eq!(s.library.index().entity(entity).key, EntityKey(key.into()));
    press(s, &["enter"]);
    assert_eq!(s.view().kind, ViewKind::Entity(entity));
}

#[test]
fn jumping_to_an_entity_lists_its_papers_from_the_first() {
    let mut s = state();
    press(&mut s, &["j"]); // "TP53 mutations and CD274 upregulation..."
    press(&mut s, &["tab", "tab"]);
    assert_eq!(s.focus, Pane::Entities);
    // Genes first, the most shared first: CD274 and TP53 are in three papers each; CD274
    // sorts first by name.
    jump_to_selected_entity(&mut s, "NCBIGene:29126");
    assert_eq!(
        listed(&s, |p| p.title.clone()),
        [
            "CD274 expression predicts checkpoint response in melanoma",
            "TP53 mutations and CD274 upregulation in lung adenocarcinoma",
            "Cisplatin resistance through CD274 in ovarian cancer cells",
        ]
    );
    // Opened at its top, as a link opens a page (ut23b landed mid-list on the paper it
    // came from); Backspace goes back to that paper.
    assert_eq!(
        selected_title(&s),
        "CD274 expression predicts checkpoint response in melanoma"
    );
    assert_eq!(s.focus, Pane::Papers);
    assert_eq!(
        tomes::ui::view_title(&s),
        "papers with CD274 [NCBIGene:29126], most mentions first (3)"
    );
    press(&mut s, &["backspace"]);
    assert_eq!(
        selected_title(&s),
        "TP53 mutations and CD274 upregulation in lung adenocarcinoma"
    );
    // Back focuses the entity pane the jump left, forward the list it came back from
    // (ut24a: forward left the focus on the entities, and `j b` moved and bookmarked there).
    assert_eq!(s.focus, Pane::Entities);
    press(&mut s, &["alt-right"]);
    assert!(matches!(s.view().kind, ViewKind::Entity(_)));
    assert_eq!(s.focus, Pane::Papers);
    press(&mut s, &["tab", "alt-left"]);
    assert_eq!(s.focus, Pane::Entities);
    press(&mut s, &["alt-right"]);
    assert_eq!(s.focus, Pane::Detail);
    // A zoomed pane comes back zoomed (ut24c's entities came back unzoomed).
    press(&mut s, &["alt-left", "z"]);
    assert_eq!((s.focus, s.zoomed), (Pane::Entities, true));
    press(&mut s, &["enter"]);
    assert_eq!((s.focus, s.zoomed), (Pane::Papers, false));
    press(&mut s, &["backspace"]);
    assert_eq!((s.focus, s.zoomed), (Pane::Entities, true));
}

/// An entity only the paper being read mentions opens no list of that paper alone: it says
/// so (ut24c jumped from the seed's CD70, `1`, and got the seed back as a history step).
#[test]
fn an_entity_of_this_paper_alone_says_so_rather_than_list_it() {
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        if i == 0 {
            p.entities = vec![common::entity(
                tomes::model::EntityKind::Gene,
                "NCBIGene:970",
                "CD70",
                &[],
            )];
        }
        library.add(p);
    }
    let mut s = AppState::new(library, Keymap::defaults());
    press(&mut s, &["tab", "tab", "enter"]);
    assert_eq!(s.view().kind, ViewKind::All);
    assert_eq!(s.history.len(), 1);
    assert_eq!(message_text(&s), "no other loaded paper mentions CD70");
    assert_eq!(s.focus, Pane::Entities);
    // Esc back to the list, then with nothing to close nor go back to, says so.
    press(&mut s, &["esc"]);
    assert_eq!(s.focus, Pane::Papers);
    press(&mut s, &["esc"]);
    assert_eq!(
        message_text(&s),
        "nothing open to close, and no list before this one"
    );
}

/// `/` takes the focus to the list; Esc dropping what was typed gives it back, zoom and all
/// (ut24c pressed `/` while reading, then Esc, and `j` moved the list, not the text).
#[test]
fn esc_dropping_a_search_gives_the_focus_back() {
    let mut s = state();
    press(&mut s, &["tab"]);
    assert_eq!(s.focus, Pane::Detail);
    press(&mut s, &["/"]);
    assert_eq!(s.focus, Pane::Papers);
    type_text(&mut s, "tp53");
    press(&mut s, &["esc"]);
    assert_eq!(s.focus, Pane::Detail);
    assert!(!s.search.editing);
    // Zoomed on the entities, `/` with nothing typed.
    press(&mut s, &["tab", "z", "/"]);
    assert!(!s.zoomed);
    press(&mut s, &["esc"]);
    assert_eq!((s.focus, s.zoomed), (Pane::Entities, true));
    // A kept search edited and dropped alike; one kept with Enter keeps the list's focus.
    press(&mut s, &["z", "/"]);
    type_text(&mut s, "tp53");
    press(&mut s, &["enter", "tab", "/"]);
    type_text(&mut s, " apoptosis");
    press(&mut s, &["esc"]);
    assert_eq!(s.focus, Pane::Detail);
    assert_eq!(s.search.input, "tp53");
}

/// Enter on a paper opens it in the detail pane; Enter there says it is open already and
/// what goes further (ut23c: the status only cleared).
#[test]
fn enter_in_the_detail_pane_says_the_paper_is_open_already() {
    let mut s = state();
    press(&mut s, &["enter"]);
    assert_eq!(s.focus, Pane::Detail);
    press(&mut s, &["enter"]);
    assert_eq!(s.focus, Pane::Detail);
    assert_eq!(
        message_text(&s),
        "reading this paper already: o opens its page, tab goes to its entities, esc back \
         to the list"
    );
}

/// In an entity's list, each paper's entity pane starts on that entity: a user test jumped
/// to PDCD1's papers and found every paper's pane on its first entity.
#[test]
fn an_entity_list_selects_its_entity_in_each_paper() {
    let mut s = state();
    press(&mut s, &["j", "tab", "tab", "j"]); // TP53, the second gene of paper 1
    jump_to_selected_entity(&mut s, "NCBIGene:7157");
    let tp53 = s.selected_entity();
    for keys in [&["j"][..], &["k"], &["G"], &["g"]] {
        press(&mut s, keys);
        assert_eq!(
            s.selected_entity(),
            tp53,
            "{keys:?} to {}",
            selected_title(&s)
        );
    }
    // Moved in the pane, it stays where moved until another paper is selected.
    press(&mut s, &["tab", "tab", "k"]);
    assert_ne!(s.selected_entity(), tp53);
    press(&mut s, &["shift-tab", "shift-tab", "j"]);
    assert_eq!(s.selected_entity(), tp53);
    // Back, the focus is where it was when the jump left (the entity pane); other lists
    // start on the first entity.
    press(&mut s, &["backspace"]);
    assert_eq!(s.focus, Pane::Entities);
    press(&mut s, &["esc", "j"]);
    assert_eq!(s.view().entity_cursor, 0);
    // A search's entity term: the entity it names (ut22b's `gene:cdk4` selected CDKN2A).
    let mut s = state();
    press(&mut s, &["/"]);
    let typed = type_text(&mut s, "gene:tp53");
    s.apply_search_results(results(last_generation(&typed), &[1, 2, 3]));
    assert_eq!(s.selected_entity(), tp53, "{}", selected_title(&s));
    press(&mut s, &["down"]);
    assert_eq!(s.selected_entity(), tp53, "{}", selected_title(&s));
}

/// A jump lists the papers that mention the entity most first (ties in library order), the
/// first selected wherever that puts the paper jumped from.
#[test]
fn a_jump_lists_the_papers_mentioning_the_entity_most_first() {
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        for e in &mut p.entities {
            if e.key == EntityKey("NCBIGene:29126".into()) {
                // CD274: twice in paper 0 (the fixture's), once in 1, five times in 3.
                e.mentions = [2, 1, 0, 5][i];
            }
        }
        library.add(p);
    }
    let mut s = AppState::new(library, Keymap::defaults());
    press(&mut s, &["j", "tab", "tab"]);
    jump_to_selected_entity(&mut s, "NCBIGene:29126");
    assert_eq!(
        listed(&s, |p| p.title.clone()),
        [
            "Cisplatin resistance through CD274 in ovarian cancer cells",
            "CD274 expression predicts checkpoint response in melanoma",
            "TP53 mutations and CD274 upregulation in lung adenocarcinoma",
        ]
    );
    assert_eq!(
        selected_title(&s),
        "Cisplatin resistance through CD274 in ovarian cancer cells",
        "the paper that mentions it most"
    );
    let text = buffer_text(&render(&mut s, 80, 24));
    assert!(
        text.contains("┌ papers with CD274 [NCBIGene:29126], most mentions first (3) "),
        "{text}"
    );
}

#[test]
fn jumping_to_the_list_on_screen_adds_no_history_step() {
    let mut s = state();
    press(&mut s, &["j", "tab", "tab"]);
    jump_to_selected_entity(&mut s, "NCBIGene:29126");
    assert_eq!(s.history.len(), 2);
    // The same entity again, from another of its papers: no second step to Backspace over.
    press(&mut s, &["j", "tab", "tab"]);
    jump_to_selected_entity(&mut s, "NCBIGene:29126");
    assert_eq!(s.history.len(), 2);
    assert_eq!(s.focus, Pane::Papers);
    let said = s
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("already listing"), "{said}");
    press(&mut s, &["backspace"]);
    assert_eq!(s.view().kind, ViewKind::All);
}

/// The query the last search effect in `effects` asked for.
fn last_query(effects: &[Effect]) -> String {
    effects
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::Search { query, .. } => Some(query.clone()),
            _ => None,
        })
        .expect("a search effect")
}

#[test]
fn slash_on_an_entitys_papers_or_the_bookmarks_searches_within_them() {
    let mut s = state();
    press(&mut s, &["j", "tab", "tab"]);
    jump_to_selected_entity(&mut s, "NCBIGene:29126");
    press(&mut s, &["/"]);
    assert_eq!(s.search.input.as_str(), "NCBIGene:29126 ");
    let said = s
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert_eq!(
        said,
        "ctrl-u searches the whole library; now within the papers with CD274"
    );
    // Until a key is typed the list is the entity's; Esc leaves it as it was.
    press(&mut s, &["esc"]);
    assert!(matches!(s.view().kind, ViewKind::Entity(_)));
    assert_eq!(s.view().rows.len(), 3);
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "'cancer");
    let query = last_query(&effects);
    assert_eq!(query, "NCBIGene:29126 'cancer");
    // What the worker answers: the entity's one cancer paper, not the library's.
    let hits = tomes::search::search_library(&s.library, &query).expect("query parses");
    let titles: Vec<&str> = hits
        .iter()
        .map(|h| s.library.paper(h.paper).title.as_str())
        .collect();
    assert_eq!(
        titles,
        ["Cisplatin resistance through CD274 in ovarian cancer cells"]
    );
    let everywhere = tomes::search::search_library(&s.library, "'cancer").unwrap();
    assert!(everywhere.len() > hits.len(), "{everywhere:?}");
    // Ctrl-u: the whole library.
    let effects = press(&mut s, &["ctrl-u"]);
    assert_eq!(last_query(&effects), "");

    // An entity without an id: its kind and name, not its internal key.
    let mut library = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        if i < 2 {
            p.entities = vec![tomes::model::PaperEntity {
                key: EntityKey::name_only(tomes::model::EntityKind::Disease, "Baboon syndrome"),
                kind: tomes::model::EntityKind::Disease,
                name: "Baboon syndrome".into(),
                description: None,
                aliases: Vec::new().into(),
                mentions: 1,
                spans: Vec::new().into(),
                named_by_group: false,
                name_weight: 1,
            }];
        }
        library.add(p);
    }
    let mut s = AppState::new(library, Keymap::defaults());
    press(&mut s, &["tab", "tab", "enter", "/"]);
    assert!(matches!(s.view().kind, ViewKind::Entity(_)));
    assert_eq!(s.search.input.as_str(), "disease:\"Baboon syndrome\" ");
    let query = s.search.input.as_str().to_owned();
    let hits = tomes::search::search_library(&s.library, &query).expect("query parses");
    assert_eq!(hits.len(), 2, "the entity's two papers");

    // On the bookmarks, the bookmarked papers.
    let mut s = state();
    press(&mut s, &["B", "/"]);
    assert_eq!(s.search.input.as_str(), "is:bookmarked ");
    // On every paper and on a related list, the whole library.
    let mut s = state();
    press(&mut s, &["/"]);
    assert_eq!(s.search.input.as_str(), "");
}

#[test]
fn an_edited_search_is_a_step_of_its_own_and_drops_what_was_reached_from_the_old_one() {
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "cd274");
    press(&mut s, &["enter", "tab", "tab"]);
    let entity = s.selected_entity().expect("an entity");
    press(&mut s, &["enter"]);
    assert_eq!(s.view().kind, ViewKind::Entity(entity));
    assert_eq!((s.history_pos, s.history.len()), (2, 3));
    // Back to the search, edited and accepted: a step of its own after the old search;
    // the entity list, reached from the old query, is gone.
    press(&mut s, &["backspace", "/", "end"]);
    type_text(&mut s, " melanoma");
    press(&mut s, &["enter"]);
    assert_eq!((s.history_pos, s.history.len()), (2, 3));
    assert_eq!(
        s.view().kind,
        ViewKind::Search {
            query: "cd274 melanoma".into()
        }
    );
    // Going back shows the old search, asked again.
    let effects = press(&mut s, &["backspace"]);
    assert_eq!(
        s.view().kind,
        ViewKind::Search {
            query: "cd274".into()
        }
    );
    assert_eq!(s.search.input.as_str(), "cd274");
    assert!(
        matches!(&effects[..], [Effect::Search { query, .. }] if query == "cd274"),
        "{effects:?}"
    );
    press(&mut s, &["alt-right"]);
    assert_eq!(
        s.view().kind,
        ViewKind::Search {
            query: "cd274 melanoma".into()
        }
    );
    // Edited back to what it was (or left with Esc), nothing is dropped.
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "cd274");
    press(
        &mut s,
        &["enter", "tab", "tab", "enter", "backspace", "/", "end"],
    );
    type_text(&mut s, "x");
    press(&mut s, &["backspace", "enter"]);
    assert_eq!(s.history.len(), 3);
    press(&mut s, &["/"]);
    type_text(&mut s, "x");
    press(&mut s, &["esc"]);
    assert_eq!(s.history.len(), 3);
}

#[test]
fn back_and_forward_restore_each_views_selection() {
    let mut s = state();
    press(&mut s, &["j", "j", "j"]); // Cisplatin ... CD274 (row 3)
    press(&mut s, &["tab", "tab", "enter"]); // jump to CD274, its first paper selected
    assert_eq!(s.view().selected, 0);
    press(&mut s, &["j"]);
    assert_eq!(s.view().selected, 1);
    press(&mut s, &["backspace"]);
    assert_eq!(s.view().kind, ViewKind::All);
    assert_eq!(s.view().selected, 3, "the all-papers view remembers row 3");
    press(&mut s, &["alt-right"]);
    assert!(matches!(s.view().kind, ViewKind::Entity(_)));
    assert_eq!(s.view().selected, 1, "the entity view remembers its row");
    press(&mut s, &["alt-left"]);
    assert_eq!(s.history_pos, 0);
    // A new view drops the forward history, like a browser.
    press(&mut s, &["B"]);
    assert_eq!(s.history.len(), 2);
    assert_eq!(s.view().kind, ViewKind::Bookmarks);
    press(&mut s, &["alt-right"]);
    assert_eq!(s.view().kind, ViewKind::Bookmarks);
}

#[test]
fn related_lists_papers_sharing_entities_rarest_first() {
    let mut s = state();
    press(&mut s, &["j", "j"]); // Mouse models of TP53 loss: shares only TP53
    press(&mut s, &["r"]);
    let p = s.library.find("PMID:100003").expect("fixture");
    assert_eq!(s.view().kind, ViewKind::Related(p));
    assert_eq!(
        listed(&s, |p| p.key.to_string()),
        ["PMID:100001", "PMID:100002"]
    );
    // The zebrafish paper shares nothing: no empty view is pushed.
    press(&mut s, &["backspace", "G", "r"]);
    assert_eq!(s.view().kind, ViewKind::All);
    assert!(
        s.message
            .as_ref()
            .is_some_and(|m| m.text.contains("no related"))
    );
}

#[test]
fn typing_a_search_sends_a_new_generation_per_key_and_drops_stale_results() {
    let mut s = state();
    press(&mut s, &["j"]);
    press(&mut s, &["/"]);
    assert!(s.search.editing);
    let effects = type_text(&mut s, "tp");
    assert_eq!(effects.len(), 2, "one query per key: {effects:?}");
    let first = match &effects[0] {
        Effect::Search {
            generation, query, ..
        } => {
            assert_eq!(query, "t");
            *generation
        }
        other => panic!("expected a search, got {other:?}"),
    };
    let second = last_generation(&effects);
    assert!(second > first);
    assert!(matches!(s.view().kind, ViewKind::Search { ref query } if query == "tp"));
    // `q` and `j` are typed, not quit or move.
    let effects = type_text(&mut s, "q");
    assert!(!effects.contains(&Effect::Quit));
    assert_eq!(s.search.input, "tpq");
    let newest = last_generation(&effects);
    press(&mut s, &["backspace"]);
    let newest = newest.max(s.search.generation);

    // An answer to an older query is dropped.
    s.apply_search_results(results(second, &[5]));
    assert_eq!(s.view().rows.len(), 6, "stale results are ignored");
    // The newest one is shown with its top hit selected (a changed query).
    s.apply_search_results(results(newest, &[2, 1]));
    assert_eq!(s.view().rows, vec![Row::Paper(2), Row::Paper(1)]);
    assert_eq!(s.view().selected, 0, "the top hit is selected");

    press(&mut s, &["enter"]);
    assert!(!s.search.editing);
    assert_eq!(s.focus, Pane::Papers);
    assert_eq!(s.view().rows.len(), 2, "enter keeps the filter");
    press(&mut s, &["esc"]);
    assert_eq!(s.view().kind, ViewKind::All, "esc clears the filter");
    assert_eq!(s.view().selected, 1);
    assert!(s.search.input.is_empty());
}

/// The list's title quotes the query once, whatever it holds: a phrase's own quotes were
/// doubled (`Search ""breast cancer""`).
#[test]
fn a_search_title_quotes_the_query_once() {
    for (typed, title) in [
        ("brca1", "Search \"brca1\" (1)"),
        ("\"breast cancer\"", "Search «\"breast cancer\"» (1)"),
        ("title:\"a b\" «c»", "Search “title:\"a b\" «c»” (1)"),
        ("'tp53 ", "Search \"'tp53\" (1)"),
    ] {
        let mut s = state();
        press(&mut s, &["/"]);
        let effects = type_text(&mut s, typed);
        s.apply_search_results(results(last_generation(&effects), &[2]));
        assert_eq!(tomes::ui::view_title(&s), title, "{typed}");
    }
}

/// A query that found nothing and was run corrected says so, naming both.
#[test]
fn a_corrected_search_names_what_was_typed_and_what_was_searched() {
    let mut s = state();
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "apoptusis");
    let mut answer = results(last_generation(&effects), &[2]);
    answer.corrected = Some(Correction {
        query: "apoptosis".into(),
        found_as_typed: 0,
    });
    s.apply_search_results(answer);
    assert_eq!(
        tomes::ui::view_title(&s),
        "Search \"apoptosis\" (1) · none for \"apoptusis\""
    );
    // The next answer, found as typed, is titled as typed.
    let effects = type_text(&mut s, "x");
    s.apply_search_results(results(last_generation(&effects), &[2]));
    assert_eq!(tomes::ui::view_title(&s), "Search \"apoptusisx\" (1)");
}

/// A near miss that found a few papers as typed, run corrected, says how many it found.
#[test]
fn a_corrected_near_miss_says_what_it_found_as_typed() {
    let mut s = state();
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "asthama");
    let mut answer = results(last_generation(&effects), &[1, 2]);
    answer.corrected = Some(Correction {
        query: "asthma".into(),
        found_as_typed: 1234,
    });
    s.apply_search_results(answer);
    let title = "Search \"asthma\" (2) · 1,234 for \"asthama\"";
    assert_eq!(tomes::ui::view_title(&s), title);
    assert_eq!(s.view().rows.len(), 2, "the correction's papers are listed");
}

/// A user test: `covid` listed 7 papers, all with its letters apart ("Color vision
/// defects…"), and nothing said that none of them holds the word. The title says so, within
/// 80 columns; the next answer, found as typed, is titled plainly.
#[test]
fn a_word_found_only_by_its_letters_apart_says_so_in_the_title() {
    let mut s = state();
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "covid");
    let mut answer = results(last_generation(&effects), &[1, 2]);
    answer.letters_apart = vec!["covid".into()];
    s.apply_search_results(answer);
    let title = "Search \"covid\" (2) · none say \"covid\"; letters apart";
    assert_eq!(tomes::ui::view_title(&s), title);
    assert!(
        title.chars().count() <= 76,
        "fits an 80-column pane's border"
    );
    let effects = type_text(&mut s, "x");
    s.apply_search_results(results(last_generation(&effects), &[2]));
    assert_eq!(tomes::ui::view_title(&s), "Search \"covidx\" (1)");
}

#[test]
fn a_query_error_is_shown_and_the_list_is_kept() {
    let mut s = state();
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "gene:");
    let generation = last_generation(&effects);
    s.apply_search_results(SearchResults {
        generation,
        query: "gene:".into(),
        searched: 0,
        corrected: None,
        letters_apart: Vec::new(),
        outcome: Err(QueryError {
            message: "gene: needs a value".into(),
        }),
    });
    assert_eq!(s.search.error.as_deref(), Some("gene: needs a value"));
    assert_eq!(s.view().rows.len(), 6, "the list is not emptied");
    let effects = type_text(&mut s, "x");
    s.apply_search_results(results(last_generation(&effects), &[0]));
    assert_eq!(s.search.error, None, "a good answer clears the error");
}

/// A line with an error lists what its longest valid start finds, and the title names that
/// query: typed in one burst, `brca1 OR brca2` showed the whole library, and `year:abc`
/// after ctrl-u a query deleted long before (`showing "bq"`).
#[test]
fn a_query_error_lists_what_the_valid_start_of_the_line_finds() {
    let mut s = state();
    press(&mut s, &["/"]);
    // One burst: no answer arrives between the keys.
    let effects = type_text(&mut s, "tp53 OR cd274");
    assert_eq!(last_query(&effects), "tp53", "the valid start is sent");
    let error = s.search.error.clone().unwrap_or_default();
    assert!(error.contains("OR is not supported"), "at once: {error}");
    assert_eq!(
        tomes::ui::view_title(&s),
        "Search — query error; showing previous list (6)",
        "nothing answered yet"
    );
    s.apply_search_results(results(last_generation(&effects), &[1, 2]));
    assert!(s.search.error.is_some(), "kept: the line still has it");
    assert_eq!(
        tomes::ui::view_title(&s),
        "Search — query error; showing \"tp53\" (2)"
    );
    // Cleared, then a query whose first word has the error: every paper, and it says so.
    press(&mut s, &["ctrl-u"]);
    let effects = type_text(&mut s, "year:abc");
    assert_eq!(last_query(&effects), "");
    s.apply_search_results(results(last_generation(&effects), &[0, 1, 2, 3, 4, 5]));
    assert_eq!(
        tomes::ui::view_title(&s),
        "Search — query error; showing all papers (6)"
    );
    // An unfinished term kept with Enter (`title:`): the rows are those of the line as
    // typed, which leaves it out: every paper, said so (ut22 read `showing "title:"`).
    let mut t = state();
    press(&mut t, &["/"]);
    let effects = type_text(&mut t, "title:");
    t.apply_search_results(results(last_generation(&effects), &[0, 1, 2, 3, 4, 5]));
    press(&mut t, &["enter"]);
    assert!(t.search.error.is_some());
    assert_eq!(
        tomes::ui::view_title(&t),
        "Search — query error; showing all papers (6)"
    );
    // Fixed, the line itself is sent and its answer clears the error.
    let mut effects = press(&mut s, &["backspace", "backspace", "backspace"]);
    effects.extend(type_text(&mut s, "2020"));
    assert_eq!(last_query(&effects), "year:2020");
    s.apply_search_results(results(last_generation(&effects), &[4]));
    assert_eq!(s.search.error, None);
    assert_eq!(tomes::ui::view_title(&s), "Search \"year:2020\" (1)");
    assert_eq!(
        tomes::app::longest_valid_start("cancer \"two words\" year:20x brca"),
        "cancer \"two words\""
    );
}

/// A user test pasted a title with " - " in it and the search line showed `'-' needs a word
/// after it`: a dash standing alone is punctuation, at no key an error, and Enter keeps the
/// query. One of nothing but a dash asks nothing, and says so on Enter.
#[test]
fn a_dash_standing_alone_in_the_search_line_is_no_error() {
    let mut s = state();
    press(&mut s, &["/"]);
    for c in "tp53 - mice".chars() {
        let effects = type_text(&mut s, &c.to_string());
        assert_eq!(s.search.error, None, "at {:?}", s.search.input.as_str());
        assert_eq!(last_query(&effects), s.search.input.as_str());
    }
    press(&mut s, &["enter"]);
    assert!(!s.search.editing, "accepted");
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "-");
    assert_eq!(s.search.error, None, "-word on its way");
    press(&mut s, &["enter"]);
    assert!(s.search.editing, "refused");
    let error = s.search.error.clone().unwrap_or_default();
    assert!(error.contains("nothing to search"), "{error}");
}

/// Enter on a query with an error keeps the search line open and says why; Esc then drops
/// the search, and no step of the history is left showing the list from before it.
#[test]
fn enter_on_a_query_with_an_error_is_refused() {
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "year:abc");
    press(&mut s, &["enter"]);
    assert!(s.search.editing, "still typing");
    let message = s.message.as_ref().expect("a message");
    assert!(message.is_error, "{}", message.text);
    let error = s.search.error.clone().unwrap_or_default();
    assert!(error.contains("year:abc"), "{error}");
    press(&mut s, &["esc"]);
    assert!(!s.search.editing);
    assert_eq!(s.history.len(), 1, "no view left for the bad query");
    // A good query is accepted.
    press(&mut s, &["/"]);
    type_text(&mut s, "year:2020..");
    press(&mut s, &["enter"]);
    assert!(!s.search.editing);
    assert_eq!(s.focus, Pane::Papers);
    // A term typing leaves out (a year cut short, a field without a value) is refused on
    // Enter: kept, the title would claim a filter that does nothing.
    for unfinished in ["cancer year:202", "title:"] {
        let mut s = state();
        press(&mut s, &["/"]);
        type_text(&mut s, unfinished);
        press(&mut s, &["enter"]);
        assert!(s.search.editing, "{unfinished}: still typing");
        let message = s.message.as_ref().expect("a message");
        assert!(message.is_error, "{unfinished}: {}", message.text);
        // The reason is on the search line, whole, as any query error is.
        let error = s.search.error.clone().unwrap_or_default();
        assert!(
            error.contains("needs a value") || error.contains("not a year"),
            "{error}"
        );
    }
    // Only a word that every query says (AND) is no search either.
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "AND");
    press(&mut s, &["enter"]);
    assert_eq!(s.history.len(), 1);
    // An emptied line kept is no search step.
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "tp53");
    press(&mut s, &["ctrl-u", "enter"]);
    assert!(!s.search.editing);
    assert_eq!(s.view().kind, ViewKind::All);
    assert_eq!(s.history.len(), 1);
}

/// The search line edits as a shell's line does: the cursor moves by character and word,
/// typing and deleting happen where it is, and each change searches again.
#[test]
fn the_search_line_edits_at_its_cursor() {
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "brca tumor");
    press(&mut s, &["left", "left"]);
    let effects = type_text(&mut s, "x");
    assert_eq!(s.search.input, "brca tumxor");
    assert!(last_generation(&effects) > 0, "a change searches again");
    press(&mut s, &["home", "delete"]);
    assert_eq!(s.search.input, "rca tumxor");
    type_text(&mut s, "b");
    press(&mut s, &["ctrl-right", "ctrl-right"]);
    assert_eq!(s.search.input.cursor(), "brca tumxor".len());
    press(&mut s, &["alt-backspace"]);
    assert_eq!(s.search.input, "brca ");
    type_text(&mut s, "gene:tp53");
    press(&mut s, &["ctrl-left", "ctrl-w"]);
    assert_eq!(s.search.input, "gene:tp53");
    assert_eq!(s.search.input.cursor(), 0);
    press(&mut s, &["end", "left", "left", "ctrl-k"]);
    assert_eq!(s.search.input, "gene:tp");
    press(&mut s, &["ctrl-a", "backspace"]);
    assert_eq!(s.search.input, "gene:tp", "nothing before the cursor");
    // A moved cursor alone changes nothing to search.
    assert!(press(&mut s, &["right", "ctrl-e", "alt-b", "alt-f"]).is_empty());
    assert_eq!(
        s.view().kind,
        ViewKind::Search {
            query: "gene:tp".into()
        }
    );
}

/// A user test: `/ketanserin` Enter, then `/muller`, searched `ketanserinmuller`. `/` on a
/// kept search shows its query selected, as a browser's address bar does: the first
/// character typed or a paste replaces it (a new search, Enter a step after the old one,
/// Esc the old one back); a cursor key, Backspace, Delete or ctrl-w edit it instead.
#[test]
fn slash_on_a_kept_search_selects_its_query_for_typing_over() {
    let kept = |keys: &[&str]| {
        let mut s = state();
        press(&mut s, &["/"]);
        type_text(&mut s, "ketanserin");
        press(&mut s, &["enter"]);
        press(&mut s, keys);
        s
    };
    let query = |s: &AppState| match &s.view().kind {
        ViewKind::Search { query } => query.clone(),
        other => panic!("{other:?}"),
    };
    let mut s = kept(&["/"]);
    assert!(s.search.editing && s.search.input.is_selected());
    assert_eq!(s.search.input.cursor(), "ketanserin".len());
    type_text(&mut s, "muller");
    assert_eq!(query(&s), "muller");
    assert!(!s.search.input.is_selected());
    press(&mut s, &["enter"]);
    assert_eq!(
        (s.history_pos, s.history.len()),
        (2, 3),
        "a step of its own"
    );
    press(&mut s, &["backspace"]);
    assert_eq!(query(&s), "ketanserin");
    // Esc puts the kept query back.
    let mut s = kept(&["/"]);
    type_text(&mut s, "m");
    press(&mut s, &["esc"]);
    assert_eq!((query(&s), s.search.editing), ("ketanserin".into(), false));
    // Editing keys keep the query: each moves or deletes from its end, but Left goes to its
    // start, as a text field's does with text selected (ut24a's Left, then ` tumor`, read
    // `gene:pdcd tumor1`).
    for (keys, text, want) in [
        (&["end"][..], "x", "ketanserinx"),
        (&["right"], "x", "ketanserinx"),
        (&["left"], "x", "xketanserin"),
        (&["left", "right"], "x", "kxetanserin"),
        (&["home"], "x", "xketanserin"),
        (&["ctrl-a"], "x", "xketanserin"),
        (&["ctrl-left"], "x", "xketanserin"),
        (&["ctrl-w"], "x", "x"),
        (&["backspace"], "x", "x"),
        (&["delete"], "x", "x"),
        (&["ctrl-u"], "x", "x"),
    ] {
        let mut s = kept(&["/"]);
        press(&mut s, keys);
        assert!(!s.search.input.is_selected(), "{keys:?}");
        type_text(&mut s, text);
        assert_eq!(query(&s), want, "{keys:?}");
    }
    // Backspace on the selection clears the line: the list of every paper, searched anew.
    let mut s = kept(&["/"]);
    let effects = press(&mut s, &["backspace"]);
    assert_eq!(s.search.input.as_str(), "");
    assert_eq!(last_query(&effects), "");
    // A paste replaces the selected query, as typing does and as a text field's paste does
    // (a user test's paste was added to it); while browsing, as `/` then the paste (ut24c's
    // PMID pasted on a kept search was added to it and found nothing).
    let mut s = kept(&["/"]);
    app::update(&mut s, Action::SearchPaste("muller".into()));
    assert_eq!(query(&s), "muller");
    assert!(!s.search.input.is_selected());
    let mut s = kept(&[]);
    app::update(&mut s, Action::SearchPaste("muller".into()));
    assert_eq!(query(&s), "muller");
    // Among words, a paste's first or last space stays one (ut24e: `brca2ovarian`); a
    // paste that is the whole line is trimmed.
    let mut s = kept(&["/"]);
    app::update(&mut s, Action::SearchPaste("  brca2 ".into()));
    assert_eq!(query(&s), "brca2");
    app::update(&mut s, Action::SearchPaste(" ovarian".into()));
    assert_eq!(query(&s), "brca2 ovarian");
    press(&mut s, &["home"]);
    app::update(&mut s, Action::SearchPaste("X ".into()));
    assert_eq!(query(&s), "X brca2 ovarian");
    // Up and Down move in the list and leave the selection.
    let s = kept(&["/", "down"]);
    assert!(s.search.input.is_selected());
    // A line that starts with the term listing an entity's papers is not selected: words
    // typed search within them.
    let mut s = state();
    press(&mut s, &["B", "/"]);
    assert!(!s.search.input.is_selected());
    // A kept search within the bookmarks: only the words after `is:bookmarked ` are
    // selected, and typing replaces them, still within the bookmarks (a user test's `tamox`
    // searched the whole library).
    type_text(&mut s, "lith");
    press(&mut s, &["enter", "/"]);
    assert_eq!(s.search.input.selected_from(), Some("is:bookmarked ".len()));
    type_text(&mut s, "tamox");
    assert_eq!(query(&s), "is:bookmarked tamox");
    assert_eq!(s.search_limited_to(), Some("the bookmarks"));
    // A paste there replaces only the selected words too.
    press(&mut s, &["enter", "/"]);
    app::update(&mut s, Action::SearchPaste("lith".into()));
    assert_eq!(query(&s), "is:bookmarked lith");
    press(&mut s, &["enter", "/", "backspace"]);
    assert_eq!(s.search.input.as_str(), "is:bookmarked ");
}

#[test]
fn backspace_in_an_empty_search_line_makes_no_view() {
    let mut s = state();
    press(&mut s, &["/"]);
    assert!(press(&mut s, &["backspace"]).is_empty());
    assert_eq!(s.history.len(), 1);
}

#[test]
fn escape_while_typing_drops_results_still_on_their_way() {
    let mut s = state();
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "zebra");
    let generation = last_generation(&effects);
    press(&mut s, &["esc"]);
    s.apply_search_results(results(generation, &[5]));
    assert_eq!(s.view().kind, ViewKind::All);
    assert_eq!(s.view().rows.len(), 6);
}

#[test]
fn b_asks_to_toggle_the_selected_papers_bookmark() {
    let mut s = state();
    press(&mut s, &["j"]);
    let effects = press(&mut s, &["b"]);
    assert_eq!(
        effects,
        vec![Effect::ToggleBookmark {
            key: PaperKey("PMID:100002".into()),
            title: "TP53 mutations and CD274 upregulation in lung adenocarcinoma".into(),
        }]
    );
    // The store saved it: the state shows it and says so.
    let bookmark = bookmark(
        "PMID:100002",
        "TP53 mutations and CD274 upregulation in lung adenocarcinoma",
    );
    let key = PaperKey("PMID:100002".into());
    s.bookmark_toggled(&key, "TP53 mutations", Ok(true), vec![bookmark.clone()]);
    assert!(s.is_bookmarked(&PaperKey("PMID:100002".into())));
    assert!(s.message.as_ref().is_some_and(|m| !m.is_error));
    // A failed save is an error message.
    s.bookmark_toggled(
        &key,
        "TP53 mutations",
        Err("read-only folder".into()),
        vec![bookmark],
    );
    let message = s.message.clone().expect("a message");
    assert!(message.is_error);
    assert!(message.text.contains("read-only folder"));
}

#[test]
fn the_bookmarks_view_lists_unloaded_bookmarks_too() {
    let mut s = state();
    s.set_bookmarks(vec![
        bookmark("PMID:999", "A paper not in this library"),
        bookmark("PMID:100004", "Cisplatin resistance"),
    ]);
    press(&mut s, &["B"]);
    assert_eq!(s.view().kind, ViewKind::Bookmarks);
    let p = s.library.find("PMID:100004").expect("fixture");
    assert_eq!(s.view().rows, vec![Row::MissingBookmark(0), Row::Paper(p)]);
    // Unbookmarking the missing one is possible.
    let effects = press(&mut s, &["b"]);
    assert!(
        matches!(&effects[..], [Effect::ToggleBookmark { key, .. }] if key.as_str() == "PMID:999")
    );
}

#[test]
fn zoom_toggles_and_escape_unzooms() {
    let mut s = state();
    press(&mut s, &["tab", "z"]);
    assert!(s.zoomed);
    assert_eq!(s.focus, Pane::Detail);
    press(&mut s, &["z"]);
    assert!(!s.zoomed);
    press(&mut s, &["z", "esc"]);
    assert!(!s.zoomed);
}

/// A user test zoomed the entities pane, picked CD27 and pressed Enter: its papers filled
/// the screen, the detail and entities hidden until Esc. A key that opens a list from
/// another pane ends that pane's zoom; a zoomed list stays zoomed.
#[test]
fn a_list_opened_from_a_zoomed_pane_is_not_zoomed() {
    for (zoom, key) in [
        (&["tab", "tab", "z"][..], "enter"),
        (&["tab", "tab", "z"], "r"),
        (&["tab", "z"], "B"),
    ] {
        let mut s = state();
        press(&mut s, zoom);
        assert!(s.zoomed, "{zoom:?}");
        press(&mut s, &[key]);
        assert_eq!(s.focus, Pane::Papers, "{zoom:?} {key}");
        assert!(!s.zoomed, "{zoom:?} {key}");
    }
    let mut s = state();
    press(&mut s, &["tab", "z", "/"]);
    assert!(!s.zoomed, "a search from a zoomed detail");
    let mut s = state();
    press(&mut s, &["z", "r"]);
    assert!(s.zoomed, "a zoomed list stays zoomed");
    press(&mut s, &["/"]);
    assert!(s.zoomed, "a zoomed list stays zoomed");
}

#[test]
fn escape_unzooms_a_paper_of_a_search_before_leaving_the_search() {
    // A user test: `/pdl1` Enter, `j` Enter, `z`, Esc went back in the history (the zoomed
    // paper swapped for another) and only a second Esc un-zoomed.
    let mut s = state();
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "tp53");
    s.apply_search_results(results(last_generation(&effects), &[1, 2, 4]));
    press(&mut s, &["enter", "j", "enter", "z"]);
    assert!(s.zoomed);
    let reading = s.selected_paper();
    press(&mut s, &["esc"]);
    assert!(!s.zoomed, "Esc un-zooms first");
    assert!(matches!(s.view().kind, ViewKind::Search { .. }));
    assert_eq!(s.selected_paper(), reading, "the same paper is still shown");
    assert_eq!(s.focus, Pane::Detail);
    press(&mut s, &["esc"]);
    assert_eq!(s.focus, Pane::Papers, "then Esc comes back to the list");
    assert!(matches!(s.view().kind, ViewKind::Search { .. }));
    assert_eq!(s.selected_paper(), reading);
    press(&mut s, &["esc"]);
    assert_eq!(s.view().kind, ViewKind::All, "then Esc leaves the search");
}

#[test]
fn escape_leaves_the_bookmarks_an_entity_and_related_lists_as_backspace_does() {
    let mut s = state();
    press(&mut s, &["j"]);
    press(&mut s, &["B"]);
    assert_eq!(s.view().kind, ViewKind::Bookmarks);
    press(&mut s, &["esc"]);
    assert_eq!(s.view().kind, ViewKind::All, "Esc leaves the bookmarks");
    assert_eq!(s.view().selected, 1, "where it was");
    press(&mut s, &["alt-right"]);
    assert_eq!(
        s.view().kind,
        ViewKind::Bookmarks,
        "and alt-right comes back"
    );
    press(&mut s, &["esc", "r"]);
    assert!(matches!(s.view().kind, ViewKind::Related(_)));
    press(&mut s, &["esc"]);
    assert_eq!(
        s.view().kind,
        ViewKind::All,
        "Esc leaves the related papers"
    );
    press(&mut s, &["tab", "tab", "enter"]);
    assert!(matches!(s.view().kind, ViewKind::Entity(_)));
    press(&mut s, &["esc"]);
    assert_eq!(
        s.view().kind,
        ViewKind::All,
        "Esc leaves an entity's papers"
    );
    press(&mut s, &["esc"]);
    assert_eq!(
        s.view().kind,
        ViewKind::All,
        "nothing before the whole list"
    );
}

#[test]
fn going_back_from_a_refined_search_comes_back_to_the_paper_selected_before() {
    // A user test: `/tp53` Enter at 1/51, `/` ` apoptosis` Enter, then Esc came back to
    // `tp53` at 38/51, the paper selected in the narrower list.
    let mut s = state();
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "tp53");
    s.apply_search_results(results(last_generation(&effects), &[1, 2, 4, 5]));
    press(&mut s, &["enter", "j"]);
    assert_eq!(s.view().selected, 1);
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, " x");
    s.apply_search_results(results(last_generation(&effects), &[5]));
    let effects = press(&mut s, &["enter", "esc"]);
    assert_eq!(
        s.view().kind,
        ViewKind::Search {
            query: "tp53".into()
        }
    );
    s.apply_search_results(results(last_generation(&effects), &[1, 2, 4, 5]));
    assert_eq!(s.view().selected, 1, "the paper selected in tp53's list");
    assert_eq!(s.selected_paper(), Some(2));
    // Forward keeps the refined one's own selection.
    let effects = press(&mut s, &["alt-right"]);
    s.apply_search_results(results(last_generation(&effects), &[5]));
    assert_eq!(s.selected_paper(), Some(5));
}

#[test]
fn escape_from_editing_a_search_comes_back_to_the_paper_selected_before() {
    let mut s = state();
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "tp53");
    s.apply_search_results(results(last_generation(&effects), &[1, 2, 4, 5]));
    press(&mut s, &["enter", "j", "j"]);
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, " x");
    s.apply_search_results(results(last_generation(&effects), &[5]));
    let effects = press(&mut s, &["esc"]);
    assert_eq!(
        s.view().kind,
        ViewKind::Search {
            query: "tp53".into()
        }
    );
    s.apply_search_results(results(last_generation(&effects), &[1, 2, 4, 5]));
    assert_eq!(
        s.selected_paper(),
        Some(4),
        "the paper selected before the edit"
    );
}

#[test]
fn help_overlay_takes_the_keys_until_closed() {
    let mut s = state();
    press(&mut s, &["?"]);
    assert_eq!(s.overlay, Some(Overlay::Help));
    s.viewport.overlay_rows = 5;
    s.viewport.overlay_lines = 30;
    press(&mut s, &["j", "j"]);
    assert_eq!(s.overlay_scroll, 2);
    assert_eq!(s.view().selected, 0, "the list did not move");
    // q closes the overlay rather than quitting.
    let effects = press(&mut s, &["q"]);
    assert!(effects.is_empty());
    assert_eq!(s.overlay, None);
    press(&mut s, &["p"]);
    assert_eq!(s.overlay, Some(Overlay::Problems));
    press(&mut s, &["esc"]);
    assert_eq!(s.overlay, None);
}

/// README said `q` quits while `q` in the help closed it, and the hints named only esc: in
/// every overlay `q` closes it (as a pager's does), ctrl-c quits, and the hints say `q/esc`.
#[test]
fn q_closes_every_overlay_and_the_hints_say_so() {
    let url_shown = |s: &mut AppState| {
        s.opened(
            "no display to open a browser on: URL shown instead",
            Some(("https://doi.org/x".into(), &copy_report(true, false, false))),
        );
    };
    for (open, overlay) in [
        ("?", Overlay::Help),
        ("p", Overlay::Problems),
        ("y", Overlay::CopyMenu),
        ("e", Overlay::ExportMenu),
        ("", Overlay::Url),
    ] {
        let mut s = state();
        if open.is_empty() {
            url_shown(&mut s);
        } else {
            press(&mut s, &[open]);
        }
        assert_eq!(s.overlay, Some(overlay));
        press(&mut s, &["x"]);
        assert!(
            message_text(&s).contains("q/esc closes"),
            "{overlay:?}: {}",
            message_text(&s)
        );
        assert_eq!(press(&mut s, &["q"]), Vec::new(), "{overlay:?}");
        assert_eq!(s.overlay, None, "{overlay:?}");
        press(&mut s, &[if open.is_empty() { "?" } else { open }]);
        assert_eq!(
            press(&mut s, &["ctrl-c"]),
            vec![Effect::Quit],
            "{overlay:?}"
        );
    }
}

#[test]
fn q_quits_and_ctrl_c_quits_from_anywhere() {
    let mut s = state();
    assert_eq!(press(&mut s, &["q"]), vec![Effect::Quit]);
    press(&mut s, &["/"]);
    assert_eq!(press(&mut s, &["ctrl-c"]), vec![Effect::Quit]);
    let mut s = state();
    press(&mut s, &["?"]);
    assert_eq!(press(&mut s, &["ctrl-c"]), vec![Effect::Quit]);
}

/// Ctrl-z suspends from anywhere, as in a shell, and leaves what was open as it was for
/// when the shell continues the browser.
#[test]
fn ctrl_z_suspends_from_anywhere_and_changes_nothing() {
    let mut s = state();
    assert_eq!(press(&mut s, &["ctrl-z"]), vec![Effect::Suspend]);
    press(&mut s, &["/", "b", "r"]);
    assert_eq!(press(&mut s, &["ctrl-z"]), vec![Effect::Suspend]);
    assert!(s.search.editing);
    assert_eq!(s.search.input.as_str(), "br");
    let mut s = state();
    press(&mut s, &["?"]);
    assert_eq!(press(&mut s, &["ctrl-z"]), vec![Effect::Suspend]);
    assert_eq!(s.overlay, Some(Overlay::Help));
}

#[test]
fn keymap_overrides_replace_an_actions_keys() {
    let mut overrides = BTreeMap::new();
    overrides.insert(
        "move_down".to_string(),
        vec!["n".to_string(), "ctrl-n".to_string()],
    );
    overrides.insert("quit".to_string(), vec!["x".to_string()]);
    let (keymap, problems) = Keymap::with_overrides(&overrides);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(keymap.action(Key::char('n')), Some(&Action::MoveDown));
    assert_eq!(keymap.action(Key::ctrl('n')), Some(&Action::MoveDown));
    assert_eq!(keymap.action(Key::char('j')), None, "j no longer moves");
    assert_eq!(keymap.action(Key::char('q')), None);
    assert_eq!(keymap.action(Key::char('x')), Some(&Action::Quit));
    assert_eq!(keymap.describe_keys(&Action::MoveDown), "n/ctrl-n");

    let mut s = AppState::new(common::library(), keymap);
    press(&mut s, &["n"]);
    assert_eq!(s.view().selected, 1);
    assert_eq!(press(&mut s, &["x"]), vec![Effect::Quit]);
}

#[test]
fn a_user_binding_takes_a_key_from_a_default_one_and_says_so_when_none_is_left() {
    // `j` is one of move_down's two keys: taken, the user's choice, no problem (move_down
    // keeps `down`, as the help shows).
    let mut overrides = BTreeMap::new();
    overrides.insert("toggle_bookmark".to_string(), vec!["j".to_string()]);
    let (keymap, problems) = Keymap::with_overrides(&overrides);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(keymap.action(Key::char('j')), Some(&Action::ToggleBookmark));
    assert_eq!(keymap.describe_keys(&Action::MoveDown), "down");

    // `b` is toggle_bookmark's only key: the user is told it has none left.
    let mut overrides = BTreeMap::new();
    overrides.insert("bookmarks".to_string(), vec!["b".to_string()]);
    let (keymap, problems) = Keymap::with_overrides(&overrides);
    assert_eq!(keymap.action(Key::char('b')), Some(&Action::Bookmarks));
    assert_eq!(keymap.describe_keys(&Action::ToggleBookmark), "no key");
    let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        messages,
        [
            "keys.bookmarks: takes \"b\" from toggle_bookmark, which has no key left; give it one \
          in [keys]"
        ]
    );

    // An action the user left unbound on purpose is not a problem.
    let mut overrides = BTreeMap::new();
    overrides.insert("toggle_bookmark".to_string(), vec![]);
    overrides.insert("bookmarks".to_string(), vec!["b".to_string()]);
    let (_, problems) = Keymap::with_overrides(&overrides);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn keymap_reports_unknown_actions_bad_keys_and_duplicates() {
    let mut overrides = BTreeMap::new();
    overrides.insert("teleport".to_string(), vec!["t".to_string()]);
    overrides.insert(
        "back".to_string(),
        vec!["ctrl-nope".to_string(), "h".to_string()],
    );
    overrides.insert("forward".to_string(), vec!["h".to_string()]);
    let (keymap, problems) = Keymap::with_overrides(&overrides);
    let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    let has = |needle: &str| messages.iter().any(|m| m.contains(needle));
    assert!(
        has("keys.teleport: unknown action \"teleport\""),
        "{messages:?}"
    );
    assert!(has("keys.back: unknown key \"ctrl-nope\""), "{messages:?}");
    assert!(
        has("\"h\" is bound to both back and forward"),
        "{messages:?}"
    );
    // The first claim keeps the key.
    assert_eq!(keymap.action(Key::char('h')), Some(&Action::Back));
}

#[test]
fn key_specs_parse_and_print_back() {
    for spec in [
        "j",
        "G",
        "ctrl-d",
        "alt-left",
        "shift-tab",
        "pgdn",
        "enter",
        "esc",
        "?",
        "f5",
    ] {
        let key = Key::parse(spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
        assert_eq!(key.to_string(), spec);
    }
    assert!(Key::parse("hyper-x").is_err());
    assert!(Key::parse("").is_err());
}

#[test]
fn action_names_are_the_config_names() {
    let names: Vec<String> = Action::BINDABLE
        .iter()
        .map(|a| {
            serde_json::to_value(a)
                .expect("serialise")
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    for (action, name) in Action::BINDABLE.iter().zip(&names) {
        assert_eq!(action.name(), name);
        assert_eq!(Action::from_name(name).as_ref(), Some(action));
    }
    assert!(names.contains(&"toggle_bookmark".to_string()));
}

#[test]
fn a_paste_is_search_text_whatever_it_holds() {
    let mut s = common::state();
    // While browsing, a paste opens the search line with it: its line breaks are spaces,
    // and nothing in it is read as a key.
    let effects = tomes::app::update(
        &mut s,
        Action::SearchPaste("\n tp53\r\nq\tapoptosis \n".into()),
    );
    assert!(s.search.editing);
    assert_eq!(s.search.input, "tp53 q apoptosis");
    assert!(
        matches!(effects, Some(Effect::Search { ref query, .. }) if query == "tp53 q apoptosis"),
        "{effects:?}"
    );
    // Into the line at the cursor.
    press(&mut s, &["home"]);
    tomes::app::update(&mut s, Action::SearchPaste("gene:".into()));
    assert_eq!(s.search.input, "gene:tp53 q apoptosis");
    // A blank paste changes nothing; a huge one is cut, and says so.
    assert_eq!(
        tomes::app::update(&mut s, Action::SearchPaste(" \n\t".into())),
        None
    );
    press(&mut s, &["ctrl-u"]);
    tomes::app::update(&mut s, Action::SearchPaste("x".repeat(5000)));
    assert_eq!(s.search.input.chars().count(), tomes::app::PASTE_MAX_CHARS);
    let message = s
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(message.contains("paste cut"), "{message}");
    // On a search's results, a search for it, as `/` then the paste; within the bookmarks,
    // for it among them.
    press(&mut s, &["ctrl-u"]);
    type_text(&mut s, "tp53");
    press(&mut s, &["enter"]);
    assert!(!s.search.editing);
    tomes::app::update(&mut s, Action::SearchPaste("brca1".into()));
    assert_eq!(s.search.input, "brca1");
    press(&mut s, &["esc", "esc", "B"]);
    tomes::app::update(&mut s, Action::SearchPaste("brca1".into()));
    assert_eq!(s.search.input, "is:bookmarked brca1");
    // Over a menu it is never typed as menu keys: a search, as `/` there is.
    press(&mut s, &["enter", "esc", "esc"]);
    press(&mut s, &["e"]);
    assert!(s.overlay.is_some());
    let effects = tomes::app::update(&mut s, Action::SearchPaste("1".into()));
    assert!(
        matches!(effects, Some(Effect::Search { ref query, .. }) if query == "1"),
        "{effects:?}"
    );
    assert!(s.overlay.is_none());
    // A blank one leaves the menu open.
    press(&mut s, &["esc", "esc", "e"]);
    assert_eq!(
        tomes::app::update(&mut s, Action::SearchPaste(" \n".into())),
        None
    );
    assert!(s.overlay.is_some());
}

#[test]
fn a_bookmark_whose_paper_is_not_loaded_opens_by_its_key() {
    let mut s = common::state();
    let bookmark = |key: &str| tomes::bookmarks::Bookmark {
        key: tomes::model::PaperKey(key.into()),
        title: String::new(),
        added: String::new(),
        note: String::new(),
    };
    let list = vec![bookmark("PMID:99999999"), bookmark("file:gone.txt#1")];
    let key = list[0].key.clone();
    s.bookmark_toggled(&key, "", Ok(true), list);
    press(&mut s, &["B"]);
    assert_eq!(
        press(&mut s, &["o"]),
        vec![Effect::Open {
            url: "https://pubmed.ncbi.nlm.nih.gov/99999999/".into()
        }]
    );
    // A key of no database has no page: said, not "no paper selected".
    press(&mut s, &["j"]);
    assert!(press(&mut s, &["o"]).is_empty());
    let said = s
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("no page to open"), "{said}");
}

#[test]
fn the_list_of_every_paper_has_room_for_the_load_before_papers_arrive() {
    use tomes::library::{LoadEvent, papers_for_bytes};
    let mut s = AppState::loading(Keymap::defaults());
    let bytes = 20_000_000;
    let effects = s.apply_load_event(LoadEvent::Found {
        files: 3,
        paths: Vec::new(),
        bytes,
        walk_problems: Vec::new(),
    });
    let papers = papers_for_bytes(bytes);
    assert!(papers > 5000, "{papers}");
    assert!(
        effects.contains(&Effect::ReserveSearch(papers)),
        "{effects:?}"
    );
    // Growing it by doubling copies every row on the UI thread mid-load.
    assert!(
        s.view().rows.capacity() >= papers,
        "{}",
        s.view().rows.capacity()
    );
    assert!(s.view().rows.is_empty());
}

#[test]
fn papers_arriving_in_batches_appear_and_keep_the_selection() {
    use tomes::formats::Parsed;
    use tomes::library::LoadEvent;
    let papers = common::papers();
    let mut s = AppState::loading(Keymap::defaults());
    assert!(!s.load.done);
    s.apply_load_event(LoadEvent::Found {
        files: 2,
        paths: Vec::new(),
        bytes: 0,
        walk_problems: Vec::new(),
    });
    let effects = s.apply_load_event(LoadEvent::File {
        parsed: Parsed {
            papers: papers[..3].to_vec(),
            problems: vec![tomes::model::Problem::new("a.txt", Some(4), "bad line")],
        },
        bytes: 10,
    });
    assert_eq!(effects, vec![Effect::IndexPapers(vec![0, 1, 2])]);
    assert_eq!(s.view().rows.len(), 3);
    press(&mut s, &["j"]);
    s.apply_load_event(LoadEvent::File {
        parsed: Parsed {
            papers: papers[3..].to_vec(),
            problems: Vec::new(),
        },
        bytes: 10,
    });
    assert_eq!(s.view().rows.len(), 6);
    assert_eq!(s.view().selected, 1);
    assert_eq!(s.load.files_done, 2);
    assert_eq!(s.problems.len(), 1);
    s.apply_load_event(LoadEvent::Done);
    assert!(s.load.done);
}

#[test]
fn co_mentions_of_the_selected_entity_count_every_paper_once_loaded() {
    use tomes::formats::Parsed;
    use tomes::library::LoadEvent;
    use tomes::model::EntityKey;
    let papers = common::papers();
    let mut s = AppState::loading(Keymap::defaults());
    for batch in [&papers[..1], &papers[1..2]] {
        s.apply_load_event(LoadEvent::File {
            parsed: Parsed {
                papers: batch.to_vec(),
                problems: Vec::new(),
            },
            bytes: 1,
        });
    }
    s.apply_load_event(LoadEvent::Done);
    let index = s.library.index();
    let cd274 = index
        .by_key(&EntityKey("NCBIGene:29126".into()))
        .expect("CD274");
    let lung = index
        .by_key(&EntityKey("MESH:D000077192".into()))
        .expect("lung adenocarcinoma");
    let tp53 = index
        .by_key(&EntityKey("NCBIGene:7157".into()))
        .expect("TP53");
    let (entity, co) = s.co_mentioned.clone().expect("an entity is selected");
    assert_eq!(entity, cd274, "the first paper's first entity");
    // Selected while only the first paper was loaded; the second one's entities count too.
    assert!(co.contains(&(lung, 1)), "{co:?}");
    assert!(co.contains(&(tp53, 2)), "{co:?}");
}

#[test]
fn a_search_view_asks_again_when_papers_arrive() {
    use tomes::formats::Parsed;
    use tomes::library::LoadEvent;
    let mut s = AppState::loading(Keymap::defaults());
    press(&mut s, &["/"]);
    let before = last_generation(&type_text(&mut s, "tp53"));
    let effects = s.apply_load_event(LoadEvent::File {
        parsed: Parsed {
            papers: common::papers(),
            problems: Vec::new(),
        },
        bytes: 1,
    });
    // While loading, a batch only marks the query due; the loop re-sends it, throttled.
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Search { .. })),
        "{effects:?}"
    );
    assert!(s.search.rerun_due);
    let rerun: Vec<Effect> = s.take_search_rerun().into_iter().collect();
    let after = last_generation(&rerun);
    assert!(after > before);
    assert!(matches!(&rerun[0], Effect::Search { query, .. } if query == "tp53"));
    assert_eq!(s.take_search_rerun(), None, "sent once per batch of papers");
    // The end of the load sends it at once, with a newer generation again.
    let done = s.apply_load_event(LoadEvent::Done);
    assert!(last_generation(&done) > after);
    assert!(!s.search.rerun_due);
    let _ = app::update(&mut s, Action::Cancel);
}

// ---------------------------------------------------------------------------------------------
// Copy, open, export, reload, mouse.

/// Inside tmux (`$TMUX` set) whose server is gone, only the OSC 52 sequence went out, which
/// tmux drops by default: a user test read "copied via OSC 52" and pasted nothing. The
/// message says the copy may have failed (as a warning) and where the text is instead.
#[test]
fn a_copy_tmux_did_not_take_says_it_may_have_failed_and_where_the_text_is() {
    let mut s = state();
    let said = |s: &AppState| s.message.clone().expect("a message");
    s.copied("URL", &copy_report(true, false, true));
    let message = said(&s);
    assert_eq!(
        message.text,
        "URL may not be copied: o opens or shows it (tmux did not take it)"
    );
    assert!(message.is_error, "a warning, not a success");
    s.copied("PMID", &copy_report(true, false, true));
    assert_eq!(
        said(&s).text,
        "PMID may not be copied: the detail pane shows it (tmux did not take it)"
    );
    s.copied("BibTeX", &copy_report(true, false, true));
    assert!(
        said(&s).text.contains(": e exports it to a file"),
        "{:?}",
        said(&s)
    );
    s.copied("CD274 id NCBIGene:29126", &copy_report(true, false, true));
    assert!(
        said(&s).text.contains(": the entity pane shows it"),
        "{:?}",
        said(&s)
    );
    // tmux took it, or no tmux was expected: copied.
    for report in [
        copy_report(true, true, true),
        copy_report(true, false, false),
    ] {
        s.copied("URL", &report);
        let message = said(&s);
        assert!(
            message.text.starts_with("URL copied via OSC 52"),
            "{message:?}"
        );
        assert!(!message.is_error);
    }
}

/// `y` on a bookmark whose paper is not loaded (the bookmarks list shows every bookmark,
/// whatever folder is open) said "no paper selected": it offers what the bookmark's key
/// tells, and says why the rest is missing.
#[test]
fn y_on_a_bookmark_not_loaded_copies_what_its_key_tells() {
    let mut s = state();
    s.set_bookmarks(vec![
        bookmark("PMID:999", "A paper not in this library"),
        bookmark(
            "DOI:10.1000/elsewhere.7",
            "Another paper not in this library",
        ),
    ]);
    press(&mut s, &["B"]);
    assert_eq!(s.view().selected_row(), Some(Row::MissingBookmark(0)));
    assert!(press(&mut s, &["y"]).is_empty());
    assert_eq!(s.overlay, Some(Overlay::CopyMenu));
    assert_eq!(
        s.message.as_ref().map(|m| m.text.as_str()),
        Some("not loaded: the bookmark has its key and link, not the paper")
    );
    let choices: Vec<(&str, Option<String>)> = s
        .copy_choices()
        .into_iter()
        .map(|c| (c.label, c.text))
        .collect();
    assert_eq!(
        choices,
        [
            ("key", Some("PMID:999".into())),
            ("PMID", Some("999".into())),
            ("DOI", None),
            ("URL", Some("https://pubmed.ncbi.nlm.nih.gov/999/".into())),
            ("citation", None),
            ("BibTeX", None),
        ]
    );
    assert_eq!(
        copy_effect(&press(&mut s, &["4"])),
        Some(("URL".into(), "https://pubmed.ncbi.nlm.nih.gov/999/".into()))
    );
    assert!(press(&mut s, &["y", "5"]).is_empty());
    assert_eq!(
        s.message.as_ref().map(|m| m.text.as_str()),
        Some("no citation: the paper is not loaded, only its bookmark")
    );
    // What needs the paper itself says why it is missing, not "no paper selected".
    let said = message_text;
    press(&mut s, &["r"]);
    assert_eq!(
        said(&s),
        "no related papers: the paper is not loaded, only its bookmark"
    );
    press(&mut s, &["Y"]);
    assert_eq!(
        said(&s),
        "no entities: the paper is not loaded, only its bookmark"
    );
    // Nothing of the bookmarks is loaded: the export says so.
    press(&mut s, &["e", "1"]);
    assert_eq!(said(&s), "nothing to export: no bookmarked paper is loaded");
    press(&mut s, &["j"]);
    assert_eq!(
        copy_effect(&press(&mut s, &["y", "3"])),
        Some(("DOI".into(), "10.1000/elsewhere.7".into()))
    );
    assert_eq!(
        copy_effect(&press(&mut s, &["y", "4"])),
        Some(("URL".into(), "https://doi.org/10.1000/elsewhere.7".into()))
    );
}

fn copy_effect(effects: &[Effect]) -> Option<(String, String)> {
    effects.iter().find_map(|e| match e {
        Effect::Copy { what, text } => Some((what.clone(), text.clone())),
        _ => None,
    })
}

#[test]
fn y_opens_the_copy_menu_and_a_number_copies_that_entry() {
    let mut s = state();
    assert!(press(&mut s, &["y"]).is_empty());
    assert_eq!(s.overlay, Some(Overlay::CopyMenu));
    let labels: Vec<&str> = s.copy_choices().iter().map(|c| c.label).collect();
    assert_eq!(labels, ["key", "PMID", "DOI", "URL", "citation", "BibTeX"]);
    let effects = press(&mut s, &["3"]);
    assert_eq!(
        copy_effect(&effects),
        Some(("DOI".into(), "10.1000/fixture.1".into()))
    );
    assert_eq!(s.overlay, None, "picking closes the menu");
    s.copied("DOI", &copy_report(true, false, false));
    assert_eq!(
        s.message.as_ref().map(|m| m.text.as_str()),
        Some("DOI copied via OSC 52")
    );
}

#[test]
fn the_copy_menu_moves_with_j_and_copies_with_enter() {
    let mut s = state();
    press(&mut s, &["y", "j", "j", "j", "j", "j", "j"]);
    assert_eq!(s.search.menu_cursor, 5, "stops on the last entry");
    let (what, text) = copy_effect(&press(&mut s, &["enter"])).expect("a copy");
    assert_eq!(what, "BibTeX");
    assert!(text.starts_with("@article{"), "{text}");
    assert!(text.contains("10.1000/fixture.1"), "{text}");
    // PMID and URL of the first fixture paper.
    press(&mut s, &["y", "j"]);
    assert_eq!(
        copy_effect(&press(&mut s, &["enter"])),
        Some(("PMID".into(), "100001".into()))
    );
    press(&mut s, &["y"]);
    let (_, url) = copy_effect(&press(&mut s, &["4"])).expect("a copy");
    assert_eq!(url, "https://doi.org/10.1000/fixture.1");
}

#[test]
fn a_missing_id_in_the_copy_menu_copies_nothing_and_says_so() {
    let mut s = state();
    press(&mut s, &["j"]); // the second paper has no DOI
    press(&mut s, &["y"]);
    assert!(copy_effect(&press(&mut s, &["3"])).is_none());
    assert_eq!(
        s.message.as_ref().map(|m| m.text.as_str()),
        Some("this paper has no DOI")
    );
    press(&mut s, &["y", "esc"]);
    assert_eq!(s.overlay, None, "esc closes the menu");
    press(&mut s, &["y", "q"]);
    assert_eq!(s.overlay, None, "q closes the menu rather than quitting");
}

/// A user test's `j` stopped on `3 DOI (this paper has no DOI)`, and the hint said
/// `1-6 copies`: the cursor passes over entries that copy nothing, and the hints' numbers
/// are only those that copy.
#[test]
fn the_copy_menu_cursor_skips_entries_that_copy_nothing() {
    let mut s = state();
    press(&mut s, &["j", "y"]); // the second paper has no DOI
    let copies: Vec<bool> = s.copy_choices().iter().map(|c| c.text.is_some()).collect();
    assert_eq!(copies, [true, true, false, true, true, true]);
    assert_eq!(s.search.menu_cursor, 0);
    press(&mut s, &["j", "j"]);
    assert_eq!(s.search.menu_cursor, 3, "over the DOI, to the URL");
    press(&mut s, &["k"]);
    assert_eq!(s.search.menu_cursor, 1, "back over it, to the PMID");
    press(&mut s, &["G", "j"]);
    assert_eq!(s.search.menu_cursor, 5, "stops on the last entry");
    assert_eq!(s.menu_numbers().as_deref(), Some("1,2,4-6"));
    press(&mut s, &["x"]);
    assert_eq!(
        message_text(&s),
        "'x' is no key here: 1,2,4-6 copies, q/esc closes, / searches"
    );
    let status = buffer_text(&render(&mut s, 80, 24));
    assert!(
        status.starts_with("1,2,4-6 copies  enter picks"),
        "{}",
        status.lines().next().unwrap_or_default()
    );
    // Picked by its number, an entry that copies nothing still says what is missing.
    assert!(copy_effect(&press(&mut s, &["3"])).is_none());
    assert_eq!(message_text(&s), "this paper has no DOI");
    // A bookmark whose paper is not loaded copies what its key tells: key, DOI, URL.
    let mut s = state();
    s.set_bookmarks(vec![bookmark(
        "DOI:10.1000/elsewhere.7",
        "Not in this library",
    )]);
    press(&mut s, &["B"]);
    assert_eq!(s.view().selected_row(), Some(Row::MissingBookmark(0)));
    press(&mut s, &["y"]);
    assert_eq!(s.menu_numbers().as_deref(), Some("1,3,4"));
    press(&mut s, &["j"]);
    assert_eq!(s.search.menu_cursor, 2);
    press(&mut s, &["j", "j"]);
    assert_eq!(s.search.menu_cursor, 3);
    press(&mut s, &["g"]);
    assert_eq!(s.search.menu_cursor, 0);
}

#[test]
fn shift_y_copies_the_selected_entity_id() {
    let mut s = state();
    press(&mut s, &["tab", "tab"]);
    let effects = press(&mut s, &["Y"]);
    assert_eq!(
        copy_effect(&effects),
        Some(("CD274 id NCBIGene:29126".into(), "NCBIGene:29126".into()))
    );
}

#[test]
fn o_opens_the_best_link_and_a_failed_open_shows_the_url() {
    let mut s = state();
    // The first paper has a DOI, a PMID and a link of its own: `o` offers them; `1` is the
    // best.
    assert!(press(&mut s, &["o"]).is_empty());
    assert_eq!(s.overlay, Some(Overlay::OpenMenu));
    let effects = press(&mut s, &["1"]);
    assert_eq!(s.overlay, None);
    assert_eq!(
        effects,
        [Effect::Open {
            url: "https://doi.org/10.1000/fixture.1".into()
        }]
    );
    s.opened(
        "no display to open a browser on: URL shown instead",
        Some((
            "https://doi.org/10.1000/fixture.1".into(),
            &copy_report(true, false, false),
        )),
    );
    assert_eq!(s.overlay, Some(Overlay::Url));
    assert_eq!(
        s.shown_url.as_ref().map(|u| u.url.as_str()),
        Some("https://doi.org/10.1000/fixture.1")
    );
    let message = s.message.clone().expect("a message");
    assert_eq!(message.text, "URL copied via OSC 52");
    assert!(!message.is_error);
    press(&mut s, &["esc"]);
    assert_eq!(s.overlay, None);
}

/// A user test: `o` always opened a paper's first link though it listed PMC, DOI, full text
/// and source links. Of several, `o` opens a menu (a number, j/k and Enter pick, Esc
/// closes); a paper with one link opens it at once.
#[test]
fn o_on_a_paper_with_several_links_offers_them_in_a_menu() {
    let open = |url: &str| {
        vec![Effect::Open {
            url: url.to_owned(),
        }]
    };
    let mut s = state();
    assert!(press(&mut s, &["o"]).is_empty());
    assert_eq!(s.overlay, Some(Overlay::OpenMenu));
    let links: Vec<(String, String)> = s
        .open_choices()
        .into_iter()
        .map(|l| (l.label, l.url))
        .collect();
    assert_eq!(
        links,
        [
            ("DOI", "https://doi.org/10.1000/fixture.1"),
            ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/100001/"),
            ("Full text", "https://example.org/100001"),
        ]
        .map(|(l, u)| (l.to_owned(), u.to_owned()))
    );
    assert_eq!(press(&mut s, &["3"]), open("https://example.org/100001"));
    assert_eq!(s.overlay, None);
    // j/k move, Enter opens the entry under the cursor.
    press(&mut s, &["o", "j", "j", "k"]);
    assert_eq!(s.search.menu_cursor, 1);
    assert_eq!(
        press(&mut s, &["enter"]),
        open("https://pubmed.ncbi.nlm.nih.gov/100001/")
    );
    // Esc closes it, opening nothing; a number past the end opens nothing.
    assert!(press(&mut s, &["o", "esc"]).is_empty());
    assert_eq!(s.overlay, None);
    assert!(press(&mut s, &["o", "9"]).is_empty());
    assert_eq!(s.overlay, Some(Overlay::OpenMenu));
    // ... and says which numbers there are (a user test heard nothing).
    assert_eq!(message_text(&s), "'9' is no entry here: 1-3 opens");
    // A letter that is no key here says how the menu is used.
    press(&mut s, &["x"]);
    assert_eq!(
        message_text(&s),
        "'x' is no key here: 1-3 opens, q/esc closes, / searches"
    );
    // The second paper has only its PMID: opened at once.
    let mut s = state();
    assert_eq!(
        press(&mut s, &["j", "o"]),
        open("https://pubmed.ncbi.nlm.nih.gov/100002/")
    );
    assert_eq!(s.overlay, None);
}

/// The URL shown instead of opened was said copied whatever the copy did: inside a tmux
/// that did not take it, or with nothing to take it, the status bar warns, and the popup
/// keeps the URL (its text says so: see the render tests).
#[test]
fn a_url_shown_instead_of_opened_is_not_said_copied_when_the_copy_failed() {
    use tomes::clipboard::CopyOutcome;
    let url = "https://doi.org/10.1000/fixture.1";
    let mut s = state();
    s.opened(
        "no display to open a browser on: URL shown instead",
        Some((url.into(), &copy_report(true, false, true))),
    );
    assert_eq!(s.overlay, Some(Overlay::Url));
    let shown = s.shown_url.clone().expect("shown");
    assert_eq!(
        (shown.url.as_str(), shown.copy),
        (url, CopyOutcome::Doubtful)
    );
    let message = s.message.clone().expect("a message");
    assert_eq!(message.text, "URL may not be copied (tmux did not take it)");
    assert!(message.is_error, "a warning, not a success");

    let mut s = state();
    let nothing = CopyReport {
        osc52: false,
        local_tool: None,
        tmux: false,
        in_tmux: false,
        errors: vec!["terminal: broken pipe".into()],
    };
    s.opened(
        "no display to open a browser on: URL shown instead",
        Some((url.into(), &nothing)),
    );
    assert_eq!(
        s.shown_url.as_ref().map(|u| u.copy),
        Some(CopyOutcome::Failed)
    );
    let message = s.message.clone().expect("a message");
    assert_eq!(message.text, "URL copy failed: terminal: broken pipe");
    assert!(message.is_error);
}

#[test]
fn e_exports_the_current_list_or_the_bookmarks() {
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "tp53");
    let generation = s.search.generation;
    s.apply_search_results(results(generation, &[1, 2]));
    press(&mut s, &["enter", "e"]);
    assert_eq!(s.overlay, Some(Overlay::ExportMenu));
    let effects = press(&mut s, &["2"]);
    assert_eq!(
        effects,
        [Effect::Export {
            papers: vec![1, 2],
            format: tomes::export::ExportFormat::Ris,
            view: "search",
            skipped: 0,
        }]
    );
    // Bookmarks: one loaded, one not (skipped, and said so).
    s.set_bookmarks(vec![
        Bookmark {
            key: s.library.paper(4).key.clone(),
            title: "loaded".into(),
            added: String::new(),
            note: String::new(),
        },
        bookmark("PMID:999", "gone"),
    ]);
    press(&mut s, &["e", "j", "j", "j", "j", "j"]);
    let effects = press(&mut s, &["enter"]);
    assert_eq!(
        effects,
        [Effect::Export {
            papers: vec![4],
            format: tomes::export::ExportFormat::CslJson,
            view: "bookmarks",
            skipped: 1,
        }]
    );
    // The bookmarks list exported as "this list": the bookmark not loaded is skipped and
    // said so (it was left out without a word), and a paper bookmarked twice (by its PMID
    // and by its DOI) is written once.
    for key in [
        s.library.paper(0).key.clone(),
        PaperKey("DOI:10.1000/fixture.1".into()),
    ] {
        let mut list = s.bookmarks().to_vec();
        list.push(Bookmark {
            key,
            title: "loaded".into(),
            added: String::new(),
            note: String::new(),
        });
        s.set_bookmarks(list);
    }
    press(&mut s, &["B", "e"]);
    // Paper 4, the bookmark not loaded, and paper 0 once for its two bookmarks.
    assert_eq!(s.view().rows.len(), 3);
    let effects = press(&mut s, &["1"]);
    assert_eq!(
        effects,
        [Effect::Export {
            papers: vec![4, 0],
            format: tomes::export::ExportFormat::Bibtex,
            view: "bookmarks",
            skipped: 1,
        }]
    );
}

#[test]
fn an_export_is_written_to_a_new_file_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_000_000);
    let format = tomes::export::ExportFormat::Bibtex;
    let first =
        tomes::tui::write_export(dir.path(), "bookmarks", format, "one", time).expect("written");
    assert_eq!(
        first.file_name().and_then(|n| n.to_str()),
        Some("tomes-bookmarks-20261118-110640.bib")
    );
    let second =
        tomes::tui::write_export(dir.path(), "bookmarks", format, "two", time).expect("written");
    assert_eq!(
        second.file_name().and_then(|n| n.to_str()),
        Some("tomes-bookmarks-20261118-110640-2.bib")
    );
    assert_eq!(std::fs::read_to_string(&first).ok().as_deref(), Some("one"));
    assert_eq!(
        std::fs::read_to_string(&second).ok().as_deref(),
        Some("two")
    );
}

#[test]
fn bookmarked_papers_are_the_loaded_indices_for_the_search_worker() {
    let mut s = state();
    press(&mut s, &["j", "j"]);
    let toggle = press(&mut s, &["b"]);
    let Some(Effect::ToggleBookmark { key, title }) = toggle.into_iter().next() else {
        panic!("expected a toggle");
    };
    let list = vec![
        Bookmark {
            key: key.clone(),
            title: title.clone(),
            added: String::new(),
            note: String::new(),
        },
        bookmark("PMID:999", "gone"),
    ];
    s.bookmark_toggled(&key, &title, Ok(true), list);
    assert_eq!(s.bookmarked_papers(), std::collections::HashSet::from([2]));
}

/// A library with the fixture papers in another order, one removed and one added.
fn reloaded_library() -> (tomes::library::Library, String) {
    let mut papers = common::papers();
    let removed = papers.remove(1).title;
    papers.reverse();
    let mut extra = papers[0].clone();
    extra.ids.pmid = Some("100099".into());
    extra.ids.doi = None;
    extra.key = PaperKey::from_ids(&extra.ids, "new.txt");
    extra.title = "A newly dropped-in paper".into();
    extra.sources[0].path = std::path::Path::new("fixtures/new.txt").into();
    papers.push(extra);
    let mut library = tomes::library::Library::new();
    for p in papers {
        library.add(p);
    }
    (library, removed)
}

#[test]
fn a_reload_keeps_selection_and_history_by_paper_key() {
    let mut s = state();
    // History: all papers -> papers with CD274 (third paper selected) -> related.
    press(&mut s, &["j", "j"]);
    press(&mut s, &["tab", "tab", "enter", "j", "j"]);
    let selected_before = selected_title(&s);
    let ViewKind::Entity(e) = s.view().kind else {
        panic!("an entity view: {:?}", s.view().kind);
    };
    let entity_name = s.library.index().entity(e).name.clone();
    let entity_view_titles = listed(&s, |p| p.title.clone());
    press(&mut s, &["r"]);
    press(&mut s, &["backspace"]);
    assert_eq!(s.history.len(), 3);
    assert_eq!(s.history_pos, 1);

    let (library, removed) = reloaded_library();
    let (summary, effects) = s.replace_library(library, Vec::new());
    assert_eq!(summary.papers_added, 1);
    assert_eq!(summary.papers_removed, 1);
    assert_eq!(
        summary.describe(),
        "1 new paper, 1 paper gone, 1 file added"
    );
    assert!(matches!(&effects[0], Effect::IndexPapers(all) if all.len() == 6));
    // Same history, same position, same paper selected though every index moved.
    assert_eq!(s.history.len(), 3);
    assert_eq!(s.history_pos, 1);
    assert_eq!(selected_title(&s), selected_before);
    let ViewKind::Entity(e) = s.view().kind else {
        panic!("still the entity view: {:?}", s.view().kind);
    };
    assert_eq!(s.library.index().entity(e).name, entity_name);
    let now = listed(&s, |p| p.title.clone());
    for title in entity_view_titles.iter().filter(|t| **t != removed) {
        assert!(now.contains(title), "{title} kept in {now:?}");
    }
    assert!(entity_view_titles.contains(&removed) != now.contains(&removed));
    assert!(!now.contains(&removed));
    assert_eq!(now.len(), s.library.index().papers_with(e).len());
    assert_eq!(
        s.message.as_ref().map(|m| m.text.as_str()),
        Some("reloaded: 1 new paper, 1 paper gone, 1 file added")
    );
    // The all-papers view lists the new library.
    press(&mut s, &["backspace"]);
    assert_eq!(s.view().rows.len(), 6);
    assert_eq!(selected_title(&s), selected_before);
}

#[test]
fn a_reload_re_sends_the_current_search() {
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "cd274");
    let before = s.search.generation;
    let (library, _) = reloaded_library();
    let (_, effects) = s.replace_library(library, Vec::new());
    assert!(
        effects.iter().any(
            |e| matches!(e, Effect::Search { generation, query, .. } if *generation > before && query == "cd274")
        ),
        "{effects:?}"
    );
}

#[test]
fn r_asks_for_a_reload() {
    let mut s = state();
    assert_eq!(press(&mut s, &["R"]), [Effect::Reload]);
}

#[test]
fn clicks_focus_panes_and_select_rows_and_the_wheel_scrolls_the_pane_under_it() {
    let mut s = state();
    let _ = common::render(&mut s, 80, 24);
    let _ = app::update(
        &mut s,
        Action::Click {
            pane: Pane::Papers,
            row: 3,
        },
    );
    assert_eq!(s.view().selected, 3);
    let _ = app::update(
        &mut s,
        Action::Click {
            pane: Pane::Entities,
            row: usize::MAX,
        },
    );
    assert_eq!(s.focus, Pane::Entities);
    assert_eq!(
        s.view().selected,
        3,
        "a click elsewhere keeps the selection"
    );
    let _ = app::update(
        &mut s,
        Action::Wheel {
            pane: Pane::Papers,
            down: true,
        },
    );
    assert_eq!(
        s.view().selected,
        5,
        "wheel moves the list, not the focused pane"
    );
    assert_eq!(s.focus, Pane::Entities);
}

#[test]
fn mouse_events_map_to_the_pane_under_the_pointer() {
    use crossterm::event::{MouseButton, MouseEventKind};
    use ratatui::layout::Rect;
    let mut s = state();
    let screen = Rect::new(0, 0, 80, 24);
    // 80x24 stacked: the list's border is row 1, its first row is row 2.
    let click = tomes::tui::mouse_action(&s, screen, MouseEventKind::Down(MouseButton::Left), 5, 3);
    assert_eq!(
        click,
        Some(Action::Click {
            pane: Pane::Papers,
            row: 1
        })
    );
    let wheel = tomes::tui::mouse_action(&s, screen, MouseEventKind::ScrollDown, 75, 20);
    assert_eq!(
        wheel,
        Some(Action::Wheel {
            pane: Pane::Entities,
            down: true
        })
    );
    s.zoomed = true;
    let zoomed = tomes::tui::mouse_action(&s, screen, MouseEventKind::ScrollUp, 75, 20);
    assert_eq!(
        zoomed,
        Some(Action::Wheel {
            pane: Pane::Papers,
            down: false
        })
    );
}

#[test]
fn new_actions_are_bound_and_listed_in_help() {
    let keymap = Keymap::defaults();
    for (action, key) in [
        (Action::Copy, "y"),
        (Action::CopyEntityId, "Y"),
        (Action::Open, "o"),
        (Action::Export, "e"),
        (Action::Reload, "R"),
    ] {
        assert_eq!(keymap.describe_keys(&action), key);
        assert!(Action::BINDABLE.contains(&action));
        assert_eq!(Action::from_name(action.name()), Some(action.clone()));
    }
}

#[test]
fn an_export_reports_the_file_first() {
    let mut s = state();
    s.exported(Ok(("./tomes-all-20261127-041931.bib".into(), 6)), 0, 0);
    assert_eq!(
        s.message.as_ref().map(|m| m.text.as_str()),
        Some("wrote tomes-all-20261127-041931.bib (6 papers)")
    );
    s.exported(Ok(("./tomes-bookmarks-x.ris".into(), 1)), 2, 0);
    assert_eq!(
        s.message.as_ref().map(|m| m.text.as_str()),
        Some("wrote tomes-bookmarks-x.ris (1 paper) (2 bookmarks not loaded, skipped)")
    );
    s.exported(Err("permission denied".into()), 0, 0);
    assert!(s.message.as_ref().is_some_and(|m| m.is_error));
    // Abstracts whose files changed since loading are left out, and the message says so.
    s.exported(Ok(("./tomes-all-x.ris".into(), 9)), 0, 3);
    let message = s.message.as_ref().unwrap();
    assert_eq!(
        message.text,
        "wrote tomes-all-x.ris (9 papers) (3 abstracts left out: their files changed since loading)"
    );
    assert!(message.is_error);
}

#[test]
fn a_click_on_an_entity_row_selects_it_and_a_heading_does_not() {
    use crossterm::event::{MouseButton, MouseEventKind};
    use ratatui::layout::Rect;
    let mut s = state();
    let _ = common::render(&mut s, 80, 24);
    let screen = Rect::new(0, 0, 80, 24);
    let click = |s: &AppState, y: u16| {
        tomes::tui::mouse_action(s, screen, MouseEventKind::Down(MouseButton::Left), 60, y)
            .expect("a click in the entity pane")
    };
    // At 80x24 the entity list starts on screen row 11: "Genes (2)", CD274, TP53,
    // "Diseases (1)", melanoma.
    let action = click(&s, 13);
    let _ = app::update(&mut s, action);
    assert_eq!(s.focus, Pane::Entities);
    let name = |s: &AppState| {
        s.selected_entity()
            .map(|e| s.library.index().entity(e).name.clone())
            .unwrap_or_default()
    };
    assert_eq!(name(&s), "TP53");
    let action = click(&s, 15);
    let _ = app::update(&mut s, action);
    assert_eq!(name(&s), "melanoma");
    let action = click(&s, 14);
    let _ = app::update(&mut s, action);
    assert_eq!(name(&s), "melanoma", "a heading keeps the entity");
}

#[test]
fn a_changed_query_selects_the_top_hit_but_a_resent_one_keeps_the_selection() {
    let mut s = state();
    press(&mut s, &["j", "j", "j", "j", "j"]);
    assert_eq!(s.view().selected, 5);
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "s");
    s.apply_search_results(results(last_generation(&effects), &[4, 5, 3]));
    assert_eq!(
        s.view().selected,
        0,
        "the top hit of a new query is selected"
    );
    assert_eq!(s.view().offset, 0);
    // The user moves down; the same query is re-sent while papers load: selection stays.
    press(&mut s, &["enter", "j"]);
    assert_eq!(s.view().selected, 1);
    s.search.rerun_due = true;
    let rerun: Vec<Effect> = s.take_search_rerun().into_iter().collect();
    s.apply_search_results(results(last_generation(&rerun), &[4, 5, 3, 2]));
    assert_eq!(
        s.view().selected,
        1,
        "re-sent results for the same query keep the selection"
    );
    // A changed query resets again.
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "t");
    s.apply_search_results(results(last_generation(&effects), &[2, 3, 5]));
    assert_eq!(s.view().selected, 0);
}

#[test]
fn an_action_whose_only_key_is_bad_keeps_its_default_keys() {
    let mut overrides = BTreeMap::new();
    overrides.insert("search".to_string(), vec!["fancykey".to_string()]);
    let (keymap, problems) = Keymap::with_overrides(&overrides);
    let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].starts_with("keys.search: "), "{messages:?}");
    assert!(messages[0].contains("fancykey"), "{messages:?}");
    assert!(messages[0].ends_with("keeping the default"), "{messages:?}");
    assert_eq!(keymap.action(Key::char('/')), Some(&Action::Search));
    assert_eq!(
        keymap.describe_keys(&Action::Search),
        Keymap::defaults().describe_keys(&Action::Search)
    );
}

/// Keys of what the selected paper of a related view shares with the paper it is about.
fn shares_of_selected(s: &AppState) -> Option<Vec<String>> {
    let p = s.selected_paper()?;
    let index = s.library.index();
    s.related_shares(p).map(|shared| {
        shared
            .iter()
            .map(|&e| index.entity(e).key.0.to_string())
            .collect()
    })
}

#[test]
fn related_view_ranks_by_what_is_shared_and_says_what_it_is() {
    let mut s = state();
    assert_eq!(
        shares_of_selected(&s),
        None,
        "only a related view has shares"
    );
    press(&mut s, &["r"]); // CD274 in melanoma: CD274, TP53, melanoma, human
    let about = s.library.find("PMID:100001").expect("fixture");
    assert_eq!(s.view().kind, ViewKind::Related(about));
    assert_eq!(s.focus, Pane::Papers);
    // Two genes, then one gene (CD274 and TP53 are each in 3 of 6 papers: a tie, library
    // order), then human alone (in 4 of 6, a species: it counts for little).
    assert_eq!(
        listed(&s, |p| p.key.to_string()),
        ["PMID:100002", "PMID:100004", "PMID:100003", "PMC:PMC900005"]
    );
    assert_eq!(
        shares_of_selected(&s).unwrap(),
        ["NCBIGene:29126", "NCBIGene:7157", "NCBITaxon:9606"],
        "CD274 and TP53 (same weight, by name), then human"
    );
    press(&mut s, &["j"]);
    assert_eq!(
        shares_of_selected(&s).unwrap(),
        ["NCBIGene:29126", "NCBITaxon:9606"],
        "the cisplatin paper shares CD274 and human"
    );
    press(&mut s, &["G"]);
    assert_eq!(shares_of_selected(&s).unwrap(), ["NCBITaxon:9606"]);
    // Related from within a related view is about the newly selected paper.
    press(&mut s, &["r"]);
    let variant_paper = s.library.find("PMC:PMC900005").expect("fixture");
    assert_eq!(s.view().kind, ViewKind::Related(variant_paper));
    assert_eq!(shares_of_selected(&s).unwrap(), ["NCBITaxon:9606"]);
    press(&mut s, &["backspace", "backspace"]);
    assert_eq!(s.view().kind, ViewKind::All);
    assert_eq!(shares_of_selected(&s), None);
}

#[test]
fn co_mentions_of_a_common_entity_wait_until_no_key_is_waiting() {
    use tomes::app::CO_MENTIONED_AT_ONCE;
    use tomes::library::Library;
    use tomes::model::{EntityKey, PaperKey};
    // The first fixture paper (CD274, TP53, melanoma, human) and enough copies that each of
    // its entities is in more papers than are counted on the way to a key's answer.
    let first = common::papers()[0].clone();
    let mut library = Library::new();
    for n in 0..=CO_MENTIONED_AT_ONCE {
        let mut copy = first.clone();
        let pmid = format!("{}", 900_000 + n);
        copy.key = PaperKey(format!("PMID:{pmid}"));
        copy.ids.pmid = Some(pmid);
        copy.ids.doi = None;
        library.add(copy);
    }
    let mut s = AppState::new(library, Keymap::defaults());
    let selected = s.selected_entity().expect("an entity is selected");
    assert!(s.library.index().papers_with(selected).len() > CO_MENTIONED_AT_ONCE);
    assert!(s.has_pending_work(), "counted later, not at once");
    assert_eq!(s.co_mentioned, None);
    assert!(s.finish_pending_work(), "the screen changes");
    let tp53 = s
        .library
        .index()
        .by_key(&EntityKey("NCBIGene:7157".into()))
        .expect("TP53");
    let (entity, co) = s.co_mentioned.clone().expect("counted");
    assert_eq!(entity, selected);
    assert!(
        co.contains(&(tp53, CO_MENTIONED_AT_ONCE as u32 + 1)),
        "{co:?}"
    );
    assert!(!s.has_pending_work());
    assert!(!s.finish_pending_work());
    // Moving off and back: counted once, kept.
    press(&mut s, &["tab", "tab", "j", "k"]);
    assert!(!s.has_pending_work());
}

#[test]
fn esc_and_a_key_arriving_together_are_two_keys_unless_alt_key_is_bound() {
    use tomes::app::Key;
    let mut s = state();
    press(&mut s, &["?"]);
    assert!(s.overlay.is_some());
    // What a terminal sends for Esc then `/` typed quickly: Alt-/ (nothing is bound to it).
    let alt_slash = Key::parse("alt-/").expect("key");
    let (esc, then) = s.unbound_alt_key(alt_slash).expect("read as two keys");
    for key in [esc, then] {
        if let Some(action) = s.action_for_key(key) {
            let _ = app::update(&mut s, action);
        }
    }
    assert!(s.overlay.is_none(), "Esc closed the help");
    assert!(s.search.editing, "`/` opened the search line");
    // A bound Alt key stays itself (Alt-Left is back in history).
    press(&mut s, &["esc"]);
    assert!(!s.search.editing);
    let alt_left = Key::parse("alt-left").expect("key");
    assert_eq!(s.unbound_alt_key(alt_left), None);
    // A plain key is never split.
    assert_eq!(s.unbound_alt_key(Key::parse("/").expect("key")), None);
    // Esc then ctrl-z together (Alt-ctrl-z) close the search line, then suspend (ut23b).
    press(&mut s, &["/"]);
    let alt_ctrl_z = Key::parse("alt-ctrl-z").expect("key");
    let (esc, then) = s.unbound_alt_key(alt_ctrl_z).expect("read as two keys");
    assert_eq!(esc, Key::parse("esc").expect("key"));
    let action = s.action_for_key(esc).expect("esc acts");
    let _ = app::update(&mut s, action);
    assert!(!s.search.editing, "Esc closed the search line");
    assert_eq!(s.action_for_key(then), Some(Action::Suspend));
}

/// config.example.toml listed `quit = "q"   (ctrl-c always quits)` and then
/// `quit = ["q", "ctrl-c"]`, and wrote keys `pgdn` and `pagedown`, `shift-tab` and
/// `backtab`. Its list of every action names each once, with its default keys spelled as
/// the help spells them, and every key it quotes is one the config reads.
#[test]
fn the_example_config_lists_every_action_once_with_its_default_keys() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let text = std::fs::read_to_string(example).expect("config.example.toml");
    let block = text.split("[keys]").nth(1).expect("a [keys] table");
    // Every quoted key of the words before the list is one the parser reads.
    let (words, list) = block
        .split_once("Every action with its default keys:")
        .expect("the list");
    let words = words
        .replace("action = \"key\"", "")
        .replace("[\"key\", \"key\"]", "");
    for (i, quoted) in words.split('"').enumerate() {
        if i % 2 == 1 {
            assert!(Key::parse(quoted).is_ok(), "{quoted:?}");
        }
    }
    let defaults = Keymap::defaults();
    let mut listed: Vec<String> = Vec::new();
    for line in list.lines() {
        let line = line.trim_start_matches('#');
        // `action = "key"` or `action = ["key", "key"]`, two to a line.
        let mut rest = line;
        while let Some(at) = rest.find(" = ") {
            let name = rest[..at].split_whitespace().last().unwrap_or_default();
            let value = rest[at + 3..].trim_start();
            let end = match value.chars().next() {
                Some('"') => value[1..].find('"').map(|i| i + 2),
                Some('[') => value.find(']').map(|i| i + 1),
                _ => None,
            };
            let Some(end) = end else { break };
            let toml: toml::Table = format!("v = {}", &value[..end]).parse().expect("toml");
            let keys: Vec<String> = match &toml["v"] {
                toml::Value::String(k) => vec![k.clone()],
                toml::Value::Array(ks) => ks
                    .iter()
                    .map(|k| k.as_str().expect("a key").to_owned())
                    .collect(),
                other => panic!("{other:?}"),
            };
            let action = Action::from_name(name).unwrap_or_else(|| panic!("{name:?}"));
            let want: Vec<String> = defaults
                .keys_for(&action)
                .iter()
                .map(Key::to_string)
                .collect();
            assert_eq!(keys, want, "{name} in {line:?}");
            listed.push(name.to_owned());
            rest = &value[end..];
        }
    }
    let all: Vec<&str> = Action::BINDABLE.iter().map(Action::name).collect();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    let mut want = all.clone();
    want.sort_unstable();
    assert_eq!(sorted, want, "each action once: {listed:?}");
}

/// What the event loop does with a key: an unbound Alt-key is Esc and the key after it
/// (two keys typed together), that key read once Esc has done its part.
fn press_as_the_loop_does(s: &mut AppState, spec: &str) -> Vec<Effect> {
    let key = Key::parse(spec).expect("key");
    let mut effects = Vec::new();
    let action = match s.unbound_alt_key(key) {
        Some((esc, _)) => {
            if let Some(action) = s.action_for_key(esc) {
                effects.extend(app::update(s, action));
            }
            s.key_after_esc(key)
        }
        None => s.action_for_key(key),
    };
    if let Some(action) = action {
        effects.extend(app::update(s, action));
    }
    effects
}

/// A user test: Alt-x said `'x' is no key here`, a key not pressed, and F5, Ctrl-x, Left and
/// Right did nothing without a word. Each is named as pressed, as an unbound letter is, in
/// the main view and in an overlay, and nothing else happens; an unbound Alt-key is Esc
/// and its key, and says so.
#[test]
fn a_key_that_is_no_key_is_named_as_pressed() {
    let mut s = state();
    press(&mut s, &["j"]);
    for key in ["f5", "ctrl-x", "left", "right", "space"] {
        assert_eq!(press_as_the_loop_does(&mut s, key), Vec::new(), "{key}");
        assert_eq!(
            message_text(&s),
            format!("'{key}' is no key here: / to search, ? for the keys")
        );
        assert_eq!(
            (s.view().kind.clone(), s.view().selected),
            (ViewKind::All, 1)
        );
    }
    press(&mut s, &["?"]);
    for key in ["f5", "left", "tab"] {
        assert_eq!(press_as_the_loop_does(&mut s, key), Vec::new(), "{key}");
        assert_eq!(
            message_text(&s),
            format!("'{key}' is no key here: / to search, q/esc closes the help")
        );
        assert_eq!(s.overlay, Some(Overlay::Help), "{key} left the help open");
    }
    // Alt-x is Esc (the help closes) and `x`, which means nothing: said so, naming both.
    assert_eq!(press_as_the_loop_does(&mut s, "alt-x"), Vec::new());
    assert_eq!(s.overlay, None);
    assert_eq!(
        message_text(&s),
        "'x' after esc is no key here: / to search, ? for the keys"
    );
    // Esc with a key that is one, typed together, are still the two keys.
    press(&mut s, &["?"]);
    press_as_the_loop_does(&mut s, "alt-j");
    assert_eq!((s.overlay, s.view().selected), (None, 2));
    // A modifier pressed alone (the kitty keyboard protocol reports it) is no key pressed.
    let shift = Key::plain(crossterm::event::KeyCode::Modifier(
        crossterm::event::ModifierKeyCode::LeftShift,
    ));
    assert_eq!(s.action_for_key(shift), None);
    let alt_shift = Key { alt: true, ..shift };
    assert_eq!(s.unbound_alt_key(alt_shift), None);
}

/// A user test over SSH (tmux `send-keys Escape r`): with the copy menu open, Esc and `r`
/// arrived as Alt-r and said `'alt-r' is no key here`, the menu left open. Wherever an
/// Alt-key means nothing it is Esc, then the key as it reads once Esc has closed what was
/// open: in every overlay, the search line and the lists.
#[test]
fn esc_then_a_key_typed_together_closes_what_is_open_then_does_the_key() {
    // Each context: how to get there, what Esc leaves, then `r` (related papers).
    let related = |s: &AppState| matches!(s.view().kind, ViewKind::Related(_));
    for open in [
        &["y"][..],
        &["e"],
        &["?"],
        &["p"],
        &["/", "t", "p", "5", "3"],
        &["enter"],
        &["z"],
    ] {
        let mut s = state();
        press(&mut s, open);
        press_as_the_loop_does(&mut s, "alt-r");
        assert_eq!(s.overlay, None, "{open:?}");
        assert!(!s.search.editing, "{open:?}");
        assert!(related(&s), "{open:?}: {:?}", s.view().kind);
        assert_eq!(message_text(&s), "", "{open:?}");
    }
    // The link popup, shown when no browser opened a URL.
    let mut s = state();
    s.opened(
        "",
        Some((
            "https://example.org".into(),
            &copy_report(true, false, false),
        )),
    );
    assert_eq!(s.overlay, Some(Overlay::Url));
    press_as_the_loop_does(&mut s, "alt-r");
    assert_eq!(s.overlay, None);
    assert!(related(&s), "{:?}", s.view().kind);
    // In a list, Esc steps back as it does alone: from the related papers to the list.
    press_as_the_loop_does(&mut s, "alt-j");
    assert_eq!(
        (s.view().kind.clone(), s.view().selected),
        (ViewKind::All, 1)
    );
    // A bound Alt-key stays itself: Alt-Right is forward in the history.
    press_as_the_loop_does(&mut s, "alt-right");
    assert!(related(&s), "{:?}", s.view().kind);
    // Esc twice, typed fast, on a kept search being edited: the edit is dropped, then the
    // search is left (in the search line Alt-Esc was one Esc).
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "cd274");
    press(&mut s, &["enter", "/"]);
    press_as_the_loop_does(&mut s, "alt-esc");
    assert!(!s.search.editing);
    assert_eq!(s.view().kind, ViewKind::All);
    // Esc then Enter over the copy menu: closed, nothing copied, then Enter reads the paper
    // (it picked the entry under the cursor).
    let mut s = state();
    press(&mut s, &["y"]);
    assert!(press_as_the_loop_does(&mut s, "alt-enter").is_empty());
    assert_eq!((s.overlay, s.focus), (None, Pane::Detail));
    // In the search line, Alt-b is a word back, not Esc and `b`.
    press(&mut s, &["/"]);
    type_text(&mut s, "tp53 cd274");
    press_as_the_loop_does(&mut s, "alt-b");
    assert!(s.search.editing);
    assert_eq!(s.search.input.cursor(), "tp53 ".len());
}

#[test]
fn counts_are_written_with_thousands_separators() {
    for (n, want) in [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, "1,000"),
        (4529, "4,529"),
        (100_000, "100,000"),
        (1_234_567, "1,234,567"),
    ] {
        assert_eq!(app::thousands(n), want);
    }
    // Messages too: an export of many papers, a reload that added many.
    let mut s = state();
    s.exported(Ok(("./tomes-all-x.bib".into(), 4529)), 1200, 0);
    assert_eq!(
        s.message.map(|m| m.text).as_deref(),
        Some("wrote tomes-all-x.bib (4,529 papers) (1,200 bookmarks not loaded, skipped)")
    );
    let summary = app::ReloadSummary {
        papers_added: 4529,
        papers_removed: 1,
        files_added: 1000,
        files_removed: 0,
        papers_changed: 2,
    };
    assert_eq!(
        summary.describe(),
        "4,529 new papers, 1 paper gone, 2 papers changed, 1,000 files added"
    );
}

/// A reload that changed what papers say (a file rewritten in place) says how many: it said
/// "no changes" with every title different; the same papers loaded again change nothing.
#[test]
fn a_reload_counts_papers_whose_content_changed() {
    let mut s = state();
    let mut same = tomes::library::Library::new();
    for p in common::papers() {
        same.add(p);
    }
    let (summary, _) = s.replace_library(same, Vec::new());
    assert_eq!(summary.describe(), "no changes");
    let mut edited = tomes::library::Library::new();
    for (i, mut p) in common::papers().into_iter().enumerate() {
        if i < 2 {
            p.title = p.title.replace('a', "e");
        }
        edited.add(p);
    }
    let (summary, _) = s.replace_library(edited, Vec::new());
    assert_eq!(summary.papers_changed, 2);
    assert_eq!(summary.describe(), "2 papers changed");
}

/// Carries out the bookmark effects among `effects` on `store`, as the terminal loop does.
fn save_bookmarks(store: &mut tomes::bookmarks::Bookmarks, s: &mut AppState, effects: Vec<Effect>) {
    for effect in effects {
        tomes::tui::change_bookmark(store, s, effect);
    }
}

/// A user test pressed `b` twice in the bookmarks list and lost two bookmarks: the second
/// `b` removed the row that had moved up under the cursor. The removed paper stays on its
/// row until the list is left, so `b` again bookmarks it again.
#[test]
fn b_twice_in_the_bookmarks_list_removes_and_restores_the_same_bookmark() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, _) = tomes::bookmarks::Bookmarks::open(Some(dir.path()));
    let mut s = state();
    press_saving(&mut store, &mut s, &["b", "j", "b", "j", "b", "B"]);
    assert_eq!(s.view().kind, ViewKind::Bookmarks);
    assert_eq!(s.view().rows.len(), 3);
    press_saving(&mut store, &mut s, &["g", "j"]);
    let second = s.selected_paper();
    press_saving(&mut store, &mut s, &["b"]);
    assert_eq!(s.bookmarks().len(), 2, "removed");
    assert_eq!(s.view().rows.len(), 3, "its row stays");
    assert_eq!(s.selected_paper(), second, "the cursor stays on it");
    // It is no bookmark: the title counts it apart, and exporting the list leaves it out.
    assert_eq!(tomes::ui::view_title(&s), "Bookmarks (2, 1 removed)");
    let (exported, _) = s.export_papers(tomes::app::ExportScope::CurrentList);
    assert_eq!(exported.len(), 2);
    assert!(!exported.contains(&second.unwrap()));
    press_saving(&mut store, &mut s, &["b"]);
    assert_eq!(
        s.bookmarks().len(),
        3,
        "b again bookmarks the same paper again"
    );
    assert_eq!(s.view().selected, 1);
    assert_eq!(s.selected_paper(), second);
    // Removed rows go once the list is left.
    press_saving(&mut store, &mut s, &["b", "esc", "B"]);
    assert_eq!(s.view().rows.len(), 2);
    assert!(!s.view().rows.contains(&Row::Paper(second.unwrap())));
}

/// A bookmark file damaged while tomes runs (a hand edit) is found by the next save: the
/// readable bookmarks are kept, and the user is told as at start-up, in the status bar and
/// in the problems list.
#[test]
fn a_bookmark_file_damaged_while_running_is_reported_by_the_next_save() {
    use tomes::bookmarks::Bookmarks;
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, problem) = Bookmarks::open(Some(dir.path()));
    assert_eq!(problem, None);
    let mut s = state();
    let effects = press(&mut s, &["b"]);
    save_bookmarks(&mut store, &mut s, effects);
    assert_eq!(s.problem_count(), 0);
    let file = dir.path().join("bookmarks.toml");
    let mut text = std::fs::read_to_string(&file).expect("saved");
    text.push_str("\n[[bookmark]]\ntitle = \"an entry without its key\"\n");
    std::fs::write(&file, text).expect("hand edit");
    let effects = press(&mut s, &["j", "b"]);
    save_bookmarks(&mut store, &mut s, effects);
    assert_eq!(s.problem_count(), 1);
    let said = s.message.clone().expect("a message").text;
    assert!(
        said.starts_with("bookmark file damaged; readable ones kept · bookmarked (b undoes): "),
        "{said}"
    );
    let listed = buffer_text(&common::render(&mut s, 80, 24));
    assert!(listed.contains("1 problem (p)"), "{listed}");
    press(&mut s, &["p"]);
    let problems = buffer_text(&common::render(&mut s, 80, 24));
    let joined: String = problems.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(joined.contains("missing field `key`"), "{joined}");
    let (reopened, problem) = Bookmarks::open(Some(dir.path()));
    assert_eq!(problem, None);
    assert_eq!(reopened.list().len(), 2, "both bookmarks kept");
}

/// In the bookmarks list, `b` removes a bookmark and `u` brings it back: in the list (selected
/// again) and in `bookmarks.toml`, saved by the same store call as any other change.
#[test]
fn a_removed_bookmark_comes_back_with_u_and_is_saved() {
    use tomes::bookmarks::Bookmarks;
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, problem) = Bookmarks::open(Some(dir.path()));
    assert_eq!(problem, None);
    let mut s = state();
    for keys in [&["j"][..], &["j", "j"]] {
        press(&mut s, keys);
        let effects = press(&mut s, &["b"]);
        save_bookmarks(&mut store, &mut s, effects);
    }
    let kept = PaperKey("PMID:100002".into());
    let removed = PaperKey("PMID:100004".into());
    assert!(s.is_bookmarked(&kept) && s.is_bookmarked(&removed));

    press(&mut s, &["B", "j"]);
    assert_eq!(s.view().kind, ViewKind::Bookmarks);
    assert_eq!(
        selected_title(&s),
        "Cisplatin resistance through CD274 in ovarian cancer cells"
    );
    let bookmark_before = s
        .bookmarks()
        .iter()
        .find(|b| b.key == removed)
        .cloned()
        .expect("bookmarked");
    let effects = press(&mut s, &["b"]);
    save_bookmarks(&mut store, &mut s, effects);
    assert!(!s.is_bookmarked(&removed));
    assert_eq!(
        s.view().rows.len(),
        2,
        "the removed bookmark stays on its row until the list is left"
    );
    let message = s.message.clone().expect("a message").text;
    assert_eq!(
        message,
        "bookmark removed (u undoes): Cisplatin resistance through CD274 in ovarian cancer cells"
    );
    let on_disk = |dir: &std::path::Path| {
        let (store, _) = Bookmarks::open(Some(dir));
        store
            .list()
            .iter()
            .map(|b| b.key.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        on_disk(dir.path()),
        vec![kept.clone()],
        "the removal was saved"
    );

    // Other keys in between do not lose the way back.
    press(&mut s, &["k", "tab", "shift-tab"]);
    let effects = press(&mut s, &["u"]);
    // The bookmark as it was, with the time it was first added.
    assert_eq!(effects, vec![Effect::RestoreBookmark(bookmark_before)]);
    save_bookmarks(&mut store, &mut s, effects);
    assert!(s.is_bookmarked(&removed));
    assert_eq!(s.view().rows.len(), 2);
    assert_eq!(
        selected_title(&s),
        "Cisplatin resistance through CD274 in ovarian cancer cells",
        "the restored bookmark is selected"
    );
    assert_eq!(
        s.message.clone().map(|m| m.text).as_deref(),
        Some("bookmark restored: Cisplatin resistance through CD274 in ovarian cancer cells")
    );
    assert_eq!(
        on_disk(dir.path()),
        vec![kept, removed.clone()],
        "the undo was saved"
    );
    let saved = std::fs::read_to_string(dir.path().join("bookmarks.toml")).expect("saved");
    assert!(
        saved.contains("title = \"Cisplatin resistance through CD274 in ovarian cancer cells\""),
        "{saved}"
    );

    // Nothing more to undo.
    assert_eq!(press(&mut s, &["u"]), Vec::new());
    assert!(
        s.message
            .clone()
            .is_some_and(|m| m.text.starts_with("nothing to undo")),
        "{:?}",
        s.message
    );
}

/// A bookmark removed and then bookmarked again leaves nothing to undo, and `u` says so
/// rather than that no bookmark was removed; removed once more, `u` takes it back again.
#[test]
fn undo_after_bookmarking_again_says_why_there_is_nothing_to_undo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, _) = tomes::bookmarks::Bookmarks::open(Some(dir.path()));
    let mut s = state();
    let said = message_text;
    press_saving(&mut store, &mut s, &["u"]);
    assert_eq!(
        said(&s),
        "nothing to undo: no bookmark was removed in this session"
    );
    press_saving(&mut store, &mut s, &["b", "b", "b", "u"]);
    assert_eq!(said(&s), "nothing to undo: the removed bookmarks are back");
    press_saving(&mut store, &mut s, &["b", "u", "u"]);
    assert_eq!(s.bookmarks().len(), 1, "taken back");
    assert_eq!(said(&s), "nothing to undo: the removed bookmarks are back");
}

/// `u` undoes removals latest first, skips a paper bookmarked again since, and never removes
/// one that another session bookmarked meanwhile.
#[test]
fn undo_takes_removals_back_latest_first() {
    use tomes::bookmarks::Bookmarks;
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, _) = Bookmarks::open(Some(dir.path()));
    let mut s = state();
    // Bookmark papers 1, 2, 3, then remove them in that order (b toggles in the list view).
    for _ in 0..3 {
        let effects = press(&mut s, &["b", "j"]);
        save_bookmarks(&mut store, &mut s, effects);
    }
    press(&mut s, &["g"]);
    for _ in 0..3 {
        let effects = press(&mut s, &["b", "j"]);
        save_bookmarks(&mut store, &mut s, effects);
    }
    assert!(s.bookmarks().is_empty());
    let key = |i: usize| s.library.paper(i as u32).key.clone();
    let (first, second, third) = (key(0), key(1), key(2));
    // The second is bookmarked again by hand: undo skips it.
    press(&mut s, &["g", "j"]);
    let effects = press(&mut s, &["b"]);
    save_bookmarks(&mut store, &mut s, effects);
    let restore = |s: &mut AppState, store: &mut Bookmarks| {
        let effects = press(s, &["u"]);
        let restored = match effects.first() {
            Some(Effect::RestoreBookmark(bookmark)) => bookmark.key.clone(),
            other => panic!("expected a restore, got {other:?}"),
        };
        save_bookmarks(store, s, effects);
        restored
    };
    assert_eq!(restore(&mut s, &mut store), third);
    assert_eq!(restore(&mut s, &mut store), first);
    assert_eq!(
        press(&mut s, &["u"]),
        Vec::new(),
        "the second was never gone twice"
    );
    for k in [&first, &second, &third] {
        assert!(store.contains(k) && s.is_bookmarked(k), "{k}");
    }
    // A restore of a paper the store has already (another session added it back) keeps it.
    let effects = press(&mut s, &["b"]); // the second, selected, removed again
    save_bookmarks(&mut store, &mut s, effects);
    assert!(!store.contains(&second));
    store
        .toggle(&second, "added by another session")
        .expect("saved");
    let effects = press(&mut s, &["u"]);
    save_bookmarks(&mut store, &mut s, effects);
    assert!(store.contains(&second) && s.is_bookmarked(&second));
}

/// A paper whose abstract the library keeps as a place in its file: the state asks the loop
/// to read it once for the paper on screen, shows it, offers it in the copy menu's BibTeX,
/// and shows why when the file changed instead of other text.
#[test]
fn an_abstract_kept_in_its_file_is_read_once_for_the_paper_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.pubtator");
    std::fs::write(
        &file,
        "1|t|First paper\n1|a|The first abstract.\n\n2|t|Second paper\n2|a|The second one.\n",
    )
    .unwrap();
    let (library, _) = tomes::library::load(std::slice::from_ref(&file));
    let mut s = AppState::new(library, Keymap::defaults());
    let place = s
        .abstract_to_read()
        .expect("the first paper's abstract is to be read");
    let paper = s.library.paper(s.selected_paper().unwrap()).clone();
    assert_eq!(s.abstract_of(&paper), Some(Err("reading…")));
    let text = tomes::library::read_place(&place);
    s.abstract_read(place, text);
    assert_eq!(s.abstract_to_read(), None, "read once");
    assert_eq!(s.abstract_of(&paper), Some(Ok("The first abstract.")));
    let screen = buffer_text(&render(&mut s, 100, 30));
    assert!(screen.contains("The first abstract."), "{screen}");
    let bibtex = s.copy_choices().pop().unwrap().text.unwrap();
    assert!(
        bibtex.contains("abstract = {The first abstract.}"),
        "{bibtex}"
    );

    // The next paper's abstract is another place; its file has changed meanwhile.
    press(&mut s, &["j"]);
    let place = s.abstract_to_read().expect("the second paper's abstract");
    std::fs::write(&file, "1|t|First paper\n1|a|Rewritten.\n").unwrap();
    let text = tomes::library::read_place(&place);
    s.abstract_read(place, text);
    let screen = buffer_text(&render(&mut s, 100, 30));
    assert!(screen.contains("changed since it was loaded"), "{screen}");
    assert!(!screen.contains("Rewritten"), "{screen}");
}

/// A reload reads the abstract on screen again: a file that could not be read (moved away
/// and back, which keeps its size and time and so its places) shows its abstract after R.
#[test]
fn a_reload_reads_the_abstract_on_screen_again() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.pubtator");
    std::fs::write(&file, "1|t|First paper\n1|a|The first abstract.\n").unwrap();
    let (library, _) = tomes::library::load(std::slice::from_ref(&file));
    let mut s = AppState::new(library, Keymap::defaults());
    let place = s.abstract_to_read().expect("to be read");
    let away = dir.path().join("away.pubtator");
    std::fs::rename(&file, &away).unwrap();
    let text = tomes::library::read_place(&place);
    assert!(text.is_err(), "{text:?}");
    s.abstract_read(place, text);
    std::fs::rename(&away, &file).unwrap();
    let (library, problems) = tomes::library::load(std::slice::from_ref(&file));
    s.replace_library(library, problems.problems);
    let place = s.abstract_to_read().expect("read again after the reload");
    let text = tomes::library::read_place(&place);
    s.abstract_read(place, text);
    let screen = buffer_text(&render(&mut s, 100, 30));
    assert!(screen.contains("The first abstract."), "{screen}");
}

/// The six papers with papers 0-2 in file b and 3-5 in file a (lines 1-3 each), added in
/// that order: source order is 3, 4, 5, 0, 1, 2.
fn state_loaded_out_of_order() -> AppState {
    use std::path::Path;
    use tomes::library::Library;
    let mut library = Library::new();
    library.set_file_order([Path::new("a.pubtator"), Path::new("b.pubtator")]);
    for (i, mut p) in common::papers().into_iter().enumerate() {
        let file = if i < 3 { "b.pubtator" } else { "a.pubtator" };
        p.sources[0].path = Path::new(file).into();
        p.sources[0].line = i % 3 + 1;
        library.add(p);
    }
    AppState::new(library, Keymap::defaults())
}

fn shown_papers(s: &AppState) -> Vec<u32> {
    s.view()
        .rows
        .iter()
        .map(|r| match r {
            Row::Paper(p) => *p,
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn a_source_order_reorders_lists_and_keeps_the_selected_paper_on_its_line() {
    use std::sync::Arc;
    use tomes::library::SourceOrder;
    let mut s = state_loaded_out_of_order();
    s.viewport.list_rows = 3;
    assert_eq!(shown_papers(&s), [0, 1, 2, 3, 4, 5]);
    let keys = s.library.order_keys().to_vec();
    let order = Arc::new(SourceOrder::of(&keys));

    // Untouched at its top (the load ended before any key), the list stays at its top.
    let mut untouched = state_loaded_out_of_order();
    untouched.apply_source_order(Arc::clone(&order));
    assert_eq!(shown_papers(&untouched), [3, 4, 5, 0, 1, 2]);
    assert_eq!(untouched.view().selected_row(), Some(Row::Paper(3)));

    // Read: the focus on the detail pane.
    press(&mut s, &["j", "tab"]);

    // An order of another library (a paper short) is dropped.
    let stale = Arc::new(SourceOrder::of(&keys[..5]));
    assert!(s.apply_source_order(stale).is_empty());
    assert_eq!(shown_papers(&s), [0, 1, 2, 3, 4, 5]);

    assert_eq!(order.sorted, [3, 4, 5, 0, 1, 2]);
    assert!(s.apply_source_order(Arc::clone(&order)).is_empty());
    assert_eq!(shown_papers(&s), [3, 4, 5, 0, 1, 2]);
    // Paper 1 was on the list's second line: it still is.
    assert_eq!(s.view().selected_row(), Some(Row::Paper(1)));
    assert_eq!(s.view().selected - s.view().offset, 1);
    press(&mut s, &["shift-tab"]);

    // An entity's papers follow the order too where they mention it as often: CD274 is
    // twice in paper 0, once in papers 1 and 3.
    press(&mut s, &["tab", "tab"]);
    jump_to_selected_entity(&mut s, "NCBIGene:29126");
    assert_eq!(shown_papers(&s), [0, 3, 1]);
    assert_eq!(s.view().selected_row(), Some(Row::Paper(0)));

    // A search on screen is asked again, for its ties to follow the order.
    press(&mut s, &["/", "ctrl-u"]);
    type_text(&mut s, "cd274");
    press(&mut s, &["enter"]);
    let effects = s.apply_source_order(order);
    assert!(
        matches!(&effects[..], [Effect::Search { query, .. }] if query == "cd274"),
        "{effects:?}"
    );
}

/// Esc while editing a search gone back to puts its query back and keeps the history; Esc
/// on a search view not being edited drops that view alone.
#[test]
fn esc_on_an_edited_search_keeps_the_history() {
    let mut s = state();
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "cd274");
    s.apply_search_results(results(last_generation(&effects), &[0, 1, 3]));
    press(&mut s, &["enter", "tab", "tab"]);
    jump_to_selected_entity(&mut s, "NCBIGene:29126");
    assert_eq!(s.history.len(), 3);
    press(&mut s, &["backspace"]);
    assert_eq!(s.history_pos, 1);
    // Back where the jump left: the entity pane, which Esc leaves for the list.
    assert_eq!(s.focus, Pane::Entities);
    press(&mut s, &["esc"]);
    assert_eq!(s.focus, Pane::Papers);
    // `/` shows the query selected; End keeps it to type after.
    press(&mut s, &["/", "end"]);
    type_text(&mut s, "x");
    assert_eq!(
        s.view().kind,
        ViewKind::Search {
            query: "cd274x".into()
        }
    );
    let effects = press(&mut s, &["esc"]);
    assert!(
        matches!(&effects[..], [Effect::Search { query, .. }] if query == "cd274"),
        "{effects:?}"
    );
    assert!(!s.search.editing);
    assert_eq!(
        s.view().kind,
        ViewKind::Search {
            query: "cd274".into()
        }
    );
    assert_eq!((s.history_pos, s.history.len()), (1, 3));
    // Forward still reaches the entity.
    press(&mut s, &["alt-right"]);
    assert!(matches!(s.view().kind, ViewKind::Entity(_)));

    // Esc on the kept search view, not editing: it is left as Backspace leaves it, and
    // nothing goes from the history (a user test lost a kept search to Esc). (Back in it,
    // the focus is on the entity pane the jump left; the first Esc returns to the list.)
    press(&mut s, &["backspace"]);
    press(&mut s, &["esc", "esc"]);
    assert_eq!(s.view().kind, ViewKind::All);
    assert!(s.search.input.is_empty());
    assert_eq!((s.history_pos, s.history.len()), (0, 3));
    press(&mut s, &["alt-right"]);
    assert_eq!(
        s.view().kind,
        ViewKind::Search {
            query: "cd274".into()
        }
    );
    press(&mut s, &["alt-right"]);
    assert!(matches!(s.view().kind, ViewKind::Entity(_)));
}

/// A new search typed and dropped with Esc goes nowhere, so, as a browser keeps its forward
/// pages when what was typed in its address bar is not gone to, the history ahead stays: a
/// user test lost `tp53` (`history 1/2`, then `already at the end of the history`) to
/// `/asthma` Esc. A search kept with Enter is gone to, and drops what was ahead.
#[test]
fn a_new_search_dropped_with_esc_keeps_the_history_ahead() {
    let mut s = state();
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "tp53");
    s.apply_search_results(results(last_generation(&effects), &[0, 1, 2]));
    press(&mut s, &["enter", "esc"]);
    assert_eq!((s.history_pos, s.history.len()), (0, 2));
    press(&mut s, &["/"]);
    type_text(&mut s, "asthma");
    assert_eq!((s.history_pos, s.history.len()), (1, 2));
    press(&mut s, &["esc"]);
    assert_eq!(s.view().kind, ViewKind::All);
    assert_eq!((s.history_pos, s.history.len()), (0, 2));
    press(&mut s, &["alt-right"]);
    assert_eq!(
        s.view().kind,
        ViewKind::Search {
            query: "tp53".into()
        }
    );
    // Kept, a new search replaces what was ahead.
    press(&mut s, &["alt-left", "/"]);
    type_text(&mut s, "cd274");
    press(&mut s, &["enter"]);
    press(&mut s, &["alt-left"]);
    assert_eq!((s.history_pos, s.history.len()), (0, 2));
    press(&mut s, &["alt-right"]);
    assert_eq!(
        s.view().kind,
        ViewKind::Search {
            query: "cd274".into()
        }
    );
}

/// A key listed twice for one action is one key; ctrl-shift-letter is refused (terminals
/// send it as ctrl-letter), not taken silently as ctrl-letter.
#[test]
fn keymap_takes_a_repeated_key_once_and_refuses_ctrl_shift_letters() {
    let mut overrides = BTreeMap::new();
    overrides.insert(
        "move_down".to_string(),
        vec!["j".to_string(), "j".to_string()],
    );
    overrides.insert("zoom".to_string(), vec!["ctrl-shift-q".to_string()]);
    let (keymap, problems) = Keymap::with_overrides(&overrides);
    let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("ctrl-shift-q"), "{messages:?}");
    assert!(messages[0].contains("write that"), "{messages:?}");
    assert_eq!(keymap.describe_keys(&Action::MoveDown), "j");
    // Its only key refused, zoom keeps its default.
    assert_eq!(keymap.action(Key::char('z')), Some(&Action::Zoom));
}

/// Abstracts kept in their file: editing the first one moves every later one in the file,
/// but only the edited paper counts as changed; one edited to the same length counts too.
#[test]
fn a_reload_counts_an_abstract_changed_in_its_file_and_no_other() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("a.pubtator");
    let record = |pmid: u32, text: &str| format!("{pmid}|t|Title {pmid}.\n{pmid}|a|{text}\n\n");
    let write = |first: &str| {
        let mut all = record(1, first);
        for pmid in 2..=5 {
            all.push_str(&record(pmid, "An abstract that stays as it is."));
        }
        std::fs::write(&file, all).expect("write");
    };
    let load = || tomes::library::load(&[dir.path().to_path_buf()]).0;
    write("The first abstract.");
    let mut s = AppState::new(load(), Keymap::defaults());
    write("The first abstract, now longer than it was.");
    let (summary, _) = s.replace_library(load(), Vec::new());
    assert_eq!(summary.describe(), "1 paper changed");
    write("The first abstract, now longer than it is!");
    let (summary, _) = s.replace_library(load(), Vec::new());
    assert_eq!(
        summary.describe(),
        "1 paper changed",
        "same length, other text"
    );
    let (summary, _) = s.replace_library(load(), Vec::new());
    assert_eq!(summary.describe(), "no changes");
}

/// Opening the bookmarks list reads the file again: a bookmark another session (a second
/// SSH login) made since is listed.
#[test]
fn opening_bookmarks_shows_another_sessions_changes() {
    use tomes::bookmarks::Bookmarks;
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut mine, _) = Bookmarks::open(Some(dir.path()));
    let (mut other, _) = Bookmarks::open(Some(dir.path()));
    let mut s = state();
    let key = s.library.paper(2).key.clone();
    other
        .toggle(&key, &s.library.paper(2).title.clone())
        .expect("saved");
    assert!(!s.is_bookmarked(&key));
    let effects = press(&mut s, &["B"]);
    assert_eq!(effects, vec![Effect::SyncBookmarks]);
    save_bookmarks(&mut mine, &mut s, effects);
    assert!(s.is_bookmarked(&key));
    assert_eq!(s.view().rows, vec![Row::Paper(2)]);
}

/// The browser's problems list says what `tomes check` says of a link whose target is
/// missing, named on the command line or found in a folder: where it points.
#[cfg(unix)]
#[test]
fn links_to_missing_files_are_listed_with_their_targets_among_the_problems() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("papers");
    std::fs::create_dir(&folder).expect("mkdir");
    std::os::unix::fs::symlink("../moved.pubtator", folder.join("inner.pubtator")).expect("link");
    let given = dir.path().join("given.pubtator");
    std::os::unix::fs::symlink("gone.pubtator", &given).expect("link");

    let mut s = AppState::loading(Keymap::defaults());
    for event in tomes::library::spawn_loader(vec![given.clone(), folder]) {
        s.apply_load_event(event);
    }
    assert!(s.load.done);
    press(&mut s, &["p"]);
    let text = buffer_text(&render(&mut s, 80, 24));
    let joined: String = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
        .collect::<Vec<_>>()
        .join(" ");
    for said in [
        format!(
            "{}: a link to gone.pubtator, which does not exist; skipped",
            given.display()
        ),
        "inner.pubtator: a link to ../moved.pubtator, which does not exist; skipped".into(),
    ] {
        assert!(joined.contains(&said), "{said:?} in:\n{text}");
    }
}

/// Presses keys one at a time, saving bookmark changes in `store` as the terminal loop does.
fn press_saving(store: &mut tomes::bookmarks::Bookmarks, s: &mut AppState, keys: &[&str]) {
    for key in keys {
        let effects = press(s, &[key]);
        save_bookmarks(store, s, effects);
    }
}

/// `brca` typed without `/`: `b` bookmarked the paper, `r` listed its related papers, and
/// the hint for `c` hid "bookmarked", so a user test never learned of it. The hint says the
/// bookmark again, with how to undo it from where the user is now.
#[test]
fn a_query_typed_without_slash_still_says_what_its_letters_bookmarked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, _) = tomes::bookmarks::Bookmarks::open(Some(dir.path()));
    let mut s = state();
    let said = message_text;
    press_saving(&mut store, &mut s, &["b"]);
    assert_eq!(
        said(&s),
        "bookmarked (b undoes): CD274 expression predicts checkpoint response in melanoma"
    );
    press_saving(&mut store, &mut s, &["r", "c"]);
    assert!(matches!(s.view().kind, ViewKind::Related(_)));
    let hint = "'c' is no key: / searches; b bookmarked a paper (undo in B)";
    assert_eq!(said(&s), hint);
    press_saving(&mut store, &mut s, &["a"]);
    assert_eq!(said(&s), hint.replace("'c'", "'a'"));
    // Which it says: B lists it, b there removes it.
    press_saving(&mut store, &mut s, &["B", "b"]);
    assert!(s.bookmarks().is_empty());
    assert!(
        said(&s).starts_with("bookmark removed (u undoes): "),
        "{}",
        said(&s)
    );

    // On the paper still: b again. A removal: u.
    let mut s = state();
    press_saving(&mut store, &mut s, &["b", "x"]);
    assert_eq!(
        said(&s),
        "'x' is no key: / searches; b bookmarked this paper (b undoes)"
    );
    press_saving(&mut store, &mut s, &["b", "x"]);
    assert_eq!(
        said(&s),
        "'x' is no key: / searches; b removed a bookmark (u undoes)"
    );
    // At 80 columns the new message comes first and the bookmark's words stay whole: it
    // read `b removed a bookmark (u undoes); 'x' is no…`.
    let status = common::buffer_text(&common::render(&mut s, 80, 24))
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned();
    assert!(
        status.contains("│ 'x' is no key: / searches; b removed a bookmark (u undoes)"),
        "{status}"
    );
    // A few keys later it is no longer part of what was typed.
    press_saving(&mut store, &mut s, &["j", "k", "j", "k", "x"]);
    assert_eq!(said(&s), "'x' is no key here: / to search, ? for the keys");

    // Restored by u, it is not said to be b's doing (a user test read `b bookmarked this
    // paper`).
    let mut s = state();
    press_saving(&mut store, &mut s, &["b", "b", "u", "x"]);
    assert_eq!(
        said(&s),
        "'x' is no key: / searches; u restored this paper's bookmark (b removes it)"
    );
}

#[test]
fn a_gene_typed_without_slash_still_says_what_file_it_wrote() {
    // A user test typed E2F1 without `/`: `e` opened the export menu, `2` wrote every paper
    // as RIS, and the hint for `1` hid the "wrote".
    let mut s = state();
    let said = message_text;
    let effects = type_text(&mut s, "e2");
    let Some(Effect::Export { papers, .. }) = effects.last() else {
        panic!("{effects:?}")
    };
    s.exported(Ok(("./tomes-all-x.ris".into(), papers.len())), 0, 0);
    type_text(&mut s, "f1");
    assert_eq!(
        said(&s),
        "'1' is no key: / searches; e wrote tomes-all-x.ris (6 papers)"
    );
    // A copy (`y` and a number) replaced the clipboard: said again too.
    let mut s = state();
    let effects = type_text(&mut s, "y2");
    let Some(Effect::Copy { what, .. }) = effects.last() else {
        panic!("{effects:?}")
    };
    s.copied(&what.clone(), &copy_report(true, false, false));
    type_text(&mut s, "x");
    assert_eq!(said(&s), "'x' is no key: / searches; y copied PMID");
    // A few keys later it is no longer part of what was typed.
    press(&mut s, &["j", "k", "j", "k", "x"]);
    assert_eq!(said(&s), "'x' is no key here: / to search, ? for the keys");
}

/// A letter no key is bound to, typed outside the search line, says how to search (a user
/// test typed a query without `/`; its letters that are keys ran, the others did nothing).
/// Bound letters keep their meaning, and the search line takes every letter.
#[test]
fn an_unbound_letter_says_how_to_search() {
    let mut s = state();
    let effects = press(&mut s, &["x"]);
    assert!(effects.is_empty(), "{effects:?}");
    let said = s.message.as_ref().map(|m| m.text.clone());
    assert_eq!(
        said.as_deref(),
        Some("'x' is no key here: / to search, ? for the keys")
    );
    assert_eq!(s.view().kind, ViewKind::All);
    press(&mut s, &["j"]);
    assert_eq!(s.view().selected, 1);
    assert!(s.message.is_none());
    press(&mut s, &["/"]);
    type_text(&mut s, "x");
    assert_eq!(s.search.input.as_str(), "x");
    assert!(s.message.is_none());
}

/// `tp53` typed without `/`: `p` opened the problems and `5`, `3` vanished without a word.
/// In every overlay a letter that is no key there says so, as the main view does, with the
/// keys of the overlay; the overlay stays open and nothing else happens.
#[test]
fn a_letter_that_is_no_key_in_an_overlay_says_so() {
    let said = message_text;
    let mut s = state();
    type_text(&mut s, "tp");
    assert_eq!(s.overlay, Some(Overlay::Problems));
    for c in ['5', '3'] {
        assert_eq!(type_text(&mut s, &c.to_string()), Vec::new());
        assert_eq!(s.overlay, Some(Overlay::Problems));
        assert_eq!(
            said(&s),
            format!("'{c}' is no key here: / to search, q/esc closes the problems")
        );
    }
    // A key of the main view means nothing here either: said so, not done.
    let effects = press(&mut s, &["b", "o", "r"]);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(s.bookmarks().is_empty() && s.view().kind == ViewKind::All);
    assert_eq!(
        said(&s),
        "'r' is no key here: / to search, q/esc closes the problems"
    );
    // Its own keys still work and say nothing.
    press(&mut s, &["j"]);
    assert_eq!(said(&s), "");

    let cases: [(&str, Overlay, &str); 3] = [
        (
            "?",
            Overlay::Help,
            "'x' is no key here: / to search, q/esc closes the help",
        ),
        (
            "y",
            Overlay::CopyMenu,
            "'x' is no key here: 1-6 copies, q/esc closes, / searches",
        ),
        // The fixture has no bookmarks: their entries export nothing.
        (
            "e",
            Overlay::ExportMenu,
            "'x' is no key here: 1-3 exports, q/esc closes, / searches",
        ),
    ];
    for (open, overlay, hint) in cases {
        let mut s = state();
        press(&mut s, &[open]);
        assert_eq!(s.overlay, Some(overlay));
        assert_eq!(press(&mut s, &["x"]), Vec::new());
        assert_eq!((s.overlay, said(&s)), (Some(overlay), hint.to_owned()));
        assert_eq!(
            press(&mut s, &["b"]),
            Vec::new(),
            "b bookmarks nothing here"
        );
        assert_eq!(s.overlay, Some(overlay));
    }
    let mut s = state();
    s.opened(
        "no display to open a browser on: URL shown instead",
        Some(("https://doi.org/x".into(), &copy_report(true, false, false))),
    );
    press(&mut s, &["x"]);
    assert_eq!(
        said(&s),
        "'x' is no key here: / to search, q/esc closes the link"
    );
}

/// `/` in an overlay did nothing: it is a search wherever it is typed, so the overlay
/// closes and the search line opens; a paste into an overlay searches for it too.
#[test]
fn slash_or_a_paste_in_an_overlay_starts_a_search() {
    for open in ["?", "p", "y", "e"] {
        let mut s = state();
        press(&mut s, &[open]);
        assert!(s.overlay.is_some());
        press(&mut s, &["/"]);
        assert_eq!(s.overlay, None, "after {open}");
        assert!(s.search.editing, "after {open}");
        type_text(&mut s, "tp53");
        assert_eq!(s.search.input.as_str(), "tp53");
    }
    let mut s = state();
    press(&mut s, &["?"]);
    let effects = app::update(&mut s, Action::SearchPaste("brca1".into()));
    assert_eq!(s.overlay, None);
    assert_eq!(s.search.input.as_str(), "brca1");
    assert!(
        matches!(effects, Some(Effect::Search { .. })),
        "{effects:?}"
    );
}

/// `u` after an accidental `b` said "no bookmark was removed": true, and no help. It says
/// that `u` undoes removals only and how to take the addition back from where the user is.
#[test]
fn u_after_b_added_a_bookmark_says_how_to_take_it_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, _) = tomes::bookmarks::Bookmarks::open(Some(dir.path()));
    let said = message_text;
    let mut s = state();
    press_saving(&mut store, &mut s, &["b", "u"]);
    assert_eq!(s.bookmarks().len(), 1, "u changed nothing");
    assert_eq!(
        said(&s),
        "nothing to undo; b again removes the bookmark just added"
    );
    // `brca` typed without `/`: b, then r listed related papers; u there.
    press_saving(&mut store, &mut s, &["r", "c", "a", "u"]);
    assert_eq!(
        said(&s),
        "nothing to undo; to remove the new bookmark: B, then b on it"
    );
    press_saving(&mut store, &mut s, &["B", "u"]);
    assert_eq!(
        said(&s),
        "nothing to undo; b again removes the bookmark just added"
    );
    // Taken back: then u has a removal to undo.
    press_saving(&mut store, &mut s, &["b"]);
    assert!(s.bookmarks().is_empty());
    let effects = press(&mut s, &["u"]);
    assert!(
        matches!(effects.as_slice(), [Effect::RestoreBookmark(_)]),
        "{effects:?}"
    );
}

/// `b` then `u` on a bookmark whose paper is not loaded: its row goes, then came back at the
/// bottom of the list in a user test, though the file had it in its place. It comes back
/// where it was, and selected.
#[test]
fn undo_puts_a_bookmark_not_loaded_back_in_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let entries = [
        ("PMID:901", "First paper not loaded"),
        ("PMID:902", "Second paper not loaded"),
        ("PMID:100004", "Cisplatin resistance"),
        ("PMID:903", "Third paper not loaded"),
    ];
    let file: String = entries
        .iter()
        .enumerate()
        .map(|(i, (key, title))| {
            let added = format!("2026-11-28T12:41:1{i}.000Z");
            format!("[[bookmark]]\nkey = \"{key}\"\ntitle = \"{title}\"\nadded = \"{added}\"\n\n")
        })
        .collect();
    std::fs::write(dir.path().join("bookmarks.toml"), file).expect("write bookmarks");
    let (mut store, _) = tomes::bookmarks::Bookmarks::open(Some(dir.path()));
    let mut s = state();
    s.set_bookmarks(store.list().to_vec());
    press_saving(&mut store, &mut s, &["B"]);
    let before = listed_keys(&s);
    assert_eq!(before, ["PMID:901", "PMID:902", "PMID:100004", "PMID:903"]);
    for (at, key) in [("j", "PMID:902"), ("g", "PMID:901")] {
        press_saving(&mut store, &mut s, &["g", at, "b"]);
        assert!(!listed_keys(&s).contains(&key.to_string()), "{key} goes");
        press_saving(&mut store, &mut s, &["u"]);
        assert_eq!(listed_keys(&s), before, "{key} back in its place");
        assert!(
            matches!(s.view().selected_row(), Some(Row::MissingBookmark(i)) if s.bookmarks()[i].key.as_str() == key),
            "{key} selected"
        );
    }
}

/// `[keys] move_down = ["j", "down"]` and `search = "j"`: the problem list said only that
/// `j` stayed with move_down, never that search had no key left; the top bar then read
/// `unbound search`, and `q` (quit moved to `Q`) said `'q' is no key here: unbound to
/// search, ? for the keys`.
#[test]
fn an_action_a_clash_leaves_without_a_key_is_said_so_and_left_out_of_hints() {
    let mut overrides = BTreeMap::new();
    overrides.insert("move_down".to_string(), vec!["j".into(), "down".into()]);
    overrides.insert("search".to_string(), vec!["j".into()]);
    overrides.insert("quit".to_string(), vec!["Q".into()]);
    let (keymap, problems) = Keymap::with_overrides(&overrides);
    let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        messages,
        [
            "keys.search: \"j\" is bound to both move_down and search; keeping move_down; \
             search has no key left; give it one in [keys]"
        ]
    );
    assert_eq!(keymap.keys_then(&Action::Search, "to search"), None);
    assert_eq!(
        keymap.keys_then(&Action::MoveDown, "moves").as_deref(),
        Some("j/down moves")
    );
    // A clash that leaves the action another key says nothing more.
    overrides.insert("search".to_string(), vec!["j".into(), "/".into()]);
    let (_, problems) = Keymap::with_overrides(&overrides);
    assert_eq!(
        problems.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        ["keys.search: \"j\" is bound to both move_down and search; keeping move_down"]
    );

    overrides.insert("search".to_string(), vec!["j".into()]);
    let (keymap, _) = Keymap::with_overrides(&overrides);
    let mut s = AppState::new(common::library(), keymap);
    press(&mut s, &["q"]);
    assert_eq!(message_text(&s), "'q' is no key here: ? for the keys");
    press(&mut s, &["?", "q"]);
    assert_eq!(
        message_text(&s),
        "'q' is no key here: Q/esc closes the help"
    );
    press(&mut s, &["Q"]);
    assert_eq!(s.overlay, None, "Q, the quit key, closes the help");
    press(&mut s, &["?"]);
    press(&mut s, &["esc"]);
    // Nothing at all to offer: the words alone.
    let mut overrides = BTreeMap::new();
    overrides.insert("search".to_string(), vec![]);
    overrides.insert("help".to_string(), vec![]);
    let (keymap, _) = Keymap::with_overrides(&overrides);
    let mut s = AppState::new(common::library(), keymap);
    press(&mut s, &["x"]);
    assert_eq!(message_text(&s), "'x' is no key here");
}

// ---------------------------------------------------------------------------------------------
// Keys that arrive before a search's results: held for them, in order (`HeldInput`).

use std::time::{Duration, Instant};
use tomes::input::{HOLD_LIMIT, HeldInput};

/// Whether `key` waits for the search's results in `s` (as the loop decides it).
fn key_waits(s: &AppState, key: Key) -> bool {
    s.action_for_key(key)
        .is_some_and(|a| s.waits_for_results(&a))
}

fn run_key(s: &mut AppState, key: Key) -> Vec<Effect> {
    s.action_for_key(key)
        .and_then(|a| app::update(s, a))
        .into_iter()
        .collect()
}

/// Keys arriving in one read, through the gate the loop keeps: each runs now or is held.
fn burst(s: &mut AppState, held: &mut HeldInput<Key>, keys: &[&str], now: Instant) -> Vec<Effect> {
    let mut effects = Vec::new();
    for spec in keys {
        let key = Key::parse(spec).expect("key");
        let waits = key_waits(s, key);
        if let Some(key) = held.admit(key, waits, now) {
            effects.extend(run_key(s, key));
        }
    }
    effects
}

/// What the loop does each turn after taking results: runs the held keys that may go.
fn release(s: &mut AppState, held: &mut HeldInput<Key>, now: Instant) -> (Vec<Effect>, bool) {
    let (mut effects, mut late) = (Vec::new(), false);
    while let Some(released) = held.next_ready(now, |k| key_waits(s, *k)) {
        late |= released.late;
        effects.extend(run_key(s, released.event));
    }
    if late {
        s.acted_before_results();
    }
    (effects, late)
}

fn bookmarked_title(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::ToggleBookmark { title, .. } => Some(title.clone()),
        _ => None,
    })
}

/// A kept search for `query`, answered with `papers`.
fn kept_search(s: &mut AppState, query: &str, papers: &[u32]) {
    press(s, &["/"]);
    let effects = type_text(s, query);
    press(s, &["enter"]);
    s.apply_search_results(results(last_generation(&effects), papers));
}

#[test]
fn a_search_typed_or_kept_awaits_its_results_and_only_row_keys_wait() {
    let mut s = state();
    assert!(!s.awaiting_results(), "the whole library needs no search");
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "tp53");
    assert!(s.awaiting_results(), "typed, not answered");
    for action in [
        Action::MoveDown,
        Action::ToggleBookmark,
        Action::Open,
        Action::Copy,
        Action::Export,
        Action::Jump,
    ] {
        assert!(s.waits_for_results(&action), "{action:?}");
    }
    for action in [
        Action::SearchInput('x'),
        Action::SearchBackspace,
        Action::SearchClear,
        Action::SearchAccept,
        Action::Cancel,
        Action::Quit,
        Action::Help,
    ] {
        assert!(!s.waits_for_results(&action), "{action:?}");
    }
    press(&mut s, &["enter"]);
    assert!(s.awaiting_results(), "kept, not answered");
    s.apply_search_results(results(last_generation(&effects), &[2, 3]));
    assert!(!s.awaiting_results(), "answered");
    assert!(!s.waits_for_results(&Action::ToggleBookmark));
    // Gone back to, a search shows its own rows while asked again: nothing waits.
    press(&mut s, &["/"]);
    type_text(&mut s, " melanoma");
    press(&mut s, &["enter"]);
    assert!(s.awaiting_results());
    press(&mut s, &["backspace"]);
    assert!(matches!(s.view().kind, ViewKind::Search { .. }));
    assert!(!s.awaiting_results(), "its rows are the query's own");
    // An error for the query answers it too.
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "x");
    assert!(s.awaiting_results());
    s.apply_search_results(SearchResults {
        generation: last_generation(&effects),
        query: String::new(),
        searched: 0,
        corrected: None,
        letters_apart: Vec::new(),
        outcome: Err(QueryError {
            message: "bad".into(),
        }),
    });
    assert!(!s.awaiting_results(), "an error is an answer");
    // Leaving the search leaves nothing to wait for.
    type_text(&mut s, "y");
    press(&mut s, &["esc"]);
    assert!(!s.awaiting_results());
}

/// The user test: after a kept search, `/ ctrl-u tp53 Enter b` arrived in one write and `b`
/// bookmarked a paper of the old list. Held, `b` waits for the new list and bookmarks its
/// top paper; the keys before it flowed into the search line.
#[test]
fn a_key_typed_after_a_search_acts_on_its_results() {
    let mut s = state();
    kept_search(&mut s, "cd274", &[0, 1]);
    let now = Instant::now();
    let mut held = HeldInput::default();
    let effects = burst(
        &mut s,
        &mut held,
        &["/", "ctrl-u", "t", "p", "5", "3", "enter", "b", "j", "b"],
        now,
    );
    assert_eq!(
        bookmarked_title(&effects),
        None,
        "nothing acted on the old list"
    );
    assert_eq!(held.len(), 3, "b, and the keys after it, wait");
    assert_eq!(
        s.search.input.as_str(),
        "tp53",
        "the query was typed at once"
    );
    let (effects, late) = release(&mut s, &mut held, now);
    assert!(
        effects.is_empty() && !late && held.len() == 3,
        "still no answer"
    );
    s.apply_search_results(results(s.search.generation, &[2, 3]));
    let (effects, late) = release(&mut s, &mut held, now);
    assert!(!late);
    assert!(held.is_empty());
    let titles: Vec<String> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::ToggleBookmark { title, .. } => Some(title.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        titles,
        [
            s.library.paper(2).title.clone(),
            s.library.paper(3).title.clone()
        ],
        "b on the top result, j, b on the next"
    );
}

/// A menu opened by a held key is there for the key after it: `e 1` exports the new list.
#[test]
fn keys_held_behind_a_key_are_read_after_it_runs() {
    let mut s = state();
    kept_search(&mut s, "cd274", &[0]);
    let now = Instant::now();
    let mut held = HeldInput::default();
    burst(&mut s, &mut held, &["/", "x", "enter", "e", "1"], now);
    assert_eq!(held.len(), 2);
    s.apply_search_results(results(s.search.generation, &[4, 5]));
    let (effects, _) = release(&mut s, &mut held, now);
    let exported = effects.iter().find_map(|e| match e {
        Effect::Export { papers, .. } => Some(papers.clone()),
        _ => None,
    });
    assert_eq!(exported, Some(vec![4, 5]), "{effects:?}");
}

/// Results that never come (a slow worker) hold keys no longer than HOLD_LIMIT: then they
/// act on the list shown, and the status says so before what they did.
#[test]
fn held_keys_act_on_the_list_shown_after_the_limit_and_say_so() {
    let mut s = state();
    kept_search(&mut s, "cd274", &[0, 1]);
    let now = Instant::now();
    let mut held = HeldInput::default();
    burst(&mut s, &mut held, &["/", "z", "enter", "b"], now);
    let (effects, late) = release(&mut s, &mut held, now + HOLD_LIMIT / 2);
    assert!(effects.is_empty() && !late);
    let (effects, late) = release(&mut s, &mut held, now + HOLD_LIMIT);
    assert!(late);
    assert_eq!(
        bookmarked_title(&effects).as_deref(),
        Some(s.library.paper(0).title.as_str())
    );
    let message = s.message.clone().expect("a message");
    assert!(
        message
            .text
            .starts_with("results were late: keys acted on the list shown before them"),
        "{}",
        message.text
    );
    // Whatever room the status bar has, the form shown says the results were late.
    assert!(
        message
            .shorter
            .iter()
            .all(|s| s.starts_with("results late · ")),
        "{:?}",
        message.shorter
    );
}

/// The gate itself: order is kept, a key waits only while it must, the limit lets all go.
#[test]
fn held_input_keeps_order_and_lets_go_when_ready_or_late() {
    let now = Instant::now();
    let mut held: HeldInput<u32> = HeldInput::default();
    assert_eq!(held.admit(1, false, now), Some(1), "nothing held: runs now");
    assert_eq!(held.admit(2, true, now), None);
    assert_eq!(held.admit(3, false, now), None, "keeps its place after 2");
    assert_eq!(held.next_ready(now, |_| true), None);
    let ready: Vec<u32> = std::iter::from_fn(|| held.next_ready(now, |&e| e == 3))
        .map(|r| r.event)
        .collect();
    assert_eq!(ready, [2], "3 waits again (2 started a search)");
    let later = now + Duration::from_millis(10);
    assert_eq!(held.next_ready(later + HOLD_LIMIT / 2, |_| true), None);
    let released = held.next_ready(later + HOLD_LIMIT, |_| true).expect("late");
    assert_eq!((released.event, released.late), (3, true));
    assert!(held.is_empty());
    assert_eq!(
        held.admit(4, false, later),
        Some(4),
        "empty again: runs now"
    );
}

/// Results late by more than `SEARCHING_SIGN_AFTER` are said: the list's title says
/// `searching…` instead of the old rows' count until they come. Earlier nothing is said, so
/// a fast search never flashes a sign; typing on while late keeps it steady.
#[test]
fn results_late_to_come_are_said_and_fast_ones_are_not() {
    use std::time::{Duration, Instant};
    use tomes::app::SEARCHING_SIGN_AFTER;
    let t0 = Instant::now();
    let ms = |n: u64| t0 + Duration::from_millis(n);
    let mut s = state();
    assert!(!s.tick(t0));
    assert_eq!(s.next_tick(), None, "nothing awaited, nothing due");
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "tp53");
    assert!(!s.tick(ms(0)), "just sent");
    assert_eq!(s.next_tick(), Some(t0 + SEARCHING_SIGN_AFTER));
    assert!(!s.tick(ms(150)));
    assert!(!s.shows_searching(), "150 ms is not late");
    // Answered in time: no sign, ever.
    s.apply_search_results(results(last_generation(&effects), &[1, 2]));
    assert!(!s.tick(ms(400)));
    assert!(!s.shows_searching());
    assert_eq!(s.next_tick(), None);

    // Late: the sign comes at the limit and stays while the query is typed on.
    let effects = type_text(&mut s, " mouse");
    assert!(!s.tick(ms(1000)));
    assert!(!s.tick(ms(1000) + SEARCHING_SIGN_AFTER - Duration::from_millis(1)));
    assert!(
        s.tick(ms(1000) + SEARCHING_SIGN_AFTER),
        "the screen changes"
    );
    assert!(s.shows_searching());
    assert_eq!(s.next_tick(), None, "already said");
    let effects_more = type_text(&mut s, "s");
    assert!(!s.tick(ms(1300)), "typing on keeps the sign: no flicker");
    assert!(s.shows_searching());
    // An answer to an older query is no answer.
    s.apply_search_results(results(last_generation(&effects), &[2]));
    assert!(s.shows_searching());
    s.apply_search_results(results(last_generation(&effects_more), &[2]));
    assert!(!s.shows_searching(), "the results came: gone at once");
    assert!(
        !s.tick(ms(1400)),
        "already gone from the screen's point of view"
    );

    // Leaving the search drops the sign too.
    type_text(&mut s, "x");
    s.tick(ms(2000));
    s.tick(ms(2300));
    assert!(s.shows_searching());
    press(&mut s, &["esc"]);
    assert!(!s.shows_searching());
    assert!(!s.tick(ms(2400)));
    // A new search counts afresh.
    press(&mut s, &["/"]);
    type_text(&mut s, "y");
    assert!(!s.tick(ms(2500)));
    assert!(!s.shows_searching());
    assert!(s.tick(ms(2500) + SEARCHING_SIGN_AFTER));
}

/// The keys of the listed rows, loaded or only bookmarked.
fn listed_keys(s: &AppState) -> Vec<String> {
    s.view()
        .rows
        .iter()
        .map(|row| match *row {
            Row::Paper(p) => s.library.paper(p).key.to_string(),
            Row::MissingBookmark(i) => s.bookmarks()[i].key.to_string(),
        })
        .collect()
}

/// `B` lists bookmarks whose papers are not loaded, but `/p300` there (a word of such a
/// bookmark's title) found none of them: the worker holds only loaded papers. A search
/// within the bookmarks finds every bookmark row by its title and key.
#[test]
fn a_search_within_the_bookmarks_finds_those_not_loaded() {
    let mut s = state();
    s.set_bookmarks(vec![
        bookmark("PMID:901", "p300 acetylates histone H3"),
        bookmark("PMID:902", "Second look at a coactivator"),
        bookmark(
            "PMID:100004",
            "Cisplatin resistance through CD274 in ovarian cancer cells",
        ),
        bookmark("DOI:10.9999/xyz", ""),
    ]);
    press(&mut s, &["B"]);
    assert_eq!(listed_keys(&s).len(), 4);
    press(&mut s, &["/"]);
    // The worker finds no loaded paper: the row of the bookmark not loaded is found here.
    let search = |s: &mut AppState, typed: &str, hits: &[u32]| {
        let effects = type_text(s, typed);
        let Some(Effect::Search { query, .. }) = effects.last() else {
            panic!("no search effect");
        };
        assert!(query.starts_with("is:bookmarked "), "{query}");
        s.apply_search_results(results(last_generation(&effects), hits));
        listed_keys(s)
    };
    assert_eq!(search(&mut s, "p300", &[]), ["PMID:901"]);
    assert_eq!(s.view().selected_row(), Some(Row::MissingBookmark(0)));
    // By its PMID, and by its key when it has no title.
    press(&mut s, &["ctrl-w"]);
    assert_eq!(search(&mut s, "902", &[]), ["PMID:902"]);
    press(&mut s, &["ctrl-w"]);
    assert_eq!(search(&mut s, "xyz", &[]), ["DOI:10.9999/xyz"]);
    press(&mut s, &["ctrl-w"]);
    assert_eq!(search(&mut s, "pmid:901", &[]), ["PMID:901"]);
    // A loaded bookmark is the worker's to find, once.
    press(&mut s, &["ctrl-w"]);
    assert_eq!(search(&mut s, "cisplatin", &[3]), ["PMID:100004"]);
    // Every row of the list, for the bare term that lists them.
    let effects = press(&mut s, &["ctrl-w"]);
    assert_eq!(s.search.input.as_str(), "is:bookmarked ");
    s.apply_search_results(results(last_generation(&effects), &[3]));
    let all = listed_keys(&s);
    assert_eq!(all.len(), 4, "{all:?}");
    assert_eq!(all[0], "PMID:100004", "ties after the loaded papers");
    // A word no bookmark has finds none; a negated term is no search within them.
    assert_eq!(search(&mut s, "zebrafish", &[]), Vec::<String>::new());
    press(&mut s, &["ctrl-u"]);
    let effects = type_text(&mut s, "!is:bookmarked p300");
    s.apply_search_results(results(last_generation(&effects), &[]));
    assert_eq!(listed_keys(&s), Vec::<String>::new());
    // Searching the whole library finds loaded papers only, as ever.
    press(&mut s, &["ctrl-u"]);
    let effects = type_text(&mut s, "p300");
    s.apply_search_results(results(last_generation(&effects), &[]));
    assert_eq!(listed_keys(&s), Vec::<String>::new());
}

/// A bookmark found by a search within the bookmarks removed there (`b`): the rows after it
/// pointed at the next bookmark along, showing another bookmark's title (or a loaded
/// paper's). They keep their own; the removed one, having only its bookmark, goes.
#[test]
fn bookmarks_not_loaded_found_by_a_search_keep_their_rows_when_one_is_removed() {
    let mut s = state();
    s.set_bookmarks(vec![
        bookmark("PMID:901", "p300 acetylates histone H3"),
        bookmark("PMID:902", "A second paper on p300"),
        bookmark("PMID:100004", "Cisplatin resistance"),
    ]);
    press(&mut s, &["B", "/"]);
    let effects = type_text(&mut s, "p300");
    s.apply_search_results(results(last_generation(&effects), &[]));
    press(&mut s, &["enter"]);
    assert_eq!(listed_keys(&s), ["PMID:901", "PMID:902"]);
    let effects = press(&mut s, &["b"]);
    let Some(Effect::ToggleBookmark { key, title }) = effects.last().cloned() else {
        panic!("no toggle: {effects:?}");
    };
    assert_eq!(key.as_str(), "PMID:901");
    let after = s.bookmarks()[1..].to_vec();
    s.bookmark_toggled(&key, &title, Ok(false), after);
    assert_eq!(listed_keys(&s), ["PMID:902"]);
    assert_eq!(s.view().selected_row(), Some(Row::MissingBookmark(0)));
    assert_eq!(s.take_search_rerun(), None, "a removal asks nothing again");
    // `u` brings it back: the search is asked again and finds it where it was.
    let Some(Effect::RestoreBookmark(restored)) = press(&mut s, &["u"]).last().cloned() else {
        panic!("no restore");
    };
    let mut list = s.bookmarks().to_vec();
    list.insert(0, restored.clone());
    s.bookmark_restored(&restored.key, &restored.title, Ok(true), list);
    let Some(rerun @ Effect::Search { .. }) = s.take_search_rerun() else {
        panic!("the search is asked again");
    };
    s.apply_search_results(results(last_generation(&[rerun]), &[]));
    assert_eq!(listed_keys(&s), ["PMID:901", "PMID:902"]);
}

/// One batch of `papers` loaded, as a file of them arrives.
fn load_papers(s: &mut AppState, papers: &[tomes::model::Paper]) {
    s.apply_load_event(tomes::library::LoadEvent::File {
        parsed: tomes::formats::Parsed {
            papers: papers.to_vec(),
            problems: Vec::new(),
        },
        bytes: 1,
    });
}

/// A user test sent `/tp53` Enter `b` with the command that started tomes: `b` bookmarked
/// a paper of the first 2,000 loaded (not the top of the whole library's list), or found
/// none yet. Keys typed ahead of a search begun during the load wait for the load, for at
/// most `HOLD_LIMIT` after the loop first saw the search; a key pressed later acts at once.
#[test]
fn keys_typed_ahead_during_the_load_wait_for_it() {
    use std::time::{Duration, Instant};
    use tomes::input::HOLD_LIMIT;
    use tomes::library::LoadEvent;
    let papers = common::papers();
    let t0 = Instant::now();
    let mut s = AppState::loading(Keymap::defaults());
    load_papers(&mut s, &papers[..2]);
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "tp53");
    press(&mut s, &["enter"]);
    s.apply_search_results(results(last_generation(&effects), &[1]));
    s.tick(t0);
    assert!(
        s.waits_for_results(&Action::ToggleBookmark),
        "answered, but more papers are coming"
    );
    assert!(!s.waits_for_results(&Action::SearchInput('x')));
    assert!(!s.shows_searching(), "its rows are its own: no sign");
    assert_eq!(s.next_tick(), Some(t0 + HOLD_LIMIT));
    s.tick(t0 + HOLD_LIMIT - Duration::from_millis(1));
    assert!(s.waits_for_results(&Action::ToggleBookmark));
    // The load ends: the list is asked again and put in source order, where rows that
    // score the same move (the user's `b` took the third row of the last list). The keys
    // go on the last list.
    s.apply_load_event(LoadEvent::Done);
    s.tick(t0 + Duration::from_millis(10));
    assert!(
        s.waits_for_results(&Action::ToggleBookmark),
        "not in order yet"
    );
    let keys = s.library.order_keys().to_vec();
    let effects = s.apply_source_order(std::sync::Arc::new(tomes::library::SourceOrder::of(&keys)));
    s.tick(t0 + Duration::from_millis(20));
    assert!(s.waits_for_results(&Action::ToggleBookmark), "asked again");
    // A better match came with the rest: the selection is the best match still.
    s.apply_search_results(results(last_generation(&effects), &[4, 1]));
    assert_eq!(s.view().selected, 0);
    assert_eq!(s.view().rows.first(), Some(&Row::Paper(4)));
    s.tick(t0 + Duration::from_millis(30));
    assert!(!s.waits_for_results(&Action::ToggleBookmark));
    assert_eq!(s.next_tick(), None);
    // Browsing later, the selected paper is kept as the list is asked again.
    press(&mut s, &["j"]);
    s.apply_search_results(results(last_generation(&effects), &[2, 4, 1]));
    assert_eq!(s.view().rows.get(s.view().selected), Some(&Row::Paper(1)));

    // A search seen longer than the limit while papers still come: browsing it is not held.
    let mut s = AppState::loading(Keymap::defaults());
    load_papers(&mut s, &papers[..2]);
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "tp53");
    s.apply_search_results(results(last_generation(&effects), &[0, 1]));
    s.tick(t0);
    assert!(s.waits_for_results(&Action::MoveDown));
    s.tick(t0 + HOLD_LIMIT);
    assert!(!s.waits_for_results(&Action::MoveDown), "held long enough");
    // Typed on, the new query is held again.
    let effects = type_text(&mut s, "x");
    s.apply_search_results(results(last_generation(&effects), &[1]));
    s.tick(t0 + HOLD_LIMIT + Duration::from_millis(5));
    assert!(s.waits_for_results(&Action::MoveDown));
}

/// A line feed is Enter: keys typed before the terminal was raw arrive as ctrl-j (the user
/// test's `/tp53` Enter searched `tp53b`), and ctrl-j and ctrl-m are Enter in readline.
#[test]
fn a_line_feed_is_enter() {
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "tp53");
    assert_eq!(
        s.action_for_key(Key::parse("ctrl-j").unwrap()),
        Some(Action::SearchAccept)
    );
    assert_eq!(
        s.action_for_key(Key::parse("ctrl-m").unwrap()),
        Some(Action::SearchAccept)
    );
    press(&mut s, &["ctrl-j"]);
    assert!(!s.search.editing, "kept");
    assert_eq!(
        s.action_for_key(Key::parse("ctrl-j").unwrap()),
        s.action_for_key(Key::parse("enter").unwrap())
    );
}

/// A user test sent `j j j` with the command that started tomes: the list was still empty
/// and the keys did nothing. Keys acting on rows wait for the first papers.
#[test]
fn keys_typed_before_the_first_papers_wait_for_them() {
    use tomes::library::LoadEvent;
    let mut s = AppState::loading(Keymap::defaults());
    assert!(s.waits_for_results(&Action::MoveDown));
    assert!(s.waits_for_results(&Action::ToggleBookmark));
    assert!(!s.waits_for_results(&Action::Help));
    load_papers(&mut s, &common::papers()[..3]);
    assert!(!s.waits_for_results(&Action::MoveDown), "rows came");
    // A library that loads nothing leaves nothing to wait for.
    let mut s = AppState::loading(Keymap::defaults());
    s.apply_load_event(LoadEvent::Done);
    assert!(!s.waits_for_results(&Action::MoveDown));
}

#[test]
fn an_emptied_kept_search_steps_back_to_the_search_before_it_and_stays_ahead() {
    // A user test: `/lithium` Enter, `/tamoxifen` Enter, `/` Backspace Enter left
    // `lithium` saying `searching…` for good and `tamoxifen` gone from the history.
    for edit_first in [false, true] {
        let mut s = state();
        kept_search(&mut s, "cd274", &[0, 1]);
        if edit_first {
            // The second search an edit of the first (`/` End ` melanoma` Enter).
            press(&mut s, &["/", "end"]);
            let effects = type_text(&mut s, " melanoma");
            press(&mut s, &["enter"]);
            s.apply_search_results(results(last_generation(&effects), &[1]));
        } else {
            kept_search(&mut s, "melanoma", &[1]);
        }
        let second = s.view().kind.clone();
        assert_eq!((s.history_pos, s.history.len()), (2, 3));
        let effects = press(&mut s, &["/", "backspace", "enter"]);
        let search_before = ViewKind::Search {
            query: "cd274".into(),
        };
        assert_eq!(s.view().kind, search_before, "edit first: {edit_first}");
        assert_eq!(s.search.input.as_str(), "cd274");
        assert_eq!((s.history_pos, s.history.len()), (1, 3));
        assert_eq!(last_query(&effects), "cd274", "asked again");
        s.apply_search_results(results(last_generation(&effects), &[0, 1]));
        assert!(!s.awaiting_results(), "answered, not searching");
        press(&mut s, &["alt-right"]);
        assert_eq!(s.view().kind, second, "still ahead");
    }
    // With no search before it, the emptied kept search leaves for the list before it,
    // and is still ahead too.
    let mut s = state();
    kept_search(&mut s, "cd274", &[0]);
    press(&mut s, &["/", "backspace", "enter"]);
    assert_eq!(s.view().kind, ViewKind::All);
    assert_eq!(s.search.input.as_str(), "");
    press(&mut s, &["alt-right"]);
    assert_eq!(
        s.view().kind,
        ViewKind::Search {
            query: "cd274".into()
        }
    );
}

/// Ctrl-c quits and ctrl-z suspends before the keymap is asked: a binding of either would
/// never run (a user test bound copy to ctrl-c; the help listed it, and ctrl-c quit). It is
/// a problem, and the action keeps its default keys or the others given.
#[test]
fn binding_ctrl_c_or_ctrl_z_is_refused_and_said() {
    let mut overrides = BTreeMap::new();
    overrides.insert("copy".to_string(), vec!["ctrl-c".to_string()]);
    overrides.insert(
        "help".to_string(),
        vec!["ctrl-z".to_string(), "f2".to_string()],
    );
    let (keymap, problems) = Keymap::with_overrides(&overrides);
    let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        messages,
        [
            "keys.copy: \"ctrl-c\" always quits, whatever is bound; keeping the default",
            "keys.help: \"ctrl-z\" always suspends, whatever is bound",
        ]
    );
    assert_eq!(keymap.action(Key::char('y')), Some(&Action::Copy));
    assert_eq!(keymap.action(Key::ctrl('c')), None);
    assert_eq!(keymap.describe_keys(&Action::Help), "f2");
}

/// A kept search is read whole, as `tomes search` reads it: its last word finished. Typed,
/// `species:human` also names the entities whose names start with `human`; kept (Enter,
/// or gone back to), it is asked again whole. A user test's kept `species:human` listed 497
/// papers where `tomes search` and `tomes export` found 472.
#[test]
fn a_kept_search_is_asked_whole_and_one_being_typed_is_not() {
    let is_whole = |effects: &[Effect]| match effects.last() {
        Some(Effect::Search { whole, .. }) => Some(*whole),
        _ => None,
    };
    let mut s = state();
    press(&mut s, &["/"]);
    let typed = type_text(&mut s, "species:human");
    assert_eq!(is_whole(&typed), Some(false), "being typed");
    let kept = press(&mut s, &["enter"]);
    assert_eq!(is_whole(&kept), Some(true), "{kept:?}");
    assert_eq!(last_query(&kept), "species:human");
    // Gone back to, it is asked whole again.
    press(&mut s, &["backspace"]);
    let back = press(&mut s, &["alt-right"]);
    assert_eq!(is_whole(&back), Some(true), "{back:?}");
    // A query that reads the same whole is not asked twice.
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "tp53 ");
    assert_eq!(press(&mut s, &["enter"]), Vec::<Effect>::new());
}

/// Enter asking a search again whole says what that took from the list shown as typed,
/// and whether the paper selected went with it. A user test selected the fifth of
/// `gene:cd27`'s six papers (CD274's among them while typing), pressed Enter, and was left
/// on the second of two with nothing said.
#[test]
fn a_search_kept_narrower_says_what_reading_it_whole_took_away() {
    let keep = |selected: &[&str], whole_hits: &[u32]| {
        let mut s = state();
        press(&mut s, &["/"]);
        let typed = type_text(&mut s, "gene:cd27");
        s.apply_search_results(results(last_generation(&typed), &[0, 1, 2, 3, 4, 5]));
        press(&mut s, selected);
        let kept = press(&mut s, &["enter"]);
        s.apply_search_results(results(last_generation(&kept), whole_hits));
        s
    };
    // Until the answer, keys acting on the rows wait: the rows are those typed.
    let mut s = state();
    press(&mut s, &["/"]);
    let typed = type_text(&mut s, "gene:cd27");
    s.apply_search_results(results(last_generation(&typed), &[0, 1, 2, 3, 4, 5]));
    assert!(!s.waits_for_results(&Action::ToggleBookmark));
    let kept = press(&mut s, &["enter"]);
    assert!(s.waits_for_results(&Action::ToggleBookmark));
    s.apply_search_results(results(last_generation(&kept), &[1, 2]));
    assert!(!s.waits_for_results(&Action::ToggleBookmark));
    let mut s = keep(&["down", "down", "down", "down"], &[1, 2]);
    assert_eq!(s.view().rows.len(), 2);
    // At 80 columns, shortened, it still says the paper selected went.
    let screen = common::buffer_text(&common::render(&mut s, 80, 24));
    assert!(
        screen.contains("; the paper selected went") || screen.contains("; selected paper gone"),
        "{screen}"
    );
    assert_eq!(
        message_text(&s),
        "Enter read \"cd27\" whole: 2 papers, not 6; the paper selected only had a name \
         starting with it; \"gene:cd27*\" keeps those"
    );
    // Keys typed before the answer could be seen that act on the rows are dropped, and
    // said: `b` would have starred the paper that slid into the row, one the user never
    // selected.
    assert!(!s.drops_unseen_row_key(&Action::Back, Some("backspace".into())));
    assert!(s.drops_unseen_row_key(&Action::MoveDown, Some("down".into())));
    assert!(s.drops_unseen_row_key(&Action::ToggleBookmark, Some("b".into())));
    assert_eq!(
        message_text(&s),
        "down and b not done: the paper selected went when Enter read \"cd27\" whole; \
         choose again"
    );
    let screen = common::buffer_text(&common::render(&mut s, 80, 24));
    assert!(
        screen.contains("down and b not done: the paper selected went"),
        "{screen}"
    );
    // Once the list has been seen, keys act on it as it is.
    s.unseen_keys_done();
    assert!(!s.drops_unseen_row_key(&Action::ToggleBookmark, Some("b".into())));
    // The paper selected is among those left: it stays selected, and keys act on it.
    let mut s = keep(&["down"], &[1, 2]);
    assert!(!s.drops_unseen_row_key(&Action::ToggleBookmark, Some("b".into())));
    assert_eq!(s.selected_paper(), Some(1));
    assert_eq!(
        message_text(&s),
        "Enter read \"cd27\" whole: 2 papers; typing also matched names starting with it (6); \
         \"gene:cd27*\" keeps those"
    );
    // Typed again over the kept search, the same text read as typed finds other papers:
    // keys acting on the rows wait for its answer (ut22b's `/gene:cd27 Down Down Down
    // Enter b` in one burst moved in the kept list's two rows and starred a paper it
    // never selected).
    let mut s = keep(&[], &[1, 2]);
    press(&mut s, &["/"]);
    let typed = type_text(&mut s, "gene:cd27");
    assert!(s.waits_for_results(&Action::MoveDown));
    s.apply_search_results(results(last_generation(&typed), &[0, 1, 2, 3, 4, 5]));
    assert!(!s.waits_for_results(&Action::MoveDown));
    // At 80 columns too, how to keep what went is said, where the selected paper stayed
    // or nothing is left (ut22b's `gene:cd`, 236 papers as typed, none whole).
    let mut s = keep(&["down"], &[1, 2]);
    let screen = common::buffer_text(&common::render(&mut s, 80, 24));
    assert!(screen.contains("\"gene:cd27*\" keeps those"), "{screen}");
    let mut s = keep(&["down", "down", "down"], &[]);
    let screen = common::buffer_text(&common::render(&mut s, 80, 24));
    assert!(screen.contains("\"gene:cd27*\" keeps those"), "{screen}");
    // As many papers whole as typed: nothing to say.
    let s = keep(&["down"], &[5, 4, 3, 2, 1, 0]);
    assert_eq!(message_text(&s), "");
    // Enter before the typed query's answer came: the list shown is no reading of it, and
    // nothing is said against it (`/gene:cdk4` Enter in one burst read `9 papers, not
    // 4,530`, the whole library).
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "gene:cd27");
    let kept = press(&mut s, &["enter"]);
    assert!(s.waits_for_results(&Action::ToggleBookmark));
    s.apply_search_results(results(last_generation(&kept), &[1, 2]));
    assert_eq!(message_text(&s), "");
    assert_eq!(s.view().rows.len(), 2);
    // ... but a whole reading that finds nothing still says how to ask for the starts of
    // names (ut23b's `/gene:cd Enter` in one write: 0 papers, nothing said).
    let mut s = state();
    press(&mut s, &["/"]);
    type_text(&mut s, "gene:cd");
    let kept = press(&mut s, &["enter"]);
    s.apply_search_results(results(last_generation(&kept), &[]));
    assert_eq!(
        message_text(&s),
        "no paper names \"cd\" whole; \"gene:cd*\" finds the names starting with it"
    );
    let screen = common::buffer_text(&common::render(&mut s, 80, 24));
    assert!(screen.contains("\"gene:cd*\""), "{screen}");
    assert!(!s.waits_for_results(&Action::ToggleBookmark));
}

/// The six papers loading as the browser gets them: file b (papers 0-2 of the fixtures)
/// parsed before file a (3-5), though a comes first in source order.
fn loading_out_of_order() -> AppState {
    use std::path::{Path, PathBuf};
    use tomes::library::LoadEvent;
    let mut s = AppState::loading(Keymap::defaults());
    s.viewport.list_rows = 3;
    s.apply_load_event(LoadEvent::Found {
        files: 2,
        paths: vec![PathBuf::from("a.pubtator"), PathBuf::from("b.pubtator")],
        bytes: 2,
        walk_problems: Vec::new(),
    });
    let mut papers = common::papers();
    for (i, p) in papers.iter_mut().enumerate() {
        let file = if i < 3 { "b.pubtator" } else { "a.pubtator" };
        p.sources[0].path = Path::new(file).into();
        p.sources[0].line = i % 3 + 1;
    }
    load_papers(&mut s, &papers[..3]);
    load_papers(&mut s, &papers[3..]);
    s
}

/// The load ends and the worker's source order comes.
fn finish_loading(s: &mut AppState) {
    use std::sync::Arc;
    use tomes::library::{LoadEvent, SourceOrder};
    s.apply_load_event(LoadEvent::Done);
    let keys = s.library.order_keys().to_vec();
    s.apply_source_order(Arc::new(SourceOrder::of(&keys)));
}

/// A user test pressed `j j` while a large library loaded: once the papers were put in
/// source order the paper it had moved to was kept, now on row 1,545 of 4,529 with the
/// list scrolled there. A list only moved in keeps its row (the third) and its scroll; the
/// detail shows the paper on that row.
#[test]
fn a_list_only_moved_in_during_the_load_keeps_its_row() {
    let mut s = loading_out_of_order();
    press(&mut s, &["j", "j"]);
    assert_eq!(s.view().selected_row(), Some(Row::Paper(2)));
    finish_loading(&mut s);
    assert_eq!(shown_papers(&s), [3, 4, 5, 0, 1, 2]);
    assert_eq!((s.view().selected, s.view().offset), (2, 0));
    assert_eq!(s.view().selected_row(), Some(Row::Paper(5)));
    assert_eq!(s.view().detail_scroll, 0);
    // The entity pane follows the row's paper, its co-mentions too.
    let first = s.paper_entities(5).first().copied();
    assert_eq!(s.selected_entity(), first);
    assert_eq!(s.co_mentioned.as_ref().map(|(e, _)| *e), first);

    // Moved past the screen's end: the row and the scroll stay.
    let mut s = loading_out_of_order();
    press(&mut s, &["j", "j", "j", "j", "j"]);
    let (selected, offset) = (s.view().selected, s.view().offset);
    assert_eq!((selected, offset), (5, 3));
    finish_loading(&mut s);
    assert_eq!((s.view().selected, s.view().offset), (selected, offset));
}

/// A paper being read when the load ends stays on screen, whatever row it goes to: its
/// detail scrolled, an entity of it picked, the focus on the detail, or a list opened
/// from it (gone back to, the list shows it).
#[test]
fn a_paper_read_during_the_load_stays_selected() {
    let reading: [&[&str]; 3] = [&["j", "tab", "j"], &["j", "tab", "tab", "j"], &["j", "tab"]];
    for keys in reading {
        let mut s = loading_out_of_order();
        press(&mut s, keys);
        finish_loading(&mut s);
        assert_eq!(s.view().selected_row(), Some(Row::Paper(1)), "{keys:?}");
        assert_eq!(s.view().selected - s.view().offset, 1, "{keys:?}");
    }
    let mut s = loading_out_of_order();
    press(&mut s, &["j", "tab", "tab"]);
    jump_to_selected_entity(&mut s, "NCBIGene:29126");
    finish_loading(&mut s);
    press(&mut s, &["backspace"]);
    assert_eq!(s.view().kind, ViewKind::All);
    assert_eq!(s.view().selected_row(), Some(Row::Paper(1)));
}

/// The count of `key` among the selected entity's co-mentions.
fn co_mentions_of(s: &AppState, key: &str) -> Option<u32> {
    let (_, co) = s.co_mentioned.as_ref()?;
    let index = s.library.index();
    co.iter()
        .find(|&&(e, _)| index.entity(e).key == EntityKey(key.into()))
        .map(|&(_, n)| n)
}

/// A user test read, while a library loaded, an entity's co-mentions as first counted
/// (`with c.73G>A (1)`) beside paper counts that had grown. They are counted again as its
/// papers arrive.
#[test]
fn co_mentions_follow_the_papers_arriving() {
    let papers = common::papers();
    let mut s = AppState::loading(Keymap::defaults());
    load_papers(&mut s, &papers[..1]);
    let cd274 = s.selected_entity().expect("an entity");
    assert_eq!(
        s.library.index().entity(cd274).key,
        EntityKey("NCBIGene:29126".into())
    );
    assert_eq!(
        co_mentions_of(&s, "NCBIGene:7157"),
        Some(1),
        "TP53 in paper 0"
    );
    // Paper 1 mentions both.
    load_papers(&mut s, &papers[1..2]);
    assert_eq!(s.selected_entity(), Some(cd274));
    assert_eq!(s.library.index().papers_with(cd274).len(), 2);
    // Counted when no key waits (once per loop turn, not per batch); the last count shows
    // meanwhile.
    assert!(s.has_pending_work());
    assert_eq!(co_mentions_of(&s, "NCBIGene:7157"), Some(1));
    assert!(s.finish_pending_work());
    assert_eq!(co_mentions_of(&s, "NCBIGene:7157"), Some(2));
    assert!(!s.has_pending_work());
    // Counted for another entity and back, the cache gives the count as it is now.
    press(&mut s, &["tab", "tab", "j"]);
    assert_ne!(s.selected_entity(), Some(cd274));
    load_papers(&mut s, &papers[3..4]);
    press(&mut s, &["k"]);
    assert_eq!(s.library.index().papers_with(cd274).len(), 3);
    assert_eq!(
        s.co_mentioned.as_ref().map(|(e, _)| *e),
        Some(cd274),
        "counted again"
    );
    assert_eq!(co_mentions_of(&s, "NCBIGene:7157"), Some(2));
}

/// While a library loads, a search's rows are matches among the papers the worker held
/// when it ran the query, fewer than are loaded by the time they show: the status bar read
/// `2,018 shown · 19,894 loaded`, as if 2,018 of those 19,894 matched. It says how many
/// were searched until an answer over every loaded paper comes.
#[test]
fn a_search_during_the_load_says_how_many_papers_it_searched() {
    use tomes::ui::status::status_line;
    let papers = common::papers();
    let mut s = AppState::loading(Keymap::defaults());
    load_papers(&mut s, &papers[..3]);
    press(&mut s, &["/"]);
    let effects = type_text(&mut s, "tp53");
    press(&mut s, &["enter"]);
    let mut answer = results(last_generation(&effects), &[0, 1]);
    answer.searched = 3;
    s.apply_search_results(answer.clone());
    // Every loaded paper searched, but more are coming: said all the same, the bar not
    // switching forms at each answer.
    assert_eq!(s.searched_so_far(), Some(3));
    load_papers(&mut s, &papers[3..]);
    assert_eq!(s.searched_so_far(), Some(3));
    let left = status_line(&s, 120).left;
    assert!(left.contains("2 shown of 3 searched · 6 loaded"), "{left}");
    let narrow = status_line(&s, 40);
    assert!(narrow.left.contains("2 of 3 searched"), "{narrow:?}");
    // Loaded, and asked again over all six: the usual counts.
    s.apply_load_event(tomes::library::LoadEvent::Done);
    answer.searched = 6;
    answer.generation = s.search.generation;
    answer.outcome = results(0, &[0, 1, 2]).outcome;
    s.apply_search_results(answer);
    assert_eq!(s.searched_so_far(), None);
    let left = status_line(&s, 120).left;
    assert!(left.contains("3 shown · 6 loaded"), "{left}");
}

/// The six fixture papers loaded from one file, paper `i`'s record on lines `10 i + 1` to
/// `10 i + 10`, with `problems`; the load ended.
fn loaded_with_problems(problems: Vec<tomes::model::Problem>) -> AppState {
    use tomes::library::LoadEvent;
    let mut s = AppState::loading(Keymap::defaults());
    let mut papers = common::papers();
    for (i, p) in papers.iter_mut().enumerate() {
        p.sources[0].line = 10 * i + 1;
    }
    s.apply_load_event(LoadEvent::File {
        parsed: tomes::formats::Parsed { papers, problems },
        bytes: 1,
    });
    s.apply_load_event(LoadEvent::Done);
    s
}

/// A user test found a paper's own load problems (a record cut at the end of its file, a
/// mention the text does not hold) only in the problems list. Each paper knows the
/// problems placed inside its records: at a line from its record's first to the next
/// record's, in its file; a whole file's problems and another file's are no paper's.
#[test]
fn a_paper_knows_the_problems_of_its_records() {
    use tomes::model::{Problem, SkipReason};
    let file = "fixtures/papers.pubtator";
    let s = loaded_with_problems(vec![
        Problem::new(
            file,
            Some(13),
            "mention \"CD274\" at 5-10 lies outside the text",
        ),
        Problem::new(
            file,
            Some(21),
            "title of 2 without an abstract line (a cut-off record?)",
        ),
        Problem::new(file, Some(12), "unrecognised id \"gene:x\""),
        Problem::new(file, None, "the file was cut short"),
        Problem::new("other.pubtator", Some(14), "not a PubTator line: \"x\""),
        Problem::skipped_file("README.txt", SkipReason::OtherFormat, "not ours".into()),
    ]);
    let lines_of = |p: u32| -> Vec<Option<usize>> {
        s.paper_problems(p).map(|problem| problem.line).collect()
    };
    // In the problems list's order: by line.
    assert_eq!(lines_of(1), [Some(12), Some(13)]);
    assert_eq!(lines_of(2), [Some(21)], "on its record's first line");
    for p in [0, 3, 4, 5] {
        assert!(lines_of(p).is_empty(), "paper {p}: {:?}", lines_of(p));
    }
    assert_eq!(s.problems.len(), 6, "all still listed");

    // Reloaded, the papers' problems are the new load's.
    let mut s = s;
    let library = s.library.clone();
    s.replace_library(library, vec![Problem::new(file, Some(35), "cut short")]);
    let lines_of = |p: u32| -> Vec<Option<usize>> {
        s.paper_problems(p).map(|problem| problem.line).collect()
    };
    assert_eq!(lines_of(3), [Some(35)]);
    assert!(lines_of(1).is_empty());
}

/// Keys that hold a `/` are listed with words: a user test bound `search = ["/", "s"]` and
/// read `//s to search`.
#[test]
fn keys_listed_with_a_slash_key_are_joined_with_words() {
    let mut overrides = std::collections::BTreeMap::new();
    overrides.insert("search".to_string(), vec!["/".to_string(), "s".to_string()]);
    let (keymap, problems) = Keymap::with_overrides(&overrides);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(keymap.describe_keys(&Action::Search), "/ or s");
    let mut s = AppState::new(common::library(), keymap);
    press(&mut s, &["f12"]);
    assert!(
        message_text(&s).contains(": / or s to search"),
        "{}",
        message_text(&s)
    );
}

/// Enter on a bookmark whose paper is not loaded says why nothing opens; a user test
/// pressed it and nothing happened or was said. The list keeps the focus.
#[test]
fn enter_on_a_bookmark_not_loaded_says_why_nothing_opens() {
    let mut s = state();
    s.set_bookmarks(vec![bookmark("PMID:999", "A paper not in this library")]);
    press(&mut s, &["B"]);
    assert_eq!(s.view().selected_row(), Some(Row::MissingBookmark(0)));
    press(&mut s, &["enter"]);
    assert_eq!(s.focus, Pane::Papers);
    assert_eq!(
        message_text(&s),
        "no paper to read: the paper is not loaded, only its bookmark"
    );
}
