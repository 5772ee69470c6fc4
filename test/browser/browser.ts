import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { TEST_PASSWORD } from '../helpers.ts';

/** One Chromium per test file; each user gets their own context (cookies, storage). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export async function newPage(browser: Browser, baseUrl: string, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'es-MX' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) problems.push(message.text());
  });
  (page as Page & { problems: string[] }).problems = problems;
  return { context, page };
}

/**
 * Waits for what a save should show; if it does not come, fails with what the page says instead (its
 * alerts, form errors and script errors), so that a refusal is told from a slow page.
 */
export async function waitForResult(page: Page, result: Locator): Promise<void> {
  await result.waitFor().catch(async (error: Error) => {
    const alerts = await page.getByRole('alert').allInnerTexts();
    throw new Error(`${error.message}\nalerts on the page: ${JSON.stringify(alerts)}\nscript errors: ${JSON.stringify(pageProblems(page))}`);
  });
}

/** Script errors and CSP violations the page logged (there should be none). */
export const pageProblems = (page: Page): string[] => (page as Page & { problems?: string[] }).problems ?? [];

export async function signIn(page: Page, email: string, password = TEST_PASSWORD) {
  await page.goto('/personal');
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByRole('navigation', { name: 'Navegación principal' }).waitFor();
}

/** WCAG 2.1 A and AA checks; the violations are printed so that a failure says what to fix. */
export async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('\n  ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

/** The main menu, in either language. */
export const mainMenu = (page: Page) => page.getByRole('navigation', { name: /^(Navegación principal|Main navigation)$/ });

/**
 * Opens a screen from the main menu: the "Menú" button first on a phone, then the group's disclosure
 * when the screen sits in a group (a role with one screen in a group gets a plain link instead).
 */
/** The page at 360 px is accessible and does not scroll sideways; then back to 1280 px. */
export async function atPhoneWidth(page: Page, what: string) {
  await page.setViewportSize({ width: 360, height: 740 });
  await expectAccessible(page, `${what} at 360 px`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${what} scrolls sideways at 360 px`).toBe(true);
  await page.setViewportSize({ width: 1280, height: 800 });
}

export async function openFromMenu(page: Page, item: string, group?: string) {
  const nav = mainMenu(page);
  const toggle = nav.getByRole('button', { name: /^(Menú|Menu)$/ });
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const button = group ? nav.getByRole('button', { name: group, exact: true }) : null;
  if (button && (await button.count()) > 0 && (await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await nav.getByRole('link', { name: item, exact: true }).click();
}

/** Opens the user menu (name, institution, language, sign out). */
export async function openUserMenu(page: Page) {
  const button = page.getByRole('button', { name: /^(Su cuenta|Your account):/ });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
}

/**
 * axe and sideways scrolling, at 360 and 1280 px, for a server-rendered page seen with scripts off:
 * its markup is copied into a page of `checker` (a context with scripts on, as axe is a script) at
 * the same origin, so that links resolve as on the real page.
 */
export async function expectAccessibleMarkup(checker: BrowserContext, origin: string, markup: string, what: string) {
  const copy = await checker.newPage();
  try {
    await copy.goto(`${origin}/api/health`);
    await copy.setContent(markup);
    for (const width of [360, 1280]) {
      await copy.setViewportSize({ width, height: 800 });
      await expectAccessible(copy, `${what} at ${width} px`);
      const sideways = await copy.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(sideways, `${what}: scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
    }
  } finally {
    await copy.close();
  }
}

/**
 * The line boxes of each digit group inside `selector` (a receipt number): one per group means no
 * group is broken over two lines. Also answers whether every group is a `white-space: nowrap` span.
 */
export async function digitGroupLines(page: Page, selector: string): Promise<{ groups: string[]; lines: number[]; nowrap: boolean }> {
  return page.locator(selector).evaluate((element) => {
    const spans = [...element.querySelectorAll('span.group')] as HTMLElement[];
    return {
      groups: spans.map((s) => s.textContent ?? ''),
      lines: spans.map((s) => s.getClientRects().length),
      nowrap: spans.length > 0 && spans.every((s) => getComputedStyle(s).whiteSpace === 'nowrap'),
    };
  });
}
