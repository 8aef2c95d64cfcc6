//! Clipboard tests: OSC 52 bytes, tmux and screen wrapping, tool choice per environment, and
//! the status line a copy reports, with the terminal and the tools replaced by fakes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use std::io::{self, Write};
use tomes::clipboard::{
    ClipboardEnv, ClipboardTool, OSC52_MAX_PAYLOAD, SCREEN_CHUNK_BYTES, copy_with, osc52,
    terminal_sequence,
};
use tomes::links::Os;

fn env(tmux: bool, term: Option<&str>, wayland: bool, x11: bool, os: Os) -> ClipboardEnv {
    ClipboardEnv {
        in_tmux: tmux,
        term: term.map(str::to_string),
        wayland,
        x11,
        os,
    }
}

fn plain_env() -> ClipboardEnv {
    env(false, Some("xterm-256color"), false, false, Os::Unix)
}

/// The text inside an OSC 52 sequence.
fn decode_osc52(sequence: &str) -> String {
    let payload = sequence
        .strip_prefix("\x1b]52;c;")
        .and_then(|s| s.strip_suffix('\x07'))
        .unwrap_or_else(|| panic!("not an OSC 52 sequence: {sequence:?}"));
    String::from_utf8(BASE64.decode(payload).expect("base64")).expect("utf-8")
}

#[test]
fn osc52_encodes_utf8_text_as_base64() {
    assert_eq!(osc52("hello"), "\x1b]52;c;aGVsbG8=\x07");
    assert_eq!(osc52(""), "\x1b]52;c;\x07");
    assert_eq!(osc52("α"), "\x1b]52;c;zrE=\x07");
    let citation = "Zhu Y, Liu Y, Yin Z, et al. Xiao’an — TNF-α & IL-1β.\n";
    assert_eq!(decode_osc52(&osc52(citation)), citation);
}

#[test]
fn outside_multiplexers_the_sequence_is_plain() {
    assert_eq!(terminal_sequence("hi", &plain_env()), osc52("hi"));
}

#[test]
fn tmux_gets_the_plain_sequence_and_a_passthrough_with_doubled_escapes() {
    let text = "https://doi.org/10.1038/s41420-026-02999-y";
    // tmux sets TERM=screen-256color or tmux-256color; $TMUX decides either way.
    for term in ["screen-256color", "tmux-256color"] {
        let seq = terminal_sequence(text, &env(true, Some(term), false, false, Os::Unix));
        let plain = osc52(text);
        let passthrough = seq.strip_prefix(&plain).expect("plain sequence first");
        let inner = passthrough
            .strip_prefix("\x1bPtmux;")
            .and_then(|s| s.strip_suffix("\x1b\\"))
            .expect("tmux passthrough DCS");
        assert_eq!(inner, plain.replace('\x1b', "\x1b\x1b"));
        assert_eq!(inner.matches('\x1b').count(), 2, "one ESC doubled");
        assert_eq!(decode_osc52(&inner.replace("\x1b\x1b", "\x1b")), text);
    }
}

#[test]
fn screen_gets_the_sequence_in_short_dcs_chunks() {
    let text =
        "Nasopharyngeal carcinoma (NPC), an Epstein–Barr virus (EBV)-driven malignancy ".repeat(4);
    let seq = terminal_sequence(
        &text,
        &env(false, Some("screen.xterm-256color"), false, false, Os::Unix),
    );
    let mut rebuilt = String::new();
    let mut chunks = 0;
    for piece in seq.split_terminator("\x1b\\") {
        let payload = piece.strip_prefix("\x1bP").expect("each chunk is a DCS");
        assert!(
            payload.len() <= SCREEN_CHUNK_BYTES,
            "chunk of {} bytes",
            payload.len()
        );
        rebuilt.push_str(payload);
        chunks += 1;
    }
    let plain = osc52(&text);
    assert_eq!(rebuilt, plain);
    assert_eq!(chunks, plain.len().div_ceil(SCREEN_CHUNK_BYTES));
    assert!(chunks > 1);
    assert_eq!(decode_osc52(&rebuilt), text);
}

