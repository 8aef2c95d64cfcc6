//! `tomes bench`: loads the shared corpora as they are and corpora built by replicating
//! their PubTator records under new PMIDs (100k, 1M papers; every other copy with entity ids
//! of its own, see `id_shift`), and measures what a user waits
//! for, through the real program's paths: the loader thread, the load budget per UI turn
//! ([`crate::loading`]), one render into a `TestBackend`, and the search worker answering
//! keys typed into the app state.
//!
//! Each size runs in a fresh child process (`tomes bench` re-runs itself), so its peak RSS
//! (VmHWM) is its own. Each keystroke of a typing sequence is timed from the key to the new
//! result list in the app state; the same prefixes are timed with `fzf --filter` over one
//! line per paper, when fzf is installed.

use crate::app::{self, Action, AppState, Effect, Keymap, count};
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
    /// Each key's time in the order typed (the table shows only p50/p95/max).
    #[serde(default)]
    pub key_ms: Vec<f64>,
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
    /// The UI thread's own CPU time in that longest turn: far less than the turn means the
    /// thread was waiting (for a core, a lock, or a host that ran something else).
    #[serde(default)]
    pub ui_longest_turn_cpu_ms: f64,
    /// How long the UI thread was ready to run in that turn but waited for a core (Linux's
    /// per-thread run delay); the rest of the turn beyond its CPU and this wait it slept,
    /// for a lock or a page. The host's steal shows in neither.
    #[serde(default)]
    pub ui_longest_turn_waited_ms: f64,
    /// UI-thread turns while loading, and how many of them took longer than a frame.
    #[serde(default)]
    pub ui_turns: usize,
    #[serde(default)]
    pub ui_turns_over_frame: usize,
    /// Time the machine's CPUs were ready to run but the hypervisor ran something else
    /// (steal, summed over CPUs, from `/proc/stat`) while loading: nonzero on a shared host.
    #[serde(default)]
    pub load_steal_ms: f64,
    /// Peak resident memory of the process (VmHWM), in bytes.
    pub peak_rss: u64,
    /// Resident memory once fully loaded (VmRSS): what the library keeps, without the
    /// load's transient buffers that `peak_rss` includes.
    #[serde(default)]
    pub loaded_rss: u64,
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

/// Which shift copy `copy` of the records gives its entity ids (copy 0 is the first pass over
/// the records): odd copies get ids of their own, shift 1, 2, 3 ..., even copies keep the
/// originals. So half the papers share the real corpora's entities (TP53 and human stay
/// common, as in a real topic export) and the entity index grows with the corpus.
fn id_shift(copy: usize) -> u64 {
    if copy % 2 == 1 {
        copy.div_ceil(2) as u64
    } else {
        0
    }
}

/// What one shift adds to every number in an id: above every NCBI Gene, taxon, MeSH, OMIM,
/// dbSNP and Cellosaurus number in the corpora, so shifted ids meet no real one.
const ID_SHIFT_STEP: u64 = 10_000_000;

/// Appends `id` with every run of digits increased by `shift` × [`ID_SHIFT_STEP`], keeping
/// its zero padding: `7157` -> `10007157`, `MESH:D008545` -> `MESH:D10008545`, `rs123`,
/// `CVCL_0023`, tmVar `c|SUB|C|123|T` and composites `123;456` alike, so the shifted id has
/// the shape the id normaliser reads. A run right after `-` is left as it is, which keeps
/// `-1` (no id) meaning no id. The same `id` and shift always give the same result, so the
/// relations of a shifted copy still name the entities of its annotations.
fn push_shifted_id(id: &str, shift: u64, out: &mut String) {
    let bytes = id.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            let next = bytes[i..]
                .iter()
                .position(u8::is_ascii_digit)
                .map_or(bytes.len(), |n| i + n);
            out.push_str(&id[i..next]);
            i = next;
            continue;
        }
        let end = bytes[i..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(bytes.len(), |n| i + n);
        let digits = &id[i..end];
        let after_dash = i > 0 && bytes[i - 1] == b'-';
        let shifted = digits
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_add(shift.checked_mul(ID_SHIFT_STEP)?));
        match shifted {
            Some(n) if !after_dash => {
                use std::fmt::Write as _;
                let _ = write!(out, "{n:0width$}", width = digits.len());
            }
            _ => out.push_str(digits),
        }
        i = end;
    }
}

/// Appends a record line (PMID cut off) with the entity ids shifted by `shift`: the id
/// column of an annotation line, both id columns of a relation line, told apart as the
/// PubTator parser tells them (numeric offsets second, or at most 5 columns). Title and
/// abstract lines, mentions, types and the names column stay as they are.
fn push_shifted_line(line: &str, shift: u64, out: &mut String) {
    if shift == 0 || !line.starts_with('\t') {
        out.push_str(line);
        return;
    }
    // Columns as in the full line: 0 is the (cut off, empty) PMID.
    let columns = line.split('\t').count();
    let second = line.split('\t').nth(1).unwrap_or("").trim();
    let numeric = second
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b == b'-');
    let id_columns: &[usize] = if !numeric && columns <= 5 {
        &[2, 3]
    } else {
        &[5]
    };
    for (n, column) in line.split('\t').enumerate() {
        if n > 0 {
            out.push('\t');
        }
        if id_columns.contains(&n) {
            push_shifted_id(column, shift, out);
        } else {
            out.push_str(column);
        }
    }
}

