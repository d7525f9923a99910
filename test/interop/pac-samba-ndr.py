# Samba's own NDR parser (python3-samba: samba.dcerpc.krb5pac, the code its KDC and smbd use) as a peer for
# kerbkit's PAC codec. stdin: a JSON list of hex PACs; stdout: a JSON list of what Samba decoded from each.
import json
import sys

from samba.dcerpc import krb5pac
from samba.ndr import ndr_unpack


def string(s):
    return None if s.string is None else s.string


def sid(value):
    return None if value is None else str(value)


def signed32(n):
    return n - (1 << 32) if n >= 1 << 31 else n


def rids(array):
    return [[g.rid, g.attributes] for g in (array.rids or [])][: array.count]


def logon_info(ctr):
    info = ctr.info
    base = info.info3.base
    return {
        'logonTime': str(base.logon_time),
        'logoffTime': str(base.logoff_time),
        'kickOffTime': str(base.kickoff_time),
        'passwordLastSet': str(base.last_password_change),
        'passwordCanChange': str(base.allow_password_change),
        'passwordMustChange': str(base.force_password_change),
        'effectiveName': string(base.account_name),
        'fullName': string(base.full_name),
        'logonScript': string(base.logon_script),
        'profilePath': string(base.profile_path),
        'homeDirectory': string(base.home_directory),
        'homeDirectoryDrive': string(base.home_drive),
        'logonCount': base.logon_count,
        'badPasswordCount': base.bad_password_count,
        'userId': base.rid,
        'primaryGroupId': base.primary_gid,
        'groupIds': rids(base.groups),
        'userFlags': base.user_flags,
        'userSessionKey': bytes(base.key.key).hex(),
        'logonServer': string(base.logon_server),
        'logonDomainName': string(base.logon_domain),
        'logonDomainId': sid(base.domain_sid),
        'userAccountControl': base.acct_flags,
        'subAuthStatus': base.sub_auth_status,
        'lastSuccessfulILogon': str(base.last_successful_logon),
        'lastFailedILogon': str(base.last_failed_logon),
        'failedILogonCount': base.failed_logon_count,
        'extraSids': [[str(s.sid), s.attributes] for s in (info.info3.sids or [])][: info.info3.sidcount],
        'resourceGroupDomainSid': sid(info.resource_groups.domain_sid),
        'resourceGroupIds': rids(info.resource_groups.groups),
    }


def upn_dns_info(u):
    out = {'upn': u.upn_name or '', 'dnsDomainName': u.dns_domain_name or '', 'flags': u.flags}
    if u.flags & krb5pac.PAC_UPN_DNS_FLAG_HAS_SAM_NAME_AND_SID:
        out['samName'] = u.ex.samaccountname or ''
        out['sid'] = str(u.ex.objectsid)
    return out


def buffer(b):
    t, i = b.type, b.info
    if t == krb5pac.PAC_TYPE_LOGON_INFO:
        return logon_info(i)
    if t == krb5pac.PAC_TYPE_LOGON_NAME:
        return {'clientId': str(i.logon_time), 'name': i.account_name}
    if t == krb5pac.PAC_TYPE_UPN_DNS_INFO:
        return upn_dns_info(i)
    if t in (krb5pac.PAC_TYPE_SRV_CHECKSUM, krb5pac.PAC_TYPE_KDC_CHECKSUM):
        return {'signatureType': signed32(i.type), 'signatureAndRodc': bytes(i.signature).hex()}
    if t == krb5pac.PAC_TYPE_REQUESTER_SID:
        return {'sid': str(i.sid)}
    if t == krb5pac.PAC_TYPE_CONSTRAINED_DELEGATION:
        d = i.info
        services = (d.transited_services or [])[: d.num_transited_services]
        return {'s4u2proxyTarget': string(d.proxy_target), 's4uTransitedServices': [string(s) for s in services]}
    if t == krb5pac.PAC_TYPE_ATTRIBUTES_INFO:
        return {'flagsLength': i.flags_length, 'flags': [i.flags]}
    return None


def decode(hexpac):
    try:
        pac = ndr_unpack(krb5pac.PAC_DATA, bytes.fromhex(hexpac))
    except Exception as e:  # Samba's NDR errors are RuntimeErrors with its own codes
        return {'error': str(e)}
    return {'version': pac.version, 'buffers': [{'type': b.type, 'value': buffer(b)} for b in pac.buffers]}


print(json.dumps([decode(h) for h in json.load(sys.stdin)]))
