import { blandAltmanChart, identityScatterChart, renderSvg, type AgreementPanel } from '../plot';
import { INDEX_NAMES } from '../clinical/patient-indices';
import type { Agreement } from '../clinical/agreement';
import { bytesDataUri } from './data-uri';
import { html, type Html } from './html';
import { nodeLink } from './provenance';
import type { ClinicalTable, IndexName } from './clinical-read';

/**
 * The clinical half of the evaluation, read from clinical.csv: one table (per model and index:
 * Pearson's r, bias, SD of the differences, limits of agreement, MAE, as the CAMUS benchmark prints
 * them), then per model the Bland–Altman panels and model-against-reference panels with the identity
 * line, and every patient left out with why.
 */

const TITLES: Record<IndexName, { title: string; unit: string }> = {
  edv: { title: 'EDV', unit: 'mL' },
  esv: { title: 'ESV', unit: 'mL' },
  ef: { title: 'EF', unit: '%' },
};

function fixed(value: number | null, digits: number): string {
  return value === null ? '–' : value.toFixed(digits);
}

function agreementCells(a: Agreement): Html {
  const loa = a.loa === null ? '–' : `${a.loa[0].toFixed(1)} to ${a.loa[1].toFixed(1)}`;
  return html`<td class="num">${a.n}</td><td class="num">${fixed(a.r, 3)}</td><td class="num">${fixed(a.bias, 1)}</td><td class="num">${fixed(a.sd, 1)}</td><td class="num">${loa}</td><td class="num">${fixed(a.mae, 1)}</td>`;
}

function tableHtml(table: ClinicalTable, label: (id: string) => string): Html {
  const body = table.models.map(
    (m) =>
      html`<tbody>${INDEX_NAMES.map(
        (name, k) =>
          html`<tr>${k === 0 ? html`<th scope="rowgroup" rowspan="${INDEX_NAMES.length}">${label(m.id)}<br>${nodeLink(m.id)}</th>` : ''}<td>${TITLES[name].title} (${TITLES[name].unit})</td>${agreementCells(m.agreement[name])}</tr>`,
      )}</tbody>`,
  );
  return html`<div class="scroll"><table class="table1 clinical"><thead><tr><th>Model</th><th>Index</th><th>Patients</th><th title="Pearson correlation with the ground truth">r</th><th title="mean of model − ground truth">Bias</th><th title="standard deviation of the differences (n − 1)">SD</th><th title="bias ± 1.96 SD">Limits of agreement</th><th title="mean absolute difference">MAE</th></tr></thead>${body}</table></div>`;
}

function panels(m: ClinicalTable['models'][number]): AgreementPanel[] {
  return INDEX_NAMES.map((name) => ({ ...TITLES[name], pairs: m.pairs[name], bias: m.agreement[name].bias, loa: m.agreement[name].loa }));
}

async function chartHtml(spec: Parameters<typeof renderSvg>[0], alt: string): Promise<Html> {
  return html`<figure class="chart"><img alt="${alt}" src="${bytesDataUri(await renderSvg(spec), 'image/svg+xml')}"></figure>`;
}

/** `label`: the Table 1 name of a model id (dataset and model), or the id itself. */
export async function clinicalHtml(table: ClinicalTable, label: (id: string) => string): Promise<Html> {
  const charts: Html[] = [];
  for (const m of table.models) {
    const name = label(m.id);
    const n = m.agreement.ef.n;
    const subtitle = [`${n} patient(s); ${name === m.id ? '' : `${m.id}; `}Simpson's biplane, 20 discs`];
    charts.push(
      await chartHtml(
        blandAltmanChart(panels(m), `Bland–Altman: ${name} against the ground truth`, subtitle),
        `Bland–Altman plots of EDV, ESV and EF for ${m.id}`,
      ),
      await chartHtml(
        identityScatterChart(panels(m), `${name} against the ground truth`, ['dashed: identity']),
        `EDV, ESV and EF of ${m.id} against the ground truth`,
      ),
    );
  }
  const left = [
    ...table.reference.excluded.map((e) => html`<li>${e.patient} (ground truth): ${e.reason}</li>`),
    ...table.models.flatMap((m) => m.excluded.map((e) => html`<li>${e.patient} (${m.id}): ${e.reason}</li>`)),
  ];
  const excluded = left.length === 0 ? '' : html`<p class="note">Left out:</p><ul class="note">${left}</ul>`;
  const lead = html`<p class="note">EDV and ESV by Simpson's biplane method of discs (20 discs, 2CH and 4CH at ED and ES) and EF, from each model's masks against the ground truth's (bias = model − ground truth); ${table.reference.measured} patient(s) measured on the ground truth.</p>`;
  return html`${tableHtml(table, label)}${lead}${excluded}<div class="charts">${charts}</div>${table.problems.map((p) => html`<p class="note">${p}</p>`)}`;
}
