//! Lending the terminal to a program that draws in it: a terminal web browser (lynx, w3m)
//! opened from the TUI, which over SSH is often the only browser there is.
//!
//! The TUI steps aside — its input reader paused, then the terminal restored as at exit
//! (cooked mode, main screen, cursor shown) — runs the program in the foreground on the
//! terminal and waits for it, then takes the terminal back (raw mode, alternate screen);
//! the loop redraws everything. [`Lent`] gives the terminal back on every way out:
//! the program missing or failing, a signal, a panic.
//!
//! While it runs, SIGINT and SIGQUIT are the program's (Ctrl-C in lynx reaches every
//! process of the terminal's foreground group, tomes too): they are dropped, as `system(3)`
//! ignores them while it waits. SIGTERM and SIGHUP, or the terminal hanging up, end the
//! program (SIGTERM, then SIGKILL after [`END_GRACE`]); then the loop restores and exits
//! as it would have without it.

use crate::input::{self, InputPause};
use crate::links::Launch;
use crate::tui;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::process::{Child, Command, ExitStatus};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// How long a program asked to end (SIGTERM) has before it is killed.
pub const END_GRACE: Duration = Duration::from_secs(1);

/// How often the wait looks at signals and the terminal.
const WAIT_TICK: Duration = Duration::from_millis(20);

/// What lending the terminal needs from the running TUI.
pub struct Lender {
    pub input: InputPause,
    /// The signal flag the loop watches (0: none).
    pub signal: Arc<AtomicUsize>,
    /// Mouse capture is on, to turn it on again.
    pub mouse: bool,
}

impl Lender {
    /// Runs `launch` in the foreground on the terminal and waits for it to exit. A program
    /// not found is reported without the screen changing.
    pub fn run(&self, launch: &Launch) -> io::Result<ExitStatus> {
        if !on_path(&launch.program) {
            return Err(io::Error::new(io::ErrorKind::NotFound, "not found"));
        }
        let lent = Lent::start(&self.input, self.mouse);
        let mut child = Command::new(&launch.program).args(&launch.args).spawn()?;
        let status = wait(&mut child, &self.signal, lent.tty.as_ref());
        drop(lent);
        status
    }
}

/// The terminal while a program has it: dropped, the TUI takes it back.
pub struct Lent<'a> {
    input: &'a InputPause,
    mouse: bool,
    /// The terminal and its cooked mode as the TUI left it, put back after the program
    /// (which may have been killed in its own raw mode).
    tty: Option<Tty>,
}

