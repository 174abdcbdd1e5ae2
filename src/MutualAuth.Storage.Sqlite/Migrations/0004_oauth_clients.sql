CREATE TABLE oauth_client (
    client_id TEXT NOT NULL PRIMARY KEY,
    auth_method TEXT NOT NULL,
    jwks TEXT,
    scopes TEXT NOT NULL,
    certificate_subject TEXT,
    created_at TEXT NOT NULL
);
