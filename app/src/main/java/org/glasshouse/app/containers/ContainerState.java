package org.glasshouse.app.containers;

/** Life of a container as the list shows it. */
public enum ContainerState {
  STARTING,
  RUNNING,
  EXITED,
  OOM_KILLED,
  /** A step failed; the step log says which and why. */
  FAILED,
  /** The helper went away while it ran. */
  LOST;

  /** Whether the process may still be alive. */
  public boolean live() {
    return this == STARTING || this == RUNNING;
  }
}
