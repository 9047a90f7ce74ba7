import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConclusionInputError,
  type DirectoryAgency,
  type DraftDirective,
  MAX_CONCLUSION_CHARS,
  parseConclusion,
  type ParseResult,
} from '../../domain/conclusion/parse.js';
import { EXAMPLE_CONCLUSION } from '../../scripts/demo/example.js';

const fixture = EXAMPLE_CONCLUSION.read();

const directory: DirectoryAgency[] = [
  { id: 'tct', code: 'TCT-HUYEN', name: 'Tổ công tác cấp huyện', shortName: null },
  { id: 'bnc', code: 'BNCTU', name: 'Ban Nội chính Tỉnh ủy', shortName: null },
  { id: 'btv', code: 'BTVTU', name: 'Ban Thường vụ Tỉnh ủy', shortName: null },
  { id: 'ca', code: 'CAT', name: 'Công an tỉnh', shortName: null },
  { id: 'vks', code: 'VKSND', name: 'Viện Kiểm sát nhân dân tỉnh', shortName: null },
  { id: 'vksqs', code: 'VKSQS', name: 'Viện Kiểm sát quân sự khu vực', shortName: null },
  { id: 'ta', code: 'TAND', name: 'Tòa án nhân dân tỉnh', shortName: null },
  { id: 'thads', code: 'THADS', name: 'Cục Thi hành án dân sự tỉnh', shortName: null },
  { id: 'ub', code: 'UBND', name: 'Ủy ban nhân dân tỉnh', shortName: null },
  { id: 'hd', code: 'HDND', name: 'Hội đồng nhân dân tỉnh', shortName: null },
  { id: 'mt', code: 'MTTQ', name: 'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', shortName: null },
  { id: 'bcd', code: 'BCD', name: 'Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực tỉnh', shortName: null },
  { id: 'stp', code: 'STP', name: 'Sở Tư pháp', shortName: null, aliases: ['STP'] },
];

const spanText = (r: ParseResult, d: { span: { start: number; end: number } }) => r.text.slice(d.span.start, d.span.end);
const refSummary = (r: { kindLabel: string; number: string | null; code: string | null; date: string | null; issuer: string | null; title: string | null }) => ({
  kindLabel: r.kindLabel,
  number: r.number,
  code: r.code,
  date: r.date,
  issuer: r.issuer,
  title: r.title,
});
const codes = (ws: { code: string }[]) => ws.map((w) => w.code);
const agencyIds = (d: DraftDirective) => d.agencies.map((a) => `${a.agencyId}:${a.role}`);

describe('the district working-group briefing', () => {
  const result = parseConclusion(fixture, { directory, referenceDate: '2024-10-11' });

  it('yields the six numbered tasks the conference set out', () => {
    expect(result.drafts.map((d) => d.marker)).toEqual(['(1)', '(2)', '(3)', '(4)', '(5)', '(6)']);
    expect(result.statedCount).toBe(6);
    expect(result.listKind).toBe('parenthesised');
    expect(codes(result.warnings)).not.toContain('count_mismatch');
    expect(result.drafts.every((d) => d.confidence === 0.9)).toBe(true);
    expect(result.drafts[0]!.title).toBe(
      'Chủ động tham mưu cấp ủy lãnh đạo toàn diện công tác nội chính, phòng, chống tham nhũng, tiêu cực',
    );
    expect(result.drafts[3]!.body).toBe(
      'Tiếp tục theo dõi, rà soát các vụ việc có khả năng tập trung đông người để kịp thời tham mưu cấp ủy lãnh đạo, chỉ đạo.',
    );
  });

  it('keeps every draft body equal to the text under its span', () => {
    for (const d of result.drafts) {
      expect(spanText(result, d)).toBe(d.body);
      expect(d.body.startsWith('(')).toBe(false);
    }
  });

  it('cites the directive and the official letter in task three', () => {
    expect(result.drafts[2]!.references.map(refSummary)).toEqual([
      {
        kindLabel: 'Chỉ thị',
        number: '19',
        code: 'CT/TU',
        date: '2021-05-26',
        issuer: 'Ban Thường vụ Tỉnh ủy',
        title: 'về tăng cường sự lãnh đạo của Đảng đối với công tác thi hành án hành chính trên địa bàn tỉnh',
      },
      { kindLabel: 'Công văn', number: '6615', code: 'V/TU', date: '2023-08-28', issuer: 'Ban Thường vụ Tỉnh ủy', title: null },
    ]);
    expect(result.drafts[2]!.references.map((r) => [r.kind, r.ref])).toEqual([
      ['chi_thi', '19-CT/TU'],
      ['cong_van', '6615-V/TU'],
    ]);
  });

  it('cites the internal-affairs guidance in task six and nothing in the others', () => {
    expect(result.drafts[5]!.references.map(refSummary)).toEqual([
      { kindLabel: 'Hướng dẫn', number: '01', code: 'HD/BNCTU', date: '2023-05-09', issuer: 'Ban Nội chính Tỉnh ủy', title: null },
    ]);
    for (const i of [0, 1, 3, 4]) expect(result.drafts[i]!.references).toEqual([]);
  });

  it('leaves the byline out of the last task', () => {
    expect(result.drafts[5]!.body).not.toContain('Tấn Phước');
    expect(result.drafts[5]!.body.endsWith('của Ban Nội chính Tỉnh ủy.')).toBe(true);
  });

  it('does not take the parenthesised remark in the report for a task', () => {
    expect(result.drafts.some((d) => d.body.includes('số vụ, số người bị thương'))).toBe(false);
  });

  it('lists the earlier guidance among the references of the whole text', () => {
    expect(result.references.map((r) => `${r.ref} ${r.date}`)).toEqual([
      '01-HD/BNCTU 2023-05-29',
      '19-CT/TU 2021-05-26',
      '6615-V/TU 2023-08-28',
      '01-HD/BNCTU 2023-05-09',
    ]);
  });

  it('recognises the lead-in and its addressee, and suggests it as the lead of every task', () => {
    expect(result.leadIn?.text).toMatch(/^Để tiếp tục phát huy .* trong thời gian tới:$/);
    expect(result.addressees.map((a) => a.agencyId)).toEqual(['tct']);
    expect(result.drafts.every((d) => d.leadAgency?.agencyId === 'tct')).toBe(true);
  });

  it('does not count the issuing committee of a cited document as an agency of the task', () => {
    expect(result.drafts[2]!.agencies).toEqual([]);
    expect(result.drafts[5]!.agencies).toEqual([]);
  });

  it('gives the same drafts for the text in decomposed form, with a byte-order mark and Windows line ends', () => {
    const variant = `\uFEFF${fixture.normalize('NFD').replace(/\n/g, '\r\n')}`;
    expect(variant).not.toBe(fixture);
    const again = parseConclusion(variant, { directory, referenceDate: '2024-10-11' });
    expect(again.text).toBe(result.text);
    expect(again.drafts).toEqual(result.drafts);
    expect(again.references).toEqual(result.references);
  });
});

