//! Keys to actions: the defaults, overridden per action by `config.keys`, with every problem
//! (unknown action, bad key spec, a key bound twice) reported rather than swallowed.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// A key with the modifiers that matter (shift is folded into the character for letters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// Parses a spec such as `j`, `G`, `ctrl-d`, `alt-left`, `shift-tab`, `pgdn`, `enter`.
    pub fn parse(spec: &str) -> Result<Key, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = spec;
        loop {
            let lower = rest.to_ascii_lowercase();
            if lower.len() > 1 && (lower.starts_with("ctrl-") || lower.starts_with("c-")) {
                ctrl = true;
                rest = &rest[rest.find('-').map_or(0, |i| i + 1)..];
            } else if lower.len() > 1 && (lower.starts_with("alt-") || lower.starts_with("m-")) {
                alt = true;
                rest = &rest[rest.find('-').map_or(0, |i| i + 1)..];
            } else if lower.len() > 6 && lower.starts_with("shift-") {
                shift = true;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                if ctrl && shift && c.is_ascii_alphabetic() {
                    // Terminals send the same byte for ctrl-shift-q as for ctrl-q.
                    return Err(format!(
                        "\"{spec}\": terminals cannot tell it from ctrl-{}; write that",
                        c.to_ascii_lowercase()
                    ));
                }
                let c = if shift { c.to_ascii_uppercase() } else { c };
                // Ctrl combinations arrive lower-case from terminals.
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if shift => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pgdown" | "pagedown" => KeyCode::PageDown,
                "delete" | "del" => KeyCode::Delete,
                "insert" => KeyCode::Insert,
                f if f.len() > 1 && f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n) if (1..=12).contains(&n) => KeyCode::F(n),
                    _ => return Err(format!("unknown key \"{spec}\"")),
                },
                _ => return Err(format!("unknown key \"{spec}\"")),
            },
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl From<KeyEvent> for Key {
    fn from(event: KeyEvent) -> Key {
        Key {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The default bindings, per action.
pub fn default_bindings() -> Vec<(Action, Vec<&'static str>)> {
    vec![
        (Action::MoveDown, vec!["j", "down"]),
        (Action::MoveUp, vec!["k", "up"]),
        (Action::Top, vec!["g", "home"]),
        (Action::Bottom, vec!["G", "end"]),
        (Action::PageDown, vec!["pgdn"]),
        (Action::PageUp, vec!["pgup"]),
        (Action::HalfPageDown, vec!["ctrl-d"]),
        (Action::HalfPageUp, vec!["ctrl-u"]),
        (Action::FocusNext, vec!["tab"]),
        (Action::FocusPrev, vec!["shift-tab"]),
        (Action::Zoom, vec!["z"]),
        (Action::Search, vec!["/"]),
        (Action::Jump, vec!["enter"]),
        (Action::Related, vec!["r"]),
        (Action::Back, vec!["backspace", "alt-left"]),
        (Action::Forward, vec!["alt-right"]),
        (Action::ToggleBookmark, vec!["b"]),
        (Action::Bookmarks, vec!["B"]),
        (Action::UndoBookmarkRemoval, vec!["u"]),
        (Action::Help, vec!["?"]),
        (Action::Problems, vec!["p", "!"]),
        (Action::Copy, vec!["y"]),
        (Action::CopyEntityId, vec!["Y"]),
        (Action::Open, vec!["o"]),
        (Action::Export, vec!["e"]),
        (Action::Reload, vec!["R"]),
        (Action::Cancel, vec!["esc"]),
        (Action::Quit, vec!["q"]),
    ]
}

/// What the help shows for an action without a key.
pub const NO_KEY: &str = "no key";

/// Something wrong with `config.keys`, shown on screen: the key of config.toml it is about
/// (`keys.search`, by which its line is found) and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeymapProblem {
    pub key: String,
    pub message: String,
}

impl KeymapProblem {
    fn new(key: impl Into<String>, message: impl Into<String>) -> KeymapProblem {
        KeymapProblem {
            key: key.into(),
            message: message.into(),
        }
    }
}

/// `keys.search: takes "b" from toggle_bookmark, …`, as a config problem reads.
impl fmt::Display for KeymapProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

/// What the browser does with `key` before looking it up in the keymap, if anything: a
/// binding of it would never run (a user test bound copy to ctrl-c; the help listed it, and
/// ctrl-c quit).
fn taken_before_the_keymap(key: Key) -> Option<&'static str> {
    match key.code {
        KeyCode::Char('c' | 'C') if key.ctrl => Some("always quits"),
        KeyCode::Char('z' | 'Z') if key.ctrl => Some("always suspends"),
        _ => None,
    }
}

/// `"j"`, `"j" and "k"`, `"j", "k" and "l"`: keys as config.toml writes them.
fn quoted_keys(keys: &[Key]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("\"{k}\"")).collect();
    crate::model::listed(&quoted, "and")
}

