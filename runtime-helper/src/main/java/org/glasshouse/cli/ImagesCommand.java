package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glasshouse.client.HelperClient;
import org.glasshouse.protocol.Op;

/** {@code glasshouse images}: the images the helper offers. */
final class ImagesCommand implements Command {

  @Override
  public String summary() {
    return "list images (glasshouse images build NAME builds one)";
  }

  @Override
  public int run(List<String> args) throws Exception {
    if (!args.isEmpty()) {
      throw new UsageException(
          "unexpected argument '" + args.get(0) + "' (usage: glasshouse images)");
    }
    JsonNode images;
    try (HelperClient c = Cli.connect("glasshouse-images")) {
      images = c.call(Op.IMAGES, null).get("images");
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAME", "SIZE", "READY"});
    for (JsonNode i : images) {
      rows.add(
          new String[] {
            i.path("name").asText(),
            size(i.path("sizeBytes").asLong()),
            i.path("ready").asBoolean() ? "yes" : "no (extracted on first run)"
          });
    }
    System.out.print(Cli.columns(rows));
    return 0;
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + "B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1fkB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1fMB", bytes / (1024.0 * 1024));
  }
}
