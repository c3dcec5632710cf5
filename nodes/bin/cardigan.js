#!/usr/bin/env node
// The `cardigan` command. It lives in this little package, which the project depends on as
// `file:nodes/bin`, so that npm links it into node_modules/.bin: `npx cardigan` then runs it at once.
// A bin of the root package itself npx would first "install" into its own cache on every call
// (loading the whole dependency tree), about 0.7 s of CPU before cardigan even starts.

require('../../dist/nodes/cardigan.js').runCommandLine();
