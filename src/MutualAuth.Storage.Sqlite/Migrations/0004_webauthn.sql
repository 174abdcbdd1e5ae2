CREATE TABLE webauthn_credential (
    credential_id BLOB NOT NULL PRIMARY KEY,
    user_name TEXT NOT NULL,
    user_handle BLOB NOT NULL,
    public_key BLOB NOT NULL,
    sign_count INTEGER NOT NULL,
    backup_eligible INTEGER NOT NULL,
    backed_up INTEGER NOT NULL,
    aaguid TEXT NOT NULL,
    attestation_format TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
);

CREATE INDEX webauthn_credential_user ON webauthn_credential (user_name);

CREATE TABLE webauthn_challenge (
    id TEXT NOT NULL PRIMARY KEY,
    purpose TEXT NOT NULL,
    payload TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE INDEX webauthn_challenge_expires ON webauthn_challenge (expires_at);
