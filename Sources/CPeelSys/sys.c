// Guarded read-only file mappings for peel's CSV reader.
//
// A mapped file that another program truncates raises SIGBUS on the next read of a page past its
// new end. The handler below checks whether the faulting address lies in one of our mappings; if
// so it maps a zero page over that page (so the read that faulted completes and sees zeros) and
// marks the mapping as damaged, so the reader can report that the file changed while it was being
// read. Faults anywhere else get the default action.
#define _GNU_SOURCE
#include "CPeelSys.h"
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SLOTS 32

static _Atomic(uintptr_t) slot_start[SLOTS];
static _Atomic(size_t) slot_size[SLOTS];
static atomic_int slot_damaged[SLOTS];
static atomic_int installed;
static struct sigaction previous;

static void on_sigbus(int sig, siginfo_t *info, void *ctx) {
    (void)ctx;
    uintptr_t a = (uintptr_t)info->si_addr;
    for (int i = 0; i < SLOTS; i++) {
        uintptr_t s = atomic_load(&slot_start[i]);
        size_t n = atomic_load(&slot_size[i]);
        if (s != 0 && a >= s && a < s + n) {
            uintptr_t page = a & ~((uintptr_t)sysconf(_SC_PAGESIZE) - 1);
            void *r = mmap((void *)page, (size_t)sysconf(_SC_PAGESIZE), PROT_READ,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            if (r != MAP_FAILED) {
                atomic_store(&slot_damaged[i], 1);
                return;
            }
        }
    }
    // Not ours: behave as if we had never been here.
    sigaction(sig, &previous, NULL);
    raise(sig);
}

static void install(void) {
    int expected = 0;
    if (!atomic_compare_exchange_strong(&installed, &expected, 1)) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &previous);
}

const unsigned char *peel_map_file(int fd, size_t size) {
    if (size == 0) return NULL;
    install();
    void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) return NULL;
    for (int i = 0; i < SLOTS; i++) {
        uintptr_t expected = 0;
        if (atomic_compare_exchange_strong(&slot_start[i], &expected, (uintptr_t)p)) {
            atomic_store(&slot_damaged[i], 0);
            atomic_store(&slot_size[i], size);
            return (const unsigned char *)p;
        }
    }
    // No free slot: an unguarded mapping is not acceptable.
    munmap(p, size);
    return NULL;
}

int peel_unmap_file(const unsigned char *p, size_t size) {
    int damaged = 0;
    for (int i = 0; i < SLOTS; i++) {
        if (atomic_load(&slot_start[i]) == (uintptr_t)p) {
            damaged = atomic_load(&slot_damaged[i]);
            atomic_store(&slot_size[i], 0);
            atomic_store(&slot_start[i], 0);
            break;
        }
    }
    munmap((void *)p, size);
    return damaged;
}
