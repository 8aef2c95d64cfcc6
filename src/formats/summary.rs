//! The paper-summary Markdown: `# title`, `**Authors:**`, a `PMC · DOI: .. · Journal · date`
//! line (its parts between `|`, `;` or `,` too, or a pasted PubMed citation), then `##`
//! sections in any order (TL;DR, Contribution, Key findings, Abstract, Linked entities,
//! Full-text entities, Full text, Figures, References, anything else kept by its heading),
//! then `---` and `Source: <url>`.
//!
//! Entity lines: `- **Genes:** CD27 (CD27 molecule) [NCBI Gene 939] {aka S152, T14}, NPC
//! (MESH:D000077274), ...`. Entities are split at `, ` outside brackets; an entity without an
//! id takes the id of the paper's entity whose name or alias it matches (the `Proteins:` list
//! names the products of the genes listed with ids), else it is keyed by name. An entity
//! listed twice is one entity. Resolved proteins keep the gene's kind, since the key is an
//! NCBI Gene id.

use super::ids::{self, Normalised};
use super::shared::{shared, shared_path};
use super::{Fences, Parsed};
use crate::model::{
    AbstractText, EntityKey, EntityKind, Format, Link, Paper, PaperEntity, PaperIds, PaperKey,
    Problem, Section, SourceRef, fold_name, quoted,
};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Which typed field a `##` heading fills.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
    Tldr,
    Contribution,
    KeyFindings,
    Abstract,
    Entities,
    FullText,
    Figures,
    References,
    Other,
}

fn part_of(heading: &str) -> Part {
    let h = heading.trim().to_ascii_lowercase();
    match h.as_str() {
        "tl;dr" | "tldr" | "summary" => Part::Tldr,
        "contribution" | "contributions" => Part::Contribution,
        "key findings" | "findings" => Part::KeyFindings,
        "abstract" => Part::Abstract,
        "linked entities" | "full-text entities" | "full text entities" | "entities" => {
            Part::Entities
        }
        "full text" | "full-text" => Part::FullText,
        "figures" => Part::Figures,
        "references" => Part::References,
        _ => Part::Other,
    }
}

/// Whether a `## heading` is one only paper summaries write (not `Abstract` or `Summary`,
/// which any notes can have): a file with one is a summary even without its `# title`.
pub fn is_summary_heading(heading: &str) -> bool {
    let h = heading.trim().to_ascii_lowercase();
    matches!(
        h.as_str(),
        "tl;dr"
            | "tldr"
            | "contribution"
            | "contributions"
            | "key findings"
            | "linked entities"
            | "full-text entities"
            | "full text entities"
    )
}

/// The names after a bold authors label, as summaries write it: `**Authors:**`, or with the
/// colon outside the bold, `**Authors**:` (`Author` for one).
pub(crate) fn after_bold_authors(line: &str) -> Option<&str> {
    ["**Authors:**", "**Author:**", "**Authors**:", "**Author**:"]
        .iter()
        .find_map(|label| line.strip_prefix(label))
}

/// [`after_bold_authors`], or after a plain `Authors:` label: where a summary's authors go,
/// before its first section, either is its authors.
pub(crate) fn after_authors(line: &str) -> Option<&str> {
    after_bold_authors(line).or_else(|| {
        ["Authors:", "Author:"]
            .iter()
            .find_map(|label| line.strip_prefix(label))
    })
}

/// The heading of a `## heading` line, or of a `### heading` line: a summary written with
/// its sections a level down (`### Abstract`, `### Key findings`).
pub(crate) fn section_heading(line: &str) -> Option<&str> {
    line.strip_prefix("## ")
        .or_else(|| line.strip_prefix("### "))
}

/// An entity as a summary line writes it, before ids are resolved.
struct Listed {
    kind: EntityKind,
    name: String,
    description: Option<String>,
    key: Option<EntityKey>,
    aliases: Vec<String>,
}

pub fn parse(text: &str, path: &Path) -> Parsed {
    let mut problems = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut paper = Paper::default();
    let mut ids = PaperIds::default();
    let mut listed: Vec<Listed> = Vec::new();
    let mut title_line = None;
    // The section being read: its heading, typed part, first line, and body lines.
    let mut current: Option<(String, Part, usize)> = None;
    let mut body: Vec<&str> = Vec::new();
    let mut seen_parts: Vec<Part> = Vec::new();
    let mut after_rule = false;
    let mut preamble: Vec<&str> = Vec::new();

    let mut flush = |current: &mut Option<(String, Part, usize)>,
                     body: &mut Vec<&str>,
                     paper: &mut Paper,
                     listed: &mut Vec<Listed>,
                     problems: &mut Vec<Problem>| {
        if let Some((heading, part, line)) = current.take() {
            if part != Part::Other && part != Part::Entities && seen_parts.contains(&part) {
                problems.push(Problem::new(
                    path,
                    Some(line),
                    format!(
                        "section {} appears again; its text is added",
                        quoted(&heading)
                    ),
                ));
            }
            // At most one entry per kind of part: a file of 100k headings stays linear.
            if !seen_parts.contains(&part) {
                seen_parts.push(part);
            }
            fill_section(&heading, part, line, body, paper, listed, path, problems);
        }
        body.clear();
    };

    // Sections are `##` headings; in a summary written with none, `###` ones. A `###`
    // heading naming a part a summary has (`### Abstract`) is a section either way; others
    // are sub-headings of the section they are in.
    let level_two = {
        let mut fences = Fences::default();
        (text.lines()).any(|line| !fences.fenced(line) && line.starts_with("## "))
    };
    let mut fences = Fences::default();
    let mut fence_line = 0;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim_end();
        // A fenced code block is text of the section it is in, whatever its lines look like
        // (a `## ` in a Markdown example or a shell session is no section).
        let was_open = fences.is_open();
        if fences.fenced(line) {
            if !was_open {
                fence_line = line_no;
            }
            match current {
                Some(_) => body.push(line),
                None => preamble.push(line),
            }
            continue;
        }
        // A heading with no name starts no section: said, rather than shown as `##` text
        // of the section before (ut24b).
        if line == "##" || line == "###" {
            problems.push(Problem::new(
                path,
                Some(line_no),
                format!("a `{line}` heading without a name; left out, the lines after it stay in the section before"),
            ));
            continue;
        }
        let heading = line.strip_prefix("## ").or_else(|| {
            line.strip_prefix("### ")
                .filter(|h| !level_two || part_of(h) != Part::Other)
        });
        if let Some(heading) = heading {
            flush(
                &mut current,
                &mut body,
                &mut paper,
                &mut listed,
                &mut problems,
            );
            after_rule = false;
            current = Some((heading.trim().to_owned(), part_of(heading), line_no));
            continue;
        }
        // A bare `#` where the title goes is an empty title line; elsewhere it is text.
        let bare_title = line == "#" && title_line.is_none() && current.is_none();
        if let Some(title) = line.strip_prefix("# ").or(bare_title.then_some("")) {
            if title_line.is_none() && current.is_none() {
                paper.title = title.trim().to_owned();
                title_line = Some(line_no);
            } else {
                // Text of the section it is in; before the first, there is none to keep it
                // (ut24b read "kept as text" of a line shown nowhere).
                let fate = match &current {
                    Some((heading, ..)) => format!("kept as text of section {}", quoted(heading)),
                    None => "left out".to_owned(),
                };
                let message = match title_line {
                    Some(first) => {
                        format!("a second `# title` line (the first is on line {first}); {fate}")
                    }
                    None => format!("a `# title` line after the first section; {fate}"),
                };
                problems.push(Problem::new(path, Some(line_no), message));
                body.push(line);
            }
            continue;
        }
        if line.trim() == "---" {
            flush(
                &mut current,
                &mut body,
                &mut paper,
                &mut listed,
                &mut problems,
            );
            after_rule = true;
            continue;
        }
        // `Source: <url>` closes the file after `---`; without the rule it is still the
        // source, not part of the section above it.
        if let Some(url) = line.trim().strip_prefix("Source:")
            && (after_rule || current.is_none() || url.trim().starts_with("http"))
        {
            let url = url.trim();
            if let Some(pmcid) = pmcid_in(url) {
                ids.pmcid.get_or_insert(pmcid);
            }
            paper.summary_mut().links.push(Link {
                label: "Source".into(),
                url: url.to_owned(),
            });
            continue;
        }
        if current.is_some() {
            body.push(line);
            continue;
        }
        // Before the first section: authors and the ids/journal/date line.
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(authors) = after_authors(trimmed) {
            let (names, wrong) = author_names(authors);
            paper.authors = names;
            for message in wrong {
                problems.push(Problem::new(path, Some(line_no), message));
            }
        } else if trimmed.contains(" · ")
            || trimmed.starts_with("DOI:")
            || (!trimmed.contains('`') && (super::names_an_id(trimmed) || is_id_line(trimmed)))
        {
            // (An id alone on its line, `PMID: 123`, is an id line too: the line that made
            // the file a summary gives the paper its id.)
            for message in meta_line(trimmed, &mut paper, &mut ids) {
                problems.push(Problem::new(path, Some(line_no), message));
            }
        } else {
            preamble.push(trimmed);
        }
    }
    if fences.is_open() {
        problems.push(Problem::new(
            path,
            Some(fence_line),
            "a fenced code block opened here is never closed; the rest of the file is its text",
        ));
    }
    flush(
        &mut current,
        &mut body,
        &mut paper,
        &mut listed,
        &mut problems,
    );

    if !preamble.is_empty() {
        paper.summary_mut().sections.insert(
            0,
            Section {
                heading: "Notes".into(),
                body: preamble.join("\n"),
            },
        );
    }
    let file_stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("untitled")
        .to_owned();
    let untitled = match title_line {
        None => Some((1, "summary Markdown with no")),
        Some(line) if paper.title.is_empty() => Some((line, "empty")),
        Some(_) => None,
    };
    if let Some((line, what)) = untitled {
        problems.push(Problem::new(
            path,
            Some(line),
            format!(
                "{what} `# title` line; the paper is titled {} after its file",
                quoted(&file_stem)
            ),
        ));
        paper.title = file_stem;
    }
    paper.entities = resolve_entities(listed);
    count_mentions(&mut paper);
    paper.key = PaperKey::from_ids(&ids, &path.to_string_lossy());
    paper.ids = ids;
    paper.sources.push(SourceRef {
        path: shared_path(path),
        line: title_line.unwrap_or(1),
        format: Format::SummaryMarkdown,
        byte: None,
    });
    Parsed {
        papers: vec![paper],
        problems,
    }
}

/// Each entity's mentions: the times one of its names (of three characters or more) stands
/// as a word in the title or abstract, as the detail pane underlines them; one at least, as
/// the summary lists it. A summary gives no counts, and every entity counted once made its
/// paper the last in a "most mentions first" list of any of them.
fn count_mentions(paper: &mut Paper) {
    let abstract_text = match &paper.abstract_text {
        Some(AbstractText::Held(text)) => text.as_str(),
        _ => "",
    };
    let text = crate::fold::fold_lower(&format!("{} {abstract_text}", paper.title));
    let text = crate::fold::hyphens_as_spaces(&text);
    // Every name of every entity, looked for at once, with the entity it names.
    let mut names = Vec::new();
    let mut named = Vec::new();
    for (i, e) in paper.entities.iter().enumerate() {
        for name in e.names_written().map(crate::fold::fold_lower) {
            if name.chars().count() >= 3 {
                names.push(name);
                named.push(i);
            }
        }
    }
    let mut found: Vec<(usize, usize, usize)> = crate::fold::names_ranges(&text, &names)
        .into_iter()
        .map(|(name, start, end)| (named[name], start, end))
        .collect();
    found.sort_unstable();
    for (i, e) in paper.entities.iter_mut().enumerate() {
        // Two names found at one place (`PD-L1` and `PD-L1 molecule`) are one mention.
        let mut mentions = 0u32;
        let mut covered = 0;
        let first = found.partition_point(|&(entity, ..)| entity < i);
        for &(_, start, end) in found[first..]
            .iter()
            .take_while(|&&(entity, ..)| entity == i)
        {
            if start >= covered {
                mentions += 1;
            }
            covered = covered.max(end);
        }
        e.mentions = mentions.max(1);
    }
}

