package org.glasshouse.helper.runtime.seccomp;

import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.linux.SockFilter;

/**
 * A small assembler for seccomp's classic BPF: instructions with symbolic jump targets ({@link
 * Label}s), resolved into the offsets the kernel wants when the program is {@link #assemble()}d.
 *
 * <p>Classic BPF has no loops: every jump goes forward, a conditional one at most 255 instructions
 * (its offsets are 8-bit), {@code ja} as far as it likes (32-bit). The assembler refuses a program
 * that breaks those rules or could run off its end, as the kernel's checker would, but with the
 * label's name in the message instead of a bare EINVAL.
 */
public final class Assembler {

  /** A jump target; bound to the position of the next instruction by {@link #bind}. */
  public static final class Label {
    private final String name;
    private int at = -1;

    private Label(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** An instruction whose jump offsets are still labels (null: the next instruction). */
  private record Pending(int code, Label jt, Label jf, int k, Label ja) {}

  private final List<Pending> code = new ArrayList<>();

  /** A new, unbound label. */
  public Label label(String name) {
    return new Label(name);
  }

  /** Binds {@code l} to the next instruction's position. */
  public Assembler bind(Label l) {
    if (l.at >= 0) {
      throw new IllegalStateException("label " + l + " is bound twice");
    }
    l.at = code.size();
    return this;
  }

  /** The number of instructions so far. */
  public int size() {
    return code.size();
  }

  /** {@code ld [offset]}: a 32-bit word of {@code struct seccomp_data} into the accumulator. */
  public Assembler load(int offset) {
    if (offset < 0 || offset > Bpf.DATA_SIZE - 4 || offset % 4 != 0) {
      throw new IllegalArgumentException(
          "seccomp_data has aligned 32-bit words at 0.." + (Bpf.DATA_SIZE - 4) + ", not " + offset);
    }
    return add(Bpf.LD | Bpf.W | Bpf.ABS, null, null, offset);
  }

  /** {@code and #k}. */
  public Assembler and(int k) {
    return add(Bpf.ALU | Bpf.AND | Bpf.K, null, null, k);
  }

  /** {@code jeq #k, jt, jf}; a null label is the next instruction. */
  public Assembler jeq(int k, Label jt, Label jf) {
    return add(Bpf.JMP | Bpf.JEQ | Bpf.K, jt, jf, k);
  }

  /** {@code jge #k, jt, jf}: unsigned comparison. */
  public Assembler jge(int k, Label jt, Label jf) {
    return add(Bpf.JMP | Bpf.JGE | Bpf.K, jt, jf, k);
  }

  /** {@code jset #k, jt, jf}: taken when {@code A & k != 0}. */
  public Assembler jset(int k, Label jt, Label jf) {
    return add(Bpf.JMP | Bpf.JSET | Bpf.K, jt, jf, k);
  }

  /** {@code ja target}. */
  public Assembler ja(Label target) {
    if (target == null) {
      throw new IllegalArgumentException("ja needs a target");
    }
    code.add(new Pending(Bpf.JMP | Bpf.JA, null, null, 0, target));
    return this;
  }

  /** {@code ret #k}: the filter's verdict. */
  public Assembler ret(int k) {
    return add(Bpf.RET | Bpf.K, null, null, k);
  }

  private Assembler add(int op, Label jt, Label jf, int k) {
    code.add(new Pending(op, jt, jf, k, null));
    return this;
  }

  /** Resolves every label into offsets and checks the program as the kernel will. */
  public List<SockFilter> assemble() {
    if (code.isEmpty()) {
      throw new IllegalStateException("an empty program");
    }
    if (code.size() > Bpf.MAX_INSTRUCTIONS) {
      throw new IllegalStateException(
          code.size() + " instructions: the kernel takes at most " + Bpf.MAX_INSTRUCTIONS);
    }
    if (code.get(code.size() - 1).code() != (Bpf.RET | Bpf.K)) {
      throw new IllegalStateException("the last instruction must be a ret: the program runs off");
    }
    List<SockFilter> out = new ArrayList<>(code.size());
    for (int i = 0; i < code.size(); i++) {
      Pending p = code.get(i);
      if (p.ja() != null) {
        out.add(new SockFilter(p.code(), 0, 0, offset(i, p.ja(), Integer.MAX_VALUE)));
      } else {
        out.add(new SockFilter(p.code(), offset(i, p.jt(), 255), offset(i, p.jf(), 255), p.k()));
      }
    }
    return List.copyOf(out);
  }

  private int offset(int from, Label to, int max) {
    if (to == null) {
      return 0;
    }
    if (to.at < 0) {
      throw new IllegalStateException("label " + to + " is never bound");
    }
    if (to.at >= code.size()) {
      throw new IllegalStateException("label " + to + " is past the last instruction");
    }
    int off = to.at - from - 1;
    if (off < 0) {
      throw new IllegalStateException(
          "instruction " + from + " jumps back to " + to + ": BPF jumps only forward");
    }
    if (off > max) {
      throw new IllegalStateException(
          "instruction " + from + " jumps " + off + " ahead to " + to + ": at most " + max);
    }
    return off;
  }
}
