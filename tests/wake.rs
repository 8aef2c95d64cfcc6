//! Background threads wake the terminal loop when they send it something, instead of
//! leaving it to find out when its wait for a key runs out.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tomes::input::TerminalInput;
use tomes::search::SearchWorker;
use tomes::threads::Waker;

#[test]
fn wakes_wait_for_the_loop_one_at_a_time() {
    let input = TerminalInput::new();
    let waker = input.waker();
    assert!(!input.wake_waiting());
    waker.wake();
    assert!(input.wake_waiting());
    // A second wake before the loop took the first adds nothing to the queue keys wait in.
    waker.wake();
    assert!(matches!(input.next(Duration::ZERO), Ok(None)));
    assert!(!input.wake_waiting());
    // Taken: the next wake is queued again.
    waker.clone().wake();
    assert!(input.wake_waiting());
    assert!(matches!(input.next(Duration::ZERO), Ok(None)));
    assert!(!input.wake_waiting());
}

#[test]
fn the_worker_wakes_the_loop_once_its_results_can_be_taken() {
    let (tx, woken) = std::sync::mpsc::channel();
    let worker = SearchWorker::spawn_waking(Waker::new(move || {
        let _ = tx.send(());
    }));
    worker.search(1, "anything");
    woken
        .recv_timeout(Duration::from_secs(60))
        .expect("the worker woke the loop");
    let results = worker.try_recv().expect("results there when woken");
    assert_eq!(results.generation, 1);
}

#[test]
fn the_loader_wakes_the_loop_for_every_event_it_sends() {
    let wakes = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&wakes);
    let seeds = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let events = tomes::library::spawn_loader_waking(
        vec![seeds],
        None,
        Waker::new(move || {
            counted.fetch_add(1, Ordering::SeqCst);
        }),
    );
    // The loader hangs up after its last event and that event's wake.
    let sent = events.iter().count();
    assert!(sent >= 3, "found, papers and done: {sent} events");
    assert_eq!(wakes.load(Ordering::SeqCst), sent);
}
