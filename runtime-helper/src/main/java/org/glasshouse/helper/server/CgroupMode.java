package org.glasshouse.helper.server;

import java.nio.file.Files;
import java.nio.file.Path;

/** Which cgroup layout the host has, as {@code hello} reports it. */
final class CgroupMode {

  private CgroupMode() {}

  /**
   * {@code v2} when the root is cgroup2 (it has {@code cgroup.controllers}), {@code hybrid} when
   * cgroup2 sits at {@code unified/} beside v1 controllers, else {@code v1}.
   */
  static String detect(Path root) {
    if (Files.exists(root.resolve("cgroup.controllers"))) {
      return "v2";
    }
    if (Files.exists(root.resolve("unified").resolve("cgroup.controllers"))) {
      return "hybrid";
    }
    return "v1";
  }
}
