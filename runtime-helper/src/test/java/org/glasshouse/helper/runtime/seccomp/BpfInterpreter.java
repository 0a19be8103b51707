package org.glasshouse.helper.runtime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.glasshouse.helper.linux.SockFilter;

/**
 * Runs a seccomp program the way the kernel does, on a {@code struct seccomp_data} built here, so a
 * compiled filter is tested call by call without loading it. It first checks the program as the
 * kernel's loader would (only the instructions seccomp accepts, jumps inside the program, a ret at
 * the end), then interprets it.
 */
final class BpfInterpreter {
  private BpfInterpreter() {}

  /** What the kernel's checker refuses, as an exception naming the instruction. */
  static void check(List<SockFilter> prog) {
    if (prog.isEmpty() || prog.size() > Bpf.MAX_INSTRUCTIONS) {
      throw new IllegalArgumentException("length " + prog.size());
    }
    for (int pc = 0; pc < prog.size(); pc++) {
      SockFilter f = prog.get(pc);
      switch (f.code()) {
        case Bpf.LD | Bpf.W | Bpf.ABS -> {
          if (f.k() < 0 || f.k() > Bpf.DATA_SIZE - 4 || (f.k() & 3) != 0) {
            throw new IllegalArgumentException(pc + ": load outside seccomp_data: " + f);
          }
        }
        case Bpf.ALU | Bpf.AND | Bpf.K, Bpf.RET | Bpf.K -> {}
        case Bpf.JMP | Bpf.JA -> {
          if (Integer.toUnsignedLong(f.k()) >= prog.size() - pc - 1) {
            throw new IllegalArgumentException(pc + ": ja out of the program: " + f);
          }
        }
        case Bpf.JMP | Bpf.JEQ | Bpf.K,
            Bpf.JMP | Bpf.JGT | Bpf.K,
            Bpf.JMP | Bpf.JGE | Bpf.K,
            Bpf.JMP | Bpf.JSET | Bpf.K -> {
          if (pc + 1 + Math.max(f.jt(), f.jf()) >= prog.size()) {
            throw new IllegalArgumentException(pc + ": jump out of the program: " + f);
          }
        }
        default -> throw new IllegalArgumentException(pc + ": opcode seccomp refuses: " + f);
      }
    }
    if (prog.get(prog.size() - 1).code() != (Bpf.RET | Bpf.K)) {
      throw new IllegalArgumentException("the program does not end with ret");
    }
  }

  /** The filter's verdict for a call. */
  static int run(List<SockFilter> prog, int arch, int nr, long... args) {
    check(prog);
    ByteBuffer data = ByteBuffer.allocate(Bpf.DATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    data.putInt(Bpf.DATA_NR, nr).putInt(Bpf.DATA_ARCH, arch).putLong(8, 0x401000L);
    for (int i = 0; i < args.length; i++) {
      data.putLong(Bpf.DATA_ARGS + 8 * i, args[i]);
    }
    int a = 0;
    int pc = 0;
    while (true) {
      SockFilter f = prog.get(pc);
      switch (f.code()) {
        case Bpf.LD | Bpf.W | Bpf.ABS -> {
          a = data.getInt(f.k());
          pc++;
        }
        case Bpf.ALU | Bpf.AND | Bpf.K -> {
          a &= f.k();
          pc++;
        }
        case Bpf.JMP | Bpf.JA -> pc += 1 + f.k();
        case Bpf.JMP | Bpf.JEQ | Bpf.K -> pc += 1 + (a == f.k() ? f.jt() : f.jf());
        case Bpf.JMP | Bpf.JGT | Bpf.K ->
            pc += 1 + (Integer.compareUnsigned(a, f.k()) > 0 ? f.jt() : f.jf());
        case Bpf.JMP | Bpf.JGE | Bpf.K ->
            pc += 1 + (Integer.compareUnsigned(a, f.k()) >= 0 ? f.jt() : f.jf());
        case Bpf.JMP | Bpf.JSET | Bpf.K -> pc += 1 + ((a & f.k()) != 0 ? f.jt() : f.jf());
        case Bpf.RET | Bpf.K -> {
          return f.k();
        }
        default -> throw new IllegalStateException("unchecked opcode " + f);
      }
    }
  }

  /** A return value as the kernel's documentation names it: {@code ERRNO(EPERM)}, {@code ALLOW}. */
  static String describe(int ret) {
    if (ret == Bpf.RET_ALLOW) {
      return "ALLOW";
    }
    if (ret == Bpf.RET_KILL_PROCESS) {
      return "KILL_PROCESS";
    }
    if ((ret & ~Bpf.RET_DATA) == Bpf.RET_ERRNO) {
      return Action.errno(ret & Bpf.RET_DATA).name();
    }
    return String.format("0x%08x", ret);
  }
}
