package org.glasshouse.app.glasshouse;

import java.util.List;

/**
 * Everything the glass house shows at one moment: the host, the houses in their walls, the build
 * strip of the container in focus and where a replay stands. Immutable; the view-model publishes a
 * new one on every change and the view diffs it against the last.
 *
 * @param host the host around them
 * @param houses the containers shown, the focused one first
 * @param nest the houses in their walls
 * @param focus the id of the container in focus (the selected one), or null
 * @param stages the focused container's build, step by step
 * @param position the replay's position: the index of the last stage shown, or -1 before the first;
 *     {@code stages.size() - 1} when live
 * @param replaying whether a replay is under way (playing or paused)
 * @param playing whether it plays
 * @param speed the replay's speed factor (1 = one stage every {@link Replay#BEAT_MS} ms)
 * @param selectedSeq the step entry selected (its parts highlighted), 0 for none
 * @param note one line about what is shown, or why nothing is
 */
public record SceneModel(
    HostModel host,
    List<HouseModel> houses,
    Nest nest,
    String focus,
    List<Blueprint.Stage> stages,
    int position,
    boolean replaying,
    boolean playing,
    double speed,
    int selectedSeq,
    String note) {

  /** Nothing to show yet. */
  public static SceneModel empty(String note) {
    return new SceneModel(
        HostModel.UNKNOWN,
        List.of(),
        Nest.of(List.of()),
        null,
        List.of(),
        -1,
        false,
        false,
        1,
        0,
        note);
  }

  /** The house of {@code id}, or null. */
  public HouseModel house(String id) {
    return houses.stream().filter(h -> h.id().equals(id)).findFirst().orElse(null);
  }
}
