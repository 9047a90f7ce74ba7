import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { directives } from '../../db/schema.js';
import { EXAMPLE_CONCLUSION } from '../../scripts/demo/example.js';
import { pdf } from '../files.js';
import { eventually, inSeconds, pastSoon, soon } from '../support.js';
import { agencyId, issueDirective, expectAccessible, newPage, pageWeight, person, signIn, startSite, textOf, visible, type Site } from './support.js';

/**
 * The web app in Debian's Chromium, driven by Playwright, against the real Temporal server and PostgreSQL:
 * a leader issuing a briefing's directives, an officer reporting from a phone, a supervisor whose inbox
 * updates by itself, and the guards (form tokens, scopes, throttling). axe-core checks every page on the way.
 */
let site: Site;
const weights: Array<[string, number]> = [];

beforeAll(async () => {
  site = await startSite();
}, 180_000);
afterAll(async () => {
  const [path, heaviest] = [...weights].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  process.stdout.write(`heaviest page: ${path}, ${(heaviest / 1024).toFixed(1)} KB compressed (HTML + CSS + JS), limit 150 KB\n`);
  await site?.close();
});


describe('in a real browser', () => {
  it('a leader pastes the example conclusion, corrects one draft’s lead agency and issues the six directives', async () => {
    const leader = await person(site, 'leader', 'Phó Trưởng Ban Nội chính', 'lanhdao@noichinh.test');
    const { context, page } = await newPage(site);
    await signIn(page, site.base, leader.email);
    await expectAccessible(page, 'home');
    await page.getByRole('link', { name: 'Hội nghị' }).first().click();
    await page.getByRole('button', { name: 'Hội nghị mới từ văn bản kết luận' }).click();
    await expectAccessible(page, 'new conference');
    await page.getByLabel('Tên hội nghị').fill('Giao ban Tổ công tác cấp huyện 9 tháng đầu năm');
    await page.getByLabel('Ngày họp').fill(EXAMPLE_CONCLUSION.heldOn);
    await page.getByLabel('Dán nội dung kết luận').fill(EXAMPLE_CONCLUSION.read());
    await page.getByRole('button', { name: 'Đọc văn bản' }).click();

    await visible(page.getByText('Văn bản nêu 6 nhiệm vụ; đọc được 6.'));
    expect(await page.locator('.conclusion mark').count()).toBe(6);
    await expectAccessible(page, 'drafts');
    weights.push(['drafts of the example conclusion', await pageWeight(site, page)]);
    await page.getByLabel('Cơ quan chủ trì các nhiệm vụ chưa chọn').selectOption({ label: 'Tổ công tác huyện Tân Biên' });
    // Task (2) is about the courts' judgments: the leader gives it to the provincial court instead.
    await page.locator('fieldset').nth(1).getByLabel('Chủ trì').selectOption({ label: 'Tòa án nhân dân tỉnh' });
    const submitted = await page.evaluate<Array<[string, string]>>("[...new FormData(document.querySelector('form[action=\"/conferences\"]'))]");
    await page.getByRole('button', { name: 'Giao tất cả nhiệm vụ' }).click();

    await page.waitForURL(/\/conferences\/[0-9a-f-]{36}$/);
    const conferenceId = page.url().split('/').at(-1)!;
    expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Giao ban Tổ công tác cấp huyện 9 tháng đầu năm');
    weights.push(['/conferences/:id', await pageWeight(site, page)]);
    await expectAccessible(page, 'conference');
    const rows = await eventually(async () => {
      const r = await site.world.db.select().from(directives).where(eq(directives.conferenceId, conferenceId));
      return r.length === 6 ? r : undefined;
    });
    const tan = await agencyId(site, 'TCT-TB');
    const court = await agencyId(site, 'TAND');
    expect(rows.filter((r) => r.leadAgencyId === court).map((r) => r.title)).toEqual([expect.stringMatching(/^Lãnh đạo nâng cao chất lượng/)]);
    expect(rows.filter((r) => r.leadAgencyId === tan)).toHaveLength(5);
    // The same reviewed drafts sent again (a double click, a resent form) issue nothing more.
    const again = await page.request.post(`${site.base}/conferences`, {
      data: new URLSearchParams(submitted).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site.base },
    });
    expect(again.url()).toBe(`${site.base}/conferences/${conferenceId}`);
    expect(await site.world.db.select().from(directives).where(eq(directives.conferenceId, conferenceId))).toHaveLength(6);
    await context.close();
  }, 120_000);

  it('an officer on a 360 px phone acknowledges and reports; a second report for the period is refused with the workflow’s reason', async () => {
    const lead = await agencyId(site, 'TCT-GD');
    const officer = await person(site, 'officer', 'Cán bộ Tổ công tác Gò Dầu', 'godau@noichinh.test', lead);
    const id = await issueDirective(site, {
      title: 'Rà soát các vụ việc phức tạp trên địa bàn',
      leadAgency: lead,
      dueAt: inSeconds(7200),
      regime: { kind: 'explicit', dueDates: [inSeconds(3600)] },
    });
    const { context, page } = await newPage(site, { phone: true });
    await signIn(page, site.base, officer.email);
    await page.goto(`${site.base}/directives`);
    await expectAccessible(page, 'directives on a phone');
    weights.push(['/directives', await pageWeight(site, page)]);
    await page.getByRole('link', { name: 'Rà soát các vụ việc phức tạp trên địa bàn' }).click();
    await expectAccessible(page, 'directive on a phone');
    weights.push(['/directives/:id', await pageWeight(site, page)]);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    await page.getByRole('button', { name: 'Xác nhận đã nhận nhiệm vụ' }).click();
    await page.waitForURL(/done=acknowledge/);
    await visible(page.getByText('Cơ quan của bạn đã xác nhận.'));
    // A second tab opened before the report still shows the form the first one is about to use.
    const stale = await context.newPage();
    await stale.goto(page.url());
    await page.getByLabel('Nội dung báo cáo').fill('Đã rà soát 12 vụ việc, 2 vụ việc cần theo dõi.');
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await page.waitForURL(/done=report/);
    expect(await textOf(page.getByRole('status'))).toBe('Đã ghi nhận.');
    // The period is reported: the page offers no second report (it once did, and the workflow refused it).
    expect(await page.getByLabel('Nội dung báo cáo').count()).toBe(0);
    await stale.getByLabel('Nội dung báo cáo').fill('Gửi lại lần nữa');
    await stale.getByRole('button', { name: 'Gửi báo cáo' }).click();
    // The workflow's reason, in the page's language; what was typed is kept on the page, though the form is gone.
    expect(await textOf(stale.getByRole('alert'))).toBe('Không thực hiện được: Cơ quan của bạn đã gửi báo cáo cho kỳ này rồi.');
    await visible(stale.getByText('Gửi lại lần nữa'));
    expect(await stale.getByLabel('Nội dung báo cáo').count()).toBe(0);
    await expectAccessible(stale, 'refused report');
    const [row] = await site.world.db.select().from(directives).where(and(eq(directives.id, id)));
    expect(row).toMatchObject({ status: 'in_progress' });
    await context.close();
  }, 120_000);

  it('a supervisor’s inbox shows a new escalation without a reload; the supervisor approves an extension', async () => {
    const bnc = await agencyId(site, 'BNCTU');
    const lead = await agencyId(site, 'TCT-BC');
    const supervisor = await person(site, 'supervisor', 'Chuyên viên Ban Nội chính', 'theodoi@noichinh.test', bnc);
    const officerToken = (await person(site, 'officer', 'Cán bộ Bến Cầu', 'bencau@noichinh.test', lead)).token;
    const { context, page } = await newPage(site);
    await signIn(page, site.base, supervisor.email);
    await page.goto(`${site.base}/inbox`);
    await expectAccessible(page, 'inbox');
    let navigations = 0;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations++;
    });
    const title = 'Báo cáo tình hình an ninh nông thôn';
    const id = await issueDirective(site, {
      title,
      leadAgency: lead,
      dueAt: inSeconds(3600),
      regime: { kind: 'explicit', dueDates: [soon()] },
      policy: { reminders: [], escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT1H' }] },
    });
    await visible(page.getByRole('link', { name: title }), pastSoon(0, 21));
    expect(navigations).toBe(0);
    await expectAccessible(page, 'inbox with an escalation');
    await page.getByRole('button', { name: 'Đã xem' }).first().click();
    await visible(page.getByText('Không có chuyển cấp nào.'));

    const asked = await site.world.call('POST', `/v1/directives/${id}/extension-requests`, {
      token: officerToken,
      body: { proposedDueDate: `${new Date().getUTCFullYear() + 1}-06-30`, reason: 'Chờ số liệu của Công an tỉnh' },
    });
    expect(asked.status).toBe(200);
    await page.goto(`${site.base}/directives/${id}`);
    await expectAccessible(page, 'directive with an extension request');
    await page.getByRole('button', { name: 'Đồng ý gia hạn' }).click();
    expect(await textOf(page.getByRole('status'))).toBe('Đã ghi nhận.');
    await visible(page.getByText('Quyết định gia hạn'));
    const [row] = await site.world.db.select().from(directives).where(eq(directives.id, id));
    expect(row!.dueAt!.getUTCFullYear()).toBe(new Date().getUTCFullYear() + 1);
    await context.close();
  }, 120_000);

  it('a leader asks an overdue agency to explain itself; its officer, on a phone, attaches a PDF and answers; the leader sees the preview and accepts', async () => {
    const lead = await agencyId(site, 'TCT-TC');
    const leader = await person(site, 'leader', 'Phó Chủ tịch UBND tỉnh', 'pct@noichinh.test');
    const officer = await person(site, 'officer', 'Cán bộ Tân Châu', 'tanchau@noichinh.test', lead);
    const title = 'Giải quyết dứt điểm đơn thư tồn đọng';
    const id = await issueDirective(site, { title, leadAgency: lead, dueAt: soon() });
    await eventually(() => site.world.db.select().from(directives).where(eq(directives.id, id)), ([row]) => row?.timeliness === 'open_overdue', pastSoon(0, 21));

    const asking = await newPage(site);
    await signIn(asking.page, site.base, leader.email);
    await asking.page.goto(`${site.base}/directives/${id}`);
    await asking.page.getByText('Yêu cầu giải trình', { exact: true }).last().click();
    await asking.page.getByLabel('Hạn gửi giải trình').fill(new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10));
    await asking.page.getByLabel('Nội dung yêu cầu giải trình').fill('Đề nghị giải trình lý do chưa hoàn thành đúng hạn.');
    await asking.page.getByRole('button', { name: 'Gửi yêu cầu giải trình' }).click();
    await asking.page.waitForURL(/done=explain/);
    await visible(asking.page.getByText('Chờ giải trình'));
    await expectAccessible(asking.page, 'directive with an explanation request');

    const { context, page } = await newPage(site, { phone: true });
    await signIn(page, site.base, officer.email);
    await page.goto(`${site.base}/directives/${id}`);
    await page.getByLabel('Loại tài liệu').selectOption({ label: 'Giải trình' });
    await page.getByLabel('Kỳ báo cáo hoặc yêu cầu giải trình').selectOption({ label: 'Giải trình: Hoàn thành nhiệm vụ' });
    await page.locator('input[type=file]').setInputFiles({ name: 'Giải trình.pdf', mimeType: 'application/pdf', buffer: pdf('Giai trinh') });
    await page.getByRole('button', { name: 'Đính kèm' }).click();
    await page.waitForURL(/done=attachments/);
    await page.getByLabel('Nội dung giải trình').fill('Đơn thư liên quan nhiều cấp; đã giải quyết 9/10 đơn.');
    await page.getByRole('button', { name: 'Gửi giải trình' }).click();
    await page.waitForURL(/done=explain-answer/);
    await visible(page.getByText('Đã giải trình đúng hạn'));
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await expectAccessible(page, 'explanation answered on a phone');
    await context.close();

    await asking.page.reload();
    await asking.page.getByText('Xem trước').first().click();
    await visible(asking.page.locator('iframe[title="Giải trình.pdf"]'));
    await asking.page.getByRole('button', { name: 'Chấp nhận', exact: true }).click();
    await asking.page.waitForURL(/done=explain-close/);
    await visible(asking.page.getByText('Chấp nhận giải trình'));
    const detail = (await (await site.world.call('GET', `/v1/directives/${id}`)).json()) as { explanationRequests: Array<{ answer: { attachmentIds: string[] }; closure: { accepted: boolean } }> };
    expect(detail.explanationRequests[0]).toMatchObject({ answer: { attachmentIds: [expect.any(String)] }, closure: { accepted: true } });
    await asking.context.close();
  }, 120_000);

  it('refuses a form posted without its token, hides another agency’s directive, and makes a place wait after six wrong passwords', async () => {
    const mine = await agencyId(site, 'TCT-CT');
    const theirs = await agencyId(site, 'TCT-HT');
    const officer = await person(site, 'officer', 'Cán bộ Châu Thành', 'chauthanh@noichinh.test', mine);
    const hidden = await issueDirective(site, { title: 'Việc riêng của Hòa Thành', leadAgency: theirs, dueAt: inSeconds(3600) });
    const { context, page } = await newPage(site);

    await page.goto(`${site.base}/sign-in`);
    await page.evaluate("document.querySelector('form[action=\"/sign-in\"] input[name=_csrf]').remove()");
    await page.getByLabel('Địa chỉ thư điện tử').fill(officer.email);
    await page.getByLabel(/^Mật khẩu$/).fill('bất kỳ mật khẩu nào');
    await page.getByRole('button', { name: 'Đăng nhập' }).first().click();
    expect(await textOf(page.getByRole('alert'))).toBe('Biểu mẫu đã hết hiệu lực. Vui lòng tải lại trang và gửi lại.');

    await signIn(page, site.base, officer.email);
    const res = await page.goto(`${site.base}/directives/${hidden}`);
    expect(res?.status()).toBe(404);
    expect(await textOf(page.getByRole('alert'))).toBe('Không tìm thấy trang này, hoặc bạn không có quyền xem.');
    expect(await page.getByText('Việc riêng của Hòa Thành').count()).toBe(0);
    await expectAccessible(page, 'not found');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    // The sign-out is a form post: wait for it to land, or the next navigation cancels it and the session stays.
    await page.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.has('signed-out'));

    for (let i = 0; i < 6; i++) {
      await page.goto(`${site.base}/sign-in`);
      await page.getByLabel('Địa chỉ thư điện tử').fill(officer.email);
      await page.getByLabel(/^Mật khẩu$/).fill(`sai mật khẩu ${i}`);
      await page.getByRole('button', { name: 'Đăng nhập' }).first().click();
      expect(await textOf(page.getByRole('alert'))).toBe('Địa chỉ hoặc mật khẩu không đúng.');
    }
    await page.goto(`${site.base}/sign-in`);
    await page.getByLabel('Địa chỉ thư điện tử').fill(officer.email);
    await page.getByLabel(/^Mật khẩu$/).fill('mật-khẩu-thử-nghiệm-1');
    await page.getByRole('button', { name: 'Đăng nhập' }).first().click();
    expect(await textOf(page.getByRole('alert'))).toMatch(/^Đăng nhập sai nhiều lần\. Vui lòng chờ \d+ giây rồi thử lại\.$/);
    await expectAccessible(page, 'sign-in, locked');
    await context.close();
  }, 120_000);
});
