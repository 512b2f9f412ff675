import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { expectedColumnType } from './prisma-column-type';
import type { ColumnShape, ForeignKeyShape, IndexShape, SchemaShape, TableShape } from './schema-shape';

/**
 * What `prisma migrate` would create for a schema.prisma, as a SchemaShape, read through Prisma's own
 * DMMF (`get_dmmf` of @prisma/prisma-schema-wasm, the parser the Prisma CLI bundles).
 *
 * Rules (Prisma's, for PostgreSQL):
 * - table = @@map or model name; column = @map or field name; enum type = @@map or enum name, values = @map or name;
 * - types: see prisma-column-type.ts; `@id`/`@@id` → primary key named @@id(map:) or `<table>_pkey`;
 * - `@unique`/`@@unique` → unique index `<table>_<cols>_key`, `@@index` → `<table>_<cols>_idx`, unless
 *   `map:` names them (default names are cut to 63 bytes like prisma-engines `ConstraintNames`);
 * - a column has a database default for @default(...) except the client-generated uuid()/cuid()/
 *   nanoid()/ulid(); @updatedAt alone gives none; autoincrement() is a serial sequence;
 * - `Unsupported("<type>")` fields (which the DMMF leaves out) are read from the schema text: a column of
 *   that PostgreSQL type, NOT NULL unless optional, default only with @default(dbgenerated(...));
 * - scalar lists are nullable arrays (Prisma writes them without NOT NULL);
 * - foreign keys from relation fields with `fields:`; onDelete defaults to Restrict (SetNull when the
 *   relation is optional), onUpdate to Cascade. FK names are not compared: the DMMF omits
 *   `@relation(map:)`.
 *
 * @param prismaSchema the text of schema.prisma.
 * @throws when the schema does not validate (Prisma's message), or uses implicit many-to-many
 *   relations or multiple schemas, which this checker does not model.
 */
export function expectedSchemaFromPrisma(prismaSchema: string): SchemaShape {
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema, noColor: true }))) as Dmmf;
  addUnsupportedFields(dmmf, prismaSchema);
  const { models, enums, indexes } = dmmf.datamodel;
  const modelsByName = new Map(models.map((model) => [model.name, model]));
  const enumsByName = new Map(enums.map((enm) => [enm.name, enm]));
  const shape: SchemaShape = { tables: {}, enums: {} };

  for (const enm of enums) {
    shape.enums[enm.dbName ?? enm.name] = enm.values.map((value) => value.dbName ?? value.name);
  }
  for (const model of models) {
    if (model.schema) throw new Error(`model ${model.name}: multi-schema models are not supported by the drift check`);
    shape.tables[tableName(model)] = tableFromModel(model, enumsByName, modelsByName);
  }
  for (const index of indexes) {
    const model = modelsByName.get(index.model);
    if (!model) throw new Error(`index on unknown model ${index.model}`);
    addIndex(shape.tables[tableName(model)], tableName(model), model, index);
  }
  return shape;
}

function tableFromModel(
  model: DmmfModel,
  enumsByName: Map<string, DmmfEnum>,
  modelsByName: Map<string, DmmfModel>,
): TableShape {
  const table: TableShape = { columns: {}, primaryKey: null, indexes: {}, foreignKeys: {} };
  for (const field of model.fields) {
    if (field.kind === 'scalar' || field.kind === 'enum' || field.kind === 'unsupported') {
      const enumType = field.kind === 'enum' ? enumsByName.get(field.type) : undefined;
      table.columns[columnName(field)] = columnFromField(field, enumType && (enumType.dbName ?? enumType.name));
    } else if (field.kind === 'object') {
      const fk = foreignKeyFromRelation(model, field, modelsByName);
      if (fk) table.foreignKeys[fk.columns.join(',')] = fk;
    }
  }
  return table;
}

/**
 * Adds the `Unsupported("<type>")` fields of each model, which Prisma's DMMF omits, as fields of kind
 * `unsupported` whose type is the PostgreSQL type, so columns and indexes on them can be checked.
 */
function addUnsupportedFields(dmmf: Dmmf, prismaSchema: string): void {
  const blocks = prismaSchema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm);
  for (const [, modelName, body] of blocks) {
    const model = dmmf.datamodel.models.find((m) => m.name === modelName);
    if (!model) continue;
    for (const [, name, type, optional, rest] of body.matchAll(/^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?(.*)$/gm)) {
      const mapped = /@map\("([^"]+)"\)/.exec(rest)?.[1];
      model.fields.push({
        name,
        dbName: mapped ?? null,
        kind: 'unsupported',
        type,
        isList: false,
        isRequired: optional !== '?',
        ...(/@default\(dbgenerated\(/.test(rest) ? { default: { name: 'dbgenerated', args: [] } } : {}),
      });
    }
  }
}

