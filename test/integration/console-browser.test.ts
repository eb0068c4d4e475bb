// The web console in a real browser (Chromium driven by playwright-core) against the demo on a
// real PostgreSQL, served as production serves it (the built console/dist). Only this machine is
// reachable: a request anywhere else fails the test. Each step checks what is on screen against
// the API's own figures: a CSM books a service and sees the remaining fall by its price, files an
// exception when the budget is short, a sales leader approves it, and the CSM sees it booked and
// flagged; the language switch changes labels and the money format; a CSM cannot reach the
// approvals; and axe-core finds no serious or critical violation on any screen.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, testConfig, type TestServer } from '../support/server';
import { launchBrowser } from '../support/browser';
import { DEMO_USERS, seedDemo } from '../../seeds/demo';
import { fiscalYearOf } from '../../src/shared/fiscal';
import { inDays } from '../support/money';

const ROOT = path.join(__dirname, '../..');
// The README's screenshots are refreshed with CONSOLE_SCREENSHOTS=1; otherwise they go to a
// temporary directory (still taken, so a screen that cannot render fails either way).
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS
  ? path.join(ROOT, 'docs/screenshots')
  : fs.mkdtempSync(path.join(os.tmpdir(), 'console-screenshots-'));
const config = testConfig();
const fiscalYear = fiscalYearOf(config.fiscal, DateTime.now());
const token = (key: string) => DEMO_USERS.find((user) => user.key === key)!.token;
const nameOf = (key: string) => DEMO_USERS.find((user) => user.key === key)!.name;

let database: TestDatabase;
let server: TestServer;
let browser: Browser;
let accountA: string;
const elsewhere: string[] = [];

