//! Control characters in text read from files and config: how the browser and the command
//! line show them, and how exported files leave them out.
//!
//! A title holding `ESC ] 0 ; … BEL` retitles the terminal it is printed to, `ESC [ 2 J`
//! clears it: text from a data file must never reach a terminal as it is. Such a character
//! is shown as `less` and `cat -v` show it, so that a broken record says what it holds
//! rather than hiding it: caret notation for the C0 controls and DEL (`^[` for ESC, `^G` for
//! BEL, `^M` for a carriage return, `^?`), and `<U+009B>` for the C1 controls (U+0080 to
//! U+009F), which some terminals obey too. A line break and a tab are the layout of the text
//! and stay; where text is word-wrapped (the browser's panes, `tomes show`), every kind of
//! whitespace separates words, so a tab or a carriage return there is a space.
//!
//! The command line also shows the Unicode bidirectional controls by code ([`is_bidi_control`]:
//! `<U+202E>`): a right-to-left override in a title reverses the rest of its line on a
//! terminal that lays out bidirectional text, a mark can swap the numbers either side of it,
//! so a listed title, key or count could read other than it is ("Trojan Source",
//! CVE-2021-42574). JSON escapes them (`\u202e`).
//!
//! Exported citations are files for other programs (LaTeX, reference managers), not a
//! display: there a control character is dropped, and so is a bidirectional control (see
//! [`without_controls`]).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is a control character a terminal must not be sent: every C0 control but the
/// line break and the tab, DEL, and the C1 controls.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Whether `c` is one of Unicode's explicit bidirectional formatting characters, which can
/// reorder the text around them on a terminal: the embeddings and overrides (U+202A to
/// U+202E), the isolates (U+2066 to U+2069), and the marks (U+200E, U+200F, U+061C), which
/// change the direction of the digits and punctuation beside them. They are not
/// [`char::is_control`] (they are format characters), so [`is_unsafe`] leaves them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
    )
}

/// Whether the command line shows `c` by its [`notation`] rather than as itself: it is
/// [`is_unsafe`] or [`is_bidi_control`].
pub fn is_shown_by_notation(c: char) -> bool {
    is_unsafe(c) || is_bidi_control(c)
}

/// How `c` is shown when it [`is_shown_by_notation`]: `^[`, `^?`, `<U+0085>`, `<U+202E>`;
/// `None` for any other character, which is shown as itself.
pub fn notation(c: char) -> Option<String> {
    if !is_shown_by_notation(c) {
        return None;
    }
    let code = u32::from(c);
    Some(match code {
        // `^@` to `^_`: the character 64 places on; DEL is `^?` by the same convention.
        0..=0x1f => format!("^{}", char::from(b'@' + code as u8)),
        0x7f => "^?".to_owned(),
        _ => format!("<U+{code:04X}>"),
    })
}

