-- Feedback published in newspapers: the article a ticket (channel 'press') was opened from.
-- Public: the press published it.
CREATE TABLE press_articles (
    ticket_id    uuid PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    newspaper    text NOT NULL,
    published_on date NOT NULL,
    url          text,
    title        text NOT NULL
);
CREATE INDEX press_articles_published_idx ON press_articles (published_on);
