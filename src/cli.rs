//! The command line: `tomes [PATHS]` opens the browser; `check`, `list`, `show`, `search`,
//! `entity` and `related` answer one question and exit, as tidy text or (`--json`) one JSON
//! document whose shape is documented in README.md; `export` writes citations; `completions`
//! and `man` describe the command line itself.
//!
//! Each command loads the library, asks the library, index or search module, and formats the
//! answer; no command keeps state. Output is plain text without colour so it pipes cleanly.
//!
//! Text from files and config reaches the terminal only through [`emit`], [`emit_json`] and
//! [`warn`], which show a control character as `^[` rather than send it (see
//! [`crate::safe_text`]): a title holding `ESC ] 0 ;` would otherwise retitle the terminal.

use crate::app::{count, thousands};
use crate::bookmarks::Bookmarks;
use crate::config;
use crate::export::{self, ExportFormat};
use crate::index::{EntityIdx, PaperIdx};
use crate::library::{self, Library, LoadReport, SourceOrder, counts_as_problem};
use crate::model::{AbstractText, EntityKind, Paper, Problem, SkipReason};
use crate::safe_text;
use crate::search::{self, Query};
use clap::{CommandFactory, Parser, Subcommand};
use clap_complete::Shell;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Width prose (`show`, headers, `check`) is wrapped to when the output is no terminal (see
/// [`text_width`]).
const WIDTH: usize = 80;
/// The widest the key column of a list of papers grows; a longer key (a long DOI, a
/// `file:` key) is still printed whole, its row's title starting further right, and does
/// not widen the column for the others.
const KEY_COLUMN_MAX: usize = 32;

/// How many papers `search` and `entity` show unless told.
const DEFAULT_LIMIT: usize = 20;

/// What `tomes search --help` says about the query language (README.md has the long form).
const QUERY_HELP: &str = "\
Query language: terms separated by spaces, all of which must match;
best matches first.
  word        fuzzy: its letters in order, gaps allowed, in the title,
              authors, journal, ids and entity names and aliases;
              1-2 letters as written, 3-4 side by side or as initials
              (tnf: TNF, tumor necrosis factor)
  'word       exact substring     ^word  prefix     word$  suffix
  !word       must NOT match (also -word, NOT word, !'word, !gene:TP53, ...)
  mTOR  HIV   a capital after a word's first letter: case-sensitive
              (Cisplatin, a capital first only, finds cisplatin)
  title:word  author:word  journal:word    in that field only
  year:2019  year:2019..2023  year:..2015  year:2020..
  gene:PD-L1  disease:  chemical:  species:  variant:  cellline:
  entity:     papers mentioning the entity (name, alias or CURIE);
              gene:cd* every gene whose name or id starts with cd
  MESH:D009369  a bare CURIE: papers mentioning that entity
  pmid:  doi:  key:     by identifier (PMID: 6794356 is pmid:6794356)
  is:bookmarked         bookmarked papers only
  2019        a bare year (1800-2100) also finds that year's papers,
              besides texts holding it: smith 2019, Cell Death Discov 2026
  Smith JA    1-3 capitals after a word also find an author of that
              surname with those initials (John A. Smith); et al is ignored
  Pasted text works: punctuation around a word is ignored (lithium,
  (tamoxifen) p53.), and word: is a word unless it is a field

Examples:
  tomes search \"gene:CD27 year:2020..\"
  tomes search \"'nasopharyngeal !review\" ~/papers";

#[derive(Debug, Parser)]
#[command(
    name = "tomes",
    version,
    about = "A fast, keyboard-driven terminal browser for biomedical papers",
    long_about = "A fast, keyboard-driven terminal browser for biomedical papers. Point it at \
        files or folders of paper summaries (Markdown) and annotated abstracts (PubTator text, \
        BioC XML); fuzzy-find a paper as you type, read it, see its genes, diseases, chemicals, \
        species, variants and cell lines with their database ids, jump from an entity to every \
        other paper that mentions it and back, and bookmark what matters. The commands below \
        answer the same questions without the browser, as text or (--json) JSON.\n\n\
        With no command, opens the browser on PATHS (walked recursively; formats are detected \
        by content). Without PATHS, the `library` list of config.toml is used, else ./seeds.",
    after_help = "Config folder: `tomes --help` says where it is.",
    after_long_help = config::describe_dir_precedence(),
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Files or folders to open in the browser.
    paths: Vec<PathBuf>,
    /// Print one JSON document instead of text.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load the library and report files, papers, entities and every problem.
    Check {
        /// Files or folders to load (default: the config's `library`, else ./seeds).
        paths: Vec<PathBuf>,
        /// Exit with status 1 when there are problems.
        #[arg(long)]
        strict: bool,
    },
    /// List every paper: key, year, title.
    List {
        /// Files or folders to load (default: the config's `library`, else ./seeds).
        paths: Vec<PathBuf>,
    },
    /// Everything about one paper (key, PMID, PMCID or DOI).
    Show {
        /// PMID:…, PMC:…, DOI:…, or a bare PMID, PMCID or DOI.
        key: String,
        /// Files or folders to load (default: the config's `library`, else ./seeds).
        paths: Vec<PathBuf>,
    },
    /// Search papers with the query language (quote a query of several words).
    #[command(after_long_help = QUERY_HELP)]
    Search {
        /// Terms that must all match (see below), e.g. "gene:CD27 year:2020..".
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// Files or folders to load (default: the config's `library`, else ./seeds).
        paths: Vec<PathBuf>,
        /// Show at most this many papers (0 = all).
        #[arg(
            short = 'n',
            long,
            allow_negative_numbers = true,
            value_parser = count_of_papers,
            default_value_t = DEFAULT_LIMIT
        )]
        limit: usize,
    },
    /// An entity by CURIE, name or alias: its papers and what it appears with.
    Entity {
        /// A CURIE (NCBIGene:939), a name or an alias, ignoring case and punctuation; a kind
        /// first (gene:BRCA1, disease:, chemical:, ...) keeps to entities of that kind.
        query: String,
        /// Files or folders to load (default: the config's `library`, else ./seeds).
        paths: Vec<PathBuf>,
        /// Show at most this many papers and co-mentioned entities per entity (0 = all).
        #[arg(
            short = 'n',
            long,
            allow_negative_numbers = true,
            value_parser = count_of_papers,
            default_value_t = DEFAULT_LIMIT
        )]
        limit: usize,
    },
    /// Papers sharing entities with a paper, rarer shared entities weighing more.
    Related {
        /// PMID:…, PMC:…, DOI:…, or a bare PMID, PMCID or DOI.
        key: String,
        /// Files or folders to load (default: the config's `library`, else ./seeds).
        paths: Vec<PathBuf>,
        /// Show at most this many papers.
        #[arg(
            short = 'n',
            long,
            allow_negative_numbers = true,
            value_parser = count_of_papers,
            default_value_t = 10
        )]
        limit: usize,
    },
    /// Write papers as BibTeX, RIS or CSL-JSON: a query's hits, the bookmarks, or all.
    #[command(
        long_about = "Write papers as BibTeX, RIS or CSL-JSON: the hits of QUERY (all of them, \
            best first; same query language as `tomes search`), the bookmarked papers \
            (--bookmarks, oldest first), or, with neither, the whole library. Citation keys are \
            the same in every format (author + year + title word, e.g. zhu2026harnessing).",
        after_long_help = "Examples:\n  \
            tomes export -f bibtex \"gene:CD27\" > cd27.bib\n  \
            tomes export --bookmarks -o reading.json      (format from the extension)\n  \
            tomes export -f ris '' ~/papers -o all.ris    ('' = every paper of ~/papers)"
    )]
    Export {
        /// Optional with -o FILE ending in .bib, .ris or .json; --json alone means csl-json.
        #[arg(short, long, value_enum)]
        format: Option<FormatArg>,
        /// Export the bookmarked papers; every positional argument is then a path.
        #[arg(short, long)]
        bookmarks: bool,
        /// Papers to export (quote a query of several words); '' exports every paper.
        #[arg(allow_hyphen_values = true)]
        query: Option<String>,
        /// Files or folders to load (default: the config's `library`, else ./seeds).
        paths: Vec<PathBuf>,
        /// Write to FILE (atomically) instead of stdout; `-` is stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists.
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Print a shell completion script.
    #[command(after_long_help = "Install, for example:\n  \
        bash: tomes completions bash > ~/.local/share/bash-completion/completions/tomes\n  \
        zsh:  tomes completions zsh > ~/.zfunc/_tomes   (with fpath+=~/.zfunc in ~/.zshrc)\n  \
        fish: tomes completions fish > ~/.config/fish/completions/tomes.fish")]
    Completions {
        /// The shell to write the script for.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff).
    #[command(after_long_help = "Install, for example:\n  \
        tomes man > ~/.local/share/man/man1/tomes.1 && man tomes")]
    Man,
    /// Measure load time and per-keystroke search latency on generated corpora.
    #[command(
        long_about = "Measure load time and per-keystroke search latency on the files under \
            SOURCES (default ../shared/corpora, from the current folder or else from the \
            source folder tomes was built from) as they are, then on corpora of SIZES papers \
            replicating their PubTator records, written to a temporary folder and removed \
            after. The full run is --sizes 100000,1000000 (the 1M corpus is about 2.3 GB)."
    )]
    Bench {
        /// Files or folders of corpora to load and replicate (default: ../shared/corpora,
        /// from here or beside the source tomes was built from).
        sources: Vec<PathBuf>,
        /// Corpus sizes to generate, comma-separated (0: none).
        #[arg(long, value_delimiter = ',', default_value = "100000")]
        sizes: Vec<usize>,
    },
}

/// A command's failure: the message for stderr; the exit status is 1.
#[derive(Debug)]
struct Failure(String);

impl<T: Into<String>> From<T> for Failure {
    fn from(message: T) -> Self {
        Failure(message.into())
    }
}

/// Parses the command line and runs it.
pub fn run() -> ExitCode {
    run_with(Cli::parse_from(global_flags_after_command(
        std::env::args_os().collect(),
    )))
}

/// `tomes --json list PATH` as `tomes list --json PATH`: `--json` is listed among the
/// options of `tomes --help`, but before a command the browser's PATHS took the command's
/// name for a path ("no such file or folder: list").
fn global_flags_after_command(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let leading = args
        .iter()
        .skip(1)
        .take_while(|a| a.as_os_str() == "--json")
        .count();
    let command_at = 1 + leading;
    let is_command = args
        .get(command_at)
        .and_then(|a| a.to_str())
        .is_some_and(|name| {
            Cli::command()
                .get_subcommands()
                .any(|c| c.get_name() == name || c.get_all_aliases().any(|alias| alias == name))
        });
    if leading > 0 && is_command {
        // The command, then the flags that were before it.
        args[1..=command_at].rotate_left(leading);
    }
    args
}

/// Runs a parsed command line.
pub fn run_with(cli: Cli) -> ExitCode {
    let json = cli.json;
    let result = match cli.command {
        None => open_browser(cli.paths),
        Some(Command::Check { paths, strict }) => check(paths, strict, json),
        Some(Command::List { paths }) => list(paths, json),
        Some(Command::Show { key, paths }) => show(&key, paths, json),
        Some(Command::Search {
            query,
            paths,
            limit,
        }) => search_command(&query, paths, limit, json),
        Some(Command::Entity {
            query,
            paths,
            limit,
        }) => entity(&query, paths, limit, json),
        Some(Command::Related { key, paths, limit }) => related(&key, paths, limit, json),
        Some(Command::Export { format, .. })
            if json && format.is_some_and(|f| ExportFormat::from(f) != ExportFormat::CslJson) =>
        {
            // A user test's `-f bibtex --json` wrote BibTeX, the --json dropped unsaid.
            Err(Failure(format!(
                "--json asks for CSL-JSON, and --format {} for another format: give one of \
                 them",
                format
                    .map(ExportFormat::from)
                    .map_or("", ExportFormat::as_str)
            )))
        }
        Some(Command::Export {
            format,
            bookmarks,
            query,
            paths,
            output,
            force,
        }) => export_command(ExportRequest {
            // `--json` asks for JSON: of the formats, CSL-JSON is it (a user test was told
            // `say which format`).
            format: format
                .map(ExportFormat::from)
                .or(json.then_some(ExportFormat::CslJson)),
            bookmarks,
            query,
            paths,
            output,
            force,
        }),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "tomes", &mut out);
            emit_verbatim(&String::from_utf8_lossy(&out));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => man_page(),
        Some(Command::Bench { sources, sizes }) => bench(sources, &sizes, json),
    };
    match result {
        Ok(code) => code,
        Err(Failure(message)) => {
            warn(message);
            ExitCode::from(1)
        }
    }
}

