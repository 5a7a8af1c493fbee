import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('@langchain/core and @langchain/langgraph-checkpoint stay optional peer dependencies', () => {
  it('are imported by src/langchain/* and src/langgraph/* only', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => !/^lang(chain|graph)[\\/]/.test(relative(SRC, file)))
      .filter((file) => /from\s+['"]@langchain\/|require\(\s*['"]@langchain\//.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the main entry point loads when @langchain/core is not installed', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module '@langchain/core'"), { code: 'MODULE_NOT_FOUND' });
    };
    jest.isolateModules(() => {
      for (const subpath of ['messages', 'chat_history', 'runnables', 'prompts', 'utils/testing']) {
        jest.doMock(`@langchain/core/${subpath}`, missing);
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const main = require('../../../src') as Record<string, unknown>;
      expect(typeof main.ChatHistoryStore).toBe('function');
      expect(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('../../../src/langchain');
      }).toThrow(/Cannot find module '@langchain\/core'/);
    });
  });

  it('the main entry point loads when @langchain/langgraph-checkpoint is not installed; the langgraph entry needs it', () => {
    jest.isolateModules(() => {
      jest.doMock('@langchain/langgraph-checkpoint', () => {
        throw Object.assign(new Error("Cannot find module '@langchain/langgraph-checkpoint'"), {
          code: 'MODULE_NOT_FOUND',
        });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const main = require('../../../src') as Record<string, unknown>;
      expect(typeof main.ChatHistoryStore).toBe('function');
      expect(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('../../../src/langgraph');
      }).toThrow(/Cannot find module '@langchain\/langgraph-checkpoint'/);
    });
  });
});
