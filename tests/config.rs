//! Config parsing: a table of config texts and the Config and problems each must give.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tomes::config::{self, Config, ConfigProblem, Layout, LayoutMode, Theme};

fn problem(key: &str, message: &str) -> ConfigProblem {
    ConfigProblem::new(key, message)
}

fn home() -> PathBuf {
    directories::BaseDirs::new()
        .expect("a home folder")
        .home_dir()
        .to_path_buf()
}

#[test]
fn table_of_configs() {
    let base = Path::new("/etc/tomes-test");
    let keys = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(a, ks)| (a.to_string(), ks.iter().map(|k| k.to_string()).collect()))
            .collect()
    };
    let cases: Vec<(&str, Config, Vec<ConfigProblem>)> = vec![
        ("", Config::default(), vec![]),
        (
            "theme = \"light\"\nmouse = true\nhyperlinks = false",
            Config {
                theme: Theme::Light,
                mouse: true,
                hyperlinks: false,
                ..Config::default()
            },
            vec![],
        ),
        (
            "library = [\"~/papers\", \"/data/pubtator\", \"rel/dir\", \"~\"]",
            Config {
                library: vec![
                    home().join("papers"),
                    PathBuf::from("/data/pubtator"),
                    base.join("rel/dir"),
                    home(),
                ],
                ..Config::default()
            },
            vec![],
        ),
        (
            "library = \"~/one\"",
            Config {
                library: vec![home().join("one")],
                ..Config::default()
            },
            vec![],
        ),
        // One bad key: reported, defaulted, the others still apply.
        (
            "theme = \"purple\"\nmouse = true",
            Config {
                mouse: true,
                ..Config::default()
            },
            vec![problem(
                "theme",
                "expected \"dark\" or \"light\", found \"purple\"",
            )],
        ),
        (
            "mouse = \"yes\"\ntheme = 3",
            Config::default(),
            vec![
                problem("mouse", "expected true or false, found \"yes\""),
                problem("theme", "expected \"dark\" or \"light\", found 3"),
            ],
        ),
        (
            "library = [\"/ok\", 7]\ntheme = \"light\"",
            Config {
                theme: Theme::Light,
                ..Config::default()
            },
            vec![problem("library", "expected paths as strings, found 7")],
        ),
        (
            "library = \"\"",
            Config::default(),
            vec![problem("library", "empty path")],
        ),
        (
            "[keys]\nquit = [\"q\", \"ctrl-c\"]\nhelp = \"?\"\nback = 3\nforward = [\"x\", true]\nzoom = []",
            Config {
                keys: keys(&[("quit", &["q", "ctrl-c"]), ("help", &["?"]), ("zoom", &[])]),
                ..Config::default()
            },
            vec![
                problem(
                    "keys.back",
                    "expected a key like \"q\" or a list of keys like [\"q\", \"ctrl-c\"], found 3",
                ),
                problem(
                    "keys.forward",
                    "expected a key like \"q\" or a list of keys like [\"q\", \"ctrl-c\"], found [\"x\", true]",
                ),
            ],
        ),
        (
            "keys = \"q\"",
            Config::default(),
            vec![problem(
                "keys",
                "expected a table of action = key(s), like [keys] quit = [\"q\", \"ctrl-c\"], found \"q\"",
            )],
        ),
        (
            "[layout]\nmode = \"narrow\"\nlist_width = 55",
            Config {
                layout: Layout {
                    mode: LayoutMode::Narrow,
                    list_width: 55,
                },
                ..Config::default()
            },
            vec![],
        ),
        (
            "[layout]\nmode = \"tall\"\nlist_width = 95\ncolour = 1",
            Config::default(),
            vec![
                problem(
                    "layout.colour",
                    "unknown key (misspelt? see config.example.toml)",
                ),
                problem(
                    "layout.list_width",
                    "expected a whole number of percent from 10 to 90, found 95",
                ),
                problem(
                    "layout.mode",
                    "expected \"auto\", \"wide\" or \"narrow\", found \"tall\"",
                ),
            ],
        ),
        (
            "them = \"light\"\n[layout]\nlist_width = -3",
            Config::default(),
            vec![
                problem(
                    "layout.list_width",
                    "expected a whole number of percent from 10 to 90, found -3",
                ),
                problem("them", "unknown key; did you mean theme?"),
            ],
        ),
        (
            "layout = 1\nmouse = true",
            Config {
                mouse: true,
                ..Config::default()
            },
            vec![problem("layout", "expected a table, found 1")],
        ),
    ];
    for (text, want_config, want_problems) in cases {
        let (config, mut problems) = config::parse(text, base);
        // Their lines, and their order (the lines'), are the next tests'.
        for p in &mut problems {
            p.line = None;
        }
        let by_key = |list: &mut Vec<config::ConfigProblem>| {
            list.sort_by(|a, b| (&a.key, &a.message).cmp(&(&b.key, &b.message)))
        };
        let mut want_problems = want_problems;
        by_key(&mut problems);
        by_key(&mut want_problems);
        assert_eq!(problems, want_problems, "problems for {text:?}");
        assert_eq!(config, want_config, "config for {text:?}");
    }
}