/// The paths to load: those given, else the config's `library`, else `./seeds`. Given
/// paths that do not exist are left in: the loader names each as a problem and loads the
/// rest (see [`missing_paths`]).
fn library_paths(given: Vec<PathBuf>, warn_config: bool) -> Result<Vec<PathBuf>, Failure> {
    if !given.is_empty() {
        if given.iter().all(|p| !exists(p)) {
            return Err(no_such_paths(&given));
        }
        return Ok(given);
    }
    let dir = config::config_dir();
    let (config, problems) = config::load(dir.as_deref());
    if let Some(dir) = dir.as_ref().filter(|_| warn_config) {
        let file = dir.join(config::CONFIG_FILE);
        for p in &problems {
            warn(p.in_file(&file));
        }
    }
    if !config.library.is_empty() {
        // None of the config's paths is there: nothing would load, as with a command line
        // naming only missing paths. A user test's browser opened empty on a moved folder
        // and said `reloaded: no changes`, and `tomes list` printed nothing and exited 0.
        if config.library.iter().all(|p| !exists(p)) {
            let file = dir.as_ref().map_or_else(
                || "config.toml".to_owned(),
                |d| d.join(config::CONFIG_FILE).display().to_string(),
            );
            let Failure(missing) = no_such_paths(&config.library);
            return Err(Failure(format!(
                "{missing}\n  (the library set in {file}; pass files or folders to open \
                 others: tomes ~/papers)"
            )));
        }
        return Ok(config.library);
    }
    let seeds = PathBuf::from("seeds");
    if seeds.is_dir() {
        return Ok(vec![seeds]);
    }
    let config_file = dir.map_or_else(
        || "config.toml in your config folder".to_owned(),
        |d| d.join("config.toml").display().to_string(),
    );
    // A config that could not be read whole may well set a library: advice to set one read
    // as if it did not (a user test's syntax error was followed by `set library = …`).
    if problems.iter().any(|p| p.key == config::CONFIG_FILE) {
        return Err(Failure(format!(
            "no library to open: {config_file} could not be read, so its library is not \
             known; fix it, or pass files or folders (tomes ~/papers)"
        )));
    }
    Err(Failure(format!(
        "no library to open: pass files or folders (tomes ~/papers), or set\n  \
         library = [\"~/papers\"]\nin {config_file}"
    )))
}

/// Whether `path` is there at all (a link to nowhere is: the loader says where it points).
fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// The given paths that do not exist, in order.
fn missing_paths(given: &[PathBuf]) -> Vec<&PathBuf> {
    given.iter().filter(|p| !exists(p)).collect()
}

/// Why nothing can load when none of `given` exists: each named, with the command it may be
/// a typo of (`tomes serch PD-L1` is a mistyped command, not two empty libraries to browse).
/// Each path's line starts `tomes: ` as every error line does (the failure's first line gets
/// it when printed); a hint is indented under its path.
fn no_such_paths(given: &[PathBuf]) -> Failure {
    let mut lines = Vec::new();
    for (n, path) in missing_paths(given).into_iter().enumerate() {
        let word = path.display().to_string();
        let lead = if n == 0 { "" } else { "tomes: " };
        lines.push(format!("{lead}no such file or folder: {word}"));
        if let Some(name) = close_subcommand(&word) {
            lines.push(format!("  did you mean '{name}'?"));
        }
    }
    Failure(lines.join("\n"))
}

/// The arguments right after a QUERY that name no file or folder and do not look like a
/// path (see [`looks_like_a_path`]): words of the query the shell split off because they
/// were not quoted, as `cancer` in `tomes search breast cancer ~/papers`.
fn unquoted_query_words(paths: &[PathBuf]) -> Vec<&str> {
    paths
        .iter()
        .map_while(|p| p.to_str().filter(|w| !exists(p) && !looks_like_a_path(w)))
        .collect()
}

/// Whether `word` reads as a path rather than a word of a query: it has a folder separator,
/// starts with `~` or `.`, or ends in a file extension (`papers.md`), and it is no field or
/// CURIE term (`year:2019..2023`, `MESH:D009369`).
fn looks_like_a_path(word: &str) -> bool {
    if word.contains(['/', std::path::MAIN_SEPARATOR]) || word.starts_with(['~', '.']) {
        return true;
    }
    !word.contains(':') && Path::new(word).extension().is_some()
}

/// Refuses a command whose QUERY was cut at a space: `tomes search breast cancer ~/papers`
/// searched "breast" alone, after saying there was no folder `cancer`, and exited 0 with an
/// answer to a question never asked. Guessing instead (joining the words back) would turn a
/// mistyped folder name into a search term, so the command stops before loading anything
/// and gives the quoted command to run: `tomes search 'breast cancer' ~/papers`. `hint`
/// says what to do (`to search for several words, quote them`); `command` is the command
/// with its options, as the suggestion starts.
fn refuse_unquoted_query(
    hint: &str,
    command: &str,
    query: &str,
    paths: &[PathBuf],
) -> Result<(), Failure> {
    refuse_option_as_query(command, query, paths)?;
    let words = unquoted_query_words(paths);
    if query.is_empty() || words.is_empty() {
        // `tomes export -f ris '' papres`: the empty query is every paper; a missing word
        // after it is a mistyped folder, for the loader to name.
        return Ok(());
    }
    let whole = std::iter::once(query)
        .chain(words.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    let suggested = std::iter::once(format!("{command} {}", shell_word(&whole)))
        .chain(
            paths[words.len()..]
                .iter()
                .map(|p| shell_word(&p.display().to_string())),
        )
        .collect::<Vec<_>>()
        .join(" ");
    let mut lines: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(n, w)| {
            let lead = if n == 0 { "" } else { "tomes: " };
            format!("{lead}no such file or folder: {w}")
        })
        .collect();
    lines.push(format!("  {hint}: {suggested}"));
    Err(Failure(lines.join("\n")))
}

/// Refuses a QUERY that is an option the command does not have: `tomes export --query brca`
/// read `--query` as the query (a query may start with `-`, which leaves a word out) and
/// `brca` as a folder, and advised quoting them together (`tomes export '--query brca'`).
/// A query never starts with `--` and a letter (that leaves a word out twice, an error), so
/// the option is named and the advice is the query alone, quoted, where a query goes:
/// `tomes export 'brca'`. Its words are the option's value (`--query=brca`), else the
/// arguments after it that are no file or folder.
///
/// So is a lone `-` and one letter (`tomes export -q brca`): as a query it would leave out
/// papers with the letter `q` as a word, which no one means.
fn refuse_option_as_query(command: &str, query: &str, paths: &[PathBuf]) -> Result<(), Failure> {
    let long = query
        .strip_prefix("--")
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(|option| ("--", option));
    let short = query
        .strip_prefix('-')
        .filter(|rest| rest.len() == 1 && rest.starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(|option| ("-", option));
    let Some((dashes, option)) = long.or(short) else {
        return Ok(());
    };
    let (option, value) = match option.split_once('=') {
        Some((option, value)) => (option, Some(value)),
        None => (option, None),
    };
    let words = match value {
        Some(value) => vec![value],
        None => unquoted_query_words(paths),
    };
    let taken = if value.is_some() { 0 } else { words.len() };
    let query = if words.is_empty() {
        "QUERY".to_owned()
    } else {
        words.join(" ")
    };
    let suggested = std::iter::once(format!("{command} '{}'", query.replace('\'', r"'\''")))
        .chain(
            paths[taken..]
                .iter()
                .map(|p| shell_word(&p.display().to_string())),
        )
        .collect::<Vec<_>>()
        .join(" ");
    let name = command.split_whitespace().nth(1).unwrap_or("tomes");
    Err(Failure(format!(
        "{name} has no option {dashes}{option}: the query is written alone, quoted, after \
         the options\n  {suggested}"
    )))
}

/// `-n`'s value: how many to show, 0 for all. A user test's `-n -1` was told that `-1` is
/// an unexpected argument, to be passed as `-- -1` (which makes it a path).
fn count_of_papers(value: &str) -> Result<usize, String> {
    value
        .parse()
        .map_err(|_| "give how many to show, or 0 for all".to_owned())
}

/// The subcommand `word` is most likely a typo of (see [`crate::spelling::closest`]).
fn close_subcommand(word: &str) -> Option<String> {
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    crate::spelling::closest(word, names.iter().map(String::as_str)).map(str::to_owned)
}

/// Loads the library; for commands other than `check`, problems are summed up in one line
/// on stderr (see [`problems_summary`]). A path that does not exist is named on stderr for
/// every command, `check` too: it is a mistake on the command line, not in the data, and
/// the rest is loaded without it.
fn load(paths: Vec<PathBuf>, quiet_problems: bool) -> Result<(Library, LoadReport), Failure> {
    load_with(paths, quiet_problems, true)
}

/// [`load`], the config's problems said on stderr only when `warn_config` (`check` lists
/// them with the others: said here too, they were twice).
fn load_with(
    paths: Vec<PathBuf>,
    quiet_problems: bool,
    warn_config: bool,
) -> Result<(Library, LoadReport), Failure> {
    let given = paths.clone();
    let paths = library_paths(paths, warn_config)?;
    let missing: Vec<PathBuf> = missing_paths(&paths).into_iter().cloned().collect();
    for path in &missing {
        warn(format_args!(
            "no such file or folder: {}; loading the rest",
            path.display()
        ));
    }
    let (library, report) = library::load(&paths);
    // The loader's problem for each missing path (the path as given, no line).
    let not_missing =
        |p: &&Problem| !(p.line.is_none() && p.skipped.is_none() && missing.contains(&p.path));
    // Files passed over in a folder (a README beside the data) are for `tomes check` to list.
    let counted: Vec<&Problem> = report
        .problems
        .iter()
        .filter(|p| counts_as_problem(p))
        .filter(not_missing)
        .collect();
    let summary = problems_summary(&counted, &given, !missing.is_empty());
    // Not a file read and a problem to say why (a file it may not read, given alone): an
    // answer of nothing would read as an empty library (ut23's `tomes list locked.pubtator`
    // exited 0). `check` lists the problems itself.
    if warn_config && library.is_empty() && report.files_read == 0 && summary.is_some() {
        let why = match counted.as_slice() {
            [one] => one.to_string(),
            _ => summary.unwrap_or_default().replace(" while loading", ""),
        };
        return Err(Failure(format!("nothing loaded: {why}")));
    }
    if !quiet_problems && let Some(line) = summary {
        warn(line);
    }
    Ok((library, report))
}

/// One line about a load's problems for a command other than `check`, which lists them:
/// the problem itself when there is one, else how many in how many files and the `check`
/// command that lists them. On the corpora all 51 are annotations whose offsets miss their
/// text, kept anyway: a block of them before every answer was noise.
fn problems_summary(problems: &[&Problem], given: &[PathBuf], others: bool) -> Option<String> {
    let check = std::iter::once("tomes check".to_owned())
        .chain(given.iter().map(|p| shell_word(&p.display().to_string())))
        .collect::<Vec<_>>()
        .join(" ");
    let other = if others { "other " } else { "" };
    match problems {
        [] => None,
        [one] => Some(format!("{other}problem while loading: {one}")),
        _ => {
            let files: HashSet<&Path> = problems.iter().map(|p| p.path.as_path()).collect();
            Some(format!(
                "{} {other}problems in {} while loading; `{check}` lists them",
                thousands(problems.len()),
                count(files.len(), "file")
            ))
        }
    }
}

/// `word` as a shell reads it back: as is when plain, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@=%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn open_browser(paths: Vec<PathBuf>) -> Result<ExitCode, Failure> {
    // `tomes serch seeds`: a mistyped command, not a path to browse beside the others.
    if paths
        .first()
        .filter(|p| !exists(p))
        .and_then(|p| close_subcommand(&p.display().to_string()))
        .is_some()
    {
        return Err(no_such_paths(&paths));
    }
    let paths = library_paths(paths, true)?;
    crate::tui::run(paths).map_err(|e| Failure(format!("{e:#}")))?;
    Ok(ExitCode::SUCCESS)
}

