-- The aggregate manager's state: slices, their slivers, the resources slivers hold, the users
-- whose keys go onto the slice's nodes. Times are RFC 3339 UTC text of fixed width
-- ("2026-11-21T05:26:54Z"), so text order is time order.

CREATE TABLE slices (
  urn         TEXT PRIMARY KEY,
  expires     TEXT NOT NULL,                -- the latest slice credential expiry seen
  shutdown    BOOLEAN NOT NULL DEFAULT FALSE,
  shutdown_at TEXT,
  created_at  TEXT NOT NULL
);

CREATE TABLE slivers (
  urn                  TEXT PRIMARY KEY,    -- urn:publicid:IDN+<authority>+sliver+<uuid>
  slice_urn            TEXT NOT NULL REFERENCES slices(urn),
  client_id            TEXT NOT NULL,
  kind                 TEXT NOT NULL,       -- 'node' or 'link'
  component_id         TEXT NOT NULL DEFAULT '',
  component_manager_id TEXT NOT NULL DEFAULT '',
  allocation_state     TEXT NOT NULL,
  operational_state    TEXT NOT NULL,
  error                TEXT NOT NULL DEFAULT '',
  start_time           TEXT NOT NULL,
  end_time             TEXT NOT NULL,
  expires              TEXT NOT NULL,
  placement            TEXT NOT NULL DEFAULT '',  -- JSON: host and site, or the link's hops and tags
  created_at           TEXT NOT NULL
);
CREATE INDEX slivers_by_slice ON slivers (slice_urn);
CREATE INDEX slivers_by_expiry ON slivers (expires);

-- One row per unit of a scarce resource a sliver holds: a VLAN tag on a segment, a host
-- exclusively. The primary key makes double booking impossible even across AM processes.
CREATE TABLE reservations (
  resource   TEXT PRIMARY KEY,              -- 'vlan:<segment urn>:<tag>', 'host:<urn>'
  sliver_urn TEXT NOT NULL REFERENCES slivers(urn) ON DELETE CASCADE
);
CREATE INDEX reservations_by_sliver ON reservations (sliver_urn);

CREATE TABLE slice_users (
  slice_urn TEXT NOT NULL REFERENCES slices(urn),
  user_urn  TEXT NOT NULL,
  keys      TEXT NOT NULL,                  -- JSON array of SSH public keys
  PRIMARY KEY (slice_urn, user_urn)
);

-- The request each slice's slivers came from (manifests are written from it).
CREATE TABLE slice_requests (
  slice_urn  TEXT NOT NULL REFERENCES slices(urn),
  request    TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX slice_requests_by_slice ON slice_requests (slice_urn);
