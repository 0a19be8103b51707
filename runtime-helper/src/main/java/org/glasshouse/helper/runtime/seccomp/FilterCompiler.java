package org.glasshouse.helper.runtime.seccomp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.runtime.seccomp.Assembler.Label;

/**
 * Compiles a {@link Profile} for one {@link Arch} into a BPF program, in the shape libseccomp
 * produces since 2.5 (a binary tree over syscall numbers), written here from scratch:
 *
 * <ol>
 *   <li>The ABI check: {@code seccomp_data.arch} must be the native one, else the foreign-ABI
 *       action.
 *   <li>The syscall number, looked up in a binary search tree. Each number's verdict is fixed by
 *       the profile (allow, an errno, "look at the arguments"); runs of equal verdicts are merged
 *       into intervals over the whole 32-bit range, so the tree has one leaf per interval and
 *       decides in about log2(intervals) comparisons, where a list would need one per syscall. The
 *       x32 window (x86_64 numbers with bit 30 set) is an interval of its own, with the foreign-ABI
 *       action.
 *   <li>After the tree, one block per rule with argument conditions, reached by {@code ja}.
 * </ol>
 */
public final class FilterCompiler {
  private FilterCompiler() {}

  /** What one interval of syscall numbers gets: an action, or a rule's argument block. */
  private record Verdict(Action action, Rule check) {}

  /** Numbers {@code from..to} (inclusive, unsigned, as longs) and their verdict. */
  private record Interval(long from, long to, Verdict verdict) {}

  private static final long TOP = 0xffffffffL;

  /** Compiles {@code profile} for {@code arch}. */
  public static Program compile(Profile profile, Arch arch) {
    SyscallTable table = arch.table();
    Map<Integer, Verdict> byNumber = new HashMap<>();
    Map<Rule, Label> blocks = new LinkedHashMap<>();
    Assembler asm = new Assembler();
    int allowed = 0;
    int conditional = 0;
    int denied = 0;
    for (Rule r : profile.rules()) {
      Integer nr = table.number(r.syscall());
      if (nr == null) {
        continue; // Another architecture's syscall (arch_prctl, open on arm64 …).
      }
      if (r.conditional()) {
        conditional++;
        blocks.put(r, asm.label(r.syscall()));
        byNumber.put(nr, new Verdict(null, r));
      } else {
        if (r.action().allows()) {
          allowed++;
        } else {
          denied++;
        }
        byNumber.put(nr, new Verdict(r.action(), null));
      }
    }
    List<Interval> intervals = intervals(profile, arch, byNumber);

    Label native_ = asm.label("native-abi");
    asm.load(Bpf.DATA_ARCH).jeq(arch.auditArch(), native_, null);
    asm.ret(profile.foreignAbiAction().ret());
    asm.bind(native_).load(Bpf.DATA_NR);
    tree(asm, intervals, 0, intervals.size() - 1, blocks);
    for (Map.Entry<Rule, Label> b : blocks.entrySet()) {
      asm.bind(b.getValue());
      argumentBlock(asm, arch, b.getKey());
    }
    return new Program(
        profile, arch, asm.assemble(), new Program.RuleCounts(allowed, conditional, denied));
  }

  /** The verdict of every 32-bit number, as merged intervals in order. */
  private static List<Interval> intervals(
      Profile profile, Arch arch, Map<Integer, Verdict> byNumber) {
    SyscallTable table = arch.table();
    Verdict unknown = new Verdict(profile.unknownAction(), null);
    Verdict byDefault = new Verdict(profile.defaultAction(), null);
    List<Interval> out = new ArrayList<>();
    for (int nr = 0; nr <= table.highest(); nr++) {
      Verdict v = byNumber.get(nr);
      if (v == null) {
        v = table.name(nr) == null ? unknown : byDefault;
      }
      append(out, nr, nr, v);
    }
    long x32 = Integer.toUnsignedLong(arch.x32Bit());
    if (x32 == 0) {
      append(out, table.highest() + 1L, TOP, unknown);
    } else {
      // x32 calls carry the native arch value: the number's bit 30 is the only sign. Numbers
      // from bit 31 up (negative ints, such as syscall(-1)) are no syscall on any ABI: the kernel
      // answers ENOSYS, and so does the filter.
      append(out, table.highest() + 1L, x32 - 1, unknown);
      append(out, x32, 0x7fffffffL, new Verdict(profile.foreignAbiAction(), null));
      append(out, 0x80000000L, TOP, unknown);
    }
    return out;
  }

