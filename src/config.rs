//! User configuration: where it lives, what `config.toml` says, and what was wrong with it.
//!
//! The file is read key by key from a `toml::Table` rather than deserialised into a struct, so
//! one bad value costs only that key (reported as a [`ConfigProblem`], default used) while every
//! other key still applies. Unknown keys are reported too, to catch typos. tomes never writes
//! the user's config file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// The config file's name inside [`config_dir`].
pub const CONFIG_FILE: &str = "config.toml";

/// Colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Dark,
    Light,
}

/// How the list and reader panes are arranged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LayoutMode {
    /// Side by side when the terminal is wide enough, stacked otherwise.
    #[default]
    Auto,
    /// Always side by side.
    Wide,
    /// Always one pane at a time.
    Narrow,
}

/// The `[layout]` table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub mode: LayoutMode,
    /// Width of the paper list in the wide layout, in percent of the terminal width.
    pub list_width: u16,
}

/// Bounds for `layout.list_width`: narrower or wider leaves one pane unusable.
pub const LIST_WIDTH_RANGE: std::ops::RangeInclusive<u16> = 10..=90;

impl Default for Layout {
    fn default() -> Self {
        Layout {
            mode: LayoutMode::Auto,
            list_width: 40,
        }
    }
}

/// Everything `config.toml` can set, with defaults for what it does not.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Library paths opened when none are given on the command line (`~` expanded, relative
    /// paths resolved against the config file's folder).
    pub library: Vec<PathBuf>,
    /// Action name -> key specs (`"ctrl-d"`, `"j"`), overriding the default keymap. Read as
    /// strings only; the keymap validates action names and key specs.
    pub keys: BTreeMap<String, Vec<String>>,
    pub theme: Theme,
    pub mouse: bool,
    pub layout: Layout,
    /// Whether to emit OSC 8 hyperlinks for paper and entity ids.
    pub hyperlinks: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            library: Vec::new(),
            keys: BTreeMap::new(),
            theme: Theme::Dark,
            mouse: false,
            layout: Layout::default(),
            hyperlinks: true,
        }
    }
}

/// Something wrong in the config file: which key (dotted, like `layout.mode` or `keys.quit`),
/// and why. The default is used for that key. A problem with the whole file (unreadable, not
/// valid TOML) has the key `config.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    pub key: String,
    pub message: String,
    /// The line of the file (from 1) the problem is on: the key's, or a syntax error's;
    /// `None` when no line says it (an unreadable file, a key not in the file).
    pub line: Option<usize>,
}

impl ConfigProblem {
    /// A problem with `key`, its line found later ([`locate`]).
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigProblem {
            key: key.into(),
            message: message.into(),
            line: None,
        }
    }
}

impl ConfigProblem {
    /// The problem as one line naming `file` once, as the command line and the browser show
    /// it: `/home/me/.config/tomes/config.toml:7: layout.mode: expected …` (the line when it
    /// is known), or for the whole file
    /// `…/config.toml:3: not valid TOML at column 9: …` (its key is the file's name, which
    /// the path already says).
    pub fn in_file(&self, file: &Path) -> String {
        match self.line {
            // (A syntax error's message says its line and column.)
            // At its line, so that an editor can jump there (`config.toml:3: not valid TOML
            // at column 8: …`); a user test found the syntax error the one problem without.
            Some(line) if self.key == CONFIG_FILE => {
                format!("{}:{line}: {}", file.display(), self.message)
            }
            _ if self.key == CONFIG_FILE => format!("{}: {}", file.display(), self.message),
            // At the key's line, as a problem in a paper file is: `config.toml:5: keys.serch: …`.
            Some(line) => format!("{}:{line}: {}: {}", file.display(), self.key, self.message),
            None => format!("{}: {}: {}", file.display(), self.key, self.message),
        }
    }
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) if self.key == CONFIG_FILE => {
                write!(f, "{}:{line}: {}", self.key, self.message)
            }
            _ => write!(f, "{}: {}", self.key, self.message),
        }
    }
}

/// The folder holding `config.toml` and `bookmarks.toml`, first match wins:
///
/// 1. `$TOMES_CONFIG_DIR`, if set and not empty (used as is; handy for tests and for keeping
///    several setups apart);
/// 2. `$XDG_CONFIG_HOME/tomes`, if `XDG_CONFIG_HOME` is set to an absolute path (the XDG spec
///    says relative values are to be ignored);
/// 3. `~/.config/tomes`, on every platform, macOS included: researchers working over SSH expect
///    dotfiles under `~/.config`, not `~/Library/Application Support`.
///
/// `None` only when no home folder can be found.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TOMES_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|d| d.is_absolute())
    {
        return Some(dir.join("tomes"));
    }
    home_dir().map(|home| home.join(".config").join("tomes"))
}

