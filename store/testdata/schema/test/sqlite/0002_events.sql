-- Generated keys differ by dialect.
CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT NOT NULL);
