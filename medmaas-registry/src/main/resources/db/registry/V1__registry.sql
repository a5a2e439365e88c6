-- Model registry metadata (H2 and PostgreSQL share this script; portable DDL only).
CREATE TABLE registered_model (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    created_at  TIMESTAMP    NOT NULL,
    description VARCHAR(2000) NOT NULL DEFAULT ''
);

CREATE TABLE model_version (
    name          VARCHAR(64)  NOT NULL REFERENCES registered_model (name),
    version       INTEGER      NOT NULL,
    bundle_sha256 CHAR(64)     NOT NULL,
    task          VARCHAR(32)  NOT NULL,
    learner       VARCHAR(32)  NOT NULL,
    target        VARCHAR(128) NOT NULL,
    stage         VARCHAR(16)  NOT NULL,
    registered_by VARCHAR(128) NOT NULL,
    registered_at TIMESTAMP    NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE model_alias (
    name    VARCHAR(64) NOT NULL,
    alias   VARCHAR(64) NOT NULL,
    version INTEGER     NOT NULL,
    PRIMARY KEY (name, alias),
    FOREIGN KEY (name, version) REFERENCES model_version (name, version)
);
