//! Input formats: detection by content and one parser per format.
//!
//! Each parser turns one file's text into papers plus problems (`file:line: message`); a bad
//! record is reported and skipped, never fatal. Ids are normalised to CURIEs in [`ids`].

mod annotated;
pub mod bioc;
mod escapes;
pub mod ids;
pub mod pubtator;
pub mod shared;
pub mod summary;

use crate::model::{Format, Paper, Problem};
use std::path::Path;

/// `text.trim()`, cheaper where both ends are ASCII, as nearly every field of these files
/// is: `str::trim` looks at each end as a Unicode char, which was 6% of parsing a large
/// PubTator file (four trims per annotation line).
pub fn trim(text: &str) -> &str {
    let trimmed = text.trim_ascii();
    let plain_end = |b: Option<&u8>| b.is_none_or(|&b| b.is_ascii() && b != 0x0B);
    let bytes = trimmed.as_bytes();
    if plain_end(bytes.first()) && plain_end(bytes.last()) {
        trimmed
    } else {
        // A Unicode space, or a vertical tab (whitespace to `str::trim`, not to
        // `trim_ascii`), at an end.
        trimmed.trim()
    }
}

/// What one file yielded.
#[derive(Debug, Default)]
pub struct Parsed {
    pub papers: Vec<Paper>,
    pub problems: Vec<Problem>,
}

/// Guesses a file's format from its first bytes (and, when the content says nothing, its
/// name). `None` means the file is not one tomes reads: XML that is not a BioC collection,
/// text that is neither PubTator nor a summary (a `# title`, or a summary's sections
/// without one).
pub fn detect(path: &Path, head: &[u8]) -> Option<Format> {
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('<') {
        let is_bioc = trimmed.contains("<collection") || trimmed.contains("DOCTYPE collection");
        if is_bioc {
            return Some(Format::BioC);
        }
        // Not BioC: XML or HTML, unless PubTator records follow a stray first line.
        return has_pubtator_lines(trimmed).then_some(Format::PubTator);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let markdown_name = matches!(ext.as_deref(), Some("md" | "markdown"));
    // A PubTator file whose first lines are something else (a stray line, a `# exported
    // from` comment) is still PubTator: read, with those lines as problems, rather than
    // skipped whole or taken for a summary. A summary never has `PMID|t|` lines.
    if !markdown_name && has_pubtator_lines(trimmed) {
        return Some(Format::PubTator);
    }
    // A `.md` summary missing its `# title` (starting at a `## section`) is still a summary,
    // read with a problem saying the title is missing rather than skipped in silence. A
    // heading alone is not enough: a README, a script's `# comment` or a `Cargo.lock` start
    // with one too, and a user test found each of them loaded as a paper.
    if starts_with_heading(path, trimmed) && looks_like_summary(trimmed) {
        return Some(Format::SummaryMarkdown);
    }
    if trimmed.lines().next().is_some_and(is_pubtator_text_line) {
        return Some(Format::PubTator);
    }
    if looks_like_untitled_summary(trimmed) {
        return Some(Format::SummaryMarkdown);
    }
    if !trimmed.is_empty() {
        return None;
    }
    // An empty file: its name says what it was meant to be.
    match ext.as_deref() {
        Some("xml") => Some(Format::BioC),
        Some("md" | "markdown") => Some(Format::SummaryMarkdown),
        Some("pubtator") => Some(Format::PubTator),
        _ => None,
    }
}

/// Whether a file's text starts with a Markdown heading: `# ` (a `.md` file's `#` too).
fn starts_with_heading(path: &Path, trimmed: &str) -> bool {
    let markdown_name = (path.extension().and_then(|e| e.to_str()))
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    trimmed.starts_with("# ") || (markdown_name && trimmed.starts_with('#'))
}

/// How many bytes of a file's start are read to tell its format before reading the rest.
pub const HEAD_BYTES: usize = 4096;

/// What a file that [`detect`] took for no format lacks to be a paper summary, when it
/// starts with a heading as a summary does: the signs tomes looked for under it, so that
/// whoever wrote the file can add one. `None` for other files (a script's `# comment` is
/// told the same, but a file without a heading is no summary gone wrong).
pub fn summary_signs_lacking(path: &Path, head: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if !starts_with_heading(path, trimmed) || detect(path, head).is_some() {
        return None;
    }
    // The heading runs past what is read to tell the format: what follows it was never
    // looked at (ut24b's 5,000-character title was said to lack lines the file had).
    if head.len() >= HEAD_BYTES && !trimmed.contains('\n') {
        return Some(
            "its first line, a `# ` heading, runs past the first 4 kB, which is what tomes \
             reads to tell a file's format: a title that long is taken for no summary's",
        );
    }
    Some(
        "it starts with a `# ` heading, but has none of a summary's other lines: \
         `**Authors:** …`, an id line (`PMID: 123`, `DOI: 10.1/x`), `## Abstract`, or a \
         summary section such as `## TL;DR` or `## Key findings` (outside ``` blocks)",
    )
}

/// Lines of a file's start looked at for a PubTator annotation line.
const PUBTATOR_LINES_LOOKED_AT: usize = 8;

/// Whether `head` holds a PubTator title or abstract line, or one of its first
/// [`PUBTATOR_LINES_LOOKED_AT`] lines that are not blank is an annotation line. A file cut
/// out of a larger one starts inside a record: a user test found such a file of 61,000
/// records skipped whole when its cut record's annotations filled the lines looked at.
fn has_pubtator_lines(head: &str) -> bool {
    head.lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .any(|(i, line)| {
            is_pubtator_text_line(line)
                || (i < PUBTATOR_LINES_LOOKED_AT && is_pubtator_annotation_line(line))
        })
}

/// `PMID<tab>start<tab>end<tab>mention<tab>Type[<tab>id]`, with offsets that are numbers
/// and a type tomes knows (a table of numbers is not taken for one).
fn is_pubtator_annotation_line(line: &str) -> bool {
    let mut fields = line.trim_end_matches('\r').split('\t');
    let (Some(id), Some(start), Some(end), Some(_mention), Some(kind)) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return false;
    };
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    !id.is_empty()
        && !id.contains(char::is_whitespace)
        && number(start)
        && number(end)
        && ids::is_type_name(kind)
}

