-- The indicator registry, with the labels (French, English) of the rural definitions its
-- observations use (derived from the observations at levels rural / hors_rural / urbain /
-- periurbain, whose code names the definition). Grain: one row per indicator. No parameters.
SELECT i.indicator_id, i.theme, i.label_fr, i.label_en, i.definition_fr, i.definition_en, i.unit,
       i.decimals, i.breakdown, i.default_source_id, i.mappable, i.notes,
       (SELECT string_agg(DISTINCT d.label_fr, ' ; ' ORDER BY d.label_fr)
        FROM observations o JOIN rural_definitions d ON d.rural_definition_id = o.territory_code
        WHERE o.indicator_id = i.indicator_id
          AND o.territory_level IN ('rural', 'hors_rural', 'urbain', 'periurbain')
       ) AS rural_definitions,
       (SELECT string_agg(DISTINCT d.label_en, '; ' ORDER BY d.label_en)
        FROM observations o JOIN rural_definitions d ON d.rural_definition_id = o.territory_code
        WHERE o.indicator_id = i.indicator_id
          AND o.territory_level IN ('rural', 'hors_rural', 'urbain', 'periurbain')
       ) AS rural_definitions_en
FROM indicators i
ORDER BY i.theme, i.indicator_id;
