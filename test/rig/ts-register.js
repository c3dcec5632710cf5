// Lets a child process `require` the project's TypeScript directly, the way jest does through
// @swc/jest: `node -r ./test/rig/ts-register.js script.ts`. Used by tests that must kill or race
// real processes; needs nothing beyond the devDependencies, so it works on a fresh clone.

const swc = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = swc.transformFileSync(filename, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