#[test]
fn local_tools_depend_on_display_and_os() {
    use ClipboardTool::*;
    let cases = [
        (env(false, None, false, false, Os::Unix), vec![]),
        (env(false, None, false, true, Os::Unix), vec![Xclip, Xsel]),
        (env(false, None, true, false, Os::Unix), vec![WlCopy]),
        (
            env(false, None, true, true, Os::Unix),
            vec![WlCopy, Xclip, Xsel],
        ),
        (env(true, None, false, false, Os::MacOs), vec![Pbcopy]),
        (env(false, None, false, false, Os::Windows), vec![]),
    ];
    for (environment, tools) in cases {
        assert_eq!(environment.local_tools(), tools, "{environment:?}");
    }
}

#[test]
fn copy_writes_osc52_and_uses_the_first_tool_that_works() {
    let mut terminal = Vec::new();
    let mut tried = Vec::new();
    let mut runner = |tool: ClipboardTool, text: &str| {
        tried.push((tool, text.to_string()));
        match tool {
            ClipboardTool::Xclip => Err("not found".to_string()),
            _ => Ok(()),
        }
    };
    let report = copy_with(
        "PMID: 10491763",
        &env(false, Some("xterm"), false, true, Os::Unix),
        &mut terminal,
        &mut runner,
    );
    assert_eq!(
        String::from_utf8(terminal).expect("utf-8"),
        osc52("PMID: 10491763")
    );
    assert_eq!(
        tried,
        [
            (ClipboardTool::Xclip, "PMID: 10491763".to_string()),
            (ClipboardTool::Xsel, "PMID: 10491763".to_string())
        ]
    );
    assert_eq!(report.status(), "copied via OSC 52 and xsel");
    assert_eq!(report.errors, ["xclip: not found"]);
    assert!(!report.failed());
}

#[test]
fn copy_over_ssh_uses_osc52_alone() {
    let mut terminal = Vec::new();
    let mut runner = |_: ClipboardTool, _: &str| -> Result<(), String> {
        panic!("no local tool without a display")
    };
    let report = copy_with("x", &plain_env(), &mut terminal, &mut runner);
    assert_eq!(report.status(), "copied via OSC 52");
}

struct BrokenTerminal;

