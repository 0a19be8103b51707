package org.glasshouse.helper.inspect;

import java.util.ArrayList;
import java.util.List;

/** Linux capability numbers and names (capability.h, 0..40), and the decoding of status masks. */
public final class Capabilities {

  private Capabilities() {}

  /** Names by number, without the {@code CAP_} prefix, lower case as capsh prints them. */
  public static final List<String> NAMES =
      List.of(
          "chown",
          "dac_override",
          "dac_read_search",
          "fowner",
          "fsetid",
          "kill",
          "setgid",
          "setuid",
          "setpcap",
          "linux_immutable",
          "net_bind_service",
          "net_broadcast",
          "net_admin",
          "net_raw",
          "ipc_lock",
          "ipc_owner",
          "sys_module",
          "sys_rawio",
          "sys_chroot",
          "sys_ptrace",
          "sys_pacct",
          "sys_admin",
          "sys_boot",
          "sys_nice",
          "sys_resource",
          "sys_time",
          "sys_tty_config",
          "mknod",
          "lease",
          "audit_write",
          "audit_control",
          "setfcap",
          "mac_override",
          "mac_admin",
          "syslog",
          "wake_alarm",
          "block_suspend",
          "audit_read",
          "perfmon",
          "bpf",
          "checkpoint_restore");

  /** The name of capability {@code n}, or {@code cap_N} for one newer than this table. */
  public static String name(int n) {
    return n >= 0 && n < NAMES.size() ? NAMES.get(n) : "cap_" + n;
  }

  /** Decodes a status mask ({@code 000001ffffffffff}) into names in number order. */
  public static List<String> decode(long mask) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      if ((mask & (1L << i)) != 0) {
        out.add(name(i));
      }
    }
    return List.copyOf(out);
  }

  /** Parses a hexadecimal mask; 0 for anything malformed. */
  public static long parseMask(String hex) {
    try {
      return Long.parseUnsignedLong(hex.trim(), 16);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
