//! The search line's text and cursor, edited as a shell's line is: insert where the cursor
//! is, move by character or word, delete either side, a word back, or to the end. The whole
//! text, or all of it after a term that stays (the term a search within the bookmarks or an
//! entity's papers starts with), may be selected, as a browser's address bar selects its
//! address when it is focused: a character typed replaces it, Backspace or Delete clears it,
//! any other edit drops the selection and acts as it would without one.

use std::fmt;

/// One line of text and a cursor in it (a byte offset on a character boundary, from 0 to
/// the text's length), and where the selected text starts, if any: it runs to the end, and
/// the cursor is then at the end.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    cursor: usize,
    selected_from: Option<usize>,
}

/// An edit of the line other than typing a character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LineEdit {
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    /// The character under the cursor.
    Delete,
    /// The word before the cursor (and the spaces after it).
    DeleteWordBefore,
    /// Everything from the cursor on.
    DeleteToEnd,
}

impl LineInput {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Where the cursor is, in bytes from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Whether text is selected ([`LineInput::select_from`]).
    pub fn is_selected(&self) -> bool {
        self.selected_from.is_some()
    }

    /// Where the selected text starts (it runs to the end), if any.
    pub fn selected_from(&self) -> Option<usize> {
        self.selected_from
    }

    /// Selects the whole text (nothing when it is empty), the cursor at its end: what is
    /// typed next replaces it.
    pub fn select_all(&mut self) {
        self.select_from(0);
    }

    /// Selects the text from byte `start` (a character boundary) to the end, the cursor at
    /// the end: what is typed next replaces it, the text before stays. Nothing is selected
    /// when nothing follows `start`.
    pub fn select_from(&mut self, start: usize) {
        self.selected_from =
            (start < self.text.len() && self.text.is_char_boundary(start)).then_some(start);
        self.cursor = self.text.len();
    }

    /// Drops the selection, the text and cursor as they are; true when there was one.
    pub fn deselect(&mut self) -> bool {
        self.selected_from.take().is_some()
    }

    /// Deletes the selected text, if any, the cursor where it started; true when there was
    /// some.
    fn delete_selection(&mut self) -> bool {
        match self.selected_from.take() {
            Some(start) => {
                self.text.truncate(start);
                self.cursor = start;
                true
            }
            None => false,
        }
    }

    /// Replaces the text, the cursor at its end.
    pub fn set(&mut self, text: &str) {
        self.text.clear();
        self.text.push_str(text);
        self.cursor = self.text.len();
        self.selected_from = None;
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
        self.selected_from = None;
    }

