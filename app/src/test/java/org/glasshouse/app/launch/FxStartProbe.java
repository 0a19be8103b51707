package org.glasshouse.app.launch;

import javafx.application.Platform;

/** Starts the JavaFX platform (headless) and stops it: what a launch prints on the way. */
public final class FxStartProbe {
  private FxStartProbe() {}

  public static void main(String[] args) throws Exception {
    java.util.concurrent.CountDownLatch up = new java.util.concurrent.CountDownLatch(1);
    Platform.startup(up::countDown);
    up.await();
    System.out.println("javafx.graphics named: " + Platform.class.getModule().isNamed());
    Platform.exit();
  }
}
