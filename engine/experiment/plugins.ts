import type { Diagnostic } from './diagnostic';
import type { PluginRef } from './extends';
import type { NodeType } from '../node-api';
import type { NodeRegistry } from '../registry';

/**
 * User node types from modules named in `plugins:`. A plugin registers through the same
 * `NodeRegistry.register` as the built-in nodes, by exporting either `register(registry)` or a `nodes`
 * array (CommonJS `module.exports` or an ES module compiled to CommonJS, whose exports sit on `default`).
 */

export interface PluginModule {
  register?: (registry: NodeRegistry) => void;
  nodes?: NodeType<never>[];
}

/** Plugins already registered into a registry, so that loading two experiments with one registry works. */
const loadedInto = new WeakMap<NodeRegistry, Set<string>>();

export function loadPlugins(plugins: readonly PluginRef[], registry: NodeRegistry): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let loaded = loadedInto.get(registry);
  if (loaded === undefined) {
    loaded = new Set();
    loadedInto.set(registry, loaded);
  }
  for (const plugin of plugins) {
    if (loaded.has(plugin.path)) continue;
    const problem = loadPlugin(plugin, registry);
    if (problem === undefined) loaded.add(plugin.path);
    else diagnostics.push({ ...plugin.place, ...problem });
  }
  return diagnostics;
}

function loadPlugin(plugin: PluginRef, registry: NodeRegistry): { message: string; hint?: string } | undefined {
  let exported: unknown;
  try {
    exported = require(plugin.path);
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'MODULE_NOT_FOUND' && err.message.includes(plugin.path)) {
      return { message: `cannot load plugin "${plugin.spec}": no such module`, hint: 'plugin paths are relative to the experiment file that names them' };
    }
    return { message: `cannot load plugin "${plugin.spec}": ${firstLine(err.message ?? String(error))}` };
  }
  const module = pluginModule(exported);
  if (module === undefined) {
    return { message: `plugin "${plugin.spec}" exports neither register(registry) nor a nodes array` };
  }
  try {
    if (module.register !== undefined) module.register(registry);
    for (const node of module.nodes ?? []) registry.register(node);
  } catch (error) {
    const message = firstLine((error as Error).message ?? String(error));
    const duplicate = /^node type "(.*)" is already registered$/.exec(message);
    if (duplicate !== null) {
      return {
        message: `plugin "${plugin.spec}" registers node type "${duplicate[1]}", which is already registered`,
        hint: "a built-in node type or another plugin uses this name; rename the plugin's node type",
      };
    }
    return { message: `plugin "${plugin.spec}" failed to register its node types: ${message}` };
  }
  return undefined;
}

function pluginModule(exported: unknown): PluginModule | undefined {
  for (const candidate of [exported, (exported as { default?: unknown } | null)?.default]) {
    if (typeof candidate !== 'object' && typeof candidate !== 'function') continue;
    if (candidate === null) continue;
    const { register, nodes } = candidate as PluginModule;
    if (typeof register === 'function' || Array.isArray(nodes)) return candidate as PluginModule;
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
