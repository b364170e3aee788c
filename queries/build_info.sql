-- What the warehouse was built from and when. Grain: one row per key. No parameters.
SELECT key, value FROM build_info ORDER BY key;
