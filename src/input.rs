//! Terminal input on its own thread, noticing when the terminal is gone, and holding keys
//! back while the list they would act on is still on its way ([`HeldInput`]).
//!
//! crossterm's reader loops inside `event::poll`/`event::read` when its terminal hangs up:
//! a hung-up pseudo-terminal reads as end-of-file forever, and crossterm retries the read
//! instead of returning. Read on the main thread, that froze the loop in a busy spin where
//! it never saw SIGTERM or SIGHUP again. So the blocking reads happen here, on a thread of
//! their own that hands events over a channel, and the main loop asks [`hung_up`] each turn
//! — a zero-timeout `poll(2)` on the terminal, which reports `POLLHUP` once the other end
//! (an SSH connection, a tmux pane, a terminal window) has closed, whether or not a SIGHUP
//! ever arrives.

use crate::threads::Waker;
use crossterm::event::{self, Event};
use std::collections::VecDeque;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TryRecvError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How many events may wait for the loop before the reader thread waits for it: enough for
/// a paste, small enough that input never piles up unboundedly.
const QUEUE: usize = 1024;

/// What the reader thread (or a background thread's [`Waker`]) hands over.
pub enum Input {
    Event(Event),
    /// Reading failed: the terminal is unusable.
    Failed(io::Error),
    /// A background thread has sent the loop something: stop waiting for a key.
    Wake,
}

/// Terminal input read on a background thread, plus the terminal's file descriptor to
/// check for a hang-up.
pub struct TerminalInput {
    events: Receiver<Input>,
    /// For the reader thread and wakers.
    sender: SyncSender<Input>,
    /// A wake is waiting in `events`: wakers send one at a time, so a worker or loader
    /// sending many results while the loop is busy cannot fill the queue keys wait in.
    wake_queued: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
    terminal: Terminal,
    pause: Arc<Pause>,
}

/// Asks the reader thread to stop reading the terminal while a program run on it
/// ([`crate::foreground`]) reads it: two readers of one terminal split the keys between them.
#[derive(Clone)]
pub struct InputPause(Arc<Pause>);

impl InputPause {
    /// Stops the reader reading the terminal until [`InputPause::resume`]; returns once it
    /// has stopped, or after a second when it is stuck handing an event over to a full
    /// queue — not reading either.
    ///
    /// The reader waits in crossterm's `event::read`, which also wakes on SIGWINCH (it then
    /// reports the terminal's size): the signal raised here wakes it to see the pause. The
    /// loop takes the `Resize` after the pause as a redraw, which it does then anyway.
    /// (Waiting with `event::poll(timeout)` instead, to look between waits, spun through
    /// the last millisecond of each wait: 1% of a core, idle.)
    pub fn pause(&self) {
        let mut state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 = true;
        // SAFETY: a signal to this process whose default action is to be ignored.
        unsafe { libc::kill(libc::getpid(), libc::SIGWINCH) };
        let deadline = Instant::now() + Duration::from_secs(1);
        while !state.1 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = (self.0.changed.wait_timeout(state, left))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Lets the reader read the terminal again.
    pub fn resume(&self) {
        let mut state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 = false;
        self.0.changed.notify_all();
    }
}

#[derive(Default)]
struct Pause {
    /// (asked to pause, the reader has stopped)
    state: Mutex<(bool, bool)>,
    changed: Condvar,
}

impl Pause {
    /// Whether a pause is asked.
    fn asked(&self) -> bool {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0
    }

