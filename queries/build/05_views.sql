-- Convenience views for the app's queries.

-- Every territory name an observation can point to: official geography and pseudo-territories.
CREATE VIEW territory_names AS
SELECT level AS territory_level, code AS territory_code, name AS name_fr, name AS name_en
FROM territories
UNION ALL
SELECT territory_level, territory_code, name_fr, name_en FROM pseudo_territories;

-- Observations with everything needed to show them: labels, unit, territory name, source.
CREATE VIEW observations_labelled AS
SELECT o.*, i.theme, i.label_fr, i.label_en, i.unit, i.decimals, i.breakdown,
       b.label_fr AS breakdown_label_fr, b.label_en AS breakdown_label_en, b.sort_order,
       t.name_fr AS territory_name_fr, t.name_en AS territory_name_en,
       s.title AS source_title, s.publisher AS source_publisher, s.published AS source_published,
       s.url AS source_url, o.source_id = i.default_source_id AS is_default_source
FROM observations o
JOIN indicators i USING (indicator_id)
JOIN sources s USING (source_id)
LEFT JOIN breakdowns b ON b.breakdown = i.breakdown AND b.breakdown_value = o.breakdown_value
LEFT JOIN territory_names t USING (territory_level, territory_code);
