package org.glasshouse.helper.runtime.seccomp;

import java.util.List;
import org.glasshouse.helper.linux.SockFilter;

/**
 * A profile compiled for one architecture: the BPF instructions the kernel runs, and what went into
 * them, for the step log.
 *
 * @param profile the profile it was compiled from
 * @param arch the architecture
 * @param instructions the program, at most {@link Bpf#MAX_INSTRUCTIONS}
 * @param counts how many of the profile's rules apply on this architecture, by kind
 */
public record Program(
    Profile profile, Arch arch, List<SockFilter> instructions, RuleCounts counts) {

  /**
   * Rules by kind, counting only syscalls the architecture has.
   *
   * @param allowed unconditionally allowed
   * @param conditional decided by their arguments
   * @param denied answered with an errno (or killed) by name
   */
  public record RuleCounts(int allowed, int conditional, int denied) {
    /** Every rule. */
    public int total() {
      return allowed + conditional + denied;
    }
  }

  /** Copies. */
  public Program {
    instructions = List.copyOf(instructions);
  }

  /** The number of instructions. */
  public int length() {
    return instructions.size();
  }

  /**
   * One line for the step log: {@code glasshouse-default (x86_64): 361 rules, 293 allow, 6 check
   * arguments, 62 deny; default ERRNO(EPERM), unknown syscalls ERRNO(ENOSYS), other ABIs
   * KILL_PROCESS; 214 instructions}.
   */
  public String summary() {
    return profile.name()
        + " ("
        + arch
        + "): "
        + counts.total()
        + " rules, "
        + counts.allowed()
        + " allow, "
        + counts.conditional()
        + " check arguments, "
        + counts.denied()
        + " deny; default "
        + profile.defaultAction()
        + ", unknown syscalls "
        + profile.unknownAction()
        + ", other ABIs "
        + profile.foreignAbiAction()
        + "; "
        + length()
        + " instructions";
  }
}
