import { createRequire } from 'node:module';
import type { Contender, ContenderName } from './contender';
import { langchainContender } from './langchain';
import { rawContender } from './raw';

/**
 * `ours` is loaded only when selected, so `--only raw,langchain` runs even while the package's
 * facade cannot be loaded. (A plain dynamic `import()` would bypass ts-node's CommonJS hook.)
 */
function loadOurs(): Contender {
  const load = createRequire(__filename);
  let module: { oursContender?: Contender };
  try {
    module = load('./ours') as { oursContender?: Contender };
  } catch (err) {
    throw new Error(
      `the "ours" contender cannot be loaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); ` +
        'run with --only raw,langchain until the package exports ChatHistoryStore',
      { cause: err },
    );
  }
  if (!module.oursContender) throw new Error('bench/contenders/ours.ts does not export oursContender');
  return module.oursContender;
}

export function loadContender(name: ContenderName): Contender {
  switch (name) {
    case 'raw':
      return rawContender;
    case 'langchain':
      return langchainContender;
    case 'ours':
      return loadOurs();
  }
}
