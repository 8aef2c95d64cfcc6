//! tomes: a terminal browser for biomedical papers.
//!
//! Data flow: files -> [`formats`] (one parser per format) -> [`library`] (find, parse in
//! parallel, merge records of the same paper) -> [`index`] (entity links) and [`search`]
//! (query language, worker thread) -> the TUI's state and render functions.

pub mod abstracts;
pub mod app;
pub mod bench;
pub mod bookmarks;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod export;
pub mod fold;
pub mod foreground;
pub mod formats;
pub mod index;
pub mod input;
pub mod library;
pub mod links;
pub mod loading;
pub mod model;
pub mod safe_text;
pub mod search;
pub mod spelling;
pub mod threads;
pub mod tui;
pub mod ui;
pub mod watch;
