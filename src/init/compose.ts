// `lockplane init docker-compose`: a `shadow` service cloned from the
// project's Postgres service, on the next free host port from 5433. The file
// is edited in place: the new service is inserted as text after the last one,
// so every existing byte (comments, quoting, layout) stays as it was.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Document, isAlias, isMap, isNode, isScalar, isSeq, parseDocument, Scalar, visit, type Node, type YAMLMap } from 'yaml';
import { InputError } from '../errors.js';

export const COMPOSE_FILE_NAMES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'] as const;
export const SHADOW_SERVICE = 'shadow';
const FIRST_SHADOW_PORT = 5433;

export interface ComposeResult {
  file: string;
  changed: boolean;
  /** The service the shadow was cloned from (when added). */
  source?: string;
  port?: number;
  /** postgresql:// URL of the shadow service as seen from the host, when it can be told. */
  shadowUrl?: string;
}

type Service = Record<string, unknown>;

export function findComposeFile(cwd: string, file: string | undefined): string {
  if (file !== undefined) {
    const path = resolve(cwd, file);
    if (!existsSync(path)) throw new InputError(`--file ${file}: no such file`);
    return path;
  }
  const found = COMPOSE_FILE_NAMES.map((name) => join(cwd, name)).find((path) => existsSync(path));
  if (!found) throw new InputError(`no compose file in ${cwd} (looked for ${COMPOSE_FILE_NAMES.join(', ')}); pass --file`);
  return found;
}

export function addShadowToComposeFile(cwd: string, file: string | undefined): ComposeResult {
  const path = findComposeFile(cwd, file);
  const label = relative(cwd, path) || path;
  const text = readFileSync(path, 'utf8');
  const result = addShadowService(text, label);
  if (result.text !== text) writeFileSync(path, result.text);
  return { ...result.outcome, file: label };
}

export function addShadowService(text: string, label: string): { text: string; outcome: Omit<ComposeResult, 'file'> } {
  const doc = parseDocument(text, { merge: true });
  const problem = doc.errors[0];
  if (problem) {
    const [line, column] = problem.linePos?.[0] ? [problem.linePos[0].line, problem.linePos[0].col] : [1, 1];
    throw new InputError(`${label}:${line}:${column}: ${problem.message.split('\n')[0]}`);
  }
  const servicesNode = doc.get('services', true);
  if (!isMap(servicesNode)) throw new InputError(`${label}: no services: map`);
  const services = (doc.toJS() as { services: Record<string, Service | null> }).services;
  if (SHADOW_SERVICE in services) {
    const shadowUrl = urlOf(services[SHADOW_SERVICE] ?? {});
    return { text, outcome: { changed: false, ...(shadowUrl ? { shadowUrl } : {}) } };
  }
  const source = primaryService(services);
  if (!source) {
    throw new InputError(`${label}: no Postgres service (one whose image starts with postgres, or one named postgres or db)`);
  }
  const port = nextFreePort(services);
  const shadow = shadowOf(services[source] ?? {}, port);
  const block = shadowDocument(cloneWithStyle(servicesNode.get(source, true), shadow) ?? shadow);
  const comment = `# Lockplane shadow database: an empty copy of "${source}" (lockplane init docker-compose)`;
  const edited = insertService(text, servicesNode, block, comment) ?? viaDocument(doc, shadow);
  const check = (parseDocument(edited, { merge: true }).toJS() as { services: Record<string, unknown> }).services;
  if (!(SHADOW_SERVICE in check) || Object.keys(check).length !== Object.keys(services).length + 1) {
    throw new Error(`${label}: adding the shadow service did not give the expected file`);
  }
  const shadowUrl = urlOf(shadow);
  return { text: edited, outcome: { changed: true, source, port, ...(shadowUrl ? { shadowUrl } : {}) } };
}

function imageName(service: Service): string {
  const image = typeof service.image === 'string' ? service.image : '';
  // registry/org/postgres:16 → postgres:16
  return image.split('/').pop() ?? '';
}

