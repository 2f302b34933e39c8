-- Hosts an operator drained: they keep their slivers and get no new ones. In the store (not in
-- one process's memory) so that every AM process and `federa admin` agree.
CREATE TABLE drained_hosts (
  host_urn TEXT PRIMARY KEY,
  since    TEXT NOT NULL
);
