import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {ESLint} from 'eslint';

// The layer rule (widget -> common <- server, demo -> server/common) fails the lint.
// Only the layer rules run here: the type-checked rules need the whole program.
const eslint = new ESLint({
  overrideConfig: {
    linterOptions: {reportUnusedDisableDirectives: 'off'},
    languageOptions: {parserOptions: {projectService: false, project: false}},
  },
  ruleFilter: ({ruleId}) => ruleId === 'no-restricted-imports' || ruleId === 'no-restricted-syntax',
});

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, {filePath});
  assert.ok(result);
  return result.messages.map((m) => m.message);
}

describe('the layer rule', () => {
  it('refuses widget/ importing server/, statically or with import()', async () => {
    const errors = await layerErrors(
      'widget/x.ts',
      "import {createApp} from '../server/app.js';\nexport const later = () => import('../server/config.js');\nexport {createApp};\n",
    );
    assert.equal(errors.length, 2);
    for (const error of errors)
      assert.match(error, /Layer rule: widget\/ must not import server\//);
  });

  it('refuses widget/ importing demo/ and server/ importing widget/ or demo/', async () => {
    assert.match(
      (await layerErrors('widget/sections/y.ts', "import '../../demo/boot.js';\n"))[0] ?? '',
      /widget\/ must not import demo\//,
    );
    assert.match(
      (await layerErrors('server/routes/z.ts', "import '../../widget/index.js';\n"))[0] ?? '',
      /server\/ must not import widget\//,
    );
    assert.match(
      (await layerErrors('server/app2.ts', "export * from '../demo/boot.js';\n"))[0] ?? '',
      /server\/ must not import demo\//,
    );
  });

  it('keeps common/ free of the other layers and of Node built-ins', async () => {
    const errors = await layerErrors(
      'common/x.ts',
      "import '../widget/index.js';\nimport '../server/app.js';\nimport 'node:fs';\n",
    );
    assert.equal(errors.length, 3);
  });

  it('lets widget/ and server/ import common/', async () => {
    assert.deepEqual(await layerErrors('widget/x.ts', "import '../common/contract.js';\n"), []);
    assert.deepEqual(await layerErrors('server/x.ts', "import '../common/contract.js';\n"), []);
  });
});
