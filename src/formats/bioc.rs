//! BioC XML, read with quick-xml's streaming reader (no DOM, no DTD fetching, no custom
//! entity expansion: an undefined `&name;` is a problem, not a panic or a fetch).
//!
//! `collection/document/{id, passage*, relation*}`; a passage has `infon key="type"`
//! (`title`, `abstract`, ...), `offset`, `text` and annotations with infons `identifier` (or
//! `Identifier`) and `type`, one or more `location offset= length=`, and `text`. Relations
//! carry `type`, `novel` and the two entity ids as `entity1`/`entity2` infons (BioRED), as
//! other infons (`Chemical`/`Disease` in BC5CDR), or as `node refid=` pointing at
//! annotations. Malformed XML is a problem at its line; the document it is in is left out
//! and reading starts again at the next `<document>` (the rest of the file is skipped when
//! there is none). Well-formed XML nested where BioC nests nothing is a problem at its
//! start: a document inside another is read as a document of its own, as is the one around
//! it; a passage, annotation or relation outside any document, or a passage inside another
//! passage, is left out. Problems are placed at their byte of the text; where the file's
//! invalid UTF-8 was replaced, the library moves them to the file's byte.

use super::Parsed;
use super::annotated::{CharIndex, DocBuilder, Misplaced, find_misplaced};
use crate::model::{Format, PaperIds, PaperKey, Problem, Span, quoted};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::cell::OnceCell;
use std::path::Path;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Elem {
    Collection,
    Document,
    Passage,
    Annotation,
    Relation,
    Infon,
    Id,
    Offset,
    Text,
    Location,
    Node,
    Other,
}

fn elem_of(name: &str) -> Elem {
    match name {
        "collection" => Elem::Collection,
        "document" => Elem::Document,
        "passage" => Elem::Passage,
        "annotation" => Elem::Annotation,
        "relation" => Elem::Relation,
        "infon" => Elem::Infon,
        "id" => Elem::Id,
        "offset" => Elem::Offset,
        "text" => Elem::Text,
        "location" => Elem::Location,
        "node" => Elem::Node,
        _ => Elem::Other,
    }
}

#[derive(Default)]
struct PassageState {
    kind: String,
    offset: u32,
    text: String,
    /// Built for the passage's first annotation, and reset with its text.
    chars: OnceCell<CharIndex>,
}

impl PassageState {
    fn chars(&self) -> &CharIndex {
        self.chars.get_or_init(|| CharIndex::new(&self.text))
    }
}

#[derive(Default)]
struct AnnotationState {
    id: String,
    identifier: String,
    type_name: String,
    locations: Vec<(u32, u32)>,
    text: String,
    line: usize,
    byte: usize,
}

impl AnnotationState {
    /// Empty again, keeping its buffers (five allocations an annotation otherwise).
    fn clear(&mut self) {
        self.id.clear();
        self.identifier.clear();
        self.type_name.clear();
        self.locations.clear();
        self.text.clear();
        self.line = 0;
        self.byte = 0;
    }
}

/// A document's annotation ids -> their identifiers. Looked up by every relation node: a
/// list searched from its start took a second for 10,000 relations among 20,000 annotations.
type AnnotationIds = foldhash::HashMap<String, String>;

#[derive(Default)]
struct RelationState {
    kind: String,
    novel: Option<bool>,
    ids: Vec<String>,
    line: usize,
    byte: usize,
}

/// A document put aside while a document written inside it is read, and taken up again
/// after it: both are read as documents of their own.
struct OuterDocument {
    doc: Option<DocBuilder>,
    id: String,
    line: usize,
    byte: usize,
    place: usize,
    passage: PassageState,
    annotation: Option<AnnotationState>,
    relation: Option<RelationState>,
    annotation_ids: AnnotationIds,
    passages_seen: usize,
}

/// How a problem names a document: by its id, or where it starts when it has none (yet).
fn document_name(id: &str, byte: usize) -> String {
    match id {
        "" => format!("the document at byte {byte}"),
        id => format!("document {id}"),
    }
}

/// Byte position -> 1-based line, counting forward from the last position asked.
struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// A problem at byte `pos` of the text (which is the whole file): its line and byte, as
    /// most BioC files are one line.
    fn problem(&mut self, path: &Path, pos: usize, message: impl Into<String>) -> Problem {
        Problem::new(path, Some(self.line_at(pos)), message).at_byte(pos as u64)
    }

    fn line_at(&mut self, pos: usize) -> usize {
        let pos = pos.min(self.text.len());
        if pos < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += memchr::memchr_iter(b'\n', &self.text[self.pos..pos]).count();
        self.pos = pos;
        self.line
    }
}

pub fn parse(text: &str, path: &Path) -> Parsed {
    // Most files are read by the plain scanner; one it cannot read exactly as quick-xml
    // does is read again by quick-xml from its start.
    read_events(text, path, &mut Scanner::new(text))
        .unwrap_or_else(|| read_events(text, path, &mut QuickXml::new(text)).unwrap_or_default())
}

/// What a [`Source`] read next.
enum Next<'a> {
    /// An event and the byte of the text it starts at.
    Event(usize, Event<'a>),
    /// Malformed XML, found at the byte given.
    Malformed(usize, quick_xml::Error),
    /// The source cannot say what quick-xml would read here: the text is read again by
    /// quick-xml.
    GiveUp,
}

/// XML events of a whole BioC file.
trait Source<'a> {
    fn next(&mut self) -> Next<'a>;
    /// Where reading (re)started last: 0, or the `<document>` read on from after
    /// malformed XML.
    fn base(&self) -> usize;
    /// Reads on from byte `at` (a `<document` start tag), after malformed XML, taking end
    /// tags of elements opened before it.
    fn restart(&mut self, at: usize);
}

/// quick-xml's reader, which reads any XML and says what is wrong with malformed XML.
struct QuickXml<'a> {
    text: &'a str,
    reader: Reader<&'a [u8]>,
    base: usize,
}

impl<'a> QuickXml<'a> {
    fn new(text: &'a str) -> Self {
        QuickXml {
            text,
            reader: Reader::from_str(text),
            base: 0,
        }
    }
}

impl<'a> Source<'a> for QuickXml<'a> {
    fn next(&mut self) -> Next<'a> {
        let start = self.base + self.reader.buffer_position() as usize;
        match self.reader.read_event() {
            Ok(event) => Next::Event(start, event),
            Err(e) => Next::Malformed(self.base + self.reader.error_position() as usize, e),
        }
    }

    fn base(&self) -> usize {
        self.base
    }

    fn restart(&mut self, at: usize) {
        self.base = at;
        self.reader = Reader::from_str(&self.text[at..]);
        self.reader.config_mut().allow_unmatched_ends = true;
    }
}

