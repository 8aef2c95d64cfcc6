//! Copying text to the clipboard from a terminal program, locally or over SSH.
//!
//! OSC 52 asks the terminal emulator itself to set the clipboard, so it works over SSH and
//! inside tmux/screen where a local clipboard tool cannot reach the user's desktop. Where this
//! machine has a display, a local tool (`wl-copy`, `xclip`, `xsel`, `pbcopy`) is tried as well,
//! because some terminals ignore or disable OSC 52. Inside tmux, whose default
//! `set-clipboard external` drops a program's OSC 52, the text is also handed to tmux
//! (`tmux load-buffer -w -`): it lands in tmux's paste buffer, and tmux passes it on to the
//! outer terminal's clipboard.
//!
//! The escape-sequence building is pure ([`osc52`], [`terminal_sequence`]) and takes the
//! environment as a [`ClipboardEnv`]; [`copy`] does the I/O.
//!
//! Wiring: from the event loop (never from a render function, since it writes to the
//! terminal), call `copy(&text, &ClipboardEnv::from_process())` and put
//! `report.status()` ("copied via OSC 52 and xclip") in the status bar.
//!
//! Base64 comes from the `base64` crate: it was already in the dependency tree (so it costs
//! no build time), is exhaustively tested, and a hand-written encoder would be one more thing
//! to test for padding edge cases.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use std::io::Write;
use std::process::{Command, Stdio};

use crate::links::Os;

/// GNU screen passes at most a few hundred bytes per DCS string through, so a long sequence
/// is cut into pieces of this many bytes, each in its own DCS (as vim-oscyank and others do).
pub const SCREEN_CHUNK_BYTES: usize = 76;

/// The largest OSC 52 payload (base64 bytes) we send, about 74 KB of text. Terminals cap it
/// differently (hterm and several others near 100 000 bytes, tmux by its buffer limits) and
/// past the cap many drop the sequence silently or print it, so a larger text (say, a BibTeX
/// export of a whole library) goes only to a local tool, and the report says why.
pub const OSC52_MAX_PAYLOAD: usize = 100_000;

/// What the copy depends on, read from the process environment or built by hand in tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClipboardEnv {
    /// `$TMUX` is set: we run inside tmux.
    pub in_tmux: bool,
    /// `$TERM`, to recognise GNU screen (`screen`, `screen-256color`).
    pub term: Option<String>,
    /// `$WAYLAND_DISPLAY` is set.
    pub wayland: bool,
    /// `$DISPLAY` is set.
    pub x11: bool,
    pub os: Os,
}

impl ClipboardEnv {
    pub fn from_process() -> ClipboardEnv {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        ClipboardEnv {
            in_tmux: set("TMUX"),
            term: std::env::var("TERM").ok(),
            wayland: set("WAYLAND_DISPLAY"),
            x11: set("DISPLAY"),
            os: Os::current(),
        }
    }

    /// In GNU screen and not in tmux (tmux sets `TERM=screen*` too, and wins).
    pub fn in_screen(&self) -> bool {
        !self.in_tmux
            && self
                .term
                .as_deref()
                .is_some_and(|t| t.starts_with("screen"))
    }

    /// The local clipboard tools worth trying here, in order. None without a display: an
    /// X or Wayland tool with nothing to talk to would fail or, worse, hang.
    pub fn local_tools(&self) -> Vec<ClipboardTool> {
        match self.os {
            Os::MacOs => vec![ClipboardTool::Pbcopy],
            Os::Windows => Vec::new(),
            Os::Unix => {
                let mut tools = Vec::new();
                if self.wayland {
                    tools.push(ClipboardTool::WlCopy);
                }
                if self.x11 {
                    tools.push(ClipboardTool::Xclip);
                    tools.push(ClipboardTool::Xsel);
                }
                tools
            }
        }
    }
}

/// The OSC 52 sequence that sets the clipboard (`c`) to `text`, BEL-terminated (more
/// terminals accept BEL than ST for OSC 52).
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", BASE64.encode(text.as_bytes()))
}