    /// On the reader thread: waits here while a pause is asked, saying it has stopped.
    fn wait_while_asked(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while state.0 {
            state.1 = true;
            self.changed.notify_all();
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.1 = false;
    }
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
    /// Input not read yet ([`TerminalInput::start_reading`] starts that), whose wakers may
    /// be handed out already: the background threads start before the terminal is set up.
    pub fn new() -> TerminalInput {
        let (sender, events) = std::sync::mpsc::sync_channel(QUEUE);
        TerminalInput {
            events,
            sender,
            wake_queued: Arc::default(),
            reader: None,
            terminal: Terminal::find(),
            pause: Arc::default(),
        }
    }

    /// Starts the reader thread.
    pub fn start_reading(&mut self) -> io::Result<()> {
        let tx = self.sender.clone();
        let reader_pause = Arc::clone(&self.pause);
        // Its own descriptor of the terminal, when it is not standard input.
        let terminal = match Terminal::find() {
            Terminal::Opened(fd) => Some(fd),
            Terminal::Stdin | Terminal::Unknown => None,
        };
        let reader = std::thread::Builder::new()
            .name("tomes-input".into())
            .spawn(move || read_events(&tx, &reader_pause, terminal))?;
        self.reader = Some(reader);
        Ok(())
    }

    /// Something that makes [`TerminalInput::next`] return at once, from any thread.
    pub fn waker(&self) -> Waker {
        let sender = self.sender.clone();
        let queued = Arc::clone(&self.wake_queued);
        Waker::new(move || {
            // A full queue holds events the loop will handle anyway: the wake is not needed.
            if !queued.swap(true, Ordering::SeqCst) && sender.try_send(Input::Wake).is_err() {
                queued.store(false, Ordering::SeqCst);
            }
        })
    }

    /// Whether a wake is waiting for [`TerminalInput::next`] to take it.
    pub fn wake_waiting(&self) -> bool {
        self.wake_queued.load(Ordering::SeqCst)
    }

    /// A handle that pauses this reader ([`InputPause`]).
    pub fn pauser(&self) -> InputPause {
        InputPause(Arc::clone(&self.pause))
    }

    /// The next input event, waiting at most `wait`; `Ok(None)` when none came in time, or
    /// a [`Waker`] cut the wait short.
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
            Ok(Input::Wake) => {
                // Cleared before the loop looks at what woke it: whatever comes after that
                // wakes it again.
                self.wake_queued.store(false, Ordering::SeqCst);
                Ok(None)
            }
            Err(RecvTimeoutError::Timeout)
                if self.reader.as_ref().is_some_and(|r| r.is_finished()) =>
            {
                Err(Gone::Failed(io::Error::other(
                    "the terminal input reader stopped",
                )))
            }
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

/// The reader thread: forwards each event crossterm reads. It ends when the loop has gone
/// (the channel is closed) or after forwarding an error. Before each read it stops while
/// asked to ([`InputPause`]).
///
/// With the terminal's descriptor at hand it waits for input itself, to count the bytes
/// that came in one go before crossterm reads them ([`escs_read_as_one`]); every
/// [`READ_WAIT`] without one it looks whether the terminal's size changed, for crossterm
/// to report it (a resize comes without a byte). On a hung-up terminal it reads nothing
/// (crossterm would spin reading its end of file): the main loop, seeing the hang-up,
/// exits.
fn read_events(tx: &SyncSender<Input>, pause: &Pause, terminal: Option<OwnedFd>) {
    let fd = match &terminal {
        Some(fd) => fd.as_raw_fd(),
        None if io::IsTerminal::is_terminal(&io::stdin()) => io::stdin().as_raw_fd(),
        None => return read_events_blocking(tx, pause),
    };
    // Events crossterm has at once; `poll` with no wait at all does not read the terminal.
    let more = || event::poll(Duration::from_millis(1));
    let mut size = crossterm::terminal::size().ok();
    loop {
        pause.wait_while_asked();
        let mut watched = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd; poll only writes `revents`.
        let ready = unsafe { libc::poll(&mut watched, 1, READ_WAIT.as_millis() as i32) };
        if ready > 0 && watched.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            std::thread::sleep(READ_WAIT);
            continue;
        }
        if pause.asked() {
            continue;
        }
        let mut events = Vec::new();
        let mut pending = 0;
        // The new size when it changed with no byte read.
        let mut resized = None;
        if ready > 0 {
            pending = bytes_pending(fd);
            events.push(event::read());
        } else {
            let now = crossterm::terminal::size().ok();
            if now == size {
                continue;
            }
            size = now;
            resized = now;
        }
        loop {
            match more() {
                Ok(true) => events.push(event::read()),
                Ok(false) => break,
                Err(e) => {
                    events.push(Err(e));
                    break;
                }
            }
        }
        let mut events = match events.into_iter().collect::<io::Result<Vec<Event>>>() {
            Ok(events) => events,
            Err(e) => {
                let _ = tx.send(Input::Failed(e));
                return;
            }
        };
        // crossterm hears of a resize from a SIGWINCH handler it installs on its first read:
        // before the first key the signal went unheard, and the screen stayed drawn at the
        // old size until a key came (a user test). The size seen changing is the event then.
        if let Some((w, h)) = resized
            && !events.iter().any(|e| matches!(e, Event::Resize(..)))
        {
            events.push(Event::Resize(w, h));
        }
        if let Some(escs) = escs_read_as_one(&events, pending) {
            events = vec![Event::Key(event::KeyCode::Esc.into()); escs];
        }
        let events = keys_after_esc_rejoined(events);
        for event in events {
            if let Event::Resize(w, h) = event {
                size = Some((w, h));
            }
            // Blocks while the queue is full (the loop is busy) rather than dropping keys.
            if tx.send(Input::Event(event)).is_err() {
                return;
            }
        }
    }
}

/// How long the reader waits for a byte before it asks crossterm for events that come
/// without one (a resize): at most this late.
const READ_WAIT: Duration = Duration::from_millis(100);

/// The number of bytes waiting to be read from terminal `fd` (0 when it cannot tell).
fn bytes_pending(fd: RawFd) -> usize {
    let mut pending: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int through the pointer.
    let ok = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut pending) };
    if ok == 0 { pending.max(0) as usize } else { 0 }
}

