// The sequence a `nextval('…'::regclass)` default draws from, as the catalog prints it.

/** The sequence named in a `nextval('<regclass text>'::regclass)` default, as name parts. */
export function nextvalSequence(defaultExpr: string | undefined): string[] | undefined {
  if (defaultExpr === undefined) return undefined;
  const match = /^nextval\('((?:[^']|'')+)'::regclass\)$/.exec(defaultExpr.trim());
  if (!match) return undefined;
  return parseRegclassText(match[1]!.replace(/''/g, "'"));
}

/**
 * Parses regclass text such as `public.users_id_seq` or `"My Schema"."Seq"`:
 * dot-separated parts, each either double-quoted (with `""` escapes, case
 * kept) or bare (folded to lower case, as Postgres does). Undefined when the
 * text is not a valid one- or two-part name.
 */
export function parseRegclassText(text: string): string[] | undefined {
  const parts: string[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '"') {
      let part = '';
      i += 1;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        part += text[i];
        i += 1;
      }
      parts.push(part);
    } else {
      const end = text.indexOf('.', i);
      const raw = end === -1 ? text.slice(i) : text.slice(i, end);
      if (raw === '' || raw.includes('"')) return undefined;
      parts.push(raw.toLowerCase());
      i = end === -1 ? text.length : end;
    }
    if (i === text.length) break;
    if (text[i] !== '.') return undefined;
    i += 1;
  }
  return parts.length >= 1 && parts.length <= 2 ? parts : undefined;
}
