// Headless Chromium for the report tests and the report benchmark, driven by playwright-core.
// Which browser: the one KUBEPROP_CHROMIUM names; else a system Chromium, when there is one;
// else the Chromium that `npm ci` brought inside the @sparticuz/chromium package (unpacked on
// first use into the system's temporary directory), so a machine with only Node and npm runs
// the browser tests too.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where distributions install Chromium. */
const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium binary to drive, and where it came from (for error messages). */
export async function chromiumExecutable(): Promise<{ path: string; from: string }> {
  const named = process.env.KUBEPROP_CHROMIUM;
  if (named !== undefined && named !== '') {
    if (!existsSync(named)) throw new Error(`KUBEPROP_CHROMIUM names ${named}, which does not exist`);
    return { path: named, from: 'KUBEPROP_CHROMIUM' };
  }
  const system = SYSTEM_CHROMIUMS.find((p) => existsSync(p));
  if (system !== undefined) return { path: system, from: 'the system' };
  const { default: bundled } = await import('@sparticuz/chromium');
  return { path: await bundled.executablePath(), from: '@sparticuz/chromium' };
}

export async function launch(): Promise<Browser> {
  const { path, from } = await chromiumExecutable();
  try {
    return await chromium.launch({ executablePath: path, args: ['--no-sandbox'] });
  } catch (e) {
    throw new Error(`Chromium at ${path} (from ${from}) did not start: ${(e as Error).message}`);
  }
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
