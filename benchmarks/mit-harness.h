/* What the MIT krb5 harnesses of the benchmarks share (each mit-*.c is built beside its benchmark by
 * mit-harness.ts with gcc -O2): the library context, a monotonic clock, the process's CPU time, exiting on an error, reading the input, a ccache holding a TGT. */
#ifndef KERBKIT_MIT_HARNESS_H
#define KERBKIT_MIT_HARNESS_H
#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static krb5_context ctx;

/* Seconds on the monotonic clock. */
static inline double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* This process's CPU time (user + system), microseconds: the client's own work, which the machine's load
 * inflates less than wall time. */
static inline double cpu_microseconds(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 + (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

/* Nothing when `code` is 0; otherwise prints the call and MIT's message for the code, and exits 1. */
static inline void check(krb5_error_code code, const char *what) {
  if (code == 0) return;
  if (ctx == NULL) {
    fprintf(stderr, "%s failed: %d\n", what, (int)code);
  } else {
    const char *message = krb5_get_error_message(ctx, code);
    fprintf(stderr, "%s: %s\n", what, message);
    krb5_free_error_message(ctx, message);
  }
  exit(1);
}

/* A new MEMORY ccache holding only `tgt`, so that the next request for a service ticket goes to the KDC. */
static inline krb5_ccache cache_holding(krb5_creds *tgt) {
  krb5_ccache cache;
  check(krb5_cc_new_unique(ctx, "MEMORY", NULL, &cache), "krb5_cc_new_unique");
  check(krb5_cc_initialize(ctx, cache, tgt->client), "krb5_cc_initialize");
  check(krb5_cc_store_cred(ctx, cache, tgt), "krb5_cc_store_cred");
  return cache;
}

/* The whole file at `path` (its length in *length); exits 1 when it cannot be read. */
static inline unsigned char *read_input(const char *path, size_t *length) {
  FILE *f = fopen(path, "rb");
  if (f == NULL || fseek(f, 0, SEEK_END) != 0) {
    perror(path);
    exit(1);
  }
  long size = ftell(f);
  rewind(f);
  unsigned char *data = malloc(size > 0 ? (size_t)size : 1);
  if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
    perror(path);
    exit(1);
  }
  fclose(f);
  *length = (size_t)size;
  return data;
}

#endif
