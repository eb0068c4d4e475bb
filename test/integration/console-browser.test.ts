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

/** A CNY amount as a locale writes it, formatted here from the API's string (not by the console's code). */
const cny = (locale: string) => (amount: string) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 }).format(
    amount as unknown as number,
  );
const yuan = cny('zh-CN');
const english = cny('en');

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
  // Rejecting needs a reason: said beside the field, and nothing is decided.
  await row.getByRole('button', { name: '驳回' }).click();
  await row.getByRole('alert').filter({ hasText: '驳回时请填写理由。' }).waitFor();
  await expect(row.getByLabel('给申请人的理由').getAttribute('aria-invalid')).resolves.toBe('true');
  await row.getByLabel('给申请人的理由').fill('续约在即，值得投入');
  await row.getByRole('button', { name: '批准' }).click();
  await leader.page.getByText('没有等待例外审批的预约。').waitFor();
  await leader.page
    .getByRole('status')
    .filter({ hasText: 'Account A, Free product trial: 已批准' })
    .waitFor();
  const decided = await api<{
    bookings: {
      edges: {
        node: { id: string; state: string; overrun: boolean; exceptionDecisionReason: string | null };
      }[];
    };
  }>(
    'csm',
    `query($a: ID) { bookings(first: 100, filter: { accountId: $a }) { edges { node { id state overrun exceptionDecisionReason } } } }`,
    { a: accountA },
  );
  const approved = decided.bookings.edges.map((edge) => edge.node).find((node) => node.id === exceptionId);
  expect(approved).toEqual({
    id: exceptionId,
    state: 'BOOKED',
    overrun: true,
    exceptionDecisionReason: '续约在即，值得投入',
  });

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
  const inEnglish = english(remaining);
  expect([await figure.innerText(), inEnglish.includes('CN¥')]).toEqual([inEnglish, true]);
  // The 万元 unit divides exactly: no digit is lost.
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByLabel('金额单位').selectOption('wan');
  const digits = remaining.replace(/[^\d]/g, '').replace(/0+$/, '').replace(/^0+/, '');
  expect((await figure.innerText()).replace(/[^\d]/g, '').replace(/0+$/, '').replace(/^0+/, '')).toBe(digits);
  expect(await figure.innerText()).toMatch(/万元$/);
  await context.close();
});