function primaryService(services: Record<string, Service | null>): string | undefined {
  const names = Object.keys(services);
  return (
    names.find((name) => imageName(services[name] ?? {}).startsWith('postgres')) ??
    names.find((name) => name === 'postgres' || name === 'db')
  );
}

/** Host ports published by any service: "5432:5432", "127.0.0.1:5432:5432", ranges, long syntax. */
function usedHostPorts(services: Record<string, Service | null>): Set<number> {
  const used = new Set<number>();
  const addRange = (text: string): void => {
    const [from, to] = text.split('-').map(Number);
    if (from === undefined || !Number.isInteger(from)) return;
    for (let port = from; port <= (to !== undefined && Number.isInteger(to) ? to : from); port += 1) used.add(port);
  };
  for (const service of Object.values(services)) {
    const ports = service?.ports;
    if (!Array.isArray(ports)) continue;
    for (const entry of ports) {
      if (typeof entry === 'string') {
        const parts = entry.split('/')[0]!.split(':');
        if (parts.length >= 2) addRange(parts[parts.length - 2]!);
      } else if (entry && typeof entry === 'object' && 'published' in entry) {
        addRange(String((entry as { published: unknown }).published));
      }
    }
  }
  return used;
}

function nextFreePort(services: Record<string, Service | null>): number {
  const used = usedHostPorts(services);
  let port = FIRST_SHADOW_PORT;
  while (used.has(port)) port += 1;
  return port;
}

function containerPort(service: Service): number {
  const first: unknown = Array.isArray(service.ports) ? service.ports[0] : undefined;
  if (typeof first === 'string') return Number(first.split('/')[0]!.split(':').pop()) || 5432;
  if (typeof first === 'number') return first;
  if (first && typeof first === 'object' && 'target' in first) return Number((first as { target: unknown }).target) || 5432;
  return 5432;
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map(String).map((item) => [item.split('=')[0]!, item.slice(item.indexOf('=') + 1)]));
  }
  if (env && typeof env === 'object') return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
  return {};
}

function databaseOf(env: Record<string, string>): string {
  return env.POSTGRES_DB || env.POSTGRES_USER || 'postgres';
}

/** The clone: same image, settings and healthcheck; its own database name, port and no data volumes. */
function shadowOf(source: Service, port: number): Service {
  const { volumes: _volumes, ports: _ports, hostname: _hostname, container_name: containerName, ...rest } = source;
  const env = environmentOf(source);
  const database = `${databaseOf(env)}_shadow`;
  const environment = Array.isArray(source.environment)
    ? [...source.environment.map(String).filter((item) => !item.startsWith('POSTGRES_DB=')), `POSTGRES_DB=${database}`]
    : { ...((source.environment as Record<string, unknown> | undefined) ?? {}), POSTGRES_DB: database };
  return {
    ...rest,
    ...(typeof containerName === 'string' ? { container_name: `${containerName}-shadow` } : {}),
    environment,
    ports: [`${port}:${containerPort(source)}`],
  };
}

function urlOf(service: Service): string | undefined {
  const ports = usedHostPorts({ service });
  const [port] = [...ports];
  if (port === undefined) return undefined;
  const env = environmentOf(service);
  const user = env.POSTGRES_USER || 'postgres';
  const password = env.POSTGRES_PASSWORD ? `:${encodeURIComponent(env.POSTGRES_PASSWORD)}` : '';
  return `postgresql://${encodeURIComponent(user)}${password}@localhost:${port}/${encodeURIComponent(databaseOf(env))}?sslmode=disable`;
}

/**
 * The source service's node with the shadow's values, keeping its layout and
 * comments (flow lists, `# pinned`); undefined when it uses anchors or aliases,
 * which cannot be copied on their own.
 */
