#!/usr/bin/env node
// Writes the module-system checks scripts/consumer-test.sh runs in its scratch project:
//   node write-module-checks.js <dir> <entry point>...   (e.g. . ./langchain ./testing ./ai-sdk)
//
// For every entry point, from a .mjs file (import), a .cjs file (require) and TypeScript with
// `moduleResolution: nodenext` (.mts and .cts): it loads, it exports names, and the imported module is
// the required one name for name (no dual-package hazard). Then a scenario per known entry point runs
// on the in-memory store with typed code, and errors thrown inside the package are `instanceof` the
// class the consumer imported. A new entry point gets the generic checks with no change here.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const [dir, ...entries] = process.argv.slice(2);
if (!dir || entries.length === 0) throw new Error('usage: write-module-checks.js <dir> <entry point>...');
const PKG = 'cassandra-chat-history';
const specifier = (subpath) => (subpath === '.' ? PKG : `${PKG}/${subpath.slice(2)}`);
const specs = entries.map(specifier);

// Each module system loads the package its own way, then runs the same checks.
const GENERIC = `
  for (const spec of ${JSON.stringify(specs)}) {
    const imported = await import(spec);
    const required = requireIt(spec);
    const names = Object.keys(required).filter((n) => n !== '__esModule').sort();
    const importedNames = Object.keys(imported).filter((n) => n !== 'default' && n !== 'module.exports').sort();
    if (names.length === 0) throw new Error(spec + ' exports nothing');
    if (JSON.stringify(importedNames) !== JSON.stringify(names)) throw new Error(spec + ': import gives ' + importedNames + ', require gives ' + names);
    for (const n of names) if (imported[n] !== required[n]) throw new Error(spec + ': ' + n + ' is a different object through import and require');
  }
  const main = await import('${PKG}');
  try { new main.ChatHistoryStore({}); throw new Error('no error'); } catch (e) {
    if (!(e instanceof requireIt('${PKG}').ConfigurationError) || !(e instanceof main.ConfigurationError)) throw new Error('ConfigurationError is not one class: ' + e);
  }
  console.log(kind + ': ' + ${JSON.stringify(specs.join(', '))} + ': import === require, one ConfigurationError');`;

writeFile(
  'check.mjs',
  `import { createRequire } from 'node:module';
const requireIt = createRequire(import.meta.url);
const kind = 'mjs';
${GENERIC}
`,
);
writeFile(
  'check.cjs',
  `const requireIt = require;
const kind = 'cjs';
(async () => {
${GENERIC}
})().catch((e) => { console.error(e); process.exit(1); });
`,
);

// TypeScript: named imports with their types, under nodenext; the same scenario as ESM and CommonJS.
const known = new Set(entries);
const imports = [
  `import { ChatHistoryStore, ConfigurationError, MessageValidationError, newMessageId, type ChatMessage } from '${PKG}';`,
  known.has('./testing') && `import { createTestStore, type InMemoryMapper } from '${PKG}/testing';`,
  known.has('./ai-sdk') && `import { generateMessageId, UIMessageChatStore } from '${PKG}/ai-sdk';`,
  known.has('./ai-sdk') && `import type { UIMessage } from 'ai';`,
  known.has('./langchain') && `import { CassandraChatMessageHistory } from '${PKG}/langchain';`,
].filter(Boolean);
// Every entry point is imported as a namespace too, so a new one is at least type-resolved and loaded.
entries.forEach((e, i) => imports.push(`import * as entry${i} from '${specifier(e)}';`));
const scenario = `
async function main(kind: string): Promise<void> {
  const namespaces: object[] = [${entries.map((_, i) => `entry${i}`).join(', ')}];
  for (const ns of namespaces) if (Object.keys(ns).length === 0) throw new Error('an entry point exports nothing');
  const id: string = newMessageId();
  try {
    new ChatHistoryStore({} as ConstructorParameters<typeof ChatHistoryStore>[0]);
  } catch (e) {
    if (!(e instanceof ConfigurationError)) throw e;
  }
${
  known.has('./testing')
    ? `
  const { store, mapper }: { store: ChatHistoryStore; mapper: InMemoryMapper } = createTestStore();
  const stored: ChatMessage = await store.history('s1').addUserMessage('hi', { id });
  if (stored.id !== id || mapper.calls.length === 0) throw new Error('testing: the add did not reach the mapper');
  const invalid = await store.history('s1').addUserMessage('').catch((e: unknown) => e);
  if (!(invalid instanceof MessageValidationError)) throw new Error('testing: no MessageValidationError');
  // @ts-expect-error addUserMessage takes a string: the types are real, not any
  await store.history('s1').addUserMessage(42).catch(() => undefined);
`
    : ''
}${
  known.has('./ai-sdk') && known.has('./testing')
    ? `
  const chats = new UIMessageChatStore({ store });
  const chat: UIMessage[] = [{ id: generateMessageId(), role: 'user', parts: [{ type: 'text', text: 'héllo' }] }];
  await chats.saveChat({ chatId: 'c1', messages: chat });
  if (JSON.stringify(await chats.loadChat('c1')) !== JSON.stringify(chat)) throw new Error('ai-sdk: round trip differs');
`
    : ''
}${
  known.has('./langchain') && known.has('./testing')
    ? `
  const history = new CassandraChatMessageHistory({ store, sessionId: 'lc1' });
  await history.addUserMessage('from langchain');
  const [message] = await history.getMessages();
  if (message.content !== 'from langchain') throw new Error('langchain: round trip differs');
`
    : ''
}
  console.log(kind + ': typed scenario passed');
}
`;
writeFile('check-ts.mts', `${imports.join('\n')}\n${scenario}\nawait main('ts (.mts, import)');\n`);
writeFile(
  'check-ts.cts',
  `${imports.join('\n')}\n${scenario}\nmain('ts (.cts, require)').catch((e: unknown) => { console.error(e); process.exit(1); });\n`,
);
// skipLibCheck: the peers' own declaration files are not this package's to check.
writeFile(
  'tsconfig.json',
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        skipLibCheck: true,
        types: ['node'],
        outDir: 'out',
      },
      files: ['check-ts.mts', 'check-ts.cts'],
    },
    null,
    2,
  ),
);

function writeFile(name, text) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
}
