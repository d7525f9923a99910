/* MIT krb5 side of the initiator rows of benchmarks/gss-acceptor.ts: gss_init_sec_context with a service
 * ticket already in the credentials cache (what a gateway does per request to its backend), the first
 * token of a context with mutual authentication asked, then the context deleted. The ccache named by
 * KRB5CCNAME is copied into a MEMORY ccache first, so each call finds the ticket without reading a file.
 * Prints tokens made per second.
 * usage: mit-gss-initiator TARGET-PRINCIPAL krb5|spnego COUNT */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include "mit-harness.h"

static gss_OID_desc spnego = {6, "\x2b\x06\x01\x05\x05\x02"};

static void fail(const char *what, OM_uint32 major, OM_uint32 minor) {
  fprintf(stderr, "%s failed: major 0x%x minor %d\n", what, major, (int)minor);
  exit(1);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s TARGET-PRINCIPAL krb5|spnego COUNT\n", argv[0]);
    return 2;
  }
  gss_OID mech = strcmp(argv[2], "spnego") == 0 ? &spnego : (gss_OID)gss_mech_krb5;
  long count = atol(argv[3]);

  check(krb5_init_context(&ctx), "krb5_init_context");
  krb5_ccache file, memory;
  check(krb5_cc_default(ctx, &file), "krb5_cc_default");
  check(krb5_cc_new_unique(ctx, "MEMORY", NULL, &memory), "krb5_cc_new_unique");
  krb5_principal client;
  check(krb5_cc_get_principal(ctx, file, &client), "krb5_cc_get_principal");
  check(krb5_cc_initialize(ctx, memory, client), "krb5_cc_initialize");
  check(krb5_cc_copy_creds(ctx, file, memory), "krb5_cc_copy_creds");

  OM_uint32 major, minor;
  gss_cred_id_t cred;
  major = gss_krb5_import_cred(&minor, memory, NULL, NULL, &cred);
  if (GSS_ERROR(major)) fail("gss_krb5_import_cred", major, minor);
  gss_buffer_desc name_text = {strlen(argv[1]), argv[1]};
  gss_name_t target;
  major = gss_import_name(&minor, &name_text, (gss_OID)GSS_KRB5_NT_PRINCIPAL_NAME, &target);
  if (GSS_ERROR(major)) fail("gss_import_name", major, minor);

  OM_uint32 flags = GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
  double start = now_seconds();
  for (long i = 0; i < count; i++) {
    gss_ctx_id_t context = GSS_C_NO_CONTEXT;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    major = gss_init_sec_context(&minor, cred, &context, target, mech, flags, 0, GSS_C_NO_CHANNEL_BINDINGS,
                                 GSS_C_NO_BUFFER, NULL, &out, NULL, NULL);
    if (major != GSS_S_CONTINUE_NEEDED) fail("gss_init_sec_context", major, minor);
    gss_release_buffer(&minor, &out);
    gss_delete_sec_context(&minor, &context, GSS_C_NO_BUFFER);
  }
  printf("%.1f\n", count / (now_seconds() - start));
  return 0;
}
