package io.melo.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.testing.Samples;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MeloListenerAdapterTest {

  /** Every record reachable from MeloEvent through the sealed tree. */
  static Set<Class<?>> leaves() {
    Set<Class<?>> leaves = new LinkedHashSet<>();
    collect(MeloEvent.class, leaves);
    return leaves;
  }

  private static void collect(Class<?> type, Set<Class<?>> leaves) {
    if (type.isSealed()) {
      for (Class<?> sub : type.getPermittedSubclasses()) {
        collect(sub, leaves);
      }
    } else {
      assertThat(type.isRecord()).as(type + " is a leaf of the sealed tree and must be a record").isTrue();
      leaves.add(type);
    }
  }

  /** The families: sealed interfaces directly under MeloEvent. */
  static List<Class<?>> families() {
    List<Class<?>> families = new ArrayList<>();
    for (Class<?> sub : MeloEvent.class.getPermittedSubclasses()) {
      if (sub.isInterface()) {
        families.add(sub);
      }
    }
    return families;
  }

  @Test
  void theTreeHasEveryKindOfEventTheIssueNames() {
    assertThat(leaves())
        .extracting(Class::getSimpleName)
        .contains(
            "MessageCreated", "MessageEdited", "MessageDeleted", "ReactionAdded", "ReactionRemoved",
            "MemberJoined", "MemberLeft", "MemberKicked", "MemberBanned", "RoleChanged",
            "ChannelCreated", "ChannelUpdated", "ChannelDeleted", "ChannelsReordered",
            "ServerUpdated", "ServerDeleted", "InvitedToServer", "InvitedToConversation",
            "TypingChanged", "ReceiptReceived", "PresenceChanged", "ProfileChanged",
            "ConnectionStateChanged", "UnknownEvent");
  }

  @Test
  void adapterHasAPublicMethodForEveryLeafAndFamily() throws Exception {
    for (Class<?> type : leaves()) {
      Method method = MeloListenerAdapter.class.getMethod("on" + type.getSimpleName(), type);
      assertThat(Modifier.isPublic(method.getModifiers())).isTrue();
    }
    for (Class<?> family : families()) {
      MeloListenerAdapter.class.getMethod("on" + family.getSimpleName(), family);
    }
  }

  @Test
  void everyLeafIsRoutedToItsOwnMethodAfterTheGenericAndFamilyMethods() throws Exception {
    for (Class<?> type : leaves()) {
      MeloEvent event = (MeloEvent) Samples.record(type);
      List<String> calls = new ArrayList<>();
      MeloListenerAdapter adapter = recordingAdapter(calls);
      adapter.onEvent(event);

      List<String> expected = new ArrayList<>();
      expected.add("onGenericEvent");
      for (Class<?> family : families()) {
        if (family.isInstance(event)) {
          expected.add("on" + family.getSimpleName());
        }
      }
      expected.add("on" + type.getSimpleName());
      assertThat(calls).as("routing of " + type.getSimpleName()).isEqualTo(expected);
    }
  }

  /**
   * {@link RecordingAdapter} overrides every hook by hand; the next test fails when a hook is
   * added to the adapter without being added there, so this routing test always sees them all.
   */
  private static MeloListenerAdapter recordingAdapter(List<String> calls) {
    return new RecordingAdapter(calls);
  }

  @Test
  void recordingAdapterOverridesEveryHookSoTheRoutingTestSeesThemAll() {
    for (Method method : MeloListenerAdapter.class.getDeclaredMethods()) {
      if (method.getName().startsWith("on") && !method.getName().equals("onEvent")) {
        assertThat(declares(RecordingAdapter.class, method))
            .as("RecordingAdapter must override " + method.getName())
            .isTrue();
      }
    }
  }

  private static boolean declares(Class<?> type, Method method) {
    try {
      type.getDeclaredMethod(method.getName(), method.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
