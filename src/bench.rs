//! `tomes bench`: loads the shared corpora as they are and corpora built by replicating
//! their PubTator records under new PMIDs (100k, 1M papers), and measures what a user waits
//! for, through the real program's paths: the loader thread, the load budget per UI turn
//! ([`crate::loading`]), one render into a `TestBackend`, and the search worker answering
//! keys typed into the app state.
//!
//! Each size runs in a fresh child process (`tomes bench` re-runs itself), so its peak RSS
//! (VmHWM) is its own. Each keystroke of a typing sequence is timed from the key to the new
//! result list in the app state; the same prefixes are timed with `fzf --filter` over one
//! line per paper, when fzf is installed.

use crate::app::{self, Action, AppState, Effect, Keymap};
use crate::library;
use crate::loading;
use crate::search::SearchWorker;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Replicated records per generated file.
const RECORDS_PER_FILE: usize = 20_000;
/// Generated PMIDs start here, above every real PMID, so they never merge with real papers.
const FIRST_PMID: u64 = 100_000_000;
/// Set in a child process: run the one size asked for in this process.
const CHILD_ENV: &str = "TOMES_BENCH_CHILD";
/// Above this many papers, fzf is timed on each complete string only (not every prefix).
const FZF_EVERY_PREFIX_MAX: usize = 200_000;

/// Timings of one typing sequence.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// `fzf --filter` over the same lines: median per query (same prefixes, or the complete
    /// string only on the largest corpora) and how many queries were timed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fzf_p50_ms: Option<f64>,
    pub fzf_queries: usize,
}

/// Everything measured on one corpus.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenchRun {
    /// `corpora` for the shared corpora as they are, else the generated size.
    pub corpus: String,
    pub papers: usize,
    pub files: usize,
    /// Bytes of the files loaded (those in a format tomes reads).
    pub bytes: u64,
    pub write_ms: f64,
    /// From start to the first frame drawn (loader spawned, state made, one render).
    pub first_frame_ms: f64,
    /// From start until every paper is merged, indexed and answers the empty query.
    pub loaded_ms: f64,
    /// CPU time (all threads, user + system) spent until fully loaded: steadier than wall
    /// time on a shared machine.
    pub loaded_cpu_ms: f64,
    /// Longest UI-thread turn while loading (applying events within the budget + render).
    pub ui_blocked_max_ms: f64,
    /// Peak resident memory of the process (VmHWM), in bytes.
    pub peak_rss: u64,
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

/// Peak resident memory so far, from `/proc/self/status` (0 where there is none).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// CPU time this process has used (user + system), from `/proc/self/stat`.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    // Linux reports in USER_HZ, 100 per second on every mainstream configuration.
    Duration::from_millis(ticks * 10)
}

/// Files under `paths` in a format tomes reads, and their bytes.
fn loadable_bytes(paths: &[PathBuf]) -> (usize, u64) {
    use std::io::Read as _;
    let mut problems = Vec::new();
    let mut files = 0;
    let mut bytes = 0;
    for f in library::find_files(paths, &mut problems) {
        let mut head = Vec::new();
        let Ok(file) = std::fs::File::open(&f.path) else {
            continue;
        };
        if file.take(4096).read_to_end(&mut head).is_err() {
            continue;
        }
        if crate::formats::detect(&f.path, &head).is_some() {
            files += 1;
            bytes += std::fs::metadata(&f.path).map_or(0, |m| m.len());
        }
    }
    (files, bytes)
}

/// The UI side of the bench: the app state, its screen and the search worker, driven the
/// way the terminal loop drives them.
struct Ui {
    state: AppState,
    terminal: Terminal<TestBackend>,
    worker: SearchWorker,
}

impl Ui {
    fn draw(&mut self) -> Result<(), String> {
        let state = &mut self.state;
        let mut viewport = state.viewport;
        self.terminal
            .draw(|frame| viewport = crate::ui::render(frame, state))
            .map_err(|e| e.to_string())?;
        state.viewport = viewport;
        Ok(())
    }

    fn carry_out(&mut self, effect: Effect) {
        match effect {
            Effect::Search { generation, query } => self.worker.search(generation, &query),
            Effect::IndexDocs(docs) => self.worker.add_docs(docs),
            Effect::IndexPapers(papers) => self.worker.add_docs(
                papers
                    .iter()
                    .map(|&p| self.worker.doc(p, self.state.library.paper(p)))
                    .collect(),
            ),
            _ => {}
        }
    }

    /// Applies an action; when it asks for a search, waits for that search's results and
    /// applies them. True when a search ran.
    fn act(&mut self, action: Action) -> Result<bool, String> {
        let Some(effect) = app::update(&mut self.state, action) else {
            return Ok(false);
        };
        let searched = matches!(effect, Effect::Search { .. });
        self.carry_out(effect);
        if searched {
            self.await_search()?;
        }
        Ok(searched)
    }

