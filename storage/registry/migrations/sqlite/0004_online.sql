-- Online courses: the meeting platform of a virtual or hybrid session, and
-- the connected minutes of an attendance taken from a participants report
-- (NULL for a check-in in the room), as the device sends them.
ALTER TABLE sessions ADD COLUMN platform TEXT NOT NULL DEFAULT '';
ALTER TABLE attendances ADD COLUMN minutes INTEGER;
