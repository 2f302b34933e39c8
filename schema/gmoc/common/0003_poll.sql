-- Polling (gmoc/poller.h): where each configured aggregate's datastore answers, and how far its
-- last poll read the time series (the next poll asks from there, with an overlap).
ALTER TABLE aggregates ADD COLUMN datastore_url TEXT NOT NULL DEFAULT '';
ALTER TABLE aggregates ADD COLUMN last_poll_at BIGINT;
ALTER TABLE aggregates ADD COLUMN poll_until BIGINT;
