/**
 * The init stage: a fresh JVM the helper spawns with posix_spawn from a throwaway thread that has
 * unshared the container's namespaces (never a fork of the helper's JVM). It connects back over the
 * helper's Unix socket with a one-time token, receives its plan, and performs — on its main thread,
 * through {@link org.glasshouse.helper.linux.Syscalls} — the steps that must happen inside the
 * namespaces, in this order: non-dumpable; {@code /} private; overlay or bind-root; /proc /sys
 * /dev; device nodes; masked paths; pivot_root (or chroot); hostname; [the helper places it in its
 * cgroups]; cgroup namespace; terminal; bounding set; user; capabilities; no_new_privs; workdir;
 * close-on-exec for every fd above 2; execve of the user's command, which thereby becomes the
 * container's first process. Each step is one entry in the container's step log.
 */
package org.glasshouse.helper.runtime.init;
