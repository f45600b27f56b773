-- The province compliance report counts meetings per organization, kind and month: an index
-- that carries kind and quorum answers it without touching the meeting rows. Same leading
-- columns as before, so every lookup by organization and date still uses it.
DROP INDEX meetings_org;
CREATE INDEX meetings_org ON meetings(org_id, held_on, kind, quorum_met)
