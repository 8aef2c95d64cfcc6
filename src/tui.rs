//! The terminal front end: puts the terminal in raw mode on the alternate screen, runs the
//! event loop, carries out the [`Effect`]s that [`app::update`] returns, and restores the
//! terminal on every way out — quit, error, panic, SIGTERM, SIGHUP, SIGINT and SIGQUIT.
//!
//! The loop is synchronous: each turn it takes what the background loader and the search
//! worker have sent (without waiting), draws if anything changed, then waits up to a short
//! timeout for a key from the input thread ([`crate::input`]) and handles it with every
//! other key already waiting, so a burst is drawn once. A key that would act on the list
//! while a search's results are still on their way waits for them ([`HeldInput`]). Signals only set a flag the
//! loop checks, and a hung-up terminal is noticed each turn, so restoring always happens on
//! the main thread, in order, even when no signal arrives.
//!
//! Effects that touch the outside world happen here, between draws: copying (OSC 52 and a
//! local tool), opening a browser (a terminal browser is lent the terminal until it exits,
//! [`crate::foreground`]), writing an export file. A reload (`R`, or the library
//! watcher after files changed) loads the library afresh in a background thread; the loop
//! then swaps it in ([`AppState::replace_library`] remaps views by paper key) and gives a
//! fresh search worker the new papers.

use crate::abstracts::{self, AbstractReads};
use crate::app::{self, Action, AppState, Appearance, Effect, Key, Keymap, Pane};
use crate::bookmarks::{self, Bookmarks};
use crate::clipboard::{self, ClipboardEnv};
use crate::config;
use crate::export::{self, ExportFormat};
use crate::foreground::{self, Lender, Lent};
use crate::index::PaperIdx;
use crate::input::{Gone, HeldInput, TerminalInput};
use crate::library::{self, Library, LoadEvent};
use crate::links::{self, OpenOutcome};
use crate::loading;
use crate::model::Problem;
use crate::search::{SearchDoc, SearchWorker};
use crate::threads::Waker;
use crate::ui::{self, theme::BasicColors};
use crate::watch::{self, LibraryWatcher};
use crossterm::event::{
    self, Event, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};
use crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend};
use ratatui::layout::{Position, Rect};
use std::collections::HashSet;
use std::io::{Stdout, Write, stdout};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant, SystemTime};

/// While papers are loading, the current query is re-run at most this often so new papers
/// join the results without restarting the search for every file.
const SEARCH_RERUN_INTERVAL: Duration = Duration::from_millis(150);

/// How long input waiting in a burst is handled before a frame is drawn anyway.
const INPUT_BUDGET: Duration = Duration::from_millis(50);

/// How long to wait for a key while nothing is going on in the background.
const IDLE_POLL: Duration = Duration::from_millis(100);
/// How soon after the answer to Enter's reading took the selected paper away a key acting
/// on the rows is taken for one typed before the new list was seen, and dropped
/// ([`AppState::drops_unseen_row_key`]): less than anyone takes to see a list change and
/// press a key.
const UNSEEN_LIST: Duration = Duration::from_millis(300);

/// How long to wait while papers or search results are still arriving.
const BUSY_POLL: Duration = Duration::from_millis(15);

/// Whether mouse capture was turned on, so every restore path turns it off again.
static MOUSE_CAPTURED: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// Refuses to start the browser where it could not be used: with its output going to a
/// file or pipe (a user test's `tomes seeds > out.txt` wrote the screen's escape codes
/// into the file and waited for keys on a blank terminal), or with no terminal to read
/// keys from (no controlling terminal: crossterm said only "No such device or address").
fn needs_a_terminal() -> anyhow::Result<()> {
    use std::io::IsTerminal;
    const PRINT: &str = "to print papers, use `tomes list`, `tomes search QUERY` or `tomes \
                         export QUERY`";
    // Emacs's shell and other line-only terminals say so: drawn on, the screen is a scroll
    // of escape codes (ut23).
    if std::env::var_os("TERM").is_some_and(|term| term == "dumb") {
        anyhow::bail!(
            "the browser needs a terminal that can move its cursor, and this one says it \
             cannot (TERM=dumb); {PRINT}"
        );
    }
    if !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the browser draws on a terminal, and standard output is not one (a file or \
             pipe); {PRINT}"
        );
    }
    if !std::io::stdin().is_terminal() && std::fs::File::open("/dev/tty").is_err() {
        anyhow::bail!(
            "the browser reads keys from a terminal, and there is none: standard input is \
             not one and /dev/tty cannot be opened (no controlling terminal); {PRINT}"
        );
    }
    Ok(())
}

