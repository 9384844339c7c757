// Renaming a column inside catalog-spelled text: only the column's own tokens change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameColumnInTrigger, renameInExpression, renameTableInTrigger } from '../../src/diff/rename-text.js';

test('a renamed column in expression text: bare and quoted tokens, not literals, calls, casts or other qualifiers', () => {
  assert.equal(renameInExpression("(email <> ''::text)", 'email', 'mail'), "(mail <> ''::text)");
  assert.equal(renameInExpression("(email <> 'email'::text)", 'email', 'Mail'), "(\"Mail\" <> 'email'::text)");
  assert.equal(renameInExpression('("Old Name" > 0)', 'Old Name', 'new_name'), '(new_name > 0)');
  assert.equal(renameInExpression('lower(email)', 'email', 'mail'), 'lower(mail)');
  assert.equal(renameInExpression('(email(x) AND t.email AND (1)::email)', 'email', 'mail'), '(email(x) AND t.email AND (1)::email)');
  assert.equal(renameInExpression('(new.email IS NOT NULL)', 'email', 'mail', ['new', 'old']), '(new.mail IS NOT NULL)');
});

test('a renamed column and table in trigger definitions, the trigger name aside', () => {
  const def = 'CREATE TRIGGER email BEFORE UPDATE OF email ON public.users FOR EACH ROW WHEN ((old.email IS DISTINCT FROM new.email)) EXECUTE FUNCTION public.f()';
  assert.equal(
    renameTableInTrigger(renameColumnInTrigger(def, 'email', 'mail'), 'public', 'users', 'people'),
    'CREATE TRIGGER email BEFORE UPDATE OF mail ON public.people FOR EACH ROW WHEN ((old.mail IS DISTINCT FROM new.mail)) EXECUTE FUNCTION public.f()',
  );
});
