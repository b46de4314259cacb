ALTER TABLE "order_lines" ADD COLUMN "options_shown" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
-- Lines bought before this column: the field titles of the service version they bought; the
-- values as stored (choice labels were not kept).
UPDATE "order_lines" AS l SET "options_shown" = coalesce((
  SELECT jsonb_agg(jsonb_build_object(
    'key', o.key,
    'label', coalesce(v.document #>> array['options', 'properties', o.key, 'title'], o.key),
    'value', CASE jsonb_typeof(o.value)
      WHEN 'boolean' THEN CASE WHEN o.value = 'true'::jsonb THEN 'yes' ELSE 'no' END
      WHEN 'array' THEN (SELECT string_agg(e, ', ') FROM jsonb_array_elements_text(o.value) AS e)
      ELSE o.value #>> '{}'
    END) ORDER BY o.n)
  FROM jsonb_each(l.options) WITH ORDINALITY AS o(key, value, n)
  LEFT JOIN "service_versions" AS v ON v.service_id = l.service_id AND v.version = l.service_version
  WHERE o.value NOT IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb)
), '[]'::jsonb);--> statement-breakpoint
ALTER TABLE "order_lines" ALTER COLUMN "options_shown" DROP DEFAULT;
