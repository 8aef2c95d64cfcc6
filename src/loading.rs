//! Feeding a background load into the browser without blocking input: loader events are
//! applied on the UI thread under a time budget per loop turn (the rest waits for the next
//! turn), and the search docs the loader built go to the search worker as they are.
//!
//! Both the terminal loop and `tomes bench` drain the loader through [`drain`], so the
//! benchmark measures the path the user's keys wait on.

use crate::app::{AppState, Effect};
use crate::library::LoadEvent;
use crate::search::SearchWorker;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// Time the UI thread spends applying load events per loop turn. The last event may run
/// past it (a batch takes 1-3 ms) and the frame is drawn after it, so a third of a 60 Hz
/// frame keeps a whole turn, and the wait of a key pressed mid-load, within one frame.
pub const TURN_BUDGET: Duration = Duration::from_millis(5);

/// How long the terminal loop waits for a key while a load is running and nothing waits.
pub const LOAD_POLL: Duration = Duration::from_millis(5);

/// What one turn of draining did.
#[derive(Debug, Default)]
pub struct Drained {
    /// Something arrived: the screen needs a redraw.
    pub changed: bool,
    /// The loader is finished (its `Done` arrived or it hung up).
    pub finished: bool,
    /// The budget ran out with events possibly still waiting: come back without sleeping.
    pub more: bool,
    /// Effects other than indexing (a search view asking again) for the caller to carry out.
    pub effects: Vec<Effect>,
}

/// Applies waiting loader events to `state` until none wait or `budget` is spent, giving new
/// and changed papers to `worker`.
pub fn drain(
    loader: &Receiver<LoadEvent>,
    state: &mut AppState,
    worker: &SearchWorker,
    budget: Duration,
) -> Drained {
    let start = Instant::now();
    let mut out = Drained::default();
    // Handed to the worker once, at the end of the turn: each message wakes it, and a woken
    // worker may take this core from the UI thread mid-turn when the loader holds the other.
    let mut docs = Vec::new();
    let mut changed_papers = Vec::new();
    loop {
        if start.elapsed() >= budget {
            out.more = true;
            break;
        }
        let event = match loader.try_recv() {
            Ok(e) => e,
            Err(TryRecvError::Empty) => break,
            Err(TryRecvError::Disconnected) => {
                out.finished = true;
                state.load.done = true;
                break;
            }
        };
        out.changed = true;
        let done = matches!(event, LoadEvent::Done);
        for effect in state.apply_load_event(event) {
            match effect {
                Effect::IndexDocs(new) if docs.is_empty() => docs = new,
                Effect::IndexDocs(new) => docs.extend(new),
                Effect::IndexPapers(papers) => changed_papers.extend(papers),
                other => out.effects.push(other),
            }
        }
        if done {
            out.finished = true;
            break;
        }
    }
    if !docs.is_empty() {
        worker.add_docs(docs);
    }
    if !changed_papers.is_empty() {
        // After the docs: a paper may be new in one event and merged into in the next.
        changed_papers.sort_unstable();
        changed_papers.dedup();
        worker.index_papers(&state.library, &changed_papers);
    }
    out.changed |= out.finished;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Keymap;
    use crate::library::spawn_loader_for;

    /// Every doc reaches the worker, a merged paper's after its first record's: a term only
    /// the second record of a paper brings finds it once the load is drained.
    #[test]
    fn drained_load_gives_the_worker_new_and_merged_papers() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = "7|t|IL-1 and TP53.\n7|a|More.\n7\t0\t4\tIL-1\tGene\t3553\n";
        let second = "7|t|IL-1 and TP53.\n7|a|More.\n7\t9\t13\tTP53\tGene\t7157\n\
                      8|t|Other paper.\n8|a|Text.\n";
        std::fs::write(dir.path().join("a.pubtator"), first).expect("write");
        std::fs::write(dir.path().join("b.pubtator"), second).expect("write");
        let worker = SearchWorker::spawn();
        let loader = spawn_loader_for(vec![dir.path().to_path_buf()], Some(worker.interner()));
        let mut state = AppState::loading(Keymap::defaults());
        let deadline = Instant::now() + Duration::from_secs(30);
        while !drain(&loader, &mut state, &worker, TURN_BUDGET).finished {
            assert!(Instant::now() < deadline, "the load never finished");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(state.library.len(), 2);
        for (generation, query) in [(1, "gene:tp53"), (2, "il-1"), (3, "other paper")] {
            worker.search(generation, query);
            let results = worker
                .recv_timeout(Duration::from_secs(30))
                .expect("an answer");
            let hits = results.outcome.expect("a valid query");
            assert_eq!(hits.len(), 1, "{query}");
        }
    }
}
