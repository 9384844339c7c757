// Orders changes: a topological sort of the dependency graph the handlers
// declare (produces/needs/removes/releases), choosing among the ready changes
// by phase, then by qualified name — so the order is deterministic and
// dependency-correct. A cycle is an error naming the objects involved.
import type { Change } from '../diff/changes.js';
import { compareText } from '../schema/canonical.js';
import { changeDeps, changePhase, changeSortKey, describeChange } from './kinds/registry.js';
import type { SortContext } from './kinds/handler.js';

export class PlanCycleError extends Error {
  constructor(readonly objects: string[]) {
    super(`cannot order the plan: these changes depend on each other in a cycle: ${objects.join(' → ')}`);
    this.name = 'PlanCycleError';
  }
}

interface Node {
  index: number;
  change: Change;
  rank: string[];
}

function compareRank(a: Node, b: Node): number {
  const n = Math.max(a.rank.length, b.rank.length);
  for (let i = 0; i < n; i++) {
    const x = a.rank[i];
    const y = b.rank[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareText(x, y);
    if (c !== 0) return c;
  }
  return a.index - b.index;
}

/** Edges a → b meaning a must run before b. */
function buildEdges(changes: readonly Change[]): Set<number>[] {
  const deps = changes.map(changeDeps);
  const producers = new Map<string, number[]>();
  const removers = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, k: string, i: number): void => {
    const list = map.get(k);
    if (list) list.push(i);
    else map.set(k, [i]);
  };
  deps.forEach((d, i) => {
    for (const k of d.produces) add(producers, k, i);
    for (const k of d.removes) add(removers, k, i);
  });
  const after: Set<number>[] = changes.map(() => new Set<number>());
  const edge = (from: number, to: number): void => {
    if (from !== to) after[from]!.add(to);
  };
  deps.forEach((d, i) => {
    for (const k of d.needs) for (const p of producers.get(k) ?? []) edge(p, i);
    for (const k of d.releases) for (const r of removers.get(k) ?? []) edge(i, r);
    for (const k of d.removes) for (const p of producers.get(k) ?? []) edge(i, p);
  });
  return after;
}

export function orderChanges(changes: readonly Change[], context: SortContext): Change[] {
  const nodes: Node[] = changes.map((change, index) => ({
    index,
    change,
    rank: [String(changePhase(change)).padStart(3, '0'), ...changeSortKey(change, context)],
  }));
  const after = buildEdges(changes);
  const indegree = nodes.map(() => 0);
  for (const targets of after) for (const t of targets) indegree[t]! += 1;
  const ready = new Heap<Node>(compareRank);
  for (const n of nodes) if (indegree[n.index] === 0) ready.push(n);
  const out: Change[] = [];
  while (ready.size > 0) {
    const n = ready.pop()!;
    out.push(n.change);
    for (const t of after[n.index]!) {
      indegree[t]! -= 1;
      if (indegree[t] === 0) ready.push(nodes[t]!);
    }
  }
  if (out.length < nodes.length) throw new PlanCycleError(findCycle(after, indegree).map((i) => describeChange(changes[i]!)));
  return out;
}

/**
 * One cycle among the nodes left unordered: each of them still has an
 * unordered predecessor, so walking predecessors must revisit a node.
 */
function findCycle(after: Set<number>[], indegree: number[]): number[] {
  const remaining = new Set(indegree.flatMap((d, i) => (d > 0 ? [i] : [])));
  const before = new Map<number, number>();
  after.forEach((targets, from) => {
    if (!remaining.has(from)) return;
    for (const t of targets) if (remaining.has(t) && !before.has(t)) before.set(t, from);
  });
  const path: number[] = [];
  const seen = new Map<number, number>();
  let current = Math.min(...remaining);
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    current = before.get(current)!;
  }
  return [...path.slice(seen.get(current)!), current].reverse();
}

class Heap<T> {
  private items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(a[i]!, a[p]!) >= 0) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
