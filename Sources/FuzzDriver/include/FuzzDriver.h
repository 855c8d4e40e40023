#ifndef FUZZDRIVER_H
#define FUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for programs that keep their own main (SwiftPM renames an executable's
/// main, so libFuzzer's own never runs). Provided by -sanitize=fuzzer.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// LeakSanitizer: allocations between disable and enable are never reported. The fuzz targets load
/// the shared tables this way: Swift keeps enum case tags in a pointer's spare bits, so LeakSanitizer
/// cannot see that those long-lived tables are still referenced and would report them at every check.
void __lsan_disable(void);
void __lsan_enable(void);

#endif
