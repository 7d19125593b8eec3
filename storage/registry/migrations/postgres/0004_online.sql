-- Online courses; see migrations/sqlite/0004_online.sql.
ALTER TABLE sessions ADD COLUMN platform text NOT NULL DEFAULT '';
ALTER TABLE attendances ADD COLUMN minutes bigint;
