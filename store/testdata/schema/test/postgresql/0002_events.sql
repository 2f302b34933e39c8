-- Generated keys differ by dialect.
CREATE TABLE events (id BIGSERIAL PRIMARY KEY, what TEXT NOT NULL);