/// Reads well-formed XML of the kinds BioC files are written in (tags, text, entity
/// references, an XML declaration or processing instruction, a plain DOCTYPE) into the
/// events quick-xml reads from it, at a fraction of the cost: quick-xml checks every
/// event's bytes are UTF-8 (the text is a `str` already) and takes 27 instructions a byte
/// of BioRED's BioC files, half of reading them. Anything else (comments, CDATA, a
/// byte-order mark, malformed XML) it gives up on, and the file is read by quick-xml.
struct Scanner<'a> {
    text: &'a str,
    at: usize,
    /// Names of the open elements (checked against end tags, as quick-xml does).
    open: Vec<&'a str>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            text,
            at: 0,
            open: Vec::new(),
        }
    }

    /// The tag starting with `<` at `start`: the byte of the `>` that closes it outside
    /// quoted values, as quick-xml finds it. (Byte by byte: tags are short, and a
    /// `memchr3` iterator took 270 instructions a tag to set up and run.)
    fn tag_end(&self, start: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut quote = 0u8;
        for (i, &b) in bytes[start..].iter().enumerate() {
            match b {
                b'>' if quote == 0 => return Some(start + i),
                b'"' | b'\'' if quote == 0 => quote = b,
                _ if b == quote => quote = 0,
                _ => {}
            }
        }
        None
    }
}

impl<'a> Source<'a> for Scanner<'a> {
    fn next(&mut self) -> Next<'a> {
        use quick_xml::events::{BytesEnd, BytesRef, BytesText};
        let text = self.text;
        let bytes = text.as_bytes();
        let start = self.at;
        if start == 0 && text.starts_with('\u{feff}') {
            // quick-xml skips a byte-order mark.
            return Next::GiveUp;
        }
        match bytes.get(start) {
            None => Next::Event(start, Event::Eof),
            Some(b'<') => match bytes.get(start + 1) {
                Some(b'?') => {
                    // An XML declaration or a processing instruction: nothing read from it.
                    if bytes.get(start + 2) == Some(&b'>') {
                        return Next::GiveUp;
                    }
                    let Some(end) = memchr::memmem::find(&bytes[start + 2..], b"?>") else {
                        return Next::GiveUp;
                    };
                    self.at = start + 2 + end + 2;
                    self.next()
                }
                Some(b'!') => {
                    // A DOCTYPE naming an external DTD, nothing read from it; comments,
                    // CDATA and internal subsets are left to quick-xml.
                    const DOCTYPE: &[u8] = b"<!DOCTYPE";
                    let Some(end) = memchr::memchr(b'>', &bytes[start..]).map(|i| start + i) else {
                        return Next::GiveUp;
                    };
                    let inside = &bytes[start..end];
                    let plain = inside.len() > DOCTYPE.len()
                        && inside[..DOCTYPE.len()].eq_ignore_ascii_case(DOCTYPE)
                        && quick_xml::utils::is_whitespace(inside[DOCTYPE.len()])
                        && inside[DOCTYPE.len()..]
                            .iter()
                            .any(|&b| !quick_xml::utils::is_whitespace(b))
                        && !inside[1..].iter().any(|b| matches!(b, b'[' | b'<' | b'\''))
                        && inside.iter().filter(|&&b| b == b'"').count() % 2 == 0;
                    if !plain {
                        return Next::GiveUp;
                    }
                    self.at = end + 1;
                    self.next()
                }
                Some(b'/') => {
                    // A quote before the `>` is left to quick-xml (it reads quoted values
                    // in end tags).
                    let Some(end) = bytes[start..]
                        .iter()
                        .position(|&b| matches!(b, b'>' | b'"' | b'\''))
                        .map(|i| start + i)
                        .filter(|&end| bytes[end] == b'>')
                    else {
                        return Next::GiveUp;
                    };
                    let inside = &bytes[start + 2..end];
                    let name_end = inside
                        .iter()
                        .rposition(|&b| !quick_xml::utils::is_whitespace(b))
                        .map_or(0, |last| last + 1);
                    let name = &text[start + 2..start + 2 + name_end];
                    if self.open.pop() != Some(name) {
                        return Next::GiveUp;
                    }
                    self.at = end + 1;
                    Next::Event(start, Event::End(BytesEnd::new(name)))
                }
                Some(&b) if !quick_xml::utils::is_whitespace(b) && b != b'>' && b != b'/' => {
                    let Some(end) = self.tag_end(start) else {
                        return Next::GiveUp;
                    };
                    self.at = end + 1;
                    let inside = &text[start + 1..end];
                    let (inside, empty) = match inside.strip_suffix('/') {
                        Some(inside) => (inside, true),
                        None => (inside, false),
                    };
                    let name_len = quick_xml::utils::name_len(inside.as_bytes());
                    if name_len == 0 {
                        return Next::GiveUp;
                    }
                    let tag = BytesStart::from_content(inside, name_len);
                    if empty {
                        Next::Event(start, Event::Empty(tag))
                    } else {
                        self.open.push(&inside[..name_len]);
                        Next::Event(start, Event::Start(tag))
                    }
                }
                _ => Next::GiveUp,
            },
            Some(b'&') => {
                // quick-xml takes a reference up to the first `;`, and calls one without
                // it malformed.
                match memchr::memchr3(b';', b'&', b'<', &bytes[start + 1..]) {
                    Some(i) if bytes[start + 1 + i] == b';' => {
                        self.at = start + 1 + i + 1;
                        let name = &text[start + 1..start + 1 + i];
                        Next::Event(start, Event::GeneralRef(BytesRef::new(name)))
                    }
                    _ => Next::GiveUp,
                }
            }
            Some(_) => {
                let end =
                    memchr::memchr2(b'<', b'&', &bytes[start..]).map_or(text.len(), |i| start + i);
                self.at = end;
                Next::Event(
                    start,
                    Event::Text(BytesText::from_escaped(&text[start..end])),
                )
            }
        }
    }

    fn base(&self) -> usize {
        0
    }

    fn restart(&mut self, _at: usize) {
        unreachable!("the scanner gives up on malformed XML")
    }
}

