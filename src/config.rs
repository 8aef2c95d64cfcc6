//! User configuration: where it lives, what it says, and what was wrong with it.
//! (First version: defaults only; reading `config.toml` is to be written.)

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Dark,
    Light,
}

/// Everything `config.toml` can set, with defaults for what it does not.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Library paths opened when none are given on the command line.
    pub library: Vec<PathBuf>,
    /// Action name -> key specs (`"ctrl-d"`, `"j"`), overriding the default keymap.
    pub keys: BTreeMap<String, Vec<String>>,
    pub theme: Theme,
    pub mouse: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            library: Vec::new(),
            keys: BTreeMap::new(),
            theme: Theme::Dark,
            mouse: false,
        }
    }
}

/// Something wrong in the config file: which key, and why. The default is used for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    pub key: String,
    pub message: String,
}

/// The folder holding `config.toml` and `bookmarks.toml`: `$TOMES_CONFIG_DIR`, else
/// `$XDG_CONFIG_HOME/tomes`, else `~/.config/tomes`.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TOMES_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("tomes"));
    }
    directories::BaseDirs::new().map(|b| b.home_dir().join(".config").join("tomes"))
}

/// Reads `config.toml` from `dir`; a missing file is the defaults, a bad key is reported
/// and defaulted.
pub fn load(_dir: Option<&std::path::Path>) -> (Config, Vec<ConfigProblem>) {
    (Config::default(), Vec::new())
}