/// Each problem has the line of its key, found in tables and dotted keys too.
#[test]
fn problems_have_the_lines_of_their_keys() {
    let lines = |text: &str| -> Vec<(String, Option<usize>)> {
        let (_, problems) = config::parse(text, Path::new("/"));
        problems.into_iter().map(|p| (p.key, p.line)).collect()
    };
    let found = lines(
        "theme = 3\n\n[layout]\nlist_width = 900\ncolour = 1\n[keys]\n\"a.b\" = 5\nquit = 5\n",
    );
    for (key, line) in [
        ("theme", 1),
        ("layout.list_width", 4),
        ("layout.colour", 5),
        ("keys.a.b", 7),
        ("keys.quit", 8),
    ] {
        assert!(
            found.contains(&(key.to_owned(), Some(line))),
            "{key} at {line}: {found:?}"
        );
    }
    // Listed in the file's order (a user test read lines 10, 5, 4, 2, 1, 7).
    assert!(found.iter().map(|(_, line)| *line).is_sorted(), "{found:?}");
    assert_eq!(
        lines("mouse = true\nlayout.mode = \"tall\"\n"),
        [("layout.mode".to_owned(), Some(2))]
    );
}

#[test]
fn invalid_toml_is_one_problem_with_line_and_column_and_all_defaults() {
    let text = "theme = \"light\"\nmouse = true\nlibrary = [\"/a\"\n";
    let (config, problems) = config::parse(text, Path::new("/"));
    assert_eq!(config, Config::default());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].key, "config.toml");
    assert_eq!(problems[0].line, Some(3), "{:?}", problems[0]);
    assert!(
        problems[0].message.starts_with("not valid TOML at column "),
        "{:?}",
        problems[0]
    );

    let (_, problems) = config::parse("mouse = true\ntheme = purple\n", Path::new("/"));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, Some(2), "{:?}", problems[0]);
    assert!(
        problems[0]
            .message
            .starts_with("not valid TOML at column 9"),
        "{:?}",
        problems[0]
    );
    assert!(
        problems[0]
            .to_string()
            .starts_with("config.toml:2: not valid TOML at column 9"),
        "{}",
        problems[0]
    );
    // A user test: the message said where, not that `mouse = true` was lost with it.
    assert!(
        problems[0]
            .message
            .ends_with("; every setting is at its default until this is fixed"),
        "{:?}",
        problems[0]
    );
}

