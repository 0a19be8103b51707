package org.glasshouse.app.mounts;

/** Which of the two trees a mount belongs to. */
public enum Side {
  /** The selected container's own mount table. */
  CONTAINER,
  /** The host's mount table. */
  HOST
}
