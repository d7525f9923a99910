/* MIT krb5 side of benchmarks/gss-acceptor.ts: gss_accept_sec_context over a file of initiator tokens
 * (each a 4-byte big-endian length, then the token), with the keytab named by KRB5_KTNAME and no
 * acceptor name fixed. Prints the tokens accepted per second, or fails on the first refused token.
 * usage: mit-gss-acceptor TOKENS-FILE REPEAT   (run with KRB5RCACHETYPE=none: the tokens repeat) */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include "mit-harness.h"

static void fail(const char *what, OM_uint32 major, OM_uint32 minor) {
  OM_uint32 ctx = 0, m;
  gss_buffer_desc text;
  fprintf(stderr, "%s:", what);
  do {
    gss_display_status(&m, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &text);
    fprintf(stderr, " %.*s", (int)text.length, (char *)text.value);
    gss_release_buffer(&m, &text);
  } while (ctx != 0);
  do {
    gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &text);
    fprintf(stderr, " (%.*s)", (int)text.length, (char *)text.value);
    gss_release_buffer(&m, &text);
  } while (ctx != 0);
  fprintf(stderr, "\n");
  exit(1);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s TOKENS-FILE REPEAT\n", argv[0]);
    return 2;
  }
  size_t length;
  unsigned char *data = read_input(argv[1], &length);
  long size = (long)length;
  int repeat = atoi(argv[2]);

  OM_uint32 major, minor;
  gss_cred_id_t cred;
  major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, GSS_C_NO_OID_SET, GSS_C_ACCEPT, &cred, NULL, NULL);
  if (GSS_ERROR(major)) fail("gss_acquire_cred", major, minor);

  long accepted = 0;
  double start = now_seconds();
  for (int r = 0; r < repeat; r++) {
    for (long pos = 0; pos + 4 <= size;) {
      size_t length = ((size_t)data[pos] << 24) | (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3];
      gss_buffer_desc in = {length, data + pos + 4}, out = GSS_C_EMPTY_BUFFER;
      gss_ctx_id_t context = GSS_C_NO_CONTEXT;
      gss_name_t client;
      major = gss_accept_sec_context(&minor, &context, cred, &in, GSS_C_NO_CHANNEL_BINDINGS, &client, NULL, &out,
                                     NULL, NULL, NULL);
      if (major != GSS_S_COMPLETE) fail("gss_accept_sec_context", major, minor);
      gss_release_buffer(&minor, &out);
      gss_release_name(&minor, &client);
      gss_delete_sec_context(&minor, &context, GSS_C_NO_BUFFER);
      accepted++;
      pos += 4 + length;
    }
  }
  printf("%.1f\n", accepted / (now_seconds() - start));
  return 0;
}