/// Opens the browser on `paths` (or, when empty, the library folders of `config.toml`).
pub fn run(paths: Vec<PathBuf>) -> anyhow::Result<()> {
    needs_a_terminal()?;
    let dir = config::config_dir();
    let (config, config_problems) = config::load(dir.as_deref());
    let (keymap, key_problems) = Keymap::with_overrides(&config.keys);
    let (mut bookmarks, bookmark_notice) = Bookmarks::open(dir.as_deref());
    let paths = if paths.is_empty() {
        config.library.clone()
    } else {
        paths
    };

    let mut state = AppState::loading(keymap);
    // Each names the file once, whole, as `tomes check` does.
    let config_file = dir.as_deref().map(|d| d.join(config::CONFIG_FILE));
    let config_file = config_file
        .as_deref()
        .unwrap_or(Path::new(config::CONFIG_FILE));
    // At their lines, as `tomes check` lists them (`config.toml:4: keys.search: takes "b"
    // from toggle_bookmark, ...`).
    let mut config_problems = config_problems;
    config_problems.extend(
        key_problems
            .into_iter()
            .map(|p| config::ConfigProblem::new(p.key, p.message)),
    );
    if dir.is_some() {
        config::locate(config_file, &mut config_problems);
    }
    state.config_problems = config_problems
        .iter()
        .map(|p| p.in_file(config_file))
        .collect();
    state.set_bookmarks(bookmarks.list().to_vec());
    state.export_dir = std::env::current_dir().unwrap_or_else(|_| ".".into());
    state.appearance = Appearance::from_config(
        &config,
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    );
    state.appearance.hyperlinks &=
        ui::link::terminal_shows_links(std::env::var("TERM").ok().as_deref());
    report_bookmark_keys(&mut bookmarks, &mut state);
    if let Some(notice) = bookmark_notice {
        let file = dir
            .as_deref()
            .map(|d| d.join(bookmarks::BOOKMARKS_FILE))
            .unwrap_or_default();
        state.report_bookmarks_problem(file, notice);
    } else if paths.is_empty() {
        state.notify(
            "no library: run `tomes PATH…` or set `library` in config.toml",
            false,
        );
    } else if !state.config_problems.is_empty() {
        // Short, the key first: at 80 columns the counts beside it leave little room.
        let key = state
            .keymap
            .keys_for(&crate::app::Action::Problems)
            .first()
            .map_or_else(
                || "the problems list".to_owned(),
                |k| format!("{k} lists them"),
            );
        state.notify_about_problems(format!("config.toml has problems ({key})"));
    }

    // Registered before the terminal changes, so a signal at any moment is seen by the loop.
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        // Ctrl-\ in a terminal whose raw mode was lost, or `kill -QUIT`: left to its default
        // it dumped core and left the alternate screen, a hidden cursor and mouse reporting.
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }

    // The background threads wake the loop when they send it something: its wait for a
    // key is also its wait for them.
    let mut input = TerminalInput::new();
    let worker = SearchWorker::spawn_waking(input.waker());
    let loader =
        library::spawn_loader_waking(paths.clone(), Some(worker.interner()), input.waker());
    let watcher = if paths.is_empty() {
        None
    } else {
        match watch::watch(&paths) {
            Ok(w) => Some(w),
            Err(e) => {
                state.config_problems.push(format!(
                    "not watching the library for changes: {e} (R reloads)"
                ));
                None
            }
        }
    };
    let mut terminal = enter_terminal(config.mouse)?;
    let mut session = Session {
        state,
        bookmarks,
        worker,
        loader: Some(loader),
        load_backlog: false,
        signal,
        mouse: config.mouse,
        paths,
        watcher,
        reload: None,
        reload_again: false,
        search_pending: None,
        last_rerun: Instant::now(),
        sent_bookmarks: None,
        screen: Rect::default(),
        abstracts: AbstractReads::spawn(),
        held: HeldInput::default(),
        selected_went_at: None,
        waker: input.waker(),
        lender: None,
        redraw_all: false,
    };
    session.sync_bookmarks();
    let outcome = input
        .start_reading()
        .map_err(anyhow::Error::from)
        .and_then(|()| {
            session.lender = Some(Lender {
                input: input.pauser(),
                signal: Arc::clone(&session.signal),
                mouse: session.mouse,
            });
            session.run_loop(&mut terminal, &input)
        });
    // The cursor is shown on the alternate screen first, so the restore after it is the
    // last thing written. Not by dropping the terminal: ratatui's drop reports a failure to
    // show the cursor with eprintln!, which panics when the terminal has hung up (a SIGHUP
    // or a vanished pty); the terminal holds nothing else that needs dropping.
    let _ = terminal.show_cursor();
    std::mem::forget(terminal);
    restore_terminal();
    // The terminal is restored and bookmarks are saved on each toggle; after a signal or a
    // hang-up, exit the way a process killed by the signal would report it to the shell
    // (and without waiting for the input thread, which may be stuck on the dead terminal).
    match outcome? {
        Ended::Quit => Ok(()),
        Ended::Signal => std::process::exit(128 + session.signal.load(Ordering::SeqCst) as i32),
        Ended::HungUp => std::process::exit(128 + signal_hook::consts::SIGHUP),
    }
}

