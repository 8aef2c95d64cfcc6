//! Styles for every element, in the 16 named terminal colours only (no RGB: users are on
//! SSH without true colour), for dark and light backgrounds. With `NO_COLOR` every style is
//! colourless and meaning is carried by bold, reverse and underline.
//!
//! [`BasicColors`] sends those colours to the terminal as the basic SGR codes (`ESC[36m`),
//! which every colour terminal knows, not as the 256-colour codes crossterm writes for them
//! (`ESC[38;5;6m`).

use crate::app::Appearance;
use crate::config;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;
use std::io::{self, Write};

/// The styles the render functions use.
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub border: Style,
    pub border_focused: Style,
    /// The focused pane's border lines: thick without colour, where bold lines alone were
    /// hard to tell from the others.
    pub border_type_focused: BorderType,
    pub title: Style,
    pub heading: Style,
    pub selected: Style,
    /// The selected row of a pane that does not have the focus.
    pub selected_unfocused: Style,
    pub match_highlight: Style,
    pub mention: Style,
    pub shared_entity: Style,
    pub entity_id: Style,
    pub bookmark_mark: Style,
    pub missing: Style,
    pub error: Style,
    pub status: Style,
    pub key_hint: Style,
    pub search_prompt: Style,
}

impl Theme {
    pub fn new(appearance: Appearance) -> Theme {
        if appearance.no_color {
            return Theme::monochrome();
        }
        let (accent, accent2) = match appearance.theme {
            config::Theme::Dark => (Color::Cyan, Color::Yellow),
            config::Theme::Light => (Color::Blue, Color::Magenta),
        };
        let plain = Style::new();
        // Faint text, not a grey: palettes put their greys anywhere (Solarized's dark grey,
        // colour 8, is its background colour, and its light grey, colour 7, nearly the
        // light background), which hid ids and hints. A terminal without faint text shows
        // them plain.
        let dim = plain.add_modifier(Modifier::DIM);
        Theme {
            text: plain,
            dim,
            border: dim,
            border_focused: plain.fg(accent).add_modifier(Modifier::BOLD),
            border_type_focused: BorderType::Plain,
            title: plain.add_modifier(Modifier::BOLD),
            heading: plain.fg(accent).add_modifier(Modifier::BOLD),
            selected: plain.fg(Color::Black).bg(accent),
            selected_unfocused: plain.add_modifier(Modifier::REVERSED),
            match_highlight: plain.fg(accent2).add_modifier(Modifier::BOLD),
            mention: plain.fg(accent2),
            shared_entity: plain.fg(Color::Green).add_modifier(Modifier::BOLD),
            entity_id: dim,
            bookmark_mark: plain.fg(accent2),
            missing: dim.add_modifier(Modifier::ITALIC),
            error: plain.fg(Color::Red).add_modifier(Modifier::BOLD),
            status: plain.add_modifier(Modifier::REVERSED),
            key_hint: plain.fg(accent).add_modifier(Modifier::BOLD),
            search_prompt: plain.fg(accent).add_modifier(Modifier::BOLD),
        }
    }

    fn monochrome() -> Theme {
        let plain = Style::new();
        let bold = plain.add_modifier(Modifier::BOLD);
        Theme {
            text: plain,
            dim: plain,
            border: plain,
            border_focused: bold,
            border_type_focused: BorderType::Thick,
            title: bold,
            heading: bold,
            selected: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_unfocused: plain.add_modifier(Modifier::REVERSED),
            match_highlight: plain.add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            mention: plain.add_modifier(Modifier::UNDERLINED),
            shared_entity: bold,
            entity_id: plain,
            bookmark_mark: bold,
            missing: plain.add_modifier(Modifier::ITALIC),
            error: bold,
            status: plain.add_modifier(Modifier::REVERSED),
            key_hint: bold,
            search_prompt: bold,
        }
    }
}

/// A writer for the crossterm backend that turns the 256-colour codes crossterm writes for
/// the 16 named colours (`38;5;N`, `48;5;N`, N < 16: crossterm-rs/crossterm#844) into the
/// basic SGR codes: 30–37 and 90–97 for the text, 40–47 and 100–107 for the background.
///
/// A terminal with 8 or 16 colours (`TERM=xterm`, `linux`, `screen`) may not know the
/// 256-colour form; one with 256 colours shows both alike (its first 16 are the same palette
/// entries), and the basic codes are also what ncurses sends for them. Every other byte
/// passes unchanged. What is written is held until [`Write::flush`] (the backend flushes
/// after each frame) and sent in one write: a frame is one packet over SSH, not a few.
pub struct BasicColors<W: Write> {
    out: W,
    /// What is ready to send.
    ready: Vec<u8>,
    /// The last byte was an ESC that may begin a control sequence.
    escape: bool,
    /// A control sequence (`ESC [`) begun and not ended: its bytes so far after the `[`.
    /// crossterm writes one sequence in several pieces.
    csi: Option<Vec<u8>>,
}

/// Longer parameters than this are no SGR of ours: passed on as they are.
const CSI_LIMIT: usize = 64;

impl<W: Write> BasicColors<W> {
    pub fn new(out: W) -> BasicColors<W> {
        BasicColors {
            out,
            ready: Vec::new(),
            escape: false,
            csi: None,
        }
    }

