/**
 * `npm run -s token -- --role <operator|manager|entrepreneur|partner> [--etd 44] [--sub <id>] [--ttl 3600]`
 * Prints a JWT signed by the local identity provider (the key of DATA_DIR, created if absent so a
 * server started later accepts it), alone on stdout. Usage errors go to stderr, exit code 2.
 */
import { parseArgs } from 'node:util';
import { isDepartmentCode } from '../functions/shared/identifiers.ts';
import { isRole, roles } from '../functions/shared/roles.ts';
import { resolveDataDir } from '../infra/local/apigw.ts';
import { DEFAULT_TTL_SECONDS, loadOrCreateSigningKey, rolesNeedingEtd, signToken } from '../infra/local/jwt.ts';

const USAGE = `Usage: npm run -s token -- --role <${roles.join('|')}> [--etd 44] [--sub <id>] [--ttl <seconds>]
  --role   the caller's role (Cognito group)
  --etd    territory (département code) of a manager or an entrepreneur; default 44
  --sub    subject id; default local-<role>. An entrepreneur's or a partner's is its id
           (ent_…, par_…): that is how GET /entrepreneurs/{id} and GET /partners/me find it
  --ttl    lifetime in seconds; default ${DEFAULT_TTL_SECONDS}
The key lives in $DATA_DIR/keys (default .local/ at the repository root).`;

function usage(message?: string): never {
  if (message) console.error(`token: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

let values: { role?: string; etd?: string; sub?: string; ttl?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      role: { type: 'string', short: 'r' },
      etd: { type: 'string', short: 'e' },
      sub: { type: 'string', short: 's' },
      ttl: { type: 'string', short: 't' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
    strict: true,
  }));
} catch (error) {
  usage((error as Error).message);
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const role = values.role;
if (!role) usage('--role is required');
if (!isRole(role)) usage(`unknown role "${role}"`);

let etd: string | undefined;
if (rolesNeedingEtd(role)) {
  etd = values.etd ?? '44';
  if (!isDepartmentCode(etd)) usage(`--etd must be a French département code (e.g. 44, 2A, 974), not "${etd}"`);
} else if (values.etd !== undefined) {
  usage(`--etd applies to manager and entrepreneur tokens only, not ${role}`);
}

if (values.sub !== undefined && !/^[\w.:@-]{1,128}$/.test(values.sub))
  usage('--sub must be 1–128 characters among letters, digits, . _ : @ -');

let ttlSeconds = DEFAULT_TTL_SECONDS;
if (values.ttl !== undefined) {
  ttlSeconds = Number(values.ttl);
  if (!/^\d+$/.test(values.ttl) || ttlSeconds < 1 || ttlSeconds > 31 * 24 * 3600)
    usage('--ttl must be a whole number of seconds, from 1 to 2678400 (31 days)');
}

const key = await loadOrCreateSigningKey(resolveDataDir());
const token = await signToken({ role, ...(etd ? { etd } : {}), ...(values.sub ? { sub: values.sub } : {}), ttlSeconds }, key);
process.stdout.write(token + '\n');