/// `PMID|t|title` or `PMID|a|abstract`.
fn is_pubtator_text_line(line: &str) -> bool {
    line.split_once('|').is_some_and(|(id, rest)| {
        !id.is_empty()
            && !id.contains(char::is_whitespace)
            && (rest.starts_with("t|") || rest.starts_with("a|"))
    })
}

/// A summary that lost its `# title` line (whatever the file's name: summaries are often
/// `.txt`): an `**Authors:**` line, or a heading only summaries write (`## TL;DR`,
/// `## Key findings`, ...; not `## Abstract` or `## Summary`, which notes have too). Read
/// as a summary, it is loaded with a problem saying the title is missing, rather than
/// skipped as no format at all.
fn looks_like_untitled_summary(head: &str) -> bool {
    unfenced_lines(head).any(|line| {
        summary::after_bold_authors(line).is_some()
            || summary::section_heading(line).is_some_and(summary::is_summary_heading)
    })
}

/// Whether a file starting with a heading reads as a paper summary: besides what an
/// untitled one shows ([`looks_like_untitled_summary`]), a plain `Authors:` line under the
/// title (without a title, `Authors: me` starts a README as well), a line naming the paper's ids (`PMC · DOI: 10.1038/x · Journal · 2026`, `PMID:
/// 123`; not a README quoting one in backticks) or an `## Abstract` section (`###` too).
fn looks_like_summary(head: &str) -> bool {
    let mut written = unfenced_lines(head).filter(|line| !line.trim().is_empty());
    let under_title = written.nth(1);
    looks_like_untitled_summary(head)
        || under_title.is_some_and(|line| summary::after_authors(line.trim()).is_some())
        || unfenced_lines(head).any(|line| {
            let line = line.trim();
            summary::section_heading(line)
                .is_some_and(|h| h.trim().eq_ignore_ascii_case("abstract"))
                || (!line.contains('`') && line.split(" · ").any(names_an_id))
        })
}

/// The lines of `head` outside fenced code blocks (```` ``` ```` or `~~~`): a README showing
/// a summary's `**Authors:**` line in an example is no summary.
fn unfenced_lines(head: &str) -> impl Iterator<Item = &str> {
    let mut fences = Fences::default();
    head.lines().filter(move |line| !fences.fenced(line))
}

