//! Styles for every element, in the 16 named terminal colours only (no RGB: users are on
//! SSH without true colour), for dark and light backgrounds. With `NO_COLOR` every style is
//! colourless and meaning is carried by bold, reverse and underline.

use crate::app::Appearance;
use crate::config;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;

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
