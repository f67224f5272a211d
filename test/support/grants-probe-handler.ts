/** A handler for the grant tests: reports what it sees of the grant-controlled environment. */
import { GRANT_CONTROLLED_VARIABLES } from '../../functions/grants.ts';

export const handler = async (event: { read?: string[] }) => ({
  visible: GRANT_CONTROLLED_VARIABLES.filter((name) => process.env[name] !== undefined),
  values: Object.fromEntries((event.read ?? []).map((name) => [name, process.env[name] ?? null])),
});
