import { describe, expect, it } from 'vitest';
import { renderDigest, renderNotice, type NoticeFacts } from '../../activities/notify/templates.js';
import { formatDay, formatDue } from '../../domain/vn-time.js';

const facts: NoticeFacts = {
  kind: 'escalation',
  directiveTitle: 'Kéo giảm án hành chính <ưu tiên> & đúng hạn',
  deadlineLabel: 'Báo cáo quý IV/2026',
  dueAt: '2026-12-31T17:00:00.000Z',
  missingAgency: 'Tòa án nhân dân tỉnh',
  level: 2,
  target: 'Ban Nội chính Tỉnh ủy',
  issuer: 'Phó Trưởng Ban Nội chính Tỉnh ủy',
  link: 'https://theodoi.example/v1/directives/1',
};

describe('dates in messages', () => {
  it('shows a deadline that ends a day (24:00 Vietnam time) as that day, without a time', () => {
    expect(formatDue('2026-12-31T17:00:00.000Z')).toBe('31/12/2026');
    expect(formatDue('2027-01-01T16:59:59.000Z')).toBe('01/01/2027 23:59');
  });

  it('shows any other instant as dd/mm/yyyy hh:mm in Vietnam time, across the UTC date line', () => {
    expect(formatDue('2026-11-23T13:39:00.000Z')).toBe('23/11/2026 20:39');
    expect(formatDue('2026-11-23T18:05:00.000Z')).toBe('24/11/2026 01:05');
    expect(formatDay('2026-09-02')).toBe('02/09/2026');
  });
});

describe('an escalation email', () => {
  it('says in Vietnamese what is late, from whom, who escalated, by when, and links to it', () => {
    const mail = renderNotice(facts, 'vi', 'Ban Nội chính Tỉnh ủy');
    expect(mail.subject).toBe('[Chuyển cấp 2] Quá hạn Báo cáo quý IV/2026: Kéo giảm án hành chính <ưu tiên> & đúng hạn');
    expect(mail.text.split('\n')).toEqual([
      'Kính gửi: Ban Nội chính Tỉnh ủy,',
      '',
      'Nhiệm vụ "Kéo giảm án hành chính <ưu tiên> & đúng hạn" đã quá hạn báo cáo quý IV/2026 và được chuyển lên cấp 2.',
      '',
      'Hạn: 31/12/2026 (giờ Việt Nam)',
      'Còn thiếu: Báo cáo quý IV/2026 của Tòa án nhân dân tỉnh',
      'Chuyển cấp bởi: Hệ thống theo dõi nhiệm vụ, cấp 2/3, theo chỉ đạo của Phó Trưởng Ban Nội chính Tỉnh ủy',
      'Xem chi tiết: https://theodoi.example/v1/directives/1',
      '',
      'Hệ thống theo dõi thực hiện kết luận, chỉ đạo',
      '',
    ]);
    expect(mail.html).toContain('Kéo giảm án hành chính &lt;ưu tiên&gt; &amp; đúng hạn');
    expect(mail.html).toContain('<a href="https://theodoi.example/v1/directives/1">Xem chi tiết</a>');
  });

  it('is in English for a reader who chose English', () => {
    const mail = renderNotice(facts, 'en', 'Internal Affairs Commission');
    expect(mail.subject).toBe('[Escalation level 2] Overdue Báo cáo quý IV/2026: Kéo giảm án hành chính <ưu tiên> & đúng hạn');
    expect(mail.text).toContain('Escalated by: the directive tracker, level 2 of 3, on behalf of Phó Trưởng Ban Nội chính Tỉnh ủy');
    expect(mail.html).toContain('lang="en"');
  });
});

describe('a digest', () => {
  it('lists each section, and says so when one is empty', () => {
    const mail = renderDigest(
      {
        date: '2026-11-24',
        recipient: 'Ban Nội chính Tỉnh ủy',
        overdue: [{ title: 'Nhiệm vụ A', dueAt: '2026-11-20T17:00:00.000Z', leadAgency: 'Công an tỉnh', link: 'https://x/1' }],
        opened: [],
        resolved: [],
        reminders: [{ title: 'Nhiệm vụ B', label: 'Báo cáo lần 1', dueAt: '2026-11-25T01:00:00.000Z', agency: 'Thanh tra tỉnh' }],
      },
      'vi',
    );
    expect(mail.subject).toBe('[Tổng hợp ngày 24/11/2026] Nhiệm vụ quá hạn và chuyển cấp');
    expect(mail.text).toContain('- Nhiệm vụ A (hạn 20/11/2026; chủ trì: Công an tỉnh) https://x/1');
    expect(mail.text).toContain('Chuyển cấp mới\nKhông có.');
    expect(mail.text).toContain('- Nhiệm vụ B: Báo cáo lần 1, Thanh tra tỉnh, hạn 25/11/2026 08:00');
  });
});
