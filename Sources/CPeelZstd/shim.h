#ifndef PEEL_CZSTD_SHIM_H
#define PEEL_CZSTD_SHIM_H
#include <zstd.h>
#endif
