CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
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
CREATE INDEX orgs_parent ON orgs(parent_id, name);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
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
);
CREATE INDEX members_org ON members(org_id, active, name);
CREATE INDEX members_name ON members(name);
CREATE INDEX members_phone ON members(phone_bidx);

CREATE TABLE committee_seats (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    role TEXT NOT NULL,
    duty TEXT,
    since TEXT,
    UNIQUE (org_id, member_id)
);

CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    account_id INTEGER,
    username TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX changes_entity ON changes(entity, entity_id, at);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
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

CREATE TABLE password_history (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    hash TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX password_history_account ON password_history(account_id, at);

CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    org_id INTEGER REFERENCES orgs(id)
);
CREATE INDEX grants_account ON grants(account_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    ip TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    account_id INTEGER,
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    result TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_at ON audit_log(at);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