/// ut23 appended `theme = "light"` to a config ending in [keys], and was told of an unknown
/// action; and a key bound twice was a `duplicate key` without the key. Each now says
/// where the setting belongs, and which key.
#[test]
fn a_setting_under_keys_and_a_duplicate_key_are_named() {
    let text = "[keys]\nsearch = \"s\"\ntheme = \"light\"\nmouse = true\nmode = \"wide\"\n";
    let (config, problems) = config::parse(text, Path::new("/"));
    assert_eq!(config.theme, Config::default().theme);
    let said: Vec<(String, String)> = problems.into_iter().map(|p| (p.key, p.message)).collect();
    let belongs = |key: &str, place: &str| {
        (
            format!("keys.{key}"),
            format!("unknown key here; {key} belongs {place}"),
        )
    };
    let top = "at the top, before any [table]";
    assert_eq!(
        said,
        vec![
            belongs("theme", top),
            belongs("mouse", top),
            belongs("mode", "under [layout]")
        ]
    );

    let text = "[keys]\nsearch = \"s\"\nquit = \"q\"\n  search = \"/\"\n";
    let (_, problems) = config::parse(text, Path::new("/"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, Some(4));
    assert!(
        problems[0].message.starts_with(
            "not valid TOML at column 3: duplicate key keys.search, set at line 2 too"
        ),
        "{:?}",
        problems[0]
    );
}

/// A table written twice, and a key set twice at the top, say where the first is (ut23c).
#[test]
fn a_table_or_top_key_written_twice_says_where_the_first_is() {
    let said = |text: &str| {
        let (_, problems) = config::parse(text, Path::new("/"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        problems[0].message.clone()
    };
    let message = said("mouse = true\n[keys]\nquit = \"q\"\n[layout]\n[keys]\n");
    assert!(
        message.contains(": [keys] written twice, at line 2 too;"),
        "{message}"
    );
    let message = said("theme = \"dark\"\nmouse = true\ntheme = \"light\"\n");
    assert!(
        message.contains(": duplicate key theme, set at line 1 too;"),
        "{message}"
    );
}

/// A user test: `moose`, `hyperlink` and `list_widht` were each "unknown key (misspelt? see
/// config.example.toml)", naming none of mouse, hyperlinks, list_width. A near key is named,
/// and where it belongs when that is another table.
#[test]
fn unknown_keys_name_the_key_they_likely_mistype() {
    let text = "moose = true\nhyperlink = false\nlist_widht = 50\nMouse = true\n\
                [layout]\nmdoe = \"wide\"\nmouse = true\ncolour = 1\n[key]\n";
    let (_, problems) = config::parse(text, Path::new("/"));
    let mut said: Vec<(String, String)> =
        problems.into_iter().map(|p| (p.key, p.message)).collect();
    said.sort();
    let want = [
        ("Mouse", "unknown key; did you mean mouse?"),
        ("hyperlink", "unknown key; did you mean hyperlinks?"),
        ("key", "unknown key; did you mean keys?"),
        (
            "layout.colour",
            "unknown key (misspelt? see config.example.toml)",
        ),
        ("layout.mdoe", "unknown key; did you mean mode?"),
        (
            "layout.mouse",
            "unknown key here; mouse belongs at the top, before any [table]",
        ),
        (
            "list_widht",
            "unknown key; did you mean list_width, which belongs under [layout]?",
        ),
        ("moose", "unknown key; did you mean mouse?"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|&(k, m)| (k.to_owned(), m.to_owned()))
        .collect();
    assert_eq!(said, want);
}

/// Every key of config.example.toml is one an unknown key is compared with: a key with
/// one letter dropped is said to mistype it, at the top and in its table.
#[test]
fn every_example_key_is_suggested_for_a_typo_of_it() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let text = std::fs::read_to_string(example).unwrap();
    let table: toml::Table = text.parse().unwrap();
    let mut keys = Vec::new();
    for (key, value) in &table {
        keys.push((String::new(), key.clone()));
        // [keys] holds actions, checked by the keymap, not config keys.
        if let (Some(inner), false) = (value.as_table(), key == "keys") {
            keys.extend(inner.keys().map(|k| (key.clone(), k.clone())));
        }
    }
    assert!(keys.len() >= 8, "{keys:?}");
    for (table, key) in keys {
        let typo = &key[..key.len() - 1];
        let text = if table.is_empty() {
            format!("{typo} = 1\n")
        } else {
            format!("[{table}]\n{typo} = 1\n")
        };
        let (_, problems) = config::parse(&text, Path::new("/"));
        assert!(
            problems
                .iter()
                .any(|p| p.message == format!("unknown key; did you mean {key}?")),
            "{text:?}: {problems:?}"
        );
    }
}

#[test]
fn example_config_is_valid_and_matches_the_defaults() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let (config, problems) = config::load_file(&example);
    assert_eq!(problems, vec![]);
    assert_eq!(config, Config::default());
}

#[test]
fn load_reads_config_toml_from_the_folder_and_resolves_relative_paths_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (config, problems) = config::load(Some(dir.path()));
    assert_eq!((config, problems), (Config::default(), vec![]));

    std::fs::write(
        dir.path().join("config.toml"),
        "library = [\"papers\"]\ntheme = \"light\"\n",
    )
    .expect("write config");
    let (config, problems) = config::load(Some(dir.path()));
    assert_eq!(problems, vec![]);
    assert_eq!(config.library, vec![dir.path().join("papers")]);
    assert_eq!(config.theme, Theme::Light);
    // A sibling of the config folder is named as such, not `cfg/../lib` (ut24d).
    std::fs::write(
        dir.path().join("config.toml"),
        "library = [\"../lib\", \"./here/./x\"]\n",
    )
    .expect("write config");
    let (config, _) = config::load(Some(dir.path()));
    let real = dir.path().canonicalize().expect("real path");
    assert_eq!(
        config.library,
        vec![
            real.parent().expect("a parent").join("lib"),
            real.join("here/x")
        ]
    );

    // A config.toml that cannot be read as a file: one problem, defaults.
    let dir2 = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir2.path().join("config.toml")).expect("mkdir");
    let (config, problems) = config::load(Some(dir2.path()));
    assert_eq!(config, Config::default());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].key, "config.toml");
}

