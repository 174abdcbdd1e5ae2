-- The authorization server's token signing keys shared by every node: one per rotation period (the primary key makes
-- the first node's insert win), the PKCS#8 private key sealed with the data folder's box (AES-256-GCM), never plaintext.
CREATE TABLE token_signing_key (
    period BIGINT PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    sealed_key BYTEA NOT NULL
);
