-- The data a run trained on: its source type, each file's SHA-256, the train/validation/test counts, the input
-- shape or feature columns, the class names (JSON). Written when the run starts; a resume compares the hashes.
CREATE TABLE run_data (
    run_id    BIGINT NOT NULL PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    data_json TEXT   NOT NULL
);