/// Keys to actions, and actions to their keys (for the help overlay and hints).
#[derive(Clone, Debug, Default)]
pub struct Keymap {
    by_key: HashMap<Key, Action>,
    /// Per action, its keys in the order given.
    keys_of: Vec<(Action, Vec<Key>)>,
}

impl Keymap {
    /// The default keymap.
    pub fn defaults() -> Keymap {
        Keymap::with_overrides(&BTreeMap::new()).0
    }

    /// Defaults, with each action named in `overrides` bound to exactly the keys given there.
    /// Problems are reported and the offending entries ignored. A user's binding takes its
    /// keys from default ones (said when that leaves a default action with no key, naming
    /// the binding that took them); when two user bindings claim one key, the first keeps it.
    pub fn with_overrides(
        overrides: &BTreeMap<String, Vec<String>>,
    ) -> (Keymap, Vec<KeymapProblem>) {
        let mut problems = Vec::new();
        let mut table: Vec<(Action, Vec<Key>)> = default_bindings()
            .into_iter()
            .map(|(action, specs)| {
                let keys = specs.iter().filter_map(|s| Key::parse(s).ok()).collect();
                (action, keys)
            })
            .collect();
        let mut overridden = Vec::new();
        for (name, specs) in overrides {
            let Some(action) = Action::from_name(name) else {
                problems.push(KeymapProblem::new(
                    format!("keys.{name}"),
                    format!("unknown action \"{name}\""),
                ));
                continue;
            };
            let mut keys = Vec::new();
            let mut bad = Vec::new();
            for spec in specs {
                match Key::parse(spec) {
                    Ok(k) => match taken_before_the_keymap(k) {
                        Some(why) => bad.push(format!("\"{k}\" {why}, whatever is bound")),
                        None => keys.push(k),
                    },
                    Err(e) => bad.push(e),
                }
            }
            if keys.is_empty() && !bad.is_empty() {
                // Nothing usable: a typo must not leave the action unbound (the README
                // promises the default is used).
                for e in bad {
                    problems.push(KeymapProblem::new(
                        format!("keys.{name}"),
                        format!("{e}; keeping the default"),
                    ));
                }
                continue;
            }
            for e in bad {
                problems.push(KeymapProblem::new(format!("keys.{name}"), e));
            }
            // The same key twice for one action is one key.
            let mut distinct: Vec<Key> = Vec::with_capacity(keys.len());
            for key in keys {
                if !distinct.contains(&key) {
                    distinct.push(key);
                }
            }
            if let Some(slot) = table.iter_mut().find(|(a, _)| *a == action) {
                slot.1 = distinct;
            }
            overridden.push(action);
        }
        // Overridden actions claim their keys first, so a user's binding takes a key from a
        // default one, said when it leaves that action no key (a user test bound `b` to
        // search and found bookmarking had no key); a clash between two user bindings is a
        // problem.
        let mut order: Vec<usize> = (0..table.len()).collect();
        order.sort_by_key(|&i| !overridden.contains(&table[i].0));
        let mut by_key: HashMap<Key, Action> = HashMap::new();
        for i in order {
            let (action, keys) = &mut table[i];
            let action_is_user = overridden.contains(action);
            let had_keys = !keys.is_empty();
            // The keys taken from this default action, by the user's action taking them.
            let mut taken: Vec<(Action, Vec<Key>)> = Vec::new();
            let mut clashes = Vec::new();
            keys.retain(|k| match by_key.get(k) {
                Some(other) => {
                    if action_is_user && overridden.contains(other) {
                        clashes.push(format!(
                            "\"{k}\" is bound to both {} and {}; keeping {}",
                            other.name(),
                            action.name(),
                            other.name()
                        ));
                    } else if !action_is_user {
                        match taken.iter_mut().find(|(by, _)| by == other) {
                            Some((_, keys)) => keys.push(*k),
                            None => taken.push((other.clone(), vec![*k])),
                        }
                    }
                    false
                }
                None => {
                    by_key.insert(*k, action.clone());
                    true
                }
            });
            // An action whose every key went elsewhere is said to have none: the clash alone
            // left the user to guess that `search = "j"` now has no key at all.
            let none_left = had_keys && keys.is_empty();
            let no_key = format!("{} has no key left; give it one in [keys]", action.name());
            if none_left && let Some(last) = clashes.last_mut() {
                last.push_str(&format!("; {no_key}"));
            }
            let at = format!("keys.{}", action.name());
            problems.extend(
                clashes
                    .into_iter()
                    .map(|message| KeymapProblem::new(at.clone(), message)),
            );
            // A take that leaves the default action a key is the user's choice, not a
            // problem: said at every start, it would count as one on the status bar and fail
            // `tomes check --strict` for a deliberate binding. The help lists the keys.
            if !none_left {
                continue;
            }
            for (by, keys) in taken {
                problems.push(KeymapProblem::new(
                    format!("keys.{}", by.name()),
                    format!(
                        "takes {} from {}, which has no key left; give it one in [keys]",
                        quoted_keys(&keys),
                        action.name()
                    ),
                ));
            }
        }
        (
            Keymap {
                by_key,
                keys_of: table,
            },
            problems,
        )
    }

