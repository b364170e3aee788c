-- File of the database this connection writes (the import's working copy, or the build's), so
-- a zipped SIRENE file is extracted beside it, on the disk that already holds the warehouse.
-- Grain: one row; path is NULL for an in-memory database. No parameters.
SELECT path FROM duckdb_databases() WHERE database_name = current_database();