impl<'a> Lent<'a> {
    /// Pauses the input reader and restores the terminal as at exit.
    pub fn start(input: &'a InputPause, mouse: bool) -> Lent<'a> {
        input.pause();
        tui::restore_terminal();
        Lent {
            input,
            mouse,
            tty: Tty::open(),
        }
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if self.tty.as_ref().is_some_and(Tty::in_background) {
            // Continued in the background (to be ended: the shell's `kill %1` sends SIGTERM,
            // then SIGCONT): the terminal is the shell's, and setting its mode from here
            // would stop tomes again (SIGTTOU) before it could exit.
            self.input.resume();
            return;
        }
        if let Some(tty) = &self.tty {
            tty.restore();
        }
        // The panic hook has restored the terminal for the message and the exit: taking it
        // back here would leave it in raw mode on the alternate screen.
        if std::thread::panicking() {
            return;
        }
        if let Some(tty) = &self.tty {
            // Whatever the program left unread (a key typed as it exited, a terminal's
            // answer to its query) is not for the TUI, where a stray `q` quits.
            tty.discard_input();
        }
        // Errors are left to the loop, which finds a terminal gone on its next turn.
        let _ = tui::enter_modes(self.mouse);
        self.input.resume();
    }
}

/// Waits for `child`, dropping SIGINT and SIGQUIT and ending it on any other signal or when
/// the terminal hangs up. A signal that ended it is put back for the loop to see.
fn wait(child: &mut Child, signal: &AtomicUsize, tty: Option<&Tty>) -> io::Result<ExitStatus> {
    // Since when the child has been asked to end, and the signal to hand on.
    let mut ending: Option<(Instant, usize)> = None;
    loop {
        // Looked at before the signals: a Ctrl-C that ended the child has reached tomes by
        // the time its exit is seen, and is dropped with it.
        let exited = child.try_wait()?;
        let arrived = signal.swap(0, Ordering::SeqCst);
        let quit = arrived as i32 == libc::SIGINT || arrived as i32 == libc::SIGQUIT;
        if ending.is_none() && arrived != 0 && !quit {
            ending = Some((Instant::now(), arrived));
            if exited.is_none() {
                terminate(child);
            }
        }
        if let Some(status) = exited {
            if let Some((_, sig)) = ending.filter(|&(_, sig)| sig != 0) {
                signal.store(sig, Ordering::SeqCst);
            }
            return Ok(status);
        }
        if ending.is_none() && tty.is_some_and(Tty::hung_up) {
            // The loop sees the hang-up itself.
            ending = Some((Instant::now(), 0));
            terminate(child);
        }
        if let Some((since, _)) = ending
            && since.elapsed() >= END_GRACE
        {
            let _ = child.kill();
        }
        std::thread::sleep(WAIT_TICK);
    }
}

fn terminate(child: &Child) {
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: a signal to our own child, not yet reaped (so its pid is still ours).
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
}

/// Whether `program` names a file to run: as a path when it has a `/`, else found in `$PATH`.
fn on_path(program: &str) -> bool {
    if program.contains('/') {
        return std::path::Path::new(program).is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// How long the SIGCONT that ended a stop has to be seen: another thread may handle it a
/// moment after the stopping one runs again.
const CONTINUED_GRACE: Duration = Duration::from_millis(50);

/// Stops the whole job as a shell's Ctrl-z does (SIGTSTP to the process group, as vim and
/// less do) and returns once it is continued: true. False when it never stopped: in an
/// orphaned process group (started without job control, as `tmux new-session CMD` or
/// `setsid` start a program) no shell could continue it, so the kernel drops the signal,
/// and a browser that only redrew left the user to guess why.
pub fn stop_job() -> bool {
    let continued = continued_flag();
    if let Some(flag) = continued {
        flag.store(false, Ordering::SeqCst);
    }
    // SAFETY: kill(2) with pid 0 signals this process's group; SIGTSTP's action is the
    // default (stop), so this returns once the group is continued, or at once when the
    // kernel dropped it.
    unsafe { libc::kill(0, libc::SIGTSTP) };
    // Where SIGCONT cannot be watched, it is not known: taken as stopped, as before.
    let Some(flag) = continued else {
        return true;
    };
    let since = Instant::now();
    while !flag.load(Ordering::SeqCst) {
        if since.elapsed() >= CONTINUED_GRACE {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    true
}

/// Set by every SIGCONT, the signal that ends a stop (a handler does not change what it
/// does); `None` when its handler could not be installed.
fn continued_flag() -> Option<&'static Arc<AtomicBool>> {
    static FLAG: OnceLock<Option<Arc<AtomicBool>>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(signal_hook::consts::SIGCONT, Arc::clone(&flag)).ok()?;
        Some(flag)
    })
    .as_ref()
}

/// Whether tomes runs in the background of its terminal: another process group has it
/// (the shell, while tomes is stopped by Ctrl-z or continued by `bg`). Setting the
/// terminal's mode from there would stop tomes (SIGTTOU) and change the shell's terminal.
/// False when it cannot be told (no controlling terminal).
pub fn in_background() -> bool {
    Tty::open().is_some_and(|tty| tty.in_background())
}

/// The terminal (standard input when it is one, else `/dev/tty`, as crossterm finds it)
/// and its mode.
struct Tty {
    fd: TtyFd,
    mode: libc::termios,
}

enum TtyFd {
    Stdin,
    Opened(OwnedFd),
}

impl Tty {
    fn open() -> Option<Tty> {
        use std::io::IsTerminal;
        let fd = if io::stdin().is_terminal() {
            TtyFd::Stdin
        } else {
            TtyFd::Opened(OwnedFd::from(std::fs::File::open("/dev/tty").ok()?))
        };
        let raw = match &fd {
            TtyFd::Stdin => io::stdin().as_raw_fd(),
            TtyFd::Opened(fd) => fd.as_raw_fd(),
        };
        // SAFETY: termios is plain data; tcgetattr fills it in or fails.
        let mut mode: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: a valid descriptor and a termios to write to.
        if unsafe { libc::tcgetattr(raw, &mut mode) } != 0 {
            return None;
        }
        Some(Tty { fd, mode })
    }

    fn raw_fd(&self) -> RawFd {
        match &self.fd {
            TtyFd::Stdin => io::stdin().as_raw_fd(),
            TtyFd::Opened(fd) => fd.as_raw_fd(),
        }
    }

    fn restore(&self) {
        // SAFETY: a valid descriptor and the termios read from it.
        unsafe { libc::tcsetattr(self.raw_fd(), libc::TCSANOW, &self.mode) };
    }

    /// See [`in_background`].
    fn in_background(&self) -> bool {
        // SAFETY: tcgetpgrp and getpgrp only read the process's and the terminal's state.
        let (foreground, ours) = unsafe { (libc::tcgetpgrp(self.raw_fd()), libc::getpgrp()) };
        foreground != -1 && foreground != ours
    }

    fn discard_input(&self) {
        // SAFETY: a valid descriptor.
        unsafe { libc::tcflush(self.raw_fd(), libc::TCIFLUSH) };
    }

    fn hung_up(&self) -> bool {
        input::hung_up(self.raw_fd())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Set in the child [`ctrl_z_where_no_shell_can_continue_is_said_not_to_stop`] runs.
    const ORPHANED: &str = "TOMES_TEST_ORPHANED_GROUP";

    /// A user test pressed Ctrl-z in tomes started by `tmux new-session CMD`: the kernel
    /// dropped the stop and the browser only redrew. In a process group of its own in a
    /// session of its own (`setsid`, orphaned: no shell could continue it), the stop is
    /// told not to have happened, at once.
    #[test]
    fn ctrl_z_where_no_shell_can_continue_is_said_not_to_stop() {
        use std::os::unix::process::CommandExt;
        let exe = std::env::current_exe().expect("the test binary");
        let mut child = Command::new(exe);
        child
            .args([
                "--exact",
                "foreground::tests::stop_in_an_orphaned_group",
                "--include-ignored",
                "--nocapture",
            ])
            .env(ORPHANED, "1");
        // SAFETY: setsid is async-signal-safe; it makes the child a session and group of
        // its own, whose parent (this test) is in another session: an orphaned group.
        unsafe {
            child.pre_exec(|| {
                if libc::setsid() == -1 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let output = child.output().expect("run the child");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{output:?}");
        assert!(text.contains("1 passed"), "{text}");
    }

    #[test]
    #[ignore = "run by ctrl_z_where_no_shell_can_continue_is_said_not_to_stop, in its own session"]
    fn stop_in_an_orphaned_group() {
        assert_eq!(
            std::env::var(ORPHANED).as_deref(),
            Ok("1"),
            "run by its parent test"
        );
        let started = Instant::now();
        assert!(!stop_job(), "an orphaned group cannot stop");
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
