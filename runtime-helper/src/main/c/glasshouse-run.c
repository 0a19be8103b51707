/*
 * glasshouse-run: `glasshouse run` attached and without a tty, without a JVM (issue 16: the JVM
 * CLI's run costs ~300 ms CPU of JVM start and work, the goal for the whole command is `ps` plus a
 * warm start, ~60 ms).
 *
 * Usage (by the launcher only):  glasshouse-run LAUNCHER [ARGS...]
 *   ARGS are what followed `run` on the command line.
 *
 * Two halves, split by the moment the `run` request is sent:
 *
 * Before it, anything this client does not handle exactly as the JVM CLI (RunOptions, picocli,
 * RunCommand) falls back: it prints nothing and execv's LAUNCHER with `run ARGS...` and
 * GLASSHOUSE_NATIVE=0 (the launcher then goes straight to the JVM: no loop). That is every option
 * it does not know (-t, -d, --help, --feature, --no-FEATURE, a typo), a repeated single-valued
 * option, an option's value that starts with '-' or '@' or is empty, a value it cannot convert
 * exactly as the JVM's converters do (--level 0..13 as digits, sizes, --cpus up to three decimals),
 * an argument starting with '@' (picocli's argument files), a second `--`, a non-ASCII argument
 * unless the locale is UTF-8 and the bytes valid UTF-8, a terminal charset other than UTF-8 or an
 * ASCII rendering the JVM picks (GB18030), a closed fd 0, 1 or 2, no helper, a refused connection
 * or a `hello` not answered ok.
 *
 * After it, the command may already run, so handing over would run it twice: from then on every
 * byte this client prints and its status are its own, and are the JVM's (AttachedSession,
 * RunCommand.failed, Exit): `output` events' base64 to fd 1 or 2 (whole, through partial writes;
 * a closed pipe loses the bytes and the rest goes on, as PrintStream does), `exited`'s code or
 * 128 + its signal, an error reply as "glasshouse run: MESSAGE" and the failing step's syscall line
 * with status 125 or 1 (Exit.of), the helper lost as "glasshouse run: lost the helper: REASON",
 * 125. Local stdin goes to the container once the reply named it, 64 KiB at a time, each piece
 * waiting for its reply (a `limit` one sent again after 5, 10, ... 200 ms), then its end (`eof`).
 * SIGINT, SIGTERM and SIGHUP end the client with 128 + N, as they end a JVM (unless they were
 * ignored when it started: then they stay ignored); the helper then kills the container its
 * connection held. Messages go out as Printable escapes them, in ASCII (TerminalText) when the
 * locale's charset is not UTF-8.
 *
 * GLASSHOUSE_RUN_ARGS_TEST=1: parses ARGS and prints the request it would send (or nothing and
 * status 3 where it would fall back), sends nothing: the option parser's test hook.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINE (1 << 20)

static char **g_argv;
static int g_argc;
static int sent;       /* the run request is out: no hand-over from here on */
static int args_test;  /* GLASSHOUSE_RUN_ARGS_TEST */

static void lost(const char *reason);

/* The JVM CLI, with the same arguments. Never returns. After the request: the JVM's words for a
 * line it cannot read (or memory gone), never a second run. */
static void fallback(void) {
  if (sent) lost("helper sent invalid JSON");
  if (args_test) _exit(3);
  char **av = calloc((size_t)g_argc + 2, sizeof *av);
  if (av == NULL || setenv("GLASSHOUSE_NATIVE", "0", 1) != 0 || g_argc < 2) _exit(70);
  av[0] = g_argv[1];
  av[1] = "run";
  for (int i = 2; i < g_argc; i++) av[i] = g_argv[i];
  av[g_argc] = NULL;
  execv(g_argv[1], av);
  fprintf(stderr, "glasshouse-run: cannot run %s: %s\n", g_argv[1], strerror(errno));
  _exit(70);
}

#include "glasshouse-json.h"

/* ---- bytes ---- */
typedef struct {
  char *b;
  size_t n, cap;
} buf;
static void b_add(buf *o, const char *p, size_t n) {
  if (o->n + n + 1 > o->cap) {
    while (o->n + n + 1 > o->cap) o->cap = o->cap ? o->cap * 2 : 256;
    o->b = realloc(o->b, o->cap);
    if (o->b == NULL) fallback();
  }
  memcpy(o->b + o->n, p, n);
  o->n += n;
  o->b[o->n] = '\0';
}
static void b_s(buf *o, const char *s) { b_add(o, s, strlen(s)); }
static void b_c(buf *o, char c) { b_add(o, &c, 1); }