/// User-facing text on where tomes keeps its files, for the README and `--help`.
pub fn describe_dir_precedence() -> &'static str {
    "tomes reads config.toml and keeps bookmarks.toml in its config folder, the first of:\n\
     1. $TOMES_CONFIG_DIR, if set;\n\
     2. $XDG_CONFIG_HOME/tomes, if XDG_CONFIG_HOME is set to an absolute path;\n\
     3. ~/.config/tomes (on macOS too).\n\
     The browser (tomes [PATHS]) creates the folder when it starts; the commands\n\
     (check, list, search, ...) only read it. tomes never writes config.toml;\n\
     copy config.example.toml there to start one."
}

fn home_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf())
}

/// Reads `config.toml` from `dir`. A missing folder or file gives the defaults with no
/// problems; see [`load_file`] for everything else.
pub fn load(dir: Option<&Path>) -> (Config, Vec<ConfigProblem>) {
    match dir {
        Some(dir) => load_file(&dir.join(CONFIG_FILE)),
        None => (Config::default(), Vec::new()),
    }
}

/// Reads one config file. Missing: defaults, no problems. Unreadable or not valid TOML: all
/// defaults and one problem (with line and column for a syntax error). Otherwise each key is
/// read on its own, see [`parse`].
pub fn load_file(path: &Path) -> (Config, Vec<ConfigProblem>) {
    let text = match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(e)) => {
            // Where, so that it can be found: a user test read only "stream did not
            // contain valid UTF-8".
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let (line, column) = line_column(&String::from_utf8_lossy(&bytes[..at]), at);
            let mut problem = ConfigProblem::new(
                CONFIG_FILE,
                format!(
                    "not UTF-8 at column {column} (byte {}): save the file as UTF-8; every \
                     setting is at its default until this is fixed",
                    at + 1
                ),
            );
            problem.line = Some(line);
            return (Config::default(), vec![problem]);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return (Config::default(), Vec::new());
        }
        Err(e) => {
            return (
                Config::default(),
                vec![ConfigProblem::new(
                    CONFIG_FILE,
                    // The path is said by whoever shows the problem (see `in_file`).
                    format!("cannot read: {e}"),
                )],
            );
        }
    };
    let base = path.parent().unwrap_or(Path::new("."));
    parse(&text, base)
}

/// Parses config text. `base` is the folder relative `library` paths are resolved against
/// (the config file's folder, so the file means the same whatever the working directory).
pub fn parse(text: &str, base: &Path) -> (Config, Vec<ConfigProblem>) {
    let mut config = Config::default();
    let mut problems = Vec::new();
    let table = match text.parse::<Table>() {
        Ok(table) => table,
        Err(e) => {
            let message = e.message().trim_end().to_owned();
            let message = match e.span() {
                Some(span) => {
                    // The line goes before the message, as every problem's does.
                    let (_, column) = line_column(text, span.start);
                    // toml says `duplicate key` without the key: it is what the span holds
                    // (ut23 had to find which of its lines said `search` twice).
                    let key = text
                        .get(span.clone())
                        .map(str::trim)
                        .filter(|k| !k.is_empty());
                    match key {
                        Some(key) if message == "duplicate key" => format!(
                            "not valid TOML at column {column}: {}",
                            duplicate_said(text, span.start, key)
                        ),
                        _ => format!("not valid TOML at column {column}: {message}"),
                    }
                }
                None => format!("not valid TOML: {message}"),
            };
            // One syntax error loses the whole file, which a problem about one line hides.
            let message = format!("{message}; every setting is at its default until this is fixed");
            let mut problem = ConfigProblem::new(CONFIG_FILE, message);
            problem.line = e.span().map(|span| line_column(text, span.start).0);
            problems.push(problem);
            return (config, problems);
        }
    };

    for (key, value) in &table {
        match key.as_str() {
            "library" => {
                if let Some(paths) = read_library(value, base, &mut problems) {
                    config.library = paths;
                }
            }
            "theme" => match value.as_str() {
                Some("dark") => config.theme = Theme::Dark,
                Some("light") => config.theme = Theme::Light,
                _ => problems.push(expected("theme", "\"dark\" or \"light\"", value)),
            },
            "mouse" => read_bool("mouse", value, &mut config.mouse, &mut problems),
            "hyperlinks" => read_bool("hyperlinks", value, &mut config.hyperlinks, &mut problems),
            "keys" => config.keys = read_keys(value, &mut problems),
            "layout" => config.layout = read_layout(value, &mut problems),
            _ => problems.push(unknown_key(key)),
        }
    }
    locate_in(text, &mut problems);
    in_line_order(&mut problems);
    (config, problems)
}