describe('list forms', () => {
  it('reads "1." lines with a wrapped line and stops before the recipients block', () => {
    const text = [
      'Thông báo kết luận của đồng chí Chủ tịch UBND tỉnh tại buổi làm việc với Sở Tư pháp ngày 05/9/2024.',
      'Đồng chí Chủ tịch UBND tỉnh yêu cầu các sở, ngành tập trung thực hiện các nhiệm vụ sau:',
      '1. Sở Tư pháp chủ trì, phối hợp với Công an tỉnh rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành; hoàn thành trước ngày 30/11/2024.',
      '2. Công an tỉnh tăng cường công tác tuyên truyền, phổ biến pháp luật về phòng, chống tội phạm',
      'trên địa bàn tỉnh, nhất là tại các xã vùng sâu, vùng xa.',
      '3. Các cơ quan, đơn vị báo cáo kết quả thực hiện về UBND tỉnh (qua Văn phòng UBND tỉnh) hằng tháng.',
      '',
      'Nơi nhận:',
      '- Như trên;',
      '- Lưu: VT.',
    ].join('\n');
    const r = parseConclusion(text, { directory });
    expect(r.listKind).toBe('numbered');
    expect(r.drafts.map((d) => d.marker)).toEqual(['1.', '2.', '3.']);
    expect(r.drafts[1]!.body).toBe(
      'Công an tỉnh tăng cường công tác tuyên truyền, phổ biến pháp luật về phòng, chống tội phạm\ntrên địa bàn tỉnh, nhất là tại các xã vùng sâu, vùng xa.',
    );
    expect(r.drafts[1]!.title).toBe(
      'Công an tỉnh tăng cường công tác tuyên truyền, phổ biến pháp luật về phòng, chống tội phạm trên địa bàn tỉnh, nhất là tại các xã vùng sâu, vùng xa',
    );
    expect(r.drafts[2]!.body.endsWith('hằng tháng.')).toBe(true);
    expect(r.drafts[0]!.title).toBe(
      'Sở Tư pháp chủ trì, phối hợp với Công an tỉnh rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành',
    );
    expect(r.drafts.every((d) => d.confidence === 0.8)).toBe(true);
    expect(r.statedCount).toBeNull();
  });

  it('reads "1)" lines after a conclusion lead-in', () => {
    const text = [
      'Kết luận của Trưởng Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực tỉnh:',
      '1) Giao Thanh tra tỉnh kiểm tra việc kê khai tài sản, thu nhập năm 2024;',
      '2) Các huyện ủy, thành ủy báo cáo kết quả xử lý sau kiểm tra trước ngày 15/12/2024;',
      '3) Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện.',
    ].join('\n');
    const r = parseConclusion(text);
    expect(r.drafts.map((d) => [d.marker, d.title])).toEqual([
      ['1)', 'Giao Thanh tra tỉnh kiểm tra việc kê khai tài sản, thu nhập năm 2024'],
      ['2)', 'Các huyện ủy, thành ủy báo cáo kết quả xử lý sau kiểm tra trước ngày 15/12/2024'],
      ['3)', 'Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện'],
    ]);
    expect(r.leadIn?.text).toBe('Kết luận của Trưởng Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực tỉnh:');
  });

  it('reads "a)" lines in Vietnamese letter order', () => {
    const text = [
      'Về công tác thi hành án, Hội nghị thống nhất các nội dung sau:',
      'a) Cục THADS tỉnh rà soát, phân loại án có điều kiện thi hành;',
      'b) TAND tỉnh ra quyết định đính chính bản án có sai sót;',
      'c) VKSND tỉnh tăng cường kiểm sát hoạt động thi hành án dân sự;',
      'd) Công an tỉnh hỗ trợ cưỡng chế khi có yêu cầu;',
      'đ) UBND các huyện chỉ đạo phối hợp tổ chức thi hành án.',
    ].join('\n');
    const r = parseConclusion(text, { directory });
    expect(r.listKind).toBe('lettered');
    expect(r.drafts.map((d) => d.marker)).toEqual(['a)', 'b)', 'c)', 'd)', 'đ)']);
    expect(r.drafts.map((d) => d.confidence)).toEqual([0.75, 0.75, 0.75, 0.75, 0.75]);
    // Each item names its subject first: that body is the suggested lead.
    expect(r.drafts.map((d) => d.leadAgency?.code ?? null)).toEqual(['THADS', 'TAND', 'VKSND', 'CAT', null]);
    expect(r.drafts.map((d) => d.agencies[0]?.agencyId)).toEqual(['thads', 'ta', 'vks', 'ca', undefined]);
  });

  for (const bullet of ['-', '+', '•', '–']) {
    it(`reads "${bullet}" bullets and keeps a continuation line with its item`, () => {
      const text = [
        'Trong thời gian tới, đề nghị các cơ quan tập trung:',
        `${bullet} Đẩy mạnh công tác tuyên truyền, phổ biến, giáo dục pháp luật`,
        'cho cán bộ, đảng viên và nhân dân;',
        `${bullet} Tăng cường kiểm tra, giám sát việc thực hiện các kết luận của Ban Thường vụ;`,
        `${bullet} Giải quyết dứt điểm các vụ việc khiếu nại đông người, kéo dài.`,
      ].join('\n');
      const r = parseConclusion(text);
      expect(r.listKind).toBe('bulleted');
      expect(r.drafts.map((d) => d.marker)).toEqual([bullet, bullet, bullet]);
      expect(r.drafts[0]!.body).toBe('Đẩy mạnh công tác tuyên truyền, phổ biến, giáo dục pháp luật\ncho cán bộ, đảng viên và nhân dân;');
      expect(r.drafts[0]!.title).toBe('Đẩy mạnh công tác tuyên truyền, phổ biến, giáo dục pháp luật cho cán bộ, đảng viên và nhân dân');
      expect(r.drafts[2]!.title).toBe('Giải quyết dứt điểm các vụ việc khiếu nại đông người, kéo dài');
      expect(r.drafts.every((d) => d.confidence === 0.65)).toBe(true);
    });
  }

  it('reads an inline "(1)…(3)" list and treats a parenthesised number out of sequence as text', () => {
    const text =
      'Đồng chí Phó Chủ tịch UBND tỉnh đề nghị: (1) Sở Tài nguyên và Môi trường rà soát hồ sơ đất đai theo mục (4) của Kế hoạch; (2) UBND các huyện đẩy nhanh giải phóng mặt bằng (nhất là các dự án trọng điểm); (3) Sở Tài chính thẩm định giá đất trong tháng 12.';
    const r = parseConclusion(text, { referenceDate: '2024-10-11' });
    expect(r.drafts.map((d) => d.marker)).toEqual(['(1)', '(2)', '(3)']);
    expect(r.drafts[0]!.body).toBe('Sở Tài nguyên và Môi trường rà soát hồ sơ đất đai theo mục (4) của Kế hoạch;');
    expect(r.drafts[1]!.title).toBe('UBND các huyện đẩy nhanh giải phóng mặt bằng (nhất là các dự án trọng điểm)');
    expect(r.drafts[2]!.deadline?.dueDate).toBe('2024-12-31');
  });

  it('splits a sentence list after "Đề nghị …:" on its semicolons', () => {
    const text = 'Đề nghị các đơn vị: tập trung giải quyết dứt điểm đơn thư tồn đọng; đẩy mạnh tuyên truyền pháp luật; tăng cường kiểm tra.';
    const r = parseConclusion(text);
    expect(r.listKind).toBe('sentences');
    expect(r.drafts.map((d) => d.body)).toEqual([
      'tập trung giải quyết dứt điểm đơn thư tồn đọng',
      'đẩy mạnh tuyên truyền pháp luật',
      'tăng cường kiểm tra.',
    ]);
    expect(r.drafts.map((d) => d.marker)).toEqual(['', '', '']);
    expect(r.drafts[2]!.title).toBe('tăng cường kiểm tra');
    expect(r.drafts.every((d) => d.confidence === 0.5)).toBe(true);
    expect(codes(r.warnings)).toContain('low_confidence');
    expect(r.leadIn?.text).toBe('Đề nghị các đơn vị:');
  });

  it('splits a sentence list after "Trong 6 tháng cuối năm, …:" on its sentences', () => {
    const text =
      'Trong 6 tháng cuối năm, các cấp, các ngành:\nTập trung chỉ đạo xử lý các vụ án tham nhũng được dư luận quan tâm; không để kéo dài. Đẩy mạnh công tác thu hồi tài sản tham nhũng. Hoàn thành kiểm tra, giám sát theo kế hoạch trước ngày 15/12/2024.';
    const r = parseConclusion(text);
    expect(r.leadIn?.text).toBe('Trong 6 tháng cuối năm, các cấp, các ngành:');
    expect(r.drafts.map((d) => d.title)).toEqual([
      'Tập trung chỉ đạo xử lý các vụ án tham nhũng được dư luận quan tâm',
      'Đẩy mạnh công tác thu hồi tài sản tham nhũng',
      'Hoàn thành kiểm tra, giám sát theo kế hoạch trước ngày 15/12/2024',
    ]);
    expect(r.drafts[0]!.body).toBe('Tập trung chỉ đạo xử lý các vụ án tham nhũng được dư luận quan tâm; không để kéo dài.');
  });

  it('warns when the stated number of tasks differs from the items found', () => {
    const text = [
      'Hội nghị thống nhất 05 nhiệm vụ trọng tâm:',
      '1. Rà soát, kiện toàn Tổ công tác.',
      '2. Duy trì giao ban định kỳ.',
      '3. Tăng cường kiểm tra, giám sát.',
      '4. Báo cáo kết quả về Ban Nội chính Tỉnh ủy.',
    ].join('\n');
    const r = parseConclusion(text);
    expect(r.statedCount).toBe(5);
    expect(r.drafts).toHaveLength(4);
    const w = r.warnings.find((x) => x.code === 'count_mismatch');
    expect(w?.message).toContain('5');
    expect(w?.message).toContain('4');
    expect(r.drafts[0]!.confidence).toBe(0.6);
  });

  it('reads stated counts written in words or as task groups', () => {
    const count = (leadIn: string) => parseConclusion(`${leadIn}\n- Một.\n- Hai.\n- Ba.`).statedCount;
    expect(count('Hội nghị đề ra ba nhiệm vụ trọng tâm:')).toBe(3);
    expect(count('Thời gian tới tập trung 5 nhóm nhiệm vụ:')).toBe(5);
    expect(count('Hội nghị thống nhất 03 nội dung:')).toBe(3);
    expect(count('Đề nghị các đơn vị thực hiện các nhiệm vụ sau:')).toBeNull();
  });

  it('keeps a nested a)/b) list inside its numbered item', () => {
    const text = [
      'Hội nghị giao nhiệm vụ như sau:',
      '1. Tăng cường công tác phòng, chống tham nhũng, cụ thể:',
      'a) Rà soát các vụ án kéo dài;',
      'b) Công khai kết quả xử lý.',
      '2. Nâng cao chất lượng giải quyết đơn thư.',
    ].join('\n');
    const r = parseConclusion(text);
    expect(r.drafts.map((d) => d.marker)).toEqual(['1.', '2.']);
    expect(r.drafts[0]!.body).toBe('Tăng cường công tác phòng, chống tham nhũng, cụ thể:\na) Rà soát các vụ án kéo dài;\nb) Công khai kết quả xử lý.');
    expect(r.drafts[0]!.title).toBe('Tăng cường công tác phòng, chống tham nhũng, cụ thể');
  });

  it('prefers the list after a recognised lead-in to a longer list elsewhere', () => {
    const text = [
      'Thành phần tham dự:',
      '- Đại diện Công an tỉnh;',
      '- Đại diện Viện Kiểm sát nhân dân tỉnh;',
      '- Đại diện Tòa án nhân dân tỉnh;',
      '- Đại diện Sở Tư pháp.',
      'Đồng chí chủ trì đề nghị các đơn vị:',
      '1. Rà soát các vụ án tồn đọng.',
      '2. Báo cáo kết quả trước ngày 30/11/2024.',
    ].join('\n');
    const r = parseConclusion(text);
    expect(r.listKind).toBe('numbered');
    expect(r.drafts.map((d) => d.body)).toEqual(['Rà soát các vụ án tồn đọng.', 'Báo cáo kết quả trước ngày 30/11/2024.']);
  });

  it('finds the task bullets under numbered section headings', () => {
    const text = [
      'THÔNG BÁO KẾT LUẬN',
      '1. Đánh giá chung',
      'Trong 9 tháng đầu năm, các đơn vị đã hoàn thành tốt nhiệm vụ.',
      '2. Nhiệm vụ thời gian tới',
      'Đề nghị các đơn vị tập trung thực hiện tốt các nhiệm vụ sau:',
      '- Rà soát, kiện toàn tổ chức bộ máy tại TP. Hồ Chí Minh;',
      '- Báo cáo kết quả trước ngày 15/12.',
      '3. Tổ chức thực hiện',
      'Giao Văn phòng theo dõi, đôn đốc.',
    ].join('\n');
    const r = parseConclusion(text, { referenceDate: '2024-10-11' });
    expect(r.listKind).toBe('bulleted');
    expect(r.leadIn?.text).toBe('Đề nghị các đơn vị tập trung thực hiện tốt các nhiệm vụ sau:');
    expect(r.drafts.map((d) => d.title)).toEqual(['Rà soát, kiện toàn tổ chức bộ máy tại TP. Hồ Chí Minh', 'Báo cáo kết quả trước ngày 15/12']);
  });

  it('cuts an overlong title at a word boundary and lowers the confidence', () => {
    const long = `Tiếp tục ${'tăng cường công tác kiểm tra, giám sát '.repeat(12)}trên địa bàn tỉnh.`;
    const r = parseConclusion(`Hội nghị đề nghị:\n1. ${long}\n2. Duy trì chế độ báo cáo.`);
    const d = r.drafts[0]!;
    expect(d.title.length).toBeLessThanOrEqual(200);
    expect(d.title.endsWith('…')).toBe(true);
    expect(long.startsWith(d.title.slice(0, -1))).toBe(true);
    expect(long.charAt(d.title.length - 1)).toBe(' ');
    expect(d.confidence).toBe(0.7);
    expect(r.warnings.some((w) => w.code === 'truncated_title' && w.span?.start === d.span.start)).toBe(true);
  });
});