/* JsonText.string (the protocol's writer): quote, backslash and controls escaped, the rest as is. */
static void b_json(buf *o, const char *s) {
  char hex[8];
  b_c(o, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
      case '"': b_s(o, "\\\""); break;
      case '\\': b_s(o, "\\\\"); break;
      case '\b': b_s(o, "\\b"); break;
      case '\t': b_s(o, "\\t"); break;
      case '\n': b_s(o, "\\n"); break;
      case '\f': b_s(o, "\\f"); break;
      case '\r': b_s(o, "\\r"); break;
      default:
        if (*p < 0x20) {
          snprintf(hex, sizeof hex, "\\u%04X", *p);
          b_s(o, hex);
        } else {
          b_c(o, (char)*p);
        }
    }
  }
  b_c(o, '"');
}

/* Strict UTF-8 (what a UTF-8 JVM decodes to the same bytes again). */
static int valid_utf8(const unsigned char *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned c = p[i++], cp, need, min;
    if (c < 0x80) continue;
    if ((c & 0xe0) == 0xc0) cp = c & 0x1f, need = 1, min = 0x80;
    else if ((c & 0xf0) == 0xe0) cp = c & 0x0f, need = 2, min = 0x800;
    else if ((c & 0xf8) == 0xf0) cp = c & 0x07, need = 3, min = 0x10000;
    else return 0;
    if (n - i < need) return 0;
    for (unsigned k = 0; k < need; k++) {
      if ((p[i] & 0xc0) != 0x80) return 0;
      cp = cp << 6 | (p[i++] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  }
  return 1;
}

/* ---- the terminal ---- */
static int unicode_terminal; /* the locale's charset is UTF-8: else the JVM writes its text in ASCII */

/* TerminalText.ascii: the CLI's own non-ASCII characters spelled out, any other one '?'. */
static const char *ascii_of(unsigned c) {
  switch (c) {
    case 0xb5: return "u";
    case 0x2192: return "->";
    case 0x2190: return "<-";
    case 0x2026: return "...";
    case 0x2014: return "--";
    case 0x2013: return "-";
    case 0x2500: return "-";
    case 0x251c: return "|";
    case 0x2514: return "`";
    case 0x2502: return "|";
    case 0xd7: return "x";
    case 0xb7: return ".";
    default: return "?";
  }
}

/* One line of the client's own text to fd 2, as System.err.println writes it. */
static void err_line(const str *s) {
  buf o = {0};
  for (size_t i = 0; i < s->n; i++) {
    unsigned c = s->u[i];
    int pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s->n && s->u[i + 1] >= 0xdc00 && s->u[i + 1] <= 0xdfff;
    if (c < 0x80) {
      b_c(&o, (char)c);
    } else if (!unicode_terminal) {
      b_s(&o, ascii_of(c));
      if (pair) i++;
    } else {
      if (pair) c = 0x10000 + ((c - 0xd800) << 10) + (s->u[++i] - 0xdc00u);
      else if (c >= 0xd800 && c <= 0xdfff) c = '?';
      char u[4];
      int k = 0;
      if (c < 0x80) {
        u[k++] = (char)c;
      } else if (c < 0x800) {
        u[k++] = (char)(0xc0 | c >> 6);
        u[k++] = (char)(0x80 | (c & 0x3f));
      } else if (c < 0x10000) {
        u[k++] = (char)(0xe0 | c >> 12);
        u[k++] = (char)(0x80 | (c >> 6 & 0x3f));
        u[k++] = (char)(0x80 | (c & 0x3f));
      } else {
        u[k++] = (char)(0xf0 | c >> 18);
        u[k++] = (char)(0x80 | (c >> 12 & 0x3f));
        u[k++] = (char)(0x80 | (c >> 6 & 0x3f));
        u[k++] = (char)(0x80 | (c & 0x3f));
      }
      b_add(&o, u, (size_t)k);
    }
  }
  b_c(&o, '\n');
  size_t off = 0;
  while (off < o.n) {
    ssize_t w = write(2, o.b + off, o.n - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    off += (size_t)w;
  }
  free(o.b);
}

/* "glasshouse run: " + printable(text) + extra, one line to stderr. */
static void say(const char *head, const str *text) {
  str l = {0};
  s_ascii(&l, "glasshouse run: ");
  if (head != NULL) s_ascii(&l, head);
  if (text != NULL) {
    str p = printable(text);
    s_cat(&l, &p);
  }
  err_line(&l);
}

/* The helper went away (or sent what a client cannot read) after the request: AttachedSession's
 * line when the reply had come, RunCommand.failed's (INTERNAL: 125) when it had not. */
static int replied;
static void lost(const char *reason) {
  str r = {0};
  s_ascii(&r, reason);
  say(replied ? "lost the helper: " : NULL, &r);
  _exit(125);
}

/* ---- the options (RunOptions) ---- */
enum { O_IMAGE, O_LEVEL, O_WORKDIR, O_NAME, O_HOSTNAME, O_USER, O_MEMORY, O_SWAP, O_SHARES, O_CPUS,
       O_PIDS, O_NETWORK, O_RESERVATION, O_SWAPPINESS, O_KMEM, O_ENV, O_CAPADD, O_CAPDROP, O_RM,
       O_OOMKD, O_OOMGROUP, O_COUNT };
static const struct {
  const char *a, *b, *c; /* its names */
  int list, flag;        /* repeatable (a list); a switch (no value) */
} OPTS[O_COUNT] = {
    [O_IMAGE] = {"-i", "--image", NULL, 0, 0},
    [O_LEVEL] = {"-l", "--level", NULL, 0, 0},
    [O_WORKDIR] = {"-w", "--workdir", NULL, 0, 0},
    [O_NAME] = {"--name", NULL, NULL, 0, 0},
    [O_HOSTNAME] = {"-h", "--hostname", NULL, 0, 0},
    [O_USER] = {"-u", "--user", NULL, 0, 0},
    [O_MEMORY] = {"-m", "--memory", NULL, 0, 0},
    [O_SWAP] = {"--memory-swap", NULL, NULL, 0, 0},
    [O_SHARES] = {"-c", "--cpu-shares", NULL, 0, 0},
    [O_CPUS] = {"--cpus", NULL, NULL, 0, 0},
    [O_PIDS] = {"--pids-max", "--pids-limit", NULL, 0, 0},
    [O_NETWORK] = {"--network", "--net", NULL, 0, 0},
    [O_RESERVATION] = {"--memory-reservation", NULL, NULL, 0, 0},
    [O_SWAPPINESS] = {"--memory-swappiness", NULL, NULL, 0, 0},
    [O_KMEM] = {"--kernel-memory", NULL, NULL, 0, 0},
    [O_ENV] = {"-e", "--env", NULL, 1, 0},
    [O_CAPADD] = {"--cap-add", NULL, NULL, 1, 0},
    [O_CAPDROP] = {"--cap-drop", NULL, NULL, 1, 0},
    [O_RM] = {"--rm", NULL, NULL, 0, 1},
    [O_OOMKD] = {"--oom-kill-disable", NULL, NULL, 0, 1},
    [O_OOMGROUP] = {"--oom-group", NULL, NULL, 0, 1},
};
static const char *val[O_COUNT];
static int seen[O_COUNT];
static const char **lists[O_COUNT];
static int nlist[O_COUNT];
static const char **cmd;
static int ncmd;

static int name_is(const char *arg, size_t n, const char *name) {
  return name != NULL && strlen(name) == n && memcmp(arg, name, n) == 0;
}

/* Converters.whole for digits only (the JVM also takes a sign and blanks: those fall back). */
static long long whole(const char *s, long long min, long long max) {
  size_t n = strlen(s);
  if (n == 0 || n > 9) fallback();
  long long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') fallback();
    v = v * 10 + (s[i] - '0');
  }
  if (v < min || v > max) fallback();
  return v;
}

/* Converters.size: digits, then k, m or g, then b, any case; 1 byte to 4 TiB. */
static long long size(const char *s) {
  size_t n = strlen(s), d = 0;
  long long v = 0, unit = 1;
  while (d < n && s[d] >= '0' && s[d] <= '9') {
    if (d >= 15) fallback();
    v = v * 10 + (s[d++] - '0');
  }
  if (d == 0) fallback();
  const char *t = s + d;
  if (*t == 'k' || *t == 'K') unit = 1LL << 10, t++;
  else if (*t == 'm' || *t == 'M') unit = 1LL << 20, t++;
  else if (*t == 'g' || *t == 'G') unit = 1LL << 30, t++;
  if (*t == 'b' || *t == 'B') t++;
  if (*t != '\0' || v <= 0 || v > (1LL << 42) / unit) fallback();
  return v * unit;
}

/* --cpus: Double.parseDouble, then Double.toString as the request writes it, for the forms whose
 * Double.toString is plain to see: up to 4 integer digits and 3 decimals, more than 0, at most
 * 1024 (NativeRunTest checks every such value against the JVM's). */
static void cpus(buf *o, const char *s) {
  const char *dot = strchr(s, '.');
  size_t ni = dot ? (size_t)(dot - s) : strlen(s), nf = dot ? strlen(dot + 1) : 0;
  if (ni == 0 || ni > 4 || (dot && (nf == 0 || nf > 3))) fallback();
  long ip = 0, fp = 0;
  for (size_t i = 0; i < ni; i++) {
    if (s[i] < '0' || s[i] > '9') fallback();
    ip = ip * 10 + (s[i] - '0');
  }
  char frac[4] = "";
  for (size_t i = 0; i < nf; i++) {
    if (dot[1 + i] < '0' || dot[1 + i] > '9') fallback();
    frac[i] = dot[1 + i];
    fp = fp * 10 + (dot[1 + i] - '0');
  }
  while (nf > 0 && frac[nf - 1] == '0') frac[--nf] = '\0';
  if ((ip == 0 && fp == 0) || ip > 1024 || (ip == 1024 && fp != 0)) fallback();
  char t[32];
  snprintf(t, sizeof t, "%ld.%s", ip, nf ? frac : "0");
  b_s(o, t);
}

/* An argument the JVM reads as the same bytes: ASCII, or valid UTF-8 under a UTF-8 locale. */
static int jnu_utf8;
static void same_in_java(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p >= 0x80) {
      if (!jnu_utf8 || !valid_utf8((const unsigned char *)s, strlen(s))) fallback();
      return;
    }
  }
}

