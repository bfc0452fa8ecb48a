//! The survey after a resolution: was it really fixed, a 1–5 rating, a comment. The citizen
//! answers on the tracking page or by replying to the result's message (SMS, Zalo,
//! Messenger); a rating is recorded as the ticket's rating (the satisfaction index's
//! ratings), and "not fixed" — like a rating of 2 or less — reopens the ticket with the
//! citizen's words as the reason (the index's reopen rate).

use super::public::{PublicTicket, REOPEN_AT_OR_BELOW};
use super::{ServiceError, ServiceResult, Tickets};
use crate::domain::status::{Action, Actor};
use crate::domain::{Principal, Rating, Status, Ticket, ValidationErrors};

/// A survey answer, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyAnswer {
    pub fixed: bool,
    pub rating: Option<Rating>,
    pub comment: Option<String>,
}

/// Longest survey comment.
pub const MAX_COMMENT_CHARS: usize = 2000;

impl SurveyAnswer {
    /// A fixed problem needs its rating; a comment is at most [`MAX_COMMENT_CHARS`].
    pub fn new(fixed: bool, rating: Option<i64>, comment: Option<String>) -> Result<Self, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let rating = match rating {
            Some(r) => errs.take(Rating::parse(r, "rating")),
            None if fixed => {
                errs.push("rating", "rate the result from 1 to 5");
                None
            }
            None => None,
        };
        let comment = comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
        if comment.as_ref().is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS) {
            errs.push("comment", "at most 2 000 characters");
        }
        errs.into_result()?;
        Ok(Self { fixed, rating, comment })
    }

    /// A reply to the result's message: `5`, `4 cảm ơn`, `0 vẫn còn rác` (0: not fixed),
    /// `chưa …`, or `không` alone. Anything else is not an answer (it may be a new report).
    pub fn from_reply(text: &str) -> Option<Self> {
        let t = text.trim();
        let (head, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
        let head = head.trim_end_matches(['.', ',', '!', ':', '/']);
        let comment = Some(rest.trim().to_owned()).filter(|c| !c.is_empty());
        match head {
            "0" => Some(Self { fixed: false, rating: None, comment }),
            "1" | "2" | "3" | "4" | "5" => {
                let r = head.parse::<i64>().ok()?;
                Some(Self { fixed: true, rating: Rating::parse(r, "rating").ok(), comment })
            }
            _ => {
                // "Chưa …" opens a reply, hardly a report; "không" opens many reports, so it
                // counts only alone.
                let first = crate::domain::sms::unaccent(&head.to_lowercase());
                let whole = crate::domain::sms::unaccent(&t.to_lowercase());
                let whole = whole.trim_end_matches(['.', '!']);
                let not_fixed = first == "chua" || ["khong", "not fixed", "no"].contains(&whole);
                not_fixed.then(|| Self { fixed: false, rating: None, comment: Some(t.to_owned()) })
            }
        }
    }
}

impl Tickets {
    /// The citizen answers the survey of their resolved report (with its tracking token).
    pub async fn answer_survey(&self, code: &str, token: &str, a: SurveyAnswer) -> ServiceResult<PublicTicket> {
        let t = self.tracked(code, token).await?;
        self.record_survey(&t, &a).await?;
        let t = self.store.ticket(t.id).await?.ok_or_else(|| ServiceError::NotFound(code.to_owned()))?;
        self.public_ticket(t).await
    }

    /// Records an answer: the rating, then the reopening if it was not fixed (or rated low).
    /// Only a resolved report that has no rating yet takes an answer.
    pub(crate) async fn record_survey(&self, t: &Ticket, a: &SurveyAnswer) -> ServiceResult<()> {
        if !matches!(t.status, Status::Resolved | Status::Closed) || t.rating.is_some() {
            return Err(ServiceError::Conflict(format!(
                "report {} has no survey waiting: it is not resolved, or was already answered",
                t.code.as_str()
            )));
        }
        let citizen = |_: &Ticket| Ok(Actor::Citizen);
        let mut status = t.status;
        if let Some(rating) = a.rating {
            let rate = Action::Rate { rating, comment: a.comment.clone() };
            status = self.act(t.id, &rate, &Principal::Public, None, citizen).await?.0.status;
        }
        let low = a.rating.is_some_and(|r| r.get() <= REOPEN_AT_OR_BELOW);
        if (!a.fixed || low) && status == Status::Resolved || (!a.fixed && status == Status::Closed) {
            let words = a.comment.as_deref().unwrap_or("không có nhận xét");
            let reason = match (a.fixed, a.rating) {
                (false, _) => format!("Khảo sát: người dân cho biết sự việc chưa được khắc phục: {words}"),
                (true, Some(r)) => format!("Người dân đánh giá {}/5: {words}", r.get()),
                (true, None) => unreachable!("a fixed answer has its rating"),
            };
            self.act(t.id, &Action::Reopen { reason }, &Principal::Public, None, citizen).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_read_as_answers_and_anything_else_is_not() {
        let a = SurveyAnswer::from_reply(" 5 cảm ơn anh em phường ").unwrap();
        assert!(a.fixed);
        assert_eq!(a.rating.map(Rating::get), Some(5));
        assert_eq!(a.comment.as_deref(), Some("cảm ơn anh em phường"));
        let b = SurveyAnswer::from_reply("0 vẫn còn rác").unwrap();
        assert!(!b.fixed && b.rating.is_none());
        assert_eq!(b.comment.as_deref(), Some("vẫn còn rác"));
        let c = SurveyAnswer::from_reply("Chưa sửa xong, nước vẫn ngập").unwrap();
        assert!(!c.fixed);
        assert!(SurveyAnswer::from_reply("Không.").is_some_and(|a| !a.fixed));
        assert_eq!(SurveyAnswer::from_reply("Không có đèn đường ở kiệt 12"), None);
        assert_eq!(SurveyAnswer::from_reply("Chuẩn bị có ngập"), None);
        assert_eq!(SurveyAnswer::from_reply("4.").and_then(|a| a.rating).map(Rating::get), Some(4));
        for other in ["Rác ở 12 Lê Duẩn", "16.0544,108.2022", "10", "6", "", "chúc mừng"] {
            assert_eq!(SurveyAnswer::from_reply(other), None, "{other}");
        }
    }

    #[test]
    fn a_fixed_answer_needs_its_rating() {
        assert_eq!(SurveyAnswer::new(true, None, None).unwrap_err().0[0].field, "rating");
        assert_eq!(SurveyAnswer::new(true, Some(6), None).unwrap_err().0[0].field, "rating");
        assert!(SurveyAnswer::new(false, None, Some("  ".into())).unwrap().comment.is_none());
        assert_eq!(SurveyAnswer::new(false, None, Some("x".repeat(2001))).unwrap_err().0[0].field, "comment");
    }
}
