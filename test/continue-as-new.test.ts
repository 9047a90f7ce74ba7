import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { startEphemeralTemporalServer, type DevServer } from '../scripts/temporal-server.js';
import { acknowledgeUpdate, cancelUpdate, stateQuery, submitReportUpdate } from '../workflows/messages.js';
import { workflowIdFor } from '../workflows/types.js';
import { createOrg, escalationsOf, eventsOf, inSeconds, pastSoon, soon, startDirective, waitForEvents, type Org } from './lifecycle-support.js';
import { eventually, startWorld, type World } from './support.js';

// A server that suggests continue-as-new after a few dozen history events, so a short test crosses several runs.
let server: DevServer;
let world: World;
let org: Org;

beforeAll(async () => {
  const config = loadConfig();
  server = await startEphemeralTemporalServer({
    explicitCli: config.temporal.cli,
    pathVar: config.systemPath,
    dynamicConfig: ['limit.historyCount.suggestContinueAsNew=40'],
  });
  world = await startWorld({ temporalAddress: server.address });
  org = await createOrg(world);
});
afterAll(async () => {
  await world?.close();
  await server?.stop();
});

describe('a long-lived directive', () => {
  it('continues as new when Temporal suggests it, carrying its state, its event sequence and its timers', async () => {
    const dueDates = [0, 2, 4, 6, 8].map((s) => soon(s));
    const { handle, id } = await startDirective(world, org, {
      coordinatingAgencyIds: [org.coordinating.id],
      regime: { kind: 'explicit', dueDates },
      dueAt: inSeconds(3600),
    });
    const lead = org.officer(org.lead.id);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: lead }] });
    // The lead reports every period; the coordinating agency never does, so its ladders run in every run.
    for (const key of ['R1', 'R2', 'R3', 'R4', 'R5']) {
      await handle.executeUpdate(submitReportUpdate, { args: [{ actor: lead, deadlineKey: key, summary: `Báo cáo ${key}` }] });
    }
    await waitForEvents(world, id, (e) => e.filter((x) => x.type === 'escalated').length >= 15, pastSoon(8, 23));

    const runs = await eventually(async () => {
      const list: string[] = [];
      for await (const wf of world.client.workflow.list({ query: `WorkflowId = '${workflowIdFor(id)}'` })) list.push(wf.runId);
      return list;
    }, (list) => list.length > 1);
    expect(runs.length).toBeGreaterThan(1);

    const state = await handle.query(stateQuery);
    expect(state.status).toBe('in_progress');
    expect(state.reports?.map((r) => r.deadlineKey)).toEqual(['R1', 'R2', 'R3', 'R4', 'R5']);
    expect(state.acknowledgements).toHaveLength(1);

    // Closed, its last run has recorded all it ever will: a rung fired twice would be among its events now.
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: org.leader, reason: 'Kết thúc thử' }] });
    const final = await handle.result();
    const events = await eventsOf(world, id);
    // One event per sequence number, none lost or repeated across runs.
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(final.seq).toBe(events.length);
    const rungs = await escalationsOf(world, id);
    expect(rungs).toHaveLength(15);
    expect(new Set(rungs.map((r) => `${r.deadlineKey}|${r.level}`)).size).toBe(15);
    expect(rungs.every((r) => r.agencyId === org.coordinating.id)).toBe(true);
  }, 120_000);
});
