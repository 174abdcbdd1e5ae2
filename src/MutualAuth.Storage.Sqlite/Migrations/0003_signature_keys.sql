CREATE TABLE signature_key (
    key_id TEXT NOT NULL PRIMARY KEY,
    client TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    public_key BLOB,
    sealed_secret BLOB,
    created_at TEXT NOT NULL,
    not_after TEXT,
    revoked_at TEXT
);

CREATE INDEX signature_key_client ON signature_key (client);

CREATE TABLE replay_value (
    scope TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (scope, value)
);

CREATE INDEX replay_value_expires ON replay_value (expires_at);
