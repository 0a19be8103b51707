package org.glasshouse.app.glasshouse;

/**
 * Where a replay of a container's build stands: the picture shows the stages up to {@link
 * #position()}. A presenter plays it at a pace to talk over (one stage per {@link #BEAT_MS} ms at
 * speed 1), pauses, steps back and forth; {@link #stop()} returns to the live picture. Pure state;
 * the view-model drives the beat.
 */
public final class Replay {
  /** One stage per this many milliseconds at speed 1: time to say what it built. */
  public static final long BEAT_MS = 1800;

  /** The speeds a presenter can choose. */
  public static final double[] SPEEDS = {0.5, 1, 2, 4};

  private int stages;
  private int position = -1;
  private boolean active;
  private boolean playing;
  private double speed = 1;

  /** Starts from an empty house over {@code stageCount} stages, playing. */
  public void start(int stageCount) {
    stages = stageCount;
    position = -1;
    active = true;
    playing = stageCount > 0;
  }

  /** The stage count changed (the log grew while replaying). */
  public void stages(int stageCount) {
    stages = stageCount;
    position = Math.min(position, stageCount - 1);
  }

  /** One beat: the next stage; stops playing at the last one. Returns whether it moved. */
  public boolean beat() {
    if (!active || !playing) {
      return false;
    }
    boolean moved = forward();
    if (position >= stages - 1) {
      playing = false;
    }
    return moved;
  }

  public boolean forward() {
    if (!active || position >= stages - 1) {
      return false;
    }
    position++;
    return true;
  }

  public boolean back() {
    if (!active || position < 0) {
      return false;
    }
    position--;
    return true;
  }

  /** Jumps to stage {@code index} (-1: before the first), pausing. */
  public void seek(int index, int stageCount) {
    stages = stageCount;
    active = true;
    playing = false;
    position = Math.max(-1, Math.min(index, stageCount - 1));
  }

  public void pause() {
    playing = false;
  }

  /** Plays on from here (from the start when at the end). */
  public void play() {
    if (!active) {
      return;
    }
    if (position >= stages - 1) {
      position = -1;
    }
    playing = stages > 0;
  }

  /** Back to the live picture. */
  public void stop() {
    active = false;
    playing = false;
  }

  public void speed(double factor) {
    speed = factor;
  }

  public double speed() {
    return speed;
  }

  /** Milliseconds to the next beat at this speed. */
  public long beatMs() {
    return Math.round(BEAT_MS / speed);
  }

  public boolean active() {
    return active;
  }

  public boolean playing() {
    return playing;
  }

  /** The index of the last stage shown; -1 before the first. */
  public int position() {
    return position;
  }
}
