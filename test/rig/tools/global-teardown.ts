import { strictTools, toolVerdict } from './policy';
import { toolPresence } from './presence';

/** Jest's global teardown: after the summary, one line per missing tool (lenient runs only get this far with one missing). */
export default function globalTeardown(): void {
  const verdict = toolVerdict(toolPresence(), strictTools(process.env));
  if (verdict.ok && verdict.notices.length > 0) process.stderr.write(`\n${verdict.notices.join('\n')}\n`);
}
