/**
 * Bad experiments for the golden error tests: files to write, `--set` options, and the exact text the
 * user sees. Kept apart from the test so each case reads as input next to output.
 */
export interface GoldenCase {
  name: string;
  files: Record<string, string>;
  set?: string[];
  /** The UserError message, word for word. */
  expected: string;
}

const DUPLICATE_PLUGIN = `const node = (type) => ({ type, version: 1, description: 'x', paramsSchema: { type: 'object' }, inputs: {}, outputs: {}, resource: 'cpu', run: async () => {} });
module.exports = { nodes: [node('double'), node('sum')] };
`;

const LAUGHS = ['a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]']
  .concat('bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
  .concat('nodes: {}')
  .join('\n');

export const GOLDEN_CASES: GoldenCase[] = [
  {
    name: 'YAML syntax error',
    files: { 'x.yaml': 'nodes:\n  a: { type: source\n  b: { type: source }\n' },
    expected: `x.yaml is not a valid experiment (1 error):

x.yaml:2:6 error: YAML syntax error: flow map in block collection must be sufficiently indented and end with a }
  2 |   a: { type: source
    |      ^
    = hint: this { was never closed`,
  },
  {
    name: 'a flow mapping left open at the end of the file',
    files: { 'x.yaml': 'nodes:\n  a:\n    type: source\n    params: { size: 64\n' },
    expected: `x.yaml is not a valid experiment (1 error):

x.yaml:4:13 error: YAML syntax error: flow map in block collection must be sufficiently indented and end with a }
  4 |     params: { size: 64
    |             ^
    = hint: this { was never closed`,
  },
  {
    name: 'a flow sequence left open on the last line, without a final newline',
    files: { 'x.yaml': 'nodes:\n  a:\n    type: source\n    params:\n      sizes: [1, 2' },
    expected: `x.yaml is not a valid experiment (1 error):

x.yaml:5:14 error: YAML syntax error: flow sequence in block collection must be sufficiently indented and end with a ]
  5 |       sizes: [1, 2
    |              ^
    = hint: this [ was never closed`,
  },
  {
    name: 'wrong type and unknown top-level key',
    files: { 'x.yaml': 'seed: one\nnodez: {}\nnodes:\n  a: { type: source, seed: -3 }\n' },
    expected: `x.yaml is not a valid experiment (3 errors):

x.yaml:1:7 error: seed must be an integer, got "one"
  1 | seed: one
    |       ^~~

x.yaml:2:1 error: unknown top-level key "nodez" — did you mean "nodes"?
  2 | nodez: {}
    | ^~~~~
    = hint: top-level keys: name, description, seed, extends, plugins, defaults, report, claims, leakage, nodes

x.yaml:4:28 error: nodes.a.seed must be >= 0, got -3
  4 |   a: { type: source, seed: -3 }
    |                            ^~`,
  },
  {
    name: 'several bad params at once',
    files: {
      'x.yaml':
        'nodes:\n  data: { type: make-data }\n  unet:\n    type: train\n    inputs: { train: data.train }\n    params: { lr: -1, epochs: 1.5, optimizer: adma, extra: 1 }\n',
    },
    expected: `x.yaml is not a valid experiment (4 errors):

x.yaml:6:19 error: param "lr" of node "unet" must be > 0, got -1
  6 |     params: { lr: -1, epochs: 1.5, optimizer: adma, extra: 1 }
    |                   ^~

x.yaml:6:31 error: param "epochs" of node "unet" must be an integer, got 1.5
  6 |     params: { lr: -1, epochs: 1.5, optimizer: adma, extra: 1 }
    |                               ^~~

x.yaml:6:47 error: param "optimizer" of node "unet" must be one of "adam", "sgd", got "adma" — did you mean "adam"?
  6 |     params: { lr: -1, epochs: 1.5, optimizer: adma, extra: 1 }
    |                                               ^~~~

x.yaml:6:53 error: unknown param "extra" for node "unet" (train)
  6 |     params: { lr: -1, epochs: 1.5, optimizer: adma, extra: 1 }
    |                                                     ^~~~~
    = hint: train params: lr, epochs, optimizer`,
  },
  {
    name: 'unknown node type',
    files: { 'x.yaml': 'nodes:\n  unet:\n    type: trian\n  other: { type: nothing-like-it }\n' },
    expected: `x.yaml is not a valid experiment (2 errors):

x.yaml:3:11 error: unknown node type "trian" — did you mean "train"?
  3 |     type: trian
    |           ^~~~~

x.yaml:4:18 error: unknown node type "nothing-like-it"
  4 |   other: { type: nothing-like-it }
    |                  ^~~~~~~~~~~~~~~
    = hint: known node types: make-data, source, sum, tabulate, train`,
  },
  {
    name: 'unknown referenced node',
    files: { 'x.yaml': 'nodes:\n  data: { type: make-data }\n  unet: { type: train, inputs: { train: dta.train } }\n' },
    expected: `x.yaml is not a valid experiment (1 error):

x.yaml:3:41 error: unknown node "dta" in reference "dta.train" — did you mean "data"?
  3 |   unet: { type: train, inputs: { train: dta.train } }
    |                                         ^~~~~~~~~`,
  },
  {
    name: 'unknown ports',
    files: { 'x.yaml': 'nodes:\n  data: { type: make-data }\n  unet: { type: train, inputs: { train: data.trian, vla: data.val } }\n' },
    expected: `x.yaml is not a valid experiment (2 errors):

x.yaml:3:41 error: node "data" (make-data) has no output "trian" — did you mean "train"?
  3 |   unet: { type: train, inputs: { train: data.trian, vla: data.val } }
    |                                         ^~~~~~~~~~
    = hint: "data" (make-data) outputs: train (dataset), val (dataset)

x.yaml:3:53 error: node "unet" (train) has no input port "vla" — did you mean "val"?
  3 |   unet: { type: train, inputs: { train: data.trian, vla: data.val } }
    |                                                     ^~~
    = hint: its input ports: train (dataset), val (dataset, optional)`,
  },
  {
    name: 'port type mismatch',
    files: {
      'x.yaml':
        'nodes:\n  data: { type: make-data }\n  unet: { type: train, inputs: { train: data.train } }\n  eval: { type: tabulate, inputs: { models: [data.train], test: unet.model } }\n',
    },
    expected: `x.yaml is not a valid experiment (2 errors):

x.yaml:4:46 error: data.train is a dataset but input "models" of node "eval" takes a model
  4 |   eval: { type: tabulate, inputs: { models: [data.train], test: unet.model } }
    |                                              ^~~~~~~~~~
    = hint: "data" (make-data) outputs: train (dataset), val (dataset)

x.yaml:4:65 error: unet.model is a model but input "test" of node "eval" takes a dataset
  4 |   eval: { type: tabulate, inputs: { models: [data.train], test: unet.model } }
    |                                                                 ^~~~~~~~~~
    = hint: "unet" (train) outputs: model (model), log (file)`,
  },
  {
    name: 'list into a single port',
    files: { 'x.yaml': 'nodes:\n  data: { type: make-data }\n  unet:\n    type: train\n    inputs:\n      train: [data.train, data.val]\n' },
    expected: `x.yaml is not a valid experiment (1 error):

x.yaml:6:14 error: input "train" of node "unet" (train) takes one reference, got a list of 2
  6 |       train: [data.train, data.val]
    |              ^~~~~~~~~~~~~~~~~~~~~~
    = hint: only ports marked multiple take lists; name one node, e.g. data.train`,
  },
  {
    name: 'missing required input',
    files: { 'x.yaml': 'nodes:\n  data: { type: make-data }\n  unet: { type: train, inputs: { val: data.val } }\n' },
    expected: `x.yaml is not a valid experiment (1 error):

x.yaml:3:3 error: node "unet" (train) is missing its required input "train" (dataset)
  3 |   unet: { type: train, inputs: { val: data.val } }
    |   ^~~~
    = hint: add inputs: { train: <node>.<port> } — Training data.`,
  },
  {
    name: 'cycle',
    files: {
      'x.yaml':
        'nodes:\n  first: { type: source }\n  a: { type: sum, inputs: { values: [first.out, c.out] } }\n  b: { type: sum, inputs: { values: [a] } }\n  c: { type: sum, inputs: { values: [b.out] } }\n',
    },
    expected: `x.yaml is not a valid experiment (1 error):

x.yaml:3:3 error: cycle: a → b → c → a
  3 |   a: { type: sum, inputs: { values: [first.out, c.out] } }
    |   ^
    = hint: a node cannot depend on its own output; remove one of these inputs`,
  },
  {
    name: 'duplicate node id',
    files: { 'x.yaml': 'nodes:\n  data: { type: make-data }\n  unet: { type: train, inputs: { train: data.train } }\n  data: { type: source }\n' },
    expected: `x.yaml is not a valid experiment (1 error):

x.yaml:4:3 error: duplicate node id "data" (first defined on line 2)
  4 |   data: { type: source }
    |   ^~~~
    = hint: YAML keeps only one of them; rename or remove one`,
  },
  {
    name: 'matrix mistakes',
    files: {
      'x.yaml':
        'nodes:\n  data: { type: make-data }\n  unet:\n    type: train\n    inputs: { train: data.train }\n    params: { epochs: 3 }\n    matrix: { lr: [], lrr: [0.1], epochs: [1, 2] }\n  enet:\n    type: train\n    matrix: { train: [data.train, data.val], optimizer: [adam, sgd, adam] }\n',
    },
    expected: `x.yaml is not a valid experiment (4 errors):

x.yaml:6:15 error: "epochs" of node "unet" is set both here and in its matrix
  6 |     params: { epochs: 3 }
    |               ^~~~~~
    = hint: keep one of them

x.yaml:7:19 error: matrix list "lr" of node "unet" is empty
  7 |     matrix: { lr: [], lrr: [0.1], epochs: [1, 2] }
    |                   ^~
    = hint: give at least one value, or remove the key

x.yaml:7:23 error: matrix key "lrr" of node "unet" is neither an input port nor a param of train — did you mean "lr"?
  7 |     matrix: { lr: [], lrr: [0.1], epochs: [1, 2] }
    |                       ^~~
    = hint: input ports: train, val; params: lr, epochs, optimizer

x.yaml:10:69 error: matrix list "optimizer" of node "enet" repeats the label "adam" (items 1 and 3), so two nodes would get the same id
  10 |     matrix: { train: [data.train, data.val], optimizer: [adam, sgd, adam] }
     |                                                                     ^~~~
     = hint: remove the repeated value`,
  },
  {
    name: 'extends a missing file',
    files: { 'x.yaml': 'extends: bsae.yaml\nnodes: {}\n', 'base.yaml': 'nodes: {}\n' },
    expected: `x.yaml is not a valid experiment (1 error):

x.yaml:1:10 error: cannot read base experiment "bsae.yaml": no such file — did you mean "base.yaml"?
  1 | extends: bsae.yaml
    |          ^~~~~~~~~`,
  },
  {
    name: 'extends cycle',
    files: { 'x.yaml': 'extends: a.yaml\nnodes: {}\n', 'a.yaml': 'extends: b.yaml\n', 'b.yaml': 'extends: x.yaml\nnodes: {}\n' },
    expected: `x.yaml is not a valid experiment (1 error):

b.yaml:1:10 error: extends cycle: x.yaml → a.yaml → b.yaml → x.yaml
  1 | extends: x.yaml
    |          ^~~~~~
    = hint: a file cannot extend itself, directly or through its bases`,
  },
  {
    name: 'error in the base file',
    files: {
      'x.yaml': 'extends: base.yaml\nnodes:\n  data: { params: { size: 16 } }\n',
      'base.yaml': 'nodes:\n  data: { type: make-data, params: { count: zero } }\n',
    },
    expected: `x.yaml is not a valid experiment (1 error):

base.yaml:2:45 error: param "count" of node "data" must be an integer, got "zero"
  2 |   data: { type: make-data, params: { count: zero } }
    |                                             ^~~~`,
  },
  {
    name: 'unsafe node ids',
    files: { 'x.yaml': 'name: ../escape\nnodes:\n  ../x: { type: source }\n  /abs: { type: source }\n  "a b": { type: source }\n' },
    expected: `x.yaml is not a valid experiment (4 errors):

x.yaml:1:7 error: experiment name "../escape" cannot be part of a folder name
  1 | name: ../escape
    |       ^~~~~~~~~
    = hint: use letters, digits, "_", "-" and "." (no "/", "\\", "..", spaces)

x.yaml:3:3 error: unsafe node id "../x": node ids become cache folder names
  3 |   ../x: { type: source }
    |   ^~~~
    = hint: use letters, digits, "_" and "-" (at most 64, not starting with "-"; no "/", "\\", ".", spaces), e.g. "x"

x.yaml:4:3 error: unsafe node id "/abs": node ids become cache folder names
  4 |   /abs: { type: source }
    |   ^~~~
    = hint: use letters, digits, "_" and "-" (at most 64, not starting with "-"; no "/", "\\", ".", spaces), e.g. "abs"

x.yaml:5:3 error: unsafe node id "a b": node ids become cache folder names
  5 |   "a b": { type: source }
    |   ^~~~~
    = hint: use letters, digits, "_" and "-" (at most 64, not starting with "-"; no "/", "\\", ".", spaces), e.g. "a-b"`,
  },
  {
    name: 'bad --set',
    files: { 'x.yaml': 'nodes:\n  data: { type: make-data }\n' },
    set: ['dta.params.size=16', 'data.params.szie=16', 'data.params.size=big', 'data.params.count=[1', 'data.size=3', 'seed=-1'],
    expected: `x.yaml is not a valid experiment (6 errors):

--set:1:1 error: --set names unknown node "dta" — did you mean "data"?
  1 | dta.params.size=16
    | ^~~

--set:2:13 error: unknown param "szie" for node "data" (make-data) — did you mean "size"?
  2 | data.params.szie=16
    |             ^~~~
    = hint: make-data params: size, count

--set:3:18 error: param "size" of node "data" must be an integer, got "big"
  3 | data.params.size=big
    |                  ^~~

--set:4:19 error: --set value is not valid YAML: flow sequence must end with a ]
  4 | data.params.count=[1
    |                   ^~

--set:5:6 error: --set "data.size": expected "data.params.<key>" or "data.seed"
  5 | data.size=3
    |      ^~~~
    = hint: write --set <node>.params.<key>=<value>, --set <node>.seed=<n>, --set seed=<n> or --set report=<file>

--set:6:6 error: seed must be an integer from 0 to 4294967295, got -1
  6 | seed=-1
    |      ^~`,
  },
  {
    name: 'plugin registering a duplicate type',
    files: { 'x.yaml': 'plugins: [./dup.js, ./missing.js]\nnodes:\n  a: { type: double }\n', 'dup.js': DUPLICATE_PLUGIN },
    expected: `x.yaml is not a valid experiment (2 errors):

x.yaml:1:11 error: plugin "./dup.js" registers node type "sum", which is already registered
  1 | plugins: [./dup.js, ./missing.js]
    |           ^~~~~~~~
    = hint: a built-in node type or another plugin uses this name; rename the plugin's node type

x.yaml:1:21 error: cannot load plugin "./missing.js": no such module
  1 | plugins: [./dup.js, ./missing.js]
    |                     ^~~~~~~~~~~~
    = hint: plugin paths are relative to the experiment file that names them`,
  },
  {
    name: 'billion laughs',
    files: { 'x.yaml': LAUGHS },
    expected: `x.yaml is not a valid experiment (1 error):

x.yaml:2:8 error: YAML aliases expand too far (more than 10000 values): refusing a "billion laughs" document
  2 | b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    |        ^`,
  },
  {
    name: 'custom YAML tag',
    files: { 'x.yaml': 'nodes:\n  a: !js/function "return process.exit(1)"\n' },
    expected: `x.yaml is not a valid experiment (1 error):

x.yaml:2:6 error: unsupported YAML tag: !js/function
  2 |   a: !js/function "return process.exit(1)"
    |      ^~~~~~~~~~~~
    = hint: experiment files are plain data; remove the tag`,
  },
  {
    name: 'defaults mistakes',
    files: {
      'x.yaml':
        'defaults:\n  make-dta: { size: 16 }\n  train: { lr: 0 }\nnodes:\n  data: { type: make-data }\n  t1: { type: train, inputs: { train: data } }\n  t2: { type: train, inputs: { train: data.val } }\n',
    },
    expected: `x.yaml is not a valid experiment (3 errors):

x.yaml:2:3 error: defaults for unknown node type "make-dta" — did you mean "make-data"?
  2 |   make-dta: { size: 16 }
    |   ^~~~~~~~

x.yaml:3:16 error: param "lr" in defaults for "train" must be > 0, got 0
  3 |   train: { lr: 0 }
    |                ^

x.yaml:6:39 error: "data" has several dataset outputs (train, val): name one, e.g. "data.train"
  6 |   t1: { type: train, inputs: { train: data } }
    |                                       ^~~~`,
  },
  {
    name: 'node shape mistakes',
    files: { 'x.yaml': 'nodes:\n  data: { typ: make-data }\n  unet: { type: train, inputs: { train: 3 }, parmas: {} }\n  s: 5\n' },
    expected: `x.yaml is not a valid experiment (4 errors):

x.yaml:2:11 error: unknown key "typ" in node "data" — did you mean "type"?
  2 |   data: { typ: make-data }
    |           ^~~
    = hint: node keys: type, params, inputs, matrix, seed, description, label

x.yaml:3:41 error: nodes.unet.inputs.train must be a string or a list, got 3
  3 |   unet: { type: train, inputs: { train: 3 }, parmas: {} }
    |                                         ^

x.yaml:3:46 error: unknown key "parmas" in node "unet" — did you mean "params"?
  3 |   unet: { type: train, inputs: { train: 3 }, parmas: {} }
    |                                              ^~~~~~
    = hint: node keys: type, params, inputs, matrix, seed, description, label

x.yaml:4:6 error: nodes.s must be a mapping, got 5
  4 |   s: 5
    |      ^`,
  },
  {
    name: 'empty file',
    files: { 'x.yaml': '# nothing yet\n' },
    expected: `x.yaml is not a valid experiment (1 error):

x.yaml:1:1 error: the experiment file is empty
  1 | # nothing yet
    | ^
    = hint: start from \`nodes:\` with one entry per node, e.g. \`nodes: { data: { type: ... } }\``,
  },
];
