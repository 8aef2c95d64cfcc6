//! Terminal input on its own thread, and noticing when the terminal is gone.
//!
//! crossterm's reader loops inside `event::poll`/`event::read` when its terminal hangs up:
//! a hung-up pseudo-terminal reads as end-of-file forever, and crossterm retries the read
//! instead of returning. Read on the main thread, that froze the loop in a busy spin where
//! it never saw SIGTERM or SIGHUP again. So the blocking reads happen here, on a thread of
//! their own that hands events over a channel, and the main loop asks [`hung_up`] each turn
//! — a zero-timeout `poll(2)` on the terminal, which reports `POLLHUP` once the other end
//! (an SSH connection, a tmux pane, a terminal window) has closed, whether or not a SIGHUP
//! ever arrives.

use crossterm::event::{self, Event};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TryRecvError};
use std::time::Duration;

/// How many events may wait for the loop before the reader thread waits for it: enough for
/// a paste, small enough that input never piles up unboundedly.
const QUEUE: usize = 1024;

/// What the reader thread hands over.
pub enum Input {
    Event(Event),
    /// Reading failed: the terminal is unusable.
    Failed(io::Error),
}

/// Terminal input read on a background thread, plus the terminal's file descriptor to
/// check for a hang-up.
pub struct TerminalInput {
    events: Receiver<Input>,
    terminal: Terminal,
}

/// The file descriptor to watch: standard input when it is the terminal, else `/dev/tty`
/// as crossterm itself would open it.
enum Terminal {
    Stdin,
    Opened(OwnedFd),
    /// No terminal could be found to watch; only the reader's failures tell.
    Unknown,
}

/// Why the loop has to stop listening.
#[derive(Debug)]
pub enum Gone {
    /// The other end closed (or the descriptor broke): restore what can be restored and exit.
    HungUp,
    /// The reader thread reported an error, or stopped.
    Failed(io::Error),
}

impl TerminalInput {
    /// Starts the reader thread.
    pub fn spawn() -> io::Result<TerminalInput> {
        let (tx, rx) = std::sync::mpsc::sync_channel(QUEUE);
        std::thread::Builder::new()
            .name("tomes-input".into())
            .spawn(move || read_events(&tx))?;
        Ok(TerminalInput {
            events: rx,
            terminal: Terminal::find(),
        })
    }

    /// The next input event, waiting at most `wait`; `Ok(None)` when none came in time.
    pub fn next(&self, wait: Duration) -> Result<Option<Event>, Gone> {
        let received = if wait.is_zero() {
            self.events.try_recv().map_err(|e| match e {
                TryRecvError::Empty => RecvTimeoutError::Timeout,
                TryRecvError::Disconnected => RecvTimeoutError::Disconnected,
            })
        } else {
            self.events.recv_timeout(wait)
        };
        match received {
            Ok(Input::Event(event)) => Ok(Some(event)),
            Ok(Input::Failed(e)) => Err(Gone::Failed(e)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err(Gone::Failed(io::Error::other(
                "the terminal input reader stopped",
            ))),
        }
    }

    /// True once the terminal has hung up (its other end closed).
    pub fn hung_up(&self) -> bool {
        match &self.terminal {
            Terminal::Stdin => hung_up(io::stdin().as_raw_fd()),
            Terminal::Opened(fd) => hung_up(fd.as_raw_fd()),
            Terminal::Unknown => false,
        }
    }
}

impl Terminal {
    fn find() -> Terminal {
        use std::io::IsTerminal;
        if io::stdin().is_terminal() {
            return Terminal::Stdin;
        }
        match std::fs::File::open("/dev/tty") {
            Ok(file) => Terminal::Opened(OwnedFd::from(file)),
            Err(_) => Terminal::Unknown,
        }
    }
}

/// The reader thread: blocks in crossterm's reader and forwards each event. It ends when
/// the loop has gone (the channel is closed) or after forwarding an error; if crossterm
/// spins on a hung-up terminal it never returns, and the main loop, seeing the hang-up,
/// exits the process around it.
fn read_events(tx: &SyncSender<Input>) {
    loop {
        let input = match event::read() {
            Ok(event) => Input::Event(event),
            Err(e) => Input::Failed(e),
        };
        let failed = matches!(input, Input::Failed(_));
        // Blocks while the queue is full (the loop is busy) rather than dropping keys.
        if tx.send(input).is_err() {
            return;
        }
        if failed {
            return;
        }
    }
}

/// Whether `fd` reports a hang-up or an error, without waiting.
fn hung_up(fd: RawFd) -> bool {
    let mut watched = libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd, timeout 0: poll only writes `revents`.
    let ready = unsafe { libc::poll(&mut watched, 1, 0) };
    ready > 0 && watched.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}