    /// The writer written to.
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    fn take(&mut self, byte: u8) {
        const ESC: u8 = 0x1b;
        if let Some(mut csi) = self.csi.take() {
            match byte {
                // The final byte: the sequence is whole.
                0x40..=0x7e => {
                    self.ready.extend_from_slice(b"\x1b[");
                    match std::str::from_utf8(&csi).ok().filter(|_| byte == b'm') {
                        Some(params) => self.ready.extend_from_slice(basic_sgr(params).as_bytes()),
                        None => self.ready.extend_from_slice(&csi),
                    }
                    self.ready.push(byte);
                }
                _ if csi.len() >= CSI_LIMIT => {
                    self.ready.extend_from_slice(b"\x1b[");
                    self.ready.extend_from_slice(&csi);
                    self.ready.push(byte);
                }
                _ => {
                    csi.push(byte);
                    self.csi = Some(csi);
                }
            }
            return;
        }
        if self.escape {
            self.escape = false;
            match byte {
                b'[' => {
                    self.csi = Some(Vec::new());
                    return;
                }
                ESC => {
                    self.ready.push(ESC);
                    self.escape = true;
                    return;
                }
                _ => self.ready.push(ESC),
            }
        }
        if byte == ESC {
            self.escape = true;
        } else {
            self.ready.push(byte);
        }
    }
}

impl<W: Write> Write for BasicColors<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for &byte in buf {
            self.take(byte);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let ready = std::mem::take(&mut self.ready);
        self.out.write_all(&ready)?;
        self.out.flush()
    }
}

/// The parameters of an SGR sequence with every `38;5;N` and `48;5;N` for N < 16 as its
/// basic code; RGB colours (`38;2;R;G;B`), underline colours (`58;…`) and the rest as they are.
fn basic_sgr(params: &str) -> String {
    let parts: Vec<&str> = params.split(';').collect();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut i = 0;
    while i < parts.len() {
        let colour = matches!(parts[i], "38" | "48" | "58");
        let len = match parts.get(i + 1) {
            Some(&"5") if colour => 3,
            Some(&"2") if colour => 5,
            _ => 1,
        };
        let group = &parts[i..(i + len).min(parts.len())];
        let basic = match group {
            [layer, "5", n] => {
                n.parse::<u8>()
                    .ok()
                    .filter(|&n| n < 16)
                    .and_then(|n| match *layer {
                        "38" if n < 8 => Some(30 + n),
                        "38" => Some(90 + n - 8),
                        "48" if n < 8 => Some(40 + n),
                        "48" => Some(100 + n - 8),
                        _ => None,
                    })
            }
            _ => None,
        };
        match basic {
            Some(code) => out.push(code.to_string()),
            None => out.extend(group.iter().map(|p| p.to_string())),
        }
        i += len;
    }
    out.join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `bytes` come out as, written in pieces of `piece` bytes.
    fn through(bytes: &[u8], piece: usize) -> String {
        let mut w = BasicColors::new(Vec::new());
        for chunk in bytes.chunks(piece) {
            w.write_all(chunk).expect("write");
        }
        w.flush().expect("flush");
        String::from_utf8(w.get_ref().clone()).expect("utf-8")
    }

    #[test]
    fn named_colours_become_basic_sgr_codes() {
        let cases = [
            ("\x1b[38;5;6m", "\x1b[36m"),
            ("\x1b[38;5;0;48;5;6m", "\x1b[30;46m"),
            ("\x1b[38;5;9m", "\x1b[91m"),
            ("\x1b[48;5;15m", "\x1b[107m"),
            // Beyond the 16, RGB, underline colour, resets and attributes: as they are.
            ("\x1b[38;5;16m", "\x1b[38;5;16m"),
            ("\x1b[38;2;38;5;1m", "\x1b[38;2;38;5;1m"),
            ("\x1b[58;5;3m", "\x1b[58;5;3m"),
            (
                "\x1b[39m\x1b[49m\x1b[0m\x1b[1m",
                "\x1b[39m\x1b[49m\x1b[0m\x1b[1m",
            ),
            // Other sequences and text, OSC 8 links included.
            ("\x1b[1;5H\x1b[?25lab", "\x1b[1;5H\x1b[?25lab"),
            (
                "\x1b]8;;https://x.org/a;5\x1b\\x\x1b]8;;\x1b\\",
                "\x1b]8;;https://x.org/a;5\x1b\\x\x1b]8;;\x1b\\",
            ),
            ("\x1b\x1b[38;5;2m", "\x1b\x1b[32m"),
        ];
        for (input, expected) in cases {
            for piece in [1, 2, 3, 64] {
                assert_eq!(
                    through(input.as_bytes(), piece),
                    expected,
                    "{input:?} by {piece}"
                );
            }
        }
    }

    #[test]
    fn nothing_is_sent_before_the_flush() {
        let mut w = BasicColors::new(Vec::new());
        w.write_all(b"\x1b[38;5;1mred").expect("write");
        assert!(w.get_ref().is_empty());
        w.flush().expect("flush");
        assert_eq!(w.get_ref().as_slice(), b"\x1b[31mred");
    }
}
