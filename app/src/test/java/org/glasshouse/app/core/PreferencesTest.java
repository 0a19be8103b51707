package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreferencesTest {
  @TempDir Path dir;

  @Test
  void whatTheUserChoseIsThereAtTheNextStart() {
    Path file = dir.resolve("glasshouse/preferences.properties");
    Preferences first = new Preferences(file, Runnable::run);
    assertFalse(first.hasWindow(), "a first start has no window to restore");
    first.darkProperty().set(true);
    first.presenterProperty().set(true);
    first.fontSizeProperty().set(16);
    first.removeOnExitProperty().set(true);
    first.xProperty().set(40);
    first.yProperty().set(30);
    first.widthProperty().set(1800);
    first.heightProperty().set(1000);
    first.levelProperty().set(9);
    first.containerProperty().set("4f3a2b1c0d9e");
    Preferences again = new Preferences(file, Runnable::run);
    assertTrue(again.darkProperty().get());
    assertTrue(again.presenterProperty().get());
    assertEquals(16, again.fontSizeProperty().get());
    assertTrue(again.removeOnExitProperty().get());
    assertTrue(again.hasWindow());
    assertEquals(1800, again.widthProperty().get());
    assertEquals(30, again.yProperty().get());
    assertEquals(9, again.levelProperty().get(), "the level on show");
    assertEquals("4f3a2b1c0d9e", again.containerProperty().get(), "the container on show");
  }

  @Test
  void aDamagedFileIsTheDefaultsAndAnOutOfRangeSizeIsClamped() throws Exception {
    Path file = dir.resolve("p.properties");
    Files.writeString(file, "font.size=400\nwindow.width=wide\ntheme.dark=\\u00zz\n");
    Preferences p = new Preferences(file, Runnable::run);
    assertEquals(Preferences.DEFAULT_FONT_SIZE, p.fontSizeProperty().get());
    assertFalse(p.darkProperty().get());
    Files.writeString(file, "font.size=400\nwindow.width=wide\n");
    p = new Preferences(file, Runnable::run);
    assertEquals(Preferences.MAX_FONT_SIZE, p.fontSizeProperty().get());
    assertFalse(p.hasWindow());
  }

  /**
   * The spec a container was run with comes back whole at the next start; a bad line is skipped.
   */
  @Test
  void theSpecsOfTheContainersRunAreThereAtTheNextStart() throws Exception {
    Path file = dir.resolve("specs.properties");
    Preferences first = new Preferences(file, Runnable::run);
    org.glasshouse.protocol.RunSpec spec =
        org.glasshouse.protocol.RunSpec.builder()
            .image("busybox")
            .argv(java.util.List.of("sh", "-c", "echo 'a b' = c"))
            .level(12)
            .limits(new org.glasshouse.protocol.Limits(64L << 20, null, 1024, 0.5, 32))
            .user("1000:1000")
            .build();
    first.specs().put("4f3a2b1c0d9e", spec);
    Preferences again = new Preferences(file, Runnable::run);
    assertEquals(spec, again.specs().get("4f3a2b1c0d9e"));
    again.specs().remove("4f3a2b1c0d9e");
    assertTrue(new Preferences(file, Runnable::run).specs().isEmpty(), "removed, forgotten");
    Files.writeString(file, "spec.x={not json\n", java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(new Preferences(file, Runnable::run).specs().isEmpty());
  }
}
