import { createRequire } from 'node:module';
import type { Contender, ContenderName } from './contender';

/**
 * Contenders are loaded only when selected: `--only raw,langchain` runs even while the package's
 * facade cannot be loaded, and a memory worker loads only the code it measures. (A plain dynamic
 * `import()` would bypass ts-node's CommonJS hook, hence createRequire.)
 */
const MODULES: Record<ContenderName, { readonly file: string; readonly exportName: string }> = {
  raw: { file: './raw', exportName: 'rawContender' },
  ours: { file: './ours', exportName: 'oursContender' },
  langchain: { file: './langchain', exportName: 'langchainContender' },
};

export function loadContender(name: ContenderName): Contender {
  const { file, exportName } = MODULES[name];
  let module: Record<string, Contender | undefined>;
  try {
    module = createRequire(__filename)(file) as Record<string, Contender | undefined>;
  } catch (err) {
    const hint = name === 'ours' ? '; run with --only raw,langchain until the package exports ChatHistoryStore' : '';
    throw new Error(
      `the "${name}" contender cannot be loaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)})${hint}`,
      { cause: err },
    );
  }
  const contender = module[exportName];
  if (!contender) throw new Error(`bench/contenders/${file.slice(2)}.ts does not export ${exportName}`);
  return contender;
}
