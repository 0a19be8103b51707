package org.glasshouse.helper.runtime.seccomp;

/**
 * The classic-BPF opcodes and seccomp constants a filter is made of ({@code linux/filter.h}, {@code
 * linux/bpf_common.h}, {@code linux/seccomp.h}, {@code linux/audit.h}). Only what a seccomp filter
 * may use: the kernel refuses every other load (seccomp programs read nothing but {@code struct
 * seccomp_data}).
 */
public final class Bpf {
  private Bpf() {}

  // Instruction classes and fields (linux/bpf_common.h)
  /** Load into the accumulator. */
  public static final int LD = 0x00;

  /** 32-bit word. */
  public static final int W = 0x00;

  /** From an absolute offset into {@code struct seccomp_data}. */
  public static final int ABS = 0x20;

  /** Arithmetic on the accumulator. */
  public static final int ALU = 0x04;

  /** Bitwise and. */
  public static final int AND = 0x50;

  /** Jumps. */
  public static final int JMP = 0x05;

  /** Unconditional jump, 32-bit offset in {@code k}. */
  public static final int JA = 0x00;

  /** Jump if accumulator == k. */
  public static final int JEQ = 0x10;

  /** Jump if accumulator > k (unsigned). */
  public static final int JGT = 0x20;

  /** Jump if accumulator >= k (unsigned). */
  public static final int JGE = 0x30;

  /** Jump if accumulator & k != 0. */
  public static final int JSET = 0x40;

  /** Operand: the constant {@code k}. */
  public static final int K = 0x00;

  /** Return {@code k}: the filter's verdict. */
  public static final int RET = 0x06;

  /** The kernel's limit on a classic-BPF program (BPF_MAXINSNS). */
  public static final int MAX_INSTRUCTIONS = 4096;

  // struct seccomp_data {int nr; u32 arch; u64 instruction_pointer; u64 args[6];}
  /** Offset of the syscall number. */
  public static final int DATA_NR = 0;

  /** Offset of the AUDIT_ARCH_* value of the ABI the call came through. */
  public static final int DATA_ARCH = 4;

  /** Offset of args[0]; each argument is 8 bytes. */
  public static final int DATA_ARGS = 16;

  /** Size of struct seccomp_data: loads must stay below it. */
  public static final int DATA_SIZE = 64;

  // Filter return values (linux/seccomp.h), most severe first.
  /** Kill the whole process (Linux 4.14; older kernels read it as KILL_THREAD). */
  public static final int RET_KILL_PROCESS = 0x80000000;

  /** Kill the calling thread. */
  public static final int RET_KILL_THREAD = 0x00000000;

  /** Send SIGSYS. */
  public static final int RET_TRAP = 0x00030000;

  /** Fail the call with the errno in the low 16 bits, without running it. */
  public static final int RET_ERRNO = 0x00050000;

  /** Run the call. */
  public static final int RET_ALLOW = 0x7fff0000;

  /** The low 16 bits of a return value: the errno of RET_ERRNO. */
  public static final int RET_DATA = 0x0000ffff;
}
