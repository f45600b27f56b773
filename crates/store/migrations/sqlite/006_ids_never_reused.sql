-- sqlite: foreign keys off
-- Ids are never given twice: without AUTOINCREMENT SQLite hands the next insert the largest id
-- plus one, so after the newest meeting is deleted its id went to the next meeting and
-- "meeting:200" in the audit log named two records. Each table with an integer id is rebuilt
-- with AUTOINCREMENT (the documented way to change a table's definition): created anew,
-- copied, the old one dropped and the new one renamed, its indexes made again. The runner
-- switches foreign keys off around this migration and checks them before it commits.
CREATE TABLE orgs__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id INTEGER REFERENCES orgs(id),
    path TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    unit_kind TEXT NOT NULL,
    founded_on TEXT,
    term_start TEXT,
    term_years INTEGER,
    full_count INTEGER NOT NULL DEFAULT 0,
    probationary_count INTEGER NOT NULL DEFAULT 0,
    other_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO orgs__new SELECT * FROM orgs;
DROP TABLE orgs;
ALTER TABLE orgs__new RENAME TO orgs;
CREATE INDEX orgs_parent ON orgs(parent_id, name);
CREATE TABLE members__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date TEXT,
    id_enc TEXT NOT NULL,
    id_bidx TEXT NOT NULL UNIQUE,
    phone_enc TEXT,
    phone_bidx TEXT,
    status TEXT NOT NULL,
    joined_on TEXT,
    full_on TEXT,
    department TEXT,
    post TEXT,
    party_duty TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    left_on TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
, rights_suspended INTEGER NOT NULL DEFAULT 0);
INSERT INTO members__new SELECT * FROM members;
DROP TABLE members;
ALTER TABLE members__new RENAME TO members;
CREATE INDEX members_org ON members(org_id, active, name);
CREATE INDEX members_name ON members(name);
CREATE INDEX members_phone ON members(phone_bidx);
CREATE TABLE committee_seats__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    role TEXT NOT NULL,
    duty TEXT,
    since TEXT,
    UNIQUE (org_id, member_id)
);
INSERT INTO committee_seats__new SELECT * FROM committee_seats;
DROP TABLE committee_seats;
ALTER TABLE committee_seats__new RENAME TO committee_seats;
CREATE TABLE changes__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    account_id INTEGER,
    username TEXT NOT NULL,
    summary TEXT NOT NULL
);
INSERT INTO changes__new SELECT * FROM changes;
DROP TABLE changes;
ALTER TABLE changes__new RENAME TO changes;
CREATE INDEX changes_entity ON changes(entity, entity_id, at);
CREATE TABLE accounts__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    password_changed_at INTEGER NOT NULL,
    must_change INTEGER NOT NULL DEFAULT 0,
    failed_count INTEGER NOT NULL DEFAULT 0,
    last_failed_at INTEGER,
    member_id INTEGER REFERENCES members(id),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
