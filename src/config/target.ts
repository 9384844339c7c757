// Which database a command talks to. Issue-2 scope: flag, then DATABASE_URL,
// then the embedded PGlite database under .lockplane/ (zero setup).
export const EMBEDDED_DATABASE_PATH = '.lockplane/pglite';
export const EMBEDDED_DATABASE_URL = `pglite://${EMBEDDED_DATABASE_PATH}`;

export type TargetOrigin = 'flag' | 'DATABASE_URL' | 'embedded';

export interface ResolvedTarget {
  url: string;
  origin: TargetOrigin;
}

export function resolveTarget(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedTarget {
  if (flag) return { url: flag, origin: 'flag' };
  const fromEnv = env.DATABASE_URL?.trim();
  if (fromEnv) return { url: fromEnv, origin: 'DATABASE_URL' };
  return { url: EMBEDDED_DATABASE_URL, origin: 'embedded' };
}

/** The server to create scratch databases on, when configured. */
export function resolveShadowUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.SHADOW_DATABASE_URL?.trim() || undefined;
}