/// Reads a BioC file from `source`; `None` if the source gave up.
fn read_events<'a>(text: &'a str, path: &Path, source: &mut impl Source<'a>) -> Option<Parsed> {
    let mut parsed = Parsed::default();
    let mut lines = LineCounter {
        text: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut stack: Vec<Elem> = Vec::new();
    let mut infon_key = String::new();
    let mut chars = String::new();
    let mut doc: Option<DocBuilder> = None;
    let mut doc_id = String::new();
    let mut doc_line = 0;
    let mut doc_byte = 0;
    // The document's place among the file's documents, from 1: the key of one without an id.
    let mut doc_place = 0;
    let mut documents_started = 0;
    let mut passage = PassageState::default();
    let mut annotation: Option<AnnotationState> = None;
    // The last annotation read, its buffers reused for the next.
    let mut spare_annotation = AnnotationState::default();
    let mut relation: Option<RelationState> = None;
    // Annotation id -> identifier, for relations that point at annotations by `refid`.
    let mut annotation_ids = AnnotationIds::default();
    let mut passages_seen = 0usize;
    let mut outer_documents: Vec<OuterDocument> = Vec::new();
    // The depth of an element left out (a passage outside any document or inside another
    // passage): everything in it is skipped, up to its end tag.
    let mut left_out_depth: Option<usize> = None;
    let problems = &mut parsed.problems;
    let has_cr = memchr::memchr(b'\r', text.as_bytes()).is_some();

    loop {
        let (event_start, event) = match source.next() {
            Next::Event(start, event) => (start, event),
            Next::GiveUp => return None,
            Next::Malformed(at, e) => {
                let base = source.base();
                // One broken tag cost every document after it; the next `<document` is
                // where well-formed XML can start again. Past the last start, so a broken
                // `<document` tag itself is not read again and again.
                let Some(next) = next_document(text, at.max(base + 1)) else {
                    problems.push(lines.problem(
                        path,
                        at,
                        format!("malformed XML: {e}; the rest of the file is skipped"),
                    ));
                    break;
                };
                let left_out = if stack.contains(&Elem::Document) {
                    let outer = outer_documents.iter().rev();
                    let names: Vec<String> = std::iter::once(document_name(&doc_id, doc_byte))
                        .chain(outer.map(|o| document_name(&o.id, o.byte)))
                        .collect();
                    format!("; {} left out", names.join(" and "))
                } else {
                    String::new()
                };
                problems.push(lines.problem(
                    path,
                    at,
                    format!(
                        "malformed XML: {e}{left_out}, read on from the next <document> \
                         (byte {next})"
                    ),
                ));
                // What was open outside the documents stays open; the new reader has
                // seen none of it, so it must take their end tags without a start.
                let outside = stack
                    .iter()
                    .rposition(|e| *e == Elem::Collection)
                    .map_or(0, |i| i + 1);
                stack.truncate(outside);
                left_out_depth = None;
                outer_documents.clear();
                doc = None;
                doc_id.clear();
                annotation = None;
                relation = None;
                chars.clear();
                source.restart(next);
                continue;
            }
        };
        if let Some(depth) = left_out_depth {
            match &event {
                Event::Start(start) => {
                    stack.push(elem_of(start.name().as_ref()));
                    continue;
                }
                Event::End(_) => {
                    stack.pop();
                    if stack.len() < depth {
                        left_out_depth = None;
                    }
                    continue;
                }
                Event::Eof => {}
                _ => continue,
            }
        }
        match event {
            Event::Start(start) => {
                let elem = elem_of(start.name().as_ref());
                chars.clear();
                let in_document = stack.contains(&Elem::Document);
                let left_out = match elem {
                    Elem::Passage | Elem::Annotation | Elem::Relation if !in_document => {
                        Some("outside any <document>")
                    }
                    Elem::Passage if stack.contains(&Elem::Passage) => {
                        Some("inside another <passage>")
                    }
                    _ => None,
                };
                if let Some(place) = left_out {
                    // Read as it came, its text went to the document read last or to
                    // the abstract of the passage around it, without a word.
                    problems.push(lines.problem(
                        path,
                        event_start,
                        format!("<{}> {place}; left out", start.name().as_ref()),
                    ));
                    stack.push(elem);
                    left_out_depth = Some(stack.len());
                    continue;
                }
                match elem {
                    Elem::Document => {
                        if in_document {
                            // Read into one builder, the outer document was lost without
                            // a word: its end tag found nothing to finish.
                            problems.push(lines.problem(
                                path,
                                event_start,
                                format!(
                                    "<document> inside {}; each read as a document of its own",
                                    document_name(&doc_id, doc_byte)
                                ),
                            ));
                            outer_documents.push(OuterDocument {
                                doc: doc.take(),
                                id: std::mem::take(&mut doc_id),
                                line: doc_line,
                                byte: doc_byte,
                                place: doc_place,
                                passage: std::mem::take(&mut passage),
                                annotation: annotation.take(),
                                relation: relation.take(),
                                annotation_ids: std::mem::take(&mut annotation_ids),
                                passages_seen,
                            });
                        }
                        doc_line = lines.line_at(event_start);
                        doc_byte = event_start;
                        documents_started += 1;
                        doc_place = documents_started;
                        doc_id.clear();
                        doc = None;
                        annotation_ids.clear();
                        passages_seen = 0;
                    }
                    Elem::Passage => passage = PassageState::default(),
                    Elem::Annotation => {
                        let mut a = std::mem::take(&mut spare_annotation);
                        a.clear();
                        if let Some(id) =
                            attribute(&start, "id", path, &mut lines, event_start, problems)
                        {
                            a.id.push_str(&id);
                        }
                        a.line = lines.line_at(event_start);
                        a.byte = event_start;
                        annotation = Some(a);
                    }
                    Elem::Relation => {
                        relation = Some(RelationState {
                            line: lines.line_at(event_start),
                            byte: event_start,
                            ..RelationState::default()
                        })
                    }
                    Elem::Infon => {
                        infon_key.clear();
                        if let Some(key) =
                            attribute(&start, "key", path, &mut lines, event_start, problems)
                        {
                            infon_key.push_str(&key);
                        }
                    }
                    Elem::Location | Elem::Node => {
                        empty_element(
                            elem,
                            &start,
                            &mut annotation,
                            &mut relation,
                            &annotation_ids,
                            path,
                            &mut lines,
                            event_start,
                            problems,
                        );
                    }
                    _ => {}
                }
                stack.push(elem);
            }
            Event::Empty(start) => {
                let elem = elem_of(start.name().as_ref());
                empty_element(
                    elem,
                    &start,
                    &mut annotation,
                    &mut relation,
                    &annotation_ids,
                    path,
                    &mut lines,
                    event_start,
                    problems,
                );
            }
            // Line ends are normalised only in a file that has a `\r` (a search for one in
            // each text event took 120 instructions an event).
            Event::Text(t) if has_cr => chars.push_str(&t.xml10_content()),
            Event::Text(t) => chars.push_str(&t),
            Event::CData(t) => chars.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match resolve_reference(&r) {
                Some(c) => chars.push(c),
                None => problems.push(lines.problem(
                    path,
                    event_start,
                    format!(
                        "undefined entity &{};, left out (entities are not expanded)",
                        &*r
                    ),
                )),
            },
            Event::End(_) => {
                let elem = stack.pop().unwrap_or(Elem::Other);
                let parent = stack.last().copied().unwrap_or(Elem::Other);
                // Borrowed: most elements' text is only looked at, and the buffer is reused.
                let value = chars.as_str();
                match (elem, parent) {
                    (Elem::Id, Elem::Document) => {
                        doc_id = value.trim().to_owned();
                        doc = Some(DocBuilder::new(&doc_id, doc_line, Format::BioC));
                    }
                    (Elem::Infon, Elem::Passage) if infon_key == "type" => {
                        passage.kind = value.trim().to_owned()
                    }
                    (Elem::Offset, Elem::Passage) => match value.trim().parse() {
                        Ok(o) => passage.offset = o,
                        Err(_) => problems.push(lines.problem(
                            path,
                            event_start,
                            format!("passage offset {} is not a number", quoted(value.trim())),
                        )),
                    },
                    (Elem::Text, Elem::Passage) => {
                        passage.text.clear();
                        passage.text.push_str(value);
                        passage.chars.take();
                        let d = doc.get_or_insert_with(|| {
                            DocBuilder::new(&doc_id, doc_line, Format::BioC)
                        });
                        let is_title = passage.kind.eq_ignore_ascii_case("title")
                            || passage.kind.eq_ignore_ascii_case("front")
                            || (passage.kind.is_empty() && passages_seen == 0);
                        if is_title && d.title().is_empty() {
                            d.set_title(passage.text.trim());
                        } else {
                            d.push_abstract(&passage.text);
                        }
                        passages_seen += 1;
                    }
                    (Elem::Infon, Elem::Annotation) => {
                        if let Some(a) = annotation.as_mut() {
                            if infon_key.eq_ignore_ascii_case("identifier")
                                || infon_key.eq_ignore_ascii_case("MESH")
                                || infon_key.eq_ignore_ascii_case("NCBI Gene")
                            {
                                if !a.identifier.is_empty() {
                                    a.identifier.push(';');
                                }
                                a.identifier.push_str(value.trim());
                            } else if infon_key == "type" {
                                a.type_name.clear();
                                a.type_name.push_str(value.trim());
                            }
                        }
                    }
                    (Elem::Text, Elem::Annotation) => {
                        if let Some(a) = annotation.as_mut() {
                            a.text.clear();
                            a.text.push_str(value);
                        }
                    }
                    (Elem::Annotation, _) => {
                        if let Some(a) = annotation.take() {
                            let d = doc.get_or_insert_with(|| {
                                DocBuilder::new(&doc_id, doc_line, Format::BioC)
                            });
                            finish_annotation(&a, &passage, d, &mut annotation_ids, path, problems);
                            spare_annotation = a;
                        }
                    }
                    (Elem::Infon, Elem::Relation) => {
                        if let Some(r) = relation.as_mut() {
                            let v = value.trim();
                            match infon_key.as_str() {
                                "type" | "relation" => r.kind = v.to_owned(),
                                "novel" => {
                                    r.novel = if v.eq_ignore_ascii_case("novel") {
                                        Some(true)
                                    } else if v.eq_ignore_ascii_case("no") {
                                        Some(false)
                                    } else {
                                        None
                                    }
                                }
                                _ if !v.is_empty() => r.ids.push(v.to_owned()),
                                _ => {}
                            }
                        }
                    }
                    (Elem::Relation, _) => {
                        if let Some(r) = relation.take() {
                            let d = doc.get_or_insert_with(|| {
                                DocBuilder::new(&doc_id, doc_line, Format::BioC)
                            });
                            if r.ids.len() == 2 {
                                let ids = (r.ids[0].as_str(), r.ids[1].as_str());
                                let byte = Some(r.byte as u64);
                                d.relation(&r.kind, ids, r.novel, r.line, byte);
                            } else {
                                problems.push(
                                    Problem::new(
                                        path,
                                        Some(r.line),
                                        format!(
                                            "relation{} has {} entity id{}, not 2",
                                            if r.kind.is_empty() {
                                                String::new()
                                            } else {
                                                format!(" {}", r.kind)
                                            },
                                            r.ids.len(),
                                            if r.ids.len() == 1 { "" } else { "s" }
                                        ),
                                    )
                                    .at_byte(r.byte as u64),
                                );
                            }
                        }
                    }
                    (Elem::Document, _) => {
                        if let Some(d) = doc.take() {
                            // Keyed by the file alone, every document without an id in a
                            // file was one paper. A number after `#` is no id's key (an id
                            // of digits is a PMID), and the same file gives the same keys.
                            let key_by_place = d.id().is_empty().then(|| {
                                let ids = PaperIds::default();
                                PaperKey::from_ids(&ids, &format!("{}#{doc_place}", path.display()))
                            });
                            // Said without the path, which the library keys by another name.
                            if key_by_place.is_some() {
                                problems.push(
                                    Problem::new(
                                        path,
                                        Some(doc_line),
                                        format!(
                                            "document without an <id>; keyed by its place in \
                                             the file (#{doc_place})"
                                        ),
                                    )
                                    .at_byte(doc_byte as u64),
                                );
                            }
                            let mut paper = d.finish(path, problems);
                            if let Some(key) = key_by_place {
                                paper.key = key;
                            }
                            // Many documents can share a line (the BioRED files are one line).
                            if let Some(source) = paper.sources.first_mut() {
                                source.byte = Some(doc_byte as u64);
                            }
                            parsed.papers.push(paper);
                        }
                        if let Some(outer) = outer_documents.pop() {
                            doc = outer.doc;
                            doc_id = outer.id;
                            doc_line = outer.line;
                            doc_byte = outer.byte;
                            doc_place = outer.place;
                            passage = outer.passage;
                            annotation = outer.annotation;
                            relation = outer.relation;
                            annotation_ids = outer.annotation_ids;
                            passages_seen = outer.passages_seen;
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => {
                // quick-xml accepts an end of file inside open elements: a cut-off file.
                if !stack.is_empty() {
                    problems.push(lines.problem(
                        path,
                        text.len(),
                        format!(
                            "malformed XML: the file ends inside {} open element(s); cut off?",
                            stack.len()
                        ),
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    if doc.is_some() || stack.contains(&Elem::Document) {
        let outer = outer_documents
            .iter()
            .rev()
            .map(|o| (&o.id, o.line, o.byte));
        for (id, line, byte) in std::iter::once((&doc_id, doc_line, doc_byte)).chain(outer) {
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("{} is not complete; left out", document_name(id, byte)),
                )
                .at_byte(byte as u64),
            );
        }
    }
    Some(parsed)
}

/// The byte of the first `<document>` (or `<document ...>`) start tag at or after `from`.
fn next_document(text: &str, from: usize) -> Option<usize> {
    const TAG: &[u8] = b"<document";
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(found) = memchr::memmem::find(bytes.get(at..)?, TAG) {
        let start = at + found;
        match bytes.get(start + TAG.len()) {
            Some(b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n') => return Some(start),
            _ => at = start + TAG.len(),
        }
    }
    None
}

/// The value of attribute `name`, entity references resolved; a bad value is a problem.
fn attribute<'a>(
    start: &'a BytesStart,
    name: &str,
    path: &Path,
    lines: &mut LineCounter,
    at: usize,
    problems: &mut Vec<Problem>,
) -> Option<std::borrow::Cow<'a, str>> {
    if let Some(value) = plain_attribute(start.attributes_raw(), name) {
        return Some(std::borrow::Cow::Borrowed(value));
    }
    // Unchecked for repeated names: the first `name` is taken, and checking kept a list of
    // every tag's attribute names (a tenth of reading BioC).
    for attr in start.attributes().with_checks(false) {
        let attr = match attr {
            Ok(a) => a,
            Err(e) => {
                problems.push(lines.problem(path, at, format!("bad attribute: {e}")));
                return None;
            }
        };
        if attr.key.as_ref() == name {
            return match attr.normalized_value(XmlVersion::Implicit1_0) {
                Ok(v) => Some(v),
                Err(e) => {
                    problems.push(lines.problem(
                        path,
                        at,
                        format!("bad value of attribute {name}: {e}"),
                    ));
                    None
                }
            };
        }
    }
    None
}

/// The value of attribute `name` when the tag's attributes are written plainly (`id="T1"`,
/// `key="type"`: one space before each, double quotes) and it holds nothing to resolve or
/// normalise (no `&`, no tab or line break); else `None`, for quick-xml to read. Reading
/// every attribute through quick-xml was a tenth of reading a BioC file.
fn plain_attribute<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    let bytes = raw.as_bytes();
    let name = name.as_bytes();
    let mut at = 0;
    // Byte by byte: str patterns cost more to set up than these few bytes take to read.
    while bytes.get(at) == Some(&b' ') {
        let key_start = at + 1;
        let equals = key_start + bytes[key_start..].iter().position(|&b| b == b'=')?;
        if bytes.get(equals + 1) != Some(&b'"') {
            return None;
        }
        let value_start = equals + 2;
        // Keys are a few bytes: compared here, not by a call to memcmp.
        let key = &bytes[key_start..equals];
        let wanted = key.len() == name.len() && key.iter().zip(name).all(|(a, b)| a == b);
        // The closing quote and whether there is anything to resolve, in one pass.
        let mut close = value_start;
        let mut plain = true;
        loop {
            match bytes.get(close)? {
                b'"' => break,
                b'&' | b'<' | b'\t' | b'\n' | b'\r' => plain = false,
                _ => {}
            }
            close += 1;
        }
        if wanted {
            return plain.then(|| &raw[value_start..close]);
        }
        at = close + 1;
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn empty_element(
    elem: Elem,
    start: &BytesStart,
    annotation: &mut Option<AnnotationState>,
    relation: &mut Option<RelationState>,
    annotation_ids: &AnnotationIds,
    path: &Path,
    lines: &mut LineCounter,
    at: usize,
    problems: &mut Vec<Problem>,
) {
    match elem {
        Elem::Location => {
            let Some(a) = annotation.as_mut() else {
                return;
            };
            // Numbers need no entity resolution.
            let number = |v: &str| v.trim().parse::<u32>().ok();
            let raw = start.attributes_raw();
            let (mut offset, mut length) = (None, None);
            match (
                plain_attribute(raw, "offset"),
                plain_attribute(raw, "length"),
            ) {
                (Some(o), Some(l)) => (offset, length) = (number(o), number(l)),
                _ => {
                    for attr in start.attributes().with_checks(false).flatten() {
                        match attr.key.as_ref() {
                            "offset" => offset = number(&attr.value),
                            "length" => length = number(&attr.value),
                            _ => {}
                        }
                    }
                }
            }
            match (offset, length) {
                (Some(o), Some(l)) => a.locations.push((o, o.saturating_add(l))),
                _ => problems.push(lines.problem(
                    path,
                    at,
                    "location without a numeric offset and length",
                )),
            }
        }
        Elem::Node => {
            let Some(r) = relation.as_mut() else {
                return;
            };
            if let Some(refid) = attribute(start, "refid", path, lines, at, problems) {
                match annotation_ids.get(&*refid) {
                    Some(identifier) => r.ids.push(identifier.clone()),
                    None => problems.push(lines.problem(
                        path,
                        at,
                        format!("relation node points at unknown annotation {refid}"),
                    )),
                }
            }
        }
        _ => {}
    }
}

fn resolve_reference(r: &quick_xml::events::BytesRef) -> Option<char> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c);
    }
    match &**r {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

fn finish_annotation(
    a: &AnnotationState,
    passage: &PassageState,
    doc: &mut DocBuilder,
    annotation_ids: &mut AnnotationIds,
    path: &Path,
    problems: &mut Vec<Problem>,
) {
    // Every problem of the annotation is placed at its start.
    let first_problem = problems.len();
    if !a.id.is_empty() {
        // The first annotation of an id is the one its relations mean, as before.
        if !annotation_ids.contains_key(&a.id) {
            annotation_ids.insert(a.id.clone(), a.identifier.clone());
        }
    }
    let span = match (
        a.locations.iter().map(|l| l.0).min(),
        a.locations.iter().map(|l| l.1).max(),
    ) {
        (Some(start), Some(end)) => Some(Span { start, end }),
        _ => {
            problems.push(Problem::new(
                path,
                Some(a.line),
                format!("annotation {} without a location", quoted(&a.text)),
            ));
            None
        }
    };
    let mut span = span;
    if let (Some(written), 1) = (span, a.locations.len()) {
        match passage_text_at(passage, written) {
            Some(t) if t == a.text => {}
            Some(found) => {
                // As in PubTator: the mention where it is (the offsets read as bytes, or its
                // nearest copy), else no place, so no highlight lands on the wrong words.
                let misplaced = written
                    .start
                    .checked_sub(passage.offset)
                    .and_then(|start| {
                        find_misplaced(
                            &passage.text,
                            passage.chars(),
                            start as usize,
                            (written.end - passage.offset) as usize,
                            &a.text,
                        )
                    })
                    .and_then(|m| m.shifted(passage.offset));
                problems.push(Problem::new(
                    path,
                    Some(a.line),
                    format!(
                        "mention {} at {}-{} does not match the text there ({}){}",
                        quoted(&a.text),
                        written.start,
                        written.end,
                        quoted(found),
                        Misplaced::said(misplaced)
                    ),
                ));
                span = misplaced.map(Misplaced::span);
            }
            None => problems.push(Problem::new(
                path,
                Some(a.line),
                format!(
                    "mention {} at {}-{} lies outside its passage",
                    quoted(&a.text),
                    written.start,
                    written.end
                ),
            )),
        }
    }
    doc.mention(
        span,
        &a.text,
        &a.type_name,
        &a.identifier,
        None,
        path,
        a.line,
        problems,
    );
    for problem in &mut problems[first_problem..] {
        problem.byte = Some(a.byte as u64);
    }
}

/// The passage text at document-level char offsets.
fn passage_text_at(passage: &PassageState, span: Span) -> Option<&str> {
    let start = span.start.checked_sub(passage.offset)? as usize;
    let end = span.end.checked_sub(passage.offset)? as usize;
    let (text, chars) = (&passage.text, passage.chars());
    text.get(chars.byte_at(text, start)?..chars.byte_at(text, end)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AbstractText;

    fn parse_str(text: &str) -> Parsed {
        parse(text, Path::new("t.xml"))
    }

    const DOC: &str = r#"<?xml version="1.0"?><collection><document><id>1</id>
<passage><infon key="type">title</infon><offset>0</offset><text>BRAF &amp; melanoma</text>
<annotation id="0"><infon key="identifier">673</infon><infon key="type">GeneOrGeneProduct</infon><location offset="0" length="4"/><text>BRAF</text></annotation></passage>
<passage><infon key="type">abstract</infon><offset>16</offset><text>Mélanoma again.</text>
<annotation id="1"><infon key="Identifier">D008545</infon><infon key="type">Disease</infon><location offset="16" length="8"/><text>Mélanoma</text></annotation></passage>
<relation id="R0"><infon key="entity1">673</infon><infon key="entity2">D008545</infon><infon key="type">Association</infon><infon key="novel">No</infon></relation>
<relation id="R1"><infon key="type">Bind</infon><node refid="0" role="a"/><node refid="1" role="b"/></relation>
</document>"#;

    /// Every file the scanner reads, it reads as quick-xml does (the same papers and
    /// problems); on the rest it gives up, and quick-xml reads them.
    #[test]
    fn the_scanner_reads_what_quick_xml_reads_or_gives_up() {
        let path = Path::new("t.xml");
        let both = |text: &str| {
            let scanned = read_events(text, path, &mut Scanner::new(text));
            let quick = read_events(text, path, &mut QuickXml::new(text)).expect("read");
            (scanned.map(|p| format!("{p:?}")), format!("{quick:?}"))
        };
        let read = [
            DOC.to_string(),
            format!("{DOC}</collection>\n"),
            DOC.replace(
                "<?xml version=\"1.0\"?>",
                "<?xml version='1.0'?><!DOCTYPE collection SYSTEM \"BioC.dtd\">",
            ),
            DOC.replace("<?xml version=\"1.0\"?>", "<?pi a?b?>"),
            DOC.replace("key=\"type\"", "key = 'type'"),
            DOC.replace("key=\"type\">title", "key=\"type\" note=\"a>b\">title"),
            DOC.replace("</passage>", "</passage \n>"),
            DOC.replace("BRAF &amp;", "BRAF &#38; &lt;&bogus; &;"),
            DOC.replace("<text>BRAF", "<text>\r\nBRAF"),
            DOC.replace("</document>", ""),
            DOC.replace(
                "<location offset=\"0\" length=\"4\"/>",
                "<location length=\"4\" offset=\"0\"/>",
            ),
        ];
        for text in &read {
            let (scanned, quick) = both(text);
            assert_eq!(scanned.as_ref(), Some(&quick), "{text}");
        }
        // Line ends are normalised only in files that have a `\r`, as XML 1.0 says.
        let closed = format!("{DOC}</collection>");
        let crlf = closed.replace("again.", "again.\r\nAnd\r\nagain.");
        let lf = closed.replace("again.", "again.\nAnd\nagain.");
        assert_eq!(
            format!("{:?}", parse_str(&crlf)),
            format!("{:?}", parse_str(&lf))
        );
        assert!(format!("{:?}", parse_str(&lf)).contains("again.\\nAnd\\nagain."));
        let given_up = [
            format!("\u{feff}{DOC}"),
            DOC.replace("<passage>", "<!-- a --><passage>"),
            DOC.replace("BRAF &amp;", "<![CDATA[BRAF &]]>"),
            DOC.replace("BRAF &amp;", "BRAF & x"),
            DOC.replace("</passage>", "</pasage>"),
            DOC.replace("<?xml version=\"1.0\"?>", "<!DOCTYPE c [<!ELEMENT c ANY>]>"),
            DOC.replace("<?xml version=\"1.0\"?>", "<?>"),
            DOC.replace("</document>", "</document></document>"),
            DOC.replace("<offset>", "< offset>"),
            format!("{DOC}<unclosed"),
            format!("{DOC}<a b=\"c>"),
        ];
        for text in &given_up {
            let (scanned, quick) = both(text);
            assert_eq!(scanned, None, "{text}");
            assert_eq!(format!("{:?}", parse_str(text)), quick);
        }
    }

    /// Attributes written plainly are read directly; anything else is left to quick-xml.
    #[test]
    fn plain_attributes_are_read_directly_and_the_rest_left_to_quick_xml() {
        let table: &[(&str, &str, Option<&str>)] = &[
            (r#" key="type""#, "key", Some("type")),
            (r#" id="T1" key="x""#, "key", Some("x")),
            (r#" offset="12" length="4"/"#, "length", Some("4")),
            (r#" offset="12" length="4" /"#, "length", Some("4")),
            (r#" key="a&amp;b""#, "key", None),
            (r#" key='type'"#, "key", None),
            (r#" key = "type""#, "key", None),
            ("\n  key=\"type\"", "key", None),
            (r#" key="two	parts""#, "key", None),
            (r#" id="T1""#, "key", None),
            (r#" a='x="y"' key="z""#, "key", None),
            ("", "key", None),
        ];
        for (raw, name, want) in table {
            assert_eq!(plain_attribute(raw, name), *want, "{raw:?}");
        }
    }

    #[test]
    fn documents_annotations_relations() {
        let text = format!("{DOC}</collection>");
        let p = parse_str(&text);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let paper = &p.papers[0];
        assert_eq!(paper.title, "BRAF & melanoma");
        assert_eq!(paper.entities[1].key.as_str(), "MESH:D008545");
        assert_eq!(paper.entities[1].spans[0], Span { start: 16, end: 24 });
        assert_eq!(paper.relations.len(), 2);
        assert_eq!(paper.relations[0].a.as_str(), "NCBIGene:673");
        assert_eq!(paper.relations[0].novel, Some(false));
        assert_eq!(paper.relations[1].b.as_str(), "MESH:D008545");
    }

    /// A relation node means the first annotation of its id in the document; an id of none
    /// is a problem, as is one of another document's.
    #[test]
    fn relation_nodes_mean_the_first_annotation_of_their_id() {
        let annotation = |id: &str, identifier: &str| {
            format!(
                "<annotation id=\"{id}\"><infon key=\"identifier\">{identifier}</infon>\
                 <infon key=\"type\">Gene</infon><location offset=\"0\" length=\"4\"/>\
                 <text>BRAF</text></annotation>"
            )
        };
        let document = |id: &str, annotations: &str, nodes: &[&str]| {
            let nodes: String = (nodes.iter())
                .map(|n| format!("<node refid=\"{n}\" role=\"x\"/>"))
                .collect();
            format!(
                "<document><id>{id}</id><passage><offset>0</offset><text>BRAF</text>\
                 {annotations}</passage><relation id=\"R\"><infon key=\"type\">Bind</infon>\
                 {nodes}</relation></document>"
            )
        };
        let xml = format!(
            "<collection>{}{}</collection>",
            document(
                "1",
                &format!(
                    "{}{}{}",
                    annotation("a", "673"),
                    annotation("a", "7157"),
                    annotation("b", "1956")
                ),
                &["a", "b"]
            ),
            document("2", &annotation("c", "673"), &["c", "b"]),
        );
        let p = parse_str(&xml);
        let relation = &p.papers[0].relations[0];
        assert_eq!(
            (relation.a.as_str(), relation.b.as_str()),
            ("NCBIGene:673", "NCBIGene:1956")
        );
        let messages: Vec<&str> = p.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "relation node points at unknown annotation b",
                "relation Bind has 1 entity id, not 2"
            ]
        );
    }

    #[test]
    fn malformed_xml_keeps_earlier_documents() {
        let text = format!("{DOC}\n<document><id>2</id><passage>\n</wrong></collection>");
        let p = parse_str(&text);
        assert_eq!(p.papers.len(), 1);
        assert_eq!(p.problems[0].line, Some(10), "{:?}", p.problems);
    }

    /// One broken tag costs the document it is in, not every document after it (a user's
    /// `</pasage>` in the third of 100 documents left 2).
    #[test]
    fn malformed_xml_leaves_out_its_document_and_reads_on() {
        let doc = |id: &str, close: &str| {
            format!(
                "<document><id>{id}</id><passage><infon key=\"type\">title</infon>\
                 <offset>0</offset><text>Paper {id}</text>{close}</document>\n"
            )
        };
        let text = format!(
            "<?xml version=\"1.0\"?><collection>\n{}{}{}{}</collection>\n",
            doc("1", "</passage>"),
            doc("2", "</pasage>"),
            doc("3", "</passage>"),
            doc("4", "</passage>"),
        );
        let p = parse_str(&text);
        let ids: Vec<&str> = p.papers.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(ids, ["Paper 1", "Paper 3", "Paper 4"], "{:?}", p.problems);
        let messages: Vec<String> = p.problems.iter().map(|p| p.to_string()).collect();
        let next = text.find("<document><id>3").unwrap();
        assert_eq!(
            messages,
            [format!(
                "t.xml:3: byte {}: malformed XML: ill-formed document: expected `</passage>`, \
                 but `</pasage>` was found; document 2 left out, read on from the next \
                 <document> (byte {next})",
                text.find("</pasage>").unwrap()
            )]
        );

        // Broken outside a document, and in a document's own start tag: read on all the
        // same, and the file's last document still counts as cut off.
        let text = "<collection><source>x</sorce><document><id>1</id></document>\
                    <document <id>2</id></document><document><id>3</id></document>\
                    <document><id>4</id>";
        let p = parse_str(text);
        let messages: Vec<&str> = p.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(p.papers.len(), 2, "{messages:?}");
        let broken = text.find("<document <id>").unwrap();
        let left_out = format!("the document at byte {broken} left out");
        assert!(messages[1].contains(&left_out), "{messages:?}");
        assert!(
            messages[0].contains("read on from the next <document>"),
            "{messages:?}"
        );
        assert!(
            messages
                .last()
                .unwrap()
                .starts_with("document 4 is not complete"),
            "{messages:?}"
        );
    }

    /// In a file of one line, every problem also says the byte it is at: the start of the
    /// annotation, relation or document it concerns, or where the XML breaks.
    #[test]
    fn problems_on_one_line_name_their_byte() {
        let doc = |id: &str, body: &str| {
            format!(
                "<document><id>{id}</id><passage><infon key=\"type\">title</infon>\
                 <offset>0</offset><text>BRAF in melanoma</text>{body}</passage></document>"
            )
        };
        let good = r#"<annotation id="a"><infon key="identifier">673</infon><infon key="type">Gene</infon><location offset="0" length="4"/><text>BRAF</text></annotation>"#;
        let moved = r#"<annotation id="m"><infon key="identifier">673</infon><infon key="type">Gene</infon><location offset="5" length="4"/><text>BRAF</text></annotation>"#;
        let relation = r#"<relation id="r"><infon key="entity1">673</infon><infon key="entity2">zz top</infon><infon key="type">Bind</infon></relation>"#;
        let text = format!(
            "<?xml version=\"1.0\"?><collection>{}{}{}",
            doc("1", good),
            doc(
                "2",
                &format!("{good}{moved}</passage>{relation}<passage><offset>x</offset>")
            ),
            doc("3", good).replace("</document>", ""),
        );
        assert!(!text.contains('\n'));
        let p = parse_str(&text);
        assert_eq!(p.papers.len(), 2, "{:?}", p.problems);
        let at = |needle: &str| text.find(needle).unwrap() as u64;
        let got: Vec<(Option<usize>, Option<u64>, &str)> = p
            .problems
            .iter()
            .map(|p| (p.line, p.byte, &p.message[..20]))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some(1),
                    Some(at("<annotation id=\"m\"")),
                    "mention \"BRAF\" at 5-"
                ),
                // At the end of the value, where it is read.
                (Some(1), Some(at("<offset>x") + 9), "passage offset \"x\" i",),
                (Some(1), Some(at("<relation")), "relation Bind 673 zz"),
                (Some(1), Some(text.len() as u64), "malformed XML: the f"),
                (Some(1), Some(at("<document><id>3")), "document 3 is not co"),
            ]
        );
        assert!(p.problems[0].to_string().starts_with(&format!(
            "t.xml:1: byte {}: mention",
            at("<annotation id=\"m\"")
        )));
    }

    /// Elements where BioC has none are problems at their start: a document inside another
    /// is read as a document of its own, and so is the one around it (lost before, its end
    /// finding nothing to finish); a passage outside any document, or inside another passage,
    /// is left out (its text had become the last document's title or the passage's abstract).
    #[test]
    fn misplaced_documents_and_passages_are_problems_at_their_start() {
        let title = |text: &str| {
            format!(
                "<passage><infon key=\"type\">title</infon><offset>0</offset><text>{text}</text>"
            )
        };
        let text = format!(
            "<?xml version=\"1.0\"?>\n<collection>\n<document><id>1</id>{}</passage>\n\
             <document><id>2</id>{}</passage></document>\n{}</passage></document>\n\
             {}</passage>\n<document><id>3</id>{}{}</passage></passage></document>\n\
             </collection>\n",
            title("Outer"),
            title("Inner"),
            title("More of outer"),
            title("Stray"),
            title("Third"),
            title("Nested"),
        );
        let p = parse_str(&text);
        let papers: Vec<(&str, &str, Option<&str>)> = (p.papers.iter())
            .map(|p| {
                let abstract_text = p.abstract_text.as_ref().and_then(AbstractText::held);
                (p.key.as_str(), p.title.as_str(), abstract_text)
            })
            .collect();
        assert_eq!(
            papers,
            [
                ("PMID:2", "Inner", None),
                ("PMID:1", "Outer", Some("More of outer")),
                ("PMID:3", "Third", None)
            ],
            "{:?}",
            p.problems
        );
        let at = |needle: &str| text.find(needle).unwrap();
        let problems: Vec<String> = p.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            [
                format!(
                    "t.xml:4: byte {}: <document> inside document 1; each read as a \
                     document of its own",
                    at("<document><id>2")
                ),
                format!(
                    "t.xml:6: byte {}: <passage> outside any <document>; left out",
                    at("<passage><infon key=\"type\">title</infon><offset>0</offset><text>Stray")
                ),
                format!(
                    "t.xml:7: byte {}: <passage> inside another <passage>; left out",
                    at("<passage><infon key=\"type\">title</infon><offset>0</offset><text>Nested")
                ),
            ]
        );

        // Cut off in the inner document: both are incomplete, and said so.
        let cut = &text[..at("</passage></document>")];
        let messages: Vec<String> = (parse_str(cut).problems.iter())
            .map(|p| p.message.clone())
            .collect();
        assert_eq!(
            messages[messages.len() - 2..],
            [
                "document 2 is not complete; left out",
                "document 1 is not complete; left out"
            ],
            "{messages:?}"
        );
    }

    /// Documents without an id (none, empty, spaces) are keyed by their place in the file,
    /// each its own paper: keyed by the file alone, they had been one paper and the rest
    /// reported as loaded twice.
    #[test]
    fn documents_without_an_id_are_keyed_by_their_place_in_the_file() {
        let doc = |id: &str, title: &str| {
            format!(
                "<document>{id}<passage><infon key=\"type\">title</infon><offset>0</offset>\
                 <text>{title}</text></passage></document>"
            )
        };
        let text = format!(
            "<collection>{}{}{}{}{}</collection>",
            doc("", "None"),
            doc("<id>7</id>", "Seven"),
            doc("<id></id>", "Empty"),
            doc("<id>  </id>", "Spaces"),
            doc("", "None again"),
        );
        let p = parse_str(&text);
        let keys: Vec<(&str, &str)> = (p.papers.iter())
            .map(|p| (p.key.as_str(), p.title.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("file:t.xml#1", "None"),
                ("PMID:7", "Seven"),
                ("file:t.xml#3", "Empty"),
                ("file:t.xml#4", "Spaces"),
                ("file:t.xml#5", "None again"),
            ]
        );
        assert_eq!(
            p.problems[0].to_string(),
            "t.xml:1: byte 12: document without an <id>; keyed by its place in the file (#1)"
        );
        assert_eq!(p.problems.len(), 4, "{:?}", p.problems);

        // A document inside another takes the next place; the outer one keeps its own.
        let nested = format!(
            "<collection>{}</collection>",
            doc(
                "",
                &format!("Outer</text></passage>{}<passage><text>", doc("", "Inner"))
            )
        );
        let keys: Vec<String> = (parse_str(&nested).papers.iter())
            .map(|p| format!("{} {}", p.key.as_str(), p.title))
            .collect();
        assert_eq!(keys, ["file:t.xml#2 Inner", "file:t.xml#1 Outer"]);
    }

    #[test]
    fn a_relation_without_two_ids_is_a_problem_named_by_its_type_if_any() {
        let doc = |relation: &str| {
            format!(
                "<collection><document><id>1</id><passage><offset>0</offset>\
                 <text>BRAF</text></passage>{relation}</document></collection>"
            )
        };
        let typed = doc(
            r#"<relation id="r"><infon key="type">Bind</infon><infon key="entity1">673</infon></relation>"#,
        );
        assert_eq!(
            parse_str(&typed).problems[0].message,
            "relation Bind has 1 entity id, not 2"
        );
        let untyped = doc(r#"<relation id="r"><infon key="entity1">673</infon></relation>"#);
        assert_eq!(
            parse_str(&untyped).problems[0].message,
            "relation has 1 entity id, not 2"
        );
    }

    #[test]
    fn undefined_entities_are_problems_not_expansions() {
        let text = r#"<?xml version="1.0"?><!DOCTYPE collection [<!ENTITY lol "lol">]>
<collection><document><id>5</id><passage><offset>0</offset><text>a &lol; b</text></passage></document></collection>"#;
        let p = parse_str(text);
        assert_eq!(p.papers.len(), 1);
        assert_eq!(p.papers[0].title, "a  b");
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].line, Some(2));
        assert!(p.problems[0].message.contains("&lol;"));
    }

    /// Each passage counts the chars of its own text: the index built for one is not used
    /// for the next, nor for a second `<text>` in the same passage.
    #[test]
    fn each_passage_counts_its_own_chars() {
        let annotation = |offset: usize, text: &str| {
            format!(
                "<annotation><infon key=\"identifier\">673</infon><infon key=\"type\">Gene\
                 </infon><location offset=\"{offset}\" length=\"{}\"/><text>{text}</text>\
                 </annotation>",
                text.chars().count()
            )
        };
        let first = format!("{}BRAF", "é".repeat(100));
        let second = format!("{}BRAF and BRAF", "x".repeat(70));
        let xml = format!(
            "<collection><document><id>1</id><passage><offset>0</offset><text>{first}</text>\
             {}</passage><passage><offset>200</offset><text>{second}</text>{}{}</passage>\
             <passage><offset>300</offset><text>{first}</text>{}<text>{second}</text>{}\
             </passage></document></collection>",
            annotation(100, "BRAF"),
            annotation(270, "BRAF"),
            annotation(279, "BRAF"),
            annotation(400, "BRAF"),
            annotation(370, "BRAF"),
        );
        let p = parse_str(&xml);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let spans: Vec<(u32, u32)> = (p.papers[0].entities[0].spans.iter())
            .map(|s| (s.start, s.end))
            .collect();
        assert_eq!(
            spans,
            [(100, 104), (270, 274), (279, 283), (400, 404), (370, 374)]
        );
    }

    /// A location that does not hold its mention is taken where the mention is, as in
    /// PubTator (the offsets read as bytes, or its nearest copy), else kept without a place.
    #[test]
    fn misplaced_annotations_are_found_or_kept_without_a_place() {
        // Passage from char 10: "Krüppel and BRAF here"; BRAF at chars 22-26 of the
        // document (bytes 23-27 in the passage's counting), "and" at 18-21.
        let annotation = |id: &str, offset: u32, length: u32, text: &str| {
            format!(
                "<annotation id=\"{id}\"><infon key=\"identifier\">673</infon>\
                 <infon key=\"type\">Gene</infon><location offset=\"{offset}\" \
                 length=\"{length}\"/><text>{text}</text></annotation>"
            )
        };
        let xml = format!(
            "<?xml version=\"1.0\"?><collection><document><id>1</id><passage>\
             <offset>10</offset><text>Krüppel and BRAF here</text>{}{}{}{}</passage>\
             </document></collection>",
            annotation("a", 23, 4, "BRAF"),
            annotation("b", 20, 4, "BRAF"),
            annotation("c", 10, 3, "KRAS"),
            annotation("d", 22, 4, "BRAF"),
        );
        let p = parse_str(&xml);
        let messages: Vec<&str> = p.problems.iter().map(|pr| pr.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "mention \"BRAF\" at 23-27 does not match the text there (\"RAF \"); \
                 the offsets count bytes: it is at chars 22-26",
                "mention \"BRAF\" at 20-24 does not match the text there (\"d BR\"); \
                 it is at chars 22-26",
                "mention \"KRAS\" at 10-13 does not match the text there (\"Krü\"); \
                 it is kept without a place",
            ]
        );
        let braf = &p.papers[0].entities[0];
        let spans: Vec<(u32, u32)> = braf.spans.iter().map(|s| (s.start, s.end)).collect();
        // Every BRAF found at the text's one BRAF, so one mention there; KRAS at none.
        assert_eq!(spans, [(22, 26)]);
        assert_eq!(braf.mentions, 2);
    }
}