static void parse_args(void) {
  int i = 2, dashdash = 0;
  for (int k = 2; k < g_argc; k++) {
    if (g_argv[k][0] == '@') fallback(); /* picocli's @argument files */
    if (strcmp(g_argv[k], "--") == 0 && dashdash++) fallback();
    same_in_java(g_argv[k]);
  }
  for (; i < g_argc; i++) {
    const char *a = g_argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (a[0] != '-') break; /* the command: everything from here on is its (stopAtPositional) */
    const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
    size_t n = eq ? (size_t)(eq - a) : strlen(a);
    int o;
    for (o = 0; o < O_COUNT; o++)
      if (name_is(a, n, OPTS[o].a) || name_is(a, n, OPTS[o].b) || name_is(a, n, OPTS[o].c)) break;
    if (o == O_COUNT) fallback(); /* -t, -d, --help, --feature, --no-…, a typo: the JVM's */
    if (seen[o] && !OPTS[o].list) fallback(); /* picocli: "should be specified only once" */
    seen[o] = 1;
    if (OPTS[o].flag) {
      if (eq) fallback();
      continue;
    }
    const char *v = eq ? eq + 1 : (i + 1 < g_argc ? g_argv[++i] : NULL);
    if (v == NULL || v[0] == '\0' || v[0] == '-') fallback();
    if (OPTS[o].list) {
      lists[o] = realloc(lists[o], (size_t)(nlist[o] + 1) * sizeof *lists[o]);
      if (lists[o] == NULL) fallback();
      lists[o][nlist[o]++] = v;
    } else {
      val[o] = v;
    }
  }
  if (i >= g_argc) fallback(); /* no command: picocli's "Missing required parameter" */
  cmd = (const char **)g_argv + i;
  ncmd = g_argc - i;
}

