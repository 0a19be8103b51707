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
        HouseModel.Phase.RUNNING,
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
  void identitiesKeepAProvisionalColourWhenTheInodeArrives() {
    Identities ids = new Identities();
    int provisional = ids.of("c1", NsType.UTS, null);
    assertEquals(provisional, ids.of("c1", NsType.UTS, 4026532178L));
    assertEquals(provisional, ids.of("c2", NsType.UTS, 4026532178L), "the same namespace");
    assertTrue(ids.of("c2", NsType.IPC, 4026532179L) != provisional);
    assertEquals("A", Identities.letter(1));
    assertEquals("Z", Identities.letter(26));
    assertEquals("AA", Identities.letter(27));
    assertEquals(0, Identities.colour(1));
    assertEquals(0, Identities.colour(1 + Identities.COLOURS));
  }
}