    /// The action bound to a key, if any.
    pub fn action(&self, key: Key) -> Option<&Action> {
        let normalised = match key.code {
            // Terminals report shift with upper-case letters and back-tab; the character
            // already says it.
            KeyCode::Char(c) if key.ctrl => Key {
                code: KeyCode::Char(c.to_ascii_lowercase()),
                ..key
            },
            _ => key,
        };
        self.by_key.get(&normalised)
    }

    /// The keys bound to an action, in order.
    pub fn keys_for(&self, action: &Action) -> &[Key] {
        self.keys_of
            .iter()
            .find(|(a, _)| a == action)
            .map_or(&[][..], |(_, k)| k.as_slice())
    }

    /// The first key bound to `action`, as the hints write it (`b`), if any.
    pub fn first_key(&self, action: &Action) -> Option<String> {
        self.keys_for(action).first().map(Key::to_string)
    }

    /// `j/down {what}` (`j/down to search`) for an action with keys, `None` for one without:
    /// a hint leaves it out rather than reading `unbound to search`.
    pub fn keys_then(&self, action: &Action, what: &str) -> Option<String> {
        (!self.keys_for(action).is_empty())
            .then(|| format!("{} {what}", self.describe_keys(action)))
    }

    /// The keys that close an overlay, as hints write them (`q/esc`), or `None` when the
    /// config left none: quit's keys close what is open rather than quit (ctrl-c, which
    /// quits anywhere, aside), then cancel's. `first_only` takes one of each, for the hints
    /// that must fit 80 columns.
    pub fn close_keys(&self, first_only: bool) -> Option<String> {
        let take = if first_only { 1 } else { usize::MAX };
        let quit = self
            .keys_for(&Action::Quit)
            .iter()
            .filter(|k| !(k.ctrl && k.code == KeyCode::Char('c')))
            .take(take);
        let cancel = self.keys_for(&Action::Cancel).iter().take(take);
        let keys: Vec<String> = quit.chain(cancel).map(Key::to_string).collect();
        (!keys.is_empty()).then(|| keys.join("/"))
    }

    /// `j/down`, or `no key` (the help lists every action, those without a key too).
    pub fn describe_keys(&self, action: &Action) -> String {
        let keys = self.keys_for(action);
        if keys.is_empty() {
            return NO_KEY.into();
        }
        let keys: Vec<String> = keys.iter().map(Key::to_string).collect();
        // `/` itself bound beside another key read `//s` (a user test's `search = ["/",
        // "s"]`): then the keys are listed with words.
        let separator = match keys.iter().any(|k| k.contains('/')) {
            true => " or ",
            false => "/",
        };
        keys.join(separator)
    }
}
