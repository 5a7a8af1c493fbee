// The package's public entry points: the one list the build and package.json's "exports" follow.
// To add one (e.g. './langgraph' for src/langgraph/index.ts), add its line here and run
// `npm run build:exports -- --write`, which rewrites "exports" and "typesVersions" in package.json;
// `npm run build` then emits its CommonJS build, its ES module wrapper and the types of both.
const ENTRY_POINTS = ['.', './langchain', './langgraph', './testing', './ai-sdk'];

/** `dist/<folder>/index` of a subpath ('.' is the root `dist/index`), without an extension. */
function distBase(subpath) {
  return subpath === '.' ? './dist/index' : `./dist/${subpath.slice(2)}/index`;
}

/** package.json "exports": `import` (the ES module wrapper) and `require` (the CommonJS build), each with its types. */
function exportsMap() {
  const map = {};
  for (const subpath of ENTRY_POINTS) {
    const base = distBase(subpath);
    map[subpath] = {
      import: { types: `${base}.d.mts`, default: `${base}.mjs` },
      require: { types: `${base}.d.ts`, default: `${base}.js` },
    };
  }
  map['./package.json'] = './package.json';
  return map;
}

/** package.json "typesVersions": subpath types for TypeScript's old `moduleResolution: node`. */
function typesVersions() {
  const paths = {};
  for (const subpath of ENTRY_POINTS) if (subpath !== '.') paths[subpath.slice(2)] = [`${distBase(subpath)}.d.ts`];
  return { '*': paths };
}

module.exports = { ENTRY_POINTS, distBase, exportsMap, typesVersions };
