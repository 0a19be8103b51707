/*
 * glasshouse-init: the native init stage (issue 16).
 *
 * The helper spawns this program (posix_spawn from the thread that unshared the container's
 * namespaces, as it spawns the init JVM) and it runs the init stage's steps: not decided here, but
 * received as an op list that the helper recorded from InitStage.run() in Java. The plan, the
 * order of the steps, their step-log text and their explanations stay in the helper; this program
 * only makes the calls and answers one line per op with its result and duration.
 *
 * Channel (a Unix socket in the helper's state dir, named by GLASSHOUSE_INIT_SOCKET):
 *   init   -> helper  {"type":"hello","token":"<hex>"}       the one-time token, as the JVM init
 *   helper -> init    one op a line, then "end"
 *   init   -> helper  "<i> ok <result> <nanos>"              op i returned result (0, an fd)
 *                     "<i> tol <nanos>"                      op i failed with its tolerated errno
 *                     "<i> skip"                             op i not run (an earlier op said so)
 *                     "<i> err <errno> <nanos> <strerror>"   op i failed: the init exits 125
 *                     "<i> refused"                          the helper's refusal, reached
 *                     "<i> ready <pid>"                      the "ready" op; the helper says "go"
 *                     "<i> exec <path>"                      about to execve (the channel is
 *                                                            close-on-exec: its end says it worked)
 *                                                            or to spawn the command
 *                     "<i> spawned <pid> <nanos>"            the command was spawned (an exec into
 *                                                            a PID namespace); the init closes the
 *                                                            channel and runs its last ops silently
 *                     "bad <line> <reason>"                  a malformed op list: nothing was run
 *                     "<i> abort <reason>"                   the run stopped at op i, a sync point
 *                                                            that got another word than it waits
 *                                                            for: the ops before it ran
 *
 * An op line: <name> <slot> <tolerated errno> <skip if ok> <skip if tolerated> <args...>. An fd
 * an op opens is moved to the number <slot>, which the helper chose and already wrote into the
 * text of later ops ("/proc/self/fd/100/dev"). Arguments: a decimal integer; a string as ' then
 * its bytes with every byte <= 0x20, >= 0x7f and '%' written %XX; ~ for none; a list as its count
 * then its strings; a seccomp filter as its count then code jt jf k per instruction.
 *
 * Input is hostile until proven otherwise: every line is parsed and checked before the first op
 * runs, and a malformed one is a "bad" answer, never a crash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FAILED 125
#define MAX_LINE (256 * 1024)
#define MAX_OPS 2048
#define MAX_ARGS 8
#define MAX_LIST 4096
#define SLOT_MIN 10
#define SLOT_MAX 1023

struct op;
typedef long (*run_fn)(struct op *);

struct spec {
    const char *name;
    /* One letter per argument: i integer, s string or ~, S string, l list of strings, f filter. */
    const char *args;
    run_fn run;
    int opens; /* returns an fd to move to the op's slot */
};

struct op {
    const struct spec *spec;
    long slot;
    int tolerated;
    long skip_ok;
    long skip_tolerated;
    long long num[MAX_ARGS];
    char *str[MAX_ARGS];
    char **list[MAX_ARGS];
    long list_n[MAX_ARGS];
    struct sock_filter *filter;
    long filter_n;
};

static int chan = -1;
static char out[64 * 1024];
static size_t out_len;
static char in[MAX_LINE + 1];
static size_t in_len, in_pos;
static struct op ops[MAX_OPS];
static long n_ops;
static long current;
static int running;      /* the list was checked and its ops run: a failure now is an "abort" */
static pid_t child;      /* the command an exec's init spawned ("spawn") */
static int child_status; /* its wait status ("waitpid") */

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void flush(void) {
    size_t done = 0;
    while (done < out_len) {
        /* MSG_NOSIGNAL: a helper that hung up is an EPIPE here, not a death by SIGPIPE. */
        ssize_t w = send(chan, out + done, out_len - done, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(FAILED); /* the helper is gone: nobody to tell */
        done += (size_t)w;
    }
    out_len = 0;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
    if (chan < 0)
        return; /* after "spawned": the helper hears nothing more from this init */
    va_list ap;
    char line[16 * 1024]; /* room for an escaped path of PATH_MAX bytes */
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n > sizeof line - 2)
        n = sizeof line - 2;
    line[n++] = '\n';
    if (out_len + (size_t)n > sizeof out)
        flush();
    memcpy(out + out_len, line, (size_t)n);
    out_len += (size_t)n;
}