describe('document references', () => {
  const text =
    'Đề nghị các đơn vị: thực hiện Quyết định số 1234/QĐ-UBND ngày 5 tháng 6 năm 2024 của UBND tỉnh về việc ban hành Kế hoạch cải cách hành chính; triển khai Kế hoạch số 45/KH-UBND ngày 12/3/2024 của UBND tỉnh và Nghị định 09/2019/NĐ-CP của Chính phủ; quán triệt Nghị quyết số 35-NQ/TW; thực hiện Kết luận số 12-KL/TU, ngày 02/01/2022 của Ban Thường vụ Tỉnh ủy "về công tác cán bộ"; gửi Báo cáo 6 tháng đúng hạn.';
  const r = parseConclusion(text);

  it('reads numbers, slash codes, both date styles, issuers and quoted titles', () => {
    expect(r.references.map((x) => ({ kind: x.kind, ref: x.ref, ...refSummary(x) }))).toEqual([
      { kind: 'quyet_dinh', ref: '1234/QĐ-UBND', kindLabel: 'Quyết định', number: '1234', code: 'QĐ-UBND', date: '2024-06-05', issuer: 'UBND tỉnh', title: null },
      { kind: 'ke_hoach', ref: '45/KH-UBND', kindLabel: 'Kế hoạch', number: '45', code: 'KH-UBND', date: '2024-03-12', issuer: 'UBND tỉnh', title: null },
      { kind: 'nghi_dinh', ref: '09/2019/NĐ-CP', kindLabel: 'Nghị định', number: '09', code: '2019/NĐ-CP', date: null, issuer: 'Chính phủ', title: null },
      { kind: 'nghi_quyet', ref: '35-NQ/TW', kindLabel: 'Nghị quyết', number: '35', code: 'NQ/TW', date: null, issuer: null, title: null },
      { kind: 'ket_luan', ref: '12-KL/TU', kindLabel: 'Kết luận', number: '12', code: 'KL/TU', date: '2022-01-02', issuer: 'Ban Thường vụ Tỉnh ủy', title: 'về công tác cán bộ' },
    ]);
  });

  it('gives each reference a span that starts at its kind and covers what was read', () => {
    expect(r.references.map((x) => spanText(r, x))).toEqual([
      'Quyết định số 1234/QĐ-UBND ngày 5 tháng 6 năm 2024 của UBND tỉnh',
      'Kế hoạch số 45/KH-UBND ngày 12/3/2024 của UBND tỉnh',
      'Nghị định 09/2019/NĐ-CP của Chính phủ',
      'Nghị quyết số 35-NQ/TW',
      'Kết luận số 12-KL/TU, ngày 02/01/2022 của Ban Thường vụ Tỉnh ủy "về công tác cán bộ"',
    ]);
  });

  it('attaches references to the items that hold them', () => {
    expect(r.drafts.map((d) => d.references.length)).toEqual([1, 2, 1, 1, 0]);
  });

  it('reads references written without diacritics or in lower case', () => {
    const plain = parseConclusion('Thuc hien chi thi so 19-CT/TU ngay 26/05/2021 cua Ban Thuong vu Tinh uy.');
    expect(plain.references.map((x) => [x.kind, x.ref, x.date, x.issuer])).toEqual([['chi_thi', '19-CT/TU', '2021-05-26', 'Ban Thuong vu Tinh uy']]);
  });
});

