package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerAuthTest {

  /** A user database where uid 1000 is also in group 1500. */
  private static final UserDb USERS =
      new UserDb() {
        @Override
        public Set<Integer> groupsOf(int uid) {
          return uid == 1000 ? Set.of(1000, 1500) : Set.of();
        }
      };

  @Test
  void rootIsAlwaysAllowed() {
    assertEquals(Optional.empty(), new PeerAuth(1500, null, USERS).refusal(new Peer(0, 0, 1)));
  }

  @Test
  void theSocketsGroupIsAllowedAsPrimaryOrSupplementaryGroup() {
    PeerAuth auth = new PeerAuth(1500, null, USERS);
    assertEquals(Optional.empty(), auth.refusal(new Peer(1001, 1500, 2)));
    assertEquals(Optional.empty(), auth.refusal(new Peer(1000, 1000, 3)));
  }

  @Test
  void theUserWhoStartedTheHelperIsAllowed() {
    assertEquals(Optional.empty(), new PeerAuth(0, 1000, USERS).refusal(new Peer(1000, 1000, 4)));
  }

  @Test
  void anyoneElseIsRefusedWithTheReason() {
    Optional<String> r = new PeerAuth(1500, 1000, USERS).refusal(new Peer(65534, 65534, 5));
    assertTrue(r.isPresent());
    assertTrue(r.get().startsWith("uid 65534 is not root"), r.get());
  }

  @Test
  void theRealUserDatabaseAnswersByNumberWithoutSpawningAnything() {
    UserDb db = new UserDb();
    assertTrue(db.groupsOf(0).contains(0), "root is in group 0");
    assertEquals(Set.of(), db.groupsOf(2_000_000_000), "a uid without an entry has no groups");
    assertEquals(Optional.of(0), db.primaryGid(0));
    assertEquals(Optional.of(0), db.gid("root"));
    assertEquals(Optional.of(4242), db.gid("4242"));
    assertEquals(Optional.empty(), db.gid("glasshouse-no-such-group"));
  }

  @Test
  void aUserNamedLikeANumberIsNotThatNumber() {
    // Before, a peer's uid was turned into its name and back: a user called "0" came back as 0.
    // Peers are numbers now; the check below only ever sees the uid the kernel gave.
    PeerAuth auth = new PeerAuth(1500, null, USERS);
    assertTrue(auth.refusal(new Peer(4242, 4242, 6)).isPresent());
  }
}
