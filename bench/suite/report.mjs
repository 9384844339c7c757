// Markdown tables of benchmark results: ratios first (to the scenario's
// reference row, and each peer's time over Lockplane's), then the medians.
const ms = (x) => (x === undefined || Number.isNaN(x) ? '—' : Math.round(x).toLocaleString('en-US'));
const mib = (kb) => (Number.isFinite(kb) ? (kb / 1024).toFixed(1) : '—');
const ratio = (a, b) => (a === undefined || b === undefined || !(b > 0) || Number.isNaN(a) ? '—' : (a / b).toFixed(2));

/**
 * `results`: from harness.benchmark; the first row is the reference.
 * `lockplaneRow`: the name of the row peers are compared with (optional).
 */
export function scenarioTable({ results, load }, { lockplaneRow, countLabel } = {}) {
  const ref = results[0];
  const lp = lockplaneRow ? results.find((r) => r.name === lockplaneRow) : undefined;
  const head = ['tool', `× ${ref.name}`];
  if (lp) head.push('peer ÷ Lockplane (wall)', 'peer ÷ Lockplane (CPU)');
  head.push('median wall ms', 'best wall ms', 'client CPU ms', 'peak RSS MiB', 'runs');
  if (countLabel) head.push(countLabel);
  head.push('note');
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of results) {
    const cells = [`\`${r.name}\``, r === ref ? '1.00 (reference)' : ratio(r.wallMs, ref.wallMs)];
    const peer = lp && !(r === lp || r === ref || r.lockplane) && r.wallMs !== undefined;
    if (lp) cells.push(peer ? `**${ratio(r.wallMs, lp.wallMs)}**` : '—', peer ? ratio(r.cpuMs, lp.cpuMs) : '—');
    cells.push(ms(r.wallMs), ms(r.minWallMs), ms(r.cpuMs), mib(r.rssKb), String(r.runs));
    if (countLabel) cells.push(r.count ?? '');
    cells.push((r.note ?? r.error ?? '').replace(/\|/g, '\\|'));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('', `Load average (1 min) before / after: ${load.map((l) => l.toFixed(1)).join(' / ')}.`);
  return lines.join('\n');
}

export function correctnessTable(checks) {
  const lines = [
    '| tool | applied to a copy of A | apply ms | `lockplane plan copy → B` steps left | `pg_dump` lines differing from B |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const c of checks) {
    const applied = c.applied ? 'yes' : `**no**: ${c.applyError.replace(/\|/g, '\\|').replace(/\s+/g, ' ')}`;
    const left = c.stepsLeft === undefined ? c.judgeError : c.stepsLeft === 0 ? '**0** (converged)' : `${c.stepsLeft} (${c.firstStepsLeft.join('; ')})`;
    lines.push(`| ${c.tool} | ${applied} | ${c.applyMs ? ms(c.applyMs) : '—'} | ${left ?? '—'} | ${c.dumpError ? `— (${c.dumpError.replace(/\s+/g, ' ')})` : c.dumpDiffLines === 0 ? '**0** (identical)' : (c.dumpDiffLines ?? '—')} |`);
  }
  return lines.join('\n');
}

export function growthTable(rows) {
  const head = ['tool', ...rows.map((r) => `${r.size} (${r.tables.toLocaleString('en-US')} tables): wall ms (client CPU ms)`), 'wall growth S→M / M→L (×10 tables each)', 'CPU growth'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  const tools = [...new Set(rows.flatMap((r) => r.results.map((x) => x.name)))];
  for (const tool of tools) {
    const found = rows.map((r) => r.results.find((x) => x.name === tool) ?? {});
    const growth = (key) => found.slice(1).map((x, i) => ratio(x[key], found[i][key])).join(' / ') || '—';
    lines.push(`| \`${tool}\` | ${found.map((x) => `${ms(x.wallMs)} (${ms(x.cpuMs)})`).join(' | ')} | ${growth('wallMs')} | ${growth('cpuMs')} |`);
  }
  return lines.join('\n');
}
