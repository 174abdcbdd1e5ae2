-- OAuth 2.0 clients of the built-in authorization server ('mutualauth client …').
CREATE TABLE oauth_client (
    client_id TEXT NOT NULL PRIMARY KEY CHECK (length(client_id) <= 64),
    auth_method TEXT NOT NULL,
    jwks TEXT NULL CHECK (length(jwks) <= 65536),
    scopes TEXT NOT NULL,
    certificate_subject TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Registered WebAuthn credentials (passkeys); sign_count holds the authenticator's unsigned 32-bit counter.
CREATE TABLE webauthn_credential (
    credential_id BYTEA NOT NULL PRIMARY KEY CHECK (octet_length(credential_id) <= 1023),
    user_name TEXT NOT NULL,
    user_handle BYTEA NOT NULL,
    public_key BYTEA NOT NULL,
    sign_count BIGINT NOT NULL CHECK (sign_count BETWEEN 0 AND 4294967295),
    backup_eligible BOOLEAN NOT NULL,
    backed_up BOOLEAN NOT NULL,
    aaguid UUID NOT NULL,
    attestation_format TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NULL
);

CREATE INDEX webauthn_credential_user ON webauthn_credential (user_name);

-- Single-use WebAuthn values (ceremony challenges, enrolment invitations): taken with one DELETE … RETURNING, so a value
-- issued by one node is used once across all nodes.
CREATE TABLE webauthn_challenge (
    id TEXT NOT NULL PRIMARY KEY CHECK (length(id) <= 128),
    purpose TEXT NOT NULL,
    payload TEXT NOT NULL CHECK (length(payload) <= 65536),
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX webauthn_challenge_expires ON webauthn_challenge (expires_at);
