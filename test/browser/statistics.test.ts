import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accepted, cancelled, endOf, extended, issued, submitted, vn, writeHistories } from '../statistics-history.js';
import { inSeconds } from '../support.js';
import { agencyId, expectAccessible, issueDirective, newPage, person, signIn, startSite, textOf, visible, type Site } from './support.js';

/**
 * The statistics dashboard in Chromium: a quarter written by hand (its numbers worked out on paper) and a
 * directive issued live; every number opens the list of exactly the directives behind it; a leader publishes
 * the quarter and downloads its report; an admin edits the scoring rule; the filters work without JavaScript.
 *
 *   X1 CAT, due 15/08/2025, completed 20/09 (after the end)  → open overdue
 *   X2 CAT, due 31/08, completed 20/08                        → completed on time
 *   X3 TAND, due 10/08, extended on 20/09 (after the end)      → open overdue
 *   X4 TAND, due 30/09                                        → open on time
 *   X5 VKSND, cancelled 15/08                                 → cancelled, outside the total
 */
let site: Site;
let leader: Awaited<ReturnType<typeof person>>;

beforeAll(async () => {
  site = await startSite();
  const [cat, tand, vks] = await Promise.all([agencyId(site, 'CAT'), agencyId(site, 'TAND'), agencyId(site, 'VKSND')]);
  leader = await person(site, 'leader', 'Trưởng Ban Nội chính', 'truongban@noichinh.test');
  const own = (title: string, events: Parameters<typeof writeHistories>[1][number]['events']) => ({ title, conferenceId: null, issuedBy: leader.id, events });
  await writeHistories(site.world.db, [
    own('X1 Rà soát đơn thư tồn đọng', [issued(vn('2025-07-01'), cat, endOf('2025-08-15')), submitted(vn('2025-09-20')), accepted(vn('2025-09-21'))]),
    own('X2 Tuyên truyền pháp luật', [issued(vn('2025-07-01'), cat, endOf('2025-08-31')), submitted(vn('2025-08-20')), accepted(vn('2025-08-22'))]),
    own('X3 Giảm án hành chính', [issued(vn('2025-07-05'), tand, endOf('2025-08-10')), extended(vn('2025-09-20'), endOf('2025-10-31'))]),
    own('X4 Xét xử lưu động', [issued(vn('2025-07-10'), tand, endOf('2025-09-30'))]),
    own('X5 Kiểm sát thi hành án', [issued(vn('2025-07-10'), vks, endOf('2025-08-31')), cancelled(vn('2025-08-15'))]),
  ]);
}, 180_000);
afterAll(async () => site?.close());

/** The rows of the list a number opened, and the count it says it has. */
async function listed(page: Page) {
  await visible(page.locator('#behind'));
  return { said: Number((await textOf(page.locator('#behind'))).split(' ')[0]), rows: await page.locator('#counted tbody tr').count() };
}

