// The README examples, as a new user meets them: every code block marked `example=NAME` in README.md,
// packages/*/README.md and docs/*.md is run as written from the packed packages (`pnpm pack`, whose prepack
// builds each package, writing packages/*/dist), installed with plain npm into an empty project (the tarballs,
// third-party dependencies from the npm cache or registry). ES module examples run as .mjs and as CommonJS
// (imports turned into require(), the rest wrapped in an async function), against Samba, MIT's KDC, Apache +
// mod_auth_gssapi and MIT curl; all are type-checked by tsc --strict (module nodenext) against the installed
// declarations (.d.ts for the ES modules, .d.cts through checkJs for the CommonJS forms).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Apache, describeInterop, MitClient, run, startApache, uniqueName } from '../peers';
import { createGatewayPki } from '../peers/pki';

const root = fileURLToPath(new URL('../../', import.meta.url));
const exec = promisify(execFile);

type Format = 'esm' | 'cjs' | 'sh';

interface Example {
  name: string;
  /** Where it is, for messages: `packages/gss/README.md:52`. */
  where: string;
  /** The packages its document's `npm install` commands install. */
  installed: string[];
  code: string;
  /** `esm` examples have import statements (and run both ways); `cjs` ones call require(); `sh` is a shell script. */
  kind: Format;
}

const FENCE = /^```(\w+) example=([a-z0-9-]+)\n([\s\S]*?)^```$/gm;

function readExamples(): Example[] {
  const documents = [
    'README.md',
    ...readdirSync(join(root, 'packages')).map((name) => `packages/${name}/README.md`),
    ...readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  const examples: Example[] = [];
  for (const document of documents) {
    let text: string;
    try {
      text = readFileSync(join(root, document), 'utf8');
    } catch {
      continue; // a package without a README
    }
    const installed = [...text.matchAll(/^npm install (.*)$/gm)].flatMap(([, args = '']) =>
      args.split(/\s+/).filter((word) => /^[@a-z]/.test(word)),
    );
    for (const match of text.matchAll(FENCE)) {
      const [, language, name = '', code = ''] = match;
      const line = text.slice(0, match.index).split('\n').length;
      examples.push({
        name,
        where: `${document}:${line}`,
        installed,
        code,
        kind: language === 'sh' ? 'sh' : /^import /m.test(code) ? 'esm' : 'cjs',
      });
    }
  }
  return examples;
}

/** The CommonJS form of an ES module example. */
function toCommonJs(code: string): string {
  const requires: string[] = [];
  const body = code.replace(/^import \{([^}]*)\} from '([^']+)';\n/gm, (_, names: string, from: string) => {
    requires.push(`const {${names.replace(/\s+as\s+/g, ': ')}} = require('${from}');`);
    return '';
  });
  if (/^import /m.test(body)) throw new Error(`an import this test cannot turn into require():\n${body}`);
  return `${requires.join('\n')}\n(async () => {\n${body}})();\n`;
}

const examples = readExamples();

