// Headless Chromium for the report tests: Debian's `chromium` package (.ci/run installs it),
// driven by playwright-core. KUBEPROP_CHROMIUM names another binary.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const EXECUTABLE = process.env.KUBEPROP_CHROMIUM ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  if (!existsSync(EXECUTABLE)) throw new Error(`no Chromium at ${EXECUTABLE}: install Debian's chromium package (apt-get install chromium), or set KUBEPROP_CHROMIUM`);
  return chromium.launch({ executablePath: EXECUTABLE, args: ['--no-sandbox'] });
}

/** Opens a page and, if it has a script, waits until it has built the page; collects console errors and page errors. */
export async function open(browser: Browser, file: string, hash = '', scripted = true): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`file://${file}${hash}`);
  if (scripted) await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  return { page, errors };
}
