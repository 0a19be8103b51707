package org.glasshouse.app;

import javafx.application.Application;

/**
 * Plain entry point. Launching through a class that does not extend {@link Application} lets the
 * app run from the class path without the JavaFX module path.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    Application.launch(GlasshouseApp.class, args);
  }
}