describe('agencies', () => {
  const text = [
    'Hội nghị thống nhất giao nhiệm vụ như sau:',
    '1. Giao Cong an tinh chu tri, phoi hop voi VKSND tỉnh, TAND tỉnh điều tra, truy tố, xét xử nghiêm các vụ án tham nhũng.',
    '2. Cục THADS tỉnh chủ trì tổ chức thi hành các bản án; UBND tỉnh và HĐND tỉnh giám sát.',
    '3. Ủy ban MTTQ tỉnh phối hợp với BCĐ PCTNTC tỉnh giám sát việc thực hiện.',
    '4. Viện Kiểm sát nhân dân tỉnh chủ trì rà soát các vụ án; Viện Kiểm sát phối hợp theo dõi.',
    '5. Toà án nhân dân tỉnh và Uỷ ban nhân dân tỉnh bố trí kinh phí; STP hướng dẫn nghiệp vụ.',
    '6. Thực hiện Chỉ thị số 19-CT/TU ngày 26/05/2021 của Ban Thường vụ Tỉnh ủy trong cả tỉnh.',
  ].join('\n');
  const r = parseConclusion(text, { directory });

  it('matches names without diacritics and gives lead and coordinating roles', () => {
    expect(agencyIds(r.drafts[0]!)).toEqual(['ca:lead', 'vks:coordinating', 'ta:coordinating']);
    expect(r.drafts[0]!.leadAgency).toEqual({ agencyId: 'ca', code: 'CAT' });
    expect(r.drafts[0]!.coordinatingAgencies).toEqual([
      { agencyId: 'vks', code: 'VKSND' },
      { agencyId: 'ta', code: 'TAND' },
    ]);
    expect(r.drafts[0]!.agencies[0]!.matched).toBe('Cong an tinh');
  });

  it('maps the common abbreviations to the directory', () => {
    expect(agencyIds(r.drafts[1]!)).toEqual(['thads:lead', 'ub:mentioned', 'hd:mentioned']);
    expect(agencyIds(r.drafts[2]!)).toEqual(['mt:mentioned', 'bcd:coordinating']);
    // No "chủ trì" and no "giao": the clause's subject is the suggested lead.
    expect(r.drafts[2]!.leadAgency).toEqual({ agencyId: 'mt', code: 'MTTQ' });
    expect(r.drafts[1]!.agencies.map((a) => a.matched)).toEqual(['Cục THADS tỉnh', 'UBND tỉnh', 'HĐND tỉnh']);
  });

  it('takes the longest name and leaves an abbreviation that fits two agencies unmatched', () => {
    expect(agencyIds(r.drafts[3]!)).toEqual(['vks:lead']);
    expect(r.drafts[3]!.agencies[0]!.matched).toBe('Viện Kiểm sát nhân dân tỉnh');
    const w = r.warnings.find((x) => x.code === 'ambiguous_agency');
    expect(w?.message).toContain('Viện Kiểm sát');
    expect(w?.span && r.text.slice(w.span.start, w.span.end)).toBe('Viện Kiểm sát');
  });

  it('matches old and new tone placement and directory aliases', () => {
    expect(agencyIds(r.drafts[4]!)).toEqual(['ta:mentioned', 'ub:mentioned', 'stp:mentioned']);
  });

  it('does not count the issuer of a cited document, nor "cả tỉnh" as the police', () => {
    expect(r.drafts[5]!.agencies).toEqual([]);
    expect(r.drafts[5]!.references[0]!.issuer).toBe('Ban Thường vụ Tỉnh ủy');
  });

  it('takes a capitalised short name as the agency but the same letters in lower case as an ordinary word', () => {
    const withShortNames: DirectoryAgency[] = [
      { id: 'tu', code: 'TU', name: 'Tỉnh ủy', shortName: 'TU' },
      { id: 'ca', code: 'CAT', name: 'Công an tỉnh', shortName: 'CA tỉnh' },
    ];
    const parsed = parseConclusion(
      'Đề nghị các đơn vị: (1) Bảo đảm trật tự an toàn giao thông trong cả tỉnh. (2) Báo cáo TU và CA tỉnh kết quả thực hiện.',
      { directory: withShortNames },
    );
    expect(parsed.drafts.map((d) => d.agencies.map((a) => a.matched))).toEqual([[], ['TU', 'CA tỉnh']]);
  });

  it('finds nothing without a directory', () => {
    expect(parseConclusion(text).drafts.every((d) => d.agencies.length === 0 && d.leadAgency === null)).toBe(true);
  });
});

