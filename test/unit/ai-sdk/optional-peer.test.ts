import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('ai stays an optional peer dependency', () => {
  it('is imported by src/ai-sdk/* only, and there for types only', () => {
    const importsOfAi = /(?:import|export)([^;]*?)from\s+['"]ai(?:\/[^'"]*)?['"]|require\(\s*['"]ai['"/]/g;
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      for (const match of readFileSync(file, 'utf8').matchAll(importsOfAi)) {
        const typeOnly = /^\s*type\s/.test(match[1] ?? '');
        if (!relative(SRC, file).startsWith('ai-sdk') || !typeOnly)
          offenders.push(`${relative(SRC, file)}: ${match[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the main and ai-sdk entry points load when ai is not installed', () => {
    jest.isolateModules(() => {
      jest.doMock('ai', () => {
        throw Object.assign(new Error("Cannot find module 'ai'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const main = require('../../../src') as Record<string, unknown>;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const aiSdk = require('../../../src/ai-sdk') as Record<string, unknown>;
      expect(typeof main.ChatHistoryStore).toBe('function');
      expect(typeof aiSdk.UIMessageChatStore).toBe('function');
      expect(typeof aiSdk.generateMessageId).toBe('function');
    });
  });
});
