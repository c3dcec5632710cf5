import { accessSync, constants, readFileSync } from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const manifest = (file: string): { bin?: Record<string, string>; dependencies?: Record<string, string> } =>
  JSON.parse(readFileSync(path.join(root, file), 'utf8'));

describe('the cardigan command', () => {
  it('is a bin of a linked file: dependency, not of the root package, so that npx runs it without installing the project into its cache', () => {
    expect(manifest('package.json').bin).toBeUndefined();
    expect(manifest('package.json').dependencies?.['cardigan-bin']).toBe('file:nodes/bin');
    expect(manifest('nodes/bin/package.json').bin).toEqual({ cardigan: 'cardigan.js' });
    expect(() => accessSync(path.join(root, 'nodes', 'bin', 'cardigan.js'), constants.X_OK)).not.toThrow();
    expect(readFileSync(path.join(root, 'nodes', 'bin', 'cardigan.js'), 'utf8')).toContain("require('../../dist/nodes/cardigan.js')");
  });
});
