// schema/schema.graphql and the generated SDK are committed; this fails when either is stale.
import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.js';

describe('generated files', () => {
  it('schema/schema.graphql and src/client/sdk.ts match what codegen.ts generates (run npm run codegen)', async () => {
    const outputs = await generate({ ...config, silent: true }, false);
    expect(outputs.map((o: { filename: string }) => o.filename).sort()).toEqual([
      'schema/schema.graphql',
      'src/client/sdk.ts',
    ]);
    for (const output of outputs) {
      const committed = await readFile(output.filename, 'utf8');
      expect(committed, `${output.filename} is stale: run npm run codegen`).toBe(output.content);
    }
  }, 60_000);
});