/// Writes `papers` records into files in `dir`, replicated under new PMIDs: paper `i` is
/// record `i % records.len()` of copy `i / records.len()`, its entity ids shifted as
/// [`id_shift`] says for that copy.
fn write_corpus(records: &[Record], papers: usize, dir: &Path) -> Result<(usize, u64), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = 0;
    let mut bytes = 0u64;
    let mut shifted = String::new();
    for (n, start) in (0..papers).step_by(RECORDS_PER_FILE).enumerate() {
        let path = dir.join(format!("bench_{n:04}.pubtator"));
        let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut out = std::io::BufWriter::new(file);
        for i in start..(start + RECORDS_PER_FILE).min(papers) {
            let pmid = FIRST_PMID + i as u64;
            let shift = id_shift(i / records.len());
            for line in &records[i % records.len()].lines {
                shifted.clear();
                push_shifted_line(line, shift, &mut shifted);
                writeln!(out, "{pmid}{shifted}").map_err(|e| e.to_string())?;
            }
            writeln!(out).map_err(|e| e.to_string())?;
        }
        out.flush().map_err(|e| e.to_string())?;
        bytes += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        files += 1;
    }
    Ok((files, bytes))
}

/// Writes the corpus `tomes bench` loads for `papers` papers into `dir`, for profiling a load
/// outside the benchmark: the files and the bytes written.
pub fn write_scaled(
    sources: &[PathBuf],
    papers: usize,
    dir: &Path,
) -> Result<(usize, u64), String> {
    write_corpus(&read_records(sources)?, papers, dir)
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
    status_kb("VmHWM:")
}

/// Resident memory now, from `/proc/self/status` (0 where there is none).
fn current_rss() -> u64 {
    status_kb("VmRSS:")
}

/// A `/proc/self/status` line in kB, as bytes.
fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// A 60 Hz frame: a UI turn longer than this is a frame late.
const FRAME: Duration = Duration::from_millis(16);

/// The calling thread's CPU time (user + system).
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    match (u64::try_from(ts.tv_sec), u32::try_from(ts.tv_nsec)) {
        (Ok(secs), Ok(nanos)) if ok => Duration::new(secs, nanos),
        _ => Duration::ZERO,
    }
}

/// How long the calling thread has waited on a run queue, ready to run (Linux's
/// `/proc/thread-self/schedstat`, second number; zero where absent).
fn thread_run_delay() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    run_delay_in_schedstat(&stat)
}

/// The run delay in a `schedstat` text: CPU time, run delay and timeslices, in that order,
/// the first two in nanoseconds.
fn run_delay_in_schedstat(schedstat: &str) -> Duration {
    let nanos = schedstat
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    Duration::from_nanos(nanos)
}

/// Steal time of all CPUs so far, from `/proc/stat` (zero where absent).
fn steal_time() -> Duration {
    steal_in_stat(&std::fs::read_to_string("/proc/stat").unwrap_or_default())
}

/// The steal time on the `cpu` line of a `/proc/stat` text (its eighth number).
fn steal_in_stat(stat: &str) -> Duration {
    let ticks = stat
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("cpu "))
        .and_then(|rest| rest.split_whitespace().nth(7))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    // USER_HZ, as for `cpu_time`.
    Duration::from_millis(ticks * 10)
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
    let mut files = 0;
    let mut bytes = 0;
    for (path, _) in formats_of_files(paths) {
        files += 1;
        bytes += std::fs::metadata(&path).map_or(0, |m| m.len());
    }
    (files, bytes)
}

/// Each file under `paths` in a format tomes reads, with that format, told from its first
/// 4 KB as the loader tells it.
fn formats_of_files(paths: &[PathBuf]) -> Vec<(PathBuf, crate::model::Format)> {
    use std::io::Read as _;
    let mut problems = Vec::new();
    let mut found = Vec::new();
    for f in library::find_files(paths, &mut problems) {
        let mut head = Vec::new();
        let Ok(file) = std::fs::File::open(&f.path) else {
            continue;
        };
        if file.take(4096).read_to_end(&mut head).is_err() {
            continue;
        }
        if let Some(format) = crate::formats::detect(&f.path, &head) {
            found.push((f.path, format));
        }
    }
    found
}

