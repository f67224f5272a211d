/**
 * scripts/system-deps.ts decides, from what it finds on the machine, what to install or what to
 * tell: here with an injected machine, so no test ever runs apt.
 */
import { describe, expect, it } from 'vitest';
import { aptCommand, ensureSystemDeps, findMissing, javaMajorOf, REQUIREMENTS, type System } from '../../scripts/system-deps.ts';

interface Machine {
  java?: { major: number; compiler: boolean };
  chromium?: boolean;
  poppler?: readonly string[];
  root?: boolean;
  apt?: boolean;
  candidates?: Record<string, string>;
  /** What each apt-get install puts on the machine. */
  installs?: Record<string, (m: Machine) => void>;
  failOn?: string;
}

const ALL_POPPLER = ['pdftotext', 'pdffonts', 'pdfinfo', 'pdftoppm'];
const BOOKWORM = {
  'openjdk-17-jre-headless': '17.0.15+6-1~deb12u1',
  'openjdk-17-jdk-headless': '17.0.15+6-1~deb12u1',
  'default-jre-headless': '2:1.17-74',
  chromium: '1',
  'poppler-utils': '22',
};
const TRIXIE = { 'default-jre-headless': '2:1.21-75+b1', 'default-jdk-headless': '2:1.21-75+b1', chromium: '1', 'poppler-utils': '25' };
const DEBIAN_INSTALLS: Record<string, (m: Machine) => void> = {
  'openjdk-17-jre-headless': (m) => (m.java = { major: 17, compiler: true }),
  'default-jre-headless': (m) => (m.java = { major: 21, compiler: true }),
  chromium: (m) => (m.chromium = true),
  'poppler-utils': (m) => (m.poppler = ALL_POPPLER),
};

function fake(machine: Machine): { system: System; runs: string[]; logs: string[] } {
  const runs: string[] = [];
  const logs: string[] = [];
  const system: System = {
    java: () => machine.java,
    executable: (path) => path === '/usr/bin/chromium' && machine.chromium === true,
    onPath: (command) => (command === 'apt-get' ? machine.apt !== false : (machine.poppler ?? []).includes(command)),
    isRoot: () => machine.root !== false,
    aptCandidate: (pkg) => (runs.includes('apt-get update -qq') ? machine.candidates?.[pkg] : undefined),
    run: (command, args, env) => {
      const line = [command, ...args].join(' ');
      runs.push(line);
      if (machine.failOn && line.includes(machine.failOn)) throw new Error(`E: Unable to locate package ${machine.failOn}`);
      if (args[0] === 'install') {
        expect(env).toEqual({ DEBIAN_FRONTEND: 'noninteractive' });
        for (const pkg of args.filter((a) => !a.startsWith('-') && a !== 'install')) machine.installs?.[pkg]?.(machine);
      }
    },
    ensureDir: (path) => runs.push(`mkdir -p ${path}`),
    log: (line) => logs.push(line),
  };
  return { system, runs, logs };
}

const complete: Machine = { java: { major: 17, compiler: true }, chromium: true, poppler: ALL_POPPLER };

describe('system-deps: what is missing', () => {
  it('finds nothing missing on a complete machine, and runs nothing', () => {
    const { system, runs } = fake({ ...complete });
    expect(ensureSystemDeps(REQUIREMENTS.test, system, {})).toEqual({ ok: true, installed: [] });
    expect(runs).toEqual([]);
  });

  it('npm start needs Java only; npm test needs Java, Chromium and poppler', () => {
    const { system } = fake({});
    expect(findMissing(REQUIREMENTS.start, system, {}).map((m) => m.requirement)).toEqual(['java']);
    expect(findMissing(REQUIREMENTS.test, system, {}).map((m) => m.requirement)).toEqual(['java', 'chromium', 'poppler']);
  });

  it('counts a too old Java, a Java without jdk.compiler and one missing poppler tool as missing', () => {
    const reasons = (machine: Machine) => findMissing(REQUIREMENTS.test, fake(machine).system, {}).map((m) => m.reason);
    expect(reasons({ ...complete, java: { major: 11, compiler: true } })).toEqual(['Java 11 is too old for DynamoDB Local (17 or later)']);
    expect(reasons({ ...complete, java: { major: 21, compiler: false } })[0]).toMatch(/lacks the jdk.compiler module/);
    expect(reasons({ ...complete, poppler: ['pdftotext', 'pdffonts', 'pdfinfo'] })).toEqual(['pdftoppm (the PDF checks) not found']);
  });

  it('reads Java versions as apt and java print them', () => {
    expect(javaMajorOf('2:1.17-74')).toBe(17);
    expect(javaMajorOf('2:1.21-75+b1')).toBe(21);
    expect(javaMajorOf('17.0.15+6-1~deb12u1')).toBe(17);
    expect(javaMajorOf('1.8.0_402')).toBe(8);
    expect(javaMajorOf('21')).toBe(21);
  });
});