/// `PMC · DOI: 10.1038/x · Cell Death Discovery · 2026-03-10`: ids, journal, date. A part
/// that is no id or date is the journal (the first such part); `PMC` alone names the source
/// database and says nothing more. On a line without ` · ` the parts may be separated by `|`,
/// `;` or `,` (`PMID: 123 | DOI: 10.1/x | 2020`: see [`id_line_parts`]); a PubMed citation
/// pasted as the id line is read as PubMed writes it (see [`citation`]). Returns what was
/// wrong with the line: an empty DOI or a PMID that is not a number is left out (it would be
/// the paper's key, and merge it with every other paper that has the same nothing).
fn meta_line(line: &str, paper: &mut Paper, ids: &mut PaperIds) -> Vec<String> {
    let unbolded = without_bold(line);
    let line = unbolded.as_ref();
    let mut problems = Vec::new();
    if let Some(citation) = citation(line) {
        set_journal(citation.journal, paper, &mut problems);
        if let Some(place) = citation.place {
            // Kept for the citations exported (ut24d's LaTeX entries lacked them).
            let (volume, issue, pages) = volume_issue_pages(place);
            let summary = paper.summary_mut();
            summary.volume = volume;
            summary.issue = issue;
            summary.pages = pages;
        }
        match citation_date(citation.date) {
            Some(date) => set_date(citation.date, date, paper, &mut problems),
            None => {
                let year = citation.date[..4].parse().ok();
                paper.year = paper.year.or(year);
                problems.push(format!(
                    "date {} is not one tomes reads; only its year is kept",
                    quoted(citation.date)
                ));
            }
        }
        for sentence in citation.sentences {
            if pubmed_note(sentence) {
                continue;
            }
            for part in id_line_parts(sentence) {
                if numeric_date(part).is_some() {
                    // (`Erratum in: Nature. 2021.`: the paper's date is the citation's.)
                    problems.push(format!(
                        "{} is a second date (the citation's is {}); left out",
                        quoted(part),
                        quoted(citation.date)
                    ));
                } else {
                    meta_part(part, paper, ids, &mut problems);
                }
            }
        }
    } else {
        for part in id_line_parts(line) {
            meta_part(part, paper, ids, &mut problems);
        }
    }
    problems
}

/// One part of an id line: an id, a date, `PMC`/`PubMed`, or the journal.
fn meta_part(part: &str, paper: &mut Paper, ids: &mut PaperIds, problems: &mut Vec<String>) {
    use crate::model::PaperIdKind;
    let id_part = id_part(part);
    let labelled = paper_id_in(id_part);
    let labelled_as = |kind| {
        labelled
            .filter(|&(k, _)| k == kind)
            .map(|(_, id)| id.trim())
    };
    if let Some(doi) = labelled_as(PaperIdKind::Doi) {
        let doi = crate::model::paper_id_address(doi)
            .map_or(doi, |(_, doi)| doi)
            .trim();
        if doi.is_empty() {
            problems.push("empty DOI; left out".to_owned());
        } else if !is_doi(doi) {
            // Kept, it would be the paper's key and a doi.org link that leads nowhere.
            problems.push(format!(
                "DOI {} is not a DOI (one starts with `10.` and has a `/`); left out",
                quoted(doi)
            ));
        } else {
            ids.doi = Some(doi.to_owned());
        }
    } else if let Some(pmid) = labelled_as(PaperIdKind::Pmid) {
        // Written with zeros in front (`06794356`), it is still that paper's PMID: kept
        // so, the paper was a second one beside the corpus record of PMID 6794356.
        let number = pmid.trim_start_matches('0');
        if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
            ids.pmid = Some(number.to_owned());
        } else {
            problems.push(format!("PMID {} is not a number; left out", quoted(pmid)));
        }
    } else if let Some(pmcid) = labelled_as(PaperIdKind::Pmcid) {
        // Not a PMCID, it was taken for the journal (ut24b's `PMC: PMCxyz`).
        match pmcid_in(pmcid) {
            Some(pmcid) => ids.pmcid = Some(pmcid),
            None => problems.push(format!(
                "PMCID {} is not a PMCID (`PMC` and digits); left out",
                quoted(pmcid)
            )),
        }
    } else if let Some(date) = numeric_date(part) {
        set_date(part, date, paper, problems);
    } else if part == "PMC" || part == "PubMed" {
    } else {
        set_journal(part, paper, problems);
    }
}

/// Whether `doi` has a DOI's shape: `10.`, a registrant, `/`, a suffix (`10.1038/x`).
fn is_doi(doi: &str) -> bool {
    doi.strip_prefix("10.")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(registrant, suffix)| !registrant.is_empty() && !suffix.is_empty())
}

/// A part of an id line without what a sentence leaves after an id (`DOI: 10.1/x.`): no
/// PMID, PMCID or DOI ends in a stop.
fn id_part(part: &str) -> &str {
    part.trim_end_matches(['.', ',', ';'])
}

/// The paper id `id_part` names: labelled (`PMID: 123`), an address, a bare DOI
/// (`10.1/x`) or a bare PMCID (`PMC123`). The id may be wrong (`PMID: n/a`), for the caller
/// to say so.
fn paper_id_in(id_part: &str) -> Option<(crate::model::PaperIdKind, &str)> {
    use crate::model::PaperIdKind;
    crate::model::paper_id_address(id_part)
        .or_else(|| crate::model::labelled_paper_id(id_part))
        .or_else(|| {
            (id_part.starts_with("10.") && id_part.contains('/'))
                .then_some((PaperIdKind::Doi, id_part))
        })
        .or_else(|| {
            let digits = id_part.strip_prefix("PMC")?;
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then_some((PaperIdKind::Pmcid, id_part))
        })
}

/// `line` without Markdown's bold marks: `**PMID:** 123 · **Journal:** Cell` is an id line
/// (ut24d's took its PMID for the journal).
fn without_bold(line: &str) -> std::borrow::Cow<'_, str> {
    if line.contains("**") {
        std::borrow::Cow::Owned(line.replace("**", ""))
    } else {
        std::borrow::Cow::Borrowed(line)
    }
}

/// The journal, from the first part of an id line that is no id or date (`Journal:` before
/// it left out); a second such part is reported and left out.
fn set_journal(part: &str, paper: &mut Paper, problems: &mut Vec<String>) {
    let part = part
        .get(..8)
        .filter(|label| label.eq_ignore_ascii_case("journal:"))
        .map_or(part, |_| part[8..].trim());
    if let Some(journal) = &paper.journal {
        problems.push(format!(
            "{} is not an id or a date, and the journal is {}; left out",
            quoted(part),
            quoted(journal)
        ));
    } else {
        paper.journal = Some(part.to_owned());
    }
}

/// The paper's date and year from `date`, the numeric form of `written`; an impossible
/// date keeps its year and is reported.
fn set_date(written: &str, date: String, paper: &mut Paper, problems: &mut Vec<String>) {
    let Some(year) = date_year(&date) else {
        return;
    };
    if !PLAUSIBLE_YEARS.contains(&year) {
        // (`0025-03-01`, `2925`: a typo; as the year it would sort and filter the paper
        // among papers of no such time.)
        problems.push(format!(
            "date {} has the year {year}, which no paper has; left out",
            quoted(written)
        ));
        return;
    }
    paper.year = Some(year);
    match impossible_date(&date, year) {
        None => paper.date = Some(date),
        Some(why) => problems.push(format!(
            "impossible date {} ({why}); only the year {year} is kept",
            quoted(written)
        )),
    }
}

/// The years a paper's date can have: from the first scientific journals to a little past
/// any date a summary written now gives.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1600..=2100;

