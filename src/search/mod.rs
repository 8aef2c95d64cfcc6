//! Search: the query language, matching papers against it, and the worker thread that keeps
//! typing responsive. (First version: one fuzzy score over a joined haystack; the query
//! language, prefilter and narrowing are to be written.)

use crate::index::PaperIdx;
use crate::library::Library;
use crate::model::Paper;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

/// One paper as search sees it: its searchable text, prepared once.
#[derive(Clone, Debug)]
pub struct SearchDoc {
    pub paper: PaperIdx,
    pub haystack: String,
}

impl SearchDoc {
    pub fn new(paper: PaperIdx, p: &Paper) -> Self {
        let mut haystack = p.title.clone();
        for part in p.authors.iter().chain(p.journal.iter()) {
            haystack.push(' ');
            haystack.push_str(part);
        }
        haystack.push(' ');
        haystack.push_str(p.key.as_str());
        for e in &p.entities {
            haystack.push(' ');
            haystack.push_str(&e.name);
            for a in &e.aliases {
                haystack.push(' ');
                haystack.push_str(a);
            }
        }
        SearchDoc { paper, haystack }
    }
}

/// A paper that matched, with its score (higher is better).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub paper: PaperIdx,
    pub score: i64,
}

/// Why a query could not be run, shown in the search line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
}

/// Ranks `docs` against `query`; an empty query matches everything in order.
pub fn search_docs(docs: &[SearchDoc], query: &str) -> Result<Vec<Hit>, QueryError> {
    let query = query.trim();
    if query.is_empty() {
        return Ok(docs
            .iter()
            .map(|d| Hit {
                paper: d.paper,
                score: 0,
            })
            .collect());
    }
    let matcher = SkimMatcherV2::default().smart_case();
    let mut hits: Vec<Hit> = docs
        .iter()
        .filter_map(|d| {
            matcher.fuzzy_match(&d.haystack, query).map(|score| Hit {
                paper: d.paper,
                score,
            })
        })
        .collect();
    hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.paper.cmp(&b.paper)));
    Ok(hits)
}

/// Searches a whole library at once (the CLI's way).
pub fn search_library(library: &Library, query: &str) -> Result<Vec<Hit>, QueryError> {
    let docs: Vec<SearchDoc> = library
        .papers()
        .iter()
        .enumerate()
        .map(|(i, p)| SearchDoc::new(i as PaperIdx, p))
        .collect();
    search_docs(&docs, query)
}

/// Results of one query, tagged with the generation it was asked with.
#[derive(Clone, Debug)]
pub struct SearchResults {
    pub generation: u64,
    pub query: String,
    pub outcome: Result<Vec<Hit>, QueryError>,
}

enum Request {
    /// New or changed papers (a doc with a known paper index replaces the old one).
    Docs(Vec<SearchDoc>),
    Query {
        generation: u64,
        query: String,
    },
}

/// A thread that owns the searchable docs and answers queries; only the newest pending
/// query is run.
pub struct SearchWorker {
    requests: Sender<Request>,
    results: Receiver<SearchResults>,
}

impl SearchWorker {
    pub fn spawn() -> Self {
        let (req_tx, req_rx) = mpsc::channel::<Request>();
        let (res_tx, res_rx) = mpsc::channel();
        thread::Builder::new()
            .name("tomes-search".into())
            .spawn(move || {
                let mut docs: Vec<SearchDoc> = Vec::new();
                while let Ok(first) = req_rx.recv() {
                    let mut pending = vec![first];
                    pending.extend(req_rx.try_iter());
                    let mut latest = None;
                    for req in pending {
                        match req {
                            Request::Docs(new) => {
                                for d in new {
                                    let slot = d.paper as usize;
                                    if slot < docs.len() {
                                        docs[slot] = d;
                                    } else {
                                        docs.resize(
                                            slot,
                                            SearchDoc {
                                                paper: 0,
                                                haystack: String::new(),
                                            },
                                        );
                                        docs.push(d);
                                    }
                                }
                            }
                            Request::Query { generation, query } => {
                                latest = Some((generation, query))
                            }
                        }
                    }
                    if let Some((generation, query)) = latest {
                        let outcome = search_docs(&docs, &query);
                        if res_tx
                            .send(SearchResults {
                                generation,
                                query,
                                outcome,
                            })
                            .is_err()
                        {
                            return;
                        }
                    }
                }
            })
            .expect("spawn search thread");
        SearchWorker {
            requests: req_tx,
            results: res_rx,
        }
    }

    /// Adds or replaces searchable docs.
    pub fn add_docs(&self, docs: Vec<SearchDoc>) {
        let _ = self.requests.send(Request::Docs(docs));
    }

    /// Asks for a search; results come back tagged with `generation`.
    pub fn search(&self, generation: u64, query: &str) {
        let _ = self.requests.send(Request::Query {
            generation,
            query: query.to_owned(),
        });
    }

    /// A finished result, if one is ready.
    pub fn try_recv(&self) -> Option<SearchResults> {
        self.results.try_recv().ok()
    }
}
