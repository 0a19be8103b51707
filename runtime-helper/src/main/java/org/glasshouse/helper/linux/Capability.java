package org.glasshouse.helper.linux;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Linux capabilities (linux/capability.h), numbered as the kernel numbers them. */
public enum Capability {
  CHOWN,
  DAC_OVERRIDE,
  DAC_READ_SEARCH,
  FOWNER,
  FSETID,
  KILL,
  SETGID,
  SETUID,
  SETPCAP,
  LINUX_IMMUTABLE,
  NET_BIND_SERVICE,
  NET_BROADCAST,
  NET_ADMIN,
  NET_RAW,
  IPC_LOCK,
  IPC_OWNER,
  SYS_MODULE,
  SYS_RAWIO,
  SYS_CHROOT,
  SYS_PTRACE,
  SYS_PACCT,
  SYS_ADMIN,
  SYS_BOOT,
  SYS_NICE,
  SYS_RESOURCE,
  SYS_TIME,
  SYS_TTY_CONFIG,
  MKNOD,
  LEASE,
  AUDIT_WRITE,
  AUDIT_CONTROL,
  SETFCAP,
  MAC_OVERRIDE,
  MAC_ADMIN,
  SYSLOG,
  WAKE_ALARM,
  BLOCK_SUSPEND,
  AUDIT_READ,
  PERFMON,
  BPF,
  CHECKPOINT_RESTORE;

  /** The kernel's number of this capability. */
  public int number() {
    return ordinal();
  }

  /** {@code CAP_SYS_ADMIN}. */
  public String capName() {
    return "CAP_" + name();
  }

  /** Parses {@code CAP_NET_ADMIN}, {@code net_admin} or {@code NET_ADMIN}. */
  public static Capability parse(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT);
    if (n.startsWith("CAP_")) {
      n = n.substring(4);
    }
    try {
      return valueOf(n);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown capability '" + name + "'", e);
    }
  }

  /**
   * Docker's default set, which is the base of level 11's: everything a typical program needs as
   * "root in a box", without CAP_SYS_ADMIN (mount, sethostname …), CAP_NET_ADMIN, CAP_SYS_PTRACE
   * and the rest.
   */
  public static Set<Capability> dockerDefault() {
    return EnumSet.of(
        CHOWN,
        DAC_OVERRIDE,
        FSETID,
        FOWNER,
        MKNOD,
        NET_RAW,
        SETGID,
        SETUID,
        SETFCAP,
        SETPCAP,
        NET_BIND_SERVICE,
        SYS_CHROOT,
        KILL,
        AUDIT_WRITE);
  }

  /**
   * The set level 11 keeps: docker's default without CAP_MKNOD. A container can open only the
   * standard nodes anyway (nodev, the device allow-list), so a node it could make would only ever
   * be a lure; without CAP_MKNOD it cannot even make one. {@code --cap-add MKNOD} gives it back.
   */
  public static Set<Capability> containerDefault() {
    Set<Capability> caps = dockerDefault();
    caps.remove(MKNOD);
    return caps;
  }

  /** A 64-bit mask of {@code caps}. */
  public static long mask(Set<Capability> caps) {
    long m = 0;
    for (Capability c : caps) {
      m |= 1L << c.number();
    }
    return m;
  }
}
