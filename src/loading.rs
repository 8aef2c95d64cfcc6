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
                Effect::IndexDocs(docs) => worker.add_docs(docs),
                Effect::IndexPapers(papers) => worker.index_papers(&state.library, &papers),
                other => out.effects.push(other),
            }
        }
        if done {
            out.finished = true;
            break;
        }
    }
    out.changed |= out.finished;
    out
}