/// `text` safe to print on a terminal: each character that [`is_shown_by_notation`] in its
/// [`notation`]. Borrowed when there is none (the usual case).
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.contains(is_shown_by_notation) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match notation(c) {
            Some(shown) => out.push_str(&shown),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` without the characters the command line shows by notation ([`is_unsafe`] and
/// [`is_bidi_control`]), for files written for other programs: a control character means
/// nothing in a citation, a `^[` or `<U+202E>` written in its place would be text that was
/// never there, and LaTeX and RIS readers stop at the character itself. A bidirectional
/// control kept as it was reversed the rest of an exported title's line wherever the file
/// was shown (`cat`, an editor, a reference manager), as it did on the terminal.
pub fn without_controls(text: &str) -> Cow<'_, str> {
    if text.contains(is_shown_by_notation) {
        Cow::Owned(text.chars().filter(|&c| !is_shown_by_notation(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// JSON text with DEL, the C1 controls and the [`is_bidi_control`] characters escaped
/// (`\u009b`, `\u202e`): serde_json escapes the C0 controls but writes these as they are,
/// and some terminals obey the C1 ones or reorder a line at the bidirectional ones. JSON
/// holds such a character only inside a string, where the escape reads back as the
/// character.
pub fn json_for_terminal(json: &str) -> Cow<'_, str> {
    let needs_escape = |c: char| ('\u{7f}'..='\u{9f}').contains(&c) || is_bidi_control(c);
    if !json.contains(needs_escape) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs_escape(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The zero width joiner (U+200D): it joins emoji into one (`👨‍👩‍👧`, a family), which
/// unicode-width, and so ratatui, counts two columns wide; tmux and most terminals draw each
/// emoji of it, eight columns, and tmux draws the character after a joiner in the cell
/// before it. Either way the rest of the row is drawn where ratatui did not put it: a user
/// test's pane border moved.
pub const ZERO_WIDTH_JOINER: char = '\u{200d}';

/// How many columns a terminal that draws one character at a time (as tmux and most do)
/// gives `c`: its unicode-width, a zero-width character (a combining mark, a selector)
/// drawn in the cell before it.
fn drawn_width(c: char) -> usize {
    use unicode_width::UnicodeWidthChar;
    c.width().unwrap_or(0)
}

/// What to draw in place of one cell's grapheme `symbol`, so that a terminal that draws a
/// character at a time draws it in the columns ratatui gave it (its unicode-width) and in
/// no more: `None` when `symbol` is drawn as it is, else the pieces to put in the cell and
/// the cells it covers, one character with its combining marks each, each its own width.
///
/// Ratatui lays a row out by graphemes, a terminal draws characters: where the two differ
/// the rest of the row lands elsewhere than ratatui thinks, over the pane's border
/// ([`ZERO_WIDTH_JOINER`]), or a character is left behind on screen in a cell ratatui
/// thinks blank (a flag's second letter). So a grapheme loses its joiners and emoji
/// presentation selectors (U+FE0E, U+FE0F, which some terminals widen a character by and
/// others ignore) and a combining mark it starts with (a terminal puts it on the cell
/// before, the pane's border, and gives it no column); its characters go one to a piece, as
/// many as fit in its width. One of nothing else is a space. A symbol with control
/// characters (a hyperlink's escape sequence) is left as it is.
pub fn cell_symbol_for_terminal(symbol: &str) -> Option<Vec<String>> {
    use unicode_width::UnicodeWidthStr;
    if symbol.is_ascii() || symbol.contains(char::is_control) {
        return None;
    }
    let cells = symbol.width();
    let mut pieces: Vec<String> = Vec::new();
    let mut dropped = false;
    for c in symbol.chars() {
        if matches!(c, ZERO_WIDTH_JOINER | '\u{fe0e}' | '\u{fe0f}') {
            dropped = true;
        } else if drawn_width(c) > 0 {
            pieces.push(c.to_string());
        } else if let Some(piece) = pieces.last_mut() {
            piece.push(c);
        } else {
            dropped = true;
        }
    }
    if !dropped && pieces.len() == 1 && pieces[0].width() == cells {
        return None;
    }
    let mut used = 0;
    let mut fitting = Vec::with_capacity(pieces.len());
    for mut piece in pieces {
        let base = piece.chars().next().map_or(0, drawn_width);
        // Marks that make a piece read wider than its character are left out.
        if piece.width() != base {
            piece = piece.chars().take(1).collect();
        }
        if used + base > cells.max(1) {
            break;
        }
        used += base;
        fitting.push(piece);
    }
    if fitting.is_empty() {
        fitting.push(" ".to_owned());
    }
    Some(fitting)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each cell's grapheme is drawn in as many columns as ratatui gives it, whatever the
    /// terminal makes of joiners, selectors and marks, one character to a cell.
    #[test]
    fn a_cell_is_drawn_in_the_columns_ratatui_gives_it() {
        let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}\u{200d}\u{1f466}";
        for (symbol, shown) in [
            ("a", None),
            ("é", None),
            ("e\u{301}", None),
            ("世", None),
            ("世\u{301}", None),
            ("\u{1f44d}", None),
            ("\u{1100}\u{1161}\u{11a8}", None),
            (family, Some(&["\u{1f468}"][..])),
            ("\u{1f43b}\u{200d}\u{2744}\u{fe0f}", Some(&["\u{1f43b}"])),
            ("\u{2764}\u{fe0f}", Some(&["\u{2764}"])),
            ("\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}", Some(&["\u{1f3f3}"])),
            ("1\u{fe0f}\u{20e3}", Some(&["1\u{20e3}"])),
            ("\u{1f44d}\u{1f3fd}", Some(&["\u{1f44d}"])),
            ("\u{1f1fa}\u{1f1f8}", Some(&["\u{1f1fa}", "\u{1f1f8}"])),
            (
                "\u{915}\u{94d}\u{937}",
                Some(&["\u{915}\u{94d}", "\u{937}"]),
            ),
            ("a\u{200d}", Some(&["a"])),
            ("\u{301}", Some(&[" "])),
            ("\u{301}x", Some(&["x"])),
            ("\u{20dd}\u{301}", Some(&[" "])),
        ] {
            let got = cell_symbol_for_terminal(symbol);
            let want = shown.map(|s| s.iter().map(|p| p.to_string()).collect::<Vec<_>>());
            assert_eq!(got, want, "{symbol:?}");
            if let Some(got) = got {
                use unicode_width::UnicodeWidthStr;
                let mut total = 0;
                for piece in &got {
                    let drawn: usize = piece.chars().map(drawn_width).sum();
                    assert_eq!(drawn, piece.width(), "{piece:?}");
                    total += drawn;
                }
                assert!(total <= symbol.width().max(1), "{got:?}");
            }
        }
        // A hyperlink's cell is its own business.
        assert_eq!(cell_symbol_for_terminal("\u{1b}]8;;u\u{1b}\\x"), None);
    }

    #[test]
    fn controls_are_shown_in_caret_notation_and_c1_by_code() {
        for (text, shown) in [
            ("plain α text", "plain α text"),
            ("line\nbreak\tand tab", "line\nbreak\tand tab"),
            ("\u{1b}]0;PWNED\u{7}", "^[]0;PWNED^G"),
            ("\u{1b}[2J", "^[[2J"),
            ("a\rb\u{0}c\u{7f}", "a^Mb^@c^?"),
            ("\u{9b}31m \u{85}", "<U+009B>31m <U+0085>"),
        ] {
            assert_eq!(for_terminal(text), shown, "{text:?}");
            assert!(!for_terminal(text).contains(is_unsafe));
        }
        assert!(matches!(for_terminal("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn bidirectional_controls_are_shown_by_code() {
        for (text, shown) in [
            ("a\u{202e}fdp.exe", "a<U+202E>fdp.exe"),
            (
                "\u{202a}\u{202b}\u{202c}\u{202d}",
                "<U+202A><U+202B><U+202C><U+202D>",
            ),
            (
                "\u{2066}x\u{2067}\u{2068}\u{2069}",
                "<U+2066>x<U+2067><U+2068><U+2069>",
            ),
            (
                "10\u{200f} 20\u{200e}\u{61c}",
                "10<U+200F> 20<U+200E><U+061C>",
            ),
            // Right-to-left letters themselves are text, shown as they are.
            ("שלום مرحبا", "שלום مرحبا"),
        ] {
            assert_eq!(for_terminal(text), shown, "{text:?}");
            assert!(!for_terminal(text).contains(is_bidi_control));
        }
        // Not control characters: the browser's wrapping decides for itself.
        assert!(!is_unsafe('\u{202e}'));
    }

    #[test]
    fn exported_text_loses_controls_but_keeps_lines_and_tabs() {
        assert_eq!(without_controls("a\u{1b}[2Jb\n\tc\u{9b}\r"), "a[2Jb\n\tc");
        assert_eq!(
            without_controls("a\u{202e}fdp.exe\u{202c} \u{2067}x\u{2069} 10\u{200f} שלום"),
            "afdp.exe x 10 שלום"
        );
        assert!(matches!(without_controls("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_keeps_its_meaning_with_c1_escaped() {
        let value = serde_json::json!({"title": "a\u{1b}b\u{9b}c\u{85}d\u{7f}e\u{202e}f\u{2067}"});
        let text = serde_json::to_string(&value).unwrap();
        let safe = json_for_terminal(&text);
        assert!(!safe.contains(is_shown_by_notation), "{safe}");
        assert!(safe.contains("\\u202e"), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }
}