/// The parts of an id line, trimmed, empty ones left out. A line holding ` · ` is split
/// there alone (a journal or a date may hold a comma: `March 12, 2020`). Another is split
/// at `|`, and at `;` or `,` followed by a space, the line's end or an id (`PMID:1;DOI:…`):
/// not inside an old Wiley DOI (`10.1002/(SICI)…3.0.CO;2-J`). A date split at its comma
/// (`March 12` and `2020`) is joined again.
fn id_line_parts(line: &str) -> Vec<&str> {
    if line.contains(" · ") {
        // An empty part (`DOI: 10.1/x · · 2020`) leaves a `·` beside the next part's text:
        // without it, `· 2020` was the journal and the date went unread.
        return line
            .split(" · ")
            .map(|p| p.trim_matches(|c: char| c == '·' || c.is_whitespace()))
            .filter(|p| !p.is_empty())
            .flat_map(ids_apart)
            .collect();
    }
    // Each part as a range of `line`, so that two can be joined as written.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (at, c) in line.char_indices() {
        let after = &line[at + c.len_utf8()..];
        let separates = match c {
            '|' => true,
            ';' | ',' => {
                after.is_empty()
                    || after.starts_with(char::is_whitespace)
                    || paper_id_in(id_part(after.split([';', ',', '|']).next().unwrap_or("")))
                        .is_some()
            }
            _ => false,
        };
        if separates {
            ranges.push((start, at));
            start = at + c.len_utf8();
        }
    }
    ranges.push((start, line.len()));
    let mut parts: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < ranges.len() {
        let (from, to) = ranges[i];
        let part = line[from..to].trim();
        let joined = ranges
            .get(i + 1)
            .map(|&(_, next_to)| line[from..next_to].trim());
        match joined {
            Some(joined)
                if line[to..].starts_with(',')
                    && numeric_date(part).is_none()
                    && numeric_date(joined).is_some() =>
            {
                parts.push(joined);
                i += 2;
            }
            _ => {
                parts.push(part);
                i += 1;
            }
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.into_iter().flat_map(ids_apart).collect()
}

/// `part` split before each id that follows an id with only a space between: no id holds a
/// space, and the README's own citation, pasted without a stop after the DOI (`doi:
/// 10.1038/x PMID: 32238925`), gave a DOI of `10.1038/x PMID: 32238925` and no PMID.
fn ids_apart(part: &str) -> Vec<&str> {
    let names_id = |p: &str| paper_id_in(id_part(p)).is_some_and(|(_, id)| !id.trim().is_empty());
    let mut parts = Vec::new();
    let mut start = 0;
    for (at, c) in part.char_indices() {
        let next = at + c.len_utf8();
        if c.is_whitespace() && names_id(part[start..at].trim()) && names_id(part[next..].trim()) {
            parts.push(part[start..at].trim());
            start = next;
        }
    }
    parts.push(part[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

/// Whether `line`, before the first section and holding no ` · `, is an id line whose parts
/// are separated otherwise (`PMID: 123 | DOI: 10.1/x | 2020`, `Nature; 2020; PMID: 123`) or
/// a PubMed citation: one part at least names an id, and at most one (the journal) is
/// neither an id, a date nor `PMC`. A note that mentions a PMID is not one.
fn is_id_line(line: &str) -> bool {
    let unbolded = without_bold(line);
    let line = unbolded.as_ref();
    if citation(line).is_some() {
        return true;
    }
    let parts = id_line_parts(line);
    let names_id = |p: &str| paper_id_in(id_part(p)).is_some();
    let other = |p: &str| !names_id(p) && numeric_date(p).is_none() && !super::names_an_id(p);
    parts.len() > 1
        && parts.iter().any(|p| names_id(p))
        && parts.iter().filter(|p| other(p)).count() <= 1
}

/// A PubMed citation's parts: `Nature. 2020 Mar;580(7803):123-8. doi: 10.1038/x. Epub 2020
/// Feb 3. PMID: 32238925; PMCID: PMC7123456.` is the journal `Nature`, the date `2020 Mar`,
/// then the sentences after volume, issue and pages (which tomes does not keep).
struct Citation<'a> {
    journal: &'a str,
    date: &'a str,
    /// Volume, issue and pages, after the date: `302(5645):643-6`.
    place: Option<&'a str>,
    sentences: Vec<&'a str>,
}

/// `line` read as a PubMed citation: the journal, a full stop, a year starting the date;
/// taken for one only when a sentence after it names an id (`doi: …`, `PMID: …`), so that a
/// note (`Seen in Nature. 2020 was …`) is not.
fn citation(line: &str) -> Option<Citation<'_>> {
    let (journal, after) = line.match_indices(". ").find_map(|(at, _)| {
        let after = line[at + 2..].trim_start();
        let b = after.as_bytes();
        let year = b.len() >= 4
            && b[..4].iter().all(u8::is_ascii_digit)
            && !b.get(4).is_some_and(u8::is_ascii_digit);
        year.then(|| (line[..at].trim(), after))
    })?;
    if journal.is_empty() || journal.contains(" · ") || paper_id_in(id_part(journal)).is_some() {
        return None;
    }
    let mut sentences = after.split(". ").map(str::trim);
    let first = sentences.next()?.trim_end_matches('.');
    let date = first.split([';', ':']).next()?.trim();
    let place = first
        .split_once(';')
        .map(|(_, place)| place.trim())
        .filter(|place| !place.is_empty());
    let sentences: Vec<&str> = sentences
        .map(|s| s.trim_end_matches('.').trim())
        .filter(|s| !s.is_empty())
        .collect();
    let names_id = sentences.iter().any(|s| {
        id_line_parts(s)
            .iter()
            .any(|p| paper_id_in(id_part(p)).is_some())
    });
    names_id.then_some(Citation {
        journal,
        date,
        place,
        sentences,
    })
}

/// A citation's volume, issue and pages from what follows its date: `302(5645):643-6` is
/// volume 302, issue 5645, pages 643-646 (the last page written whole, as BibTeX and RIS
/// want it); `580:1`, `14(1)`, `37(15):e14000` alike.
fn volume_issue_pages(place: &str) -> (Option<String>, Option<String>, Option<String>) {
    let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let (before, pages) = match place.split_once(':') {
        Some((before, pages)) => (before, some(pages).map(|p| whole_pages(&p))),
        None => (place, None),
    };
    let (volume, issue) = match before.split_once('(') {
        Some((volume, issue)) => (some(volume), some(issue.trim_end_matches(')'))),
        None => (some(before), None),
    };
    (volume, issue, pages)
}

/// A page range with its last page written whole: `643-6` is `643-646` (PubMed writes the
/// digits that change); `e14000` and `S1-S5` as they are.
fn whole_pages(pages: &str) -> String {
    let Some((first, last)) = pages.split_once('-') else {
        return pages.to_owned();
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(first) && digits(last) && last.len() < first.len() {
        format!("{first}-{}{last}", &first[..first.len() - last.len()])
    } else {
        pages.to_owned()
    }
}

/// A citation's date as [`numeric_date`] reads it, a range of months (`2020 Mar-Apr`) by
/// its first.
fn citation_date(date: &str) -> Option<String> {
    numeric_date(date).or_else(|| {
        let first_months: Vec<&str> = date
            .split(' ')
            .map(|word| word.split('-').next().unwrap_or(word))
            .collect();
        numeric_date(&first_months.join(" "))
    })
}

/// The sentences PubMed adds to a citation that are no id, date or journal of the paper:
/// when it was published online, and notes on it.
fn pubmed_note(sentence: &str) -> bool {
    let dated = |label: &str| {
        sentence
            .strip_prefix(label)
            .is_some_and(|d| citation_date(d.trim()).is_some())
    };
    dated("Epub ")
        || dated("eCollection ")
        || [
            "Online ahead of print",
            "Free PMC article",
            "Free article",
            "Review",
        ]
        .iter()
        .any(|note| sentence.eq_ignore_ascii_case(note))
}

/// A date as people write it (`March 2020`, `Mar. 2020`, `12 March 2020`, `March 12, 2020`,
/// PubMed's `2020 Mar 12`) in [`date_year`]'s numeric form (`2020-03`, `2020-03-12`); a
/// numeric date as it is. `None` for anything else: a month with no year, two years, a day
/// with no month.
fn numeric_date(s: &str) -> Option<String> {
    if date_year(s).is_some() {
        return Some(s.to_owned());
    }
    // `2019-3-5`, `2003/10/24`: the numeric form with its parts padded (ut24d's lost their
    // year as no date at all).
    let parts: Vec<&str> = s.split(['-', '/']).collect();
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if (2..=3).contains(&parts.len())
        && digits(parts[0], 4..=4)
        && parts[1..].iter().all(|p| digits(p, 1..=2))
    {
        let padded: Vec<String> = std::iter::once(parts[0].to_owned())
            .chain(parts[1..].iter().map(|p| format!("{p:0>2}")))
            .collect();
        return Some(padded.join("-"));
    }
    let (mut year, mut month, mut day) = (None, None, None);
    for word in s.split([' ', ',']).filter(|w| !w.is_empty()) {
        let digits = word.bytes().all(|b| b.is_ascii_digit());
        if digits && word.len() == 4 && year.is_none() {
            year = Some(word);
        } else if digits && word.len() <= 2 && day.is_none() {
            day = word.parse::<u32>().ok();
        } else if let Some(m) = month_number(word).filter(|_| month.is_none()) {
            month = Some(m);
        } else {
            return None;
        }
    }
    match (year?, month, day) {
        (year, Some(month), None) => Some(format!("{year}-{month:02}")),
        (year, Some(month), Some(day)) => Some(format!("{year}-{month:02}-{day:02}")),
        _ => None,
    }
}

/// The months' names, January first.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// 1-12 for a month's English name, its first three letters or `Sept`, with or without a
/// full stop, in any case.
fn month_number(word: &str) -> Option<u32> {
    let word = word.strip_suffix('.').unwrap_or(word).to_ascii_lowercase();
    let word = if word == "sept" { "sep" } else { word.as_str() };
    MONTHS
        .iter()
        .position(|name| {
            let name = name.to_ascii_lowercase();
            name == word || (word.len() == 3 && name.starts_with(word))
        })
        .map(|i| i as u32 + 1)
}

/// The names in an authors line: split at commas, semicolons, ` and ` and ` & `,
/// without a closing `et al.` or `and others` (no one's name: BibTeX read "Roe et al." as
/// a family name). Also returns what was wrong: an empty name between two separators
/// (`Doe, , Roe`).
fn author_names(line: &str) -> (Vec<String>, Vec<String>) {
    let mut line = line.trim();
    for tail in ["et al.", "et al", "and others.", "and others"] {
        let cut = line.len().saturating_sub(tail.len());
        if line.is_char_boundary(cut)
            && line[cut..].eq_ignore_ascii_case(tail)
            && line[..cut].ends_with([' ', ','])
        {
            line = line[..cut].trim_end().trim_end_matches([',', ';']);
            break;
        }
    }
    let parts: Vec<&str> = line.split([',', ';']).map(str::trim).collect();
    let mut names = Vec::new();
    let mut problems = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            // A separator closing the line (`Doe, Roe,`) ends the list; one with nothing
            // before the next (`Doe, , Roe`) stands where a name is missing.
            if i + 1 == parts.len() {
                continue;
            }
            let before = parts[..i].iter().rev().find(|p| !p.is_empty());
            let after = parts[i + 1..].iter().find(|p| !p.is_empty());
            let place = match (before, after) {
                (Some(b), Some(a)) => format!("between {} and {}", quoted(b), quoted(a)),
                (Some(b), None) => format!("after {}", quoted(b)),
                (None, Some(a)) => format!("before {}", quoted(a)),
                (None, None) => "in the authors line".to_owned(),
            };
            problems.push(format!("empty author name {place}; left out"));
            continue;
        }
        // (`Doe, Roe, and Poe`: the last part starts with `and`.)
        let part = ["and ", "& "]
            .iter()
            .find_map(|joiner| part.strip_prefix(joiner))
            .unwrap_or(part);
        for name in part
            .split(" and ")
            .flat_map(|name| name.split(" & "))
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            // `Robert Smith, Jr., Paul Jones`: the suffix is the name's before it, not an
            // author (ut23c read `{Jr.}` as one in every export).
            match names.last_mut() {
                Some(before) if crate::model::is_name_suffix(name) => {
                    *before = format!("{before}, {name}");
                }
                _ => names.push(name.to_owned()),
            }
        }
    }
    (names, problems)
}

/// `2026-03-10`, `2026-03`, `2026` -> 2026.
fn date_year(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let ok = match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    };
    if ok { s[..4].parse().ok() } else { None }
}

/// Why a date of [`date_year`]'s shape cannot be (`2024-13-45`: there is no month 13), or
/// `None` when it can.
fn impossible_date(date: &str, year: i32) -> Option<String> {
    let mut parts = date
        .split('-')
        .skip(1)
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let month = parts.next()?;
    let Some(name) = month.checked_sub(1).and_then(|m| MONTHS.get(m as usize)) else {
        return Some(format!("there is no month {month}"));
    };
    let day = parts.next()?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 0 {
        Some("there is no day 0".to_owned())
    } else if day > days {
        Some(format!("{name} {year} has {days} days"))
    } else {
        None
    }
}

/// The `PMC123` in a URL or string, without zeros in front of its number (`PMC0077` is PMC77).
fn pmcid_in(s: &str) -> Option<String> {
    let at = s.find("PMC")?;
    let digits: String = s[at + 3..]
        .chars()
        .take_while(char::is_ascii_digit)
        .skip_while(|&d| d == '0')
        .collect();
    (!digits.is_empty()).then(|| format!("PMC{digits}"))
}

fn first_url(s: &str) -> Option<&str> {
    let at = s.find("https://").or_else(|| s.find("http://"))?;
    let url = &s[at..];
    let end = url
        .find(|c: char| c.is_whitespace() || c == ')' || c == '>')
        .unwrap_or(url.len());
    Some(url[..end].trim_end_matches(['.', ',']))
}

/// The paragraphs of a body, each joined into one line, blank lines between them kept as
/// paragraph breaks.
fn paragraphs(body: &[&str]) -> String {
    let mut out = String::new();
    let mut blank = false;
    let mut fences = super::Fences::default();
    // Whether the line before was fenced: the next line starts a line of its own.
    let mut after_fenced = false;
    for line in body {
        // A fenced block keeps its lines as written (a user test's ```` ``` ```` block in an
        // abstract read as one line of prose).
        if fences.fenced(line) {
            if !out.is_empty() {
                out.push_str(if blank { "\n\n" } else { "\n" });
            }
            out.push_str(line.trim_end());
            blank = false;
            after_fenced = true;
            continue;
        }
        let t = line.trim();
        if t.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(match (blank, std::mem::take(&mut after_fenced)) {
                (true, _) => "\n\n",
                (false, true) => "\n",
                (false, false) => " ",
            });
        }
        blank = false;
        after_fenced = false;
        out.push_str(t);
    }
    out
}

fn append(slot: &mut Option<String>, text: String) {
    if text.is_empty() {
        return;
    }
    match slot {
        Some(existing) => {
            existing.push_str("\n\n");
            existing.push_str(&text);
        }
        None => *slot = Some(text),
    }
}

/// The number a `4 figures ...` / `16 references ...` body starts with.
/// The count a Figures or References section opens with (`16 references — full list …`,
/// `4 figures`, `12`): a number not followed by a stop or a bracket, which number a list's
/// first item (ut24d's `1. Fong PC …` was read as one reference and its list dropped).
fn leading_count(text: &str) -> Option<u32> {
    let text = text.trim_start();
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let after = &text[digits.len()..];
    if after.starts_with(['.', ')', ']']) {
        return None;
    }
    digits.parse().ok()
}

