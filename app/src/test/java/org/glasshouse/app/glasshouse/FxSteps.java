package org.glasshouse.app.glasshouse;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Parent;
import org.testfx.util.WaitForAsyncUtils;

/** What the glass house's TestFX tests do on the FX thread, one way for all of them. */
final class FxSteps {
  private FxSteps() {}

  /** Runs {@code c} on the FX thread and waits for its result (long enough for a busy machine). */
  static <T> T fx(Callable<T> c) throws Exception {
    return WaitForAsyncUtils.asyncFx(c).get(120, TimeUnit.SECONDS);
  }

  /**
   * Lets the FX thread catch up and lays {@code root} out three times: a picture that re-chose its
   * layout after the first pass has settled by the last.
   */
  static void settle(Parent root) throws Exception {
    for (int i = 0; i < 3; i++) {
      WaitForAsyncUtils.waitForFxEvents();
      fx(
          () -> {
            root.applyCss();
            root.layout();
            return null;
          });
    }
  }
}