/// Writes human output in one go, control characters from the data shown, not sent (see
/// [`safe_text::for_terminal`]).
fn emit(text: &str) {
    emit_verbatim(&safe_text::for_terminal(text));
}

/// Writes `text` as it is, for output that is safe by construction: exported citations
/// (without control characters, see [`crate::export`]; RIS lines end in CRLF, which [`emit`]
/// would show as `^M`), completion scripts and the man page. A closed pipe (`tomes list |
/// head`) is not an error.
fn emit_verbatim(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Writes a JSON document. serde_json escapes the C0 controls (`\u001b`);
/// [`safe_text::json_for_terminal`] escapes the rest, so the data reads back unchanged.
fn emit_json(value: &Value) {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    text.push('\n');
    emit_verbatim(&safe_text::json_for_terminal(&text));
}

/// A line on stderr, after `tomes: `, control characters shown (file names, titles and
/// quoted lines in messages come from the data).
///
/// On a terminal each line is fitted to its width (see [`write_line`]), continued lines
/// indented: a message's own further lines (`  did you mean…`) already are.
fn warn(message: impl std::fmt::Display) {
    let width = stderr_width();
    let mut out = String::new();
    for line in format!("tomes: {message}").lines() {
        write_line(&mut out, line, 2, width);
    }
    eprint!("{out}");
}

/// The problems that count (not the files passed over in a folder, which `check` lists as
/// `skipped_files`).
fn problems_json(problems: &[Problem]) -> Value {
    problem_objects(problems.iter().filter(|p| counts_as_problem(p)))
}

fn problem_objects<'a>(problems: impl Iterator<Item = &'a Problem>) -> Value {
    Value::Array(
        problems
            .map(|p| {
                let mut problem = json!({"path": p.path, "line": p.line, "message": p.message});
                // Added to the fields older scripts read, never in place of one.
                if let Some(byte) = p.byte {
                    problem["byte"] = json!(byte);
                }
                if let Some(reason) = p.skipped {
                    problem["skipped"] = json!(reason);
                }
                problem
            })
            .collect(),
    )
}