function cloneWithStyle(sourceNode: unknown, shadow: Service): Node | undefined {
  if (!isMap(sourceNode)) return undefined;
  let shared = false;
  visit(sourceNode, (_key, node) => {
    if (isAlias(node) || ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor)) shared = true;
  });
  if (shared) return undefined;
  const node = sourceNode.clone() as YAMLMap;
  for (const item of [...node.items]) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    if (!(key in shadow)) node.delete(item.key);
  }
  const helper = new Document();
  for (const key of ['container_name', 'environment', 'ports']) {
    const current = node.get(key, true);
    const value = shadow[key];
    if (value === undefined) continue;
    if (key === 'environment' && isMap(current) && !Array.isArray(value)) {
      current.set('POSTGRES_DB', (value as Record<string, unknown>).POSTGRES_DB);
    } else {
      node.set(key, helper.createNode(value));
    }
  }
  return node;
}

function shadowDocument(shadow: Node | Service): Document {
  const doc = new Document({});
  (doc.contents as YAMLMap).set(SHADOW_SERVICE, isNode(shadow) ? shadow : doc.createNode(shadow));
  quotePorts(doc.getIn([SHADOW_SERVICE, 'ports'], true));
  return doc;
}

/** "5433:5432" unquoted is a base-60 number to YAML 1.1 readers. */
function quotePorts(ports: unknown): void {
  if (!isSeq(ports)) return;
  for (const item of ports.items) if (isScalar(item) && typeof item.value === 'string') item.type = Scalar.QUOTE_DOUBLE;
}

/** Inserts the rendered service after the last service of a block-style map; undefined for flow style. */
function insertService(text: string, services: YAMLMap, block: Document, comment: string): string | undefined {
  const last = services.items[services.items.length - 1];
  if (services.flow || !last || !isScalar(last.key) || !last.key.range) return undefined;
  const keyStart = last.key.range[0];
  const indent = keyStart - (text.lastIndexOf('\n', keyStart - 1) + 1);
  const valueEnd = (last.value as { range?: [number, number, number] } | null)?.range?.[1] ?? last.key.range[2];
  let insertAt = text.indexOf('\n', valueEnd - 1) + 1 || text.length;
  // Comments indented under the last service belong to it.
  for (let pos = insertAt; pos < text.length; ) {
    const end = text.indexOf('\n', pos) === -1 ? text.length : text.indexOf('\n', pos) + 1;
    const line = text.slice(pos, end);
    if (line.trim() !== '' && !(line.trim().startsWith('#') && line.search(/\S/) > indent)) break;
    if (line.trim() !== '') insertAt = end;
    pos = end;
  }
  const childIndent = detectStep(text, last) ?? 2;
  const rendered = block.toString({ indent: childIndent, flowCollectionPadding: false, lineWidth: 0 });
  const lines = [comment, ...rendered.replace(/\n$/, '').split('\n')].map((line) => (line ? ' '.repeat(indent) + line : line));
  const before = text.slice(0, insertAt);
  const separator = before.endsWith('\n') ? '' : '\n';
  return `${before}${separator}\n${lines.join('\n')}\n${text.slice(insertAt)}`;
}

/** The indentation step the file uses inside a service. */
function detectStep(text: string, last: { key: unknown; value: unknown }): number | undefined {
  if (!isScalar(last.key) || !isMap(last.value) || !last.key.range) return undefined;
  const first = last.value.items[0];
  if (!first || !isScalar(first.key) || !first.key.range) return undefined;
  const column = (offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  const step = column(first.key.range[0]) - column(last.key.range[0]);
  return step > 0 ? step : undefined;
}

/** Flow-style services: let the Document API write the file. */
function viaDocument(doc: Document.Parsed, shadow: Service): string {
  const node = doc.createNode(shadow);
  quotePorts(node.get('ports', true));
  (doc.get('services', true) as YAMLMap).set(SHADOW_SERVICE, node);
  return doc.toString({ flowCollectionPadding: false, lineWidth: 0 });
}
