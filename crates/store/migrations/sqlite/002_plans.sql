CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    summary TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (org_id, year)
);

CREATE TABLE goals (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    title TEXT NOT NULL,
    department TEXT,
    is_key INTEGER NOT NULL DEFAULT 0,
    weight REAL NOT NULL DEFAULT 1,
    parent_goal_id INTEGER REFERENCES goals(id),
    stated_by TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX goals_plan ON goals(plan_id);

CREATE TABLE kpis (
    id INTEGER PRIMARY KEY,
    goal_id INTEGER NOT NULL REFERENCES goals(id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    direction TEXT NOT NULL,
    range_low REAL,
    range_high REAL,
    baseline REAL NOT NULL,
    target REAL NOT NULL
);
CREATE INDEX kpis_goal ON kpis(goal_id);

CREATE TABLE kpi_values (
    id INTEGER PRIMARY KEY,
    kpi_id INTEGER NOT NULL REFERENCES kpis(id),
    month TEXT NOT NULL,
    value REAL NOT NULL,
    source TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at INTEGER NOT NULL,
    UNIQUE (kpi_id, month)
);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    owner_member_id INTEGER REFERENCES members(id),
    starts_on TEXT,
    ends_on TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX items_plan ON items(plan_id);

CREATE TABLE item_participants (
    item_id INTEGER NOT NULL REFERENCES items(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    PRIMARY KEY (item_id, member_id)
);

CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    goal_id INTEGER NOT NULL REFERENCES goals(id),
    junction TEXT NOT NULL,
    kind TEXT NOT NULL,
    UNIQUE (item_id, goal_id)
);
CREATE INDEX links_goal ON links(goal_id);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
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
CREATE INDEX tasks_plan ON tasks(plan_id, deadline);
CREATE INDEX tasks_assignee ON tasks(assignee_member_id, status, deadline);

CREATE TABLE task_updates (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    at INTEGER NOT NULL,
    username TEXT NOT NULL,
    percent INTEGER NOT NULL,
    note TEXT,
    attachment_id INTEGER
);
CREATE INDEX task_updates_task ON task_updates(task_id, at);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    stored_name TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    at INTEGER NOT NULL
);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
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
CREATE INDEX meetings_org ON meetings(org_id, held_on);

CREATE TABLE meeting_people (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    present INTEGER NOT NULL,
    reason TEXT,
    PRIMARY KEY (meeting_id, member_id)
);

CREATE TABLE meeting_goals (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    goal_id INTEGER NOT NULL REFERENCES goals(id),
    PRIMARY KEY (meeting_id, goal_id)
);
CREATE INDEX meeting_goals_goal ON meeting_goals(goal_id)
