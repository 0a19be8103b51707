package org.glasshouse.protocol;

import java.util.Optional;

/** What a {@code subscribe} request can ask for. */
public enum Topic {
  /** {@code started}, {@code exited}, {@code removed}. */
  LIFECYCLE("lifecycle"),
  /** {@code output}. */
  OUTPUT("output"),
  /** {@code step}. */
  STEPS("steps"),
  /** {@code telemetry} samples (inspection). */
  TELEMETRY("telemetry"),
  /** {@code mounts} changes (inspection). */
  MOUNTS("mounts"),
  /** {@code namespaces} changes of a container's processes (inspection). */
  NAMESPACES("namespaces"),
  /** {@code upper} changes: what a container wrote into its overlay upper dir (inspection). */
  UPPER("upper");

  private final String wireName;

  Topic(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire. */
  public String wireName() {
    return wireName;
  }

  /** The topic with this wire name, if it is one. */
  public static Optional<Topic> fromWireName(String name) {
    for (Topic t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
