-- Members under 留党察看 have no vote (党章 第四十条): they attend a 党员大会 but do not count
-- among those entitled to it, like probationary members.
ALTER TABLE members ADD COLUMN rights_suspended INTEGER NOT NULL DEFAULT 0
