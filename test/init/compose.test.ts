// `init docker-compose`: the shadow service added as text, everything else kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { addShadowService } from '../../src/init/compose.js';
import { InputError } from '../../src/errors.js';

const COMPOSE = `# Our stack
services:
  # the main database
  db:
    image: postgres:16 # pinned
    container_name: app-db
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: "s3cret"
      POSTGRES_DB: app
    ports:
      - "5432:5432"
    volumes:
      - pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U app"]
      interval: 5s

  web:
    image: node:20
    ports: ['5433:3000', "127.0.0.1:5434-5435:4000"]
    # a comment that belongs to web

# named volumes
volumes:
  pgdata: {}
`;

type Services = Record<string, Record<string, unknown>>;
const services = (text: string): Services => (parse(text) as { services: Services }).services;

test('adds a shadow service after the last one; every original line is kept as written', () => {
  const { text, outcome } = addShadowService(COMPOSE, 'docker-compose.yml');
  assert.equal(outcome.changed, true);
  assert.equal(outcome.source, 'db');
  assert.equal(outcome.port, 5436, '5433-5435 are published by web');
  assert.equal(outcome.shadowUrl, 'postgresql://app:s3cret@localhost:5436/app_shadow?sslmode=disable');
  const marker = '    # a comment that belongs to web\n';
  const cut = COMPOSE.indexOf(marker) + marker.length;
  assert.ok(text.startsWith(COMPOSE.slice(0, cut)), 'everything up to the end of the last service is untouched');
  assert.ok(text.endsWith(COMPOSE.slice(cut)), 'everything after it is untouched');
  const added = text.slice(cut, text.length - (COMPOSE.length - cut));
  assert.equal(
    added,
    [
      '',
      '  # Lockplane shadow database: an empty copy of "db" (lockplane init docker-compose)',
      '  shadow:',
      '    image: postgres:16 # pinned',
      '    container_name: app-db-shadow',
      '    environment:',
      '      POSTGRES_USER: app',
      '      POSTGRES_PASSWORD: "s3cret"',
      '      POSTGRES_DB: app_shadow',
      '    ports:',
      '      - "5436:5432"',
      '    healthcheck:',
      '      test: ["CMD-SHELL", "pg_isready -U app"]',
      '      interval: 5s',
      '',
    ].join('\n'),
  );
  const shadow = services(text).shadow!;
  assert.equal(shadow.volumes, undefined, 'the shadow never shares the data volume');
  assert.deepEqual(Object.keys(services(text)), ['db', 'web', 'shadow']);
});

test('idempotent: a second run changes nothing and still tells the URL', () => {
  const once = addShadowService(COMPOSE, 'docker-compose.yml').text;
  const twice = addShadowService(once, 'docker-compose.yml');
  assert.equal(twice.text, once);
  assert.equal(twice.outcome.changed, false);
  assert.equal(twice.outcome.shadowUrl, 'postgresql://app:s3cret@localhost:5436/app_shadow?sslmode=disable');
});

test('another layout: 4-space indent, list environment, long port syntax, a service named db with a registry image', () => {
  const text = [
    'services:',
    '    app:',
    '        image: example/app',
    '        ports:',
    '            - 5433:80',
    '    db:',
    '        image: docker.io/library/postgres:15-alpine',
    '        environment:',
    '            - POSTGRES_PASSWORD=pw',
    '        ports:',
    '            - target: 5432',
    '              published: 5434',
    '',
  ].join('\n');
  const { text: edited, outcome } = addShadowService(text, 'compose.yaml');
  assert.ok(edited.startsWith(text));
  assert.equal(outcome.port, 5435);
  assert.match(edited, /\n    shadow:\n        image: docker\.io\/library\/postgres:15-alpine\n        environment:\n            - POSTGRES_PASSWORD=pw\n            - POSTGRES_DB=postgres_shadow\n        ports:\n            - "5435:5432"\n$/);
  assert.equal(outcome.shadowUrl, 'postgresql://postgres:pw@localhost:5435/postgres_shadow?sslmode=disable');
});

test('flow-style services and anchors still work; no Postgres service or bad YAML is an InputError', () => {
  const flow = addShadowService('services: {db: {image: postgres}}\n', 'c.yml');
  assert.deepEqual(services(flow.text).shadow, { image: 'postgres', environment: { POSTGRES_DB: 'postgres_shadow' }, ports: ['5433:5432'] });
  const anchored = addShadowService('x-pg: &pg\n  image: postgres:16\nservices:\n  database:\n    <<: *pg\n    ports: ["5432:5432"]\n', 'c.yml');
  assert.equal(services(anchored.text).shadow?.image, 'postgres:16');
  assert.throws(() => addShadowService('services:\n  web:\n    image: nginx\n', 'c.yml'), (e: unknown) => e instanceof InputError && /^c\.yml: no Postgres service/.test(e.message));
  assert.throws(() => addShadowService('services:\n  db: [\n', 'c.yml'), (e: unknown) => e instanceof InputError && /^c\.yml:\d+:\d+: /.test(e.message));
  assert.throws(() => addShadowService('version: "3"\n', 'c.yml'), /c\.yml: no services: map/);
});
