import { describe, expect, it } from 'vitest';
import { DirectiveEvent } from '../../api/directives/schemas.js';

/** The published event schema against payloads the workflow records: what it carries must survive the schema. */
describe('the OpenAPI event union', () => {
  it("keeps a reorganisation's transfer on a reassigned event (the document once dropped it)", () => {
    const recorded = {
      seq: 7,
      type: 'reassigned',
      occurredAt: '2026-12-07T03:00:00.000Z',
      actorId: null,
      data: {
        before: { leadAgencyId: 'a-old', coordinatingAgencyIds: [] },
        after: { leadAgencyId: 'a-new', coordinatingAgencyIds: [] },
        reason: 'Sáp nhập',
        transfer: { changeId: 'c-1', fromAgencyId: 'a-old', toAgencyId: 'a-new' },
      },
    };
    const parsed = DirectiveEvent.parse(recorded);
    expect(parsed).toEqual(recorded);
  });
});
