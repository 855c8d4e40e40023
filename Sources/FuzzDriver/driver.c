// Declarations only; libFuzzer (linked by -sanitize=fuzzer) provides LLVMFuzzerRunDriver.
#include "FuzzDriver.h"