/// The only test in this binary that touches these variables, so setting them cannot race
/// with another test reading them.
#[test]
fn config_dir_precedence() {
    let home = home();
    // SAFETY (edition 2024 makes env mutation unsafe): no other test in this binary reads
    // TOMES_CONFIG_DIR or XDG_CONFIG_HOME.
    unsafe {
        std::env::set_var("TOMES_CONFIG_DIR", "/tmp/tomes-explicit");
        std::env::set_var("XDG_CONFIG_HOME", "/tmp/xdg");
    }
    assert_eq!(
        config::config_dir(),
        Some(PathBuf::from("/tmp/tomes-explicit"))
    );
    unsafe {
        std::env::set_var("TOMES_CONFIG_DIR", "");
    }
    assert_eq!(config::config_dir(), Some(PathBuf::from("/tmp/xdg/tomes")));
    unsafe {
        std::env::remove_var("TOMES_CONFIG_DIR");
        std::env::set_var("XDG_CONFIG_HOME", "relative/xdg");
    }
    assert_eq!(config::config_dir(), Some(home.join(".config/tomes")));
    unsafe {
        std::env::remove_var("XDG_CONFIG_HOME");
    }
    assert_eq!(config::config_dir(), Some(home.join(".config/tomes")));
}

/// A user test: `serch = "/"` under [keys] was `config.toml: keys.serch: unknown action
/// "serch"`, with no line and no word of `search`. An unknown action is named with its
/// line and the action it likely mistypes (none when nothing is near), and left out of the
/// keys read, so the keymap does not name it a second time.
#[test]
fn an_unknown_action_names_its_line_and_the_action_it_likely_mistypes() {
    let text = "theme = \"dark\"\n\n[keys]\nserch = \"/\"\nquit = \"q\"\nteleport = \"t\"\ntoggle_bookmrak = \"m\"\n";
    let (config, problems) = config::parse(text, Path::new("/etc/tomes-test"));
    assert_eq!(config.keys.keys().collect::<Vec<_>>(), ["quit"]);
    let said: Vec<(&str, Option<usize>, &str)> = problems
        .iter()
        .map(|p| (p.key.as_str(), p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            (
                "keys.serch",
                Some(4),
                "unknown action \"serch\"; did you mean search?"
            ),
            (
                "keys.teleport",
                Some(6),
                "unknown action \"teleport\" (the actions are in config.example.toml)"
            ),
            (
                "keys.toggle_bookmrak",
                Some(7),
                "unknown action \"toggle_bookmrak\"; did you mean toggle_bookmark?"
            ),
        ]
    );
    let (_, keymap_problems) = tomes::app::Keymap::with_overrides(&config.keys);
    assert!(keymap_problems.is_empty(), "{keymap_problems:?}");
    // Shown at its line, the file named once.
    assert_eq!(
        problems[0].in_file(Path::new("/tmp/x/config.toml")),
        "/tmp/x/config.toml:4: keys.serch: unknown action \"serch\"; did you mean search?"
    );
}

