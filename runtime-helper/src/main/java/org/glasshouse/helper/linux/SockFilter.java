package org.glasshouse.helper.linux;

/**
 * One classic-BPF instruction, {@code struct sock_filter} of {@code linux/filter.h}: 8 bytes, a
 * 16-bit opcode, two 8-bit jump offsets (taken when the condition holds / does not) and a 32-bit
 * constant. A seccomp filter is an array of these, handed to the kernel in a {@code struct
 * sock_fprog} by {@link Syscalls#seccompFilter}.
 *
 * @param code the opcode ({@code BPF_LD|BPF_W|BPF_ABS}, {@code BPF_JMP|BPF_JEQ|BPF_K}, …)
 * @param jt instructions to skip when a conditional jump's condition holds, 0..255
 * @param jf instructions to skip when it does not, 0..255
 * @param k the constant: an offset, a value to compare with, a return value
 */
public record SockFilter(int code, int jt, int jf, int k) {

  /** Checks the field widths of the C struct. */
  public SockFilter {
    if (code < 0 || code > 0xffff) {
      throw new IllegalArgumentException("opcode must fit 16 bits: " + code);
    }
    if (jt < 0 || jt > 0xff || jf < 0 || jf > 0xff) {
      throw new IllegalArgumentException("jump offsets must fit 8 bits: " + jt + ", " + jf);
    }
  }

  /** As {@code { 0x0015, 0, 1, 0xc000003e }}, the way {@code tcpdump -dd} prints it. */
  @Override
  public String toString() {
    return String.format(
        "{ 0x%04x, %d, %d, 0x%08x }", code, jt, jf, Integer.toUnsignedLong(k) & 0xffffffffL);
  }
}