fn check(paths: Vec<PathBuf>, strict: bool, json: bool) -> Result<ExitCode, Failure> {
    let (_, report) = load_with(paths, true, false)?;
    // A broken setting silently falls back to its default; check is where to find out.
    let config_file = config::config_dir().map(|d| d.join(config::CONFIG_FILE));
    let (config, mut config_problems) = config_file
        .as_deref()
        .map(config::load_file)
        .unwrap_or_default();
    // Key bindings are checked as the browser checks them at start.
    let (_, key_problems) = crate::app::Keymap::with_overrides(&config.keys);
    config_problems.extend(
        key_problems
            .into_iter()
            .map(|p| config::ConfigProblem::new(p.key, p.message)),
    );
    if let Some(file) = &config_file {
        config::locate(file, &mut config_problems);
    }
    let config_path = config_file
        .as_deref()
        .map(|f| f.display().to_string())
        .unwrap_or_default();
    let failed = strict && !(report.problem_count() == 0 && config_problems.is_empty());
    if json {
        let config_json: Vec<Value> = config_problems
            .iter()
            .map(|p| {
                json!({"path": config_path, "line": p.line, "key": p.key, "message": p.message})
            })
            .collect();
        emit_json(&json!({
            "files_read": report.files_read,
            "papers": report.papers,
            "entities": report.entities,
            "bytes": report.bytes,
            "problems": problems_json(&report.problems),
            "config_problems": config_json,
            "skipped": report.skipped,
            "skipped_files": problem_objects(report.problems.iter().filter(|p| p.skipped.is_some())),
        }));
    } else {
        let mut out = String::new();
        let n = report.problem_count();
        // Files skipped whole are not among those read: a folder of five papers and a
        // README reads 5 files, skips 1.
        let skipped_count = match report.skipped.len() {
            0 => String::new(),
            k => format!("; {} file{} skipped", thousands(k), plural(k)),
        };
        // Listed below with the others: the count must not say there are none.
        let config_count = match config_problems.len() {
            0 => String::new(),
            k => format!("; {}", count(k, "config problem")),
        };
        // Each line fits the terminal, broken between words; piped, a problem is one line.
        let width = terminal_width();
        let summary = format!(
            "{} paper{}, {} entit{}, {} problem{} from {} file{} read ({}){skipped_count}\
             {config_count}",
            thousands(report.papers),
            plural(report.papers),
            thousands(report.entities),
            if report.entities == 1 { "y" } else { "ies" },
            thousands(n),
            plural(n),
            thousands(report.files_read),
            plural(report.files_read),
            human_bytes(report.bytes),
        );
        write_line(&mut out, &summary, 2, width);
        // Files skipped whole are listed together by reason after the others: a folder of
        // papers can hold many READMEs, and a line each would bury the problems in the files
        // that were read. What is not a file at all (a link whose target is missing, a FIFO)
        // is rare and each says what it is, as in the browser: a line each. Files of one
        // reason whose messages say more (a `# ` file told what a summary lacks) are a group
        // of their own, with what their message says.
        let mut skipped: std::collections::BTreeMap<(SkipReason, Option<&str>), Vec<String>> =
            std::collections::BTreeMap::new();
        for p in &report.problems {
            match p.skipped {
                Some(reason) if reason != SkipReason::NotAFile => skipped
                    .entry((reason, crate::library::skip_detail(&p.message)))
                    .or_default()
                    .push(crate::model::shown_path(&p.path)),
                _ => write_line(&mut out, &p.to_string(), 2, width),
            }
        }
        if let Some(file) = &config_file {
            for p in &config_problems {
                write_line(&mut out, &p.in_file(file), 2, width);
            }
        }
        for ((reason, detail), names) in skipped {
            write_skipped(&mut out, reason, detail, &names, text_width());
        }
        emit(&out);
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Names of skipped files `tomes check` lists per reason; the others are counted (a folder
/// of 3,000 notes made a page of names), and `--json` lists them all.
const SKIPPED_NAMES_SHOWN: usize = 10;

/// One group of skipped files: `skipped 3 empty files: a, b, c`, at most
/// [`SKIPPED_NAMES_SHOWN`] names, and on the lines after, what their messages say more.
fn write_skipped(
    out: &mut String,
    reason: SkipReason,
    detail: Option<&str>,
    names: &[String],
    width: usize,
) {
    let n = names.len();
    let shown = &names[..n.min(SKIPPED_NAMES_SHOWN)];
    let heading = format!("skipped {} {}:", thousands(n), reason.files(n));
    let mut units: Vec<&str> = heading.split_whitespace().collect();
    // A name is one unit, not broken across lines (`my notes.md`).
    let names_shown: Vec<String> = (shown.iter().enumerate())
        .map(|(at, name)| {
            if at + 1 < n {
                format!("{name},")
            } else {
                name.clone()
            }
        })
        .collect();
    units.extend(names_shown.iter().map(String::as_str));
    let more = match n - shown.len() {
        0 => String::new(),
        more => format!("and {} more (--json lists all)", thousands(more)),
    };
    units.extend(more.split_whitespace());
    // Continued further in than the next `skipped`.
    wrap_units(out, units, 2, 4, width);
    if let Some(detail) = detail {
        let why = format!("why: {detail}");
        wrap_units(out, why.split_whitespace(), 4, 6, width);
    }
}

/// The short form of a paper used in every JSON list.
fn paper_brief(p: &Paper) -> Value {
    json!({
        "key": p.key,
        "title": p.title,
        "year": p.year,
        "journal": p.journal,
        "authors": p.authors,
    })
}

fn list(paths: Vec<PathBuf>, json: bool) -> Result<ExitCode, Failure> {
    let (library, report) = load(paths, json)?;
    if json {
        let papers: Vec<Value> = library
            .papers()
            .iter()
            .map(|p| {
                let mut v = paper_brief(p);
                v["entities"] = json!(p.entities.len());
                v
            })
            .collect();
        emit_json(&json!({"papers": papers, "problems": problems_json(&report.problems)}));
    } else {
        let key_width = columns(library.papers().iter());
        let mut out = String::new();
        for p in library.papers() {
            let _ = writeln!(out, "{}", paper_row("", p, key_width));
        }
        emit(&out);
    }
    Ok(ExitCode::SUCCESS)
}

/// How rows of papers are laid out: the key column's width (the longest key of at most
/// [`KEY_COLUMN_MAX`] characters; longer ones overflow it) and whether any paper has a year
/// to show.
#[derive(Clone, Copy)]
struct Columns {
    key_width: usize,
    year: bool,
    /// Row width: the terminal's, or none (see [`terminal_width`]).
    width: Option<usize>,
}

fn columns<'a>(papers: impl Iterator<Item = &'a Paper>) -> Columns {
    let mut c = Columns {
        key_width: 0,
        year: false,
        width: terminal_width(),
    };
    for p in papers {
        let key = safe_text::for_terminal(p.key.as_str()).chars().count();
        if key <= KEY_COLUMN_MAX {
            c.key_width = c.key_width.max(key);
        }
        c.year |= p.year.is_some();
    }
    c
}

/// The terminal's width when output goes to one, else (piped to grep, a file) none: rows of
/// papers are then not cut, so titles come out whole, and prose is wrapped to [`WIDTH`].
fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    width_if(std::io::stdout().is_terminal())
}

/// [`terminal_width`] for stderr, where [`warn`] writes.
fn stderr_width() -> Option<usize> {
    use std::io::IsTerminal;
    width_if(std::io::stderr().is_terminal())
}

/// The terminal's width if the output `is_terminal`, else none.
fn width_if(is_terminal: bool) -> Option<usize> {
    if !is_terminal {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .or_else(|| {
            crossterm::terminal::size()
                .ok()
                .map(|(w, _)| usize::from(w))
        });
    Some(columns.unwrap_or(WIDTH).max(40))
}

/// The width prose is wrapped to: the terminal's (a user test read `show` wrapped at 80
/// columns on a 60-column terminal, each long line broken twice), else [`WIDTH`], a width
/// that reads well in a file or a pager.
fn text_width() -> usize {
    terminal_width().unwrap_or(WIDTH)
}

/// `PMID:123  2019  Title…` fitted to the row width after `lead` (see [`terminal_width`]). The
/// key is always whole, so that it can be pasted into `tomes show`: one longer than the
/// column pushes its row's title along; the title is what gets cut.
fn paper_row(lead: &str, p: &Paper, c: Columns) -> String {
    let key_width = c.key_width;
    let year = match (c.year, p.year) {
        (false, _) => String::new(),
        (true, Some(y)) => format!("{y:4}  "),
        (true, None) => "      ".to_owned(),
    };
    // Measured as shown (see [`safe_text`]).
    let key = safe_text::for_terminal(p.key.as_str());
    let head = format!("{lead}{key:<key_width$}  {year}");
    let title = if p.title.trim().is_empty() {
        "(untitled)".into()
    } else {
        safe_text::for_terminal(p.title.trim())
    };
    match c.width {
        // A key too long for a title beside it keeps its line alone (whole: it is to be
        // pasted), rather than a title wrapped onto the next line.
        Some(width) => match width.saturating_sub(head.chars().count()) {
            room if room < MIN_TITLE_ROOM => head.trim_end().to_owned(),
            room => format!("{head}{}", clip(&title, room)),
        },
        None => format!("{head}{title}"),
    }
}

/// Columns a title needs beside a key to say anything; with less room it is left out.
const MIN_TITLE_ROOM: usize = 12;

/// Cuts `s` to `max` characters, marking the cut with `…`; control characters are shown
/// (and counted) as [`safe_text::for_terminal`] shows them.
fn clip(s: &str, max: usize) -> String {
    let s = safe_text::for_terminal(s);
    if s.chars().count() <= max {
        return s.into_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Word-wraps `text` to `width` (see [`text_width`]) with `indent` spaces before every line.
fn wrap(out: &mut String, text: &str, indent: usize, width: usize) {
    for paragraph in text.lines() {
        wrap_units(out, paragraph.split_whitespace(), indent, indent, width);
    }
}

/// Wraps one line of `units` (words, or phrases such as `in 3 other papers` that must not be
/// split) to `width`, with `indent` spaces before the first line and `hang` before the
/// others; a unit wider than the room gets a line of its own.
fn wrap_units<'a>(
    out: &mut String,
    units: impl IntoIterator<Item = &'a str>,
    indent: usize,
    hang: usize,
    width: usize,
) {
    // Measured as shown.
    let units = units.into_iter().map(|u| (1, safe_text::for_terminal(u)));
    fill_rows(out, units, indent, hang, width);
}

/// Writes one `line` (a problem, a message) for a terminal `width` columns wide: broken
/// between words, each continued line `hang` spaces further in than the first, so that
/// what starts the line (`file:line:`, `tomes:`) stands out at the margin; the terminal
/// would otherwise break it mid-word at its edge. With no width (piped) the line is
/// written whole: scripts grep one line per problem.
///
/// Unlike [`wrap`], spaces are kept as written where the line is not broken: a problem
/// quotes the file's text, and there two spaces are not one.
fn write_line(out: &mut String, line: &str, hang: usize, width: Option<usize>) {
    let line = safe_text::for_terminal(line);
    let Some(width) = width else {
        let _ = writeln!(out, "{line}");
        return;
    };
    let words = line.trim_start_matches(' ');
    let indent = line.len() - words.len();
    // Spaces before each word: one between words, more where the line has more.
    let mut gap = 0;
    let units = words.split(' ').filter_map(|word| {
        if word.is_empty() {
            gap += 1;
            return None;
        }
        let before = gap;
        gap = 1;
        Some((before, Cow::Borrowed(word)))
    });
    fill_rows(out, units, indent, indent + hang, width);
}

/// Lays `units`, each with the spaces that go before it on a row, into rows of `width`
/// columns: `indent` spaces before the first row and `hang` before the others. A row is
/// broken before the unit that would overflow it, and the spaces before that unit go.
fn fill_rows<'a>(
    out: &mut String,
    units: impl Iterator<Item = (usize, Cow<'a, str>)>,
    mut indent: usize,
    hang: usize,
    width: usize,
) {
    let mut room = width.saturating_sub(indent).max(20);
    let mut row = String::new();
    let mut len = 0;
    for (gap, unit) in units {
        let w = unit.chars().count();
        if len > 0 && len + gap + w > room {
            let _ = writeln!(out, "{:indent$}{row}", "");
            row.clear();
            len = 0;
            indent = hang;
            room = width.saturating_sub(indent).max(20);
        } else if len > 0 {
            row.extend(std::iter::repeat_n(' ', gap));
            len += gap;
        }
        row.push_str(&unit);
        len += w;
    }
    let _ = writeln!(out, "{:indent$}{row}", "");
}

/// The paper `key` names, written as a user writes it ([`Library::find`]), or a message
/// saying there is none, and why `key` names no paper when it does not.
fn find_paper(library: &Library, key: &str) -> Result<PaperIdx, Failure> {
    library.find(key).ok_or_else(|| {
        let papers = count(library.len(), "paper");
        Failure(match crate::model::PaperKey::from_written(key) {
            Ok(_) => {
                let key = crate::ui::quoted(key);
                format!("no paper {key} in the library ({papers}); `tomes list` shows their keys")
            }
            Err(why) => format!(
                "no paper {key:?} in the library ({papers}): {why}; `tomes list` shows their keys"
            ),
        })
    })
}

/// `p`'s entities of `kind` in the browser's order: the most shared first, then by the
/// library's name (ut24c read `tomes show` and the browser in different orders).
fn entities_as_shown<'a>(
    library: &Library,
    p: &'a crate::model::Paper,
    kind: EntityKind,
) -> Vec<&'a crate::model::PaperEntity> {
    let index = library.index();
    let mut of_kind: Vec<_> = p
        .entities
        .iter()
        .filter(|e| library_kind(library, e) == kind)
        .collect();
    let in_index = |e: &crate::model::PaperEntity| index.by_key(&e.key);
    let papers =
        |e: &crate::model::PaperEntity| in_index(e).map_or(0, |i| index.papers_with(i).len());
    let library_name = |e: &crate::model::PaperEntity| {
        in_index(e).map_or_else(|| e.name.to_string(), |i| index.entity(i).name.to_string())
    };
    of_kind.sort_by_cached_key(|e| (std::cmp::Reverse(papers(e)), library_name(e)));
    of_kind
}

fn show(key: &str, paths: Vec<PathBuf>, json: bool) -> Result<ExitCode, Failure> {
    let (library, report) = load(paths, json)?;
    let idx = find_paper(&library, key)?;
    let p = library.paper(idx);
    let index = library.index();
    if json {
        // In the text's (and the browser's) order and names (ut24e read the two apart).
        let rows = crate::ui::RowNames::of(p);
        let mut groups = serde_json::Map::new();
        for kind in EntityKind::ALL {
            let list: Vec<Value> = entities_as_shown(&library, p, kind)
                .into_iter()
                .map(|e| {
                    let papers = index
                        .by_key(&e.key)
                        .map_or(0, |i| index.papers_with(i).len());
                    let name = crate::ui::paper_entity_name(&library, &rows, e);
                    let mut entry = json!({
                        "key": e.key, "name": name, "description": e.description,
                        "aliases": e.aliases, "mentions": e.mentions, "papers": papers,
                    });
                    if name != e.name.as_str() {
                        entry["name_in_paper"] = json!(e.name);
                    }
                    entry
                })
                .collect();
            if !list.is_empty() {
                groups.insert(kind.as_str().to_owned(), Value::Array(list));
            }
        }
        // The abstract as text: the library may keep only its place in the file.
        let mut problems = report.problems.clone();
        let mut paper = p.clone();
        paper.abstract_text = match library::read_abstract(p) {
            Ok(text) => text.map(|t| AbstractText::Held(t.into_owned())),
            Err(message) => {
                let path = p
                    .sources
                    .first()
                    .map(|s| s.path.to_path_buf())
                    .unwrap_or_default();
                problems.push(Problem::new(path, None, message));
                None
            }
        };
        emit_json(&json!({
            "paper": paper,
            "entities_by_kind": groups,
            "problems": problems_json(&problems),
        }));
        return Ok(ExitCode::SUCCESS);
    }
    emit(&describe_paper(&library, idx, text_width()));
    Ok(ExitCode::SUCCESS)
}

/// The kind an entity of a paper is listed under: the library's, as in the browser. A
/// paper may annotate a gene's id as a family (`Bmp`, FamilyName, in nlm-gene's PMID
/// 24731097), while other papers call it a gene; the index keeps the more specific kind.
fn library_kind(library: &Library, e: &crate::model::PaperEntity) -> EntityKind {
    let index = library.index();
    index
        .by_key(&e.key)
        .map_or(e.kind, |i| index.entity(i).kind)
}

/// The human-readable page about one paper, wrapped to `width`.
fn describe_paper(library: &Library, idx: PaperIdx, width: usize) -> String {
    let p = library.paper(idx);
    let index = library.index();
    let mut out = String::new();
    wrap(&mut out, p.title.trim(), 0, width);
    let key = p.key.to_string();
    // The key already shows one id (`PMC:PMC13039540`); don't repeat it.
    let key_id = key
        .split_once(':')
        .map_or(key.as_str(), |(_, id)| id)
        .to_owned();
    let not_key = |id: &&String| !id.eq_ignore_ascii_case(&key_id);
    let mut ids = vec![key.clone()];
    if let Some(pmid) = p.ids.pmid.as_ref().filter(not_key) {
        ids.push(format!("PMID {pmid}"));
    }
    if let Some(pmcid) = p.ids.pmcid.as_ref().filter(not_key) {
        ids.push(pmcid.clone());
    }
    if let Some(doi) = p.ids.doi.as_ref().filter(not_key) {
        ids.push(format!("DOI {doi}"));
    }
    ids.dedup();
    wrap(&mut out, &ids.join(" · "), 0, width);
    if !p.authors.is_empty() {
        wrap(
            &mut out,
            &format!("Authors: {}", p.authors.join(", ")),
            0,
            width,
        );
    }
    let published: Vec<String> = p
        .journal
        .iter()
        .cloned()
        .chain(p.date.clone().or_else(|| p.year.map(|y| y.to_string())))
        .chain(Some(crate::links::journal_place(p)).filter(|place| !place.is_empty()))
        .collect();
    if !published.is_empty() {
        wrap(&mut out, &published.join(" · "), 0, width);
    }
    let section = |out: &mut String, heading: &str, body: &str| {
        let _ = writeln!(out, "\n{heading}");
        wrap(out, body, 2, width);
    };
    if let Some(t) = &p.summary().tldr {
        section(&mut out, "TL;DR", t);
    }
    if let Some(c) = &p.summary().contribution {
        section(&mut out, "Contribution", c);
    }
    if !p.summary().key_findings.is_empty() {
        let _ = writeln!(out, "\nKey findings");
        for f in &p.summary().key_findings {
            let mut item = String::new();
            wrap(&mut item, f, 4, width);
            let _ = write!(out, "  -{}", &item[3..]);
        }
    }
    match library::read_abstract(p) {
        Ok(Some(a)) => section(&mut out, "Abstract", &a),
        Ok(None) => {}
        Err(message) => section(&mut out, "Abstract", &format!("({message})")),
    }
    let mut counts = Vec::new();
    if let Some(n) = p.summary().figure_count {
        counts.push(count(n as usize, "figure"));
    }
    if let Some(n) = p.summary().reference_count {
        counts.push(count(n as usize, "reference"));
    }
    if !counts.is_empty() {
        section(&mut out, "Counts", &counts.join(", "));
    }
    for s in &p.summary().sections {
        section(&mut out, &s.heading, &s.body);
    }
    if !p.entities.is_empty() {
        let _ = writeln!(out, "\nEntities ({})", thousands(p.entities.len()));
        // Named once for all rows: a summary can list thousands of entities.
        let rows = crate::ui::RowNames::of(p);
        for kind in EntityKind::ALL {
            let of_kind = entities_as_shown(library, p, kind);
            if of_kind.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "  {} ({})",
                kind.plural_label(),
                thousands(of_kind.len())
            );
            for e in of_kind {
                let name = crate::ui::paper_entity_name(library, &rows, e);
                let description = e
                    .description
                    .as_deref()
                    .filter(|d| *d != name)
                    .map(|d| format!("({d})"));
                let elsewhere = index
                    .by_key(&e.key)
                    .map_or(0, |i| index.papers_with(i).len().saturating_sub(1));
                // The name and description may wrap between words; the id, and the counts
                // (`×2, in 3 other papers`), each stay whole on one line.
                let key = crate::ui::id_beside(name, &e.key).unwrap_or_default();
                let mut counts = format!("×{}", thousands(e.mentions as usize));
                if elsewhere > 0 {
                    let _ = write!(
                        counts,
                        ", in {} other paper{}",
                        thousands(elsewhere),
                        plural(elsewhere)
                    );
                }
                let units = name
                    .split_whitespace()
                    .chain(description.iter().flat_map(|d| d.split_whitespace()))
                    .chain((!key.is_empty()).then_some(key))
                    .chain([counts.as_str()]);
                // Continued lines indented further, under the row they belong to.
                wrap_units(&mut out, units, 4, 6, width);
                // The paper's own name too when the row goes by the library's (not a
                // group's name: TNF is no alias of "cytokines").
                let own_name = std::iter::once(&e.name).filter(|_| !e.named_by_group);
                let aliases =
                    crate::model::distinct_aliases(name, own_name.chain(e.aliases.iter()));
                if !aliases.is_empty() {
                    wrap(&mut out, &format!("aka {}", aliases.join(", ")), 6, width);
                }
            }
        }
    }
    if !p.relations.is_empty() {
        let _ = writeln!(out, "\nRelations ({})", thousands(p.relations.len()));
        for r in &p.relations {
            // Continued further in, as an entity's row is: `(MESH:D003490)` at the margin
            // of the list read as a row of its own.
            let relation = crate::ui::relation_text(library, p, r, true);
            wrap_units(&mut out, relation.split_whitespace(), 2, 4, width);
        }
    }
    // As the browser's detail pane: the pages the ids lead to, then the paper's own links.
    let links = crate::links::listed_links(p);
    if !links.is_empty() {
        let _ = writeln!(out, "\nLinks");
        for l in &links {
            // A URL is never broken: it must stay clickable and pastable.
            wrap_units(
                &mut out,
                [format!("{}:", l.label).as_str(), l.url.as_str()],
                2,
                4,
                width,
            );
        }
    }
    if !p.sources.is_empty() {
        let _ = writeln!(out, "\nSources");
        for s in &p.sources {
            let _ = writeln!(out, "  {s} ({})", s.format);
        }
    }
    out
}

