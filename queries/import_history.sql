-- The imports the warehouse holds, newest first: file name, SHA-256, rows read, date, kind,
-- what it changed (for /sources). Grain: one row per imported file. No parameters.
SELECT import_id, kind, file_role, file_name, sha256, n_rows, imported_at, target, summary_fr
FROM import_log
ORDER BY import_id DESC, file_role;
