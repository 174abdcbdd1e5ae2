-- SCRAM exchanges between server-first and client-final, so that the two round trips may reach different nodes:
-- taken once with DELETE … RETURNING. No verifier or key material: client-final reads the verifier again.
CREATE TABLE scram_exchange (
    id TEXT PRIMARY KEY,
    mechanism TEXT NOT NULL,
    user_name TEXT NOT NULL,
    address TEXT NOT NULL,
    gs2_header TEXT NOT NULL,
    client_first_bare TEXT NOT NULL,
    server_first TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX scram_exchange_address ON scram_exchange (address, expires_at);
CREATE INDEX scram_exchange_expires ON scram_exchange (expires_at);

-- The CRL signed last (highest number wins), so every node serves the same one.
ALTER TABLE certificate_authority ADD COLUMN published_crl_number BIGINT NULL, ADD COLUMN published_crl_pem TEXT NULL;
