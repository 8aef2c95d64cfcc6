//! The terminal front end: puts the terminal in raw mode on the alternate screen, runs the
//! event loop, carries out the [`Effect`]s that [`app::update`] returns, and restores the
//! terminal on every way out — quit, error, panic, SIGTERM, SIGHUP and SIGINT.
//!
//! The loop is synchronous: each turn it takes what the background loader and the search
//! worker have sent (without waiting), draws if anything changed, then waits up to a short
//! timeout for a key. Signals only set a flag the loop checks, so restoring always happens
//! on the main thread, in order.

use crate::app::{self, Action, AppState, Appearance, Effect, Keymap};
use crate::bookmarks::Bookmarks;
use crate::config;
use crate::index::PaperIdx;
use crate::library::{self, LoadEvent};
use crate::loading;
use crate::search::{SearchDoc, SearchWorker};
use crate::ui;
use crossterm::event::{self, Event, KeyEventKind, MouseEventKind};
use crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{Stdout, stdout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Once};
use std::time::Duration;

/// How long to wait for a key while nothing is going on in the background.
const IDLE_POLL: Duration = Duration::from_millis(100);
/// How long to wait while papers or search results are still arriving.
const BUSY_POLL: Duration = Duration::from_millis(15);

/// Whether mouse capture was turned on, so every restore path turns it off again.
static MOUSE_CAPTURED: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// Opens the browser on `paths` (or, when empty, the library folders of `config.toml`).
pub fn run(paths: Vec<PathBuf>) -> anyhow::Result<()> {
    let dir = config::config_dir();
    let (config, config_problems) = config::load(dir.as_deref());
    let (keymap, key_problems) = Keymap::with_overrides(&config.keys);
    let (bookmarks, bookmark_message) = Bookmarks::open(dir.as_deref());
    let paths = if paths.is_empty() {
        config.library.clone()
    } else {
        paths
    };

    let mut state = AppState::loading(keymap);
    state.config_problems = config_problems
        .iter()
        .map(|p| format!("{}: {}", p.key, p.message))
        .chain(key_problems.iter().map(|p| p.to_string()))
        .collect();
    state.bookmarks = bookmarks.list().to_vec();
    state.appearance = Appearance {
        theme: config.theme,
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        ..Appearance::default()
    };
    if let Some(m) = bookmark_message {
        state.notify(m, true);
    } else if paths.is_empty() {
        state.notify(
            "no library: run `tomes PATH…` or set `library` in config.toml",
            false,
        );
    } else if !state.config_problems.is_empty() {
        state.notify("config.toml has problems: see the problems list", true);
    }

    // Registered before the terminal changes, so a signal at any moment is seen by the loop.
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }

    let loader = library::spawn_loader(paths);
    let worker = SearchWorker::spawn();
    let mut terminal = enter_terminal(config.mouse)?;
    let mut session = Session {
        state,
        bookmarks,
        worker,
        loader: Some(loader),
        load_backlog: false,
        signal,
        mouse: config.mouse,
    };
    let outcome = session.run_loop(&mut terminal);
    // Dropped first: its drop shows the cursor on the alternate screen; the restore after
    // it is then the last thing written.
    drop(terminal);
    restore_terminal();
    outcome?;
    let signal = session.signal.load(Ordering::SeqCst);
    if signal != 0 {
        // The terminal is restored and bookmarks are saved on each toggle; exit the way a
        // process killed by the signal would report it to the shell.
        std::process::exit(128 + signal as i32);
    }
    Ok(())
}

/// Raw mode, alternate screen, hidden cursor (and mouse capture when asked), with a panic
/// hook installed first that restores all of it before the previous hook prints. Pair with
/// [`restore_terminal`].
pub fn enter_terminal(mouse: bool) -> anyhow::Result<Terminal<CrosstermBackend<Stdout>>> {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
    terminal::enable_raw_mode()?;
    let entered = execute!(stdout(), terminal::EnterAlternateScreen, cursor::Hide).and_then(|_| {
        if mouse {
            MOUSE_CAPTURED.store(true, Ordering::SeqCst);
            execute!(stdout(), event::EnableMouseCapture)
        } else {
            Ok(())
        }
    });
    if let Err(e) = entered {
        restore_terminal();
        return Err(e.into());
    }
    match Terminal::new(CrosstermBackend::new(stdout())) {
        Ok(t) => Ok(t),
        Err(e) => {
            restore_terminal();
            Err(e.into())
        }
    }
}

/// Puts the terminal back: cooked mode, main screen, visible cursor, no mouse capture.
/// Errors are ignored: after SIGHUP there may be no terminal left to write to.
pub fn restore_terminal() {
    let _ = terminal::disable_raw_mode();
    if MOUSE_CAPTURED.swap(false, Ordering::SeqCst) {
        let _ = execute!(stdout(), event::DisableMouseCapture);
    }
    let _ = execute!(stdout(), terminal::LeaveAlternateScreen, cursor::Show);
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
}

impl Session {
    fn run_loop(
        &mut self,
        terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    ) -> anyhow::Result<()> {
        let mut dirty = true;
        let mut search_pending = false;
        loop {
            if self.signal.load(Ordering::SeqCst) != 0 {
                return Ok(());
            }
            dirty |= self.take_load_events();
            while let Some(results) = self.worker.try_recv() {
                if results.generation == self.state.search.generation {
                    search_pending = false;
                }
                self.state.apply_search_results(results);
                dirty = true;
            }
            if dirty {
                let mut viewport = self.state.viewport;
                terminal.draw(|frame| viewport = ui::render(frame, &self.state))?;
                self.state.viewport = viewport;
                dirty = false;
            }
            let busy = self.loader.is_some() || search_pending;
            let wait = if self.load_backlog {
                // Papers are waiting: only look for a key, then take the next batch.
                Duration::ZERO
            } else if self.loader.is_some() {
                loading::LOAD_POLL
            } else if busy {
                BUSY_POLL
            } else {
                IDLE_POLL
            };
            if !event::poll(wait)? {
                continue;
            }
            let action = match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    dirty = true;
                    self.state.action_for_key(key.into())
                }
                Event::Mouse(m) if self.mouse => match m.kind {
                    MouseEventKind::ScrollDown => Some(Action::MoveDown),
                    MouseEventKind::ScrollUp => Some(Action::MoveUp),
                    _ => None,
                },
                Event::Resize(..) => {
                    dirty = true;
                    None
                }
                _ => None,
            };
            let Some(action) = action else { continue };
            dirty = true;
            if let Some(effect) = app::update(&mut self.state, action) {
                if matches!(effect, Effect::Search { .. }) {
                    search_pending = true;
                }
                if self.carry_out(effect) {
                    return Ok(());
                }
            }
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
        }
        for effect in drained.effects {
            self.carry_out(effect);
        }
        drained.changed
    }

    /// Does what an effect asks; true when the browser must quit.
    fn carry_out(&mut self, effect: Effect) -> bool {
        match effect {
            Effect::Quit => return true,
            Effect::Search { generation, query } => self.worker.search(generation, &query),
            Effect::ToggleBookmark { key, title } => {
                let result = self.bookmarks.toggle(&key, &title);
                let list = self.bookmarks.list().to_vec();
                self.state.bookmark_toggled(&title, result, list);
            }
            Effect::IndexDocs(docs) => self.worker.add_docs(docs),
            Effect::IndexPapers(papers) => {
                let docs = papers
                    .iter()
                    .map(|&p: &PaperIdx| SearchDoc::for_worker(p, self.state.library.paper(p)))
                    .collect();
                self.worker.add_docs(docs);
            }
        }
        false
    }
}
