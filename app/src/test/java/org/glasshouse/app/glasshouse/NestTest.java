package org.glasshouse.app.glasshouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glasshouse.app.glasshouse.HouseModel.WallModel;
import org.junit.jupiter.api.Test;

/** Which walls stand around which houses when houses share namespaces. */
class NestTest {

  /** A house whose walls are the given inodes (null = open: the host's). */
  private static HouseModel house(String id, Map<NsType, Long> own) {
    return house(id, own, HouseModel.Phase.RUNNING);
  }

  private static HouseModel house(String id, Map<NsType, Long> own, HouseModel.Phase phase) {
    List<WallModel> walls = new ArrayList<>();
    for (NsType t : NsType.values()) {
      Long inode = own.get(t);
      walls.add(
          new WallModel(
              t,
              inode != null,
              inode != null,
              false,
              inode,
              1L,
              inode == null ? 0 : 1,
              inode == null ? -1 : 0,
              "",
              0,
              List.of(),
              null,
              0,
              null,
              false,
              false));
    }
    return new HouseModel(
        id,
        id,
        "",
        12,
        false,
        phase,
        "",
        null,
        walls,
        List.of(),
        null,
        List.of(),
        null,
        HouseModel.Badge.OFF,
        true,
        true,
        true,
        false,
        null);
  }

  /**
   * The kernel reuses a namespace's inode number once the namespace is gone: at level 12 the new
   * container stood inside the same six walls as the level-09 container the OOM killer had ended
   * minutes before (its walls still read from when it lived). An ended container shares no wall.
   */
  @Test
  void anEndedHouseSharesNoWallEvenWhereItsOldInodesWereReused() {
    Map<NsType, Long> same = Map.of(NsType.MNT, 10L, NsType.UTS, 11L, NsType.PID, 12L);
    for (HouseModel.Phase ended :
        List.of(HouseModel.Phase.EXITED, HouseModel.Phase.OOM_KILLED, HouseModel.Phase.LOST)) {
      Nest n = Nest.of(List.of(house("new", same), house("old", same, ended)));
      assertTrue(n.walls().isEmpty(), ended + ": no wall around both: " + n.walls());
      assertEquals(2, n.children().size(), ended.toString());
      assertTrue(n.children().stream().allMatch(Nest::leaf), ended.toString());
    }
    Nest live = Nest.of(List.of(house("a", same), house("b", same)));
    assertEquals(3, live.walls().size(), "two running containers in one namespace share it");
  }

  @Test
  void oneHouseHasAllEightPlacesAroundIt() {
    Nest n = Nest.of(List.of(house("a", Map.of(NsType.MNT, 10L))));
    assertTrue(n.leaf());
    assertEquals(8, n.walls().size());
  }

  @Test
  void wallsSharedByBothStandAroundBothTheRestAroundEach() {
    HouseModel a = house("a", Map.of(NsType.MNT, 10L, NsType.UTS, 11L, NsType.PID, 12L));
    HouseModel b = house("b", Map.of(NsType.MNT, 10L, NsType.UTS, 21L, NsType.PID, 12L));
    Nest n = Nest.of(List.of(a, b));
    assertEquals(List.of(NsType.MNT, NsType.PID), n.walls().stream().map(WallModel::type).toList());
    assertEquals(2, n.children().size());
    Nest inA = n.children().get(0);
    assertTrue(inA.leaf());
    assertEquals(6, inA.walls().size(), "uts and the open ones");
  }

  @Test
  void housesWithNothingInCommonStandSideBySide() {
    HouseModel a = house("a", Map.of(NsType.MNT, 10L));
    HouseModel b = house("b", Map.of(NsType.MNT, 20L));
    Nest n = Nest.of(List.of(a, b));
    assertTrue(n.walls().isEmpty());
    assertEquals(List.of("a", "b"), n.children().stream().map(Nest::key).toList());
  }

  @Test
  void threeHousesTwoOfThemSharingAWall() {
    HouseModel a = house("a", Map.of(NsType.NET, 30L));
    HouseModel b = house("b", Map.of(NsType.NET, 30L));
    HouseModel c = house("c", Map.of(NsType.NET, 40L));
    Nest n = Nest.of(List.of(a, b, c));
    assertEquals(2, n.children().size(), n.toString());
    Nest ab = n.children().get(0);
    assertEquals(List.of(NsType.NET), ab.walls().stream().map(WallModel::type).toList());
    assertEquals(2, ab.children().size());
  }

  @Test
  void identitiesComeFromTheInodeAlone() {
    long base = 4026532178L;
    assertEquals(Identities.letter(base), Identities.letter(base), "a function of the inode");
    assertEquals(2, Identities.letter(base).length());
    // A container's namespaces have consecutive inodes: seven of them never share a colour, 21
    // never share colour and pattern, 676 never share letters (and no counter runs past Z).
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    java.util.Set<String> looks = new java.util.HashSet<>();
    java.util.Set<String> letters = new java.util.HashSet<>();
    for (long i = 0; i < Identities.LABELS; i++) {
      long inode = base + i;
      if (i < Identities.COLOURS) {
        colours.add(Identities.colour(inode));
      }
      if (i < Identities.COLOURS * Identities.PATTERNS) {
        looks.add(Identities.colour(inode) + "/" + Identities.pattern(inode));
      }
      String l = Identities.letter(inode);
      assertTrue(l.matches("[A-Z]{2}"), l);
      letters.add(l);
    }
    assertEquals(Identities.COLOURS, colours.size());
    assertEquals(Identities.COLOURS * Identities.PATTERNS, looks.size());
    assertEquals(Identities.LABELS, letters.size());
    // Neighbours differ in both letters, so two walls of one container do not read alike.
    String a = Identities.letter(base);
    String b = Identities.letter(base + 1);
    assertTrue(a.charAt(0) != b.charAt(0) && a.charAt(1) != b.charAt(1), a + " " + b);
  }
}