    /// Inserts `c` at the cursor, or in place of the text when it is selected.
    pub fn insert(&mut self, c: char) {
        self.delete_selection();
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    /// Inserts `text` at the cursor and moves past it; in place of the text when it is
    /// selected.
    pub fn insert_str(&mut self, text: &str) {
        self.delete_selection();
        self.text.insert_str(self.cursor, text);
        self.cursor += text.len();
    }

    /// Deletes the character before the cursor, or the selected text; false when there is
    /// nothing to delete.
    pub fn backspace(&mut self) -> bool {
        if self.delete_selection() {
            return true;
        }
        match self.text[..self.cursor].chars().next_back() {
            Some(c) => {
                self.cursor -= c.len_utf8();
                self.text.remove(self.cursor);
                true
            }
            None => false,
        }
    }

    /// Applies `edit`; true when the text changed (not only the cursor). On selected text
    /// Delete clears it, Left goes to its start and Right stays at its end, as a text
    /// field's do (ut24a's Left then ` tumor` read `gene:pdcd tumor1`); any other edit
    /// drops the selection and acts from the cursor at the end.
    pub fn edit(&mut self, edit: LineEdit) -> bool {
        if edit == LineEdit::Delete && self.delete_selection() {
            return true;
        }
        if let Some(start) = self.selected_from.take()
            && matches!(edit, LineEdit::Left | LineEdit::Right)
        {
            if edit == LineEdit::Left {
                self.cursor = start;
            }
            return false;
        }
        let before = self.text.len();
        match edit {
            LineEdit::Left => self.cursor = self.char_before(),
            LineEdit::Right => self.cursor = self.char_after(),
            LineEdit::WordLeft => self.cursor = self.word_start_before(),
            LineEdit::WordRight => self.cursor = self.word_end_after(),
            LineEdit::Home => self.cursor = 0,
            LineEdit::End => self.cursor = self.text.len(),
            LineEdit::Delete => {
                if self.cursor < self.text.len() {
                    self.text.remove(self.cursor);
                }
            }
            LineEdit::DeleteWordBefore => {
                let start = self.word_start_before();
                self.text.drain(start..self.cursor);
                self.cursor = start;
            }
            LineEdit::DeleteToEnd => self.text.truncate(self.cursor),
        }
        self.text.len() != before
    }

    fn char_before(&self) -> usize {
        self.text[..self.cursor]
            .chars()
            .next_back()
            .map_or(0, |c| self.cursor - c.len_utf8())
    }

    fn char_after(&self) -> usize {
        self.text[self.cursor..]
            .chars()
            .next()
            .map_or(self.cursor, |c| self.cursor + c.len_utf8())
    }

    /// The start of the word before the cursor (spaces right before it skipped).
    fn word_start_before(&self) -> usize {
        let before = &self.text[..self.cursor];
        let word_end = before.trim_end().len();
        before[..word_end]
            .rfind(char::is_whitespace)
            .map_or(0, |space| {
                space + before[space..].chars().next().map_or(1, char::len_utf8)
            })
    }

    /// The end of the word after the cursor (spaces right after it skipped).
    fn word_end_after(&self) -> usize {
        let after = &self.text[self.cursor..];
        let word_start = after.len() - after.trim_start().len();
        after[word_start..]
            .find(char::is_whitespace)
            .map_or(self.text.len(), |space| self.cursor + word_start + space)
    }
}

impl std::ops::Deref for LineInput {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for LineInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (before, after) = self.text.split_at(self.cursor);
        match self.selected_from {
            Some(0) => write!(f, "{before:?}|{after:?} (selected)"),
            Some(start) => write!(f, "{before:?}|{after:?} (selected from {start})"),
            None => write!(f, "{before:?}|{after:?}"),
        }
    }
}