/// ` -n 5 --json`: the options given that are not their defaults, as a suggested command
/// repeats them; `(flag, value, default)` each.
fn options_as_given(numbers: &[(&str, usize, usize)], json: bool) -> String {
    let mut out = String::new();
    for &(flag, value, default) in numbers {
        if value != default {
            let _ = write!(out, " {flag} {value}");
        }
    }
    if json {
        out.push_str(" --json");
    }
    out
}

/// Bookmarked papers of the user's store, as library positions, for `is:bookmarked`.
fn bookmarked(library: &Library) -> HashSet<PaperIdx> {
    let (kept, problem) = Bookmarks::read_only(config::config_dir().as_deref());
    if let Some(problem) = problem {
        warn(format_args!("bookmarks: {problem}"));
    }
    kept.iter()
        .filter_map(|b| library.find(b.key.as_str()))
        .collect()
}

fn search_command(
    query_text: &str,
    paths: Vec<PathBuf>,
    limit: usize,
    json: bool,
) -> Result<ExitCode, Failure> {
    let options = options_as_given(&[("-n", limit, DEFAULT_LIMIT)], json);
    refuse_unquoted_query(
        "to search for several words, quote them",
        &format!("tomes search{options}"),
        query_text,
        &paths,
    )?;
    let query = Query::parse_whole(query_text).map_err(|e| {
        Failure(format!(
            "invalid query {}: {e}",
            crate::ui::quoted(query_text)
        ))
    })?;
    let (library, report) = load(paths, json)?;
    // Nothing found, or a near miss's few papers: what the words, corrected, would find
    // (suggested, not run in its place).
    let marked = bookmarked(&library);
    let (hits, suggestion, letters_apart) =
        search::search_library_suggesting(&library, query_text, &query, &marked);
    let suggestion = suggestion
        .map(|(c, found)| (c.query, found))
        .or_else(|| names_starting_with(&library, &marked, query_text, hits.is_empty()));
    let shown = if limit == 0 {
        hits.len()
    } else {
        limit.min(hits.len())
    };
    if json {
        let rows: Vec<Value> = hits[..shown]
            .iter()
            .map(|h| {
                let mut v = paper_brief(library.paper(h.paper));
                v["score"] = json!(h.score);
                v
            })
            .collect();
        let mut answer = json!({
            "query": query_text,
            "total": hits.len(),
            "hits": rows,
            "problems": problems_json(&report.problems),
        });
        if let Some((better, found)) = &suggestion {
            answer["suggestion"] = json!({"query": better, "total": found.len()});
        }
        if !letters_apart.is_empty() {
            answer["letters_apart"] = json!(letters_apart);
        }
        // What the text form's note says: a user test's `author:zzzz` said in text that
        // 4,529 of the 4,530 papers have no authors, and nothing in JSON.
        let mut lacking = crate::app::papers_lacking_queried_fields(&library, &query);
        if let Some(undated) =
            crate::app::undated_for_bare_year(&library, query_text, hits.is_empty())
        {
            lacking.push(("year", undated));
        }
        if !lacking.is_empty() {
            answer["papers_lacking"] = lacking
                .iter()
                .map(|&(field, papers)| {
                    json!({"field": field, "papers": papers, "library_papers": library.len()})
                })
                .collect();
        }
        emit_json(&answer);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    // One of them, or one paper in all, matches; more match.
    let verb = if hits.len() == 1 || library.len() == 1 {
        "matches"
    } else {
        "match"
    };
    let _ = writeln!(
        out,
        "{} of {} {verb} {}{}",
        thousands(hits.len()),
        count(library.len(), "paper"),
        crate::ui::quoted(query_text),
        if shown < hits.len() {
            format!(" (best {}; -n 0 for all)", thousands(shown))
        } else {
            String::new()
        }
    );
    // No paper holds the word: what matched is its letters apart (a suggested correction,
    // below, says as much).
    if !letters_apart.is_empty() && suggestion.is_none() {
        let words: Vec<String> = letters_apart.iter().map(|w| crate::ui::quoted(w)).collect();
        let _ = writeln!(out, "(none say {}; letters apart)", words.join(", "));
    }
    // PubTator and BioC records carry no year, authors nor journal: a term on such a field
    // leaves them out.
    for (field, lacking) in crate::app::papers_lacking_queried_fields(&library, &query) {
        let (papers, verb) = some_papers_of(lacking, library.len());
        let what = crate::app::lacking_what(field);
        let _ = writeln!(out, "({papers} {verb} {what}, which {field}: leaves out)");
    }
    // A bare year matches a paper's year too, which PubTator and BioC records do not carry:
    // `tomes search 1999` on the corpora found nothing, unexplained.
    if let Some(undated) = crate::app::undated_for_bare_year(&library, query_text, hits.is_empty())
    {
        let (papers, verb) = some_papers_of(undated, library.len());
        let year = query_text.trim();
        let _ = writeln!(out, "({papers} {verb} no year for {year} to match)");
    }
    if let Some((better, found)) = &suggestion {
        // What the papers listed have, when no paper says the word (ut23's `doxorubicine`
        // listed 13 papers of "Doxorubicin-induced" with nothing to say why those).
        let apart = match letters_apart.as_slice() {
            [] => String::new(),
            words => {
                let its = if words.len() == 1 { "its" } else { "their" };
                let words: Vec<String> = words.iter().map(|w| crate::ui::quoted(w)).collect();
                format!(
                    " (none say {}; those below hold {its} letters apart)",
                    words.join(", ")
                )
            }
        };
        let _ = writeln!(
            out,
            "did you mean {}? It finds {}{apart}",
            crate::ui::quoted(better),
            count(found.len(), "paper")
        );
    }
    let top = &hits[..shown];
    let key_width = columns(top.iter().map(|h| library.paper(h.paper)));
    let rank_width = shown.to_string().len();
    for (i, h) in top.iter().enumerate() {
        let lead = format!("{:>rank_width$}. ", i + 1);
        let _ = writeln!(
            out,
            "{}",
            paper_row(&lead, library.paper(h.paper), key_width)
        );
    }
    emit(&out);
    Ok(ExitCode::SUCCESS)
}

fn entity_json(library: &Library, e: EntityIdx, order: &SourceOrder, limit: usize) -> Value {
    let index = library.index();
    let info = index.entity(e);
    let papers = library.papers_mentioning(e, Some(order));
    let take = if limit == 0 { usize::MAX } else { limit };
    let co = index.co_mentioned(e, take);
    json!({
        "key": info.key,
        "kind": info.kind,
        "name": info.name,
        "description": info.description,
        "aliases": info.aliases,
        "mentions": info.mentions,
        "paper_count": papers.len(),
        "papers": papers.iter().take(take)
            .map(|&p| paper_brief(library.paper(p))).collect::<Vec<_>>(),
        "co_mentioned": co.iter().map(|&(o, n)| {
            let other = index.entity(o);
            json!({"key": other.key, "kind": other.kind, "name": other.name, "shared_papers": n})
        }).collect::<Vec<_>>(),
    })
}

/// The kinds a query-language field names and the name after it: `gene:BRCA1` is the
/// genes (and proteins, as in a search) named BRCA1, `entity:BRCA1` any entity. `None`
/// when `query` starts with no such field (`MESH:D009369` is a CURIE, `BRCA1` a name).
/// The search parser is asked which fields name kinds, so `tomes entity` takes the same
/// ones as `tomes search` (`cellline:`, `cell_line:`, `Gene:` ...).
/// When a query finds nothing, the same with a `*` after each entity value (`gene:cd` ->
/// `gene:cd*`, the genes whose names start with cd) and what that finds, if anything: a
/// user test's `tomes search gene:cd` found none with no word of the 236 papers
/// `gene:cd*` finds.
fn names_starting_with(
    library: &Library,
    bookmarked: &HashSet<PaperIdx>,
    text: &str,
    found_none: bool,
) -> Option<(String, Vec<search::Hit>)> {
    if !found_none {
        return None;
    }
    let mut changed = false;
    let words: Vec<String> = text
        .split_whitespace()
        .map(|word| {
            let value = word.split_once(':').map_or("", |(_, value)| value);
            let asks = !value.is_empty()
                && !value.ends_with('*')
                && !word.contains(['"', '\''])
                && kind_field(word).is_some();
            changed |= asks;
            if asks {
                format!("{word}*")
            } else {
                word.to_owned()
            }
        })
        .collect();
    if !changed {
        return None;
    }
    let better = words.join(" ");
    let query = Query::parse_whole(&better).ok()?;
    let hits = search::search_library_with(library, &query, bookmarked).ok()?;
    (!hits.is_empty()).then_some((better, hits))
}

fn kind_field(query: &str) -> Option<(Vec<EntityKind>, &str)> {
    let (field, name) = query.trim().split_once(':')?;
    let field_like = !field.is_empty()
        && field
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !field_like {
        return None;
    }
    let probe = Query::parse_whole(&format!("{field}:x")).ok()?;
    match probe.terms.as_slice() {
        [
            search::query::Term {
                negated: false,
                condition: search::query::Condition::Entity { kinds, .. },
            },
        ] => Some((kinds.clone(), name.trim().trim_matches('"'))),
        _ => None,
    }
}

/// `n` of a library's `total` papers as a note's subject, with its verb: `the 4,529 papers`
/// / `have`, `12 of the 4,530 papers` / `have`, `the 1 paper` / `has`.
fn some_papers_of(n: usize, total: usize) -> (String, &'static str) {
    let papers = if n == total {
        format!("the {}", count(n, "paper"))
    } else {
        format!("{} of the {} papers", thousands(n), thousands(total))
    };
    (papers, if n == 1 { "has" } else { "have" })
}

/// Why `gene:NAME` found nothing: no entity of those kinds is called `name`; if entities of
/// other kinds are, which, and the command that shows them.
fn no_entity_of_kinds(library: &Library, kinds: &[EntityKind], name: &str) -> Failure {
    let index = library.index();
    let what = if kinds.len() == EntityKind::ALL.len() {
        "entity".to_owned()
    } else {
        kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let mut message = format!(
        "no {what} named {} (tried CURIE, name, alias and id, ignoring case and \
         punctuation)",
        crate::ui::quoted(name)
    );
    let mut others: Vec<&str> = index
        .lookup(name)
        .into_iter()
        .map(|e| index.entity(e).kind.as_str())
        .collect();
    others.sort_unstable();
    others.dedup();
    if !others.is_empty() {
        let _ = write!(
            message,
            "; of other kinds ({}): tomes entity {}",
            others.join(", "),
            shell_word(name)
        );
    }
    Failure(message)
}

/// How many entities a name that is none's lists.
const CANDIDATES_SHOWN: usize = 8;

/// An entity a name none has whole may mean ([`entity_candidates`]), and the alias it was
/// found by when its name is not.
struct Candidate {
    entity: EntityIdx,
    alias: Option<String>,
}

/// The entities (of `kinds`, if given) a name or alias of which starts with `name`, or has
/// a word from which on it does (`lateral sclerosis` in "amyotrophic lateral sclerosis"),
/// compared folded as search compares names, a plural or possessive ending optional
/// (`alzheimers`, `alzheimer's`): the whole name first, then by papers. A user test had
/// `tomes entity parkinson` say there was no such entity while a search's
/// `disease:parkinson` found 92 papers; a second had `lateral` list amyotrophic lateral
/// sclerosis and `lateral sclerosis` list nothing.
fn entity_candidates(
    library: &Library,
    kinds: Option<&[EntityKind]>,
    name: &str,
) -> Vec<Candidate> {
    let folded = crate::model::fold_name(name);
    if folded.chars().count() < 3 {
        return Vec::new();
    }
    let stem = search::query::possessive_stem(search::query::TextMode::Fuzzy, &folded);
    let index = library.index();
    let mut scored: Vec<(u8, usize, Candidate)> = Vec::new();
    for (e, info) in index.entities() {
        if kinds.is_some_and(|kinds| !kinds.contains(&info.kind)) {
            continue;
        }
        let names = std::iter::once((info.name.as_ref(), false))
            .chain(info.aliases.iter().map(|a| (a.as_ref(), true)));
        // The best rank, and the alias that gave it (the name, listed first, wins a tie).
        let mut best: Option<(u8, Option<&str>)> = None;
        for (written, is_alias) in names {
            let whole = crate::model::fold_name(written);
            let word_starts = std::iter::once(0).chain(
                written
                    .char_indices()
                    .filter(|&(_, c)| c.is_whitespace() || c == '-' || c == ',')
                    .map(|(at, c)| at + c.len_utf8()),
            );
            let starts = |f: &str| {
                word_starts
                    .clone()
                    .any(|at| crate::model::fold_name(&written[at..]).starts_with(f))
            };
            let rank = if whole == folded || stem.as_deref() == Some(whole.as_str()) {
                0
            } else if starts(&folded) || stem.as_deref().is_some_and(starts) {
                1
            } else {
                continue;
            };
            if best.is_none_or(|(b, _)| rank < b) {
                best = Some((rank, is_alias.then_some(written)));
            }
        }
        if let Some((rank, alias)) = best {
            let candidate = Candidate {
                entity: e,
                alias: alias.map(str::to_owned),
            };
            scored.push((rank, index.papers_with(e).len(), candidate));
        }
    }
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    scored.into_iter().map(|(_, _, c)| c).collect()
}

/// Why `tomes entity QUERY` found no entity: none of that name, or which of several whose
/// names or aliases start with it (best first, an alias said) and how to name one.
fn no_entity_message(library: &Library, query: &str, candidates: &[Candidate]) -> String {
    let tried = format!(
        "no entity named {} (tried CURIE, name, alias and id, ignoring case and \
         punctuation)",
        crate::ui::quoted(query)
    );
    let Some(first) = candidates.first() else {
        return tried;
    };
    let index = library.index();
    let mut message = format!(
        "no entity named {}; {} entities have a name or alias starting with it, most \
         papers first:",
        crate::ui::quoted(query),
        thousands(candidates.len())
    );
    for c in candidates.iter().take(CANDIDATES_SHOWN) {
        let info = index.entity(c.entity);
        // Found by an alias, not its name: a user test read "catalepsy" under `parkinson`.
        let alias = c
            .alias
            .as_deref()
            .map(|a| format!(" (aka {a})"))
            .unwrap_or_default();
        message.push_str(&format!(
            "\n  {}{alias} · {} · {} ({})",
            info.name,
            info.kind,
            crate::ui::entity_id_text(&info.key),
            count(index.papers_with(c.entity).len(), "paper")
        ));
    }
    if candidates.len() > CANDIDATES_SHOWN {
        message.push_str(&format!(
            "\n  and {} more",
            thousands(candidates.len() - CANDIDATES_SHOWN)
        ));
    }
    // By its CURIE, or, for an entity without one, by its whole name.
    let first = index.entity(first.entity);
    message.push_str(&match first.key.is_name_only() {
        false => format!("\n  name one by its CURIE: tomes entity {}", first.key),
        true => format!(
            "\n  name one by its whole name: tomes entity {}",
            shell_word(&first.name)
        ),
    });
    message
}

fn entity(query: &str, paths: Vec<PathBuf>, limit: usize, json: bool) -> Result<ExitCode, Failure> {
    let options = options_as_given(&[("-n", limit, DEFAULT_LIMIT)], json);
    refuse_unquoted_query(
        "to look up a name of several words, quote it",
        &format!("tomes entity{options}"),
        query,
        &paths,
    )?;
    let by_kind = kind_field(query);
    if let Some((_, "")) = by_kind {
        let field = query.trim().trim_end_matches(':');
        return Err(Failure(format!(
            "{field}: needs a name, alias or id, like {field}:TP53"
        )));
    }
    let (library, report) = load(paths, json)?;
    let index = library.index();
    let found = match by_kind.clone() {
        Some((kinds, name)) => {
            let of_kinds: Vec<EntityIdx> = index
                .lookup(name)
                .into_iter()
                .filter(|&e| kinds.contains(&index.entity(e).kind))
                .collect();
            if of_kinds.is_empty() && entity_candidates(&library, Some(&kinds), name).is_empty() {
                let failure = no_entity_of_kinds(&library, &kinds, name);
                if json {
                    // The documented document, as for a name of no kind (ut22b found
                    // `gene:zzzq --json` printing none).
                    emit_json(&json!({
                        "query": query,
                        "matches": [],
                        "candidates": [],
                        "error": failure.0,
                        "problems": problems_json(&report.problems),
                    }));
                }
                return Err(failure);
            }
            of_kinds
        }
        None => index.lookup(query),
    };
    // No entity of that whole name: those a name or alias of which starts with it, word by
    // word, as a search's `disease:parkinson` finds "Parkinson disease". One is it; several
    // are listed, most papers first, with how to name one.
    let name = by_kind.as_ref().map_or(query, |(_, name)| name);
    let kinds = by_kind.as_ref().map(|(kinds, _)| kinds.as_slice());
    let mut found = found;
    let mut candidates = Vec::new();
    if found.is_empty() {
        candidates = entity_candidates(&library, kinds, name);
        if let [one] = candidates.as_slice() {
            found = vec![one.entity];
        }
    }
    if found.is_empty() {
        let message = no_entity_message(&library, query, &candidates);
        if json {
            emit_json(&json!({
                "query": query,
                "matches": [],
                "candidates": candidates
                    .iter()
                    .take(CANDIDATES_SHOWN)
                    .map(|c| {
                        let info = index.entity(c.entity);
                        let mut candidate = json!({
                            "key": info.key,
                            "kind": info.kind,
                            "name": info.name,
                            "paper_count": index.papers_with(c.entity).len(),
                        });
                        if let Some(alias) = &c.alias {
                            candidate["alias"] = json!(alias);
                        }
                        candidate
                    })
                    .collect::<Vec<_>>(),
                "error": message,
                "problems": problems_json(&report.problems),
            }));
        }
        return Err(Failure(message));
    }
    // As the browser lists an entity's papers: most mentions first, then source order.
    let order = SourceOrder::of(library.order_keys());
    if json {
        emit_json(&json!({
            "query": query,
            "matches": found
                .iter()
                .map(|&e| entity_json(&library, e, &order, limit))
                .collect::<Vec<_>>(),
            "problems": problems_json(&report.problems),
        }));
        return Ok(ExitCode::SUCCESS);
    }
    let take = if limit == 0 { usize::MAX } else { limit };
    let width = text_width();
    let mut out = String::new();
    if found.len() > 1 {
        let query = crate::ui::quoted(query);
        let _ = writeln!(out, "{} entities match {query}\n", thousands(found.len()));
    }
    for (n, &e) in found.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let info = index.entity(e);
        wrap(
            &mut out,
            &format!(
                "{} · {} · {}",
                info.name,
                info.kind,
                crate::ui::entity_id_text(&info.key)
            ),
            0,
            width,
        );
        if let Some(d) = info
            .description
            .as_deref()
            .filter(|d| *d != info.name.as_str())
        {
            wrap(&mut out, d, 2, width);
        }
        let aliases = crate::model::distinct_aliases(&info.name, info.aliases_most_used_first());
        if !aliases.is_empty() {
            wrap(&mut out, &format!("aka {}", aliases.join(", ")), 2, width);
        }
        let papers = library.papers_mentioning(e, Some(&order));
        let _ = writeln!(
            out,
            "  {} in {}",
            count(info.mentions as usize, "mention"),
            count(papers.len(), "paper")
        );
        let key_width = columns(papers.iter().take(take).map(|&p| library.paper(p)));
        for &p in papers.iter().take(take) {
            let _ = writeln!(out, "{}", paper_row("    ", library.paper(p), key_width));
        }
        if papers.len() > take {
            let _ = writeln!(out, "    … and {} more", thousands(papers.len() - take));
        }
        let co = index.co_mentioned(e, take.min(10));
        if !co.is_empty() {
            let _ = writeln!(out, "  Often mentioned with");
            for (o, shared) in co {
                let other = index.entity(o);
                // The name is cut to fit, never the id (what `tomes entity` takes) nor the
                // count.
                let tail = format!(
                    " ({}, {}) in {}",
                    other.kind,
                    other.key,
                    count(shared as usize, "paper")
                );
                let room = (width - 4).saturating_sub(tail.chars().count()).max(12);
                let _ = writeln!(out, "    {}{tail}", clip(&other.name, room));
            }
        }
    }
    emit(&out);
    Ok(ExitCode::SUCCESS)
}

fn related(key: &str, paths: Vec<PathBuf>, limit: usize, json: bool) -> Result<ExitCode, Failure> {
    let (library, report) = load(paths, json)?;
    let idx = find_paper(&library, key)?;
    let index = library.index();
    let ranked = index.related_papers(idx, if limit == 0 { usize::MAX } else { limit });
    if json {
        let rows: Vec<Value> = ranked
            .iter()
            .map(|r| {
                let mut v = paper_brief(library.paper(r.paper));
                v["score"] = json!(r.score);
                v["shared"] = r
                    .shared
                    .iter()
                    .map(|&e| {
                        let info = index.entity(e);
                        json!({"key": info.key, "kind": info.kind, "name": info.name})
                    })
                    .collect();
                v
            })
            .collect();
        emit_json(&json!({
            "paper": paper_brief(library.paper(idx)),
            "related": rows,
            "problems": problems_json(&report.problems),
        }));
        return Ok(ExitCode::SUCCESS);
    }
    let p = library.paper(idx);
    let width = text_width();
    let mut out = String::new();
    wrap(
        &mut out,
        &format!("Related to {}: {}", p.key, p.title.trim()),
        0,
        width,
    );
    if ranked.is_empty() {
        let _ = writeln!(out, "  no other paper shares an entity with it");
    }
    let key_width = columns(ranked.iter().map(|r| library.paper(r.paper)));
    let rank_width = ranked.len().to_string().len();
    for (i, r) in ranked.iter().enumerate() {
        let lead = format!("{:>rank_width$}. ", i + 1);
        let _ = writeln!(
            out,
            "{}",
            paper_row(&lead, library.paper(r.paper), key_width)
        );
        let shared = crate::ui::shared_entity_names(p, index, &r.shared);
        let line = format!("score {:.2}; shares {}", r.score, shared.join(", "));
        let _ = writeln!(
            out,
            "{:w$}{}",
            "",
            clip(&line, width - rank_width - 2),
            w = rank_width + 2
        );
    }
    emit(&out);
    Ok(ExitCode::SUCCESS)
}

/// One man page for everything: clap_mangen's page for `tomes`, then each command's synopsis,
/// description and options under its own heading (rather than a page per command, which
/// would have to be installed one by one).
fn man_page() -> Result<ExitCode, Failure> {
    let mut cmd = Cli::command();
    // Building gives each subcommand its full name (`tomes export`) for its synopsis.
    cmd.build();
    let mut out = Vec::new();
    let rendered = (|| -> std::io::Result<()> {
        clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            writeln!(out, ".SH \"TOMES {}\"", sub.get_name().to_uppercase())?;
            let page = clap_mangen::Man::new(sub.clone());
            let mut part = Vec::new();
            page.render_synopsis_section(&mut part)?;
            page.render_description_section(&mut part)?;
            page.render_options_section(&mut part)?;
            if sub.get_after_long_help().is_some() || sub.get_after_help().is_some() {
                page.render_extra_section(&mut part)?;
            }
            // The command's sections become subsections of its heading.
            for line in String::from_utf8_lossy(&part).lines() {
                match line.strip_prefix(".SH ") {
                    Some(rest) => writeln!(out, ".SS {rest}")?,
                    None => writeln!(out, "{line}")?,
                }
            }
        }
        Ok(())
    })();
    rendered.map_err(|e| Failure(format!("cannot render the man page: {e}")))?;
    emit_verbatim(&keep_extra_sections_as_written(&String::from_utf8_lossy(
        &out,
    )));
    Ok(ExitCode::SUCCESS)
}