static void b_num(buf *o, const char *name, long long v, int *first) {
  char t[48];
  snprintf(t, sizeof t, "%s\"%s\":%lld", *first ? "" : ",", name, v);
  *first = 0;
  b_s(o, t);
}

/* RunOptions.spec, as InitCodec writes it and JsonText writes it again: the request's bytes. */
static void request(buf *o) {
  long long level = val[O_LEVEL] ? whole(val[O_LEVEL], 0, 13) : -1;
  buf lim = {0};
  int lf = 1;
  if (val[O_MEMORY]) b_num(&lim, "memoryBytes", size(val[O_MEMORY]), &lf);
  if (val[O_SWAP]) b_num(&lim, "memorySwapBytes", size(val[O_SWAP]), &lf);
  if (val[O_SHARES]) b_num(&lim, "cpuShares", whole(val[O_SHARES], 2, 262144), &lf);
  if (val[O_CPUS]) {
    b_s(&lim, lf ? "\"cpus\":" : ",\"cpus\":");
    lf = 0;
    cpus(&lim, val[O_CPUS]);
  }
  if (val[O_PIDS]) b_num(&lim, "pidsMax", whole(val[O_PIDS], 1, 4194304), &lf);
  if (val[O_RESERVATION]) b_num(&lim, "memorySoftBytes", size(val[O_RESERVATION]), &lf);
  if (val[O_SWAPPINESS]) b_num(&lim, "memorySwappiness", whole(val[O_SWAPPINESS], 0, 100), &lf);
  if (seen[O_OOMKD]) b_s(&lim, lf ? "\"oomKillDisable\":true" : ",\"oomKillDisable\":true"), lf = 0;
  if (seen[O_OOMGROUP]) b_s(&lim, lf ? "\"oomGroup\":true" : ",\"oomGroup\":true"), lf = 0;
  if (val[O_KMEM]) b_num(&lim, "kernelMemoryBytes", size(val[O_KMEM]), &lf);
  if (val[O_NETWORK] && strcmp(val[O_NETWORK], "none") != 0 && strcmp(val[O_NETWORK], "bridge") != 0)
    fallback();

  /* -e: NAME=VALUE, or NAME alone for this shell's value (left out without one); a later one wins,
   * in the place of the first (a LinkedHashMap). */
  const char **names = calloc((size_t)nlist[O_ENV] + 1, sizeof *names);
  const char **values = calloc((size_t)nlist[O_ENV] + 1, sizeof *values);
  size_t *lens = calloc((size_t)nlist[O_ENV] + 1, sizeof *lens);
  int nenv = 0;
  if (names == NULL || values == NULL || lens == NULL) fallback();
  for (int k = 0; k < nlist[O_ENV]; k++) {
    const char *kv = lists[O_ENV][k], *eq = strchr(kv, '='), *v;
    size_t n;
    if (eq == kv) fallback(); /* "-e needs NAME=VALUE": the JVM's usage error */
    if (eq == NULL) {
      n = strlen(kv);
      v = getenv(kv);
      if (v == NULL) continue;
      same_in_java(v);
    } else {
      n = (size_t)(eq - kv);
      v = eq + 1;
    }
    int m;
    for (m = 0; m < nenv; m++)
      if (lens[m] == n && memcmp(names[m], kv, n) == 0) break;
    if (m == nenv) names[nenv] = kv, lens[nenv] = n, nenv++;
    values[m] = v;
  }

  b_s(o, "{\"id\":2,\"op\":\"run\",\"attach\":true,\"steps\":false,\"spec\":{");
  int first = 1;
  const char *image = val[O_IMAGE] ? val[O_IMAGE] : level > 0 ? "busybox" : NULL;
  if (image) {
    b_s(o, "\"image\":");
    b_json(o, image);
    first = 0;
  }
  b_s(o, first ? "\"argv\":[" : ",\"argv\":[");
  first = 0;
  for (int k = 0; k < ncmd; k++) {
    if (k) b_c(o, ',');
    b_json(o, cmd[k]);
  }
  b_s(o, "],\"env\":{");
  for (int m = 0; m < nenv; m++) {
    char *nm = strndup(names[m], lens[m]);
    if (nm == NULL) fallback();
    if (m) b_c(o, ',');
    b_json(o, nm);
    b_c(o, ':');
    b_json(o, values[m]);
    free(nm);
  }
  b_c(o, '}');
  if (val[O_WORKDIR]) b_s(o, ",\"workdir\":"), b_json(o, val[O_WORKDIR]);
  b_s(o, ",\"tty\":false");
  if (level >= 0) b_num(o, "level", level, &first);
  if (lim.n) b_s(o, ",\"limits\":{"), b_add(o, lim.b, lim.n), b_c(o, '}');
  if (val[O_USER]) b_s(o, ",\"user\":"), b_json(o, val[O_USER]);
  if (val[O_HOSTNAME]) b_s(o, ",\"hostname\":"), b_json(o, val[O_HOSTNAME]);
  if (val[O_NAME]) b_s(o, ",\"name\":"), b_json(o, val[O_NAME]);
  b_s(o, seen[O_RM] ? ",\"rm\":true" : ",\"rm\":false");
  for (int l = O_CAPADD; l <= O_CAPDROP; l++) {
    if (!nlist[l]) continue;
    b_s(o, l == O_CAPADD ? ",\"capAdd\":[" : ",\"capDrop\":[");
    for (int k = 0; k < nlist[l]; k++) {
      if (k) b_c(o, ',');
      b_json(o, lists[l][k]);
    }
    b_c(o, ']');
  }
  if (val[O_NETWORK]) b_s(o, ",\"network\":"), b_json(o, val[O_NETWORK]);
  b_s(o, "}}");
  if (o->n > MAX_LINE) fallback(); /* the JVM's "exceeds the 1048576-byte line limit" */
  b_c(o, '\n');
}

