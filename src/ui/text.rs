//! Text shaping for the panes: word wrapping of styled text, and finding where a paper's
//! abstract mentions its entities.

use crate::model::{Paper, fold_name};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// Styled characters of one line being built, each with the index of the segment it came
/// from (`None` for a continuation line's indent).
type Cells = Vec<(char, Style, Option<usize>)>;

fn to_line(cells: &[(char, Style, Option<usize>)]) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_style = None;
    for &(c, style, _) in cells {
        if run_style != Some(style) {
            if let Some(s) = run_style {
                spans.push(Span::styled(std::mem::take(&mut run), s));
            }
            run_style = Some(style);
        }
        run.push(c);
    }
    if let Some(s) = run_style {
        spans.push(Span::styled(run, s));
    }
    Line::from(spans)
}

fn width_of(cells: &[(char, Style, Option<usize>)]) -> usize {
    cells.iter().map(|(c, _, _)| c.width().unwrap_or(0)).sum()
}

/// Greedy word wrapper over styled characters.
struct Wrapper {
    width: usize,
    indent: usize,
    lines: Vec<Cells>,
    line: Cells,
    line_width: usize,
    word: Cells,
    /// The space owed before the next word (where spaces collapse, the last one read).
    pending_spaces: Cells,
    /// Where runs of spaces are kept as written ([`wrap_keeping_spaces`]), the spaces read
    /// since the last word's last character.
    run: Cells,
}

impl Wrapper {
    fn break_line(&mut self) {
        self.lines.push(std::mem::take(&mut self.line));
        self.line
            .extend(std::iter::repeat_n((' ', Style::new(), None), self.indent));
        self.line_width = self.indent;
    }

    fn flush_word(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let w = width_of(&self.word);
        let space = if self.line_width > 0 {
            width_of(&self.pending_spaces)
        } else {
            0
        };
        if self.line_width > 0 && self.line_width + space + w > self.width {
            // A long hyphenated word (a chemical's name) breaks after a hyphen that fits
            // on the line ("…-formamide-" / "induced"), not inside a word on the next
            // line; a short one (`PD-L1`, `TNF-alpha`) goes to the next line whole.
            let room = self.width.saturating_sub(self.line_width + space);
            if w > self.width / 3
                && let Some(cut) = hyphen_cut(&self.word, room, false)
            {
                self.line.append(&mut self.pending_spaces);
                self.line.extend(self.word.drain(..cut));
                self.break_line();
                self.pending_spaces.clear();
                return self.flush_line_start_word();
            }
            // The spaces a line breaks at are not carried over to the next.
            self.break_line();
        } else if space > 0 {
            self.line.append(&mut self.pending_spaces);
            self.line_width += space;
        }
        self.flush_line_start_word();
    }

    /// Puts the word on the line, which it starts or fits on: a word longer than the line
    /// is cut, after its last hyphen that fits where it has one.
    fn flush_line_start_word(&mut self) {
        while width_of(&self.word) > self.width.saturating_sub(self.line_width)
            && self.line_width < self.width
            && let Some(cut) = hyphen_cut(&self.word, self.width - self.line_width, true)
        {
            self.line.extend(self.word.drain(..cut));
            self.break_line();
        }
        for (c, style, segment) in std::mem::take(&mut self.word) {
            let cw = c.width().unwrap_or(0);
            // A word longer than the line is cut.
            if self.line_width + cw > self.width && self.line_width > self.indent {
                self.break_line();
            }
            self.line.push((c, style, segment));
            self.line_width += cw;
        }
        self.pending_spaces.clear();
    }

    /// Where spaces are kept, the run of spaces read ends at a character of a word: one space
    /// is where a line may break, a longer run stays within the words either side, whole.
    fn end_run(&mut self) {
        match self.run.len() {
            0 => {}
            1 => {
                self.flush_word();
                self.pending_spaces = std::mem::take(&mut self.run);
                if self.line_width == 0 {
                    self.pending_spaces.clear();
                }
            }
            _ => self.word.append(&mut self.run),
        }
    }

    fn hard_break(&mut self) {
        // Spaces at the end of a line show nothing.
        self.run.clear();
        self.flush_word();
        self.lines.push(std::mem::take(&mut self.line));
        self.line_width = 0;
        self.pending_spaces.clear();
    }
}

