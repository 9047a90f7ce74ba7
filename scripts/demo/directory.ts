/**
 * A realistic directory for a province's internal-affairs bloc (khối nội chính), for the demo. The agency
 * kinds follow the example conference; the district names are illustrative, not any one province's list.
 */
export type DemoAgency = { code: string; name: string; shortName: string; supervisor?: string; parent?: string };
export type DemoUser = { name: string; email: string; role: 'leader' | 'supervisor' | 'officer'; agency?: string };

export const DISTRICTS = [
  ['TCT-TB', 'huyện Tân Biên'],
  ['TCT-TC', 'huyện Tân Châu'],
  ['TCT-DMC', 'huyện Dương Minh Châu'],
  ['TCT-CT', 'huyện Châu Thành'],
  ['TCT-GD', 'huyện Gò Dầu'],
  ['TCT-BC', 'huyện Bến Cầu'],
  ['TCT-HT', 'thị xã Hòa Thành'],
  ['TCT-TrB', 'thị xã Trảng Bàng'],
] as const;

export const DEMO_AGENCIES: DemoAgency[] = [
  { code: 'TU', name: 'Tỉnh ủy', shortName: 'TU' },
  { code: 'BNCTU', name: 'Ban Nội chính Tỉnh ủy', shortName: 'BNCTU', parent: 'TU', supervisor: 'TU' },
  { code: 'CAT', name: 'Công an tỉnh', shortName: 'CA tỉnh', supervisor: 'BNCTU' },
  { code: 'VKSND', name: 'Viện Kiểm sát nhân dân tỉnh', shortName: 'VKSND tỉnh', supervisor: 'BNCTU' },
  { code: 'TAND', name: 'Tòa án nhân dân tỉnh', shortName: 'TAND tỉnh', supervisor: 'BNCTU' },
  { code: 'THADS', name: 'Cục Thi hành án dân sự tỉnh', shortName: 'Cục THADS', supervisor: 'BNCTU' },
  { code: 'TTT', name: 'Thanh tra tỉnh', shortName: 'Thanh tra tỉnh', supervisor: 'BNCTU' },
  ...DISTRICTS.map(([code, place]) => ({
    code,
    name: `Tổ công tác ${place}`,
    shortName: `TCT ${place.replace(/^(huyện|thị xã) /, '')}`,
    parent: 'BNCTU',
    supervisor: 'BNCTU',
  })),
];

const mail = (local: string) => `${local.toLowerCase()}@noichinh.demo.invalid`;

export const DEMO_USERS: DemoUser[] = [
  { name: 'Phó Trưởng Ban Nội chính Tỉnh ủy (chủ trì hội nghị)', email: mail('lanhdao'), role: 'leader' },
  { name: 'Chuyên viên theo dõi, Ban Nội chính Tỉnh ủy', email: mail('theodoi'), role: 'supervisor', agency: 'BNCTU' },
  ...DEMO_AGENCIES.filter((a) => a.code !== 'TU' && a.code !== 'BNCTU').map((a) => ({
    name: `Cán bộ đầu mối, ${a.name}`,
    email: mail(a.code),
    role: 'officer' as const,
    agency: a.code,
  })),
];