/* ---- the connection ---- */
static int sock = -1;
static char *rbuf;
static size_t rlen;
static void send_all(const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = send(sock, s, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      if (!sent) fallback();
      /* HelperClient: the write failed, so the connection is shut with this reason. */
      char r[256];
      snprintf(r, sizeof r, "writing to the helper failed: %s", strerror(errno));
      lost(r);
    }
    s += w, n -= (size_t)w;
  }
}

/* The next whole line in the buffer (newline and a trailing \r removed), or NULL. */
static char *take_line(size_t *len) {
  char *nl = rlen ? memchr(rbuf, '\n', rlen) : NULL;
  if (nl == NULL) {
    if (rlen > MAX_LINE) {
      if (!sent) fallback();
      lost("the helper sent a line that is too long or not UTF-8");
    }
    return NULL;
  }
  size_t n = (size_t)(nl - rbuf);
  static char *line;
  static size_t cap;
  if (n + 1 > cap) {
    cap = n + 1;
    line = realloc(line, cap);
    if (line == NULL) fallback();
  }
  memcpy(line, rbuf, n);
  memmove(rbuf, nl + 1, rlen - n - 1);
  rlen -= n + 1;
  if (n > 0 && line[n - 1] == '\r') n--;
  line[n] = '\0';
  *len = n;
  return line;
}

/* One read from the helper; its end (before the request: the JVM's to say). */
static void fill(void) {
  ssize_t r;
  do r = read(sock, rbuf + rlen, MAX_LINE + 2 - rlen);
  while (r < 0 && errno == EINTR);
  if (r == 0) {
    if (!sent) fallback();
    lost("the helper closed the connection");
  }
  if (r < 0) {
    if (!sent) fallback();
    char m[256];
    snprintf(m, sizeof m, "lost the helper: %s", strerror(errno));
    lost(m);
  }
  rlen += (size_t)r;
}