/// Problems in the order of their lines in the file (a user test read lines 10, 5, 4, 2, 1,
/// 7); those without a line last, in the order found.
fn in_line_order(problems: &mut [ConfigProblem]) {
    problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
}

/// Gives each of `problems` without a line the line its key is on in the config file at
/// `path` (`keys.quit` for the problems the keymap finds in the keys the config read).
pub fn locate(path: &Path, problems: &mut [ConfigProblem]) {
    if problems.iter().any(|p| p.line.is_none())
        && let Ok(text) = std::fs::read_to_string(path)
    {
        locate_in(&text, problems);
    }
    in_line_order(problems);
}

/// [`locate`] in the file's `text`: each key (dotted, `layout.mode`) is looked up in the
/// parsed document, which knows where its keys are.
fn locate_in(text: &str, problems: &mut [ConfigProblem]) {
    if problems.iter().all(|p| p.line.is_some()) {
        return;
    }
    let Ok(document) = toml::de::DeTable::parse(text) else {
        return;
    };
    for problem in problems.iter_mut().filter(|p| p.line.is_none()) {
        // A key said with more words (`keys.bookmarks took "b"`) is found by its first.
        let found = |key: &str| key_offset(document.get_ref(), key);
        problem.line = found(&problem.key)
            .or_else(|| problem.key.split_once(' ').and_then(|(key, _)| found(key)))
            .map(|at| line_column(text, at).0);
    }
}

/// Where `key` starts in the text of `table`: `layout.mode` is `mode` in the table
/// `layout`; a key whose name holds a dot (`keys."a.b"`) is found whole too.
fn key_offset(table: &toml::de::DeTable, key: &str) -> Option<usize> {
    let entry = |name: &str| table.iter().find(|(k, _)| k.get_ref().as_ref() == name);
    if let Some((k, _)) = entry(key) {
        return Some(k.span().start);
    }
    key.match_indices('.').find_map(
        |(dot, _)| match entry(&key[..dot]).map(|(_, v)| v.get_ref()) {
            Some(toml::de::DeValue::Table(inner)) => key_offset(inner, &key[dot + 1..]),
            _ => None,
        },
    )
}

/// 1-based line and column (in characters) of a byte offset.
/// What a key set twice is, said with its table and the line that set it first (ut23c:
/// `duplicate key quit` named neither): `duplicate key keys.quit, set at line 12 too`, or
/// for a table written twice, `[keys] written twice, at line 5 too`.
fn duplicate_said(text: &str, at: usize, key: &str) -> String {
    let (line, _) = line_column(text, at);
    let lines: Vec<&str> = text.lines().collect();
    fn header(line: &str) -> Option<&str> {
        let line = line.trim();
        (line.starts_with('[') && !line.starts_with("[["))
            .then(|| line.trim_matches(['[', ']']).trim())
    }
    let this = lines.get(line - 1).copied().unwrap_or_default();
    if header(this).is_some() {
        let first = lines[..line - 1]
            .iter()
            .position(|l| header(l) == Some(key))
            .map(|i| format!(", at line {} too", i + 1))
            .unwrap_or_default();
        return format!("[{key}] written twice{first}");
    }
    // The table the key is in, and where that table's lines start.
    let (table, from) = lines[..line - 1]
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, l)| header(l).map(|t| (format!("{t}."), i + 1)))
        .unwrap_or_default();
    let sets = |l: &&str| {
        l.trim_start()
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    let first = lines[from..line - 1]
        .iter()
        .position(sets)
        .map(|i| format!(", set at line {} too", from + i + 1))
        .unwrap_or_default();
    format!("duplicate key {table}{key}{first}")
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn expected(key: &str, what: &str, found: &Value) -> ConfigProblem {
    ConfigProblem::new(key, format!("expected {what}, found {}", describe(found)))
}

/// A short rendering of a value for messages: strings quoted, tables by type only.
fn describe(value: &Value) -> String {
    match value {
        Value::Table(_) => "a table".to_owned(),
        Value::Array(items) if items.len() > 5 => "a long array".to_owned(),
        other => other.to_string(),
    }
}

/// Every key config.toml has, a table's keys after its name (`layout.mode`): what an
/// unknown key is compared with to say which it likely mistypes.
const KNOWN_KEYS: [&str; 8] = [
    "library",
    "theme",
    "mouse",
    "hyperlinks",
    "keys",
    "layout",
    "layout.mode",
    "layout.list_width",
];

/// The names `typed` likely means, case ignored: first each whose words hold every word
/// of it (`bookmark`: toggle_bookmark and undo_bookmark_removal; a user test wrote
/// `keys.bookmark` and was offered only bookmarks), then the one it likely misspells
/// ([`crate::spelling::closest`]), each once.
fn likely_meant<'a>(typed: &str, names: &[&'a str]) -> Vec<&'a str> {
    let words = |name: &str| -> Vec<String> {
        name.split(['_', '-', ' ', '.'])
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let typed_words = words(typed);
    let mut meant: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| !name.eq_ignore_ascii_case(typed) && !typed_words.is_empty())
        .filter(|name| {
            let name_words = words(name);
            typed_words.iter().all(|w| name_words.contains(w))
        })
        .collect();
    if let Some(close) = crate::spelling::closest(typed, names.iter().copied())
        && !meant.contains(&close)
    {
        meant.push(close);
    }
    meant
}

