import type { ClientBase } from 'pg';
import type { SchemaShape, TableShape } from './schema-shape';

/** pg_constraint.confdeltype / confupdtype codes → SQL action. */
const FK_ACTIONS: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/**
 * Reads the SchemaShape of the connection's current schema from pg_catalog: ordinary and partitioned
 * tables except `_prisma_migrations`; their columns (format_type, NOT NULL, default/identity); primary
 * keys with column order; every other index (unique constraints included) with column order, DESC
 * and access method; foreign keys; and enum types with their values in sort order. Expression
 * index columns read as `<expression>` and partial indexes get ` WHERE …` in their method, so
 * neither can match what Prisma declares by accident.
 */
export async function readLiveSchema(client: ClientBase): Promise<SchemaShape> {
  const shape: SchemaShape = { tables: {}, enums: {} };
  const table = (name: string): TableShape =>
    (shape.tables[name] ??= { columns: {}, primaryKey: null, indexes: {}, foreignKeys: {} });

  const tables = await client.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'`,
  );
  tables.rows.forEach((row) => table(row.table));

  const columns = await client.query<{
    table: string; column: string; type: string; not_null: boolean; has_default: boolean; enum_type: string | null; is_array: boolean;
  }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS has_default,
            CASE WHEN t.typtype = 'e' THEN t.typname WHEN e.typtype = 'e' THEN e.typname END AS enum_type,
            t.typcategory = 'A' AS is_array
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
       AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  for (const row of columns.rows) {
    const type = row.enum_type ? `enum:${row.enum_type}${row.is_array ? '[]' : ''}` : row.type;
    table(row.table).columns[row.column] = { type, notNull: row.not_null, hasDefault: row.has_default };
  }

  const indexes = await client.query<{
    table: string; name: string; primary: boolean; unique: boolean; method: string; predicate: string | null; columns: string[];
  }>(
    `SELECT c.relname AS table, ic.relname AS name, i.indisprimary AS primary, i.indisunique AS unique,
            am.amname AS method, pg_get_expr(i.indpred, i.indrelid) AS predicate,
            ARRAY(
              SELECT CASE WHEN k.attnum = 0 THEN '<expression>' ELSE
                       (SELECT attname::text FROM pg_attribute WHERE attrelid = i.indrelid AND attnum = k.attnum) END
                     || CASE WHEN (i.indoption[k.ord - 1] & 1) = 1 THEN ' DESC' ELSE '' END
              FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
              WHERE k.ord <= i.indnkeyatts ORDER BY k.ord
            ) AS columns
     FROM pg_index i
     JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
     WHERE n.nspname = current_schema() AND c.relname <> '_prisma_migrations'`,
  );
  for (const row of indexes.rows) {
    if (row.primary) {
      table(row.table).primaryKey = { name: row.name, columns: row.columns };
    } else {
      const method = row.predicate ? `${row.method} WHERE ${row.predicate}` : row.method;
      table(row.table).indexes[row.name] = { unique: row.unique, columns: row.columns, method };
    }
  }

  const foreignKeys = await client.query<{
    table: string; columns: string[]; referenced_table: string; referenced_columns: string[]; on_delete: string; on_update: string;
  }>(
    `SELECT c.relname AS table, rc.relname AS referenced_table, k.confdeltype AS on_delete, k.confupdtype AS on_update,
            ARRAY(SELECT pa.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(num, ord)
                  JOIN pg_attribute pa ON pa.attrelid = k.conrelid AND pa.attnum = u.num ORDER BY u.ord) AS columns,
            ARRAY(SELECT pa.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(num, ord)
                  JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.num ORDER BY u.ord) AS referenced_columns
     FROM pg_constraint k
     JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_class rc ON rc.oid = k.confrelid
     WHERE k.contype = 'f' AND n.nspname = current_schema()`,
  );
  for (const row of foreignKeys.rows) {
    table(row.table).foreignKeys[row.columns.join(',')] = {
      columns: row.columns,
      referencedTable: row.referenced_table,
      referencedColumns: row.referenced_columns,
      onDelete: FK_ACTIONS[row.on_delete] ?? row.on_delete,
      onUpdate: FK_ACTIONS[row.on_update] ?? row.on_update,
    };
  }

  const enums = await client.query<{ name: string; values: string[] }>(
    `SELECT t.typname AS name, ARRAY(SELECT enumlabel::text FROM pg_enum WHERE enumtypid = t.oid ORDER BY enumsortorder) AS values
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE t.typtype = 'e' AND n.nspname = current_schema()`,
  );
  for (const row of enums.rows) shape.enums[row.name] = row.values;
  return shape;
}
