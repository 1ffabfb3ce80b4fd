-- Dorsum store, SQLite. Every table carries user_id ('local' for the single-user command line) so
-- accounts can come later without a rewrite. Dates are ISO 8601 civil dates (YYYY-MM-DD); timestamps are
-- RFC 3339 UTC with six fractional digits, so text order is time order. STRICT tables reject values of
-- the wrong type; the CHECKs repeat the store's own validation as a last line of defence.

CREATE TABLE assessments (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL DEFAULT 'local',
    created_at   TEXT NOT NULL,
    kb_version   TEXT NOT NULL,
    triage_level TEXT NOT NULL,
    region       TEXT NOT NULL,
    pain         INTEGER CHECK (pain BETWEEN 0 AND 10),
    result       TEXT NOT NULL CHECK (json_valid(result) AND json_type(result) = 'object'),
    evidence     TEXT NOT NULL CHECK (json_valid(evidence))
) STRICT;
CREATE INDEX assessments_by_user ON assessments (user_id, created_at, id);

CREATE TABLE diary_entries (
    id         TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL DEFAULT 'local',
    date       TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    pain       INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
    region     TEXT,
    sessions   INTEGER NOT NULL DEFAULT 0 CHECK (sessions BETWEEN 0 AND 4294967295),
    symptoms   TEXT,
    note       TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX diary_entries_by_user ON diary_entries (user_id, date, id);

CREATE TABLE peg_entries (
    id         TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL DEFAULT 'local',
    date       TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    pain       INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
    enjoyment  INTEGER NOT NULL CHECK (enjoyment BETWEEN 0 AND 10),
    activity   INTEGER NOT NULL CHECK (activity BETWEEN 0 AND 10),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX peg_entries_by_user ON peg_entries (user_id, date, id);

CREATE TABLE psfs_entries (
    id         TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL DEFAULT 'local',
    date       TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX psfs_entries_by_user ON psfs_entries (user_id, date, id);

CREATE TABLE psfs_activities (
    entry_id TEXT NOT NULL REFERENCES psfs_entries (id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL DEFAULT 'local',
    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 5),
    name     TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    score    INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    PRIMARY KEY (entry_id, position)
) STRICT;
CREATE INDEX psfs_activities_by_user ON psfs_activities (user_id);
