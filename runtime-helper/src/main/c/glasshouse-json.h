/*
 * The JSON-lines reader and the strings of the native clients, glasshouse-ps and glasshouse-run
 * (issue 16): one copy, included by both (each is one static executable built from one .c file;
 * build.sh compiles it with this directory on the include path, as gcc does for a quoted include).
 *
 * The includer gives it, first thing in main, what to do on memory exhaustion or input this reader
 * cannot take (a key given twice in an object get() is asked for): json_on_fail(its fallback), a
 * function that does not return. Until then such a failure ends the process with status 70.
 *
 * Strings are kept as UTF-16 code units, as Java's are, so that widths (String.length), cuts and
 * Printable's escapes (per char) are the JVM's. Its JSON: objects, arrays, strings with escapes,
 * \uXXXX and surrogate pairs, strict UTF-8, integers (no fraction or exponent), booleans, null,
 * 64 levels.
 */
#ifndef GLASSHOUSE_JSON_H
#define GLASSHOUSE_JSON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void json_exit(void) { _exit(70); }

/* What the reader calls where it cannot go on; set by json_on_fail. Never returns. */
static void (*json_fail)(void) = json_exit;

/* Sets what the reader calls on memory exhaustion or input it cannot take: a function that does
 * not return (the includer's hand-over to the JVM client). */
static void json_on_fail(void (*fail)(void)) { json_fail = fail; }

/* ---- UTF-16 strings ---- */
typedef struct {
  uint16_t *u;
  size_t n, cap;
} str;

static void s_add(str *s, uint16_t c) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 32;
    s->u = realloc(s->u, s->cap * sizeof *s->u);
    if (s->u == NULL) json_fail();
  }
  s->u[s->n++] = c;
}
static void s_ascii(str *s, const char *a) {
  while (*a) s_add(s, (uint8_t)*a++);
}
static void s_cat(str *s, const str *t) {
  for (size_t i = 0; i < t->n; i++) s_add(s, t->u[i]);
}

/* ---- JSON ---- */
enum { J_NULL, J_BOOL, J_INT, J_STR, J_ARR, J_OBJ };
typedef struct json {
  int type;
  int b;
  long long i;
  str s;            /* J_STR */
  struct json **v;  /* J_ARR, J_OBJ values */
  str *k;           /* J_OBJ keys */
  size_t n;
} json;

typedef struct {
  const char *p, *end;
  int depth;
} parser;


