#ifndef CPEELSYS_H
#define CPEELSYS_H
#include <stddef.h>

/// Maps `size` bytes of the open file `fd` read-only (private; the file is never written) and
/// guards the mapping: if the file shrinks while it is mapped, reads past its new end get zero
/// bytes instead of SIGBUS, and peel_unmap_file reports it. Returns NULL on failure.
const unsigned char *peel_map_file(int fd, size_t size);

/// Unmaps a mapping made by peel_map_file. Returns 1 if the file shrank while mapped, else 0.
int peel_unmap_file(const unsigned char *p, size_t size);

#endif
