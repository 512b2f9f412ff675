/**
 * The PostgreSQL column type Prisma creates for a scalar field, spelled as `pg_catalog.format_type`
 * prints it, so it compares directly with the live catalog.
 *
 * Without a native type attribute Prisma's PostgreSQL defaults apply: String → text, Int → integer,
 * BigInt → bigint, Float → double precision, Decimal → numeric(65,30), Boolean → boolean,
 * DateTime → timestamp(3) without time zone, Json → jsonb, Bytes → bytea. A `@db.*` attribute wins;
 * its name and arguments come from the DMMF `nativeType` (`["Timestamptz", ["3"]]`), following
 * prisma-engines `PostgresType` and its SQL rendering (`render_column_type_postgres`).
 *
 * @param prismaType the field's scalar type name.
 * @param nativeType the DMMF native type, or null/undefined.
 * @throws for a type this mapping does not know, so the drift check never guesses.
 */
export function expectedColumnType(prismaType: string, nativeType: [string, string[]] | null | undefined): string {
  if (nativeType) return nativeColumnType(nativeType[0], nativeType[1]);
  const defaults: Record<string, string> = {
    String: 'text',
    Int: 'integer',
    BigInt: 'bigint',
    Float: 'double precision',
    Decimal: 'numeric(65,30)',
    Boolean: 'boolean',
    DateTime: 'timestamp(3) without time zone',
    Json: 'jsonb',
    Bytes: 'bytea',
  };
  const type = defaults[prismaType];
  if (!type) throw new Error(`no PostgreSQL type known for Prisma type ${prismaType}`);
  return type;
}

function nativeColumnType(name: string, args: string[]): string {
  const withArgs = (sqlName: string) => (args.length ? `${sqlName}(${args.join(',')})` : sqlName);
  const timeLike = (sqlName: string, zone: string) =>
    args.length ? `${sqlName}(${args[0]}) ${zone}` : `${sqlName} ${zone}`;
  switch (name) {
    case 'Text': return 'text';
    case 'Char': return withArgs('character');
    case 'VarChar': return withArgs('character varying');
    case 'Bit': return withArgs('bit');
    case 'VarBit': return withArgs('bit varying');
    case 'Uuid': return 'uuid';
    case 'Xml': return 'xml';
    case 'Inet': return 'inet';
    case 'Citext': return 'citext';
    case 'Boolean': return 'boolean';
    case 'Integer': return 'integer';
    case 'SmallInt': return 'smallint';
    case 'BigInt': return 'bigint';
    case 'Oid': return 'oid';
    case 'Decimal': return withArgs('numeric');
    case 'Money': return 'money';
    case 'Real': return 'real';
    case 'DoublePrecision': return 'double precision';
    case 'Date': return 'date';
    case 'Time': return timeLike('time', 'without time zone');
    case 'Timetz': return timeLike('time', 'with time zone');
    case 'Timestamp': return timeLike('timestamp', 'without time zone');
    case 'Timestamptz': return timeLike('timestamp', 'with time zone');
    case 'Json': return 'json';
    case 'JsonB': return 'jsonb';
    case 'ByteA': return 'bytea';
    default: throw new Error(`no PostgreSQL type known for native type @db.${name}`);
  }
}