function columnFromField(field: DmmfField, enumTypeName: string | undefined): ColumnShape {
  const base = enumTypeName ? `enum:${enumTypeName}` : field.kind === 'unsupported' ? field.type : expectedColumnType(field.type, field.nativeType);
  const clientGenerated = ['uuid', 'cuid', 'nanoid', 'ulid'];
  const defaultName = (field.default as { name?: unknown } | null | undefined)?.name;
  return {
    type: field.isList ? `${base}[]` : base,
    notNull: field.isRequired && !field.isList,
    hasDefault: field.default !== undefined && !(typeof defaultName === 'string' && clientGenerated.includes(defaultName)),
  };
}

function foreignKeyFromRelation(
  model: DmmfModel,
  field: DmmfField,
  modelsByName: Map<string, DmmfModel>,
): ForeignKeyShape | null {
  const target = modelsByName.get(field.type);
  if (!target) throw new Error(`relation ${model.name}.${field.name} points at unknown model ${field.type}`);
  const from = field.relationFromFields ?? [];
  if (from.length === 0) {
    const back = target.fields.find((f) => f.relationName === field.relationName && f !== field);
    if (field.isList && back?.isList) {
      throw new Error(`implicit many-to-many relation ${field.relationName} is not supported by the drift check`);
    }
    return null;
  }
  return {
    columns: from.map((name) => columnName(fieldOf(model, name))),
    referencedTable: tableName(target),
    referencedColumns: (field.relationToFields ?? []).map((name) => columnName(fieldOf(target, name))),
    onDelete: sqlAction(field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull')),
    onUpdate: sqlAction(field.relationOnUpdate ?? 'Cascade'),
  };
}

function addIndex(table: TableShape, tableDbName: string, model: DmmfModel, index: DmmfIndex): void {
  const columns = index.fields.map((f) => columnName(fieldOf(model, f.name)));
  if (index.type === 'id') {
    table.primaryKey = { name: index.dbName ?? constraintName(tableDbName, [], '_pkey'), columns };
    return;
  }
  if (index.type !== 'unique' && index.type !== 'normal') {
    throw new Error(`index type ${index.type} on ${model.name} is not supported by the drift check`);
  }
  const suffix = index.type === 'unique' ? '_key' : '_idx';
  const shape: IndexShape = {
    unique: index.type === 'unique',
    columns: index.fields.map((f, i) => (f.sortOrder === 'desc' ? `${columns[i]} DESC` : columns[i])),
    method: (index.algorithm ?? 'BTree').toLowerCase(),
  };
  table.indexes[index.dbName ?? constraintName(tableDbName, columns, suffix)] = shape;
}

/**
 * Prisma's default constraint name (prisma-engines psl `ConstraintNames`): `<table>_<cols joined by _>`
 * cut so that, with the suffix, it fits PostgreSQL's 63-byte identifiers, then the suffix
 * (`_pkey` without columns). Names are assumed ASCII.
 */
export function constraintName(table: string, columns: string[], suffix: string): string {
  const limit = 63;
  const base = columns.length ? `${table}_${columns.join('_')}` : table;
  return `${base.length >= limit - suffix.length ? base.slice(0, limit - suffix.length) : base}${suffix}`;
}

function sqlAction(action: string): string {
  const actions: Record<string, string> = {
    Cascade: 'CASCADE',
    Restrict: 'RESTRICT',
    NoAction: 'NO ACTION',
    SetNull: 'SET NULL',
    SetDefault: 'SET DEFAULT',
  };
  const sql = actions[action];
  if (!sql) throw new Error(`unknown referential action ${action}`);
  return sql;
}

function fieldOf(model: DmmfModel, name: string): DmmfField {
  const field = model.fields.find((f) => f.name === name);
  if (!field) throw new Error(`model ${model.name} has no field ${name}`);
  return field;
}

function tableName(model: DmmfModel): string {
  return model.dbName ?? model.name;
}

function columnName(field: DmmfField): string {
  return field.dbName ?? field.name;
}

/** The part of Prisma's DMMF (`datamodel`) this checker reads. */
interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  schema: string | null;
  fields: DmmfField[];
}

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
  /** A literal, a list, or `{ name, args }` for a function such as now() or autoincrement(). */
  default?: unknown;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName: string | null }[];
}

interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string;
  algorithm?: string;
  fields: { name: string; sortOrder?: 'asc' | 'desc' }[];
}
