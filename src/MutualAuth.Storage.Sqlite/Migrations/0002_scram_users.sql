CREATE TABLE scram_user (
    name TEXT NOT NULL,
    mechanism TEXT NOT NULL,
    salt BLOB NOT NULL,
    iterations INTEGER NOT NULL,
    stored_key BLOB NOT NULL,
    server_key BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (name, mechanism)
);
