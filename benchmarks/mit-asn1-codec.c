/* The peer side of benchmarks/asn1-codec.ts: MIT krb5's own DER codec (libkrb5, Debian libkrb5-dev),
 * timed on the same bytes. Usage: mit-asn1-codec OP FILE ITERATIONS, OP one of decode-ticket,
 * encode-ticket, decode-ap-req, encode-ap-req, decode-enc-tkt-part. Prints operations per second. */
#include "mit-harness.h"

/* Exported by libkrb5.so but declared only in MIT's private k5-int.h. */
krb5_error_code decode_krb5_ticket(const krb5_data *code, krb5_ticket **rep);
krb5_error_code encode_krb5_ticket(const krb5_ticket *rep, krb5_data **code);
krb5_error_code decode_krb5_ap_req(const krb5_data *code, krb5_ap_req **rep);
krb5_error_code encode_krb5_ap_req(const krb5_ap_req *rep, krb5_data **code);
krb5_error_code decode_krb5_enc_tkt_part(const krb5_data *code, krb5_enc_tkt_part **rep);
void krb5_free_ap_req(krb5_context context, krb5_ap_req *val);
void krb5_free_enc_tkt_part(krb5_context context, krb5_enc_tkt_part *val);

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s OP FILE ITERATIONS\n", argv[0]);
    return 2;
  }
  const char *op = argv[1];
  long iterations = atol(argv[3]);
  size_t len;
  char *buf = (char *)read_input(argv[2], &len);
  check(krb5_init_context(&ctx), "krb5_init_context");
  krb5_data in = {0, (unsigned int)len, buf};

  double start = 0, end = 0;
  if (strcmp(op, "decode-ticket") == 0) {
    start = now_seconds();
    for (long i = 0; i < iterations; i++) {
      krb5_ticket *t;
      check(decode_krb5_ticket(&in, &t), "decode_krb5_ticket");
      krb5_free_ticket(ctx, t);
    }
    end = now_seconds();
  } else if (strcmp(op, "encode-ticket") == 0) {
    krb5_ticket *t;
    check(decode_krb5_ticket(&in, &t), "decode_krb5_ticket");
    start = now_seconds();
    for (long i = 0; i < iterations; i++) {
      krb5_data *out;
      check(encode_krb5_ticket(t, &out), "encode_krb5_ticket");
      krb5_free_data(ctx, out);
    }
    end = now_seconds();
    krb5_free_ticket(ctx, t);
  } else if (strcmp(op, "decode-ap-req") == 0) {
    start = now_seconds();
    for (long i = 0; i < iterations; i++) {
      krb5_ap_req *r;
      check(decode_krb5_ap_req(&in, &r), "decode_krb5_ap_req");
      krb5_free_ap_req(ctx, r);
    }
    end = now_seconds();
  } else if (strcmp(op, "encode-ap-req") == 0) {
    krb5_ap_req *r;
    check(decode_krb5_ap_req(&in, &r), "decode_krb5_ap_req");
    start = now_seconds();
    for (long i = 0; i < iterations; i++) {
      krb5_data *out;
      check(encode_krb5_ap_req(r, &out), "encode_krb5_ap_req");
      krb5_free_data(ctx, out);
    }
    end = now_seconds();
    krb5_free_ap_req(ctx, r);
  } else if (strcmp(op, "decode-enc-tkt-part") == 0) {
    start = now_seconds();
    for (long i = 0; i < iterations; i++) {
      krb5_enc_tkt_part *p;
      check(decode_krb5_enc_tkt_part(&in, &p), "decode_krb5_enc_tkt_part");
      krb5_free_enc_tkt_part(ctx, p);
    }
    end = now_seconds();
  } else {
    fprintf(stderr, "unknown op %s\n", op);
    return 2;
  }
  printf("%.1f\n", (double)iterations / (end - start));
  krb5_free_context(ctx);
  return 0;
}
