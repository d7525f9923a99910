/* The peer side of benchmarks/pac-verify.ts: MIT krb5's PAC API (libkrb5, Debian libkrb5-dev) on the same PAC
 * bytes and keys. Usage: mit-pac-verify OP PACFILE ITERATIONS AUTHTIME PRINCIPAL ETYPE SERVERKEYHEX KDCKEYHEX,
 * OP one of parse (krb5_pac_parse) or verify (krb5_pac_parse then krb5_pac_verify: client info, server and KDC
 * checksums). Prints operations per second. */
#include "mit-harness.h"

static krb5_keyblock keyblock(const char *hex, int etype) {
  static unsigned char bytes[2][64];
  static int used = 0;
  unsigned char *out = bytes[used++];
  size_t n = strlen(hex) / 2;
  for (size_t i = 0; i < n; i++) sscanf(hex + 2 * i, "%2hhx", &out[i]);
  krb5_keyblock k = {KV5M_KEYBLOCK, (krb5_enctype)etype, (unsigned int)n, out};
  return k;
}

int main(int argc, char **argv) {
  if (argc != 9) {
    fprintf(stderr, "usage: %s OP PACFILE ITERATIONS AUTHTIME PRINCIPAL ETYPE SERVERKEYHEX KDCKEYHEX\n", argv[0]);
    return 2;
  }
  const char *op = argv[1];
  long iterations = atol(argv[3]);
  size_t len;
  unsigned char *buf = read_input(argv[2], &len);
  check(krb5_init_context(&ctx), "krb5_init_context");
  krb5_principal client;
  check(krb5_parse_name(ctx, argv[5], &client), "krb5_parse_name");
  krb5_timestamp authtime = (krb5_timestamp)atol(argv[4]);
  krb5_keyblock server = keyblock(argv[7], atoi(argv[6]));
  krb5_keyblock kdc = keyblock(argv[8], atoi(argv[6]));
  int verify = strcmp(op, "verify") == 0;
  if (!verify && strcmp(op, "parse") != 0) {
    fprintf(stderr, "unknown OP %s\n", op);
    return 2;
  }

  double start = now_seconds();
  for (long i = 0; i < iterations; i++) {
    krb5_pac pac;
    check(krb5_pac_parse(ctx, buf, len, &pac), "krb5_pac_parse");
    if (verify) check(krb5_pac_verify(ctx, pac, authtime, client, &server, &kdc), "krb5_pac_verify");
    krb5_pac_free(ctx, pac);
  }
  double end = now_seconds();
  printf("%.0f\n", (double)iterations / (end - start));
  krb5_free_principal(ctx, client);
  krb5_free_context(ctx);
  return 0;
}