/// Why `sources` cannot be benchmarked, before any step runs: nothing in them to load, or
/// (`generate`: some size is to be generated) no PubTator record to replicate. Run from a
/// folder without the corpora, the first step measured an empty library without a word
/// and the second failed on "no PubTator records".
fn check_sources(sources: &[PathBuf], generate: bool) -> Result<(), String> {
    let named = sources
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let formats = formats_of_files(sources);
    if formats.is_empty() {
        return Err(format!(
            "no papers to load under {named}: no file in a format tomes reads (PubTator, \
             BioC XML, summary Markdown)"
        ));
    }
    if generate
        && !formats
            .iter()
            .any(|(_, f)| *f == crate::model::Format::PubTator)
    {
        return Err(format!(
            "no PubTator file under {named} to replicate into larger corpora; --sizes 0 \
             measures the files as they are"
        ));
    }
    Ok(())
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
            Effect::Search {
                generation,
                query,
                whole: false,
            } => self.worker.search(generation, &query),
            Effect::Search {
                generation, query, ..
            } => self.worker.search_whole(generation, &query),
            Effect::IndexDocs(docs) => self.worker.add_docs(docs),
            Effect::IndexPapers(papers) => self.worker.index_papers(&self.state.library, &papers),
            Effect::OrderPapers(keys) => self.worker.order_papers(keys),
            Effect::ReserveSearch(papers) => self.worker.reserve(papers),
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
    // Woken by the worker and loader as the terminal loop is.
    let (wake_tx, wakes) = std::sync::mpsc::sync_channel::<()>(1);
    let waker = crate::threads::Waker::new(move || {
        let _ = wake_tx.try_send(());
    });
    let worker = SearchWorker::spawn_waking(waker.clone());
    let loader = library::spawn_loader_waking(paths, Some(worker.interner()), waker);
    let mut ui = Ui {
        state: AppState::loading(Keymap::defaults()),
        terminal: Terminal::new(TestBackend::new(80, 24)).map_err(|e| e.to_string())?,
        worker,
    };
    ui.draw()?;
    let first_frame_ms = ms(start.elapsed());

    let steal_start = steal_time();
    let mut blocked = Duration::ZERO;
    let mut longest_turn_cpu = Duration::ZERO;
    let mut longest_turn_waited = Duration::ZERO;
    let (mut turns, mut turns_over_frame) = (0, 0);
    loop {
        let turn = Instant::now();
        let turn_cpu = thread_cpu_time();
        let turn_delay = thread_run_delay();
        let drained = loading::drain(&loader, &mut ui.state, &ui.worker, loading::TURN_BUDGET);
        for effect in drained.effects {
            ui.carry_out(effect);
        }
        if drained.changed {
            ui.draw()?;
        }
        let took = turn.elapsed();
        turns += 1;
        turns_over_frame += usize::from(took > FRAME);
        if took > blocked {
            blocked = took;
            longest_turn_cpu = thread_cpu_time().saturating_sub(turn_cpu);
            longest_turn_waited = thread_run_delay().saturating_sub(turn_delay);
        }
        if drained.finished {
            break;
        }
        if !drained.more {
            // The terminal loop waits this long for a key before looking again, unless the
            // loader wakes it first.
            let _ = wakes.recv_timeout(loading::LOAD_POLL);
        }
    }
    // Searchable: the worker holds every doc once it answers a query sent after them.
    ui.act(Action::Search)?;
    ui.act(Action::SearchInput('a'))?;
    ui.act(Action::SearchBackspace)?;
    // Sorted before that query ran (the worker takes requests in order), as lists show it.
    if let Some(order) = ui.worker.try_recv_order() {
        for effect in ui.state.apply_source_order(order) {
            ui.carry_out(effect);
        }
    }
    let loaded_ms = ms(start.elapsed());
    let loaded_cpu_ms = ms(cpu_time().saturating_sub(cpu_start));
    let load_steal_ms = ms(steal_time().saturating_sub(steal_start));
    let loaded_rss = current_rss();
    ui.act(Action::Cancel)?;

    let lines = dir.join("fzf-lines.txt");
    // TOMES_BENCH_FZF=0 skips fzf (when profiling tomes alone).
    let fzf_ok = std::env::var_os("TOMES_BENCH_FZF").is_none_or(|v| v != "0")
        && std::fs::create_dir_all(dir).is_ok()
        && fzf_lines(&ui.state, &lines).is_ok()
        && time_fzf(&lines, "x").is_some();
    // The first paper in source order, the same every run: papers arrive in the order the
    // parse threads finish, and the first to arrive gave a different fragment each run.
    let first = match ui.state.view().rows.first() {
        Some(app::Row::Paper(p)) => Some(ui.state.library.paper(*p)),
        _ => ui.state.library.papers().first(),
    };
    let sample = first.map_or(String::new(), |p| p.title.clone());
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
            // As the terminal loop does when no key waits (not part of the key's time).
            ui.state.finish_pending_work();
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
        let key_ms = latencies.iter().copied().map(ms).collect();
        latencies.sort_unstable();
        timings.push(SequenceTiming {
            keystrokes: latencies.len(),
            p50_ms: percentile(&latencies, 0.5),
            p95_ms: percentile(&latencies, 0.95),
            max_ms: latencies.last().copied().map_or(0.0, ms),
            key_ms,
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
        ui_longest_turn_cpu_ms: ms(longest_turn_cpu),
        ui_longest_turn_waited_ms: ms(longest_turn_waited),
        ui_turns: turns,
        ui_turns_over_frame: turns_over_frame,
        load_steal_ms,
        peak_rss: peak_rss(),
        loaded_rss,
        sequences: timings,
    })
}

