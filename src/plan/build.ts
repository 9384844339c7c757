// Schema × Schema → Plan: diff, order, render, annotate.
import { diffSchemas } from '../diff/index.js';
import { canonicalOnce, sharingCanonicalForms } from '../schema/canonical-once.js';
import { objectFingerprints } from '../schema/fingerprint.js';
import { schemaHash } from '../schema/hash.js';
import type { QualifiedName, Schema } from '../schema/types.js';
import { qualifiedKey, tableKey } from '../schema/types.js';
import { AssessContext } from '../safety/assess.js';
import type { SortContext } from './kinds/handler.js';
import { onlineChanges } from './online.js';
import { orderChanges } from './order.js';
import { hasSql, planStep } from './step.js';
import { PLAN_FORMAT_VERSION, type Plan } from './types.js';

export interface BuildPlanOptions {
  /** The plan undoes an earlier one: descriptions say "Rollback: ", re-created objects come back empty. */
  rollback?: boolean;
  /**
   * Online rewrites for tables that already exist (CONCURRENTLY, NOT VALID
   * then VALIDATE, …; see online.ts). Default true; false gives plain DDL.
   */
  online?: boolean;
}

function sortContext(target: Schema): SortContext {
  const ordinals = new Map<string, Map<string, number>>();
  for (const t of canonicalOnce(target).tables) ordinals.set(tableKey(t), new Map(t.columns.map((c, i) => [c.name, i])));
  return {
    columnOrdinal: (table: QualifiedName, column: string) => ordinals.get(qualifiedKey(table))?.get(column) ?? 0,
  };
}

export function buildPlan(from: Schema, to: Schema, options: BuildPlanOptions = {}): Plan {
  return sharingCanonicalForms(() => build(from, to, options));
}

function build(from: Schema, to: Schema, options: BuildPlanOptions): Plan {
  const rollback = options.rollback ?? false;
  const ordered = orderChanges(diffSchemas(from, to), sortContext(to));
  const ctx = new AssessContext(from, to, rollback);
  const changes = options.online === false ? ordered : onlineChanges(ordered, ctx, { from, to });
  return {
    format_version: PLAN_FORMAT_VERSION,
    dialect: 'postgres',
    source_hash: schemaHash(from),
    target_hash: schemaHash(to),
    steps: changes.map((c) => planStep(c, ctx, rollback)).filter(hasSql),
    source_objects: objectFingerprints(from),
  };
}
