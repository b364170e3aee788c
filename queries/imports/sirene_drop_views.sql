-- Drop the views over the SIRENE files read by an import (sirene_etab_src, sirene_ul_src) once
-- their rows are staged: the warehouse must not keep views on a file path that is gone (a zip's
-- extracted CSV is deleted) or that names the importer's disk.
-- Grain: none (statements only). No parameters.
DROP VIEW IF EXISTS sirene_etab_src;
DROP VIEW IF EXISTS sirene_ul_src;
