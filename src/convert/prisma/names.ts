// Prisma's default constraint and index names (its PostgreSQL conventions,
// truncated to the 63-byte identifier limit the way Prisma truncates them):
// {table}_pkey, {table}_{columns}_key, {table}_{columns}_idx, {table}_{columns}_fkey.
const MAX_IDENTIFIER_BYTES = 63;

/** The first `bytes` bytes of `text` (UTF-8), never splitting a character. */
function truncateBytes(text: string, bytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= bytes) return text;
  let end = bytes;
  while (end > 0 && (buffer[end]! & 0xc0) === 0x80) end -= 1;
  return buffer.subarray(0, end).toString('utf8');
}

function withSuffix(base: string, suffix: string): string {
  const room = MAX_IDENTIFIER_BYTES - suffix.length;
  return `${Buffer.byteLength(base, 'utf8') >= room ? truncateBytes(base, room) : base}${suffix}`;
}

export function primaryKeyName(table: string): string {
  return withSuffix(table, '_pkey');
}

export function uniqueIndexName(table: string, columns: readonly string[]): string {
  return withSuffix(`${table}_${columns.join('_')}`, '_key');
}

export function indexName(table: string, columns: readonly string[]): string {
  return withSuffix(`${table}_${columns.join('_')}`, '_idx');
}

export function foreignKeyName(table: string, columns: readonly string[]): string {
  return withSuffix(`${table}_${columns.join('_')}`, '_fkey');
}
