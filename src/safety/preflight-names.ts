// The preflight reads the database as it is, before any step; a plan's later
// steps name things as they will be. This walks the plan and maps each name
// back: a renamed table or column to its current name, and what the plan
// creates (tables, columns) to nothing, since it holds no rows yet.
import type { Change } from '../diff/changes.js';
import type { QualifiedName } from '../schema/types.js';
import { DEFAULT_NAMESPACE, qualifiedKey } from '../schema/types.js';

export class PlanNames {
  /** Name in the plan → current name, for renamed tables. */
  private readonly tables = new Map<string, QualifiedName>();
  /** Tables (by plan name) the plan creates before this point. */
  private readonly created = new Set<string>();
  /** Current table key → (column name in the plan → current name). */
  private readonly columns = new Map<string, Map<string, string>>();
  /** `current table key.column`: columns the plan adds. */
  private readonly added = new Set<string>();
  /** Enum labels as the plan leaves them so far, by qualified type key. */
  private readonly enums = new Map<string, string[]>();

  /** The table as it is named now; undefined when the plan creates it. */
  table(name: QualifiedName): QualifiedName | undefined {
    const key = qualifiedKey(name);
    if (this.created.has(key)) return undefined;
    return this.tables.get(key) ?? name;
  }

  /** The column as it is named now; undefined when the plan adds it (or its table). */
  column(table: QualifiedName, name: string): string | undefined {
    const current = this.table(table);
    if (!current) return undefined;
    const key = qualifiedKey(current);
    const now = this.columns.get(key)?.get(name) ?? name;
    return this.added.has(`${key}.${now}`) ? undefined : now;
  }

  enumLabels(type: QualifiedName): string[] | undefined {
    return this.enums.get(qualifiedKey(type));
  }

  /** Records what a step does to names; call after checking the step. */
  note(change: Change): void {
    switch (change.kind) {
      case 'create_table':
        this.created.add(qualifiedKey(tableName(change.table)));
        break;
      case 'drop_table': {
        // Whatever carries this name later is new.
        const key = qualifiedKey(tableName(change.table));
        this.tables.delete(key);
        this.created.add(key);
        break;
      }
      case 'rename_table': {
        const from = { schema: change.schema, name: change.from };
        const to = qualifiedKey({ schema: change.schema, name: change.to });
        const current = this.table(from);
        if (current) {
          this.created.delete(to);
          this.tables.set(to, current);
        } else this.created.add(to);
        this.tables.delete(qualifiedKey(from));
        break;
      }
      case 'add_column': {
        const current = this.table(change.table);
        if (current) this.added.add(`${qualifiedKey(current)}.${change.column.name}`);
        break;
      }
      case 'rename_column': {
        const current = this.table(change.table);
        if (!current) break;
        const key = qualifiedKey(current);
        const map = this.columns.get(key) ?? new Map<string, string>();
        map.set(change.to, map.get(change.from) ?? change.from);
        map.delete(change.from);
        this.columns.set(key, map);
        break;
      }
      case 'create_enum':
        this.enums.set(qualifiedKey(typeName(change.type)), change.type.values);
        break;
      case 'add_enum_values':
      case 'recreate_enum':
        this.enums.set(qualifiedKey(typeName(change.to)), change.to.values);
        break;
      default:
        break;
    }
  }
}

export function tableName(t: { schema?: string; name: string }): QualifiedName {
  return { schema: t.schema ?? DEFAULT_NAMESPACE, name: t.name };
}

const typeName = tableName;