impl PartialEq<&str> for LineInput {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` with the cursor where `|` is.
    fn line(marked: &str) -> LineInput {
        let cursor = marked.find('|').expect("a cursor");
        LineInput {
            text: marked.replacen('|', "", 1),
            cursor,
            selected_from: None,
        }
    }

    fn shown(input: &LineInput) -> String {
        let mut text = input.text.clone();
        text.insert(input.cursor, '|');
        text
    }

    #[test]
    fn edits_as_a_shell_line() {
        for (start, edit, expected, changed) in [
            ("brca tumor|", LineEdit::Left, "brca tumo|r", false),
            ("|brca", LineEdit::Left, "|brca", false),
            ("br|ca", LineEdit::Right, "brc|a", false),
            ("brca|", LineEdit::Right, "brca|", false),
            (
                "gene:tp53 apo|ptosis",
                LineEdit::WordLeft,
                "gene:tp53 |apoptosis",
                false,
            ),
            (
                "gene:tp53  |apoptosis",
                LineEdit::WordLeft,
                "|gene:tp53  apoptosis",
                false,
            ),
            (
                "|gene:tp53 apoptosis",
                LineEdit::WordRight,
                "gene:tp53| apoptosis",
                false,
            ),
            (
                "gene:tp53| apoptosis",
                LineEdit::WordRight,
                "gene:tp53 apoptosis|",
                false,
            ),
            ("brca tu|mor", LineEdit::Home, "|brca tumor", false),
            ("brca tu|mor", LineEdit::End, "brca tumor|", false),
            ("brca tu|mor", LineEdit::Delete, "brca tu|or", true),
            ("brca|", LineEdit::Delete, "brca|", false),
            ("brca tumor|", LineEdit::DeleteWordBefore, "brca |", true),
            ("brca tumor  |", LineEdit::DeleteWordBefore, "brca |", true),
            ("brca tu|mor", LineEdit::DeleteWordBefore, "brca |mor", true),
            ("|brca", LineEdit::DeleteWordBefore, "|brca", false),
            ("brca tu|mor", LineEdit::DeleteToEnd, "brca tu|", true),
            ("TNF-α |β", LineEdit::Left, "TNF-α| β", false),
            ("α|β", LineEdit::Left, "|αβ", false),
            ("α|β", LineEdit::Delete, "α|", true),
            ("x α|", LineEdit::DeleteWordBefore, "x |", true),
        ] {
            let mut input = line(start);
            assert_eq!(input.edit(edit), changed, "{start} {edit:?}");
            assert_eq!(shown(&input), expected, "{start} {edit:?}");
        }
    }

    #[test]
    fn typing_and_backspace_happen_at_the_cursor() {
        let mut input = line("brca tumor|");
        input.edit(LineEdit::WordLeft);
        input.insert('x');
        assert_eq!(shown(&input), "brca x|tumor");
        assert!(input.backspace());
        input.insert('α');
        assert_eq!(shown(&input), "brca α|tumor");
        assert!(input.backspace());
        input.edit(LineEdit::Home);
        assert!(!input.backspace(), "nothing before the cursor");
        input.set("gene:tp53");
        assert_eq!(shown(&input), "gene:tp53|");
        input.clear();
        assert_eq!(shown(&input), "|");
        assert_eq!(input, "");
    }

    /// Selected, as `/` leaves a kept query: a character replaces it, Backspace and Delete
    /// clear it, the rest drop the selection and edit as without it.
    #[test]
    fn selected_text_is_replaced_by_typing_and_cleared_by_deleting() {
        let selected = |text: &str| {
            let mut input = line(&format!("{text}|"));
            input.select_all();
            assert!(input.is_selected());
            input
        };
        let mut input = selected("ketanserin");
        input.insert('m');
        assert_eq!((shown(&input), input.is_selected()), ("m|".into(), false));
        input.insert('u');
        assert_eq!(shown(&input), "mu|", "only the first character replaces");
        let mut input = selected("ketanserin");
        input.insert_str("muller");
        assert_eq!(shown(&input), "muller|");
        for delete in [LineInput::backspace as fn(&mut LineInput) -> bool, |i| {
            i.edit(LineEdit::Delete)
        }] {
            let mut input = selected("ketanserin");
            assert!(delete(&mut input));
            assert_eq!((shown(&input), input.is_selected()), ("|".into(), false));
        }
        for (edit, expected, changed) in [
            (LineEdit::Left, "|tp53", false),
            (LineEdit::Right, "tp53|", false),
            (LineEdit::Home, "|tp53", false),
            (LineEdit::End, "tp53|", false),
            (LineEdit::WordLeft, "|tp53", false),
            (LineEdit::DeleteWordBefore, "|", true),
            (LineEdit::DeleteToEnd, "tp53|", false),
        ] {
            let mut input = selected("tp53");
            assert_eq!(input.edit(edit), changed, "{edit:?}");
            assert_eq!(
                (shown(&input), input.is_selected()),
                (expected.into(), false)
            );
        }
        let mut input = selected("tp53");
        assert!(input.deselect());
        input.insert('x');
        assert_eq!(shown(&input), "tp53x|");
        let mut empty = line("|");
        empty.select_all();
        assert!(!empty.is_selected(), "nothing to select");
    }

    /// Selected after a term that stays (`is:bookmarked `, as `/` leaves a search within
    /// the bookmarks): typing, pasting and deleting act on the words after it alone.
    #[test]
    fn text_selected_after_a_term_keeps_the_term() {
        let selected = |text: &str| {
            let mut input = line(&format!("{text}|"));
            input.select_from("is:bookmarked ".len());
            assert_eq!(input.selected_from(), Some(14));
            input
        };
        let mut input = selected("is:bookmarked lith");
        input.insert('t');
        assert_eq!(
            (shown(&input), input.is_selected()),
            ("is:bookmarked t|".into(), false)
        );
        let mut input = selected("is:bookmarked lith");
        input.insert_str("tamoxifen");
        assert_eq!(shown(&input), "is:bookmarked tamoxifen|");
        for delete in [LineInput::backspace as fn(&mut LineInput) -> bool, |i| {
            i.edit(LineEdit::Delete)
        }] {
            let mut input = selected("is:bookmarked lith");
            assert!(delete(&mut input));
            assert_eq!(shown(&input), "is:bookmarked |");
        }
        let mut input = selected("is:bookmarked lith");
        assert!(!input.edit(LineEdit::Left));
        assert_eq!(
            (shown(&input), input.is_selected()),
            ("is:bookmarked |lith".into(), false)
        );
        // Nothing after the term, or not at a character's start: nothing selected.
        let mut input = line("is:bookmarked |");
        input.select_from(14);
        assert!(!input.is_selected());
        let mut input = line("αβ|");
        input.select_from(1);
        assert!(!input.is_selected());
    }
}