fn add_link(paper: &mut Paper, label: &str, url: &str) {
    if !paper.summary_mut().links.iter().any(|l| l.url == url) {
        paper.summary_mut().links.push(Link {
            label: label.into(),
            url: url.into(),
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn fill_section(
    heading: &str,
    part: Part,
    first_line: usize,
    body: &[&str],
    paper: &mut Paper,
    listed: &mut Vec<Listed>,
    path: &Path,
    problems: &mut Vec<Problem>,
) {
    let text = match part {
        Part::Entities | Part::KeyFindings | Part::Other => String::new(),
        _ => paragraphs(body),
    };
    match part {
        Part::Tldr => append(&mut paper.summary_mut().tldr, text),
        Part::Contribution => append(&mut paper.summary_mut().contribution, text),
        Part::Abstract => {
            let mut held = match paper.abstract_text.take() {
                Some(AbstractText::Held(t)) => Some(t),
                _ => None,
            };
            append(&mut held, text);
            paper.abstract_text = held.map(AbstractText::Held);
        }
        Part::KeyFindings => {
            for line in body {
                let t = line.trim();
                if t.is_empty() {
                    continue;
                }
                match t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
                    Some(item) => paper
                        .summary_mut()
                        .key_findings
                        .push(item.trim().to_owned()),
                    None => match paper.summary_mut().key_findings.last_mut() {
                        // A wrapped bullet continues on the next line.
                        Some(last) => {
                            last.push(' ');
                            last.push_str(t);
                        }
                        None => paper.summary_mut().key_findings.push(t.to_owned()),
                    },
                }
            }
        }
        Part::Entities => {
            for (offset, line) in body.iter().enumerate() {
                let t = line.trim();
                if t.is_empty() {
                    continue;
                }
                entity_line(t, first_line + 1 + offset, listed, path, problems);
            }
        }
        Part::FullText => match first_url(&text) {
            Some(url) => add_link(paper, "Full text", url),
            None if !text.is_empty() => paper.summary_mut().sections.push(Section {
                heading: heading.to_owned(),
                body: text,
            }),
            None => {}
        },
        Part::Figures | Part::References => {
            // Without a count (a list of its own), the section is kept as written: nothing
            // is lost and nothing is wrong (ut24d's list of figures was a problem).
            let count = leading_count(&text);
            let slot = if part == Part::Figures {
                &mut paper.summary_mut().figure_count
            } else {
                &mut paper.summary_mut().reference_count
            };
            if slot.is_none() {
                *slot = count;
            }
            if let Some(url) = first_url(&text) {
                add_link(paper, heading, url);
            }
            if count.is_none() && !text.is_empty() {
                // Line by line, as a section of its own is: a list of figures or
                // references read as one paragraph ran its items together (ut24d).
                paper.summary_mut().sections.push(Section {
                    heading: heading.to_owned(),
                    body: lines_kept(body),
                });
            }
        }
        Part::Other => paper.summary_mut().sections.push(Section {
            heading: heading.to_owned(),
            body: lines_kept(body),
        }),
    }
}

/// A section's lines as written, without trailing spaces or blank lines at either end.
fn lines_kept(body: &[&str]) -> String {
    body.iter()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// `- **Genes:** CD27 (CD27 molecule) [NCBI Gene 939] {aka S152, T14}, ...`
fn entity_line(
    line: &str,
    line_no: usize,
    listed: &mut Vec<Listed>,
    path: &Path,
    problems: &mut Vec<Problem>,
) {
    let item = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .unwrap_or(line);
    let Some(rest) = item.strip_prefix("**") else {
        problems.push(Problem::new(
            path,
            Some(line_no),
            "entity line does not start with `- **Kind:**`",
        ));
        return;
    };
    let Some((label, list)) = rest.split_once("**") else {
        problems.push(Problem::new(
            path,
            Some(line_no),
            "entity line: no closing `**` after the kind",
        ));
        return;
    };
    let label = label.trim().trim_end_matches(':').trim();
    let kind = ids::kind_of(label);
    let list = list.trim().trim_start_matches(':').trim();
    let (items, balanced) = split_depth0(list);
    for item in items {
        let entity = parse_entity(kind, item, line_no, path, problems);
        // Each item with a stray bracket is named, with what it was read as: a user test's
        // `leukemia MESH:D007938)` looked like an entity with an id and had none.
        if !balanced && !super::stray_brackets(item).is_empty() {
            let read_as = match &entity {
                Some(Listed {
                    name,
                    key: Some(key),
                    ..
                }) => format!("read as {} with the id {key}", quoted(name)),
                Some(Listed { name, .. }) => format!("read as {} without an id", quoted(name)),
                None => "left out".to_owned(),
            };
            problems.push(Problem::new(
                path,
                Some(line_no),
                format!(
                    "unbalanced brackets in the {label} list: {} {read_as}",
                    quoted(item)
                ),
            ));
        }
        listed.extend(entity);
    }
}

/// Splits at `,` outside `()[]{}`; the flag is false when a bracket is unclosed or closes
/// nothing. Such stray brackets are set aside first (`CD27 (CD27 molecule [NCBI Gene 939],
/// CD70 ...` still splits before `CD70`), so one typo does not swallow the rest of the line.
fn split_depth0(s: &str) -> (Vec<&str>, bool) {
    let stray = super::stray_brackets(s);
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if !stray.is_empty() && stray.contains(&i) {
            continue;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            // A list written with semicolons (ut24d's `breast cancer (MESH:D001943); ovarian
            // cancer (MESH:D010051)` was one entity) is a list too.
            ',' | ';' if depth == 0 => {
                items.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(s[start..].trim());
    items.retain(|i| !i.is_empty());
    (items, stray.is_empty())
}

/// Strips a trailing `open ... close` group, returning (rest, inside). An unclosed group at
/// the end (`CD27 (CD27 molecule`) is taken as running to the end.
fn trailing_group(s: &str, open: char, close: char) -> Option<(&str, &str)> {
    let s = s.trim_end();
    if let Some(inner_end) = s.strip_suffix(close) {
        let mut depth = 0;
        for (i, c) in inner_end.char_indices().rev() {
            if c == close {
                depth += 1;
            } else if c == open {
                if depth == 0 {
                    return Some((s[..i].trim_end(), &inner_end[i + 1..]));
                }
                depth -= 1;
            }
        }
        return None;
    }
    let at = s.rfind(open)?;
    if s[at..].contains(close) {
        return None;
    }
    Some((s[..at].trim_end(), &s[at + open.len_utf8()..]))
}

/// A CURIE such as `MESH:D000077274`, `MONDO:0015459` (no spaces, a letter prefix).
fn looks_like_curie(s: &str) -> bool {
    match s.split_once(':') {
        Some((p, id)) => {
            !p.is_empty()
                && !id.is_empty()
                && !s.contains(' ')
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

/// `MESH:` with nothing after the colon: the prefix.
fn empty_curie(s: &str) -> Option<&str> {
    let prefix = s.trim().strip_suffix(':')?.trim();
    let word = !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    word.then_some(prefix)
}

/// The key an id written in a summary stands for (`None`: no id, as `-`), or why it is
/// none: an empty id (`MESH:`), an NCBI Gene or Taxonomy id that is not a number
/// (`[NCBI Gene abc]`), or `Err(None)` for a string that is no id at all. A bad id is
/// reported and dropped rather than made into a key no other file could share.
fn checked_id(written: &str, normalised: Normalised) -> Result<Option<EntityKey>, Option<String>> {
    match normalised {
        Normalised::Key(key) => {
            let (namespace, local) = key.as_str().split_once(':').unwrap_or(("", ""));
            let source = match namespace {
                "NCBIGene" => "NCBI Gene",
                "NCBITaxon" => "NCBI Taxonomy",
                _ => return Ok(Some(key)),
            };
            if local.bytes().all(|b| b.is_ascii_digit()) {
                Ok(Some(key))
            } else {
                Err(Some(format!(
                    "{source} id {} is not a number",
                    quoted(local)
                )))
            }
        }
        Normalised::None => Ok(None),
        Normalised::Unknown => Err(empty_curie(written).map(|prefix| format!("empty {prefix} id"))),
    }
}

fn parse_entity(
    kind: EntityKind,
    item: &str,
    line_no: usize,
    path: &Path,
    problems: &mut Vec<Problem>,
) -> Option<Listed> {
    let mut rest = item;
    let mut aliases = Vec::new();
    if let Some((before, inside)) = trailing_group(rest, '{', '}') {
        let inside = inside.trim();
        let inside = inside.strip_prefix("aka").unwrap_or(inside);
        aliases = inside
            .split([',', ';'])
            .map(super::clean_name)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        rest = before;
    }
    let mut key = None;
    let id_problem = |message: String, problems: &mut Vec<Problem>| {
        problems.push(Problem::new(path, Some(line_no), message));
    };
    // The key, or `None` with a problem saying why the id was left out.
    let take_id = |written: &str, normalised: Normalised, problems: &mut Vec<Problem>| {
        let why = match checked_id(written, normalised) {
            Ok(found) => return found,
            Err(Some(why)) => format!("{why}; {} is kept without an id", quoted(item)),
            Err(None) => format!(
                "unrecognised id {} for {}",
                quoted(written.trim()),
                quoted(item)
            ),
        };
        id_problem(why, problems);
        None
    };
    if let Some((before, inside)) = trailing_group(rest, '[', ']') {
        key = take_id(inside, ids::normalise_labelled(kind, inside), problems);
        rest = before;
    }
    // A closing bracket that closes nothing after a CURIE (`leukemia MESH:D007938)`): the
    // opening one was left out, the id is still clearly one.
    if key.is_none()
        && trailing_group(rest, '(', ')').is_none()
        && let Some(inner) = rest.trim_end().strip_suffix([')', ']'])
        && let Some((before, word)) = inner.trim_end().rsplit_once(char::is_whitespace)
        && looks_like_curie(word)
        && let Normalised::Key(found) = ids::normalise_one(kind, word)
    {
        key = Some(found);
        rest = before;
    }
    let mut description = None;
    if let Some((before, inside)) = trailing_group(rest, '(', ')') {
        let inside = inside.trim();
        if key.is_none() && (looks_like_curie(inside) || empty_curie(inside).is_some()) {
            key = take_id(inside, ids::normalise_one(kind, inside), problems);
        } else if key.is_none()
            && let Some(found) = labelled_or_bare_id(kind, inside)
        {
            // An id in round brackets written as in square ones (`NCBI Gene 675`, `MESH
            // D001943`), or bare (`rs80357906`, `CVCL_0030`): ut24d's were kept as no id.
            key = Some(found);
        } else {
            // Species write `(common name, rank)`: the rank is dropped, the common name is
            // the description.
            let common = match (kind, inside.rsplit_once(", ")) {
                (EntityKind::Species, Some((common, _rank))) => common,
                _ => inside,
            };
            description = Some(common.trim().to_owned()).filter(|d| !d.is_empty());
        }
        rest = before;
    }
    // A list written as prose ends in a full stop (`CD274, CD70.`): no part of the name.
    let name = super::clean_name(rest);
    if name.is_empty() {
        problems.push(Problem::new(
            path,
            Some(line_no),
            format!("entity without a name: {}", quoted(item)),
        ));
        return None;
    }
    aliases.retain(|a| a != name);
    Some(Listed {
        kind,
        name: name.to_owned(),
        description,
        key,
        aliases,
    })
}

/// The entity key `inside` round brackets names when it is an id labelled with its source
/// (`NCBI Gene 675`, `MESH D001943`, `taxon 9606`) or a bare dbSNP or Cellosaurus id
/// (`rs80357906`, `CVCL_0030`); `None` for a description (`CD27 molecule`, `human,
/// species`), and for a bare number, which a description can be too (`1999`).
fn labelled_or_bare_id(kind: EntityKind, inside: &str) -> Option<EntityKey> {
    let bare = |prefix: &str| {
        inside
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    let digits_after =
        |n: usize| inside.len() > n && inside[n..].bytes().all(|b| b.is_ascii_digit());
    let normalised = if (bare("rs") && digits_after(2)) || bare("CVCL_") {
        ids::normalise_one(kind, inside)
    } else if inside.contains(' ') {
        ids::normalise_labelled(kind, inside)
    } else {
        return None;
    };
    match normalised {
        Normalised::Key(key) => Some(key),
        _ => None,
    }
}

/// Gives id-less entities the key of the entity whose name or alias they match, then joins
/// entities listed more than once.
fn resolve_entities(listed: Vec<Listed>) -> Vec<PaperEntity> {
    let mut out: Vec<PaperEntity> = Vec::with_capacity(listed.len());
    let needs_resolving = listed.iter().any(|l| l.key.is_none());
    // Folded name of every listed entity with an id, then folded aliases: a symbol match
    // beats an alias match. Only built when some entity lacks an id.
    // First listing wins on a repeated folded name, as a front-to-back scan would find it.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut by_alias: HashMap<String, usize> = HashMap::new();
    if needs_resolving {
        for (i, l) in listed.iter().enumerate().filter(|(_, l)| l.key.is_some()) {
            by_name.entry(fold_name(&l.name)).or_insert(i);
            for a in &l.aliases {
                by_alias.entry(fold_name(a)).or_insert(i);
            }
        }
    }
    let mut resolved: Vec<(EntityKey, EntityKind)> = Vec::with_capacity(listed.len());
    for l in &listed {
        let entry = match &l.key {
            Some(k) => (k.clone(), l.kind),
            None => {
                let folded = fold_name(&l.name);
                let found = by_name
                    .get(&folded)
                    .or_else(|| by_alias.get(&folded))
                    .and_then(|&i| Some((listed[i].key.clone()?, listed[i].kind)));
                found.unwrap_or_else(|| (EntityKey::name_only(l.kind, &l.name), l.kind))
            }
        };
        resolved.push(entry);
    }
    // Key -> position in `out`, and the aliases each merged entity already has: a line can
    // list tens of thousands of entities, so neither lookup may scan.
    let mut positions: HashMap<EntityKey, usize> = HashMap::new();
    let mut known_aliases: HashMap<usize, HashSet<String>> = HashMap::new();
    for (l, (key, kind)) in listed.into_iter().zip(resolved) {
        match positions.get(&key) {
            Some(&at) => {
                let e = &mut out[at];
                let known = known_aliases
                    .entry(at)
                    .or_insert_with(|| e.aliases.iter().map(|a| a.to_string()).collect());
                let mut aliases = std::mem::take(&mut e.aliases).into_vec();
                for alias in std::iter::once(l.name).chain(l.aliases) {
                    if alias != e.name && known.insert(alias.clone()) {
                        aliases.push(shared(&alias));
                    }
                }
                e.aliases = aliases.into_boxed_slice();
                if e.description.is_none() {
                    e.description = l.description.map(String::into_boxed_str);
                }
                // The listing with the id names the entity (`CD274`, not a lower-case
                // mention); its kind wins too.
                if e.kind == EntityKind::Other {
                    e.kind = kind;
                }
            }
            None => {
                positions.insert(key.clone(), out.len());
                out.push(PaperEntity {
                    key,
                    kind,
                    name: shared(&l.name),
                    description: l.description.map(String::into_boxed_str),
                    aliases: l.aliases.iter().map(|a| shared(a)).collect(),
                    mentions: 1,
                    spans: Box::default(),
                    named_by_group: false,
                    name_weight: PaperEntity::CHOSEN_NAME,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(kind: EntityKind, item: &str) -> Listed {
        let mut problems = Vec::new();
        let l = parse_entity(kind, item, 1, Path::new("x.md"), &mut problems).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        l
    }

    /// A species is counted by its common name too, written with a dash or a space: this
    /// paper mentions Epstein–Barr virus twice and humans once (none was counted).
    #[test]
    fn mentions_count_common_names_across_dashes() {
        let text = "# EBV in human cells\n\n## Abstract\n\nEpstein–Barr virus (EBV) and \
                    Epstein-Barr virus again.\n\n## Full-text entities\n\n- **Species:** \
                    human gammaherpesvirus 4 (Epstein Barr virus, no rank) [taxon 10376], \
                    Homo sapiens (human, species) [taxon 9606]\n";
        let parsed = parse(text, Path::new("s.md"));
        let counts: Vec<(&str, u32)> = parsed.papers[0]
            .entities
            .iter()
            .map(|e| (e.key.as_str(), e.mentions))
            .collect();
        assert_eq!(counts, [("NCBITaxon:10376", 2), ("NCBITaxon:9606", 1)]);
        let text = text.replace("human cells", "human cells of human donors");
        let parsed = parse(&text, Path::new("s.md"));
        assert_eq!(parsed.papers[0].entities[1].mentions, 2);
    }

    #[test]
    fn entity_shapes() {
        let cd27 = one(
            EntityKind::Gene,
            "CD27 (CD27 molecule) [NCBI Gene 939] {aka S152, S152. LPFS2, T14, TNFRSF7, Tp55}",
        );
        assert_eq!(cd27.name, "CD27");
        assert_eq!(cd27.description.as_deref(), Some("CD27 molecule"));
        assert_eq!(cd27.key.unwrap().as_str(), "NCBIGene:939");
        assert_eq!(
            cd27.aliases,
            vec!["S152", "S152. LPFS2", "T14", "TNFRSF7", "Tp55"]
        );
        let npc = one(EntityKind::Disease, "NPC (MESH:D000077274)");
        assert_eq!(npc.key.unwrap().as_str(), "MESH:D000077274");
        assert!(npc.description.is_none());
        let ebv = one(
            EntityKind::Species,
            "human gammaherpesvirus 4 (Epstein Barr virus, no rank) [taxon 10376]",
        );
        assert_eq!(ebv.name, "human gammaherpesvirus 4");
        assert_eq!(ebv.description.as_deref(), Some("Epstein Barr virus"));
        assert_eq!(ebv.key.unwrap().as_str(), "NCBITaxon:10376");
        let cd274 = one(EntityKind::Protein, "CD274 (CD274 molecule)");
        assert!(cd274.key.is_none());
        let nested = one(
            EntityKind::Chemical,
            "IL-2 (interleukin (2)) [MESH:D007376]",
        );
        assert_eq!(nested.description.as_deref(), Some("interleukin (2)"));
    }

    /// A `#` line with no title says so (once), names the paper after its file, and is no
    /// "Notes" section.
    #[test]
    fn an_empty_title_line_is_one_problem() {
        for text in ["#\n\nSome words.\n", "# \n\nSome words.\n"] {
            let p = parse(text, Path::new("notes/empty.md"));
            assert_eq!(p.papers[0].title, "empty");
            assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
            assert!(p.problems[0].message.starts_with("empty `# title` line"));
            assert_eq!(p.problems[0].line, Some(1));
            let sections = &p.papers[0].summary().sections;
            assert!(sections.iter().all(|s| s.body != "#"), "{sections:?}");
        }
    }

    /// A bare `#` inside a section is text, as it was before empty title lines were read:
    /// it is no second title line.
    #[test]
    fn a_bare_hash_in_a_section_is_text() {
        let p = parse("# Title\n\n## Notes\n\n#\nmore\n", Path::new("n.md"));
        assert_eq!(p.papers[0].title, "Title");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
    }

    /// An id alone on its line (`PMID: 123`, `PMID 123`, `DOI: …`) gives the paper its id,
    /// as it made the file count as a summary; a user test found it dropped (`file:b.md`).
    #[test]
    fn an_id_alone_on_its_line_is_the_papers_id() {
        for (line, key) in [
            ("PMID: 22345678", "PMID:22345678"),
            ("PMID 42345678", "PMID:42345678"),
            ("pmid:12", "PMID:12"),
            ("PMCID: PMC77", "PMC:PMC77"),
        ] {
            let text = format!("# B\n\n**Authors:** X Y\n{line}\n\n## Abstract\nText.\n");
            let parsed = parse(&text, Path::new("b.md"));
            assert_eq!(parsed.papers[0].key.as_str(), key, "{line}");
            assert!(parsed.problems.is_empty(), "{line}: {:?}", parsed.problems);
            let sections = &parsed.papers[0].summary().sections;
            let notes = sections.iter().any(|s| s.heading == "Notes");
            assert!(!notes, "{line}: kept as a note");
        }
    }

    /// An empty DOI or a PMID that is no number is reported and left out, not made the
    /// key: two papers with `DOI: ` were one paper (`DOI:`), the second dropped.
    #[test]
    fn empty_or_malformed_ids_are_problems_not_keys() {
        let one = "# Paper one\n\nPMC · DOI:  · Journal A · 2020-01-01\n";
        let two = "# Paper two\n\nPMID: n/a · Journal B · 2021\n";
        let a = parse(one, Path::new("a.md"));
        let b = parse(two, Path::new("b.md"));
        assert_eq!(a.papers[0].key.as_str(), "file:a.md");
        assert_eq!(a.papers[0].ids.doi, None);
        assert_eq!(a.papers[0].journal.as_deref(), Some("Journal A"));
        assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
        assert_eq!(a.problems[0].line, Some(3));
        assert!(a.problems[0].message.contains("empty DOI"));
        assert_eq!(b.papers[0].key.as_str(), "file:b.md");
        assert_eq!(b.papers[0].ids.pmid, None);
        assert!(b.problems[0].message.contains("PMID \"n/a\""));
        let mut lib = crate::library::Library::new();
        lib.add(a.papers[0].clone());
        lib.add(b.papers[0].clone());
        assert_eq!(lib.len(), 2);
    }

    /// Ids that are no ids are reported and left out, the entity kept by name: before,
    /// `[NCBI Gene abc]` made the key `NCBIGene:abc` and `(MESH:)` a description "MESH:".
    #[test]
    fn bad_entity_ids_are_problems_and_the_entity_is_kept_by_name() {
        let table: &[(EntityKind, &str, &str, &str)] = &[
            (
                EntityKind::Gene,
                "CD27 [NCBI Gene abc]",
                "CD27",
                "NCBI Gene id \"abc\" is not a number; \"CD27 [NCBI Gene abc]\" is kept \
                 without an id",
            ),
            (
                EntityKind::Gene,
                "CD70 (CD70 molecule) [NCBI Gene 97O]",
                "CD70",
                "NCBI Gene id \"97O\" is not a number; \"CD70 (CD70 molecule) [NCBI Gene 97O]\" \
                 is kept without an id",
            ),
            (
                EntityKind::Gene,
                "PDCD1 (NCBIGene:x5133)",
                "PDCD1",
                "NCBI Gene id \"x5133\" is not a number; \"PDCD1 (NCBIGene:x5133)\" is kept \
                 without an id",
            ),
            (
                EntityKind::Species,
                "human (human, species) [taxon 96o6]",
                "human",
                "NCBI Taxonomy id \"96o6\" is not a number; \"human (human, species) \
                 [taxon 96o6]\" is kept without an id",
            ),
            (
                EntityKind::Disease,
                "NPC (MESH:)",
                "NPC",
                "empty MESH id; \"NPC (MESH:)\" is kept without an id",
            ),
            (
                EntityKind::Disease,
                "malignancy [MESH: ]",
                "malignancy",
                "empty MESH id; \"malignancy [MESH: ]\" is kept without an id",
            ),
        ];
        for &(kind, item, name, says) in table {
            let mut problems = Vec::new();
            let listed = parse_entity(kind, item, 7, Path::new("x.md"), &mut problems)
                .unwrap_or_else(|| panic!("{item}: dropped"));
            assert_eq!(listed.name, name, "{item}");
            assert_eq!(listed.key, None, "{item}");
            assert!(
                listed
                    .description
                    .as_deref()
                    .is_none_or(|d| !d.contains(':')),
                "{item}: {:?}",
                listed.description
            );
            let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            assert_eq!(shown, [format!("x.md:7: {says}")], "{item}");
        }
        // Good ids of the same shapes are untouched.
        let gene = one(EntityKind::Gene, "CD70 (CD70 molecule) [NCBI Gene 970]");
        assert_eq!(gene.key.unwrap().as_str(), "NCBIGene:970");
        let chebi = one(EntityKind::Chemical, "water (CHEBI:15377)");
        assert_eq!(chebi.key.unwrap().as_str(), "CHEBI:15377");
    }

    /// A date that cannot be is reported and only its year kept; before, `2024-13-45` was
    /// the paper's date without a word.
    #[test]
    fn impossible_dates_are_problems_and_keep_their_year() {
        let table: &[(&str, Option<&str>, Option<&str>)] = &[
            ("2026-03-10", Some("2026-03-10"), None),
            ("2024-02-29", Some("2024-02-29"), None),
            ("2000-02-29", Some("2000-02-29"), None),
            ("2026-12", Some("2026-12"), None),
            ("2026", Some("2026"), None),
            (
                "2024-13-45",
                None,
                Some(
                    "impossible date \"2024-13-45\" (there is no month 13); only the year 2024 is kept",
                ),
            ),
            ("2024-00", None, Some("(there is no month 0)")),
            ("2023-02-29", None, Some("(February 2023 has 28 days)")),
            ("1900-02-29", None, Some("(February 1900 has 28 days)")),
            ("2024-04-31", None, Some("(April 2024 has 30 days)")),
            ("2024-05-00", None, Some("(there is no day 0)")),
        ];
        for &(date, kept, says) in table {
            let text = format!("# T\n\nPMC · Journal · {date}\n");
            let p = parse(&text, Path::new("d.md"));
            let paper = &p.papers[0];
            assert_eq!(paper.year, date[..4].parse().ok(), "{date}");
            assert_eq!(paper.date.as_deref(), kept, "{date}");
            assert_eq!(paper.journal.as_deref(), Some("Journal"), "{date}");
            match says {
                None => assert!(p.problems.is_empty(), "{date}: {:?}", p.problems),
                Some(says) => {
                    assert_eq!(p.problems.len(), 1, "{date}");
                    assert_eq!(p.problems[0].line, Some(3), "{date}");
                    assert!(p.problems[0].message.contains(says), "{:?}", p.problems[0]);
                }
            }
        }
    }

    /// Dates written in words are the paper's date (in numeric form) and year; before,
    /// `March 2020` after the journal was dropped without a word. A part of the id line that
    /// is neither an id, a date nor the journal is reported, not dropped silently.
    #[test]
    fn dates_in_words_and_unknown_parts_of_the_id_line() {
        let table: &[(&str, Option<&str>)] = &[
            ("March 2020", Some("2020-03")),
            ("Mar. 2020", Some("2020-03")),
            ("sept 2019", Some("2019-09")),
            ("12 March 2020", Some("2020-03-12")),
            ("March 12, 2020", Some("2020-03-12")),
            ("2020 Mar 12", Some("2020-03-12")),
            ("2020 Dec", Some("2020-12")),
            ("2020-03-10", Some("2020-03-10")),
            ("March", None),
            ("12 2020", None),
            ("Spring 2020", None),
            ("2020 2021", None),
        ];
        for &(written, date) in table {
            let text = format!("# T\n\nPMID: 1 · Nature · {written}\n");
            let parsed = parse(&text, Path::new("d.md"));
            let paper = &parsed.papers[0];
            assert_eq!(paper.date.as_deref(), date, "{written}");
            assert_eq!(paper.journal.as_deref(), Some("Nature"), "{written}");
            match date {
                Some(date) => {
                    assert_eq!(paper.year, date[..4].parse().ok(), "{written}");
                    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
                }
                None => {
                    assert_eq!(paper.year, None, "{written}");
                    let [problem] = parsed.problems.as_slice() else {
                        panic!("{written}: {:?}", parsed.problems)
                    };
                    assert_eq!(problem.line, Some(3));
                    assert_eq!(
                        problem.message,
                        format!(
                            "\"{written}\" is not an id or a date, and the journal is \"Nature\"; left out"
                        )
                    );
                }
            }
        }
        // An impossible date in words is reported as one in numbers is.
        let parsed = parse("# T\n\nNature · 31 April 2020\n", Path::new("d.md"));
        assert_eq!(parsed.papers[0].year, Some(2020));
        assert!(
            parsed.problems[0]
                .message
                .contains("(April 2020 has 30 days)"),
            "{:?}",
            parsed.problems
        );
    }

    /// The ids of an id line as people paste them: zeros in front of a PMID or PMC number
    /// (a user's summary written `PMID: 06794356` loaded as a second paper beside the
    /// corpus record 6794356), a sentence's full stop after a DOI, doi.org, PubMed and PMC
    /// addresses (a doi.org address was the journal), a bare DOI.
    #[test]
    fn id_line_parts_as_people_paste_them() {
        for (line, pmid, pmcid, doi) in [
            (
                "PMID: 06794356 · PMC:PMC0077",
                Some("6794356"),
                Some("PMC77"),
                None,
            ),
            (
                "PMCID: PMC0012345 · PMID 0031000001",
                Some("31000001"),
                Some("PMC12345"),
                None,
            ),
            ("DOI: 10.1/x7.", None, None, Some("10.1/x7")),
            ("https://doi.org/10.1/x5", None, None, Some("10.1/x5")),
            ("doi: https://doi.org/10.1/X5", None, None, Some("10.1/X5")),
            (
                "10.1038/s41420-026-02999-y",
                None,
                None,
                Some("10.1038/s41420-026-02999-y"),
            ),
            (
                "https://pubmed.ncbi.nlm.nih.gov/3115150/",
                Some("3115150"),
                None,
                None,
            ),
            (
                "https://pmc.ncbi.nlm.nih.gov/articles/PMC13039540/",
                None,
                Some("PMC13039540"),
                None,
            ),
            ("PMC13039540", None, Some("PMC13039540"), None),
        ] {
            let text = format!("# T\n\n{line} · Nature · 2020\n");
            let parsed = parse(&text, Path::new("i.md"));
            assert!(parsed.problems.is_empty(), "{line}: {:?}", parsed.problems);
            let paper = &parsed.papers[0];
            assert_eq!(paper.ids.pmid.as_deref(), pmid, "{line}");
            assert_eq!(paper.ids.pmcid.as_deref(), pmcid, "{line}");
            assert_eq!(paper.ids.doi.as_deref(), doi, "{line}");
            assert_eq!(paper.journal.as_deref(), Some("Nature"), "{line}");
        }
        let parsed = parse("# T\n\nPMID: 000 · Nature\n", Path::new("i.md"));
        assert_eq!(parsed.papers[0].ids.pmid, None);
        assert!(parsed.problems[0].message.contains("is not a number"));
    }

    /// Figures and References written as lists of one's own are kept, line by line, with no
    /// count read from their first item and no problem (ut24d's `1. Fong PC …` was read as
    /// one reference, the list dropped; a bulleted list ran together).
    #[test]
    fn figures_and_references_written_as_lists_are_kept() {
        let text = "# T\n\n## Abstract\nText.\n\n## Figures\n- Fig 1: survival\n- Fig 2: \
                    doses\n\n## References\n1. Fong PC, et al. 2009.\n2. Farmer H, et al. \
                    2005.\n";
        let parsed = parse(text, Path::new("l.md"));
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let summary = parsed.papers[0].summary();
        assert_eq!(
            (summary.figure_count, summary.reference_count),
            (None, None)
        );
        let sections: Vec<(&str, &str)> = summary
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.body.as_str()))
            .collect();
        assert_eq!(
            sections,
            [
                ("Figures", "- Fig 1: survival\n- Fig 2: doses"),
                (
                    "References",
                    "1. Fong PC, et al. 2009.\n2. Farmer H, et al. 2005."
                ),
            ]
        );
        // The summaries' own counts are read as before.
        let text = "# T\n\n## Figures\n4 figures with captions\n\n## References\n16 references\n";
        let summary = parse(text, Path::new("c.md")).papers[0].summary().clone();
        assert_eq!(
            (summary.figure_count, summary.reference_count),
            (Some(4), Some(16))
        );
    }

    /// Ids as people write them beside a name: in round brackets with their source, bare
    /// dbSNP and Cellosaurus ids, a MeSH id in lower case, lists with semicolons, and
    /// `Drugs` for chemicals (ut24d's were kept as no id, or one entity of two).
    #[test]
    fn entity_ids_written_otherwise_are_read() {
        let text = "# T\n\n## Abstract\nText.\n\n## Full-text entities\n\n\
                    - **Genes:** BRCA2 (NCBI Gene 675), TP53 (tumor protein p53)\n\
                    - **Diseases:** breast cancer (MESH D001943); ovarian cancer \
                    (mesh:d010051) {aka ovarian neoplasm; OC}\n\
                    - **Variants:** 5382insC (rs80357906)\n\
                    - **Cell lines:** HeLa (CVCL_0030)\n\
                    - **Drugs:** olaparib (MESH:C531550), aspirin (1999)\n";
        let parsed = parse(text, Path::new("e.md"));
        let entities: Vec<(String, String, EntityKind)> = parsed.papers[0]
            .entities
            .iter()
            .map(|e| (e.name.to_string(), e.key.to_string(), e.kind))
            .collect();
        let has = |name: &str, key: &str, kind: EntityKind| {
            assert!(
                entities
                    .iter()
                    .any(|(n, k, c)| n == name && k == key && *c == kind),
                "{name} {key} {kind:?} in {entities:?}"
            );
        };
        has("BRCA2", "NCBIGene:675", EntityKind::Gene);
        has("breast cancer", "MESH:D001943", EntityKind::Disease);
        has("ovarian cancer", "MESH:D010051", EntityKind::Disease);
        has("5382insC", "dbSNP:rs80357906", EntityKind::Variant);
        has("HeLa", "Cellosaurus:CVCL_0030", EntityKind::CellLine);
        has("olaparib", "MESH:C531550", EntityKind::Chemical);
        // A description stays one, a year included.
        let tp53 = parsed.papers[0].entities.iter().find(|e| e.name == "TP53");
        assert_eq!(
            tp53.and_then(|e| e.description.as_deref()),
            Some("tumor protein p53")
        );
        let aspirin = parsed.papers[0]
            .entities
            .iter()
            .find(|e| e.name == "aspirin");
        assert!(
            aspirin.is_some_and(|e| e.key.is_name_only()),
            "{entities:?}"
        );
        let ovarian = parsed.papers[0]
            .entities
            .iter()
            .find(|e| e.name == "ovarian cancer")
            .expect("ovarian cancer");
        assert_eq!(ovarian.aliases.len(), 2, "{:?}", ovarian.aliases);
    }

    /// A pasted citation's volume, issue and pages are kept for the citations exported
    /// (ut24d's BibTeX entries had none), the last page written whole.
    #[test]
    fn a_citations_volume_issue_and_pages_are_kept() {
        for (line, volume, issue, pages) in [
            (
                "Science. 2003 Oct 24;302(5645):643-6. doi: 10.1126/x. PMID: 14576434.",
                Some("302"),
                Some("5645"),
                Some("643-646"),
            ),
            (
                "J Biol Chem. 1999 Jan 8;274(2):1098-105. PMID: 1.",
                Some("274"),
                Some("2"),
                Some("1098-1105"),
            ),
            (
                "Nature. 2020 Mar 31;580:1. PMID: 5.",
                Some("580"),
                None,
                Some("1"),
            ),
            (
                "J Clin Oncol. 2019;37(15):e14000. PMID: 3.",
                Some("37"),
                Some("15"),
                Some("e14000"),
            ),
            ("Nature. 2020. PMID: 5.", None, None, None),
        ] {
            let text = format!("# T\n\n**Authors:** A B\n{line}\n\n## Abstract\nText.\n");
            let parsed = parse(&text, Path::new("c.md"));
            assert!(parsed.problems.is_empty(), "{line}: {:?}", parsed.problems);
            let summary = parsed.papers[0].summary();
            assert_eq!(summary.volume.as_deref(), volume, "{line}");
            assert_eq!(summary.issue.as_deref(), issue, "{line}");
            assert_eq!(summary.pages.as_deref(), pages, "{line}");
        }
    }

    /// A second `# title` line is text of the section it is in, or left out before the
    /// first section, and the problem says which (ut24b read "kept as text" of a line the
    /// paper showed nowhere).
    #[test]
    fn a_second_title_line_is_said_to_be_kept_or_left_out_as_it_is() {
        let text = "# One\n# Two\n\n## Abstract\nText.\n# Three\n## \nMore.\n";
        let parsed = parse(text, Path::new("t.md"));
        let messages: Vec<&str> = parsed.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "a second `# title` line (the first is on line 1); left out",
                "a second `# title` line (the first is on line 1); kept as text of section \
                 \"Abstract\"",
                "a `##` heading without a name; left out, the lines after it stay in the \
                 section before",
            ]
        );
        let paper = &parsed.papers[0];
        assert_eq!(paper.title, "One");
        let shown = format!("{:?}", paper);
        assert!(!shown.contains("Two"), "{shown}");
        assert!(shown.contains("# Three"), "{shown}");
        assert!(shown.contains("More."), "{shown}");
        assert!(!shown.contains("##"), "{shown}");
    }

    /// An id line whose parts are separated by `|`, `;` or `,` rather than ` · `, and a
    /// PubMed citation pasted as the id line: before, the first was one PMID "not a number"
    /// (or a DOI running to the line's end) and the second a note, the paper keyed by its
    /// file. A part not understood is still a problem at its line.
    #[test]
    fn id_lines_separated_otherwise_and_pubmed_citations() {
        struct Case {
            line: &'static str,
            pmid: Option<&'static str>,
            pmcid: Option<&'static str>,
            doi: Option<&'static str>,
            journal: Option<&'static str>,
            date: Option<&'static str>,
            problems: &'static [&'static str],
        }
        let table = [
            Case {
                line: "PMID: 123 | DOI: 10.1/x | 2020",
                pmid: Some("123"),
                pmcid: None,
                doi: Some("10.1/x"),
                journal: None,
                date: Some("2020"),
                problems: &[],
            },
            Case {
                line: "Nature | 2020-03-10 | PMID: 123 | PMC",
                pmid: Some("123"),
                pmcid: None,
                doi: None,
                journal: Some("Nature"),
                date: Some("2020-03-10"),
                problems: &[],
            },
            Case {
                line: "PMID: 123; DOI: 10.1/x; Cell Death Discovery; 2026-03-10",
                pmid: Some("123"),
                pmcid: None,
                doi: Some("10.1/x"),
                journal: Some("Cell Death Discovery"),
                date: Some("2026-03-10"),
                problems: &[],
            },
            Case {
                line: "PMID:123;DOI:10.1/x",
                pmid: Some("123"),
                pmcid: None,
                doi: Some("10.1/x"),
                journal: None,
                date: None,
                problems: &[],
            },
            Case {
                line: "PMID: 123, PMCID: PMC0077, Nature, March 12, 2020",
                pmid: Some("123"),
                pmcid: Some("PMC77"),
                doi: None,
                journal: Some("Nature"),
                date: Some("2020-03-12"),
                problems: &[],
            },
            Case {
                line: "DOI: 10.1002/(SICI)1097-4636(199606)31:2<213::AID-JBM9>3.0.CO;2-J | PMID: 9",
                pmid: Some("9"),
                pmcid: None,
                doi: Some("10.1002/(SICI)1097-4636(199606)31:2<213::AID-JBM9>3.0.CO;2-J"),
                journal: None,
                date: None,
                problems: &[],
            },
            Case {
                line: "PMID: 123 | Nature | Spring issue | 2020",
                pmid: Some("123"),
                pmcid: None,
                doi: None,
                journal: Some("Nature"),
                date: Some("2020"),
                problems: &[
                    "\"Spring issue\" is not an id or a date, and the journal is \"Nature\"; left out",
                ],
            },
            Case {
                line: "**PMID:** 12345671 · **Journal:** Cell · 2019-3-5",
                pmid: Some("12345671"),
                pmcid: None,
                doi: None,
                journal: Some("Cell"),
                date: Some("2019-03-05"),
                problems: &[],
            },
            Case {
                line: "PMID: 5 | PMC: PMCxyz | Journal | 2020",
                pmid: Some("5"),
                pmcid: None,
                doi: None,
                journal: Some("Journal"),
                date: Some("2020"),
                problems: &["PMCID \"PMCxyz\" is not a PMCID (`PMC` and digits); left out"],
            },
            Case {
                line: "PMID: n/a | DOI: 10.1/x",
                pmid: None,
                pmcid: None,
                doi: Some("10.1/x"),
                journal: None,
                date: None,
                problems: &["PMID \"n/a\" is not a number; left out"],
            },
            Case {
                line: "Nature. 2020 Mar;580(7803):123-8. doi: 10.1038/xyz. PMID: 32238925; \
                       PMCID: PMC7123456.",
                pmid: Some("32238925"),
                pmcid: Some("PMC7123456"),
                doi: Some("10.1038/xyz"),
                journal: Some("Nature"),
                date: Some("2020-03"),
                problems: &[],
            },
            Case {
                line: "Cell Death Discov. 2026 Mar 10;12(1):45. doi: \
                       10.1038/s41420-026-02999-y. Epub 2026 Feb 3. PMID: 41000001; PMCID: \
                       PMC13039540. Free PMC article.",
                pmid: Some("41000001"),
                pmcid: Some("PMC13039540"),
                doi: Some("10.1038/s41420-026-02999-y"),
                journal: Some("Cell Death Discov"),
                date: Some("2026-03-10"),
                problems: &[],
            },
            // The README's own example, no stop after the DOI (ut24a: the DOI ran on
            // into `PMID: 32238925`, a key with a space, no PMID and no merge).
            Case {
                line: "Nature. 2020 Mar;580(7803):123-8. doi: 10.1038/s41586-020-2012-7 PMID: \
                       32238925.",
                pmid: Some("32238925"),
                pmcid: None,
                doi: Some("10.1038/s41586-020-2012-7"),
                journal: Some("Nature"),
                date: Some("2020-03"),
                problems: &[],
            },
            Case {
                line: "PMID: 123 PMCID: PMC5 | doi:10.1/x https://pubmed.ncbi.nlm.nih.gov/123/",
                pmid: Some("123"),
                pmcid: Some("PMC5"),
                doi: Some("10.1/x"),
                journal: None,
                date: None,
                problems: &[],
            },
            Case {
                line: "DOI: 10.1/x PMID: 7 · Cell Reports · 2020",
                pmid: Some("7"),
                pmcid: None,
                doi: Some("10.1/x"),
                journal: Some("Cell Reports"),
                date: Some("2020"),
                problems: &[],
            },
            Case {
                line: "Proc Natl Acad Sci U S A. 2019 Jul-Aug;116(30):15000-5. doi: \
                       10.1073/pnas.1900001116. Online ahead of print.",
                pmid: None,
                pmcid: None,
                doi: Some("10.1073/pnas.1900001116"),
                journal: Some("Proc Natl Acad Sci U S A"),
                date: Some("2019-07"),
                problems: &[],
            },
            Case {
                line: "J Clin Oncol. 2019 Spring;37(15):e14000. Retracted. PMID: 31000001.",
                pmid: Some("31000001"),
                pmcid: None,
                doi: None,
                journal: Some("J Clin Oncol"),
                date: None,
                problems: &[
                    "date \"2019 Spring\" is not one tomes reads; only its year is kept",
                    "\"Retracted\" is not an id or a date, and the journal is \"J Clin Oncol\"; left out",
                ],
            },
            Case {
                line: "Nature. 2020 Mar 31;580:1. Erratum in: Nature. 2021. PMID: 5.",
                pmid: Some("5"),
                pmcid: None,
                doi: None,
                journal: Some("Nature"),
                date: Some("2020-03-31"),
                problems: &[
                    "\"Erratum in: Nature\" is not an id or a date, and the journal is \"Nature\"; left out",
                    "\"2021\" is a second date (the citation's is \"2020 Mar 31\"); left out",
                ],
            },
        ];
        for case in table {
            let line = case.line;
            let text = format!("# T\n\n**Authors:** A B\n{line}\n\n## Abstract\nText.\n");
            let parsed = parse(&text, Path::new("i.md"));
            let paper = &parsed.papers[0];
            assert_eq!(paper.ids.pmid.as_deref(), case.pmid, "{line}");
            assert_eq!(paper.ids.pmcid.as_deref(), case.pmcid, "{line}");
            assert_eq!(paper.ids.doi.as_deref(), case.doi, "{line}");
            assert_eq!(paper.journal.as_deref(), case.journal, "{line}");
            assert_eq!(paper.date.as_deref(), case.date, "{line}");
            let year = case.date.map(|d| d[..4].parse::<i32>().unwrap());
            if !case.problems.iter().any(|p| p.contains("only its year")) {
                assert_eq!(paper.year, year, "{line}");
            } else {
                assert_eq!(paper.year, Some(2019), "{line}");
            }
            let messages: Vec<&str> = parsed.problems.iter().map(|p| &*p.message).collect();
            assert_eq!(messages, case.problems, "{line}");
            assert!(parsed.problems.iter().all(|p| p.line == Some(4)), "{line}");
            let notes = paper
                .summary()
                .sections
                .iter()
                .any(|s| s.heading == "Notes");
            assert!(!notes, "{line}: kept as a note");
        }
    }

    /// Lines before the first section that mention an id or a date but are no id line stay
    /// the paper's notes, word for word.
    #[test]
    fn notes_that_mention_ids_stay_notes() {
        for note in [
            "We cite PMID: 123, which matters.",
            "Read on, then stop.",
            "Seen in Nature. 2020 was a good year.",
            "Nature | Science",
            "Compare PMID: 5 | PMID: 6 | then decide | later",
        ] {
            let text = format!("# T\n\n**Authors:** A B\n{note}\n\n## Abstract\nText.\n");
            let parsed = parse(&text, Path::new("n.md"));
            let paper = &parsed.papers[0];
            assert_eq!(paper.key.as_str(), "file:n.md", "{note}");
            let sections = &paper.summary().sections;
            let kept = sections.iter().find(|s| s.heading == "Notes");
            assert_eq!(kept.map(|s| s.body.as_str()), Some(note), "{note}");
            assert!(parsed.problems.is_empty(), "{note}: {:?}", parsed.problems);
        }
    }

    /// `et al.` and `and others` close an authors line, they are no one's name; ` and ` and
    /// ` & ` separate names as commas do.
    #[test]
    fn authors_lines_as_people_write_them() {
        for (line, names) in [
            (
                "Jane Doe, Richard Roe et al.",
                &["Jane Doe", "Richard Roe"][..],
            ),
            ("Jane Doe, Richard Roe, et al", &["Jane Doe", "Richard Roe"]),
            ("Jane Doe and others", &["Jane Doe"]),
            (
                "Jane Doe, Richard Roe and John Smith",
                &["Jane Doe", "Richard Roe", "John Smith"],
            ),
            ("Jane Doe & Richard Roe", &["Jane Doe", "Richard Roe"]),
            ("J. A. Doe; R. Roe", &["J. A. Doe", "R. Roe"]),
            ("Ana Robet al", &["Ana Robet al"]),
            (
                "Jane Doe, Richard Roe, and John Smith",
                &["Jane Doe", "Richard Roe", "John Smith"],
            ),
            ("Jane Doe, Richard Roe,", &["Jane Doe", "Richard Roe"]),
            // A suffix after a comma is the name's before it (ut23c).
            (
                "Robert Smith, Jr., Paul Jones",
                &["Robert Smith, Jr.", "Paul Jones"],
            ),
            (
                "Henry Ford, III and Jane Doe",
                &["Henry Ford, III", "Jane Doe"],
            ),
        ] {
            let text = format!("# T\n\n**Authors:** {line}\n\n## Abstract\nText.\n");
            let parsed = parse(&text, Path::new("a.md"));
            assert_eq!(parsed.papers[0].authors, names, "{line}");
            assert!(parsed.problems.is_empty(), "{line}: {:?}", parsed.problems);
        }
    }

    /// A user test's `Jane Doe, , John Roe` lost a name without a word: an empty name is a
    /// problem at its line naming where it is, the names around it kept.
    #[test]
    fn empty_author_names_are_problems() {
        for (line, names, says) in [
            (
                "Jane Doe, , John Roe",
                &["Jane Doe", "John Roe"][..],
                &["empty author name between \"Jane Doe\" and \"John Roe\"; left out"][..],
            ),
            (
                ", Jane Doe; ; John Roe",
                &["Jane Doe", "John Roe"],
                &[
                    "empty author name before \"Jane Doe\"; left out",
                    "empty author name between \"Jane Doe\" and \"John Roe\"; left out",
                ],
            ),
            (
                "Jane Doe,,",
                &["Jane Doe"],
                &["empty author name after \"Jane Doe\"; left out"],
            ),
        ] {
            let text = format!("# T\n\n**Authors:** {line}\n\n## Abstract\nText.\n");
            let parsed = parse(&text, Path::new("a.md"));
            assert_eq!(parsed.papers[0].authors, names, "{line}");
            let got: Vec<(Option<usize>, &str)> = parsed
                .problems
                .iter()
                .map(|p| (p.line, p.message.as_str()))
                .collect();
            let want: Vec<(Option<usize>, &str)> = says.iter().map(|m| (Some(3), *m)).collect();
            assert_eq!(got, want, "{line}");
        }
    }

    /// A user test's id line `PMC · DOI: not-a-doi · · 2025-13-45` gave no problem: the
    /// paper was keyed `DOI:not-a-doi` and linked to doi.org, and `· 2025-13-45` (after the
    /// empty part) was its journal, its date unread. Now the DOI is reported and left out,
    /// the empty part is harmless, and the impossible date is reported with its year kept.
    #[test]
    fn a_doi_that_is_none_and_an_empty_part_of_the_id_line() {
        let text = "# T\n\n**Authors:** Jane Doe\nPMC · DOI: not-a-doi · · 2025-13-45\n";
        let parsed = parse(text, Path::new("p.md"));
        let paper = &parsed.papers[0];
        assert_eq!(paper.ids.doi, None);
        assert_eq!(paper.key.as_str(), "file:p.md");
        assert_eq!(paper.journal, None);
        assert_eq!(paper.year, Some(2025));
        assert_eq!(paper.date, None);
        let got: Vec<(Option<usize>, &str)> = parsed
            .problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some(4),
                    "DOI \"not-a-doi\" is not a DOI (one starts with `10.` and has a `/`); left out"
                ),
                (
                    Some(4),
                    "impossible date \"2025-13-45\" (there is no month 13); only the year 2025 is kept"
                ),
            ]
        );
        for doi in ["10.1038", "11.1/x", "10./x", "doi"] {
            let text = format!("# T\n\nDOI: {doi} · Nature · 2020\n");
            let parsed = parse(&text, Path::new("p.md"));
            assert_eq!(parsed.papers[0].ids.doi, None, "{doi}");
            assert_eq!(parsed.problems.len(), 1, "{doi}: {:?}", parsed.problems);
        }
        // Empty parts anywhere are no problem.
        let parsed = parse(
            "# T\n\n· PMID: 1 · · Nature · · 2020 ·\n",
            Path::new("p.md"),
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.papers[0].journal.as_deref(), Some("Nature"));
        assert_eq!(parsed.papers[0].year, Some(2020));
        // A year no paper has is no year.
        for (date, year) in [
            ("0025-13-45", None),
            ("2925-01-01", None),
            ("1665-03-06", Some(1665)),
        ] {
            let text = format!("# T\n\nPMID: 1 · Nature · {date}\n");
            let parsed = parse(&text, Path::new("p.md"));
            assert_eq!(parsed.papers[0].year, year, "{date}");
            assert_eq!(parsed.problems.len(), usize::from(year.is_none()), "{date}");
        }
    }

    /// A list written as a sentence ends in a full stop that is no part of its last name;
    /// an abbreviation's full stop is.
    #[test]
    fn listed_names_lose_a_sentences_full_stop() {
        let mut listed = Vec::new();
        let mut problems = Vec::new();
        entity_line(
            "- **Genes:** CD27 [NCBI Gene 939] {aka S152., T14;}, CD70.",
            7,
            &mut listed,
            Path::new("x.md"),
            &mut problems,
        );
        entity_line(
            "- **Species:** Parus major L.",
            8,
            &mut listed,
            Path::new("x.md"),
            &mut problems,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let names: Vec<(&str, &[String])> = listed
            .iter()
            .map(|l| (l.name.as_str(), &l.aliases[..]))
            .collect();
        assert_eq!(
            names,
            [
                ("CD27", &["S152".to_owned(), "T14".to_owned()][..]),
                ("CD70", &[][..]),
                ("Parus major L.", &[][..]),
            ]
        );
    }

    #[test]
    fn split_only_outside_brackets() {
        let (items, ok) = split_depth0("a (b, c) [d], e {f, g}, h");
        assert!(ok);
        assert_eq!(items, vec!["a (b, c) [d]", "e {f, g}", "h"]);
        assert_eq!(split_depth0("a (b, c"), (vec!["a (b", "c"], false));
        assert_eq!(split_depth0("a b), c"), (vec!["a b)", "c"], false));
        assert_eq!(
            split_depth0("a (x [1] {y, z}, b (w) [2]"),
            (vec!["a (x [1] {y, z}", "b (w) [2]"], false)
        );
        assert_eq!(split_depth0("a (b]), c"), (vec!["a (b])", "c"], false));
    }

    #[test]
    fn unbalanced_line_is_reported_and_the_rest_kept() {
        let mut listed = Vec::new();
        let mut problems = Vec::new();
        entity_line(
            "- **Genes:** CD27 (CD27 molecule [NCBI Gene 939], CD70 (CD70 molecule) [NCBI Gene 970]",
            7,
            &mut listed,
            Path::new("x.md"),
            &mut problems,
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(7));
        assert_eq!(
            problems[0].message,
            "unbalanced brackets in the Genes list: \"CD27 (CD27 molecule [NCBI Gene 939]\" \
             read as \"CD27\" with the id NCBIGene:939"
        );
        let keys: Vec<_> = listed
            .iter()
            .map(|l| l.key.clone().unwrap().0.to_string())
            .collect();
        assert_eq!(keys, vec!["NCBIGene:939", "NCBIGene:970"]);
        assert_eq!(listed[0].name, "CD27");
    }

    /// A user test's `leukemia MESH:D007938)` showed in the entity pane as a name that looks
    /// like an entity with an id, had none, and the problem named no item: a CURIE before a
    /// closing bracket that closes nothing is the id, and the problem names the item and
    /// what it was read as.
    #[test]
    fn an_id_before_a_bracket_that_closes_nothing_is_read() {
        let cases: &[(&str, &str, Option<&str>, &str)] = &[
            (
                "leukemia MESH:D007938), lymphoma (MESH:D008223)",
                "leukemia",
                Some("MESH:D007938"),
                "\"leukemia MESH:D007938)\" read as \"leukemia\" with the id MESH:D007938",
            ),
            (
                "leukemia (blood cancer) MESH:D007938]",
                "leukemia",
                Some("MESH:D007938"),
                "\"leukemia (blood cancer) MESH:D007938]\" read as \"leukemia\" with the id MESH:D007938",
            ),
            (
                "leukemia of sorts), lymphoma (MESH:D008223)",
                "leukemia of sorts",
                None,
                "\"leukemia of sorts)\" read as \"leukemia of sorts\" without an id",
            ),
        ];
        for &(list, name, key, says) in cases {
            let mut listed = Vec::new();
            let mut problems = Vec::new();
            let line = format!("- **Diseases:** {list}");
            entity_line(&line, 9, &mut listed, Path::new("x.md"), &mut problems);
            assert_eq!(listed[0].name, name, "{list}");
            assert_eq!(listed[0].key.as_ref().map(EntityKey::as_str), key, "{list}");
            let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
            assert_eq!(
                messages,
                [format!("unbalanced brackets in the Diseases list: {says}")],
                "{list}"
            );
        }
    }

    #[test]
    fn source_line_without_rule() {
        let text = "# T\n\n## References\n\n3 references\nSource: https://x.org/paper/PMC42\n";
        let parsed = parse(text, Path::new("a.md"));
        let p = &parsed.papers[0];
        assert_eq!(p.key.as_str(), "PMC:PMC42");
        assert_eq!(p.summary().reference_count, Some(3));
        assert_eq!(p.summary().links.len(), 1);
        assert_eq!(p.summary().links[0].label, "Source");
    }

    #[test]
    fn sections_in_any_order_and_missing_title() {
        let text = "## Abstract\n\nSome text.\n\n## Key findings\n\n- one\n- two\n  continued\n\n## Methods\n\nWe did things.\n\n## Abstract\n\nMore.\n";
        let parsed = parse(text, Path::new("dir/paper_x.md"));
        let p = &parsed.papers[0];
        assert_eq!(p.title, "paper_x");
        assert_eq!(p.key.as_str(), "file:dir/paper_x.md");
        assert_eq!(
            p.abstract_text.as_ref().and_then(AbstractText::held),
            Some("Some text.\n\nMore.")
        );
        assert_eq!(p.summary().key_findings, vec!["one", "two continued"]);
        assert_eq!(p.summary().sections[0].heading, "Methods");
        assert_eq!(p.summary().sections[0].body, "We did things.");
        let lines: Vec<_> = parsed.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![Some(15), Some(1)], "{:?}", parsed.problems);
    }

    /// Authors written `**Authors**: A B` (the colon outside the bold) or `Authors: A B`
    /// are the paper's authors, not a note; sections written `###` are sections when the
    /// file has no `##` ones, or when they name a summary's part. Other `###` headings under
    /// a `##` section are part of its text.
    #[test]
    fn authors_and_sections_written_otherwise() {
        let sections_of = |p: &Paper| -> Vec<(String, String)> {
            (p.summary().sections.iter())
                .map(|s| (s.heading.clone(), s.body.clone()))
                .collect()
        };
        for authors in [
            "**Authors**: A B, C D",
            "Authors: A B, C D",
            "**Author:** A B, C D",
        ] {
            let text = format!(
                "# T\n\n{authors}\n\n### Abstract\nText.\n\n### Key findings\n- one\n\n### Methods\nDone.\n"
            );
            let parsed = parse(&text, Path::new("t.md"));
            assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
            let p = &parsed.papers[0];
            assert_eq!(p.authors, ["A B", "C D"], "{authors}");
            assert_eq!(
                p.abstract_text.as_ref().and_then(AbstractText::held),
                Some("Text.")
            );
            assert_eq!(p.summary().key_findings, ["one"]);
            assert_eq!(sections_of(p), [("Methods".into(), "Done.".into())]);
        }
        let text = "# T\n\n## Full text\n### Methods\nDone.\n### Abstract\nText.\n";
        let p = &parse(text, Path::new("t.md")).papers[0];
        assert_eq!(
            p.abstract_text.as_ref().and_then(AbstractText::held),
            Some("Text.")
        );
        assert_eq!(
            sections_of(p),
            [("Full text".into(), "### Methods Done.".into())]
        );
    }

    /// A fenced code block (```` ``` ```` or `~~~`) is text of the section it is in: its
    /// `##`, `# `, `---` or `Source:` lines are no section, title, rule or source, and a
    /// `## ` in one does not make the file's `###` headings sub-headings.
    #[test]
    fn fenced_blocks_are_text_of_their_section() {
        let text = "# T\n\n## Methods\nRun:\n```sh\n## not a section\n# not a title\n---\n\
                    Source: none\n```\nDone.\n\n## Notes\n~~~\n```\n## still code\n~~~\n\n\
                    ## Abstract\nText.\n";
        let parsed = parse(text, Path::new("t.md"));
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let p = &parsed.papers[0];
        assert_eq!(p.title, "T");
        let sections: Vec<(&str, &str)> = (p.summary().sections.iter())
            .map(|s| (s.heading.as_str(), s.body.as_str()))
            .collect();
        assert_eq!(
            sections,
            [
                (
                    "Methods",
                    "Run:\n```sh\n## not a section\n# not a title\n---\nSource: none\n```\nDone."
                ),
                ("Notes", "~~~\n```\n## still code\n~~~"),
            ]
        );
        assert!(p.summary().links.is_empty(), "{:?}", p.summary().links);
        assert_eq!(
            p.abstract_text.as_ref().and_then(AbstractText::held),
            Some("Text.")
        );

        // In an abstract too: the block keeps its lines, the prose around it is joined.
        let text = "# T\n\n## Abstract\nWe ran\nthis:\n```\n## not a heading\n  code here\n```\nDone\nwell.\n";
        let p = &parse(text, Path::new("t.md")).papers[0];
        assert_eq!(
            p.abstract_text.as_ref().and_then(AbstractText::held),
            Some("We ran this:\n```\n## not a heading\n  code here\n```\nDone well.")
        );

        let text = "# T\n\n### Abstract\nText.\n\n### Methods\n````\n## code\n```\n````\n";
        let p = &parse(text, Path::new("t.md")).papers[0];
        assert_eq!(p.summary().sections[0].heading, "Methods");
        assert_eq!(p.summary().sections[0].body, "````\n## code\n```\n````");
    }

    /// A block never closed takes the rest of the file, so the problem says where it opens.
    #[test]
    fn a_fence_never_closed_is_a_problem_at_its_start() {
        let text = "# T\n\n## Abstract\nText.\n```\n## Key findings\n- one\n";
        let parsed = parse(text, Path::new("t.md"));
        let problems: Vec<(Option<usize>, &str)> = (parsed.problems.iter())
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            problems,
            [(
                Some(5),
                "a fenced code block opened here is never closed; the rest of the file is its text"
            )]
        );
        assert!(parsed.papers[0].summary().key_findings.is_empty());
    }
}
