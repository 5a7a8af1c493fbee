#!/usr/bin/env bash
# Uses the package as a consumer would: builds and packs it, installs the tarball into a scratch
# project (under the OS temp dir) with the test tools and the optional peers (@langchain/core, ai,
# @langchain/langgraph-checkpoint), and
# 1. runs a jest unit test there that imports `cassandra-chat-history/testing`;
# 2. for EVERY entry point of scripts/entry-points.js, runs it from a `.mjs` file (the `import`
#    condition), a `.cjs` file (`require`) and a TypeScript consumer with `moduleResolution: nodenext`
#    (an `.mts` and a `.cts` file, type-checked, compiled and run), and checks the dual-package hazard:
#    a class imported is the class required, so errors are `instanceof` it whichever way.
# Catches what in-repo tests can't: a missing subpath export, condition or typesVersions entry, a file
# left out of the tarball, a type that only resolves inside this repository. Uses the normal npm
# registry configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/cch-consumer.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

npm run build >/dev/null
tarball="$(npm pack --silent --pack-destination "$scratch" | tail -n 1)"
# The test tools at the versions this repository is tested with.
dev() { node -p "require('./package.json').devDependencies['$1']"; }
tools=("jest@$(dev jest)" "ts-jest@$(dev ts-jest)" "typescript@$(dev typescript)" "@types/jest@$(dev @types/jest)"
  "@types/node@$(dev @types/node)" "@langchain/core@$(dev @langchain/core)" "ai@$(dev ai)"
  "@langchain/langgraph-checkpoint@$(dev @langchain/langgraph-checkpoint)")
entries="$(node -p "require('./scripts/entry-points').ENTRY_POINTS.join(' ')")"

cd "$scratch"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "./$tarball" "${tools[@]}"

# skipLibCheck: the driver's own typings need @types/node, which this bare project does not have.
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "node16", "moduleResolution": "node16", "strict": true,
  "esModuleInterop": true, "isolatedModules": true, "skipLibCheck": true, "types": ["jest"] } }
JSON
cat > jest.config.js <<'JS'
module.exports = { testEnvironment: 'node', transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] } };
JS
cat > consumer.test.ts <<'TS'
import { RequestTimeoutError } from 'cassandra-chat-history';
import { createTestStore, type MapperCall } from 'cassandra-chat-history/testing';

it('unit-tests a service with the installed kit', async () => {
  const { store, mapper } = createTestStore();
  const history = store.history('s1');
  mapper.failNext({ method: 'batch' }, new RequestTimeoutError('timed out'), { applied: true });
  const error = (await history.addUserMessage('hi').catch((e: unknown) => e)) as RequestTimeoutError;
  expect(error).toBeInstanceOf(RequestTimeoutError);
  await history.addMessage({ id: error.messageIds?.[0], role: 'user', content: 'hi' });
  expect((await history.getMessages()).map((m) => m.content)).toEqual(['hi']);
  const batches: MapperCall[] = mapper.calls.filter((c) => c.method === 'batch');
  expect(batches).toHaveLength(2);
});
TS
npx tsc --noEmit -p tsconfig.json
npx jest

echo "== every entry point ($entries) from .mjs, .cjs and TypeScript (nodenext: .mts and .cts)"
node "$repo/scripts/consumer/write-module-checks.js" "$scratch/modules" $entries
cd "$scratch/modules"
node check.mjs
node check.cjs
npx tsc -p tsconfig.json
# The .mts must have been typed by each entry point's `import` types and the .cts by its `require` ones.
listed="$(npx tsc -p tsconfig.json --listFilesOnly)"
for entry in $entries; do
  base="$(cd "$repo" && node -p "require('./scripts/entry-points').distBase('$entry').slice(2)")"
  for types in "$base.d.mts" "$base.d.ts"; do
    grep -q "node_modules/cassandra-chat-history/$types\$" <<<"$listed" || { echo "TypeScript did not use $types for $entry" >&2; exit 1; }
  done
done
node out/check-ts.mjs
node out/check-ts.cjs