/** The packages a program imports or requires: `@scope/name` or `name`, without subpaths and node: modules. */
function importedPackages(code: string): string[] {
  const specifiers = [...code.matchAll(/(?:from |require\()'([^']+)'/g)].map(
    ([, specifier = '']) => specifier,
  );
  return specifiers
    .filter((specifier) => !specifier.startsWith('node:'))
    .map((specifier) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

// pnpm (unlike npm's flat node_modules) lets a program import only what it installed itself.
it('each example imports only packages its document tells the reader to install', () => {
  for (const example of examples) {
    for (const name of importedPackages(example.code)) {
      expect(example.installed, `${example.where} imports ${name}`).toContain(name);
    }
  }
});

describeInterop(
  'the README examples, as written, from the packed packages installed with npm',
  ['samba', 'mit-kdc', 'mit-client', 'apache', 'curl'],
  (peers) => {
    const backendHost = 'mail.kerbkit.test'; // in /etc/hosts (scripts/setup.sh); no other suite uses its SPN
    const spn = `HTTP/${backendHost}`;
    const samba = { user: uniqueName('rx-u'), gateway: uniqueName('rx-gw'), backend: uniqueName('rx-be') };
    const mit = {
      user: uniqueName('rx-u'),
      service: uniqueName('rx-svc'),
      spn: `HTTP/${uniqueName('rx')}.kerbkit.test`,
    };
    let project: string;
    let sambaDir: MitClient;
    let mitDir: MitClient;
    let apache: Apache;
    let pkiRemove = () => {};

    /** The packed packages, installed by npm into an empty project (about 90 s on an idle 2-core machine). */
    async function installTarballs(): Promise<void> {
      const tarballs = join(project, 'tarballs');
      await run('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', tarballs], {
        cwd: root,
        timeoutMs: 900_000,
      });
      writeFileSync(join(project, 'package.json'), '{ "name": "readme-examples", "private": true }\n');
      const files = readdirSync(tarballs).map((name) => join(tarballs, name));
      // Plain npm, as a user runs it: none of the npm_* settings pnpm passes to the test process.
      const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
      await exec(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files, '@types/node@20'],
        { cwd: project, env, timeout: 300_000 },
      );
    }

    beforeAll(async () => {
      project = mkdtempSync(join(tmpdir(), 'kk-readme-'));
      mkdirSync(join(project, 'examples'));
      const setUpSamba = async () => {
        const dc = peers.samba;
        await dc.createUser(samba.user);
        await dc.createUser(samba.backend, { spns: [spn], enctypes: 'aes' });
        await dc.createDelegatingService(samba.gateway, [spn]);
        sambaDir = new MitClient([dc]);
        await dc.exportKeytab(samba.gateway, join(sambaDir.dir, 'gateway.keytab'));
        await dc.exportKeytab(samba.backend, join(sambaDir.dir, 'backend.keytab'));
        // The user's cache: a TGT and a ticket for the backend, from MIT's kinit and kvno.
        await sambaDir.kinit(`${samba.user}@${dc.realm}`, `${samba.user}-Pass-1`);
        await sambaDir.kvno([spn]);
        apache = await startApache({
          keytab: join(sambaDir.dir, 'backend.keytab'),
          krb5Conf: sambaDir.env.KRB5_CONFIG,
        });
      };
      const setUpMit = async () => {
        const kdc = peers.mit;
        await kdc.addPrincipal(mit.user, { password: `${mit.user}-Pass-1` });
        await kdc.addPrincipal(mit.service);
        await kdc.addPrincipal(mit.spn);
        mitDir = new MitClient([kdc]);
        await kdc.exportKeytab(`${mit.service}@${kdc.realm}`, join(mitDir.dir, 'service.keytab'));
        await mitDir.kinit(`${mit.user}@${kdc.realm}`, `${mit.user}-Pass-1`);
      };
      const makePki = () => {
        const pki = createGatewayPki({
          serverName: 'seg.kerbkit.test',
          devices: { alice: { upn: 'alice@corp.example.test' } },
        });
        pkiRemove = () => pki.remove();
        copyFileSync(pki.issuingCa, join(project, 'issuing-ca.pem'));
        copyFileSync(pki.issuingCrl, join(project, 'issuing-ca.crl'));
        copyFileSync(pki.device('alice').cert, join(project, 'device.pem'));
      };
      makePki();
      await Promise.all([installTarballs(), setUpSamba(), setUpMit()]);
    }, 1_200_000);

    afterAll(async () => {
      await apache?.stop();
      sambaDir?.cleanup();
      mitDir?.cleanup();
      pkiRemove();
      if (project) rmSync(project, { recursive: true, force: true });
    });

    type Kdc = 'samba' | 'mit';
    type Env = Record<string, string | undefined>;

    /** The environment the examples read (docs/install.md), for a KDC; the cache is a fresh copy per run. */
    function exampleEnv(kdc: Kdc, run = mkdtempSync(join(project, 'run-'))): Env {
      const dir = kdc === 'samba' ? sambaDir : mitDir;
      const realm = kdc === 'samba' ? peers.samba.realm : peers.mit.realm;
      copyFileSync(dir.ccache, join(run, 'krb5cc'));
      return {
        KRB5_CONFIG: dir.env.KRB5_CONFIG,
        KRB5CCNAME: `FILE:${join(run, 'krb5cc')}`,
        ...(kdc === 'samba'
          ? {
              KRB5_KTNAME: `FILE:${join(dir.dir, 'gateway.keytab')}`,
              PRINCIPAL: `${samba.gateway}@${realm}`,
              SPN: spn,
              IMPERSONATE: `${samba.user}@${realm}`,
              URL: apache.url('/Microsoft-Server-ActiveSync', backendHost),
            }
          : {
              KRB5_KTNAME: `FILE:${join(dir.dir, 'service.keytab')}`,
              PRINCIPAL: `${mit.service}@${realm}`,
              SPN: mit.spn,
            }),
      };
    }

    /** Writes the example in the form asked for into the project; its path. */
    function exampleFile(example: Example, format: Format): string {
      const file = join(
        project,
        'examples',
        `${example.name}.${{ esm: 'mjs', cjs: 'cjs', sh: 'sh' }[format]}`,
      );
      writeFileSync(
        file,
        format === 'cjs' && example.kind === 'esm' ? toCommonJs(example.code) : example.code,
      );
      return file;
    }

    function runNode(file: string, env: Env) {
      return run(process.execPath, [file], {
        cwd: project,
        env: { ...env, NODE_OPTIONS: '' },
        timeoutMs: 60_000,
        allowFailure: true,
      });
    }

    /** klist of a cache the example wrote: the default principal and the servers, as MIT reads them. */
    async function mitKlist(env: Env) {
      const { stdout } = await run('klist', ['-c', env.KRB5CCNAME ?? ''], {
        env: { KRB5_CONFIG: env.KRB5_CONFIG },
      });
      return stdout;
    }

    /** Each example: the KDCs it runs against and what it must print (and leave behind). */
    const cases: Record<
      string,
      { kdcs: Kdc[]; check: (example: Example, format: Format, kdc: Kdc) => Promise<void> }
    > = {};
    const keytabLogin = async (example: Example, format: Format, kdc: Kdc) => {
      const env = exampleEnv(kdc);
      const result = await runNode(exampleFile(example, format), env);
      expect(result.code, result.stderr).toBe(0);
      const realm = kdc === 'samba' ? peers.samba.realm : peers.mit.realm;
      expect(result.stdout).toMatch(new RegExp(`^${env.SPN}@${realm} valid until \\d{4}-\\d\\d-\\d\\dT`));
      return { env, result, realm };
    };
    cases.library = {
      kdcs: ['samba', 'mit'],
      check: async (example, format, kdc) => {
        const { env, result, realm } = await keytabLogin(example, format, kdc);
        expect(result.stdout.split('\n')[1]).toBe('hi');
        const listing = await mitKlist(env);
        expect(listing).toContain(`Default principal: ${env.PRINCIPAL}`);
        expect(listing).toContain(`krbtgt/${realm}@${realm}`);
        expect(listing).toContain(`${env.SPN}@${realm}`);
      },
    };
    cases.umbrella = { kdcs: ['samba', 'mit'], check: async (...args) => void (await keytabLogin(...args)) };
    cases.commonjs = {
      kdcs: ['samba', 'mit'],
      check: async (example, format, kdc) => {
        const result = await runNode(exampleFile(example, format), exampleEnv(kdc));
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toMatch(/^TGT valid until \d{4}-/);
      },
    };
    cases['client-password'] = {
      kdcs: ['samba', 'mit'],
      check: async (example, format, kdc) => {
        const user = kdc === 'samba' ? samba.user : mit.user;
        const realm = kdc === 'samba' ? peers.samba.realm : peers.mit.realm;
        const env: Env = { ...exampleEnv(kdc), PRINCIPAL: `${user}@${realm}`, PASSWORD: `${user}-Pass-1` };
        const result = await runNode(exampleFile(example, format), env);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toBe(`${user}@${realm} has a ticket for ${env.SPN}@${realm}\n`);
        const listing = await mitKlist(env);
        expect(listing).toContain(`Default principal: ${user}@${realm}`);
        expect(listing).toContain(`${env.SPN}@${realm}`);
      },
    };
    cases['client-s4u'] = {
      kdcs: ['samba'],
      check: async (example, format) => {
        const result = await runNode(exampleFile(example, format), exampleEnv('samba'));
        expect(result.code, result.stderr).toBe(0);
        const realm = peers.samba.realm;
        expect(result.stdout.trim().split('\n')).toEqual([
          'cache miss',
          'cache exchange',
          'cache exchange',
          `${samba.user}@${realm} to ${spn}@${realm} via ${samba.gateway}@${realm}`,
        ]);
      },
    };
    const answeredAs = (line: string | undefined) => {
      const match = /^200 (.*)$/.exec(line ?? '');
      return match ? (JSON.parse(match[1] ?? '') as { user: string }).user : line;
    };
    cases['gss-fetch'] = {
      kdcs: ['samba'],
      check: async (example, format) => {
        const result = await runNode(exampleFile(example, format), exampleEnv('samba'));
        expect(result.code, result.stderr).toBe(0);
        expect(answeredAs(result.stdout.trim()), apache.logs()).toBe(`${samba.user}@${peers.samba.realm}`);
      },
    };
    cases['gss-s4u'] = {
      kdcs: ['samba'],
      check: async (example, format) => {
        const result = await runNode(exampleFile(example, format), exampleEnv('samba'));
        expect(result.code, result.stderr).toBe(0);
        const user = `${samba.user}@${peers.samba.realm}`;
        expect(result.stdout.split('\n').filter(Boolean).map(answeredAs), apache.logs()).toEqual([
          user,
          user,
        ]);
      },
    };
    cases['gss-server'] = {
      kdcs: ['samba'],
      check: async (example, format) => {
        const env = {
          ...exampleEnv('samba'),
          KRB5_KTNAME: `FILE:${join(sambaDir.dir, 'backend.keytab')}`,
          PORT: '0',
        };
        const server = spawn(process.execPath, [exampleFile(example, format)], {
          cwd: project,
          env: { ...process.env, ...env, NODE_OPTIONS: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        try {
          const port = (await printed(server, /listening on .*port: (\d+)/))[1];
          // MIT curl --negotiate with the user's cache, for HTTP/mail.kerbkit.test.
          const answer = await sambaDir.curlNegotiate(`http://${backendHost}:${port}/`);
          expect(answer).toEqual({ status: 200, body: `hello ${samba.user}@${peers.samba.realm}\n` });
        } finally {
          server.kill();
        }
      },
    };
    cases.pac = {
      kdcs: ['samba'],
      check: async (example, format) => {
        const env = { ...exampleEnv('samba'), KRB5_KTNAME: `FILE:${join(sambaDir.dir, 'backend.keytab')}` };
        const result = await runNode(exampleFile(example, format), env);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain(`user: '${samba.user}'`);
        expect(result.stdout).toContain("logonDomain: 'KERBKIT'");
        expect(result.stdout).toMatch(/userSid: 'S-1-5-21-\d+-\d+-\d+-\d+'/);
      },
    };
    cases.files = {
      kdcs: ['samba'],
      check: async (example, format) => {
        const result = await runNode(exampleFile(example, format), exampleEnv('samba'));
        expect(result.code, result.stderr).toBe(0);
        const realm = peers.samba.realm;
        expect(result.stdout).toContain(`${realm} [ '${peers.samba.kdc}' ]`);
        expect(result.stdout).toContain(`${samba.gateway}@${realm} (18)`);
        expect(result.stdout).toContain(`'krbtgt/${realm}@${realm}'`);
        expect(result.stdout).toContain(`'${spn}@${realm}'`);
      },
    };
    cases.cli = {
      kdcs: ['samba'],
      check: async (example) => {
        const dir = mkdtempSync(join(project, 'run-'));
        copyFileSync(join(sambaDir.dir, 'backend.keytab'), join(dir, 'backend.keytab'));
        const env = { ...exampleEnv('samba', dir), PASSWORD: `${samba.gateway}-Pass-1` };
        const result = await run('bash', ['-e', '-o', 'pipefail', exampleFile(example, 'sh')], {
          cwd: dir,
          env: {
            ...env,
            PATH: `${join(project, 'node_modules', '.bin')}:${process.env.PATH}`,
            NODE_OPTIONS: '',
          },
          allowFailure: true,
        });
        expect(result.code, result.stderr).toBe(0);
        const realm = peers.samba.realm;
        const user = `${samba.user}@${realm}`;
        expect(result.stdout).toContain(`${samba.gateway}@${realm} (aes256-cts-hmac-sha1-96)`);
        expect(result.stdout).toContain(`Default principal: ${user}`);
        expect(result.stdout).toContain(`"user": "${user}"`);
        expect(result.stdout).toContain(`PAC: user KERBKIT\\${samba.user}, SID S-1-5-21-`);
      },
    };
    const selfContained = (expected: RegExp, stream: 'stdout' | 'stderr' = 'stdout') => ({
      kdcs: ['samba'] as Kdc[],
      check: async (example: Example, format: Format) => {
        const result = await runNode(exampleFile(example, format), {});
        expect(result.code, result.stderr).toBe(0);
        expect(result[stream]).toMatch(expected);
      },
    });
    cases.asn1 = selfContained(/^KDC_ERR_PREAUTH_REQUIRED\nASN1_TRUNCATED KRB-ERROR/);
    cases.errors = selfContained(
      /^EXAMPLE_REFUSED: the example refused\nhint: this is how to fix it\n$/,
      'stderr',
    );
    cases.crypto = selfContained(/^attack at dawn [0-9a-f]{24}\n$/);
    cases.x509 = selfContained(
      /^alice@CORP\.EXAMPLE\.TEST\n\{\s+nameType: 10,\s+nameString: \[ 'alice@corp\.example\.test' \],\s+realm: 'CORP\.EXAMPLE\.TEST'\s+\}\n$/,
    );

    it('finds the marked examples, each with a case here and each case with an example', () => {
      const names = examples.map((e) => e.name);
      expect(new Set(names).size, 'example names are unique').toBe(names.length);
      expect([...names].sort()).toEqual(Object.keys(cases).sort());
    });

    for (const example of examples) {
      const formats = example.kind === 'esm' ? (['esm', 'cjs'] as const) : [example.kind];
      for (const kdc of cases[example.name]?.kdcs ?? []) {
        for (const format of formats) {
          it(`${example.name} (${example.where}) as ${{ esm: 'an ES module', cjs: 'CommonJS', sh: 'a shell script' }[format]} against ${kdc}`, async () => {
            await cases[example.name]?.check(example, format, kdc);
          });
        }
      }
    }

    it('every example type-checks under tsc --strict (nodenext) against the installed declarations', async () => {
      const dir = join(project, 'typecheck');
      mkdirSync(dir, { recursive: true });
      for (const example of examples) {
        if (example.kind === 'esm') {
          writeFileSync(join(dir, `${example.name}.mts`), example.code);
          writeFileSync(join(dir, `${example.name}.cjs`), toCommonJs(example.code));
        } else if (example.kind === 'cjs') writeFileSync(join(dir, `${example.name}.cjs`), example.code);
      }
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noUncheckedIndexedAccess: true,
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            types: ['node'],
            allowJs: true,
            checkJs: true,
            noEmit: true,
          },
          include: ['typecheck'],
        }),
      );
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      const result = await run(process.execPath, [tsc, '-p', project], {
        cwd: project,
        allowFailure: true,
        timeoutMs: 300_000,
      });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.code).toBe(0);
    });

    it('the kerbkit command runs from the install: --version, --help', async () => {
      const bin = join(project, 'node_modules', '.bin', 'kerbkit');
      const version = await run(bin, ['--version'], { cwd: project });
      expect(version.stdout).toMatch(/^kerbkit \d+\.\d+\.\d+\n$/);
      const help = await run(bin, ['--help'], { cwd: project });
      for (const command of ['kinit', 'klist', 'kvno', 'ktutil', 'http', 'serve', 'cert-identity']) {
        expect(help.stdout).toContain(command);
      }
    });
  },
);

/** Resolves with the match once `child` printed a line matching `pattern` on stdout; rejects when it exits first. */
function printed(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d) => {
      err += d;
    });
    child.stdout?.on('data', (d) => {
      out += d;
      const match = pattern.exec(out);
      if (match) resolve(match);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before printing ${pattern}: ${err}${out}`)));
  });
}