    /// Waits for the results of the state's current search generation and applies them.
    fn await_search(&mut self) -> Result<crate::search::SearchResults, String> {
        loop {
            let Some(r) = self.worker.recv_timeout(Duration::from_secs(600)) else {
                return Err("the search worker gave no answer in 10 minutes".into());
            };
            if r.generation == self.state.search.generation {
                self.state.apply_search_results(r.clone());
                return Ok(r);
            }
        }
    }
}

/// One line per paper for fzf: title, authors, journal, ids and entity names.
fn fzf_lines(state: &AppState, path: &Path) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for p in state.library.papers() {
        let mut line = p.title.replace(['\n', '\t'], " ");
        for a in &p.authors {
            line.push(' ');
            line.push_str(a);
        }
        for t in [&p.journal, &p.ids.pmid, &p.ids.pmcid, &p.ids.doi]
            .into_iter()
            .flatten()
        {
            line.push(' ');
            line.push_str(t);
        }
        line.push(' ');
        line.push_str(p.key.as_str());
        for e in &p.entities {
            line.push(' ');
            line.push_str(&e.name);
        }
        writeln!(out, "{}", line.replace('\n', " ")).map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// Wall time of `fzf --filter QUERY < lines`, `None` when fzf cannot be run.
fn time_fzf(lines: &Path, query: &str) -> Option<Duration> {
    let input = std::fs::File::open(lines).ok()?;
    let t = Instant::now();
    let status = std::process::Command::new("fzf")
        .arg("--filter")
        .arg(query)
        .stdin(input)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    // fzf exits 1 when nothing matched: still a timed query.
    (status.code().is_some_and(|c| c <= 1)).then(|| t.elapsed())
}

/// Runs the benchmark on one corpus, in this process: `papers == 0` loads `sources` as they
/// are, otherwise a corpus of `papers` replicated records is generated under `dir`.
fn run_one(sources: &[PathBuf], papers: usize, dir: &Path) -> Result<BenchRun, String> {
    let (paths, write_ms) = if papers == 0 {
        (sources.to_vec(), 0.0)
    } else {
        let records = read_records(sources)?;
        let t = Instant::now();
        write_corpus(&records, papers, dir)?;
        (vec![dir.to_path_buf()], ms(t.elapsed()))
    };
    let (files, bytes) = loadable_bytes(&paths);

    // As `tui::run` starts: loader, worker, state, first frame.
    let start = Instant::now();
    let cpu_start = cpu_time();
    let worker = SearchWorker::spawn();
    let loader = library::spawn_loader_for(paths, Some(worker.interner()));
    let mut ui = Ui {
        state: AppState::loading(Keymap::defaults()),
        terminal: Terminal::new(TestBackend::new(80, 24)).map_err(|e| e.to_string())?,
        worker,
    };
    ui.draw()?;
    let first_frame_ms = ms(start.elapsed());

    let mut blocked = Duration::ZERO;
    loop {
        let turn = Instant::now();
        let drained = loading::drain(&loader, &mut ui.state, &ui.worker, loading::TURN_BUDGET);
        for effect in drained.effects {
            ui.carry_out(effect);
        }
        if drained.changed {
            ui.draw()?;
        }
        blocked = blocked.max(turn.elapsed());
        if drained.finished {
            break;
        }
        if !drained.more {
            // The terminal loop waits this long for a key before looking again.
            std::thread::sleep(loading::LOAD_POLL);
        }
    }
    // Searchable: the worker holds every doc once it answers a query sent after them.
    ui.act(Action::Search)?;
    ui.act(Action::SearchInput('a'))?;
    ui.act(Action::SearchBackspace)?;
    let loaded_ms = ms(start.elapsed());
    let loaded_cpu_ms = ms(cpu_time().saturating_sub(cpu_start));
    ui.act(Action::Cancel)?;

    let lines = dir.join("fzf-lines.txt");
    // TOMES_BENCH_FZF=0 skips fzf (when profiling tomes alone).
    let fzf_ok = std::env::var_os("TOMES_BENCH_FZF").is_none_or(|v| v != "0")
        && std::fs::create_dir_all(dir).is_ok()
        && fzf_lines(&ui.state, &lines).is_ok()
        && time_fzf(&lines, "x").is_some();
    let sample = ui
        .state
        .library
        .papers()
        .first()
        .map_or(String::new(), |p| p.title.clone());
    let mut timings = Vec::new();
    for typed in sequences(&sample) {
        ui.act(Action::Search)?;
        let mut latencies = Vec::new();
        let mut last = None;
        for c in typed.chars() {
            let t = Instant::now();
            if ui.act(Action::SearchInput(c))? {
                latencies.push(t.elapsed());
            }
            last = ui.state.search.error.clone();
        }
        let final_hits = ui.state.view().rows.len();
        // Back to an empty search line, as a user clearing it would.
        ui.act(Action::Cancel)?;
        let prefixes: Vec<&str> = if ui.state.library.len() <= FZF_EVERY_PREFIX_MAX {
            typed
                .char_indices()
                .skip(1)
                .map(|(i, _)| &typed[..i])
                .chain([typed.as_str()])
                .collect()
        } else {
            vec![typed.as_str()]
        };
        let mut fzf: Vec<Duration> = if fzf_ok {
            prefixes
                .iter()
                .filter_map(|q| time_fzf(&lines, q))
                .collect()
        } else {
            Vec::new()
        };
        fzf.sort_unstable();
        latencies.sort_unstable();
        timings.push(SequenceTiming {
            keystrokes: latencies.len(),
            p50_ms: percentile(&latencies, 0.5),
            p95_ms: percentile(&latencies, 0.95),
            max_ms: latencies.last().copied().map_or(0.0, ms),
            final_hits,
            error: last,
            fzf_p50_ms: (!fzf.is_empty()).then(|| percentile(&fzf, 0.5)),
            fzf_queries: fzf.len(),
            typed,
        });
    }
    let _ = std::fs::remove_file(&lines);
    Ok(BenchRun {
        corpus: if papers == 0 {
            "corpora".into()
        } else {
            papers.to_string()
        },
        papers: ui.state.library.len(),
        files,
        bytes,
        write_ms,
        first_frame_ms,
        loaded_ms,
        loaded_cpu_ms,
        ui_blocked_max_ms: ms(blocked),
        peak_rss: peak_rss(),
        sequences: timings,
    })
}

/// Runs one size in a fresh child process (`tomes bench SOURCES --sizes N --json`).
fn run_child(sources: &[PathBuf], papers: usize) -> Result<BenchRun, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find tomes itself: {e}"))?;
    let output = std::process::Command::new(exe)
        .arg("bench")
        .args(sources)
        .arg("--sizes")
        .arg(papers.to_string())
        .arg("--json")
        .env(CHILD_ENV, "1")
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run the bench child: {e}"))?;
    if !output.status.success() {
        return Err(format!("the bench child for {papers} papers failed"));
    }
    #[derive(Deserialize)]
    struct Runs {
        runs: Vec<BenchRun>,
    }
    let runs: Runs = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("the bench child's output: {e}"))?;
    runs.runs
        .into_iter()
        .next()
        .ok_or_else(|| "the bench child measured nothing".into())
}