/// Where a word may break to fit `room` columns: after its last hyphen (or, with `slashes`,
/// slash) that fits, one with two characters or more before it and three or more after (a
/// user test read `rat 6-` / `hydroxydopamine`), not doubled (`--`, `//`); `None` when
/// none fits. Slashes are for a word longer than a line: a path breaks between its folders
/// (ut24c read `…/GNormPlus_Train.P` / `ubTator:5062`), while a word that fits a line goes
/// to the next whole, as an id (`10.1000/x`) must.
fn hyphen_cut(word: &[(char, Style, Option<usize>)], room: usize, slashes: bool) -> Option<usize> {
    let mut width = 0;
    let mut cut = None;
    for (i, &(c, _, _)) in word.iter().enumerate() {
        width += c.width().unwrap_or(0);
        if width > room {
            break;
        }
        let between = i >= 2
            && word.len() - i > 3
            && word[i - 1].0 != c
            && word.get(i + 1).is_some_and(|&(next, _, _)| next != c);
        if (c == '-' || (slashes && c == '/')) && between {
            cut = Some(i + 1);
        }
    }
    cut
}

/// A space [`wrap`] never breaks a line at (U+00A0): `CD274\u{a0}(3)` keeps a count with
/// its name.
pub const NO_BREAK_SPACE: char = '\u{a0}';

/// Wraps styled text at word boundaries to `width` columns; newlines break lines, runs of
/// spaces collapse, words longer than a line are cut. `indent` starts continuation lines.
/// A [`NO_BREAK_SPACE`] is shown as a space and breaks no line; a control character in
/// caret notation (see [`crate::safe_text`]).
pub fn wrap(segments: &[(&str, Style)], width: usize, indent: usize) -> Vec<Line<'static>> {
    wrap_cells(segments, width, indent, false)
        .iter()
        .map(|cells| to_line(cells))
        .collect()
}

/// [`wrap`], keeping runs of spaces as written: for text that quotes the user's files (a
/// problem message's `"TATA  box"`), where two spaces shown as one would misreport what
/// the file holds. A line breaks only at a single space: a longer run stays with the words
/// either side of it (a line break there would hide how many spaces it had), and words so
/// joined longer than a line are cut as a long word is.
pub fn wrap_keeping_spaces(
    segments: &[(&str, Style)],
    width: usize,
    indent: usize,
) -> Vec<Line<'static>> {
    wrap_cells(segments, width, indent, true)
        .iter()
        .map(|cells| to_line(cells))
        .collect()
}

/// Where a segment's text went in a [`wrap_with_runs`] layout: one piece per line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentRun {
    /// The wrapped line, counted from 0.
    pub line: usize,
    /// The first column, and the width in columns.
    pub x: usize,
    pub width: usize,
    /// The index of the segment in the input.
    pub segment: usize,
    /// The text as laid out (a space between two of its words included).
    pub text: String,
}

/// [`wrap`], and where each segment's text landed: what lets a link be put on exactly the
/// cells of its text, on every line a wrap spreads it over, where searching the drawn text
/// found a URL's prefix in a longer URL and nothing of a URL cut by the wrap.
pub fn wrap_with_runs(
    segments: &[(&str, Style)],
    width: usize,
    indent: usize,
) -> (Vec<Line<'static>>, Vec<SegmentRun>) {
    let lines = wrap_cells(segments, width, indent, false);
    let mut runs: Vec<SegmentRun> = Vec::new();
    for (line, cells) in lines.iter().enumerate() {
        let mut x = 0;
        let mut last: Option<usize> = None;
        for &(c, _, segment) in cells {
            let cw = c.width().unwrap_or(0);
            match (segment, runs.last_mut()) {
                (Some(s), Some(run)) if last == Some(s) && run.line == line => {
                    run.width += cw;
                    run.text.push(c);
                }
                (Some(s), _) => runs.push(SegmentRun {
                    line,
                    x,
                    width: cw,
                    segment: s,
                    text: c.to_string(),
                }),
                (None, _) => {}
            }
            last = segment;
            x += cw;
        }
    }
    (lines.iter().map(|cells| to_line(cells)).collect(), runs)
}

