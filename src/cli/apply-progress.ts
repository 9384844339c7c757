// How `apply` reports its progress: on a terminal one live line per step
// ("step N/M description  12.3 s  45%"), plain lines on stderr otherwise,
// and with --json newline-delimited JSON events on stdout (README "apply --json").
import pc from 'picocolors';
import type { BackfillProgress, IndexBuildProgress, PlanStep, PreflightCheck } from '../index.js';
import { info } from './output.js';

export type ApplyEvent =
  | { event: 'apply_started'; target: string; plan_hash?: string; steps: number; from_step: number; resumes: number | null; apply_id: number }
  | { event: 'step_started'; step: number; of: number; description: string; transactional: boolean }
  | {
      event: 'step_progress';
      step: number;
      phase: string;
      percent: number | null;
      /** Backfills: rows updated so far, the planner's estimate of all, the rate and the time left. */
      rows_done?: number;
      rows_total?: number | null;
      rows_per_second?: number;
      eta_seconds?: number | null;
    }
  | { event: 'step_retry'; step: number; attempt: number; of: number; wait_ms: number; error: string }
  | { event: 'step_finished'; step: number; status: 'applied'; duration_ms: number }
  | { event: 'cleanup'; message: string }
  | { event: 'preflight'; status: 'passed' | 'failed' | 'skipped'; checks: PreflightCheck[]; duration_ms: number }
  | {
      event: 'apply_finished';
      status: 'applied' | 'no_changes' | 'failed' | 'refused' | 'cancelled';
      steps_applied: number;
      duration_ms: number;
      apply_id?: number;
      failed_step?: number;
      error?: string;
    };

export interface ApplyReporter {
  emit(event: ApplyEvent): void;
  /** True when the reporter owns stdout (--json): nothing else may print there. */
  readonly json: boolean;
}

export function applyReporter(json: boolean, stream: NodeJS.WriteStream = process.stderr): ApplyReporter {
  if (json) return { json: true, emit: (event) => void process.stdout.write(`${JSON.stringify({ ...event, time: new Date().toISOString() })}\n`) };
  return stream.isTTY ? new TerminalReporter(stream) : new PlainReporter();
}

class PlainReporter implements ApplyReporter {
  readonly json = false;
  emit(event: ApplyEvent): void {
    const line = plainLine(event);
    if (line) info(line);
  }
}

function plainLine(event: ApplyEvent): string | null {
  switch (event.event) {
    case 'apply_started':
      return event.from_step > 0 ? `Resuming apply #${event.resumes}: steps 1-${event.from_step} are done; continuing at step ${event.from_step + 1}/${event.steps}` : null;
    case 'step_started':
      return `  [${event.step}/${event.of}] ${event.description}`;
    case 'step_progress':
      return `        ${event.phase}${event.percent === null ? '' : ` ${event.percent.toFixed(0)}%`}`;
    case 'step_retry':
      return `  lock timeout at step ${event.step}; retry ${event.attempt}/${event.of} in ${(event.wait_ms / 1000).toFixed(1)} s`;
    case 'step_finished':
      return event.duration_ms >= 1000 ? `        done in ${seconds(event.duration_ms)}` : null;
    case 'cleanup':
      return `  ${event.message}`;
    case 'apply_finished':
    case 'preflight': // printed whole by the apply command
      return null;
  }
}

/** One live line for the running step, redrawn in place; finished steps stay as plain lines. */
class TerminalReporter implements ApplyReporter {
  readonly json = false;
  private current: { step: number; of: number; description: string; started: number; progress?: IndexBuildProgress } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  emit(event: ApplyEvent): void {
    if (event.event === 'step_started') {
      this.current = { step: event.step, of: event.of, description: event.description, started: Date.now() };
      this.timer ??= setInterval(() => this.draw(), 200);
      this.timer.unref();
      this.draw();
      return;
    }
    if (event.event === 'step_progress' && this.current) {
      this.current.progress = { phase: event.phase, percent: event.percent };
      this.draw();
      return;
    }
    if (event.event === 'step_finished' && this.current) {
      this.draw(`${pc.green('✓')} `);
      this.stream.write('\n');
      this.current = undefined;
      return;
    }
    if (event.event === 'apply_finished') {
      clearInterval(this.timer);
      if (this.current) this.stream.write('\n');
      this.current = undefined;
      return;
    }
    const line = plainLine(event);
    if (!line) return;
    if (this.current) this.stream.write('\n');
    info(line);
  }

  private draw(mark = '  '): void {
    const c = this.current;
    if (!c) return;
    const percent = c.progress?.percent === null || c.progress === undefined ? '' : `  ${c.progress.percent.toFixed(0)}%`;
    const phase = c.progress ? `  ${pc.dim(c.progress.phase)}` : '';
    const text = `${mark}step ${c.step}/${c.of} ${c.description}  ${seconds(Date.now() - c.started)}${percent}${phase}`;
    const width = this.stream.columns || 100;
    this.stream.write(`\r\x1b[2K${text.length > width ? text.slice(0, width - 1) : text}`);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function backfillProgressEvent(index: number, p: BackfillProgress): ApplyEvent {
  const total = p.rowsTotal === null ? null : Math.max(p.rowsTotal, p.rowsDone);
  const eta = total === null || p.rowsPerSecond <= 0 ? null : Math.round((total - p.rowsDone) / p.rowsPerSecond);
  return {
    event: 'step_progress',
    step: index + 1,
    phase: `backfill: ${p.rowsDone.toLocaleString('en')}${total === null ? '' : `/~${total.toLocaleString('en')}`} rows, ${Math.round(p.rowsPerSecond).toLocaleString('en')} rows/s${eta === null ? '' : `, ETA ${seconds(eta * 1000)}`}`,
    percent: total ? Math.min(100, (100 * p.rowsDone) / total) : null,
    rows_done: p.rowsDone,
    rows_total: total,
    rows_per_second: Math.round(p.rowsPerSecond),
    eta_seconds: eta,
  };
}

export function stepStartedEvent(index: number, of: number, step: PlanStep): ApplyEvent {
  return { event: 'step_started', step: index + 1, of, description: step.description, transactional: step.transactional !== false };
}
