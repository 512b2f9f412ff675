import type { ColumnShape, ForeignKeyShape, IndexShape, SchemaShape, TableShape } from './schema-shape';

/**
 * Every difference between what schema.prisma declares (`expected`) and what the database holds
 * (`actual`), one readable line each, sorted; empty when they agree. Column order is not compared
 * (columns added by later migrations go last, as with Prisma).
 */
export function diffSchemas(expected: SchemaShape, actual: SchemaShape): string[] {
  const lines: string[] = [];
  for (const name of union(expected.enums, actual.enums)) {
    const want = expected.enums[name];
    const have = actual.enums[name];
    if (!have) lines.push(`enum "${name}": missing from the database`);
    else if (!want) lines.push(`enum "${name}": in the database but not in schema.prisma`);
    else if (want.join(',') !== have.join(',')) {
      lines.push(`enum "${name}": values are (${have.join(', ')}) in the database, schema.prisma declares (${want.join(', ')})`);
    }
  }
  for (const name of union(expected.tables, actual.tables)) {
    const want = expected.tables[name];
    const have = actual.tables[name];
    if (!have) lines.push(`table "${name}": missing from the database`);
    else if (!want) lines.push(`table "${name}": in the database but not in schema.prisma`);
    else lines.push(...diffTables(name, want, have));
  }
  return lines.sort();
}

/** Readable report for a failed expectation: "no drift" when `lines` is empty. */
export function formatDrift(lines: string[]): string {
  return lines.length ? `schema drift (${lines.length}):\n${lines.map((l) => `  - ${l}`).join('\n')}` : 'no drift';
}

function diffTables(table: string, want: TableShape, have: TableShape): string[] {
  const lines: string[] = [];
  for (const column of union(want.columns, have.columns)) {
    lines.push(...diffColumns(`column "${table}"."${column}"`, want.columns[column], have.columns[column]));
  }
  const wantPk = want.primaryKey ? `${want.primaryKey.name} (${want.primaryKey.columns.join(', ')})` : 'none';
  const havePk = have.primaryKey ? `${have.primaryKey.name} (${have.primaryKey.columns.join(', ')})` : 'none';
  if (wantPk !== havePk) lines.push(`table "${table}": primary key is ${havePk} in the database, schema.prisma declares ${wantPk}`);
  for (const index of union(want.indexes, have.indexes)) {
    lines.push(...diffDefinitions(`index "${index}" on "${table}"`, want.indexes[index], have.indexes[index], describeIndex));
  }
  for (const key of union(want.foreignKeys, have.foreignKeys)) {
    lines.push(
      ...diffDefinitions(`foreign key "${table}"(${key})`, want.foreignKeys[key], have.foreignKeys[key], describeForeignKey),
    );
  }
  return lines;
}

function diffColumns(label: string, want: ColumnShape | undefined, have: ColumnShape | undefined): string[] {
  if (!have) return [`${label}: missing from the database`];
  if (!want) return [`${label}: in the database but not in schema.prisma`];
  const lines: string[] = [];
  if (want.type !== have.type) lines.push(`${label}: type is ${have.type} in the database, schema.prisma declares ${want.type}`);
  if (want.notNull !== have.notNull) {
    lines.push(`${label}: ${nullability(have.notNull)} in the database, schema.prisma declares ${nullability(want.notNull)}`);
  }
  if (want.hasDefault !== have.hasDefault) {
    lines.push(`${label}: ${defaultText(have.hasDefault)} in the database, schema.prisma declares ${defaultText(want.hasDefault)}`);
  }
  return lines;
}

function diffDefinitions<T>(label: string, want: T | undefined, have: T | undefined, describe: (value: T) => string): string[] {
  if (!have && want) return [`${label}: missing from the database (schema.prisma declares ${describe(want)})`];
  if (!want && have) return [`${label}: in the database but not in schema.prisma (${describe(have)})`];
  if (want && have && describe(want) !== describe(have)) {
    return [`${label}: is ${describe(have)} in the database, schema.prisma declares ${describe(want)}`];
  }
  return [];
}

function describeIndex(index: IndexShape): string {
  return `${index.unique ? 'UNIQUE ' : ''}${index.method} (${index.columns.join(', ')})`;
}

function describeForeignKey(fk: ForeignKeyShape): string {
  return `(${fk.columns.join(', ')}) REFERENCES "${fk.referencedTable}"(${fk.referencedColumns.join(', ')}) ` +
    `ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`;
}

function nullability(notNull: boolean): string {
  return notNull ? 'NOT NULL' : 'nullable';
}

function defaultText(hasDefault: boolean): string {
  return hasDefault ? 'a default' : 'no default';
}

function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