test('a CSM has no approvals and no finance, ROI or tier screens: no link is shown and each address leads back to the board', async () => {
  const { context, page } = await session('en-US');
  await signInAs(page, 'csm');
  await page.getByRole('heading', { name: `My accounts, FY${fiscalYear}` }).waitFor();
  const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
  expect(links).toEqual(['My accounts', 'Book a service', expect.stringMatching(/^Notifications/)]);
  for (const address of ['/approvals', '/budgets', '/allocation', '/roi', '/tiers', '/webhooks']) {
    await page.goto(`${server.baseUrl}${address}`);
    await page.getByRole('heading', { name: `My accounts, FY${fiscalYear}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/accounts');
  }
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
    allGzipBytes: number;
    boardMs: { median: number; runs: number[] };
  };
  expect(measured.gzipBytes).toBeLessThanOrEqual(300 * 1024);
  // The charts are not in the first download: everything is the first download and the lazy chunks.
  expect(measured.allGzipBytes).toBeGreaterThan(measured.gzipBytes + 100 * 1024);
  expect(measured.boardMs.runs).toHaveLength(5);
  expect(run.stdout).toContain('first account board (CSM, demo, localhost, cold context): median');
}, 180_000);

/** The lines of a CSV without quoted commas (the allocation's codes and amounts), as cells. */
const csvRows = (text: string) =>
  text
    .trim()
    .split('\r\n')
    .map((line) => line.split(','));

/** A money string moved by whole cents ("100.00", -10000n → "0.00"). */
function plusCents(amount: string, delta: bigint): string {
  const cents = BigInt(amount.replace('.', '')) + delta;
  const magnitude = cents < 0n ? -cents : cents;
  return `${cents < 0n ? '-' : ''}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, '0')}`;
}

test('finance opens the allocation by tier × effect: the chart is drawn, the table totals are the API’s, the downloaded CSV equals the table', async () => {
  const { context, page } = await session('zh-CN');
  await signInAs(page, 'finance');
  await page.getByRole('link', { name: '成本分摊' }).click();
  await page.getByRole('heading', { name: '成本分摊' }).waitFor();
  // The default choice is tier × effect for the current fiscal year.
  await expect(page.getByLabel('维度 1').inputValue()).resolves.toBe('TIER');
  await expect(page.getByLabel('维度 2').inputValue()).resolves.toBe('EFFECT');
  const report = (
    await api<{
      costAllocation: {
        period: string;
        totalCount: number;
        grandTotal: {
          allocatedAmount: string;
          reservedAmount: string;
          spentAmount: string;
          entryCount: number;
        };
        edges: { node: { keys: { value: string | null }[]; totals: { spentAmount: string } } }[];
      };
    }>(
      'finance',
      `query($y: Int!) { costAllocation(period: { fiscalYear: $y }, groupBy: [TIER, EFFECT], first: 200) {
        period totalCount grandTotal { allocatedAmount reservedAmount spentAmount entryCount }
        edges { node { keys { value } totals { spentAmount } } } } }`,
      { y: fiscalYear },
    )
  ).costAllocation;
  const table = page.getByRole('table', { name: `成本分摊，${report.period}` });
  await table.waitFor();
  const screenRows = await table
    .locator('tbody tr, tfoot tr')
    .evaluateAll((rows) =>
      rows.map((row) => [
        row.getAttribute('data-keys'),
        ...['allocatedAmount', 'reservedAmount', 'spentAmount', 'entryCount'].map(
          (figure) => row.querySelector(`[data-figure="${figure}"]`)!.textContent,
        ),
      ]),
    );
  expect(screenRows).toHaveLength(report.totalCount + 1);
  expect(screenRows.at(-1)).toEqual([
    'TOTAL',
    yuan(report.grandTotal.allocatedAmount),
    yuan(report.grandTotal.reservedAmount),
    yuan(report.grandTotal.spentAmount),
    String(report.grandTotal.entryCount),
  ]);
  expect(screenRows.slice(0, -1).map((row) => [row[0], row[3]])).toEqual(
    report.edges.map(({ node }) => [
      JSON.stringify(node.keys.map((key) => key.value)),
      yuan(node.totals.spentAmount),
    ]),
  );
  // The chart, described for a screen reader with each group's spend.
  const chart = page.locator('[data-chart]');
  await chart.locator('svg').waitFor();
  const description = (await chart.getAttribute('aria-label')) ?? '';
  for (const { node } of report.edges) expect(description).toContain(yuan(node.totals.spentAmount));

  // The download is the export endpoint's file, row for row the table.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`allocation-FY${fiscalYear}.csv`);
  const [header, ...lines] = csvRows(fs.readFileSync((await download.path())!, 'utf8'));
  expect(header).toEqual([
    'tier',
    'effect',
    'allocated_amount',
    'reserved_amount',
    'spent_amount',
    'entry_count',
  ]);
  expect(
    lines.map(([tier, effect, allocated, reserved, spent, entries]) => [
      tier === 'TOTAL' ? 'TOTAL' : JSON.stringify([tier || null, effect || null]),
      yuan(allocated!),
      yuan(reserved!),
      yuan(spent!),
      entries,
    ]),
  ).toEqual(screenRows);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'allocation.png'), fullPage: true });

  // Another choice, one dimension and this quarter (the demo's entries are posted today): the table follows.
  const quarter = (
    await api<{ fiscalCalendar: { quarter: { quarter: number } } }>(
      'finance',
      `{ fiscalCalendar { quarter { quarter } } }`,
    )
  ).fiscalCalendar.quarter.quarter;
  await page.getByLabel('维度 2').selectOption('');
  await page.getByLabel('期间', { exact: true }).selectOption(`Q${quarter}`);
  const inQuarter = (
    await api<{
      costAllocation: { period: string; totalCount: number; grandTotal: { spentAmount: string } };
    }>(
      'finance',
      `query($y: Int!, $q: Int!) { costAllocation(period: { fiscalYear: $y, quarter: $q }, groupBy: [TIER], first: 200) { period totalCount grandTotal { spentAmount } } }`,
      { y: fiscalYear, q: quarter },
    )
  ).costAllocation;
  const quarterTable = page.getByRole('table', { name: `成本分摊，${inQuarter.period}` });
  await quarterTable.waitFor();
  await expect(quarterTable.locator('thead th').count()).resolves.toBe(5);
  await expect(quarterTable.locator('tbody tr').count()).resolves.toBe(inQuarter.totalCount);
  await expect(quarterTable.locator('tfoot [data-figure="spentAmount"]').innerText()).resolves.toBe(
    yuan(inQuarter.grandTotal.spentAmount),
  );
  await context.close();
});

test('a sales leader sees the ROI scatter with a point per account, the ranked table with its explanations and flags, and the summaries', async () => {
  const { context, page } = await session('en-US');
  await signInAs(page, 'salesLeader');
  await page.getByRole('link', { name: 'ROI' }).click();
  await page.getByRole('heading', { name: 'Return on free services' }).waitFor();
  const answer = await api<{
    accountRoi: {
      totalCount: number;
      edges: { node: { account: { name: string }; tier: string; spentAmount: string; wonAmount: string } }[];
    };
    fairnessSignals: { edges: { node: { account: { name: string }; kind: string } }[] };
  }>(
    'salesLeader',
    `query($y: Int!) {
      accountRoi(period: { fiscalYear: $y }, first: 200) { totalCount edges { node { account { name } tier spentAmount wonAmount } } }
      fairnessSignals(fiscalYear: $y, first: 200) { edges { node { account { name } kind } } } }`,
    { y: fiscalYear },
  );
  const rows = answer.accountRoi.edges.map((edge) => edge.node);
  // The ranked table: the API's order and figures.
  const table = page.getByRole('table', { name: `Accounts ranked (${answer.accountRoi.totalCount})` });
  await table.waitFor();
  const screenRows = await table
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [
        tr.getAttribute('data-account'),
        tr.querySelector('[data-figure="spent"]')!.textContent,
        tr.querySelector('[data-figure="won"]')!.textContent,
      ]),
    );
  expect(screenRows).toEqual(
    rows.map((row) => [row.account.name, english(row.spentAmount), english(row.wonAmount)]),
  );
  // Each flagged account's row says so; the others say nothing.
  const flagged = new Map(answer.fairnessSignals.edges.map(({ node }) => [node.account.name, node.kind]));
  const flags = await table
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => tr.querySelector('[data-figure="fairness"] strong')?.textContent ?? null),
    );
  expect(flags).toEqual(
    rows.map((row) => {
      const kind = flagged.get(row.account.name);
      return kind === undefined ? null : kind === 'OVER_SERVED' ? 'Over-served' : 'Under-served';
    }),
  );
  // An explanation opens.
  const first = table.locator('tbody tr').first();
  await first.getByText('How this was computed').click();
  await first.locator('details li').first().waitFor();

  // The scatter: a description naming each account with its figures, one bubble per account.
  const chart = page.locator('[data-chart]');
  await chart.locator('svg').waitFor();
  const description = (await chart.getAttribute('aria-label')) ?? '';
  for (const row of rows)
    expect(description).toContain(
      `${row.account.name}: spent ${english(row.spentAmount)}, won ${english(row.wonAmount)}`,
    );
  const tiers = new Set(rows.map((row) => row.tier));
  const symbols = await chart
    .locator('svg path')
    .evaluateAll(
      (paths) =>
        paths.filter(
          (p) => /^(#|rgb)/.test(p.getAttribute('fill') ?? '') && p.getAttribute('fill-opacity') === '0.8',
        ).length,
    );
  // One bubble per account, and the legend's one icon per tier.
  expect(symbols).toBe(rows.length + tiers.size);
  await page.getByRole('table', { name: 'By tier' }).waitFor();
  await page.getByRole('table', { name: 'By CSM' }).waitFor();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'roi.png'), fullPage: true });
  await context.close();
});

test('finance sorts and filters the budgets of the year, and an adjustment with a bad amount is refused next to the field', async () => {
  const { context, page } = await session('zh-CN');
  await signInAs(page, 'finance');
  await page.getByRole('link', { name: '预算', exact: true }).click();
  await page.getByRole('heading', { name: `${fiscalYear} 财年预算`, exact: true }).waitFor();
  const budgetsNow = async () =>
    (
      await api<{
        budgets: {
          edges: {
            node: { id: string; allocatedAmount: string; remainingAmount: string; account: { name: string } };
          }[];
        };
      }>(
        'finance',
        `query($y: Int) { budgets(fiscalYear: $y, first: 200) { edges { node { id allocatedAmount remainingAmount account { name } } } } }`,
        { y: fiscalYear },
      )
    ).budgets.edges.map((edge) => edge.node);
  const budgets = await budgetsNow();
  // The caption counts the rows shown, so the table is found by what stays in it.
  await page.getByRole('table', { name: `共 ${budgets.length} 个预算，显示 ${budgets.length} 个` }).waitFor();
  const table = page.getByRole('table', { name: /个预算/ });
  // Sorted by remaining, smallest first, compared as cents.
  await table.getByRole('button', { name: '剩余' }).click();
  await expect(table.getByRole('columnheader', { name: /剩余/ }).getAttribute('aria-sort')).resolves.toBe(
    'ascending',
  );
  const byRemaining = [...budgets].sort((a, b) => {
    const [x, y] = [BigInt(a.remainingAmount.replace('.', '')), BigInt(b.remainingAmount.replace('.', ''))];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const shown = () =>
    table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-account'),
          tr.querySelector('[data-figure="remainingAmount"]')!.textContent,
        ]),
      );
  expect(await shown()).toEqual(byRemaining.map((b) => [b.account.name, yuan(b.remainingAmount)]));
  await table.getByRole('button', { name: '剩余' }).click();
  expect(await shown()).toEqual(
    [...byRemaining].reverse().map((b) => [b.account.name, yuan(b.remainingAmount)]),
  );
  // Filtered by name.
  await page.getByLabel('客户名称').fill('Jinlong');
  await page.getByRole('table', { name: `共 ${budgets.length} 个预算，显示 1 个` }).waitFor();
  const jinlong = budgets.find((b) => b.account.name === 'Jinlong Retail')!;
  expect(await shown()).toEqual([['Jinlong Retail', yuan(jinlong.remainingAmount)]]);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'budgets.png'), fullPage: true });

  // An adjustment: a bad amount is answered next to the amount; a good one moves the budget.
  await page.getByRole('button', { name: '调整Jinlong Retail的预算' }).click();
  const amount = page.getByLabel('调整金额（正数增加，负数减少）');
  await amount.fill('12.345');
  await page.getByLabel('原因', { exact: true }).fill('console test');
  await page.getByRole('button', { name: '调整', exact: true }).click();
  await page.locator('#amount-error').waitFor();
  await expect(amount.getAttribute('aria-invalid')).resolves.toBe('true');
  expect((await budgetsNow()).find((b) => b.id === jinlong.id)).toEqual(jinlong);
  await amount.fill('1000.00');
  await page.getByRole('button', { name: '调整', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '已调整Jinlong Retail' }).waitFor();
  const after = (await budgetsNow()).find((b) => b.id === jinlong.id)!;
  expect([after.allocatedAmount, after.remainingAmount]).toEqual([
    plusCents(jinlong.allocatedAmount, 100_000n),
    plusCents(jinlong.remainingAmount, 100_000n),
  ]);
  await table
    .locator('[data-figure="remainingAmount"]')
    .filter({ hasText: yuan(after.remainingAmount) })
    .waitFor();
  await context.close();
});

test('a CSM opens an account: burn-up, ledger, relationship and opportunities as the API has them; delivers one booking above its reservation and cancels another', async () => {
  const jinlong = (
    (await database.db('customers').where({ name: 'Jinlong Retail' }).first('id')) as { id: string }
  ).id;
  const budgetOf = async () =>
    (
      await api<{
        budgetFor: {
          id: string;
          allocatedAmount: string;
          reservedAmount: string;
          spentAmount: string;
          ledger: { totalCount: number };
        };
      }>(
        'finance',
        `query($a: ID!, $y: Int) { budgetFor(accountId: $a, fiscalYear: $y) { id allocatedAmount reservedAmount spentAmount ledger { totalCount } } }`,
        { a: jinlong, y: fiscalYear },
      )
    ).budgetFor;
  // Room for two bookings, made through the API by the account's CSM.
  await api('finance', `mutation($i: AdjustBudgetInput!) { adjustBudget(input: $i) { __typename } }`, {
    i: {
      budgetId: (await budgetOf()).id,
      amount: '50000.00',
      reason: 'console account test',
      idempotencyKey: `console-account-${Date.now()}`,
    },
  });
  const services = await api<{ freeServicesForEffects: { id: string; name: string }[] }>(
    'csm2',
    `{ freeServicesForEffects(effects: [PRICE_ACCEPTANCE]) { id name } }`,
  );
  const training = services.freeServicesForEffects.find((s) => s.name === 'Training series')!;
  const book = async (days: number) =>
    (
      await api<{ bookFreeService: { id: string; state: string } }>(
        'csm2',
        `mutation($i: BookFreeServiceInput!) { bookFreeService(input: $i) { ... on Booking { id state } ... on Error { message } } }`,
        {
          i: {
            accountId: jinlong,
            serviceId: training.id,
            plannedDate: inDays(days),
            idempotencyKey: `console-account-book-${days}-${Date.now()}`,
          },
        },
      )
    ).bookFreeService;
  const [toDeliver, toCancel] = [await book(20), await book(21)];
  expect([toDeliver.state, toCancel.state]).toEqual(['BOOKED', 'BOOKED']);
  const before = await budgetOf();

  const { context, page } = await session('en-US');
  await signInAs(page, 'csm2');
  await page.getByRole('link', { name: 'Jinlong Retail', exact: true }).click();
  await page.getByRole('heading', { name: /Jinlong Retail/, level: 1 }).waitFor();
  // The burn-up and the ledger: every entry, drawn and listed.
  const chart = page.locator('figure [data-chart]');
  await chart.locator('svg').waitFor();
  expect(await chart.getAttribute('aria-label')).toContain(`Allocated ${english(before.allocatedAmount)}`);
  const ledger = page.getByRole('list', { name: 'Ledger' });
  await expect(ledger.locator('li').count()).resolves.toBe(before.ledger.totalCount);
  const account = await api<{ customer: { assessments: unknown[]; opportunities: { name: string }[] } }>(
    'csm2',
    `query($a: ID!) { customer(id: $a) { assessments { id } opportunities { name } } }`,
    { a: jinlong },
  );
  await expect(page.getByRole('table', { name: 'Assessments' }).locator('tbody tr').count()).resolves.toBe(
    account.customer.assessments.length,
  );
  await expect(
    page
      .getByRole('table', { name: 'Opportunities' })
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-opportunity'))),
  ).resolves.toEqual(account.customer.opportunities.map((o) => o.name));
  await page.getByRole('list', { name: 'Who serves which need' }).locator('li').first().waitFor();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'account.png'), fullPage: true });

  // Deliver above the reservation: the actual cost is posted, the booking is delivered.
  const deliverRow = page.locator(`[data-booking="${toDeliver.id}"]`);
  await deliverRow.getByRole('button', { name: /^Deliver Training series/ }).click();
  await page.getByLabel('Actual cost').fill('21000.00');
  await page.getByRole('button', { name: 'Deliver', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Delivered Training series at CN¥21,000.00.' }).waitFor();
  await deliverRow.locator('[data-figure="state"]').filter({ hasText: 'Delivered' }).waitFor();
  // Cancel without a reason is refused next to the field; with one, the reservation is released.
  const cancelRow = page.locator(`[data-booking="${toCancel.id}"]`);
  await cancelRow.getByRole('button', { name: /^Cancel Training series/ }).click();
  await page.getByRole('button', { name: 'Cancel booking', exact: true }).click();
  await page.locator('#action-error').waitFor();
  await page.getByLabel('Reason for cancelling').fill('customer postponed');
  await page.getByRole('button', { name: 'Cancel booking', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Cancelled Training series' }).waitFor();
  const after = await budgetOf();
  expect([after.reservedAmount, after.spentAmount]).toEqual([
    plusCents(before.reservedAmount, -4_000_000n),
    plusCents(before.spentAmount, 2_100_000n),
  ]);
  // The timeline is read again after each change: the delivery's release and spend, the cancellation's release.
  expect(after.ledger.totalCount).toBe(before.ledger.totalCount + 3);
  await page.waitForFunction(
    (count) => document.querySelectorAll('ol[aria-label="Ledger"] li').length === count,
    after.ledger.totalCount,
  );
  await context.close();
});

test('a sales leader reviews the tier proposals with their figures and applies one with a reason', async () => {
  const proposalsNow = async () =>
    (
      await api<{
        tierReviewProposals: {
          edges: {
            node: {
              account: { id: string; name: string };
              fromTier: string;
              toTier: string;
              reasons: string[];
            };
          }[];
        };
      }>(
        'salesLeader',
        `query($y: Int!) { tierReviewProposals(fiscalYear: $y, first: 200) { edges { node { account { id name } fromTier toTier reasons } } } }`,
        { y: fiscalYear },
      )
    ).tierReviewProposals.edges.map((edge) => edge.node);
  const proposals = await proposalsNow();
  // The demo's one proposal: Jinlong Retail (C) won 800,000 with an uplift of 3, so A.
  expect(proposals.map((p) => [p.account.name, p.fromTier, p.toTier])).toEqual([
    ['Jinlong Retail', 'C', 'A'],
  ]);
  const { context, page } = await session('en-US');
  await signInAs(page, 'salesLeader');
  await page.getByRole('link', { name: 'Tier review' }).click();
  await page.getByRole('heading', { name: 'Tier review', level: 1 }).waitFor();
  const item = page.locator('[data-account="Jinlong Retail"]');
  await item.getByRole('heading', { name: 'Jinlong Retail: tier C → A' }).waitFor();
  await expect(item.locator('ul').first().locator('li').allInnerTexts()).resolves.toEqual(
    proposals[0]!.reasons,
  );
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'tiers.png'), fullPage: true });
  // No reason: refused beside the field, nothing changes.
  await item.getByRole('button', { name: 'Apply: tier A' }).click();
  await item.locator(`#tier-${proposals[0]!.account.id}-reason-error`).waitFor();
  const tierOf = async () =>
    (
      await api<{ customer: { tier: string } }>(
        'salesLeader',
        `query($a: ID!) { customer(id: $a) { tier } }`,
        { a: proposals[0]!.account.id },
      )
    ).customer.tier;
  expect(await tierOf()).toBe('C');
  await item.getByLabel('Reason for the change').fill('FY review: won 800,000 with the free services');
  await item.getByRole('button', { name: 'Apply: tier A' }).click();
  await page.getByRole('status').filter({ hasText: 'Jinlong Retail is now tier A.' }).waitFor();
  expect(await tierOf()).toBe('A');
  // The list is read again: what the API proposes now.
  const after = await proposalsNow();
  await page.waitForFunction(
    (names) =>
      JSON.stringify(
        [...document.querySelectorAll('.inbox > li')].map((li) => li.getAttribute('data-account')),
      ) === names,
    JSON.stringify(after.map((p) => p.account.name)),
  );
  await context.close();
});

test('a CSM reads the notification feed: the unread count in the menu and the list are the API’s, and marking one read lowers both', async () => {
  // A notification of the CSM's own account, caused through the API: a transfer requested from it.
  type Feed = {
    notifications: {
      totalCount: number;
      edges: { node: { id: string; type: string; read: boolean; payload: unknown } }[];
    };
  };
  const feed = (unreadOnly: boolean) =>
    api<Feed>(
      'csm',
      `query($u: Boolean) { notifications(first: 100, unreadOnly: $u) { totalCount edges { node { id type read payload } } } }`,
      { u: unreadOnly },
    );
  const unreadBefore = (await feed(true)).notifications.totalCount;
  expect(unreadBefore).toBeGreaterThan(0);
  const { context, page } = await session('zh-CN');
  await signInAs(page, 'csm');
  const menu = page.getByRole('navigation', { name: '主导航' });
  await menu.locator(`[data-unread="${unreadBefore}"]`).waitFor();
  await expect(menu.getByRole('link', { name: /^通知/ }).innerText()).resolves.toBe(
    `通知 （${unreadBefore} 条未读）`,
  );
  await menu.getByRole('link', { name: /^通知/ }).click();
  await page.getByRole('heading', { name: '通知' }).waitFor();
  const all = (await feed(false)).notifications;
  await page.getByText(`共 ${all.totalCount} 条通知，显示 ${Math.min(all.totalCount, 100)} 条`).waitFor();
  // A threshold crossing as the console words it in Chinese, its amounts formatted from the payload.
  const crossing = all.edges
    .map((edge) => edge.node)
    .find((node) => node.type === 'BUDGET_THRESHOLD_CROSSED')!;
  const p = crossing.payload as {
    fiscalYear: number;
    thresholdPercent: string;
    used: string;
    allocated: string;
  };
  const row = page.locator(`[data-notification="${crossing.id}"]`);
  await row.getByText('预算越过阈值').waitFor();
  await row
    .getByText(
      `FY${p.fiscalYear} 预算已用达到 ${p.thresholdPercent}%：${yuan(p.allocated)} 中已用 ${yuan(p.used)}`,
    )
    .waitFor();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'notifications.png'), fullPage: true });

  const firstUnread = (await feed(true)).notifications.edges[0]!.node;
  await page
    .locator(`[data-notification="${firstUnread.id}"]`)
    .getByRole('button', { name: /^标为已读/ })
    .click();
  await page.locator(`[data-notification="${firstUnread.id}"][data-read="true"]`).waitFor();
  expect((await feed(true)).notifications.totalCount).toBe(unreadBefore - 1);
  // The menu's count follows at once.
  if (unreadBefore > 1) await menu.locator(`[data-unread="${unreadBefore - 1}"]`).waitFor();
  else await menu.locator('[data-unread]').waitFor({ state: 'detached' });
  await page.getByRole('checkbox', { name: '只看未读' }).check();
  await page.getByText(`共 ${unreadBefore - 1} 条通知`).waitFor();
  await expect(page.locator(`[data-notification="${firstUnread.id}"]`).count()).resolves.toBe(0);
  // And on the next screen.
  await page.getByRole('link', { name: '我的客户' }).click();
  if (unreadBefore > 1) await menu.locator(`[data-unread="${unreadBefore - 1}"]`).waitFor();
  else await menu.locator('[data-unread]').waitFor({ state: 'detached' });
  await context.close();
});