/// [`osc52`] wrapped so it reaches the outer terminal through a multiplexer.
///
/// - tmux: the plain sequence (which tmux itself acts on when `set-clipboard` is `on`) followed
///   by the same sequence in a passthrough DCS `\x1bPtmux;…\x1b\\` with every ESC doubled
///   (which reaches the outer terminal when `allow-passthrough` is `on`). Either setting
///   suffices; setting the clipboard twice to the same text is harmless.
/// - GNU screen: the sequence cut into [`SCREEN_CHUNK_BYTES`] pieces, each in `\x1bP…\x1b\\`.
/// - otherwise: the plain sequence.
pub fn terminal_sequence(text: &str, env: &ClipboardEnv) -> String {
    let plain = osc52(text);
    if env.in_tmux {
        let doubled = plain.replace('\x1b', "\x1b\x1b");
        format!("{plain}\x1bPtmux;{doubled}\x1b\\")
    } else if env.in_screen() {
        // The sequence is ASCII (ESC, `]52;c;`, base64, BEL), so byte chunks are char chunks.
        plain
            .as_bytes()
            .chunks(SCREEN_CHUNK_BYTES)
            .map(|chunk| format!("\x1bP{}\x1b\\", String::from_utf8_lossy(chunk)))
            .collect()
    } else {
        plain
    }
}

/// A local clipboard program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClipboardTool {
    WlCopy,
    Xclip,
    Xsel,
    Pbcopy,
    /// tmux's own paste buffer, which tmux (3.2 or later) also sends on to the clipboard of
    /// the terminal it runs in.
    Tmux,
}

impl ClipboardTool {
    pub fn name(self) -> &'static str {
        match self {
            ClipboardTool::WlCopy => "wl-copy",
            ClipboardTool::Xclip => "xclip",
            ClipboardTool::Xsel => "xsel",
            ClipboardTool::Pbcopy => "pbcopy",
            ClipboardTool::Tmux => "tmux",
        }
    }

    /// The program and arguments that read the text to copy from stdin.
    pub fn command_line(self) -> (&'static str, &'static [&'static str]) {
        match self {
            ClipboardTool::WlCopy => ("wl-copy", &[]),
            ClipboardTool::Xclip => ("xclip", &["-selection", "clipboard"]),
            ClipboardTool::Xsel => ("xsel", &["--clipboard", "--input"]),
            ClipboardTool::Pbcopy => ("pbcopy", &[]),
            ClipboardTool::Tmux => ("tmux", &["load-buffer", "-w", "-"]),
        }
    }
}

/// What a copy did, for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyReport {
    /// The OSC 52 sequence was written to the terminal. Whether the terminal honoured it
    /// cannot be known: the protocol has no reply.
    pub osc52: bool,
    /// The local tool that took the text, if any.
    pub local_tool: Option<ClipboardTool>,
    /// tmux took the text into its paste buffer (and on to the outer clipboard).
    pub tmux: bool,
    /// `$TMUX` was set, so tmux was asked to take the text: when it did not, an OSC 52
    /// sent alone is most likely dropped (see [`CopyReport::doubtful`]).
    pub in_tmux: bool,
    /// Why a step failed (`xclip: not found`), for a log or a verbose status.
    pub errors: Vec<String>,
}

impl CopyReport {
    /// "copied via OSC 52, tmux and xclip", "copied via OSC 52", "copy failed: ...", or
    /// "may not be copied (...)" when [`CopyReport::doubtful`].
    pub fn status(&self) -> String {
        if self.doubtful() {
            return "may not be copied (tmux did not take it; OSC 52 alone)".to_string();
        }
        let mut ways = Vec::new();
        if self.osc52 {
            ways.push("OSC 52");
        }
        if self.tmux {
            ways.push("tmux");
        }
        if let Some(tool) = self.local_tool {
            ways.push(tool.name());
        }
        match ways.is_empty() {
            true => format!("copy failed: {}", self.errors.join("; ")),
            false => format!("copied via {}", crate::model::listed(&ways, "and")),
        }
    }