fn wrap_cells(
    segments: &[(&str, Style)],
    width: usize,
    indent: usize,
    keep_spaces: bool,
) -> Vec<Cells> {
    let width = width.max(1);
    let mut w = Wrapper {
        width,
        indent: indent.min(width / 2),
        lines: Vec::new(),
        line: Vec::new(),
        line_width: 0,
        word: Vec::new(),
        pending_spaces: Vec::new(),
        run: Vec::new(),
    };
    for (segment, &(text, style)) in segments.iter().enumerate() {
        let tag = Some(segment);
        for c in text.chars() {
            // A no-break space is a character of its word here too.
            if keep_spaces && c != '\n' && (c == NO_BREAK_SPACE || !c.is_whitespace()) {
                w.end_run();
            }
            match c {
                '\n' => w.hard_break(),
                // Shown as a space, but the words either side stay on one line.
                NO_BREAK_SPACE => w.word.push((' ', style, tag)),
                // Emoji joined into one (`👨‍👩‍👧`) are shown each as itself: a terminal
                // draws them so, wider than the one emoji ratatui counts (see
                // `safe_text::ZERO_WIDTH_JOINER`).
                crate::safe_text::ZERO_WIDTH_JOINER => {}
                // Kept as written; a tab (no width of its own) as a space.
                c if c.is_whitespace() && keep_spaces => {
                    let shown = if c.width().unwrap_or(0) > 0 { c } else { ' ' };
                    w.run.push((shown, style, tag));
                }
                c if c.is_whitespace() => {
                    w.flush_word();
                    if w.line_width > 0 {
                        w.pending_spaces.clear();
                        w.pending_spaces.push((' ', style, tag));
                    }
                }
                // Shown, not obeyed nor hidden: `^[` where a title holds an ESC.
                c if crate::safe_text::is_unsafe(c) => {
                    let shown = crate::safe_text::notation(c).unwrap_or_default();
                    w.word.extend(shown.chars().map(|c| (c, style, tag)));
                }
                c => w.word.push((c, style, tag)),
            }
        }
    }
    w.run.clear();
    w.flush_word();
    if !w.line.is_empty() {
        w.lines.push(w.line);
    }
    w.lines
}

/// The most characters of one text (an abstract, a section) the detail pane lays out: it
/// wraps its text at every frame, and a user test's 6 MB one-line abstract froze the
/// browser for a second at each key. A long review's abstract is a few thousand
/// characters; a whole paper's text tens of thousands.
pub const DETAIL_TEXT_CHARS: usize = 50_000;

/// The first `max_chars` characters of `text` or fewer, ending at a word's end when one is
/// near, and how many characters are left after them (0 when `text` is whole).
pub fn laid_out_part(text: &str, max_chars: usize) -> (&str, usize) {
    let Some((cut, _)) = text.char_indices().nth(max_chars) else {
        return (text, 0);
    };
    // Back to the last space within a line's length, so no word is cut in two.
    let kept = match text[..cut].rfind(char::is_whitespace) {
        Some(space) if cut - space < 200 => &text[..space],
        _ => &text[..cut],
    };
    let kept = kept.trim_end();
    (kept, text[kept.len()..].trim_start().chars().count())
}

/// `text` in at most `width` columns: whole when it fits, else its start and its end with an
/// ellipsis between them: both ends of a URL tell most, its site and its id
/// (`https://pmc.ncbi.nlm…rticles/PMC13039540/`). Empty when `width` is 0.
pub fn cut_middle(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let room = width - 1;
    let take = |chars: &mut dyn Iterator<Item = char>, room: usize| {
        let mut used = 0;
        let mut taken = Vec::new();
        for c in chars {
            let w = c.width().unwrap_or(0);
            if used + w > room {
                break;
            }
            used += w;
            taken.push(c);
        }
        (taken, used)
    };
    let (head, used) = take(&mut text.chars(), room.div_ceil(2));
    let (mut tail, _) = take(&mut text.chars().rev(), room - used);
    tail.reverse();
    let mut out: String = head.into_iter().collect();
    out.push('…');
    out.extend(tail);
    out
}

/// Wrapped `lines` cut to `rows`, the last ending in an ellipsis (one `style`) when more
/// followed.
pub fn cut_to_rows(lines: &mut Vec<Line<'static>>, rows: usize, width: usize, style: Style) {
    if lines.len() <= rows {
        return;
    }
    lines.truncate(rows);
    if let Some(last) = lines.last_mut() {
        let row: String = last.spans.iter().map(|s| s.content.as_ref()).collect();
        *last = Line::styled(cut_words(&format!("{row} …"), width), style);
    }
}

/// `text` in at most `width` columns: whole when it fits, else cut after the last whole word
/// that leaves room for an ellipsis (a first word too long for the room is cut mid-word, but
/// the ellipsis still says so). Empty when `width` is 0.
pub fn cut_words(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let room = width - 1;
    let mut used = 0;
    let mut cut_at = 0;
    let mut last_word_end = None;
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        if c == ' ' && i > 0 && !text[..i].ends_with(' ') {
            last_word_end = Some(i);
        }
        used += w;
        cut_at = i + c.len_utf8();
    }
    // A word that just fits ends at the cut when a space follows it.
    if text[cut_at..].starts_with(' ') && !text[..cut_at].ends_with(' ') {
        last_word_end = Some(cut_at);
    }
    let end = last_word_end.unwrap_or(cut_at);
    let kept = text[..end].trim_end_matches([' ', ',', ';', ':', '·', '(']);
    let kept = if kept.is_empty() {
        &text[..cut_at]
    } else {
        kept
    };
    format!("{kept}…")
}

