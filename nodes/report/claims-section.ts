import { checkClaims, claimText, outcomeLines, type ReportSource, type Verdict, verdictLine, verdictOf } from '../../engine/cli/reporting';
import { TABLE1_CLAIMS } from '../claims/table1-claims';
import { html, type Html } from './html';

/**
 * The top of the report: the experiment's claims, each decided from the cache exactly as
 * `cardigan check` decides it (same verdicts, same numbers), so the page says first whether this run
 * supports what the experiment set out to show. Absent when the experiment has no claims.
 */

const BADGE: Record<Verdict, string> = { supported: 'done', contradicted: 'failed', inconclusive: 'missing', missing: 'missing' };

export async function claimsSectionHtml(source: ReportSource): Promise<Html> {
  if (source.experiment.claims === undefined) return html``;
  const checked = await checkClaims(source, TABLE1_CLAIMS);
  const rows = checked.map(({ claim, outcome }) => {
    const verdict = verdictOf(outcome);
    return html`<tr><td><span class="badge ${BADGE[verdict]}">${verdict}</span></td><td><strong>${claim.id}</strong>${claim.says === undefined ? '' : html`<br>${claim.says}`}<br><code>${claimText(claim)}</code></td><td>${outcomeLines(claim, outcome).map((line, i) => html`${i > 0 ? html`<br>` : ''}${line}`)}</td></tr>`;
  });
  return html`<section id="claims"><h2>Claims</h2><p class="lead">${verdictLine(checked).replace(/^verdict: /, '')}. Each claim as <code>cardigan check</code> decides it: a two-sided Wilcoxon signed-rank test of the two rows paired by test image, at the claim's α, once each row has its minimum number of seeds.</p><div class="scroll"><table class="compact"><thead><tr><th>verdict</th><th>claim</th><th>evidence</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}