/// The temporary folder a bench child writes its corpus to: `tomes-bench-<its pid>`.
const DIR_PREFIX: &str = "tomes-bench-";

fn corpus_dir(pid: u32) -> PathBuf {
    std::env::temp_dir().join(format!("{DIR_PREFIX}{pid}"))
}

/// Folders `tomes-bench-<pid>` in `root` whose process `alive` says has ended: corpora left
/// behind by a run killed outright (SIGKILL, a crash, a power cut).
fn stale_dirs(root: &Path, alive: impl Fn(u32) -> bool) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let suffix = name.to_str()?.strip_prefix(DIR_PREFIX)?;
            // Exactly as `corpus_dir` writes it: no sign, no leading zeros.
            let pid = suffix
                .parse::<u32>()
                .ok()
                .filter(|p| p.to_string() == suffix)?;
            let is_dir = entry.file_type().ok()?.is_dir();
            (pid > 0 && is_dir && !alive(pid)).then(|| entry.path())
        })
        .collect()
}

/// True unless `pid` certainly names no process (a pid of another user's process is alive).
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        return true;
    }
    // Signal 0 checks that the process exists without signalling it.
    // SAFETY: kill with signal 0 has no effect on the target.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Signals that end a bench run: Ctrl-C, `kill`, a closed terminal.
const END_SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
];

/// The bench child the parent is waiting for, shared with the parent's signal thread.
type RunningChild = std::sync::Arc<std::sync::Mutex<Option<u32>>>;

fn lock(child: &RunningChild) -> std::sync::MutexGuard<'_, Option<u32>> {
    child
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// In a bench child: on SIGINT, SIGTERM or SIGHUP, removes `dir` (the corpus being written or
/// loaded) and ends the process. Registered before `dir` is made.
fn remove_on_signal(dir: PathBuf) -> Result<(), String> {
    let mut signals = signal_hook::iterator::Signals::new(END_SIGNALS)
        .map_err(|e| format!("cannot watch signals: {e}"))?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _ = std::fs::remove_dir_all(&dir);
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

/// In the parent: on SIGINT, SIGTERM or SIGHUP, ends the process at once when no child runs;
/// otherwise passes SIGTERM on to the child (which removes its corpus and exits) and leaves
/// the rest to [`run_child`], which sees the child end, removes what is left and exits.
fn stop_children_on_signal() -> Result<RunningChild, String> {
    let running = RunningChild::default();
    let mut signals = signal_hook::iterator::Signals::new(END_SIGNALS)
        .map_err(|e| format!("cannot watch signals: {e}"))?;
    let shared = running.clone();
    std::thread::spawn(move || {
        for signal in signals.forever() {
            let child = lock(&shared);
            match *child {
                None => std::process::exit(128 + signal),
                Some(pid) => {
                    INTERRUPTED.store(signal, std::sync::atomic::Ordering::SeqCst);
                    if let Ok(pid) = libc::pid_t::try_from(pid) {
                        // SAFETY: plain kill(2) on the child this process started and has
                        // not yet reaped (`run_child` reaps it and clears `running` under
                        // this lock).
                        unsafe { libc::kill(pid, libc::SIGTERM) };
                    }
                }
            }
        }
    });
    Ok(running)
}

/// The signal that interrupted the parent while a child ran (0: none).
static INTERRUPTED: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// Runs one size in a fresh child process (`tomes bench SOURCES --sizes N --json`). Its
/// corpus folder is removed once it ends, however it ended; when a signal interrupted the
/// run, the process exits here with 128 + the signal.
fn run_child(
    sources: &[PathBuf],
    papers: usize,
    running: &RunningChild,
) -> Result<BenchRun, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find tomes itself: {e}"))?;
    let mut child = {
        // Spawned under the lock, so the signal thread either sees no child (and exits
        // before it starts) or sees its pid.
        let mut slot = lock(running);
        let child = std::process::Command::new(exe)
            .arg("bench")
            .args(sources)
            .arg("--sizes")
            .arg(papers.to_string())
            .arg("--json")
            .env(CHILD_ENV, "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot run the bench child: {e}"))?;
        *slot = Some(child.id());
        child
    };
    let pid = child.id();
    let mut stdout = Vec::new();
    let read = child
        .stdout
        .take()
        .map(|mut out| std::io::Read::read_to_end(&mut out, &mut stdout));
    let status = {
        // Reaped under the lock, so the signal thread never signals a reused pid.
        let mut slot = lock(running);
        let status = child.wait();
        *slot = None;
        status
    };
    let _ = std::fs::remove_dir_all(corpus_dir(pid));
    let signal = INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst);
    if signal != 0 {
        eprintln!("tomes bench: interrupted; the temporary corpus is removed");
        std::process::exit(128 + signal);
    }
    let status = status.map_err(|e| format!("the bench child: {e}"))?;
    if !status.success() || !matches!(read, Some(Ok(_))) {
        return Err(format!("the bench child for {} failed", step_name(papers)));
    }
    #[derive(Deserialize)]
    struct Runs {
        runs: Vec<BenchRun>,
    }
    let runs: Runs =
        serde_json::from_slice(&stdout).map_err(|e| format!("the bench child's output: {e}"))?;
    runs.runs
        .into_iter()
        .next()
        .ok_or_else(|| "the bench child measured nothing".into())
}

