import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('@opentelemetry/api stays an optional peer dependency', () => {
  it('is loaded by src/telemetry/otel-api.ts only, and there only through a guarded require', () => {
    const valueImports = sourceFiles(SRC).filter((file) =>
      /(^|\n)import\s+(?!type\b)[^;]*from\s+['"]@opentelemetry\//.test(readFileSync(file, 'utf8')),
    );
    const requires = sourceFiles(SRC)
      .filter((file) => /require\(\s*['"]@opentelemetry\//.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(valueImports).toEqual([]);
    expect(requires).toEqual([join('telemetry', 'otel-api.ts')]);
  });

  it('the main entry point loads and a store works when @opentelemetry/api cannot be found', async () => {
    let store:
      { history(id: string): { addUserMessage(c: string): Promise<unknown>; count(): Promise<number> } } | undefined;
    let loads = 0;
    jest.isolateModules(() => {
      jest.doMock('@opentelemetry/api', () => {
        loads += 1;
        throw Object.assign(new Error("Cannot find module '@opentelemetry/api'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const main = require('../../../src') as Record<string, unknown>;
      expect(typeof main.ChatHistoryStore).toBe('function');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      store = (require('../../../src/testing') as typeof import('../../../src/testing')).createTestStore().store;
    });
    expect(loads).toBe(0); // nothing looks for it before the first operation
    const history = store!.history('s1');
    await history.addUserMessage('hi');
    await history.addUserMessage('again');
    await expect(history.count()).resolves.toBe(2);
    expect(loads).toBe(1); // looked for once, then remembered as absent
  });
});
