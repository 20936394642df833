import { getTableColumns, getTableName, is, type Column } from "drizzle-orm";
import { getTableConfig as getPgTableConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as pgSchema from "./pg/schema";
import * as sqliteSchema from "./schema";

// One set of use cases runs over either database (STYLE.md, Database), so the PostgreSQL schema (db/pg/schema.ts)
// must keep every table, column, key and index of the SQLite one (db/schema.ts): a column added to one only
// fails here, before a query written for it fails on the other database. Types differ by design (timestamp_ms
// integers are timestamptz, booleans are boolean, some integers bigint, some text collate "C"), so columns are
// compared by type family.

/** A column's type family: what both databases must agree on. An unknown type fails until it is mapped here. */
function typeFamily(column: Column): string {
  switch (column.columnType) {
    case "SQLiteText":
    case "PgText":
      return "text";
    case "PgCustomColumn":
      // byteText, the only custom type: text compared byte by byte
      return column.getSQLType() === 'text collate "C"' ? "text" : column.getSQLType();
    case "SQLiteInteger":
    case "PgInteger":
    case "PgBigInt53":
      return "integer";
    case "SQLiteBoolean":
    case "PgBoolean":
      return "boolean";
    case "SQLiteTimestamp":
    case "PgTimestamp":
      return "timestamp";
    default:
      return column.columnType;
  }
}

/** Intended differences, each with its reason; the test also fails when one of them stops being true. */
const intendedDifferences: Record<string, { hasDefault?: boolean; why: string }> = {
  // SQLite assigns max(seq) + 1 inside the saving transaction (BEGIN IMMEDIATE); PostgreSQL has no such lock, so
  // an identity column numbers concurrent saves (db/pg/schema.ts).
  "checkpoints.seq": { hasDefault: true, why: "an identity on PostgreSQL" },
};

type AnyTableConfig = ReturnType<typeof getSqliteTableConfig> | ReturnType<typeof getPgTableConfig>;

function describeTable(table: SQLiteTable | PgTable, config: AnyTableConfig, dialect: "sqlite" | "pg") {
  const name = (column: { name: string } | unknown) =>
    typeof column === "object" && column !== null && "name" in column ? String(column.name) : String(column);
  const byName = <T extends { name: string }>(items: T[]) => [...items].sort((a, b) => a.name.localeCompare(b.name));
  const properties = Object.entries(getTableColumns(table)).map(([property, column]) => [column.name, property]);
  const propertyOf = new Map(properties.map(([column, property]) => [column, property]));
  return {
    columns: byName(
      config.columns.map((column: Column) => {
        const described = {
          name: column.name,
          property: propertyOf.get(column.name),
          family: typeFamily(column),
          notNull: column.notNull,
          primaryKey: column.primary,
          hasDefault: column.hasDefault,
          enumValues: column.enumValues ?? null,
          unique: column.isUnique ? (column.uniqueName ?? null) : null,
        };
        const difference = intendedDifferences[`${config.name}.${column.name}`];
        // present SQLite's side as PostgreSQL's is meant to be
        return dialect === "sqlite" && difference?.hasDefault !== undefined
          ? { ...described, hasDefault: difference.hasDefault }
          : described;
      }),
    ),
    primaryKeys: config.primaryKeys.map((key) => key.columns.map((column: Column) => column.name)),
    uniqueConstraints: byName(
      config.uniqueConstraints.map((constraint) => ({
        name: constraint.getName() ?? "",
        columns: constraint.columns.map((column: Column) => column.name),
      })),
    ),
    indexes: byName(
      config.indexes.map((index) => ({
        name: index.config.name ?? "",
        unique: Boolean(index.config.unique),
        columns: index.config.columns.map(name),
        where: index.config.where === undefined ? null : "partial",
      })),
    ),
    foreignKeys: byName(
      config.foreignKeys.map((foreignKey) => {
        const reference = foreignKey.reference();
        return {
          name: foreignKey.getName(),
          columns: reference.columns.map((column: Column) => column.name),
          foreignTable: getTableName(reference.foreignTable),
          foreignColumns: reference.foreignColumns.map((column: Column) => column.name),
          onDelete: foreignKey.onDelete ?? "no action",
          onUpdate: foreignKey.onUpdate ?? "no action",
        };
      }),
    ),
  };
}

const sqliteTables = new Map(
  (Object.values(sqliteSchema) as unknown[])
    .filter((value): value is SQLiteTable => is(value, SQLiteTable))
    .map((table) => [getSqliteTableConfig(table).name, table]),
);
const pgTables = new Map(
  (Object.values(pgSchema) as unknown[])
    .filter((value): value is PgTable => is(value, PgTable))
    .map((table) => [getPgTableConfig(table).name, table]),
);

describe("the PostgreSQL schema mirrors the SQLite schema", () => {
  it("has the same tables", () => {
    expect([...pgTables.keys()].sort()).toEqual([...sqliteTables.keys()].sort());
  });

  it.each([...sqliteTables.keys()].sort())(
    "%s has the same columns (names, properties, types, nullability, defaults, enums), keys, indexes and foreign keys",
    (tableName) => {
      const sqliteTable = sqliteTables.get(tableName)!;
      const pgTable = pgTables.get(tableName);
      expect(pgTable, `db/pg/schema.ts defines ${tableName}`).toBeDefined();
      expect(describeTable(pgTable!, getPgTableConfig(pgTable!), "pg")).toEqual(
        describeTable(sqliteTable, getSqliteTableConfig(sqliteTable), "sqlite"),
      );
    },
  );

  it.each(Object.keys(intendedDifferences))("%s still differs as stated", (key) => {
    const [tableName, columnName] = key.split(".");
    const difference = intendedDifferences[key]!;
    const column = (table: SQLiteTable | PgTable | undefined) =>
      Object.values(table ? getTableColumns(table) : {}).find((candidate) => candidate.name === columnName);
    if (difference.hasDefault !== undefined) {
      expect(column(pgTables.get(tableName!))?.hasDefault, difference.why).toBe(difference.hasDefault);
      expect(column(sqliteTables.get(tableName!))?.hasDefault, difference.why).toBe(!difference.hasDefault);
    }
  });
});
