-- Dorsum store, PostgreSQL. Every table carries user_id ('local' for the single-user command line) so
-- accounts can come later without a rewrite. The result and evidence are `json`, not `jsonb`: `json`
-- keeps the text exactly as saved (key order, spacing) and still rejects invalid JSON. The CHECKs repeat
-- the store's own validation as a last line of defence.

CREATE TABLE assessments (
    id           text PRIMARY KEY,
    user_id      text NOT NULL DEFAULT 'local',
    created_at   timestamptz NOT NULL,
    kb_version   text NOT NULL,
    triage_level text NOT NULL,
    region       text NOT NULL,
    pain         smallint CHECK (pain BETWEEN 0 AND 10),
    result       json NOT NULL CHECK (json_typeof(result) = 'object'),
    evidence     json NOT NULL
);
CREATE INDEX assessments_by_user ON assessments (user_id, created_at, id);

CREATE TABLE diary_entries (
    id         text PRIMARY KEY,
    user_id    text NOT NULL DEFAULT 'local',
    date       date NOT NULL,
    pain       smallint NOT NULL CHECK (pain BETWEEN 0 AND 10),
    region     text,
    sessions   bigint NOT NULL DEFAULT 0 CHECK (sessions BETWEEN 0 AND 4294967295),
    symptoms   text,
    note       text,
    created_at timestamptz NOT NULL
);
CREATE INDEX diary_entries_by_user ON diary_entries (user_id, date, id);

CREATE TABLE peg_entries (
    id         text PRIMARY KEY,
    user_id    text NOT NULL DEFAULT 'local',
    date       date NOT NULL,
    pain       smallint NOT NULL CHECK (pain BETWEEN 0 AND 10),
    enjoyment  smallint NOT NULL CHECK (enjoyment BETWEEN 0 AND 10),
    activity   smallint NOT NULL CHECK (activity BETWEEN 0 AND 10),
    created_at timestamptz NOT NULL
);
CREATE INDEX peg_entries_by_user ON peg_entries (user_id, date, id);

CREATE TABLE psfs_entries (
    id         text PRIMARY KEY,
    user_id    text NOT NULL DEFAULT 'local',
    date       date NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX psfs_entries_by_user ON psfs_entries (user_id, date, id);

CREATE TABLE psfs_activities (
    entry_id text NOT NULL REFERENCES psfs_entries (id) ON DELETE CASCADE,
    user_id  text NOT NULL DEFAULT 'local',
    position smallint NOT NULL CHECK (position BETWEEN 1 AND 5),
    name     text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    score    smallint NOT NULL CHECK (score BETWEEN 0 AND 10),
    PRIMARY KEY (entry_id, position)
);
CREATE INDEX psfs_activities_by_user ON psfs_activities (user_id);
