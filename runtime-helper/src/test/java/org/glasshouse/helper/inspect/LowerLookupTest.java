package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.linux.FsCalls;
import org.glasshouse.protocol.inspect.UpperDirEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LowerLookup}: copied up, new or deleted, looked up in fixture layers without links. */
class LowerLookupTest {
  @TempDir Path tmp;

  private static UpperDirEntry entry(String path, String kind) {
    return new UpperDirEntry(path, kind, 0, 0, 0, "0644", null);
  }

  @Test
  void marksWhatALowerLayerHas() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host"));
    Path image = Files.createDirectories(host.resolve("image"));
    Path second = Files.createDirectories(host.resolve("second"));
    Files.createDirectories(image.resolve("etc"));
    Files.writeString(image.resolve("etc/passwd"), "");
    Files.writeString(second.resolve("only-below"), "");
    Files.createDirectories(host.resolve("elsewhere"));
    Files.writeString(host.resolve("elsewhere/x"), "");
    // A link in the image pointing out of it: the path through it is not the image's.
    Files.createSymbolicLink(image.resolve("lib"), Path.of("/elsewhere"));
    List<UpperDirEntry> marked =
        LowerLookup.mark(
            FsCalls.real(),
            List.of(image, second),
            List.of(
                entry("etc", "dir"),
                entry("etc/passwd", "file"),
                entry("new", "file"),
                entry("only-below", "file"),
                entry("bin/ls", "whiteout"),
                entry("lib/x", "file")));
    List<Boolean> lower = new ArrayList<>();
    marked.forEach(e -> lower.add(e.lower()));
    assertEquals(java.util.Arrays.asList(true, true, false, true, null, false), lower);
  }

  @Test
  void withoutLayersNothingIsKnown() {
    List<UpperDirEntry> in = List.of(entry("new", "file"));
    assertEquals(in, LowerLookup.mark(FsCalls.real(), List.of(), in));
  }
}
