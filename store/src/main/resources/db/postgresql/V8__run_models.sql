-- As h2/V8, with PostgreSQL's BYTEA for H2's BLOB.
-- The run's best network so far (the zip that `predict` reads), kept in the database so that every machine on it
-- can read it. Replaced, in the transaction that completes a better trial.
CREATE TABLE run_models (
    run_id       BIGINT           NOT NULL PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    trial_number INT              NOT NULL,
    score        DOUBLE PRECISION NOT NULL,
    model        BYTEA            NOT NULL
);
