#!/usr/bin/python3
# MIT GSS-API through python3-gssapi, driven over stdin/stdout: one JSON request per line, one JSON
# answer per line. The test (gss-python.test.ts) sets KRB5_CONFIG, KRB5CCNAME and KRB5_KTNAME.
import base64
import json
import sys

import gssapi
import gssapi.raw as raw

KRB5 = gssapi.OID.from_int_seq('1.2.840.113554.1.2.2')
SPNEGO = gssapi.OID.from_int_seq('1.3.6.1.5.5.2')
# GSS_C_INQ_SSPI_SESSION_KEY: MIT returns the key that protects per-message tokens.
SESSION_KEY = gssapi.OID.from_int_seq('1.2.840.113554.1.2.2.5.5')

FLAGS = {
    'deleg': gssapi.RequirementFlag.delegate_to_peer,
    'mutual': gssapi.RequirementFlag.mutual_authentication,
    'replay': gssapi.RequirementFlag.replay_detection,
    'sequence': gssapi.RequirementFlag.out_of_sequence_detection,
    'conf': gssapi.RequirementFlag.confidentiality,
    'integ': gssapi.RequirementFlag.integrity,
}

b64 = lambda data: None if data is None else base64.b64encode(data).decode()
unb64 = lambda text: base64.b64decode(text)

ctx = None


def bindings(req):
    if 'cb' not in req:
        return None
    return raw.ChannelBindings(application_data=unb64(req['cb']))


def handle(req):
    global ctx
    op = req['op']
    mech = SPNEGO if req.get('mech') == 'spnego' else KRB5
    if op == 'init':
        name = gssapi.Name(req['target'], gssapi.NameType.kerberos_principal)
        flags = [FLAGS[f] for f in req.get('flags', ['mutual', 'replay', 'sequence', 'conf', 'integ'])]
        ctx = gssapi.SecurityContext(name=name, mech=mech, flags=flags, usage='initiate',
                                     channel_bindings=bindings(req))
        return {'token': b64(ctx.step())}
    if op == 'accept':
        if ctx is None:
            ctx = gssapi.SecurityContext(creds=gssapi.Credentials(usage='accept'),
                                         channel_bindings=bindings(req))
        token = ctx.step(unb64(req['token']))
        return {'token': b64(token), 'complete': ctx.complete,
                'initiator': str(ctx.initiator_name) if ctx.complete else None,
                'mech': str(ctx.mech) if ctx.complete else None}
    if op == 'step':
        token = ctx.step(unb64(req['token']))
        return {'token': b64(token), 'complete': ctx.complete}
    if op == 'mic':
        return {'token': b64(ctx.get_signature(unb64(req['msg'])))}
    if op == 'verify':
        ctx.verify_signature(unb64(req['msg']), unb64(req['token']))
        return {'ok': True}
    if op == 'wrap':
        return {'token': b64(ctx.wrap(unb64(req['msg']), req['conf']).message)}
    if op == 'unwrap':
        res = ctx.unwrap(unb64(req['token']))
        return {'msg': b64(res.message), 'conf': res.encrypted}
    if op == 'key':
        data = raw.inquire_sec_context_by_oid(ctx, SESSION_KEY)
        return {'key': b64(data[0]), 'keytype': int.from_bytes(data[1][-4:], 'little') if len(data) > 1 else None}
    if op == 'reset':
        ctx = None
        return {'ok': True}
    raise ValueError('unknown op ' + op)


for line in sys.stdin:
    req = json.loads(line)
    try:
        out = handle(req)
    except gssapi.exceptions.GSSError as e:
        out = {'error': type(e).__name__, 'detail': str(e)}
    except Exception as e:  # a bug in the test, not a peer answer
        out = {'error': 'Exception', 'detail': repr(e)}
    sys.stdout.write(json.dumps(out) + '\n')
    sys.stdout.flush()