/// Character ranges of `paper`'s abstract (`abstract_text`) that mention one of its entities, sorted and not
/// overlapping. Offsets from the source are used where the text there is one of the
/// entity's names; otherwise the names and aliases are looked for as whole words.
pub fn abstract_mentions(paper: &Paper, abstract_text: &str) -> Vec<(usize, usize)> {
    // PubTator convention: the abstract starts one character after the title.
    mentions(paper, abstract_text, paper.title.chars().count() + 1)
}

/// Like [`abstract_mentions`], for the title or its start, `title` (offsets start at 0).
pub fn title_mentions(paper: &Paper, title: &str) -> Vec<(usize, usize)> {
    mentions(paper, title, 0)
}

/// Mentions of `paper`'s entities in `text`, which starts at character `text_start` of the
/// annotated text the spans count in.
fn mentions(paper: &Paper, text: &str, text_start: usize) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    // Names are looked for in the text folded as search folds it (an entity named
    // `TNF-alpha` in an abstract that writes `TNF-α`), and shown on the characters written.
    let (folded, from) = crate::fold::fold_mapped(text, true);
    // A space and a hyphen or dash between letters alike, as a summary counts mentions.
    let folded = crate::fold::hyphens_as_spaces(&folded);
    // Character of `folded` at each byte offset where one starts (and at its end).
    let mut char_at = vec![0; folded.len() + 1];
    for (n, (b, _)) in folded.char_indices().enumerate() {
        char_at[b] = n;
    }
    char_at[folded.len()] = from.len();
    let abstract_start = text_start;
    let group_names: Vec<String> = paper.group_names.iter().map(|n| fold_name(n)).collect();
    // Each span within this text: its entity, its characters, and whether the text there
    // is a name of its entity or one of the paper's group names.
    let mut placed: Vec<(usize, usize, usize, bool)> = Vec::new();
    for (i, entity) in paper.entities.iter().enumerate() {
        let names_folded: Vec<String> = entity
            .names_written()
            .map(fold_name)
            .filter(|n| !n.is_empty())
            .collect();
        for span in &entity.spans {
            let (start, end) = (span.start as usize, span.end as usize);
            if start < abstract_start || end <= start || end - abstract_start > chars.len() {
                continue;
            }
            let (s, e) = (start - abstract_start, end - abstract_start);
            let at = fold_name(&chars[s..e].iter().collect::<String>());
            let named = names_folded.contains(&at) || group_names.contains(&at);
            placed.push((i, s, e, named));
        }
    }
    // Where most spans hold a name, the text is the one they were placed in (a merged
    // paper's text can be another record's, where the offsets point elsewhere), and the
    // others are mentions that name no one entity: `breast and ovarian cancer`, annotated
    // with both diseases, was not highlighted (ut24a).
    // Counted by place, a place held by a name of any entity annotated there.
    let mut places: Vec<(usize, usize, bool)> =
        placed.iter().map(|&(_, s, e, n)| (s, e, n)).collect();
    places.sort_unstable();
    places.dedup_by(|later, kept| {
        let same = (later.0, later.1) == (kept.0, kept.1);
        if same {
            kept.2 |= later.2;
        }
        same
    });
    let named = places.iter().filter(|p| p.2).count();
    let text_of_spans = named * 2 >= places.len();
    let mut ranges = Vec::new();
    let mut found_by_span = vec![false; paper.entities.len()];
    for &(i, s, e, named) in &placed {
        if named || text_of_spans {
            ranges.push((s, e));
            found_by_span[i] = true;
        }
    }
    let mut names = Vec::new();
    for (entity, found_by_span) in paper.entities.iter().zip(found_by_span) {
        if found_by_span {
            continue;
        }
        // One- or two-letter names would light up half the abstract.
        names.extend(
            entity
                .names_written()
                .map(crate::fold::fold_lower)
                .filter(|name| name.chars().count() >= 3),
        );
    }
    // The names of the entities no span placed, looked for at once.
    for (_, s, e) in crate::fold::names_ranges(&folded, &names) {
        ranges.push((from[char_at[s]], from[char_at[e] - 1] + 1));
    }
    // An abbreviation the text gives a mention, `Epstein–Barr virus (EBV)`, is that entity
    // wherever the text uses it: the seed's "EBV" stood plain beside its highlighted name.
    let abbreviations: Vec<String> = ranges
        .iter()
        .filter_map(|&(_, end)| abbreviation_after(&chars[end.min(chars.len())..]))
        .map(|abbreviation| crate::fold::fold_lower(&abbreviation))
        .collect();
    for (_, s, e) in crate::fold::names_ranges(&folded, &abbreviations) {
        ranges.push((from[char_at[s]], from[char_at[e] - 1] + 1));
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// The abbreviation `after` opens with, as a text gives one just after a name: `(EBV)`,
/// after a space or not, three to ten letters and digits (a hyphen too) of which two are
/// capitals and the first a letter. `None` for anything else (`(n = 12)`, `(see below)`).
fn abbreviation_after(after: &[char]) -> Option<String> {
    let rest = match after {
        [' ', '(', rest @ ..] | ['(', rest @ ..] => rest,
        _ => return None,
    };
    let end = rest.iter().take(11).position(|&c| c == ')')?;
    let abbreviation = &rest[..end];
    let capitals = abbreviation.iter().filter(|c| c.is_uppercase()).count();
    let shaped = (3..=10).contains(&abbreviation.len())
        && abbreviation[0].is_alphabetic()
        && capitals >= 2
        && abbreviation
            .iter()
            .all(|&c| c.is_alphanumeric() || c == '-');
    shaped.then(|| abbreviation.iter().collect())
}

/// Splits `text` into segments styled `mention` inside `ranges` (character ranges) and
/// `plain` outside.
pub fn highlight_ranges<'a>(
    text: &'a str,
    ranges: &[(usize, usize)],
    plain: Style,
    mention: Style,
) -> Vec<(&'a str, Style)> {
    let byte_at: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let byte = |char_pos: usize| byte_at[char_pos.min(byte_at.len() - 1)];
    let mut segments = Vec::new();
    let mut pos = 0;
    for &(s, e) in ranges {
        if s > pos {
            segments.push((&text[byte(pos)..byte(s)], plain));
        }
        segments.push((&text[byte(s)..byte(e)], mention));
        pos = e;
    }
    if byte(pos) < text.len() {
        segments.push((&text[byte(pos)..], plain));
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityKey, EntityKind, PaperEntity};

    fn plain_lines(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn cut_middle_keeps_both_ends_of_what_does_not_fit() {
        use unicode_width::UnicodeWidthStr;
        let pmc = "https://pmc.ncbi.nlm.nih.gov/articles/PMC13039540/";
        assert_eq!(cut_middle(pmc, 60), pmc);
        assert_eq!(
            cut_middle(pmc, 41),
            "https://pmc.ncbi.nlm…rticles/PMC13039540/"
        );
        assert_eq!(cut_middle(pmc, 41).width(), 41);
        assert_eq!(
            cut_middle("世界世界世界", 6),
            "世…界",
            "no wide character split"
        );
        assert_eq!(cut_middle("abc", 1), "…");
        assert_eq!(cut_middle("abc", 0), "");
    }

    /// A long hyphenated word breaks after a hyphen that fits, not inside a word: a user
    /// test read `…formamide-in` / `duced`. A short one goes to the next line whole, and a
    /// word with no hyphen is cut as before.
    #[test]
    fn a_long_hyphenated_word_breaks_after_a_hyphen() {
        let s = Style::new();
        let name = "N-[4-(5-nitro-2-furyl)-2-thiazolyl]-formamide-induced";
        let lines = wrap(
            &[(&format!("Urinary bladder {name} carcinogenesis"), s)],
            40,
            0,
        );
        assert_eq!(
            plain_lines(&lines),
            [
                "Urinary bladder N-[4-(5-nitro-2-furyl)-",
                "2-thiazolyl]-formamide-induced",
                "carcinogenesis"
            ]
        );
        // Alone and longer than the line, it is cut after its last hyphen that fits.
        let lines = wrap(&[(name, s)], 30, 2);
        assert_eq!(
            plain_lines(&lines),
            [
                "N-[4-(5-nitro-2-furyl)-2-",
                "  thiazolyl]-formamide-induced"
            ]
        );
        // Short compounds move whole; hyphens at a word's ends or doubled break nothing.
        let lines = wrap(&[("cells expressing PD-L1 and TNF-alpha", s)], 24, 0);
        assert_eq!(
            plain_lines(&lines),
            ["cells expressing PD-L1", "and TNF-alpha"]
        );
        let lines = wrap(&[("abc --defghijklmnopqrstuvwxyz", s)], 10, 0);
        assert_eq!(
            plain_lines(&lines),
            ["abc", "--defghijk", "lmnopqrstu", "vwxyz"]
        );
        // One character before a hyphen, or two after it, is no place to break (ut22b read
        // `rat 6-` / `hydroxydopamine`).
        let lines = wrap(
            &[("in the rat 6-hydroxydopamine-lesioned-striatum", s)],
            24,
            0,
        );
        assert_eq!(
            plain_lines(&lines),
            ["in the rat", "6-hydroxydopamine-", "lesioned-striatum"]
        );
    }

    #[test]
    fn wrap_with_runs_says_where_each_segment_went_on_every_line() {
        let s = Style::new();
        let (lines, runs) =
            wrap_with_runs(&[("Full text: ", s), ("https://x.org/a/full.md", s)], 16, 2);
        assert_eq!(
            plain_lines(&lines),
            ["Full text:", "  https://x.org/", "  a/full.md"]
        );
        let at = |line, x, segment, text: &str| SegmentRun {
            line,
            x,
            width: text.chars().count(),
            segment,
            text: text.into(),
        };
        assert_eq!(
            runs,
            [
                at(0, 0, 0, "Full text:"),
                at(1, 2, 1, "https://x.org/"),
                at(2, 2, 1, "a/full.md"),
            ]
        );
        // A space between two words of a segment is in its run; a wide character counts two.
        let (_, runs) = wrap_with_runs(&[("PMID 1", s), (" · ", s), ("世界", s)], 40, 0);
        assert_eq!(runs[0].text, "PMID 1");
        assert_eq!((runs[2].x, runs[2].width, runs[2].segment), (9, 4, 2));
    }

    /// Text quoting a file (a problem message) keeps its runs of spaces, and still wraps:
    /// a line breaks at spaces, which are not carried to the next line.
    #[test]
    fn wrap_keeping_spaces_keeps_runs_of_spaces_and_breaks_lines_at_them() {
        let s = Style::new();
        let cases: [(&str, usize, &[&str]); 8] = [
            ("id for \"TATA  box\"", 40, &["id for \"TATA  box\""]),
            ("a   b\nc  d  \n  e", 40, &["a   b", "c  d", "  e"]),
            // Never broken at a run: it moves to the next line whole with its words.
            ("id for \"TATA  box\"", 14, &["id for", "\"TATA  box\""]),
            ("one two", 5, &["one", "two"]),
            ("one  two", 5, &["one  ", "two"]),
            ("x\ty", 9, &["x y"]),
            ("a  \u{a0}b c", 40, &["a   b c"]),
            (
                "wide\u{3000}\u{3000}space",
                40,
                &["wide\u{3000}\u{3000}space"],
            ),
        ];
        for (text, width, want) in cases {
            let got = plain_lines(&wrap_keeping_spaces(&[(text, s)], width, 0));
            assert_eq!(got, want, "{text:?} at {width}");
        }
        // Where spaces collapse, as ever.
        let got = plain_lines(&wrap(&[("id for \"TATA  box\"", s)], 40, 0));
        assert_eq!(got, ["id for \"TATA box\""]);
    }

    #[test]
    fn wrap_breaks_at_words_cuts_long_words_and_keeps_newlines() {
        let s = Style::new();
        let cases: [(&str, usize, usize, &[&str]); 5] = [
            ("one two three", 7, 0, &["one two", "three"]),
            ("one  two\nthree", 20, 0, &["one two", "three"]),
            ("abcdefghij", 4, 0, &["abcd", "efgh", "ij"]),
            (
                "• first point wraps",
                10,
                2,
                &["• first", "  point", "  wraps"],
            ),
            ("", 10, 0, &[]),
        ];
        for (text, width, indent, expected) in cases {
            assert_eq!(
                plain_lines(&wrap(&[(text, s)], width, indent)),
                expected,
                "{text:?} at {width}"
            );
        }
    }

    /// A user test saw `with ATM (1), ATR (1),` / `CDC45 (1), DMC1 (1), E2FA` / `(1)`: a
    /// count wrapped away from its name.
    #[test]
    fn laid_out_part_ends_at_a_word_and_counts_the_rest() {
        assert_eq!(laid_out_part("short text", 100), ("short text", 0));
        assert_eq!(laid_out_part("one two three", 9), ("one two", 5));
        assert_eq!(laid_out_part("αβγδε", 3), ("αβγ", 2));
    }

    /// A path longer than a line breaks after a slash, not inside a name.
    #[test]
    fn a_long_path_breaks_between_its_folders() {
        let s = Style::new();
        let path = "/work/shared/corpora/gnormplus/GNormPlus_Train.PubTator:5062 (PubTator)";
        assert_eq!(
            plain_lines(&wrap(&[(path, s)], 48, 2)),
            [
                "/work/shared/corpora/gnormplus/",
                "  GNormPlus_Train.PubTator:5062 (PubTator)"
            ]
        );
        // A URL's `//` is no place to break.
        assert_eq!(
            plain_lines(&wrap(
                &[("see https://pubmed.ncbi.nlm.nih.gov/x", s)],
                12,
                0
            )),
            ["see", "https://pubm", "ed.ncbi.nlm.", "nih.gov/x"]
        );
    }

    #[test]
    fn wrap_never_breaks_at_a_no_break_space() {
        let s = Style::new();
        let text = "with CDC45\u{a0}(1), E2FA\u{a0}(1)";
        assert_eq!(
            plain_lines(&wrap(&[(text, s)], 20, 2)),
            ["with CDC45 (1),", "  E2FA (1)"]
        );
    }

    /// A title with `ESC ] 0 ;` retitled the terminal when printed by the command line; the
    /// panes dropped the ESC and showed the rest. Both now show it as `less` does.
    #[test]
    fn wrap_shows_control_characters_in_caret_notation() {
        let text = "a\u{1b}]0;T\u{7} b\tc\rd\u{9b}";
        assert_eq!(
            plain_lines(&wrap(&[(text, Style::new())], 40, 0)),
            ["a^[]0;T^G b c d<U+009B>"]
        );
    }

    #[test]
    fn wrap_counts_wide_characters_as_two_columns() {
        let lines = wrap(&[("漢字 漢字", Style::new())], 5, 0);
        assert_eq!(plain_lines(&lines), ["漢字", "漢字"]);
    }

    fn paper_with(entity: PaperEntity) -> Paper {
        Paper {
            title: "T".into(),
            entities: vec![entity],
            ..Paper::default()
        }
    }

    #[test]
    fn mentions_use_matching_spans_and_fall_back_to_names() {
        let mut e = PaperEntity {
            key: EntityKey("NCBIGene:7157".into()),
            kind: EntityKind::Gene,
            name: "TP53".into(),
            description: None,
            aliases: vec!["p53".into()].into(),
            mentions: 1,
            spans: vec![crate::model::Span { start: 6, end: 9 }].into(),
            named_by_group: false,
            name_weight: 1,
        };
        // Title "T" + separator: the abstract starts at 2, so 6..9 is "p53" at 4..7.
        let p = paper_with(e.clone());
        assert_eq!(abstract_mentions(&p, "the p53 and TP53"), [(4, 7)]);
        // A span whose text is not a name of the entity is ignored; names are searched.
        e.spans = vec![crate::model::Span { start: 2, end: 5 }].into();
        let p = paper_with(e);
        assert_eq!(
            abstract_mentions(&p, "the p53 and TP53; notTP53"),
            [(4, 7), (12, 16)]
        );
    }

    /// A mention of several entities (`breast and ovarian cancer`, annotated with both) or
    /// of a group (`Ca(v)1.x channel`) is no name of any: its span is taken when most spans
    /// hold a name, the sign that the text is the one they were placed in (ut24a saw them
    /// plain). Where most do not, the text is another record's and only names count.
    #[test]
    fn spans_naming_several_entities_are_taken_in_the_text_they_were_placed_in() {
        let entity = |key: &str, name: &str, spans: &[(u32, u32)]| PaperEntity {
            key: EntityKey(key.into()),
            kind: EntityKind::Disease,
            name: name.into(),
            description: None,
            aliases: Vec::new().into(),
            mentions: 1,
            spans: spans
                .iter()
                .map(|&(start, end)| crate::model::Span { start, end })
                .collect(),
            named_by_group: false,
            name_weight: 1,
        };
        // Title "T": the abstract starts at 2.
        let text = "risk of breast and ovarian cancer in BRCA2 and BRCA1 carriers";
        let both = (10, 35);
        let mut p = Paper {
            title: "T".into(),
            entities: vec![
                entity("MESH:D001943", "breast cancer", &[both]),
                entity("MESH:D010051", "ovarian cancer", &[both]),
                entity("NCBIGene:675", "BRCA2", &[(39, 44)]),
            ],
            ..Paper::default()
        };
        // Two places of three hold a name of an entity there: the list's span is taken.
        p.entities
            .push(entity("NCBIGene:672", "BRCA1", &[(49, 54)]));
        assert_eq!(abstract_mentions(&p, text), [(8, 33), (37, 42), (47, 52)]);
        // Most do not (BRCA1's span holds "carriers"): only names are looked for.
        p.entities[3].spans = vec![crate::model::Span { start: 55, end: 63 }].into();
        assert_eq!(abstract_mentions(&p, text), [(19, 33), (37, 42), (47, 52)]);
        // A group's mention is one of the paper's group names.
        let text = "the Ca(v)1.x channel";
        let p = Paper {
            title: "T".into(),
            entities: vec![
                entity("NCBIGene:775", "CACNA1C", &[(6, 22)]),
                entity("NCBIGene:776", "CACNA1D", &[(6, 22)]),
                entity("NCBIGene:778", "CACNA1F", &[(6, 22)]),
            ],
            group_names: vec!["Ca(v)1.x channel".into()].into(),
            ..Paper::default()
        };
        assert_eq!(abstract_mentions(&p, text), [(4, 20)]);
    }

    #[test]
    fn names_are_found_folded_and_shown_where_written() {
        let e = PaperEntity {
            key: EntityKey("NCBIGene:7124".into()),
            kind: EntityKind::Gene,
            name: "TNF-alpha".into(),
            description: None,
            aliases: vec!["Kruppel factor".into()].into(),
            mentions: 1,
            spans: Vec::new().into(),
            named_by_group: false,
            name_weight: 1,
        };
        let p = paper_with(e);
        // "TNF-α" is characters 4..9; "Krüppel factor" 14..28.
        assert_eq!(
            abstract_mentions(&p, "and TNF-α and Krüppel factor; TNF-αx"),
            [(4, 9), (14, 28)]
        );
    }

    /// Epstein-Barr virus as the seed's summary lists it.
    fn ebv() -> PaperEntity {
        PaperEntity {
            key: EntityKey("NCBITaxon:10376".into()),
            kind: EntityKind::Species,
            name: "human gammaherpesvirus 4".into(),
            description: Some("Epstein Barr virus".into()),
            aliases: Vec::new().into(),
            mentions: 1,
            spans: Vec::new().into(),
            named_by_group: false,
            name_weight: 1,
        }
    }

    /// A species' common name is one of its names, written with a space, a hyphen or a
    /// dash: the seed's "Epstein–Barr virus" was never underlined for `Epstein Barr virus`.
    #[test]
    fn common_names_are_found_across_dashes() {
        let e = ebv();
        let p = paper_with(e.clone());
        let text = "an Epstein–Barr virus (EBV) and Epstein-Barr virus; Epstein Barr virus";
        // (And the abbreviation it is given.)
        assert_eq!(
            abstract_mentions(&p, text),
            [(3, 21), (23, 26), (32, 50), (52, 70)]
        );
        // The description of another kind (a gene's full name) is no name written.
        let gene = PaperEntity {
            kind: EntityKind::Gene,
            ..e
        };
        assert_eq!(abstract_mentions(&paper_with(gene), text), []);
    }

    /// An abbreviation a text gives a name it highlights is highlighted wherever the text
    /// uses it; other words in brackets are not.
    #[test]
    fn an_abbreviation_given_a_mention_is_highlighted_where_used() {
        let e = ebv();
        let p = paper_with(e);
        // "Epstein–Barr virus" 0..18, "EBV" 20..23 and 38..41; not "EBVs" nor "(see below)".
        let text = "Epstein–Barr virus (EBV)-driven; then EBV, EBVs (see below)";
        assert_eq!(abstract_mentions(&p, text), [(0, 18), (20, 23), (38, 41)]);
        assert_eq!(
            abbreviation_after(&" (EBV)".chars().collect::<Vec<_>>()).as_deref(),
            Some("EBV")
        );
        assert_eq!(
            abbreviation_after(&"(PD-L1) x".chars().collect::<Vec<_>>()).as_deref(),
            Some("PD-L1")
        );
        for not_one in [" (n = 12)", " (see below)", " (Ab)", " (2021)", " (EB)"] {
            let chars: Vec<char> = not_one.chars().collect();
            assert_eq!(abbreviation_after(&chars), None, "{not_one}");
        }
    }

    #[test]
    fn highlight_ranges_splits_at_character_positions() {
        let (a, b) = (Style::new(), Style::new().bold());
        let segments = highlight_ranges("αβ TP53 x", &[(3, 7)], a, b);
        assert_eq!(segments, [("αβ ", a), ("TP53", b), (" x", a)]);
    }
}