/// `a`, `a or b`, `a, b or c`.
fn one_of(names: &[String]) -> String {
    crate::model::listed(names, "or")
}

/// An unknown key (`layout.colour`), with the known ones it likely means (`moose`: mouse;
/// `width`: list_width), said where one belongs when it is in another table (`list_widht`
/// at the top: list_width under [layout]).
fn unknown_key(key: &str) -> ConfigProblem {
    let split = |k: &'static str| k.rsplit_once('.').unwrap_or(("", k));
    let (table, name) = key.rsplit_once('.').unwrap_or(("", key));
    let names: Vec<&str> = KNOWN_KEYS.iter().map(|k| split(k).1).collect();
    let meant: Vec<(&str, &str)> = likely_meant(name, &names)
        .into_iter()
        .filter_map(|found| {
            KNOWN_KEYS
                .iter()
                .map(|k| split(k))
                .find(|&(_, n)| n == found)
        })
        .collect();
    let belongs = |t: &str| match t {
        "" => "at the top, before any [table]".to_owned(),
        t => format!("under [{t}]"),
    };
    let exact = KNOWN_KEYS
        .iter()
        .map(|k| split(k))
        .find(|&(t, n)| n == name && t != table);
    let message = match (exact, &meant[..]) {
        (Some((t, n)), _) => format!("unknown key here; {n} belongs {}", belongs(t)),
        (None, [(t, n)]) if *t == table => format!("unknown key; did you mean {n}?"),
        (None, [(t, n)]) => format!(
            "unknown key; did you mean {n}, which belongs {}?",
            belongs(t)
        ),
        (None, []) => "unknown key (misspelt? see config.example.toml)".to_owned(),
        (None, several) => {
            let said: Vec<String> = several
                .iter()
                .map(|&(t, n)| match t == table {
                    true => n.to_owned(),
                    false => format!("{n} ({})", belongs(t)),
                })
                .collect();
            format!("unknown key; did you mean {}?", one_of(&said))
        }
    };
    ConfigProblem::new(key, message)
}

fn read_bool(key: &str, value: &Value, slot: &mut bool, problems: &mut Vec<ConfigProblem>) {
    match value.as_bool() {
        Some(b) => *slot = b,
        None => problems.push(expected(key, "true or false", value)),
    }
}

/// `library = "~/papers"` or `library = ["~/papers", "/data/pubtator"]`. Any bad entry rejects
/// the whole key: opening half the intended library silently would be more confusing.
fn read_library(
    value: &Value,
    base: &Path,
    problems: &mut Vec<ConfigProblem>,
) -> Option<Vec<PathBuf>> {
    let strings: Vec<&Value> = match value {
        Value::String(_) => vec![value],
        Value::Array(items) => items.iter().collect(),
        other => {
            problems.push(expected(
                "library",
                "a path or a list of paths (strings)",
                other,
            ));
            return None;
        }
    };
    let mut paths = Vec::with_capacity(strings.len());
    for item in strings {
        match item.as_str() {
            Some("") => {
                problems.push(ConfigProblem::new("library", "empty path"));
                return None;
            }
            Some(s) => paths.push(resolve_path(s, base)),
            None => {
                problems.push(expected("library", "paths as strings", item));
                return None;
            }
        }
    }
    Some(paths)
}

