-- Record one imported file in import_log (written by ess_data.imports.apply).
-- Grain: inserts one row per imported file. Parameters: $import_id, $file_role, $kind,
-- $file_name, $sha256, $n_rows, $imported_at, $target, $summary_fr.
INSERT INTO import_log VALUES ($import_id, $file_role, $kind, $file_name, $sha256, $n_rows,
                               $imported_at, $target, $summary_fr);
