import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findConfigFile } from '../../src/config/index.js';
import { tempTree } from './helpers.js';

test('discovery: lockplane.toml in the current directory', () => {
  const t = tempTree({ 'package.json': '{}', 'lockplane.toml': '' });
  try {
    assert.equal(findConfigFile(t.dir), t.path('lockplane.toml'));
  } finally {
    t.cleanup();
  }
});

test('discovery: walks up from a subdirectory to the project root, which is searched too', () => {
  for (const marker of ['.git/', 'package.json', 'pyproject.toml']) {
    const t = tempTree({ [marker]: '', 'lockplane.toml': '', 'a/b/c/': '' });
    try {
      assert.equal(findConfigFile(t.path('a/b/c')), t.path('lockplane.toml'), marker);
    } finally {
      t.cleanup();
    }
  }
});

test('discovery: stops at the project root (.git, package.json, pyproject.toml) and never looks above it', () => {
  for (const marker of ['.git/', 'package.json', 'pyproject.toml']) {
    const t = tempTree({ 'lockplane.toml': '', [`project/${marker}`]: '', 'project/src/': '' });
    try {
      assert.equal(findConfigFile(t.path('project/src')), undefined, marker);
      assert.equal(findConfigFile(t.path('project')), undefined, marker);
    } finally {
      t.cleanup();
    }
  }
});

test('discovery: the nearest lockplane.toml wins', () => {
  const t = tempTree({ '.git/': '', 'lockplane.toml': '', 'sub/lockplane.toml': '', 'sub/deeper/': '' });
  try {
    assert.equal(findConfigFile(t.path('sub/deeper')), t.path('sub/lockplane.toml'));
  } finally {
    t.cleanup();
  }
});

test('discovery: without a project root it walks to the filesystem root and finds nothing', () => {
  const t = tempTree({ 'x/y/': '' });
  try {
    assert.equal(findConfigFile(t.path('x/y')), undefined);
  } finally {
    t.cleanup();
  }
});