    /// Nothing took the text.
    pub fn failed(&self) -> bool {
        !self.osc52 && self.local_tool.is_none() && !self.tmux
    }

    /// Only the OSC 52 sequence went out, from inside tmux, and tmux itself did not take
    /// the text (`$TMUX` names a server that is gone, or a tmux older than 3.2): tmux's
    /// default `set-clipboard external` drops a program's OSC 52, so the text is most
    /// likely on no clipboard, and "copied" would be a claim nothing backs.
    pub fn doubtful(&self) -> bool {
        self.in_tmux && self.osc52 && !self.tmux && self.local_tool.is_none()
    }

    /// How far the text got, in the three cases the user is told apart.
    pub fn outcome(&self) -> CopyOutcome {
        if self.failed() {
            CopyOutcome::Failed
        } else if self.doubtful() {
            CopyOutcome::Doubtful
        } else {
            CopyOutcome::Copied
        }
    }
}

/// What a copy means for the user: the text is on the clipboard as far as can be known, may
/// not be ([`CopyReport::doubtful`]), or nothing took it ([`CopyReport::failed`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyOutcome {
    Copied,
    Doubtful,
    Failed,
}

/// Copies `text`, its control characters left out ([`crate::safe_text::without_controls`]):
/// writes the OSC 52 sequence to stdout and pipes the text into the first local clipboard
/// tool that runs.
pub fn copy(text: &str, env: &ClipboardEnv) -> CopyReport {
    let mut stdout = std::io::stdout().lock();
    copy_with(text, env, &mut stdout, &mut run_tool)
}

/// [`copy`] with the terminal and the tool runner given, for tests. `run_tool` gets the tool
/// and the text and returns an error message when the tool is missing or fails.
pub fn copy_with(
    text: &str,
    env: &ClipboardEnv,
    terminal: &mut dyn Write,
    run_tool: &mut dyn FnMut(ClipboardTool, &str) -> Result<(), String>,
) -> CopyReport {
    // Whatever is copied (a citation, a URL, an id) goes without control characters from
    // the data: a title's `ESC ] 0 ; … BEL` reached the tmux buffer whole, to be obeyed by
    // whatever terminal it is pasted into. One place, so that no copy forgets it.
    let text = &*crate::safe_text::without_controls(text);
    let mut report = CopyReport {
        osc52: false,
        local_tool: None,
        tmux: false,
        in_tmux: env.in_tmux,
        errors: Vec::new(),
    };
    let payload = base64::encoded_len(text.len(), true).unwrap_or(usize::MAX);
    if payload > OSC52_MAX_PAYLOAD {
        report.errors.push(format!(
            "OSC 52: {} KB is too large for terminals",
            text.len().div_ceil(1000)
        ));
    } else {
        let sequence = terminal_sequence(text, env);
        match terminal
            .write_all(sequence.as_bytes())
            .and_then(|()| terminal.flush())
        {
            Ok(()) => report.osc52 = true,
            Err(e) => report.errors.push(format!("terminal: {e}")),
        }
    }
    if env.in_tmux {
        match run_tool(ClipboardTool::Tmux, text) {
            Ok(()) => report.tmux = true,
            Err(e) => report.errors.push(format!("tmux: {e}")),
        }
    }
    for tool in env.local_tools() {
        match run_tool(tool, text) {
            Ok(()) => {
                report.local_tool = Some(tool);
                break;
            }
            Err(e) => report.errors.push(format!("{}: {e}", tool.name())),
        }
    }
    report
}

/// Runs a clipboard tool with the text on stdin and its output discarded (so it cannot draw
/// over the TUI). xclip, xsel and wl-copy fork a server that keeps the selection and the
/// command itself returns; we wait for that return.
fn run_tool(tool: ClipboardTool, text: &str) -> Result<(), String> {
    let (program, args) = tool.command_line();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "not found".to_string(),
            _ => e.to_string(),
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string())?;
        // Dropping stdin closes the pipe so the tool sees the end of the text.
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("exited with {status}"))
    }
}