/* Base64 (RFC 4648, padding optional as java.util.Base64's decoder takes it). */
static int b64(const str *s, buf *o) {
  unsigned acc = 0;
  int bits = 0;
  size_t i = 0;
  o->n = 0;
  for (; i < s->n; i++) {
    unsigned c = s->u[i], v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') break;
    else return 0;
    acc = acc << 6 | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      b_c(o, (char)(acc >> bits & 0xff));
    }
  }
  size_t pad = s->n - i;
  if (bits == 6) return 0;
  if (pad && !((bits == 4 && pad == 2) || (bits == 2 && pad == 1))) return 0;
  for (; i < s->n; i++)
    if (s->u[i] != '=') return 0;
  return 1;
}

/* All of it to fd, as PrintStream.write then flush: a failure (a closed pipe) loses the bytes. */
static void write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EAGAIN) {
      struct pollfd pf = {.fd = fd, .events = POLLOUT};
      poll(&pf, 1, -1);
      continue;
    }
    if (w <= 0) return;
    p += w, n -= (size_t)w;
  }
}

static int str_eq(const json *j, const char *a) {
  if (!is_str(j) || j->s.n != strlen(a)) return 0;
  for (size_t i = 0; i < j->s.n; i++)
    if (j->s.u[i] != (uint8_t)a[i]) return 0;
  return 1;
}
/* JsonNode.asText of a scalar, as the JVM takes a field it expects to be text. */
static str as_text(const json *j, const char *dflt) {
  str r = {0};
  char t[32];
  if (j == NULL || j->type == J_NULL) s_ascii(&r, dflt);
  else if (j->type == J_STR) r = j->s;
  else if (j->type == J_INT) snprintf(t, sizeof t, "%lld", j->i), s_ascii(&r, t);
  else if (j->type == J_BOOL) s_ascii(&r, j->b ? "true" : "false");
  else s_ascii(&r, dflt);
  return r;
}

/* A text field of a step entry, NULL when absent or null. */
static const str *text_field(const json *o, const char *f) {
  const json *j = get(o, f);
  return is_str(j) ? &j->s : NULL;
}

/* RunCommand.failed: the helper's sentence, the failing step as a syscall line, Exit.of. */
static void failed(const json *error) {
  const json *code = get(error, "code"), *msg = get(error, "message"), *step = get(error, "step");
  str m = as_text(msg, "");
  say(NULL, &m);
  static const char *helper[] = {"internal", "step_failed", "unsupported_version", "malformed_json",
                                 "line_too_long", "unknown_op"};
  static const char *known[] = {"bad_request", "forbidden", "not_found", "conflict", "limit"};
  int status = 125; /* an unknown code reads as internal */
  for (size_t k = 0; k < sizeof known / sizeof *known; k++)
    if (str_eq(code, known[k])) status = 1;
  for (size_t k = 0; k < sizeof helper / sizeof *helper; k++)
    if (str_eq(code, helper[k])) status = 125;
  /* The step as Jackson binds a StepEntry (unknown names refused): else no step line. */
  if (step != NULL && step->type == J_OBJ) {
    static const char *fields[] = {"seq", "step", "stage", "call", "args", "ok", "result", "errno",
                                   "message", "explanation", "durationNanos"};
    int good = 1;
    for (size_t k = 0; k < step->n && good; k++) {
      size_t f;
      for (f = 0; f < 11; f++) {
        size_t fl = strlen(fields[f]), c = 0;
        if (step->k[k].n != fl) continue;
        while (c < fl && step->k[k].u[c] == (uint8_t)fields[f][c]) c++;
        if (c == fl) break;
      }
      if (f == 11) good = 0;
      else if (f == 0 || f == 10) good = step->v[k]->type == J_INT || step->v[k]->type == J_NULL;
      else if (f == 5) good = step->v[k]->type == J_BOOL || step->v[k]->type == J_NULL;
      else good = step->v[k]->type == J_STR || step->v[k]->type == J_NULL;
    }
    if (good) {
      const json *ok = get(step, "ok");
      str d = {0}, nul = {0};
      s_ascii(&nul, "null");
#define TEXT(f) text_field(step, f)
      s_cat(&d, TEXT("call") ? TEXT("call") : &nul);
      s_add(&d, '(');
      if (TEXT("args")) s_cat(&d, TEXT("args"));
      s_add(&d, ')');
      if (ok != NULL && ok->type == J_BOOL && ok->b) {
        s_ascii(&d, " = ");
        s_cat(&d, TEXT("result") ? TEXT("result") : &nul);
      } else {
        s_ascii(&d, " = -1");
        if (TEXT("errno")) s_add(&d, ' '), s_cat(&d, TEXT("errno"));
        if (TEXT("message")) s_ascii(&d, " ("), s_cat(&d, TEXT("message")), s_add(&d, ')');
        if (TEXT("explanation")) s_ascii(&d, ": "), s_cat(&d, TEXT("explanation"));
      }
      str l = {0}, p;
      s_ascii(&l, "  step ");
      p = printable(TEXT("step") ? TEXT("step") : &nul);
      s_cat(&l, &p);
      s_ascii(&l, ": ");
      p = printable(&d);
      s_cat(&l, &p);
#undef TEXT
      err_line(&l);
    }
  }
  _exit(status);
}

