-- The GMOC collector's store (`federa gmoc`, gmoc/collector_store.h): what aggregates pushed and
-- how their health probes went. Times are microseconds since the epoch (BIGINT).

CREATE TABLE aggregates (
  id             TEXT PRIMARY KEY,          -- the aggregate's monitoring id
  urn            TEXT NOT NULL DEFAULT '',
  am_url         TEXT NOT NULL DEFAULT '',  -- AM API base URL (Shutdown goes to <am_url>/am/3.0)
  organization   TEXT NOT NULL DEFAULT '',
  last_seq       BIGINT NOT NULL DEFAULT 0, -- highest report sequence number applied
  last_report_at BIGINT,
  health         TEXT NOT NULL DEFAULT 'unknown',  -- up, down, unknown
  health_detail  TEXT NOT NULL DEFAULT '',
  health_at      BIGINT,
  topology       TEXT NOT NULL DEFAULT '{}'  -- JSON, as last reported
);

-- One row per report applied, in arrival order (arrival); a duplicate (aggregate_id, seq) is
-- acknowledged and not applied again.
CREATE TABLE reports (
  aggregate_id TEXT NOT NULL,
  seq          BIGINT NOT NULL,
  arrival      BIGINT NOT NULL,
  received_at  BIGINT NOT NULL,
  report_time  BIGINT NOT NULL,
  PRIMARY KEY (aggregate_id, seq)
);

-- The slices and live slivers of each aggregate as of its latest report.
CREATE TABLE slices (
  aggregate_id TEXT NOT NULL,
  urn          TEXT NOT NULL,
  expires      BIGINT NOT NULL,
  shutdown     BOOLEAN NOT NULL,
  users        TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (aggregate_id, urn)
);

CREATE TABLE slivers (
  aggregate_id      TEXT NOT NULL,
  urn               TEXT NOT NULL,
  slice_urn         TEXT NOT NULL,
  client_id         TEXT NOT NULL,
  kind              TEXT NOT NULL,
  allocation_state  TEXT NOT NULL,
  operational_state TEXT NOT NULL,
  created           BIGINT NOT NULL,
  expires           BIGINT NOT NULL,
  resource          TEXT NOT NULL,
  PRIMARY KEY (aggregate_id, urn)
);
CREATE INDEX slivers_by_slice ON slivers (slice_urn);

CREATE TABLE events (
  aggregate_id TEXT NOT NULL,
  event_id     BIGINT NOT NULL,
  at           BIGINT NOT NULL,
  slice_urn    TEXT NOT NULL,
  sliver_urn   TEXT NOT NULL,
  kind         TEXT NOT NULL,
  detail       TEXT NOT NULL,
  PRIMARY KEY (aggregate_id, event_id)
);
CREATE INDEX events_by_time ON events (at);

CREATE TABLE samples (
  aggregate_id TEXT NOT NULL,
  object_type  TEXT NOT NULL,
  object_id    TEXT NOT NULL,
  metric       TEXT NOT NULL,
  at_us        BIGINT NOT NULL,
  value        DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (aggregate_id, object_type, object_id, metric, at_us)
);
