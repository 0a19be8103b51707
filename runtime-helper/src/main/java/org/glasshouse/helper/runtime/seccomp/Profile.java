package org.glasshouse.helper.runtime.seccomp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A seccomp profile as data, independent of any architecture: what to do with each named syscall,
 * and three fall-backs. {@link FilterCompiler} turns it into a BPF program for one architecture.
 *
 * @param name shown in the step log ({@code glasshouse-default})
 * @param defaultAction for a syscall the architecture has but no rule names
 * @param unknownAction for a number the architecture's {@link SyscallTable} does not know (a
 *     syscall newer than the table, or no syscall at all)
 * @param foreignAbiAction for a call through another ABI of the same machine (i386's {@code int
 *     0x80}, x32, arm32), whose numbers mean different syscalls
 * @param rules at most one per syscall name
 */
public record Profile(
    String name,
    Action defaultAction,
    Action unknownAction,
    Action foreignAbiAction,
    List<Rule> rules) {

  /** Validates: every name at most once. */
  public Profile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(defaultAction, "defaultAction");
    Objects.requireNonNull(unknownAction, "unknownAction");
    Objects.requireNonNull(foreignAbiAction, "foreignAbiAction");
    rules = List.copyOf(rules);
    Set<String> seen = new HashSet<>();
    for (Rule r : rules) {
      if (!seen.add(r.syscall())) {
        throw new IllegalArgumentException(name + ": two rules for " + r.syscall());
      }
    }
  }

  /** The rule for {@code syscall}, or null. */
  public Rule rule(String syscall) {
    for (Rule r : rules) {
      if (r.syscall().equals(syscall)) {
        return r;
      }
    }
    return null;
  }

  /** Collects rules group by group, each group with its reason. */
  public static final class Builder {
    private final String name;
    private final Action defaultAction;
    private final Action unknownAction;
    private final Action foreignAbiAction;
    private final List<Rule> rules = new ArrayList<>();

    /** See {@link Profile}. */
    public Builder(String name, Action defaultAction, Action unknown, Action foreignAbi) {
      this.name = name;
      this.defaultAction = defaultAction;
      this.unknownAction = unknown;
      this.foreignAbiAction = foreignAbi;
    }

    /** The same unconditional {@code action} for each of {@code syscalls}, space-separated. */
    public Builder each(Action action, String reason, String syscalls) {
      for (String s : syscalls.trim().split("\\s+")) {
        rules.add(new Rule(s, action, List.of(), reason));
      }
      return this;
    }

    /** One rule with argument conditions. */
    public Builder rule(String syscall, String reason, Action otherwise, Rule.Case... cases) {
      rules.add(new Rule(syscall, otherwise, List.of(cases), reason));
      return this;
    }

    /** The profile. */
    public Profile build() {
      return new Profile(name, defaultAction, unknownAction, foreignAbiAction, rules);
    }
  }
}