/// Expands a leading `~` or `~/` to the home folder and makes relative paths relative to
/// `base`. `~user` forms are left alone (rare, and needing a passwd lookup).
pub fn resolve_path(path: &str, base: &Path) -> PathBuf {
    let expanded = if path == "~" {
        home_dir().unwrap_or_else(|| PathBuf::from(path))
    } else if let Some(rest) = path.strip_prefix("~/") {
        match home_dir() {
            Some(home) => home.join(rest),
            None => PathBuf::from(path),
        }
    } else {
        PathBuf::from(path)
    };
    if expanded.is_absolute() {
        return expanded;
    }
    // `../lib` beside the config folder is that folder's sibling, written so: sources were
    // shown as `…/cfg/../lib/x.md` (ut24d). The config folder as it really is (a link
    // followed), then the `..` taken off by name.
    let base = base.canonicalize().unwrap_or_else(|_| base.to_path_buf());
    let mut resolved = PathBuf::new();
    for part in base.join(expanded).components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if matches!(
                    resolved.components().next_back(),
                    Some(std::path::Component::Normal(_))
                ) =>
            {
                resolved.pop();
            }
            other => resolved.push(other),
        }
    }
    resolved
}

/// `[keys]`: action = "key" or action = ["key", "key"]. A bad action or an unknown one is
/// skipped (the default binding stays); the others apply.
fn read_keys(value: &Value, problems: &mut Vec<ConfigProblem>) -> BTreeMap<String, Vec<String>> {
    let mut keys = BTreeMap::new();
    let Some(table) = value.as_table() else {
        problems.push(expected(
            "keys",
            "a table of action = key(s), like [keys] quit = [\"q\", \"ctrl-c\"]",
            value,
        ));
        return keys;
    };
    for (action, spec) in table {
        let name = format!("keys.{action}");
        // Said here, with the action it likely mistypes, and left out: the keymap would
        // name it again without one.
        // A setting of its own written below [keys] (ut23 appended `theme = "light"` to
        // the file): where it belongs.
        let setting = |known: &&str| known.rsplit('.').next() == Some(action.as_str());
        if crate::app::Action::from_name(action).is_none() && KNOWN_KEYS.iter().any(setting) {
            problems.push(unknown_key(&name));
            continue;
        }
        if crate::app::Action::from_name(action).is_none() {
            let names = crate::app::Action::BINDABLE.map(|a| a.name());
            let meant: Vec<String> = likely_meant(action, &names)
                .into_iter()
                .map(str::to_owned)
                .collect();
            let message = match meant[..] {
                [] => {
                    format!("unknown action \"{action}\" (the actions are in config.example.toml)")
                }
                _ => format!(
                    "unknown action \"{action}\"; did you mean {}?",
                    one_of(&meant)
                ),
            };
            problems.push(ConfigProblem::new(name, message));
            continue;
        }
        let specs = match spec {
            Value::String(s) => Some(vec![s.clone()]),
            Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<String>>>(),
            _ => None,
        };
        match specs {
            Some(specs) => {
                keys.insert(action.clone(), specs);
            }
            None => problems.push(expected(
                &name,
                "a key like \"q\" or a list of keys like [\"q\", \"ctrl-c\"]",
                spec,
            )),
        }
    }
    keys
}

fn read_layout(value: &Value, problems: &mut Vec<ConfigProblem>) -> Layout {
    let mut layout = Layout::default();
    let Some(table) = value.as_table() else {
        problems.push(expected("layout", "a table", value));
        return layout;
    };
    for (key, value) in table {
        match key.as_str() {
            "mode" => match value.as_str() {
                Some("auto") => layout.mode = LayoutMode::Auto,
                Some("wide") => layout.mode = LayoutMode::Wide,
                Some("narrow") => layout.mode = LayoutMode::Narrow,
                _ => problems.push(expected(
                    "layout.mode",
                    "\"auto\", \"wide\" or \"narrow\"",
                    value,
                )),
            },
            "list_width" => {
                let width = value
                    .as_integer()
                    .and_then(|w| u16::try_from(w).ok())
                    .filter(|w| LIST_WIDTH_RANGE.contains(w));
                match width {
                    Some(w) => layout.list_width = w,
                    None => problems.push(expected(
                        "layout.list_width",
                        &format!(
                            "a whole number of percent from {} to {}",
                            LIST_WIDTH_RANGE.start(),
                            LIST_WIDTH_RANGE.end()
                        ),
                        value,
                    )),
                }
            }
            _ => problems.push(unknown_key(&format!("layout.{key}"))),
        }
    }
    layout
}