/// How many Escs `events` stand for, read from `bytes` bytes that came in one go, when
/// that is more than there are events: crossterm reads two ESC bytes in one read as one Esc
/// (not Alt-Esc: it takes the second ESC as the end of the first), so Esc Esc typed fast,
/// over SSH or from tmux, closed only what one Esc closes (a user test). Only plain Escs
/// come of ESC bytes alone, and of nothing else: when every event is one, each byte was an
/// Esc. `None` otherwise.
pub fn escs_read_as_one(events: &[Event], bytes: usize) -> Option<usize> {
    let plain_esc = |e: &Event| {
        matches!(e, Event::Key(k) if k.code == event::KeyCode::Esc
            && k.modifiers.is_empty()
            && k.kind == event::KeyEventKind::Press)
    };
    (!events.is_empty() && events.iter().all(plain_esc) && bytes > events.len()).then_some(bytes)
}

/// `events` (read in one go) with each key that followed an Esc read whole again, as the
/// key with Alt: crossterm reads `ESC ESC [ B` (Esc then Down arriving together over SSH,
/// or Alt-Down as rxvt and PuTTY send it) as Esc, `[` and `B`, and `B` opened the bookmarks
/// (ut24c); `ESC ESC [ C`, Alt-Right there, went back instead of forward. An Alt-key that
/// means nothing is read as Esc then the key ([`crate::app`]), so Esc then Down still acts
/// as the two. Only what reads as a cursor, editing or function key is rejoined.
pub fn keys_after_esc_rejoined(events: Vec<Event>) -> Vec<Event> {
    use event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
    let plain_char = |e: &Event| match e {
        Event::Key(k)
            if k.kind == KeyEventKind::Press && (k.modifiers - KeyModifiers::SHIFT).is_empty() =>
        {
            match k.code {
                KeyCode::Char(c) => Some(c),
                _ => None,
            }
        }
        _ => None,
    };
    let plain_esc = |e: &Event| {
        matches!(e, Event::Key(k) if k.code == KeyCode::Esc
            && k.modifiers.is_empty()
            && k.kind == KeyEventKind::Press)
    };
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if plain_esc(&events[i]) {
            // The characters after the Esc, up to the end of what may be one key's sequence.
            let chars: String = events[i + 1..]
                .iter()
                .take(8)
                .map_while(plain_char)
                .collect();
            if let Some((code, modifiers, len)) = key_sequence(&chars) {
                out.push(Event::Key(KeyEvent::new(
                    code,
                    modifiers | KeyModifiers::ALT,
                )));
                i += 1 + len;
                continue;
            }
        }
        out.push(events[i].clone());
        i += 1;
    }
    out
}

