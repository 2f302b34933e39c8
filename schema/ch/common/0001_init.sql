-- The clearinghouse's state (Common Federation API v2): the member authority's members and their
-- SSH keys, the slice authority's projects, slices, memberships and the slivers aggregates
-- reported, and the aggregates registered with the federation registry. URNs are stored in
-- their canonical form and compared case-insensitively (lower(urn)). Times are RFC 3339 UTC
-- text of fixed width ("2026-11-21T05:26:54Z"), so text order is time order.

CREATE TABLE members (
  urn         TEXT PRIMARY KEY,              -- urn:publicid:IDN+<authority>+user+<username>
  username    TEXT NOT NULL UNIQUE,
  email       TEXT NOT NULL DEFAULT '',
  first_name  TEXT NOT NULL DEFAULT '',
  last_name   TEXT NOT NULL DEFAULT '',
  uid         TEXT NOT NULL UNIQUE,          -- the urn:uuid of the member's certificate
  certificate TEXT NOT NULL,                 -- PEM, issued by the member authority
  is_operator BOOLEAN NOT NULL DEFAULT FALSE,
  revoked_at  TEXT,                          -- set once: the member can no longer call
  created_at  TEXT NOT NULL
);

-- Every certificate the member authority revoked, for its certificate revocation list.
CREATE TABLE revoked_certificates (
  serial     TEXT PRIMARY KEY,               -- hex serial number
  member_urn TEXT NOT NULL REFERENCES members(urn),
  revoked_at TEXT NOT NULL
);

CREATE TABLE member_keys (
  key_id      TEXT PRIMARY KEY,              -- SHA-256 of member URN and key, hex
  member_urn  TEXT NOT NULL REFERENCES members(urn),
  public_key  TEXT NOT NULL,                 -- OpenSSH public key line
  private_key TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL
);
CREATE INDEX member_keys_by_member ON member_keys (member_urn);

CREATE TABLE projects (
  urn         TEXT PRIMARY KEY,              -- urn:publicid:IDN+<authority>+project+<name>
  name        TEXT NOT NULL UNIQUE,
  uid         TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  expires     TEXT,                          -- NULL: never
  created_at  TEXT NOT NULL
);

CREATE TABLE project_members (
  project_urn TEXT NOT NULL REFERENCES projects(urn),
  member_urn  TEXT NOT NULL REFERENCES members(urn),
  role        TEXT NOT NULL,                 -- LEAD, ADMIN, MEMBER, AUDITOR
  PRIMARY KEY (project_urn, member_urn)
);

CREATE TABLE slices (
  urn         TEXT PRIMARY KEY,              -- urn:publicid:IDN+<authority>[:<project>]+slice+<name>
  uid         TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  project_urn TEXT REFERENCES projects(urn), -- NULL when the federation uses no projects
  description TEXT NOT NULL DEFAULT '',
  owner_urn   TEXT NOT NULL REFERENCES members(urn),
  certificate TEXT NOT NULL,                 -- the slice's certificate (PEM), target of its credentials
  expires     TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX slices_by_project ON slices (project_urn);

CREATE TABLE slice_members (
  slice_urn  TEXT NOT NULL REFERENCES slices(urn),
  member_urn TEXT NOT NULL REFERENCES members(urn),
  role       TEXT NOT NULL,                  -- LEAD, ADMIN, MEMBER, AUDITOR
  PRIMARY KEY (slice_urn, member_urn)
);
CREATE INDEX slice_members_by_member ON slice_members (member_urn);

-- Slivers aggregates (or tools on their behalf) reported for a slice.
CREATE TABLE sliver_info (
  urn           TEXT PRIMARY KEY,
  slice_urn     TEXT NOT NULL REFERENCES slices(urn),
  aggregate_urn TEXT NOT NULL,
  creator_urn   TEXT NOT NULL,
  expires       TEXT,
  created_at    TEXT NOT NULL
);
CREATE INDEX sliver_info_by_slice ON sliver_info (slice_urn);

-- Aggregates the operator registered (the slice and member authorities and peers' aggregates
-- come from the configuration).
CREATE TABLE aggregates (
  urn         TEXT PRIMARY KEY,              -- urn:publicid:IDN+<authority>+authority+am
  url         TEXT NOT NULL,
  name        TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  api_version INTEGER NOT NULL DEFAULT 3,
  created_at  TEXT NOT NULL
);