test('finance sets the alert thresholds of a tier; a repeated threshold is refused next to the field', async () => {
  const { context, page } = await session('en-US');
  await signInAs(page, 'finance');
  await page.getByRole('link', { name: 'Budgets' }).click();
  const tierA = page.getByLabel('Tier A thresholds (%)');
  await expect(tierA.inputValue()).resolves.toBe('75, 90, 100');
  expect(await accessibilityViolations(page)).toEqual([]);
  await tierA.fill('80, 80');
  await page.locator('[data-thresholds="A"]').getByRole('button', { name: 'Save' }).click();
  await page
    .locator('[data-thresholds="A"]')
    .getByRole('alert')
    .filter({ hasText: 'each threshold once' })
    .waitFor();
  await expect(tierA.getAttribute('aria-invalid')).resolves.toBe('true');
  await tierA.fill('80, 95.5');
  await page.locator('[data-thresholds="A"]').getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Tier A alerts at 80%, 95.5%.' }).waitFor();
  expect(await api<{ alertThresholds: string[] }>('csm', `{ alertThresholds(tier: A) }`)).toEqual({
    alertThresholds: ['80', '95.5'],
  });
  await api(
    'finance',
    `mutation { setAlertThresholds(tier: A, percents: ["75", "90", "100"]) { __typename } }`,
  );
  await context.close();
});