/* ---- signals: a JVM's end (Terminator), 128 + N; the helper kills what the connection held ---- */
static void on_signal(int sig) { _exit(128 + sig); }
static void shutdown_signals(void) {
  int sigs[] = {SIGHUP, SIGINT, SIGTERM};
  for (int k = 0; k < 3; k++) {
    struct sigaction old;
    if (sigaction(sigs[k], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue; /* stays so */
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(sigs[k], &sa, NULL);
  }
  signal(SIGPIPE, SIG_IGN); /* as the JVM: EPIPE, not a signal */
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* {"id":N,"op":"stdin",TAIL: one request of the session's stdin; its id. */
static long long next_id = 3;
static long long stdin_request(const buf *tail) {
  buf r = {0};
  char h[64];
  long long id = next_id++;
  snprintf(h, sizeof h, "{\"id\":%lld,\"op\":\"stdin\",", id);
  b_s(&r, h);
  b_add(&r, tail->b, tail->n);
  send_all(r.b, r.n);
  free(r.b);
  return id;
}

static void base64(buf *o, const char *p, size_t n) {
  static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t k = 0; k < n; k += 3) {
    unsigned v = (unsigned)(unsigned char)p[k] << 16;
    if (k + 1 < n) v |= (unsigned)(unsigned char)p[k + 1] << 8;
    if (k + 2 < n) v |= (unsigned char)p[k + 2];
    char q[4] = {al[v >> 18 & 63], al[v >> 12 & 63], k + 1 < n ? al[v >> 6 & 63] : '=', k + 2 < n ? al[v & 63] : '='};
    b_add(o, q, 4);
  }
}

/* The reply's container id as bytes (UTF-8). */
static const char *container_id(const str *s) {
  static buf b;
  if (b.b != NULL) return b.b;
  b_s(&b, "");
  for (size_t k = 0; k < s->n; k++) {
    if (s->u[k] >= 0x80 || s->u[k] == 0) lost("helper sent a container id that is not ASCII");
    b_c(&b, (char)s->u[k]);
  }
  return b.b;
}

int main(int argc, char **argv) {
  g_argc = argc;
  g_argv = argv;
  json_on_fail(fallback);
  if (argc < 2) {
    fprintf(stderr, "usage: glasshouse-run LAUNCHER [ARGS...] (run by the glasshouse launcher)\n");
    return 2;
  }
  const char *t = getenv("GLASSHOUSE_RUN_ARGS_TEST");
  args_test = t != NULL && strcmp(t, "1") == 0;
  shutdown_signals();
  /* fd 0, 1 and 2 open: else the socket would take one of their numbers. */
  for (int fd = 0; fd <= 2; fd++)
    if (fcntl(fd, F_GETFD) < 0) fallback();
  /* The JVM's charsets: argv and the environment (sun.jnu.encoding) and its own text
   * (native.encoding) are the locale's codeset. */
  const char *cs = setlocale(LC_ALL, "") != NULL ? nl_langinfo(CODESET) : "ANSI_X3.4-1968";
  if (cs == NULL) cs = "ANSI_X3.4-1968";
  jnu_utf8 = unicode_terminal = strcmp(cs, "UTF-8") == 0;
  if (!unicode_terminal && (strncmp(cs, "UTF-", 4) == 0 || strcmp(cs, "GB18030") == 0)) fallback();
  parse_args();
  buf req = {0};
  request(&req);
  if (args_test) {
    fwrite(req.b, 1, req.n, stdout);
    return 0;
  }

  const char *path = getenv("GLASSHOUSE_SOCKET");
  int blank = 1;
  for (const char *p = path; p != NULL && *p; p++)
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\f' && *p != '\v') blank = 0;
  if (path == NULL || blank) path = "/run/glasshouse/helper.sock";
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof sa.sun_path) fallback();
  strcpy(sa.sun_path, path);
  sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0 || connect(sock, (struct sockaddr *)&sa, sizeof sa) != 0) fallback();
  rbuf = malloc(MAX_LINE + 2);
  if (rbuf == NULL) fallback();
  static const char hello[] = "{\"id\":1,\"op\":\"hello\",\"version\":1,\"client\":\"glasshouse-run\"}\n";
  send_all(hello, sizeof hello - 1);
  for (;;) {
    size_t n;
    char *l = take_line(&n);
    if (l == NULL) {
      fill();
      continue;
    }
    if (n == 0) continue;
    json *j = parse(l, n);
    const json *id = get(j, "id"), *ok = get(j, "ok");
    if (j == NULL || id == NULL || id->type != J_INT || id->i != 1 || ok == NULL || ok->type != J_BOOL || !ok->b)
      fallback(); /* an error, an event, a line it cannot read: the JVM says what it means */
    break;
  }

  sent = 1;
  send_all(req.b, req.n);

  /* The attached session. */
  str container = {0};
  int exited = 0, status = 0;
  int stdin_open = 1;            /* local stdin still to be copied */
  long long stdin_id = 0;        /* the stdin piece awaiting its reply */
  long long retry_at = -1, pause = 5;
  buf piece = {0}, data = {0};
  (void)stdin_request;
  static char in[64 * 1024];
  for (;;) {
    size_t n;
    char *l;
    while ((l = take_line(&n)) != NULL) {
      if (n == 0) continue;
      int blank_line = 1;
      for (size_t k = 0; k < n && blank_line; k++)
        if (l[k] != ' ' && l[k] != '\t' && l[k] != '\r' && l[k] != '\f' && l[k] != 0x0b) blank_line = 0;
      if (blank_line) continue;
      if (!valid_utf8((unsigned char *)l, n)) lost("the helper sent a line that is too long or not UTF-8");
      json *j = parse(l, n);
      if (j == NULL) lost("helper sent invalid JSON");
      if (j->type != J_OBJ) lost("helper sent something that is not a JSON object");
      const json *ev = get(j, "event");
      if (ev != NULL && ev->type != J_NULL) {
        if (str_eq(ev, "output")) {
          str d = as_text(get(j, "data"), "");
          if (!b64(&d, &data)) lost("helper sent invalid base64");
          write_all(str_eq(get(j, "stream"), "stderr") ? 2 : 1, data.b ? data.b : "", data.n);
        } else if (str_eq(ev, "exited")) {
          const json *code = get(j, "code"), *sig = get(j, "signal");
          if (code != NULL && code->type == J_INT) status = (int)code->i;
          else status = 128 + (sig != NULL && sig->type == J_INT ? (int)sig->i : 0);
          exited = 1;
          if (replied) _exit(status);
        }
        continue;
      }
      const json *ok = get(j, "ok"), *id = get(j, "id");
      if (ok == NULL || ok->type != J_BOOL) lost("helper sent a line that is neither a reply nor an event");
      /* Whose reply: its id's, or (no id) the oldest request waiting for one. */
      long long whose = id == NULL || id->type == J_NULL ? (!replied ? 2 : stdin_id)
                        : id->type == J_INT ? id->i : -1;
      if (whose == 2 && !replied) {
        if (!ok->b) failed(get(j, "error"));
        const json *res = get(j, "result");
        container = as_text(get(res, "container"), "");
        replied = 1;
        if (exited) _exit(status);
      } else if (whose != 0 && whose == stdin_id) {
        stdin_id = 0;
        if (!ok->b) {
          if (str_eq(get(get(j, "error"), "code"), "limit")) {
            retry_at = now_ms() + pause; /* the container reads what waits; room comes back */
            pause = pause * 2 > 200 ? 200 : pause * 2;
          } else {
            stdin_open = 0; /* the process or the connection is gone: nothing more to send */
          }
        } else {
          piece.n = 0;
          pause = 5;
        }
      }
    }
    /* Send a piece again once its pause is over. */
    if (retry_at >= 0 && now_ms() >= retry_at) {
      retry_at = -1;
      stdin_id = stdin_request(&piece);
    }
    struct pollfd pf[2] = {{.fd = sock, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
    int reading = replied && stdin_open && stdin_id == 0 && retry_at < 0;
    long long wait = retry_at < 0 ? -1 : retry_at - now_ms();
    if (poll(pf, reading ? 2 : 1, retry_at < 0 ? -1 : wait < 0 ? 0 : (int)wait) < 0 && errno != EINTR)
      lost("poll failed");
    if (pf[0].revents) fill();
    if (reading && pf[1].revents) {
      ssize_t r = read(0, in, sizeof in);
      if (r < 0 && errno == EINTR) continue;
      /* "container":ID, then the data or (the end of local stdin, or a read error: the same) eof */
      piece.n = 0;
      b_s(&piece, "\"container\":");
      b_json(&piece, container_id(&container));
      if (r > 0) {
        b_s(&piece, ",\"data\":\"");
        base64(&piece, in, (size_t)r);
        b_s(&piece, "\"}\n");
        stdin_id = stdin_request(&piece);
      } else {
        b_s(&piece, ",\"eof\":true}\n");
        stdin_request(&piece);
        stdin_open = 0;
      }
    }
  }
}
