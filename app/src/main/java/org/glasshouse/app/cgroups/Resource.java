package org.glasshouse.app.cgroups;

/** What a chart is about: one cgroup controller, or pressure stall information. */
public enum Resource {
  CPU("CPU"),
  MEMORY("Memory"),
  PIDS("Pids"),
  PRESSURE("Pressure");

  private final String title;

  Resource(String title) {
    this.title = title;
  }

  /** The word the view shows. */
  public String title() {
    return title;
  }

  /**
   * The resource a level is about (08 CPU, 09 memory, 12 pids), or null when the level sets no
   * cgroup limit.
   */
  public static Resource ofLevel(int level) {
    return switch (level) {
      case 8 -> CPU;
      case 9 -> MEMORY;
      case 12 -> PIDS;
      default -> null;
    };
  }
}
