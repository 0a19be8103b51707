package org.glasshouse.helper.server;

import java.nio.file.Path;

/** Lets tests of other packages start a helper on a temporary socket (process fake runtime). */
public final class TestHelpers {

  private TestHelpers() {}

  /** A running helper; close it to stop it and delete its files. */
  public record Running(TestHelper helper) implements AutoCloseable {
    /** Its socket. */
    public Path socket() {
      return helper.socket();
    }

    @Override
    public void close() throws Exception {
      helper.close();
    }
  }

  /** Starts one. */
  public static Running start() throws Exception {
    return new Running(new TestHelper());
  }
}