/// The terminal as the browser draws on it: colours sent as basic SGR codes
/// ([`BasicColors`]).
pub type Screen = Terminal<CrosstermBackend<BasicColors<Stdout>>>;

/// How the loop ended.
enum Ended {
    Quit,
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT arrived.
    Signal,
    /// The terminal's other end closed, whether or not a SIGHUP came with it.
    HungUp,
}

/// Raw mode, alternate screen, hidden cursor (and mouse capture when asked), with a panic
/// hook installed first that restores all of it before the previous hook prints. Pair with
/// [`restore_terminal`].
pub fn enter_terminal(mouse: bool) -> anyhow::Result<Screen> {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
    if let Err(e) = enter_modes(mouse) {
        restore_terminal();
        return Err(e.into());
    }
    match Terminal::new(CrosstermBackend::new(BasicColors::new(stdout()))) {
        Ok(t) => Ok(t),
        Err(e) => {
            restore_terminal();
            Err(e.into())
        }
    }
}

/// Puts the terminal in the modes the browser runs in (what [`restore_terminal`] undoes):
/// at start, and again after a program was lent the terminal ([`crate::foreground`]).
pub fn enter_modes(mouse: bool) -> std::io::Result<()> {
    terminal::enable_raw_mode()?;
    // Bracketed paste: a paste arrives as one event, not as keys (a pasted line break would
    // otherwise accept the search and the rest run as commands: `q` quits).
    execute!(
        stdout(),
        terminal::EnterAlternateScreen,
        cursor::Hide,
        event::EnableBracketedPaste
    )?;
    if mouse {
        MOUSE_CAPTURED.store(true, Ordering::SeqCst);
        execute!(stdout(), event::EnableMouseCapture)?;
    }
    Ok(())
}

