-- When each epoch was recorded, by the database's clock (as every time the store keeps): the epochs a run had
-- trained when one of its trials finished count every worker's, in the order they really ended. Epochs recorded
-- before this column stay null; a run with any such epoch is counted the old way (see Store.finishes).
ALTER TABLE epochs ADD COLUMN ended_at TIMESTAMP WITH TIME ZONE;