/// What a step is called in the progress lines: `the corpora as they are` for `papers == 0`,
/// else the generated size (`1 paper`, `100,000 papers`).
fn step_name(papers: usize) -> String {
    match papers {
        0 => "the corpora as they are".to_owned(),
        n => count(n, "paper"),
    }
}

/// Runs the benchmark on the shared corpora as they are and on every generated size, each in
/// a child process; generated files go to a temporary folder that is removed afterwards, also
/// when the run is interrupted (SIGINT, SIGTERM, SIGHUP). Folders left by runs killed
/// outright are removed first. In a child, runs just the size asked for. `progress` hears
/// what is happening.
pub fn run(
    sources: &[PathBuf],
    sizes: &[usize],
    mut progress: impl FnMut(&str),
) -> Result<Vec<BenchRun>, String> {
    if std::env::var_os(CHILD_ENV).is_some() {
        let papers = sizes.first().copied().unwrap_or(0);
        let dir = corpus_dir(std::process::id());
        remove_on_signal(dir.clone())?;
        let run = run_one(sources, papers, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(vec![run?]);
    }
    check_sources(sources, sizes.iter().any(|&n| n > 0))?;
    for stale in stale_dirs(&std::env::temp_dir(), process_alive) {
        if std::fs::remove_dir_all(&stale).is_ok() {
            progress(&format!(
                "removed {}, left by an earlier run",
                stale.display()
            ));
        }
    }
    let running = stop_children_on_signal()?;
    let mut runs = Vec::new();
    for papers in std::iter::once(0).chain(sizes.iter().copied().filter(|&n| n > 0)) {
        let step = step_name(papers);
        progress(&match papers {
            0 => format!("{step}: loading and typing"),
            _ => format!("{step}: writing, loading and typing"),
        });
        let run = run_child(sources, papers, &running)?;
        // Each step says how it went as it ends: the table comes after the last one, and a
        // later step that fails leaves no table.
        let found = match (papers, run.papers) {
            (0, n) => format!("{}, ", count(n, "paper")),
            _ => String::new(),
        };
        progress(&format!(
            "{step}: {found}loaded in {:.1} s, peak RSS {:.0} MB",
            run.loaded_ms / 1000.0,
            run.peak_rss as f64 / 1e6
        ));
        runs.push(run);
    }
    Ok(runs)
}

/// Columns of the table's first column, what was typed.
const TYPED_COLUMNS: usize = 27;

/// `typed` in the table's first column: padded to [`TYPED_COLUMNS`], or cut with `…` when
/// longer, so the numbers after it stay under their headings.
fn typed_label(typed: &str) -> String {
    use unicode_width::UnicodeWidthStr;
    let label = crate::ui::text::cut_words(typed, TYPED_COLUMNS);
    let pad = TYPED_COLUMNS.saturating_sub(label.width());
    format!("{label}{}", " ".repeat(pad))
}

/// The human-readable table.
pub fn table(runs: &[BenchRun]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for r in runs {
        let _ = writeln!(
            out,
            "{} ({}, {}, {:.1} MB): first frame {:.1} ms, loaded {:.0} ms \
             (CPU {:.0} ms), UI blocked max {:.1} ms (its own CPU {:.1} ms, waiting for a \
             core {:.1} ms; {} of {} turns over {} ms; host steal {:.0} ms), peak RSS {:.0} MB \
             ({:.2}x text), \
             {:.0} MB when loaded",
            r.corpus,
            count(r.papers, "paper"),
            count(r.files, "file"),
            r.bytes as f64 / 1e6,
            r.first_frame_ms,
            r.loaded_ms,
            r.loaded_cpu_ms,
            r.ui_blocked_max_ms,
            r.ui_longest_turn_cpu_ms,
            r.ui_longest_turn_waited_ms,
            r.ui_turns_over_frame,
            r.ui_turns,
            FRAME.as_millis(),
            r.load_steal_ms,
            r.peak_rss as f64 / 1e6,
            r.peak_rss as f64 / (r.bytes.max(1) as f64),
            r.loaded_rss as f64 / 1e6,
        );
        let _ = writeln!(
            out,
            "  {} {:>4} {:>7} {:>7} {:>7} {:>7} {:>8} {:>7}",
            typed_label("typed"),
            "keys",
            "p50 ms",
            "p95 ms",
            "max ms",
            "hits",
            "fzf p50",
            "ratio"
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
                "  {} {:>4} {:>7.1} {:>7.1} {:>7.1} {:>7} {:>8} {:>7}",
                typed_label(&s.typed),
                s.keystrokes,
                s.p50_ms,
                s.p95_ms,
                s.max_ms,
                hits,
                fzf,
                ratio
            );
        }
    }
    out.push_str("(ratio: tomes p50 per key / fzf --filter p50 per query on the same lines)\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steal_is_the_eighth_number_of_the_cpu_line() {
        let stat = "cpu  100 2 30 4000 5 0 6 77 0 0\ncpu0 50 1 15 2000 2 0 3 40 0 0\n";
        assert_eq!(steal_in_stat(stat), Duration::from_millis(770));
        assert_eq!(steal_in_stat("cpu  1 2 3\n"), Duration::ZERO);
        assert_eq!(steal_in_stat(""), Duration::ZERO);
    }

    #[test]
    fn run_delay_is_the_second_number_of_schedstat() {
        assert_eq!(
            run_delay_in_schedstat("178290 4200000 12\n"),
            Duration::from_micros(4200)
        );
        assert_eq!(run_delay_in_schedstat("178290"), Duration::ZERO);
        // This thread's own, where Linux has it: it reads, and it never goes back.
        let before = thread_run_delay();
        assert!(thread_run_delay() >= before);
    }

    /// A run of the 1M corpus as a user test measured it, without sequences.
    fn a_run() -> BenchRun {
        BenchRun {
            corpus: "1000000".into(),
            papers: 1_000_000,
            files: 50,
            bytes: 2_440_000_000,
            write_ms: 0.0,
            first_frame_ms: 0.5,
            loaded_ms: 25_000.0,
            loaded_cpu_ms: 46_000.0,
            ui_blocked_max_ms: 19.2,
            ui_longest_turn_cpu_ms: 2.6,
            ui_longest_turn_waited_ms: 1.2,
            ui_turns: 5012,
            ui_turns_over_frame: 2,
            load_steal_ms: 430.0,
            peak_rss: 5_753_000_000,
            loaded_rss: 5_597_000_000,
            sequences: Vec::new(),
        }
    }

    #[test]
    fn table_says_how_long_the_ui_waited_and_why() {
        let run = a_run();
        let table = table(&[run]);
        assert!(
            table.contains(
                "UI blocked max 19.2 ms (its own CPU 2.6 ms, waiting for a core 1.2 ms; \
                 2 of 5012 turns over 16 ms; host steal 430 ms)"
            ),
            "{table}"
        );
    }

    /// A user test read `1 papers`: one paper, one file are said so.
    #[test]
    fn counts_of_one_are_singular() {
        let one = BenchRun {
            corpus: "corpora".into(),
            papers: 1,
            files: 1,
            ..a_run()
        };
        let table = table(&[one, a_run()]);
        assert!(table.contains("corpora (1 paper, 1 file, "), "{table}");
        assert!(
            table.contains("1000000 (1,000,000 papers, 50 files, "),
            "{table}"
        );
        assert_eq!(step_name(1), "1 paper");
        assert_eq!(step_name(100_000), "100,000 papers");
        assert_eq!(step_name(0), "the corpora as they are");
    }

    /// A label longer than its column is cut with `…`, and the numbers after it stay under
    /// their headings.
    #[test]
    fn a_long_typed_label_is_cut_with_an_ellipsis() {
        let sequence = |typed: &str| SequenceTiming {
            typed: typed.into(),
            keystrokes: typed.chars().count(),
            p50_ms: 1.0,
            p95_ms: 2.0,
            max_ms: 3.0,
            key_ms: Vec::new(),
            final_hits: 7,
            error: None,
            fzf_p50_ms: None,
            fzf_queries: 0,
        };
        let run = BenchRun {
            sequences: vec![
                sequence("brca"),
                sequence("interleukin receptor signalling in tumours"),
            ],
            ..a_run()
        };
        let table = table(&[run]);
        let lines: Vec<&str> = table.lines().collect();
        // The column a word ends at, in characters.
        let end_of = |line: &str, word: &str| {
            line.find(word)
                .map(|i| line[..i].chars().count() + word.chars().count())
        };
        assert!(lines[3].starts_with("  interleukin receptor… "), "{table}");
        assert_eq!(end_of(lines[3], "42"), end_of(lines[1], "keys"), "{table}");
        assert_eq!(end_of(lines[2], "4"), end_of(lines[1], "keys"), "{table}");
    }

    use crate::formats::ids::{self, Normalised};
    use crate::model::EntityKind;

    fn shifted_id(id: &str, shift: u64) -> String {
        let mut out = String::new();
        push_shifted_id(id, shift, &mut out);
        out
    }

    fn shifted_line(line: &str, shift: u64) -> String {
        let mut out = String::new();
        push_shifted_line(line, shift, &mut out);
        out
    }

    /// The keys an id string normalises to, and how many of its parts were not understood.
    fn keys(kind: EntityKind, raw: &str) -> (Vec<String>, usize) {
        let mut out = Vec::new();
        let unknown = ids::normalise_into(kind, raw, &mut out);
        (out.into_iter().map(|k| k.0.to_string()).collect(), unknown)
    }

    #[test]
    fn every_id_shape_shifts_to_an_id_of_the_same_shape() {
        use EntityKind::*;
        let table: &[(EntityKind, &str, u64, &str)] = &[
            (Gene, "7157", 1, "10007157"),
            (Gene, "7157", 3, "30007157"),
            (Disease, "MESH:D008545", 1, "MESH:D10008545"),
            (Disease, "D008545", 2, "D20008545"),
            (Disease, "D000077274", 1, "D010077274"),
            (Chemical, "C012345", 1, "C10012345"),
            (Disease, "OMIM:601622", 1, "OMIM:10601622"),
            (Species, "9606", 1, "10009606"),
            (Variant, "rs123", 1, "rs10000123"),
            (Variant, "RS#:104894177", 1, "RS#:114894177"),
            (CellLine, "CVCL_0023", 1, "CVCL_10000023"),
            (Variant, "c|SUB|C|123|T", 1, "c|SUB|C|10000123|T"),
            (Variant, "p.G593S", 1, "p.G10000593S"),
            (Gene, "123;456", 1, "10000123;10000456"),
            (Disease, "D002318|D012131", 1, "D10002318|D10012131"),
            (Gene, "11796,11797", 1, "10011796,10011797"),
            (Gene, "12345(Tax:10090)", 1, "10012345(Tax:10010090)"),
            (Disease, "D002544|-1", 1, "D10002544|-1"),
        ];
        for &(kind, id, shift, want) in table {
            let got = shifted_id(id, shift);
            assert_eq!(got, want, "{id} shifted by {shift}");
            let (before, unknown_before) = keys(kind, id);
            let (after, unknown_after) = keys(kind, &got);
            assert_eq!(
                unknown_after, unknown_before,
                "{got} normalises as {id} does"
            );
            assert_eq!(after.len(), before.len(), "{got}: as many entities as {id}");
            for key in &after {
                assert!(!before.contains(key), "{key} is an entity of its own");
            }
        }
        // No id stays no id; nothing to shift stays as it is; shift 0 changes nothing.
        for id in ["-1", "-", "", " -1 "] {
            assert_eq!(shifted_id(id, 1), id);
        }
        assert_eq!(shifted_id("D008545|7157", 0), "D008545|7157");
        assert_eq!(
            ids::normalise_one(EntityKind::Gene, &shifted_id("-1", 4)),
            Normalised::None
        );
    }

    #[test]
    fn lines_shift_their_id_columns_only() {
        let table = [
            // Title and abstract lines stay.
            ("|t|TP53 in 9606 cells", "|t|TP53 in 9606 cells"),
            ("|a|Abstract 123.", "|a|Abstract 123."),
            // Annotation: only the id column, not offsets, mention, type or names.
            ("\t0\t4\tTP53\tGene\t7157", "\t0\t4\tTP53\tGene\t10007157"),
            (
                "\t10\t24\tp53 (R175H)\tCompositeMention\tD1234567|D7654321\tp53|R175H",
                "\t10\t24\tp53 (R175H)\tCompositeMention\tD11234567|D17654321\tp53|R175H",
            ),
            ("\t5\t9\tKRAS\tFamilyName", "\t5\t9\tKRAS\tFamilyName"),
            ("\t5\t9\tgene 7\tGene\t-1", "\t5\t9\tgene 7\tGene\t-1"),
            // Relations: both ids, not the type or the novelty.
            ("\tCID\tD008750\tD007674", "\tCID\tD10008750\tD10007674"),
            (
                "\tAssociation\t7157\tD008545\tNovel",
                "\tAssociation\t10007157\tD10008545\tNovel",
            ),
        ];
        for (line, want) in table {
            assert_eq!(shifted_line(line, 1), want, "{line:?}");
            assert_eq!(shifted_line(line, 0), line, "{line:?} unshifted");
        }
    }

    #[test]
    fn every_other_copy_gets_entities_of_its_own() {
        assert_eq!(
            (0..7).map(id_shift).collect::<Vec<_>>(),
            [0, 1, 0, 2, 0, 3, 0]
        );
    }

    fn record(lines: &[&str]) -> Record {
        Record {
            lines: lines.iter().map(|l| (*l).to_owned()).collect(),
        }
    }

    /// Two small records, replicated into copies 0, 1 and 2 (copy 1 shifted): every
    /// relation resolves, no problems, and copy 1 has entities of its own.
    #[test]
    fn written_corpus_has_new_entities_and_resolving_relations() {
        let records = [
            record(&[
                "|t|TP53 and breast cancer",
                "|a|TP53 mutations in breast cancer patients (humans).",
                "\t0\t4\tTP53\tGene\t7157",
                "\t9\t22\tbreast cancer\tDisease\tMESH:D001943",
                "\t23\t27\tTP53\tGene\t7157",
                "\t65\t71\thumans\tSpecies\t9606",
                "\tAssociation\t7157\tD001943\tNovel",
            ]),
            record(&[
                "|t|Cisplatin nephrotoxicity",
                "|a|Rats given cisplatin.",
                "\t0\t9\tCisplatin\tChemical\tD002945",
                "\t10\t24\tnephrotoxicity\tDisease\tD007674",
                "\t36\t45\tcisplatin\tChemical\tD002945",
                "\tCID\tD002945\tD007674",
            ]),
        ];
        let dir = tempfile::tempdir().expect("temp dir");
        let (files, bytes) = write_corpus(&records, 6, dir.path()).expect("written");
        assert_eq!(files, 1);
        assert!(bytes > 0);
        let (library, report) = library::load(&[dir.path().to_path_buf()]);
        assert_eq!(report.problems, [], "no problems");
        assert_eq!(library.len(), 6);
        // 3 + 2 entities in copy 0 (and 2), as many again in copy 1.
        assert_eq!(report.entities, 10);
        for paper in library.papers() {
            assert_eq!(paper.relations.len(), 1, "{}", paper.key.as_str());
            for r in &paper.relations {
                for key in [&r.a, &r.b] {
                    assert!(
                        paper.entities.iter().any(|e| &e.key == key),
                        "{} names an entity of {}",
                        key.0,
                        paper.key.as_str()
                    );
                }
            }
        }
        let entity_keys = |pmid: u64| -> Vec<String> {
            let idx = library.find(&format!("PMID:{pmid}")).expect("paper");
            let mut keys: Vec<String> = library
                .paper(idx)
                .entities
                .iter()
                .map(|e| e.key.0.to_string())
                .collect();
            keys.sort();
            keys
        };
        let copy = |n: u64| FIRST_PMID + 2 * n;
        assert_eq!(
            entity_keys(copy(0)),
            ["MESH:D001943", "NCBIGene:7157", "NCBITaxon:9606"]
        );
        assert_eq!(
            entity_keys(copy(1)),
            ["MESH:D10001943", "NCBIGene:10007157", "NCBITaxon:10009606"]
        );
        assert_eq!(entity_keys(copy(2)), entity_keys(copy(0)));
    }

    /// The shared corpora replicated twice: the shifted copy brings no problem the
    /// original records do not have, and entities of its own.
    #[test]
    fn shifted_copy_of_the_shared_corpora_loads_cleanly() {
        let corpora = PathBuf::from("../shared/corpora");
        if !corpora.is_dir() {
            eprintln!("skipped: ../shared/corpora is absent");
            return;
        }
        let records = read_records(&[corpora]).expect("records");
        let load = |papers: usize| {
            let dir = tempfile::tempdir().expect("temp dir");
            write_corpus(&records, papers, dir.path()).expect("written");
            library::load(&[dir.path().to_path_buf()]).1
        };
        let once = load(records.len());
        let twice = load(2 * records.len());
        eprintln!(
            "{} records: {} entities, {} problems; twice (second copy shifted): {} entities, \
             {} problems",
            records.len(),
            once.entities,
            once.problems.len(),
            twice.entities,
            twice.problems.len()
        );
        assert_eq!(twice.problems.len(), 2 * once.problems.len());
        let messages = |r: &library::LoadReport| {
            let mut m: Vec<String> = r
                .problems
                .iter()
                .map(|p| p.message.replace(|c: char| c.is_ascii_digit(), "#"))
                .collect();
            m.sort();
            m.dedup();
            m
        };
        assert_eq!(
            messages(&twice),
            messages(&once),
            "the same kinds of problem"
        );
        // Entities keyed by name only (no id) are shared by both copies; the rest double.
        assert!(
            twice.entities as f64 > 1.8 * once.entities as f64,
            "{} entities, then {}",
            once.entities,
            twice.entities
        );
    }

    #[test]
    fn stale_corpus_folders_are_those_of_ended_processes() {
        let root = tempfile::tempdir().expect("temp dir");
        for name in [
            "tomes-bench-111",
            "tomes-bench-222",
            "tomes-bench-0333",
            "tomes-bench-+444",
            "tomes-bench-0",
            "tomes-bench-abc",
            "other-555",
        ] {
            std::fs::create_dir(root.path().join(name)).expect("dir");
        }
        std::fs::write(root.path().join("tomes-bench-666"), "a file").expect("file");
        let live = [222, 777];
        let stale = stale_dirs(root.path(), |pid| live.contains(&pid));
        assert_eq!(stale, [root.path().join("tomes-bench-111")]);
        assert!(stale_dirs(&root.path().join("absent"), |_| false).is_empty());
    }

    #[test]
    fn this_process_is_alive_and_a_reaped_child_is_not() {
        assert!(process_alive(std::process::id()));
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("true runs");
        let pid = child.id();
        child.wait().expect("reaped");
        assert!(!process_alive(pid));
        // Not pids of a process: never taken for ended ones.
        assert!(process_alive(0));
        assert!(process_alive(u32::MAX));
    }
}
