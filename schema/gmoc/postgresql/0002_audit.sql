-- Every emergency action of the collector's operators: who, what, on what, when, with what result.
CREATE TABLE audit (
  id       BIGSERIAL PRIMARY KEY,
  at       BIGINT NOT NULL,
  operator TEXT NOT NULL,
  action   TEXT NOT NULL,
  target   TEXT NOT NULL,
  result   TEXT NOT NULL   -- JSON: each aggregate's answer
);
