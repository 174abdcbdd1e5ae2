-- The ASP.NET Core Data Protection key ring shared by every node (session cookies of SCRAM and WebAuthn): one row per
-- key element, sealed with the data folder's box (AES-256-GCM) before it is stored.
CREATE TABLE data_protection_key (
    id BIGSERIAL PRIMARY KEY,
    friendly_name TEXT NOT NULL,
    xml TEXT NOT NULL
);