/// Fenced code blocks, line by line: a block opens at a line starting with ```` ``` ```` or
/// `~~~` (indented or not, with an info string or not) and closes at a line of only the same
/// char, at least as many of them.
#[derive(Default)]
pub(crate) struct Fences {
    /// The open block's char and how many of it opened it.
    open: Option<(u8, usize)>,
}

impl Fences {
    /// Whether `line`, the next line, is fenced: a line opening or closing a block, or one
    /// inside it.
    pub(crate) fn fenced(&mut self, line: &str) -> bool {
        let trimmed = line.trim();
        let run = |c: u8| trimmed.bytes().take_while(|&b| b == c).count();
        match self.open {
            Some((c, len)) => {
                if run(c) >= len && run(c) == trimmed.len() {
                    self.open = None;
                }
                true
            }
            None => {
                self.open = [b'`', b'~']
                    .into_iter()
                    .map(|c| (c, run(c)))
                    .find(|&(_, len)| len >= 3);
                self.open.is_some()
            }
        }
    }

    /// Whether a block is open (after the last line, one that is never closed).
    pub(crate) fn is_open(&self) -> bool {
        self.open.is_some()
    }
}

/// A part of a summary's id line that names an id or the database it came from.
pub(crate) fn names_an_id(part: &str) -> bool {
    let part = part.trim();
    crate::model::labelled_paper_id(part).is_some() || part == "PMC" || part == "PubMed"
}

/// Parses one file's text. `path` is how the file is named in problems, sources and
/// `file:` keys (relative to the library root where there is one).
pub fn parse(format: Format, text: &str, path: &Path) -> Parsed {
    match format {
        Format::SummaryMarkdown => summary::parse(text, path),
        Format::PubTator => pubtator::parse(text, path),
        Format::BioC => bioc::parse(text, path),
    }
}

/// `name` without the punctuation an annotation span or a written list caught with it: a
/// list's `,` `;` `:` at either end (`AKT,` in `p-ERK1/2, p-AKT, c-Myc`), a bracket at an
/// end that pairs with none in the name (`c-Myc)`, `F480(`), a `"` at an end when the name
/// has an odd number of them, and a sentence's full stop after a symbol (`AKT.`, `CD70.`:
/// a last word with a digit or two capitals). A full stop after a word stays: in the
/// corpora every mention ending in one ends an abbreviation (`sp. nov.`, `Parus major L.`,
/// `Tuber melanosporum Vittad.`). What a name may end with stays too: `IL-1`, `Ca2+`,
/// `O2-`, `5'-nucleotidase`, `(+)-catechin`, `[3H]-naloxone`, `Bcl-X(L)`, `NF-κB`.
/// A part of `name` (nothing is copied); `name` trimmed when cleaning would leave nothing.
pub fn clean_name(name: &str) -> &str {
    // Nearly every name starts and ends with a letter or digit: nothing to clean.
    let bytes = name.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
    {
        return name;
    }
    let name = trim(name);
    let mut s = name;
    loop {
        let before = s.len();
        s = s.trim_matches([',', ';', ':']).trim();
        if let Some(sentence) = s.strip_suffix('.')
            && ends_with_symbol(sentence)
        {
            s = sentence.trim_end();
        }
        // One stray char at a time, the last first: of `"a" b"`, only the last `"` is.
        match (
            stray_ends(s),
            s.chars().next(),
            s.char_indices().next_back(),
        ) {
            ((_, true), _, Some((at, _))) => s = s[..at].trim_end(),
            ((true, false), Some(first), _) => s = s[first.len_utf8()..].trim_start(),
            _ => {}
        }
        if s.len() == before {
            break;
        }
    }
    if s.is_empty() { name } else { s }
}

/// Whether the last word of `s` is a symbol (`AKT`, `CD70`, `c.1182C>T`, `NF-κB`): it
/// holds a digit or two capitals, where an abbreviation (`sp`, `L`, `Vittad`) holds neither.
fn ends_with_symbol(s: &str) -> bool {
    let word = s.rsplit(char::is_whitespace).next().unwrap_or("");
    word.chars().any(|c| c.is_ascii_digit())
        || word.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// Whether the first and the last char of `s` are stray: a bracket that pairs with none
/// in `s`, or a `"` of an odd number of them.
fn stray_ends(s: &str) -> (bool, bool) {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().next_back()) else {
        return (false, false);
    };
    // Nearly every name: neither end is a bracket or a quote, and nothing is scanned.
    let may_stray = |c: char| matches!(c, '(' | '[' | '{' | ')' | ']' | '}' | '"');
    if !may_stray(first) && !may_stray(last) {
        return (false, false);
    }
    let last_at = s.len() - last.len_utf8();
    let odd_quotes = s.bytes().filter(|&b| b == b'"').count() % 2 == 1;
    let strays = stray_brackets(s);
    let stray = |at: usize, c: char| (c == '"' && odd_quotes) || strays.contains(&at);
    (stray(0, first), stray(last_at, last))
}