/// clap_mangen puts the `after_long_help` texts in an EXTRA section as ordinary text, which
/// man fills and justifies, scrambling their tables and examples. They are laid out by hand,
/// so they are shown as written (`.nf` ... `.fi`), under names a reader expects.
fn keep_extra_sections_as_written(roff: &str) -> String {
    let mut out = String::with_capacity(roff.len() + 64);
    let mut in_extra = false;
    for line in roff.lines() {
        if line.starts_with(".SH ") || line.starts_with(".SS ") {
            if in_extra {
                out.push_str(".fi\n");
                in_extra = false;
            }
            let renamed = match line {
                ".SH EXTRA" => Some(".SH FILES"),
                ".SS EXTRA" => Some(".SS DETAILS"),
                _ => None,
            };
            if let Some(heading) = renamed {
                out.push_str(heading);
                out.push_str("\n.nf\n");
                in_extra = true;
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    if in_extra {
        out.push_str(".fi\n");
    }
    out
}

/// `--format`'s values, listed for clap so shells complete them and errors name them.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum FormatArg {
    #[value(alias = "bib")]
    Bibtex,
    Ris,
    #[value(alias = "csl", alias = "json")]
    CslJson,
}

impl From<FormatArg> for ExportFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Bibtex => ExportFormat::Bibtex,
            FormatArg::Ris => ExportFormat::Ris,
            FormatArg::CslJson => ExportFormat::CslJson,
        }
    }
}

