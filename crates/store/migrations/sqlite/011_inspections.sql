-- 同步检查: a committee's inspection rounds over its subtree (the checklist is the template's
-- indicators, when one is named), and the findings, each with its rectification (整改): what,
-- who, by when, the evidence of closure the inspected organization submits and the
-- inspector's verification or return.
CREATE TABLE inspection_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    template_id INTEGER REFERENCES eval_templates(id),
    status TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    opened_by TEXT NOT NULL,
    closed_at INTEGER
);
CREATE INDEX inspection_rounds_org ON inspection_rounds(org_id, year);
CREATE TABLE inspection_findings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    severity TEXT NOT NULL,
    item TEXT,
    description TEXT NOT NULL,
    action TEXT NOT NULL,
    owner TEXT NOT NULL,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL,
    evidence TEXT,
    submitted_on TEXT,
    submitted_by TEXT,
    verified_on TEXT,
    verified_by TEXT,
    return_note TEXT,
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX inspection_findings_round ON inspection_findings(round_id);
CREATE INDEX inspection_findings_org ON inspection_findings(org_id, status, deadline);
