/**
 * What the README's two commands need beyond Node.js and npm, checked before they run (`prestart`:
 * java; `pretest`: java, chromium, poppler) and installed when it can be:
 * - java: Java 17 or later with its jdk.compiler module (DynamoDB Local, and the launcher that binds
 *   it to 127.0.0.1: infra/local/dynamodb-local.ts). Debian's openjdk-17-jre-headless has both.
 * - chromium: Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH), for the client pages in a
 *   real browser (test/support/browser.ts).
 * - poppler: pdftotext, pdffonts, pdfinfo and pdftoppm (the PDF checks).
 * When something is missing: as root with apt-get, `apt-get update` once and install it, saying so;
 * otherwise stop at once with the exact command to run.
 *
 *   node scripts/system-deps.ts start|test
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Requirement = 'java' | 'chromium' | 'poppler';

export const REQUIREMENTS: Readonly<Record<'start' | 'test', readonly Requirement[]>> = {
  start: ['java'],
  test: ['java', 'chromium', 'poppler'],
};

export const POPPLER_TOOLS = ['pdftotext', 'pdffonts', 'pdfinfo', 'pdftoppm'] as const;
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const MIN_JAVA = 17;
const JAVA_MAN_DIR = '/usr/share/man/man1';

/** What the script sees of the machine; injected in tests, so they never run apt. */
export interface System {
  /** The `java` on the PATH: its major version and whether it has the jdk.compiler module. */
  java(): { readonly major: number; readonly compiler: boolean } | undefined;
  executable(path: string): boolean;
  onPath(command: string): boolean;
  isRoot(): boolean;
  /** The candidate version `apt-cache policy` shows for a package, if any. */
  aptCandidate(pkg: string): string | undefined;
  /** Creates a directory (and its parents) if missing. */
  ensureDir(path: string): void;
  /** Runs a command, its output shown; throws if it fails. */
  run(command: string, args: readonly string[], env?: Readonly<Record<string, string>>): void;
  log(line: string): void;
}

export interface Missing {
  readonly requirement: Requirement;
  /** Why, for a person. */
  readonly reason: string;
  /** The Debian packages that mend it: fixed, or chosen from apt's candidates. */
  readonly packages: (system: System) => readonly string[];
  /** When apt cannot mend it (a CHROMIUM_PATH that does not exist). */
  readonly fix?: string;
}

/** "2:1.17-74" (default-jre-headless) → 17, "17.0.15+6-1~deb12u1" → 17, "1.8.0" → 8. */
export function javaMajorOf(version: string): number | undefined {
  const bare = version.replace(/^\d+:/, '');
  const match = /^1\.(\d+)/.exec(bare) ?? /^(\d+)/.exec(bare);
  return match ? Number(match[1]) : undefined;
}

/**
 * openjdk-17-<kind>-headless where apt has it; otherwise default-<kind>-headless when it is
 * Java 17 or later (Debian releases after bookworm); otherwise openjdk-17, for the message.
 */
export function javaPackage(system: System, kind: 'jre' | 'jdk'): string {
  const pinned = `openjdk-17-${kind}-headless`;
  if (system.aptCandidate(pinned)) return pinned;
  const fallback = `default-${kind}-headless`;
  const candidate = system.aptCandidate(fallback);
  const major = candidate === undefined ? undefined : javaMajorOf(candidate);
  return major !== undefined && major >= MIN_JAVA ? fallback : pinned;
}

/** What is missing among the requirements (in their order). */
export function findMissing(requirements: readonly Requirement[], system: System, env: NodeJS.ProcessEnv = process.env): Missing[] {
  const missing: Missing[] = [];
  for (const requirement of requirements) {
    if (requirement === 'java') {
      const java = system.java();
      if (!java) missing.push({ requirement, reason: 'Java (DynamoDB Local) is not installed', packages: (s) => [javaPackage(s, 'jre')] });
      else if (java.major < MIN_JAVA)
        missing.push({
          requirement,
          reason: `Java ${java.major} is too old for DynamoDB Local (17 or later)`,
          packages: (s) => [javaPackage(s, 'jre')],
        });
      else if (!java.compiler) {
        missing.push({
          requirement,
          reason: `Java ${java.major} lacks the jdk.compiler module (needed to bind DynamoDB Local to 127.0.0.1)`,
          packages: (s) => [javaPackage(s, 'jdk')],
        });
      }
    } else if (requirement === 'chromium') {
      const custom = env.CHROMIUM_PATH?.trim();
      const path = custom || DEFAULT_CHROMIUM;
      if (!system.executable(path)) {
        missing.push(
          custom
            ? {
                requirement,
                reason: `CHROMIUM_PATH=${custom} is not an executable file`,
                packages: () => [],
                fix: "point CHROMIUM_PATH at a Chromium binary, or unset it to use Debian's chromium",
              }
            : { requirement, reason: `Chromium (the browser tests) is not installed at ${DEFAULT_CHROMIUM}`, packages: () => ['chromium'] },
        );
      }
    } else {
      const absent = POPPLER_TOOLS.filter((tool) => !system.onPath(tool));
      if (absent.length > 0)
        missing.push({ requirement, reason: `${absent.join(', ')} (the PDF checks) not found`, packages: () => ['poppler-utils'] });
    }
  }
  return missing;
}

