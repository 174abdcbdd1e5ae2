CREATE TABLE certificate_authority (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    root_pem TEXT NOT NULL,
    intermediate_pem TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    crl_number BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE issued_certificate (
    serial TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    subject TEXT NOT NULL,
    sans TEXT NOT NULL,
    profile TEXT NOT NULL,
    not_before TIMESTAMPTZ NOT NULL,
    not_after TIMESTAMPTZ NOT NULL,
    certificate_pem TEXT NOT NULL,
    revoked_at TIMESTAMPTZ NULL,
    revocation_reason INTEGER NULL,
    issued_seq BIGSERIAL NOT NULL
);

CREATE INDEX issued_certificate_name ON issued_certificate (name);

-- Every node writes here; node names which one decided.
CREATE TABLE audit_event (
    id BIGSERIAL PRIMARY KEY,
    time TIMESTAMPTZ NOT NULL,
    node TEXT NOT NULL,
    decision TEXT NOT NULL,
    method TEXT NOT NULL,
    peer_address TEXT NULL,
    subject TEXT NULL,
    credential_id TEXT NULL,
    reason_code TEXT NOT NULL,
    detail TEXT NULL
);

CREATE INDEX audit_event_time ON audit_event (time);

CREATE TABLE scram_user (
    name TEXT NOT NULL,
    mechanism TEXT NOT NULL,
    salt BYTEA NOT NULL,
    iterations INTEGER NOT NULL,
    stored_key BYTEA NOT NULL,
    server_key BYTEA NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (name, mechanism)
);

CREATE TABLE signature_key (
    key_id TEXT NOT NULL PRIMARY KEY,
    client TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    public_key BYTEA,
    sealed_secret BYTEA,
    created_at TIMESTAMPTZ NOT NULL,
    not_after TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);

CREATE INDEX signature_key_client ON signature_key (client);

-- Single-use values (RFC 9421 nonces, jtis, challenges): the primary key makes the insert-if-absent atomic across nodes.
CREATE TABLE replay_value (
    scope TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope, value)
);

CREATE INDEX replay_value_expires ON replay_value (expires_at);
