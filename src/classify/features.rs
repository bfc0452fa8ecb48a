//! The features of a free text: its syllables folded (`domain::text::fold`: no marks, no case),
//! pairs of neighbouring folded syllables, the words as written (lower-cased, with their
//! marks, which tell `mất` from `mặt`), and character trigrams of the folded words (so a typo
//! still shares most of its features). SMS shorthand (`ko`, `dc`, `ng`, `j`, `vs`…) is read as
//! the word it stands for before the pairs are formed.
//!
//! Cost: linear in the text's length; only the first [`MAX_CHARS`] characters are read.

use crate::domain::text::fold;

/// Characters of a text that are read; the rest is ignored (a report says what it is about
/// early, and a huge input must not cost more than a long one).
pub const MAX_CHARS: usize = 4_000;

/// The common shorthand of SMS and chat, folded, and the folded word it stands for.
const SHORTHAND: &[(&str, &str)] = &[
    ("ko", "khong"),
    ("k", "khong"),
    ("hok", "khong"),
    ("kh", "khong"),
    ("hong", "khong"),
    ("dc", "duoc"),
    ("ng", "nguoi"),
    ("j", "gi"),
    ("bn", "ban"),
    ("vs", "voi"),
    ("r", "roi"),
    ("dg", "duong"),
    ("qa", "qua"),
    ("ntn", "nhu the nao"),
];

/// The folded syllables of a text, shorthand expanded.
fn syllables(folded: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        match SHORTHAND.iter().find(|(s, _)| *s == w) {
            Some((_, full)) => out.extend(full.split(' ')),
            None => out.push(w),
        }
    }
    out
}

/// Every feature of `text`, each as often as it occurs (the caller counts them).
pub fn features(text: &str) -> Vec<String> {
    let text: String = text.chars().take(MAX_CHARS).collect();
    let folded = fold(&text);
    let syl = syllables(&folded);
    let mut out = Vec::with_capacity(syl.len() * 6);
    for s in &syl {
        // Numbers (house numbers, kiệt numbers) say nothing of the category.
        if s.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        out.push(format!("w:{s}"));
        if s.chars().count() >= 3 {
            let padded: Vec<char> = format!("^{s}$").chars().collect();
            for g in padded.windows(3) {
                out.push(format!("c:{}", g.iter().collect::<String>()));
            }
        }
    }
    for pair in syl.windows(2) {
        if pair.iter().any(|s| s.bytes().all(|b| b.is_ascii_digit())) {
            continue;
        }
        out.push(format!("b:{} {}", pair[0], pair[1]));
    }
    let lower = text.to_lowercase();
    for w in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !w.is_ascii() {
            out.push(format!("a:{w}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::features;

    #[test]
    fn shorthand_and_unaccented_text_share_the_folded_features() {
        let a = features("Rác không ai thu gom");
        let b = features("rac ko ai thu gom");
        for f in ["w:rac", "w:khong", "b:thu gom", "b:rac khong"] {
            assert!(a.iter().any(|x| x == f), "{f} in {a:?}");
            assert!(b.iter().any(|x| x == f), "{f} in {b:?}");
        }
        assert!(a.iter().any(|x| x == "a:rác"));
        assert!(!b.iter().any(|x| x.starts_with("a:")));
    }

    #[test]
    fn numbers_are_left_out_and_huge_input_is_cut() {
        let f = features("kiệt 45 Ông Ích Khiêm");
        assert!(!f.iter().any(|x| x.contains("45")));
        let huge = "rác ".repeat(100_000);
        assert!(features(&huge).len() < 10 * super::MAX_CHARS);
        assert!(features("").is_empty());
        assert!(features("!!! ??? ...").is_empty());
    }
}
