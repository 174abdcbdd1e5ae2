CREATE TABLE certificate_authority (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    root_pem TEXT NOT NULL,
    intermediate_pem TEXT NOT NULL,
    created_at TEXT NOT NULL,
    crl_number INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE issued_certificate (
    serial TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    subject TEXT NOT NULL,
    sans TEXT NOT NULL,
    profile TEXT NOT NULL,
    not_before TEXT NOT NULL,
    not_after TEXT NOT NULL,
    certificate_pem TEXT NOT NULL,
    revoked_at TEXT NULL,
    revocation_reason INTEGER NULL,
    issued_seq INTEGER NOT NULL
);

CREATE INDEX issued_certificate_name ON issued_certificate (name);

CREATE TABLE audit_event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    decision TEXT NOT NULL,
    method TEXT NOT NULL,
    peer_address TEXT NULL,
    subject TEXT NULL,
    credential_id TEXT NULL,
    reason_code TEXT NOT NULL,
    detail TEXT NULL
);

CREATE INDEX audit_event_time ON audit_event (time);