/// A user test wrote `keys.bookmark` and was offered only `bookmarks`, by spelling: a name
/// is also offered where its words hold the word typed (toggle_bookmark), the spelling's
/// suggestion kept; the same for the config's own keys (`width`: list_width).
#[test]
fn did_you_mean_offers_names_holding_the_word_typed_as_well_as_spellings() {
    let text = "width = 50\n[layout]\nwidth = 50\n[keys]\nbookmark = \"m\"\nhalf_down = \"d\"\n\
                serch = \"/\"\n";
    let (_, problems) = config::parse(text, Path::new("/"));
    let said: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.key.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            (
                "width",
                "unknown key; did you mean list_width, which belongs under [layout]?"
            ),
            ("layout.width", "unknown key; did you mean list_width?"),
            (
                "keys.bookmark",
                "unknown action \"bookmark\"; did you mean toggle_bookmark, \
                 undo_bookmark_removal or bookmarks?"
            ),
            (
                "keys.half_down",
                "unknown action \"half_down\"; did you mean half_page_down?"
            ),
            (
                "keys.serch",
                "unknown action \"serch\"; did you mean search?"
            ),
        ]
    );
}

/// A key a user's binding takes from a default action is said when that action has no key
/// left (a user test bound `b` to search and bookmarking had no key, unsaid), keyed by the
/// binding's line in config.toml; a take that leaves it a key is the user's choice.
#[test]
fn a_key_taken_from_a_default_action_is_said_when_it_has_none_left() {
    let text = "[keys]\nsearch = \"b\"\nopen = [\"o\", \"j\"]\n";
    let (config, problems) = config::parse(text, Path::new("/"));
    assert!(problems.is_empty(), "{problems:?}");
    let (_, taken) = tomes::app::Keymap::with_overrides(&config.keys);
    let said: Vec<(&str, &str)> = taken
        .iter()
        .map(|p| (p.key.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        said,
        [(
            "keys.search",
            "takes \"b\" from toggle_bookmark, which has no key left; give it one in [keys]"
        )]
    );
}

/// A config that is not UTF-8 says where, at its line: a user test read only "cannot read:
/// stream did not contain valid UTF-8".
#[test]
fn a_config_not_utf8_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    std::fs::write(&file, b"theme = \"dark\"\n# caf\xe9\nmouse = true\n").unwrap();
    let (config, problems) = config::load_file(&file);
    assert_eq!(config, Config::default());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        problems[0].in_file(&file),
        format!(
            "{}:2: not UTF-8 at column 6 (byte 21): save the file as UTF-8; every setting is \
             at its default until this is fixed",
            file.display()
        )
    );
}