test('an admin registers a webhook endpoint, sees its secret once, follows a delivery, disables it, rotates the secret and sends a delivery again', async () => {
  const { context, page } = await session('en-US');
  await signInAs(page, 'admin');
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await page.getByText('No endpoints registered.').waitFor();
  // Loopback is refused (this server does not allow private targets), beside the field.
  await page.getByLabel('URL').fill('http://127.0.0.1:9/hooks');
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'loopback or private address' }).waitFor();
  await expect(page.getByLabel('URL').getAttribute('aria-invalid')).resolves.toBe('true');
  const url = 'https://hooks.example.com/ledger';
  await page.getByLabel('URL').fill(url);
  await page.getByLabel('Description').fill('CRM sync');
  await page.getByRole('checkbox', { name: 'Fiscal year closing' }).check();
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const shown = await page.locator('[data-secret]').innerText();
  expect(shown).toMatch(/^whsec_/);
  const stored = await database.db('webhook_endpoints').where({ url }).first();
  expect(stored).toMatchObject({
    secret: shown,
    event_types: ['fiscal_year.closing'],
    description: 'CRM sync',
  });
  const endpoint = page.locator(`[data-endpoint="${url}"]`);
  await endpoint.getByText('Fiscal year closing').waitFor();
  await endpoint.getByText('Enabled').waitFor();
  expect(await accessibilityViolations(page)).toEqual([]);

  // An event of that type: its delivery waits for the job queue (not running beside this test server).
  const [event] = await database
    .db('events')
    .insert({ type: 'fiscal_year.closing', account_id: accountA, payload: { unused: '1.00' } })
    .returning('id');
  await endpoint.getByRole('button', { name: 'Refresh' }).click();
  const row = endpoint.locator('[data-delivery]').first();
  await row.getByText(`evt_${event.id}`).waitFor();
  await expect(row.locator('[data-figure="delivery-state"]').innerText()).resolves.toBe('Pending');
  await endpoint.getByText('Latest 1 of 1 deliveries').waitFor();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'webhooks.png'), fullPage: true });

  await endpoint.getByRole('button', { name: 'Disable' }).click();
  await endpoint.getByText('Disabled: disabled by an ADMIN').waitFor();
  expect((await database.db('webhook_endpoints').where({ url }).first()).enabled).toBe(false);
  await endpoint.getByRole('button', { name: 'Enable' }).click();
  await endpoint.getByText('Enabled').waitFor();

  await endpoint.getByRole('button', { name: 'Rotate secret' }).click();
  // The notice for this URL is on screen since the registration: wait for the new secret in it.
  await page.locator('[data-secret]').filter({ hasNotText: shown }).waitFor();
  await page.getByText(`Signing secret for ${url}`).waitFor();
  const rotated = await database.db('webhook_endpoints').where({ url }).first();
  expect(rotated.previous_secret).toBe(shown);
  await expect(page.locator('[data-secret]').innerText()).resolves.toBe(rotated.secret);
  await endpoint.getByText(/The previous secret signs too until/).waitFor();

  // A finished delivery is sent again on request: a second delivery of the same message.
  await database
    .db('webhook_deliveries')
    .where({ event_id: event.id })
    .update({ state: 'FAILED', finished_at: database.db.fn.now() });
  await endpoint.getByRole('button', { name: 'Refresh' }).click();
  await row.getByRole('button', { name: /^Send delivery/ }).click();
  await endpoint.getByText('Latest 2 of 2 deliveries').waitFor();
  await expect(endpoint.getByText(`evt_${event.id}`).count()).resolves.toBe(2);
  await context.close();
});