describe('deadline hints', () => {
  const lines: [string, string, string | null, string | null][] = [
    ['Hoàn thành trước ngày 30/11/2024.', 'date', '2024-11-30', null],
    ['Nộp báo cáo chậm nhất ngày 30/11.', 'date', '2024-11-30', null],
    ['Hạn chót 20/12/2024 phải xong.', 'date', '2024-12-20', null],
    ['Hoàn thành trước ngày 15 tháng 01 năm 2025.', 'date', '2025-01-15', null],
    ['Tổ chức tổng kết trong tháng 12.', 'month', '2024-12-31', null],
    ['Xây dựng kế hoạch tháng 11/2024.', 'month', '2024-11-30', null],
    ['Trình phương án trước tháng 12.', 'month', '2024-11-30', null],
    ['Sơ kết trong quý IV.', 'quarter', '2024-12-31', null],
    ['Tổng kết trong quý 1 năm 2025.', 'quarter', '2025-03-31', null],
    ['Hoàn thiện quy chế trong quý I.', 'quarter', '2025-03-31', null],
    ['Thực hiện tốt nhiệm vụ 6 tháng cuối năm.', 'half_year', '2024-12-31', null],
    ['Đánh giá kết quả 6 tháng đầu năm 2025.', 'half_year', '2025-06-30', null],
    ['Đánh giá kết quả 9 tháng năm 2025.', 'nine_month', '2025-09-30', null],
    ['Hoàn thành chỉ tiêu năm 2025.', 'year', '2025-12-31', null],
    ['Giải quyết dứt điểm trong năm.', 'year', '2024-12-31', null],
    ['Bảo đảm an ninh trật tự dịp Tết Nguyên đán.', 'tet', '2025-01-28', null],
    ['Chi trả chế độ trước Tết.', 'tet', '2025-01-28', null],
    ['Báo cáo kết quả hằng tháng.', 'recurring', null, 'monthly'],
    ['Tổng hợp số liệu hàng tháng.', 'recurring', null, 'monthly'],
    ['Báo cáo định kỳ hằng quý.', 'recurring', null, 'quarterly'],
    ['Thực hiện báo cáo 6 tháng, năm theo quy định.', 'recurring', null, 'half_year'],
    ['Tổng kết hàng năm.', 'recurring', null, 'annual'],
  ];
  const text = `Đề nghị các đơn vị:\n${lines.map(([l]) => `- ${l}`).join('\n')}`;
  const r = parseConclusion(text, { referenceDate: '2024-10-11' });

  it('finds one hint per item', () => {
    expect(r.drafts).toHaveLength(lines.length);
    expect(r.drafts.map((d) => d.deadlineHints.length)).toEqual(lines.map(() => 1));
  });

  for (const [i, [line, kind, due, regime]] of lines.entries()) {
    it(`reads "${line}" as ${kind}${due ? ` due ${due}` : ''}${regime ? ` (${regime})` : ''}`, () => {
      const d = r.drafts[i]!;
      const hint = d.deadlineHints[0]!;
      expect(hint.kind).toBe(kind);
      expect(hint.dueDate).toBe(due);
      expect(hint.regime).toBe(regime);
      expect(r.text.slice(hint.span.start, hint.span.end)).toBe(hint.text);
      expect(d.deadline?.dueDate ?? null).toBe(due);
      expect(d.regime).toBe(regime);
    });
  }

  it('prefers the most specific final deadline and keeps the reporting regime apart', () => {
    const x = parseConclusion('Đề nghị:\n- Sơ kết trong quý IV, báo cáo trước ngày 15/12/2024 và báo cáo định kỳ hằng quý.', {
      referenceDate: '2024-10-11',
    });
    const d = x.drafts[0]!;
    expect(d.deadline?.kind).toBe('date');
    expect(d.deadline?.dueDate).toBe('2024-12-15');
    expect(d.regime).toBe('quarterly');
  });

  it('takes the year from the first date of the text when no reference date is given', () => {
    const x = parseConclusion('Ngày 11/10/2024, Hội nghị đề nghị:\n- Tổng kết trong tháng 12.\n- Rà soát trước Tết.');
    expect(x.referenceDate).toBe('2024-10-11');
    expect(x.drafts.map((d) => d.deadline?.dueDate)).toEqual(['2024-12-31', '2025-01-28']);
  });

  it('leaves the due date empty when no year can be inferred', () => {
    const x = parseConclusion('Hội nghị đề nghị:\n- Tổng kết trong tháng 12.\n- Hoàn thành năm 2025.');
    expect(x.referenceDate).toBeNull();
    expect(x.drafts.map((d) => d.deadline?.dueDate)).toEqual([null, '2025-12-31']);
  });

  it('does not read the date of a cited document as a deadline', () => {
    const x = parseConclusion('Đề nghị:\n- Thực hiện Kế hoạch số 45/KH-UBND ngày 12/3/2024 của UBND tỉnh.', { referenceDate: '2024-10-11' });
    expect(x.drafts[0]!.deadlineHints).toEqual([]);
  });
});

