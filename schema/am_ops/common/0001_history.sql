-- The aggregate's operational history for GMOC and `federa admin whohad` (gmoc/history.h), kept
-- in the AM's own database beside schema/am. Append-only: a binding is inserted when a sliver is
-- first seen holding a unit and only ever gets its until_at set, when the sliver is gone.
-- Times: RFC 3339 text of fixed width (text order is time order); samples: microseconds.

CREATE TABLE ops_bindings (
  kind       TEXT NOT NULL,               -- 'host', 'vlan', 'ip', 'mac'
  value      TEXT NOT NULL,               -- host URN, VLAN tag, IP or MAC address
  resource   TEXT NOT NULL DEFAULT '',    -- VLAN: the segment (site or link URN); address: interface
  slice_urn  TEXT NOT NULL,
  sliver_urn TEXT NOT NULL,
  users      TEXT NOT NULL DEFAULT '[]',  -- JSON array of user URNs of the slice at the time
  from_at    TEXT NOT NULL,
  until_at   TEXT,                        -- NULL while the sliver holds it
  PRIMARY KEY (sliver_urn, kind, value, resource)
);
CREATE INDEX ops_bindings_by_value ON ops_bindings (kind, value);
CREATE INDEX ops_bindings_by_until ON ops_bindings (until_at);

CREATE TABLE ops_samples (
  object_type TEXT NOT NULL,
  object_id   TEXT NOT NULL,
  metric      TEXT NOT NULL,
  at_us       BIGINT NOT NULL,
  value       DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (object_type, object_id, metric, at_us)
);
CREATE INDEX ops_samples_by_time ON ops_samples (at_us);
