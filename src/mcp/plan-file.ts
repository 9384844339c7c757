// What an approval is about: the plan file's exact text, the hazards in it
// that a person must acknowledge, and the project whose key signs it.
import { parsePlanJson, readJsonFile } from '../schema/json.js';
import { hazardInfo } from '../safety/registry.js';
import { configContext } from '../cli/common.js';
import { unapprovedHazards, type UnapprovedHazard } from '../cli/gate.js';
import type { Plan } from '../plan/types.js';
import { sha256, type Expected } from './approval.js';

export interface PlanFile {
  path: string;
  text: string;
  plan: Plan;
}

export function readPlanFile(path: string): PlanFile {
  const text = readJsonFile(path);
  return { path, text, plan: parsePlanJson(text, path) };
}

/** Hazards that need a person's explicit approval: data-losing, blocking or unknown ones. */
export function hazardsToAcknowledge(plan: Plan): UnapprovedHazard[] {
  return unapprovedHazards(plan, new Set(), hazardInfo);
}

/** What a token for this plan file on this target must say. */
export function expectedApproval(file: PlanFile, targetUrl: string): Expected {
  return {
    plan: sha256(file.text),
    source: file.plan.source_hash ?? null,
    target: sha256(targetUrl),
    hazards: hazardsToAcknowledge(file.plan).map((h) => h.code),
  };
}

/** Where `.lockplane/` is: beside lockplane.toml, else the current directory. */
export function projectDir(): string {
  const ctx = configContext();
  return ctx.config?.dir ?? ctx.cwd;
}
