-- A meeting record's particulars: when it began (HH:MM), where, who chaired and who took the
-- minutes (members), who attended without being members of the body (列席, as typed), and the
-- Party work items it served beside the business goals.
ALTER TABLE meetings ADD COLUMN starts_at TEXT;
ALTER TABLE meetings ADD COLUMN place TEXT;
ALTER TABLE meetings ADD COLUMN chair_member_id BIGINT REFERENCES members(id);
ALTER TABLE meetings ADD COLUMN recorder_member_id BIGINT REFERENCES members(id);
ALTER TABLE meetings ADD COLUMN guests TEXT;
CREATE TABLE meeting_items (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    item_id BIGINT NOT NULL REFERENCES items(id),
    PRIMARY KEY (meeting_id, item_id)
);
CREATE INDEX meeting_items_item ON meeting_items(item_id);