/*
 * Ends the init after its last answer. Closed with unread input (the op list's tail, "roots"), a
 * Unix socket resets the helper's end before it has read that answer: so the init says it is done
 * writing, and reads and drops what the helper still sends (up to 16 MiB) until the helper, having
 * read everything, closes its end.
 */
static void leave(void) __attribute__((noreturn));
static void leave(void) {
    if (chan < 0)
        _exit(FAILED);
    flush();
    shutdown(chan, SHUT_WR);
    for (long dropped = 0; dropped < (16L << 20);) {
        ssize_t r = read(chan, in, sizeof in);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        dropped += r;
    }
    _exit(FAILED);
}

/* A malformed op list, or once the ops run a channel message that is not the awaited one: said
 * once, nothing more run. */
static void die(const char *fmt, ...) {
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (chan >= 0) {
        if (running)
            say("%ld abort %s", current, why);
        else
            say("bad %ld %s", current + 1, why);
        leave();
    }
    fprintf(stderr, "glasshouse-init: %s\n", why);
    _exit(FAILED);
}

/* The next line from the helper, without its newline; NULL at end of stream. */
static char *next_line(void) {
    for (;;) {
        char *nl = memchr(in + in_pos, '\n', in_len - in_pos);
        if (nl) {
            char *line = in + in_pos;
            *nl = 0;
            in_pos = (size_t)(nl - in) + 1;
            return line;
        }
        if (in_pos > 0) {
            memmove(in, in + in_pos, in_len - in_pos);
            in_len -= in_pos;
            in_pos = 0;
        }
        if (in_len == MAX_LINE)
            die("a line longer than %d bytes", MAX_LINE);
        ssize_t r = read(chan, in + in_len, MAX_LINE - in_len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return NULL;
        in_len += (size_t)r;
    }
}

static char *next_op_line(void) {
    char *line = next_line();
    if (!line)
        die("the helper closed the channel before the op list ended");
    /* Ops are kept until they run: each line moves to memory of its own. */
    char *copy = strdup(line);
    if (!copy)
        die("out of memory");
    return copy;
}

static long long parse_int(char *tok) {
    char *end;
    if (!tok || !*tok)
        die("a missing integer");
    errno = 0;
    long long v = strtoll(tok, &end, 10);
    if (errno || *end)
        die("not an integer: %.40s", tok);
    return v;
}

static int hex(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes a string token in place; NULL for ~. */
static char *parse_str(char *tok, int nullable) {
    if (!tok)
        die("a missing string");
    if (strcmp(tok, "~") == 0) {
        if (!nullable)
            die("a string that may not be absent is");
        return NULL;
    }
    if (tok[0] != '\'')
        die("not a string: %.40s", tok);
    char *w = tok;
    for (char *r = tok + 1; *r; r++) {
        if (*r == '%') {
            int hi = hex(r[1]), lo = hi < 0 ? -1 : hex(r[2]);
            if (hi < 0 || lo < 0)
                die("a bad %%-escape in a string");
            if (hi == 0 && lo == 0)
                die("a NUL byte in a string");
            *w++ = (char)(hi << 4 | lo);
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = 0;
    return tok;
}

static char *tokens;
static char *next_tok(void) { return strsep(&tokens, " "); }

static long range(long long v, long long lo, long long hi, const char *what) {
    if (v < lo || v > hi)
        die("%s out of range: %lld", what, v);
    return (long)v;
}

/* ---- the ops: each returns its result (>= 0) or -errno ---- */

static long ret(long r) { return r < 0 ? -errno : r; }

static long op_dumpable(struct op *o) { return ret(prctl(PR_SET_DUMPABLE, (unsigned long)o->num[0], 0, 0, 0)); }
static long op_open(struct op *o) { return ret(open(o->str[0], (int)o->num[1], 0)); }
static long op_openat2(struct op *o) {
    struct open_how how = {
        .flags = (uint64_t)o->num[2], .mode = (uint64_t)o->num[3], .resolve = (uint64_t)o->num[4]};
    return ret(syscall(SYS_openat2, (int)o->num[0], o->str[1], &how, sizeof how));
}
static long op_mount(struct op *o) {
    return ret(mount(o->str[0], o->str[1], o->str[2], (unsigned long)o->num[3], o->str[4]));
}
static long op_umount2(struct op *o) { return ret(umount2(o->str[0], (int)o->num[1])); }
static long op_pivot_root(struct op *o) { return ret(syscall(SYS_pivot_root, o->str[0], o->str[1])); }
static long op_chroot(struct op *o) { return ret(chroot(o->str[0])); }
static long op_chdir(struct op *o) { return ret(chdir(o->str[0])); }
static long op_fchdir(struct op *o) { return ret(fchdir((int)o->num[0])); }
static long op_rmdir(struct op *o) { return ret(rmdir(o->str[0])); }
static long op_mkdir(struct op *o) { return ret(mkdir(o->str[0], (mode_t)o->num[1])); }
static long op_sethostname(struct op *o) { return ret(sethostname(o->str[0], strlen(o->str[0]))); }
static long op_unshare(struct op *o) { return ret(unshare((int)o->num[0])); }
static long op_setns(struct op *o) { return ret(setns((int)o->num[0], (int)o->num[1])); }
static long op_mkdirat(struct op *o) { return ret(mkdirat((int)o->num[0], o->str[1], (mode_t)o->num[2])); }
static long op_mknodat(struct op *o) {
    dev_t dev = makedev((unsigned)o->num[3], (unsigned)o->num[4]);
    return ret(mknodat((int)o->num[0], o->str[1], S_IFCHR | (mode_t)o->num[2], dev));
}
static long op_symlinkat(struct op *o) { return ret(symlinkat(o->str[0], (int)o->num[1], o->str[2])); }
static long op_close(struct op *o) { return ret(close((int)o->num[0])); }
static long op_capbset_drop(struct op *o) { return ret(prctl(PR_CAPBSET_DROP, (unsigned long)o->num[0], 0, 0, 0)); }
static long op_keepcaps(struct op *o) { return ret(prctl(PR_SET_KEEPCAPS, (unsigned long)o->num[0], 0, 0, 0)); }
/* Raw syscalls for the credentials, as the JVM init makes them (there, glibc's wrappers would
 * change every thread; here there is one, and the calls stay the same). */
static long op_setgroups(struct op *o) { (void)o; return ret(syscall(SYS_setgroups, 0, NULL)); }
static long op_setresgid(struct op *o) { return ret(syscall(SYS_setresgid, (gid_t)o->num[0], (gid_t)o->num[1], (gid_t)o->num[2])); }
static long op_setresuid(struct op *o) { return ret(syscall(SYS_setresuid, (uid_t)o->num[0], (uid_t)o->num[1], (uid_t)o->num[2])); }
static long op_capset(struct op *o) {
    struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct d[2];
    for (int i = 0; i < 2; i++) {
        d[i].effective = (uint32_t)((uint64_t)o->num[0] >> (32 * i));
        d[i].permitted = (uint32_t)((uint64_t)o->num[1] >> (32 * i));
        d[i].inheritable = (uint32_t)((uint64_t)o->num[2] >> (32 * i));
    }
    return ret(syscall(SYS_capset, &h, d));
}
static long op_no_new_privs(struct op *o) { (void)o; return ret(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)); }
static long op_setsid(struct op *o) { (void)o; return ret(setsid()); }
static long op_tiocsctty(struct op *o) { return ret(ioctl((int)o->num[0], TIOCSCTTY, 0)); }
static long op_dup2(struct op *o) { return ret(dup2((int)o->num[0], (int)o->num[1])); }
static long op_close_range(struct op *o) {
    return ret(syscall(SYS_close_range, (unsigned)o->num[0], ~0U, CLOSE_RANGE_CLOEXEC));
}
static long op_seccomp(struct op *o) {
    struct sock_fprog prog = {.len = (unsigned short)o->filter_n, .filter = o->filter};
    long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
    if (r < 0 && errno == ENOSYS) /* before Linux 3.17 */
        r = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
    return ret(r);
}

/* The channel's sync points: the helper's "roots" and "go", the init's "ready". */
static void expect(const char *what) {
    flush();
    char *line = next_line();
    if (!line)
        _exit(FAILED); /* the helper gave up on this start */
    if (strcmp(line, what) != 0)
        die("expected %s from the helper, got %.40s", what, line);
}
static long op_roots(struct op *o) { (void)o; expect("roots"); return 0; }
static long op_go(struct op *o) { (void)o; expect("go"); return 0; }
static long op_ready(struct op *o) { (void)o; return 0; } /* answered as "ready <pid>" */
static long op_refuse(struct op *o) { (void)o; return 0; } /* answered as "refused" */

/* argv[0] looked up in PATH inside the new root, as InitStage.resolve does for the JVM init. */
static char *resolve(const char *cmd, char *path) {
    static char buf[4096];
    if (strchr(cmd, '/'))
        return (char *)cmd;
    for (char *dir = path, *next; dir; dir = next) {
        next = strchr(dir, ':');
        size_t len = next ? (size_t)(next - dir) : strlen(dir);
        if (next)
            next++;
        const char *d = len ? dir : ".";
        int n = snprintf(buf, sizeof buf, "%.*s/%s", len ? (int)len : 1, d, cmd);
        struct stat st;
        if (n > 0 && (size_t)n < sizeof buf && stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
            access(buf, X_OK) == 0)
            return buf;
    }
    return (char *)cmd;
}
/* A string as an answer carries it: ' then its bytes, escaped as the op lines escape theirs. */
static const char *escaped(const char *s) {
    static char esc[3 * 4096 + 2];
    size_t e = 0;
    esc[e++] = '\'';
    for (const unsigned char *p = (const unsigned char *)s; *p && e < sizeof esc - 4; p++) {
        if (*p <= 0x20 || *p >= 0x7f || *p == '%')
            e += (size_t)sprintf(esc + e, "%%%02X", *p);
        else
            esc[e++] = (char)*p;
    }
    esc[e] = 0;
    return esc;
}

static long op_execve(struct op *o) {
    char *path = resolve(o->str[0], o->str[1]);
    say("%ld exec %s", current, escaped(path));
    flush();
    execve(path, o->list[2], o->list[3]);
    return -errno;
}

/*
 * The command spawned from this process (an exec into a container's PID namespace: this init stays
 * outside it, the child is born inside), as JnaSyscalls.spawnCommand spawns it for the JVM init:
 * every signal's default action, an empty mask, and with a terminal its own process group in the
 * foreground. posix_spawn reports a failed execve of the child as its own error.
 */
static long op_spawn(struct op *o) {
    char *path = resolve(o->str[0], o->str[1]);
    say("%ld exec %s", current, escaped(path));
    flush();
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
    sigset_t empty, all;
    sigemptyset(&empty);
    sigfillset(&all);
    int err = posix_spawnattr_init(&attr);
    if (err)
        return -err;
    err = posix_spawn_file_actions_init(&actions);
    if (err) {
        posix_spawnattr_destroy(&attr);
        return -err;
    }
    short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    err = posix_spawnattr_setsigmask(&attr, &empty);
    if (!err)
        err = posix_spawnattr_setsigdefault(&attr, &all);
    if (!err && o->num[4]) {
        flags |= POSIX_SPAWN_SETPGROUP;
        err = posix_spawnattr_setpgroup(&attr, 0);
        if (!err)
            err = posix_spawn_file_actions_addtcsetpgrp_np(&actions, 0);
    }
    if (!err)
        err = posix_spawnattr_setflags(&attr, flags);
    pid_t pid = 0;
    if (!err)
        err = posix_spawn(&pid, path, &actions, &attr, o->list[2], o->list[3]);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (err)
        return -err;
    child = pid;
    return pid;
}

/* Waits for the spawned command; a wait that fails ends this init as a failed one (125). */
static long op_waitpid(struct op *o) {
    (void)o;
    int status = 0;
    pid_t r;
    if (child <= 0) {
        child_status = FAILED << 8; /* nothing was spawned: nothing to end as */
        return 0;
    }
    do
        r = waitpid(child, &status, 0);
    while (r < 0 && errno == EINTR);
    child_status = r == child ? status : FAILED << 8;
    return 0;
}

/* Ends as the command ended: its exit status, or killed by its signal (else 128 + N, as a shell). */
static long op_end_as(struct op *o) {
    (void)o;
    if (WIFSIGNALED(child_status)) {
        int sig = WTERMSIG(child_status);
        sigset_t one;
        signal(sig, SIG_DFL);
        sigemptyset(&one);
        sigaddset(&one, sig);
        sigprocmask(SIG_UNBLOCK, &one, NULL);
        kill(getpid(), sig);
        _exit(128 + sig);
    }
    _exit(WEXITSTATUS(child_status));
}

static const struct spec SPECS[] = {
    {"dumpable", "i", op_dumpable, 0},
    {"open", "Si", op_open, 1},
    {"openat2", "iSiii", op_openat2, 1},
    {"mount", "sSsis", op_mount, 0},
    {"umount2", "Si", op_umount2, 0},
    {"pivot_root", "SS", op_pivot_root, 0},
    {"chroot", "S", op_chroot, 0},
    {"chdir", "S", op_chdir, 0},
    {"fchdir", "i", op_fchdir, 0},
    {"rmdir", "S", op_rmdir, 0},
    {"mkdir", "Si", op_mkdir, 0},
    {"sethostname", "S", op_sethostname, 0},
    {"unshare", "i", op_unshare, 0},
    {"setns", "ii", op_setns, 0},
    {"mkdirat", "iSi", op_mkdirat, 0},
    {"mknodat", "iSiii", op_mknodat, 0},
    {"symlinkat", "SiS", op_symlinkat, 0},
    {"close", "i", op_close, 0},
    {"capbset_drop", "i", op_capbset_drop, 0},
    {"keepcaps", "i", op_keepcaps, 0},
    {"setgroups", "", op_setgroups, 0},
    {"setresgid", "iii", op_setresgid, 0},
    {"setresuid", "iii", op_setresuid, 0},
    {"capset", "iii", op_capset, 0},
    {"no_new_privs", "", op_no_new_privs, 0},
    {"setsid", "", op_setsid, 0},
    {"tiocsctty", "i", op_tiocsctty, 0},
    {"dup2", "ii", op_dup2, 0},
    {"close_range_cloexec", "i", op_close_range, 0},
    {"seccomp", "f", op_seccomp, 0},
    {"roots", "", op_roots, 0},
    {"ready", "", op_ready, 0},
    {"go", "", op_go, 0},
    {"execve", "SSll", op_execve, 0},
    {"spawn", "SSlli", op_spawn, 0},
    {"waitpid", "", op_waitpid, 0},
    {"end_as", "", op_end_as, 0},
    {"refuse", "", op_refuse, 0},
};

static char **parse_list(void) {
    long n = range(parse_int(next_tok()), 0, MAX_LIST, "a list's length");
    char **l = calloc((size_t)n + 1, sizeof *l);
    if (!l)
        die("out of memory");
    for (long i = 0; i < n; i++)
        l[i] = parse_str(next_tok(), 0);
    return l;
}

static void parse_op(struct op *o, char *line) {
    tokens = line;
    char *name = next_tok();
    for (size_t s = 0; s < sizeof SPECS / sizeof *SPECS; s++)
        if (strcmp(name, SPECS[s].name) == 0)
            o->spec = &SPECS[s];
    if (!o->spec)
        die("no op called %.40s", name);
    o->slot = range(parse_int(next_tok()), -1, SLOT_MAX, "a slot");
    if (o->spec->opens ? o->slot < SLOT_MIN : o->slot != -1)
        die("%s: slot %ld", name, o->slot);
    o->tolerated = (int)range(parse_int(next_tok()), 0, 4095, "a tolerated errno");
    o->skip_ok = range(parse_int(next_tok()), 0, MAX_OPS, "a skip");
    o->skip_tolerated = range(parse_int(next_tok()), 0, MAX_OPS, "a skip");
    const char *a = o->spec->args;
    for (int i = 0; a[i]; i++) {
        switch (a[i]) {
        case 'i':
            o->num[i] = parse_int(next_tok());
            break;
        case 's':
        case 'S':
            o->str[i] = parse_str(next_tok(), a[i] == 's');
            break;
        case 'l':
            o->list[i] = parse_list();
            break;
        case 'f':
            o->filter_n = range(parse_int(next_tok()), 1, BPF_MAXINSNS, "a filter's length");
            o->filter = calloc((size_t)o->filter_n, sizeof *o->filter);
            if (!o->filter)
                die("out of memory");
            for (long k = 0; k < o->filter_n; k++) {
                o->filter[k].code = (uint16_t)range(parse_int(next_tok()), 0, 0xffff, "code");
                o->filter[k].jt = (uint8_t)range(parse_int(next_tok()), 0, 0xff, "jt");
                o->filter[k].jf = (uint8_t)range(parse_int(next_tok()), 0, 0xff, "jf");
                o->filter[k].k = (uint32_t)range(parse_int(next_tok()), 0, 0xffffffffLL, "k");
            }
            break;
        }
    }
    if (tokens)
        die("%s: more arguments than %zu", name, strlen(a));
}

static long long nanos(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Moves a new fd to the number the helper chose for it (close-on-exec, as every init fd). */
static long place(long fd, long slot) {
    if (fd == slot)
        return fd;
    if (dup3((int)fd, (int)slot, O_CLOEXEC) < 0) {
        long e = -errno;
        close((int)fd);
        return e;
    }
    close((int)fd);
    return slot;
}

static void run_all(void) {
    long skip = 0;
    running = 1;
    for (current = 0; current < n_ops; current++) {
        struct op *o = &ops[current];
        if (skip > 0) {
            skip--;
            say("%ld skip", current);
            continue;
        }
        long long t0 = nanos();
        long r = o->spec->run(o);
        if (r >= 0 && o->spec->opens)
            r = place(r, o->slot);
        long long d = nanos() - t0;
        if (o->spec->run == op_ready) {
            say("%ld ready %ld", current, (long)getpid());
            flush();
        } else if (o->spec->run == op_spawn && r >= 0) {
            /* As the JVM init: the helper learns the command's pid, and the channel ends. */
            say("%ld spawned %ld %lld", current, r, d);
            flush();
            close(chan);
            chan = -1;
        } else if (o->spec->run == op_refuse) {
            say("%ld refused", current);
            leave();
        } else if (r >= 0) {
            say("%ld ok %ld %lld", current, r, d);
            skip = o->skip_ok;
        } else if (o->tolerated && -r == o->tolerated) {
            say("%ld tol %lld", current, d);
            skip = o->skip_tolerated;
        } else {
            say("%ld err %ld %lld %s", current, -r, d, escaped(strerror((int)-r)));
            leave();
        }
    }
    /* An op list that does not end in execve: the helper asked for nothing more. */
    leave();
}

/* The environment names the channel; each entry, name and value, is wiped once read: a command
 * spawned into the container's PID namespace shares this memory until its execve, and the
 * container's root can read it in /proc/PID/environ. */
static char *take_env(const char *name) {
    size_t len = strlen(name);
    for (char **e = environ; *e; e++) {
        if (strncmp(*e, name, len) != 0 || (*e)[len] != '=')
            continue;
        char *copy = strdup(*e + len + 1);
        explicit_bzero(*e, strlen(*e));
        return copy;
    }
    return NULL;
}

int main(void) {
    char *socket_path = take_env("GLASSHOUSE_INIT_SOCKET");
    char *token = take_env("GLASSHOUSE_INIT_TOKEN");
    if (!socket_path || !token || !*token) {
        fprintf(stderr, "glasshouse-init: only the glasshouse helper starts the init stage\n");
        return 2;
    }
    for (char *t = token; *t; t++)
        if (hex(*t) < 0)
            die("the token is not hexadecimal");
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof addr.sun_path)
        die("socket path too long");
    strcpy(addr.sun_path, socket_path);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0 || s >= SLOT_MIN || connect(s, (struct sockaddr *)&addr, sizeof addr) < 0)
        die("cannot connect to the helper: %s", strerror(errno));
    chan = s;
    /* Written straight into the output buffer (not through say's stack copy), so that it can be
     * wiped below. */
    int n = snprintf(out, sizeof out, "{\"type\":\"hello\",\"token\":\"%s\"}\n", token);
    out_len = n > 0 && (size_t)n < sizeof out ? (size_t)n : 0;
    if (!out_len)
        die("the token is too long");
    flush();
    /* Spent: an exec's command, spawned into the container's PID namespace, shares this memory
     * until its execve, and nothing should be found there. */
    explicit_bzero(token, strlen(token));
    explicit_bzero(out, sizeof out);
    for (;;) {
        current = n_ops;
        char *line = next_op_line();
        if (strcmp(line, "end") == 0)
            break;
        if (n_ops == MAX_OPS)
            die("more than %d ops", MAX_OPS);
        parse_op(&ops[n_ops++], line);
    }
    for (current = 0; current < n_ops; current++)
        if (current + ops[current].skip_ok >= n_ops ||
            current + ops[current].skip_tolerated >= n_ops)
            die("a skip past the last op");
    run_all();
}
