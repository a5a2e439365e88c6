-- The editable part of a model card (intended use, limitations, owner); the rest is read from the bundle's manifest.
CREATE TABLE model_card_field (
    name       VARCHAR(64)   NOT NULL REFERENCES registered_model (name),
    field      VARCHAR(32)   NOT NULL,
    card_value VARCHAR(4000) NOT NULL,
    updated_by VARCHAR(128)  NOT NULL,
    updated_at TIMESTAMP     NOT NULL,
    PRIMARY KEY (name, field)
);
