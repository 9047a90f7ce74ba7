/**
 * A realistic directory for a province's internal-affairs bloc (khối nội chính), for the demo. The agency
 * kinds follow the example conference; the district names are illustrative, not any one province's list.
 */
import { DEFAULT_AGENCIES, type SeedAgency } from '../../db/bootstrap.js';

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

export const DEMO_AGENCIES: SeedAgency[] = [
  // The starter directory every fresh system gets, then the district working groups.
  ...DEFAULT_AGENCIES,
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
