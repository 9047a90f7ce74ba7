import { createHash } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentBlobs, attachments, directiveEvents, directives } from '../db/schema.js';
import { exe, pdf } from './files.js';
import { createAgency, createUserWithId, eventually, json, startWorld, webSession, type World } from './support.js';

/** Files attached to a directive, on the real Temporal server and PostgreSQL, through the JSON API. */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

const upload = (directiveId: string, token: string, name: string, bytes: Buffer, kind = 'source') => {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return world.app.request(`/v1/directives/${directiveId}/attachments?kind=${kind}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
};

describe('attachments', () => {
  it('stores a real PDF once by its hash, records only id, hash and size in the history, and serves it only inside the directive’s scope', async () => {
    const lead = await createAgency(world.db, 'So Tu phap');
    const outside = await createAgency(world.db, 'So Du lich');
    const leader = await createUserWithId(world.db, { role: 'leader' });
    const officer = await createUserWithId(world.db, { role: 'officer', agencyId: lead.id });
    const stranger = await createUserWithId(world.db, { role: 'officer', agencyId: outside.id });
    const res = await world.call('POST', '/v1/directives', { token: leader.token, body: { title: 'Rà soát văn bản', leadAgency: lead.id, dueAt: new Date(Date.now() + 3_600_000).toISOString() } });
    const { id } = await json(res);
    await eventually(() => world.db.select().from(directives).where(eq(directives.id, id)), (rows) => rows.length > 0);

    const bytes = pdf();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const first = await upload(id, leader.token, 'Kết luận số 12.pdf', bytes);
    expect(first.status).toBe(201);
    const a = await json(first);
    expect(a).toMatchObject({ directiveId: id, kind: 'source', filename: 'Kết luận số 12.pdf', contentType: 'application/pdf', size: bytes.length, sha256 });

    // The same bytes again (as the lead's report file): a second attachment, the content stored once.
    const second = await upload(id, officer.token, 'bao-cao.pdf', bytes, 'report');
    expect(second.status).toBe(201);
    const blobs = await world.db.select({ n: count() }).from(attachmentBlobs).where(eq(attachmentBlobs.sha256, sha256));
    expect(blobs[0]!.n).toBe(1);
    expect((await world.db.select({ n: count() }).from(attachments).where(eq(attachments.directiveId, id)))[0]!.n).toBe(2);

    // The history names id, hash and size, never the bytes.
    const added = await world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, id), eq(directiveEvents.type, 'attachment_added')));
    expect(added.map((e) => e.data)).toContainEqual({ attachment: { id: a.id, sha256, size: bytes.length, kind: 'source', deadlineKey: null } });
    expect(JSON.stringify(added)).not.toContain('%PDF');

    // Downloaded by the lead's officer with its type and name; inline for the page's preview; 404 outside the scope.
    const got = await world.app.request(`/v1/attachments/${a.id}`, { headers: { authorization: `Bearer ${officer.token}` } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('Kết luận số 12.pdf')}`);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    const inline = await world.app.request(`/v1/attachments/${a.id}?inline=1`, { headers: { authorization: `Bearer ${officer.token}` } });
    expect(inline.headers.get('content-disposition')).toMatch(/^inline;/);
    const refused = await world.app.request(`/v1/attachments/${a.id}`, { headers: { authorization: `Bearer ${stranger.token}` } });
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    // The directive's page lists it with a preview; the page's link serves it to a signed-in person.
    const page = await webSession(world, 'admin');
    const html = await (await page.get(`/directives/${id}`)).text();
    expect(html).toContain('Kết luận số 12.pdf');
    expect(html).toContain(`/attachments/${a.id}?inline=1`);
    const viaPage = await page.get(`/attachments/${a.id}?inline=1`);
    expect(viaPage.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await viaPage.arrayBuffer()).equals(bytes)).toBe(true);
    const listed = await json(await world.call('GET', `/v1/directives/${id}/attachments`, { token: officer.token }));
    expect(listed.items.map((x: { id: string }) => x.id)).toContain(a.id);
    expect((await world.call('GET', `/v1/directives/${id}/attachments`, { token: stranger.token })).status).toBe(404);
  }, 60_000);

  it('refuses a 30 MB file with 413 and an executable named .pdf with 415, storing nothing', async () => {
    const lead = await createAgency(world.db, 'So Cong thuong');
    const leader = await createUserWithId(world.db, { role: 'leader' });
    const { id } = await json(await world.call('POST', '/v1/directives', { token: leader.token, body: { title: 'Tệp lớn', leadAgency: lead.id } }));
    await eventually(() => world.db.select().from(directives).where(eq(directives.id, id)), (rows) => rows.length > 0);

    const big = Buffer.concat([pdf(), Buffer.alloc(30 * 1024 * 1024, 0x20)]);
    const tooBig = await upload(id, leader.token, 'lon.pdf', big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get('content-type')).toBe('application/problem+json');

    const disguised = await upload(id, leader.token, 'quyet-dinh.pdf', exe());
    expect(disguised.status).toBe(415);
    expect((await json(disguised)).detail).toContain('application/x-msdownload');

    expect((await world.db.select({ n: count() }).from(attachments).where(eq(attachments.directiveId, id)))[0]!.n).toBe(0);
    // By their own hashes: other files of the run store blobs at the same time.
    for (const bytes of [big, exe()]) {
      expect(await world.db.select().from(attachmentBlobs).where(eq(attachmentBlobs.sha256, createHash('sha256').update(bytes).digest('hex')))).toEqual([]);
    }
    expect((await world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, id), eq(directiveEvents.type, 'attachment_added')))).length).toBe(0);
  }, 60_000);

  it('is uploaded from the directive page’s form, its token checked before the file is read, a refusal shown on the form', async () => {
    const lead = await createAgency(world.db, 'So Noi vu');
    const { id } = await json(await world.call('POST', '/v1/directives', { body: { title: 'Nộp báo cáo kèm tệp', leadAgency: lead.id } }));
    await eventually(() => world.db.select().from(directives).where(eq(directives.id, id)), (rows) => rows.length > 0);
    const officer = await webSession(world, 'officer');
    await world.db.execute(`update users set agency_id = '${lead.id}' where id = '${officer.id}'`);
    const page = await (await officer.get(`/directives/${id}`)).text();
    expect(page).toContain('enctype="multipart/form-data"');
    // The lead's officer may attach a completion file, not the source document.
    const refused = await officer.upload(`/directives/${id}/attachments`, { kind: 'source' }, { name: 'qd.pdf', bytes: pdf() });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Bạn không được đính kèm loại tài liệu này');
    const forged = await officer.upload(`/directives/${id}/attachments`, { _csrf: 'not-the-token', kind: 'completion' }, { name: 'ht.pdf', bytes: pdf() });
    expect(forged.status).toBe(403);
    const ok = await officer.upload(`/directives/${id}/attachments`, { kind: 'completion' }, { name: 'Báo cáo hoàn thành.pdf', bytes: pdf() });
    expect(ok.status).toBe(303);
    const rows = await world.db.select().from(attachments).where(eq(attachments.directiveId, id));
    expect(rows.map((r) => [r.kind, r.filename])).toEqual([['completion', 'Báo cáo hoàn thành.pdf']]);
    expect(await (await officer.get(`/directives/${id}`)).text()).toContain('Báo cáo hoàn thành.pdf');
  }, 60_000);
});
