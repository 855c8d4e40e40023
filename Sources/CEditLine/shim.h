// Non-variadic wrappers around libedit's native (histedit) API: Swift cannot call
// the variadic el_set/el_get/history directly.
#ifndef PEEL_CEDITLINE_SHIM_H
#define PEEL_CEDITLINE_SHIM_H
#include <stdio.h>
#include <histedit.h>

typedef char *(*peel_prompt_fn)(EditLine *);
typedef unsigned char (*peel_key_fn)(EditLine *, int);

static inline void peel_el_set_prompt(EditLine *el, peel_prompt_fn fn) { el_set(el, EL_PROMPT, fn); }
static inline void peel_el_set_editor(EditLine *el, const char *mode) { el_set(el, EL_EDITOR, mode); }
static inline void peel_el_set_signal(EditLine *el, int on) { el_set(el, EL_SIGNAL, on); }
static inline void peel_el_set_history(EditLine *el, History *h) { el_set(el, EL_HIST, history, h); }
static inline void peel_el_add_fn(EditLine *el, const char *name, const char *help, peel_key_fn fn) {
    el_set(el, EL_ADDFN, name, help, fn);
}
static inline void peel_el_bind(EditLine *el, const char *key, const char *fn) {
    el_set(el, EL_BIND, key, fn, NULL);
}
static inline void peel_el_set_clientdata(EditLine *el, void *data) { el_set(el, EL_CLIENTDATA, data); }
static inline void *peel_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
static inline int peel_el_source(EditLine *el) { return el_source(el, NULL); }

static inline int peel_history_setsize(History *h, int n) { HistEvent ev; return history(h, &ev, H_SETSIZE, n); }
static inline int peel_history_setunique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }
static inline int peel_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int peel_history_load(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_LOAD, path); }
static inline int peel_history_save(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_SAVE, path); }
static inline int peel_history_clear(History *h) { HistEvent ev; return history(h, &ev, H_CLEAR); }
static inline int peel_history_save_fp(History *h, FILE *fp) { HistEvent ev; return history(h, &ev, H_SAVE_FP, fp); }
/* The most recent entry, or NULL when there is none. */
static inline const char *peel_history_newest(History *h) {
    HistEvent ev;
    return history(h, &ev, H_FIRST) == 0 ? ev.str : NULL;
}
#endif