describe('bad and odd input', () => {
  const codeOf = (input: string): string | undefined => {
    try {
      parseConclusion(input);
    } catch (err) {
      return err instanceof ConclusionInputError ? err.code : `other: ${String(err)}`;
    }
    return undefined;
  };

  it('rejects empty and blank text', () => {
    expect(codeOf('')).toBe('empty');
    expect(codeOf(' \n\t\r\n  ')).toBe('empty');
    expect(codeOf('\uFEFF')).toBe('empty');
  });

  it('rejects a five-megabyte text as too large before reading it', () => {
    const huge = 'Đề nghị: (1) a. '.repeat(320_000);
    expect(huge.length).toBeGreaterThan(5_000_000);
    expect(codeOf(huge)).toBe('too_large');
    expect(codeOf('x'.repeat(MAX_CONCLUSION_CHARS + 1))).toBe('too_large');
  });

  it('rejects binary data', () => {
    let seed = 42;
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      bytes[i] = seed >> 16;
    }
    expect(codeOf(bytes.toString('latin1'))).toBe('binary');
    expect(codeOf(bytes.toString('utf8'))).toBe('binary');
    expect(codeOf('Kết luận\u0000 hội nghị')).toBe('binary');
    expect(codeOf('Kết luận: \u0001\u0002\u0003\u0004')).toBe('binary');
    expect(codeOf(`Kết luận: ${'\uFFFD'.repeat(3)}`)).toBe('binary');
  });

  it('returns no drafts and a no_list warning for plain prose', () => {
    const r = parseConclusion(
      'Hội nghị đánh giá cao kết quả đạt được trong 9 tháng đầu năm. Các đơn vị đã phối hợp chặt chẽ, không để xảy ra điểm nóng về an ninh trật tự.',
    );
    expect(r.drafts).toEqual([]);
    expect(codes(r.warnings)).toEqual(['no_list']);
    expect(r.leadIn).toBeNull();
  });

  it('parses two thousand bullet items in a maximal text', () => {
    const item = '- Tăng cường kiểm tra nhiệm vụ phòng, chống tham nhũng; Công an tỉnh chủ trì, báo cáo hằng quý.\n';
    const head = 'Đề nghị các đơn vị thực hiện các nhiệm vụ sau:\n';
    const text = head + item.repeat(2000);
    expect(text.length).toBeLessThanOrEqual(MAX_CONCLUSION_CHARS);
    const r = parseConclusion(text, { directory, referenceDate: '2024-10-11' });
    expect(r.drafts).toHaveLength(2000);
    expect(r.drafts[1999]!.index).toBe(2000);
    expect(r.drafts[1999]!.leadAgency).toEqual({ agencyId: 'ca', code: 'CAT' });
    expect(r.drafts[1999]!.regime).toBe('quarterly');
  });

  const fragments = fc.constantFrom(
    '(1) ',
    '(2) ',
    '(3)',
    '\n',
    '\n\n',
    '\r\n',
    '1. ',
    '2. ',
    '1) ',
    'a) ',
    'b) ',
    '- ',
    '+ ',
    '• ',
    ': ',
    ';',
    '. ',
    '“',
    '”',
    '"',
    '(',
    ')',
    'Đề nghị các đơn vị:',
    'Hội nghị đề ra 03 nhiệm vụ:',
    'Chỉ thị số 19-CT/TU, ngày 26/05/2021 của Ban Thường vụ Tỉnh ủy “về ',
    'Công an tỉnh',
    ' chủ trì, phối hợp với ',
    'VKSND tỉnh',
    'trước ngày 30/11',
    'quý IV',
    'dịp Tết',
    'hằng tháng',
    'Tấn Phước',
  );
  const textish = fc.array(fc.oneof(fragments, fc.string({ unit: 'grapheme', maxLength: 12 })), { maxLength: 40 }).map((xs) => xs.join(''));

  const checkResult = (input: string) => {
    let r: ParseResult;
    try {
      r = parseConclusion(input, { directory, referenceDate: '2024-10-11' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConclusionInputError);
      return;
    }
    let previousEnd = 0;
    for (const d of r.drafts) {
      expect(d.span.start).toBeGreaterThanOrEqual(previousEnd);
      expect(d.span.end).toBeGreaterThan(d.span.start);
      expect(d.span.end).toBeLessThanOrEqual(r.text.length);
      expect(spanText(r, d)).toBe(d.body);
      expect(d.title.length).toBeGreaterThan(0);
      expect(d.confidence).toBeGreaterThanOrEqual(0);
      expect(d.confidence).toBeLessThanOrEqual(1);
      previousEnd = d.span.end;
    }
    for (const ref of r.references) expect(ref.span.end).toBeLessThanOrEqual(r.text.length);
  };

  it('either parses arbitrary text into in-bounds, non-overlapping drafts or rejects it as input', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), checkResult), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkResult), { numRuns: 200 });
    fc.assert(fc.property(textish, checkResult), { numRuns: 500 });
  });
});

