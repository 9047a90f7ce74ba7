import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencies, directives, escalations, users } from '../../db/schema.js';
import { EXAMPLE_CONCLUSION } from '../../scripts/demo/example.js';
import { eventually, inSeconds, pastSoon, soon } from '../support.js';
import { agencyId, issueDirective, expectAccessible, newPage, person, signIn, startSite, textOf, visible, type Site } from './support.js';

/**
 * Every role's main action with JavaScript switched off: plain forms, full pages, the same outcome. On the
 * way, axe-core checks each page of the role.
 */
let site: Site;
beforeAll(async () => {
  site = await startSite();
}, 180_000);
afterAll(async () => site?.close());

async function noScript(email: string): Promise<{ page: Page; close(): Promise<void> }> {
  const { context, page } = await newPage(site, { javaScript: false });
  await signIn(page, site.base, email);
  return { page, close: () => context.close() };
}

/** axe-core needs scripts, so the role's pages are checked in a second browser of theirs that runs them. */
async function tour(email: string, paths: string[]) {
  const { context, page } = await newPage(site);
  await signIn(page, site.base, email);
  for (const path of paths) {
    const res = await page.goto(`${site.base}${path}`);
    expect(res?.status(), path).toBe(200);
    await expectAccessible(page, path);
  }
  await context.close();
}


