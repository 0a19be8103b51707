package org.glasshouse.cli;

import java.util.List;

/** One {@code glasshouse} subcommand. */
public interface Command {

  /** One line for the usage text. */
  String summary();

  /**
   * Runs the command.
   *
   * @param args the arguments after the subcommand's name
   * @return the process exit status
   * @throws UsageException for a user mistake: printed as one line, exit 2
   */
  int run(List<String> args) throws Exception;
}
