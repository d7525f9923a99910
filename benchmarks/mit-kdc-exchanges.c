/* MIT krb5 side of benchmarks/kdc-exchanges.ts: times AS exchanges (krb5_get_init_creds_keytab) or
 * TGS exchanges (krb5_get_credentials) against the KDC named by KRB5_CONFIG, one line of JSON out.
 * usage: mit-kdc-exchanges as|tgs CLIENT KEYTAB SERVICE COUNT */
#include "mit-harness.h"

/* One AS exchange with the client's keys from the keytab (pre-authentication round trip included). */
static void get_tgt(krb5_principal client, krb5_keytab keytab, krb5_creds *creds) {
  check(krb5_get_init_creds_keytab(ctx, creds, client, keytab, 0, NULL, NULL), "krb5_get_init_creds_keytab");
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s as|tgs CLIENT KEYTAB SERVICE COUNT\n", argv[0]);
    return 2;
  }
  int tgs = strcmp(argv[1], "tgs") == 0;
  int count = atoi(argv[5]);
  krb5_principal client, service;
  krb5_keytab keytab;
  krb5_creds tgt;
  check(krb5_init_context(&ctx), "krb5_init_context");
  check(krb5_parse_name(ctx, argv[2], &client), "krb5_parse_name client");
  check(krb5_parse_name(ctx, argv[4], &service), "krb5_parse_name service");
  check(krb5_kt_resolve(ctx, argv[3], &keytab), "krb5_kt_resolve");
  if (tgs) get_tgt(client, keytab, &tgt);

  printf("{\"exchange\":\"%s\",\"microseconds\":[", tgs ? "tgs" : "as");
  double cpu = 0;
  for (int i = 0; i < count; i++) {
    double took;
    if (tgs) {
      /* A fresh memory cache holding only the TGT, so every call is a TGS exchange, not a cache hit. */
      krb5_ccache cache = cache_holding(&tgt);
      krb5_creds request, *reply;
      memset(&request, 0, sizeof(request));
      request.client = client;
      request.server = service;
      double start = 1e6 * now_seconds(), cpu_start = cpu_microseconds();
      check(krb5_get_credentials(ctx, 0, cache, &request, &reply), "krb5_get_credentials");
      took = 1e6 * now_seconds() - start;
      cpu += cpu_microseconds() - cpu_start;
      krb5_free_creds(ctx, reply);
      krb5_cc_destroy(ctx, cache);
    } else {
      krb5_creds creds;
      double start = 1e6 * now_seconds(), cpu_start = cpu_microseconds();
      get_tgt(client, keytab, &creds);
      took = 1e6 * now_seconds() - start;
      cpu += cpu_microseconds() - cpu_start;
      krb5_free_cred_contents(ctx, &creds);
    }
    printf("%s%.1f", i ? "," : "", took);
  }
  printf("],\"cpuMicroseconds\":%.0f}\n", cpu);
  return 0;
}
