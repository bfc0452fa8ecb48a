-- Areas carry their number of residents (the satisfaction index counts reports per 10 000).
ALTER TABLE areas ADD COLUMN population INTEGER CHECK (population IS NULL OR population >= 0);