describe('running prose', () => {
  const dir: DirectoryAgency[] = [
    { id: 'tt', code: 'TT', name: 'Thanh tra tỉnh', shortName: null },
    { id: 'stp', code: 'STP', name: 'Sở Tư pháp', shortName: null },
    { id: 'ca', code: 'CA', name: 'Công an tỉnh', shortName: null },
  ];
  const speech = [
    'Phát biểu kết luận, đồng chí Bí thư ghi nhận, đánh giá cao các cơ quan đã phát hiện, xử lý 15 vụ việc; tỷ lệ giải quyết án đạt 98,7%.',
    'Tuy nhiên, vẫn còn hạn chế: một số vụ việc khiếu nại chưa được giải quyết dứt điểm.',
    'Về nhiệm vụ năm 2027, đồng chí đề nghị Sở Tư pháp và UBND các xã tăng cường phổ biến pháp luật; kiện toàn đội ngũ hòa giải viên, hoàn thành trước ngày 31/3/2027.',
    'Các cơ quan tiến hành tố tụng cần nâng cao chất lượng điều tra, truy tố, xét xử, nhất là các vụ án tham nhũng.',
    'Thanh tra tỉnh chủ động rà soát các vụ việc phức tạp; phối hợp với Công an tỉnh xử lý các trường hợp lợi dụng khiếu nại để gây rối.',
    'Văn phòng Tỉnh ủy thông báo để các cơ quan, đơn vị biết, thực hiện.',
  ].join('\n\n');
  const r = parseConclusion(speech, { directory: dir, referenceDate: '2026-12-10' });

  it('skips the praise, the results and the shortcomings, and reads the tasks after them', () => {
    expect(r.drafts.map((d) => d.title)).toEqual([
      'tăng cường phổ biến pháp luật',
      'kiện toàn đội ngũ hòa giải viên, hoàn thành trước ngày 31/3/2027',
      'Các cơ quan tiến hành tố tụng cần nâng cao chất lượng điều tra, truy tố, xét xử, nhất là các vụ án tham nhũng',
      'Thanh tra tỉnh chủ động rà soát các vụ việc phức tạp',
      'phối hợp với Công an tỉnh xử lý các trường hợp lợi dụng khiếu nại để gây rối',
    ]);
    expect(r.passages.map((p) => p.kind)).toEqual(['assessment', 'tasks', 'closing']);
    expect(r.listKind).toBe('sentences');
  });

  it('gives each draft the body its lead-in or paragraph names until another is named', () => {
    expect(r.drafts.map((d) => d.addressee?.text)).toEqual([
      'Sở Tư pháp và UBND các xã',
      'Sở Tư pháp và UBND các xã',
      'Các cơ quan tiến hành tố tụng',
      'Thanh tra tỉnh',
      'Thanh tra tỉnh',
    ]);
    expect(r.drafts.map((d) => d.leadAgency?.code ?? null)).toEqual(['STP', 'STP', null, 'TT', 'TT']);
    expect(r.drafts[4]!.coordinatingAgencies.map((a) => a.code)).toEqual(['CA']);
    expect(r.unmatchedMentions.map((m) => m.text)).toEqual(['UBND các xã', 'Các cơ quan tiến hành tố tụng']);
  });

  it("takes the passage's time frame as the deadline of a draft without its own", () => {
    expect(r.drafts.map((d) => [d.deadline?.dueDate, d.deadlineFrom])).toEqual([
      ['2027-12-31', 'passage'],
      ['2027-03-31', 'item'],
      ['2027-12-31', 'passage'],
      ['2027-12-31', 'passage'],
      ['2027-12-31', 'passage'],
    ]);
  });

  it('reads groups after "Đối với …:" headings, each addressed to its group', () => {
    const g = parseConclusion(
      ['Hội nghị thống nhất một số nhiệm vụ như sau:', 'Đối với khối Mặt trận và các đoàn thể: tăng cường giám sát; vận động nhân dân tố giác tội phạm.', 'Đối với Công an tỉnh: đẩy mạnh tấn công trấn áp tội phạm.'].join('\n'),
      { directory: dir },
    );
    expect(g.drafts.map((d) => [d.title, d.addressee?.text, d.leadAgency?.code ?? null])).toEqual([
      ['tăng cường giám sát', 'khối Mặt trận và các đoàn thể', null],
      ['vận động nhân dân tố giác tội phạm', 'khối Mặt trận và các đoàn thể', null],
      ['đẩy mạnh tấn công trấn áp tội phạm', 'Công an tỉnh', 'CA'],
    ]);
  });

  it('resolves the Tết of a named lunar year to its eve, a year to its last working day', () => {
    const due = (line: string, ref = '2025-10-01') => parseConclusion(`Đề nghị các đơn vị:\n- ${line}`, { referenceDate: ref }).drafts[0]!.deadline?.dueDate;
    expect(due('Bảo đảm an ninh trật tự trong dịp Tết Nguyên đán Bính Ngọ.')).toBe('2026-02-16');
    expect(due('Chi trả đủ chế độ trước Tết Đinh Mùi.')).toBe('2027-02-05');
    expect(due('Tổng kết trước Tết Giáp Thìn.', '2023-09-01')).toBe('2024-02-09');
    expect(due('Hoàn thành chỉ tiêu năm 2028.')).toBe('2028-12-29');
    expect(due('Hoàn thành chỉ tiêu năm 2027.')).toBe('2027-12-31');
  });

  it('keeps the frame of a heading for the items under it', () => {
    const h = parseConclusion(['II. NHIỆM VỤ TRỌNG TÂM NĂM 2023', '', 'a) Công an tỉnh tăng cường tuần tra;', 'b) Sở Tư pháp rà soát văn bản trong quý II/2023.'].join('\n'), {
      directory: dir,
      referenceDate: '2023-02-15',
    });
    expect(h.drafts.map((d) => [d.marker, d.deadline?.dueDate, d.deadlineFrom])).toEqual([
      ['a)', '2023-12-29', 'passage'],
      ['b)', '2023-06-30', 'item'],
    ]);
  });
});
