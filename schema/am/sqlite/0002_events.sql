-- Append-only history of what happened to slices and slivers (operators, GMOC, whohad).
CREATE TABLE events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  at         TEXT NOT NULL,
  slice_urn  TEXT NOT NULL,
  sliver_urn TEXT NOT NULL DEFAULT '',
  kind       TEXT NOT NULL,
  detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_slice ON events (slice_urn, id);
