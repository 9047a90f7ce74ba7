import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The example conference the demo runs: the conclusion of a briefing of the district working groups on
 * 11/10/2024, which ends with "06 nhiệm vụ trọng tâm". It ships with the demo, not with the tests.
 */
export const EXAMPLE_CONCLUSION = {
  file: fileURLToPath(new URL('./giao-ban-to-cong-tac-cap-huyen-2024-10-11.txt', import.meta.url)),
  heldOn: '2024-10-11',
  read(): string {
    return fs.readFileSync(this.file, 'utf8');
  },
} as const;
