//! Feedback published in newspapers (phản ánh trên báo chí): the article a ticket was opened
//! from — which paper, when, its address and title. Public: the press published it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ValidationErrors;

/// Longest newspaper name, in characters.
pub const MAX_NEWSPAPER_CHARS: usize = 200;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 500;

/// The article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PressArticle {
    /// e.g. `Báo Đà Nẵng`, `Tuổi Trẻ`.
    pub newspaper: String,
    /// The day it was published.
    pub published_on: NaiveDate,
    /// Its address (http or https), when it is online.
    pub url: Option<String>,
    pub title: String,
}

impl PressArticle {
    /// Checks an article given at the edge; errors name `{prefix}newspaper`, … .
    pub fn new(
        newspaper: &str,
        published_on: NaiveDate,
        url: Option<&str>,
        title: &str,
        today: NaiveDate,
        prefix: &str,
    ) -> Result<Self, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let mut text = |name: &str, v: &str, max: usize| {
            let v = v.trim();
            if v.is_empty() {
                errs.push(format!("{prefix}{name}"), "must not be empty");
            } else if v.chars().count() > max {
                errs.push(format!("{prefix}{name}"), format!("must be at most {max} characters"));
            } else if v.chars().any(char::is_control) {
                errs.push(format!("{prefix}{name}"), "must not contain control characters");
            }
        };
        text("newspaper", newspaper, MAX_NEWSPAPER_CHARS);
        text("title", title, MAX_TITLE_CHARS);
        if published_on > today {
            errs.push(format!("{prefix}published_on"), "must not be in the future");
        }
        let url = url.map(str::trim).filter(|u| !u.is_empty());
        if let Some(u) = url {
            let ok = u.len() <= 2_000
                && (u.starts_with("https://") || u.starts_with("http://"))
                && !u.chars().any(|c| c.is_whitespace() || c.is_control());
            if !ok {
                errs.push(format!("{prefix}url"), "must be an http(s) address");
            }
        }
        errs.into_result()?;
        Ok(Self {
            newspaper: newspaper.trim().to_owned(),
            published_on,
            url: url.map(str::to_owned),
            title: title.trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_is_checked_naming_its_fields() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let a =
            PressArticle::new(" Báo Đà Nẵng ", day, Some("https://baodanang.vn/x.html"), "Rác ùn ứ", today, "press.")
                .unwrap();
        assert_eq!(a.newspaper, "Báo Đà Nẵng");
        let e =
            PressArticle::new("", today.succ_opt().unwrap(), Some("javascript:x"), "", today, "press.").unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["press.newspaper", "press.title", "press.published_on", "press.url"]);
    }
}
