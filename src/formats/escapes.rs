//! HTML character references in PubTator text.
//!
//! Some PubTator exports write their text as it sat in XML: species800 has `&quot;Slime
//! molds&quot;` in a title and `P&lt;0.001` in abstracts, and its offsets count those
//! references as written. The text is decoded for reading and searching, and each offset is
//! moved back by what the references before it lost, so mentions still land on their words.

use std::borrow::Cow;

/// One reference as written: where it starts and how many chars it took. Decoded, it is one
/// char.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Escape {
    /// In chars of the text as written.
    pub at: u32,
    pub chars: u32,
}

/// `text` with its character references decoded (`&quot;` `&amp;` `&lt;` `&gt;` `&apos;`,
/// numeric ones, `&#39;` `&#x27;`, and HTML's names of letters and symbols, `&eacute;`
/// `&alpha;` `&plusmn;`), and where each was, from char `first` on (`first` is
/// where `text` starts in the document's text). Anything else, `&` without a known name and
/// `;` included, is text: "AT&T" and "&c." stay as they are.
pub fn decoded<'a>(text: &'a str, first: u32, escapes: &mut Vec<Escape>) -> Cow<'a, str> {
    let Some(amp) = memchr::memchr(b'&', text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    let known = escapes.len();
    let mut out = String::new();
    // Chars of `text` before `rest`.
    let mut chars = text[..amp].chars().count() as u32;
    out.push_str(&text[..amp]);
    let mut rest = &text[amp..];
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        let before = &rest[..amp];
        chars += before.chars().count() as u32;
        out.push_str(before);
        rest = &rest[amp..];
        match reference(rest) {
            Some((c, len)) => {
                escapes.push(Escape {
                    at: first + chars,
                    chars: len as u32,
                });
                out.push(c);
                // A reference is ASCII: its bytes are its chars.
                chars += len as u32;
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                chars += 1;
                rest = &rest[1..];
            }
        }
    }
    if escapes.len() == known {
        return Cow::Borrowed(text);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `text` decoded, where its references' places are not needed (a mention's name).
pub fn decoded_text(text: &str) -> Cow<'_, str> {
    decoded(text, 0, &mut Vec::new())
}

/// The char the reference at the start of `text` stands for, and its length in bytes.
fn reference(text: &str) -> Option<(char, usize)> {
    // The longest reference read: `&#x10FFFF;`.
    let end = text.as_bytes().iter().take(10).position(|&b| b == b';')?;
    let name = &text[1..end];
    let c = match name {
        "quot" => '"',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "apos" => '\'',
        _ => match name.strip_prefix('#') {
            Some(number) => {
                let value = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(value).filter(|c| !c.is_control() || c.is_whitespace())?
            }
            None => named(name)?,
        },
    };
    Some((c, end + 1))
}

/// HTML's named references an abstract may carry beyond XML's five: accented letters
/// (`&eacute;`, ut23c's `caf&eacute; au lait`), Greek letters (`TNF-&alpha;`) and the
/// symbols of measurements (`&plusmn;`, `&deg;`, `&micro;`). A letter's name with a capital
/// is its capital (`&Eacute;`, `&Delta;`).
fn named(name: &str) -> Option<char> {
    let symbol = match name {
        "nbsp" => Some('\u{a0}'),
        "plusmn" => Some('±'),
        "deg" => Some('°'),
        "micro" => Some('µ'),
        "times" => Some('×'),
        "divide" => Some('÷'),
        "le" => Some('≤'),
        "ge" => Some('≥'),
        "ne" => Some('≠'),
        "asymp" => Some('≈'),
        "sim" => Some('∼'),
        "infin" => Some('∞'),
        "minus" => Some('−'),
        "ndash" => Some('–'),
        "mdash" => Some('—'),
        "lsquo" => Some('‘'),
        "rsquo" => Some('’'),
        "ldquo" => Some('“'),
        "rdquo" => Some('”'),
        "middot" => Some('·'),
        "bull" => Some('•'),
        "hellip" => Some('…'),
        "prime" => Some('′'),
        "sup2" => Some('²'),
        "sup3" => Some('³'),
        "frac12" => Some('½'),
        "rarr" => Some('→'),
        "larr" => Some('←'),
        "uarr" => Some('↑'),
        "darr" => Some('↓'),
        "harr" => Some('↔'),
        "copy" => Some('©'),
        "reg" => Some('®'),
        "trade" => Some('™'),
        _ => None,
    };
    if symbol.is_some() {
        return symbol;
    }
    let lower = name.to_ascii_lowercase();
    let letter = match lower.as_str() {
        "alpha" => 'α',
        "beta" => 'β',
        "gamma" => 'γ',
        "delta" => 'δ',
        "epsilon" => 'ε',
        "zeta" => 'ζ',
        "eta" => 'η',
        "theta" => 'θ',
        "iota" => 'ι',
        "kappa" => 'κ',
        "lambda" => 'λ',
        "mu" => 'μ',
        "nu" => 'ν',
        "xi" => 'ξ',
        "omicron" => 'ο',
        "pi" => 'π',
        "rho" => 'ρ',
        "sigma" => 'σ',
        "tau" => 'τ',
        "upsilon" => 'υ',
        "phi" => 'φ',
        "chi" => 'χ',
        "psi" => 'ψ',
        "omega" => 'ω',
        "aacute" => 'á',
        "eacute" => 'é',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "agrave" => 'à',
        "egrave" => 'è',
        "igrave" => 'ì',
        "ograve" => 'ò',
        "ugrave" => 'ù',
        "acirc" => 'â',
        "ecirc" => 'ê',
        "icirc" => 'î',
        "ocirc" => 'ô',
        "ucirc" => 'û',
        "auml" => 'ä',
        "euml" => 'ë',
        "iuml" => 'ï',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "atilde" => 'ã',
        "ntilde" => 'ñ',
        "otilde" => 'õ',
        "aring" => 'å',
        "aelig" => 'æ',
        "ccedil" => 'ç',
        "oslash" => 'ø',
        "szlig" if name == "szlig" => 'ß',
        _ => return None,
    };
    match name.chars().next() {
        // `&Alpha;` is a capital, `&ALPHA;` no reference.
        Some(first) if first.is_ascii_uppercase() && name[1..] == lower[1..] => {
            letter.to_uppercase().next()
        }
        _ if name == lower => Some(letter),
        _ => None,
    }
}