/// The arguments of `tomes export`.
struct ExportRequest {
    format: Option<ExportFormat>,
    bookmarks: bool,
    query: Option<String>,
    paths: Vec<PathBuf>,
    output: Option<PathBuf>,
    force: bool,
}

/// The export format a file's extension names (`.bib`, `.ris`, `.json`).
fn format_of_file(path: &Path) -> Option<ExportFormat> {
    let ext = path.extension().and_then(|e| e.to_str());
    match ext.map(str::to_ascii_lowercase).as_deref() {
        Some("bib" | "bibtex") => Some(ExportFormat::Bibtex),
        Some("ris") => Some(ExportFormat::Ris),
        Some("json" | "csljson") => Some(ExportFormat::CslJson),
        _ => None,
    }
}

/// The format asked for, else the one `-o FILE`'s extension names.
fn export_format(
    format: Option<ExportFormat>,
    output: Option<&Path>,
) -> Result<ExportFormat, Failure> {
    if let Some(f) = format {
        return Ok(f);
    }
    match output
        .filter(|o| *o != Path::new("-"))
        .and_then(format_of_file)
    {
        Some(format) => Ok(format),
        None => Err(Failure(
            "say which format: --format bibtex, ris or csl-json (or -o a file ending in \
             .bib, .ris or .json)"
                .into(),
        )),
    }
}

fn export_command(req: ExportRequest) -> Result<ExitCode, Failure> {
    let format = export_format(req.format, req.output.as_deref());
    let output = req.output.filter(|o| o != Path::new("-"));
    // The command as given, options first, for advice on the query.
    let mut command = "tomes export".to_owned();
    if let Ok(format) = &format {
        let _ = write!(command, " -f {format}");
    }
    if let Some(file) = &output {
        let _ = write!(command, " -o {}", shell_word(&file.display().to_string()));
    }
    if req.force {
        command.push_str(" --force");
    }
    // `tomes export --query brca`: said before a missing format, which the advice adds.
    // Advice on the query or paths, with the missing format's after it.
    let refused_with_format = |Failure(refused): Failure| {
        Failure(match &format {
            Ok(_) => refused,
            Err(Failure(no_format)) => format!("{refused}\n  and {no_format}"),
        })
    };
    if let (false, Some(text)) = (req.bookmarks, &req.query) {
        refuse_option_as_query(&command, text, &req.paths).map_err(refused_with_format)?;
    }
    // `-f ris -o y.bib` writes what was asked, and says the name says otherwise: a tool
    // that reads the file by its name would take RIS for BibTeX (ut24d).
    if let (Ok(asked), Some(file)) = (&format, output.as_deref())
        && let Some(named) = format_of_file(file)
        && *asked != named
    {
        warn(format!(
            "writing {asked} to {}, whose name says {named}",
            file.display()
        ));
    }
    let mut paths = req.paths;
    // With --bookmarks there is no query, so clap's first positional is a path.
    let query_text = if req.bookmarks {
        if let Some(first) = req.query {
            paths.insert(0, PathBuf::from(first));
        }
        None
    } else {
        req.query
    };
    // `tomes export brca out.bib`: a file to write, named where the folders to read go.
    // Said before the query's words, whose advice kept it as a folder.
    if output.is_none()
        && let Some(file) = paths
            .iter()
            .find(|p| !exists(p) && format_of_file(p).is_some())
    {
        let rest = unquoted_query_words(&paths);
        let words = query_text.as_deref().map(|text| {
            std::iter::once(text)
                .chain(rest.iter().copied())
                .collect::<Vec<_>>()
                .join(" ")
        });
        let skip = if words.is_some() { rest.len() } else { 0 };
        let mut suggested = format!("{command} -o {}", shell_word(&file.display().to_string()));
        if let Some(words) = &words {
            let _ = write!(suggested, " {}", shell_word(words));
        }
        for p in paths[skip..].iter().filter(|p| *p != file) {
            let _ = write!(suggested, " {}", shell_word(&p.display().to_string()));
        }
        return Err(Failure(format!(
            "no such file or folder: {}\n  to write the export to it, give it with -o: \
             {suggested}",
            file.display()
        )));
    }
    // `tomes export breast cancer papers`: the query to quote is said before a missing
    // format, which the advice adds (a user test was told the format, then, given one, to
    // quote the words).
    if let Some(text) = &query_text {
        refuse_unquoted_query(
            "to export what several words find, quote them",
            &command,
            text,
            &paths,
        )
        .map_err(refused_with_format)?;
    }
    let format = format?;
    if let Some(file) = &output
        && !req.force
        && file.exists()
    {
        return Err(Failure(format!(
            "{} exists; pass --force to replace it",
            file.display()
        )));
    }
    // Say so before loading a large library, not after.
    if let Some(dir) = output
        .as_deref()
        .and_then(Path::parent)
        .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
    {
        return Err(Failure(format!("no folder {} to write to", dir.display())));
    }
    if let Some(text) = &query_text
        && !text.is_empty()
        && Path::new(text).exists()
    {
        warn(format_args!(
            "note: {} is the QUERY, not a path; to export every paper of it: \
             tomes export -f {format} '' {}",
            crate::ui::quoted(text),
            shell_word(text)
        ));
    }
    let query = match &query_text {
        Some(text) => Some(
            Query::parse_whole(text)
                .map_err(|e| Failure(format!("invalid query {}: {e}", crate::ui::quoted(text))))?,
        ),
        None => None,
    };
    let (library, _) = load(paths, false)?;
    // Nothing found, or a near miss's few papers: what the words, corrected, would find
    // (suggested; what was asked for is exported).
    let mut suggestion = None;
    let selected: Vec<PaperIdx> = if req.bookmarks {
        bookmarked_in_order(&library)?
    } else if let (Some(query), Some(text)) = (&query, &query_text) {
        let marked = bookmarked(&library);
        let (hits, suggested, _) =
            search::search_library_suggesting(&library, text, query, &marked);
        // As `tomes search` suggests `gene:cd*` for `gene:cd` (ut23b).
        suggestion = suggested
            .map(|(c, found)| (c.query, found.len()))
            .or_else(|| {
                names_starting_with(&library, &marked, text, hits.is_empty())
                    .map(|(better, found)| (better, found.len()))
            });
        hits.iter().map(|h| h.paper).collect()
    } else {
        (0..library.len() as PaperIdx).collect()
    };
    let did_you_mean = |(better, found): &(String, usize)| {
        format!(
            "did you mean {}? It finds {}",
            crate::ui::quoted(better),
            count(*found, "paper")
        )
    };
    if selected.is_empty() {
        let what = match (&query_text, &suggestion) {
            (Some(text), Some(suggested)) => {
                let text = crate::ui::quoted(text);
                format!("no paper matches {text} ({})", did_you_mean(suggested))
            }
            (Some(text), None) => format!("no paper matches {}", crate::ui::quoted(text)),
            (None, _) => "the library has no papers".to_owned(),
        };
        return Err(Failure(format!("{what}; nothing exported")));
    }
    if let (Some(text), Some(suggested)) = (&query_text, &suggestion) {
        warn(format_args!(
            "{} matches {}; {}",
            crate::ui::quoted(text),
            count(selected.len(), "paper"),
            did_you_mean(suggested)
        ));
    }
    let papers: Vec<&Paper> = selected.iter().map(|&i| library.paper(i)).collect();
    let scope = export::KeyScope::Library(library.papers());
    let (text, left_out) = export::export_reporting(&papers, format, scope);
    if let Some(why) = &left_out.first_reason {
        warn(format_args!(
            "{} left out, unreadable ({why})",
            count(left_out.abstracts, "abstract")
        ));
    }
    match &output {
        Some(file) => {
            write_atomically(file, text.as_bytes(), req.force)
                .map_err(|e| Failure(format!("cannot write {}: {e}", file.display())))?;
            warn(format_args!(
                "{} written to {} ({format})",
                count(papers.len(), "paper"),
                file.display()
            ));
        }
        None => emit_verbatim(&text),
    }
    Ok(ExitCode::SUCCESS)
}

/// The bookmarked papers that are loaded, oldest bookmark first; the others are named on
/// stderr. No bookmark loaded at all is a failure: an empty export would hide the mistake.
fn bookmarked_in_order(library: &Library) -> Result<Vec<PaperIdx>, Failure> {
    let dir = config::config_dir();
    let (kept, problem) = Bookmarks::read_only(dir.as_deref());
    if let Some(problem) = problem {
        warn(format_args!("bookmarks: {problem}"));
    }
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for b in &kept {
        match library.find(b.key.as_str()) {
            Some(i) if !found.contains(&i) => found.push(i),
            Some(_) => {}
            None => missing.push(b),
        }
    }
    if !missing.is_empty() {
        let n = missing.len();
        warn(format_args!(
            "{} not in the loaded library, not exported:",
            count(n, "bookmark")
        ));
        for b in &missing {
            let title = if b.title.trim().is_empty() {
                "(untitled)"
            } else {
                b.title.trim()
            };
            // The key whole (it is what `tomes show` takes); the title fills what is left.
            let key = safe_text::for_terminal(b.key.as_str());
            let room = stderr_width()
                .unwrap_or(WIDTH)
                .saturating_sub(key.chars().count() + 4)
                .max(20);
            eprintln!("  {key}  {}", clip(title, room));
        }
    }
    if found.is_empty() {
        let where_ = dir.map_or_else(
            || "no bookmark file".to_owned(),
            |d| {
                d.join(crate::bookmarks::BOOKMARKS_FILE)
                    .display()
                    .to_string()
            },
        );
        return Err(Failure(if kept.is_empty() {
            format!("no bookmarks ({where_}); nothing exported")
        } else {
            format!("none of the bookmarks in {where_} is in the loaded library; nothing exported")
        }));
    }
    Ok(found)
}