describe('system-deps: as root with apt-get, installs what is missing', () => {
  it('on Debian 12: one apt-get update, then openjdk-17-jre-headless, chromium and poppler-utils in one install', () => {
    const machine: Machine = { candidates: BOOKWORM, installs: DEBIAN_INSTALLS };
    const { system, runs, logs } = fake(machine);
    expect(ensureSystemDeps(REQUIREMENTS.test, system, {})).toEqual({
      ok: true,
      installed: ['openjdk-17-jre-headless', 'chromium', 'poppler-utils'],
    });
    expect(runs).toEqual([
      'apt-get update -qq',
      'mkdir -p /usr/share/man/man1', // openjdk's postinst fails without it on slim images
      'apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless chromium poppler-utils',
    ]);
    expect(logs.join('\n')).toMatch(/Installing openjdk-17-jre-headless chromium poppler-utils/);
  });

  it('where openjdk-17 is gone (Debian 13), takes default-jre-headless since it is Java 17 or later', () => {
    const machine: Machine = { ...complete, java: undefined, candidates: TRIXIE, installs: DEBIAN_INSTALLS };
    const { system, runs } = fake(machine);
    expect(ensureSystemDeps(REQUIREMENTS.start, system, {})).toEqual({ ok: true, installed: ['default-jre-headless'] });
    expect(runs).toEqual([
      'apt-get update -qq',
      'mkdir -p /usr/share/man/man1',
      'apt-get install -y -qq --no-install-recommends default-jre-headless',
    ]);
  });

  it('does not take a default-jre-headless older than 17', () => {
    const machine: Machine = { candidates: { 'default-jre-headless': '2:1.11-72' } };
    const outcome = ensureSystemDeps(REQUIREMENTS.start, fake(machine).system, {});
    expect(outcome.ok).toBe(false);
  });

  it('installs only what is missing (poppler alone)', () => {
    const machine: Machine = { ...complete, poppler: [], candidates: BOOKWORM, installs: DEBIAN_INSTALLS };
    const { system, runs } = fake(machine);
    expect(ensureSystemDeps(REQUIREMENTS.test, system, {})).toEqual({ ok: true, installed: ['poppler-utils'] });
    expect(runs).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends poppler-utils']);
  });

  it('installs a JDK when the Java runtime lacks jdk.compiler', () => {
    const machine: Machine = {
      ...complete,
      java: { major: 17, compiler: false },
      candidates: BOOKWORM,
      installs: { 'openjdk-17-jdk-headless': (m) => (m.java = { major: 17, compiler: true }) },
    };
    const { system, runs } = fake(machine);
    expect(ensureSystemDeps(REQUIREMENTS.test, system, {})).toEqual({ ok: true, installed: ['openjdk-17-jdk-headless'] });
    expect(runs).toEqual([
      'apt-get update -qq',
      'mkdir -p /usr/share/man/man1',
      'apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless',
    ]);
  });

  it('takes a second round for what the first could not mend (a JRE without jdk.compiler)', () => {
    const machine: Machine = {
      ...complete,
      java: undefined,
      candidates: BOOKWORM,
      installs: {
        'openjdk-17-jre-headless': (m) => (m.java = { major: 17, compiler: false }),
        'openjdk-17-jdk-headless': (m) => (m.java = { major: 17, compiler: true }),
      },
    };
    const { system, runs } = fake(machine);
    expect(ensureSystemDeps(REQUIREMENTS.start, system, {})).toEqual({
      ok: true,
      installed: ['openjdk-17-jre-headless', 'openjdk-17-jdk-headless'],
    });
    expect(runs.filter((r) => r.includes('update'))).toHaveLength(1);
  });

  it('stops, saying so, when the install did not mend it (another java first on the PATH)', () => {
    const machine: Machine = { ...complete, java: { major: 11, compiler: true }, candidates: BOOKWORM, installs: {} };
    const outcome = ensureSystemDeps(REQUIREMENTS.start, fake(machine).system, {});
    expect(outcome).toMatchObject({ ok: false });
    expect(!outcome.ok && outcome.message).toMatch(/still missing[\s\S]*update-alternatives/);
  });

  it('stops with the command to run when apt-get fails', () => {
    const machine: Machine = { candidates: BOOKWORM, failOn: 'chromium' };
    const outcome = ensureSystemDeps(REQUIREMENTS.test, fake(machine).system, {});
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.message).toContain('apt-get failed (E: Unable to locate package chromium)');
    expect(!outcome.ok && outcome.message).toContain(aptCommand(['openjdk-17-jre-headless', 'chromium', 'poppler-utils'], true));
  });
});

describe('system-deps: otherwise stops at once with the exact command', () => {
  it('not root: installs nothing and gives the sudo apt-get command', () => {
    const machine: Machine = { root: false, java: undefined, poppler: [], chromium: false, candidates: BOOKWORM };
    const { system, runs } = fake(machine);
    const outcome = ensureSystemDeps(REQUIREMENTS.test, system, {});
    expect(runs).toEqual([]);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.message).toContain(
      'sudo apt-get update && sudo apt-get install -y --no-install-recommends openjdk-17-jre-headless chromium poppler-utils',
    );
  });

  it('no apt-get: names what to install, runs nothing', () => {
    const { system, runs } = fake({ apt: false, java: undefined });
    const outcome = ensureSystemDeps(REQUIREMENTS.start, system, {});
    expect(runs).toEqual([]);
    expect(!outcome.ok && outcome.message).toMatch(/No apt-get here: .*on Debian: openjdk-17-jre-headless/);
  });

  it("a CHROMIUM_PATH that does not exist is not apt's to mend: stops even as root", () => {
    const { system, runs } = fake({ ...complete });
    const outcome = ensureSystemDeps(REQUIREMENTS.test, system, { CHROMIUM_PATH: '/opt/chrome/chrome' });
    expect(runs).toEqual([]);
    expect(!outcome.ok && outcome.message).toMatch(/CHROMIUM_PATH=\/opt\/chrome\/chrome is not an executable file/);
  });

  it('npm start on a machine with Chromium and poppler but no Java asks for Java only', () => {
    const outcome = ensureSystemDeps(
      REQUIREMENTS.start,
      fake({ ...complete, java: undefined, root: false, candidates: BOOKWORM }).system,
      {},
    );
    expect(!outcome.ok && outcome.message).toMatch(/install -y --no-install-recommends openjdk-17-jre-headless$/m);
  });
});
