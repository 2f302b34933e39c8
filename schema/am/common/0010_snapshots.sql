-- Consistent slice snapshots (snapshot/): one row per complete snapshot; its files (node memory
-- images, channel logs as pcap) live under `directory`. A row is written only after every file,
-- in one transaction, so nothing half-written is ever listed. `detail` is JSON: the nodes (memory
-- file, bytes, QEMU downtime) and channels (node, link, port, namespace, bridge, pcap, frames).
CREATE TABLE snapshots (
  id              TEXT PRIMARY KEY,
  slice_urn       TEXT NOT NULL,
  mode            TEXT NOT NULL,
  state           TEXT NOT NULL,
  created         TEXT NOT NULL,
  directory       TEXT NOT NULL,
  bytes           BIGINT NOT NULL,
  frames          BIGINT NOT NULL,
  duration_ms     DOUBLE PRECISION NOT NULL,
  interruption_ms DOUBLE PRECISION NOT NULL,
  detail          TEXT NOT NULL
);
CREATE INDEX snapshots_by_slice ON snapshots (slice_urn, created);
