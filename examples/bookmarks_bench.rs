//! Hand bench for the bookmark table (not part of the tests): with 4,000 bookmarks read
//! before the corpora load, times each loading turn (one loader event applied to the app
//! state) and one frame of the paper list rendered into an 80x24 `TestBackend`.
//!
//! `cargo run --release --example bookmarks_bench -- ../shared/corpora`

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use std::time::Instant;
use tomes::app::{AppState, Keymap, Row};
use tomes::bookmarks::Bookmark;
use tomes::library::{self, LoadEvent};
use tomes::model::PaperKey;

const BOOKMARKS: usize = 4_000;
const FRAMES: usize = 200;

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    // The keys to bookmark: every paper but those of the first 200 rows of the list of
    // every paper (the first screen shows papers with no bookmark, the costly case), then
    // keys of papers not loaded.
    let mut plain = AppState::loading(Keymap::defaults());
    for event in library::spawn_loader(paths.clone()).iter() {
        let _ = plain.apply_load_event(event);
    }
    let mut list: Vec<Bookmark> = plain
        .view()
        .rows
        .iter()
        .skip(200)
        .filter_map(|row| match *row {
            Row::Paper(p) => Some(bookmark(plain.library.paper(p).key.clone())),
            Row::MissingBookmark(_) => None,
        })
        .take(BOOKMARKS - 100)
        .collect();
    let missing = BOOKMARKS - list.len();
    list.extend((0..missing).map(|i| bookmark(PaperKey(format!("PMID:9{i:08}")))));
    drop(plain);

    let events: Vec<LoadEvent> = library::spawn_loader(paths).iter().collect();
    let mut state = AppState::loading(Keymap::defaults());
    set_bookmarks(&mut state, list);
    let mut turns = Vec::new();
    for event in events {
        let batch = matches!(event, LoadEvent::Batch { .. } | LoadEvent::File { .. });
        let start = Instant::now();
        let _ = state.apply_load_event(event);
        if batch {
            turns.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    let starred = (0..state.library.len() as u32)
        .filter(|&p| state.is_bookmarked(&state.library.paper(p).key))
        .count();

    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    let mut frames = Vec::new();
    for _ in 0..FRAMES {
        let start = Instant::now();
        terminal
            .draw(|frame| {
                tomes::ui::render(frame, &state);
            })
            .expect("draw");
        frames.push(start.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "papers {}, bookmarks {BOOKMARKS}, papers starred {starred}",
        state.library.len()
    );
    println!(
        "loading turns: {} | median {:.3} ms | max {:.3} ms | total {:.1} ms",
        turns.len(),
        median(&mut turns.clone()),
        turns.iter().cloned().fold(0.0, f64::max),
        turns.iter().sum::<f64>()
    );
    println!(
        "frame (80x24, paper list): median {:.3} ms over {FRAMES}",
        median(&mut frames)
    );
}

fn set_bookmarks(state: &mut AppState, list: Vec<Bookmark>) {
    state.set_bookmarks(list);
}

fn bookmark(key: PaperKey) -> Bookmark {
    Bookmark {
        key,
        title: "t".into(),
        added: String::new(),
        note: String::new(),
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}
