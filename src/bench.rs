//! `tomes bench`: builds large corpora by replicating the PubTator records of real corpora
//! under new PMIDs, then measures loading and per-keystroke search latency through the real
//! search worker, as the browser would see it.
//!
//! Each keystroke of a typing sequence is sent as its own query and timed until its result
//! arrives, so the numbers are what a user typing slower than the search waits per key
//! (narrowing included, since each query extends the previous one).

use crate::index::PaperIdx;
use crate::library;
use crate::search::{SearchDoc, SearchWorker};
use serde::Serialize;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Replicated records per generated file.
const RECORDS_PER_FILE: usize = 20_000;
/// Generated PMIDs start here, above every real PMID, so they never merge with real papers.
const FIRST_PMID: u64 = 100_000_000;

/// Timings of one typing sequence.
#[derive(Debug, Clone, Serialize)]
pub struct SequenceTiming {
    pub typed: String,
    pub keystrokes: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    /// Hits of the complete sequence.
    pub final_hits: usize,
    /// The query error the complete sequence gave, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Everything measured on one corpus size.
#[derive(Debug, Clone, Serialize)]
pub struct BenchRun {
    pub papers: usize,
    pub files: usize,
    pub bytes: u64,
    pub write_ms: f64,
    pub load_ms: f64,
    /// Building the search docs (lower-cased fields) for every paper.
    pub docs_ms: f64,
    /// Handing the docs to the worker until it answers the empty query.
    pub worker_ready_ms: f64,
    pub sequences: Vec<SequenceTiming>,
}

/// One PubTator document: its lines with the leading PMID cut off.
struct Record {
    lines: Vec<String>,
}

/// Reads every PubTator file under `sources` and splits it into records.
fn read_records(sources: &[PathBuf]) -> Result<Vec<Record>, String> {
    let mut problems = Vec::new();
    let files = library::find_files(sources, &mut problems);
    let mut records = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f.path) else {
            continue;
        };
        let head = &text.as_bytes()[..text.len().min(4096)];
        if crate::formats::detect(&f.path, head) != Some(crate::model::Format::PubTator) {
            continue;
        }
        let mut current: Option<(String, Record)> = None;
        for line in text.lines() {
            let line = line.trim_end_matches('\r');
            let Some(cut) = line.find(['|', '\t']) else {
                continue;
            };
            let (pmid, rest) = line.split_at(cut);
            if current.as_ref().is_none_or(|(p, _)| p != pmid) {
                if let Some((_, r)) = current.take() {
                    records.push(r);
                }
                current = Some((pmid.to_owned(), Record { lines: Vec::new() }));
            }
            if let Some((_, r)) = current.as_mut() {
                r.lines.push(rest.to_owned());
            }
        }
        if let Some((_, r)) = current {
            records.push(r);
        }
    }
    if records.is_empty() {
        return Err(format!(
            "no PubTator records under {}",
            sources
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(records)
}

/// Writes `papers` records (replicated under new PMIDs) into files in `dir`.
fn write_corpus(records: &[Record], papers: usize, dir: &Path) -> Result<(usize, u64), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = 0;
    let mut bytes = 0u64;
    for (n, start) in (0..papers).step_by(RECORDS_PER_FILE).enumerate() {
        let path = dir.join(format!("bench_{n:04}.pubtator"));
        let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut out = std::io::BufWriter::new(file);
        for i in start..(start + RECORDS_PER_FILE).min(papers) {
            let pmid = FIRST_PMID + i as u64;
            for line in &records[i % records.len()].lines {
                writeln!(out, "{pmid}{line}").map_err(|e| e.to_string())?;
            }
            writeln!(out).map_err(|e| e.to_string())?;
        }
        out.flush().map_err(|e| e.to_string())?;
        bytes += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        files += 1;
    }
    Ok((files, bytes))
}

/// The typing sequences: from the brief, plus a 25-character title fragment and a typo.
fn sequences(title_sample: &str) -> Vec<String> {
    let fragment: String = title_sample
        .chars()
        .skip(4)
        .take(25)
        .collect::<String>()
        .to_lowercase();
    vec![
        "pdl1 nasoph".into(),
        "brca".into(),
        "gene:tp53 apoptosis".into(),
        fragment.trim().to_owned(),
        "carcinmoa".into(),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    ms(sorted[i.min(sorted.len() - 1)])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Waits for the worker's answer to `generation`.
fn answer(worker: &SearchWorker, generation: u64) -> Result<crate::search::SearchResults, String> {
    loop {
        match worker.recv_timeout(Duration::from_secs(600)) {
            Some(r) if r.generation == generation => return Ok(r),
            Some(_) => {}
            None => return Err(format!("no answer to query {generation} in 10 minutes")),
        }
    }
}

/// Runs the benchmark on one corpus size, generating it under `dir`.
fn run_size(records: &[Record], papers: usize, dir: &Path) -> Result<BenchRun, String> {
    let t = Instant::now();
    let (files, bytes) = write_corpus(records, papers, dir)?;
    let write_ms = ms(t.elapsed());

    let t = Instant::now();
    let (library, _report) = library::load(&[dir.to_path_buf()]);
    let load_ms = ms(t.elapsed());

    let t = Instant::now();
    let docs: Vec<SearchDoc> = library
        .papers()
        .iter()
        .enumerate()
        .map(|(i, p)| SearchDoc::new(i as PaperIdx, p))
        .collect();
    let docs_ms = ms(t.elapsed());

    let worker = SearchWorker::spawn();
    let t = Instant::now();
    worker.add_docs(docs);
    let mut generation = 1;
    worker.search(generation, "");
    answer(&worker, generation)?;
    let worker_ready_ms = ms(t.elapsed());

    let sample = library.papers().first().map_or("", |p| p.title.as_str());
    let mut timings = Vec::new();
    for typed in sequences(sample) {
        // Start each sequence from an empty search line, as a user clearing it would.
        generation += 1;
        worker.search(generation, "");
        answer(&worker, generation)?;
        let mut latencies = Vec::new();
        let mut last = None;
        for (end, _) in typed.char_indices().skip(1).chain([(typed.len(), ' ')]) {
            generation += 1;
            let t = Instant::now();
            worker.search(generation, &typed[..end]);
            let r = answer(&worker, generation)?;
            latencies.push(t.elapsed());
            last = Some(r);
        }
        latencies.sort_unstable();
        timings.push(SequenceTiming {
            keystrokes: latencies.len(),
            p50_ms: percentile(&latencies, 0.5),
            p95_ms: percentile(&latencies, 0.95),
            max_ms: latencies.last().copied().map_or(0.0, ms),
            final_hits: last
                .as_ref()
                .and_then(|r| r.outcome.as_ref().ok())
                .map_or(0, Vec::len),
            error: last.and_then(|r| r.outcome.err()).map(|e| e.message),
            typed,
        });
    }
    Ok(BenchRun {
        papers: library.len(),
        files,
        bytes,
        write_ms,
        load_ms,
        docs_ms,
        worker_ready_ms,
        sequences: timings,
    })
}

/// Runs the benchmark for every size, replicating records from `sources`; generated files
/// go to a temporary folder that is removed afterwards. `progress` hears what is happening.
pub fn run(
    sources: &[PathBuf],
    sizes: &[usize],
    mut progress: impl FnMut(&str),
) -> Result<Vec<BenchRun>, String> {
    progress("reading source records");
    let records = read_records(sources)?;
    let root = std::env::temp_dir().join(format!("tomes-bench-{}", std::process::id()));
    let mut runs = Vec::new();
    for &papers in sizes {
        let dir = root.join(papers.to_string());
        progress(&format!(
            "{papers} papers: writing, loading and typing (from {} records)",
            records.len()
        ));
        let run = run_size(&records, papers, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        runs.push(run?);
    }
    let _ = std::fs::remove_dir_all(&root);
    Ok(runs)
}

/// The human-readable table.
pub fn table(runs: &[BenchRun]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for r in runs {
        let _ = writeln!(
            out,
            "{} papers, {} files, {:.0} MB: write {:.0} ms, load {:.0} ms, \
             search docs {:.0} ms, worker ready {:.0} ms",
            r.papers,
            r.files,
            r.bytes as f64 / (1024.0 * 1024.0),
            r.write_ms,
            r.load_ms,
            r.docs_ms,
            r.worker_ready_ms
        );
        let _ = writeln!(
            out,
            "  {:<27} {:>4} {:>8} {:>8} {:>8} {:>8}",
            "typed", "keys", "p50 ms", "p95 ms", "max ms", "hits"
        );
        for s in &r.sequences {
            let hits = match &s.error {
                None => s.final_hits.to_string(),
                Some(_) => "error".into(),
            };
            let _ = writeln!(
                out,
                "  {:<27} {:>4} {:>8.1} {:>8.1} {:>8.1} {:>8}",
                s.typed, s.keystrokes, s.p50_ms, s.p95_ms, s.max_ms, hits
            );
        }
    }
    out
}
