-- A committee's evaluation tests each meeting of its subtree's year for a goal it serves, by
-- the meeting's id: with the id carried in the covering index the whole read stays in the
-- index (PostgreSQL otherwise read every meeting row of the province for one city). SQLite's
-- indexes carry the row id already.
DROP INDEX meetings_org;
CREATE INDEX meetings_org ON meetings(org_id, held_on, kind, quorum_met) INCLUDE (id)
