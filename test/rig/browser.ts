import { existsSync, promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath } from './tools/tools';

/**
 * Debian's headless Chromium driven by playwright-core, for tests of pages cardigan writes. A fresh
 * profile per browser, no sandbox (CI runs as root), nothing that phones home, so that any request
 * the page makes is the page's own. Install: `apt-get install -y chromium`.
 */
export const CHROMIUM = chromiumPath();

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface PageVisit {
  page: Page;
  /** Console errors and warnings, and uncaught exceptions. */
  problems: string[];
  /** Every URL the page requested, data: URIs excluded. */
  requests: string[];
}

export class Browser {
  private constructor(
    private readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async launch(): Promise<Browser> {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`headless Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set CARDIGAN_CHROMIUM to its path)`);
    }
    const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 1400 },
    });
    return new Browser(context, profile);
  }

  /** Opens a file in a new tab and waits until it and everything it loads have loaded. */
  async open(file: string): Promise<PageVisit> {
    const page = await this.context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('data:')) requests.push(request.url());
    });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    return { page, problems, requests };
  }

  async close(): Promise<void> {
    await this.context.close();
    await fs.rm(this.profile, { recursive: true, force: true });
  }
}
