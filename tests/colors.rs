//! The bytes the browser's colours reach the terminal as: the basic SGR codes (30–37, 40–47),
//! which 8- and 16-colour terminals (`TERM=xterm`, `linux`) know, not crossterm's 256-colour
//! form (`38;5;N`); and with `NO_COLOR` no colour at all.

mod common;

use common::{colour_codes, press, render, sgr_params, state};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::Buffer;
use std::cell::RefCell;
use std::rc::Rc;
use tomes::config::Theme;
use tomes::ui::theme::BasicColors;

/// Collects what is written, readable after the backend has it.
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What drawing `frame` on a blank terminal writes, through [`BasicColors`] or not.
fn frame_bytes(frame: &Buffer, basic: bool) -> String {
    // The test's own environment may say NO_COLOR, which crossterm obeys by itself; these
    // tests are about the theme's colours, which tomes turns off for NO_COLOR itself.
    ratatui::crossterm::style::Colored::set_ansi_color_disabled(false);
    let blank = Buffer::empty(frame.area);
    let sink = Sink::default();
    if basic {
        let mut backend = CrosstermBackend::new(BasicColors::new(sink.clone()));
        backend.draw(blank.diff(frame).into_iter()).expect("draw");
        Backend::flush(&mut backend).expect("flush");
    } else {
        let mut backend = CrosstermBackend::new(sink.clone());
        backend.draw(blank.diff(frame).into_iter()).expect("draw");
        Backend::flush(&mut backend).expect("flush");
    }
    let bytes = sink.0.borrow().clone();
    String::from_utf8(bytes).expect("utf-8")
}

/// The browser with a search match and the help's key hints: every accent of the theme.
fn coloured_frame(theme: Theme, no_color: bool) -> Buffer {
    let mut s = state();
    s.appearance.theme = theme;
    s.appearance.no_color = no_color;
    press(&mut s, &["tab"]);
    render(&mut s, 80, 24)
}

#[test]
fn named_colours_are_sent_as_basic_sgr_codes() {
    for theme in [Theme::Dark, Theme::Light] {
        let frame = coloured_frame(theme, false);
        let crossterm = frame_bytes(&frame, false);
        let basic = frame_bytes(&frame, true);
        assert!(
            crossterm.contains("38;5;"),
            "{theme:?}: crossterm writes named colours as 256-colour codes"
        );
        let params = sgr_params(&basic);
        let colours: Vec<u32> = params.iter().flat_map(|p| colour_codes(p)).collect();
        assert!(!colours.is_empty(), "{theme:?}: no colour written");
        for p in &params {
            assert!(
                !p.contains("38;") && !p.contains("48;"),
                "{theme:?}: 256-colour code left: ESC[{p}m"
            );
        }
        let accent = match theme {
            Theme::Dark => 36,
            Theme::Light => 34,
        };
        assert!(colours.contains(&accent), "{theme:?}: {colours:?}");
        // The text and the screen are the same, only the codes differ.
        let strip = |s: &str| {
            s.split("\x1b[")
                .map(|seq| seq.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';'))
                .collect::<String>()
        };
        assert_eq!(strip(&crossterm), strip(&basic), "{theme:?}");
        eprintln!(
            "{theme:?}: a whole 80x24 frame is {} bytes with 38;5;N, {} with basic codes",
            crossterm.len(),
            basic.len()
        );
    }
}

#[test]
fn no_color_writes_no_colour_at_all() {
    for theme in [Theme::Dark, Theme::Light] {
        let frame = coloured_frame(theme, true);
        for bytes in [frame_bytes(&frame, true), frame_bytes(&frame, false)] {
            for p in sgr_params(&bytes) {
                assert!(
                    colour_codes(&p).is_empty(),
                    "{theme:?}: a colour with NO_COLOR: ESC[{p}m"
                );
            }
        }
    }
}