impl Write for BrokenTerminal {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn copy_reports_what_failed() {
    let mut runner = |_: ClipboardTool, _: &str| Err("exited with 1".to_string());
    let report = copy_with(
        "x",
        &env(false, None, true, false, Os::Unix),
        &mut BrokenTerminal,
        &mut runner,
    );
    assert!(report.failed());
    assert_eq!(
        report.status(),
        "copy failed: terminal: closed; wl-copy: exited with 1"
    );
    let mut ok_runner = |_: ClipboardTool, _: &str| Ok(());
    let report = copy_with(
        "x",
        &env(false, None, true, false, Os::Unix),
        &mut BrokenTerminal,
        &mut ok_runner,
    );
    assert_eq!(report.status(), "copied via wl-copy");
}

#[test]
fn text_too_large_for_osc52_goes_only_to_the_local_tool() {
    // 75 000 bytes encode to 100 000 base64 bytes: the largest text sent.
    let largest = "a".repeat(OSC52_MAX_PAYLOAD / 4 * 3);
    let mut terminal = Vec::new();
    let mut none = |_: ClipboardTool, _: &str| -> Result<(), String> { Ok(()) };
    let report = copy_with(&largest, &plain_env(), &mut terminal, &mut none);
    assert!(report.osc52);
    assert_eq!(terminal.len(), osc52(&largest).len());

    let too_large = "a".repeat(OSC52_MAX_PAYLOAD / 4 * 3 + 1);
    let mut terminal = Vec::new();
    let mut runner = |_: ClipboardTool, _: &str| Ok(());
    let report = copy_with(
        &too_large,
        &env(false, None, false, true, Os::Unix),
        &mut terminal,
        &mut runner,
    );
    assert!(terminal.is_empty(), "nothing written to the terminal");
    assert_eq!(report.status(), "copied via xclip");
    assert_eq!(report.errors, ["OSC 52: 76 KB is too large for terminals"]);
    let mut terminal = Vec::new();
    let report = copy_with(&too_large, &plain_env(), &mut terminal, &mut none);
    assert!(report.failed());
    assert_eq!(
        report.status(),
        "copy failed: OSC 52: 76 KB is too large for terminals"
    );
}

/// Inside tmux the text also goes to tmux (`tmux load-buffer -w -`): with tmux's default
/// `set-clipboard external` a program's OSC 52 is dropped, and the status said "copied"
/// while nothing was. A local tool is still tried after it.
#[test]
fn inside_tmux_the_text_goes_to_tmux_too() {
    assert_eq!(
        ClipboardTool::Tmux.command_line(),
        ("tmux", &["load-buffer", "-w", "-"][..])
    );
    for (tmux_works, status) in [
        (true, "copied via OSC 52, tmux and xclip"),
        (false, "copied via OSC 52 and xclip"),
    ] {
        let mut tried = Vec::new();
        let mut runner = |tool: ClipboardTool, _: &str| {
            tried.push(tool);
            match tool {
                ClipboardTool::Tmux if !tmux_works => Err("exited with 1".to_string()),
                _ => Ok(()),
            }
        };
        let report = copy_with(
            "PMID: 10491763",
            &env(true, Some("tmux-256color"), false, true, Os::Unix),
            &mut Vec::new(),
            &mut runner,
        );
        assert_eq!(tried, [ClipboardTool::Tmux, ClipboardTool::Xclip]);
        assert_eq!(report.tmux, tmux_works);
        assert_eq!(report.status(), status);
    }
}

/// `$TMUX` set but its server gone (or its socket path missing): `tmux load-buffer` fails,
/// and the OSC 52 sent alone is most likely dropped by tmux (`set-clipboard external`), so
/// the report says the copy may not have worked instead of "copied via OSC 52".
#[test]
fn a_tmux_that_did_not_take_the_text_makes_an_osc52_copy_doubtful() {
    let mut broken_tmux = |tool: ClipboardTool, _: &str| match tool {
        ClipboardTool::Tmux => Err("exited with exit status: 1".to_string()),
        _ => Ok(()),
    };
    let in_tmux = env(true, Some("tmux-256color"), false, false, Os::Unix);
    let report = copy_with("x", &in_tmux, &mut Vec::new(), &mut broken_tmux);
    assert!(report.osc52 && !report.tmux);
    assert!(report.doubtful());
    assert!(!report.failed());
    assert_eq!(
        report.status(),
        "may not be copied (tmux did not take it; OSC 52 alone)"
    );
    // A local tool took it: copied.
    let with_display = env(true, Some("tmux-256color"), false, true, Os::Unix);
    let report = copy_with("x", &with_display, &mut Vec::new(), &mut broken_tmux);
    assert!(!report.doubtful());
    assert_eq!(report.status(), "copied via OSC 52 and xclip");
    // Outside tmux nothing drops the sequence on the way.
    let report = copy_with("x", &plain_env(), &mut Vec::new(), &mut broken_tmux);
    assert!(!report.doubtful());
    assert_eq!(report.status(), "copied via OSC 52");
}

/// A user test copied a citation whose title held `ESC ] 0 ; PWNED BEL`: it reached the
/// tmux buffer raw, to retitle (or worse) the terminal it is pasted into, while BibTeX
/// copies left it out. Every copy leaves control characters out, whatever it copies; a
/// line break and a tab are kept.
#[test]
fn a_copy_leaves_control_characters_out_of_every_clipboard() {
    let text = "Doe J. A title \x1b]0;PWNED\x07here\u{9b}2J.\tJ Invented.\n";
    let clean = "Doe J. A title ]0;PWNEDhere2J.\tJ Invented.\n";
    let mut terminal = Vec::new();
    let mut piped = Vec::new();
    let report = copy_with(
        text,
        &env(true, Some("tmux-256color"), false, true, Os::Unix),
        &mut terminal,
        &mut |tool, text| {
            piped.push((tool, text.to_string()));
            Ok(())
        },
    );
    assert!(report.osc52 && report.tmux, "{report:?}");
    let sent = String::from_utf8(terminal).expect("utf-8");
    let plain = sent.split("\x1bPtmux;").next().unwrap_or_default();
    assert_eq!(decode_osc52(plain), clean);
    assert!(!piped.is_empty());
    for (tool, text) in piped {
        assert_eq!(text, clean, "{tool:?}");
    }
}