/// Byte positions of the brackets (`()[]{}`) of `s` that pair with none: a closer with no
/// opener of its kind before it, and an opener never closed (one left open inside a pair
/// that closes, `(a [b)`, is such an opener).
pub(crate) fn stray_brackets(s: &str) -> Vec<usize> {
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut stray: Vec<usize> = Vec::new();
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' | '{' => open.push((c, i)),
            ')' | ']' | '}' => {
                let opener = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                match open.iter().rposition(|&(o, _)| o == opener) {
                    // Openers above the one it closes were never closed.
                    Some(at) => stray.extend(open.drain(at..).skip(1).map(|(_, pos)| pos)),
                    None => stray.push(i),
                }
            }
            _ => {}
        }
    }
    stray.extend(open.iter().map(|&(_, pos)| pos));
    stray
}

#[cfg(test)]
mod tests {
    #[test]
    fn trim_is_str_trim() {
        for text in [
            "",
            " ",
            "\t\r\n",
            "a",
            " a ",
            "\u{a0}a\u{a0}",
            " \u{3000}CD27 \t",
            "\u{b}x\u{b}",
            "x\u{b}",
            "é ",
            " é",
            "\u{a0}",
            "a\u{2009}b",
            " \u{85}",
        ] {
            assert_eq!(super::trim(text), text.trim(), "{text:?}");
        }
    }

    use super::*;

    /// Mentions of the corpora (and a summary's list) with the punctuation their span or
    /// list caught, and names that end in what only looks like it.
    #[test]
    fn names_lose_the_punctuation_around_them_and_keep_their_own() {
        for (written, name) in [
            ("AKT,", "AKT"),
            ("TGF-beta,", "TGF-beta"),
            ("c.1182C>T,", "c.1182C>T"),
            ("colorectal cancer,", "colorectal cancer"),
            (
                "ETS-family transcription factor,",
                "ETS-family transcription factor",
            ),
            (" survivin; ", "survivin"),
            (": a-Sma", "a-Sma"),
            ("c-Myc)", "c-Myc"),
            ("pStat5)", "pStat5"),
            ("(ROR)-C)", "(ROR)-C"),
            ("F480(", "F480"),
            ("(insulin", "insulin"),
            ("AKT.", "AKT"),
            ("CD70.", "CD70"),
            ("NF-κB.", "NF-κB"),
            ("c-Myc),", "c-Myc"),
            ("\"TATA box", "TATA box"),
            ("\"a\" b\"", "\"a\" b"),
            // Theirs to end with.
            ("IL-1", "IL-1"),
            ("Ca2+", "Ca2+"),
            ("O2-", "O2-"),
            ("5'-nucleotidase", "5'-nucleotidase"),
            ("(+)-catechin", "(+)-catechin"),
            ("NF-κB", "NF-κB"),
            ("Bcl-X(L)", "Bcl-X(L)"),
            ("[3H]-naloxone", "[3H]-naloxone"),
            ("CDK2 [p33]", "CDK2 [p33]"),
            ("p.R469[R,X]", "p.R469[R,X]"),
            (".OH", ".OH"),
            ("-930A>G", "-930A>G"),
            ("'BH3-only' protein", "'BH3-only' protein"),
            ("\"TATA\" box", "\"TATA\" box"),
            (
                "Streptococcus ursoris sp. nov.",
                "Streptococcus ursoris sp. nov.",
            ),
            ("Parus major L.", "Parus major L."),
            ("Tuber melanosporum Vittad.", "Tuber melanosporum Vittad."),
            // Stray brackets inside are not at an end.
            (
                "extracellular signal-regulated kinase) 1/2",
                "extracellular signal-regulated kinase) 1/2",
            ),
            ("Sca-1+ (group 3", "Sca-1+ (group 3"),
            // Nothing left: the name as written.
            (" , ", ","),
            (")", ")"),
        ] {
            assert_eq!(clean_name(written), name, "{written:?}");
        }
    }

