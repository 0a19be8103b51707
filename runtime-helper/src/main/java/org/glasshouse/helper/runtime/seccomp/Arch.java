package org.glasshouse.helper.runtime.seccomp;

import java.util.Locale;

/**
 * An architecture a filter is compiled for: the {@code AUDIT_ARCH_*} value the kernel puts into
 * {@code seccomp_data.arch} for a call through its native 64-bit ABI, and that ABI's syscall table.
 *
 * <p>A 64-bit machine has more than one door into the kernel. On x86_64 a process can also enter
 * through {@code int 0x80} (the i386 ABI: {@code arch} is {@code AUDIT_ARCH_I386}) or through the
 * x32 ABI ({@code arch} is x86_64 but the number has bit 30 set); on arm64 through the arm32 compat
 * ABI. Each has its own numbering (i386's 11 is execve, x86_64's is munmap), so a filter that
 * checked only the number would allow whatever happens to share it: the filter first checks the
 * door, then the number.
 */
public enum Arch {
  /** x86_64: AUDIT_ARCH_X86_64 = EM_X86_64 (62) | 64-bit | little-endian. */
  X86_64("x86_64", 0xC000003E, 0x40000000, SyscallTable.X86_64_TABLE),
  /** arm64: AUDIT_ARCH_AARCH64 = EM_AARCH64 (183) | 64-bit | little-endian. */
  AARCH64("aarch64", 0xC00000B7, 0, SyscallTable.AARCH64_TABLE);

  /** AUDIT_ARCH_I386, the arch of a call through x86_64's {@code int 0x80}. */
  public static final int AUDIT_ARCH_I386 = 0x40000003;

  /** AUDIT_ARCH_ARM, the arch of a call from an arm32 program on arm64. */
  public static final int AUDIT_ARCH_ARM = 0x40000028;

  private final String displayName;
  private final int auditArch;
  private final int x32Bit;
  private final SyscallTable table;

  Arch(String displayName, int auditArch, int x32Bit, SyscallTable table) {
    this.displayName = displayName;
    this.auditArch = auditArch;
    this.x32Bit = x32Bit;
    this.table = table;
  }

  /** {@code seccomp_data.arch} of a call through the native ABI. */
  public int auditArch() {
    return auditArch;
  }

  /**
   * The x32 ABI's marker bit in the syscall number ({@code __X32_SYSCALL_BIT}), 0 where there is no
   * such ABI. x32 calls arrive with the native {@code arch} value: only the number tells.
   */
  public int x32Bit() {
    return x32Bit;
  }

  /** The native ABI's syscalls. */
  public SyscallTable table() {
    return table;
  }

  /**
   * Offset in {@code seccomp_data} of argument {@code index}'s low 32 bits. Both architectures are
   * little-endian, so the low half comes first.
   */
  public int argLow(int index) {
    return Bpf.DATA_ARGS + 8 * index;
  }

  /** The architecture this JVM runs on. */
  public static Arch host() {
    return of(System.getProperty("os.arch"));
  }

  /** By the JVM's {@code os.arch} name or the kernel's. */
  public static Arch of(String osArch) {
    return switch (osArch == null ? "" : osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> X86_64;
      case "aarch64", "arm64" -> AARCH64;
      default ->
          throw new UnsupportedOperationException(
              "no seccomp profile for architecture " + osArch + " (x86_64 and aarch64 have one)");
    };
  }

  @Override
  public String toString() {
    return displayName;
  }
}
