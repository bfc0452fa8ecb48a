//! [`PressStore`]: the newspaper articles press tickets were opened from.

use async_trait::async_trait;

use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore};
use super::{StoreError, StoreResult};
use crate::domain::TicketId;
use crate::domain::press::PressArticle;

#[async_trait]
pub trait PressStore: Send + Sync {
    /// Stores, or replaces, the article ticket `id` was opened from.
    /// [`StoreError::NotFound`] if there is no such ticket.
    async fn put_press_article(&self, id: TicketId, article: &PressArticle) -> StoreResult<()>;
    /// Every article with its ticket, the newest published first.
    async fn press_articles(&self) -> StoreResult<Vec<(TicketId, PressArticle)>>;
}

#[async_trait]
impl<D: Dialect> PressStore for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn put_press_article(&self, id: TicketId, a: &PressArticle) -> StoreResult<()> {
        let done = self
            .execute_write(
                D::query(
                    "INSERT INTO press_articles (ticket_id, newspaper, published_on, url, title) \
                     SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM tickets WHERE id = $1) \
                     ON CONFLICT (ticket_id) DO UPDATE SET newspaper = excluded.newspaper, \
                     published_on = excluded.published_on, url = excluded.url, title = excluded.title",
                )
                .arg(id)
                .arg(a.newspaper.as_str())
                .arg(a.published_on)
                .arg(a.url.as_deref())
                .arg(a.title.as_str()),
            )
            .await?;
        if done.rows() == 0 {
            return Err(StoreError::NotFound(format!("ticket {id}")));
        }
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn press_articles(&self) -> StoreResult<Vec<(TicketId, PressArticle)>> {
        let rows = D::query(
            "SELECT ticket_id, newspaper, published_on, url, title FROM press_articles \
             ORDER BY published_on DESC, ticket_id DESC",
        )
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    TicketId(r.col("press_articles.ticket_id")?),
                    PressArticle {
                        newspaper: r.col("newspaper")?,
                        published_on: r.col("press_articles.published_on")?,
                        url: r.col("url")?,
                        title: r.col("title")?,
                    },
                ))
            })
            .collect()
    }
}
