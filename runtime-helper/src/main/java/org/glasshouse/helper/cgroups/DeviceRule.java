package org.glasshouse.helper.cgroups;

import java.util.List;

/**
 * One entry of a container's device allow-list, in the cgroup v1 {@code devices.allow} grammar
 * ({@code c 1:3 rwm}): a type ({@code c} char, {@code b} block), a major and minor number ({@code
 * -1} = any, written {@code *}) and the access it allows ({@code r} read, {@code w} write, {@code
 * m} mknod). The same list becomes the v1 writes and the v2 BPF program ({@link DeviceFilter}).
 *
 * @param type {@code 'c'} or {@code 'b'}
 * @param major the major number, or -1 for any
 * @param minor the minor number, or -1 for any
 * @param access a non-empty subset of {@code rwm}, in that order
 */
public record DeviceRule(char type, int major, int minor, String access) {

  /** Checks the fields. */
  public DeviceRule {
    if (type != 'c' && type != 'b') {
      throw new IllegalArgumentException("device type must be c or b, got " + type);
    }
    if (major < -1 || minor < -1) {
      throw new IllegalArgumentException("device numbers must be -1 (any) or positive");
    }
    if (access.isEmpty() || !access.matches("r?w?m?")) {
      throw new IllegalArgumentException("access must be a subset of rwm, got '" + access + "'");
    }
  }

  /**
   * What a container may use, as runc and docker allow it by default without {@code --device}:
   * making any node (useless: it cannot be opened), and opening only the standard nodes, the
   * terminal and the ptys of its own devpts. No block device at all.
   */
  public static final List<DeviceRule> DEFAULT =
      List.of(
          new DeviceRule('c', -1, -1, "m"),
          new DeviceRule('b', -1, -1, "m"),
          new DeviceRule('c', 1, 3, "rwm"), // null
          new DeviceRule('c', 1, 5, "rwm"), // zero
          new DeviceRule('c', 1, 7, "rwm"), // full
          new DeviceRule('c', 1, 8, "rwm"), // random
          new DeviceRule('c', 1, 9, "rwm"), // urandom
          new DeviceRule('c', 5, 0, "rwm"), // tty: the process's own terminal
          new DeviceRule('c', 5, 2, "rwm"), // ptmx of its devpts
          new DeviceRule('c', 136, -1, "rwm")); // pts/N, /dev/console (its pty)

  /** {@code c 1:3 rwm}, {@code b *:* m}: a line of {@code devices.allow} / {@code devices.list}. */
  public String v1() {
    return type + " " + number(major) + ":" + number(minor) + " " + access;
  }

  private static String number(int n) {
    return n < 0 ? "*" : Integer.toString(n);
  }
}
