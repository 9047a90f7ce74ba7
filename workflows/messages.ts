import { defineQuery } from '@temporalio/workflow';
import type { DirectiveState } from './types.js';

/** Message names are a contract with running workflows: never rename them. */
export const stateQuery = defineQuery<DirectiveState>('state');
