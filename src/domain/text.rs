//! Text as people type it: Vietnamese with or without its diacritics.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case, without diacritics (đ → d), punctuation as spaces, single-spaced:
/// "Đường Trần Phú" → "duong tran phu".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfd().filter(|c| !is_combining_mark(*c)) {
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn folding_drops_marks_case_and_punctuation() {
        assert_eq!(super::fold("Đường Trần Phú, Hải Châu!"), "duong tran phu hai chau");
        assert_eq!(super::fold("So\u{31b}n Tra\u{300}"), "son tra");
        assert_eq!(super::fold("  "), "");
    }
}
