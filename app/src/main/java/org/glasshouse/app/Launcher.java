package org.glasshouse.app;

import javafx.application.Application;

/**
 * Plain entry point. Launching through a class that does not extend {@link Application} lets the
 * app run from the class path without the JavaFX module path. When JavaFX cannot open a window (no
 * display, no GTK 3) it says why and what to do in one line, not a stack trace.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    try {
      Application.launch(GlasshouseApp.class, args);
    } catch (UnsupportedOperationException e) {
      System.err.println(explain(e.getMessage()));
      System.exit(1);
    }
  }

  /**
   * What a user reads when JavaFX's toolkit refuses to start with {@code message} (GTK's glass says
   * "Unable to open DISPLAY" or "Unable to load glass GTK library").
   */
  static String explain(String message) {
    String m = message == null ? "" : message;
    String why;
    if (m.contains("DISPLAY")) {
      why =
          "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset or refused):"
              + " start it from a desktop session";
    } else if (m.contains("GTK")) {
      why = "JavaFX needs GTK 3 for the window: apt-get install -y libgtk-3-0";
    } else {
      why = "JavaFX could not start: " + (m.isEmpty() ? "no reason given" : m);
    }
    return "glasshouse: the window cannot open: "
        + why
        + ". The command line works without a window: glasshouse --help";
  }
}
