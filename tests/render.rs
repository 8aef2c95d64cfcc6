//! Render tests: the screen drawn into a test terminal, snapshotted as text with insta, plus
//! cell-style checks where colour carries meaning.

mod common;

use common::{buffer_text, render, state};

#[test]
fn main_screen_80x24() {
    let mut s = state();
    let buf = render(&mut s, 80, 24);
    insta::assert_snapshot!("main_80x24", buffer_text(&buf));
}