/// The key whose escape sequence, without its ESC, `text` starts with (`[B` Down, `[1;5C`
/// Ctrl-Right, `[5~` PageUp, `OA` Up), with its modifiers and the sequence's length in
/// characters.
fn key_sequence(text: &str) -> Option<(event::KeyCode, event::KeyModifiers, usize)> {
    use event::{KeyCode, KeyModifiers};
    let arrow = |c: char| {
        Some(match c {
            'A' => KeyCode::Up,
            'B' => KeyCode::Down,
            'C' => KeyCode::Right,
            'D' => KeyCode::Left,
            'H' => KeyCode::Home,
            'F' => KeyCode::End,
            'P' => KeyCode::F(1),
            'Q' => KeyCode::F(2),
            'R' => KeyCode::F(3),
            'S' => KeyCode::F(4),
            _ => return None,
        })
    };
    if let Some(rest) = text.strip_prefix('O') {
        let code = arrow(rest.chars().next()?)?;
        return Some((code, KeyModifiers::NONE, 2));
    }
    let rest = text.strip_prefix('[')?;
    let params_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ';'))
        .unwrap_or(rest.len());
    let (params, after) = rest.split_at(params_len);
    let last = after.chars().next()?;
    let mut numbers = params.split(';').map(|n| n.parse::<u8>().ok());
    let first = numbers.next().flatten();
    // xterm's modifier parameter: 1 + (1 shift, 2 alt, 4 ctrl).
    let modifiers = match numbers.next().flatten() {
        Some(m) if m >= 1 => {
            let bits = m - 1;
            let mut modifiers = KeyModifiers::NONE;
            if bits & 1 != 0 {
                modifiers |= KeyModifiers::SHIFT;
            }
            if bits & 2 != 0 {
                modifiers |= KeyModifiers::ALT;
            }
            if bits & 4 != 0 {
                modifiers |= KeyModifiers::CONTROL;
            }
            modifiers
        }
        _ => KeyModifiers::NONE,
    };
    let code = if last == '~' {
        match first? {
            1 | 7 => KeyCode::Home,
            2 => KeyCode::Insert,
            3 => KeyCode::Delete,
            4 | 8 => KeyCode::End,
            5 => KeyCode::PageUp,
            6 => KeyCode::PageDown,
            n @ 11..=15 => KeyCode::F(n - 10),
            n @ 17..=21 => KeyCode::F(n - 11),
            n @ 23..=24 => KeyCode::F(n - 12),
            _ => return None,
        }
    } else if params.is_empty() || first == Some(1) {
        arrow(last).filter(|_| !matches!(last, 'P'..='S') || !params.is_empty())?
    } else {
        return None;
    };
    Some((code, modifiers, 1 + params.len() + 1))
}

