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
//! Exported citations are files for other programs (LaTeX, reference managers), not a
//! display: there a control character is dropped (see [`without_controls`]).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is a control character a terminal must not be sent: every C0 control but the
/// line break and the tab, DEL, and the C1 controls.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// How `c` is shown when it is [`is_unsafe`]: `^[`, `^?`, `<U+0085>`; `None` for any other
/// character, which is shown as itself.
pub fn notation(c: char) -> Option<String> {
    if !is_unsafe(c) {
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

/// `text` safe to print on a terminal: each [`is_unsafe`] character in its [`notation`].
/// Borrowed when there is none (the usual case).
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.contains(is_unsafe) {
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

/// `text` without its [`is_unsafe`] characters, for files written for other programs: a
/// control character means nothing in a citation, a `^[` written in its place would be text
/// that was never there, and LaTeX and RIS readers stop at the character itself.
pub fn without_controls(text: &str) -> Cow<'_, str> {
    if text.contains(is_unsafe) {
        Cow::Owned(text.chars().filter(|&c| !is_unsafe(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// JSON text with DEL and the C1 controls escaped (`\u009b`): serde_json escapes the C0
/// controls but writes these as they are, and some terminals obey the C1 ones. JSON holds
/// such a character only inside a string, where the escape reads back as the character.
pub fn json_for_terminal(json: &str) -> Cow<'_, str> {
    let needs_escape = |c: char| ('\u{7f}'..='\u{9f}').contains(&c);
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn exported_text_loses_controls_but_keeps_lines_and_tabs() {
        assert_eq!(without_controls("a\u{1b}[2Jb\n\tc\u{9b}\r"), "a[2Jb\n\tc");
        assert!(matches!(without_controls("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_keeps_its_meaning_with_c1_escaped() {
        let value = serde_json::json!({"title": "a\u{1b}b\u{9b}c\u{85}d\u{7f}"});
        let text = serde_json::to_string(&value).unwrap();
        let safe = json_for_terminal(&text);
        assert!(!safe.contains(is_unsafe), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }
}
