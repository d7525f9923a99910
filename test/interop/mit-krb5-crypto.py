#!/usr/bin/env python3
"""MIT krb5's own crypto library (libkrb5.so.3, krb5_c_* API) as a peer for crypto interop tests.

Reads a JSON list of operations on stdin, writes a JSON list of results on stdout. Operations:
  {"op": "encrypt", "enctype", "key", "usage", "plaintext"}          -> {"ciphertext"}
  {"op": "decrypt", "enctype", "key", "usage", "ciphertext"}         -> {"plaintext"} or {"error"}
  {"op": "checksum", "cksumtype", "enctype", "key", "usage", "data"} -> {"checksum"}
  {"op": "prf", "enctype", "key", "input"}                           -> {"output"}
Bytes are hex. Needs only the library (no KDC, no krb5.conf)."""
import ctypes
import json
import sys

lib = ctypes.CDLL('libkrb5.so.3')


class Data(ctypes.Structure):
    _fields_ = [('magic', ctypes.c_int32), ('length', ctypes.c_uint), ('data', ctypes.c_void_p)]


class Keyblock(ctypes.Structure):
    _fields_ = [('magic', ctypes.c_int32), ('enctype', ctypes.c_int32), ('length', ctypes.c_uint),
                ('contents', ctypes.c_void_p)]


class EncData(ctypes.Structure):
    _fields_ = [('magic', ctypes.c_int32), ('enctype', ctypes.c_int32), ('kvno', ctypes.c_uint32),
                ('ciphertext', Data)]


class Checksum(ctypes.Structure):
    _fields_ = [('magic', ctypes.c_int32), ('checksum_type', ctypes.c_int32), ('length', ctypes.c_uint),
                ('contents', ctypes.c_void_p)]


context = ctypes.c_void_p()
if lib.krb5_init_context(ctypes.byref(context)) != 0:
    sys.exit('krb5_init_context failed')
lib.krb5_get_error_message.restype = ctypes.c_char_p
keep = []  # buffers that must outlive the call they are passed to


def buffer(octets):
    raw = ctypes.create_string_buffer(bytes(octets), max(len(octets), 1))
    keep.append(raw)
    return raw


def data(octets):
    return Data(0, len(octets), ctypes.cast(buffer(octets), ctypes.c_void_p))


def keyblock(enctype, key):
    octets = bytes.fromhex(key)
    return Keyblock(0, enctype, len(octets), ctypes.cast(buffer(octets), ctypes.c_void_p))


def check(code):
    if code != 0:
        raise RuntimeError(lib.krb5_get_error_message(context, code).decode())


def run(op):
    kind = op['op']
    if kind == 'encrypt':
        plaintext = bytes.fromhex(op['plaintext'])
        length = ctypes.c_size_t()
        check(lib.krb5_c_encrypt_length(context, op['enctype'], ctypes.c_size_t(len(plaintext)), ctypes.byref(length)))
        out = EncData(0, op['enctype'], 0, data(b'\0' * length.value))
        key = keyblock(op['enctype'], op['key'])
        check(lib.krb5_c_encrypt(context, ctypes.byref(key), op['usage'], None, ctypes.byref(data(plaintext)),
                                 ctypes.byref(out)))
        return {'ciphertext': ctypes.string_at(out.ciphertext.data, out.ciphertext.length).hex()}
    if kind == 'decrypt':
        ciphertext = bytes.fromhex(op['ciphertext'])
        enc = EncData(0, op['enctype'], 0, data(ciphertext))
        out = data(b'\0' * len(ciphertext))
        key = keyblock(op['enctype'], op['key'])
        code = lib.krb5_c_decrypt(context, ctypes.byref(key), op['usage'], None, ctypes.byref(enc), ctypes.byref(out))
        if code != 0:
            return {'error': lib.krb5_get_error_message(context, code).decode()}
        return {'plaintext': ctypes.string_at(out.data, out.length).hex()}
    if kind == 'checksum':
        out = Checksum()
        key = keyblock(op['enctype'], op['key'])
        check(lib.krb5_c_make_checksum(context, op['cksumtype'], ctypes.byref(key), op['usage'],
                                       ctypes.byref(data(bytes.fromhex(op['data']))), ctypes.byref(out)))
        result = ctypes.string_at(out.contents, out.length).hex()
        lib.krb5_free_checksum_contents(context, ctypes.byref(out))
        return {'checksum': result}
    if kind == 'prf':
        length = ctypes.c_size_t()
        check(lib.krb5_c_prf_length(context, op['enctype'], ctypes.byref(length)))
        out = data(b'\0' * length.value)
        key = keyblock(op['enctype'], op['key'])
        check(lib.krb5_c_prf(context, ctypes.byref(key), ctypes.byref(data(bytes.fromhex(op['input']))),
                             ctypes.byref(out)))
        return {'output': ctypes.string_at(out.data, out.length).hex()}
    raise ValueError(f'unknown op {kind}')


results = []
for operation in json.load(sys.stdin):
    results.append(run(operation))
    keep.clear()
json.dump(results, sys.stdout)
