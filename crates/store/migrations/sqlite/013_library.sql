-- 品牌化: brands (党建品牌) with the goals they serve and the history of their stages, and the
-- case library: cases with authors, tags, the brand, goals and items they came from, their
-- files (the original Word document and attachments, with the text read from them), the
-- steps of their review, readers' reports, and a change log that each running instance's
-- search index follows.
CREATE TABLE brands (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    slogan TEXT NOT NULL,
    description TEXT NOT NULL,
    stage TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX brands_org ON brands(org_id);
CREATE TABLE brand_goals (
    brand_id INTEGER NOT NULL REFERENCES brands(id),
    goal_id INTEGER NOT NULL REFERENCES goals(id),
    PRIMARY KEY (brand_id, goal_id)
);
CREATE TABLE brand_stages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    brand_id INTEGER NOT NULL REFERENCES brands(id),
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    by_org_id INTEGER REFERENCES orgs(id),
    by_username TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX brand_stages_brand ON brand_stages(brand_id);
CREATE TABLE library_tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    added_by_org_id INTEGER REFERENCES orgs(id),
    at INTEGER NOT NULL
);
CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT 'experience',
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    preview TEXT NOT NULL,
    pages INTEGER NOT NULL,
    status TEXT NOT NULL,
    reach TEXT,
    brand_id INTEGER REFERENCES brands(id),
    reviewer_org_id INTEGER REFERENCES orgs(id),
    decision_note TEXT,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    published_at INTEGER
);
CREATE INDEX cases_org ON cases(org_id, status);
CREATE INDEX cases_reviewer ON cases(reviewer_org_id, status);
CREATE INDEX cases_published ON cases(status, published_at);
CREATE TABLE case_authors (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    PRIMARY KEY (case_id, member_id)
);
CREATE TABLE case_tags (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (case_id, tag)
);
CREATE TABLE case_goals (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    goal_id INTEGER NOT NULL REFERENCES goals(id),
    PRIMARY KEY (case_id, goal_id)
);
CREATE TABLE case_items (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    PRIMARY KEY (case_id, item_id)
);
CREATE TABLE case_files (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    attachment_id INTEGER NOT NULL REFERENCES attachments(id),
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    pages INTEGER NOT NULL,
    PRIMARY KEY (case_id, attachment_id)
);
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    note TEXT,
    by_org_id INTEGER REFERENCES orgs(id),
    by_username TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id);
CREATE TABLE case_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    reason TEXT NOT NULL,
    by_username TEXT NOT NULL,
    at INTEGER NOT NULL,
    handled_at INTEGER,
    outcome TEXT
);
CREATE INDEX case_reports_case ON case_reports(case_id);
CREATE TABLE case_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL,
    at INTEGER NOT NULL
)
