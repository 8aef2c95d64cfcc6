//! Background threads wake the terminal loop when they send it something, instead of
//! leaving it to find out when its wait for a key runs out.

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
fn the_loader_wakes_the_loop_once_its_last_event_is_sent() {
    let (tx, woken) = std::sync::mpsc::channel();
    let seeds = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let events = tomes::library::spawn_loader_waking(
        vec![seeds],
        None,
        Waker::new(move || {
            let _ = tx.send(());
        }),
    );
    woken
        .recv_timeout(Duration::from_secs(60))
        .expect("the loader woke the loop");
    // Everything is there when woken: the last event is the end of the load.
    let sent: Vec<_> = events.try_iter().collect();
    assert!(
        matches!(sent.last(), Some(tomes::library::LoadEvent::Done)),
        "{} events, the last not Done",
        sent.len()
    );
    // Once: batches are taken at the loop's own pace.
    assert!(woken.try_recv().is_err());
}
