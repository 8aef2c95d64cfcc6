//! OSC 8 hyperlinks in the buffer: each run of link text is written as one link.
//!
//! ratatui measures a cell by its symbol, and the escape sequences of a link would count as
//! columns. ratatui's hyperlink example puts every two characters in a link of their own,
//! which sends the whole wrapper (URL included) again every two columns: on a slow link that
//! doubled what a screen of ids cost. Here the run's first cell carries the wrapper and the
//! whole visible text, with [`CellDiffOption::ForcedWidth`] set to the run's width, and the
//! cells it covers are [`CellDiffOption::Skip`]. The diff compares that first cell only, and
//! any change in the run (its text, its style, its URL) changes it: the link is sent again
//! whole, or not at all. A covered cell that stops being covered differs from the previous
//! frame (by its diff option) and is sent, so plain text that replaces a link is redrawn in full.

use crate::links::{OSC8_CLOSE, osc8_open};
use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::Style;
use std::num::NonZeroU16;

/// Whether a terminal of type `term` (`$TERM`) may be sent OSC 8 links. The Linux console
/// and hardware terminals (`vt100`, `vt220`) read only the sequence's start and print the
/// rest (`8;;https://…`) as text (a user test on TERM=linux saw the sequences sent), and a
/// `dumb` terminal shows every escape. Unknown or unset, links are sent: terminals without
/// OSC 8 support mostly skip the sequence.
pub fn terminal_shows_links(term: Option<&str>) -> bool {
    let Some(term) = term else {
        return true;
    };
    let base = term.split(['-', '+']).next().unwrap_or(term);
    let hardware = base
        .strip_prefix("vt")
        .is_some_and(|model| model.starts_with(|c: char| c.is_ascii_digit()));
    !(base == "linux" || base == "dumb" || base.starts_with("cons") || hardware)
}

/// Draws `text` at the start of `area` (one line, cut to the area's width) as one OSC 8
/// hyperlink to `url`. Terminals without OSC 8 ignore the sequence and show the text.
pub fn draw_link(buf: &mut Buffer, area: Rect, text: &str, url: &str, style: Style) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let (end_x, _) = buf.set_stringn(area.x, area.y, text, area.width as usize, style);
    let Some(width) = NonZeroU16::new(end_x.saturating_sub(area.x)) else {
        return;
    };
    // The text as drawn: cut to the area, a wide character's trailing cell left out.
    let mut shown = String::new();
    let mut x = area.x;
    while x < end_x {
        let symbol = buf[(x, area.y)].symbol();
        // Drawn safely, as every other cell is (`draw_safely`), which passes this one by.
        match crate::safe_text::cell_symbol_for_terminal(symbol) {
            Some(pieces) => shown.extend(pieces),
            None => shown.push_str(symbol),
        }
        x += symbol_width(symbol).max(1);
    }
    let first = &mut buf[(area.x, area.y)];
    first.set_symbol(&format!("{}{shown}{OSC8_CLOSE}", osc8_open(url)));
    first.set_diff_option(CellDiffOption::ForcedWidth(width));
    for covered in area.x + 1..end_x {
        buf[(covered, area.y)].set_diff_option(CellDiffOption::Skip);
    }
}

fn symbol_width(symbol: &str) -> u16 {
    unicode_width::UnicodeWidthStr::width(symbol) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_not_sent_to_terminals_that_print_them() {
        for term in [
            "linux",
            "linux-16color",
            "vt100",
            "vt220",
            "vt102-am",
            "dumb",
            "cons25",
        ] {
            assert!(!terminal_shows_links(Some(term)), "{term}");
        }
        for term in [
            "xterm",
            "xterm-256color",
            "tmux-256color",
            "screen",
            "vte-256color",
        ] {
            assert!(terminal_shows_links(Some(term)), "{term}");
        }
        assert!(terminal_shows_links(None));
    }

    const URL: &str = "https://doi.org/10.1038/s41420-026-02999-y";

    fn linked(width: u16, text: &str, after: &str) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, width, 1));
        draw_link(
            &mut buf,
            Rect::new(2, 0, width - 2, 1),
            text,
            URL,
            Style::default(),
        );
        let x = 2 + text.chars().count() as u16 + 1;
        buf.set_string(x, 0, after, Style::default());
        buf
    }

    #[test]
    fn a_run_of_link_text_is_one_link_in_its_first_cell() {
        let buf = linked(30, "DOI 10.1038/x", "after");
        assert_eq!(
            buf[(2, 0)].symbol(),
            format!("{}DOI 10.1038/x{OSC8_CLOSE}", osc8_open(URL))
        );
        assert_eq!(
            buf[(2, 0)].diff_option,
            CellDiffOption::ForcedWidth(NonZeroU16::new(13).unwrap())
        );
        for x in 3..15 {
            assert_eq!(buf[(x, 0)].diff_option, CellDiffOption::Skip, "cell {x}");
        }
        assert_eq!(buf[(15, 0)].diff_option, CellDiffOption::None);
        // From a blank screen the link goes out once, then the text after it at its column.
        let updates = Buffer::empty(buf.area).diff(&buf);
        let opens = updates
            .iter()
            .filter(|(_, _, c)| c.symbol().contains("\x1b]8;;http"))
            .count();
        assert_eq!(opens, 1);
        let columns: Vec<u16> = updates.iter().map(|(x, _, _)| *x).collect();
        assert_eq!(columns, [2, 16, 17, 18, 19, 20]);
    }

    #[test]
    fn wide_characters_and_a_cut_keep_the_run_width() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        draw_link(
            &mut buf,
            Rect::new(1, 0, 6, 1),
            "世界doi!",
            URL,
            Style::default(),
        );
        assert_eq!(
            buf[(1, 0)].symbol(),
            format!("{}世界do{OSC8_CLOSE}", osc8_open(URL))
        );
        assert_eq!(
            buf[(1, 0)].diff_option,
            CellDiffOption::ForcedWidth(NonZeroU16::new(6).unwrap())
        );
        assert_eq!(buf[(7, 0)].symbol(), " ");
        assert_eq!(buf[(7, 0)].diff_option, CellDiffOption::None);
        // Outside the buffer: nothing drawn, no panic.
        draw_link(&mut buf, Rect::new(20, 3, 4, 1), "x", URL, Style::default());
    }

    #[test]
    fn a_change_after_the_link_does_not_send_the_link_again() {
        let before = linked(30, "DOI 10.1038/x", "after");
        let after = linked(30, "DOI 10.1038/x", "later");
        let columns: Vec<u16> = before.diff(&after).iter().map(|(x, _, _)| *x).collect();
        assert_eq!(columns, [16, 17]);
    }

    #[test]
    fn a_shorter_link_or_plain_text_redraws_the_cells_the_old_link_covered() {
        let before = linked(30, "DOI 10.1038/x", "");
        let shorter = linked(30, "DOI 10.1", "");
        let columns: Vec<u16> = before.diff(&shorter).iter().map(|(x, _, _)| *x).collect();
        // The new link, then every cell the old one covered past it.
        assert_eq!(columns, [2, 10, 11, 12, 13, 14]);

        let mut plain = Buffer::empty(before.area);
        plain.set_string(2, 0, "DOI 10.1038/x", Style::default());
        let columns: Vec<u16> = before.diff(&plain).iter().map(|(x, _, _)| *x).collect();
        assert_eq!(columns, (2..15).collect::<Vec<u16>>());
    }
}
