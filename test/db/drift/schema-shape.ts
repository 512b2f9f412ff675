/**
 * The database shape the drift check compares, built both from schema.prisma (expected-schema.ts) and
 * from a live database's catalog (live-schema.ts). Names are database names (after @map/@@map).
 */

/** One column. */
export interface ColumnShape {
  /**
   * Type as `pg_catalog.format_type` prints it (`text`, `integer`, `timestamp(3) with time zone`,
   * `numeric(65,30)`, `text[]` …); enum columns are `enum:<type name>` (`enum:<type name>[]` for lists).
   */
  type: string;
  notNull: boolean;
  /** Whether the column has a database default (DEFAULT expression, serial sequence or identity). */
  hasDefault: boolean;
}

/** An index other than the primary key's; a unique constraint counts as its unique index. */
export interface IndexShape {
  unique: boolean;
  /** Column names in index order, with ` DESC` appended to descending ones. */
  columns: string[];
  /** Access method: `btree`, `hash`, `gin`, … */
  method: string;
}

/** A foreign key, keyed by its table and constrained columns (names are not compared, see expected-schema.ts). */
export interface ForeignKeyShape {
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  /** `CASCADE`, `RESTRICT`, `NO ACTION`, `SET NULL` or `SET DEFAULT`. */
  onDelete: string;
  onUpdate: string;
}

/** One table. */
export interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: { name: string; columns: string[] } | null;
  /** By index name. */
  indexes: Record<string, IndexShape>;
  /** By `col1,col2` (the constrained columns). */
  foreignKeys: Record<string, ForeignKeyShape>;
}

/** A schema: tables by name and enum types by name, with their values in order. */
export interface SchemaShape {
  tables: Record<string, TableShape>;
  enums: Record<string, string[]>;
}
