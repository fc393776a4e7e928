import type { Operation } from '../index';

/** The Campaign resource's operations, as the editor lists them: adding one is adding it here. */
export const campaignOperations: Operation[] = [];
