-- Feedback published in newspapers: the article a ticket (channel 'press') was opened from.
-- Public: the press published it.
CREATE TABLE press_articles (
    ticket_id    TEXT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    newspaper    TEXT NOT NULL,
    published_on TEXT NOT NULL,
    url          TEXT,
    title        TEXT NOT NULL
);
CREATE INDEX press_articles_published_idx ON press_articles (published_on);