/// [`read_events`] without a descriptor to wait on: crossterm's blocking read, each event
/// as it comes.
fn read_events_blocking(tx: &SyncSender<Input>, pause: &Pause) {
    loop {
        pause.wait_while_asked();
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

impl Default for TerminalInput {
    fn default() -> Self {
        TerminalInput::new()
    }
}

/// Whether `fd` reports a hang-up or an error, without waiting.
pub fn hung_up(fd: RawFd) -> bool {
    let mut watched = libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd, timeout 0: poll only writes `revents`.
    let ready = unsafe { libc::poll(&mut watched, 1, 0) };
    ready > 0 && watched.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

/// How long keys wait for search results before they act on the list shown: past it the
/// worker is slow (a huge library) or gone, and keys that never act would feel dead.
pub const HOLD_LIMIT: Duration = Duration::from_secs(2);

/// Input held back until the list it would act on is on screen, in the order it came.
///
/// Over a slow link the keys typed after a search (`/ gene:brca1 Enter b`) arrive in one
/// read, before the search worker answers: run at once, `b` bookmarked a paper of the list
/// from before. So a key that would act on the rows while a search is unanswered waits here,
/// and every key after it waits behind it (keys are read against the state the keys before
/// them left: `y 1` is the copy menu's first entry only once `y` has opened it). The wait
/// ends when the results arrive — or after [`HOLD_LIMIT`], when the keys act on what is
/// shown and the status says so. (fzf has the race too — Enter typed fast picks from the
/// old matches — and offers a `wait` action that blocks until the search completes; here
/// only the keys that read rows wait, so typing the query never does.)
#[derive(Debug)]
pub struct HeldInput<E> {
    events: VecDeque<E>,
    /// When the first event still held was held (or the last one let go).
    since: Option<Instant>,
    /// Past the limit: everything held goes, whatever the list shows.
    flushing: bool,
}

/// An event let go by [`HeldInput::next_ready`].
#[derive(Debug, PartialEq, Eq)]
pub struct Released<E> {
    pub event: E,
    /// It waited [`HOLD_LIMIT`] without its results arriving.
    pub late: bool,
}

impl<E> Default for HeldInput<E> {
    fn default() -> Self {
        HeldInput {
            events: VecDeque::new(),
            since: None,
            flushing: false,
        }
    }
}

impl<E> HeldInput<E> {
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Takes `event` in: held when something is held already (it keeps its place after it)
    /// or when it `must_wait`; otherwise handed back to run now.
    pub fn admit(&mut self, event: E, must_wait: bool, now: Instant) -> Option<E> {
        if self.events.is_empty() && !must_wait {
            return Some(event);
        }
        if self.events.is_empty() {
            self.since = Some(now);
        }
        self.events.push_back(event);
        None
    }

    /// The first held event, once it may run: it no longer `must_wait`, or the events have
    /// waited [`HOLD_LIMIT`] (then every held event goes, each marked late). Call it until
    /// it returns `None`, running each event before asking for the next: running one can
    /// make the next wait (it started another search).
    pub fn next_ready(
        &mut self,
        now: Instant,
        must_wait: impl Fn(&E) -> bool,
    ) -> Option<Released<E>> {
        let first = self.events.front()?;
        if !self.flushing
            && self
                .since
                .is_some_and(|t| now.duration_since(t) >= HOLD_LIMIT)
        {
            self.flushing = true;
        }
        if !self.flushing && must_wait(first) {
            return None;
        }
        let event = self.events.pop_front()?;
        let late = self.flushing;
        if self.events.is_empty() {
            self.since = None;
            self.flushing = false;
        } else if !late {
            // The results came: what is still held waits afresh, for a search it started.
            self.since = Some(now);
        }
        Some(Released { event, late })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    /// What crossterm makes of `ESC ESC [ B` (Esc, `[`, `B`) is rejoined as Alt-Down, and
    /// `ESC ESC [ C` as Alt-Right; an Esc before keys that are no sequence stays.
    #[test]
    fn keys_after_an_esc_are_read_whole_again() {
        let key = |code: KeyCode| Event::Key(KeyEvent::from(code));
        let ch = |c: char| key(KeyCode::Char(c));
        let esc = || key(KeyCode::Esc);
        let alt = |code: KeyCode, more: KeyModifiers| {
            Event::Key(KeyEvent::new(code, KeyModifiers::ALT | more))
        };
        let none = KeyModifiers::NONE;
        for (typed, want) in [
            (
                vec![esc(), ch('['), ch('B')],
                vec![alt(KeyCode::Down, none)],
            ),
            (
                vec![esc(), ch('['), ch('C')],
                vec![alt(KeyCode::Right, none)],
            ),
            (vec![esc(), ch('O'), ch('A')], vec![alt(KeyCode::Up, none)]),
            (
                vec![esc(), ch('['), ch('6'), ch('~'), ch('q')],
                vec![alt(KeyCode::PageDown, none), ch('q')],
            ),
            (
                vec![esc(), ch('['), ch('1'), ch(';'), ch('5'), ch('D')],
                vec![alt(KeyCode::Left, KeyModifiers::CONTROL)],
            ),
            (
                vec![ch('x'), esc(), ch('['), ch('1'), ch('5'), ch('~')],
                vec![ch('x'), alt(KeyCode::F(5), none)],
            ),
            // No sequence after the Esc: the keys as they came.
            (vec![esc(), ch('['), ch('x')], vec![esc(), ch('['), ch('x')]),
            (vec![esc(), ch('r')], vec![esc(), ch('r')]),
            (vec![esc(), ch('[')], vec![esc(), ch('[')]),
            (vec![ch('['), ch('B')], vec![ch('['), ch('B')]),
            (
                vec![esc(), ch('['), ch('9'), ch('~')],
                vec![esc(), ch('['), ch('9'), ch('~')],
            ),
        ] {
            assert_eq!(keys_after_esc_rejoined(typed.clone()), want, "{typed:?}");
        }
    }

    /// ESC ESC in one read is one Esc from crossterm: two bytes of plain Escs are two Escs.
    #[test]
    fn escs_read_together_count_by_their_bytes() {
        let esc = Event::Key(KeyCode::Esc.into());
        let alt_esc = Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::ALT));
        let q = Event::Key(KeyCode::Char('q').into());
        assert_eq!(escs_read_as_one(std::slice::from_ref(&esc), 2), Some(2));
        assert_eq!(escs_read_as_one(&[esc.clone(), esc.clone()], 3), Some(3));
        // As many bytes as events: each Esc was read alone.
        assert_eq!(escs_read_as_one(std::slice::from_ref(&esc), 1), None);
        assert_eq!(escs_read_as_one(&[esc.clone(), esc.clone()], 2), None);
        // Anything else among them: the bytes were not all Escs.
        assert_eq!(escs_read_as_one(&[esc.clone(), q], 5), None);
        assert_eq!(escs_read_as_one(&[alt_esc], 3), None);
        assert_eq!(escs_read_as_one(&[], 2), None);
    }
}
