package org.glasshouse.app.glasshouse;

import java.util.List;
import java.util.Set;

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
 * @param aside the houses drawn as cards however much room there is: with every running container
 *     shown, those of other levels than the one in focus (see {@link #peers})
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
    String note,
    Set<String> aside) {

  public SceneModel {
    aside = Set.copyOf(aside);
  }

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
        note,
        Set.of());
  }

  /**
   * The houses drawn in their walls when there is room: all but those {@link #aside}. A class that
   * keeps its containers running has one of each level; level 09's house side by side with level
   * 00's and 01's is three sets of walls in a short area and no lesson (at 1366×768 in presenter
   * mode the level-09 house scrolled out of sight under the other two). The level's own siblings
   * (level 08's pair, level 12 run four times) and the containers the student ticked stay houses.
   */
  public List<HouseModel> peers() {
    return aside.isEmpty() ? houses : houses.stream().filter(h -> !aside.contains(h.id())).toList();
  }

  /** The house of {@code id}, or null. */
  public HouseModel house(String id) {
    return houses.stream().filter(h -> h.id().equals(id)).findFirst().orElse(null);
  }
}