    #[test]
    fn detection_by_content() {
        let table: &[(&str, &[u8], Option<Format>)] = &[
            (
                "a.txt",
                b"<?xml version='1.0'?><!DOCTYPE collection SYSTEM \"BioC.dtd\"><collection>",
                Some(Format::BioC),
            ),
            (
                "a.XML",
                b"\xef\xbb\xbf<collection><source>",
                Some(Format::BioC),
            ),
            ("a.xml", b"<?xml version='1.0'?><article><front>", None),
            (
                "a.txt",
                b"# A title\n\n**Authors:** x",
                Some(Format::SummaryMarkdown),
            ),
            (
                "a.PubTator",
                b"14510914|t|Congenital hypothyroidism\r\n",
                Some(Format::PubTator),
            ),
            ("a.txt", b"\n\n8528200|a|The size\n", Some(Format::PubTator)),
            ("README.txt", b"Public biomedical corpora|t| with", None),
            ("notes.md", b"just text", None),
            ("notes.md", b"## Abstract\n", Some(Format::SummaryMarkdown)),
            ("notes.txt", b"## Abstract\n", None),
            // Summaries without their `# title` line.
            (
                "notitle.md",
                b"**Authors:** A. Author\n\n## TL;DR\n",
                Some(Format::SummaryMarkdown),
            ),
            (
                "notitle.txt",
                b"\n\nSome notes.\n\n## Key findings\n- one\n",
                Some(Format::SummaryMarkdown),
            ),
            (
                "notitle.txt",
                b"PMC \xc2\xb7 2024\n\n## Linked entities\r\n",
                Some(Format::SummaryMarkdown),
            ),
            ("README.txt", b"Notes\n\n## Summary\nAll fine.\n", None),
            ("README.txt", b"Authors: me\n## TL;DR: no\n", None),
            // Authors with the colon outside the bold, or plain under the title; sections a
            // level down. Not a summary's line shown in a fenced block.
            (
                "a.txt",
                b"# A title\n\n**Authors**: A B\n",
                Some(Format::SummaryMarkdown),
            ),
            (
                "a.txt",
                b"**Authors**: A B\n\nText.\n",
                Some(Format::SummaryMarkdown),
            ),
            (
                "a.txt",
                b"# A title\n\nAuthors: A B\n",
                Some(Format::SummaryMarkdown),
            ),
            ("a.txt", b"# A title\n\nText.\n\nAuthors: A B\n", None),
            (
                "a.txt",
                b"# A title\n\n### Abstract\nText.\n",
                Some(Format::SummaryMarkdown),
            ),
            (
                "a.txt",
                b"Notes\n\n### Key findings\n- one\n",
                Some(Format::SummaryMarkdown),
            ),
            (
                "README.md",
                b"# Tool\n\nA summary looks so:\n\n```\n**Authors:** A B\n```\n",
                None,
            ),
            (
                "README.txt",
                b"Example:\n~~~markdown\n**Authors:** A B\n## TL;DR\n~~~\n",
                None,
            ),
            // A block closes at a line of its fence alone, as long as the opening one.
            (
                "README.md",
                b"# Tool\n\n````\n```markdown\n**Authors:** A B\n```\n````\n",
                None,
            ),
            // A stray first line or a comment before the records: still PubTator (the
            // parser reports the lines it cannot read).
            (
                "Dev.PubTator",
                b"this is a stray first line\n1|t|Title\n1|a|Text\n",
                Some(Format::PubTator),
            ),
            (
                "Dev.PubTator",
                b"# exported from PubTator\n\n1|t|Title\n1|a|Text\n",
                Some(Format::PubTator),
            ),
            (
                "Dev.PubTator",
                b"<html>\n1|t|Title\n1|a|Text\n",
                Some(Format::PubTator),
            ),
            // A `.md` file is never read as PubTator; with no sign of a summary, it is not one.
            (
                "summary.md",
                b"# exported from PubTator\n\n1|t|Title\n",
                None,
            ),
            // A heading first is not enough (a user test found each of these loaded as a
            // paper); one with a summary's id line, authors or abstract is a summary.
            (
                "README.md",
                b"# My notes\n\nSome random markdown readme.\n",
                None,
            ),
            (
                "README.md",
                b"# tomes\n\nReads a `PMC \xc2\xb7 DOI: \xe2\x80\xa6` line.\n",
                None,
            ),
            (
                "analysis.py",
                b"# analysis of counts\nimport sys\n# load\n",
                None,
            ),
            ("plot.R", b"# R script\nlibrary(ggplot2)\n", None),
            (
                "Cargo.lock",
                b"# This file is automatically @generated by Cargo.\nversion = 4\n",
                None,
            ),
            (
                "a.txt",
                b"# A title\n\nPMC \xc2\xb7 DOI: 10.1/x \xc2\xb7 A Journal \xc2\xb7 2024\n",
                Some(Format::SummaryMarkdown),
            ),
            (
                "a.txt",
                b"# A title\n\npmid: 123\n",
                Some(Format::SummaryMarkdown),
            ),
            (
                "a.txt",
                b"# A title\n\n## Abstract\nText.\n",
                Some(Format::SummaryMarkdown),
            ),
            (
                "a.md",
                b"# A title\n\n## TL;DR\nText.\n",
                Some(Format::SummaryMarkdown),
            ),
            // A file cut out of a larger one: it starts inside a record, whose annotation
            // lines may fill the first lines looked at.
            (
                "part01",
                b"as been proposed to play a role\n\
                  9\t1\t5\tfoo\tChemical\tD1\n9\t1\t5\tfoo\tChemical\tD1\n\
                  9\t1\t5\tfoo\tChemical\tD1\n9\t1\t5\tfoo\tChemical\tD1\n\
                  9\t1\t5\tfoo\tChemical\tD1\n9\t1\t5\tfoo\tChemical\tD1\n\
                  9\t1\t5\tfoo\tChemical\tD1\n9\t1\t5\tfoo\tChemical\tD1\n\
                  9\t1\t5\tfoo\tChemical\tD1\n9\t1\t5\tfoo\tChemical\tD1\n",
                Some(Format::PubTator),
            ),
            (
                "part01",
                b"as been proposed\n9\t1\t5\tfoo\tChemical\tD1\n\n1|t|Title\n",
                Some(Format::PubTator),
            ),
            // Tab-separated numbers are not annotations.
            ("peaks.bed", b"chr1\t100\t200\tpeak1\t0.5\n", None),
            ("empty.pubtator", b"", Some(Format::PubTator)),
            ("empty.dat", b"  \n", None),
        ];
        for (name, head, want) in table {
            assert_eq!(detect(Path::new(name), head), *want, "{name}");
        }
    }