beforeAll(async () => {
  // The README's build command: the files production serves.
  const build = spawnSync('npm', ['run', 'console:build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`console build failed: ${build.stderr}${build.stdout}`);
  database = await createTestDatabase();
  await seedDemo(database.db, { config, fiscalYear });
  accountA = ((await database.db('customers').where({ name: 'Account A' }).first('id')) as { id: string }).id;
  server = await startTestServer(database.db, { CONSOLE: 'dist' }, { demoUsers: DEMO_USERS });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.drop();
});
afterEach(() => expect(elsewhere).toEqual([]));

/** A new browser session in `locale`, with every request beyond this server refused. */
async function session(locale: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const origin = new URL(server.baseUrl).origin;
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(server.baseUrl);
  return { context, page };
}

async function signInAs(page: Page, key: string) {
  await page.getByRole('button', { name: nameOf(key) }).click();
  await page.getByText(nameOf(key)).first().waitFor();
}

async function api<T>(key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await server.graphql<T>(token(key), query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!;
}

const budgetOfA = async () =>
  (
    await api<{ budgetFor: { id: string; remainingAmount: string; reservedAmount: string } }>(
      'finance',
      `query($a: ID!, $y: Int) { budgetFor(accountId: $a, fiscalYear: $y) { id remainingAmount reservedAmount } }`,
      { a: accountA, y: fiscalYear },
    )
  ).budgetFor;

/** axe-core in the page: the serious and critical violations, by rule. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string }[] }> } }
    ).axe;
    return (await axe.run()).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

const yuan = (amount: string) =>
  new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 }).format(
    amount as unknown as number,
  );

test('a CSM books a service, then files an exception; a sales leader approves it; the CSM sees it booked and flagged', async () => {
  const { context, page } = await session('zh-CN');
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'sign-in.png') });
  await signInAs(page, 'csm');
  // The board: account A's remaining as the API has it, in the Chinese format.
  const before = await budgetOfA();
  const card = page.locator('[data-account="Account A"]');
  await expect(card.locator('[data-figure="remaining"]').innerText()).resolves.toBe(
    yuan(before.remainingAmount),
  );
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'accounts.png'), fullPage: true });

  // Book: the weak dimension, the service with its price, the preview, the booking.
  await card.getByRole('link', { name: '为Account A预约服务' }).click();
  await page.getByRole('checkbox', { name: '价格认可' }).check();
  await page.getByRole('radio', { name: /Free product trial/ }).check();
  await expect(page.getByText('结算价 ¥15,000.00').first().isVisible()).resolves.toBe(true);
  const day = inDays(10);
  await page.getByLabel('计划日期').fill(day);
  await page.locator('[data-figure="remaining-after"]').waitFor();
  const after = (BigInt(before.remainingAmount.replace('.', '')) - 1_500_000n).toString();
  const afterText = `${after.slice(0, -2)}.${after.slice(-2)}`;
  await expect(page.locator('[data-figure="remaining-before"]').innerText()).resolves.toBe(
    yuan(before.remainingAmount),
  );
  await expect(page.locator('[data-figure="remaining-after"]').innerText()).resolves.toBe(yuan(afterText));
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'book.png'), fullPage: true });
  await page.getByRole('button', { name: '预约', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '已预约' }).waitFor();
  expect((await budgetOfA()).remainingAmount).toBe(afterText);

  // The budget made short (by FINANCE, through the API): the same service needs an exception.
  await api('finance', `mutation($i: AdjustBudgetInput!) { adjustBudget(input: $i) { __typename } }`, {
    i: {
      budgetId: before.id,
      amount: `-${(BigInt(afterText.replace('.', '')) - 1_000_000n).toString().replace(/(\d\d)$/, '.$1')}`,
      reason: 'console test: leave 10,000.00',
      idempotencyKey: `console-${Date.now()}`,
    },
  });
  expect((await budgetOfA()).remainingAmount).toBe('10000.00');
  await page.getByLabel('计划日期').fill(inDays(11));
  await page.getByText('预算不足：此预约需要销售负责人批准例外。').waitFor();
  await page.getByLabel('例外原因').fill('续约前的关键试用');
  await page.getByRole('button', { name: '提交例外申请' }).click();
  await page.getByRole('status').filter({ hasText: '已为Free product trial提交例外申请' }).waitFor();
  const pending = await api<{ bookings: { edges: { node: { id: string; state: string } }[] } }>(
    'salesLeader',
    `{ bookings(first: 10, filter: { states: [PENDING_APPROVAL] }) { edges { node { id state } } } }`,
  );
  expect(pending.bookings.edges).toHaveLength(1);
  const exceptionId = pending.bookings.edges[0]!.node.id;

  // The sales leader approves it in the inbox.
  const leader = await session('zh-CN');
  await signInAs(leader.page, 'salesLeader');
  await leader.page.getByRole('link', { name: '审批' }).click();
  const row = leader.page.locator(`[data-booking="${exceptionId}"]`);
  await row.getByText('申请理由：续约前的关键试用').waitFor();
  await expect(row.getByText('预算剩余 ¥10,000.00').isVisible()).resolves.toBe(true);
  expect(await accessibilityViolations(leader.page)).toEqual([]);
  await leader.page.screenshot({ path: path.join(SCREENSHOTS, 'approvals.png'), fullPage: true });
  await row.getByRole('button', { name: '批准' }).click();
  await leader.page.getByText('没有等待例外审批的预约。').waitFor();
  const decided = await api<{
    bookings: { edges: { node: { id: string; state: string; overrun: boolean } }[] };
  }>(
    'csm',
    `query($a: ID) { bookings(first: 100, filter: { accountId: $a }) { edges { node { id state overrun } } } }`,
    { a: accountA },
  );
  const approved = decided.bookings.edges.map((edge) => edge.node).find((node) => node.id === exceptionId);
  expect(approved).toEqual({ id: exceptionId, state: 'BOOKED', overrun: true });

  // The CSM's board shows it among the upcoming bookings, flagged over budget.
  await page.getByRole('link', { name: '我的客户' }).click();
  const flagged = page.locator(`[data-booking="${exceptionId}"]`);
  await flagged.waitFor();
  await expect(flagged.innerText()).resolves.toContain('超预算');
  await leader.context.close();
  await context.close();
});

test('switching to English and back changes the labels and the money format', async () => {
  const { context, page } = await session('zh-CN');
  await signInAs(page, 'csm');
  const remaining = (await budgetOfA()).remainingAmount;
  const figure = page.locator('[data-account="Account A"] [data-figure="remaining"]');
  await page.getByRole('heading', { name: `我的客户，${fiscalYear} 财年` }).waitFor();
  expect(await figure.innerText()).toBe(yuan(remaining));
  await page.getByLabel('语言').selectOption('en');
  await page.getByRole('heading', { name: `My accounts, FY${fiscalYear}` }).waitFor();
  const english = new Intl.NumberFormat('en', {
    style: 'currency',
    currency: 'CNY',
    minimumFractionDigits: 2,
  }).format(remaining as unknown as number);
  expect([await figure.innerText(), english.includes('CN¥')]).toEqual([english, true]);
  // The 万元 unit divides exactly: no digit is lost.
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByLabel('金额单位').selectOption('wan');
  const digits = remaining.replace(/[^\d]/g, '').replace(/0+$/, '').replace(/^0+/, '');
  expect((await figure.innerText()).replace(/[^\d]/g, '').replace(/0+$/, '').replace(/^0+/, '')).toBe(digits);
  expect(await figure.innerText()).toMatch(/万元$/);
  await context.close();
});

test('a CSM has no approvals: the link is not shown and the address leads back to the board', async () => {
  const { context, page } = await session('en-US');
  await signInAs(page, 'csm');
  await page.getByRole('heading', { name: `My accounts, FY${fiscalYear}` }).waitFor();
  expect(await page.getByRole('link', { name: 'Approvals' }).count()).toBe(0);
  await page.goto(`${server.baseUrl}/approvals`);
  await page.getByRole('heading', { name: `My accounts, FY${fiscalYear}` }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/accounts');
  await context.close();
});

test('a wrong token is refused on the sign-in page, next to the field', async () => {
  const { context, page } = await session('en-US');
  await page.getByLabel('API token').fill('not-a-token');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'This token was not accepted' }).waitFor();
  expect(await page.evaluate(() => sessionStorage.getItem('service-ledger.token'))).toBeNull();
  await context.close();
});

test('npm run console:metrics builds, measures the initial download and the first board, within the size target', () => {
  const run = spawnSync('npm', ['run', 'console:metrics', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  expect([run.status, run.stderr]).toEqual([0, '']);
  const measured = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
    gzipBytes: number;
    boardMs: { median: number; runs: number[] };
  };
  expect(measured.gzipBytes).toBeLessThanOrEqual(300 * 1024);
  expect(measured.boardMs.runs).toHaveLength(5);
  expect(run.stdout).toContain('first account board (CSM, demo, localhost, cold context): median');
}, 180_000);