describe('with JavaScript disabled', () => {
  it('a leader issues a conference from its conclusion', async () => {
    const leader = await person(site, 'leader', 'Lãnh đạo không dùng JavaScript', 'lanhdao.nojs@noichinh.test');
    await tour(leader.email, ['/', '/directives', '/conferences', '/conferences/new', '/inbox']);
    const { page, close } = await noScript(leader.email);
    await page.goto(`${site.base}/conferences/new`);
    await page.getByLabel('Tên hội nghị').fill('Giao ban không JavaScript');
    await page.getByLabel('Dán nội dung kết luận').fill(EXAMPLE_CONCLUSION.read());
    await page.getByRole('button', { name: 'Đọc văn bản' }).click();
    await page.getByLabel('Cơ quan chủ trì các nhiệm vụ chưa chọn').selectOption({ label: 'Tổ công tác huyện Bến Cầu' });
    await page.getByRole('button', { name: 'Giao tất cả nhiệm vụ' }).click();
    await page.waitForURL(/\/conferences\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').at(-1)!;
    await eventually(() => site.world.db.select().from(directives).where(eq(directives.conferenceId, id)), (rows) => rows.length === 6);
    await close();
  }, 120_000);

  it('a leader reads a conclusion in prose and maps a name the directory did not know, once', async () => {
    const leader = await person(site, 'leader', 'Lãnh đạo đọc văn xuôi', 'lanhdao.prose@noichinh.test');
    const { page, close } = await noScript(leader.email);
    await page.goto(`${site.base}/conferences/new`);
    await page.getByLabel('Tên hội nghị').fill('Kết luận đọc từ văn xuôi');
    await page
      .getByLabel('Dán nội dung kết luận')
      .fill(
        'Phát biểu kết luận, đồng chí Bí thư ghi nhận, đánh giá cao kết quả các tổ công tác đã đạt được.\n\n' +
          'Về nhiệm vụ năm 2027, đồng chí đề nghị Tổ công tác đặc biệt số 7 tăng cường kiểm tra việc kê khai tài sản; rà soát các vụ việc khiếu nại kéo dài.',
      );
    await page.getByRole('button', { name: 'Đọc văn bản' }).click();
    expect(await textOf(page.locator('main > p').first())).toBe('Đọc được 2 nhiệm vụ.');
    await visible(page.getByText('1 đoạn được bỏ qua (đánh giá kết quả, phần kết)'));
    expect(await page.locator('select[name="d0.lead"]').inputValue()).toBe('');
    await page.getByLabel('«Tổ công tác đặc biệt số 7» là').selectOption({ label: 'Tổ công tác huyện Bến Cầu' });
    await page.getByRole('button', { name: 'Ghi nhớ' }).click();
    expect(await textOf(page.getByRole('status'))).toBe('Đã ghi nhớ «Tổ công tác đặc biệt số 7» là Tổ công tác huyện Bến Cầu; văn bản đã được đọc lại.');
    // Read again with the name remembered: both drafts suggest the agency, and nothing is left to map.
    expect(await page.locator('select[name="d0.lead"]').inputValue()).toBe('TCT-BC');
    expect(await page.locator('select[name="d1.lead"]').inputValue()).toBe('TCT-BC');
    expect(await page.getByRole('button', { name: 'Ghi nhớ' }).count()).toBe(0);
    const [mapped] = await site.world.db.select({ aliases: agencies.aliases }).from(agencies).where(eq(agencies.code, 'TCT-BC'));
    expect(mapped!.aliases).toEqual(['Tổ công tác đặc biệt số 7']);
    await close();
  }, 120_000);

  it('an officer acknowledges and reports', async () => {
    const lead = await agencyId(site, 'TCT-TrB');
    const officer = await person(site, 'officer', 'Cán bộ Trảng Bàng', 'trangbang.nojs@noichinh.test', lead);
    const id = await issueDirective(site, { title: 'Báo cáo kết quả thi hành án', leadAgency: lead, dueAt: inSeconds(7200), regime: { kind: 'explicit', dueDates: [inSeconds(3600)] } });
    await tour(officer.email, ['/', '/directives', `/directives/${id}`, '/inbox']);
    const { page, close } = await noScript(officer.email);
    await page.goto(`${site.base}/directives/${id}`);
    await page.getByRole('button', { name: 'Xác nhận đã nhận nhiệm vụ' }).click();
    await page.waitForURL(/done=acknowledge/);
    await page.getByLabel('Nội dung báo cáo').fill('Đã thi hành xong 30 việc.');
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await page.waitForURL(/done=report/);
    expect(await textOf(page.getByRole('status'))).toBe('Đã ghi nhận.');
    const { reports } = (await (await site.world.call('GET', `/v1/directives/${id}`)).json()) as { reports: Array<{ summary: string }> };
    expect(reports.map((r) => r.summary)).toEqual(['Đã thi hành xong 30 việc.']);
    await close();
  }, 120_000);

  it('a supervisor acknowledges an escalation in the inbox', async () => {
    const bnc = await agencyId(site, 'BNCTU');
    const lead = await agencyId(site, 'TCT-DMC');
    const supervisor = await person(site, 'supervisor', 'Theo dõi không JavaScript', 'theodoi.nojs@noichinh.test', bnc);
    const id = await issueDirective(site, {
      title: 'Theo dõi vụ việc đông người',
      leadAgency: lead,
      dueAt: inSeconds(3600),
      regime: { kind: 'explicit', dueDates: [soon()] },
      policy: { reminders: [], escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT1H' }] },
    });
    await eventually(() => site.world.db.select().from(escalations).where(eq(escalations.directiveId, id)), (rungs) => rungs.some((r) => r.level === 2), pastSoon(0, 21));
    await tour(supervisor.email, ['/', '/inbox', `/directives/${id}`]);
    const { page, close } = await noScript(supervisor.email);
    await page.goto(`${site.base}/inbox`);
    await page.getByRole('button', { name: 'Đã xem' }).click();
    await page.waitForURL(`${site.base}/inbox`);
    await visible(page.getByText('Không có chuyển cấp nào.'));
    const rungs = await site.world.db.select().from(escalations).where(eq(escalations.directiveId, id));
    expect(rungs.find((r) => r.level === 2)!.acknowledgedAt).not.toBeNull();
    await close();
  }, 120_000);

  it('an admin adds an agency and a user, invites them, and the user sets a password and signs in', async () => {
    const admin = await person(site, 'admin', 'Quản trị không JavaScript', 'quantri.nojs@noichinh.test');
    await tour(admin.email, ['/', '/admin/agencies', '/admin/users', '/admin/calendar', '/admin/webhooks']);
    const { page, close } = await noScript(admin.email);

    await page.goto(`${site.base}/admin/agencies`);
    const add = page.locator('form[action="/admin/agencies"]');
    await add.getByLabel('Mã').fill('TCT-MOI');
    await add.getByLabel('Tên', { exact: true }).fill('Tổ công tác xã mới');
    await add.getByLabel('Trực thuộc').selectOption({ label: 'Ban Nội chính Tỉnh ủy' });
    await add.getByLabel('Cơ quan theo dõi, đôn đốc').selectOption({ label: 'Ban Nội chính Tỉnh ủy' });
    await add.getByRole('button', { name: 'Thêm' }).click();
    await visible(page.locator('.tree strong', { hasText: 'Tổ công tác xã mới' }));
    // Then moved under the provincial party committee's supervision, through its own form.
    await page.getByText('Sửa: TCT-MOI').click();
    const edit = page.locator('details', { hasText: 'Sửa: TCT-MOI' }).locator('form');
    await edit.getByLabel('Cơ quan theo dõi, đôn đốc').selectOption({ label: 'Tỉnh ủy' });
    await edit.getByRole('button', { name: 'Lưu' }).click();
    expect(await textOf(page.getByRole('status'))).toBe('Đã ghi nhận.');
    const [created] = await site.world.db.select().from(agencies).where(eq(agencies.code, 'TCT-MOI'));
    expect(created).toMatchObject({ name: 'Tổ công tác xã mới', parentId: await agencyId(site, 'BNCTU'), supervisorId: await agencyId(site, 'TU') });

    await page.goto(`${site.base}/admin/users`);
    await page.getByLabel('Tên', { exact: true }).fill('Cán bộ xã mới');
    await page.getByLabel('Thư điện tử').fill('canbo.xamoi@noichinh.test');
    await page.getByLabel('Vai trò').selectOption('officer');
    await page.getByLabel('Cơ quan').selectOption({ label: 'Tổ công tác xã mới' });
    await page.getByRole('button', { name: 'Thêm' }).click();
    await visible(page.getByRole('cell', { name: 'Cán bộ xã mới' }));
    const row = page.getByRole('row').filter({ hasText: 'Cán bộ xã mới' });
    await row.getByRole('button', { name: 'Tạo lời mời đặt mật khẩu' }).click();
    await visible(page.locator('.notice.ok code'));
    const [link, code] = (await page.locator('.notice.ok code').allTextContents()).map((text) => text.trim());
    // The code rides after `#`, which a browser never sends: no server, proxy or audit log sees it.
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link).toBe(`${site.base}/invitations#${code}`);
    await close();

    // With scripts, the link fills the code in and takes it out of the address bar.
    const checked = await newPage(site);
    await checked.page.goto(link!);
    await eventually(() => checked.page.getByLabel('Mã mời').inputValue(), (value) => value === code);
    expect(checked.page.url()).toBe(`${site.base}/invitations`);
    await expectAccessible(checked.page, 'invitation');
    await checked.context.close();

    // Without, the person pastes the code they were given beside the link.
    const { context, page: invited } = await newPage(site, { javaScript: false });
    await invited.goto(link!);
    await invited.getByLabel('Mã mời').fill(code!);
    await invited.getByLabel('Mật khẩu mới (ít nhất 10 ký tự)').fill('mật khẩu của xã mới');
    await invited.getByLabel('Nhập lại mật khẩu').fill('mật khẩu của xã mới');
    await invited.getByRole('button', { name: 'Đặt mật khẩu và đăng nhập' }).click();
    await invited.waitForURL(`${site.base}/`);
    expect(await textOf(invited.locator('.who'))).toContain('Cán bộ xã mới');
    const [u] = await site.world.db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, 'canbo.xamoi@noichinh.test'));
    expect(u!.hash).toMatch(/^\$argon2id\$/);
    // The code was for one use.
    await invited.goto(link!);
    await invited.getByLabel('Mã mời').fill(code!);
    await invited.getByLabel('Mật khẩu mới (ít nhất 10 ký tự)').fill('mật khẩu khác của xã');
    await invited.getByLabel('Nhập lại mật khẩu').fill('mật khẩu khác của xã');
    await invited.getByRole('button', { name: 'Đặt mật khẩu và đăng nhập' }).click();
    await visible(invited.getByText('Mã mời không đúng, đã được dùng hoặc đã hết hạn'));
    await context.close();
  }, 120_000);
});
