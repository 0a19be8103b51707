package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LauncherTest {
  @Test
  void eachToolkitRefusalSaysWhatToDo() {
    assertTrue(Launcher.explain("Unable to open DISPLAY").contains("no display"));
    assertTrue(
        Launcher.explain("Unable to load glass GTK library")
            .contains("apt-get install -y libgtk-3-0"));
    assertTrue(
        Launcher.explain("something else").contains("JavaFX could not start: something else"));
    assertTrue(Launcher.explain(null).contains("no reason given"));
  }
}
