#ifndef PEEL_CZLIB_SHIM_H
#define PEEL_CZLIB_SHIM_H
#include <zlib.h>
// inflateInit2 is a macro; Swift needs a function.
static inline int peel_inflate_init_gzip(z_stream *s) { return inflateInit2(s, 16 + MAX_WBITS); }
#endif