/// Puts the terminal back: cooked mode, main screen, visible cursor, no mouse capture, no
/// bracketed paste.
/// Errors are ignored: after SIGHUP there may be no terminal left to write to.
pub fn restore_terminal() {
    // Ended while stopped by Ctrl-z: the terminal was restored then, and is the shell's now.
    if foreground::in_background() {
        return;
    }
    let _ = terminal::disable_raw_mode();
    if MOUSE_CAPTURED.swap(false, Ordering::SeqCst) {
        let _ = execute!(stdout(), event::DisableMouseCapture);
    }
    let _ = execute!(
        stdout(),
        event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
}

/// A reload running in the background, and the search worker its library will have.
struct Reload {
    done: Receiver<Reloaded>,
    worker: SearchWorker,
}

/// What a reload sends: the new library, its problems and its papers' search docs (in
/// library order, built with the numbering of the reload's worker).
struct Reloaded {
    library: Library,
    problems: Vec<Problem>,
    docs: Vec<SearchDoc>,
}

/// The running browser: its state and the things effects act on.
struct Session {
    state: AppState,
    bookmarks: Bookmarks,
    worker: SearchWorker,
    loader: Option<Receiver<LoadEvent>>,
    /// The last turn's load budget ran out with events still waiting.
    load_backlog: bool,
    signal: Arc<AtomicUsize>,
    mouse: bool,
    /// The library's files and folders, loaded again on a reload.
    paths: Vec<PathBuf>,
    watcher: Option<LibraryWatcher>,
    /// A reload running in the background: it sends the complete new library.
    reload: Option<Reload>,
    /// The files changed again while a reload was running: reload once more after it.
    reload_again: bool,
    /// The generation of the last query sent to the worker, until it answers it.
    search_pending: Option<u64>,
    last_rerun: Instant,
    /// The bookmarked paper indices the search worker has, to send only changes.
    sent_bookmarks: Option<HashSet<PaperIdx>>,
    /// The screen as last drawn, to find the pane under the mouse.
    screen: Rect,
    /// Reads the abstract on screen from its file, off the loop.
    abstracts: AbstractReads,
    /// Input waiting for the search results it would act on.
    held: HeldInput<Event>,
    /// The generation of an answer to Enter's reading that took the selected paper away
    /// ([`AppState::drops_unseen_row_key`]) and when it came: keys acting on the rows that
    /// come within [`UNSEEN_LIST`] of it were typed before the new list could be seen.
    selected_went_at: Option<(u64, Instant)>,
    /// Wakes the loop; for the threads a reload starts.
    waker: Waker,
    /// Lends the terminal to a terminal browser (lynx, w3m).
    lender: Option<Lender>,
    /// The terminal was lent: the next frame is drawn whole.
    redraw_all: bool,
}

impl Session {
    fn run_loop(&mut self, terminal: &mut Screen, input: &TerminalInput) -> anyhow::Result<Ended> {
        let mut dirty = true;
        loop {
            if self.signal.load(Ordering::SeqCst) != 0 {
                return Ok(Ended::Signal);
            }
            // Checked before drawing: writing to a hung-up terminal fails.
            if input.hung_up() {
                return Ok(Ended::HungUp);
            }
            if self.take_load_events() {
                dirty = true;
                self.sync_bookmarks();
            }
            if self.state.search.rerun_due
                && (self.loader.is_none() || self.last_rerun.elapsed() >= SEARCH_RERUN_INTERVAL)
            {
                self.last_rerun = Instant::now();
                if let Some(effect) = self.state.take_search_rerun() {
                    self.carry_out(effect);
                }
            }
            dirty |= self.check_reload();
            if self.abstracts.waiting() {
                // An abstract that took longer than a frame to read (a slow mount).
                dirty |= self.read_shown_abstract(Duration::ZERO);
            }
            if let Some(order) = self.worker.try_recv_order() {
                for effect in self.state.apply_source_order(order) {
                    self.carry_out(effect);
                }
                dirty = true;
            }
            while let Some(results) = self.worker.try_recv() {
                // Answered the last query sent (the worker answers only the newest), even
                // when the state has moved on to a generation no query was sent for
                // (leaving a search).
                if self
                    .search_pending
                    .is_some_and(|sent| results.generation >= sent)
                {
                    self.search_pending = None;
                }
                self.state.apply_search_results(results);
                dirty = true;
            }
            dirty |= self.state.tick(Instant::now());
            if !self.held.is_empty() {
                // Results came (or the wait ran out): the keys held for them act now.
                if self.release_held() {
                    return Ok(Ended::Quit);
                }
                dirty = true;
            }
            if let Some(generation) = self.state.search.selected_went
                && self
                    .selected_went_at
                    .is_none_or(|(seen, _)| seen != generation)
            {
                self.selected_went_at = Some((generation, Instant::now()));
            }
            if std::mem::take(&mut self.redraw_all) {
                // Forget what was on screen: the program that had the terminal drew over it.
                // Not `Terminal::clear`, which first asks the terminal where its cursor is:
                // the answer goes to the input thread, and the clear fails, drawing only what
                // changed on a blank screen.
                terminal.swap_buffers();
                let _ = terminal.backend_mut().clear_region(ClearType::All);
                dirty = true;
            }
            if dirty {
                self.read_shown_abstract(abstracts::ANSWER_WAIT);
                let mut viewport = self.state.viewport;
                let mut screen = self.screen;
                let drawn = terminal.draw(|frame| {
                    screen = frame.area();
                    viewport = ui::render(frame, &self.state);
                });
                if let Err(e) = drawn {
                    return if input.hung_up() {
                        Ok(Ended::HungUp)
                    } else {
                        Err(e.into())
                    };
                }
                self.state.viewport = viewport;
                self.screen = screen;
                dirty = false;
            }
            let busy = self.loader.is_some()
                || self.search_pending.is_some()
                || !self.held.is_empty()
                || self.reload.is_some()
                || self.abstracts.waiting();
            let wait = if self.load_backlog || self.state.has_pending_work() {
                // Papers are waiting: only look for a key, then take the next batch.
                Duration::ZERO
            } else if self.loader.is_some() {
                loading::LOAD_POLL
            } else if busy {
                BUSY_POLL
            } else {
                IDLE_POLL
            };
            // Awake when a search's results become late, to say so with no key pressed.
            let wait = match self.state.next_tick() {
                Some(due) => wait.min(due.saturating_duration_since(Instant::now())),
                None => wait,
            };
            let event = match input.next(wait) {
                Ok(Some(event)) => event,
                Ok(None) => {
                    // No key waits: time for what was put off to answer the last one fast.
                    dirty |= self.state.finish_pending_work();
                    continue;
                }
                Err(Gone::HungUp) => return Ok(Ended::HungUp),
                Err(Gone::Failed(e)) => return Err(e.into()),
            };
            dirty = true;
            if self.take_input(event) {
                return Ok(Ended::Quit);
            }
            // Every event already waiting is handled before the next frame: drawn once, the
            // diff sends only the final change (300 `j` in one write drew 300 frames, 2.9 kB
            // each over the link). A flood still shows progress every INPUT_BUDGET.
            let started = Instant::now();
            while started.elapsed() < INPUT_BUDGET {
                match input.next(Duration::ZERO) {
                    Ok(Some(event)) => {
                        if self.take_input(event) {
                            return Ok(Ended::Quit);
                        }
                    }
                    Ok(None) => break,
                    Err(Gone::HungUp) => return Ok(Ended::HungUp),
                    Err(Gone::Failed(e)) => return Err(e.into()),
                }
            }
        }
    }

    /// Takes one input event: runs it, or holds it while the list it would act on is still
    /// on its way ([`HeldInput`]). Ctrl-c quits at once, held keys or not. True when it quits.
    fn take_input(&mut self, event: Event) -> bool {
        match &event {
            Event::Key(key) if key.kind == KeyEventKind::Release => return false,
            Event::Key(key)
                if key.code == KeyCode::Char('c')
                    && key.modifiers.contains(KeyModifiers::CONTROL) =>
            {
                return self.apply(Action::Quit);
            }
            // Nothing to keep in order with the keys: the next frame is drawn at the new size.
            Event::Resize(..) | Event::FocusGained | Event::FocusLost => return false,
            _ => {}
        }
        let must_wait = event_waits(&self.state, self.screen, self.mouse, &event);
        match self.held.admit(event, must_wait, Instant::now()) {
            Some(event) => self.run_event(event, false),
            None => false,
        }
    }

    /// Runs the held events whose list has arrived (all of them once they waited too long,
    /// and then the status says so). True when one quits.
    fn release_held(&mut self) -> bool {
        let mut late = false;
        while let Some(released) = self.held.next_ready(Instant::now(), |event| {
            event_waits(&self.state, self.screen, self.mouse, event)
        }) {
            late |= released.late;
            if self.run_event(released.event, true) {
                return true;
            }
        }
        if late {
            self.state.acted_before_results();
        }
        false
    }

    /// Runs one input event: its action for the state as it is now, unless it was typed
    /// before a list that took its paper away could be seen (`held` for it, or right after
    /// it: [`AppState::drops_unseen_row_key`]). True when it quits.
    fn run_event(&mut self, event: Event, held: bool) -> bool {
        // The key as the hints write it, for a message should it be dropped (only while
        // keys may be: no string made for every key).
        let pressed = match &event {
            Event::Key(key) if self.state.search.selected_went.is_some() => {
                Some(Key::from(*key).to_string())
            }
            _ => None,
        };
        let action = match event {
            Event::Key(key) => {
                let key: Key = key.into();
                match self.state.unbound_alt_key(key) {
                    Some((esc, _)) => {
                        if let Some(action) = self.state.action_for_key(esc)
                            && self.apply(action)
                        {
                            return true;
                        }
                        self.state.key_after_esc(key)
                    }
                    None => self.state.action_for_key(key),
                }
            }
            Event::Mouse(m) if self.mouse => {
                mouse_action(&self.state, self.screen, m.kind, m.column, m.row)
            }
            Event::Paste(text) => Some(Action::SearchPaste(text)),
            _ => None,
        };
        // Keys typed before the list the answer to Enter brought could be seen: held for
        // it, or come right after it (typed fast, or over a slow link, the answer can come
        // between them).
        if self
            .selected_went_at
            .is_some_and(|(_, at)| !held && at.elapsed() > UNSEEN_LIST)
        {
            self.state.unseen_keys_done();
            self.selected_went_at = None;
        }
        if let Some(action) = &action
            && self.state.drops_unseen_row_key(action, pressed)
        {
            return false;
        }
        action.is_some_and(|action| self.apply(action))
    }

    /// Updates the state with `action` and carries out its effect; true when it quits.
    fn apply(&mut self, action: Action) -> bool {
        // Keys typed faster than frames are drawn (`j`, then the copy menu's BibTeX) act on
        // the selected paper's abstract too.
        self.read_shown_abstract(abstracts::ANSWER_WAIT);
        app::update(&mut self.state, action).is_some_and(|effect| self.carry_out(effect))
    }

    /// Reads the selected paper's abstract from its file when the library keeps only its
    /// place and it is not read yet, waiting up to `wait` for it (microseconds from the
    /// page cache; a hung mount leaves it `reading…`). True when an answer arrived.
    fn read_shown_abstract(&mut self, wait: Duration) -> bool {
        let Some(place) = self.state.abstract_to_read() else {
            self.abstracts.drop_answers();
            return false;
        };
        match self.abstracts.read(&place, wait) {
            Some((place, text)) => {
                self.state.abstract_read(place, text);
                true
            }
            None => false,
        }
    }

    /// Applies what the loader has sent, within a turn's time budget; true when anything
    /// arrived.
    fn take_load_events(&mut self) -> bool {
        let Some(loader) = &self.loader else {
            return false;
        };
        let drained = loading::drain(loader, &mut self.state, &self.worker, loading::TURN_BUDGET);
        self.load_backlog = drained.more;
        if drained.finished {
            self.loader = None;
            // A paper bookmarked under two of its ids is known once its papers are.
            report_bookmark_keys(&mut self.bookmarks, &mut self.state);
        }
        for effect in drained.effects {
            self.carry_out(effect);
        }
        drained.changed
    }

    /// Sends the bookmarked papers to the search worker when they changed (a toggle, or a
    /// bookmarked paper arrived), so `is:bookmarked` matches them.
    fn sync_bookmarks(&mut self) {
        let now = self.state.bookmarked_papers();
        if self.sent_bookmarks.as_ref() != Some(&now) {
            self.worker.set_bookmarks(now.clone());
            self.sent_bookmarks = Some(now);
        }
    }

    /// Starts a reload when asked or when the watched files changed (not while the first
    /// load runs: the loader sees the files as they are); swaps in a finished one. True
    /// when the screen changed.
    fn check_reload(&mut self) -> bool {
        let files_changed = self.watcher.as_ref().is_some_and(LibraryWatcher::changed);
        if files_changed {
            self.reload_again = true;
        }
        if self.reload_again && self.reload.is_none() && self.loader.is_none() {
            self.reload_again = false;
            if files_changed {
                self.state
                    .notify("library files changed: reloading…", false);
            }
            self.start_reload();
            return true;
        }
        let Some(reload) = self.reload.take() else {
            return false;
        };
        let reloaded = match reload.done.try_recv() {
            Ok(done) => done,
            Err(TryRecvError::Empty) => {
                self.reload = Some(reload);
                return false;
            }
            Err(TryRecvError::Disconnected) => {
                self.state.notify("reload failed: the loader stopped", true);
                return true;
            }
        };
        // The worker holds the old library's papers by index: a fresh one gets the new ones.
        self.worker = reload.worker;
        self.sent_bookmarks = None;
        let Reloaded {
            library,
            problems,
            docs,
        } = reloaded;
        let (_summary, effects) = self.state.replace_library(library, problems);
        let mut docs = Some(docs);
        for effect in effects {
            match effect {
                // Every paper, in library order: the docs the reload built are those.
                Effect::IndexPapers(_) if docs.is_some() => {
                    self.worker.add_docs(docs.take().unwrap_or_default());
                }
                other => {
                    self.carry_out(other);
                }
            }
        }
        self.sync_bookmarks();
        true
    }

    /// Loads the library again in a background thread, into a fresh library.
    fn start_reload(&mut self) {
        let paths = self.paths.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        // The search worker the new library will have: the reload thread builds the docs
        // with its numbering, so the UI thread only swaps them in (building or copying a
        // million papers' docs there froze the browser for seconds).
        let worker = SearchWorker::spawn_waking(self.waker.clone());
        let interner = worker.interner();
        let waker = self.waker.clone();
        let spawned = std::thread::Builder::new()
            .name("tomes-reload".into())
            .spawn(move || {
                let (library, report) = library::load(&paths);
                let docs = library
                    .papers()
                    .iter()
                    .enumerate()
                    .map(|(i, p)| interner.doc(i as PaperIdx, p))
                    .collect();
                let _ = tx.send(Reloaded {
                    library,
                    problems: report.problems,
                    docs,
                });
                waker.wake();
            });
        match spawned {
            Ok(_) => {
                self.reload = Some(Reload { done: rx, worker });
            }
            Err(e) => self.state.notify(format!("reload failed: {e}"), true),
        }
    }

    /// Opens `url` ([`links::open_url`]), lending the terminal to a terminal browser.
    fn open(&mut self, url: &str) -> OpenOutcome {
        let (lender, redraw_all) = (&self.lender, &mut self.redraw_all);
        links::open_url(url, &mut |launch| match lender {
            Some(lender) => {
                *redraw_all = true;
                lender.run(launch)
            }
            None => links::no_terminal(launch),
        })
    }

    /// Ctrl-z: the terminal restored as at exit, then the whole job stopped as a shell
    /// stops it ([`foreground::stop_job`]); `fg` continues it here, and the terminal is
    /// taken back and drawn whole. Where no shell can continue it (an orphaned process
    /// group: started without job control), the kernel drops the signal: the browser
    /// comes back and says it could not suspend.
    fn suspend(&mut self) {
        let Some(lender) = &self.lender else {
            return;
        };
        let lent = Lent::start(&lender.input, lender.mouse);
        let mut stopped = false;
        loop {
            stopped |= foreground::stop_job();
            // Continued by `fg`, with the terminal ours again; or to be ended (`kill %1`
            // sends SIGTERM, then SIGCONT): the loop exits without taking the terminal
            // back. Continued by `bg`, in the background, a full-screen program has no
            // screen: it stops again until `fg`. (The wait keeps that from spinning where
            // the stop is dropped.)
            if self.signal.load(Ordering::SeqCst) != 0 || !foreground::in_background() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
            // SIGTERM and SIGCONT come together, and the SIGTERM may be handled on another
            // thread after this one looked: stopped again unseen, tomes waited for a SIGCONT
            // no one would send (a CI run's `kill %1; jobs` said Stopped, not Exit 143).
            if self.signal.load(Ordering::SeqCst) != 0 {
                break;
            }
        }
        drop(lent);
        self.redraw_all = true;
        if !stopped {
            self.state.suspend_refused();
        }
    }

    /// Does what an effect asks; true when the browser must quit.
    fn carry_out(&mut self, effect: Effect) -> bool {
        match effect {
            Effect::Quit => return true,
            Effect::Suspend => self.suspend(),
            Effect::Search {
                generation,
                query,
                whole,
            } => {
                self.search_pending = Some(generation);
                if whole {
                    self.worker.search_whole(generation, &query);
                } else {
                    self.worker.search(generation, &query);
                }
            }
            effect @ (Effect::ToggleBookmark { .. }
            | Effect::RestoreBookmark(..)
            | Effect::SyncBookmarks) => {
                change_bookmark(&mut self.bookmarks, &mut self.state, effect);
                self.sync_bookmarks();
            }
            Effect::Copy { what, text } => {
                let report = clipboard::copy(&text, &ClipboardEnv::from_process());
                self.state.copied(&what, &report);
            }
            Effect::Open { url } => match self.open(&url) {
                outcome @ (OpenOutcome::Opened(_) | OpenOutcome::Returned(_)) => {
                    self.state.opened(&outcome.status(), None);
                }
                outcome @ OpenOutcome::ShowInstead { failed, .. } => {
                    let report = clipboard::copy(&url, &ClipboardEnv::from_process());
                    if failed {
                        self.state.open_failed(&outcome.status(), url, &report);
                    } else {
                        self.state.opened(&outcome.status(), Some((url, &report)));
                    }
                }
            },
            Effect::Export {
                papers,
                format,
                view,
                skipped,
            } => {
                let selected: Vec<&crate::model::Paper> = papers
                    .iter()
                    .map(|&p| self.state.library.paper(p))
                    .collect();
                let scope = export::KeyScope::Library(self.state.library.papers());
                let (text, left_out) = export::export_reporting(&selected, format, scope);
                // Written where tomes was started (the menu says where), and named in full.
                let here = self.state.export_dir.clone();
                let result = write_export(&here, view, format, &text, SystemTime::now())
                    .map(|path| (path, papers.len()))
                    .map_err(|e| e.to_string());
                self.state.exported(result, skipped, left_out.abstracts);
            }
            Effect::Reload => {
                if self.loader.is_some() {
                    self.state
                        .notify("still loading: reload when it is done", false);
                } else if self.reload.is_some() {
                    self.reload_again = true;
                } else {
                    self.start_reload();
                }
            }
            Effect::IndexDocs(docs) => self.worker.add_docs(docs),
            Effect::OrderPapers(keys) => self.worker.order_papers(keys),
            Effect::ReserveSearch(papers) => self.worker.reserve(papers),
            Effect::IndexPapers(papers) => self.worker.index_papers(&self.state.library, &papers),
        }
        false
    }
}

/// Carries out a bookmark effect on the store and tells the state what it did. Every change
/// takes this one path, an undo as much as a toggle: [`Bookmarks::toggle`] and
/// [`Bookmarks::restore`] save it (locked, merged with other sessions, written atomically).
/// Other effects are ignored.
pub fn change_bookmark(store: &mut Bookmarks, state: &mut AppState, effect: Effect) {
    let user_change = matches!(
        effect,
        Effect::ToggleBookmark { .. } | Effect::RestoreBookmark(_)
    );
    match effect {
        Effect::ToggleBookmark { key, title } => {
            let mut key = key;
            // A paper bookmarked under two of its ids (its PMID and its DOI) is unbookmarked
            // whole: a user test's `b` took one, left the star, and needed a second `b`.
            // At most as many times as there are bookmarks, whatever a save does.
            for _ in 0..=store.list().len() {
                let result = store.toggle(&key, &title);
                let removed = result == Ok(false);
                let kept = store.kept_lines(&key);
                state.bookmark_toggled_in_file(&key, &title, result, store.list().to_vec(), kept);
                match state.bookmark_of(&key) {
                    Some(other) if removed && other.key != key => key = other.key.clone(),
                    _ => break,
                }
            }
        }
        Effect::RestoreBookmark(bookmark) => {
            let (key, title) = (bookmark.key.clone(), bookmark.title.clone());
            let result = store.restore(bookmark);
            state.bookmark_restored(&key, &title, result, store.list().to_vec());
        }
        Effect::SyncBookmarks => {
            let result = store.sync();
            state.bookmarks_synced(result, store.list().to_vec());
        }
        _ => return,
    }
    report_bookmark_keys(store, state);
    // The file was found damaged by this save (a hand edit, another program) and moved
    // aside: the user hears of it as at start-up.
    if let Some(notice) = store.take_notice() {
        // What the key just did (`bookmarked: ...`) still needs saying; an error about it
        // (the save failed) more than the notice, which the problems list holds anyway.
        let done = state.message.clone().filter(|_| user_change);
        let short = notice.kind.status_words();
        let file = store.path().map(Path::to_path_buf).unwrap_or_default();
        state.report_bookmarks_problem(file, notice);
        match done {
            Some(done) if done.is_error => state.notify(done.text, true),
            Some(done) => state.notify_about_problems(format!("{short} · {}", done.text)),
            None => {}
        }
    }
}

/// Lists in the problems list the bookmarks whose key names no paper (`key = "PMD:1"`), when
/// they changed: read at start-up, or at a save after a hand edit.
fn report_bookmark_keys(store: &mut Bookmarks, state: &mut AppState) {
    let Some(problems) = store.take_key_problems(&state.library) else {
        return;
    };
    let file = store.path().map(Path::to_path_buf).unwrap_or_default();
    // Those named before, by their line (a damaged file's notice has none).
    let (before, others) = std::mem::take(&mut state.startup_problems)
        .into_iter()
        .partition(|p| p.path == file && p.line.is_some());
    state.startup_problems = others;
    // Said only of a new one: a save that moved one down a line (a removal above it left
    // lines commented out) would hide what the key just did.
    let before: Vec<Problem> = before;
    if let Some(new) = problems
        .iter()
        .find(|p| !before.iter().any(|b| b.message == p.message))
    {
        state.notify_about_problems(bookmarks::problem_words(&new.message));
    }
    state.startup_problems.extend(problems);
}

/// Writes an export into `dir` as `tomes-<view>-<YYYYmmdd-HHMMSS>.<ext>` (UTC time), adding
/// `-2`, `-3`, ... rather than overwriting an existing file. Returns the path written.
pub fn write_export(
    dir: &Path,
    view: &str,
    format: ExportFormat,
    text: &str,
    time: SystemTime,
) -> std::io::Result<PathBuf> {
    // `2026-11-27T03:00:00Z` -> `20261127-030000`.
    let stamp: String = bookmarks::format_rfc3339_utc(time)
        .chars()
        .filter_map(|c| match c {
            'T' => Some('-'),
            c if c.is_ascii_digit() => Some(c),
            _ => None,
        })
        .collect();
    for n in 1..1000 {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let path = dir.join(format!(
            "tomes-{view}-{stamp}{suffix}.{}",
            format.extension()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(text.as_bytes())?;
                file.sync_all()?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many exports with the same name"))
}

/// Whether `event` must wait for the search's results: what it means now acts on the list's
/// rows ([`AppState::waits_for_results`]). An Esc and a key read as one Alt-key wait when
/// either of them would.
pub fn event_waits(state: &AppState, screen: Rect, mouse: bool, event: &Event) -> bool {
    if !state.awaiting_results() {
        return false;
    }
    let waits = |action: Option<Action>| action.is_some_and(|a| state.waits_for_results(&a));
    match event {
        Event::Key(key) => {
            let key: Key = (*key).into();
            match state.unbound_alt_key(key) {
                Some((esc, then)) => {
                    waits(state.action_for_key(esc)) || waits(state.action_for_key(then))
                }
                None => waits(state.action_for_key(key)),
            }
        }
        Event::Mouse(m) if mouse => waits(mouse_action(state, screen, m.kind, m.column, m.row)),
        _ => false,
    }
}

/// What a mouse event means on the screen as last drawn: a left click focuses the pane under
/// the pointer (and selects the row clicked in the list); the wheel scrolls that pane.
pub fn mouse_action(
    state: &AppState,
    screen: Rect,
    kind: MouseEventKind,
    column: u16,
    row: u16,
) -> Option<Action> {
    let areas = ui::layout(screen, state);
    let at = Position::new(column, row);
    let pane = [
        (Pane::Papers, areas.papers),
        (Pane::Detail, areas.detail),
        (Pane::Entities, areas.entities),
    ]
    .into_iter()
    .find(|(_, area)| area.contains(at))?;
    let (pane, area) = pane;
    match kind {
        MouseEventKind::Down(MouseButton::Left) => {
            // Rows inside the border; a click on the border itself only focuses.
            let row = if row > area.y && row + 1 < area.bottom() {
                (row - area.y - 1) as usize
            } else {
                usize::MAX
            };
            Some(Action::Click { pane, row })
        }
        MouseEventKind::ScrollDown => Some(Action::Wheel { pane, down: true }),
        MouseEventKind::ScrollUp => Some(Action::Wheel { pane, down: false }),
        _ => None,
    }
}
