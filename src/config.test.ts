import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from './config';

const base = {
  listen: '127.0.0.1:8443',
  tls: { cert: 'server.pem', key: 'server.key', clientCa: ['issuing-ca.pem'] },
  identity: { source: 'upn', allowedRealms: ['KERBKIT.TEST'] },
  kerberos: {
    realm: 'KERBKIT.TEST',
    kdcs: ['127.0.0.3:1088', '127.0.0.1:88'],
    principal: 'seg-svc@KERBKIT.TEST',
    keytab: 'seg.keytab',
  },
  backend: { url: 'http://eas.kerbkit.test:8080' },
  admin: { listen: '127.0.0.1:9464' },
};

/** `base` with `patch` applied at a dotted path (undefined deletes the key). */
function withKey(path: string, value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys.at(-1) as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

function refusal(raw: unknown): ConfigError {
  try {
    parseConfig(raw, '/etc/kerbkit');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    expect((error as ConfigError).hint).toBeTruthy();
    return error as ConfigError;
  }
  throw new Error('the configuration was accepted');
}

describe('parseConfig', () => {
  it('accepts the contract example, fills defaults and resolves paths against the base directory', () => {
    const config = parseConfig(base, '/etc/kerbkit');
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(config.tls).toEqual({
      cert: '/etc/kerbkit/server.pem',
      key: '/etc/kerbkit/server.key',
      clientCa: ['/etc/kerbkit/issuing-ca.pem'],
      crl: [],
    });
    expect(config.kerberos.keytab).toBe('/etc/kerbkit/seg.keytab');
    expect(config.kerberos.kdcs).toEqual(['127.0.0.3:1088', '127.0.0.1:88']);
    expect(config.kerberos.cache).toEqual({
      maxEntries: 100_000,
      negativeTtlSeconds: 30,
      refreshMarginSeconds: 300,
    });
    expect(config.routes.map((r) => [r.path, r.backend.url.href, r.backend.spn])).toEqual([
      ['/Microsoft-Server-ActiveSync', 'http://eas.kerbkit.test:8080/', 'HTTP/eas.kerbkit.test'],
      ['/autodiscover', 'http://eas.kerbkit.test:8080/', 'HTTP/eas.kerbkit.test'],
    ]);
    expect(config.limits).toEqual({
      maxBodyBytes: 52_428_800,
      requestTimeoutSeconds: 3600,
      backendConnectionsPerUser: 10,
      requestsPerUser: 50,
      maxConnections: 10_000,
      connectionsPerAddress: undefined,
    });
    expect(config.admin).toEqual({ listen: { host: '127.0.0.1', port: 9464 } });
    expect(config.log.level).toBe('info');
  });

  it('takes port 0, IPv6 listeners, a single CA file, routes with their own backend and SPN', () => {
    const config = parseConfig(
      {
        ...base,
        listen: '[::1]:0',
        tls: { ...base.tls, clientCa: 'ca.pem', crl: ['/abs/ca.crl'] },
        backend: undefined,
        routes: [
          {
            path: '/Microsoft-Server-ActiveSync/',
            backend: { url: 'https://mail:443', spn: 'HTTP/mail.corp', ca: 'b.pem' },
          },
          { path: '/autodiscover', backend: { url: 'http://ad.corp' } },
        ],
      },
      '/cfg',
    );
    expect(config.listen).toEqual({ host: '::1', port: 0 });
    expect(config.tls.clientCa).toEqual(['/cfg/ca.pem']);
    expect(config.tls.crl).toEqual(['/abs/ca.crl']);
    expect(config.routes[0]).toMatchObject({
      path: '/Microsoft-Server-ActiveSync',
      backend: { spn: 'HTTP/mail.corp', ca: ['/cfg/b.pem'] },
    });
    expect(config.routes[1]?.backend.spn).toBe('HTTP/ad.corp');
  });

  it('names an unknown key by its full path', () => {
    expect(refusal(withKey('kerberos.kdc', ['dc1'])).message).toContain('unknown key kerberos.kdc');
    expect(refusal(withKey('listen_port', 1)).message).toContain('unknown key listen_port');
    expect(refusal(withKey('backend.sp', 'x')).message).toContain('unknown key backend.sp');
  });

  it('names a missing required key', () => {
    expect(refusal(withKey('kerberos.keytab', undefined)).message).toContain('kerberos.keytab:');
    expect(refusal(withKey('tls', undefined)).message).toContain('tls:');
    expect(refusal(withKey('listen', undefined)).message).toContain('listen:');
  });

  it('names a value of the wrong type', () => {
    expect(refusal(withKey('kerberos.kdcs', 'dc1:88')).message).toContain('kerberos.kdcs:');
    expect(refusal(withKey('limits', { maxBodyBytes: 'big' })).message).toContain('limits.maxBodyBytes:');
  });

  it('names a bad value inside a list by its index', () => {
    const error = refusal(withKey('kerberos.kdcs', ['dc1:88', 'dc2:99999']));
    expect(error.message).toContain('kerberos.kdcs[1]:');
    expect(error.message).toContain("port '99999'");
    expect(refusal(withKey('identity.allowedRealms', ['A.TEST', ''])).message).toContain(
      'identity.allowedRealms[1]:',
    );
  });

  it('refuses bad enumerations, addresses, URLs, SPNs and principals', () => {
    expect(refusal(withKey('identity.source', 'cn')).message).toContain('identity.source:');
    expect(refusal(withKey('listen', '8443')).message).toContain('listen: "8443" is not host:port');
    expect(refusal(withKey('admin.listen', 'h:70000')).message).toContain('admin.listen:');
    expect(refusal(withKey('backend.url', 'ftp://eas')).message).toContain('backend.url: must be an http');
    expect(refusal(withKey('backend.url', 'http://eas/?a=1')).message).toContain(
      'backend.url: must not have a query',
    );
    expect(refusal(withKey('backend.spn', 'eas.kerbkit.test')).message).toContain(
      'backend.spn: must be service/host',
    );
    expect(refusal(withKey('kerberos.principal', 'seg-svc')).message).toContain(
      'kerberos.principal: must be name@REALM',
    );
    expect(refusal(withKey('log', { level: 'loud' })).message).toContain('log.level:');
  });

  it('refuses out-of-range numbers', () => {
    expect(refusal(withKey('kerberos.timeoutMs', 5)).message).toContain('kerberos.timeoutMs:');
    expect(refusal(withKey('limits', { maxBodyBytes: -1 })).message).toContain('limits.maxBodyBytes:');
    expect(refusal(withKey('limits', { connectionsPerAddress: 0 })).message).toContain(
      'limits.connectionsPerAddress:',
    );
    expect(refusal(withKey('kerberos.cache', { maxEntries: 0 })).message).toContain(
      'kerberos.cache.maxEntries:',
    );
  });

  it('refuses empty lists and empty strings', () => {
    expect(refusal(withKey('kerberos.kdcs', [])).message).toContain(
      'kerberos.kdcs: must list at least one KDC',
    );
    expect(refusal(withKey('tls.clientCa', [])).message).toContain('tls.clientCa:');
    expect(refusal(withKey('tls.cert', '  ')).message).toContain('tls.cert: must not be empty');
  });

  it('refuses a route with no backend when there is no top-level backend', () => {
    const raw = {
      ...base,
      backend: undefined,
      routes: [{ path: '/eas', backend: { url: 'http://a' } }, { path: '/b' }],
    };
    expect(refusal(raw).message).toContain('routes[1].backend: missing');
    expect(refusal({ ...base, backend: undefined }).message).toContain('routes[0].backend: missing');
    expect(refusal(withKey('routes', [{ path: 'eas' }])).message).toContain('routes[0].path:');
  });

  it('reports every problem at once, and a document that is not an object', () => {
    const raw = withKey('kerberos.realm', undefined) as Record<string, unknown>;
    raw.extra = true;
    const message = refusal(raw).message;
    expect(message).toContain('kerberos.realm:');
    expect(message).toContain('unknown key extra');
    expect(refusal('listen: 1').message).toContain('(top level)');
    expect(refusal(null).message).toContain('(top level)');
  });
});

describe('loadConfig', () => {
  async function file(name: string, content: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'kerbkit-config-'));
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  it('reads YAML and resolves paths against the file directory', async () => {
    const path = await file(
      'gateway.yaml',
      `listen: 127.0.0.1:0
tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }
kerberos: { realm: KERBKIT.TEST, kdcs: [127.0.0.1:88], principal: seg@KERBKIT.TEST, keytab: seg.keytab }
backend: { url: 'http://127.0.0.1:8080' }
`,
    );
    const config = await loadConfig(path);
    expect(config.file).toBe(path);
    expect(config.kerberos.keytab).toBe(join(path, '..', 'seg.keytab'));
  });

  it('loads the configuration docs/gateway-config.md shows, as written', async () => {
    const guide = await readFile(new URL('../docs/gateway-config.md', import.meta.url), 'utf8');
    const yaml = /^```yaml\n([\s\S]*?)^```$/m.exec(guide)?.[1] ?? '';
    const config = await loadConfig(await file('gateway.yaml', yaml));
    expect(config.kerberos.kdcs).toHaveLength(2);
    expect(config.routes.map((route) => route.path)).toEqual([
      '/Microsoft-Server-ActiveSync',
      '/autodiscover',
    ]);
  });

  it('reads JSON', async () => {
    const config = await loadConfig(await file('gateway.json', JSON.stringify(base)));
    expect(config.identity.allowedRealms).toEqual(['KERBKIT.TEST']);
  });

  it('names the line of a syntax error, and refuses duplicate keys', async () => {
    await expect(loadConfig(await file('bad.yaml', 'listen: [\n'))).rejects.toThrow(
      /not valid YAML or JSON at line/,
    );
    await expect(loadConfig(await file('dup.yaml', 'listen: a:1\nlisten: b:2\n'))).rejects.toThrow(
      /not valid YAML or JSON/,
    );
  });

  it('names a missing file', async () => {
    await expect(loadConfig('/nonexistent/gateway.yaml')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('/nonexistent/gateway.yaml: cannot read'),
    });
  });
});
