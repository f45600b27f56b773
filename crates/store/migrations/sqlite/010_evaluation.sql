-- 同步考核: indicator templates (考核方案) owned by a committee for a year, saved as versions
-- (each save is a new version, a run names the version it scored), evaluation runs over the
-- committee's subtree (draft, then confirmed and locked, a correction is a new run that names
-- the one it supersedes), one result per organization, and the values people entered by hand
-- with their reason. A result keeps the indicators' inputs: its explanation is recomputed
-- from them and the version, line by line, and is the same every time.
CREATE TABLE eval_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX eval_templates_org ON eval_templates(org_id, year);
CREATE TABLE eval_template_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    template_id INTEGER NOT NULL REFERENCES eval_templates(id),
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    note TEXT,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (template_id, version)
);
CREATE TABLE eval_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version_id INTEGER NOT NULL REFERENCES eval_template_versions(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    status TEXT NOT NULL,
    supersedes_id INTEGER REFERENCES eval_runs(id),
    note TEXT,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    confirmed_at INTEGER,
    confirmed_by TEXT
);
CREATE INDEX eval_runs_org ON eval_runs(org_id, year);
CREATE TABLE eval_results (
    run_id INTEGER NOT NULL REFERENCES eval_runs(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    peer TEXT NOT NULL,
    score REAL NOT NULL,
    grade TEXT NOT NULL,
    idx REAL NOT NULL,
    g REAL NOT NULL,
    s REAL NOT NULL,
    e REAL NOT NULL,
    u1 REAL NOT NULL,
    u2 REAL NOT NULL,
    inputs TEXT NOT NULL,
    PRIMARY KEY (run_id, org_id)
);
CREATE TABLE eval_manual (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES eval_runs(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    code TEXT NOT NULL,
    input TEXT NOT NULL,
    reason TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at INTEGER NOT NULL,
    UNIQUE (run_id, org_id, code)
);
