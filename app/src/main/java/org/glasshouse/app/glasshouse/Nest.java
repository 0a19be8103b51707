package org.glasshouse.app.glasshouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.glasshouse.app.glasshouse.HouseModel.WallModel;

/**
 * How the houses stand inside their walls: a wall that two containers share (the same namespace, as
 * after an exec, or two containers started into one) is drawn once, around both; the walls they do
 * not share are drawn around each. A tree: a nest has its walls (outermost first) and either one
 * house or the nests inside it.
 *
 * @param key a stable key for the view to reuse its nodes: the ids of the houses inside
 * @param walls the walls drawn at this level, outermost first: standing walls of the types shared
 *     by every house inside, or, around a single house, every remaining type (open ones too)
 * @param house the house inside, for a leaf; null otherwise
 * @param children the nests inside, for an inner node
 */
public record Nest(String key, List<WallModel> walls, HouseModel house, List<Nest> children) {

  /** Whether this nest holds one house. */
  public boolean leaf() {
    return house != null;
  }

  /** The houses in their walls: one tree holding them all (walls of none when nothing shared). */
  public static Nest of(List<HouseModel> houses) {
    if (houses.isEmpty()) {
      return new Nest("", List.of(), null, List.of());
    }
    return nest(houses, List.of(NsType.values()));
  }

  private static Nest nest(List<HouseModel> houses, List<NsType> types) {
    if (houses.size() == 1) {
      HouseModel h = houses.get(0);
      List<WallModel> walls = new ArrayList<>();
      types.forEach(t -> walls.add(h.wall(t)));
      return new Nest(h.id(), walls, h, List.of());
    }
    List<NsType> shared = new ArrayList<>();
    List<NsType> rest = new ArrayList<>();
    for (NsType t : types) {
      (sharedByAll(houses, t) ? shared : rest).add(t);
    }
    if (!shared.isEmpty()) {
      List<WallModel> walls = new ArrayList<>();
      shared.forEach(t -> walls.add(houses.get(0).wall(t)));
      Nest inner = nest(houses, rest);
      // The houses inside stand side by side: no need for a wall-less level in between.
      List<Nest> children =
          inner.walls().isEmpty() && !inner.leaf() ? inner.children() : List.of(inner);
      return new Nest(key(houses), walls, null, children);
    }
    List<Nest> children = new ArrayList<>();
    for (List<HouseModel> g : groups(houses, rest)) {
      children.add(nest(g, rest));
    }
    return new Nest(key(houses), List.of(), null, children);
  }

  /**
   * The houses split by the first type (outermost first) in which some of them share a standing
   * wall; one group per house when none do.
   */
  private static List<List<HouseModel>> groups(List<HouseModel> houses, List<NsType> types) {
    for (NsType t : types) {
      Map<Object, List<HouseModel>> byWall = new LinkedHashMap<>();
      for (HouseModel h : houses) {
        Long shared = shareable(h, t);
        Object k = shared != null ? (Object) shared : h.id();
        byWall.computeIfAbsent(k, x -> new ArrayList<>()).add(h);
      }
      if (byWall.size() < houses.size()) {
        return new ArrayList<>(byWall.values());
      }
    }
    List<List<HouseModel>> out = new ArrayList<>();
    houses.forEach(h -> out.add(List.of(h)));
    return out;
  }

  private static boolean sharedByAll(List<HouseModel> houses, NsType t) {
    Long first = shareable(houses.get(0), t);
    if (first == null) {
      return false;
    }
    for (HouseModel h : houses) {
      if (!Objects.equals(shareable(h, t), first)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The inode by which {@code h}'s wall of type {@code t} is shared, or null when it cannot be: an
   * open wall, or a container that no longer runs. Its walls were read while it lived, and the
   * kernel hands a gone namespace's inode number to the next one made: level 12's new container
   * stood inside the walls of the level-09 container the OOM killer had ended minutes before.
   */
  private static Long shareable(HouseModel h, NsType t) {
    WallModel w = h.wall(t);
    boolean runs = h.phase() == HouseModel.Phase.RUNNING || h.phase() == HouseModel.Phase.STARTING;
    return runs && w.standing() ? w.inode() : null;
  }

  private static String key(List<HouseModel> houses) {
    return String.join("+", houses.stream().map(HouseModel::id).toList());
  }
}
