-- Test-only schema for the store's own tests: scarce resources and typed values.
CREATE TABLE holds (
  resource INTEGER PRIMARY KEY,  -- held at most once
  holder TEXT NOT NULL
);
CREATE TABLE pools (
  name TEXT PRIMARY KEY,
  capacity INTEGER NOT NULL,
  used INTEGER NOT NULL
);
CREATE TABLE ledger (            -- every transaction writes both parts of a group, or neither
  grp BIGINT NOT NULL,
  part INTEGER NOT NULL,
  PRIMARY KEY (grp, part)
);
CREATE TABLE samples (
  id INTEGER PRIMARY KEY,
  i BIGINT,
  d DOUBLE PRECISION,
  t TEXT,
  b BOOLEAN
);