/// Where char `offset` of the text as written is in the decoded text: each reference
/// before it counts one char; one inside a reference is at the char it became.
pub fn decoded_offset(escapes: &[Escape], offset: u32) -> u32 {
    let mut lost = 0;
    for e in escapes {
        if offset >= e.at + e.chars {
            lost += e.chars - 1;
        } else if offset > e.at {
            // Inside: the start of the reference's char.
            return e.at - lost;
        } else {
            break;
        }
    }
    offset - lost
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_decoded_and_other_ampersands_kept() {
        let cases = [
            ("plain text", "plain text"),
            ("&quot;Slime molds&quot; among", "\"Slime molds\" among"),
            ("P&lt;0.001 and x&gt;2", "P<0.001 and x>2"),
            ("O'Hara &amp; Woiwod", "O'Hara & Woiwod"),
            ("it&apos;s &#39;a&#x27;", "it's 'a'"),
            (
                "AT&T, &c. & co; &unknown; &#xZZ; &#0;",
                "AT&T, &c. & co; &unknown; &#xZZ; &#0;",
            ),
            ("β &lt; α", "β < α"),
            ("&amp;lt;", "&lt;"),
            ("trailing &", "trailing &"),
            ("&#955;", "λ"),
            // HTML's names (ut23c's `caf&eacute;`).
            (
                "caf&eacute; au lait, TNF-&alpha;, &Delta;F508",
                "café au lait, TNF-α, ΔF508",
            ),
            (
                "5 &plusmn; 2 &deg;C, 10 &micro;m, &Eacute;tude",
                "5 ± 2 °C, 10 µm, Étude",
            ),
            (
                "&ALPHA; &Szlig; &eAcute; &unknown;",
                "&ALPHA; &Szlig; &eAcute; &unknown;",
            ),
        ];
        for (written, want) in cases {
            let mut escapes = Vec::new();
            let got = decoded(written, 0, &mut escapes);
            assert_eq!(got, want, "{written}");
            assert_eq!(
                matches!(got, Cow::Borrowed(_)),
                escapes.is_empty(),
                "{written}"
            );
        }
    }

    /// Every char of the decoded text is found from the offset it had as written.
    #[test]
    fn offsets_as_written_find_their_chars_decoded() {
        let written = "ab &quot;Cd&quot; β &lt;e";
        let mut escapes = Vec::new();
        let text = decoded(written, 10, &mut escapes).into_owned();
        assert_eq!(text, "ab \"Cd\" β <e");
        assert_eq!(
            escapes,
            [
                Escape { at: 13, chars: 6 },
                Escape { at: 21, chars: 6 },
                Escape { at: 30, chars: 4 }
            ]
        );
        let chars: Vec<char> = text.chars().collect();
        let written_chars: Vec<char> = written.chars().collect();
        // Outside references, each char as written is the same char decoded.
        let mut at = 0;
        while at < written_chars.len() {
            let offset = 10 + at as u32;
            let decoded_at = (decoded_offset(&escapes, offset) - 10) as usize;
            match escapes.iter().find(|e| e.at == offset) {
                Some(e) => {
                    assert!("\"<".contains(chars[decoded_at]), "{at}");
                    at += e.chars as usize;
                }
                None => {
                    assert_eq!(chars[decoded_at], written_chars[at], "{at}");
                    at += 1;
                }
            }
        }
        // The end of the text, and a place inside a reference.
        assert_eq!(
            decoded_offset(&escapes, 10 + written_chars.len() as u32),
            10 + 12
        );
        assert_eq!(decoded_offset(&escapes, 15), 13);
        assert_eq!(decoded_offset(&[], 7), 7);
    }
}
