// Tables Lockplane keeps in a SQLite database for itself: never introspected,
// planned or dropped.
export const SQLITE_LEDGER_TABLE = '_lockplane_applies';

export function isInternalName(name: string): boolean {
  return name.toLowerCase().startsWith('_lockplane_');
}
