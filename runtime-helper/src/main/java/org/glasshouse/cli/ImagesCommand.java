package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.glasshouse.client.HelperClient;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.text.Bytes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code glasshouse images}: the images the helper offers. */
@Command(
    name = "images",
    description = {
      "List the images the helper can run. (The launcher's glasshouse images build busybox|debian"
          + " builds one.)"
    })
final class ImagesCommand implements Callable<Integer> {

  @Mixin GlasshouseCommand.HelpOption help;

  @Override
  public Integer call() throws Exception {
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
    return Exit.OK;
  }

  static String size(long bytes) {
    return Bytes.iec(bytes);
  }
}
