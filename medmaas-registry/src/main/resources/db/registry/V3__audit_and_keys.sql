-- The audit log: append-only, each entry chained to the one before by a keyed hash (HMAC-SHA256).
-- seq is assigned by the writer while it holds the head row's lock, so entries are numbered without gaps.
CREATE TABLE audit_entry (
    seq            BIGINT        NOT NULL PRIMARY KEY,
    at             TIMESTAMP WITH TIME ZONE NOT NULL,
    actor          VARCHAR(128)  NOT NULL,
    action         VARCHAR(64)   NOT NULL,
    resource       VARCHAR(200)  NOT NULL,
    outcome        VARCHAR(32)   NOT NULL,
    request_id     VARCHAR(64)   NOT NULL,
    input_sha256   VARCHAR(64)   NOT NULL,
    latency_micros BIGINT        NOT NULL,
    details        VARCHAR(2000) NOT NULL,
    prev_hash      CHAR(64)      NOT NULL,
    entry_hash     CHAR(64)      NOT NULL
);
CREATE INDEX audit_entry_at ON audit_entry (at);

-- One row: the chain's head (last seq and hash) with its own HMAC, so removing entries from the end is detected.
-- Writers lock this row (SELECT … FOR UPDATE), which also orders writers across replicas.
CREATE TABLE audit_head (
    id         INTEGER  NOT NULL PRIMARY KEY,
    seq        BIGINT   NOT NULL,
    entry_hash CHAR(64) NOT NULL,
    head_mac   VARCHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, entry_hash, head_mac)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', '');

-- API keys: only the SHA-256 of the secret part is stored; the key itself is shown once.
CREATE TABLE api_key (
    key_id        VARCHAR(16)  NOT NULL PRIMARY KEY,
    secret_sha256 CHAR(64)     NOT NULL,
    owner         VARCHAR(128) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    models        VARCHAR(200) NOT NULL,
    created_at    TIMESTAMP    NOT NULL,
    expires_at    TIMESTAMP,
    revoked_at    TIMESTAMP
);