  private static void append(List<Interval> out, long from, long to, Verdict v) {
    Interval last = out.isEmpty() ? null : out.get(out.size() - 1);
    // Argument blocks never merge: each belongs to one syscall.
    if (last != null && v.check() == null && last.verdict().equals(v)) {
      out.set(out.size() - 1, new Interval(last.from(), to, v));
    } else {
      out.add(new Interval(from, to, v));
    }
  }

  /**
   * The subtree deciding intervals {@code lo..hi}. The accumulator holds the number; {@code jge}
   * compares unsigned, so the tree covers 0..2^32-1 without a sign case.
   */
  private static void tree(
      Assembler asm, List<Interval> in, int lo, int hi, Map<Rule, Label> blocks) {
    if (lo == hi) {
      Verdict v = in.get(lo).verdict();
      if (v.check() != null) {
        asm.ja(blocks.get(v.check()));
      } else {
        asm.ret(v.action().ret());
      }
      return;
    }
    int mid = (lo + hi + 1) >>> 1;
    int k = (int) in.get(mid).from();
    Label upper = asm.label("nr>=" + Integer.toUnsignedString(k));
    if (size(mid - lo) <= 255) {
      asm.jge(k, upper, null);
    } else {
      // The lower half is too long for an 8-bit offset: a ja (32-bit offset) jumps over it.
      Label lower = asm.label("nr<" + Integer.toUnsignedString(k));
      asm.jge(k, null, lower).ja(upper).bind(lower);
    }
    tree(asm, in, lo, mid - 1, blocks);
    asm.bind(upper);
    tree(asm, in, mid, hi, blocks);
  }

  /** Instructions {@link #tree} emits for {@code n} intervals. */
  private static int size(int n) {
    if (n == 1) {
      return 1;
    }
    int lower = n / 2;
    int left = size(lower);
    return (left <= 255 ? 1 : 2) + left + size(n - lower);
  }

  /**
   * A rule's conditions in order, then its fall-back action. The accumulator is loaded (and masked)
   * again only when a condition looks at another argument or mask than the one before.
   */
  private static void argumentBlock(Assembler asm, Arch arch, Rule r) {
    Map<Action, Label> targets = new LinkedHashMap<>();
    int loadedArg = -1;
    int loadedMask = 0;
    for (Rule.Case c : r.cases()) {
      Rule.Condition w = c.when();
      Label then = targets.computeIfAbsent(c.then(), a -> asm.label(r.syscall() + ":" + a));
      boolean masked = w.test() == Rule.Condition.Test.MASKED_EQUALS && w.mask() != -1;
      int wantMask = masked ? w.mask() : -1;
      if (loadedArg != w.arg() || loadedMask != wantMask) {
        asm.load(arch.argLow(w.arg()));
        if (masked) {
          asm.and(w.mask());
        }
        loadedArg = w.arg();
        loadedMask = wantMask;
      }
      if (w.test() == Rule.Condition.Test.ANY_BIT_SET) {
        asm.jset(w.mask(), then, null);
      } else {
        asm.jeq(w.value(), then, null);
      }
    }
    asm.ret(r.action().ret());
    for (Map.Entry<Action, Label> t : targets.entrySet()) {
      asm.bind(t.getValue()).ret(t.getKey().ret());
    }
  }
}
