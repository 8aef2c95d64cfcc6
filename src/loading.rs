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
    use crate::app::Effect;
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

    /// One paper in two files (a corpus shipped as PubTator and as BioC) is one paper for
    /// the rule that a name finds every paper of its entity once two papers use it: its odd
    /// name finds it alone, in the browser as on the command line. Counted once per record,
    /// `deterioration` found 45 papers of biored's training set instead of 6.
    #[test]
    fn a_paper_in_two_files_does_not_share_its_own_names() {
        let dir = tempfile::tempdir().expect("temp dir");
        let one = "7|t|Kidney work.\n7|a|Renal deterioration seen.\n\
                   7\t13\t32\tRenal deterioration\tDisease\tMESH:D007674\n";
        let others = "8|t|Other paper.\n8|a|Kidney disease again.\n\
                      8\t13\t27\tKidney disease\tDisease\tMESH:D007674\n\n\
                      9|t|Third paper.\n9|a|Kidney disease.\n\
                      9\t13\t27\tKidney disease\tDisease\tMESH:D007674\n";
        std::fs::write(dir.path().join("a.pubtator"), format!("{one}\n{others}")).expect("write");
        std::fs::write(dir.path().join("b.pubtator"), one).expect("write");
        let paths = vec![dir.path().to_path_buf()];
        let (library, _) = crate::library::load(&paths);
        let on_the_command_line: Vec<String> =
            crate::search::search_library(&library, "deterioration")
                .expect("a valid query")
                .iter()
                .map(|h| library.paper(h.paper).key.to_string())
                .collect();
        assert_eq!(on_the_command_line, ["PMID:7"]);

        let worker = SearchWorker::spawn();
        let loader = spawn_loader_for(paths, Some(worker.interner()));
        let mut state = AppState::loading(Keymap::defaults());
        let deadline = Instant::now() + Duration::from_secs(30);
        while !drain(&loader, &mut state, &worker, TURN_BUDGET).finished {
            assert!(Instant::now() < deadline, "the load never finished");
            std::thread::sleep(Duration::from_millis(1));
        }
        for (generation, query, expected) in [
            (1, "deterioration", &["PMID:7"][..]),
            // The name two papers use finds every paper of the entity.
            (2, "kidney disease", &["PMID:7", "PMID:8", "PMID:9"][..]),
        ] {
            worker.search(generation, query);
            let hits = worker
                .recv_timeout(Duration::from_secs(30))
                .expect("an answer")
                .outcome
                .expect("a valid query");
            let mut found: Vec<String> = hits
                .iter()
                .map(|h| state.library.paper(h.paper).key.to_string())
                .collect();
            found.sort();
            let mut expected = expected.to_vec();
            expected.sort();
            assert_eq!(found, expected, "{query}");
        }
    }

    /// Files load in parallel, largest first, so papers arrive in a different order from
    /// run to run; once loaded, the list is in the order `tomes list` shows (file, then
    /// line), and tied search hits follow it.
    #[test]
    fn a_loaded_list_is_in_source_order_whatever_order_papers_arrived_in() {
        let dir = tempfile::tempdir().expect("temp dir");
        // Sizes chosen so the loader starts with the last file in path order.
        let mut pmid = 100;
        for (name, papers) in [("a.pubtator", 2), ("b.pubtator", 9), ("c.pubtator", 4)] {
            let mut text = String::new();
            for _ in 0..papers {
                pmid -= 1;
                text.push_str(&format!("{pmid}|t|Shared title words.\n{pmid}|a|Text.\n\n"));
            }
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        // One of b's papers is in a too: it is listed where a has it.
        let dup = "91|t|Shared title words.\n91|a|Text.\n";
        std::fs::write(dir.path().join("a.pubtator"), {
            let mut a = std::fs::read_to_string(dir.path().join("a.pubtator")).expect("read");
            a.push_str(dup);
            a
        })
        .expect("write");
        let paths = vec![dir.path().to_path_buf()];
        let (listed, _) = crate::library::load(&paths);
        let listed: Vec<String> = listed.papers().iter().map(|p| p.key.to_string()).collect();
        assert_eq!(listed.len(), 15);
        let (state, worker) = loaded_in_source_order(paths);
        assert_eq!(shown_keys(&state), listed);

        // Every paper has the same title: hits tie, and come in that order too.
        worker.search(1, "shared title");
        let hits = worker
            .recv_timeout(Duration::from_secs(30))
            .expect("an answer")
            .outcome
            .expect("a valid query");
        let found: Vec<String> = hits
            .iter()
            .map(|h| state.library.paper(h.paper).key.to_string())
            .collect();
        assert_eq!(found, listed);
    }

    /// Keys of the papers the current list shows.
    fn shown_keys(state: &AppState) -> Vec<String> {
        state
            .view()
            .rows
            .iter()
            .map(|r| match r {
                crate::app::Row::Paper(p) => state.library.paper(*p).key.to_string(),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    /// Loads `paths` as the browser does, then orders the papers as it does once loaded.
    fn loaded_in_source_order(paths: Vec<std::path::PathBuf>) -> (AppState, SearchWorker) {
        let worker = SearchWorker::spawn();
        let loader = spawn_loader_for(paths, Some(worker.interner()));
        let mut state = AppState::loading(Keymap::defaults());
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut ordering = None;
        loop {
            let drained = drain(&loader, &mut state, &worker, TURN_BUDGET);
            for effect in drained.effects {
                if let Effect::OrderPapers(keys) = effect {
                    ordering = Some(keys);
                }
            }
            if drained.finished {
                break;
            }
            assert!(Instant::now() < deadline, "the load never finished");
            std::thread::sleep(Duration::from_millis(1));
        }
        worker.order_papers(ordering.expect("the finished load asks for an order"));
        let order = worker
            .recv_order_timeout(Duration::from_secs(30))
            .expect("an order");
        assert!(state.apply_source_order(order).is_empty());
        (state, worker)
    }

    /// The corpora hold the same papers in several files (BioRED as BioC, all on one line,
    /// and as PubTator; some in NLM-Gene too): the loaded list is the order `tomes list`
    /// gives, document by document.
    #[test]
    fn the_corpora_load_in_the_order_tomes_list_gives() {
        let corpora = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
        if !corpora.is_dir() {
            eprintln!("skipping: ../shared/corpora not found");
            return;
        }
        let paths = vec![corpora.join("biored"), corpora.join("nlm-gene")];
        let (listed, _) = crate::library::load(&paths);
        let listed: Vec<String> = listed.papers().iter().map(|p| p.key.to_string()).collect();
        let (state, _worker) = loaded_in_source_order(paths);
        assert_eq!(shown_keys(&state), listed);
    }
}
