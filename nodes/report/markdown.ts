import { promises as fs } from 'fs';
import MarkdownIt from 'markdown-it';
import * as path from 'path';
import type { ArtifactFolder } from './artifact-folder';
import { fileDataUri, imageType } from './data-uri';
import { trusted, type Html } from './html';

/**
 * A node's Markdown (filter and alignment reports, tables) rendered into the page. Raw HTML in the
 * Markdown stays text (markdown-it with `html: false`); pictures it embeds from its own folder are
 * inlined, and links to pictures of the folder jump to where the page shows them. Links to other
 * files of the cache cannot work in a page that travels alone, so they become plain text.
 */

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

export interface MarkdownTargets {
  /** Where the page shows a picture of this folder (its figure's id), by path relative to the folder. */
  figureId(rel: string): string;
  /** Heading levels are pushed down by this much, so `#` fits under the node's own heading. */
  headingShift: number;
}

function attribute(token: Token, name: string): string {
  const value = token.attrGet(name);
  return value === null ? '' : String(value);
}

function isRelative(url: string): boolean {
  return url !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('/') && !url.startsWith('#');
}

/** Renders `file` (a Markdown file of `folder`); claims the pictures it inlines. */
export async function renderMarkdownFile(folder: ArtifactFolder, rel: string, targets: MarkdownTargets): Promise<Html> {
  const file = folder.get(rel);
  if (file === undefined) throw new Error(`internal: ${rel} is not in ${folder.dir}`);
  const text = await fs.readFile(file.abs, 'utf8');
  const base = path.posix.dirname(rel);
  const resolve = (url: string): string => path.posix.normalize(path.posix.join(base, decodeURI(url.split(/[?#]/)[0])));
  const tokens = markdown.parse(text, {});
  const pending: Promise<void>[] = [];
  const visit = (list: Token[]): void => {
    for (const token of list) {
      if (token.type === 'heading_open' || token.type === 'heading_close') {
        token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + targets.headingShift)}`;
      } else if (token.type === 'image') {
        const src = attribute(token, 'src');
        const target = isRelative(src) ? folder.get(resolve(src)) : undefined;
        const mime = target === undefined ? undefined : imageType(target.rel);
        if (target !== undefined && mime !== undefined) {
          folder.claim(target);
          pending.push(fileDataUri(target.abs, mime).then((uri) => token.attrSet('src', uri)));
        } else if (isRelative(src)) {
          // A picture that is not there: keep its description, fetch nothing.
          token.type = 'text';
          token.content = `[${token.content || src}]`;
          token.children = null;
        }
      } else if (token.type === 'link_open') {
        const href = attribute(token, 'href');
        if (!isRelative(href)) continue;
        const target = folder.get(resolve(href));
        if (target !== undefined && imageType(target.rel) !== undefined) {
          token.attrSet('href', `#${targets.figureId(target.rel)}`);
        } else {
          token.attrs = [
            ['class', 'file-ref'],
            ['title', `${resolve(href)} in the node's output`],
          ];
          token.tag = 'span';
          token.meta = { unlinked: true };
        }
      }
      if (token.children !== null) visit(token.children);
    }
  };
  visit(tokens);
  // A link made plain above must close as a span too.
  const closeSpans = (list: Token[]): void => {
    const open: Token[] = [];
    for (const token of list) {
      if (token.type === 'link_open') open.push(token);
      else if (token.type === 'link_close' && (open.pop()?.meta as { unlinked?: boolean } | null)?.unlinked) token.tag = 'span';
      if (token.children !== null) closeSpans(token.children);
    }
  };
  closeSpans(tokens);
  await Promise.all(pending);
  return trusted(`<div class="markdown">${markdown.renderer.render(tokens, markdown.options, {})}</div>`);
}
