// A user and a service in the run's MIT KDC, with MIT client tools of their own: the set-up of the suites
// that get a TGT with MIT kinit and a service ticket with MIT kvno.
import { afterAll, beforeAll } from 'vitest';
import { MitClient } from './mit-client';
import { type InteropPeers, uniqueName } from './require-peer';

export interface MitUserAndService {
  /** The user's name, without the realm; it needs pre-authentication (`+requires_preauth`). */
  readonly user: string;
  readonly password: string;
  /** `HTTP/<unique>.kerbkit.test`, a random key. */
  readonly service: string;
  /** MIT kinit, kvno and klist in a private directory (set in `beforeAll`, removed in `afterAll`). */
  readonly client: MitClient;
}

/** Adds both principals and makes the client in `beforeAll`; names are `<prefix>user-…` and `<prefix>svc-…`. */
export function useMitUserAndService(
  peers: InteropPeers,
  prefix: string,
  password: string,
): MitUserAndService {
  const user = uniqueName(`${prefix}user`);
  const service = `HTTP/${uniqueName(`${prefix}svc`)}.kerbkit.test`;
  let client: MitClient | undefined;
  beforeAll(async () => {
    await peers.mit.addPrincipal(user, { password, flags: ['+requires_preauth'] });
    await peers.mit.addPrincipal(service);
    client = new MitClient([peers.mit]);
  });
  afterAll(() => client?.cleanup());
  return {
    user,
    password,
    service,
    get client() {
      if (!client) throw new Error('useMitUserAndService: the client is made in beforeAll');
      return client;
    },
  };
}
