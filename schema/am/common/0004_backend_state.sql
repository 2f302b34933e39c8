-- What the backend worker (am/provisioner) keeps per sliver besides its states: work an
-- operational action asked for and the worker has not done yet ('restart', 'update_keys'),
-- a line of progress shown by Status while a sliver is configuring, and where to log in.
ALTER TABLE slivers ADD COLUMN pending TEXT NOT NULL DEFAULT '';
ALTER TABLE slivers ADD COLUMN progress TEXT NOT NULL DEFAULT '';
ALTER TABLE slivers ADD COLUMN login TEXT NOT NULL DEFAULT '';  -- "<host>:<port>" once reachable
