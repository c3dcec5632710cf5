import { createHash } from 'crypto';

/**
 * HTML built from tagged templates: every interpolated value is escaped unless it is already Html,
 * so text from the cache (node ids, params, CSV cells, error messages) can never become markup.
 */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<p>${text}</p>\``: strings and numbers are escaped; Html and lists of Html are kept. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  values.forEach((value, i) => (out += render(value) + strings[i + 1]));
  return new Html(out);
}

/** Markup that is already safe (from a trusted renderer: vega's SVG, markdown-it with HTML off). */
export function trusted(text: string): Html {
  return new Html(text);
}

/**
 * A fragment id for any text (node ids hold brackets, dots and `=`). Where characters had to be
 * replaced, a short hash of the text keeps ids of different texts apart (`a[b]` and `a_b_`).
 */
export function anchorId(prefix: string, text: string): string {
  const plain = text.replace(/[^A-Za-z0-9_-]+/g, '_');
  return plain === text ? `${prefix}-${plain}` : `${prefix}-${plain}-${createHash('sha256').update(text).digest('hex').slice(0, 6)}`;
}
