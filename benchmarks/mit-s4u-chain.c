/* MIT krb5 side of benchmarks/s4u-chain.ts: times the S4U chain against the KDC named by KRB5_CONFIG:
 * S4U2Self (krb5_get_credentials_for_user) then S4U2Proxy (krb5_get_credentials with
 * KRB5_GC_CONSTRAINED_DELEGATION, the evidence ticket as second ticket), one line of JSON out.
 * The gateway's forwardable TGT is fetched once from its keytab, outside the timed part.
 * usage: mit-s4u-chain GATEWAY KEYTAB USER TARGET COUNT */
#include "mit-harness.h"

/* Exported by libkrb5.so but declared only in MIT's private headers (src/include/k5-int.h). */
krb5_error_code KRB5_CALLCONV krb5_get_credentials_for_user(krb5_context context, krb5_flags options,
                                                            krb5_ccache ccache, krb5_creds *in_creds,
                                                            krb5_data *subject_cert, krb5_creds **out_creds);

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s GATEWAY KEYTAB USER TARGET COUNT\n", argv[0]);
    return 2;
  }
  int count = atoi(argv[5]);
  krb5_principal gateway, user, target;
  krb5_keytab keytab;
  krb5_creds tgt;
  krb5_get_init_creds_opt *opts;
  check(krb5_init_context(&ctx), "krb5_init_context");
  check(krb5_parse_name(ctx, argv[1], &gateway), "krb5_parse_name gateway");
  check(krb5_parse_name(ctx, argv[3], &user), "krb5_parse_name user");
  check(krb5_parse_name(ctx, argv[4], &target), "krb5_parse_name target");
  check(krb5_kt_resolve(ctx, argv[2], &keytab), "krb5_kt_resolve");
  check(krb5_get_init_creds_opt_alloc(ctx, &opts), "krb5_get_init_creds_opt_alloc");
  /* S4U2Proxy needs a forwardable evidence ticket, which needs a forwardable TGT. */
  krb5_get_init_creds_opt_set_forwardable(opts, 1);
  check(krb5_get_init_creds_keytab(ctx, &tgt, gateway, keytab, 0, NULL, opts), "krb5_get_init_creds_keytab");

  printf("{\"microseconds\":[");
  double cpu = 0;
  for (int i = 0; i < count; i++) {
    /* A fresh memory cache holding only the TGT, so that both steps go to the KDC. */
    krb5_ccache cache = cache_holding(&tgt);
    krb5_creds self_request, proxy_request, *evidence, *ticket;
    memset(&self_request, 0, sizeof(self_request));
    self_request.client = user;
    self_request.server = gateway;
    double start = 1e6 * now_seconds(), cpu_start = cpu_microseconds();
    check(krb5_get_credentials_for_user(ctx, KRB5_GC_NO_STORE, cache, &self_request, NULL, &evidence),
          "krb5_get_credentials_for_user");
    memset(&proxy_request, 0, sizeof(proxy_request));
    proxy_request.client = gateway;
    proxy_request.server = target;
    proxy_request.second_ticket = evidence->ticket;
    check(krb5_get_credentials(ctx, KRB5_GC_CONSTRAINED_DELEGATION | KRB5_GC_CANONICALIZE | KRB5_GC_NO_STORE,
                               cache, &proxy_request, &ticket),
          "krb5_get_credentials (constrained delegation)");
    double took = 1e6 * now_seconds() - start;
    cpu += cpu_microseconds() - cpu_start;
    if (!krb5_principal_compare(ctx, ticket->client, user)) {
      fprintf(stderr, "S4U2Proxy ticket is not for the user\n");
      return 1;
    }
    printf("%s%.1f", i ? "," : "", took);
    krb5_free_creds(ctx, ticket);
    krb5_free_creds(ctx, evidence);
    krb5_cc_destroy(ctx, cache);
  }
  printf("],\"cpuMicroseconds\":%.0f}\n", cpu);
  return 0;
}