    /// A file skipped although it starts with a heading, as a summary does, is told what a
    /// summary has besides; other files, and files read, are not.
    #[test]
    fn a_heading_file_skipped_is_told_what_a_summary_has() {
        let table: &[(&str, &[u8], bool)] = &[
            (
                "README.md",
                b"# My notes\n\nSome random markdown readme.\n",
                true,
            ),
            ("notes.md", b"#Notes\n\ntext\n", true),
            ("notes.txt", b"#Notes\n\ntext\n", false),
            (
                "README.md",
                b"\xef\xbb\xbf\n# Tool\n\n```\n**Authors:** A B\n```\n",
                true,
            ),
            ("analysis.py", b"# analysis of counts\nimport sys\n", true),
            ("a.md", b"# A title\n\n**Authors:** A B\n", false),
            ("notes.txt", b"Just text.\n## Results\n", false),
            ("a.PubTator", b"1|t|Title\n", false),
        ];
        for (name, head, lacking) in table {
            let said = summary_signs_lacking(Path::new(name), head);
            assert_eq!(said.is_some(), *lacking, "{name}: {said:?}");
        }
        let said = summary_signs_lacking(Path::new("a.md"), b"# A\n").unwrap();
        for sign in ["**Authors:**", "PMID:", "## Abstract", "## TL;DR", "```"] {
            assert!(said.contains(sign), "{sign} in {said}");
        }
        // A heading longer than the bytes read: what follows it was not looked at (ut24b
        // was told a file lacked lines it had).
        let head = format!("# {}", "word ".repeat(HEAD_BYTES));
        let said = summary_signs_lacking(Path::new("a.md"), &head.as_bytes()[..HEAD_BYTES]);
        assert!(
            said.unwrap().contains("runs past the first 4 kB"),
            "{said:?}"
        );
    }
}
