#!/usr/bin/env bash
# Uses the package as a consumer would: builds and packs it, installs the tarball into a scratch
# project (under the OS temp dir) that has only jest, ts-jest, typescript and @types/jest, and runs a
# jest unit test there that imports `cassandra-chat-history/testing`. Catches what in-repo tests
# can't: a missing subpath export or typesVersions entry, a file left out of the tarball, a type
# that only resolves inside this repository. Uses the normal npm registry configuration.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="$(mktemp -d "${TMPDIR:-/tmp}/cch-consumer.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

npm run build >/dev/null
tarball="$(npm pack --silent --pack-destination "$scratch" | tail -n 1)"
# The test tools at the versions this repository is tested with.
dev() { node -p "require('./package.json').devDependencies['$1']"; }
tools=("jest@$(dev jest)" "ts-jest@$(dev ts-jest)" "typescript@$(dev typescript)" "@types/jest@$(dev @types/jest)")

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