const unique = (items: readonly string[]): string[] => [...new Set(items)];

export type Outcome = { readonly ok: true; readonly installed: readonly string[] } | { readonly ok: false; readonly message: string };

/** The command a person runs to install packages with apt. */
export function aptCommand(packages: readonly string[], root: boolean): string {
  const sudo = root ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

function stopMessage(missing: readonly Missing[], system: System, hasApt: boolean): string {
  const lines = ['Missing before this command can run:', ...missing.map((m) => `  - ${m.reason}${m.fix ? `: ${m.fix}` : ''}`)];
  const packages = unique(missing.flatMap((m) => m.packages(system)));
  if (packages.length > 0) {
    if (hasApt) lines.push('Install with:', `  ${aptCommand(packages, system.isRoot())}`);
    else lines.push(`No apt-get here: install what is listed above by other means (on Debian: ${packages.join(' ')}).`);
  }
  return lines.join('\n');
}

/**
 * Checks the requirements; when some are missing, installs them as root with apt-get (one
 * `apt-get update`, then one install per round; a second round only for what the first could not
 * mend, e.g. a JRE without jdk.compiler), otherwise returns the message to stop with.
 */
export function ensureSystemDeps(requirements: readonly Requirement[], system: System, env: NodeJS.ProcessEnv = process.env): Outcome {
  let missing = findMissing(requirements, system, env);
  if (missing.length === 0) return { ok: true, installed: [] };
  const hasApt = system.onPath('apt-get');
  if (!system.isRoot() || !hasApt || missing.some((m) => m.fix)) return { ok: false, message: stopMessage(missing, system, hasApt) };

  const installed: string[] = [];
  system.log(`Missing: ${missing.map((m) => m.reason).join('; ')}.`);
  try {
    system.log('Running apt-get update…');
    system.run('apt-get', ['update', '-qq']);
    for (let round = 0; round < 2 && missing.length > 0; round++) {
      const packages = unique(missing.flatMap((m) => m.packages(system))).filter((p) => !installed.includes(p));
      if (packages.length === 0) break;
      system.log(`Installing ${packages.join(' ')}…`);
      // Slim Debian images lack the man directory that the OpenJDK packages' postinst links into.
      if (packages.some((pkg) => pkg.includes('jre') || pkg.includes('jdk'))) system.ensureDir(JAVA_MAN_DIR);
      system.run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { DEBIAN_FRONTEND: 'noninteractive' });
      installed.push(...packages);
      missing = findMissing(requirements, system, env);
    }
  } catch (error) {
    return { ok: false, message: `apt-get failed (${(error as Error).message.split('\n')[0]}).\n${stopMessage(missing, system, hasApt)}` };
  }
  if (missing.length > 0) {
    return {
      ok: false,
      message: `${stopMessage(missing, system, hasApt)}\n(apt-get installed ${installed.join(' ')}, yet this is still missing: is another java first on the PATH? See \`update-alternatives --config java\`.)`,
    };
  }
  system.log(`Installed ${installed.join(' ')}.`);
  return { ok: true, installed };
}

// ---- The real machine -------------------------------------------------------------------------

function capture(command: string, args: readonly string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stdout}${result.stderr}`;
}

export const realSystem: System = {
  java() {
    const version = capture('java', ['-version']);
    const match = version === undefined ? null : /version "([^"]+)"/.exec(version);
    const major = match ? javaMajorOf(match[1]!) : undefined;
    if (major === undefined) return undefined;
    const modules = major >= 9 ? capture('java', ['--list-modules']) : undefined;
    return { major, compiler: /^jdk\.compiler@/m.test(modules ?? '') };
  },
  executable(path) {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  onPath(command) {
    return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && realSystem.executable(join(dir, command)));
  },
  isRoot() {
    return process.getuid?.() === 0;
  },
  aptCandidate(pkg) {
    const policy = capture('apt-cache', ['policy', pkg]);
    const candidate = policy === undefined ? undefined : /Candidate:\s*(\S+)/.exec(policy)?.[1];
    return candidate && candidate !== '(none)' ? candidate : undefined;
  },
  ensureDir(path) {
    mkdirSync(path, { recursive: true });
  },
  run(command, args, env) {
    execFileSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  },
  log(line) {
    console.error(`system-deps: ${line}`);
  },
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = process.argv[2];
  if (target !== 'start' && target !== 'test') {
    console.error('Usage: node scripts/system-deps.ts start|test');
    process.exit(2);
  }
  const outcome = ensureSystemDeps(REQUIREMENTS[target], realSystem);
  if (!outcome.ok) {
    console.error(outcome.message);
    process.exit(1);
  }
}