static json *jnew(int type) {
  json *j = calloc(1, sizeof *j);
  if (j == NULL) json_fail();
  j->type = type;
  return j;
}
static void ws(parser *ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}
static int hex4(parser *ps, unsigned *out) {
  unsigned v = 0;
  if (ps->end - ps->p < 4) return 0;
  for (int i = 0; i < 4; i++) {
    char c = *ps->p++;
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return 0;
  }
  *out = v;
  return 1;
}
/* A JSON string (after its opening quote) as UTF-16; strict UTF-8 (malformed: bad input). */
static int pstring(parser *ps, str *s) {
  while (ps->p < ps->end) {
    unsigned char c = (unsigned char)*ps->p++;
    if (c == '"') return 1;
    if (c < 0x20) return 0;
    if (c == '\\') {
      if (ps->p >= ps->end) return 0;
      char e = *ps->p++;
      unsigned u;
      switch (e) {
        case '"': s_add(s, '"'); break;
        case '\\': s_add(s, '\\'); break;
        case '/': s_add(s, '/'); break;
        case 'b': s_add(s, '\b'); break;
        case 'f': s_add(s, '\f'); break;
        case 'n': s_add(s, '\n'); break;
        case 'r': s_add(s, '\r'); break;
        case 't': s_add(s, '\t'); break;
        case 'u':
          if (!hex4(ps, &u)) return 0;
          s_add(s, (uint16_t)u); /* surrogates as they come: pairs stay pairs, as in Java */
          break;
        default: return 0;
      }
      continue;
    }
    if (c < 0x80) {
      s_add(s, c);
      continue;
    }
    unsigned cp, need, min;
    if ((c & 0xe0) == 0xc0) cp = c & 0x1f, need = 1, min = 0x80;
    else if ((c & 0xf0) == 0xe0) cp = c & 0x0f, need = 2, min = 0x800;
    else if ((c & 0xf8) == 0xf0) cp = c & 0x07, need = 3, min = 0x10000;
    else return 0;
    if (ps->end - ps->p < (long)need) return 0;
    for (unsigned k = 0; k < need; k++) {
      unsigned char d = (unsigned char)*ps->p++;
      if ((d & 0xc0) != 0x80) return 0;
      cp = cp << 6 | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      s_add(s, (uint16_t)(0xd800 | cp >> 10));
      s_add(s, (uint16_t)(0xdc00 | (cp & 0x3ff)));
    } else {
      s_add(s, (uint16_t)cp);
    }
  }
  return 0;
}
static json *pvalue(parser *ps) {
  ws(ps);
  if (ps->p >= ps->end || ++ps->depth > 64) return NULL;
  json *j = NULL;
  char c = *ps->p;
  if (c == '{' || c == '[') {
    int obj = c == '{';
    j = jnew(obj ? J_OBJ : J_ARR);
    ps->p++;
    ws(ps);
    if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) {
      ps->p++;
    } else {
      for (;;) {
        str key = {0};
        if (obj) {
          ws(ps);
          if (ps->p >= ps->end || *ps->p++ != '"' || !pstring(ps, &key)) return NULL;
          ws(ps);
          if (ps->p >= ps->end || *ps->p++ != ':') return NULL;
        }
        json *v = pvalue(ps);
        if (v == NULL) return NULL;
        j->v = realloc(j->v, (j->n + 1) * sizeof *j->v);
        if (obj) j->k = realloc(j->k, (j->n + 1) * sizeof *j->k);
        if (j->v == NULL || (obj && j->k == NULL)) json_fail();
        j->v[j->n] = v;
        if (obj) j->k[j->n] = key;
        j->n++;
        ws(ps);
        if (ps->p >= ps->end) return NULL;
        char d = *ps->p++;
        if (d == ',') continue;
        if (d == (obj ? '}' : ']')) break;
        return NULL;
      }
    }
  } else if (c == '"') {
    j = jnew(J_STR);
    ps->p++;
    if (!pstring(ps, &j->s)) return NULL;
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    /* Integers only (the replies ps reads have no other numbers): a fraction or exponent is
     * unexpected, so bad input, so the JVM. */
    const char *q = ps->p;
    int neg = 0;
    if (*q == '-') neg = 1, q++;
    if (q >= ps->end || *q < '0' || *q > '9') return NULL;
    if (*q == '0' && q + 1 < ps->end && q[1] >= '0' && q[1] <= '9') return NULL;
    long long v = 0;
    while (q < ps->end && *q >= '0' && *q <= '9') {
      if (v > (9000000000000000000LL - 9) / 10) return NULL;
      v = v * 10 + (*q++ - '0');
    }
    if (q < ps->end && (*q == '.' || *q == 'e' || *q == 'E')) return NULL;
    j = jnew(J_INT);
    j->i = neg ? -v : v;
    ps->p = q;
  } else if (ps->end - ps->p >= 4 && memcmp(ps->p, "true", 4) == 0) {
    j = jnew(J_BOOL), j->b = 1, ps->p += 4;
  } else if (ps->end - ps->p >= 5 && memcmp(ps->p, "false", 5) == 0) {
    j = jnew(J_BOOL), ps->p += 5;
  } else if (ps->end - ps->p >= 4 && memcmp(ps->p, "null", 4) == 0) {
    j = jnew(J_NULL), ps->p += 4;
  } else {
    return NULL;
  }
  ps->depth--;
  return j;
}
static json *parse(const char *p, size_t n) {
  parser ps = {p, p + n, 0};
  json *j = pvalue(&ps);
  ws(&ps);
  return j != NULL && ps.p == ps.end ? j : NULL;
}
/* A field of an object; NULL when absent (or not an object). A key given twice: bad input. */
static json *get(const json *o, const char *key) {
  json *found = NULL;
  if (o == NULL || o->type != J_OBJ) return NULL;
  size_t kl = strlen(key);
  for (size_t i = 0; i < o->n; i++) {
    if (o->k[i].n != kl) continue;
    size_t m = 0;
    while (m < kl && o->k[i].u[m] == (uint8_t)key[m]) m++;
    if (m == kl) {
      if (found != NULL) json_fail();
      found = o->v[i];
    }
  }
  return found;
}
static int is_str(const json *j) { return j != NULL && j->type == J_STR; }

/* Printable.escape. */
static int needs_escape(unsigned c) {
  return c < 0x20 || c == 0x7f || c == '\\' || (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e ||
         c == 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}
static str printable(const str *s) {
  str r = {0};
  char buf[16];
  for (size_t i = 0; i < s->n; i++) {
    unsigned c = s->u[i];
    if (!needs_escape(c)) {
      s_add(&r, (uint16_t)c);
      continue;
    }
    switch (c) {
      case '\\': s_ascii(&r, "\\\\"); break;
      case '\n': s_ascii(&r, "\\n"); break;
      case '\r': s_ascii(&r, "\\r"); break;
      case '\t': s_ascii(&r, "\\t"); break;
      case 0x1b: s_ascii(&r, "\\e"); break;
      default:
        snprintf(buf, sizeof buf, c < 0x80 ? "\\x%02x" : "\\u%04X", c);
        s_ascii(&r, buf);
    }
  }
  return r;
}

#endif