describe('the statistics dashboard in a real browser', () => {
  it('opens, from any number of a quarter, exactly the directives behind it', async () => {
    const { context, page } = await newPage(site);
    await signIn(page, site.base, leader.email);
    await page.getByRole('link', { name: 'Thống kê' }).first().click();
    await page.getByLabel('Kỳ', { exact: true }).selectOption('2025-Q3');
    await page.getByRole('button', { name: 'Xem' }).click();
    await page.waitForURL(/period=2025-Q3/);
    expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Kết quả thực hiện nhiệm vụ quý III năm 2025');
    await visible(page.getByText('số liệu tính đến 24:00 ngày 14/09/2025'));
    await expectAccessible(page, 'dashboard');

    const overdue = page.getByRole('link', { name: 'Toàn tỉnh: Đang thực hiện quá hạn 2' });
    await overdue.click();
    expect(await listed(page)).toEqual({ said: 2, rows: 2 });
    expect(await page.locator('#counted tbody tr td:first-child').allTextContents()).toEqual(['X3 Giảm án hành chính', 'X1 Rà soát đơn thư tồn đọng']);
    expect(await page.locator('#counted tbody tr td:last-child').allTextContents()).toEqual(['35', '30']);
    await expectAccessible(page, 'drill-down');
    await page.goBack();

    await page.getByRole('link', { name: 'Công an tỉnh: Tổng số 2' }).click();
    expect(await listed(page)).toEqual({ said: 2, rows: 2 });
    await page.goBack();
    // The cancelled directive is counted apart, and opens too.
    await page.getByRole('link', { name: 'Toàn tỉnh: Đã hủy (không tính vào tổng) 1' }).click();
    expect(await listed(page)).toEqual({ said: 1, rows: 1 });
    await page.goBack();
    expect(await textOf(page.locator('table.stats').first().locator('tbody td').first())).toBe('4');
    await context.close();
  });

  it('counts a directive issued just now in the running quarter, and lists it behind its number', async () => {
    const id = await issueDirective(site, { title: 'Nhiệm vụ mới giao hôm nay', leadAgency: 'THADS', dueAt: inSeconds(3600) });
    const { context, page } = await newPage(site);
    await signIn(page, site.base, leader.email);
    await page.goto(`${site.base}/statistics?groupBy=lead`);
    const link = page.getByRole('link', { name: /^Cục Thi hành án dân sự tỉnh: Đang thực hiện trong hạn \d+$/ });
    const shown = Number((await textOf(link)).trim());
    await link.click();
    expect(await listed(page)).toEqual({ said: shown, rows: shown });
    await visible(page.locator(`#counted a[href="/directives/${id}"]`));
    await context.close();
  });

  it('lets a leader publish the quarter and download its reports, and refuses to publish it twice', async () => {
    const { context, page } = await newPage(site);
    await signIn(page, site.base, leader.email);
    await page.goto(`${site.base}/statistics?period=2025-Q3`);
    await page.getByLabel('Ghi chú khi công bố').fill('Kết quả quý III gửi hội nghị giao ban');
    await page.getByRole('button', { name: 'Công bố kết quả kỳ này' }).click();
    await page.waitForURL(/\/statistics\/published\/2025-Q3$/);
    await visible(page.getByText('Đã công bố kết quả quý III năm 2025.'));
    await expectAccessible(page, 'published result');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Excel' }).click();
    expect((await download).suggestedFilename()).toBe('ket-qua-2025-Q3.xlsx');
    const word = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Word (văn bản báo cáo)' }).click();
    expect((await word).suggestedFilename()).toBe('ket-qua-2025-Q3.docx');

    // Publishing twice is refused on the dashboard, with the reason.
    await page.goto(`${site.base}/statistics?period=2025-Q3`);
    await page.getByRole('button', { name: 'Công bố kết quả kỳ này' }).click();
    await visible(page.getByRole('alert').filter({ hasText: 'Kết quả kỳ 2025-Q3 đã được công bố.' }));
    await context.close();
  });

  it('lets an admin change the scoring rule, refusing thresholds that cannot band with the reason', async () => {
    const admin = await person(site, 'admin', 'Quản trị', 'quantri@noichinh.test');
    const { context, page } = await newPage(site);
    await signIn(page, site.base, admin.email);
    await page.goto(`${site.base}/admin/scoring`);
    await expectAccessible(page, 'scoring rule');
    await page.getByLabel('Xanh từ').fill('40');
    await page.getByLabel('Vàng từ').fill('60');
    await page.getByRole('button', { name: 'Lưu quy tắc mới' }).click();
    await visible(page.getByRole('alert').filter({ hasText: 'Ngưỡng xếp loại phải thỏa 0 ≤ vàng ≤ xanh ≤ 100.' }));
    expect(await page.getByLabel('Xanh từ').inputValue()).toBe('40');
    await page.getByLabel('Xanh từ').fill('85');
    await page.getByRole('button', { name: 'Lưu quy tắc mới' }).click();
    await visible(page.getByText('Đã lưu quy tắc chấm điểm mới.'));
    expect(await page.getByLabel('Xanh từ').inputValue()).toBe('85');
    await context.close();
  });

  it('filters and groups without JavaScript', async () => {
    const { context, page } = await newPage(site, { javaScript: false });
    await signIn(page, site.base, leader.email);
    await page.goto(`${site.base}/statistics?period=2025-Q3`);
    await page.getByLabel('Nhóm theo').selectOption('supervisor');
    await page.getByRole('button', { name: 'Xem' }).click();
    await page.waitForURL(/groupBy=supervisor/);
    // Ban Nội chính supervises all three agencies, and Tỉnh ủy supervises Ban Nội chính.
    await visible(page.getByRole('link', { name: 'Ban Nội chính Tỉnh ủy: Tổng số 4' }));
    await visible(page.getByRole('link', { name: 'Tỉnh ủy: Tổng số 4' }));
    await context.close();
  });
});
