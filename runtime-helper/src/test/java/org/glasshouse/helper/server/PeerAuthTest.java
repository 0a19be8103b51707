package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerAuthTest {

  /** A user database where "alice" is also in group 1500. */
  private static final UserDb USERS =
      new UserDb() {
        @Override
        public Set<Integer> groupsOf(String user) {
          return user.equals("alice") ? Set.of(1000, 1500) : Set.of();
        }
      };

  @Test
  void rootIsAlwaysAllowed() {
    assertEquals(Optional.empty(), new PeerAuth(1500, null, USERS).refusal(new Peer(0, 0, "root")));
  }

  @Test
  void theSocketsGroupIsAllowedAsPrimaryOrSupplementaryGroup() {
    PeerAuth auth = new PeerAuth(1500, null, USERS);
    assertEquals(Optional.empty(), auth.refusal(new Peer(1001, 1500, "bob")));
    assertEquals(Optional.empty(), auth.refusal(new Peer(1000, 1000, "alice")));
  }

  @Test
  void theUserWhoStartedTheHelperIsAllowed() {
    assertEquals(
        Optional.empty(), new PeerAuth(0, 1000, USERS).refusal(new Peer(1000, 1000, "carol")));
  }

  @Test
  void anyoneElseIsRefusedWithTheReason() {
    Optional<String> r = new PeerAuth(1500, 1000, USERS).refusal(new Peer(65534, 65534, "nobody"));
    assertTrue(r.isPresent());
    assertTrue(r.get().startsWith("uid 65534 (nobody) is not root"), r.get());
  }

  @Test
  void realUserDatabaseMapsNamesAndNumbers() {
    UserDb db = new UserDb();
    assertEquals(Optional.of(0), db.uid("root"));
    assertEquals(Optional.of(4242), db.uid("4242"));
    assertEquals(Optional.of(0), db.gid("root"));
    assertEquals(Optional.empty(), db.uid("glasshouse-no-such-user"));
  }
}
