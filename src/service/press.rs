//! [`Press`]: feedback published in newspapers. The centre files the issue an article raised as
//! a ticket on the `press` channel with the article beside it; it is then handled and tracked
//! like any ticket. The public list "Phản ánh trên báo chí" shows each article with the
//! handling and its published result; leaders get its own figures (how many resolved, on time).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::tickets::{CreatedTicket, TicketInput};
use super::{ServiceError, ServiceResult, Tickets};
use crate::domain::press::PressArticle;
use crate::domain::privacy::redact;
use crate::domain::{Channel, Principal, Role, Status, TicketId};
use crate::store::Store;

/// Most articles in one page of the public list.
pub const MAX_PAGE: usize = 200;

/// A press ticket as the centre files it: the article, and the issue as a ticket.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PressInput {
    pub newspaper: String,
    /// `YYYY-MM-DD`.
    pub published_on: NaiveDate,
    pub url: Option<String>,
    pub title: String,
    /// The issue the article raised, where, and its category (the reporter's contact is
    /// not asked: the newspaper raised it).
    pub ticket: TicketInput,
}

/// A filed press ticket.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PressFiled {
    pub ticket: CreatedTicket,
    pub article: PressArticle,
}

/// One line of the public list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PressItem {
    pub code: String,
    #[serde(flatten)]
    pub article: PressArticle,
    /// The issue raised (personal data removed).
    pub issue: String,
    pub category_name: String,
    pub category_name_en: String,
    pub area_name: Option<String>,
    pub status: Status,
    pub received_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The published result, once resolved.
    pub result: Option<String>,
}

/// The leaders' figures of press feedback.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct PressFigures {
    pub total: usize,
    /// Resolved or closed.
    pub resolved: usize,
    /// Of those, resolved by their deadline.
    pub resolved_on_time: usize,
    /// Still open, and of those past their deadline.
    pub open: usize,
    pub overdue: usize,
    /// Rejected or marked duplicate.
    pub other: usize,
    pub by_newspaper: Vec<NewspaperFigures>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NewspaperFigures {
    pub newspaper: String,
    pub total: usize,
    pub resolved: usize,
}

/// Press feedback. Cheap to clone.
#[derive(Clone)]
pub struct Press {
    store: Arc<dyn Store>,
    tickets: Tickets,
}

impl Press {
    pub fn new(store: Arc<dyn Store>, tickets: Tickets) -> Self {
        Self { store, tickets }
    }

    /// Files the issue an article raised (admins and operators). A retry with the same
    /// idempotency key answers the same ticket and stores the article again.
    pub async fn file(&self, p: &Principal, input: PressInput, key: Option<&str>) -> ServiceResult<PressFiled> {
        if !matches!(p.role(), Some(Role::Admin | Role::Operator)) {
            return Err(match p {
                Principal::Public => ServiceError::Unauthenticated,
                _ => ServiceError::Forbidden("the call centre files press feedback".into()),
            });
        }
        let today = Utc::now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).date_naive();
        let article =
            PressArticle::new(&input.newspaper, input.published_on, input.url.as_deref(), &input.title, today, "")?;
        let mut ticket = input.ticket;
        ticket.channel = Some(Channel::Press);
        ticket.reporter = None;
        let created = self.tickets.create_ticket(ticket, p, key).await?;
        self.store.put_press_article(created.view.ticket.id, &article).await?;
        Ok(PressFiled { ticket: created, article })
    }

    async fn with_tickets(&self) -> ServiceResult<Vec<(PressArticle, crate::domain::Ticket)>> {
        let articles = self.store.press_articles().await?;
        let ids: Vec<TicketId> = articles.iter().map(|(id, _)| *id).collect();
        let mut tickets: HashMap<TicketId, crate::domain::Ticket> =
            self.store.tickets_by_ids(&ids).await?.into_iter().map(|t| (t.id, t)).collect();
        Ok(articles.into_iter().filter_map(|(id, a)| tickets.remove(&id).map(|t| (a, t))).collect())
    }

    /// The public list, the newest article first: each with the handling and, once resolved,
    /// the published result. Nothing personal (texts go through the one redaction).
    pub async fn public_list(&self, limit: usize) -> ServiceResult<Vec<PressItem>> {
        let reference = self.tickets.reference();
        let now = Utc::now();
        Ok(self
            .with_tickets()
            .await?
            .into_iter()
            .filter(|(_, t)| t.status != Status::Rejected)
            .take(limit.clamp(1, MAX_PAGE))
            .map(|(article, t)| {
                let category = reference.category(&t.category);
                PressItem {
                    code: t.code.as_str().to_owned(),
                    article,
                    issue: redact(&t.description).into_owned(),
                    category_name: category.map(|c| c.name_vi.clone()).unwrap_or_default(),
                    category_name_en: category.map(|c| c.name_en.clone()).unwrap_or_default(),
                    area_name: t.area.as_ref().and_then(|a| reference.areas.get(a, now)).map(|a| a.name.clone()),
                    status: t.status,
                    received_at: t.received_at,
                    deadline: t.deadline,
                    resolved_at: t.resolved_at,
                    result: match t.status {
                        Status::Resolved | Status::Closed => t.result.as_deref().map(|r| redact(r).into_owned()),
                        _ => None,
                    },
                }
            })
            .collect())
    }

    /// The figures of press feedback within what `p` may read (leaders: their areas).
    pub async fn figures(&self, p: &Principal) -> ServiceResult<PressFigures> {
        let reference = self.tickets.reference();
        let Some(scope) = self.tickets.scope(p, &reference) else {
            return Err(match p {
                Principal::Public => ServiceError::Unauthenticated,
                _ => ServiceError::Forbidden("this role reads no statistics".into()),
            });
        };
        let now = Utc::now();
        let mut f = PressFigures::default();
        let mut papers: BTreeMap<String, NewspaperFigures> = BTreeMap::new();
        for (a, t) in self.with_tickets().await?.into_iter().filter(|(_, t)| scope.allows(t)) {
            f.total += 1;
            let paper = papers.entry(a.newspaper.clone()).or_insert_with(|| NewspaperFigures {
                newspaper: a.newspaper.clone(),
                total: 0,
                resolved: 0,
            });
            paper.total += 1;
            match t.status {
                Status::Resolved | Status::Closed => {
                    f.resolved += 1;
                    paper.resolved += 1;
                    if !t.is_late() {
                        f.resolved_on_time += 1;
                    }
                }
                Status::Rejected | Status::Duplicate => f.other += 1,
                _ => {
                    f.open += 1;
                    if t.is_overdue(now) {
                        f.overdue += 1;
                    }
                }
            }
        }
        f.by_newspaper = papers.into_values().collect();
        f.by_newspaper.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.newspaper.cmp(&b.newspaper)));
        Ok(f)
    }
}
