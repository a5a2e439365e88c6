-- Tags: free key/value labels on a model (version 0) or on one of its versions (version ≥ 1).
CREATE TABLE model_tag (
    name       VARCHAR(64)  NOT NULL REFERENCES registered_model (name),
    version    INTEGER      NOT NULL,
    tag_key    VARCHAR(64)  NOT NULL,
    tag_value  VARCHAR(256) NOT NULL,
    updated_by VARCHAR(128) NOT NULL,
    updated_at TIMESTAMP    NOT NULL,
    PRIMARY KEY (name, version, tag_key)
);