/// Writes `bytes` to `target` so that a reader sees the old file or the whole new one, never
/// a part: a temporary file in the same folder, fsynced, then moved into place. Without
/// `replace`, the move is a hard link, which fails if `target` appeared meanwhile, so a file
/// created by someone else between our check and our write is not clobbered.
fn write_atomically(target: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| std::io::Error::other("not a file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tomes-{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        if replace {
            std::fs::rename(&tmp, target)
        } else {
            match std::fs::hard_link(&tmp, target) {
                Ok(()) => std::fs::remove_file(&tmp),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
                // Filesystems without hard links: fall back to a rename after a last check.
                Err(_) if !target.exists() => std::fs::rename(&tmp, target),
                Err(e) => Err(e),
            }
        }
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    // Make the rename itself durable; not possible (nor needed) on every platform.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Where `tomes bench` finds the corpora it replicates unless told: beside the repository,
/// as the shared machine keeps them.
const BENCH_SOURCES: &str = "../shared/corpora";

/// The corpora `tomes bench` runs on when given no SOURCES: [`BENCH_SOURCES`] from `cwd`,
/// else from `crate_dir`, the source folder tomes was built from. A user test ran it from
/// another folder and was told the corpora were missing, though they were beside the
/// repository. Neither there: a message saying where it looked and how to name them.
fn default_bench_sources(cwd: &Path, crate_dir: &Path) -> Result<PathBuf, Failure> {
    if exists(&cwd.join(BENCH_SOURCES)) {
        return Ok(PathBuf::from(BENCH_SOURCES));
    }
    let beside_source = crate_dir.join(BENCH_SOURCES);
    if exists(&beside_source) {
        // `/repo/../shared/corpora` said as `/shared/corpora` in the steps' messages.
        return Ok(std::fs::canonicalize(&beside_source).unwrap_or(beside_source));
    }
    Err(Failure(format!(
        "no such file or folder: {BENCH_SOURCES}, looked for from {} and from {} (where \
         tomes was built)\n  name the corpora's folder: tomes bench DIR",
        cwd.display(),
        crate_dir.display()
    )))
}

fn bench(sources: Vec<PathBuf>, sizes: &[usize], json: bool) -> Result<ExitCode, Failure> {
    let sources = if sources.is_empty() {
        let cwd = std::env::current_dir().unwrap_or_default();
        vec![default_bench_sources(
            &cwd,
            Path::new(env!("CARGO_MANIFEST_DIR")),
        )?]
    } else {
        sources
    };
    // Said before anything runs, and as what it is: "no PubTator records under
    // ../shared/corpora" hid that the folder was not there.
    let missing = missing_paths(&sources);
    if !missing.is_empty() {
        let lines: Vec<String> = missing
            .iter()
            .enumerate()
            .map(|(n, p)| {
                let lead = if n == 0 { "" } else { "tomes: " };
                format!("{lead}no such file or folder: {}", p.display())
            })
            .collect();
        return Err(Failure(lines.join("\n")));
    }
    let runs = crate::bench::run(&sources, sizes, |step| warn(format_args!("bench: {step}")))?;
    if json {
        emit_json(&json!({ "runs": runs }));
    } else {
        emit(&crate::bench::table(&runs));
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn human_bytes(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / (KB * KB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--json` before a command moves after it; before paths, or alone, it stays.
    #[test]
    fn json_before_a_command_is_the_commands() {
        let args = |line: &str| -> Vec<std::ffi::OsString> {
            line.split(' ').map(std::ffi::OsString::from).collect()
        };
        for (given, expected) in [
            ("tomes --json list seeds", "tomes list --json seeds"),
            (
                "tomes --json --json check a b",
                "tomes check --json --json a b",
            ),
            ("tomes list --json seeds", "tomes list --json seeds"),
            ("tomes --json seeds", "tomes --json seeds"),
            ("tomes --json", "tomes --json"),
            ("tomes seeds list", "tomes seeds list"),
        ] {
            assert_eq!(
                global_flags_after_command(args(given)),
                args(expected),
                "{given}"
            );
        }
        let cli = Cli::parse_from(global_flags_after_command(args("tomes --json list seeds")));
        assert!(cli.json);
        assert!(matches!(cli.command, Some(Command::List { .. })));
    }

    /// `tomes bench` without SOURCES: `../shared/corpora` from the current folder, else from
    /// the source folder; in neither, where it looked and how to name them.
    #[test]
    fn bench_sources_default_to_the_corpora_here_or_beside_the_source() {
        let root = tempfile::tempdir().unwrap();
        let (elsewhere, repo, corpora) = (
            root.path().join("x/y"),
            root.path().join("repo"),
            root.path().join("shared/corpora"),
        );
        for dir in [&elsewhere, &repo] {
            std::fs::create_dir_all(dir).unwrap();
        }
        let found = |cwd: &Path| default_bench_sources(cwd, &repo).map_err(|f| f.0);
        let err = found(&elsewhere).unwrap_err();
        assert_eq!(
            err,
            format!(
                "no such file or folder: ../shared/corpora, looked for from {} and from {} \
                 (where tomes was built)\n  name the corpora's folder: tomes bench DIR",
                elsewhere.display(),
                repo.display()
            )
        );
        std::fs::create_dir_all(&corpora).unwrap();
        assert_eq!(found(&repo).unwrap(), PathBuf::from("../shared/corpora"));
        assert_eq!(
            found(&elsewhere).unwrap(),
            std::fs::canonicalize(&corpora).unwrap()
        );
    }

    /// A user test: `tomes bench --help` listed `[SOURCES]...` with nothing beside it
    /// (`tomes completions --help` its SHELL so too).
    #[test]
    fn every_argument_of_every_command_says_what_it_is() {
        let cli = Cli::command();
        let without_help: Vec<String> = std::iter::once(&cli)
            .chain(cli.get_subcommands())
            .flat_map(|command| {
                command
                    .get_arguments()
                    .filter(|arg| arg.get_help().is_none() && !arg.is_hide_set())
                    .map(|arg| format!("tomes {} {}", command.get_name(), arg.get_id()))
            })
            .collect();
        assert_eq!(without_help, Vec::<String>::new());
    }

    #[test]
    fn clip_and_wrap_fit_the_width() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
        for width in [WIDTH, 60] {
            let mut out = String::new();
            wrap(&mut out, &"word ".repeat(50), 2, width);
            assert!(
                out.lines()
                    .all(|l| l.chars().count() <= width && l.starts_with("  ")),
                "{out}"
            );
            assert_eq!(out.split_whitespace().count(), 50);
        }
    }

    /// A unit (`×1, in 3 other papers`) is never split; continued lines take the hang.
    #[test]
    fn wrapped_units_stay_whole() {
        let mut out = String::new();
        let name = "word ".repeat(12);
        let units = name
            .split_whitespace()
            .chain(["NCBITaxon:10376", "×1, in 1,234 other papers"]);
        wrap_units(&mut out, units, 4, 6, WIDTH);
        assert_eq!(
            out,
            format!(
                "    {}NCBITaxon:10376\n      ×1, in 1,234 other papers\n",
                "word ".repeat(12)
            )
        );
    }

    /// A written line keeps its spaces where it is not broken (a problem quotes the file's
    /// text), loses them where it is, and its continued lines hang under its first word.
    #[test]
    fn written_lines_keep_their_spaces_and_hang() {
        let mut out = String::new();
        let line = "  a.md:3: unknown heading  \"##  Results\" then more words to wrap";
        write_line(&mut out, line, 2, Some(40));
        assert_eq!(
            out,
            "  a.md:3: unknown heading  \"##  Results\"\n    then more words to wrap\n"
        );
        let mut piped = String::new();
        write_line(&mut piped, line, 2, None);
        assert_eq!(piped, format!("{line}\n"));
    }

    #[test]
    fn shell_words_read_back_as_given() {
        assert_eq!(shell_word("../shared/corpora"), "../shared/corpora");
        assert_eq!(shell_word("~/papers"), "'~/papers'", "a literal ~");
        assert_eq!(shell_word("my papers"), "'my papers'");
        assert_eq!(shell_word("a'b"), r"'a'\''b'");
        assert_eq!(shell_word("$HOME"), "'$HOME'");
        assert_eq!(shell_word(""), "''");
    }

    /// A bare `tomes bench` wrote a 1M-paper corpus (2.3 GB) to /tmp: the default is the
    /// corpora as they are and 100k; 1M is asked for.
    #[test]
    fn bench_generates_a_hundred_thousand_papers_unless_told() {
        let sizes = |line: &str| match Cli::parse_from(line.split(' ')).command {
            Some(Command::Bench { sizes, .. }) => sizes,
            other => panic!("{other:?}"),
        };
        assert_eq!(sizes("tomes bench"), [100_000]);
        assert_eq!(
            sizes("tomes bench --sizes 100000,1000000"),
            [100_000, 1_000_000]
        );
    }

    #[test]
    fn words_that_look_like_paths() {
        for path in [
            "./cancer",
            "../shared/corpora",
            "~/papers",
            "papers.md",
            ".hidden",
        ] {
            assert!(looks_like_a_path(path), "{path}");
        }
        for word in [
            "cancer",
            "year:2019..2023",
            "MESH:D009369",
            "!review",
            "IL-6",
            "p53$",
        ] {
            assert!(!looks_like_a_path(word), "{word}");
        }
    }

    #[test]
    fn export_format_comes_from_the_flag_else_the_file_extension() {
        let from = |f: Option<ExportFormat>, o: Option<&str>| {
            export_format(f, o.map(Path::new)).map_err(|Failure(m)| m)
        };
        assert_eq!(
            from(Some(ExportFormat::Ris), Some("x.bib")),
            Ok(ExportFormat::Ris)
        );
        assert_eq!(from(None, Some("a/x.BIB")), Ok(ExportFormat::Bibtex));
        assert_eq!(from(None, Some("x.ris")), Ok(ExportFormat::Ris));
        assert_eq!(from(None, Some("x.json")), Ok(ExportFormat::CslJson));
        for unknown in [None, Some("x.txt"), Some("-"), Some("noext")] {
            let err = from(None, unknown).unwrap_err();
            assert!(err.contains("--format"), "{unknown:?}: {err}");
        }
    }

    #[test]
    fn extra_sections_are_renamed_and_not_filled() {
        let roff = ".TH tomes 1\n.SH EXTRA\nline one\n  indented\n.SH VERSION\nv1\n\
                    .SH \"TOMES SEARCH\"\n.SS EXTRA\nquery help\n";
        assert_eq!(
            keep_extra_sections_as_written(roff),
            ".TH tomes 1\n.SH FILES\n.nf\nline one\n  indented\n.fi\n.SH VERSION\nv1\n\
             .SH \"TOMES SEARCH\"\n.SS DETAILS\n.nf\nquery help\n.fi\n"
        );
    }

    #[test]
    fn atomic_write_refuses_an_existing_file_unless_replacing() {
        let dir = std::env::temp_dir().join(format!("tomes-cli-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("out.bib");
        let _ = std::fs::remove_file(&target);
        write_atomically(&target, b"first", false).unwrap();
        let err = write_atomically(&target, b"second", false).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&target).unwrap(), b"first");
        write_atomically(&target, b"third", true).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"third");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "temporary files left: {left:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn paper_rows_fit_eighty_columns() {
        let p = Paper {
            key: crate::model::PaperKey("PMID:12345678".into()),
            title: "x".repeat(200),
            year: Some(2019),
            ..Paper::default()
        };
        let row = paper_row(
            "12. ",
            &p,
            Columns {
                key_width: 13,
                year: true,
                width: Some(80),
            },
        );
        assert_eq!(row.chars().count(), 80);
        assert!(row.starts_with("12. PMID:12345678  2019  xx"));
        assert!(row.ends_with('…'));
        // Piped: the whole title.
        let whole = paper_row(
            "",
            &p,
            Columns {
                key_width: 13,
                year: true,
                width: None,
            },
        );
        assert!(whole.ends_with(&"x".repeat(200)), "{whole}");
    }

    /// A key longer than the key column is printed whole, on a terminal too: only the
    /// title is cut.
    #[test]
    fn paper_rows_keep_long_keys_whole() {
        let long = "DOI:10.1234/an-unusually-long-doi-suffix.2026.000123";
        let papers = [
            Paper {
                key: crate::model::PaperKey("PMID:1".into()),
                title: "short".into(),
                ..Paper::default()
            },
            Paper {
                key: crate::model::PaperKey(long.into()),
                title: "y".repeat(200),
                ..Paper::default()
            },
        ];
        let mut c = columns(papers.iter());
        assert_eq!(
            c.key_width,
            "PMID:1".len(),
            "the long key does not widen it"
        );
        c.width = Some(80);
        let row = paper_row("", &papers[1], c);
        assert!(row.starts_with(&format!("{long}  yy")), "{row}");
        assert!(row.ends_with('…'), "{row}");
        assert!(row.chars().count() <= 80, "{row}");
        let short = paper_row("", &papers[0], c);
        assert_eq!(short, "PMID:1  short");
        // A key that leaves a title no room keeps its line alone: nothing wraps.
        let longer = format!("{long}.with-more-of-it-after");
        let p = Paper {
            key: crate::model::PaperKey(longer.clone()),
            title: "z".repeat(200),
            ..Paper::default()
        };
        c.width = Some(80);
        assert_eq!(paper_row(" 1. ", &p, c), format!(" 1. {longer}"));
    }
}
