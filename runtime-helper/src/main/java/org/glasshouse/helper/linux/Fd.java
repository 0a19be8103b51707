package org.glasshouse.helper.linux;

/**
 * An open file descriptor and the path it was opened as, so a step that uses it reads like {@code
 * strace -y}: {@code 7</var/lib/glasshouse/containers/3f9a/merged/dev>}. The path is only for
 * people: the kernel resolves through the number.
 *
 * @param number the fd
 * @param path what it was opened as (for the log only)
 */
public record Fd(int number, String path) {

  /**
   * No fd: the lookup failed with {@code errnoName} ({@code ENOENT}, {@code EEXIST}) and the caller
   * takes that as an answer, not an error.
   */
  public static Fd absent(String errnoName) {
    return new Fd(-1, errnoName);
  }

  /** Whether this is an {@link #absent} answer. */
  public boolean absent() {
    return number < 0;
  }

  /**
   * The magic link that names this fd's file to a path-taking syscall ({@code mount}): the kernel
   * follows it to the very file the fd holds, not to whatever now sits at {@link #path}.
   */
  public String procPath() {
    return "/proc/self/fd/" + number;
  }

  /** {@code 7</…/merged/dev>}, as strace -y prints an fd argument. */
  public String text() {
    return number + "<" + path + ">";
  }

  /** The path of {@code name} under this fd's path (for the log). */
  public String child(String name) {
    return path + "/" + name;
  }

  /** The result as a step log shows it: the number, or {@code -1 ENOENT (tolerated)}. */
  @Override
  public String toString() {
    return absent() ? "-1 " + path + " (tolerated)" : String.valueOf(number);
  }
}