INSERT INTO accounts__new SELECT * FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts__new RENAME TO accounts;
CREATE TABLE grants__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    org_id INTEGER REFERENCES orgs(id)
);
INSERT INTO grants__new SELECT * FROM grants;
DROP TABLE grants;
ALTER TABLE grants__new RENAME TO grants;
CREATE INDEX grants_account ON grants(account_id);
CREATE TABLE audit_log__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    account_id INTEGER,
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    result TEXT NOT NULL,
    detail TEXT NOT NULL
);
INSERT INTO audit_log__new SELECT * FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log__new RENAME TO audit_log;
CREATE INDEX audit_at ON audit_log(at);
CREATE TABLE plans__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    summary TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (org_id, year)
);
INSERT INTO plans__new SELECT * FROM plans;
DROP TABLE plans;
ALTER TABLE plans__new RENAME TO plans;
CREATE TABLE goals__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    title TEXT NOT NULL,
    department TEXT,
    is_key INTEGER NOT NULL DEFAULT 0,
    weight REAL NOT NULL DEFAULT 1,
    parent_goal_id INTEGER REFERENCES goals(id),
    stated_by TEXT,
    created_at INTEGER NOT NULL
);
INSERT INTO goals__new SELECT * FROM goals;
DROP TABLE goals;
ALTER TABLE goals__new RENAME TO goals;
CREATE INDEX goals_plan ON goals(plan_id);
CREATE TABLE kpis__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    goal_id INTEGER NOT NULL REFERENCES goals(id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    direction TEXT NOT NULL,
    range_low REAL,
    range_high REAL,
    baseline REAL NOT NULL,
    target REAL NOT NULL
);
INSERT INTO kpis__new SELECT * FROM kpis;
DROP TABLE kpis;
ALTER TABLE kpis__new RENAME TO kpis;
CREATE INDEX kpis_goal ON kpis(goal_id);
CREATE TABLE kpi_values__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kpi_id INTEGER NOT NULL REFERENCES kpis(id),
    month TEXT NOT NULL,
    value REAL NOT NULL,
    source TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at INTEGER NOT NULL,
    UNIQUE (kpi_id, month)
);
INSERT INTO kpi_values__new SELECT * FROM kpi_values;
DROP TABLE kpi_values;
ALTER TABLE kpi_values__new RENAME TO kpi_values;
CREATE TABLE items__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    owner_member_id INTEGER REFERENCES members(id),
    starts_on TEXT,
    ends_on TEXT,
    created_at INTEGER NOT NULL
);
INSERT INTO items__new SELECT * FROM items;
DROP TABLE items;
ALTER TABLE items__new RENAME TO items;
CREATE INDEX items_plan ON items(plan_id);
CREATE TABLE links__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES items(id),
    goal_id INTEGER NOT NULL REFERENCES goals(id),
    junction TEXT NOT NULL,
    kind TEXT NOT NULL,
    UNIQUE (item_id, goal_id)
);
INSERT INTO links__new SELECT * FROM links;
DROP TABLE links;
ALTER TABLE links__new RENAME TO links;
CREATE INDEX links_goal ON links(goal_id);
CREATE TABLE tasks__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    item_id INTEGER REFERENCES items(id),
    goal_id INTEGER REFERENCES goals(id),
    title TEXT NOT NULL,
    assignee_member_id INTEGER REFERENCES members(id),
    business_owner TEXT,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL,
    percent INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO tasks__new SELECT * FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks__new RENAME TO tasks;
CREATE INDEX tasks_plan ON tasks(plan_id, deadline);
CREATE INDEX tasks_assignee ON tasks(assignee_member_id, status, deadline);
CREATE TABLE task_updates__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    at INTEGER NOT NULL,
    username TEXT NOT NULL,
    percent INTEGER NOT NULL,
    note TEXT,
    attachment_id INTEGER
);
INSERT INTO task_updates__new SELECT * FROM task_updates;
DROP TABLE task_updates;
ALTER TABLE task_updates__new RENAME TO task_updates;
CREATE INDEX task_updates_task ON task_updates(task_id, at);
CREATE TABLE attachments__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    stored_name TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    at INTEGER NOT NULL
);
INSERT INTO attachments__new SELECT * FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments__new RENAME TO attachments;
CREATE TABLE meetings__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    topic TEXT NOT NULL,
    content TEXT,
    decisions TEXT,
    entitled INTEGER NOT NULL,
    present INTEGER NOT NULL,
    quorum_met INTEGER,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO meetings__new SELECT * FROM meetings;
DROP TABLE meetings;
ALTER TABLE meetings__new RENAME TO meetings;
CREATE INDEX meetings_org ON meetings(org_id, held_on, kind, quorum_met);
CREATE TABLE task_milestones__new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    position INTEGER NOT NULL
);
INSERT INTO task_milestones__new SELECT * FROM task_milestones;
DROP TABLE task_milestones;
ALTER TABLE task_milestones__new RENAME TO task_milestones;
CREATE INDEX task_milestones_task ON task_milestones(task_id, position);
