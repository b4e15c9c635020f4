/*
 * What two threads that share nothing get on this machine, outside the JVM: the ceiling for the Java
 * backend's 2-thread figure. Each round times one thread, then two at once, for SECONDS each, and prints the
 * ratio of their total work.
 *   fma: eight independent AVX-512 FMA chains in registers (no memory). About 2.0x when the two vCPUs are
 *        separate physical cores, about 1.0x when they are hyperthreads of one core.
 *   l2:  twelve FMA chains fed from a private 224 KB buffer (the size of the GRU (16,128) weights), the
 *        step kernel's pattern of one weight load per twelve keys.
 * Build and run (gcc, x86-64 with AVX-512):
 *   gcc -O2 -mavx512f -mfma -pthread docs/benchmarks/host_scaling.c -o /tmp/host_scaling
 *   /tmp/host_scaling fma 1 6; /tmp/host_scaling l2 1 6
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define L2_FLOATS (224 * 1024 / 4)

static double seconds;
static int l2mode;
static float sink[16];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *fma_loop(void *out) {
    __m512 a0 = _mm512_set1_ps(1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    __m512 m = _mm512_set1_ps(0.9999999f), b = _mm512_set1_ps(1e-7f);
    long work = 0;
    double end = now() + seconds;
    while (now() < end) {
        for (int i = 0; i < 100000; i++) {
            a0 = _mm512_fmadd_ps(a0, m, b); a1 = _mm512_fmadd_ps(a1, m, b);
            a2 = _mm512_fmadd_ps(a2, m, b); a3 = _mm512_fmadd_ps(a3, m, b);
            a4 = _mm512_fmadd_ps(a4, m, b); a5 = _mm512_fmadd_ps(a5, m, b);
            a6 = _mm512_fmadd_ps(a6, m, b); a7 = _mm512_fmadd_ps(a7, m, b);
            /* keeps the compiler from folding the chains away */
            __asm__ volatile("" : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5), "+v"(a6), "+v"(a7));
        }
        work++;
    }
    _mm512_storeu_ps(sink, _mm512_add_ps(_mm512_add_ps(a0, a7), _mm512_add_ps(a3, a4)));
    *(long *)out = work;
    return NULL;
}

static void *l2_loop(void *out) {
    float *w = aligned_alloc(64, L2_FLOATS * sizeof(float));
    for (int i = 0; i < L2_FLOATS; i++) w[i] = 1.0f;
    __m512 acc[12], key[12];
    for (int k = 0; k < 12; k++) {
        acc[k] = _mm512_setzero_ps();
        key[k] = _mm512_set1_ps(1.0f + k * 1e-3f);
    }
    long work = 0;
    double end = now() + seconds;
    while (now() < end) {
        for (int i = 0; i < L2_FLOATS; i += 16) {
            __m512 v = _mm512_load_ps(w + i);
            for (int k = 0; k < 12; k++) acc[k] = _mm512_fmadd_ps(v, key[k], acc[k]);
        }
        work++;
    }
    __m512 s = acc[0];
    for (int k = 1; k < 12; k++) s = _mm512_add_ps(s, acc[k]);
    _mm512_storeu_ps(sink, s);
    free(w);
    *(long *)out = work;
    return NULL;
}

static long run(int threads) {
    pthread_t t[2];
    long work[2] = {0, 0};
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, l2mode ? l2_loop : fma_loop, &work[i]);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    return work[0] + work[1];
}

int main(int argc, char **argv) {
    if (argc != 4 || (strcmp(argv[1], "fma") && strcmp(argv[1], "l2"))) {
        fprintf(stderr, "usage: host_scaling fma|l2 SECONDS ROUNDS\n");
        return 2;
    }
    l2mode = !strcmp(argv[1], "l2");
    seconds = atof(argv[2]);
    int rounds = atoi(argv[3]);
    printf("%s: 2 threads / 1 thread per round:", argv[1]);
    for (int r = 0; r < rounds; r++) {
        long one = run(1), two = run(2);
        printf(" %.2f", (double)two / one);
        fflush(stdout);
    }
    printf("\n");
    return 0;
}