/// Runs the benchmark on the shared corpora as they are and on every generated size, each in
/// a child process; generated files go to a temporary folder that is removed afterwards.
/// In a child, runs just the size asked for. `progress` hears what is happening.
pub fn run(
    sources: &[PathBuf],
    sizes: &[usize],
    mut progress: impl FnMut(&str),
) -> Result<Vec<BenchRun>, String> {
    if std::env::var_os(CHILD_ENV).is_some() {
        let papers = sizes.first().copied().unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("tomes-bench-{}", std::process::id()));
        let run = run_one(sources, papers, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(vec![run?]);
    }
    let mut runs = Vec::new();
    for papers in std::iter::once(0).chain(sizes.iter().copied().filter(|&n| n > 0)) {
        progress(&match papers {
            0 => "the corpora as they are: loading and typing".to_owned(),
            n => format!("{n} papers: writing, loading and typing"),
        });
        runs.push(run_child(sources, papers)?);
    }
    Ok(runs)
}

/// The human-readable table.
pub fn table(runs: &[BenchRun]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for r in runs {
        let _ = writeln!(
            out,
            "{} ({} papers, {} files, {:.1} MB): first frame {:.1} ms, loaded {:.0} ms \
             (CPU {:.0} ms), UI blocked max {:.1} ms, peak RSS {:.0} MB ({:.2}x text)",
            r.corpus,
            r.papers,
            r.files,
            r.bytes as f64 / 1e6,
            r.first_frame_ms,
            r.loaded_ms,
            r.loaded_cpu_ms,
            r.ui_blocked_max_ms,
            r.peak_rss as f64 / 1e6,
            r.peak_rss as f64 / (r.bytes.max(1) as f64),
        );
        let _ = writeln!(
            out,
            "  {:<27} {:>4} {:>7} {:>7} {:>7} {:>7} {:>8} {:>7}",
            "typed", "keys", "p50 ms", "p95 ms", "max ms", "hits", "fzf p50", "ratio"
        );
        for s in &r.sequences {
            let hits = match &s.error {
                None => s.final_hits.to_string(),
                Some(_) => "error".into(),
            };
            let (fzf, ratio) = match s.fzf_p50_ms {
                Some(f) => (format!("{f:.1}"), format!("{:.2}", s.p50_ms / f.max(1e-6))),
                None => ("-".into(), "-".into()),
            };
            let _ = writeln!(
                out,
                "  {:<27} {:>4} {:>7.1} {:>7.1} {:>7.1} {:>7} {:>8} {:>7}",
                s.typed, s.keystrokes, s.p50_ms, s.p95_ms, s.max_ms, hits, fzf, ratio
            );
        }
    }
    out.push_str("(ratio: tomes p50 per key / fzf --filter p50 per query on the same lines)\n");
    out
}
