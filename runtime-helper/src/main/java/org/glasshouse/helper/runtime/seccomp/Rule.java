package org.glasshouse.helper.runtime.seccomp;

import java.util.List;
import java.util.Objects;

/**
 * What a profile says about one syscall: an action, or a list of argument conditions checked in
 * order, the first that holds deciding, and the action when none does.
 *
 * <p>Conditions compare an argument's low 32 bits only. That is sound for every argument the
 * default profile looks at, because the kernel itself reads no more of them: {@code personality}
 * and {@code socket} take an {@code int}, {@code mknod}'s mode is a {@code umode_t}, {@code clone}
 * keeps only the lower 32 bits of its flags, and {@code unshare} refuses a flag in the upper half
 * with EINVAL before doing anything. A rule on a full 64-bit value would need two comparisons, as
 * libseccomp emits; this profile has none.
 *
 * @param syscall the syscall's name as the kernel's tables spell it ({@code clone})
 * @param action the action when no condition holds (or the only one, without conditions)
 * @param cases conditions in order; empty for an unconditional rule
 * @param reason why, in a sentence: shown in the docs and checked to be there
 */
public record Rule(String syscall, Action action, List<Case> cases, String reason) {

  /** Validates and copies. */
  public Rule {
    Objects.requireNonNull(syscall, "syscall");
    Objects.requireNonNull(action, "action");
    cases = List.copyOf(cases);
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException(syscall + ": a rule needs its reason");
    }
  }

  /** Whether the arguments are looked at. */
  public boolean conditional() {
    return !cases.isEmpty();
  }

  /** A condition and the action taken when it holds. */
  public record Case(Condition when, Action then) {}

  /**
   * A test of one argument's low 32 bits.
   *
   * @param arg the argument's index, 0..5
   * @param test how to compare
   * @param mask the bits looked at
   * @param value for {@link Test#MASKED_EQUALS}: what {@code arg & mask} must equal
   */
  public record Condition(int arg, Test test, int mask, int value) {

    /** Kinds of comparison. */
    public enum Test {
      /**
       * {@code (arg & mask) == value}: one BPF {@code jeq}, after an {@code and} unless mask is ~0.
       */
      MASKED_EQUALS,
      /** {@code (arg & mask) != 0}: one BPF {@code jset}. */
      ANY_BIT_SET
    }

    /** Validates the index. */
    public Condition {
      if (arg < 0 || arg > 5) {
        throw new IllegalArgumentException("a syscall has arguments 0..5, not " + arg);
      }
      Objects.requireNonNull(test, "test");
    }

    /** {@code arg == value}. */
    public static Condition equalTo(int arg, int value) {
      return new Condition(arg, Test.MASKED_EQUALS, -1, value);
    }

    /** {@code (arg & mask) == value}. */
    public static Condition maskedEqualTo(int arg, int mask, int value) {
      return new Condition(arg, Test.MASKED_EQUALS, mask, value);
    }

    /** {@code (arg & mask) != 0}. */
    public static Condition anyBitOf(int arg, int mask) {
      return new Condition(arg, Test.ANY_BIT_SET, mask, 0);
    }

    /** Whether it holds for an argument's value, the way the compiled filter decides it. */
    public boolean holds(long argument) {
      int low = (int) argument;
      return test == Test.ANY_BIT_SET ? (low & mask) != 0 : (low & mask) == value;
    }

    /** {@code arg0 & 0x7e020080 != 0}, {@code arg1 & 0xf000 == 0x2000}, {@code arg0 == 0x8}. */
    @Override
    public String toString() {
      String a = "arg" + arg;
      return switch (test) {
        case ANY_BIT_SET -> a + " & 0x" + Integer.toHexString(mask) + " != 0";
        case MASKED_EQUALS ->
            (mask == -1 ? a : a + " & 0x" + Integer.toHexString(mask))
                + " == 0x"
                + Integer.toHexString(value);
      };
    }
  }
}
